//! A test runtime: System, Balances and Fiscal, with a mock participant register holding a
//! finance-department tree, a mock compliance check the tests steer, and a clock they set.

use crate as pallet_fiscal;
use core::{cell::RefCell, time::Duration};
use frame_support::{
	derive_impl, parameter_types,
	traits::{fungible::Mutate, tokens::Preservation, ConstU32, UnixTime},
	weights::Weight,
};
use frame_system::EnsureRoot;
use paychain_primitives::{
	accounts::{
		AccountRegistry, FinanceLevel, KeyCheckError, KycTier, ParticipantProfile,
		ParticipantStatus, RegionCode, Role, SigningKey,
	},
	compliance::{AlertSink, Assessment, ComplianceCheck, ExternalAlert, MovementKind, Verdict},
	Moment,
};
use sp_runtime::{BuildStorage, DispatchError, MultiSignature};
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Fiscal: pallet_fiscal,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type DbWeight = frame_support::weights::constants::ParityDbWeight;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

/// The Ministry of Finance.
pub const NATIONAL: u64 = 1;
/// Guangdong, under the ministry.
pub const GUANGDONG: u64 = 2;
/// Shenzhen, under Guangdong.
pub const SHENZHEN: u64 = 3;
/// Nanshan, a district of Shenzhen.
pub const NANSHAN: u64 = 4;
/// Futian, a district of Shenzhen.
pub const FUTIAN: u64 = 5;
/// Guangzhou, under Guangdong.
pub const GUANGZHOU: u64 = 6;
/// Hunan, under the ministry.
pub const HUNAN: u64 = 7;
/// Bao'an, a district of Shenzhen whose account holds nothing.
pub const BAOAN: u64 = 8;
/// The national supervision department.
pub const SUPERVISION: u64 = 10;
/// Guangdong's supervision department.
pub const GD_SUPERVISION: u64 = 11;
/// Hunan's supervision department.
pub const HN_SUPERVISION: u64 = 12;
/// Final recipients.
pub const SCHOOL_A: u64 = 20;
pub const SCHOOL_B: u64 = 21;
pub const HOSPITAL: u64 = 22;
/// Not registered.
pub const STRANGER: u64 = 99;
/// Where the mock compliance puts payments it holds for review.
pub const REVIEW_VAULT: u64 = 101;
pub const ENDOWMENT: u64 = 1_000_000;
/// The error the mock compliance blocks with.
pub const COMPLIANCE_BLOCK: DispatchError = DispatchError::Token(sp_runtime::TokenError::Blocked);

/// 2026-06-01T00:00:00Z.
pub const JUNE_2026: Moment = 1_780_272_000_000;
/// 2027-01-01T00:00:00+08:00.
pub const NEW_YEAR_2027: Moment = 1_798_761_600_000 - 8 * 3_600_000;

thread_local! {
	static PROFILES: RefCell<BTreeMap<u64, (ParticipantProfile, Option<u64>)>> =
		const { RefCell::new(BTreeMap::new()) };
	static BLOCKED: RefCell<BTreeSet<u64>> = const { RefCell::new(BTreeSet::new()) };
	static REVIEW: RefCell<Option<MovementKind>> = const { RefCell::new(None) };
	static CHECKS: RefCell<Vec<(u64, u64, u64, MovementKind)>> = const { RefCell::new(Vec::new()) };
	static NOW: RefCell<Moment> = const { RefCell::new(JUNE_2026) };
	static ALERTS: RefCell<Vec<(u64, ExternalAlert, sp_core::H256)>> =
		const { RefCell::new(Vec::new()) };
}

