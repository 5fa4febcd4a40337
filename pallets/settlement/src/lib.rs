//! # Settlement: money in and out through clearing institutions, reconciled every cycle
//!
//! Money on Paychain stands for money in a bank. Clearing institutions bring it in and take it
//! out, and at the end of every cycle each institution's own books must agree with the chain.
//!
//! - **Reserves**: a clearing institution [`attest_reserve`](Pallet::attest_reserve)s the
//!   reserve backing what it issued (amount, time, evidence hash); a regulator may
//!   [`countersign_reserve`](Pallet::countersign_reserve). Its outstanding issuance never
//!   exceeds its attested reserve.
//! - **Issuance and redemption**: the institution [`mint`](Pallet::mint)s to a customer against
//!   an off-chain deposit (a reference unique per institution); the customer becomes its
//!   customer. A customer [`redeem`](Pallet::redeem)s through its institution: the money is
//!   burned and paid out off chain. Both pass the compliance check
//!   ([`MovementKind::Mint`], [`MovementKind::Burn`]).
//! - **Cycles** of [`CycleLength`] blocks (set in genesis and by [`Config::AdminOrigin`]; a new
//!   cycle starts in the first block after the last one ends). For each cycle and institution the pallet
//!   keeps, as payments happen, what reconciliation needs ([`CycleTotals`]): minted, burned,
//!   paid in from and out to customers of other institutions. Payments are seen through
//!   [`MovementObserver`]: the compliance pallet tells it of every movement it lets through.
//! - **Net settlement**: anyone [`close_cycle`](Pallet::close_cycle)s a cycle that is over; the
//!   net position of each pair of institutions whose customers paid each other is published
//!   ([`NetPositions`]), ready for the off-chain interbank transfer, which either institution
//!   [`mark_settled`](Pallet::mark_settled)s with its reference.
//! - **Reconciliation**: after the cycle each institution
//!   [`submit_statement`](Pallet::submit_statement)s its totals and the Merkle root of its
//!   records; the pallet compares: matched, or a mismatch with the differing totals and an
//!   alert with compliance ([`ExternalAlert::ReconciliationMismatch`]). An institution that has
//!   not reconciled [`Config::StatementWindow`] blocks after the close may be
//!   [`flag_overdue`](Pallet::flag_overdue)d by anyone, which alerts compliance too.
//!
//! Invariants ([`Pallet::do_try_state`]): total issuance equals the genesis supply plus every
//! institution's outstanding issuance; each institution's outstanding issuance is at most its
//! attested reserve; every cycle's payments in equal its payments out, pair by pair.

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
use paychain_primitives::compliance::{ExternalAlert, MovementKind, MovementObserver};

/// The balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A reserve attestation as stored.
pub type ReserveOf<T> =
	Reserve<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A statement as stored.
pub type StatementOf<T> = Statement<BalanceOf<T>, BlockNumberFor<T>>;
/// A net position as stored.
pub type NetPositionOf<T> = NetPosition<BalanceOf<T>, BlockNumberFor<T>>;

