//! The compliance pallet's tests: every rule, every decision, the workbench, and bad input.
//! `run_test` checks the invariants (`do_try_state`) after each.

use crate::{engine, mock::*, Error, Event, *};
use codec::Encode;
use frame_support::weights::Weight;
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{InspectHold, Mutate},
	BoundedVec,
};
use paychain_primitives::{
	accounts::{KycTier, Obligations, ParticipantStatus, RegionCode, Role},
	compliance::{
		Action, AlertSink, ComplianceCheck, Decision, ExternalAlert, MovementKind, RuleFlags,
		RuleKind, Verdict, DAY_MS,
	},
};
use sp_core::H256;
use sp_runtime::{DispatchError, Percent, TokenError};

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn pay(from: u64, to: u64, amount: u64) -> sp_runtime::DispatchResult {
	Compliance::transfer(signed(from), to, amount).map(|_| ()).map_err(|e| e.error)
}

fn free(who: u64) -> u64 {
	Balances::free_balance(who)
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Compliance(HoldReason::Review), &who)
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Compliance(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn set_rule(id: RuleId, rule: RuleOf<Test>) {
	assert_ok!(Compliance::set_rule(RuntimeOrigin::root(), id, Some(rule), None));
	run_to(System::block_number() + 1);
}

fn alerts_on(who: u64) -> Vec<AlertOf<Test>> {
	Alerts::<Test>::iter().map(|(_, a)| a).filter(|a| a.account == who).collect()
}

fn reports_on(who: u64) -> Vec<ReportOf<Test>> {
	Reports::<Test>::iter().map(|(_, r)| r).filter(|r| r.account == who).collect()
}

fn basis() -> BoundedVec<u8, <Test as Config>::MaxBasisLen> {
	b"(2026) Yue 03 Zhi 1234".to_vec().try_into().unwrap()
}

// ----- Plain transfers -----

#[test]
fn a_clean_transfer_moves_the_money_and_counts_it() {
	run_test(|| {
		assert_ok!(pay(ALICE, BOB, 1_000));
		assert_eq!(free(ALICE), ENDOWMENT - 1_000);
		assert_eq!(free(BOB), ENDOWMENT + 1_000);
		let alice = Activities::<Test>::get(ALICE).unwrap();
		assert_eq!((alice.day_out, alice.outgoing.count, alice.outgoing.amount), (1_000, 1, 1_000));
		assert_eq!(Activities::<Test>::get(BOB).unwrap().day_in, 1_000);
		assert!(Alerts::<Test>::iter().next().is_none());
		assert!(Reports::<Test>::iter().next().is_none());
	});
}

/// A transfer is charged the worst case (every rule firing, the observer's dearest path) up
/// front; a quiet one, on which no rule fires, is refunded to what the quiet path costs (its
/// benchmark includes the observer's cheapest path) plus what the observer reported beyond that
/// path. One that reports or alerts is not.
#[test]
fn a_quiet_transfer_is_refunded_to_the_quiet_paths_weight() {
	use crate::weights::WeightInfo as _;
	run_test(|| {
		let quiet = <Test as Config>::WeightInfo::transfer_quiet()
			.saturating_add(Observer::REPORTED - Observer::LEAST);
		assert_eq!(
			Compliance::transfer(signed(ALICE), BOB, 1_000).unwrap().actual_weight,
			Some(quiet)
		);
		let keep_alive = Compliance::transfer_keep_alive(signed(ALICE), BOB, 1_000);
		assert_eq!(keep_alive.unwrap().actual_weight, Some(quiet));
		<Balances as Mutate<u64>>::set_balance(&CHARLIE, 5_000);
		let all = Compliance::transfer_all(signed(CHARLIE), BOB, true);
		assert_eq!(all.unwrap().actual_weight, Some(quiet));
		// A large value is reported: charged in full.
		let reported = Compliance::transfer(signed(ALICE), BOB, INDIVIDUAL_SINGLE).unwrap();
		assert_eq!(reported.actual_weight, None);
		assert_eq!(reports_on(ALICE).len(), 1);
	});
}

/// Funding an escrow passes the gates but is not counted: the trade is counted once, when the
/// escrow pays the payee.
#[test]
fn escrow_funding_passes_the_gates_and_is_counted_at_release() {
	run_test(|| {
		let fund = |to| Compliance::check(&ALICE, &to, INDIVIDUAL_SINGLE, MovementKind::EscrowFund);
		assert_eq!(fund(BOB), Ok(Verdict::Proceed));
		assert!(Activities::<Test>::get(ALICE).is_none(), "funding is not counted");
		assert!(Reports::<Test>::iter().next().is_none(), "nor reported");
		assert_ok!(Compliance::list_account(signed(NATIONAL_REGULATOR), BOB, H256::zero()));
		assert_noop!(fund(BOB), Error::<Test>::RecipientListed);
		assert_eq!(
			Compliance::check(&ALICE, &CHARLIE, INDIVIDUAL_SINGLE, MovementKind::EscrowRelease),
			Ok(Verdict::Proceed)
		);
		assert_eq!(Activities::<Test>::get(ALICE).unwrap().day_out, INDIVIDUAL_SINGLE);
		assert_eq!(reports_on(ALICE).len(), 1, "the release is the large-value movement");
	});
}

/// The observer (settlement's cycle totals) hears of each movement once, when the money
/// changes accounts: a transfer and an escrow's release at the check; a reviewed transfer when
/// the regulator releases it, not before; an escrow's funding and a mint never.
#[test]
fn the_observer_hears_of_each_movement_once_when_the_money_changes_accounts() {
	run_test(|| {
		assert_ok!(pay(ALICE, BOB, 10));
		assert_eq!(
			Compliance::check(&ALICE, &BOB, 5, MovementKind::EscrowFund),
			Ok(Verdict::Proceed)
		);
		assert_eq!(
			Compliance::check(&ALICE, &CHARLIE, 7, MovementKind::EscrowRelease),
			Ok(Verdict::Proceed)
		);
		assert_eq!(Compliance::check(&ALICE, &BOB, 3, MovementKind::Mint), Ok(Verdict::Proceed));
		// Charlie is Basic: over 100,000 in the window means review.
		assert_ok!(pay(CHARLIE, BOB, 150_000));
		assert_eq!(
			Observer::seen(),
			[
				(ALICE, BOB, 10, MovementKind::Transfer),
				(ALICE, CHARLIE, 7, MovementKind::EscrowRelease)
			]
		);
		assert_ok!(Compliance::release_review(signed(GUANGDONG_REGULATOR), 0));
		assert_eq!(Observer::seen().last(), Some(&(CHARLIE, BOB, 150_000, MovementKind::Transfer)));
		assert_eq!(Observer::seen().len(), 3);
	});
}

#[test]
fn transfer_keep_alive_and_transfer_all_respect_the_existential_deposit() {
	run_test(|| {
		assert_noop!(
			Compliance::transfer_keep_alive(signed(ALICE), BOB, ENDOWMENT),
			TokenError::NotExpendable
		);
		assert_ok!(Compliance::transfer_all(signed(ALICE), BOB, true));
		assert_eq!(free(ALICE), 1, "the existential deposit stays");
		assert_ok!(Compliance::transfer_all(signed(ALICE), BOB, false));
		assert_eq!(free(ALICE), 0);
		assert_eq!(free(BOB), 2 * ENDOWMENT);
	});
}

#[test]
fn nothing_zero_or_to_oneself_is_refused() {
	run_test(|| {
		assert_noop!(pay(ALICE, BOB, 0), Error::<Test>::ZeroAmount);
		assert_noop!(pay(ALICE, ALICE, 5), Error::<Test>::SelfTransfer);
	});
}

#[test]
fn only_active_participants_send_and_closed_or_suspended_ones_do_not_receive() {
	run_test(|| {
		assert_noop!(pay(STRANGER, BOB, 5), Error::<Test>::SenderNotParticipating);
		Registry::set_status(BOB, ParticipantStatus::Suspended);
		assert_noop!(pay(BOB, ALICE, 5), Error::<Test>::SenderNotParticipating);
		assert_noop!(pay(ALICE, BOB, 5), Error::<Test>::RecipientNotParticipating);
		Registry::set_status(BOB, ParticipantStatus::Closed);
		assert_noop!(pay(ALICE, BOB, 5), Error::<Test>::RecipientNotParticipating);
		// A stranger may be paid (it must register before it can spend).
		assert_ok!(pay(ALICE, STRANGER, 5));
	});
}

// ----- Large values and reports -----

#[test]
fn a_large_value_goes_through_with_a_report_due_in_five_working_days() {
	run_test(|| {
		assert_ok!(pay(ALICE, BOB, INDIVIDUAL_SINGLE));
		assert_eq!(free(BOB), ENDOWMENT + INDIVIDUAL_SINGLE);
		let reports = reports_on(ALICE);
		assert_eq!(reports.len(), 1);
		let report = &reports[0];
		assert_eq!(report.kind, ReportKind::LargeValue);
		assert_eq!((report.amount, report.counterparty), (INDIVIDUAL_SINGLE, Some(BOB)));
		// Made on a Monday: due at the end of the next Monday (UTC+8).
		let monday_start_utc8 = MONDAY_NOON - 12 * 3_600_000;
		assert_eq!(report.due_ms, monday_start_utc8 + 8 * DAY_MS);
		assert_eq!(Stats::<Test>::get(ALICE).pending_reports, 1);
		assert!(events().iter().any(|e| matches!(
			e,
			Event::ReportCreated { kind: ReportKind::LargeValue, account: ALICE, .. }
		)));
		// A large value alone is a report, not an alert.
		assert!(alerts_on(ALICE).is_empty());
		// An entity's threshold is higher.
		assert_ok!(pay(MERCHANT, BOB, INDIVIDUAL_SINGLE));
		assert!(reports_on(MERCHANT).is_empty());
	});
}

#[test]
fn the_same_day_total_is_reported_once_when_it_crosses_the_threshold() {
	run_test(|| {
		for _ in 0..2 {
			assert_ok!(pay(ALICE, BOB, 200_000));
		}
		assert!(reports_on(ALICE).is_empty());
		assert_ok!(pay(ALICE, BOB, 200_000));
		assert_eq!(reports_on(ALICE).len(), 1);
		assert_eq!(reports_on(ALICE)[0].amount, 600_000, "the day's total is reported");
		assert_ok!(pay(ALICE, BOB, 200_000));
		assert_eq!(reports_on(ALICE).len(), 1, "once a day");
		// The next day starts again from nothing.
		Clock::advance_days(1);
		for _ in 0..2 {
			assert_ok!(pay(ALICE, BOB, 200_000));
		}
		assert_eq!(reports_on(ALICE).len(), 1);
		assert_eq!(Compliance::risk_profile(&ALICE).day_out, 400_000);
	});
}

#[test]
fn reports_are_filed_by_a_regulator_in_scope_or_an_organisation_above_the_account() {
	run_test(|| {
		assert_ok!(pay(ALICE, BOB, INDIVIDUAL_SINGLE));
		assert_ok!(pay(BEIJING, BOB, INDIVIDUAL_SINGLE));
		let (alice_report, beijing_report) = (0, 1);
		assert_noop!(
			Compliance::file_report(signed(BOB), alice_report, H256::repeat_byte(1)),
			Error::<Test>::NotAuthorizedToFile
		);
		assert_noop!(
			Compliance::file_report(signed(GUANGDONG_REGULATOR), beijing_report, H256::zero()),
			Error::<Test>::NotAuthorizedToFile
		);
		assert_noop!(
			Compliance::file_report(signed(ALICE), 7, H256::zero()),
			Error::<Test>::UnknownReport
		);
		// Alice's payment institution files hers; the national regulator files Beijing's.
		assert_ok!(Compliance::file_report(
			signed(PAYMENT_INSTITUTION),
			alice_report,
			H256::repeat_byte(1)
		));
		assert_ok!(Compliance::file_report(
			signed(NATIONAL_REGULATOR),
			beijing_report,
			H256::repeat_byte(2)
		));
		let filed = Reports::<Test>::get(alice_report).unwrap();
		assert_eq!(filed.status, ReportStatus::Filed);
		assert_eq!(filed.filed.unwrap().document, H256::repeat_byte(1));
		assert_eq!(Stats::<Test>::get(ALICE).pending_reports, 0);
		assert_noop!(
			Compliance::file_report(signed(PAYMENT_INSTITUTION), alice_report, H256::zero()),
			Error::<Test>::AlreadyFiled
		);
	});
}

#[test]
fn overdue_reports_are_visible() {
	run_test(|| {
		assert_ok!(pay(ALICE, BOB, INDIVIDUAL_SINGLE));
		assert!(Compliance::overdue_reports().is_empty());
		let page = Compliance::reports_page(ReportStatus::Pending, 0);
		assert_eq!(page.len(), 1);
		assert!(!page[0].2, "not overdue yet");
		// Seven days later (the next Monday, 12:00): due at its end, so still not overdue.
		Clock::advance_days(7);
		assert!(Compliance::overdue_reports().is_empty());
		Clock::advance_days(1);
		assert_eq!(Compliance::overdue_reports().len(), 1);
		assert!(Compliance::reports_page(ReportStatus::Pending, 0)[0].2);
		assert!(Compliance::reports_page(ReportStatus::Pending, 1).is_empty());
	});
}

// ----- Rules as data -----

#[test]
fn the_most_specific_regional_threshold_applies() {
	run_test(|| {
		let shenzhen = RuleId::LargeValue(Role::Individual, Some(SHENZHEN));
		let rule = Rule::LargeValue(LargeValueRule { single: 100_000, daily: 100_000 });
		assert_ok!(Compliance::set_rule(signed(GUANGDONG_REGULATOR), shenzhen, Some(rule), None));
		// Not yet in force in this block.
		assert_ok!(pay(ALICE, BOB, 150_000));
		assert!(reports_on(ALICE).is_empty());
		run_to(2);
		// Alice is in Nanshan, inside Shenzhen: the city's rule applies.
		assert_ok!(pay(ALICE, BOB, 150_000));
		assert_eq!(reports_on(ALICE).len(), 1);
		// Beijing keeps the national threshold.
		assert_ok!(pay(BEIJING, BOB, 150_000));
		assert!(reports_on(BEIJING).is_empty());
	});
}

#[test]
fn rule_changes_are_versioned_and_take_effect_at_their_block() {
	run_test(|| {
		let id = RuleId::Velocity(KycTier::Standard);
		let strict = Rule::Velocity(VelocityRule {
			window: 100,
			max_count: 1,
			max_amount: 10,
			action: Action::Block,
		});
		let before = RuleVersion::<Test>::get();
		assert_ok!(Compliance::set_rule(signed(NATIONAL_REGULATOR), id, Some(strict), Some(10)));
		let version = before + 1;
		assert_eq!(RuleVersion::<Test>::get(), version);
		assert!(events().contains(&Event::RuleScheduled {
			id,
			version,
			rule: Some(strict),
			effective_at: 10,
			by: Some(NATIONAL_REGULATOR),
		}));
		run_to(9);
		assert_ok!(pay(ALICE, BOB, 100));
		assert_ne!(Compliance::rule(&id), Some(strict));
		run_to(10);
		assert_eq!(Compliance::rule(&id), Some(strict));
		assert_noop!(pay(ALICE, BOB, 100), Error::<Test>::VelocityLimitExceeded);
		let slot = Compliance::rules().into_iter().find(|(i, _)| *i == id).unwrap().1;
		assert_eq!((slot.version, slot.current, slot.next), (version, Some(strict), None));
		// Emptying the slot is a change too.
		assert_ok!(Compliance::set_rule(RuntimeOrigin::root(), id, None, None));
		run_to(11);
		assert_eq!(Compliance::rule(&id), None);
		assert_ok!(pay(ALICE, BOB, 100));
	});
}

#[test]
fn nonsensical_rules_are_refused() {
	run_test(|| {
		let root = || RuntimeOrigin::root();
		let lv = |single, daily| Rule::LargeValue(LargeValueRule { single, daily });
		let individual = RuleId::LargeValue(Role::Individual, None);
		let velocity = |window, max_count, max_amount| {
			Rule::Velocity(VelocityRule { window, max_count, max_amount, action: Action::Alert })
		};
		let structuring = |margin, min_count| {
			Rule::Structuring(StructuringRule {
				margin: Percent::from_percent(margin),
				window: 10,
				min_count,
				action: Action::Alert,
			})
		};
		let fan =
			|max_distinct| Rule::Fan(FanRule { window: 10, max_distinct, action: Action::Alert });
		let tier = RuleId::Velocity(KycTier::Basic);
		let cases: Vec<(RuleId, RuleOf<Test>, Error<Test>)> = vec![
			(individual, lv(0, 0), Error::InvalidThreshold),
			(individual, lv(10, 9), Error::InvalidThreshold),
			(
				RuleId::LargeValue(Role::Individual, Some(RegionCode(4_413_001))),
				lv(1, 1),
				Error::InvalidRegion,
			),
			(
				RuleId::LargeValue(Role::Individual, Some(RegionCode(40_001))),
				lv(1, 1),
				Error::InvalidRegion,
			),
			(tier, velocity(0, 1, 1), Error::ZeroWindow),
			(tier, velocity(10_001, 1, 1), Error::WindowTooLong),
			(tier, velocity(10, 0, 1), Error::InvalidThreshold),
			(tier, velocity(10, 1, 0), Error::InvalidThreshold),
			(RuleId::Structuring, structuring(0, 3), Error::MarginOutOfRange),
			(RuleId::Structuring, structuring(60, 3), Error::MarginOutOfRange),
			(RuleId::Structuring, structuring(10, 1), Error::CountTooLow),
			(RuleId::FanOut, fan(0), Error::FanLimitOutOfRange),
			(RuleId::FanIn, fan(8), Error::FanLimitOutOfRange),
			(
				RuleId::Dormancy,
				Rule::Dormancy(DormancyRule { after: 0, min_amount: 1, action: Action::Alert }),
				Error::ZeroWindow,
			),
			(
				RuleId::ReviewPolicy,
				Rule::ReviewPolicy(ReviewPolicy { timeout: 0, on_timeout: TimeoutAction::Return }),
				Error::ZeroWindow,
			),
			(RuleId::Structuring, fan(3), Error::RuleMismatch),
			(individual, velocity(10, 1, 1), Error::RuleMismatch),
		];
		for (id, rule, error) in cases {
			assert_noop!(Compliance::set_rule(root(), id, Some(rule), None), error);
		}
		let ok = lv(1, 1);
		assert_noop!(
			Compliance::set_rule(root(), individual, Some(ok), Some(1)),
			Error::<Test>::EffectiveInPast
		);
		assert_noop!(
			Compliance::set_rule(root(), individual, Some(ok), Some(1_002)),
			Error::<Test>::EffectiveTooFar
		);
		// Regulators act within their region; national rules need a national regulator.
		assert_noop!(
			Compliance::set_rule(
				signed(GUANGDONG_REGULATOR),
				RuleId::LargeValue(Role::Individual, Some(BEIJING_REGION)),
				Some(ok),
				None
			),
			Error::<Test>::OutsideJurisdiction
		);
		assert_noop!(
			Compliance::set_rule(signed(GUANGDONG_REGULATOR), individual, Some(ok), None),
			Error::<Test>::OutsideJurisdiction
		);
		assert_noop!(
			Compliance::set_rule(signed(ALICE), individual, Some(ok), None),
			DispatchError::BadOrigin
		);
	});
}

// ----- Bulk transfers -----

fn bulk(payments: &[(u64, u64)]) -> BoundedVec<BulkPaymentOf<Test>, MaxBulkOf> {
	let payments: Vec<_> =
		payments.iter().map(|&(dest, value)| BulkPayment { dest, value }).collect();
	payments.try_into().expect("within the bound")
}

type MaxBulkOf = <Test as Config>::MaxBulkPayments;

fn pay_bulk(from: u64, payments: &[(u64, u64)]) -> sp_runtime::DispatchResult {
	Compliance::transfer_bulk(signed(from), bulk(payments)).map(|_| ()).map_err(|e| e.error)
}

fn balance_transfers() -> Vec<(u64, u64, u64)> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Balances(pallet_balances::Event::Transfer { from, to, amount }) => {
				Some((from, to, amount))
			},
			_ => None,
		})
		.collect()
}

