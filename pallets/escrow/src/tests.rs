//! The escrow's stories: trades, refunds, disputes, compliance waits, timeouts and queries.

use crate::{
	attestation_payload, mock::*, AccountEscrows, Agreement, AgreementOf, Arbitration, Attestation,
	AttestationOf, Error, EscrowId, EscrowOf, Escrows, Event, HoldReason, Level, NextEscrowId,
	NextStep, OpenEscrows, OracleSet, OrderRef, Outcome, Page, Party, QueueHead, QueueLength,
	Status, StatusKind, Terms, TimeoutQueue,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, Hooks},
	weights::Weight,
	BoundedVec,
};
use paychain_primitives::{
	accounts::{Obligations, ParticipantStatus},
	compliance::MovementKind,
};
use sp_core::H256;
use sp_runtime::{DispatchError, Percent, Permill};

const ORDER: H256 = H256::repeat_byte(0xAB);
const TRACKING: H256 = H256::repeat_byte(0x7C);

fn agreement() -> AgreementOf<Test> {
	Agreement {
		order: OrderRef { commitment: ORDER, id: BoundedVec::truncate_from(b"ORD-1".to_vec()) },
		terms: Terms { ship_within: 10, deliver_within: 10, dispute_window: 5, appeal_window: 5 },
		arbitration: Arbitration { arbiter: Some(ARBITER), appeal_arbiter: Some(APPEAL_ARBITER) },
		oracles: None,
		milestones: BoundedVec::new(),
	}
}

fn with_oracles(threshold: u32) -> AgreementOf<Test> {
	Agreement {
		oracles: Some(OracleSet {
			members: BoundedVec::truncate_from(ORACLES.to_vec()),
			threshold,
		}),
		..agreement()
	}
}

fn create_with(amount: u64, agreement: AgreementOf<Test>) -> EscrowId {
	let id = NextEscrowId::<Test>::get();
	assert_ok!(Escrow::create_escrow(RuntimeOrigin::signed(PAYER), PAYEE, amount, agreement));
	id
}

fn create(amount: u64) -> EscrowId {
	create_with(amount, agreement())
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::Escrow.into(), &who)
}

fn obliged(who: &u64) -> bool {
	<Escrow as Obligations<u64>>::has_obligations(who)
}

fn free(who: u64) -> u64 {
	Balances::free_balance(who)
}

fn status(id: EscrowId) -> Status<u64> {
	Escrows::<Test>::get(id).expect("escrow exists").status
}

fn ship(id: EscrowId) {
	assert_ok!(Escrow::ship(RuntimeOrigin::signed(PAYEE), id, TRACKING));
}

fn shipped_and_disputed(amount: u64) -> EscrowId {
	let id = create(amount);
	ship(id);
	assert_ok!(Escrow::open_dispute(RuntimeOrigin::signed(PAYER), id, H256::repeat_byte(1)));
	id
}

fn attestation(oracle: u64, id: EscrowId, tracking: H256) -> AttestationOf<Test> {
	let genesis = System::block_hash(0);
	let payload = attestation_payload(&genesis, id, tracking);
	Attestation { oracle, signature: MockSignature::sign(oracle, &payload) }
}

// ----- Creation -----

#[test]
fn create_escrow_holds_the_amount_on_the_payer() {
	new_test_ext(|| {
		let id = create(1_000);
		assert_eq!(held(PAYER), 1_000);
		assert_eq!(free(PAYER), ENDOWMENT - 1_000);
		assert_eq!(free(PAYEE), ENDOWMENT);
		let e = Escrows::<Test>::get(id).unwrap();
		assert_eq!((e.held, e.released, e.refunded), (1_000, 0, 0));
		assert_eq!(e.status, Status::Funded { ship_by: 11 });
		assert_eq!(Compliance::checks(), vec![(PAYER, PAYEE, 1_000, MovementKind::EscrowFund)]);
		assert_eq!(AccountEscrows::<Test>::get(PAYER, id), Some(Party::Payer));
		assert_eq!(AccountEscrows::<Test>::get(ARBITER, id), Some(Party::Arbiter));
		assert!(obliged(&PAYER) && obliged(&PAYEE));
		System::assert_last_event(
			Event::EscrowCreated {
				escrow_id: id,
				payer: PAYER,
				payee: PAYEE,
				amount: 1_000,
				order_commitment: ORDER,
			}
			.into(),
		);
	});
}

#[test]
fn any_number_of_escrows_per_pair() {
	new_test_ext(|| {
		let a = create(100);
		let b = create(200);
		assert_ne!(a, b);
		assert_eq!(held(PAYER), 300);
		assert_eq!(OpenEscrows::<Test>::get(PAYER), 2);
	});
}

