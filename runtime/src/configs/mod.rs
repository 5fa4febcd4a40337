//! The `Config` of every pallet in the runtime, and the parameters they share.

mod fees;

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

use super::{
	weights, AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin,
	RuntimeTask, System, BLOCK_HASH_COUNT, DAYS, EXISTENTIAL_DEPOSIT, SLOT_DURATION, UNITS,
	VERSION,
};
pub use fees::{DealWithFees, FeeCollector, WeightToFee, TRANSACTION_BYTE_FEE};
use frame_system::EnsureRoot;

/// Ordinary (user) transactions may fill 75% of a block; the rest is kept for operational
/// transactions (governance, validator operations) and the block's own overhead.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// The largest weight a block may have: one second of compute, a third of the 3-second slot,
/// so that every validator can import a full block well inside the next slot.
const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND, u64::MAX);

/// The largest encoded block: 5 MiB.
const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

/// The largest number of validators Aura and GRANDPA accept.
pub const MAX_AUTHORITIES: u32 = 32;

parameter_types! {
	pub const BlockHashCount: BlockNumber = BLOCK_HASH_COUNT;
	pub const Version: RuntimeVersion = VERSION;

	/// Block weights: the standard split between normal and operational extrinsics, on top of
	/// the weight every block and every extrinsic costs as measured on the reference machine.
	pub RuntimeBlockWeights: BlockWeights = block_weights();
	/// At most 5 MiB a block, of which normal extrinsics may use 75%. (Built by hand: the
	/// builder the deprecated `max_with_normal_ratio` points to does not exist in stable2609.)
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAXIMUM_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_LENGTH
		})
		.build();
	pub const SS58Prefix: u16 = paychain_primitives::currency::SS58_PREFIX;
}

/// Operational extrinsics may use the whole block; normal ones [`NORMAL_DISPATCH_RATIO`] of it;
/// a block's initialisation is expected to take a tenth. The base weights are this machine's
/// (`weights::block_weights`, `weights::extrinsic_weights`), not the SDK's reference figures.
fn block_weights() -> BlockWeights {
	let normal = NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT;
	BlockWeights::builder()
		.base_block(weights::BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |class| {
			class.base_extrinsic = weights::ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |class| class.max_total = Some(normal))
		.for_class(DispatchClass::Operational, |class| {
			class.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			class.reserved = Some(MAXIMUM_BLOCK_WEIGHT - normal);
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build()
		// Checked by the runtime's test `block_weights_are_built_from_the_measured_base_weights`;
		// the SDK's defaults for the same limits rather than a panic, should a regenerated base
		// weight not fit.
		.unwrap_or_else(|_| {
			BlockWeights::with_sensible_defaults(MAXIMUM_BLOCK_WEIGHT, NORMAL_DISPATCH_RATIO)
		})
}

/// The default values come from `frame_system::config_preludes::SolochainDefaultConfig`; what is
/// Paychain's own is set here.
#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type BaseCallFilter = UncheckedTransfers;
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// ParityDB, the node's database, as `benchmark storage` measured it on this machine.
	type DbWeight = weights::ParityDbWeight;
	type SystemWeightInfo = weights::frame_system::WeightInfo<Runtime>;
	type ExtensionsWeightInfo = weights::frame_system_extensions::WeightInfo<Runtime>;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// A timestamp: milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	/// The type for recording an account's balance.
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	/// Dust (a balance below the existential deposit left after a transfer) goes to the
	/// fee collector rather than vanishing, so total issuance only changes by mint and burn.
	type DustRemoval = DealWithFees;
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, DealWithFees>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = WeightToFee;
	type LengthToFee =
		frame_support::weights::ConstantMultiplier<Balance, ConstU128<TRANSACTION_BYTE_FEE>>;
	/// Fees are stable: a payment costs the same whatever the load, as institutions price it.
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = weights::pallet_sudo::WeightInfo<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = super::OriginCaller;
	type WeightInfo = weights::pallet_utility::WeightInfo<Runtime>;
}

parameter_types! {
	/// What an applicant deposits for its record: 10 PCNY, returned when it closes.
	pub const ApplicationDeposit: Balance = 10 * UNITS;
	/// How long a rotated institution key keeps verifying: at most a week.
	pub const MaxKeyOverlap: BlockNumber = 7 * DAYS;
}

/// The participant register. Registrars are accounts governance appoints; regulators are
/// participants with the regulator role; governance is root (sudo, until a council replaces it).
impl pallet_accounts::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeCall = RuntimeCall;
	type AdminOrigin = EnsureRoot<AccountId>;
	type RegistrarOrigin = pallet_accounts::EnsureRegistrar<Runtime>;
	type RegulatorOrigin =
		pallet_accounts::EnsureParticipantRole<Runtime, pallet_accounts::RegulatorRole>;
	// Funds in review, open cases, freezes and listings keep an account open, and so do being
	// the payer or payee of an open escrow, holding a fiscal program's funds and a payment order's
	// held payment.
	type Obligations = (super::Compliance, super::Escrow, super::Fiscal, super::Ledger);
	type ApplicationDeposit = ApplicationDeposit;
	type MaxDepth = ConstU32<8>;
	type MaxKeysPerInstitution = ConstU32<8>;
	type MaxKeyOverlap = MaxKeyOverlap;
	type WeightInfo = pallet_accounts::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Whether the balances pallet's own transfers are open: `false`, and no call sets it. Only
	/// the throughput benchmark's chain spec (`paychain-tps spec`) writes `true` under
	/// [`PlainTransfers::key`] at genesis, to measure an unchecked transfer beside the checked
	/// one on the same runtime. A chain that sets it is not a Paychain payment chain.
	pub storage PlainTransfers: bool = false;
}

/// Every value movement between accounts passes the compliance check, so the balances pallet's
/// own transfers (and its `burn`, which would destroy money outside settlement) are closed to
/// signed origins, also inside batches: transfers go through `Compliance::transfer`,
/// `transfer_keep_alive` and `transfer_all`, which take the same arguments. Governance (root,
/// which bypasses the filter) keeps the balances pallet's `force_*` calls.
pub struct UncheckedTransfers;
impl frame_support::traits::Contains<RuntimeCall> for UncheckedTransfers {
	fn contains(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Balances(
				pallet_balances::Call::transfer_allow_death { .. }
				| pallet_balances::Call::transfer_keep_alive { .. }
				| pallet_balances::Call::transfer_all { .. },
			) => PlainTransfers::get(),
			RuntimeCall::Balances(pallet_balances::Call::burn { .. }) => false,
			_ => true,
		}
	}
}

