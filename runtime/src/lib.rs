//! # The Paychain runtime
//!
//! A permissioned chain for regulated payments: Aura block production and GRANDPA finality among
//! a consortium of known institutions, balances in the PCNY payment currency, and the Paychain
//! pallets (accounts, compliance, escrow, fiscal, ledger, settlement) as they land.
//!
//! Layout, after the solochain template:
//! - `configs/`: one `Config` impl per pallet, and the parameters they share;
//! - `apis.rs`: the runtime APIs clients call;
//! - `genesis_config_presets.rs`: the `development`, `local_testnet` and `consortium` presets;
//! - `benchmarks.rs`: the pallets the benchmark CLI measures.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` needs a deep recursion limit.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod weights;

use alloc::vec::Vec;
use sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_compliance::Call as ComplianceCall;
pub use pallet_timestamp::Call as TimestampCall;
pub use paychain_primitives::{
	currency::{self, CENTS, EXISTENTIAL_DEPOSIT, MILLICENTS, UNITS},
	AccountId, Balance, BlockNumber, Hash, Moment, Nonce, Signature,
};
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;
pub use sp_runtime::{Perbill, Permill};

/// Opaque types, for the node: it knows a block is a header and a list of extrinsics, without
/// knowing the runtime's calls.
pub mod opaque {
	use super::*;
	use sp_runtime::{generic, traits::Hash as HashT};

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The keys a validator registers: Aura for authoring blocks, GRANDPA for finality votes.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime's identity. Bump `spec_version` on every change of logic, `transaction_version`
/// whenever a call index, a call's arguments or the transaction extensions change.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("paychain"),
	impl_name: alloc::borrow::Cow::Borrowed("paychain"),
	authoring_version: 1,
	spec_version: 115,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

mod block_times {
	/// Paychain's target block time: 3 seconds, so a payment is in a block within seconds and
	/// final (GRANDPA) a few seconds later.
	///
	/// Changing it after the chain has started breaks block production.
	pub const MILLI_SECS_PER_BLOCK: u64 = 3000;

	/// Aura's slot duration equals the block time.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
}
pub use block_times::*;

/// Blocks in a minute, an hour and a day, for configuring periods in blocks.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks in an hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks in a day.
pub const DAYS: BlockNumber = HOURS * 24;

/// How many blocks back a transaction's mortality may reach (`frame_system::BlockHashCount`).
pub const BLOCK_HASH_COUNT: BlockNumber = 2400;

/// The address format for describing accounts.
pub type Address = sp_runtime::MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// A block signed with a justification.
pub type SignedBlock = generic::SignedBlock<Block>;

/// The transaction extensions every signed transaction carries, in order.
///
/// `CheckParticipant` makes the chain permissioned: only active participants' transactions
/// enter the pool (strangers may only apply); `CheckCompliance` refuses there the transfers the
/// compliance rules would block (no fee, nothing moves). Neither adds anything to the signed
/// payload.
/// `CheckMetadataHash` lets offline signers (hardware wallets) prove which metadata they
/// decoded the transaction with; `WeightReclaim` returns unused weight after dispatch.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	pallet_accounts::CheckParticipant<Runtime>,
	pallet_compliance::CheckCompliance<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// The transaction extensions of a signed transaction with `nonce` and mortality `era`, without
/// tip or metadata hash: for the node's benchmarks and the runtime's tests.
pub fn tx_extension(nonce: Nonce, era: generic::Era) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		pallet_accounts::CheckParticipant::<Runtime>::new(),
		pallet_compliance::CheckCompliance::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(era),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		frame_system::WeightReclaim::<Runtime>::new(),
	)
}

/// What the extensions of [`tx_extension`] sign without carrying it: this runtime's versions,
/// the genesis hash and the hash of the block the mortality `era` starts at.
pub fn tx_extension_implicit(
	genesis: Hash,
	era_start: Hash,
) -> <TxExtension as sp_runtime::traits::TransactionExtension<RuntimeCall>>::Implicit {
	tx_extension_implicit_for(
		(VERSION.spec_version, VERSION.transaction_version),
		genesis,
		era_start,
	)
}

/// [`tx_extension_implicit`] for a chain whose runtime has the versions `(spec, transaction)`
/// (a client signing for another build's chain).
pub fn tx_extension_implicit_for(
	(spec_version, transaction_version): (u32, u32),
	genesis: Hash,
	era_start: Hash,
) -> <TxExtension as sp_runtime::traits::TransactionExtension<RuntimeCall>>::Implicit {
	((), (), (), spec_version, transaction_version, genesis, era_start, (), (), (), None, ())
}

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run on a runtime upgrade, each versioned: it runs only on a chain whose
/// pallet is still at the version it migrates from, then sets the next one. A migration stays
/// listed until no live chain can still be below it.
/// - spec 112: compliance v0 -> v1, the national rule slots into one value.
type Migrations = (pallet_compliance::migrations::v1::MigrateToV1<Runtime>,);

/// Executive: handles dispatch to the various pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(7)]
	pub type Utility = pallet_utility;

	// Indices 20.. are for the Paychain pallets: Accounts 20, Compliance 21, Escrow 22,
	// Fiscal 23, Ledger 24, Settlement 25.
	#[runtime::pallet_index(20)]
	pub type Accounts = pallet_accounts;

	#[runtime::pallet_index(21)]
	pub type Compliance = pallet_compliance;

	#[runtime::pallet_index(22)]
	pub type Escrow = pallet_escrow;

	#[runtime::pallet_index(23)]
	pub type Fiscal = pallet_fiscal;

	#[runtime::pallet_index(24)]
	pub type Ledger = pallet_ledger;

	#[runtime::pallet_index(25)]
	pub type Settlement = pallet_settlement;
}

#[cfg(test)]
mod tests;
