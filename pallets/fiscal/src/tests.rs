//! The fiscal stories: a program allocated from the ministry down to the counties, disbursed to
//! schools, supervised, recalled, swept at year end, traced and counted.

use crate::{
	mock::*, Allocations, ClosedYears, DepartmentAllocations, Disbursement, Error, Event,
	HoldReason, LevelTotals, NodeIndex, Page, ProgramId, ProgramKind, ProgramStatus, Programs,
	PurposeCode, RegionTotals, Totals,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use paychain_primitives::{
	accounts::{FinanceLevel, Obligations, ParticipantStatus, RegionCode},
	compliance::{ExternalAlert, MovementKind},
};
use sp_core::H256;
use sp_runtime::{DispatchError, Perbill};

const EDUCATION: PurposeCode = PurposeCode(205);
const PRIMARY_SCHOOLS: PurposeCode = PurposeCode(2050202);
const HEALTH: PurposeCode = PurposeCode(210);
const INVOICE: H256 = H256::repeat_byte(0x1A);
const NOTICE: H256 = H256::repeat_byte(0x5E);

/// The tree's allocations, as `tree()` creates them.
const ROOT: NodeIndex = 0;
const GD: NodeIndex = 1;
const SZ: NodeIndex = 2;
const NS: NodeIndex = 3;
const FT: NodeIndex = 4;
const GZ: NodeIndex = 5;

fn code(s: &str) -> BoundedVec<u8, frame_support::traits::ConstU32<16>> {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn create_as(creator: u64, code_str: &str, kind: ProgramKind, total: u64) -> ProgramId {
	let id = crate::NextProgramId::<Test>::get();
	assert_ok!(Fiscal::create_program(
		signed(creator),
		code(code_str),
		kind,
		2026,
		EDUCATION,
		total
	));
	id
}

/// The ministry's special education program of 1,000.
fn create(total: u64) -> ProgramId {
	create_as(NATIONAL, "2026-EDU-0001", ProgramKind::Special, total)
}

fn allocate(from: u64, node: NodeIndex, to: u64, amount: u64) {
	assert_ok!(Fiscal::allocate(signed(from), 0, node, to, amount));
}

/// Program 0 of 1,000 from the ministry: 600 to Guangdong, which gives 400 to Shenzhen and 100
/// to Guangzhou; Shenzhen gives 150 to Nanshan and 100 to Futian.
fn tree() -> ProgramId {
	let p = create(1_000);
	allocate(NATIONAL, ROOT, GUANGDONG, 600);
	allocate(GUANGDONG, GD, SHENZHEN, 400);
	allocate(SHENZHEN, SZ, NANSHAN, 150);
	allocate(SHENZHEN, SZ, FUTIAN, 100);
	allocate(GUANGDONG, GD, GUANGZHOU, 100);
	p
}

fn disburse(from: u64, node: NodeIndex, to: u64, amount: u64) {
	assert_ok!(Fiscal::disburse(signed(from), 0, node, to, amount, PRIMARY_SCHOOLS, INVOICE));
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::Fiscal.into(), &who)
}

fn free(who: u64) -> u64 {
	Balances::free_balance(who)
}

fn totals(node: NodeIndex) -> Totals<u64> {
	Allocations::<Test>::get(0, node).expect("allocation exists").totals
}

fn region(code: u32) -> Totals<u64> {
	RegionTotals::<Test>::get(0, RegionCode(code))
}

fn t(
	received: u64,
	matching: u64,
	allocated: u64,
	disbursed: u64,
	recalled: u64,
	unspent: u64,
) -> Totals<u64> {
	Totals { received, matching, allocated, disbursed, recalled, unspent }
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Fiscal(e) = r.event { Some(e) } else { None })
		.next_back()
		.expect("an event")
}

/// An allocation and a disbursement are charged their benchmark and the check's worst case; a
/// check that lets the money through gives back what it may, one that holds it for review
/// nothing.
#[test]
fn a_quiet_check_is_refunded_and_a_review_is_not() {
	use crate::WeightInfo as _;
	use frame_support::weights::Weight;
	type W = ();
	let charged = |benchmarked: Weight| benchmarked.saturating_add(Compliance::WORST);
	let quiet = |benchmarked: Weight| charged(benchmarked).saturating_sub(Compliance::QUIET_REFUND);
	new_test_ext(|| {
		create(1_000);
		let allocated = Fiscal::allocate(signed(NATIONAL), 0, ROOT, GUANGDONG, 600).unwrap();
		assert_eq!(allocated.actual_weight, Some(quiet(W::allocate())));
		allocate(GUANGDONG, GD, SHENZHEN, 400);
		allocate(SHENZHEN, SZ, NANSHAN, 150);
		let paid = Fiscal::disburse(signed(NANSHAN), 0, NS, SCHOOL_A, 10, PRIMARY_SCHOOLS, INVOICE);
		assert_eq!(paid.unwrap().actual_weight, Some(quiet(W::disburse())));
		Compliance::review(Some(MovementKind::FiscalDisbursement));
		let held = Fiscal::disburse(signed(NANSHAN), 0, NS, SCHOOL_B, 10, PRIMARY_SCHOOLS, INVOICE);
		assert_eq!(held.unwrap().actual_weight, Some(charged(W::disburse())));
	});
}

