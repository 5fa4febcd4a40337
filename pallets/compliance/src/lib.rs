//! # Compliance: the rule engine checked before any money moves, and the regulator's workbench
//!
//! Every value movement on Paychain passes [`ComplianceCheck::check`] before funds move: the
//! runtime's own transfers ([`transfer`](Pallet::transfer),
//! [`transfer_keep_alive`](Pallet::transfer_keep_alive), [`transfer_all`](Pallet::transfer_all),
//! which replace the balances pallet's, filtered out of the runtime) and every other pallet that
//! moves money. A check reads a constant number of storage items and decides:
//!
//! - **accept**, **accept with an alert**, **review** (the amount is held on the sender under
//!   [`HoldReason::Review`] until a regulator [`release_review`](Pallet::release_review)s or
//!   [`return_review`](Pallet::return_review)s it, or the review policy's timeout does), or
//!   **block** (the call fails with an error naming the rule; nothing moves).
//!
//! **Rules are data** ([`Rules`]), set by regulators with [`set_rule`](Pallet::set_rule): each
//! change gets the next version and an effective block, and takes effect at that block by itself:
//! - large-value thresholds per role and region (single movement, same-day total) → a report;
//! - velocity limits per KYC tier (count and value in a rolling window);
//! - structuring (repeated movements just below the large-value threshold);
//! - the watch list ([`list_account`](Pallet::list_account)): listed accounts neither send nor
//!   receive;
//! - dormant accounts suddenly active; rapid fan-out and fan-in.
//!
//! **Alerts** join the account's open case; a regulator takes the case, adds evidence, and closes
//! it or reports it (a suspicious-transaction report). Large-value and suspicious-transaction
//! **reports** are due five working days after they are made; overdue ones show in the runtime
//! API. **Freezes** stop an account entirely or make part of its balance unusable, with a legal
//! basis and an optional expiry. Regulators act only within their region.
//!
//! ## What still works on a frozen account
//! An account-wide freeze stops every checked movement in and out. It does not stop the account
//! from paying transaction fees (fees are not a movement between participants), nor funds in
//! custody elsewhere from returning to it (an escrow refund releases a hold on the payer: the money
//! never left). An amount freeze is a balance freeze: that part of the balance pays nothing, fees
//! included.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod engine;
mod extension;
mod impls;
pub mod migrations;
pub mod runtime_api;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use extension::{blocked_code, CheckCompliance, BLOCKED_BASE};
pub use impls::MAX_PAGE;
pub use pallet::*;
pub use paychain_primitives::compliance::ReviewId;
pub use types::*;
pub use weights::WeightInfo;

use frame_support::traits::fungible;
use frame_system::pallet_prelude::BlockNumberFor;

/// The balance type.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A rule as stored.
pub type RuleOf<T> = Rule<BalanceOf<T>, BlockNumberFor<T>>;
/// A rule slot as stored.
pub type VersionedOf<T> = Versioned<BalanceOf<T>, BlockNumberFor<T>>;
/// The national rule slots as stored.
pub type NationalSlotsOf<T> = NationalSlots<BalanceOf<T>, BlockNumberFor<T>>;
/// An account's window counters as stored.
pub type ActivityOf<T> =
	Activity<BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxCounterparties>;
/// An alert as stored.
pub type AlertOf<T> =
	Alert<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A case as stored.
pub type CaseOf<T> =
	Case<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, <T as Config>::MaxEvidence>;
/// A report as stored.
pub type ReportOf<T> =
	Report<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A freeze as stored.
pub type FreezeOf<T> = FreezeRecord<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxBasisLen,
>;
/// One payment of a bulk transfer, as a call carries it.
pub type BulkPaymentOf<T> = BulkPayment<
	<<T as frame_system::Config>::Lookup as sp_runtime::traits::StaticLookup>::Source,
	BalanceOf<T>,
>;
/// A review hold as stored.
pub type ReviewOf<T> =
	Review<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

