//! A test runtime: System, Balances and Ledger, with a mock participant register holding real
//! ed25519 institution keys with validity windows, a mock compliance check the tests steer, and
//! an alert log.

use crate as pallet_ledger;
use crate::{StageKind, StageSpec};
use core::{cell::RefCell, time::Duration};
use frame_support::{
	derive_impl,
	traits::{fungible::Mutate, tokens::Preservation, ConstU32, UnixTime},
	weights::Weight,
};
use frame_system::EnsureRoot;
use paychain_primitives::{
	accounts::{
		AccountRegistry, InstitutionKey, KeyCheckError, KycTier, ParticipantProfile,
		ParticipantStatus, RegionCode, Role, SigningKey,
	},
	compliance::{AlertSink, Assessment, ComplianceCheck, ExternalAlert, MovementKind, Verdict},
};
use sp_core::{ed25519, Pair, H256};
use sp_runtime::{BuildStorage, DispatchError, MultiSignature};
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Ledger: pallet_ledger,
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

/// A payment institution: opens orders, approves and pays.
pub const BANK: u64 = 1;
/// A clearing institution: submits to the bank and confirms.
pub const CLEARING: u64 = 2;
/// Another payment institution.
pub const OTHER_BANK: u64 = 3;
/// The payee of settlements.
pub const PAYEE: u64 = 10;
/// Not registered.
pub const STRANGER: u64 = 99;
/// Where the mock compliance puts payments it holds for review.
pub const REVIEW_VAULT: u64 = 101;
pub const ENDOWMENT: u64 = 1_000_000;
/// The business type of the mock's five-stage payment workflow.
pub const PAYMENT: u16 = 1;
/// The error the mock compliance blocks with.
pub const COMPLIANCE_BLOCK: DispatchError = DispatchError::Token(sp_runtime::TokenError::Blocked);

thread_local! {
	static PROFILES: RefCell<BTreeMap<u64, ParticipantProfile>> =
		const { RefCell::new(BTreeMap::new()) };
	static KEYS: RefCell<BTreeMap<u64, Vec<InstitutionKey<u64>>>> =
		const { RefCell::new(BTreeMap::new()) };
	static BLOCKED: RefCell<BTreeSet<u64>> = const { RefCell::new(BTreeSet::new()) };
	static REVIEW: RefCell<bool> = const { RefCell::new(false) };
	static ALERTS: RefCell<Vec<(u64, ExternalAlert, H256)>> = const { RefCell::new(Vec::new()) };
	static BENCH_SIGNERS: RefCell<BTreeMap<SigningKey, u64>> = const { RefCell::new(BTreeMap::new()) };
}

/// An institution's `n`th key pair.
pub fn pair(who: u64, n: u8) -> ed25519::Pair {
	ed25519::Pair::from_seed(&[who as u8 + 16 * n; 32])
}

/// An institution's `n`th key.
pub fn key(who: u64, n: u8) -> SigningKey {
	SigningKey::Ed25519(pair(who, n).public())
}

