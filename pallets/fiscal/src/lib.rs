//! # Fiscal: transfer payments from the national budget to the final recipient
//!
//! Transfer-payment funds flow from the national finance department to provinces, cities and
//! counties, and on to schools, hospitals and contractors. This pallet keeps that flow on chain,
//! where every finance and supervision department can follow it, and keeps the money earmarked
//! until it reaches its final use.
//!
//! - **Programs**: a national or provincial finance department
//!   [`create_program`](Pallet::create_program)s a program — a unique code, its kind (general or
//!   special/earmarked), fiscal year, purpose code and total. The total is **held** on the
//!   creator's own account under [`HoldReason::Fiscal`]: it cannot be spent outside the
//!   program. The creator's share is the program's root allocation (index 0).
//! - **Allocation down the tree**: a department [`allocate`](Pallet::allocate)s part of its
//!   allocation's unspent funds to a child department exactly one level below it (its child in
//!   the accounts pallet's organisation tree). The funds move **on hold** from one department's
//!   account to the other's, and the child's allocation is created on the first allocation
//!   (one allocation per department and program). The allocations form the program's tree, from
//!   the program down to the counties. A department may [`add_matching`](Pallet::add_matching)
//!   funds of its own at its level.
//! - **Disbursement** ([`disburse`](Pallet::disburse)) to a final recipient — a registered,
//!   active participant — with a purpose code (under the program's for a special program) and
//!   the hash of the evidence (invoice, contract). The hold is released and the payment passes
//!   the compliance check ([`MovementKind::FiscalDisbursement`], every rule); a review holds it
//!   under compliance's own reason until the regulator decides.
//! - **Supervision**: a supervision department whose region contains the allocation's, or any
//!   finance department above the holder, may [`freeze_allocation`](Pallet::freeze_allocation)
//!   (nothing goes out of or into it; the freeze is reported to [`Config::Alerts`] as a fiscal
//!   irregularity on the holder) and [`unfreeze_allocation`](Pallet::unfreeze_allocation),
//!   and [`recall`](Pallet::recall) unspent funds to the parent allocation with a reason.
//! - **Fiscal-year close**: [`Config::CloseOrigin`] [`close_fiscal_year`](Pallet::close_fiscal_year)
//!   once the year is over; the programs of a closed year take no more allocations or
//!   disbursements, and anyone may [`sweep`](Pallet::sweep) a program: page by page, from the
//!   newest allocation to the root (children before parents), everything unspent goes to the
//!   parent, and what reaches the root is released to the creator.
//! - **Traceability and statistics**: every allocation keeps its [`Totals`] (received, matching,
//!   allocated, disbursed, recalled, unspent); so do the program's levels ([`LevelTotals`]) and
//!   regions ([`RegionTotals`]: a region's totals count what entered and left the region), all
//!   updated on every change so that the queries of the [`runtime_api::FiscalApi`] — a fund's
//!   path ([`Pallet::trace`]), a subtree ([`Pallet::descendants`]), statistics with execution
//!   rates — read a handful of entries.
//!
//! **Compliance**: an allocation between departments passes the gates
//! ([`MovementKind::FiscalAllocation`]: watch list, freezes, participation) and is counted when
//! it is disbursed, so that each payment out of a program is counted once, where it leaves.
//! Recalls and sweeps send earmarked funds back where they came from and are not checked: a
//! freeze on a department must never trap the program's money there.
//!
//! Invariants ([`Pallet::do_try_state`]): every allocation's totals balance (`received +
//! matching = allocated + disbursed + recalled + unspent`); a parent's `allocated` is what its
//! children received net of what they sent back; each department's fiscal hold equals the
//! unspent funds of its allocations; the level and region totals equal what the allocations
//! add up to; a settled program holds nothing.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod impls;
pub mod runtime_api;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use frame_support::traits::fungible;
use frame_system::pallet_prelude::BlockNumberFor;
use paychain_primitives::compliance::MovementKind;

/// The balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A program as stored.
pub type ProgramOf<T> = Program<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxCodeLen,
>;
/// An allocation as stored.
pub type AllocationOf<T> =
	Allocation<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A disbursement as stored.
pub type DisbursementOf<T> =
	Disbursement<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A fund's path.
pub type TraceOf<T> =
	Trace<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A program code.