// The pallet macros expand to fully qualified paths that this module's imports make redundant.
#[allow(unused_qualifications)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{InspectFreeze, InspectHold, MutateFreeze, MutateHold},
			tokens::Preservation,
			IsSubType, UnixTime,
		},
	};
	use frame_system::pallet_prelude::*;
	use paychain_primitives::{accounts::AccountRegistry, compliance::MovementObserver, Moment};
	use sp_core::H256;
	use sp_runtime::traits::StaticLookup;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The payment currency: transfers, review holds and amount freezes.
		type Currency: fungible::Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectFreeze<Self::AccountId, Id = Self::RuntimeFreezeReason>
			+ MutateFreeze<Self::AccountId, Id = Self::RuntimeFreezeReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The overarching freeze reason.
		type RuntimeFreezeReason: From<FreezeReason>;

		/// The call type, to let the transaction extension recognise this pallet's transfers.
		type RuntimeCall: IsSubType<Call<Self>>
			+ IsType<<Self as frame_system::Config>::RuntimeCall>;

		/// The participant register: roles, tiers and regions the rules depend on.
		type Registry: AccountRegistry<Self::AccountId>;

		/// A regulator; yields its account. It acts within its own region.
		type RegulatorOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// Governance: acts everywhere, like a national regulator.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Wall-clock time, for days and report due dates.
		type Time: UnixTime;

		/// The chain's time zone, in milliseconds east of UTC (China: 8 hours).
		#[pallet::constant]
		type TimeZoneOffset: Get<Moment>;

		/// Working days a report is due in (five, after the PBoC rules).
		#[pallet::constant]
		type ReportWorkingDays: Get<u32>;

		/// How long a regulator has to conclude a case, in blocks.
		#[pallet::constant]
		type CaseDeadline: Get<BlockNumberFor<Self>>;

		/// The longest rule window and review timeout, in blocks.
		#[pallet::constant]
		type MaxWindow: Get<BlockNumberFor<Self>>;

		/// The furthest ahead a rule change may be scheduled, in blocks.
		#[pallet::constant]
		type MaxRuleDelay: Get<BlockNumberFor<Self>>;

		/// Distinct counterparties remembered per account and window, for fan-out and fan-in.
		#[pallet::constant]
		type MaxCounterparties: Get<u32>;

		/// Payments in one bulk transfer ([`Pallet::transfer_bulk`]); below
		/// `MaxCounterparties`, as a fan rule's limit is: a bulk to distinct recipients can then
		/// pass the loosest fan-out rule.
		#[pallet::constant]
		type MaxBulkPayments: Get<u32>;

		/// Reviews and freezes that may lapse in one block.
		#[pallet::constant]
		type MaxDeadlinesPerBlock: Get<u32>;

		/// Evidence hashes per case.
		#[pallet::constant]
		type MaxEvidence: Get<u32>;

		/// The length of a freeze's legal-basis reference.
		#[pallet::constant]
		type MaxBasisLen: Get<u32>;

		/// Told of every movement that goes ahead (settlement's cycle totals).
		type Observer: MovementObserver<Self::AccountId, BalanceOf<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Held on the sender while a regulator reviews the movement.
		#[codec(index = 0)]
		Review,
	}

	/// Why this pallet freezes funds.
	#[pallet::composite_enum]
	pub enum FreezeReason {
		/// Part of the balance frozen by a regulator's order.
		#[codec(index = 0)]
		Legal,
	}

	/// The regional large-value rules, by slot (`RuleId::LargeValue(_, Some(region))`).
	#[pallet::storage]
	pub type Rules<T: Config> = StorageMap<_, Blake2_128Concat, RuleId, VersionedOf<T>>;

	/// Every other rule slot, national, in one value: a movement reads it once (storage
	/// version 1; until then these slots were in [`Rules`] too, see [`crate::migrations`]).
	#[pallet::storage]
	pub type NationalRules<T: Config> = StorageValue<_, NationalSlotsOf<T>, ValueQuery>;

	/// The last rule version given out.
	#[pallet::storage]
	pub type RuleVersion<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Each account's window counters.
	#[pallet::storage]
	pub type Activities<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ActivityOf<T>>;

	/// Per-account alert, review and report counts.
	#[pallet::storage]
	pub type Stats<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, AccountStats<BalanceOf<T>>, ValueQuery>;

	/// The watch list.
	#[pallet::storage]
	pub type WatchList<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Listing<T::AccountId, BlockNumberFor<T>>>;

	/// Frozen accounts.
	#[pallet::storage]
	pub type Freezes<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, FreezeOf<T>>;

	/// Funds held for review, by id.
	#[pallet::storage]
	pub type Reviews<T: Config> = StorageMap<_, Twox64Concat, ReviewId, ReviewOf<T>>;

	/// What lapses at each block: review timeouts and freeze expiries.
	#[pallet::storage]
	pub type Deadlines<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<Deadline<T::AccountId>, T::MaxDeadlinesPerBlock>,
		ValueQuery,
	>;

	/// Alerts, by id.
	#[pallet::storage]
	pub type Alerts<T: Config> = StorageMap<_, Twox64Concat, AlertId, AlertOf<T>>;

	/// Cases, by id.
	#[pallet::storage]
	pub type Cases<T: Config> = StorageMap<_, Twox64Concat, CaseId, CaseOf<T>>;

	/// Each account's open or under-review case.
	#[pallet::storage]
	pub type OpenCase<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, CaseId>;

	/// The alerts of each case.
	#[pallet::storage]
	pub type CaseAlerts<T: Config> =
		StorageDoubleMap<_, Twox64Concat, CaseId, Twox64Concat, AlertId, ()>;

	/// The cases in each status.
	#[pallet::storage]
	pub type CasesByStatus<T: Config> =
		StorageDoubleMap<_, Twox64Concat, CaseStatus, Twox64Concat, CaseId, ()>;

	/// Reports, by id.
	#[pallet::storage]
	pub type Reports<T: Config> = StorageMap<_, Twox64Concat, ReportId, ReportOf<T>>;

	/// The reports in each status.
	#[pallet::storage]
	pub type ReportsByStatus<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ReportStatus, Twox64Concat, ReportId, ()>;

	/// The next alert, case, report and review ids.
	#[pallet::storage]
	pub type NextAlertId<T: Config> = StorageValue<_, AlertId, ValueQuery>;
	#[pallet::storage]
	pub type NextCaseId<T: Config> = StorageValue<_, CaseId, ValueQuery>;
	#[pallet::storage]
	pub type NextReportId<T: Config> = StorageValue<_, ReportId, ValueQuery>;
	#[pallet::storage]
	pub type NextReviewId<T: Config> = StorageValue<_, ReviewId, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The default rule set.
		pub rules: Vec<(RuleId, RuleOf<T>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (id, rule) in &self.rules {
				Pallet::<T>::validate_rule(id, Some(rule)).expect("genesis rules must be valid");
				let version = RuleVersion::<T>::mutate(|v| {
					*v += 1;
					*v
				});
				Pallet::<T>::put_slot(*id, Versioned { version, current: Some(*rule), next: None })
					.expect("genesis rules fit: one per national slot");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A rule change was scheduled (`rule: None` empties the slot).
		RuleScheduled {
			id: RuleId,
			version: u32,
			rule: Option<RuleOf<T>>,
			effective_at: BlockNumberFor<T>,
			by: Option<T::AccountId>,
		},
		/// An alert was raised and joined a case.
		AlertRaised {
			alert: AlertId,
			account: T::AccountId,
			case: CaseId,
			cause: AlertCause,
			decision: paychain_primitives::compliance::Decision,
		},
		/// A case was opened on an account.
		CaseOpened { case: CaseId, account: T::AccountId, deadline: BlockNumberFor<T> },
		/// A regulator took a case.
		CaseTaken { case: CaseId, by: Option<T::AccountId> },
		/// Evidence was added to a case.
		EvidenceAdded { case: CaseId, evidence: H256 },
		/// A case was closed without a report.
		CaseClosed { case: CaseId, by: Option<T::AccountId> },
		/// A case led to a suspicious-transaction report.
		CaseReported { case: CaseId, report: ReportId },
		/// A report was made, due at `due_ms`.
		ReportCreated {
			report: ReportId,
			kind: ReportKind,
			account: T::AccountId,
			amount: BalanceOf<T>,
			due_ms: Moment,
		},
		/// A report was filed.
		ReportFiled { report: ReportId, by: T::AccountId, document: H256 },
		/// A movement's funds are held on the sender for review.
		HeldForReview {
			review: ReviewId,
			from: T::AccountId,
			to: T::AccountId,
			amount: BalanceOf<T>,
			deadline: BlockNumberFor<T>,
		},
		/// Held funds went to the recipient (`by: None`: the timeout policy).
		ReviewReleased { review: ReviewId, by: Option<T::AccountId> },
		/// Held funds went back to the sender (`by: None`: the timeout policy or the recipient
		/// could no longer receive).
		ReviewReturned { review: ReviewId, by: Option<T::AccountId> },
		/// An account was put on the watch list.
		Listed { who: T::AccountId, basis: H256, by: Option<T::AccountId> },
		/// An account was taken off the watch list.
		Unlisted { who: T::AccountId, by: Option<T::AccountId> },
		/// An account was frozen.
		Frozen {
			who: T::AccountId,
			scope: FreezeScope<BalanceOf<T>>,
			expires_at: Option<BlockNumberFor<T>>,
			by: Option<T::AccountId>,
		},
		/// A freeze was lifted (`by: None`: it expired).
		Unfrozen { who: T::AccountId, by: Option<T::AccountId> },
		/// A bulk transfer went through: `payments` payments of `total` in all, each checked by
		/// the rules (each moved or held for review, with its own event).
		BulkTransferred { from: T::AccountId, payments: u32, total: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The sender is on the watch list.
		SenderListed,
		/// The recipient is on the watch list.
		RecipientListed,
		/// The sender is frozen.
		SenderFrozen,
		/// The recipient is frozen.
		RecipientFrozen,
		/// The sender is not an active participant.
		SenderNotParticipating,
		/// The recipient's participation is suspended or closed.
		RecipientNotParticipating,
		/// Blocked: too many movements, or too much, in the velocity window.
		VelocityLimitExceeded,
		/// Blocked: repeated movements just below the large-value threshold.
		StructuringSuspected,
		/// Blocked: a dormant account suddenly moving a large amount.
		DormantAccountActive,
		/// Blocked: too many distinct recipients in the window.
		FanOutExceeded,
		/// Blocked: too many distinct senders to the recipient in the window.
		FanInExceeded,
		/// A movement of nothing.
		ZeroAmount,
		/// A movement to oneself.
		SelfTransfer,
		/// The rule does not fit the slot it is set in.
		RuleMismatch,
		/// A threshold or limit of zero, or a daily threshold below the single one.
		InvalidThreshold,
		/// A window or timeout of zero blocks.
		ZeroWindow,
		/// A window or timeout longer than `MaxWindow`.
		WindowTooLong,
		/// A structuring margin outside 1–50%.
		MarginOutOfRange,
		/// A structuring count below 2.
		CountTooLow,
		/// A fan limit of zero or above `MaxCounterparties`.
		FanLimitOutOfRange,
		/// A malformed region code.
		InvalidRegion,
		/// A change effective in the past.
		EffectiveInPast,
		/// A change effective further ahead than `MaxRuleDelay`.
		EffectiveTooFar,
		/// The account or region lies outside the regulator's jurisdiction.
		OutsideJurisdiction,
		/// The account is already on the watch list.
		AlreadyListed,
		/// The account is not on the watch list.
		NotListed,
		/// The account is already frozen.
		AlreadyFrozen,
		/// The account is not frozen.
		NotFrozen,
		/// An amount freeze of nothing.
		ZeroFreeze,
		/// An expiry not in the future, or too far ahead.
		InvalidExpiry,
		/// No review with that id.
		UnknownReview,
		/// The recipient can no longer receive (frozen, listed, suspended or closed): return the
		/// funds instead.
		RecipientUnavailable,
		/// No case with that id.
		UnknownCase,
		/// The case is closed or reported.
		CaseNotActive,
		/// The case is not open (a regulator already took it, or it is concluded).
		CaseNotOpen,
		/// The case must be taken (under review) before it is concluded.
		CaseNotUnderReview,
		/// The case already has `MaxEvidence` evidence hashes.
		TooMuchEvidence,
		/// No report with that id.
		UnknownReport,
		/// The report was already filed.
		AlreadyFiled,
		/// Only a regulator in whose region the account lies, or an organisation above the
		/// account, files its reports.
		NotAuthorizedToFile,
		/// Too many reviews and freezes lapse around that block; try another expiry.
		DeadlinesFull,
		/// A bulk transfer without any payment.
		EmptyBulk,
		/// A counter overflowed.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::process_deadlines(now)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}

		fn integrity_test() {
			assert!(T::MaxCounterparties::get() > 0, "MaxCounterparties must be positive");
			assert!(T::MaxDeadlinesPerBlock::get() > 0, "MaxDeadlinesPerBlock must be positive");
			assert!(!T::MaxWindow::get().is_zero(), "MaxWindow must be positive");
			assert!(
				(1..T::MaxCounterparties::get()).contains(&T::MaxBulkPayments::get()),
				"MaxBulkPayments must be positive and below MaxCounterparties"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Transfers `value` to `dest` after the compliance check; the sender's account may be
		/// reaped. On a review decision the amount is held on the sender instead.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::transfer().saturating_add(T::Observer::observe_weight()))]
		pub fn transfer(
			origin: OriginFor<T>,
			dest: AccountIdLookupOf<T>,
			#[pallet::compact] value: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let from = ensure_signed(origin)?;
			let to = T::Lookup::lookup(dest)?;
			Ok(Self::transfer_post_info(Self::do_transfer(
				from,
				to,
				value,
				Preservation::Expendable,
			)?))
		}

		/// Like [`transfer`](Self::transfer), but never reaps the sender's account.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::transfer().saturating_add(T::Observer::observe_weight()))]
		pub fn transfer_keep_alive(
			origin: OriginFor<T>,
			dest: AccountIdLookupOf<T>,
			#[pallet::compact] value: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let from = ensure_signed(origin)?;
			let to = T::Lookup::lookup(dest)?;
			Ok(Self::transfer_post_info(Self::do_transfer(
				from,
				to,
				value,
				Preservation::Preserve,
			)?))
		}

		/// Transfers everything the sender can spend (keeping the account alive if asked) after
		/// the compliance check.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::transfer().saturating_add(T::Observer::observe_weight()))]
		pub fn transfer_all(
			origin: OriginFor<T>,
			dest: AccountIdLookupOf<T>,
			keep_alive: bool,
		) -> DispatchResultWithPostInfo {
			let from = ensure_signed(origin)?;
			let to = T::Lookup::lookup(dest)?;
			Ok(Self::transfer_post_info(Self::do_transfer_all(from, to, keep_alive)?))
		}

		/// Pays each recipient its amount, in order, from one signed transaction: a payroll, a
		/// merchant's settlement, a department's disbursements. Each payment is checked by every
		/// rule, on the state the payments before it left, exactly as a
		/// [`transfer_keep_alive`](Self::transfer_keep_alive) would be; the sender's account is
		/// kept alive.
		///
		/// All or nothing: a payment the rules block, or one the sender cannot fund, fails the
		/// whole bulk with that payment's error, and nothing moves. A payment the rules send to
		/// review is held on the sender like a single one, and the bulk goes on.
		#[pallet::call_index(15)]
		#[pallet::weight(Pallet::<T>::bulk_weight(payments.len() as u32))]
		pub fn transfer_bulk(
			origin: OriginFor<T>,
			payments: BoundedVec<BulkPaymentOf<T>, T::MaxBulkPayments>,
		) -> DispatchResultWithPostInfo {
			let from = ensure_signed(origin)?;
			Self::do_transfer_bulk(from, payments.into_inner())
		}

		/// Sets the rule in a slot (`None` empties it), effective at `effective_at` (default: the
		/// next block). A regulator sets regional large-value rules within its region, and the
		/// national rules only if it is national.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_rule())]
		pub fn set_rule(
			origin: OriginFor<T>,
			id: RuleId,
			rule: Option<RuleOf<T>>,
			effective_at: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			let actor = Self::ensure_actor(origin)?;
			Self::do_set_rule(actor, id, rule, effective_at)
		}

		/// Puts an account on the watch list: it can neither send nor receive.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::list_account())]
		pub fn list_account(
			origin: OriginFor<T>,
			who: T::AccountId,
			basis: H256,
		) -> DispatchResult {
			let actor = Self::ensure_actor(origin)?;
			Self::do_list(actor, who, basis)
		}

		/// Takes an account off the watch list.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::unlist_account())]
		pub fn unlist_account(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			let actor = Self::ensure_actor(origin)?;
			Self::do_unlist(actor, who)
		}

		/// Freezes an account, wholly or up to an amount, with a legal basis and an optional
		/// expiry block.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::freeze())]
		pub fn freeze(
			origin: OriginFor<T>,
			who: T::AccountId,
			scope: FreezeScope<BalanceOf<T>>,
			basis: BoundedVec<u8, T::MaxBasisLen>,
			expires_at: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			let actor = Self::ensure_actor(origin)?;
			Self::do_freeze(actor, who, scope, basis, expires_at)
		}

		/// Lifts a freeze.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::unfreeze())]
		pub fn unfreeze(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			let actor = Self::ensure_actor(origin)?;
			Self::do_unfreeze(Some(actor), who)
		}

		/// Releases funds held for review to their recipient.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::release_review().saturating_add(T::Observer::observe_weight()))]
		pub fn release_review(origin: OriginFor<T>, review: ReviewId) -> DispatchResult {
			let actor = Self::ensure_actor(origin)?;
			Self::do_release_review(Some(actor), review)
		}

		/// Returns funds held for review to their sender.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::return_review())]
		pub fn return_review(origin: OriginFor<T>, review: ReviewId) -> DispatchResult {
			let actor = Self::ensure_actor(origin)?;
			Self::do_return_review(Some(actor), review)
		}

		/// Takes an open case: it is under review, by this regulator.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::take_case())]
		pub fn take_case(origin: OriginFor<T>, case: CaseId) -> DispatchResult {
			let actor = Self::ensure_actor(origin)?;
			Self::do_take_case(actor, case)
		}

		/// Adds the hash of a piece of evidence to an active case.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::add_evidence())]
		pub fn add_evidence(origin: OriginFor<T>, case: CaseId, evidence: H256) -> DispatchResult {
			let actor = Self::ensure_actor(origin)?;
			Self::do_add_evidence(actor, case, evidence)
		}

		/// Closes an active case without a report, with the hash of the conclusion.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::close_case())]
		pub fn close_case(origin: OriginFor<T>, case: CaseId, conclusion: H256) -> DispatchResult {
			let actor = Self::ensure_actor(origin)?;
			Self::do_conclude_case(actor, case, conclusion, false)
		}

		/// Concludes an active case with a suspicious-transaction report, due in five working
		/// days.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::report_case())]
		pub fn report_case(origin: OriginFor<T>, case: CaseId, conclusion: H256) -> DispatchResult {
			let actor = Self::ensure_actor(origin)?;
			Self::do_conclude_case(actor, case, conclusion, true)
		}

		/// Records that a report was filed, with the hash of the document filed. A regulator in
		/// whose region the account lies, or an organisation above the account (its payment
		/// institution), files it.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::file_report())]
		pub fn file_report(
			origin: OriginFor<T>,
			report: ReportId,
			document: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_file_report(who, report, document)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The rule in a slot, in force now.
		pub fn rule(id: &RuleId) -> Option<RuleOf<T>> {
			Self::rule_now(*id, Self::now())
		}
	}

	/// The lookup source of an account.
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;
}
