//! The runtime APIs: what the node, wallets and indexers can ask the runtime.
//!
//! The standard set Polkadot.js, PAPI and subxt rely on; the Paychain pallets add their typed
//! query APIs here as they land.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Accounts, Aura, Balance, Block, BlockNumber, Compliance, Escrow, Executive, Fiscal,
	Grandpa, InherentDataExt, Ledger, Nonce, Runtime, RuntimeCall, RuntimeGenesisConfig,
	SessionKeys, Settlement, System, TransactionPayment, VERSION,
};

impl_runtime_apis! {
	impl paychain_primitives::accounts::AccountsApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn participant(who: AccountId) -> Option<pallet_accounts::ParticipantOf<Runtime>> {
			pallet_accounts::Participants::<Runtime>::get(who)
		}

		fn profile(who: AccountId) -> Option<paychain_primitives::accounts::ParticipantProfile> {
			Accounts::profile_of(&who)
		}

		fn children(
			organisation: AccountId,
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<(AccountId, pallet_accounts::ParticipantOf<Runtime>)> {
			Accounts::children_page(&organisation, start_after, limit)
		}

		fn institution_keys(
			institution: AccountId,
		) -> Vec<paychain_primitives::accounts::InstitutionKey<BlockNumber>> {
			pallet_accounts::InstitutionKeys::<Runtime>::get(institution).into_inner()
		}

		fn members_by_role(
			role: paychain_primitives::accounts::Role,
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<(AccountId, pallet_accounts::ParticipantOf<Runtime>)> {
			Accounts::members_page(role, start_after, limit)
		}
	}

	impl pallet_escrow::runtime_api::EscrowApi<
		Block,
		AccountId,
		pallet_escrow::EscrowOf<Runtime>,
		pallet_escrow::NextStepOf<Runtime>,
	> for Runtime {
		fn escrow(id: pallet_escrow::EscrowId) -> Option<pallet_escrow::EscrowOf<Runtime>> {
			pallet_escrow::Escrows::<Runtime>::get(id)
		}

		fn escrows_of(
			who: AccountId,
			party: Option<pallet_escrow::Party>,
			status: Option<pallet_escrow::StatusKind>,
			start_after: Option<pallet_escrow::EscrowId>,
			limit: u32,
		) -> pallet_escrow::Page<pallet_escrow::EscrowOf<Runtime>> {
			Escrow::escrows_of(who, party, status, start_after, limit)
		}

		fn next_step(id: pallet_escrow::EscrowId) -> Option<pallet_escrow::NextStepOf<Runtime>> {
			Escrow::next_step(id)
		}
	}

	impl pallet_fiscal::runtime_api::FiscalApi<
		Block,
		AccountId,
		Balance,
		BlockNumber,
		pallet_fiscal::ProgramOf<Runtime>,
	> for Runtime {
		fn program(program: pallet_fiscal::ProgramId) -> Option<pallet_fiscal::ProgramOf<Runtime>> {
			Fiscal::program(program)
		}

		fn program_by_code(code: Vec<u8>) -> Option<pallet_fiscal::ProgramId> {
			Fiscal::program_by_code(code)
		}

		fn allocation(
			program: pallet_fiscal::ProgramId,
			node: pallet_fiscal::NodeIndex,
		) -> Option<pallet_fiscal::AllocationOf<Runtime>> {
			Fiscal::allocation(program, node)
		}

		fn allocations_of(
			department: AccountId,
			start_after: Option<pallet_fiscal::ProgramId>,
			limit: u32,
		) -> pallet_fiscal::Page<pallet_fiscal::ProgramId, pallet_fiscal::NodeIndex> {
			Fiscal::allocations_of(department, start_after, limit)
		}

		fn trace(
			program: pallet_fiscal::ProgramId,
			node: pallet_fiscal::NodeIndex,
			disbursement: Option<pallet_fiscal::DisbursementIndex>,
		) -> Option<pallet_fiscal::TraceOf<Runtime>> {
			Fiscal::trace(program, node, disbursement)
		}

		fn descendants(
			program: pallet_fiscal::ProgramId,
			node: pallet_fiscal::NodeIndex,
			start_after: Option<pallet_fiscal::NodeIndex>,
			limit: u32,
		) -> pallet_fiscal::Page<pallet_fiscal::NodeIndex, pallet_fiscal::AllocationOf<Runtime>> {
			Fiscal::descendants(program, node, start_after, limit)
		}

		fn disbursements(
			program: pallet_fiscal::ProgramId,
			node: pallet_fiscal::NodeIndex,
			start_after: Option<pallet_fiscal::DisbursementIndex>,
			limit: u32,
		) -> pallet_fiscal::Page<pallet_fiscal::DisbursementIndex, pallet_fiscal::DisbursementOf<Runtime>> {
			Fiscal::disbursements(program, node, start_after, limit)
		}

		fn statistics(program: pallet_fiscal::ProgramId) -> Option<pallet_fiscal::ProgramStatistics<Balance>> {
			Fiscal::statistics(program)
		}

		fn region_statistics(
			program: pallet_fiscal::ProgramId,
			region: paychain_primitives::accounts::RegionCode,
		) -> Option<pallet_fiscal::Statistics<Balance>> {
			Fiscal::region_statistics(program, region)
		}
	}

	impl pallet_ledger::runtime_api::LedgerApi<
		Block,
		AccountId,
		pallet_ledger::OrderOf<Runtime>,
		pallet_ledger::TrailOf<Runtime>,
	> for Runtime {
		fn trail(reference: pallet_ledger::OrderRef) -> Option<pallet_ledger::TrailOf<Runtime>> {
			Ledger::trail(reference)
		}

		fn orders_of(
			institution: AccountId,
			status: Option<pallet_ledger::OrderStatus>,
			start_after: Option<pallet_ledger::OrderRef>,
			limit: u32,
		) -> pallet_ledger::Page<pallet_ledger::OrderOf<Runtime>> {
			Ledger::orders_of(institution, status, start_after, limit)
		}

		fn tamper_suspected(
			start_after: Option<pallet_ledger::OrderRef>,
			limit: u32,
		) -> pallet_ledger::Page<pallet_ledger::OrderOf<Runtime>> {
			Ledger::tamper_suspected(start_after, limit)
		}

		fn workflow(business_type: pallet_ledger::BusinessType) -> Option<Vec<pallet_ledger::StageSpec>> {
			Ledger::workflow(business_type)
		}
	}

	impl pallet_settlement::runtime_api::SettlementApi<
		Block,
		AccountId,
		Balance,
		BlockNumber,
		pallet_settlement::ReserveOf<Runtime>,
		pallet_settlement::NetPositionOf<Runtime>,
		pallet_settlement::StatementOf<Runtime>,
	> for Runtime {
		fn institution(who: AccountId) -> (Option<pallet_settlement::ReserveOf<Runtime>>, Balance) {
			Settlement::institution(who)
		}

		fn current_cycle() -> pallet_settlement::CycleInfo<BlockNumber> {
			pallet_settlement::CurrentCycle::<Runtime>::get()
		}

		fn cycle_totals(
			cycle: pallet_settlement::CycleIndex,
			who: AccountId,
		) -> pallet_settlement::CycleTotals<Balance> {
			Settlement::cycle_totals(cycle, who)
		}

		fn net_positions(
			cycle: pallet_settlement::CycleIndex,
		) -> Vec<(AccountId, AccountId, pallet_settlement::NetPositionOf<Runtime>)> {
			Settlement::net_positions(cycle)
		}

		fn statements(
			cycle: pallet_settlement::CycleIndex,
			filter: Option<pallet_settlement::StatementFilter>,
		) -> Vec<(AccountId, pallet_settlement::StatementOf<Runtime>)> {
			Settlement::statements(cycle, filter)
		}
	}

	impl pallet_compliance::runtime_api::ComplianceApi<
		Block,
		AccountId,
		Balance,
		BlockNumber,
		pallet_compliance::AlertOf<Runtime>,
		pallet_compliance::CaseOf<Runtime>,
		pallet_compliance::ReportOf<Runtime>,
		pallet_compliance::VersionedOf<Runtime>,
	> for Runtime {
		fn risk_profile(who: AccountId) -> pallet_compliance::RiskProfile<Balance, BlockNumber> {
			Compliance::risk_profile(&who)
		}

		fn preflight(
			from: AccountId,
			to: AccountId,
			amount: Balance,
			kind: paychain_primitives::compliance::MovementKind,
		) -> paychain_primitives::compliance::Assessment {
			Compliance::preview(&from, &to, amount, kind)
		}

		fn alerts(
			status: pallet_compliance::CaseStatus,
			page: u32,
		) -> Vec<(pallet_compliance::AlertId, pallet_compliance::AlertOf<Runtime>)> {
			Compliance::alerts_page(status, page)
		}

		fn cases(
			status: pallet_compliance::CaseStatus,
			page: u32,
		) -> Vec<(pallet_compliance::CaseId, pallet_compliance::CaseOf<Runtime>)> {
			Compliance::cases_page(status, page)
		}

		fn reports(
			status: pallet_compliance::ReportStatus,
			page: u32,
		) -> Vec<(pallet_compliance::ReportId, pallet_compliance::ReportOf<Runtime>, bool)> {
			Compliance::reports_page(status, page)
		}

		fn overdue_reports() -> Vec<(pallet_compliance::ReportId, pallet_compliance::ReportOf<Runtime>)> {
			Compliance::overdue_reports()
		}

		fn rules() -> Vec<(pallet_compliance::RuleId, pallet_compliance::VersionedOf<Runtime>)> {
			Compliance::rules()
		}
	}

	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			// The consortium has no staking to slash: equivocations are handled off chain by
			// the institutions' agreement, not reported on chain.
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::{
				extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
			};
			use frame_benchmarking::baseline::Pallet as BaselineBench;
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		// `String` needs its path in the no-std Wasm build, which the std build calls redundant.
		#[allow(non_local_definitions, unused_qualifications)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::TrackedStorageKey;
			use frame_system_benchmarking::{
				extensions::Pallet as SystemExtensionsBench, Pallet as SystemBench,
			};
			use frame_benchmarking::baseline::Pallet as BaselineBench;
			use super::*;

			impl frame_system_benchmarking::Config for Runtime {}
			impl pallet_transaction_payment::BenchmarkConfig for Runtime {}
			impl frame_benchmarking::baseline::Config for Runtime {}

			use frame_support::traits::WhitelistedStorageKeys;
			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);

			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// Upgrades are checked with `try-runtime on-runtime-upgrade` against live state;
			// the weight is what the migrations would use.
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect
		) -> Weight {
			// Panics (with the reason) when the block does not execute: that is the report
			// `try-runtime` is run for.
			Executive::try_execute_block(block, state_root_check, signature_check, select).expect("execute-block failed")
		}
	}
}