pub type CodeOf<T> = frame_support::BoundedVec<u8, <T as Config>::MaxCodeLen>;

// The pallet macros expand to fully qualified paths that this module's imports make redundant.
#[allow(unused_qualifications)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{InspectHold, MutateHold},
			UnixTime,
		},
	};
	use frame_system::pallet_prelude::*;
	use paychain_primitives::{
		accounts::{AccountRegistry, FinanceLevel, RegionCode},
		compliance::{AlertSink, ComplianceCheck},
		Moment,
	};
	use sp_core::H256;
	use sp_runtime::traits::StaticLookup;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The payment currency: a program's funds are holds on the departments' accounts.
		type Currency: fungible::Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The participant register: finance departments, their levels, regions and tree;
		/// supervision departments; final recipients.
		type Registry: AccountRegistry<Self::AccountId>;

		/// The pre-movement check of allocations and disbursements.
		type Compliance: ComplianceCheck<Self::AccountId, BalanceOf<Self>>;

		/// Where a freeze for verification is reported: an alert on the holder, for the
		/// regulators.
		type Alerts: AlertSink<Self::AccountId>;

		/// Wall-clock time, for the fiscal year.
		type Time: UnixTime;

		/// The chain's time zone, in milliseconds east of UTC: fiscal years turn at its
		/// midnight.
		#[pallet::constant]
		type TimeZoneOffset: Get<Moment>;

		/// Who closes a fiscal year.
		type CloseOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The longest program code.
		#[pallet::constant]
		type MaxCodeLen: Get<u32>;

		/// The most allocations one program may have.
		#[pallet::constant]
		type MaxAllocations: Get<u32>;

		/// The most allocations one [`Pallet::sweep`] call processes.
		#[pallet::constant]
		type MaxSweep: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A program's unspent funds, held on the department whose allocation they are.
		#[codec(index = 0)]
		Fiscal,
	}

	/// The next program's id.
	#[pallet::storage]
	pub type NextProgramId<T: Config> = StorageValue<_, ProgramId, ValueQuery>;

	/// Every program.
	#[pallet::storage]
	pub type Programs<T: Config> = StorageMap<_, Twox64Concat, ProgramId, ProgramOf<T>>;

	/// Programs by code.
	#[pallet::storage]
	pub type ProgramByCode<T: Config> = StorageMap<_, Blake2_128Concat, CodeOf<T>, ProgramId>;

	/// Every program's allocations, by index (the root is 0).
	#[pallet::storage]
	pub type Allocations<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ProgramId, Twox64Concat, NodeIndex, AllocationOf<T>>;

	/// Each department's allocation in each program.
	#[pallet::storage]
	pub type DepartmentAllocations<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, ProgramId, NodeIndex>;

	/// Every allocation's disbursements, in order.
	#[pallet::storage]
	pub type Disbursements<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, ProgramId>,
			NMapKey<Twox64Concat, NodeIndex>,
			NMapKey<Twox64Concat, DisbursementIndex>,
		),
		DisbursementOf<T>,
	>;

	/// Each program's totals at each level: the sums of its allocations' totals there.
	#[pallet::storage]
	pub type LevelTotals<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ProgramId,
		Twox64Concat,
		FinanceLevel,
		Totals<BalanceOf<T>>,
		ValueQuery,
	>;

	/// Each program's totals in each region that has allocations (its county, city, province
	/// and the whole country — [`RegionCode::NATIONAL`], the program's own totals): what came
	/// into the region from above or as matching funds, what was disbursed in it, what went
	/// back up out of it, and what is unspent in it.
	#[pallet::storage]
	pub type RegionTotals<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ProgramId,
		Twox64Concat,
		RegionCode,
		Totals<BalanceOf<T>>,
		ValueQuery,
	>;

	/// The closed fiscal years, with the block each was closed at.
	#[pallet::storage]
	pub type ClosedYears<T: Config> = StorageMap<_, Twox64Concat, u32, BlockNumberFor<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A program was created: `total` is held on the creator, as the program's root
		/// allocation (index 0).
		ProgramCreated {
			program: ProgramId,
			code: CodeOf<T>,
			kind: ProgramKind,
			fiscal_year: u32,
			purpose: PurposeCode,
			creator: T::AccountId,
			total: BalanceOf<T>,
		},
		/// A department's first allocation in a program was created under `parent`.
		AllocationCreated {
			program: ProgramId,
			node: NodeIndex,
			parent: NodeIndex,
			department: T::AccountId,
			level: FinanceLevel,
			region: RegionCode,
		},
		/// `amount` went from allocation `from` to its child allocation `to`.
		Allocated {
			program: ProgramId,
			from: NodeIndex,
			to: NodeIndex,
			department: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// The department added matching funds of its own to its allocation.
		MatchingAdded { program: ProgramId, node: NodeIndex, amount: BalanceOf<T> },
		/// `amount` was paid to a final recipient (or, with `review`, is held by compliance
		/// until the regulator decides).
		Disbursed {
			program: ProgramId,
			node: NodeIndex,
			index: DisbursementIndex,
			recipient: T::AccountId,
			amount: BalanceOf<T>,
			purpose: PurposeCode,
			evidence: H256,
			review: Option<ReviewId>,
		},
		/// A supervisor froze an allocation for verification.
		AllocationFrozen { program: ProgramId, node: NodeIndex, by: T::AccountId, reason: H256 },
		/// A supervisor lifted the freeze.
		AllocationUnfrozen { program: ProgramId, node: NodeIndex, by: T::AccountId },
		/// A supervisor sent `amount` of an allocation's unspent funds back to its parent.
		Recalled {
			program: ProgramId,
			node: NodeIndex,
			parent: NodeIndex,
			amount: BalanceOf<T>,
			by: T::AccountId,
			reason: H256,
		},
		/// A fiscal year was closed: its programs may be swept.
		FiscalYearClosed { year: u32 },
		/// Allocations `from` down to `to` sent their unspent funds up (`amount` in all).
		Swept { program: ProgramId, from: NodeIndex, to: NodeIndex, amount: BalanceOf<T> },
		/// The sweep reached the root: `returned` was released to the creator and the program
		/// holds nothing.
		ProgramSettled { program: ProgramId, returned: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// The department's free balance cannot cover the amount.
		InsufficientBalance,
		/// Only an active national or provincial finance department may create a program.
		NotProgramAuthority,
		/// The program code is empty.
		BadProgramCode,
		/// A program with this code exists.
		DuplicateProgramCode,
		/// The purpose code is zero.
		BadPurposeCode,
		/// The fiscal year is more than a year ahead.
		BadFiscalYear,
		/// The program's fiscal year is closed.
		FiscalYearClosed,
		/// The fiscal year is not over yet.
		FiscalYearNotOver,
		/// The fiscal year was already closed.
		FiscalYearAlreadyClosed,
		/// The program's fiscal year is not closed: it cannot be swept yet.
		FiscalYearOpen,
		/// No program has this id.
		UnknownProgram,
		/// The program has no allocation with this index.
		UnknownAllocation,
		/// The allocation is another department's.
		NotYourAllocation,
		/// The allocation is frozen.
		AllocationFrozen,
		/// The child department's allocation is frozen.
		ChildAllocationFrozen,
		/// The allocation is not frozen.
		NotFrozen,
		/// The allocation is already frozen.
		AlreadyFrozen,
		/// The allocation's unspent funds are fewer than the amount.
		InsufficientUnspent,
		/// The recipient is not a finance department exactly one level below, under this
		/// department (or its allocation in this program comes from another one).
		NotDirectChild,
		/// The child department is not active.
		ChildNotActive,
		/// The child department has no account to hold funds on (it holds less than the
		/// existential deposit): fund it first.
		ChildAccountMissing,
		/// The program has as many allocations as it may.
		TooManyAllocations,
		/// The recipient is not a registered participant.
		RecipientNotRegistered,
		/// The recipient is not active.
		RecipientNotActive,
		/// A department cannot disburse to itself.
		SelfDisbursement,
		/// A special program's disbursement must fall under the program's purpose code.
		PurposeNotInProgram,
		/// Only a supervision department over the allocation's region, or a finance department
		/// above its holder, may do this.
		NotSupervisor,
		/// The program's root allocation has no parent to recall to.
		CannotRecallRoot,
		/// The program is settled.
		ProgramSettled,
		/// The sweep limit is zero.
		ZeroLimit,
		/// Compliance would hold an allocation for review, which a program cannot serve:
		/// allocations are checked at the gates only, so this is a misconfiguration.
		AllocationUnderReview,
		/// A counter would overflow.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxCodeLen::get() > 0, "MaxCodeLen must be positive");
			assert!(T::MaxAllocations::get() > 0, "MaxAllocations must be positive");
			assert!(T::MaxSweep::get() > 0, "MaxSweep must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Creates a program and holds its `total` on the caller, a national or provincial
		/// finance department.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_program())]
		pub fn create_program(
			origin: OriginFor<T>,
			code: CodeOf<T>,
			kind: ProgramKind,
			fiscal_year: u32,
			purpose: PurposeCode,
			#[pallet::compact] total: BalanceOf<T>,
		) -> DispatchResult {
			let creator = ensure_signed(origin)?;
			Self::do_create_program(creator, code, kind, fiscal_year, purpose, total)
		}

		/// Allocates `amount` of the caller's allocation `node` to its child department `child`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::allocate().saturating_add(T::Compliance::check_weight()))]
		pub fn allocate(
			origin: OriginFor<T>,
			program: ProgramId,
			node: NodeIndex,
			child: AccountIdLookupOf<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let child = T::Lookup::lookup(child)?;
			let refund = Self::do_allocate(who, program, node, child, amount)?;
			Ok(Some(T::Compliance::checked_call_weight(T::WeightInfo::allocate(), refund)).into())
		}

		/// Adds matching funds of the caller's own to its allocation `node`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::add_matching())]
		pub fn add_matching(
			origin: OriginFor<T>,
			program: ProgramId,
			node: NodeIndex,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_matching(who, program, node, amount)
		}

		/// Pays `amount` of the caller's allocation `node` to a final recipient, for `purpose`,
		/// with the hash of the evidence.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::disburse().saturating_add(T::Compliance::check_weight()))]
		pub fn disburse(
			origin: OriginFor<T>,
			program: ProgramId,
			node: NodeIndex,
			recipient: AccountIdLookupOf<T>,
			#[pallet::compact] amount: BalanceOf<T>,
			purpose: PurposeCode,
			evidence: H256,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let recipient = T::Lookup::lookup(recipient)?;
			let refund =
				Self::do_disburse(who, program, node, recipient, amount, purpose, evidence)?;
			Ok(Some(T::Compliance::checked_call_weight(T::WeightInfo::disburse(), refund)).into())
		}

		/// Freezes an allocation for verification, citing the hash of the notice.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::freeze_allocation())]
		pub fn freeze_allocation(
			origin: OriginFor<T>,
			program: ProgramId,
			node: NodeIndex,
			reason: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_freeze(who, program, node, reason)
		}

		/// Lifts a freeze.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::unfreeze_allocation())]
		pub fn unfreeze_allocation(
			origin: OriginFor<T>,
			program: ProgramId,
			node: NodeIndex,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unfreeze(who, program, node)
		}

		/// Sends `amount` of an allocation's unspent funds back to its parent, citing the hash
		/// of the decision.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::recall())]
		pub fn recall(
			origin: OriginFor<T>,
			program: ProgramId,
			node: NodeIndex,
			#[pallet::compact] amount: BalanceOf<T>,
			reason: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_recall(who, program, node, amount, reason)
		}

		/// Closes a fiscal year that is over.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::close_fiscal_year())]
		pub fn close_fiscal_year(origin: OriginFor<T>, year: u32) -> DispatchResult {
			T::CloseOrigin::ensure_origin(origin)?;
			Self::do_close_fiscal_year(year)
		}

		/// Sweeps up to `limit` allocations of a program of a closed fiscal year (capped at
		/// [`Config::MaxSweep`]); call again until the program is settled.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::sweep((*limit).min(T::MaxSweep::get())))]
		pub fn sweep(
			origin: OriginFor<T>,
			program: ProgramId,
			limit: u32,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let swept = Self::do_sweep(program, limit.min(T::MaxSweep::get()))?;
			Ok(Some(T::WeightInfo::sweep(swept)).into())
		}
	}
}

/// An account as passed to the calls.
pub type AccountIdLookupOf<T> =
	<<T as frame_system::Config>::Lookup as sp_runtime::traits::StaticLookup>::Source;
