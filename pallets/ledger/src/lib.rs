//! # Ledger: payment orders hashed, signed and compared at every stage
//!
//! A payment order passes many hands — application, fund approval, payment, submission to the
//! bank, bank confirmation — often across institutions. At every stage the institution
//! responsible records a commitment of the order's key elements, signed with one of its
//! registered keys; the pallet compares it with the previous stage's and the first's, so that
//! any change on the way stops the order before money moves, and says which field group changed.
//!
//! - **Workflows**: each business type has a sequence of stages ([`StageSpec`]: what it is and
//!   the role of the institution that records it), set by [`Config::AdminOrigin`]
//!   ([`set_workflow`](Pallet::set_workflow)) or in genesis.
//! - **Orders**: a registered institution [`open_order`](Pallet::open_order)s an order with a
//!   unique end-to-end reference ([`OrderRef`], as a SWIFT gpi UETR), its business type, the
//!   source system, the institution responsible for each stage, and the signed application
//!   stage: the [`StageCommitment`] of the key elements (see [`commitment`]: the parties, the
//!   amount and the purpose hashed to the leaves of a small Merkle tree), signed over
//!   [`commitment::stage_payload`] with one of the institution's keys valid at that block
//!   (checked by the accounts pallet).
//! - **Stages**: the responsible institution [`record_stage`](Pallet::record_stage)s each stage
//!   in order, signed the same way, with its result (passed, rejected, returned). Equal to the
//!   previous and the first → recorded. Different → recorded as evidence, the order becomes
//!   [`OrderStatus::TamperSuspected`], the event names the field groups that differ, no later
//!   stage is accepted, and compliance gets an alert on the institution
//!   ([`ExternalAlert::LedgerTamper`]).
//! - **Settlement**: an order may carry its payment ([`Settlement`]: payee and amount, which
//!   must be the committed amount). The amount is held on the opening institution under
//!   [`HoldReason::Settlement`] and paid at the last stage through the compliance check
//!   ([`MovementKind::OrderSettlement`]); a rejected, returned or tampered order releases it.
//!
//! Invariants ([`Pallet::do_try_state`]): every order's stages are recorded in order by their
//! handlers, all but the last passed with the first's commitment, and its status agrees with
//! them; each institution's settlement hold equals the payments of its orders in progress.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod commitment;
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
use paychain_primitives::compliance::{ExternalAlert, MovementKind};

/// The balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// An order as stored.
pub type OrderOf<T> = Order<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxStages,
	<T as Config>::MaxSourceLen,
>;
/// A recorded stage.
pub type StageRecordOf<T> = StageRecord<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	paychain_primitives::Moment,
>;
/// A workflow.
pub type WorkflowOf<T> = frame_support::BoundedVec<StageSpec, <T as Config>::MaxStages>;
/// An order's trail.
pub type TrailOf<T> = Trail<OrderOf<T>, (StageIndex, StageRecordOf<T>)>;

/// Signs stages for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// A signing key (made for the benchmark), registered to `institution`.
	fn register_key(institution: &AccountId) -> paychain_primitives::accounts::SigningKey;
	/// The key's signature of `payload`.
	fn sign(
		key: &paychain_primitives::accounts::SigningKey,
		payload: &[u8],
	) -> sp_runtime::MultiSignature;
}

