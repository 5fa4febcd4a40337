//! A test runtime: System, Balances and Settlement, with a mock participant register, a mock
//! compliance check the tests steer, and an alert log.

use crate as pallet_settlement;
use core::cell::RefCell;
use frame_support::{
	derive_impl, ord_parameter_types,
	traits::{ConstU32, ConstU64, UnixTime},
	weights::Weight,
};
use frame_system::EnsureSignedBy;
use paychain_primitives::{
	accounts::{
		AccountRegistry, KeyCheckError, KycTier, ParticipantProfile, ParticipantStatus, RegionCode,
		Role, SigningKey,
	},
	compliance::{AlertSink, Assessment, ComplianceCheck, ExternalAlert, MovementKind, Verdict},
};
use sp_core::H256;
use sp_runtime::{BuildStorage, DispatchError, MultiSignature};
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Settlement: pallet_settlement,
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
}

/// Two clearing institutions.
pub const BANK_A: u64 = 1;
pub const BANK_B: u64 = 2;
/// A payment institution (not a clearing one).
pub const PAYMENT_INSTITUTION: u64 = 3;
/// Customers.
pub const A1: u64 = 11;
pub const A2: u64 = 12;
pub const B1: u64 = 21;
pub const REGULATOR: u64 = 30;
pub const STRANGER: u64 = 99;
pub const ENDOWMENT: u64 = 1_000;
/// The error the mock compliance blocks with.
pub const COMPLIANCE_BLOCK: DispatchError = DispatchError::Token(sp_runtime::TokenError::Blocked);

thread_local! {
	static PROFILES: RefCell<BTreeMap<u64, ParticipantProfile>> =
		const { RefCell::new(BTreeMap::new()) };
	static BLOCKED: RefCell<BTreeSet<u64>> = const { RefCell::new(BTreeSet::new()) };
	static REVIEW: RefCell<bool> = const { RefCell::new(false) };
	static CHECKS: RefCell<Vec<(u64, u64, u64, MovementKind)>> = const { RefCell::new(Vec::new()) };
	static ALERTS: RefCell<Vec<(u64, ExternalAlert, H256)>> = const { RefCell::new(Vec::new()) };
}

pub struct Registry;
impl Registry {
	pub fn set(who: u64, role: Role) {
		let profile = ParticipantProfile {
			role,
			status: ParticipantStatus::Active,
			tier: KycTier::Standard,
			region: RegionCode::NATIONAL,
		};
		PROFILES.with(|p| p.borrow_mut().insert(who, profile));
	}
	pub fn set_status(who: u64, status: ParticipantStatus) {
		PROFILES.with(|p| {
			if let Some(profile) = p.borrow_mut().get_mut(&who) {
				profile.status = status;
			}
		});
	}
}
impl AccountRegistry<u64> for Registry {
	fn profile(who: &u64) -> Option<ParticipantProfile> {
		PROFILES.with(|p| p.borrow().get(who).copied())
	}
	fn parent(_: &u64) -> Option<u64> {
		None
	}
	fn is_ancestor(_: &u64, _: &u64) -> bool {
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
	fn register_for_benchmarks(who: &u64, role: Role, _: RegionCode, _: KycTier) {
		Self::set(*who, role);
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn register_child_for_benchmarks(who: &u64, role: Role, _: RegionCode, _: KycTier, _: &u64) {
		Self::set(*who, role);
	}
}

pub struct Compliance;
impl Compliance {
	pub fn block(who: u64) {
		BLOCKED.with(|b| b.borrow_mut().insert(who));
	}
	pub fn review(on: bool) {
		REVIEW.with(|r| *r.borrow_mut() = on);
	}
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
		if REVIEW.with(|r| *r.borrow()) {
			return Ok(Verdict::HeldForReview(3));
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

pub struct Alerts;
impl Alerts {
	pub fn raised() -> Vec<(u64, ExternalAlert, H256)> {
		ALERTS.with(|a| a.borrow().clone())
	}
}
impl AlertSink<u64> for Alerts {
	fn raise(account: &u64, cause: ExternalAlert, evidence: H256) {
		ALERTS.with(|a| a.borrow_mut().push((*account, cause, evidence)));
	}
}

pub struct Clock;
impl UnixTime for Clock {
	fn now() -> core::time::Duration {
		core::time::Duration::from_millis(1_780_272_000_000)
	}
}

ord_parameter_types! {
	pub const Regulator: u64 = REGULATOR;
}

impl pallet_settlement::Config for Test {
	type Currency = Balances;
	type Registry = Registry;
	type Compliance = Compliance;
	type Alerts = Alerts;
	type Time = Clock;
	type RegulatorOrigin = EnsureSignedBy<Regulator, u64>;
	type AdminOrigin = frame_system::EnsureRoot<u64>;
	type StatementWindow = ConstU64<5>;
	type MaxPairs = ConstU32<3>;
	type WeightInfo = ();
}

/// The test externalities: the institutions, customers and regulator registered, everyone
/// endowed but the customers, at block 1 (cycle 0).
pub fn ext() -> sp_io::TestExternalities {
	PROFILES.with(|p| p.borrow_mut().clear());
	BLOCKED.with(|b| b.borrow_mut().clear());
	REVIEW.with(|r| *r.borrow_mut() = false);
	CHECKS.with(|c| c.borrow_mut().clear());
	ALERTS.with(|a| a.borrow_mut().clear());
	Registry::set(BANK_A, Role::ClearingInstitution);
	Registry::set(BANK_B, Role::ClearingInstitution);
	Registry::set(PAYMENT_INSTITUTION, Role::PaymentInstitution);
	for who in [A1, A2, B1] {
		Registry::set(who, Role::Individual);
	}
	Registry::set(REGULATOR, Role::Regulator);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [BANK_A, BANK_B, PAYMENT_INSTITUTION, REGULATOR, STRANGER]
			.into_iter()
			.map(|who| (who, ENDOWMENT))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_settlement::GenesisConfig::<Test> { cycle_length: 10, _config: Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext: sp_io::TestExternalities = storage.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs the blocks up to `n` (their initialisation: cycles roll).
pub fn run_to(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Settlement::on_initialize(next);
	}
}

/// Runs a test and checks the pallet's invariants after it.
pub fn new_test_ext(test: impl FnOnce()) {
	ext().execute_with(|| {
		test();
		Settlement::do_try_state().expect("invariants hold after the test");
	});
}