parameter_types! {
	/// Days start at midnight in China Standard Time (UTC+8).
	pub const ChinaStandardTime: paychain_primitives::Moment = 8 * 3_600_000;
	/// A regulator has 30 days to conclude a case.
	pub const CaseDeadline: BlockNumber = 30 * DAYS;
	/// Rule windows and review timeouts last at most 30 days.
	pub const MaxRuleWindow: BlockNumber = 30 * DAYS;
	/// Rule changes are scheduled at most 30 days ahead.
	pub const MaxRuleDelay: BlockNumber = 30 * DAYS;
}

/// The rule engine and the regulators' workbench. Regulators are participants with the
/// regulator role, acting within their region; governance acts everywhere.
impl pallet_compliance::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type RuntimeCall = RuntimeCall;
	type Registry = super::Accounts;
	type RegulatorOrigin =
		pallet_accounts::EnsureParticipantRole<Runtime, pallet_accounts::RegulatorRole>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type Time = super::Timestamp;
	type TimeZoneOffset = ChinaStandardTime;
	type ReportWorkingDays = ConstU32<5>;
	type CaseDeadline = CaseDeadline;
	type MaxWindow = MaxRuleWindow;
	type MaxRuleDelay = MaxRuleDelay;
	type MaxCounterparties = ConstU32<32>;
	// A bulk transfer pays at most as many distinct recipients as the loosest fan-out rule
	// allows (a fan limit is below `MaxCounterparties`).
	type MaxBulkPayments = ConstU32<31>;
	type MaxDeadlinesPerBlock = ConstU32<64>;
	type MaxEvidence = ConstU32<16>;
	type MaxBasisLen = ConstU32<64>;
	// Settlement counts every payment between customers of different clearing institutions.
	type Observer = super::Settlement;
	type WeightInfo = pallet_compliance::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The platform fee governance may set is at most 5%.
	pub const MaxEscrowFee: sp_runtime::Permill = sp_runtime::Permill::from_percent(5);
	/// No term of an escrow is longer than 90 days.
	pub const MaxEscrowPeriod: BlockNumber = 90 * DAYS;
	/// A payment request waits a week for the payer.
	pub const EscrowRequestLifetime: BlockNumber = 7 * DAYS;
	/// Closed escrows stay queryable for 90 days (the events stay in the blocks for ever).
	pub const EscrowRetention: BlockNumber = 90 * DAYS;
}

/// Custody for trades. Arbiters and oracles are participants with those roles; disputes without
/// an active named arbiter go to governance; regulators retry blocked payments and order refunds.
/// The platform fee goes to the consortium's fee account.
impl pallet_escrow::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = super::Accounts;
	type Compliance = super::Compliance;
	type OracleSignature = super::Signature;
	type OracleSigner = <super::Signature as sp_runtime::traits::Verify>::Signer;
	type ArbitrationOrigin = EnsureRoot<AccountId>;
	type RegulatorOrigin =
		pallet_accounts::EnsureParticipantRole<Runtime, pallet_accounts::RegulatorRole>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type FeeDestination = FeeCollector;
	type MaxFeeRate = MaxEscrowFee;
	type MaxOrderIdLen = ConstU32<64>;
	type MaxOracles = ConstU32<8>;
	type MaxMilestones = ConstU32<16>;
	type MaxPeriod = MaxEscrowPeriod;
	type RequestLifetime = EscrowRequestLifetime;
	type Retention = EscrowRetention;
	type WeightInfo = pallet_escrow::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = EscrowBenchmarkHelper;
}

