//! The escrow runtime API: typed, in the metadata, for wallets, merchants and regulators.

use crate::{EscrowId, Page, Party, StatusKind};
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// What wallets, merchants, arbiters and regulators ask the escrow pallet.
	pub trait EscrowApi<AccountId, Escrow, NextStep>
	where
		AccountId: Codec,
		Escrow: Codec,
		NextStep: Codec,
	{
		/// An escrow by id (closed ones until their retention ends).
		fn escrow(id: EscrowId) -> Option<Escrow>;

		/// `who`'s escrows in which it plays `party` and that are in `status` (either filter
		/// left out: any): at most `limit` (capped at 100) after `start_after`; `next` is where
		/// the following page starts.
		fn escrows_of(
			who: AccountId,
			party: Option<Party>,
			status: Option<StatusKind>,
			start_after: Option<EscrowId>,
			limit: u32,
		) -> Page<Escrow>;

		/// What happens next to an escrow, and at which block.
		fn next_step(id: EscrowId) -> Option<NextStep>;
	}
}
