//! The ledger runtime API: typed, in the metadata, for institutions, auditors and regulators.

use crate::{BusinessType, OrderRef, OrderStatus, Page, StageSpec};
use alloc::vec::Vec;
use codec::Codec;

sp_api::decl_runtime_apis! {
	/// What institutions, auditors and regulators ask the ledger.
	pub trait LedgerApi<AccountId, Order, Trail>
	where
		AccountId: Codec,
		Order: Codec,
		Trail: Codec,
	{
		/// An order's full trail: every stage with its institution, key, signature, commitment,
		/// result, block and time.
		fn trail(reference: OrderRef) -> Option<Trail>;

		/// The orders an institution opened or handles, in `status` if given: at most `limit`
		/// (capped at 100) after `start_after`; `next` is where the following page starts.
		fn orders_of(
			institution: AccountId,
			status: Option<OrderStatus>,
			start_after: Option<OrderRef>,
			limit: u32,
		) -> Page<Order>;

		/// The orders suspected of tampering: at most `limit` (capped at 100) after
		/// `start_after`.
		fn tamper_suspected(start_after: Option<OrderRef>, limit: u32) -> Page<Order>;

		/// A business type's workflow.
		fn workflow(business_type: BusinessType) -> Option<Vec<StageSpec>>;
	}
}