#[test]
fn a_program_holds_its_total_on_the_creator() {
	new_test_ext(|| {
		let p = create(1_000);
		assert_eq!(held(NATIONAL), 1_000);
		assert_eq!(free(NATIONAL), ENDOWMENT - 1_000);
		let program = Programs::<Test>::get(p).unwrap();
		assert_eq!(program.creator, NATIONAL);
		assert_eq!(program.status, ProgramStatus::Open);
		assert_eq!(program.allocations, 1);
		assert_eq!(totals(ROOT), t(1_000, 0, 0, 0, 0, 1_000));
		assert_eq!(Allocations::<Test>::get(p, ROOT).unwrap().level, FinanceLevel::National);
		assert_eq!(DepartmentAllocations::<Test>::get(NATIONAL, p), Some(ROOT));
		assert_eq!(Fiscal::program_by_code(b"2026-EDU-0001".to_vec()), Some(p));
		assert_eq!(region(0), t(1_000, 0, 0, 0, 0, 1_000));
		assert_eq!(
			last_event(),
			Event::ProgramCreated {
				program: p,
				code: code("2026-EDU-0001"),
				kind: ProgramKind::Special,
				fiscal_year: 2026,
				purpose: EDUCATION,
				creator: NATIONAL,
				total: 1_000,
			}
		);
		// A province may create its own program too.
		let q = create_as(GUANGDONG, "GD-2026-01", ProgramKind::General, 300);
		assert_eq!(Allocations::<Test>::get(q, ROOT).unwrap().region, RegionCode(440000));
		assert_eq!(RegionTotals::<Test>::get(q, RegionCode(440000)).received, 300);
		assert_eq!(RegionTotals::<Test>::get(q, RegionCode::NATIONAL).received, 300);
	});
}

#[test]
fn program_creation_refuses_bad_input() {
	new_test_ext(|| {
		let create = |who: u64, c: &str, year: u32, purpose: u32, total: u64| {
			Fiscal::create_program(
				signed(who),
				code(c),
				ProgramKind::Special,
				year,
				PurposeCode(purpose),
				total,
			)
		};
		for who in [SHENZHEN, NANSHAN, SUPERVISION, SCHOOL_A, STRANGER] {
			assert_noop!(create(who, "P", 2026, 205, 10), Error::<Test>::NotProgramAuthority);
		}
		Registry::set_status(HUNAN, ParticipantStatus::Suspended);
		assert_noop!(create(HUNAN, "P", 2026, 205, 10), Error::<Test>::NotProgramAuthority);
		assert_noop!(create(NATIONAL, "", 2026, 205, 10), Error::<Test>::BadProgramCode);
		assert_noop!(create(NATIONAL, "P", 2026, 0, 10), Error::<Test>::BadPurposeCode);
		assert_noop!(create(NATIONAL, "P", 2026, 205, 0), Error::<Test>::ZeroAmount);
		assert_noop!(create(NATIONAL, "P", 2028, 205, 10), Error::<Test>::BadFiscalYear);
		// The total must come out of the free balance, which keeps the existential deposit.
		assert_noop!(
			create(NATIONAL, "P", 2026, 205, ENDOWMENT),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(create(NATIONAL, "P", 2027, 205, 10));
		assert_noop!(create(NATIONAL, "P", 2026, 205, 10), Error::<Test>::DuplicateProgramCode);
		ClosedYears::<Test>::insert(2025, 1);
		assert_noop!(create(NATIONAL, "Q", 2025, 205, 10), Error::<Test>::FiscalYearClosed);
	});
}

#[test]
fn funds_flow_down_the_tree_on_hold() {
	new_test_ext(|| {
		tree();
		assert_eq!(held(NATIONAL), 400);
		assert_eq!(held(GUANGDONG), 100);
		assert_eq!(held(SHENZHEN), 150);
		assert_eq!(held(NANSHAN), 150);
		assert_eq!(held(FUTIAN), 100);
		assert_eq!(held(GUANGZHOU), 100);
		assert_eq!(free(GUANGDONG), ENDOWMENT, "allocations stay held");
		assert_eq!(totals(ROOT), t(1_000, 0, 600, 0, 0, 400));
		assert_eq!(totals(GD), t(600, 0, 500, 0, 0, 100));
		assert_eq!(totals(SZ), t(400, 0, 250, 0, 0, 150));
		assert_eq!(totals(NS), t(150, 0, 0, 0, 0, 150));
		let nanshan = Allocations::<Test>::get(0, NS).unwrap();
		assert_eq!((nanshan.parent, nanshan.department), (Some(SZ), NANSHAN));
		assert_eq!((nanshan.level, nanshan.region), (FinanceLevel::County, RegionCode(440305)));
		assert_eq!(Allocations::<Test>::get(0, SZ).unwrap().children, 2);
		assert_eq!(Programs::<Test>::get(0).unwrap().allocations, 6);
		// A second allocation to the same department adds to its allocation.
		allocate(SHENZHEN, SZ, NANSHAN, 50);
		assert_eq!(totals(NS), t(200, 0, 0, 0, 0, 200));
		assert_eq!(Programs::<Test>::get(0).unwrap().allocations, 6);
		assert_eq!(
			last_event(),
			Event::Allocated { program: 0, from: SZ, to: NS, department: NANSHAN, amount: 50 }
		);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Fiscal(Event::AllocationCreated {
				program: 0,
				node: NS,
				parent: SZ,
				department: NANSHAN,
				level: FinanceLevel::County,
				region: RegionCode(440305),
			})));
		// Each allocation passed the compliance gates as a fiscal allocation.
		assert_eq!(
			Compliance::checks()[..2],
			[
				(NATIONAL, GUANGDONG, 600, MovementKind::FiscalAllocation),
				(GUANGDONG, SHENZHEN, 400, MovementKind::FiscalAllocation),
			]
		);
	});
}