// The pallet macros expand to fully qualified paths that this module's imports make redundant.
#[allow(unused_qualifications)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{InspectHold, MutateHold},
			UnixTime,
		},
	};
	use frame_system::pallet_prelude::*;
	use paychain_primitives::{
		accounts::AccountRegistry,
		compliance::{AlertSink, ComplianceCheck},
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The payment currency: an order's payment is held on the opener until it settles.
		type Currency: fungible::Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The participant register: institutions, their roles and their signing keys.
		type Registry: AccountRegistry<Self::AccountId>;

		/// The pre-movement check of settlements.
		type Compliance: ComplianceCheck<Self::AccountId, BalanceOf<Self>>;

		/// Where suspected tampering is reported.
		type Alerts: AlertSink<Self::AccountId>;

		/// Wall-clock time, stamped on every stage.
		type Time: UnixTime;

		/// Who sets workflows.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most stages a workflow may have (at most 255).
		#[pallet::constant]
		type MaxStages: Get<u32>;

		/// The longest source-system name.
		#[pallet::constant]
		type MaxSourceLen: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Registers keys and signs stages for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An order's payment, held on the opener until the order's last stage.
		#[codec(index = 0)]
		Settlement,
	}

	/// Each business type's workflow.
	#[pallet::storage]
	pub type Workflows<T: Config> = StorageMap<_, Twox64Concat, BusinessType, WorkflowOf<T>>;

	/// Every order.
	#[pallet::storage]
	pub type Orders<T: Config> = StorageMap<_, Blake2_128Concat, OrderRef, OrderOf<T>>;

	/// Every order's recorded stages.
	#[pallet::storage]
	pub type Stages<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, OrderRef, Twox64Concat, StageIndex, StageRecordOf<T>>;

	/// The orders each institution opened or handles a stage of.
	#[pallet::storage]
	pub type InstitutionOrders<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, OrderRef, ()>;

	/// The orders suspected of tampering, with the block it was found in.
	#[pallet::storage]
	pub type Suspected<T: Config> = StorageMap<_, Blake2_128Concat, OrderRef, BlockNumberFor<T>>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The workflows at genesis.
		pub workflows: Vec<(BusinessType, Vec<StageSpec>)>,
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (business_type, stages) in &self.workflows {
				let stages = WorkflowOf::<T>::try_from(stages.clone())
					.expect("a genesis workflow has at most MaxStages stages");
				Pallet::<T>::check_workflow(&stages).expect("a genesis workflow is valid");
				Workflows::<T>::insert(business_type, stages);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A business type's workflow was set.
		WorkflowSet { business_type: BusinessType, stages: u32 },
		/// An order was opened; its application stage is recorded.
		OrderOpened {
			reference: OrderRef,
			business_type: BusinessType,
			opener: T::AccountId,
			root: sp_core::H256,
			settlement: Option<BalanceOf<T>>,
		},
		/// A stage was recorded with its result.
		StageRecorded {
			reference: OrderRef,
			stage: StageIndex,
			institution: T::AccountId,
			result: StageResult,
		},
		/// A stage's commitment differs from the first or the previous: the order is stopped.
		TamperSuspected {
			reference: OrderRef,
			stage: StageIndex,
			institution: T::AccountId,
			changed: FieldGroups,
		},
		/// Every stage passed.
		OrderCompleted { reference: OrderRef },
		/// The order was rejected or returned at `stage`.
		OrderStopped { reference: OrderRef, stage: StageIndex, result: StageResult },
		/// The order's payment went to the payee (or, with `review`, is held by compliance
		/// until a regulator decides).
		OrderSettled {
			reference: OrderRef,
			payee: T::AccountId,
			amount: BalanceOf<T>,
			review: Option<u64>,
		},
		/// The held payment of an order that did not complete went back to the opener.
		SettlementReleased { reference: OrderRef, amount: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// An order with this reference exists.
		DuplicateReference,
		/// No order has this reference.
		UnknownOrder,
		/// No workflow is set for the business type.
		UnknownBusinessType,
		/// A workflow needs at least two stages.
		WorkflowTooShort,
		/// The handlers do not match the workflow: one per stage, the opener first.
		WrongHandlers,
		/// A handler is not an active institution with the role its stage needs.
		HandlerNotQualified,
		/// The commitment's leaves are missing or its root is not theirs.
		MalformedCommitment,
		/// The application stage must pass.
		ApplicationNotPassed,
		/// The key is not registered to the institution.
		UnknownKey,
		/// The key was revoked.
		KeyRevoked,
		/// The key is not valid at this block (expired or not yet valid).
		KeyNotValid,
		/// The signature does not verify.
		BadSignature,
		/// The institution is not an active participant.
		InstitutionNotActive,
		/// The stage is not the order's next one.
		StageOutOfOrder,
		/// The stage is already recorded.
		StageAlreadyRecorded,
		/// Another institution is responsible for this stage.
		WrongInstitution,
		/// The order is completed, rejected or returned.
		OrderClosed,
		/// The order is suspected of tampering: no stage is accepted.
		OrderTamperSuspected,
		/// The payment's amount is not the committed amount (in CNY).
		SettlementMismatch,
		/// The payment is zero, or to the opener itself.
		BadSettlement,
		/// The opener cannot afford the payment.
		InsufficientBalance,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxStages::get() >= 2, "MaxStages must allow two stages");
			assert!(T::MaxStages::get() <= 255, "stage indices are bytes");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Opens an order with its signed application stage, the institution responsible for
		/// each stage (the caller first) and, optionally, the payment it carries.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::open_order(handlers.len() as u32))]
		pub fn open_order(
			origin: OriginFor<T>,
			reference: OrderRef,
			business_type: BusinessType,
			source: BoundedVec<u8, T::MaxSourceLen>,
			handlers: BoundedVec<T::AccountId, T::MaxStages>,
			application: SignedStage,
			settlement: Option<Settlement<T::AccountId, BalanceOf<T>>>,
		) -> DispatchResult {
			let opener = ensure_signed(origin)?;
			Self::do_open(
				opener,
				reference,
				business_type,
				source,
				handlers,
				application,
				settlement,
			)
		}

		/// Records the order's next stage, signed by the institution responsible for it.
		///
		/// Charged the dearer of a completing stage (which pays out through the compliance
		/// check) and a tampered one, plus the check's worst case. A stage that passes with
		/// another to follow is refunded to its own benchmark; one that ends the order, to what
		/// its check cost.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::record_stage()
				.max(T::WeightInfo::record_stage_tampered())
				.saturating_add(T::Compliance::check_weight())
		)]
		pub fn record_stage(
			origin: OriginFor<T>,
			reference: OrderRef,
			stage: StageIndex,
			signed: SignedStage,
		) -> DispatchResultWithPostInfo {
			let institution = ensure_signed(origin)?;
			let actual = match Self::do_record(institution, reference, stage, signed)? {
				crate::impls::Recorded::Passed => T::WeightInfo::record_stage_passed(),
				crate::impls::Recorded::Ended { refund } => T::Compliance::checked_call_weight(
					T::WeightInfo::record_stage().max(T::WeightInfo::record_stage_tampered()),
					refund,
				),
			};
			Ok(Some(actual).into())
		}

		/// Sets a business type's workflow; orders already open keep theirs.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_workflow(stages.len() as u32))]
		pub fn set_workflow(
			origin: OriginFor<T>,
			business_type: BusinessType,
			stages: WorkflowOf<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::check_workflow(&stages)?;
			let count = stages.len() as u32;
			Workflows::<T>::insert(business_type, stages);
			Self::deposit_event(Event::WorkflowSet { business_type, stages: count });
			Ok(())
		}
	}
}