#[test]
fn create_escrow_fails_on_bad_input() {
	new_test_ext(|| {
		let create = |payee, amount, a| {
			Escrow::create_escrow(RuntimeOrigin::signed(PAYER), payee, amount, a)
		};
		assert_noop!(create(PAYEE, 0, agreement()), Error::<Test>::ZeroAmount);
		assert_noop!(create(PAYER, 10, agreement()), Error::<Test>::SelfEscrow);
		assert_noop!(create(STRANGER, 10, agreement()), Error::<Test>::PayeeNotActive);
		assert_noop!(create(PAYEE, ENDOWMENT, agreement()), Error::<Test>::InsufficientBalance);
		let mut a = agreement();
		a.terms.dispute_window = 0;
		assert_noop!(create(PAYEE, 10, a), Error::<Test>::BadTerm);
		let mut a = agreement();
		a.terms.ship_within = 1_001;
		assert_noop!(create(PAYEE, 10, a), Error::<Test>::BadTerm);
		let mut a = agreement();
		a.arbitration.arbiter = Some(ORACLES[0]);
		assert_noop!(create(PAYEE, 10, a), Error::<Test>::NotAnArbiter);
		let mut a = agreement();
		a.arbitration.appeal_arbiter = Some(ARBITER);
		assert_noop!(create(PAYEE, 10, a), Error::<Test>::SameArbiters);
		let mut a = agreement();
		a.arbitration.arbiter = Some(PAYEE);
		assert_noop!(create(PAYEE, 10, a), Error::<Test>::PartyConflict);
		let mut a = with_oracles(2);
		a.oracles.as_mut().unwrap().members = BoundedVec::truncate_from(vec![20, ARBITER]);
		assert_noop!(create(PAYEE, 10, a), Error::<Test>::PartyConflict);
		let mut a = with_oracles(2);
		a.oracles.as_mut().unwrap().members = BoundedVec::truncate_from(vec![20, REGULATOR]);
		assert_noop!(create(PAYEE, 10, a), Error::<Test>::NotAnOracle);
		let mut a = with_oracles(2);
		a.oracles.as_mut().unwrap().members = BoundedVec::truncate_from(vec![20, 20]);
		assert_noop!(create(PAYEE, 10, a), Error::<Test>::DuplicateOracle);
		assert_noop!(create(PAYEE, 10, with_oracles(0)), Error::<Test>::BadThreshold);
		assert_noop!(create(PAYEE, 10, with_oracles(4)), Error::<Test>::BadThreshold);
		let mut a = agreement();
		a.milestones = BoundedVec::truncate_from(vec![4, 5]);
		assert_noop!(create(PAYEE, 10, a), Error::<Test>::MilestonesMismatch);
		let mut a = agreement();
		a.milestones = BoundedVec::truncate_from(vec![10, 0]);
		assert_noop!(create(PAYEE, 10, a), Error::<Test>::MilestonesMismatch);
		Registry::set_status(PAYEE, ParticipantStatus::Suspended);
		assert_noop!(create(PAYEE, 10, agreement()), Error::<Test>::PayeeNotActive);
		Registry::set_status(PAYEE, ParticipantStatus::Active);
		Compliance::block(PAYEE);
		assert_noop!(create(PAYEE, 10, agreement()), COMPLIANCE_BLOCK);
		assert_noop!(
			Escrow::create_escrow(RuntimeOrigin::signed(STRANGER), PAYEE, 10, agreement()),
			Error::<Test>::PayerNotActive
		);
		assert_eq!(held(PAYER), 0);
	});
}

// ----- The trade -----

#[test]
fn full_trade_releases_after_the_dispute_window_minus_the_fee() {
	new_test_ext(|| {
		assert_ok!(Escrow::set_fee_rate(RuntimeOrigin::root(), Permill::from_percent(1)));
		let id = create(1_000);
		ship(id);
		assert_eq!(status(id), Status::Shipped { deliver_by: 11 });
		run_to(3);
		assert_ok!(Escrow::confirm_delivery(RuntimeOrigin::signed(PAYER), id));
		assert_eq!(status(id), Status::Delivered { release_at: 8 });
		System::assert_last_event(Event::Delivered { escrow_id: id, release_at: 8 }.into());
		run_to(7);
		assert_eq!(held(PAYER), 1_000, "still held inside the window");
		run_to(8);
		assert_eq!(held(PAYER), 0);
		assert_eq!(free(PAYER), ENDOWMENT - 1_000);
		assert_eq!(free(PAYEE), ENDOWMENT + 990);
		assert_eq!(free(FEE_ACCOUNT), ENDOWMENT + 10);
		assert_eq!(
			status(id),
			Status::Closed { outcome: Outcome::Released { review: None }, at: 8 }
		);
		System::assert_has_event(
			Event::Released { escrow_id: id, to: PAYEE, amount: 990, fee: 10 }.into(),
		);
		assert_eq!(
			Compliance::checks().last(),
			Some(&(PAYER, PAYEE, 990, MovementKind::EscrowRelease))
		);
		assert!(!obliged(&PAYER));
	});
}