parameter_types! {
	/// A program's tree may have up to 4,096 allocations: the ministry, every province, city
	/// and county (about 3,200 in China) with room to spare.
	pub const MaxFiscalAllocations: u32 = 4_096;
}

/// Fiscal transfer payments. Finance and supervision departments are participants with those
/// roles, in the accounts pallet's organisation tree; governance closes fiscal years; fiscal
/// years turn at midnight China Standard Time.
impl pallet_fiscal::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = super::Accounts;
	type Compliance = super::Compliance;
	type Alerts = super::Compliance;
	type Time = super::Timestamp;
	type TimeZoneOffset = ChinaStandardTime;
	type CloseOrigin = EnsureRoot<AccountId>;
	type MaxCodeLen = ConstU32<32>;
	type MaxAllocations = MaxFiscalAllocations;
	type MaxSweep = ConstU32<64>;
	type WeightInfo = pallet_fiscal::weights::SubstrateWeight<Runtime>;
}

/// The payment-order ledger. Institutions sign stages with the keys they registered in the
/// accounts pallet; tampering is reported to compliance; governance sets the workflows.
impl pallet_ledger::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Registry = super::Accounts;
	type Compliance = super::Compliance;
	type Alerts = super::Compliance;
	type Time = super::Timestamp;
	type AdminOrigin = EnsureRoot<AccountId>;
	type MaxStages = ConstU32<16>;
	type MaxSourceLen = ConstU32<32>;
	type WeightInfo = pallet_ledger::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = LedgerBenchmarkHelper;
}

/// Institution keys for the ledger benchmarks: an sr25519 key made in the benchmark keystore
/// for each institution and registered to it in the accounts pallet, so that stages carry real
/// signatures checked by the real register.
#[cfg(feature = "runtime-benchmarks")]
pub struct LedgerBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_ledger::BenchmarkHelper<AccountId> for LedgerBenchmarkHelper {
	fn register_key(institution: &AccountId) -> paychain_primitives::accounts::SigningKey {
		const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"ledg");
		let raw: &[u8] = institution.as_ref();
		let phrase =
			alloc::format!("//institution/{}", sp_core::hexdisplay::HexDisplay::from(&raw));
		let public = sp_io::crypto::sr25519_generate(KEY_TYPE, Some(phrase.into_bytes()));
		let key = paychain_primitives::accounts::SigningKey::Sr25519(public);
		super::Accounts::register_key(
			RuntimeOrigin::signed(institution.clone()),
			key.clone(),
			None,
			None,
		)
		.expect("a registered institution registers a fresh key");
		key
	}

	fn sign(
		key: &paychain_primitives::accounts::SigningKey,
		payload: &[u8],
	) -> sp_runtime::MultiSignature {
		const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"ledg");
		let paychain_primitives::accounts::SigningKey::Sr25519(public) = key else {
			unreachable!("the helper makes sr25519 keys")
		};
		sp_io::crypto::sr25519_sign(KEY_TYPE, public, payload)
			.map(Into::into)
			.expect("the key was made in the keystore")
	}
}

parameter_types! {
	/// Statements are due a day after a cycle closes.
	pub const StatementWindow: BlockNumber = DAYS;
}

/// Settlement and reconciliation. Clearing institutions are participants with that role;
/// regulators countersign reserves; compliance tells it of every payment.
impl pallet_settlement::Config for Runtime {
	type Currency = Balances;
	type Registry = super::Accounts;
	type Compliance = super::Compliance;
	type Alerts = super::Compliance;
	type Time = super::Timestamp;
	type RegulatorOrigin =
		pallet_accounts::EnsureParticipantRole<Runtime, pallet_accounts::RegulatorRole>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type StatementWindow = StatementWindow;
	type MaxPairs = ConstU32<1_024>;
	type WeightInfo = pallet_settlement::weights::SubstrateWeight<Runtime>;
}

/// Oracle keys for the escrow benchmarks: sr25519 keys made in the benchmark keystore from a
/// seed, so that attestations carry real signatures.
#[cfg(feature = "runtime-benchmarks")]
pub struct EscrowBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl EscrowBenchmarkHelper {
	const KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"escr");

	fn key(seed: u32) -> sp_core::sr25519::Public {
		let phrase = alloc::format!("//oracle{seed}");
		sp_io::crypto::sr25519_generate(Self::KEY_TYPE, Some(phrase.into_bytes()))
	}
}
#[cfg(feature = "runtime-benchmarks")]
impl pallet_escrow::BenchmarkHelper<AccountId, super::Signature> for EscrowBenchmarkHelper {
	fn oracle(seed: u32) -> AccountId {
		use sp_runtime::traits::IdentifyAccount;
		sp_runtime::MultiSigner::from(Self::key(seed)).into_account()
	}

	fn sign(seed: u32, message: &[u8]) -> super::Signature {
		let key = Self::key(seed);
		sp_io::crypto::sr25519_sign(Self::KEY_TYPE, &key, message)
			.map(Into::into)
			.expect("the key was just made in the keystore")
	}
}
