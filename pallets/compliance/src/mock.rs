//! A test runtime: System, Balances and Compliance, with a mock participant register and clock.

use crate::{self as pallet_compliance, *};
use core::{cell::RefCell, marker::PhantomData};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, EnsureOrigin, UnixTime},
};
use frame_system::{EnsureRoot, RawOrigin};
use paychain_primitives::{
	accounts::{
		AccountRegistry, FinanceLevel, KeyCheckError, KycTier, ParticipantProfile,
		ParticipantStatus, RegionCode, Role, SigningKey,
	},
	compliance::{Action, MovementKind},
	Moment,
};
use sp_runtime::{BuildStorage, MultiSignature, Percent};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Compliance: pallet_compliance,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = ConstU32<2>;
}

thread_local! {
	static PROFILES: RefCell<BTreeMap<u64, (ParticipantProfile, Option<u64>)>> =
		const { RefCell::new(BTreeMap::new()) };
	static NOW_MS: RefCell<Moment> = const { RefCell::new(MONDAY_NOON) };
	static OBSERVED: RefCell<Vec<(u64, u64, u64, MovementKind)>> =
		const { RefCell::new(Vec::new()) };
}

/// The movements compliance let through, as an observer saw them. It says each cost
/// [`Observer::REPORTED`], less than its worst case.
pub struct Observer;
impl Observer {
	pub const REPORTED: frame_support::weights::Weight =
		frame_support::weights::Weight::from_parts(250_000, 0);
	pub const WORST: frame_support::weights::Weight =
		frame_support::weights::Weight::from_parts(1_000_000, 0);
	/// Its cheapest path, which the quiet benchmarks include.
	pub const LEAST: frame_support::weights::Weight =
		frame_support::weights::Weight::from_parts(100_000, 0);

	pub fn seen() -> Vec<(u64, u64, u64, MovementKind)> {
		OBSERVED.with(|o| o.borrow().clone())
	}
}
impl paychain_primitives::compliance::MovementObserver<u64, u64> for Observer {
	fn observe(
		from: &u64,
		to: &u64,
		amount: u64,
		kind: MovementKind,
	) -> frame_support::weights::Weight {
		OBSERVED.with(|o| o.borrow_mut().push((*from, *to, amount, kind)));
		Self::REPORTED
	}
	fn observe_weight() -> frame_support::weights::Weight {
		Self::WORST
	}
	fn observe_min_weight() -> frame_support::weights::Weight {
		Self::LEAST
	}
}

