//! Settlement's stories: reserves bounding issuance, mints and redemptions, payments counted
//! between institutions, a cycle closed with its net positions, statements reconciled, and an
//! institution flagged overdue.

use crate::{
	mock::*, Closed, Customers, CycleTotals, Differences, Error, Event, NetPositions, Outstanding,
	Reconciliation, Reserves, StatementFilter, Statements, Totals,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Mutate, tokens::Preservation},
	weights::Weight,
};
use paychain_primitives::{
	accounts::ParticipantStatus,
	compliance::{ExternalAlert, MovementKind, MovementObserver},
};
use sp_core::H256;
use sp_runtime::DispatchError;

fn r(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// Both banks attest 10,000 of reserves; A mints 500 to A1 and 300 to A2, B 400 to B1.
fn banks() {
	for bank in [BANK_A, BANK_B] {
		assert_ok!(Settlement::attest_reserve(
			signed(bank),
			10_000,
			1_780_000_000_000,
			r(bank as u8)
		));
	}
	assert_ok!(Settlement::mint(signed(BANK_A), A1, 500, r(1)));
	assert_ok!(Settlement::mint(signed(BANK_A), A2, 300, r(2)));
	assert_ok!(Settlement::mint(signed(BANK_B), B1, 400, r(1)));
}

/// A payment as the compliance pallet lets it through: moved, and the observer told. Returns
/// what the observer said it cost.
fn pay(from: u64, to: u64, amount: u64) -> Weight {
	assert_ok!(Balances::transfer(&from, &to, amount, Preservation::Expendable));
	<Settlement as MovementObserver<u64, u64>>::observe(&from, &to, amount, MovementKind::Transfer)
}

fn totals(cycle: u32, who: u64) -> CycleTotals<u64> {
	Totals::<Test>::get(cycle, who)
}

fn t(minted: u64, burned: u64, paid_in: u64, paid_out: u64) -> CycleTotals<u64> {
	CycleTotals { minted, burned, paid_in, paid_out }
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Settlement(e) = r.event { Some(e) } else { None })
		.collect()
}

#[test]
fn attested_reserves_bound_what_an_institution_may_issue() {
	new_test_ext(|| {
		assert_noop!(Settlement::mint(signed(BANK_A), A1, 1, r(1)), Error::<Test>::NoReserve);
		assert_noop!(
			Settlement::attest_reserve(signed(PAYMENT_INSTITUTION), 10, 0, r(1)),
			Error::<Test>::NotClearingInstitution
		);
		assert_ok!(Settlement::attest_reserve(signed(BANK_A), 1_000, 1_780_000_000_000, r(7)));
		assert_eq!(
			events().last(),
			Some(&Event::ReserveAttested { institution: BANK_A, amount: 1_000, evidence: r(7) })
		);
		assert_ok!(Settlement::mint(signed(BANK_A), A1, 600, r(1)));
		assert_noop!(Settlement::mint(signed(BANK_A), A2, 401, r(2)), Error::<Test>::OverReserve);
		assert_ok!(Settlement::mint(signed(BANK_A), A2, 400, r(2)));
		assert_eq!(Outstanding::<Test>::get(BANK_A), 1_000);
		// A reserve below what is outstanding cannot be attested.
		assert_noop!(
			Settlement::attest_reserve(signed(BANK_A), 999, 1_780_000_000_000, r(8)),
			Error::<Test>::ReserveBelowOutstanding
		);
		// A regulator countersigns; nobody else may.
		assert_noop!(
			Settlement::countersign_reserve(signed(BANK_B), BANK_A),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Settlement::countersign_reserve(signed(REGULATOR), BANK_B),
			Error::<Test>::NoReserve
		);
		assert_ok!(Settlement::countersign_reserve(signed(REGULATOR), BANK_A));
		assert_eq!(Reserves::<Test>::get(BANK_A).unwrap().countersigned_by, Some(REGULATOR));
	});
}