// The pallet macros expand to fully qualified paths that this module's imports make redundant.
#[allow(unused_qualifications)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible::Mutate, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use paychain_primitives::{
		accounts::AccountRegistry,
		compliance::{AlertSink, ComplianceCheck},
	};
	use sp_core::H256;
	use sp_runtime::traits::{StaticLookup, Zero};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The payment currency, which this pallet alone mints and burns.
		type Currency: Mutate<Self::AccountId>;

		/// The participant register: clearing institutions and their customers.
		type Registry: AccountRegistry<Self::AccountId>;

		/// The pre-movement check of mints and redemptions.
		type Compliance: ComplianceCheck<Self::AccountId, BalanceOf<Self>>;

		/// Where mismatches and overdue statements are reported.
		type Alerts: AlertSink<Self::AccountId>;

		/// Wall-clock time.
		type Time: UnixTime;

		/// A regulator, who countersigns reserves; yields its account.
		type RegulatorOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// Who sets the cycle length.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// How long after a cycle's close its statements are due.
		#[pallet::constant]
		type StatementWindow: Get<BlockNumberFor<Self>>;

		/// The most pairs of institutions whose customers pay each other in one cycle.
		#[pallet::constant]
		type MaxPairs: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The length of the cycles to come, in blocks.
	#[pallet::storage]
	pub type CycleLength<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The cycle under way.
	#[pallet::storage]
	pub type CurrentCycle<T: Config> = StorageValue<_, CycleInfo<BlockNumberFor<T>>, ValueQuery>;

	/// The first block after each finished cycle.
	#[pallet::storage]
	pub type CycleEnds<T: Config> = StorageMap<_, Twox64Concat, CycleIndex, BlockNumberFor<T>>;

	/// The total issuance at genesis: everything since is minted or burned here.
	#[pallet::storage]
	pub type GenesisSupply<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Each institution's attested reserve.
	#[pallet::storage]
	pub type Reserves<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ReserveOf<T>>;

	/// Each institution's outstanding issuance: minted minus redeemed.
	#[pallet::storage]
	pub type Outstanding<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BalanceOf<T>, ValueQuery>;

	/// The deposit and withdrawal references each institution used, with their block.
	#[pallet::storage]
	pub type References<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Identity, H256, BlockNumberFor<T>>;

	/// Each customer's institution: the first that minted to it.
	#[pallet::storage]
	pub type Customers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId>;

	/// Each cycle's totals per institution, kept as payments happen.
	#[pallet::storage]
	pub type Totals<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CycleIndex,
		Blake2_128Concat,
		T::AccountId,
		CycleTotals<BalanceOf<T>>,
		ValueQuery,
	>;

	/// Each cycle's gross payments from one institution's customers to another's.
	#[pallet::storage]
	pub type Flows<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CycleIndex,
		Blake2_128Concat,
		(T::AccountId, T::AccountId),
		BalanceOf<T>,
		ValueQuery,
	>;

	/// Each cycle's pairs of institutions with payments between them, each once (in the order
	/// of their first payment).
	#[pallet::storage]
	pub type Pairs<T: Config> = StorageMap<
		_,
		Twox64Concat,
		CycleIndex,
		BoundedVec<(T::AccountId, T::AccountId), T::MaxPairs>,
		ValueQuery,
	>;

	/// The closed cycles, with their close block.
	#[pallet::storage]
	pub type Closed<T: Config> = StorageMap<_, Twox64Concat, CycleIndex, BlockNumberFor<T>>;

	/// Each closed cycle's net positions: (debtor, creditor) → what the debtor owes.
	#[pallet::storage]
	pub type NetPositions<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CycleIndex,
		Blake2_128Concat,
		(T::AccountId, T::AccountId),
		NetPositionOf<T>,
	>;

	/// Each institution's statement for each cycle.
	#[pallet::storage]
	pub type Statements<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CycleIndex,
		Blake2_128Concat,
		T::AccountId,
		StatementOf<T>,
	>;

	/// The institutions flagged for not reconciling a cycle in time.
	#[pallet::storage]
	pub type Overdue<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CycleIndex,
		Blake2_128Concat,
		T::AccountId,
		BlockNumberFor<T>,
	>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The cycle length, in blocks (100 unless a preset says otherwise).
		pub cycle_length: BlockNumberFor<T>,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { cycle_length: 100u32.into(), _config: Default::default() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			use frame_support::traits::fungible::Inspect;
			GenesisSupply::<T>::put(T::Currency::total_issuance());
			assert!(!self.cycle_length.is_zero(), "a positive cycle length");
			CycleLength::<T>::put(self.cycle_length);
			CurrentCycle::<T>::put(CycleInfo {
				index: 0,
				start: Zero::zero(),
				end: self.cycle_length,
			});
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A cycle began.
		CycleStarted { cycle: CycleIndex, start: BlockNumberFor<T>, end: BlockNumberFor<T> },
		/// The length of the cycles to come was set.
		CycleLengthSet { length: BlockNumberFor<T> },
		/// An institution attested its reserve.
		ReserveAttested { institution: T::AccountId, amount: BalanceOf<T>, evidence: H256 },
		/// A regulator countersigned an institution's reserve.
		ReserveCountersigned { institution: T::AccountId, by: T::AccountId },
		/// An institution minted to a customer against a deposit.
		Minted {
			institution: T::AccountId,
			customer: T::AccountId,
			amount: BalanceOf<T>,
			reference: H256,
			cycle: CycleIndex,
		},
		/// A customer redeemed through its institution: the money was burned.
		Redeemed {
			institution: T::AccountId,
			customer: T::AccountId,
			amount: BalanceOf<T>,
			reference: H256,
			cycle: CycleIndex,
		},
		/// A cycle was closed.
		CycleClosed { cycle: CycleIndex, positions: u32 },
		/// A net position was published: `debtor` owes `creditor` `amount` for the cycle.
		NetPositionPublished {
			cycle: CycleIndex,
			debtor: T::AccountId,
			creditor: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// A net position was settled off chain.
		NetPositionSettled {
			cycle: CycleIndex,
			debtor: T::AccountId,
			creditor: T::AccountId,
			transfer: H256,
		},
		/// An institution's statement matched the chain.
		StatementMatched { cycle: CycleIndex, institution: T::AccountId },
		/// An institution's statement differs from the chain.
		StatementMismatched {
			cycle: CycleIndex,
			institution: T::AccountId,
			differences: Differences,
		},
		/// An institution did not reconcile a cycle in time.
		ReconciliationOverdue { cycle: CycleIndex, institution: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// Only an active clearing institution may do this.
		NotClearingInstitution,
		/// The attested reserve is below what the institution has outstanding.
		ReserveBelowOutstanding,
		/// The institution has attested no reserve.
		NoReserve,
		/// The mint would take the outstanding issuance over the attested reserve.
		OverReserve,
		/// The reference was used before by this institution.
		ReferenceReused,
		/// The customer is not an active participant.
		CustomerNotActive,
		/// The customer banks with another institution.
		CustomerOfAnotherInstitution,
		/// The customer does not bank with this institution.
		NotYourInstitution,
		/// The account cannot spend that much.
		InsufficientBalance,
		/// Compliance would hold the redemption for review: it is refused until then.
		RedemptionUnderReview,
		/// The cycle is not over yet.
		CycleNotOver,
		/// The cycle is already closed.
		CycleAlreadyClosed,
		/// The cycle is not closed.
		CycleNotClosed,
		/// No such net position.
		UnknownPosition,
		/// The net position is already settled.
		AlreadySettled,
		/// Only the debtor or the creditor may mark it settled.
		NotParty,
		/// The institution already submitted its statement for the cycle.
		StatementExists,
		/// The statement window has not passed yet.
		NotOverdueYet,
		/// The institution did nothing in the cycle: there is nothing to reconcile.
		NothingToReconcile,
		/// The institution is already flagged for the cycle.
		AlreadyFlagged,
		/// An amount would overflow.
		Overflow,
		/// A cycle must last at least a block.
		ZeroCycleLength,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			if Self::roll_cycle(now) {
				T::WeightInfo::roll_cycle()
			} else {
				T::DbWeight::get().reads(1)
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxPairs::get() > 0, "MaxPairs must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Attests the caller's reserve (a clearing institution).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::attest_reserve())]
		pub fn attest_reserve(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
			timestamp: u64,
			evidence: H256,
		) -> DispatchResult {
			let institution = ensure_signed(origin)?;
			Self::do_attest(institution, amount, timestamp, evidence)
		}

		/// Countersigns an institution's reserve (a regulator).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::countersign_reserve())]
		pub fn countersign_reserve(
			origin: OriginFor<T>,
			institution: T::AccountId,
		) -> DispatchResult {
			let regulator = T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_countersign(regulator, institution)
		}

		/// Mints `amount` to `customer` against a deposit with reference `reference`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::mint().saturating_add(T::Compliance::check_weight()))]
		pub fn mint(
			origin: OriginFor<T>,
			customer: AccountIdLookupOf<T>,
			#[pallet::compact] amount: BalanceOf<T>,
			reference: H256,
		) -> DispatchResultWithPostInfo {
			let institution = ensure_signed(origin)?;
			let customer = T::Lookup::lookup(customer)?;
			let refund = Self::do_mint(institution, customer, amount, reference)?;
			Ok(Some(T::Compliance::checked_call_weight(T::WeightInfo::mint(), refund)).into())
		}

		/// Redeems `amount` of the caller's money through its institution: burned here, paid
		/// out off chain under `reference`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::redeem().saturating_add(T::Compliance::check_weight()))]
		pub fn redeem(
			origin: OriginFor<T>,
			institution: AccountIdLookupOf<T>,
			#[pallet::compact] amount: BalanceOf<T>,
			reference: H256,
		) -> DispatchResultWithPostInfo {
			let customer = ensure_signed(origin)?;
			let institution = T::Lookup::lookup(institution)?;
			let refund = Self::do_redeem(customer, institution, amount, reference)?;
			Ok(Some(T::Compliance::checked_call_weight(T::WeightInfo::redeem(), refund)).into())
		}

		/// Closes a cycle that is over and publishes its net positions.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::close_cycle(T::MaxPairs::get()))]
		pub fn close_cycle(origin: OriginFor<T>, cycle: CycleIndex) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let pairs = Self::do_close(cycle)?;
			Ok(Some(T::WeightInfo::close_cycle(pairs)).into())
		}

		/// Records the off-chain interbank transfer that settled a net position.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::mark_settled())]
		pub fn mark_settled(
			origin: OriginFor<T>,
			cycle: CycleIndex,
			debtor: T::AccountId,
			creditor: T::AccountId,
			transfer: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_mark_settled(who, cycle, debtor, creditor, transfer)
		}

		/// Submits the caller's statement for a closed cycle: its totals and the Merkle root of
		/// its records.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::submit_statement())]
		pub fn submit_statement(
			origin: OriginFor<T>,
			cycle: CycleIndex,
			totals: CycleTotals<BalanceOf<T>>,
			records_root: H256,
		) -> DispatchResult {
			let institution = ensure_signed(origin)?;
			Self::do_submit_statement(institution, cycle, totals, records_root)
		}

		/// Sets the length of the cycles that start from now on.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_cycle_length())]
		pub fn set_cycle_length(origin: OriginFor<T>, length: BlockNumberFor<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(!length.is_zero(), Error::<T>::ZeroCycleLength);
			CycleLength::<T>::put(length);
			Self::deposit_event(Event::CycleLengthSet { length });
			Ok(())
		}

		/// Flags an institution that did not reconcile a cycle within the statement window.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::flag_overdue())]
		pub fn flag_overdue(
			origin: OriginFor<T>,
			cycle: CycleIndex,
			institution: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_flag_overdue(cycle, institution)
		}
	}
}

/// An account as passed to the calls.
pub type AccountIdLookupOf<T> =
	<<T as frame_system::Config>::Lookup as sp_runtime::traits::StaticLookup>::Source;