/// The participant register, as the tests set it.
pub struct Registry;
impl Registry {
	pub fn set(who: u64, role: Role, region: RegionCode, tier: KycTier, parent: Option<u64>) {
		let profile = ParticipantProfile { role, status: ParticipantStatus::Active, tier, region };
		PROFILES.with(|p| p.borrow_mut().insert(who, (profile, parent)));
	}
	pub fn set_status(who: u64, status: ParticipantStatus) {
		PROFILES.with(|p| {
			if let Some((profile, _)) = p.borrow_mut().get_mut(&who) {
				profile.status = status;
			}
		});
	}
	pub fn set_tier(who: u64, tier: KycTier) {
		PROFILES.with(|p| {
			if let Some((profile, _)) = p.borrow_mut().get_mut(&who) {
				profile.tier = tier;
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
		let mut at = Self::parent(who);
		while let Some(p) = at {
			if p == *ancestor {
				return true;
			}
			at = Self::parent(&p);
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
	fn register_for_benchmarks(who: &u64, role: Role, region: RegionCode, tier: KycTier) {
		Self::set(*who, role, region, tier, None);
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn register_child_for_benchmarks(
		who: &u64,
		role: Role,
		region: RegionCode,
		tier: KycTier,
		parent: &u64,
	) {
		Self::set(*who, role, region, tier, Some(*parent));
	}
}

/// An active regulator in the mock register.
pub struct EnsureRegulator<T>(PhantomData<T>);
impl EnsureOrigin<RuntimeOrigin> for EnsureRegulator<Test> {
	type Success = u64;
	fn try_origin(o: RuntimeOrigin) -> Result<u64, RuntimeOrigin> {
		match o.clone().into() {
			Ok(RawOrigin::Signed(who))
				if Registry::profile(&who).is_some_and(|p| {
					p.role == Role::Regulator && p.status == ParticipantStatus::Active
				}) =>
			{
				Ok(who)
			},
			_ => Err(o),
		}
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(RawOrigin::Signed(NATIONAL_REGULATOR).into())
	}
}

/// The test clock.
pub struct Clock;
impl Clock {
	pub fn set(ms: Moment) {
		NOW_MS.with(|n| *n.borrow_mut() = ms);
	}
	pub fn advance_days(days: u64) {
		NOW_MS.with(|n| *n.borrow_mut() += days * paychain_primitives::compliance::DAY_MS);
	}
}
impl UnixTime for Clock {
	fn now() -> core::time::Duration {
		core::time::Duration::from_millis(NOW_MS.with(|n| *n.borrow()))
	}
}

parameter_types! {
	pub const TimeZone: Moment = 8 * 3_600_000;
}

impl Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type RuntimeCall = RuntimeCall;
	type Registry = Registry;
	type RegulatorOrigin = EnsureRegulator<Test>;
	type AdminOrigin = EnsureRoot<u64>;
	type Time = Clock;
	type TimeZoneOffset = TimeZone;
	type ReportWorkingDays = ConstU32<5>;
	type CaseDeadline = ConstU64<CASE_DEADLINE>;
	type MaxWindow = ConstU64<10_000>;
	type MaxRuleDelay = ConstU64<1_000>;
	type MaxCounterparties = ConstU32<8>;
	type MaxBulkPayments = ConstU32<6>;
	type MaxDeadlinesPerBlock = ConstU32<3>;
	type MaxEvidence = ConstU32<4>;
	type MaxBasisLen = ConstU32<32>;
	type Observer = Observer;
	type WeightInfo = ();
}

/// 2026-11-23 (a Monday) 12:00 in UTC+8.
pub const MONDAY_NOON: Moment = 1_795_392_000_000 + 4 * 3_600_000;
pub const CASE_DEADLINE: u64 = 500;
pub const ENDOWMENT: u64 = 10_000_000;

pub const NATIONAL_REGULATOR: u64 = 1;
pub const GUANGDONG_REGULATOR: u64 = 2;
pub const PAYMENT_INSTITUTION: u64 = 3;
/// Individuals in Shenzhen, under the payment institution, at each tier.
pub const ALICE: u64 = 10;
pub const BOB: u64 = 11;
pub const CHARLIE: u64 = 12;
pub const DAVE: u64 = 13;
/// A merchant in Shenzhen.
pub const MERCHANT: u64 = 20;
/// An individual in Beijing.
pub const BEIJING: u64 = 30;
/// A finance department.
pub const FINANCE: u64 = 40;
/// Funded, never registered.
pub const STRANGER: u64 = 50;

pub const GUANGDONG: RegionCode = RegionCode(440000);
pub const SHENZHEN: RegionCode = RegionCode(440300);
pub const NANSHAN: RegionCode = RegionCode(440305);
pub const BEIJING_REGION: RegionCode = RegionCode(110000);

/// Large-value thresholds: individuals 500,000, everyone else 2,000,000 (a unit is a yuan).
pub const INDIVIDUAL_SINGLE: u64 = 500_000;
pub const ENTITY_SINGLE: u64 = 2_000_000;

pub fn large_value(role: Role, single: u64) -> (RuleId, RuleOf<Test>) {
	(RuleId::LargeValue(role, None), Rule::LargeValue(LargeValueRule { single, daily: single }))
}

/// The default rules of the tests: large values, velocity per tier, structuring, review
/// policy. Dormancy and fan rules are off unless a test sets them.
pub fn default_rules() -> Vec<(RuleId, RuleOf<Test>)> {
	let velocity = |tier, max_count, max_amount, action| {
		(
			RuleId::Velocity(tier),
			Rule::Velocity(VelocityRule { window: 100, max_count, max_amount, action }),
		)
	};
	vec![
		large_value(Role::Individual, INDIVIDUAL_SINGLE),
		large_value(Role::Merchant, ENTITY_SINGLE),
		large_value(Role::PaymentInstitution, ENTITY_SINGLE),
		large_value(Role::FinanceDepartment(FinanceLevel::Municipal), ENTITY_SINGLE),
		velocity(KycTier::Unverified, 2, 1_000, Action::Block),
		velocity(KycTier::Basic, 5, 100_000, Action::Review),
		velocity(KycTier::Standard, 20, 5_000_000, Action::Alert),
		(
			RuleId::Structuring,
			Rule::Structuring(StructuringRule {
				margin: Percent::from_percent(10),
				window: 1_000,
				min_count: 3,
				action: Action::Alert,
			}),
		),
		(
			RuleId::ReviewPolicy,
			Rule::ReviewPolicy(ReviewPolicy { timeout: 50, on_timeout: TimeoutAction::Return }),
		),
	]
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	PROFILES.with(|p| p.borrow_mut().clear());
	OBSERVED.with(|o| o.borrow_mut().clear());
	Clock::set(MONDAY_NOON);
	use KycTier::*;
	Registry::set(NATIONAL_REGULATOR, Role::Regulator, RegionCode::NATIONAL, Enhanced, None);
	Registry::set(GUANGDONG_REGULATOR, Role::Regulator, GUANGDONG, Enhanced, None);
	Registry::set(PAYMENT_INSTITUTION, Role::PaymentInstitution, GUANGDONG, Enhanced, None);
	Registry::set(ALICE, Role::Individual, NANSHAN, Standard, Some(PAYMENT_INSTITUTION));
	Registry::set(BOB, Role::Individual, NANSHAN, Standard, Some(PAYMENT_INSTITUTION));
	Registry::set(CHARLIE, Role::Individual, SHENZHEN, Basic, Some(PAYMENT_INSTITUTION));
	Registry::set(DAVE, Role::Individual, SHENZHEN, Enhanced, Some(PAYMENT_INSTITUTION));
	Registry::set(MERCHANT, Role::Merchant, SHENZHEN, Enhanced, Some(PAYMENT_INSTITUTION));
	Registry::set(BEIJING, Role::Individual, BEIJING_REGION, Standard, None);
	Registry::set(
		FINANCE,
		Role::FinanceDepartment(FinanceLevel::Municipal),
		SHENZHEN,
		Enhanced,
		None,
	);
	for who in 60..70 {
		Registry::set(who, Role::Individual, SHENZHEN, Standard, None);
	}

	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=70).map(|who| (who, ENDOWMENT)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	GenesisConfig::<Test> { rules: default_rules() }.assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs a test at block 1 on the mock world, then checks the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Compliance::do_try_state().expect("the invariants hold");
	});
}

/// Moves to block `n`, running the pallet's `on_initialize` on the way.
pub fn run_to(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Compliance::on_initialize(next);
	}
}