#[test]
fn minting_refuses_bad_input() {
	new_test_ext(|| {
		banks();
		let mint =
			|bank, who, amount, reference| Settlement::mint(signed(bank), who, amount, reference);
		assert_noop!(mint(PAYMENT_INSTITUTION, A1, 1, r(9)), Error::<Test>::NotClearingInstitution);
		assert_noop!(mint(BANK_A, A1, 0, r(9)), Error::<Test>::ZeroAmount);
		assert_noop!(mint(BANK_A, STRANGER, 1, r(9)), Error::<Test>::CustomerNotActive);
		Registry::set_status(A2, ParticipantStatus::Suspended);
		assert_noop!(mint(BANK_A, A2, 1, r(9)), Error::<Test>::CustomerNotActive);
		assert_noop!(mint(BANK_A, A1, 1, r(1)), Error::<Test>::ReferenceReused);
		assert_noop!(mint(BANK_A, B1, 1, r(9)), Error::<Test>::CustomerOfAnotherInstitution);
		assert_noop!(mint(BANK_A, BANK_B, 1, r(9)), Error::<Test>::CustomerOfAnotherInstitution);
		assert_noop!(mint(BANK_A, BANK_A, 1, r(9)), Error::<Test>::CustomerOfAnotherInstitution);
		Compliance::block(A1);
		assert_noop!(mint(BANK_A, A1, 1, r(9)), COMPLIANCE_BLOCK);
		// Each bank's references are its own: B may use A's.
		assert_ok!(mint(BANK_B, B1, 1, r(2)));
		assert_eq!(Customers::<Test>::get(B1), Some(BANK_B));
		assert_eq!(Balances::free_balance(A1), 500);
		assert_eq!(Compliance::checks()[0], (BANK_A, A1, 500, MovementKind::Mint));
	});
}

#[test]
fn customers_redeem_through_their_institution() {
	new_test_ext(|| {
		banks();
		assert_ok!(Settlement::redeem(signed(A1), BANK_A, 200, r(20)));
		assert_eq!(Balances::free_balance(A1), 300);
		assert_eq!(Outstanding::<Test>::get(BANK_A), 600);
		assert_eq!(totals(0, BANK_A), t(800, 200, 0, 0));
		assert!(events().contains(&Event::Redeemed {
			institution: BANK_A,
			customer: A1,
			amount: 200,
			reference: r(20),
			cycle: 0
		}));
		let redeem =
			|who, bank, amount, reference| Settlement::redeem(signed(who), bank, amount, reference);
		assert_noop!(redeem(A1, BANK_B, 10, r(21)), Error::<Test>::NotYourInstitution);
		assert_noop!(redeem(STRANGER, BANK_A, 10, r(21)), Error::<Test>::NotYourInstitution);
		// More than the account holds (it keeps the existential deposit).
		assert_noop!(redeem(A1, BANK_A, 300, r(21)), Error::<Test>::InsufficientBalance);
		assert_noop!(redeem(A1, BANK_A, 0, r(21)), Error::<Test>::ZeroAmount);
		assert_noop!(redeem(A1, BANK_A, 10, r(20)), Error::<Test>::ReferenceReused);
		Compliance::review(true);
		assert_noop!(redeem(A1, BANK_A, 10, r(21)), Error::<Test>::RedemptionUnderReview);
	});
}

/// A mint and a redemption are charged their benchmark and the check's worst case; a check that
/// lets them through gives back what it may.
#[test]
fn a_quiet_check_is_refunded() {
	use crate::WeightInfo as _;
	type W = ();
	let quiet = |benchmarked: Weight| benchmarked + Compliance::WORST - Compliance::QUIET_REFUND;
	new_test_ext(|| {
		assert_ok!(Settlement::attest_reserve(signed(BANK_A), 10_000, 1_780_000_000_000, r(1)));
		let minted = Settlement::mint(signed(BANK_A), A1, 500, r(1)).unwrap();
		assert_eq!(minted.actual_weight, Some(quiet(W::mint())));
		let redeemed = Settlement::redeem(signed(A1), BANK_A, 200, r(2)).unwrap();
		assert_eq!(redeemed.actual_weight, Some(quiet(W::redeem())));
	});
}