/// Each payment of a bulk moves its money, is counted by the rules as a single transfer would
/// be, and has its own transfer event; the bulk has one event of its own. A quiet bulk is
/// refunded to the quiet bulk's benchmark and what the observer reported beyond its cheapest
/// path, payment by payment.
#[test]
fn a_bulk_transfer_pays_each_recipient_each_payment_checked_and_counted() {
	use crate::weights::WeightInfo as _;
	run_test(|| {
		set_rule(
			RuleId::FanOut,
			Rule::Fan(FanRule { window: 100, max_distinct: 7, action: Action::Alert }),
		);
		let charged = Compliance::bulk_weight(3);
		let post = Compliance::transfer_bulk(
			signed(ALICE),
			bulk(&[(BOB, 100), (CHARLIE, 200), (DAVE, 300)]),
		)
		.unwrap();
		assert_eq!((free(ALICE), free(BOB)), (ENDOWMENT - 600, ENDOWMENT + 100));
		assert_eq!((free(CHARLIE), free(DAVE)), (ENDOWMENT + 200, ENDOWMENT + 300));
		let alice = Activities::<Test>::get(ALICE).unwrap();
		assert_eq!((alice.day_out, alice.outgoing.count, alice.outgoing.amount), (600, 3, 600));
		assert_eq!(alice.recipients.seen.len(), 3, "three distinct recipients noted");
		assert_eq!(Activities::<Test>::get(DAVE).unwrap().day_in, 300);
		assert_eq!(
			balance_transfers(),
			vec![(ALICE, BOB, 100), (ALICE, CHARLIE, 200), (ALICE, DAVE, 300)]
		);
		assert_eq!(
			events().last(),
			Some(&Event::BulkTransferred { from: ALICE, payments: 3, total: 600 })
		);
		let quiet = <Test as Config>::WeightInfo::transfer_bulk(3)
			.saturating_add((Observer::REPORTED - Observer::LEAST).saturating_mul(3));
		assert_eq!(post.actual_weight, Some(quiet));
		assert!(quiet.all_lte(charged) && quiet != charged, "refunded, never above the charge");
		// The same recipient twice is two payments.
		assert_ok!(pay_bulk(ALICE, &[(BOB, 1), (BOB, 2)]));
		assert_eq!(free(BOB), ENDOWMENT + 103);
		assert_eq!(Activities::<Test>::get(ALICE).unwrap().outgoing.count, 5);
	});
}

