//! # Escrow: buyers' funds in custody until delivery
//!
//! The guaranteed trade of a third-party payment platform, kept by the runtime: the buyer (payer)
//! pays, the money is held, the seller (payee) ships, and the money is released when the goods
//! arrive — or returned when they don't. Nobody, the platform included, can move held funds
//! other than by the rules below.
//!
//! - **Custody is a hold** on the payer's own account under [`HoldReason::Escrow`]: visible in the
//!   payer's balance, never moved to a pallet account.
//! - **Creation**: the payer [`create_escrow`](Pallet::create_escrow)s with an amount, the order
//!   (a commitment hash and a short order id), the deadlines ([`Terms`]), an optional arbiter and
//!   appeal arbiter (registered arbiters), optional m-of-n oracles (registered oracles) and
//!   optional milestones. Or the payee [`request_payment`](Pallet::request_payment)s and the
//!   payer [`accept_request`](Pallet::accept_request)s it.
//! - **Lifecycle**: funded → [`ship`](Pallet::ship)ped (with a tracking commitment) → delivered
//!   ([`confirm_delivery`](Pallet::confirm_delivery) by the payer, m-of-n oracle attestations
//!   through [`attest_delivery`](Pallet::attest_delivery) or
//!   [`submit_attestations`](Pallet::submit_attestations), or the delivery timeout) → released
//!   to the payee after the dispute window, minus the platform fee. Refunded when both
//!   [`cancel`](Pallet::cancel), when the payee [`refund`](Pallet::refund)s, or when it was not
//!   shipped in time. A dispute ([`open_dispute`](Pallet::open_dispute)) is
//!   [`rule`](Pallet::rule)d by the arbiter with a split; one [`appeal`](Pallet::appeal) goes to
//!   the appeal arbiter, whose ruling is final. Milestones are released one by one by the payer
//!   ([`release_milestone`](Pallet::release_milestone)).
//! - **Timeouts happen by themselves**: each escrow's next automatic step is queued at its block
//!   ([`TimeoutQueue`], any number per block); `on_idle` works through the due entries in order
//!   from [`QueueHead`], as far as the block's remaining weight allows, never iterating escrows.
//! - **Compliance**: funding is checked ([`MovementKind::EscrowFund`]: the gates — watch list,
//!   freezes, participation) and so is every payment to the payee
//!   ([`MovementKind::EscrowRelease`]: every rule; a review holds the payment on the payer under
//!   compliance's own reason). A payment decided by a timeout or a ruling that compliance blocks
//!   (the payee frozen in the meantime) does not fail half-way: the funds stay held and the
//!   escrow waits ([`Status::AwaitingCompliance`]) until [`retry_release`](Pallet::retry_release)
//!   succeeds or a regulator has the funds returned ([`force_refund`](Pallet::force_refund)).
//!   Refunds move nothing (the hold is released on the payer), so they work for a frozen payer.
//! - **Retention**: a closed escrow stays queryable for [`Config::Retention`] blocks, then is
//!   removed by the same timeout queue.
//!
//! Invariants ([`Pallet::do_try_state`]): for every payer, the balance held under the escrow
//! reason equals the sum of `held` over its open escrows; `released + refunded + held = amount`
//! for every escrow; closed escrows hold nothing.

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
/// An escrow as stored.
pub type EscrowOf<T> = Escrow<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxOrderIdLen,
	<T as Config>::MaxOracles,
	<T as Config>::MaxMilestones,
>;
/// What a payer and payee agree on, as passed to the calls.
pub type AgreementOf<T> = Agreement<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxOrderIdLen,
	<T as Config>::MaxOracles,
	<T as Config>::MaxMilestones,
>;
/// A signed attestation, as passed to [`Pallet::submit_attestations`].
pub type AttestationOf<T> =
	Attestation<<T as frame_system::Config>::AccountId, <T as Config>::OracleSignature>;
/// What happens next to an escrow.
pub type NextStepOf<T> = NextStep<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