#[test]
fn a_cycle_closes_with_the_net_positions_of_what_customers_paid_each_other() {
	new_test_ext(|| {
		banks();
		use crate::weights::WeightInfo;
		let (counted, local) = (
			<<Test as crate::Config>::WeightInfo as WeightInfo>::observe(),
			<<Test as crate::Config>::WeightInfo as WeightInfo>::observe_local(),
		);
		assert_eq!(pay(A1, B1, 100), counted);
		assert_eq!(pay(B1, A2, 30), counted);
		// Inside bank A: no interbank flow, and only the lookups' cost reported.
		assert_eq!(pay(A1, A2, 50), local);
		// A stranger banks nowhere: not counted either.
		assert_eq!(pay(A1, STRANGER, 5), local);
		assert_eq!(<Settlement as MovementObserver<u64, u64>>::observe_weight(), counted);
		assert_eq!(totals(0, BANK_A), t(800, 0, 30, 100));
		assert_eq!(totals(0, BANK_B), t(400, 0, 100, 30));

		assert_noop!(Settlement::close_cycle(signed(STRANGER), 0), Error::<Test>::CycleNotOver);
		run_to(10);
		// Payments now count in cycle 1.
		pay(B1, A1, 7);
		assert_eq!(totals(1, BANK_B).paid_out, 7);
		assert_ok!(Settlement::close_cycle(signed(STRANGER), 0));
		assert_eq!(NetPositions::<Test>::get(0, (BANK_A, BANK_B)).unwrap().amount, 70);
		assert!(NetPositions::<Test>::get(0, (BANK_B, BANK_A)).is_none());
		assert!(events().contains(&Event::NetPositionPublished {
			cycle: 0,
			debtor: BANK_A,
			creditor: BANK_B,
			amount: 70
		}));
		assert_eq!(events().last(), Some(&Event::CycleClosed { cycle: 0, positions: 1 }));
		assert_eq!(Closed::<Test>::get(0), Some(10));
		assert_noop!(
			Settlement::close_cycle(signed(STRANGER), 0),
			Error::<Test>::CycleAlreadyClosed
		);
		assert_noop!(Settlement::close_cycle(signed(STRANGER), 1), Error::<Test>::CycleNotOver);

		// Either bank records the interbank transfer, once.
		let settle =
			|who, transfer| Settlement::mark_settled(signed(who), 0, BANK_A, BANK_B, transfer);
		assert_noop!(settle(PAYMENT_INSTITUTION, r(5)), Error::<Test>::NotParty);
		assert_noop!(
			Settlement::mark_settled(signed(BANK_B), 0, BANK_B, BANK_A, r(5)),
			Error::<Test>::UnknownPosition
		);
		assert_ok!(settle(BANK_A, r(5)));
		assert_eq!(
			NetPositions::<Test>::get(0, (BANK_A, BANK_B)).unwrap().settled,
			Some((r(5), 10))
		);
		assert_noop!(settle(BANK_B, r(6)), Error::<Test>::AlreadySettled);
		assert_eq!(Settlement::net_positions(0).len(), 1);
	});
}