#[test]
fn the_fee_is_fixed_when_the_escrow_is_made() {
	new_test_ext(|| {
		let id = create(1_000);
		assert_ok!(Escrow::set_fee_rate(RuntimeOrigin::root(), Permill::from_percent(5)));
		assert_ok!(Escrow::release(RuntimeOrigin::signed(PAYER), id));
		assert_eq!(free(PAYEE), ENDOWMENT + 1_000);
		assert_noop!(
			Escrow::set_fee_rate(RuntimeOrigin::root(), Permill::from_percent(6)),
			Error::<Test>::FeeTooHigh
		);
		assert_noop!(
			Escrow::set_fee_rate(RuntimeOrigin::signed(PAYER), Permill::zero()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn undelivered_shipment_counts_as_delivered_after_its_period() {
	new_test_ext(|| {
		let id = create(500);
		ship(id);
		run_to(11);
		assert_eq!(status(id), Status::Delivered { release_at: 16 });
		run_to(16);
		assert_eq!(free(PAYEE), ENDOWMENT + 500);
	});
}

#[test]
fn transitions_need_the_right_party_and_status() {
	new_test_ext(|| {
		let id = create(500);
		assert_noop!(
			Escrow::ship(RuntimeOrigin::signed(PAYER), id, TRACKING),
			Error::<Test>::NotPayee
		);
		assert_noop!(
			Escrow::confirm_delivery(RuntimeOrigin::signed(PAYER), id),
			Error::<Test>::WrongStatus
		);
		assert_noop!(
			Escrow::ship(RuntimeOrigin::signed(PAYEE), 99, TRACKING),
			Error::<Test>::UnknownEscrow
		);
		ship(id);
		assert_noop!(
			Escrow::ship(RuntimeOrigin::signed(PAYEE), id, TRACKING),
			Error::<Test>::WrongStatus
		);
		assert_noop!(
			Escrow::confirm_delivery(RuntimeOrigin::signed(PAYEE), id),
			Error::<Test>::NotPayer
		);
		assert_noop!(Escrow::release(RuntimeOrigin::signed(PAYEE), id), Error::<Test>::NotPayer);
		assert_noop!(
			Escrow::open_dispute(RuntimeOrigin::signed(ARBITER), id, H256::zero()),
			Error::<Test>::NotParty
		);
		assert_noop!(Escrow::refund(RuntimeOrigin::signed(PAYER), id), Error::<Test>::NotPayee);
		assert_noop!(
			Escrow::rule(RuntimeOrigin::signed(ARBITER), id, Percent::zero(), Percent::one()),
			Error::<Test>::WrongStatus
		);
	});
}

#[test]
fn confirmations_after_the_deadline_are_refused() {
	new_test_ext(|| {
		let id = create_with(500, with_oracles(1));
		ship(id);
		// The deadline passed, the queue not yet run.
		System::set_block_number(11);
		assert_noop!(
			Escrow::confirm_delivery(RuntimeOrigin::signed(PAYER), id),
			Error::<Test>::ConfirmationTooLate
		);
		assert_noop!(
			Escrow::attest_delivery(RuntimeOrigin::signed(ORACLES[0]), id),
			Error::<Test>::ConfirmationTooLate
		);
	});
}

#[test]
fn missed_shipping_deadline_refunds_by_itself() {
	new_test_ext(|| {
		let id = create(800);
		run_to(10);
		assert_eq!(held(PAYER), 800);
		System::set_block_number(11);
		assert_noop!(
			Escrow::ship(RuntimeOrigin::signed(PAYEE), id, TRACKING),
			Error::<Test>::ShippingDeadlinePassed
		);
		System::set_block_number(10);
		run_to(11);
		assert_eq!(held(PAYER), 0);
		assert_eq!(free(PAYER), ENDOWMENT);
		assert_eq!(status(id), Status::Closed { outcome: Outcome::Refunded, at: 11 });
		System::assert_has_event(Event::Refunded { escrow_id: id, to: PAYER, amount: 800 }.into());
	});
}

// ----- Oracles -----

#[test]
fn oracles_confirm_delivery_m_of_n_by_signed_extrinsics() {
	new_test_ext(|| {
		let id = create_with(600, with_oracles(2));
		ship(id);
		assert_ok!(Escrow::attest_delivery(RuntimeOrigin::signed(ORACLES[0]), id));
		assert!(matches!(status(id), Status::Shipped { .. }));
		assert_noop!(
			Escrow::attest_delivery(RuntimeOrigin::signed(ORACLES[0]), id),
			Error::<Test>::DuplicateAttestation
		);
		assert_noop!(
			Escrow::attest_delivery(RuntimeOrigin::signed(ARBITER), id),
			Error::<Test>::NotEscrowOracle
		);
		assert_ok!(Escrow::attest_delivery(RuntimeOrigin::signed(ORACLES[2]), id));
		assert_eq!(status(id), Status::Delivered { release_at: 6 });
		run_to(6);
		assert_eq!(free(PAYEE), ENDOWMENT + 600);
	});
}

#[test]
fn oracles_confirm_delivery_by_submitted_signatures() {
	new_test_ext(|| {
		let id = create_with(600, with_oracles(2));
		let submit = |atts: Vec<AttestationOf<Test>>| {
			Escrow::submit_attestations(
				RuntimeOrigin::signed(PAYEE),
				id,
				BoundedVec::truncate_from(atts),
			)
		};
		assert_noop!(submit(vec![attestation(20, id, TRACKING)]), Error::<Test>::WrongStatus);
		ship(id);
		assert_noop!(submit(vec![]), Error::<Test>::NoAttestations);
		// Forged: signed by someone else, or for another shipment.
		let mut forged = attestation(20, id, TRACKING);
		forged.oracle = 21;
		assert_noop!(submit(vec![forged]), Error::<Test>::BadSignature);
		assert_noop!(submit(vec![attestation(20, id, H256::zero())]), Error::<Test>::BadSignature);
		assert_noop!(
			submit(vec![attestation(20, id, TRACKING), attestation(20, id, TRACKING)]),
			Error::<Test>::DuplicateAttestation
		);
		assert_noop!(
			submit(vec![attestation(REGULATOR, id, TRACKING)]),
			Error::<Test>::NotEscrowOracle
		);
		// An oracle who lost its role no longer counts.
		Registry::set_status(22, ParticipantStatus::Suspended);
		assert_noop!(submit(vec![attestation(22, id, TRACKING)]), Error::<Test>::NotAnOracle);
		assert_ok!(submit(vec![attestation(20, id, TRACKING), attestation(21, id, TRACKING)]));
		assert_eq!(status(id), Status::Delivered { release_at: 6 });
		System::assert_has_event(
			Event::DeliveryAttested { escrow_id: id, oracle: 21, attestations: 2 }.into(),
		);
	});
}

#[test]
fn an_escrow_without_oracles_takes_no_attestations() {
	new_test_ext(|| {
		let id = create(100);
		ship(id);
		assert_noop!(
			Escrow::attest_delivery(RuntimeOrigin::signed(ORACLES[0]), id),
			Error::<Test>::NoOracles
		);
	});
}

// ----- Refunds and cancellation -----

#[test]
fn cancel_needs_both_parties() {
	new_test_ext(|| {
		let id = create(300);
		assert_ok!(Escrow::cancel(RuntimeOrigin::signed(PAYER), id));
		System::assert_last_event(
			Event::CancelRequested { escrow_id: id, by: Party::Payer }.into(),
		);
		assert_noop!(
			Escrow::cancel(RuntimeOrigin::signed(PAYER), id),
			Error::<Test>::AlreadyRequested
		);
		assert_eq!(held(PAYER), 300);
		assert_ok!(Escrow::cancel(RuntimeOrigin::signed(PAYEE), id));
		assert_eq!(held(PAYER), 0);
		assert_eq!(free(PAYER), ENDOWMENT);
		assert!(matches!(status(id), Status::Closed { outcome: Outcome::Refunded, .. }));
		assert_noop!(Escrow::cancel(RuntimeOrigin::signed(PAYEE), id), Error::<Test>::WrongStatus);
	});
}

#[test]
fn the_payee_may_refund_at_any_open_stage_even_to_a_blocked_payer() {
	new_test_ext(|| {
		let id = shipped_and_disputed(400);
		Compliance::block(PAYER);
		let checks = Compliance::checks().len();
		assert_ok!(Escrow::refund(RuntimeOrigin::signed(PAYEE), id));
		assert_eq!((held(PAYER), free(PAYER)), (0, ENDOWMENT));
		assert_eq!(Compliance::checks().len(), checks, "a refund moves nothing: no check");
	});
}

// ----- Disputes -----

#[test]
fn dispute_ruled_70_30_is_carried_out_after_the_appeal_window() {
	new_test_ext(|| {
		let id = shipped_and_disputed(1_000);
		let rule = |who, payer, payee| {
			Escrow::rule(
				RuntimeOrigin::signed(who),
				id,
				Percent::from_percent(payer),
				Percent::from_percent(payee),
			)
		};
		assert_noop!(rule(ARBITER, 70, 20), Error::<Test>::SplitNotWhole);
		assert_noop!(rule(APPEAL_ARBITER, 30, 70), Error::<Test>::NotArbiter);
		assert_noop!(
			Escrow::rule(
				RuntimeOrigin::root(),
				id,
				Percent::from_percent(30),
				Percent::from_percent(70)
			),
			Error::<Test>::NotArbiter
		);
		assert_ok!(rule(ARBITER, 30, 70));
		assert_eq!(
			status(id),
			Status::Ruled { payee_share: Percent::from_percent(70), appeal_until: 6 }
		);
		run_to(6);
		assert_eq!(held(PAYER), 0);
		assert_eq!(free(PAYER), ENDOWMENT - 700);
		assert_eq!(free(PAYEE), ENDOWMENT + 700);
		assert!(matches!(
			status(id),
			Status::Closed { outcome: Outcome::Split { review: None, .. }, .. }
		));
	});
}

#[test]
fn one_appeal_goes_to_the_appeal_arbiter_whose_ruling_is_final() {
	new_test_ext(|| {
		let id = shipped_and_disputed(1_000);
		assert_ok!(Escrow::rule(
			RuntimeOrigin::signed(ARBITER),
			id,
			Percent::from_percent(30),
			Percent::from_percent(70)
		));
		assert_noop!(
			Escrow::appeal(RuntimeOrigin::signed(ARBITER), id, H256::zero()),
			Error::<Test>::NotParty
		);
		assert_ok!(Escrow::appeal(RuntimeOrigin::signed(PAYER), id, H256::repeat_byte(2)));
		run_to(10);
		assert_eq!(held(PAYER), 1_000, "an appeal stops the timeout");
		assert_noop!(
			Escrow::rule(
				RuntimeOrigin::signed(ARBITER),
				id,
				Percent::from_percent(50),
				Percent::from_percent(50)
			),
			Error::<Test>::NotArbiter
		);
		assert_ok!(Escrow::rule(
			RuntimeOrigin::signed(APPEAL_ARBITER),
			id,
			Percent::from_percent(100),
			Percent::zero()
		));
		assert_eq!((held(PAYER), free(PAYER)), (0, ENDOWMENT));
		assert_noop!(
			Escrow::appeal(RuntimeOrigin::signed(PAYEE), id, H256::zero()),
			Error::<Test>::WrongStatus
		);
	});
}

#[test]
fn appeal_and_dispute_windows_close() {
	new_test_ext(|| {
		let id = create(100);
		ship(id);
		assert_ok!(Escrow::confirm_delivery(RuntimeOrigin::signed(PAYER), id));
		System::set_block_number(6);
		assert_noop!(
			Escrow::open_dispute(RuntimeOrigin::signed(PAYER), id, H256::zero()),
			Error::<Test>::DisputeWindowClosed
		);
		let id = shipped_and_disputed(100);
		assert_ok!(Escrow::rule(
			RuntimeOrigin::signed(ARBITER),
			id,
			Percent::from_percent(50),
			Percent::from_percent(50)
		));
		System::set_block_number(11);
		assert_noop!(
			Escrow::appeal(RuntimeOrigin::signed(PAYEE), id, H256::zero()),
			Error::<Test>::AppealWindowClosed
		);
	});
}

#[test]
fn without_an_active_arbiter_the_arbitration_authority_rules() {
	new_test_ext(|| {
		let mut a = agreement();
		a.arbitration.arbiter = None;
		let id = create_with(100, a);
		ship(id);
		assert_ok!(Escrow::open_dispute(RuntimeOrigin::signed(PAYEE), id, H256::zero()));
		assert_eq!(
			Escrow::next_step(id),
			Some(NextStep::RulingAwaited { level: Level::First, arbiter: None })
		);
		assert_noop!(
			Escrow::rule(RuntimeOrigin::signed(ARBITER), id, Percent::zero(), Percent::one()),
			Error::<Test>::NotArbiter
		);
		assert_ok!(Escrow::rule(RuntimeOrigin::root(), id, Percent::zero(), Percent::one()));
		// The named appeal arbiter, once suspended, is replaced too.
		assert_ok!(Escrow::appeal(RuntimeOrigin::signed(PAYER), id, H256::zero()));
		Registry::set_status(APPEAL_ARBITER, ParticipantStatus::Suspended);
		assert_ok!(Escrow::rule(RuntimeOrigin::root(), id, Percent::one(), Percent::zero()));
		assert_eq!(free(PAYER), ENDOWMENT);
	});
}

// ----- Compliance -----

#[test]
fn a_blocked_release_waits_instead_of_failing_half_way() {
	new_test_ext(|| {
		let id = create(1_000);
		ship(id);
		assert_ok!(Escrow::confirm_delivery(RuntimeOrigin::signed(PAYER), id));
		Compliance::block(PAYEE);
		run_to(6);
		assert_eq!(status(id), Status::AwaitingCompliance { since: 6, ruling: None });
		assert_eq!(held(PAYER), 1_000, "the funds stay held");
		assert_eq!(free(PAYEE), ENDOWMENT);
		System::assert_has_event(
			Event::ReleaseBlocked { escrow_id: id, error: COMPLIANCE_BLOCK }.into(),
		);
		assert_eq!(Escrow::next_step(id), Some(NextStep::RegulatorDecision));
		assert_noop!(Escrow::retry_release(RuntimeOrigin::signed(PAYER), id), COMPLIANCE_BLOCK);
		assert_noop!(
			Escrow::retry_release(RuntimeOrigin::signed(STRANGER), id),
			Error::<Test>::NotParty
		);
		Compliance::unblock(PAYEE);
		assert_ok!(Escrow::retry_release(RuntimeOrigin::signed(REGULATOR), id));
		assert_eq!((held(PAYER), free(PAYEE)), (0, ENDOWMENT + 1_000));
	});
}

#[test]
fn a_regulator_may_have_the_funds_returned() {
	new_test_ext(|| {
		let id = shipped_and_disputed(900);
		assert_ok!(Escrow::rule(
			RuntimeOrigin::signed(ARBITER),
			id,
			Percent::from_percent(30),
			Percent::from_percent(70)
		));
		Compliance::block(PAYEE);
		run_to(6);
		// The payer's share came back; the payee's waits.
		assert_eq!(held(PAYER), 630);
		assert_eq!(
			status(id),
			Status::AwaitingCompliance { since: 6, ruling: Some(Percent::from_percent(70)) }
		);
		assert_noop!(
			Escrow::force_refund(RuntimeOrigin::signed(PAYER), id, H256::zero()),
			DispatchError::BadOrigin
		);
		assert_ok!(Escrow::force_refund(
			RuntimeOrigin::signed(REGULATOR),
			id,
			H256::repeat_byte(9)
		));
		assert_eq!((held(PAYER), free(PAYER)), (0, ENDOWMENT));
		System::assert_has_event(
			Event::RefundOrdered { escrow_id: id, basis: H256::repeat_byte(9) }.into(),
		);
	});
}

/// Each call that checks a movement is charged its benchmark and the check's worst case; a
/// check that lets the money through gives back what it may, one that holds it for review
/// nothing.
#[test]
fn a_quiet_check_is_refunded_and_a_review_is_not() {
	use crate::WeightInfo as _;
	type W = ();
	let charged = |benchmarked: Weight| benchmarked.saturating_add(Compliance::WORST);
	let quiet = |benchmarked: Weight| charged(benchmarked).saturating_sub(Compliance::QUIET_REFUND);
	new_test_ext(|| {
		let id = NextEscrowId::<Test>::get();
		let created =
			Escrow::create_escrow(RuntimeOrigin::signed(PAYER), PAYEE, 1_000, agreement()).unwrap();
		assert_eq!(created.actual_weight, Some(quiet(W::create_escrow(0, 0))));
		let released = Escrow::release(RuntimeOrigin::signed(PAYER), id).unwrap();
		assert_eq!(released.actual_weight, Some(quiet(W::release())));

		let mut a = agreement();
		a.milestones = BoundedVec::truncate_from(vec![300, 700]);
		let id = create_with(1_000, a);
		let first = Escrow::release_milestone(RuntimeOrigin::signed(PAYER), id, 0).unwrap();
		assert_eq!(first.actual_weight, Some(quiet(W::release_milestone())));
		Compliance::review_releases(true);
		let second = Escrow::release_milestone(RuntimeOrigin::signed(PAYER), id, 1).unwrap();
		assert_eq!(second.actual_weight, Some(charged(W::release_milestone())));

		let id = create(1_000);
		let held = Escrow::release(RuntimeOrigin::signed(PAYER), id).unwrap();
		assert_eq!(held.actual_weight, Some(charged(W::release())));
	});
}

#[test]
fn a_release_held_for_review_closes_the_escrow() {
	new_test_ext(|| {
		let id = create(1_000);
		Compliance::review_releases(true);
		assert_ok!(Escrow::release(RuntimeOrigin::signed(PAYER), id));
		assert_eq!(held(PAYER), 0);
		assert_eq!(free(REVIEW_VAULT), 1_000);
		assert_eq!(free(PAYEE), ENDOWMENT);
		assert_eq!(
			status(id),
			Status::Closed { outcome: Outcome::Released { review: Some(7) }, at: 1 }
		);
		System::assert_has_event(
			Event::ReleaseHeldForReview { escrow_id: id, review: 7, amount: 1_000 }.into(),
		);
	});
}

#[test]
fn a_payer_initiated_release_that_compliance_blocks_changes_nothing() {
	new_test_ext(|| {
		let id = create(1_000);
		Compliance::block(PAYEE);
		assert_noop!(Escrow::release(RuntimeOrigin::signed(PAYER), id), COMPLIANCE_BLOCK);
	});
}

// ----- Milestones -----

#[test]
fn milestones_release_their_share_one_by_one() {
	new_test_ext(|| {
		let mut a = agreement();
		a.milestones = BoundedVec::truncate_from(vec![300, 700]);
		let id = create_with(1_000, a);
		assert_ok!(Escrow::release_milestone(RuntimeOrigin::signed(PAYER), id, 1));
		assert_eq!((held(PAYER), free(PAYEE)), (300, ENDOWMENT + 700));
		assert_noop!(
			Escrow::release_milestone(RuntimeOrigin::signed(PAYER), id, 1),
			Error::<Test>::MilestoneReleased
		);
		assert_noop!(
			Escrow::release_milestone(RuntimeOrigin::signed(PAYER), id, 2),
			Error::<Test>::UnknownMilestone
		);
		assert_noop!(
			Escrow::release_milestone(RuntimeOrigin::signed(PAYEE), id, 0),
			Error::<Test>::NotPayer
		);
		assert_ok!(Escrow::release_milestone(RuntimeOrigin::signed(PAYER), id, 0));
		assert_eq!((held(PAYER), free(PAYEE)), (0, ENDOWMENT + 1_000));
		assert!(status(id).is_closed());
	});
}

#[test]
fn what_is_left_after_a_milestone_follows_the_trade() {
	new_test_ext(|| {
		let mut a = agreement();
		a.milestones = BoundedVec::truncate_from(vec![300, 700]);
		let id = create_with(1_000, a);
		assert_ok!(Escrow::release_milestone(RuntimeOrigin::signed(PAYER), id, 0));
		run_to(11);
		// Not shipped in time: the rest goes back.
		assert_eq!(free(PAYER), ENDOWMENT - 300);
		let e = Escrows::<Test>::get(id).unwrap();
		assert_eq!((e.released, e.refunded, e.held), (300, 700, 0));
	});
}

// ----- Payment requests -----

#[test]
fn a_payment_request_is_funded_when_the_payer_accepts() {
	new_test_ext(|| {
		assert_ok!(Escrow::request_payment(RuntimeOrigin::signed(PAYEE), PAYER, 250, agreement()));
		let id = 0;
		assert_eq!(status(id), Status::Requested { expires: 11 });
		assert_eq!(held(PAYER), 0);
		assert_noop!(
			Escrow::accept_request(RuntimeOrigin::signed(PAYEE), id),
			Error::<Test>::NotPayer
		);
		run_to(4);
		assert_ok!(Escrow::accept_request(RuntimeOrigin::signed(PAYER), id));
		assert_eq!(held(PAYER), 250);
		assert_eq!(status(id), Status::Funded { ship_by: 14 });
		assert_noop!(
			Escrow::accept_request(RuntimeOrigin::signed(PAYER), id),
			Error::<Test>::WrongStatus
		);
		// The request's own lapse no longer applies.
		run_to(12);
		assert_eq!(held(PAYER), 250);
	});
}

#[test]
fn payment_requests_can_be_declined_or_lapse() {
	new_test_ext(|| {
		assert_ok!(Escrow::request_payment(RuntimeOrigin::signed(PAYEE), PAYER, 250, agreement()));
		assert_ok!(Escrow::request_payment(RuntimeOrigin::signed(PAYEE), PAYER, 260, agreement()));
		assert_noop!(
			Escrow::cancel_request(RuntimeOrigin::signed(STRANGER), 0),
			Error::<Test>::NotParty
		);
		assert_ok!(Escrow::cancel_request(RuntimeOrigin::signed(PAYER), 0));
		assert_eq!(status(0), Status::Closed { outcome: Outcome::RequestCancelled, at: 1 });
		System::set_block_number(11);
		assert_noop!(
			Escrow::accept_request(RuntimeOrigin::signed(PAYER), 1),
			Error::<Test>::RequestExpired
		);
		System::set_block_number(10);
		run_to(11);
		assert!(matches!(status(1), Status::Closed { outcome: Outcome::RequestCancelled, .. }));
		assert_noop!(
			Escrow::request_payment(RuntimeOrigin::signed(PAYEE), STRANGER, 1, agreement()),
			Error::<Test>::PayerNotActive
		);
	});
}

// ----- Timeouts and retention -----

#[test]
fn closed_escrows_stay_for_the_retention_period_then_go() {
	new_test_ext(|| {
		let id = create_with(100, with_oracles(1));
		assert_ok!(Escrow::release(RuntimeOrigin::signed(PAYER), id));
		assert_eq!(Escrow::next_step(id), Some(NextStep::Removal { removed_at: 21 }));
		run_to(20);
		assert!(Escrows::<Test>::contains_key(id));
		run_to(21);
		assert!(!Escrows::<Test>::contains_key(id));
		assert_eq!(AccountEscrows::<Test>::iter().count(), 0);
		System::assert_last_event(Event::EscrowRemoved { escrow_id: id }.into());
	});
}

#[test]
fn any_number_of_timeouts_share_a_block_and_run_as_the_weight_allows() {
	new_test_ext(|| {
		for _ in 0..5 {
			create(10);
		}
		assert_eq!(QueueLength::<Test>::get(11), 5);
		assert_eq!(TimeoutQueue::<Test>::iter_prefix(11).count(), 5);
		run_to(10);
		assert_eq!(held(PAYER), 50);
		System::set_block_number(11);
		let db = <Test as frame_system::Config>::DbWeight::get();
		// The head read, one block, and two entries.
		let budget = db.reads(1) + db.reads_writes(1, 1) + Escrow::timeout_weight() * 2;
		Escrow::on_idle(11, budget);
		assert_eq!(held(PAYER), 30);
		assert_eq!(QueueHead::<Test>::get(), Some((11, 2)));
		Escrow::on_idle(11, Weight::zero());
		assert_eq!(held(PAYER), 30, "no weight, no work");
		Escrow::on_idle(11, Weight::MAX);
		assert_eq!(held(PAYER), 0);
		assert_eq!(QueueHead::<Test>::get(), Some((12, 0)));
		assert!(!QueueLength::<Test>::contains_key(11));
	});
}

#[test]
fn the_idle_hook_catches_up_on_blocks_it_missed() {
	new_test_ext(|| {
		let a = create(10);
		let mut terms = agreement();
		terms.terms.ship_within = 20;
		let b = create_with(10, terms);
		System::set_block_number(40);
		Escrow::on_idle(40, Weight::MAX);
		assert!(status(a).is_closed() && status(b).is_closed());
		assert_eq!(QueueHead::<Test>::get(), Some((41, 0)));
	});
}

// ----- Queries -----

#[test]
fn escrows_of_filters_by_party_and_status_and_pages() {
	new_test_ext(|| {
		let a = create(10);
		let b = create(20);
		assert_ok!(Escrow::create_escrow(
			RuntimeOrigin::signed(OTHER_PAYER),
			PAYEE,
			30,
			agreement()
		));
		ship(b);
		let ids = |page: Page<EscrowOf<Test>>| {
			let mut ids: Vec<_> = page.items.into_iter().map(|(id, _)| id).collect();
			ids.sort();
			ids
		};
		assert_eq!(ids(Escrow::escrows_of(PAYER, None, None, None, 100)), vec![a, b]);
		assert_eq!(ids(Escrow::escrows_of(PAYEE, None, None, None, 100)), vec![0, 1, 2]);
		assert_eq!(
			ids(Escrow::escrows_of(
				PAYEE,
				Some(Party::Payee),
				Some(StatusKind::Shipped),
				None,
				100
			)),
			vec![b]
		);
		assert!(Escrow::escrows_of(PAYEE, Some(Party::Payer), None, None, 100).items.is_empty());
		assert_eq!(
			ids(Escrow::escrows_of(ARBITER, Some(Party::Arbiter), None, None, 100)).len(),
			3
		);
		// Two pages of two and one.
		let first = Escrow::escrows_of(PAYEE, None, None, None, 2);
		assert_eq!(first.items.len(), 2);
		let next = first.next.expect("a second page");
		let second = Escrow::escrows_of(PAYEE, None, None, Some(next), 2);
		assert_eq!(second.items.len(), 1);
		assert_eq!(second.next, None);
		let mut all = ids(first);
		all.extend(ids(second));
		all.sort();
		assert_eq!(all, vec![0, 1, 2]);
	});
}

#[test]
fn next_step_follows_the_lifecycle() {
	new_test_ext(|| {
		let id = create(10);
		assert_eq!(Escrow::next_step(id), Some(NextStep::PayeeToShip { refund_at: 11 }));
		ship(id);
		assert_eq!(Escrow::next_step(id), Some(NextStep::DeliveryToConfirm { confirmed_at: 11 }));
		assert_ok!(Escrow::confirm_delivery(RuntimeOrigin::signed(PAYER), id));
		assert_eq!(Escrow::next_step(id), Some(NextStep::ReleaseAfterWindow { release_at: 6 }));
		assert_ok!(Escrow::open_dispute(RuntimeOrigin::signed(PAYER), id, H256::zero()));
		assert_eq!(
			Escrow::next_step(id),
			Some(NextStep::RulingAwaited { level: Level::First, arbiter: Some(ARBITER) })
		);
		assert_ok!(Escrow::rule(
			RuntimeOrigin::signed(ARBITER),
			id,
			Percent::from_percent(50),
			Percent::from_percent(50)
		));
		assert_eq!(Escrow::next_step(id), Some(NextStep::RulingCarriedOut { execute_at: 6 }));
		assert_eq!(Escrow::next_step(99), None);
	});
}