// The pallet macros expand to fully qualified paths that this module's imports make redundant.
#[allow(unused_qualifications)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{InspectHold, MutateHold},
		weights::WeightMeter,
	};
	use frame_system::pallet_prelude::*;
	use paychain_primitives::{accounts::AccountRegistry, compliance::ComplianceCheck};
	use sp_core::H256;
	use sp_runtime::{
		traits::{IdentifyAccount, StaticLookup, Verify},
		Percent, Permill,
	};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The payment currency: escrowed funds are holds on the payer.
		type Currency: fungible::Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The participant register: parties must be active, arbiters and oracles must hold
		/// those roles.
		type Registry: AccountRegistry<Self::AccountId>;

		/// The compliance check, consulted at funding and before every payment to the payee.
		type Compliance: ComplianceCheck<Self::AccountId, BalanceOf<Self>>;

		/// The signature an oracle signs its attestation with.
		type OracleSignature: Verify<Signer = Self::OracleSigner>
			+ Parameter
			+ MaxEncodedLen
			+ DecodeWithMemTracking;

		/// The key behind an [`Config::OracleSignature`], identifying an account.
		type OracleSigner: IdentifyAccount<AccountId = Self::AccountId>;

		/// The chain's arbitration authority: rules on disputes whose arbiter was left out or is
		/// no longer an active arbiter.
		type ArbitrationOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// A regulator: may retry a blocked payment and have an escrow's funds returned.
		type RegulatorOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Governance: sets the platform fee.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Who receives the platform fee.
		type FeeDestination: Get<Self::AccountId>;

		/// The highest platform fee governance may set.
		#[pallet::constant]
		type MaxFeeRate: Get<Permill>;

		/// The longest order id.
		#[pallet::constant]
		type MaxOrderIdLen: Get<u32>;

		/// Oracles per escrow.
		#[pallet::constant]
		type MaxOracles: Get<u32>;

		/// Milestones per escrow.
		#[pallet::constant]
		type MaxMilestones: Get<u32>;

		/// The longest of any term, in blocks.
		#[pallet::constant]
		type MaxPeriod: Get<BlockNumberFor<Self>>;

		/// How long a payment request waits for the payer, in blocks.
		#[pallet::constant]
		type RequestLifetime: Get<BlockNumberFor<Self>>;

		/// How long a closed escrow stays queryable, in blocks.
		#[pallet::constant]
		type Retention: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Makes oracle keys and signatures for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::OracleSignature>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Held on the payer until the escrow releases or refunds it.
		#[codec(index = 0)]
		Escrow,
	}

	/// The next escrow id.
	#[pallet::storage]
	pub type NextEscrowId<T: Config> = StorageValue<_, EscrowId, ValueQuery>;

	/// Every escrow, open or closed (closed ones until their retention ends).
	#[pallet::storage]
	pub type Escrows<T: Config> = StorageMap<_, Twox64Concat, EscrowId, EscrowOf<T>>;

	/// Each account's escrows and its part in them.
	#[pallet::storage]
	pub type AccountEscrows<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, EscrowId, Party>;

	/// How many open escrows (requested to awaiting compliance) each account is payer or payee
	/// of: what the account still has to settle before it may close.
	#[pallet::storage]
	pub type OpenEscrows<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The escrows with an automatic step due at each block, in the order they were queued.
	#[pallet::storage]
	pub type TimeoutQueue<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, u32, EscrowId>;

	/// How many entries each block's queue has had (the next entry's index).
	#[pallet::storage]
	pub type QueueLength<T: Config> =
		StorageMap<_, Twox64Concat, BlockNumberFor<T>, u32, ValueQuery>;

	/// The next queue entry to process: every entry before it is done (none: nothing was ever
	/// queued).
	#[pallet::storage]
	pub type QueueHead<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32)>;

	/// The platform fee on payments to payees of escrows made from now on.
	#[pallet::storage]
	pub type FeeRate<T: Config> = StorageValue<_, Permill, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An escrow was created and funded: `amount` is held on the payer.
		EscrowCreated {
			escrow_id: EscrowId,
			payer: T::AccountId,
			payee: T::AccountId,
			amount: BalanceOf<T>,
			order_commitment: H256,
		},
		/// A payee asked a payer to fund an escrow.
		PaymentRequested {
			escrow_id: EscrowId,
			payer: T::AccountId,
			payee: T::AccountId,
			amount: BalanceOf<T>,
			expires: BlockNumberFor<T>,
		},
		/// A payer accepted a payment request: `amount` is held on the payer.
		RequestAccepted { escrow_id: EscrowId, amount: BalanceOf<T> },
		/// A payment request was declined, withdrawn or lapsed.
		RequestCancelled { escrow_id: EscrowId },
		/// The payee shipped.
		Shipped { escrow_id: EscrowId, tracking: H256, deliver_by: BlockNumberFor<T> },
		/// An oracle attested the delivery.
		DeliveryAttested { escrow_id: EscrowId, oracle: T::AccountId, attestations: u32 },
		/// Delivery is confirmed (by the payer, the oracles or the timeout); the dispute window
		/// runs until `release_at`.
		Delivered { escrow_id: EscrowId, release_at: BlockNumberFor<T> },
		/// `amount` went to the payee and `fee` to the platform.
		Released { escrow_id: EscrowId, to: T::AccountId, amount: BalanceOf<T>, fee: BalanceOf<T> },
		/// A milestone's share went to the payee (`amount`) and the platform (`fee`).
		MilestoneReleased {
			escrow_id: EscrowId,
			index: u32,
			amount: BalanceOf<T>,
			fee: BalanceOf<T>,
		},
		/// Compliance holds a payment to the payee for review: the regulator decides.
		ReleaseHeldForReview { escrow_id: EscrowId, review: u64, amount: BalanceOf<T> },
		/// Compliance blocked a decided payment: the funds stay held, waiting.
		ReleaseBlocked { escrow_id: EscrowId, error: DispatchError },
		/// `amount` was returned to the payer (its hold released).
		Refunded { escrow_id: EscrowId, to: T::AccountId, amount: BalanceOf<T> },
		/// A regulator ordered the funds returned, citing the hash of its decision.
		RefundOrdered { escrow_id: EscrowId, basis: H256 },
		/// A party asked to cancel; the other must agree.
		CancelRequested { escrow_id: EscrowId, by: Party },
		/// A dispute was opened.
		DisputeOpened { escrow_id: EscrowId, by: Party, level: Level, reason: H256 },
		/// A dispute was ruled: the payee gets `payee_share` of what is held.
		DisputeRuled {
			escrow_id: EscrowId,
			level: Level,
			arbiter: Option<T::AccountId>,
			payer_share: Percent,
			payee_share: Percent,
		},
		/// The escrow is finished.
		EscrowClosed { escrow_id: EscrowId, outcome: Outcome },
		/// A closed escrow's record was removed after its retention.
		EscrowRemoved { escrow_id: EscrowId },
		/// The platform fee for new escrows changed.
		FeeRateSet { rate: Permill },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// The payer cannot afford the amount.
		InsufficientBalance,
		/// Compliance would hold the funding for review, which an escrow cannot serve: funding
		/// is checked at the gates only, so this is a misconfiguration.
		FundingUnderReview,
		/// The payer and payee are the same account.
		SelfEscrow,
		/// The payer is not an active participant.
		PayerNotActive,
		/// The payee is not an active participant.
		PayeeNotActive,
		/// The arbiter is not an active registered arbiter.
		NotAnArbiter,
		/// The arbiter and the appeal arbiter are the same account.
		SameArbiters,
		/// An arbiter or oracle is also the payer or payee.
		PartyConflict,
		/// An oracle is not an active registered oracle.
		NotAnOracle,
		/// An oracle appears twice.
		DuplicateOracle,
		/// The oracle threshold is zero or more than the oracles.
		BadThreshold,
		/// A term is zero or longer than the longest allowed.
		BadTerm,
		/// The milestones do not add up to the amount, or one is zero.
		MilestonesMismatch,
		/// No such escrow.
		UnknownEscrow,
		/// The escrow is not in a status that allows this.
		WrongStatus,
		/// Only the payer may do this.
		NotPayer,
		/// Only the payee may do this.
		NotPayee,
		/// Only the payer or the payee may do this.
		NotParty,
		/// Only the arbiter hearing the dispute may rule on it.
		NotArbiter,
		/// The shipping deadline has passed.
		ShippingDeadlinePassed,
		/// The time to confirm delivery has passed.
		ConfirmationTooLate,
		/// The dispute window has closed.
		DisputeWindowClosed,
		/// The appeal window has closed.
		AppealWindowClosed,
		/// The request has lapsed.
		RequestExpired,
		/// This escrow has no oracles.
		NoOracles,
		/// The oracle is not one of this escrow's oracles.
		NotEscrowOracle,
		/// The oracle already attested (or appears twice in the attestations).
		DuplicateAttestation,
		/// An attestation's signature does not verify.
		BadSignature,
		/// No attestations were given.
		NoAttestations,
		/// The escrow has no milestones, or no such milestone.
		UnknownMilestone,
		/// The milestone was already released.
		MilestoneReleased,
		/// The shares of a ruling do not add up to 100%.
		SplitNotWhole,
		/// This party already asked to cancel.
		AlreadyRequested,
		/// The fee is above the highest allowed.
		FeeTooHigh,
		/// A counter or an amount overflowed.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			let mut meter = WeightMeter::with_limit(remaining);
			Self::process_timeouts(now, &mut meter);
			meter.consumed()
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxOracles::get() > 0, "MaxOracles must be positive");
			assert!(!T::MaxPeriod::get().is_zero(), "MaxPeriod must be positive");
			assert!(!T::RequestLifetime::get().is_zero(), "RequestLifetime must be positive");
			assert!(!T::Retention::get().is_zero(), "Retention must be positive");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Creates an escrow for `payee` and holds `amount` on the caller (the payer) under the
		/// escrow reason, after the compliance check. The payee must ship within
		/// `agreement.terms.ship_within` blocks.
		///
		/// Emits `EscrowCreated`. Errors: `ZeroAmount`, `SelfEscrow`, `PayerNotActive`,
		/// `PayeeNotActive`, `BadTerm`, `NotAnArbiter`, `SameArbiters`, `PartyConflict`,
		/// `NotAnOracle`, `DuplicateOracle`, `BadThreshold`, `MilestonesMismatch`,
		/// `InsufficientBalance`, or the compliance pallet's blocking error.
		///
		/// ## Complexity
		/// O(o + m): o oracles checked in the register, m milestones summed.
		#[pallet::call_index(0)]
		#[pallet::weight(
			T::WeightInfo::create_escrow(
				agreement.oracles.as_ref().map_or(0, |o| o.members.len() as u32),
				agreement.milestones.len() as u32,
			).saturating_add(T::Compliance::check_weight())
		)]
		pub fn create_escrow(
			origin: OriginFor<T>,
			payee: AccountIdLookupOf<T>,
			#[pallet::compact] amount: BalanceOf<T>,
			agreement: AgreementOf<T>,
		) -> DispatchResultWithPostInfo {
			let payer = ensure_signed(origin)?;
			let payee = T::Lookup::lookup(payee)?;
			let benchmarked = T::WeightInfo::create_escrow(
				agreement.oracles.as_ref().map_or(0, |o| o.members.len() as u32),
				agreement.milestones.len() as u32,
			);
			let refund = Self::do_create(payer, payee, amount, agreement)?;
			Ok(Some(T::Compliance::checked_call_weight(benchmarked, refund)).into())
		}

		/// The caller (the payee) asks `payer` to fund an escrow on these terms; nothing is held
		/// until the payer accepts, within [`Config::RequestLifetime`] blocks.
		///
		/// Emits `PaymentRequested`. Errors: as [`create_escrow`](Self::create_escrow), but for
		/// the balance and compliance, which are checked at acceptance.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::request_payment(
			agreement.oracles.as_ref().map_or(0, |o| o.members.len() as u32),
			agreement.milestones.len() as u32,
		))]
		pub fn request_payment(
			origin: OriginFor<T>,
			payer: AccountIdLookupOf<T>,
			#[pallet::compact] amount: BalanceOf<T>,
			agreement: AgreementOf<T>,
		) -> DispatchResult {
			let payee = ensure_signed(origin)?;
			let payer = T::Lookup::lookup(payer)?;
			Self::do_request(payer, payee, amount, agreement)
		}

		/// The payer accepts a payment request: the amount is held after the compliance check,
		/// and the shipping deadline starts.
		///
		/// Emits `RequestAccepted`. Errors: `UnknownEscrow`, `NotPayer`, `WrongStatus`,
		/// `RequestExpired`, `PayerNotActive`, `PayeeNotActive`, `InsufficientBalance`,
		/// or the compliance pallet's blocking error.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::accept_request().saturating_add(T::Compliance::check_weight()))]
		pub fn accept_request(
			origin: OriginFor<T>,
			escrow_id: EscrowId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let refund = Self::do_accept_request(who, escrow_id)?;
			Ok(Some(T::Compliance::checked_call_weight(T::WeightInfo::accept_request(), refund))
				.into())
		}

		/// The payer declines, or the payee withdraws, a payment request.
		///
		/// Emits `RequestCancelled` and `EscrowClosed`. Errors: `UnknownEscrow`, `NotParty`,
		/// `WrongStatus`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::cancel_request())]
		pub fn cancel_request(origin: OriginFor<T>, escrow_id: EscrowId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_request(who, escrow_id)
		}

		/// The payee records the shipment with a commitment to its tracking data, before the
		/// shipping deadline. Delivery then counts as confirmed after `deliver_within` blocks
		/// unless the payer, the oracles or a dispute say otherwise.
		///
		/// Emits `Shipped`. Errors: `UnknownEscrow`, `NotPayee`, `WrongStatus`,
		/// `ShippingDeadlinePassed`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::ship())]
		pub fn ship(origin: OriginFor<T>, escrow_id: EscrowId, tracking: H256) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_ship(who, escrow_id, tracking)
		}

		/// The payer confirms delivery; the dispute window starts.
		///
		/// Emits `Delivered`. Errors: `UnknownEscrow`, `NotPayer`, `WrongStatus`,
		/// `ConfirmationTooLate`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::confirm_delivery())]
		pub fn confirm_delivery(origin: OriginFor<T>, escrow_id: EscrowId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_confirm_delivery(who, escrow_id)
		}

		/// One of the escrow's oracles attests the delivery itself (its signed extrinsic is the
		/// attestation). The threshold reached, delivery is confirmed.
		///
		/// Emits `DeliveryAttested`, and `Delivered` at the threshold. Errors: `UnknownEscrow`,
		/// `WrongStatus`, `NoOracles`, `NotEscrowOracle`, `NotAnOracle`, `DuplicateAttestation`,
		/// `ConfirmationTooLate`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::attest_delivery())]
		pub fn attest_delivery(origin: OriginFor<T>, escrow_id: EscrowId) -> DispatchResult {
			let oracle = ensure_signed(origin)?;
			Self::do_attest(escrow_id, alloc::vec![oracle])
		}

		/// Anyone (usually the payee) submits oracles' signed attestations of the delivery: each
		/// signs [`attestation_payload`]`(genesis hash, escrow id, tracking commitment)`. All
		/// must verify; the threshold reached, delivery is confirmed.
		///
		/// Emits `DeliveryAttested` per oracle, and `Delivered` at the threshold. Errors:
		/// `NoAttestations`, `BadSignature`, and those of
		/// [`attest_delivery`](Self::attest_delivery).
		///
		/// ## Complexity
		/// O(n) signature checks for n attestations.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::submit_attestations(attestations.len() as u32))]
		pub fn submit_attestations(
			origin: OriginFor<T>,
			escrow_id: EscrowId,
			attestations: BoundedVec<AttestationOf<T>, T::MaxOracles>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_submit_attestations(escrow_id, attestations)
		}

		/// The payer releases everything held to the payee now (minus the fee), waiving the rest
		/// of the wait; compliance decides first.
		///
		/// Emits `Released` (or `ReleaseHeldForReview`) and `EscrowClosed`. Errors:
		/// `UnknownEscrow`, `NotPayer`, `WrongStatus`, or the compliance pallet's blocking error.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::release().saturating_add(T::Compliance::check_weight()))]
		pub fn release(origin: OriginFor<T>, escrow_id: EscrowId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let refund = Self::do_release(who, escrow_id)?;
			Ok(Some(T::Compliance::checked_call_weight(T::WeightInfo::release(), refund)).into())
		}

		/// The payer confirms milestone `index`: its share goes to the payee (minus the fee);
		/// compliance decides first.
		///
		/// Emits `MilestoneReleased` (or `ReleaseHeldForReview`), and `EscrowClosed` when nothing
		/// is left. Errors: `UnknownEscrow`, `NotPayer`, `WrongStatus`, `UnknownMilestone`,
		/// `MilestoneReleased`, or the compliance pallet's blocking error.
		#[pallet::call_index(9)]
		#[pallet::weight(
			T::WeightInfo::release_milestone().saturating_add(T::Compliance::check_weight())
		)]
		pub fn release_milestone(
			origin: OriginFor<T>,
			escrow_id: EscrowId,
			index: u32,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let refund = Self::do_release_milestone(who, escrow_id, index)?;
			Ok(Some(T::Compliance::checked_call_weight(T::WeightInfo::release_milestone(), refund))
				.into())
		}

		/// The payer or payee asks to cancel before delivery; when the other has asked too,
		/// everything held is returned to the payer.
		///
		/// Emits `CancelRequested`, or `Refunded` and `EscrowClosed`. Errors: `UnknownEscrow`,
		/// `NotParty`, `WrongStatus`, `AlreadyRequested`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, escrow_id: EscrowId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel(who, escrow_id)
		}

		/// The payee agrees to a refund: everything held is returned to the payer, in any open
		/// status.
		///
		/// Emits `Refunded` and `EscrowClosed`. Errors: `UnknownEscrow`, `NotPayee`,
		/// `WrongStatus`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::refund())]
		pub fn refund(origin: OriginFor<T>, escrow_id: EscrowId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_refund(who, escrow_id)
		}

		/// The payer or payee disputes a shipped escrow, or a delivered one inside its dispute
		/// window, with the hash of its statement. The automatic steps stop; the arbiter rules.
		///
		/// Emits `DisputeOpened`. Errors: `UnknownEscrow`, `NotParty`, `WrongStatus`,
		/// `DisputeWindowClosed`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::open_dispute())]
		pub fn open_dispute(
			origin: OriginFor<T>,
			escrow_id: EscrowId,
			reason: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_open_dispute(who, escrow_id, reason)
		}

		/// The arbiter hearing a dispute (or the arbitration authority, when there is none)
		/// divides what is held: `payer_share` back to the payer, `payee_share` to the payee.
		/// A first-level ruling is carried out after the appeal window; an appeal ruling at once.
		///
		/// Emits `DisputeRuled`, and for an appeal ruling `Refunded`, `Released` (or
		/// `ReleaseHeldForReview` or `ReleaseBlocked`) and `EscrowClosed`. Errors:
		/// `SplitNotWhole`, `UnknownEscrow`, `WrongStatus`, `NotArbiter`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::rule().saturating_add(T::Compliance::check_weight()))]
		pub fn rule(
			origin: OriginFor<T>,
			escrow_id: EscrowId,
			payer_share: Percent,
			payee_share: Percent,
		) -> DispatchResult {
			let arbiter = match T::ArbitrationOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			Self::do_rule(arbiter, escrow_id, payer_share, payee_share)
		}

		/// The payer or payee appeals a first-level ruling inside the appeal window, once; the
		/// appeal arbiter rules finally.
		///
		/// Emits `DisputeOpened` at the appeal level. Errors: `UnknownEscrow`, `NotParty`,
		/// `WrongStatus`, `AppealWindowClosed`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::appeal())]
		pub fn appeal(origin: OriginFor<T>, escrow_id: EscrowId, reason: H256) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_appeal(who, escrow_id, reason)
		}

		/// Tries again a payment compliance blocked, by the payer, the payee or a regulator
		/// (after the payee was unfrozen, say).
		///
		/// Emits `Released` (or `ReleaseHeldForReview`) and `EscrowClosed`. Errors:
		/// `UnknownEscrow`, `NotParty`, `WrongStatus`, or the compliance pallet's blocking error.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::retry_release().saturating_add(T::Compliance::check_weight()))]
		pub fn retry_release(origin: OriginFor<T>, escrow_id: EscrowId) -> DispatchResult {
			let who = match T::RegulatorOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			Self::do_retry_release(who, escrow_id)
		}

		/// A regulator has everything held returned to the payer, in any open status, citing the
		/// hash of its decision.
		///
		/// Emits `Refunded` and `EscrowClosed`. Errors: `UnknownEscrow`, `WrongStatus`.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::force_refund())]
		pub fn force_refund(
			origin: OriginFor<T>,
			escrow_id: EscrowId,
			basis: H256,
		) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			Self::do_force_refund(escrow_id, basis)
		}

		/// Governance sets the platform fee for escrows created from now on.
		///
		/// Emits `FeeRateSet`. Errors: `FeeTooHigh`.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::set_fee_rate())]
		pub fn set_fee_rate(origin: OriginFor<T>, rate: Permill) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(rate <= T::MaxFeeRate::get(), Error::<T>::FeeTooHigh);
			FeeRate::<T>::put(rate);
			Self::deposit_event(Event::FeeRateSet { rate });
			Ok(())
		}
	}
}

/// Oracle keys for the benchmarks, which must sign real attestations.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature> {
	/// The account of the oracle key made from `seed` (the same account for the same seed).
	fn oracle(seed: u32) -> AccountId;
	/// That key's signature over `message`.
	fn sign(seed: u32, message: &[u8]) -> Signature;
}

/// The lookup of the calls' account arguments.
pub type AccountIdLookupOf<T> =
	<<T as frame_system::Config>::Lookup as sp_runtime::traits::StaticLookup>::Source;