#[test]
fn statements_are_reconciled_against_the_chain() {
	new_test_ext(|| {
		banks();
		pay(A1, B1, 100);
		pay(B1, A2, 30);
		assert_noop!(
			Settlement::submit_statement(signed(BANK_A), 0, t(800, 0, 30, 100), r(40)),
			Error::<Test>::CycleNotClosed
		);
		run_to(10);
		assert_ok!(Settlement::close_cycle(signed(STRANGER), 0));
		// Bank A's books agree.
		assert_ok!(Settlement::submit_statement(signed(BANK_A), 0, t(800, 0, 30, 100), r(40)));
		assert_eq!(Statements::<Test>::get(0, BANK_A).unwrap().result, Reconciliation::Matched);
		assert!(events().contains(&Event::StatementMatched { cycle: 0, institution: BANK_A }));
		// Bank B's books miss the 30 its customer paid out.
		assert_ok!(Settlement::submit_statement(signed(BANK_B), 0, t(400, 0, 100, 0), r(41)));
		let differences = Differences { paid_out: true, ..Default::default() };
		assert_eq!(
			Statements::<Test>::get(0, BANK_B).unwrap().result,
			Reconciliation::Mismatch { chain: t(400, 0, 100, 30), differences }
		);
		assert_eq!(Alerts::raised(), [(BANK_B, ExternalAlert::ReconciliationMismatch, r(41))]);
		assert_noop!(
			Settlement::submit_statement(signed(BANK_B), 0, t(400, 0, 100, 30), r(42)),
			Error::<Test>::StatementExists
		);
		assert_noop!(
			Settlement::submit_statement(signed(PAYMENT_INSTITUTION), 0, t(0, 0, 0, 0), r(42)),
			Error::<Test>::NotClearingInstitution
		);
		assert_eq!(Settlement::statements(0, Some(StatementFilter::Mismatched)).len(), 1);
		assert_eq!(Settlement::statements(0, Some(StatementFilter::Matched))[0].0, BANK_A);
		assert_eq!(Settlement::statements(0, None).len(), 2);
	});
}

#[test]
fn an_institution_that_does_not_reconcile_in_time_is_flagged() {
	new_test_ext(|| {
		banks();
		pay(A1, B1, 100);
		let flag = |who| Settlement::flag_overdue(signed(STRANGER), 0, who);
		assert_noop!(flag(BANK_B), Error::<Test>::CycleNotClosed);
		run_to(10);
		assert_ok!(Settlement::close_cycle(signed(STRANGER), 0));
		assert_ok!(Settlement::submit_statement(signed(BANK_A), 0, t(800, 0, 0, 100), r(40)));
		run_to(14);
		assert_noop!(flag(BANK_B), Error::<Test>::NotOverdueYet);
		run_to(15);
		assert_noop!(flag(BANK_A), Error::<Test>::StatementExists);
		assert_noop!(flag(PAYMENT_INSTITUTION), Error::<Test>::NothingToReconcile);
		assert_ok!(flag(BANK_B));
		assert_eq!(
			Alerts::raised().last().map(|a| (a.0, a.1)),
			Some((BANK_B, ExternalAlert::ReconciliationOverdue))
		);
		assert!(events().contains(&Event::ReconciliationOverdue { cycle: 0, institution: BANK_B }));
		assert_noop!(flag(BANK_B), Error::<Test>::AlreadyFlagged);
		// A late statement is still taken.
		assert_ok!(Settlement::submit_statement(signed(BANK_B), 0, t(400, 0, 100, 0), r(41)));
	});
}

#[test]
fn total_issuance_moves_only_with_mints_and_redemptions() {
	new_test_ext(|| {
		let genesis = Balances::total_issuance();
		banks();
		assert_eq!(Balances::total_issuance(), genesis + 1_200);
		assert_ok!(Settlement::redeem(signed(B1), BANK_B, 100, r(30)));
		assert_eq!(Balances::total_issuance(), genesis + 1_100);
		// Money made outside settlement breaks the invariant.
		assert_ok!(Balances::mint_into(&STRANGER, 1));
		assert!(Settlement::do_try_state().is_err());
		assert_ok!(Balances::burn_from(
			&STRANGER,
			1,
			Preservation::Expendable,
			frame_support::traits::tokens::Precision::Exact,
			frame_support::traits::tokens::Fortitude::Polite
		));
	});
}