/// A bulk reads its sender's side once for all its payments; every rule must still see each
/// payment as it would have seen the same payments sent one by one in the same block: the
/// same counters, alerts, cases, reports and balances, whichever rules fire on the way.
#[test]
fn a_bulk_decides_each_payment_as_the_same_payments_sent_one_by_one() {
	// Fan-out (the 4th distinct recipient), a dormant recipient (Bob), a large value (600,000)
	// and, with a second payment to the same recipient, structuring (the 3rd payment just
	// below 500,000).
	let payments =
		[(60, 10), (61, 460_000), (BOB, 1_000), (62, 460_000), (64, 600_000), (60, 460_000)];
	let outcome = |as_bulk: bool| {
		let mut outcome = None;
		run_test(|| {
			set_rule(
				RuleId::FanOut,
				Rule::Fan(FanRule { window: 100, max_distinct: 3, action: Action::Alert }),
			);
			set_rule(
				RuleId::Dormancy,
				Rule::Dormancy(DormancyRule {
					after: 100,
					min_amount: 1_000,
					action: Action::Alert,
				}),
			);
			assert_ok!(pay(CHARLIE, BOB, 1_000));
			run_to(150);
			System::reset_events();
			if as_bulk {
				assert_ok!(pay_bulk(ALICE, &payments));
			} else {
				for (to, amount) in payments {
					assert_ok!(Compliance::transfer_keep_alive(signed(ALICE), to, amount));
				}
			}
			let mut events = events();
			if as_bulk {
				assert_eq!(
					events.pop(),
					Some(Event::BulkTransferred { from: ALICE, payments: 6, total: 1_981_010 })
				);
			}
			// Compared encoded: the counters' bound type has no `PartialEq`.
			let mut activities =
				Activities::<Test>::iter().map(|(who, a)| (who, a.encode())).collect::<Vec<_>>();
			activities.sort_by_key(|(who, _)| *who);
			let mut alerts = Alerts::<Test>::iter().collect::<Vec<_>>();
			alerts.sort_by_key(|(id, _)| *id);
			let mut reports = Reports::<Test>::iter().collect::<Vec<_>>();
			reports.sort_by_key(|(id, _)| *id);
			let balances = [ALICE, BOB, 60, 61, 62, 63, 64].map(|who| (free(who), held(who)));
			outcome = Some((events, activities, alerts, reports, balances, balance_transfers()));
		});
		outcome.unwrap()
	};
	let (singles, bulk) = (outcome(false), outcome(true));
	let fired = |alerts: &[(AlertId, AlertOf<Test>)], rule: RuleKind| {
		alerts.iter().any(|(_, a)| matches!(a.cause, AlertCause::Rules(f) if f.contains(rule)))
	};
	for rule in [RuleKind::FanOut, RuleKind::Structuring, RuleKind::Dormancy] {
		assert!(fired(&singles.2, rule), "{rule:?} fires on the way");
	}
	assert!(!singles.3.is_empty(), "the large value is reported");
	assert_eq!(bulk, singles);
}

