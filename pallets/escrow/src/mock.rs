//! A test runtime: System, Balances and Escrow, with a mock participant register, a mock
//! compliance check the tests steer, and a mock oracle signature.

use crate as pallet_escrow;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::cell::RefCell;
use frame_support::{
	derive_impl, ord_parameter_types, parameter_types,
	traits::{fungible::Mutate, tokens::Preservation, ConstU32, Hooks},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSignedBy};
use paychain_primitives::{
	accounts::{
		AccountRegistry, KeyCheckError, KycTier, ParticipantProfile, ParticipantStatus, RegionCode,
		Role, SigningKey,
	},
	compliance::{Assessment, ComplianceCheck, MovementKind, Verdict},
};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{
	traits::{IdentifyAccount, Lazy, Verify},
	BuildStorage, DispatchError, MultiSignature, Permill,
};
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Escrow: pallet_escrow,
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

pub const PAYER: u64 = 1;
pub const PAYEE: u64 = 2;
pub const OTHER_PAYER: u64 = 3;
pub const ARBITER: u64 = 10;
pub const APPEAL_ARBITER: u64 = 11;
pub const ORACLES: [u64; 3] = [20, 21, 22];
pub const REGULATOR: u64 = 30;
pub const STRANGER: u64 = 99;
pub const FEE_ACCOUNT: u64 = 100;
/// Where the mock compliance puts payments it holds for review.
pub const REVIEW_VAULT: u64 = 101;
pub const ENDOWMENT: u64 = 1_000_000;
/// The error the mock compliance blocks with.
pub const COMPLIANCE_BLOCK: DispatchError = DispatchError::Token(sp_runtime::TokenError::Blocked);

thread_local! {
	static PROFILES: RefCell<BTreeMap<u64, ParticipantProfile>> =
		const { RefCell::new(BTreeMap::new()) };
	static BLOCKED: RefCell<BTreeSet<u64>> = const { RefCell::new(BTreeSet::new()) };
	static REVIEW: RefCell<bool> = const { RefCell::new(false) };
	static CHECKS: RefCell<Vec<(u64, u64, u64, MovementKind)>> = const { RefCell::new(Vec::new()) };
}

/// The participant register, as the tests set it.
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

/// The compliance check, steered by the tests: accounts it blocks, whether it holds payments
/// for review, and a log of what it was asked.
pub struct Compliance;
impl Compliance {
	/// Blocks every movement from or to `who` (as if frozen).
	pub fn block(who: u64) {
		BLOCKED.with(|b| b.borrow_mut().insert(who));
	}
	pub fn unblock(who: u64) {
		BLOCKED.with(|b| b.borrow_mut().remove(&who));
	}
	/// Holds every release for review from now on.
	pub fn review_releases(on: bool) {
		REVIEW.with(|r| *r.borrow_mut() = on);
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
		if kind == MovementKind::EscrowRelease && REVIEW.with(|r| *r.borrow()) {
			// The real pallet holds it on the sender; from the escrow's side it is gone either
			// way, so a vault stands in for that hold.
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

/// A mock signature: who signed, and the hash of what.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct MockSignature {
	pub signer: u64,
	pub message: H256,
}
impl MockSignature {
	pub fn sign(signer: u64, message: &[u8]) -> Self {
		Self { signer, message: H256(sp_io::hashing::blake2_256(message)) }
	}
}
/// The signer of a [`MockSignature`]: the account itself.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo)]
pub struct MockSigner(pub u64);
impl IdentifyAccount for MockSigner {
	type AccountId = u64;
	fn into_account(self) -> u64 {
		self.0
	}
}
impl Verify for MockSignature {
	type Signer = MockSigner;
	fn verify<L: Lazy<[u8]>>(&self, mut msg: L, signer: &u64) -> bool {
		self.signer == *signer && self.message.0 == sp_io::hashing::blake2_256(msg.get())
	}
}

parameter_types! {
	pub const FeeDestination: u64 = FEE_ACCOUNT;
	pub const MaxFeeRate: Permill = Permill::from_percent(5);
}
ord_parameter_types! {
	pub const Regulator: u64 = REGULATOR;
}

impl pallet_escrow::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type Compliance = Compliance;
	type OracleSignature = MockSignature;
	type OracleSigner = MockSigner;
	type ArbitrationOrigin = EnsureRoot<u64>;
	type RegulatorOrigin = EnsureSignedBy<Regulator, u64>;
	type AdminOrigin = EnsureRoot<u64>;
	type FeeDestination = FeeDestination;
	type MaxFeeRate = MaxFeeRate;
	type MaxOrderIdLen = ConstU32<16>;
	type MaxOracles = ConstU32<3>;
	type MaxMilestones = ConstU32<4>;
	type MaxPeriod = ConstU64<1_000>;
	type RequestLifetime = ConstU64<10>;
	type Retention = ConstU64<20>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}
use frame_support::traits::ConstU64;

/// Oracles for the benchmarks: account `1_000 + seed`, signing with the mock signature.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, MockSignature> for BenchmarkHelper {
	fn oracle(seed: u32) -> u64 {
		1_000 + u64::from(seed)
	}
	fn sign(seed: u32, message: &[u8]) -> MockSignature {
		MockSignature::sign(Self::oracle(seed), message)
	}
}

/// The test externalities: everyone registered and endowed, at block 1.
pub fn ext() -> sp_io::TestExternalities {
	PROFILES.with(|p| p.borrow_mut().clear());
	BLOCKED.with(|b| b.borrow_mut().clear());
	REVIEW.with(|r| *r.borrow_mut() = false);
	CHECKS.with(|c| c.borrow_mut().clear());
	Registry::set(PAYER, Role::Individual);
	Registry::set(OTHER_PAYER, Role::Individual);
	Registry::set(PAYEE, Role::Merchant);
	Registry::set(ARBITER, Role::Arbiter);
	Registry::set(APPEAL_ARBITER, Role::Arbiter);
	for oracle in ORACLES {
		Registry::set(oracle, Role::Oracle);
	}
	Registry::set(REGULATOR, Role::Regulator);
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [PAYER, OTHER_PAYER, PAYEE, ARBITER, STRANGER, FEE_ACCOUNT]
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
		Escrow::do_try_state().expect("invariants hold after the test");
	});
}

/// Runs the idle hook of every block up to `n` with plenty of weight.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Escrow::on_idle(next, Weight::MAX);
		Escrow::do_try_state().expect("invariants hold after every block");
	}
}
