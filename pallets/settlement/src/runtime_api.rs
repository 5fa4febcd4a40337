//! The settlement runtime API: typed, in the metadata, for institutions and regulators.

use crate::{CycleIndex, CycleInfo, CycleTotals, StatementFilter};
use alloc::vec::Vec;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// What institutions and regulators ask the settlement pallet.
	pub trait SettlementApi<AccountId, Balance, BlockNumber, Reserve, NetPosition, Statement>
	where
		AccountId: Codec,
		BlockNumber: Codec,
		Balance: Codec,
		Reserve: Codec,
		NetPosition: Codec,
		Statement: Codec,
	{
		/// An institution's attested reserve and outstanding issuance.
		fn institution(who: AccountId) -> (Option<Reserve>, Balance);

		/// The current cycle: its number and blocks.
		fn current_cycle() -> CycleInfo<BlockNumber>;

		/// A cycle's totals for an institution, as the chain counted them.
		fn cycle_totals(cycle: CycleIndex, who: AccountId) -> CycleTotals<Balance>;

		/// A closed cycle's net positions: (debtor, creditor, position).
		fn net_positions(cycle: CycleIndex) -> Vec<(AccountId, AccountId, NetPosition)>;

		/// A cycle's statements, all or only the matched or mismatched ones.
		fn statements(cycle: CycleIndex, filter: Option<StatementFilter>) -> Vec<(AccountId, Statement)>;
	}
}