/// All or nothing: the first payment the rules block (here the velocity limit, reached by the
/// bulk's own earlier payments, and a listed recipient), or one the sender cannot fund, fails
/// the bulk with that payment's error, and nothing moves or is counted.
#[test]
fn a_refused_payment_fails_the_whole_bulk_and_nothing_moves() {
	run_test(|| {
		assert_noop!(pay_bulk(ALICE, &[]), Error::<Test>::EmptyBulk);
		Registry::set_tier(DAVE, KycTier::Unverified);
		// Two transfers a window for an unverified account: the third payment is blocked.
		assert_noop!(
			pay_bulk(DAVE, &[(BOB, 10), (CHARLIE, 10), (ALICE, 10)]),
			Error::<Test>::VelocityLimitExceeded
		);
		assert_ok!(Compliance::list_account(RuntimeOrigin::root(), CHARLIE, H256::zero()));
		assert_noop!(pay_bulk(ALICE, &[(BOB, 10), (CHARLIE, 10)]), Error::<Test>::RecipientListed);
		assert_noop!(pay_bulk(ALICE, &[(BOB, 10), (BOB, 0)]), Error::<Test>::ZeroAmount);
		assert_noop!(pay_bulk(ALICE, &[(BOB, 10), (ALICE, 10)]), Error::<Test>::SelfTransfer);
		// The sender is kept alive: it cannot pay out everything it has.
		assert_noop!(
			pay_bulk(ALICE, &[(BOB, 10), (DAVE, ENDOWMENT - 10)]),
			TokenError::NotExpendable
		);
		assert_eq!((free(ALICE), free(BOB), free(DAVE)), (ENDOWMENT, ENDOWMENT, ENDOWMENT));
		assert!(Activities::<Test>::get(ALICE).is_none());
		assert!(balance_transfers().is_empty());
		// A bulk longer than the bound does not even decode.
		let payments: Vec<BulkPaymentOf<Test>> =
			(0..7).map(|_| BulkPayment { dest: BOB, value: 1 }).collect();
		let mut encoded =
			RuntimeCall::Compliance(Call::transfer_bulk { payments: bulk(&[(BOB, 1)]) }).encode();
		encoded.truncate(2);
		encoded.extend(payments.encode());
		assert!(<RuntimeCall as codec::Decode>::decode(&mut &encoded[..]).is_err());
		encoded.truncate(2);
		encoded.extend(payments[..6].to_vec().encode());
		assert!(<RuntimeCall as codec::Decode>::decode(&mut &encoded[..]).is_ok());
	});
}

/// A payment the rules send to review is held like a single one, and the bulk goes on; the
/// bulk is charged the worst case for it.
#[test]
fn a_payment_sent_to_review_is_held_and_the_bulk_goes_on() {
	run_test(|| {
		// Charlie is Basic: beyond 100,000 in the window means review.
		let post = Compliance::transfer_bulk(signed(CHARLIE), bulk(&[(BOB, 150_000), (ALICE, 10)]))
			.unwrap();
		assert_eq!(held(CHARLIE), 150_010, "both payments are over the window's value");
		assert_eq!((free(BOB), free(ALICE)), (ENDOWMENT, ENDOWMENT));
		assert_eq!(Reviews::<Test>::iter().count(), 2);
		assert_eq!(post.actual_weight, Some(Compliance::bulk_weight(2)));
		assert!(events().contains(&Event::BulkTransferred {
			from: CHARLIE,
			payments: 2,
			total: 150_010
		}));
	});
}

// ----- Velocity, review holds -----

#[test]
fn velocity_over_the_unverified_limit_is_blocked_and_nothing_moves() {
	run_test(|| {
		Registry::set_tier(ALICE, KycTier::Unverified);
		assert_ok!(pay(ALICE, BOB, 100));
		assert_ok!(pay(ALICE, BOB, 100));
		assert_noop!(pay(ALICE, BOB, 100), Error::<Test>::VelocityLimitExceeded);
		// By value too.
		Registry::set_tier(CHARLIE, KycTier::Unverified);
		assert_noop!(pay(CHARLIE, BOB, 1_001), Error::<Test>::VelocityLimitExceeded);
		// After two windows the counts are forgotten.
		run_to(201);
		assert_ok!(pay(ALICE, BOB, 100));
	});
}

#[test]
fn the_rolling_window_weighs_the_previous_window_by_its_overlap() {
	let mut w = Window::<u64, u64>::default();
	engine::roll_window(&mut w, 1_000, 100);
	assert_eq!((w.start, w.count), (1_000, 0));
	w.count = 10;
	w.amount = 1_000;
	// Still in the window.
	engine::roll_window(&mut w, 1_050, 100);
	assert_eq!(engine::estimate(&w, 1_050, 100), (10, 1_000));
	// A quarter into the next window: three quarters of the previous still count.
	engine::roll_window(&mut w, 1_125, 100);
	assert_eq!((w.start, w.count, w.prev_count), (1_100, 0, 10));
	assert_eq!(engine::estimate(&w, 1_125, 100), (7, 750));
	// Two windows later nothing remains.
	engine::roll_window(&mut w, 1_400, 100);
	assert_eq!(engine::estimate(&w, 1_400, 100), (0, 0));
}

#[test]
fn a_review_holds_the_funds_until_a_regulator_releases_them() {
	run_test(|| {
		// Charlie is Basic: over 100,000 in the window means review.
		assert_ok!(pay(CHARLIE, BOB, 150_000));
		assert_eq!(held(CHARLIE), 150_000);
		assert_eq!(free(CHARLIE), ENDOWMENT - 150_000);
		assert_eq!(free(BOB), ENDOWMENT, "nothing reached the recipient");
		let review = Reviews::<Test>::get(0).unwrap();
		assert_eq!(
			(review.from, review.to, review.amount, review.deadline),
			(CHARLIE, BOB, 150_000, 51)
		);
		let alert = &alerts_on(CHARLIE)[0];
		assert_eq!(alert.decision, Decision::Review);
		assert_eq!(alert.cause, AlertCause::Rules(RuleFlags(RuleKind::Velocity.bit())));
		assert_eq!(Compliance::risk_profile(&CHARLIE).stats.held, 150_000);
		assert!(Compliance::has_obligations(&CHARLIE), "funds in review keep the account open");

		assert_noop!(Compliance::release_review(signed(ALICE), 0), DispatchError::BadOrigin);
		assert_noop!(
			Compliance::release_review(signed(GUANGDONG_REGULATOR), 9),
			Error::<Test>::UnknownReview
		);
		assert_ok!(Compliance::release_review(signed(GUANGDONG_REGULATOR), 0));
		assert_eq!(held(CHARLIE), 0);
		assert_eq!(free(CHARLIE), ENDOWMENT - 150_000);
		assert_eq!(free(BOB), ENDOWMENT + 150_000);
		assert!(Reviews::<Test>::get(0).is_none());
		assert!(Deadlines::<Test>::get(51).is_empty(), "the timeout is unscheduled");
		assert!(
			events().contains(&Event::ReviewReleased { review: 0, by: Some(GUANGDONG_REGULATOR) })
		);
	});
}

#[test]
fn a_regulator_returns_held_funds_or_the_timeout_policy_decides() {
	run_test(|| {
		assert_ok!(pay(CHARLIE, BOB, 150_000));
		assert_ok!(Compliance::return_review(signed(NATIONAL_REGULATOR), 0));
		assert_eq!((free(CHARLIE), held(CHARLIE), free(BOB)), (ENDOWMENT, 0, ENDOWMENT));

		// Nobody decides: the policy (return) applies at the deadline.
		assert_ok!(pay(CHARLIE, BOB, 150_000));
		let deadline = Reviews::<Test>::get(1).unwrap().deadline;
		run_to(deadline - 1);
		assert_eq!(held(CHARLIE), 150_000);
		run_to(deadline);
		assert_eq!((free(CHARLIE), held(CHARLIE), free(BOB)), (ENDOWMENT, 0, ENDOWMENT));
		assert!(events().contains(&Event::ReviewReturned { review: 1, by: None }));

		// With a release policy the funds go through at the deadline...
		set_rule(
			RuleId::ReviewPolicy,
			Rule::ReviewPolicy(ReviewPolicy { timeout: 20, on_timeout: TimeoutAction::Release }),
		);
		run_to(200);
		assert_ok!(pay(CHARLIE, BOB, 150_000));
		run_to(220);
		assert_eq!((free(CHARLIE), free(BOB)), (ENDOWMENT - 150_000, ENDOWMENT + 150_000));
		assert!(events().contains(&Event::ReviewReleased { review: 2, by: None }));

		// ...unless the recipient can no longer receive: then they return.
		run_to(400);
		assert_ok!(pay(CHARLIE, DAVE, 150_000));
		assert_ok!(Compliance::freeze(
			RuntimeOrigin::root(),
			DAVE,
			FreezeScope::Account,
			basis(),
			None
		));
		assert_noop!(
			Compliance::release_review(RuntimeOrigin::root(), 3),
			Error::<Test>::RecipientUnavailable
		);
		run_to(420);
		assert_eq!(free(DAVE), ENDOWMENT);
		assert!(events().contains(&Event::ReviewReturned { review: 3, by: None }));
	});
}

