//! The ledger's stories: an order through its workflow and paid out, tampering caught and
//! named, orders stopped, bad signatures and keys refused, and the queries.

use crate::{
	commitment::{self, commit, KeyElements, CNY},
	mock::*,
	Error, Event, FieldGroups, HoldReason, InstitutionOrders, OrderRef, OrderStatus, Orders,
	Settlement, SignedStage, StageCommitment, StageIndex, StageResult, Suspected,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use paychain_primitives::{
	accounts::{Obligations, ParticipantStatus},
	compliance::ExternalAlert,
};
use sp_core::{Pair, H256};
use sp_runtime::{DispatchError, MultiSignature};

const ORDER: OrderRef = [0x11; 16];
const OTHER_ORDER: OrderRef = [0x22; 16];
const THIRD_ORDER: OrderRef = [0x33; 16];

fn elements(amount: u128) -> KeyElements<'static> {
	KeyElements {
		payer_account: b"6222020200112233445",
		payee_account: b"6228480402564890018",
		applicant: b"EDU-SYS/zhang.wei",
		amount,
		currency: CNY,
		business_type: PAYMENT,
		purpose: b"tuition subsidy",
	}
}

fn genesis() -> H256 {
	System::block_hash(0)
}

/// Stage `stage` of `reference` as institution `who` signs it with its key `n`.
fn signed_with(
	who: u64,
	n: u8,
	reference: OrderRef,
	stage: StageIndex,
	result: StageResult,
	commitment: StageCommitment,
) -> SignedStage {
	let payload =
		commitment::stage_payload(&genesis(), &reference, stage, result, &commitment.root);
	SignedStage {
		commitment,
		result,
		key: key(who, n),
		signature: MultiSignature::Ed25519(pair(who, n).sign(&payload)),
	}
}

fn signed(who: u64, reference: OrderRef, stage: StageIndex, amount: u128) -> SignedStage {
	signed_with(who, 0, reference, stage, StageResult::Passed, commit(&elements(amount)))
}

fn handlers() -> BoundedVec<u64, frame_support::traits::ConstU32<6>> {
	BoundedVec::truncate_from(vec![BANK, BANK, BANK, CLEARING, CLEARING])
}

fn source() -> BoundedVec<u8, frame_support::traits::ConstU32<16>> {
	BoundedVec::truncate_from(b"EDU-SYS".to_vec())
}

fn open_with(
	reference: OrderRef,
	application: SignedStage,
	settlement: Option<Settlement<u64, u64>>,
) -> Result<(), DispatchError> {
	Ledger::open_order(
		RuntimeOrigin::signed(BANK),
		reference,
		PAYMENT,
		source(),
		handlers(),
		application,
		settlement,
	)
}

/// Opens `reference` for 1,000, paid to the payee at the end.
fn open(reference: OrderRef) {
	assert_ok!(open_with(
		reference,
		signed(BANK, reference, 0, 1_000),
		Some(Settlement { payee: PAYEE, amount: 1_000 })
	));
}

fn stage(reference: OrderRef, index: StageIndex, s: SignedStage) -> Result<(), DispatchError> {
	let who = handlers()[index as usize];
	Ledger::record_stage(RuntimeOrigin::signed(who), reference, index, s)
		.map(|_| ())
		.map_err(|e| e.error)
}

/// What recording `index` of `reference` was charged in the end.
fn stage_weight(reference: OrderRef, index: StageIndex) -> frame_support::weights::Weight {
	let who = handlers()[index as usize];
	let s = signed(who, reference, index, 1_000);
	let post = Ledger::record_stage(RuntimeOrigin::signed(who), reference, index, s);
	post.expect("the stage passes").actual_weight.expect("an actual weight")
}

fn pass(reference: OrderRef, index: StageIndex) {
	let who = handlers()[index as usize];
	assert_ok!(stage(reference, index, signed(who, reference, index, 1_000)));
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::Settlement.into(), &who)
}

fn status(reference: OrderRef) -> OrderStatus {
	Orders::<Test>::get(reference).expect("the order exists").status
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Ledger(e) = r.event { Some(e) } else { None })
		.collect()
}

