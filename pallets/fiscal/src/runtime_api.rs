//! The fiscal runtime API: typed, in the metadata, for finance and supervision departments,
//! auditors and regulators.

use crate::{
	Allocation, Disbursement, DisbursementIndex, NodeIndex, Page, ProgramId, ProgramStatistics,
	Statistics, Trace,
};
use alloc::vec::Vec;
use codec::Codec;
use paychain_primitives::accounts::RegionCode;

sp_api::decl_runtime_apis! {
	/// What departments, auditors and regulators ask the fiscal pallet.
	pub trait FiscalApi<AccountId, Balance, BlockNumber, Program>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
		Program: Codec,
	{
		/// A program by id.
		fn program(program: ProgramId) -> Option<Program>;

		/// A program's id by its code.
		fn program_by_code(code: Vec<u8>) -> Option<ProgramId>;

		/// An allocation of a program.
		fn allocation(
			program: ProgramId,
			node: NodeIndex,
		) -> Option<Allocation<AccountId, Balance, BlockNumber>>;

		/// The programs a department has an allocation in, with its allocation in each: at
		/// most `limit` (capped at 100) after program `start_after`.
		fn allocations_of(
			department: AccountId,
			start_after: Option<ProgramId>,
			limit: u32,
		) -> Page<ProgramId, NodeIndex>;

		/// The path of a fund: the allocations from the program's root down to `node`, and
		/// its disbursement `disbursement` if asked for.
		fn trace(
			program: ProgramId,
			node: NodeIndex,
			disbursement: Option<DisbursementIndex>,
		) -> Option<Trace<AccountId, Balance, BlockNumber>>;

		/// The allocations under `node`, by index: at most `limit` (capped at 100) after
		/// `start_after`; `next` is where the following page starts.
		fn descendants(
			program: ProgramId,
			node: NodeIndex,
			start_after: Option<NodeIndex>,
			limit: u32,
		) -> Page<NodeIndex, Allocation<AccountId, Balance, BlockNumber>>;

		/// An allocation's disbursements, in order: at most `limit` (capped at 100) after
		/// `start_after`.
		fn disbursements(
			program: ProgramId,
			node: NodeIndex,
			start_after: Option<DisbursementIndex>,
			limit: u32,
		) -> Page<DisbursementIndex, Disbursement<AccountId, Balance, BlockNumber>>;

		/// A program's totals and execution rate, and each level's.
		fn statistics(program: ProgramId) -> Option<ProgramStatistics<Balance>>;

		/// A program's totals and execution rate in a region (everything inside it).
		fn region_statistics(program: ProgramId, region: RegionCode) -> Option<Statistics<Balance>>;
	}
}