#[test]
fn regulators_act_only_within_their_region() {
	run_test(|| {
		Registry::set_tier(BEIJING, KycTier::Basic);
		assert_ok!(pay(BEIJING, BOB, 150_000));
		assert_noop!(
			Compliance::release_review(signed(GUANGDONG_REGULATOR), 0),
			Error::<Test>::OutsideJurisdiction
		);
		assert_noop!(
			Compliance::list_account(signed(GUANGDONG_REGULATOR), BEIJING, H256::zero()),
			Error::<Test>::OutsideJurisdiction
		);
		assert_noop!(
			Compliance::freeze(
				signed(GUANGDONG_REGULATOR),
				BEIJING,
				FreezeScope::Account,
				basis(),
				None
			),
			Error::<Test>::OutsideJurisdiction
		);
		let case = OpenCase::<Test>::get(BEIJING).unwrap();
		assert_noop!(
			Compliance::take_case(signed(GUANGDONG_REGULATOR), case),
			Error::<Test>::OutsideJurisdiction
		);
		// Strangers are national business.
		assert_noop!(
			Compliance::list_account(signed(GUANGDONG_REGULATOR), STRANGER, H256::zero()),
			Error::<Test>::OutsideJurisdiction
		);
		assert_ok!(Compliance::list_account(signed(NATIONAL_REGULATOR), STRANGER, H256::zero()));
		assert_ok!(Compliance::release_review(signed(NATIONAL_REGULATOR), 0));
	});
}

#[test]
fn a_review_of_a_mint_becomes_an_alert() {
	run_test(|| {
		// Charlie (Basic) would be reviewed: a mint has nothing on the sender to hold.
		let verdict = Compliance::check(&CHARLIE, &BOB, 150_000, MovementKind::Mint).unwrap();
		assert_eq!(verdict, Verdict::Proceed);
		assert_eq!(held(CHARLIE), 0);
		assert_eq!(alerts_on(CHARLIE)[0].decision, Decision::AcceptWithAlert);
	});
}

#[test]
fn review_needs_spendable_funds_and_fails_whole() {
	run_test(|| {
		assert_ok!(Compliance::freeze(
			RuntimeOrigin::root(),
			CHARLIE,
			FreezeScope::Amount(ENDOWMENT - 100_000),
			basis(),
			None
		));
		// The review would hold 150,000 of which only 100,000 is usable: nothing happens.
		assert_noop!(pay(CHARLIE, BOB, 150_000), TokenError::FundsUnavailable);
	});
}

// ----- Structuring, dormancy, fan-out and fan-in -----

#[test]
fn repeated_transfers_just_below_the_threshold_raise_a_structuring_alert() {
	run_test(|| {
		// 460,000 is within 10% under 500,000.
		assert_ok!(pay(ALICE, BOB, 460_000));
		// Not near the threshold: not counted.
		assert_ok!(pay(ALICE, BOB, 100_000));
		assert_ok!(pay(ALICE, BOB, 460_000));
		assert!(alerts_on(ALICE).is_empty());
		assert_ok!(pay(ALICE, BOB, 460_000));
		let alerts = alerts_on(ALICE);
		assert_eq!(alerts.len(), 1);
		assert_eq!(alerts[0].cause, AlertCause::Rules(RuleFlags(RuleKind::Structuring.bit())));
		assert_eq!(alerts[0].decision, Decision::AcceptWithAlert);
		assert_eq!(free(BOB), ENDOWMENT + 3 * 460_000 + 100_000, "alerts do not stop payments");
		let case = OpenCase::<Test>::get(ALICE).unwrap();
		assert_eq!(Cases::<Test>::get(case).unwrap().status, CaseStatus::Open);
		assert!(events().iter().any(|e| matches!(e, Event::CaseOpened { account: ALICE, .. })));
	});
}

#[test]
fn a_dormant_account_suddenly_active_raises_an_alert_on_either_side() {
	run_test(|| {
		set_rule(
			RuleId::Dormancy,
			Rule::Dormancy(DormancyRule { after: 100, min_amount: 1_000, action: Action::Alert }),
		);
		assert_ok!(pay(ALICE, BOB, 1_000));
		run_to(150);
		// Below the amount that matters.
		assert_ok!(pay(ALICE, DAVE, 999));
		run_to(240);
		assert_ok!(pay(ALICE, BOB, 1_000));
		assert!(alerts_on(ALICE).is_empty(), "Alice moved money at 150");
		let bob = alerts_on(BOB);
		assert_eq!(bob.len(), 1);
		assert_eq!(bob[0].cause, AlertCause::Rules(RuleFlags(RuleKind::Dormancy.bit())));
		assert_eq!(bob[0].counterparty, Some(ALICE));
		// A first movement is not a dormant one.
		assert_ok!(pay(ALICE, 60, 1_000));
		assert!(alerts_on(60).is_empty());
	});
}

#[test]
fn fan_out_and_fan_in_count_distinct_counterparties() {
	run_test(|| {
		let fan = |action| Rule::Fan(FanRule { window: 100, max_distinct: 3, action });
		set_rule(RuleId::FanOut, fan(Action::Alert));
		set_rule(RuleId::FanIn, fan(Action::Block));
		for to in [60, 61, 62, 60, 61] {
			assert_ok!(pay(ALICE, to, 10));
		}
		assert!(alerts_on(ALICE).is_empty(), "three distinct recipients are allowed");
		assert_ok!(pay(ALICE, 63, 10));
		assert_eq!(alerts_on(ALICE)[0].cause, AlertCause::Rules(RuleFlags(RuleKind::FanOut.bit())));
		// Fan-in blocks the fourth distinct sender to Bob.
		for from in [64, 65, 66] {
			assert_ok!(pay(from, BOB, 10));
		}
		assert_noop!(pay(67, BOB, 10), Error::<Test>::FanInExceeded);
		// A new window starts afresh.
		run_to(110);
		assert_ok!(pay(67, BOB, 10));
	});
}

#[test]
fn counterparties_beyond_the_bound_are_counted_not_remembered() {
	let mut peers = Peers::<u64, frame_support::traits::ConstU32<2>>::default();
	assert_eq!(engine::note_peer(&mut peers, 1, 10, 7), 1);
	assert_eq!(engine::note_peer(&mut peers, 1, 10, 3), 2);
	assert_eq!(engine::note_peer(&mut peers, 1, 10, 7), 2);
	assert_eq!(peers.seen.to_vec(), vec![3, 7]);
	assert_eq!(engine::note_peer(&mut peers, 2, 10, 9), 3);
	assert_eq!(peers.overflow, 1);
	assert_eq!(engine::note_peer(&mut peers, 11, 10, 9), 1, "a new window");
}

// ----- Watch list and freezes -----

#[test]
fn a_listed_account_neither_sends_nor_receives() {
	run_test(|| {
		assert_ok!(Compliance::list_account(
			signed(GUANGDONG_REGULATOR),
			BOB,
			H256::repeat_byte(9)
		));
		assert_noop!(pay(ALICE, BOB, 10), Error::<Test>::RecipientListed);
		assert_noop!(pay(BOB, ALICE, 10), Error::<Test>::SenderListed);
		assert_noop!(
			Compliance::check(&MERCHANT, &BOB, 10, MovementKind::EscrowRelease),
			Error::<Test>::RecipientListed
		);
		assert_eq!((free(ALICE), free(BOB)), (ENDOWMENT, ENDOWMENT));
		assert!(Compliance::has_obligations(&BOB));
		assert_noop!(
			Compliance::list_account(RuntimeOrigin::root(), BOB, H256::zero()),
			Error::<Test>::AlreadyListed
		);
		assert_ok!(Compliance::unlist_account(signed(NATIONAL_REGULATOR), BOB));
		assert_noop!(
			Compliance::unlist_account(RuntimeOrigin::root(), BOB),
			Error::<Test>::NotListed
		);
		assert_ok!(pay(ALICE, BOB, 10));
		assert!(events().contains(&Event::Listed {
			who: BOB,
			basis: H256::repeat_byte(9),
			by: Some(GUANGDONG_REGULATOR)
		}));
		assert!(events().contains(&Event::Unlisted { who: BOB, by: Some(NATIONAL_REGULATOR) }));
	});
}

#[test]
fn an_account_freeze_stops_everything_in_and_out_until_it_lapses() {
	run_test(|| {
		assert_ok!(Compliance::freeze(
			signed(GUANGDONG_REGULATOR),
			BOB,
			FreezeScope::Account,
			basis(),
			Some(30)
		));
		assert_noop!(pay(BOB, ALICE, 10), Error::<Test>::SenderFrozen);
		assert_noop!(pay(ALICE, BOB, 10), Error::<Test>::RecipientFrozen);
		assert_noop!(
			Compliance::freeze(RuntimeOrigin::root(), BOB, FreezeScope::Account, basis(), None),
			Error::<Test>::AlreadyFrozen
		);
		assert_eq!(Compliance::risk_profile(&BOB).freeze, Some((FreezeScope::Account, Some(30))));
		run_to(30);
		assert!(Freezes::<Test>::get(BOB).is_none());
		assert!(events().contains(&Event::Unfrozen { who: BOB, by: None }));
		assert_ok!(pay(BOB, ALICE, 10));
	});
}