/// The participant register, as the tests set it.
pub struct Registry;
impl Registry {
	pub fn set(who: u64, role: Role, region: u32, parent: Option<u64>) {
		let profile = ParticipantProfile {
			role,
			status: ParticipantStatus::Active,
			tier: KycTier::Standard,
			region: RegionCode(region),
		};
		PROFILES.with(|p| p.borrow_mut().insert(who, (profile, parent)));
	}
	pub fn set_status(who: u64, status: ParticipantStatus) {
		PROFILES.with(|p| {
			if let Some((profile, _)) = p.borrow_mut().get_mut(&who) {
				profile.status = status;
			}
		});
	}
	pub fn set_parent(who: u64, parent: Option<u64>) {
		PROFILES.with(|p| {
			if let Some((_, up)) = p.borrow_mut().get_mut(&who) {
				*up = parent;
			}
		});
	}
}
impl AccountRegistry<u64> for Registry {
	fn profile(who: &u64) -> Option<ParticipantProfile> {
		PROFILES.with(|p| p.borrow().get(who).map(|(profile, _)| *profile))
	}
	fn parent(who: &u64) -> Option<u64> {
		PROFILES.with(|p| p.borrow().get(who).and_then(|(_, parent)| *parent))
	}
	fn is_ancestor(ancestor: &u64, who: &u64) -> bool {
		let mut current = Self::parent(who);
		while let Some(up) = current {
			if up == *ancestor {
				return true;
			}
			current = Self::parent(&up);
		}
		false
	}
	fn verify_institution_signature(
		_: &u64,
		_: &SigningKey,
		_: &[u8],
		_: &MultiSignature,
	) -> Result<(), KeyCheckError> {
		Err(KeyCheckError::UnknownKey)
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmarks(who: &u64, role: Role, region: RegionCode, _: KycTier) {
		Self::set(*who, role, region.0, None);
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn register_child_for_benchmarks(
		who: &u64,
		role: Role,
		region: RegionCode,
		_: KycTier,
		parent: &u64,
	) {
		Self::set(*who, role, region.0, Some(*parent));
	}
}

/// The compliance check, steered by the tests: accounts it blocks, which kind of movement it
/// holds for review, and a log of what it was asked.
pub struct Compliance;
impl Compliance {
	/// Blocks every movement from or to `who` (as if frozen).
	pub fn block(who: u64) {
		BLOCKED.with(|b| b.borrow_mut().insert(who));
	}
	pub fn unblock(who: u64) {
		BLOCKED.with(|b| b.borrow_mut().remove(&who));
	}
	/// Holds every movement of `kind` for review from now on.
	pub fn review(kind: Option<MovementKind>) {
		REVIEW.with(|r| *r.borrow_mut() = kind);
	}
	/// What compliance was asked, in order.
	pub fn checks() -> Vec<(u64, u64, u64, MovementKind)> {
		CHECKS.with(|c| c.borrow().clone())
	}
}
impl ComplianceCheck<u64, u64> for Compliance {
	fn check(
		from: &u64,
		to: &u64,
		amount: u64,
		kind: MovementKind,
	) -> Result<Verdict, DispatchError> {
		if BLOCKED.with(|b| b.borrow().contains(from) || b.borrow().contains(to)) {
			return Err(COMPLIANCE_BLOCK);
		}
		CHECKS.with(|c| c.borrow_mut().push((*from, *to, amount, kind)));
		if REVIEW.with(|r| *r.borrow() == Some(kind)) {
			// The real pallet holds it on the sender; from the program's side it is gone
			// either way, so a vault stands in for that hold.
			Balances::transfer(from, &REVIEW_VAULT, amount, Preservation::Expendable)?;
			return Ok(Verdict::HeldForReview(7));
		}
		Ok(Verdict::Proceed)
	}
	fn preview(_: &u64, _: &u64, _: u64, _: MovementKind) -> Assessment {
		Assessment::ACCEPT
	}
	fn check_weight() -> Weight {
		Self::WORST
	}
	fn check_refundable(
		from: &u64,
		to: &u64,
		amount: u64,
		kind: MovementKind,
	) -> Result<(Verdict, Weight), DispatchError> {
		let verdict = Self::check(from, to, amount, kind)?;
		let refund = if verdict == Verdict::Proceed { Self::QUIET_REFUND } else { Weight::zero() };
		Ok((verdict, refund))
	}
}

impl Compliance {
	/// The check's worst case, which the calls add to their benchmarks.
	pub const WORST: Weight = Weight::from_parts(1_000_000_000, 0);
	/// What a check that lets the movement through gives back of it.
	pub const QUIET_REFUND: Weight = Weight::from_parts(600_000_000, 0);
}

/// The alerts raised with compliance, in order.
pub struct Alerts;
impl Alerts {
	pub fn raised() -> Vec<(u64, ExternalAlert, sp_core::H256)> {
		ALERTS.with(|a| a.borrow().clone())
	}
}
impl AlertSink<u64> for Alerts {
	fn raise(account: &u64, cause: ExternalAlert, evidence: sp_core::H256) {
		ALERTS.with(|a| a.borrow_mut().push((*account, cause, evidence)));
	}
}

/// The clock, as the tests set it.
pub struct Clock;
impl Clock {
	pub fn set(now: Moment) {
		NOW.with(|n| *n.borrow_mut() = now);
	}
}
impl UnixTime for Clock {
	fn now() -> Duration {
		Duration::from_millis(NOW.with(|n| *n.borrow()))
	}
}

parameter_types! {
	/// China Standard Time.
	pub const TimeZoneOffset: Moment = 8 * 3_600_000;
}

impl pallet_fiscal::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type Compliance = Compliance;
	type Alerts = Alerts;
	type Time = Clock;
	type TimeZoneOffset = TimeZoneOffset;
	type CloseOrigin = EnsureRoot<u64>;
	type MaxCodeLen = ConstU32<16>;
	type MaxAllocations = ConstU32<8>;
	type MaxSweep = ConstU32<3>;
	type WeightInfo = ();
}

/// The test externalities: the finance tree and the recipients registered and endowed (but
/// Bao'an), in June 2026, at block 1.
pub fn ext() -> sp_io::TestExternalities {
	PROFILES.with(|p| p.borrow_mut().clear());
	BLOCKED.with(|b| b.borrow_mut().clear());
	REVIEW.with(|r| *r.borrow_mut() = None);
	CHECKS.with(|c| c.borrow_mut().clear());
	ALERTS.with(|a| a.borrow_mut().clear());
	Clock::set(JUNE_2026);
	use FinanceLevel::*;
	let finance = Role::FinanceDepartment;
	Registry::set(NATIONAL, finance(National), 0, None);
	Registry::set(GUANGDONG, finance(Provincial), 440000, Some(NATIONAL));
	Registry::set(HUNAN, finance(Provincial), 430000, Some(NATIONAL));
	Registry::set(SHENZHEN, finance(Municipal), 440300, Some(GUANGDONG));
	Registry::set(GUANGZHOU, finance(Municipal), 440100, Some(GUANGDONG));
	Registry::set(NANSHAN, finance(County), 440305, Some(SHENZHEN));
	Registry::set(FUTIAN, finance(County), 440304, Some(SHENZHEN));
	Registry::set(BAOAN, finance(County), 440306, Some(SHENZHEN));
	Registry::set(SUPERVISION, Role::SupervisionDepartment, 0, None);
	Registry::set(GD_SUPERVISION, Role::SupervisionDepartment, 440000, None);
	Registry::set(HN_SUPERVISION, Role::SupervisionDepartment, 430000, None);
	Registry::set(SCHOOL_A, Role::Merchant, 440305, None);
	Registry::set(SCHOOL_B, Role::Merchant, 440305, None);
	Registry::set(HOSPITAL, Role::Merchant, 440304, None);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [
			NATIONAL,
			GUANGDONG,
			HUNAN,
			SHENZHEN,
			GUANGZHOU,
			NANSHAN,
			FUTIAN,
			SUPERVISION,
			GD_SUPERVISION,
			HN_SUPERVISION,
			SCHOOL_A,
			SCHOOL_B,
			HOSPITAL,
			STRANGER,
		]
		.into_iter()
		.map(|who| (who, ENDOWMENT))
		.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs a test at block 1 and checks the pallet's invariants after it.
pub fn new_test_ext(test: impl FnOnce()) {
	ext().execute_with(|| {
		test();
		Fiscal::do_try_state().expect("invariants hold after the test");
	});
}