#[test]
fn allocation_refuses_bad_input() {
	new_test_ext(|| {
		tree();
		let alloc = |who: u64, node: NodeIndex, to: u64, amount: u64| {
			Fiscal::allocate(signed(who), 0, node, to, amount)
		};
		// Not a direct child: two levels down, a sibling, a recipient, a department above.
		assert_noop!(alloc(NATIONAL, ROOT, SHENZHEN, 10), Error::<Test>::NotDirectChild);
		assert_noop!(alloc(SHENZHEN, SZ, GUANGZHOU, 10), Error::<Test>::NotDirectChild);
		assert_noop!(alloc(NANSHAN, NS, SCHOOL_A, 10), Error::<Test>::NotDirectChild);
		assert_noop!(alloc(SHENZHEN, SZ, GUANGDONG, 10), Error::<Test>::NotDirectChild);
		// Hunan is the ministry's child but Guangdong's allocation is not Hunan's to use.
		assert_noop!(alloc(HUNAN, GD, SHENZHEN, 10), Error::<Test>::NotYourAllocation);
		assert_noop!(alloc(SHENZHEN, 9, NANSHAN, 10), Error::<Test>::UnknownAllocation);
		assert_noop!(
			Fiscal::allocate(signed(NATIONAL), 5, ROOT, GUANGDONG, 10),
			Error::<Test>::UnknownProgram
		);
		assert_noop!(alloc(SHENZHEN, SZ, NANSHAN, 0), Error::<Test>::ZeroAmount);
		assert_noop!(alloc(SHENZHEN, SZ, NANSHAN, 151), Error::<Test>::InsufficientUnspent);
		Registry::set_status(FUTIAN, ParticipantStatus::Suspended);
		assert_noop!(alloc(SHENZHEN, SZ, FUTIAN, 10), Error::<Test>::ChildNotActive);
		assert_noop!(alloc(SHENZHEN, SZ, BAOAN, 10), Error::<Test>::ChildAccountMissing);
		// Frozen on either side.
		assert_ok!(Fiscal::freeze_allocation(signed(GD_SUPERVISION), 0, NS, NOTICE));
		assert_noop!(alloc(SHENZHEN, SZ, NANSHAN, 10), Error::<Test>::ChildAllocationFrozen);
		assert_ok!(Fiscal::freeze_allocation(signed(GD_SUPERVISION), 0, SZ, NOTICE));
		assert_noop!(alloc(SHENZHEN, SZ, NANSHAN, 10), Error::<Test>::AllocationFrozen);
		assert_ok!(Fiscal::unfreeze_allocation(signed(GD_SUPERVISION), 0, SZ));
		// A department moved under another parent keeps its allocation under the old one.
		Registry::set_parent(NANSHAN, Some(GUANGZHOU));
		assert_ok!(Fiscal::unfreeze_allocation(signed(GD_SUPERVISION), 0, NS));
		assert_noop!(alloc(GUANGZHOU, GZ, NANSHAN, 10), Error::<Test>::NotDirectChild);
		Registry::set_parent(NANSHAN, Some(SHENZHEN));
		// Compliance refuses: the call fails with its error and nothing moves.
		Compliance::block(NANSHAN);
		assert_noop!(alloc(SHENZHEN, SZ, NANSHAN, 10), COMPLIANCE_BLOCK);
		Compliance::unblock(NANSHAN);
		Compliance::review(Some(MovementKind::FiscalAllocation));
		assert_noop!(alloc(SHENZHEN, SZ, NANSHAN, 10), Error::<Test>::AllocationUnderReview);
		Compliance::review(None);
		// The program's allocations are bounded (eight in the mock).
		allocate(NATIONAL, ROOT, HUNAN, 10);
		Registry::set_status(FUTIAN, ParticipantStatus::Active);
		for (i, county) in [30u64, 31].into_iter().enumerate() {
			Registry::set(
				county,
				paychain_primitives::accounts::Role::FinanceDepartment(FinanceLevel::County),
				440310 + i as u32,
				Some(SHENZHEN),
			);
			assert_ok!(<Balances as frame_support::traits::fungible::Mutate<u64>>::mint_into(
				&county, 10
			));
		}
		allocate(SHENZHEN, SZ, 30, 10);
		assert_noop!(alloc(SHENZHEN, SZ, 31, 10), Error::<Test>::TooManyAllocations);
	});
}