#[test]
fn an_amount_freeze_makes_part_of_the_balance_unusable() {
	run_test(|| {
		let frozen = ENDOWMENT - 1_000;
		assert_ok!(Compliance::freeze(
			RuntimeOrigin::root(),
			ALICE,
			FreezeScope::Amount(frozen),
			basis(),
			None
		));
		assert_noop!(pay(ALICE, BOB, 2_000), TokenError::Frozen);
		assert_ok!(pay(ALICE, BOB, 500));
		// Money still comes in.
		assert_ok!(pay(BOB, ALICE, 5_000));
		assert_ok!(Compliance::unfreeze(signed(NATIONAL_REGULATOR), ALICE));
		assert_ok!(pay(ALICE, BOB, 2_000));
		assert_noop!(Compliance::unfreeze(RuntimeOrigin::root(), ALICE), Error::<Test>::NotFrozen);
		assert_noop!(
			Compliance::freeze(RuntimeOrigin::root(), ALICE, FreezeScope::Amount(0), basis(), None),
			Error::<Test>::ZeroFreeze
		);
		assert_noop!(
			Compliance::freeze(
				RuntimeOrigin::root(),
				ALICE,
				FreezeScope::Account,
				basis(),
				Some(1)
			),
			Error::<Test>::InvalidExpiry
		);
	});
}

#[test]
fn deadlines_slip_to_the_next_block_with_room() {
	run_test(|| {
		for who in [60, 61, 62, 63] {
			assert_ok!(Compliance::freeze(
				RuntimeOrigin::root(),
				who,
				FreezeScope::Account,
				basis(),
				Some(10)
			));
		}
		assert_eq!(Deadlines::<Test>::get(10).len(), 3);
		assert_eq!(Freezes::<Test>::get(63).unwrap().expires_at, Some(11));
		run_to(10);
		assert!(Freezes::<Test>::get(62).is_none() && Freezes::<Test>::get(63).is_some());
		run_to(11);
		assert!(Freezes::<Test>::get(63).is_none());
		// An early unfreeze leaves nothing scheduled.
		assert_ok!(Compliance::freeze(
			RuntimeOrigin::root(),
			60,
			FreezeScope::Account,
			basis(),
			Some(50)
		));
		assert_ok!(Compliance::unfreeze(RuntimeOrigin::root(), 60));
		assert!(Deadlines::<Test>::get(50).is_empty());
	});
}

// ----- Alerts, cases and reports -----

#[test]
fn a_case_moves_from_open_to_under_review_to_reported_or_closed() {
	run_test(|| {
		<Compliance as AlertSink<u64>>::raise(
			&ALICE,
			ExternalAlert::LedgerTamper,
			H256::repeat_byte(1),
		);
		<Compliance as AlertSink<u64>>::raise(
			&ALICE,
			ExternalAlert::LedgerTamper,
			H256::repeat_byte(2),
		);
		let case = OpenCase::<Test>::get(ALICE).unwrap();
		assert_eq!(Cases::<Test>::get(case).unwrap().alerts, 2, "alerts join the open case");
		assert_eq!(Compliance::alerts_page(CaseStatus::Open, 0).len(), 2);
		assert!(Compliance::has_obligations(&ALICE));

		assert_noop!(
			Compliance::close_case(signed(NATIONAL_REGULATOR), case, H256::zero()),
			Error::<Test>::CaseNotUnderReview
		);
		assert_ok!(Compliance::take_case(signed(GUANGDONG_REGULATOR), case));
		assert_noop!(
			Compliance::take_case(signed(NATIONAL_REGULATOR), case),
			Error::<Test>::CaseNotOpen
		);
		assert_eq!(Cases::<Test>::get(case).unwrap().assignee, Some(GUANGDONG_REGULATOR));
		assert_eq!(Compliance::cases_page(CaseStatus::UnderReview, 0).len(), 1);
		assert_ok!(Compliance::add_evidence(
			signed(GUANGDONG_REGULATOR),
			case,
			H256::repeat_byte(3)
		));
		assert_ok!(Compliance::report_case(
			signed(GUANGDONG_REGULATOR),
			case,
			H256::repeat_byte(4)
		));
		let concluded = Cases::<Test>::get(case).unwrap();
		assert_eq!(concluded.status, CaseStatus::Reported);
		assert_eq!(concluded.evidence.len(), 2);
		let report = Reports::<Test>::get(concluded.report.unwrap()).unwrap();
		assert_eq!((report.kind, report.case), (ReportKind::Suspicious, Some(case)));
		assert!(!Compliance::has_obligations(&ALICE));
		assert_noop!(
			Compliance::add_evidence(signed(GUANGDONG_REGULATOR), case, H256::zero()),
			Error::<Test>::CaseNotActive
		);
		assert_noop!(
			Compliance::report_case(signed(GUANGDONG_REGULATOR), case, H256::zero()),
			Error::<Test>::CaseNotUnderReview
		);

		// The next alert opens a new case, which is closed without a report.
		<Compliance as AlertSink<u64>>::raise(
			&ALICE,
			ExternalAlert::ReconciliationMismatch,
			H256::zero(),
		);
		let second = OpenCase::<Test>::get(ALICE).unwrap();
		assert_ne!(second, case);
		assert_ok!(Compliance::take_case(RuntimeOrigin::root(), second));
		assert_ok!(Compliance::close_case(RuntimeOrigin::root(), second, H256::zero()));
		assert_eq!(Cases::<Test>::get(second).unwrap().status, CaseStatus::Closed);
		assert!(OpenCase::<Test>::get(ALICE).is_none());
		assert_noop!(Compliance::take_case(RuntimeOrigin::root(), 99), Error::<Test>::UnknownCase);
	});
}

#[test]
fn evidence_per_case_is_bounded() {
	run_test(|| {
		<Compliance as AlertSink<u64>>::raise(&ALICE, ExternalAlert::LedgerTamper, H256::zero());
		let case = OpenCase::<Test>::get(ALICE).unwrap();
		for i in 0..4 {
			assert_ok!(Compliance::add_evidence(RuntimeOrigin::root(), case, H256::repeat_byte(i)));
		}
		assert_noop!(
			Compliance::add_evidence(RuntimeOrigin::root(), case, H256::zero()),
			Error::<Test>::TooMuchEvidence
		);
	});
}

// ----- Pre-flight -----

#[test]
fn preflight_says_what_would_happen_and_changes_nothing() {
	run_test(|| {
		assert_ok!(Compliance::list_account(RuntimeOrigin::root(), DAVE, H256::zero()));
		let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
		let listed = Compliance::preview(&ALICE, &DAVE, 10, MovementKind::Transfer);
		assert_eq!(listed.decision, Decision::Block);
		assert_eq!(listed.blocked_by, Some(RuleKind::WatchList));
		let review = Compliance::preview(&CHARLIE, &BOB, 150_000, MovementKind::Transfer);
		assert_eq!(review.decision, Decision::Review);
		assert!(review.triggered.contains(RuleKind::Velocity));
		let large = Compliance::preview(&ALICE, &BOB, INDIVIDUAL_SINGLE, MovementKind::Transfer);
		assert_eq!(large.decision, Decision::Accept);
		assert!(large.large_value_report && large.triggered.contains(RuleKind::LargeValue));
		assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		// And the check then does what the preview said.
		assert_eq!(
			Compliance::check(&CHARLIE, &BOB, 150_000, MovementKind::Transfer),
			Ok(Verdict::HeldForReview(0))
		);
	});
}

#[test]
fn the_unit_implementation_accepts_everything() {
	assert_eq!(
		<() as ComplianceCheck<u64, u64>>::check(&1, &2, 3, MovementKind::Transfer),
		Ok(Verdict::Proceed)
	);
	assert_eq!(
		<() as ComplianceCheck<u64, u64>>::check_refundable(&1, &2, 3, MovementKind::Transfer),
		Ok((Verdict::Proceed, Weight::zero()))
	);
}

/// Another pallet's call adds the worst-case check to a benchmark that ran a quiet one: a quiet
/// check gives it all back but what the observer spent beyond its cheapest path; a check that
/// alerts, reports or holds gives nothing back; a refused one is an error, as `check`'s.
#[test]
fn a_quiet_check_lets_the_caller_refund_the_worst_case_it_added() {
	run_test(|| {
		let worst = <Compliance as ComplianceCheck<u64, u64>>::check_weight();
		let refundable = |from, to, amount, kind| {
			<Compliance as ComplianceCheck<u64, u64>>::check_refundable(&from, &to, amount, kind)
		};
		// A quiet transfer, observed at `REPORTED`.
		assert_eq!(
			refundable(ALICE, BOB, 1_000, MovementKind::Transfer),
			Ok((Verdict::Proceed, worst - (Observer::REPORTED - Observer::LEAST)))
		);
		// A mint moves no money between accounts: the observer is not called.
		assert_eq!(
			refundable(ALICE, BOB, 1_000, MovementKind::Mint),
			Ok((Verdict::Proceed, worst))
		);
		// A large value is reported: nothing back.
		assert_eq!(
			refundable(ALICE, BOB, INDIVIDUAL_SINGLE, MovementKind::Transfer),
			Ok((Verdict::Proceed, Weight::zero()))
		);
		// Held for review: nothing back.
		let (verdict, refund) = refundable(CHARLIE, BOB, 150_000, MovementKind::Transfer).unwrap();
		assert!(matches!(verdict, Verdict::HeldForReview(_)));
		assert_eq!(refund, Weight::zero());
		// Refused: the rule's error, as the check's.
		assert_ok!(Compliance::list_account(RuntimeOrigin::root(), BOB, H256::zero()));
		assert_eq!(
			refundable(ALICE, BOB, 1_000, MovementKind::Transfer),
			Err(Error::<Test>::RecipientListed.into())
		);
	});
}

