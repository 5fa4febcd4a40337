//! A test runtime: System, Balances and Accounts, with a small registered world.

use crate::{self as pallet_accounts, EnsureParticipantRole, EnsureRegistrar, RegulatorRole};
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use paychain_primitives::accounts::{FinanceLevel, KycTier, Obligations, RegionCode, Role};
use sp_core::H256;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Accounts: pallet_accounts,
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
}

thread_local! {
	static OBLIGATIONS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Another pallet's obligations, as the tests set them.
pub struct TestObligations;
impl TestObligations {
	pub fn set(who: u64) {
		OBLIGATIONS.with(|o| o.borrow_mut().push(who));
	}
}
impl Obligations<u64> for TestObligations {
	fn has_obligations(who: &u64) -> bool {
		OBLIGATIONS.with(|o| o.borrow().contains(who))
	}
}

parameter_types! {
	pub const Deposit: u64 = DEPOSIT;
}

impl pallet_accounts::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeCall = RuntimeCall;
	type AdminOrigin = EnsureRoot<u64>;
	type RegistrarOrigin = EnsureRegistrar<Test>;
	type RegulatorOrigin = EnsureParticipantRole<Test, RegulatorRole>;
	type Obligations = TestObligations;
	type ApplicationDeposit = Deposit;
	type MaxDepth = ConstU32<5>;
	type MaxKeysPerInstitution = ConstU32<3>;
	type MaxKeyOverlap = ConstU64<100>;
	type WeightInfo = ();
}

pub const DEPOSIT: u64 = 100;
pub const ENDOWMENT: u64 = 10_000;
pub const KYC_VALIDITY: u64 = 1_000;

/// The national registrar (a clearing institution), acting everywhere.
pub const NATIONAL_REGISTRAR: u64 = 1;
/// Guangdong's registrar (a payment institution), acting in 440000 only.
pub const GUANGDONG_REGISTRAR: u64 = 2;
/// A regulator.
pub const REGULATOR: u64 = 3;
/// A merchant in Shenzhen, under the Guangdong payment institution.
pub const MERCHANT: u64 = 4;
/// An individual in Beijing.
pub const BEIJING_INDIVIDUAL: u64 = 5;
/// The finance-department tree: national → Guangdong → Shenzhen → Nanshan.
pub const MOF: u64 = 10;
pub const GUANGDONG_FINANCE: u64 = 11;
pub const SHENZHEN_FINANCE: u64 = 12;
pub const NANSHAN_FINANCE: u64 = 13;
/// Accounts that are funded but not registered.
pub const STRANGER: u64 = 50;
pub const OTHER_STRANGER: u64 = 51;

pub const GUANGDONG: RegionCode = RegionCode(440000);
pub const SHENZHEN: RegionCode = RegionCode(440300);
pub const NANSHAN: RegionCode = RegionCode(440305);
pub const BEIJING: RegionCode = RegionCode(110000);

/// A distinct identity commitment per number.
pub fn identity(n: u64) -> H256 {
	H256::from_low_u64_be(n)
}

fn participant(
	account: u64,
	role: Role,
	region: RegionCode,
	parent: Option<u64>,
	tier: KycTier,
) -> pallet_accounts::GenesisParticipant<u64> {
	pallet_accounts::GenesisParticipant {
		account,
		role,
		identity: identity(account),
		region,
		parent,
		tier,
	}
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=60).map(|who| (who, ENDOWMENT)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	use FinanceLevel::*;
	use KycTier::*;
	pallet_accounts::GenesisConfig::<Test> {
		registrars: vec![
			(NATIONAL_REGISTRAR, RegionCode::NATIONAL),
			(GUANGDONG_REGISTRAR, GUANGDONG),
		],
		participants: vec![
			participant(
				NATIONAL_REGISTRAR,
				Role::ClearingInstitution,
				RegionCode::NATIONAL,
				None,
				Enhanced,
			),
			participant(GUANGDONG_REGISTRAR, Role::PaymentInstitution, GUANGDONG, None, Enhanced),
			participant(REGULATOR, Role::Regulator, RegionCode::NATIONAL, None, Enhanced),
			participant(MERCHANT, Role::Merchant, SHENZHEN, Some(GUANGDONG_REGISTRAR), Standard),
			participant(BEIJING_INDIVIDUAL, Role::Individual, BEIJING, None, Basic),
			participant(
				MOF,
				Role::FinanceDepartment(National),
				RegionCode::NATIONAL,
				None,
				Enhanced,
			),
			participant(
				GUANGDONG_FINANCE,
				Role::FinanceDepartment(Provincial),
				GUANGDONG,
				Some(MOF),
				Enhanced,
			),
			participant(
				SHENZHEN_FINANCE,
				Role::FinanceDepartment(Municipal),
				SHENZHEN,
				Some(GUANGDONG_FINANCE),
				Enhanced,
			),
			participant(
				NANSHAN_FINANCE,
				Role::FinanceDepartment(County),
				NANSHAN,
				Some(SHENZHEN_FINANCE),
				Enhanced,
			),
		],
		kyc_validity: KYC_VALIDITY,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs a test at block 1 on the mock world, then checks the pallet's invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		pallet_accounts::Pallet::<Test>::do_try_state().expect("the invariants hold");
	});
}