#[test]
fn departments_add_matching_funds_at_their_level() {
	new_test_ext(|| {
		tree();
		assert_ok!(Fiscal::add_matching(signed(SHENZHEN), 0, SZ, 50));
		assert_eq!(held(SHENZHEN), 200);
		assert_eq!(free(SHENZHEN), ENDOWMENT - 50);
		assert_eq!(totals(SZ), t(400, 50, 250, 0, 0, 200));
		assert_eq!(last_event(), Event::MatchingAdded { program: 0, node: SZ, amount: 50 });
		// Matching counts in Shenzhen, Guangdong and the whole program.
		assert_eq!(region(440300).matching, 50);
		assert_eq!(region(440000).matching, 50);
		assert_eq!(region(0).matching, 50);
		assert_eq!(region(440305).matching, 0);

		assert_noop!(
			Fiscal::add_matching(signed(NANSHAN), 0, SZ, 5),
			Error::<Test>::NotYourAllocation
		);
		assert_noop!(Fiscal::add_matching(signed(SHENZHEN), 0, SZ, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Fiscal::add_matching(signed(SHENZHEN), 0, SZ, ENDOWMENT),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Fiscal::freeze_allocation(signed(SUPERVISION), 0, SZ, NOTICE));
		assert_noop!(
			Fiscal::add_matching(signed(SHENZHEN), 0, SZ, 5),
			Error::<Test>::AllocationFrozen
		);
	});
}

#[test]
fn disbursements_pay_final_recipients_through_compliance() {
	new_test_ext(|| {
		tree();
		disburse(NANSHAN, NS, SCHOOL_A, 60);
		disburse(NANSHAN, NS, SCHOOL_B, 40);
		assert_eq!(free(SCHOOL_A), ENDOWMENT + 60);
		assert_eq!(free(SCHOOL_B), ENDOWMENT + 40);
		assert_eq!(free(NANSHAN), ENDOWMENT, "the department's own money is untouched");
		assert_eq!(held(NANSHAN), 50);
		assert_eq!(totals(NS), t(150, 0, 0, 100, 0, 50));
		assert_eq!(
			crate::Disbursements::<Test>::get((0, NS, 1)),
			Some(Disbursement {
				recipient: SCHOOL_B,
				amount: 40,
				purpose: PRIMARY_SCHOOLS,
				evidence: INVOICE,
				at: 1,
				review: None,
			})
		);
		assert_eq!(
			last_event(),
			Event::Disbursed {
				program: 0,
				node: NS,
				index: 1,
				recipient: SCHOOL_B,
				amount: 40,
				purpose: PRIMARY_SCHOOLS,
				evidence: INVOICE,
				review: None,
			}
		);
		assert_eq!(
			Compliance::checks().last(),
			Some(&(NANSHAN, SCHOOL_B, 40, MovementKind::FiscalDisbursement))
		);
		// Any level may disburse from its own allocation.
		disburse(SHENZHEN, SZ, HOSPITAL, 10);
		assert_eq!(free(HOSPITAL), ENDOWMENT + 10);
	});
}

#[test]
fn disbursement_refuses_bad_input() {
	new_test_ext(|| {
		tree();
		let pay = |who: u64, node: NodeIndex, to: u64, amount: u64, purpose: PurposeCode| {
			Fiscal::disburse(signed(who), 0, node, to, amount, purpose, INVOICE)
		};
		assert_noop!(
			pay(NANSHAN, NS, STRANGER, 10, PRIMARY_SCHOOLS),
			Error::<Test>::RecipientNotRegistered
		);
		Registry::set_status(SCHOOL_B, ParticipantStatus::Suspended);
		assert_noop!(
			pay(NANSHAN, NS, SCHOOL_B, 10, PRIMARY_SCHOOLS),
			Error::<Test>::RecipientNotActive
		);
		Registry::set_status(SCHOOL_B, ParticipantStatus::Closed);
		assert_noop!(
			pay(NANSHAN, NS, SCHOOL_B, 10, PRIMARY_SCHOOLS),
			Error::<Test>::RecipientNotActive
		);
		assert_noop!(
			pay(NANSHAN, NS, NANSHAN, 10, PRIMARY_SCHOOLS),
			Error::<Test>::SelfDisbursement
		);
		assert_noop!(pay(NANSHAN, NS, SCHOOL_A, 10, HEALTH), Error::<Test>::PurposeNotInProgram);
		assert_noop!(pay(NANSHAN, NS, SCHOOL_A, 10, PurposeCode(0)), Error::<Test>::BadPurposeCode);
		assert_noop!(
			pay(NANSHAN, NS, SCHOOL_A, 151, PRIMARY_SCHOOLS),
			Error::<Test>::InsufficientUnspent
		);
		assert_noop!(pay(NANSHAN, NS, SCHOOL_A, 0, PRIMARY_SCHOOLS), Error::<Test>::ZeroAmount);
		assert_noop!(
			pay(FUTIAN, NS, SCHOOL_A, 10, PRIMARY_SCHOOLS),
			Error::<Test>::NotYourAllocation
		);
		Compliance::block(SCHOOL_A);
		assert_noop!(pay(NANSHAN, NS, SCHOOL_A, 10, PRIMARY_SCHOOLS), COMPLIANCE_BLOCK);
		Compliance::unblock(SCHOOL_A);
		assert_ok!(Fiscal::freeze_allocation(signed(SHENZHEN), 0, NS, NOTICE));
		assert_noop!(
			pay(NANSHAN, NS, SCHOOL_A, 10, PRIMARY_SCHOOLS),
			Error::<Test>::AllocationFrozen
		);
	});
}

#[test]
fn a_general_program_may_be_spent_on_any_purpose() {
	new_test_ext(|| {
		let p = create_as(NATIONAL, "GEN", ProgramKind::General, 100);
		assert_ok!(Fiscal::allocate(signed(NATIONAL), p, ROOT, GUANGDONG, 50));
		assert_ok!(Fiscal::disburse(signed(GUANGDONG), p, 1, HOSPITAL, 20, HEALTH, INVOICE));
		assert_eq!(free(HOSPITAL), ENDOWMENT + 20);
	});
}

#[test]
fn a_disbursement_held_for_review_is_recorded_with_its_review() {
	new_test_ext(|| {
		tree();
		Compliance::review(Some(MovementKind::FiscalDisbursement));
		disburse(NANSHAN, NS, SCHOOL_A, 60);
		assert_eq!(free(SCHOOL_A), ENDOWMENT, "the regulator decides first");
		assert_eq!(free(REVIEW_VAULT), 60);
		assert_eq!(held(NANSHAN), 90);
		assert_eq!(crate::Disbursements::<Test>::get((0, NS, 0)).unwrap().review, Some(7));
		assert_eq!(totals(NS).disbursed, 60);
	});
}

#[test]
fn supervisors_freeze_and_unfreeze_allocations() {
	new_test_ext(|| {
		tree();
		// Neither a supervision department elsewhere, nor the holder, nor a sibling, nor a
		// department below supervises Shenzhen's allocation.
		for who in [HN_SUPERVISION, SHENZHEN, GUANGZHOU, NANSHAN, SCHOOL_A, STRANGER] {
			assert_noop!(
				Fiscal::freeze_allocation(signed(who), 0, SZ, NOTICE),
				Error::<Test>::NotSupervisor
			);
		}
		assert_ok!(Fiscal::freeze_allocation(signed(GD_SUPERVISION), 0, SZ, NOTICE));
		assert_eq!(
			last_event(),
			Event::AllocationFrozen { program: 0, node: SZ, by: GD_SUPERVISION, reason: NOTICE }
		);
		let freeze = Allocations::<Test>::get(0, SZ).unwrap().frozen.unwrap();
		assert_eq!((freeze.by, freeze.reason, freeze.since), (GD_SUPERVISION, NOTICE, 1));
		// The regulators see it: an alert on the holder, citing the notice.
		assert_eq!(Alerts::raised(), [(SHENZHEN, ExternalAlert::FiscalIrregularity, NOTICE)]);
		assert_noop!(
			Fiscal::freeze_allocation(signed(NATIONAL), 0, SZ, NOTICE),
			Error::<Test>::AlreadyFrozen
		);
		// Nothing goes out; the allocations below are not frozen.
		assert_noop!(
			Fiscal::allocate(signed(SHENZHEN), 0, SZ, NANSHAN, 1),
			Error::<Test>::AllocationFrozen
		);
		assert_noop!(
			Fiscal::disburse(signed(SHENZHEN), 0, SZ, HOSPITAL, 1, PRIMARY_SCHOOLS, INVOICE),
			Error::<Test>::AllocationFrozen
		);
		disburse(NANSHAN, NS, SCHOOL_A, 10);
		// A department above lifts it (the ministry, two levels up).
		assert_noop!(
			Fiscal::unfreeze_allocation(signed(HN_SUPERVISION), 0, SZ),
			Error::<Test>::NotSupervisor
		);
		assert_ok!(Fiscal::unfreeze_allocation(signed(NATIONAL), 0, SZ));
		assert_eq!(last_event(), Event::AllocationUnfrozen { program: 0, node: SZ, by: NATIONAL });
		assert_noop!(
			Fiscal::unfreeze_allocation(signed(NATIONAL), 0, SZ),
			Error::<Test>::NotFrozen
		);
		allocate(SHENZHEN, SZ, NANSHAN, 1);
		assert_noop!(
			Fiscal::freeze_allocation(signed(SUPERVISION), 0, 9, NOTICE),
			Error::<Test>::UnknownAllocation
		);
		assert_noop!(
			Fiscal::freeze_allocation(signed(SUPERVISION), 4, 0, NOTICE),
			Error::<Test>::UnknownProgram
		);
	});
}

#[test]
fn recall_sends_unspent_funds_back_to_the_parent() {
	new_test_ext(|| {
		tree();
		disburse(NANSHAN, NS, SCHOOL_A, 100);
		// Nanshan is frozen for verification and cut off by compliance: the recall still works.
		assert_ok!(Fiscal::freeze_allocation(signed(GD_SUPERVISION), 0, NS, NOTICE));
		Compliance::block(NANSHAN);
		assert_ok!(Fiscal::recall(signed(GD_SUPERVISION), 0, NS, 30, NOTICE));
		assert_eq!(
			last_event(),
			Event::Recalled {
				program: 0,
				node: NS,
				parent: SZ,
				amount: 30,
				by: GD_SUPERVISION,
				reason: NOTICE
			}
		);
		assert_eq!(held(NANSHAN), 20);
		assert_eq!(held(SHENZHEN), 180);
		assert_eq!(totals(NS), t(150, 0, 0, 100, 30, 20));
		assert_eq!(totals(SZ), t(400, 0, 220, 0, 0, 180));
		// The parent recalls the rest.
		assert_ok!(Fiscal::recall(signed(SHENZHEN), 0, NS, 20, NOTICE));
		assert_eq!(held(NANSHAN), 0);
		// Nanshan's region sent 50 back up; Shenzhen's region did not change.
		assert_eq!(region(440305), t(150, 0, 0, 100, 50, 0));
		assert_eq!(region(440300).recalled, 0);

		assert_noop!(
			Fiscal::recall(signed(SHENZHEN), 0, NS, 1, NOTICE),
			Error::<Test>::InsufficientUnspent
		);
		assert_noop!(Fiscal::recall(signed(SHENZHEN), 0, FT, 0, NOTICE), Error::<Test>::ZeroAmount);
		assert_noop!(
			Fiscal::recall(signed(GUANGZHOU), 0, FT, 1, NOTICE),
			Error::<Test>::NotSupervisor
		);
		assert_noop!(
			Fiscal::recall(signed(FUTIAN), 0, FT, 1, NOTICE),
			Error::<Test>::NotSupervisor
		);
		assert_noop!(
			Fiscal::recall(signed(SUPERVISION), 0, ROOT, 1, NOTICE),
			Error::<Test>::CannotRecallRoot
		);
	});
}

#[test]
fn the_fiscal_year_closes_once_and_only_when_it_is_over() {
	new_test_ext(|| {
		assert_noop!(Fiscal::close_fiscal_year(signed(NATIONAL), 2026), DispatchError::BadOrigin);
		assert_noop!(
			Fiscal::close_fiscal_year(RuntimeOrigin::root(), 2026),
			Error::<Test>::FiscalYearNotOver
		);
		// The year turns at midnight in the chain's time zone (UTC+8).
		Clock::set(NEW_YEAR_2027 - 1);
		assert_noop!(
			Fiscal::close_fiscal_year(RuntimeOrigin::root(), 2026),
			Error::<Test>::FiscalYearNotOver
		);
		Clock::set(NEW_YEAR_2027);
		assert_ok!(Fiscal::close_fiscal_year(RuntimeOrigin::root(), 2026));
		assert_eq!(last_event(), Event::FiscalYearClosed { year: 2026 });
		assert_noop!(
			Fiscal::close_fiscal_year(RuntimeOrigin::root(), 2026),
			Error::<Test>::FiscalYearAlreadyClosed
		);
	});
}

#[test]
fn a_closed_year_takes_no_new_money_and_its_programs_are_swept_up_the_tree() {
	new_test_ext(|| {
		tree();
		assert_ok!(Fiscal::add_matching(signed(SHENZHEN), 0, SZ, 50));
		disburse(NANSHAN, NS, SCHOOL_A, 60);
		disburse(FUTIAN, FT, HOSPITAL, 100);
		assert_noop!(Fiscal::sweep(signed(STRANGER), 0, 3), Error::<Test>::FiscalYearOpen);
		Clock::set(NEW_YEAR_2027);
		assert_ok!(Fiscal::close_fiscal_year(RuntimeOrigin::root(), 2026));
		assert_noop!(
			Fiscal::allocate(signed(SHENZHEN), 0, SZ, NANSHAN, 1),
			Error::<Test>::FiscalYearClosed
		);
		assert_noop!(
			Fiscal::add_matching(signed(SHENZHEN), 0, SZ, 1),
			Error::<Test>::FiscalYearClosed
		);
		assert_noop!(
			Fiscal::disburse(signed(NANSHAN), 0, NS, SCHOOL_A, 1, PRIMARY_SCHOOLS, INVOICE),
			Error::<Test>::FiscalYearClosed
		);
		assert_noop!(Fiscal::sweep(signed(STRANGER), 0, 0), Error::<Test>::ZeroLimit);
		// Anyone sweeps, at most three allocations a call (the mock's cap): Guangzhou, Futian
		// and Nanshan first.
		assert_ok!(Fiscal::sweep(signed(STRANGER), 0, 10));
		assert_eq!(last_event(), Event::Swept { program: 0, from: GZ, to: NS, amount: 100 + 90 });
		assert_eq!(Programs::<Test>::get(0).unwrap().status, ProgramStatus::Sweeping { next: SZ });
		assert_eq!(held(SHENZHEN), 200 + 90);
		assert_eq!(held(GUANGDONG), 100 + 100);
		// Shenzhen (its 200 and Nanshan's 90), Guangdong (its 200 and Shenzhen's 290), root.
		assert_ok!(Fiscal::sweep(signed(STRANGER), 0, 3));
		let events: Vec<_> = System::events().into_iter().rev().take(2).map(|r| r.event).collect();
		assert_eq!(
			events,
			[
				RuntimeEvent::Fiscal(Event::ProgramSettled { program: 0, returned: 890 }),
				RuntimeEvent::Fiscal(Event::Swept {
					program: 0,
					from: SZ,
					to: ROOT,
					amount: 290 + 490 + 890
				}),
			]
		);
		assert_eq!(Programs::<Test>::get(0).unwrap().status, ProgramStatus::Settled);
		for dept in [NATIONAL, GUANGDONG, SHENZHEN, NANSHAN, FUTIAN, GUANGZHOU] {
			assert_eq!(held(dept), 0);
		}
		// The ministry got back all but the 160 disbursed and Shenzhen's matching 50, which
		// went up the tree with the rest.
		assert_eq!(free(NATIONAL), ENDOWMENT - 1_000 + 890);
		assert_eq!(free(SHENZHEN), ENDOWMENT - 50);
		assert_eq!(region(0), t(1_000, 50, 0, 160, 890, 0));
		assert_eq!(totals(NS), t(150, 0, 0, 60, 90, 0));
		assert_noop!(Fiscal::sweep(signed(STRANGER), 0, 3), Error::<Test>::ProgramSettled);
		assert_noop!(
			Fiscal::freeze_allocation(signed(SUPERVISION), 0, SZ, NOTICE),
			Error::<Test>::ProgramSettled
		);
		// A new program for the closed year is refused too.
		assert_noop!(
			Fiscal::create_program(
				signed(NATIONAL),
				code("LATE"),
				ProgramKind::General,
				2026,
				EDUCATION,
				1
			),
			Error::<Test>::FiscalYearClosed
		);
	});
}

#[test]
fn trace_follows_the_money_from_the_program_to_each_school() {
	new_test_ext(|| {
		tree();
		disburse(NANSHAN, NS, SCHOOL_A, 60);
		disburse(NANSHAN, NS, SCHOOL_B, 40);
		for (index, school, amount) in [(0, SCHOOL_A, 60), (1, SCHOOL_B, 40)] {
			let trace = Fiscal::trace(0, NS, Some(index)).expect("the disbursement exists");
			let path: Vec<_> =
				trace.path.iter().map(|(i, a)| (*i, a.department, a.totals.received)).collect();
			assert_eq!(
				path,
				[
					(ROOT, NATIONAL, 1_000),
					(GD, GUANGDONG, 600),
					(SZ, SHENZHEN, 400),
					(NS, NANSHAN, 150)
				]
			);
			let (i, d) = trace.disbursement.unwrap();
			assert_eq!((i, d.recipient, d.amount), (index, school, amount));
		}
		assert_eq!(Fiscal::trace(0, NS, Some(2)), None);
		assert_eq!(Fiscal::trace(0, 9, None), None);
		assert_eq!(Fiscal::trace(0, ROOT, None).unwrap().path.len(), 1);
		assert_eq!(
			Fiscal::disbursements(0, NS, None, 1),
			Page {
				items: vec![(0, crate::Disbursements::<Test>::get((0, NS, 0)).unwrap())],
				next: Some(0)
			}
		);
		assert_eq!(Fiscal::disbursements(0, NS, Some(0), 10).items.len(), 1);
		assert_eq!(Fiscal::disbursements(0, NS, Some(0), 10).next, None);
	});
}

#[test]
fn descendants_list_a_subtree_page_by_page() {
	new_test_ext(|| {
		tree();
		let ids =
			|page: &Page<NodeIndex, _>| page.items.iter().map(|(i, _)| *i).collect::<Vec<_>>();
		assert_eq!(ids(&Fiscal::descendants(0, GD, None, 10)), [SZ, NS, FT, GZ]);
		assert_eq!(ids(&Fiscal::descendants(0, SZ, None, 10)), [NS, FT]);
		assert_eq!(ids(&Fiscal::descendants(0, ROOT, None, 10)), [GD, SZ, NS, FT, GZ]);
		assert!(Fiscal::descendants(0, NS, None, 10).items.is_empty());
		let first = Fiscal::descendants(0, GD, None, 2);
		assert_eq!((ids(&first), first.next), (vec![SZ, NS], Some(NS)));
		let second = Fiscal::descendants(0, GD, first.next, 2);
		assert_eq!((ids(&second), second.next), (vec![FT, GZ], None));
		assert!(Fiscal::descendants(7, ROOT, None, 10).items.is_empty());
	});
}

#[test]
fn statistics_add_up_by_level_and_region() {
	new_test_ext(|| {
		tree();
		assert_ok!(Fiscal::add_matching(signed(SHENZHEN), 0, SZ, 50));
		disburse(NANSHAN, NS, SCHOOL_A, 60);
		disburse(NANSHAN, NS, SCHOOL_B, 40);
		assert_ok!(Fiscal::recall(signed(SHENZHEN), 0, FT, 100, NOTICE));
		let level = |l| LevelTotals::<Test>::get(0, l);
		assert_eq!(level(FinanceLevel::National), t(1_000, 0, 600, 0, 0, 400));
		assert_eq!(level(FinanceLevel::Provincial), t(600, 0, 500, 0, 0, 100));
		assert_eq!(level(FinanceLevel::Municipal), t(500, 50, 150, 0, 0, 400));
		assert_eq!(level(FinanceLevel::County), t(250, 0, 0, 100, 100, 50));
		// Regions count what crossed their border.
		assert_eq!(region(440305), t(150, 0, 0, 100, 0, 50));
		assert_eq!(region(440304), t(100, 0, 0, 0, 100, 0));
		assert_eq!(region(440300), t(400, 50, 0, 100, 0, 350));
		assert_eq!(region(440100), t(100, 0, 0, 0, 0, 100));
		assert_eq!(region(440000), t(600, 50, 0, 100, 0, 550));
		assert_eq!(region(0), t(1_000, 50, 0, 100, 0, 950));
		let stats = Fiscal::statistics(0).unwrap();
		assert_eq!(stats.program.totals, region(0));
		assert_eq!(stats.program.execution_rate, Perbill::from_rational(100u32, 1_050u32));
		assert_eq!(stats.levels.len(), 4);
		assert_eq!(stats.levels[3].1.execution_rate, Perbill::from_rational(100u32, 150u32));
		let nanshan = Fiscal::region_statistics(0, RegionCode(440305)).unwrap();
		assert_eq!(nanshan.execution_rate, Perbill::from_rational(100u32, 150u32));
		assert_eq!(Fiscal::region_statistics(0, RegionCode(430000)), None);
		assert_eq!(Fiscal::statistics(3), None);
	});
}

#[test]
fn a_department_holding_program_funds_may_not_close() {
	new_test_ext(|| {
		let obliged = |who: &u64| <Fiscal as Obligations<u64>>::has_obligations(who);
		tree();
		assert!(obliged(&NANSHAN) && obliged(&NATIONAL));
		assert!(!obliged(&HUNAN) && !obliged(&SCHOOL_A));
		assert_ok!(Fiscal::recall(signed(SHENZHEN), 0, NS, 150, NOTICE));
		assert!(!obliged(&NANSHAN));
	});
}

#[test]
fn a_department_lists_its_allocations() {
	new_test_ext(|| {
		tree();
		let q = create_as(NATIONAL, "2026-HEALTH", ProgramKind::General, 100);
		assert_ok!(Fiscal::allocate(signed(NATIONAL), q, ROOT, GUANGDONG, 10));
		let mut page = Fiscal::allocations_of(GUANGDONG, None, 10);
		page.items.sort();
		assert_eq!(page, Page { items: vec![(0, GD), (q, 1)], next: None });
		let first = Fiscal::allocations_of(GUANGDONG, None, 1);
		assert_eq!(first.items.len(), 1);
		let rest = Fiscal::allocations_of(GUANGDONG, first.next, 1);
		assert_eq!(rest.items.len(), 1);
		assert_ne!(rest.items, first.items);
		assert!(Fiscal::allocations_of(STRANGER, None, 10).items.is_empty());
	});
}