// ----- Invariants -----

#[test]
fn try_state_catches_a_hold_without_its_review() {
	new_test_ext().execute_with(|| {
		assert_ok!(pay(CHARLIE, BOB, 150_000));
		Stats::<Test>::mutate(CHARLIE, |s| s.held -= 1);
		assert!(Compliance::do_try_state().is_err());
	});
}

#[test]
fn try_state_catches_a_case_index_out_of_step() {
	new_test_ext().execute_with(|| {
		<Compliance as AlertSink<u64>>::raise(&ALICE, ExternalAlert::LedgerTamper, H256::zero());
		assert_ok!(Compliance::do_try_state());
		OpenCase::<Test>::remove(ALICE);
		assert!(Compliance::do_try_state().is_err());
	});
}

// ----- The transaction extension -----

#[test]
fn the_extension_refuses_blocked_transfers_at_the_pool_and_lets_the_rest_through() {
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::{
		traits::{DispatchTransaction, TransactionExtension},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	};
	run_test(|| {
		let ext = CheckCompliance::<Test>::new();
		let validate = |who: u64, call: RuntimeCall| {
			let info = call.get_dispatch_info();
			ext.validate_only(signed(who), &call, &info, 0, TransactionSource::External, 0)
				.map(|_| ())
		};
		let transfer = |to: u64, value: u64| -> RuntimeCall {
			Call::<Test>::transfer { dest: to, value }.into()
		};
		let refused =
			|code| Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(code)));
		assert_ok!(validate(ALICE, transfer(BOB, 10)));
		assert_ok!(Compliance::list_account(RuntimeOrigin::root(), BOB, H256::zero()));
		assert_eq!(validate(ALICE, transfer(BOB, 10)), refused(31));
		assert_eq!(validate(BOB, transfer(ALICE, 10)), refused(30));
		assert_eq!(
			validate(ALICE, Call::<Test>::transfer_all { dest: BOB, keep_alive: true }.into()),
			refused(31)
		);
		assert_eq!(validate(ALICE, transfer(ALICE, 10)), refused(42));
		Registry::set_tier(DAVE, KycTier::Unverified);
		assert_ok!(validate(DAVE, transfer(ALICE, 1_000)));
		assert_eq!(validate(DAVE, transfer(ALICE, 1_001)), refused(36));
		// A review is not a block: it passes the pool and holds at dispatch.
		assert_ok!(validate(CHARLIE, transfer(ALICE, 150_000)));
		// Other calls pass untouched and cost the extension nothing.
		let other: RuntimeCall = Call::<Test>::unlist_account { who: BOB }.into();
		assert_ok!(validate(ALICE, other.clone()));
		assert_eq!(ext.weight(&other), Weight::zero());
		// Every blocking error has its own code.
		let codes: Vec<u8> = [
			Error::<Test>::SenderListed,
			Error::RecipientListed,
			Error::SenderFrozen,
			Error::RecipientFrozen,
			Error::SenderNotParticipating,
			Error::RecipientNotParticipating,
			Error::VelocityLimitExceeded,
			Error::StructuringSuspected,
			Error::DormantAccountActive,
			Error::FanOutExceeded,
			Error::FanInExceeded,
			Error::ZeroAmount,
			Error::SelfTransfer,
		]
		.iter()
		.map(blocked_code::<Test>)
		.collect();
		assert_eq!(codes, (30..=42).collect::<Vec<u8>>());
	});
}

/// At the pool, a bulk's payments are evaluated in order, each on the counters the ones before
/// it left, and the first blocked one refuses the bulk with its code; the evaluation writes
/// nothing.
#[test]
fn the_extension_refuses_a_bulk_the_rules_would_block_and_writes_nothing() {
	use crate::weights::WeightInfo as _;
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::{
		traits::{DispatchTransaction, TransactionExtension},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	};
	run_test(|| {
		let ext = CheckCompliance::<Test>::new();
		let validate = |who: u64, payments: &[(u64, u64)]| {
			let call: RuntimeCall = Call::<Test>::transfer_bulk { payments: bulk(payments) }.into();
			let info = call.get_dispatch_info();
			assert_eq!(ext.weight(&call), <Test as Config>::WeightInfo::check_compliance());
			ext.validate_only(signed(who), &call, &info, 0, TransactionSource::External, 0)
				.map(|_| ())
		};
		let refused =
			|code| Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(code)));
		Registry::set_tier(DAVE, KycTier::Unverified);
		assert_ok!(validate(DAVE, &[(BOB, 10), (CHARLIE, 10)]));
		assert_eq!(validate(DAVE, &[(BOB, 10), (CHARLIE, 10), (ALICE, 10)]), refused(36));
		assert_eq!(validate(ALICE, &[(BOB, 10), (ALICE, 10)]), refused(42));
		assert_ok!(Compliance::list_account(RuntimeOrigin::root(), CHARLIE, H256::zero()));
		assert_eq!(validate(ALICE, &[(BOB, 10), (CHARLIE, 10)]), refused(31));
		// A review is not a block: it passes the pool and holds at dispatch.
		assert_ok!(validate(BOB, &[(ALICE, 150_000)]));
		assert!(Activities::<Test>::get(DAVE).is_none(), "the pool's evaluation wrote nothing");
		assert!(Activities::<Test>::get(BOB).is_none());
	});
}

/// The pool refuses a bulk exactly when its block would, with the same rule's error — whether
/// it checks only the gates (no rule with counters can block the sender) or evaluates every
/// payment in full. Every bulk below is checked at the pool and then dispatched in a storage
/// layer that is thrown away, under the mock's rules and with each rule with counters made
/// blocking in turn.
#[test]
fn the_pool_refuses_a_bulk_exactly_when_its_block_would() {
	use frame_support::storage::with_transaction;
	use sp_runtime::TransactionOutcome;
	let blocking: Vec<Option<(RuleId, RuleOf<Test>)>> = vec![
		None,
		Some((
			RuleId::Velocity(KycTier::Standard),
			Rule::Velocity(VelocityRule {
				window: 100,
				max_count: 2,
				max_amount: 1_000_000,
				action: Action::Block,
			}),
		)),
		Some((
			RuleId::Structuring,
			Rule::Structuring(StructuringRule {
				margin: Percent::from_percent(10),
				window: 1_000,
				min_count: 2,
				action: Action::Block,
			}),
		)),
		Some((
			RuleId::Dormancy,
			Rule::Dormancy(DormancyRule { after: 1, min_amount: 1, action: Action::Block }),
		)),
		Some((
			RuleId::FanOut,
			Rule::Fan(FanRule { window: 100, max_distinct: 2, action: Action::Block }),
		)),
		Some((
			RuleId::FanIn,
			Rule::Fan(FanRule { window: 100, max_distinct: 1, action: Action::Block }),
		)),
	];
	// 60..=64 are ordinary; 62 and 63 were paid before; 65 is listed, 66 frozen, 67 suspended.
	let bulks: Vec<(u64, Vec<(u64, u64)>)> = vec![
		(ALICE, vec![(BOB, 10), (CHARLIE, 10), (DAVE, 10)]),
		(ALICE, vec![(BOB, 10), (BOB, 10), (BOB, 10)]),
		(ALICE, vec![(60, 460_000), (61, 470_000)]),
		(ALICE, vec![(62, 10)]),
		(BOB, vec![(64, 10), (63, 10)]),
		(ALICE, vec![(BOB, 10), (65, 10)]),
		(ALICE, vec![(BOB, 10), (66, 10)]),
		(ALICE, vec![(BOB, 10), (67, 10)]),
		(ALICE, vec![(BOB, 10), (CHARLIE, 0)]),
		(ALICE, vec![(BOB, 10), (ALICE, 10)]),
		(65, vec![(BOB, 10)]),
		(DAVE, vec![(BOB, 10), (CHARLIE, 10), (60, 10)]),
	];
	let mut outcomes: Vec<Vec<Option<DispatchError>>> =
		vec![vec![None; bulks.len()]; blocking.len()];
	for (v, rule) in blocking.iter().enumerate() {
		for (b, (from, payments)) in bulks.iter().enumerate() {
			new_test_ext().execute_with(|| {
				if let Some((id, rule)) = rule {
					set_rule(*id, *rule);
				}
				assert_ok!(pay(61, 62, 10));
				assert_ok!(pay(62, 63, 10));
				run_to(System::block_number() + 1);
				assert_ok!(Compliance::list_account(RuntimeOrigin::root(), 65, H256::zero()));
				assert_ok!(Compliance::freeze(
					RuntimeOrigin::root(),
					66,
					FreezeScope::Account,
					basis(),
					None
				));
				Registry::set_status(67, ParticipantStatus::Suspended);
				assert_eq!(
					engine::Sender::<Test>::read(&ALICE).counters_may_block(&ALICE),
					rule.is_some(),
					"rules {v}: whether the pool reads ALICE's counters"
				);

				let pool = Compliance::bulk_refusal(from, &bulk(payments));
				let block = with_transaction(|| {
					TransactionOutcome::Rollback(Ok::<_, DispatchError>(pay_bulk(*from, payments)))
				})
				.expect("one layer");
				let pool = pool.map(DispatchError::from);
				assert_eq!(pool, block.err(), "rules {v}, bulk {b}");
				outcomes[v][b] = pool;
				Compliance::do_try_state().expect("the invariants hold");
			});
		}
	}
	// Each blocking rule refuses, with its own error, a bulk the mock's rules let through.
	let errors = [
		Error::<Test>::VelocityLimitExceeded,
		Error::StructuringSuspected,
		Error::DormantAccountActive,
		Error::FanOutExceeded,
		Error::FanInExceeded,
	];
	for (v, error) in errors.into_iter().map(DispatchError::from).enumerate() {
		let v = v + 1;
		assert!(
			(0..bulks.len()).any(|b| outcomes[0][b].is_none() && outcomes[v][b] == Some(error)),
			"rules {v} refuse nothing new: {:?}",
			outcomes[v]
		);
	}
}