#[test]
fn the_test_vectors_match_the_commitment_and_the_payload() {
	let json: serde_json::Value =
		serde_json::from_str(include_str!("../test-vectors.json")).expect("valid JSON");
	let hex = |v: &serde_json::Value| -> Vec<u8> {
		let s = v.as_str().expect("a hex string");
		(2..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
	};
	let h256 = |v: &serde_json::Value| H256::from_slice(&hex(v));
	let genesis = h256(&json["genesisHash"]);
	let vectors = json["vectors"].as_array().expect("vectors");
	assert!(vectors.len() >= 3);
	for v in vectors {
		let e = &v["elements"];
		let text = |k: &str| e[k].as_str().expect("text").as_bytes().to_vec();
		let (payer, payee, applicant, purpose) =
			(text("payerAccount"), text("payeeAccount"), text("applicant"), text("purpose"));
		let elements = KeyElements {
			payer_account: &payer,
			payee_account: &payee,
			applicant: &applicant,
			amount: e["amount"].as_str().unwrap().parse().unwrap(),
			currency: text("currency").try_into().unwrap(),
			business_type: e["businessType"].as_u64().unwrap() as u16,
			purpose: &purpose,
		};
		let c = commit(&elements);
		assert_eq!(c.parties, h256(&v["leaves"]["parties"]), "{}", v["name"]);
		assert_eq!(c.amount, h256(&v["leaves"]["amount"]), "{}", v["name"]);
		assert_eq!(c.purpose, h256(&v["leaves"]["purpose"]), "{}", v["name"]);
		assert_eq!(c.root, h256(&v["root"]), "{}", v["name"]);
		assert!(c.is_well_formed());
		let s = &v["stage"];
		let reference: OrderRef = hex(&s["reference"]).try_into().unwrap();
		let result = match s["result"].as_str().unwrap() {
			"Passed" => StageResult::Passed,
			"Rejected" => StageResult::Rejected,
			_ => StageResult::Returned,
		};
		let payload = commitment::stage_payload(
			&genesis,
			&reference,
			s["stage"].as_u64().unwrap() as u8,
			result,
			&c.root,
		);
		assert_eq!(payload, hex(&s["payload"]), "{}", v["name"]);
		assert_eq!(payload.len(), 104);
		// The ed25519 signature (deterministic) by the vector's seed.
		let signer = sp_core::ed25519::Pair::from_seed_slice(&hex(&s["signerSeed"])).unwrap();
		assert_eq!(signer.public().0.to_vec(), hex(&s["signerPublic"]));
		assert_eq!(signer.sign(&payload).0.to_vec(), hex(&s["signature"]));
	}
}

#[test]
fn an_order_runs_through_its_workflow_and_pays_out() {
	new_test_ext(|| {
		open(ORDER);
		assert_eq!(held(BANK), 1_000);
		assert_eq!(status(ORDER), OrderStatus::InProgress);
		for i in 1..5 {
			pass(ORDER, i);
		}
		assert_eq!(status(ORDER), OrderStatus::Completed);
		assert_eq!(held(BANK), 0);
		assert_eq!(Balances::free_balance(PAYEE), ENDOWMENT + 1_000);
		assert_eq!(Balances::free_balance(BANK), ENDOWMENT - 1_000);
		let evs = events();
		assert_eq!(
			evs[0],
			Event::OrderOpened {
				reference: ORDER,
				business_type: PAYMENT,
				opener: BANK,
				root: commit(&elements(1_000)).root,
				settlement: Some(1_000),
			}
		);
		assert!(evs.contains(&Event::OrderSettled {
			reference: ORDER,
			payee: PAYEE,
			amount: 1_000,
			review: None
		}));
		assert_eq!(evs.last(), Some(&Event::OrderCompleted { reference: ORDER }));
		// The trail: five stages, each with its institution, key, signature and time.
		let trail = Ledger::trail(ORDER).unwrap();
		assert_eq!(trail.stages.len(), 5);
		for (i, s) in &trail.stages {
			assert_eq!(s.institution, handlers()[*i as usize]);
			assert_eq!(s.key, key(s.institution, 0));
			assert_eq!(s.commitment, commit(&elements(1_000)));
			assert_eq!((s.at, s.timestamp, s.result), (1, NOW_MS, StageResult::Passed));
		}
		// A plain order (no payment) completes too, moving nothing.
		assert_ok!(open_with(OTHER_ORDER, signed(BANK, OTHER_ORDER, 0, 5), None));
		for i in 1..5 {
			let who = handlers()[i as usize];
			assert_ok!(stage(OTHER_ORDER, i, signed(who, OTHER_ORDER, i, 5)));
		}
		assert_eq!(status(OTHER_ORDER), OrderStatus::Completed);
	});
}

#[test]
fn an_amount_altered_at_approval_is_caught_named_and_stops_the_order() {
	new_test_ext(|| {
		open(ORDER);
		// The fund-approval stage sees 10,000 where the application said 1,000.
		assert_ok!(stage(ORDER, 1, signed(BANK, ORDER, 1, 10_000)));
		let changed = FieldGroups { parties: false, amount: true, purpose: false };
		assert!(events().contains(&Event::TamperSuspected {
			reference: ORDER,
			stage: 1,
			institution: BANK,
			changed
		}));
		let order = Orders::<Test>::get(ORDER).unwrap();
		assert_eq!(
			(order.status, order.changed, order.stages),
			(OrderStatus::TamperSuspected, changed, 2)
		);
		assert!(Suspected::<Test>::contains_key(ORDER));
		// Compliance has an alert on the institution that submitted the changed elements.
		let alerts = Alerts::raised();
		assert_eq!(alerts.len(), 1);
		assert_eq!((alerts[0].0, alerts[0].1), (BANK, ExternalAlert::LedgerTamper));
		// No money moved: the payment went back to the opener.
		assert_eq!(held(BANK), 0);
		assert_eq!(Balances::free_balance(BANK), ENDOWMENT);
		assert_eq!(Balances::free_balance(PAYEE), ENDOWMENT);
		// No later stage is accepted.
		assert_noop!(
			stage(ORDER, 2, signed(BANK, ORDER, 2, 1_000)),
			Error::<Test>::OrderTamperSuspected
		);
		let page = Ledger::tamper_suspected(None, 10);
		assert_eq!(page.items.len(), 1);
		assert_eq!(page.items[0].0, ORDER);
	});
}

#[test]
fn changed_parties_and_purpose_are_named_too() {
	new_test_ext(|| {
		open(ORDER);
		let mut altered = elements(1_000);
		altered.payee_account = b"6228480402564890099";
		altered.purpose = b"consulting";
		let commitment = commit(&altered);
		let s = signed_with(BANK, 0, ORDER, 1, StageResult::Passed, commitment);
		assert_ok!(stage(ORDER, 1, s));
		assert_eq!(
			Orders::<Test>::get(ORDER).unwrap().changed,
			FieldGroups { parties: true, amount: false, purpose: true }
		);
	});
}

#[test]
fn rejected_and_returned_orders_stop_and_release_their_payment() {
	new_test_ext(|| {
		open(ORDER);
		pass(ORDER, 1);
		let c = commit(&elements(1_000));
		assert_ok!(stage(ORDER, 2, signed_with(BANK, 0, ORDER, 2, StageResult::Rejected, c)));
		assert_eq!(status(ORDER), OrderStatus::Rejected);
		assert_eq!(held(BANK), 0);
		assert!(events().contains(&Event::OrderStopped {
			reference: ORDER,
			stage: 2,
			result: StageResult::Rejected
		}));
		assert!(events().contains(&Event::SettlementReleased { reference: ORDER, amount: 1_000 }));
		assert_noop!(
			stage(ORDER, 3, signed(CLEARING, ORDER, 3, 1_000)),
			Error::<Test>::OrderClosed
		);

		open(OTHER_ORDER);
		let s = signed_with(BANK, 0, OTHER_ORDER, 1, StageResult::Returned, c);
		assert_ok!(stage(OTHER_ORDER, 1, s));
		assert_eq!(status(OTHER_ORDER), OrderStatus::Returned);
		assert_eq!(Balances::free_balance(BANK), ENDOWMENT);
		assert_eq!(Balances::free_balance(PAYEE), ENDOWMENT);
	});
}

#[test]
fn a_settlement_goes_through_compliance() {
	new_test_ext(|| {
		open(ORDER);
		for i in 1..4 {
			pass(ORDER, i);
		}
		// A block fails the last stage and changes nothing: the clearing institution may
		// record it again later, or reject the order.
		Compliance::block(PAYEE);
		assert_noop!(stage(ORDER, 4, signed(CLEARING, ORDER, 4, 1_000)), COMPLIANCE_BLOCK);
		open(OTHER_ORDER);
		for i in 1..4 {
			pass(OTHER_ORDER, i);
		}
		let c = commit(&elements(1_000));
		assert_ok!(stage(
			OTHER_ORDER,
			4,
			signed_with(CLEARING, 0, OTHER_ORDER, 4, StageResult::Rejected, c)
		));
		assert_eq!(held(BANK), 1_000, "only the first order's payment is still held");
	});
	new_test_ext(|| {
		// A review: the order completes, the payment waits for the regulator.
		Compliance::review_settlements(true);
		open(ORDER);
		for i in 1..5 {
			pass(ORDER, i);
		}
		let order = Orders::<Test>::get(ORDER).unwrap();
		assert_eq!((order.status, order.review), (OrderStatus::Completed, Some(9)));
		assert_eq!(Balances::free_balance(REVIEW_VAULT), 1_000);
		assert_eq!(Balances::free_balance(PAYEE), ENDOWMENT);
	});
}

/// A stage is charged the dearer of its two ending benchmarks (the completing stage, which
/// pays out through one quiet check, and a tampered one) and the check's worst case: a stage
/// with another to follow is refunded to its own benchmark, a quiet payment what the check lets
/// it, a payment held for review nothing, a stage that stops the order the whole check.
#[test]
fn a_stage_is_refunded_what_its_check_did_not_cost() {
	use crate::WeightInfo as _;
	type W = ();
	let ending = W::record_stage().max(W::record_stage_tampered());
	let charged = ending + Compliance::WORST;
	assert!(W::record_stage_passed().all_lt(ending));
	new_test_ext(|| {
		open(ORDER);
		for i in 1..4 {
			assert_eq!(stage_weight(ORDER, i), W::record_stage_passed(), "stage {i}");
		}
		assert_eq!(stage_weight(ORDER, 4), charged - Compliance::QUIET_REFUND);
		assert_eq!(status(ORDER), OrderStatus::Completed);
		Compliance::review_settlements(true);
		open(OTHER_ORDER);
		for i in 1..4 {
			pass(OTHER_ORDER, i);
		}
		assert_eq!(stage_weight(OTHER_ORDER, 4), charged);
		assert_eq!(Orders::<Test>::get(OTHER_ORDER).and_then(|o| o.review), Some(9));

		// A rejection releases the payment and checks nothing.
		Compliance::review_settlements(false);
		open(THIRD_ORDER);
		let c = commit(&elements(1_000));
		let s = signed_with(BANK, 0, THIRD_ORDER, 1, StageResult::Rejected, c);
		let post = Ledger::record_stage(RuntimeOrigin::signed(BANK), THIRD_ORDER, 1, s);
		assert_eq!(post.expect("a rejection is recorded").actual_weight, Some(ending));
		assert_eq!(status(THIRD_ORDER), OrderStatus::Rejected);
	});
}

#[test]
fn opening_refuses_bad_input() {
	new_test_ext(|| {
		let good = || signed(BANK, ORDER, 0, 1_000);
		let pay = Some(Settlement { payee: PAYEE, amount: 1_000 });
		let open_as = |who: u64, hs: Vec<u64>, business: u16, s: SignedStage| {
			Ledger::open_order(
				RuntimeOrigin::signed(who),
				ORDER,
				business,
				source(),
				BoundedVec::truncate_from(hs),
				s,
				None,
			)
		};
		let five = vec![BANK, BANK, BANK, CLEARING, CLEARING];
		assert_noop!(open_as(BANK, five.clone(), 7, good()), Error::<Test>::UnknownBusinessType);
		assert_noop!(
			open_as(BANK, five[..4].to_vec(), PAYMENT, good()),
			Error::<Test>::WrongHandlers
		);
		assert_noop!(
			open_as(OTHER_BANK, five.clone(), PAYMENT, signed(OTHER_BANK, ORDER, 0, 1_000)),
			Error::<Test>::WrongHandlers
		);
		let bad_roles = vec![BANK, CLEARING, BANK, CLEARING, CLEARING];
		assert_noop!(open_as(BANK, bad_roles, PAYMENT, good()), Error::<Test>::HandlerNotQualified);
		let stranger = vec![BANK, BANK, BANK, STRANGER, CLEARING];
		assert_noop!(open_as(BANK, stranger, PAYMENT, good()), Error::<Test>::HandlerNotQualified);

		// Malformed commitments: a root that is not the leaves', a missing leaf.
		let mut c = commit(&elements(1_000));
		c.root = H256::repeat_byte(1);
		let s = signed_with(BANK, 0, ORDER, 0, StageResult::Passed, c);
		assert_noop!(open_with(ORDER, s, None), Error::<Test>::MalformedCommitment);
		let mut c = commit(&elements(1_000));
		c.purpose = H256::zero();
		c.root = commitment::root(&c.parties, &c.amount, &c.purpose);
		let s = signed_with(BANK, 0, ORDER, 0, StageResult::Passed, c);
		assert_noop!(open_with(ORDER, s, None), Error::<Test>::MalformedCommitment);
		let c = commit(&elements(1_000));
		let s = signed_with(BANK, 0, ORDER, 0, StageResult::Rejected, c);
		assert_noop!(open_with(ORDER, s, None), Error::<Test>::ApplicationNotPassed);

		// Signatures: over another stage or order, by an unregistered key, by another
		// institution's key, by a revoked, expired or not-yet-valid key.
		assert_noop!(
			open_with(ORDER, signed(BANK, ORDER, 1, 1_000), None),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			open_with(ORDER, signed(BANK, OTHER_ORDER, 0, 1_000), None),
			Error::<Test>::BadSignature
		);
		let unregistered = signed_with(BANK, 1, ORDER, 0, StageResult::Passed, c);
		assert_noop!(open_with(ORDER, unregistered, None), Error::<Test>::UnknownKey);
		let others = signed_with(OTHER_BANK, 0, ORDER, 0, StageResult::Passed, c);
		assert_noop!(open_with(ORDER, others, None), Error::<Test>::UnknownKey);
		Registry::add_key(BANK, 1, 0, Some(1));
		let expired = signed_with(BANK, 1, ORDER, 0, StageResult::Passed, c);
		assert_noop!(open_with(ORDER, expired, None), Error::<Test>::KeyNotValid);
		Registry::add_key(BANK, 2, 5, None);
		let early = signed_with(BANK, 2, ORDER, 0, StageResult::Passed, c);
		assert_noop!(open_with(ORDER, early, None), Error::<Test>::KeyNotValid);
		Registry::add_key(BANK, 3, 0, None);
		Registry::revoke_key(BANK, 3);
		let revoked = signed_with(BANK, 3, ORDER, 0, StageResult::Passed, c);
		assert_noop!(open_with(ORDER, revoked, None), Error::<Test>::KeyRevoked);

		// Settlements: not the committed amount, to the opener, zero, unaffordable.
		let pay_of = |payee, amount| Some(Settlement { payee, amount });
		assert_noop!(
			open_with(ORDER, good(), pay_of(PAYEE, 999)),
			Error::<Test>::SettlementMismatch
		);
		assert_noop!(open_with(ORDER, good(), pay_of(BANK, 1_000)), Error::<Test>::BadSettlement);
		assert_noop!(open_with(ORDER, good(), pay_of(PAYEE, 0)), Error::<Test>::BadSettlement);
		let big = signed(BANK, ORDER, 0, u128::from(ENDOWMENT));
		assert_noop!(
			open_with(ORDER, big, pay_of(PAYEE, ENDOWMENT)),
			Error::<Test>::InsufficientBalance
		);

		// The opener suspended: its signature no longer counts.
		Registry::set_status(BANK, ParticipantStatus::Suspended);
		assert_noop!(open_with(ORDER, good(), None), Error::<Test>::HandlerNotQualified);
		Registry::set_status(BANK, ParticipantStatus::Active);

		assert_ok!(open_with(ORDER, good(), pay));
		assert_noop!(open_with(ORDER, good(), None), Error::<Test>::DuplicateReference);
	});
}

#[test]
fn stages_refuse_bad_input() {
	new_test_ext(|| {
		assert_noop!(stage(ORDER, 1, signed(BANK, ORDER, 1, 1_000)), Error::<Test>::UnknownOrder);
		open(ORDER);
		assert_noop!(
			stage(ORDER, 0, signed(BANK, ORDER, 0, 1_000)),
			Error::<Test>::StageAlreadyRecorded
		);
		assert_noop!(
			Ledger::record_stage(
				RuntimeOrigin::signed(CLEARING),
				ORDER,
				3,
				signed(CLEARING, ORDER, 3, 1_000)
			),
			Error::<Test>::StageOutOfOrder
		);
		assert_noop!(
			Ledger::record_stage(
				RuntimeOrigin::signed(CLEARING),
				ORDER,
				1,
				signed(CLEARING, ORDER, 1, 1_000)
			),
			Error::<Test>::WrongInstitution
		);
		assert_noop!(
			Ledger::record_stage(
				RuntimeOrigin::signed(OTHER_BANK),
				ORDER,
				1,
				signed(OTHER_BANK, ORDER, 1, 1_000)
			),
			Error::<Test>::WrongInstitution
		);
		// The bank's key expires at block 3: a stage signed with it after that is refused.
		Registry::add_key(BANK, 1, 0, Some(3));
		let c = commit(&elements(1_000));
		assert_ok!(stage(ORDER, 1, signed_with(BANK, 1, ORDER, 1, StageResult::Passed, c)));
		System::set_block_number(3);
		assert_noop!(
			stage(ORDER, 2, signed_with(BANK, 1, ORDER, 2, StageResult::Passed, c)),
			Error::<Test>::KeyNotValid
		);
		pass(ORDER, 2);
		pass(ORDER, 3);
		pass(ORDER, 4);
		assert_noop!(
			stage(ORDER, 4, signed(CLEARING, ORDER, 4, 1_000)),
			Error::<Test>::OrderClosed
		);
		assert_noop!(
			Ledger::record_stage(
				RuntimeOrigin::signed(CLEARING),
				ORDER,
				5,
				signed(CLEARING, ORDER, 5, 1_000)
			),
			Error::<Test>::OrderClosed
		);
	});
}

#[test]
fn institutions_find_their_orders_by_status() {
	new_test_ext(|| {
		open(ORDER);
		open(OTHER_ORDER);
		assert_ok!(stage(OTHER_ORDER, 1, signed(BANK, OTHER_ORDER, 1, 2)));
		let refs = |page: crate::Page<_>| {
			let mut r: Vec<OrderRef> = page.items.into_iter().map(|(r, _)| r).collect();
			r.sort();
			r
		};
		assert_eq!(refs(Ledger::orders_of(BANK, None, None, 10)), vec![ORDER, OTHER_ORDER]);
		assert_eq!(refs(Ledger::orders_of(CLEARING, None, None, 10)), vec![ORDER, OTHER_ORDER]);
		assert_eq!(
			refs(Ledger::orders_of(CLEARING, Some(OrderStatus::TamperSuspected), None, 10)),
			vec![OTHER_ORDER]
		);
		assert!(Ledger::orders_of(OTHER_BANK, None, None, 10).items.is_empty());
		let first = Ledger::orders_of(BANK, None, None, 1);
		assert_eq!(first.items.len(), 1);
		let second = Ledger::orders_of(BANK, None, first.next, 1);
		assert_eq!(second.items.len(), 1);
		assert_ne!(first.items[0].0, second.items[0].0);
		assert!(InstitutionOrders::<Test>::contains_key(CLEARING, ORDER));
		assert_eq!(Ledger::workflow(PAYMENT), Some(payment_workflow()));
		assert!(Ledger::trail([9; 16]).is_none());
	});
}

#[test]
fn governance_sets_workflows() {
	new_test_ext(|| {
		let two: BoundedVec<_, _> = BoundedVec::truncate_from(payment_workflow()[..2].to_vec());
		assert_noop!(
			Ledger::set_workflow(RuntimeOrigin::signed(BANK), 2, two.clone()),
			DispatchError::BadOrigin
		);
		let one = BoundedVec::truncate_from(payment_workflow()[..1].to_vec());
		assert_noop!(
			Ledger::set_workflow(RuntimeOrigin::root(), 2, one),
			Error::<Test>::WorkflowTooShort
		);
		assert_ok!(Ledger::set_workflow(RuntimeOrigin::root(), 2, two));
		assert_eq!(events().last(), Some(&Event::WorkflowSet { business_type: 2, stages: 2 }));
		// Orders already open keep the workflow they were opened with.
		open(ORDER);
		let three = BoundedVec::truncate_from(payment_workflow()[..3].to_vec());
		assert_ok!(Ledger::set_workflow(RuntimeOrigin::root(), PAYMENT, three));
		for i in 1..5 {
			pass(ORDER, i);
		}
		assert_eq!(status(ORDER), OrderStatus::Completed);
	});
}

#[test]
fn an_institution_with_a_held_payment_may_not_close() {
	new_test_ext(|| {
		let obliged = |who: &u64| <Ledger as Obligations<u64>>::has_obligations(who);
		open(ORDER);
		assert!(obliged(&BANK));
		assert!(!obliged(&CLEARING));
		let c = commit(&elements(1_000));
		assert_ok!(stage(ORDER, 1, signed_with(BANK, 0, ORDER, 1, StageResult::Returned, c)));
		assert!(!obliged(&BANK));
	});
}

/// Writes `test-vectors.json` from the pallet's own functions when
/// `PAYCHAIN_WRITE_TEST_VECTORS` is set (run once, by hand, when the encoding changes; the file
/// is committed and both the pallet and `clients/ledger` test against it).
#[test]
fn write_test_vectors_on_request() {
	if std::env::var_os("PAYCHAIN_WRITE_TEST_VECTORS").is_none() {
		return;
	}
	let hex = |b: &[u8]| format!("0x{}", b.iter().map(|x| format!("{x:02x}")).collect::<String>());
	let genesis = H256::repeat_byte(0x42);
	let cases: [(&str, KeyElements, OrderRef, u8, StageResult, [u8; 32]); 3] = [
		("a tuition subsidy, application", elements(1_000), ORDER, 0, StageResult::Passed, [7; 32]),
		(
			"a contractor payment, bank confirmation rejected",
			KeyElements {
				payer_account: b"110060149018000123456",
				payee_account: b"4000023009200181386",
				applicant: b"FIN-DEPT/li.na",
				amount: 12_345_678_900,
				currency: CNY,
				business_type: 3,
				purpose: b"road maintenance, lot 7",
			},
			[0xA5; 16],
			4,
			StageResult::Rejected,
			[9; 32],
		),
		(
			"UTF-8 text and an empty applicant, returned",
			KeyElements {
				payer_account: b"6222020200112233445",
				payee_account: b"6228480402564890018",
				applicant: b"",
				amount: 1,
				currency: CNY,
				business_type: 65_535,
				purpose: "\u{5b66}\u{8d39}\u{8865}\u{52a9}".as_bytes(),
			},
			[0x00; 16],
			2,
			StageResult::Returned,
			[0xEE; 32],
		),
	];
	let vectors: Vec<serde_json::Value> = cases
		.iter()
		.map(|(name, e, reference, stage, result, seed)| {
			let c = commit(e);
			let payload = commitment::stage_payload(&genesis, reference, *stage, *result, &c.root);
			let signer = sp_core::ed25519::Pair::from_seed(seed);
			serde_json::json!({
				"name": name,
				"elements": {
					"payerAccount": core::str::from_utf8(e.payer_account).unwrap(),
					"payeeAccount": core::str::from_utf8(e.payee_account).unwrap(),
					"applicant": core::str::from_utf8(e.applicant).unwrap(),
					"amount": e.amount.to_string(),
					"currency": core::str::from_utf8(&e.currency).unwrap(),
					"businessType": e.business_type,
					"purpose": core::str::from_utf8(e.purpose).unwrap(),
				},
				"leaves": {
					"parties": hex(c.parties.as_bytes()),
					"amount": hex(c.amount.as_bytes()),
					"purpose": hex(c.purpose.as_bytes()),
				},
				"root": hex(c.root.as_bytes()),
				"stage": {
					"reference": hex(reference),
					"stage": stage,
					"result": format!("{result:?}"),
					"payload": hex(&payload),
					"signerSeed": hex(seed),
					"signerPublic": hex(&signer.public().0),
					"signature": hex(&signer.sign(&payload).0),
				},
			})
		})
		.collect();
	let json = serde_json::json!({
		"about": "Paychain ledger commitments and stage payloads (pallets/ledger/src/commitment.rs). Signatures are ed25519 by signerSeed.",
		"genesisHash": hex(genesis.as_bytes()),
		"vectors": vectors,
	});
	let path = concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors.json");
	std::fs::write(path, serde_json::to_string_pretty(&json).unwrap() + "\n").unwrap();
}