/// The participant register, as the tests set it.
pub struct Registry;
impl Registry {
	pub fn set(who: u64, role: Role) {
		let profile = ParticipantProfile {
			role,
			status: ParticipantStatus::Active,
			tier: KycTier::Enhanced,
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
	/// Registers key `n` of `who`, valid in `[from, until)`.
	pub fn add_key(who: u64, n: u8, from: u64, until: Option<u64>) {
		let entry = InstitutionKey {
			key: key(who, n),
			valid_from: from,
			valid_until: until,
			revoked_at: None,
		};
		KEYS.with(|k| k.borrow_mut().entry(who).or_default().push(entry));
	}
	pub fn revoke_key(who: u64, n: u8) {
		KEYS.with(|k| {
			for entry in k.borrow_mut().entry(who).or_default().iter_mut() {
				if entry.key == key(who, n) {
					entry.revoked_at = Some(System::block_number());
				}
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
		institution: &u64,
		key: &SigningKey,
		payload: &[u8],
		signature: &MultiSignature,
	) -> Result<(), KeyCheckError> {
		if Self::profile(institution).is_none_or(|p| p.status != ParticipantStatus::Active) {
			return Err(KeyCheckError::InstitutionNotActive);
		}
		let entry = KEYS
			.with(|k| {
				k.borrow()
					.get(institution)
					.and_then(|keys| keys.iter().find(|e| &e.key == key).cloned())
			})
			.ok_or(KeyCheckError::UnknownKey)?;
		if entry.revoked_at.is_some() {
			return Err(KeyCheckError::Revoked);
		}
		if !entry.is_valid_at(System::block_number()) {
			return Err(KeyCheckError::OutsideValidity);
		}
		key.verify(payload, signature).then_some(()).ok_or(KeyCheckError::BadSignature)
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

/// The compliance check, steered by the tests.
pub struct Compliance;
impl Compliance {
	pub fn block(who: u64) {
		BLOCKED.with(|b| b.borrow_mut().insert(who));
	}
	pub fn review_settlements(on: bool) {
		REVIEW.with(|r| *r.borrow_mut() = on);
	}
}
impl ComplianceCheck<u64, u64> for Compliance {
	fn check(
		from: &u64,
		to: &u64,
		amount: u64,
		kind: MovementKind,
	) -> Result<Verdict, DispatchError> {
		assert_eq!(kind, MovementKind::OrderSettlement);
		if BLOCKED.with(|b| b.borrow().contains(from) || b.borrow().contains(to)) {
			return Err(COMPLIANCE_BLOCK);
		}
		if REVIEW.with(|r| *r.borrow()) {
			Balances::transfer(from, &REVIEW_VAULT, amount, Preservation::Expendable)?;
			return Ok(Verdict::HeldForReview(9));
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
	pub fn raised() -> Vec<(u64, ExternalAlert, H256)> {
		ALERTS.with(|a| a.borrow().clone())
	}
}
impl AlertSink<u64> for Alerts {
	fn raise(account: &u64, cause: ExternalAlert, evidence: H256) {
		ALERTS.with(|a| a.borrow_mut().push((*account, cause, evidence)));
	}
}

/// 2026-06-01T00:00:00Z.
pub const NOW_MS: u64 = 1_780_272_000_000;

pub struct Clock;
impl UnixTime for Clock {
	fn now() -> Duration {
		Duration::from_millis(NOW_MS)
	}
}

impl pallet_ledger::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = Registry;
	type Compliance = Compliance;
	type Alerts = Alerts;
	type Time = Clock;
	type AdminOrigin = EnsureRoot<u64>;
	type MaxStages = ConstU32<6>;
	type MaxSourceLen = ConstU32<16>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

/// Keys for the benchmarks: an ed25519 key per institution, from a seed of its id, registered
/// in the mock register.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper {
	fn pair_of(institution: u64) -> ed25519::Pair {
		ed25519::Pair::from_seed(&sp_io::hashing::blake2_256(&institution.to_le_bytes()))
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for BenchmarkHelper {
	fn register_key(institution: &u64) -> SigningKey {
		let key = SigningKey::Ed25519(Self::pair_of(*institution).public());
		let entry =
			InstitutionKey { key: key.clone(), valid_from: 0, valid_until: None, revoked_at: None };
		KEYS.with(|k| k.borrow_mut().entry(*institution).or_default().push(entry));
		BENCH_SIGNERS.with(|s| s.borrow_mut().insert(key.clone(), *institution));
		key
	}
	fn sign(key: &SigningKey, payload: &[u8]) -> MultiSignature {
		let who = BENCH_SIGNERS
			.with(|s| s.borrow().get(key).copied())
			.expect("a key the helper registered");
		MultiSignature::Ed25519(Self::pair_of(who).sign(payload))
	}
}

/// The mock's payment workflow: application, fund approval and payment by a payment
/// institution, bank submission and confirmation by a clearing institution.
pub fn payment_workflow() -> Vec<StageSpec> {
	use Role::*;
	use StageKind::*;
	[
		(Application, PaymentInstitution),
		(FundApproval, PaymentInstitution),
		(Payment, PaymentInstitution),
		(BankSubmission, ClearingInstitution),
		(BankConfirmation, ClearingInstitution),
	]
	.into_iter()
	.map(|(kind, role)| StageSpec { kind, role })
	.collect()
}

/// The test externalities: the institutions registered with key 0 valid from genesis, the
/// payment workflow set in genesis, at block 1.
pub fn ext() -> sp_io::TestExternalities {
	PROFILES.with(|p| p.borrow_mut().clear());
	KEYS.with(|k| k.borrow_mut().clear());
	BLOCKED.with(|b| b.borrow_mut().clear());
	REVIEW.with(|r| *r.borrow_mut() = false);
	ALERTS.with(|a| a.borrow_mut().clear());
	Registry::set(BANK, Role::PaymentInstitution);
	Registry::set(OTHER_BANK, Role::PaymentInstitution);
	Registry::set(CLEARING, Role::ClearingInstitution);
	Registry::set(PAYEE, Role::Merchant);
	for who in [BANK, OTHER_BANK, CLEARING] {
		Registry::add_key(who, 0, 0, None);
	}
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [BANK, OTHER_BANK, CLEARING, PAYEE, STRANGER]
			.into_iter()
			.map(|who| (who, ENDOWMENT))
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_ledger::GenesisConfig::<Test> {
		workflows: vec![(PAYMENT, payment_workflow())],
		_config: Default::default(),
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
		Ledger::do_try_state().expect("invariants hold after the test");
	});
}