#[test]
fn inside_a_block_the_call_decides_and_the_extension_charges_what_it_costs_there() {
	use frame_support::{dispatch::GetDispatchInfo, weights::Weight};
	use sp_runtime::{
		traits::{DispatchTransaction, TransactionExtension},
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	};
	run_test(|| {
		let ext = CheckCompliance::<Test>::new();
		let transfer = |to: u64, value: u64| -> RuntimeCall {
			Call::<Test>::transfer { dest: to, value }.into()
		};
		let info_of = |call: &RuntimeCall| {
			let mut info = call.get_dispatch_info();
			info.extension_weight = ext.weight(call);
			info
		};
		let call = transfer(BOB, 10);
		let info = info_of(&call);
		assert!(info.extension_weight.any_gt(Weight::zero()));

		// A quiet transfer: the call is refunded down to the quiet path; the extension keeps its
		// in-block weight (its benchmark), which it spends there.
		let bob_before = free(BOB);
		let paid = ext
			.clone()
			.dispatch_transaction(signed(ALICE), call.clone(), &info, 0, 0)
			.expect("valid in a block");
		let post = paid.expect("the transfer went through");
		assert_eq!(
			post.actual_weight,
			Some(
				<Test as Config>::WeightInfo::transfer_quiet()
					.saturating_add(Observer::REPORTED - Observer::LEAST)
					.saturating_add(info.extension_weight)
			)
		);
		assert_eq!(free(BOB), bob_before + 10);

		// Listed after the pool admitted it: the pool now refuses it; a block lets the call
		// decide, which refuses it with the rule's error, moves nothing, and is charged the
		// call's weight and the extension's.
		assert_ok!(Compliance::list_account(RuntimeOrigin::root(), BOB, H256::zero()));
		assert_eq!(
			ext.validate_only(signed(ALICE), &call, &info, 0, TransactionSource::External, 0)
				.map(|_| ()),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(31)))
		);
		let (alice, bob) = (free(ALICE), free(BOB));
		let failed = ext
			.clone()
			.dispatch_transaction(signed(ALICE), call, &info, 0, 0)
			.expect("valid in a block")
			.expect_err("the call refuses it");
		assert_eq!(failed.error, Error::<Test>::RecipientListed.into());
		assert_eq!(
			failed.post_info.actual_weight,
			Some(info.call_weight.saturating_add(info.extension_weight))
		);
		assert_eq!((free(ALICE), free(BOB)), (alice, bob));
	});
}

// ----- Storage migration v0 -> v1 -----

mod migration_v1 {
	use super::*;
	use crate::migrations::v1::MigrateToV1;
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

	/// Puts the pallet's storage back as version 0 kept it: every slot in `Rules`.
	fn as_version_0(slots: &[(RuleId, VersionedOf<Test>)]) {
		NationalRules::<Test>::kill();
		let _ = Rules::<Test>::clear(u32::MAX, None);
		for (id, slot) in slots {
			Rules::<Test>::insert(id, slot);
		}
		StorageVersion::new(0).put::<Compliance>();
	}

	fn slot(version: u32, rule: RuleOf<Test>) -> VersionedOf<Test> {
		Versioned { version, current: Some(rule), next: None }
	}

	#[test]
	fn every_national_slot_has_its_own_place() {
		let all = RuleId::all_national();
		for (i, id) in all.iter().enumerate() {
			assert_eq!(id.national_index(), Some(i as u8), "{id:?}");
			assert!(!id.is_regional());
		}
		assert_eq!(all.len() as u32, NATIONAL_SLOTS);
		assert_eq!(RuleId::LargeValue(Role::Individual, Some(NANSHAN)).national_index(), None);
	}

	#[test]
	fn on_an_empty_rule_map_it_only_sets_the_version() {
		run_test(|| {
			as_version_0(&[]);
			MigrateToV1::<Test>::on_runtime_upgrade();
			assert_eq!(Compliance::on_chain_storage_version(), 1);
			assert!(NationalRules::<Test>::get().is_empty());
			assert_eq!(Rules::<Test>::iter().count(), 0);
			assert!(Compliance::rules().is_empty());
			// With no rule, a payment goes through unchecked by any rule.
			assert_ok!(pay(ALICE, BOB, 100));
		});
	}

	#[test]
	fn populated_slots_move_intact_and_keep_working() {
		run_test(|| {
			let strict = Rule::Velocity(VelocityRule {
				window: 100,
				max_count: 1,
				max_amount: 1_000_000,
				action: Action::Block,
			});
			let regional = Rule::LargeValue(LargeValueRule { single: 1_000, daily: 1_000 });
			let fan = Rule::Fan(FanRule { window: 10, max_distinct: 5, action: Action::Alert });
			// National slots in no particular order, one with a change still waiting, and
			// regional slots that must stay where they are.
			let waiting = Versioned {
				version: 7,
				current: None,
				next: Some(ScheduledRule { version: 8, effective_at: 50, rule: Some(fan) }),
			};
			let mut slots: Vec<(RuleId, VersionedOf<Test>)> = default_rules()
				.into_iter()
				.enumerate()
				.map(|(i, (id, rule))| (id, slot(i as u32 + 1, rule)))
				.rev()
				.collect();
			slots.retain(|(id, _)| *id != RuleId::Velocity(KycTier::Standard));
			slots.push((RuleId::Velocity(KycTier::Standard), slot(20, strict)));
			slots.push((RuleId::FanIn, waiting.clone()));
			slots.push((RuleId::LargeValue(Role::Individual, Some(NANSHAN)), slot(21, regional)));
			slots.push((RuleId::LargeValue(Role::Merchant, Some(GUANGDONG)), slot(22, regional)));
			RuleVersion::<Test>::put(22);
			as_version_0(&slots);
			let before: Vec<_> = {
				let mut v = slots.clone();
				v.sort_by_key(|(id, _)| id.encode());
				v
			};

			MigrateToV1::<Test>::on_runtime_upgrade();

			assert_eq!(Compliance::on_chain_storage_version(), 1);
			let national = NationalRules::<Test>::get();
			assert_eq!(national.len(), slots.len() - 2);
			assert!(national.windows(2).all(|w| w[0].0.national_index() < w[1].0.national_index()));
			assert_eq!(national_slot(&national, &RuleId::FanIn), Some(&waiting));
			let regional_left: Vec<_> = Rules::<Test>::iter_keys().collect();
			assert_eq!(regional_left.len(), 2);
			assert!(regional_left.iter().all(RuleId::is_regional));
			// Every slot reads back the same, through the runtime API's listing.
			let mut after: Vec<_> = Compliance::rules();
			after.sort_by_key(|(id, _)| id.encode());
			assert_eq!(after, before);
			Compliance::do_try_state().expect("the invariants hold after the migration");

			// The moved rules still decide: the strict velocity rule blocks a second payment,
			// the regional large-value rule (Nanshan, 1,000) reports a payment of 1,000.
			assert_ok!(pay(ALICE, BOB, 1_000));
			assert!(Reports::<Test>::iter().count() > 0);
			assert_noop!(pay(ALICE, BOB, 10), Error::<Test>::VelocityLimitExceeded);

			// Run again, it does nothing: the version is 1.
			let national_before = NationalRules::<Test>::get();
			MigrateToV1::<Test>::on_runtime_upgrade();
			assert_eq!(NationalRules::<Test>::get(), national_before);
			assert_eq!(Rules::<Test>::iter().count(), 2);
		});
	}
}
