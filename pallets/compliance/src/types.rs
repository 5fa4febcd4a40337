//! The pallet's data: rules, window counters, alerts, cases, reports, freezes and review holds.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec};
use paychain_primitives::{
	accounts::{KycTier, RegionCode, Role},
	compliance::{Action, Decision, ExternalAlert, MovementKind, RuleFlags},
	Moment,
};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::Percent;

/// Which rule a regulator sets: each identifies one slot in [`crate::Rules`].
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum RuleId {
	/// The large-value thresholds for a role, in a region (`None`: the national default). The
	/// most specific region containing the sender's applies.
	#[codec(index = 0)]
	LargeValue(Role, Option<RegionCode>),
	/// The velocity limits for a KYC tier.
	#[codec(index = 1)]
	Velocity(KycTier),
	/// Structuring below the large-value threshold.
	#[codec(index = 2)]
	Structuring,
	/// Dormant accounts suddenly active.
	#[codec(index = 3)]
	Dormancy,
	/// Rapid fan-out (one sender, many recipients).
	#[codec(index = 4)]
	FanOut,
	/// Rapid fan-in (one recipient, many senders).
	#[codec(index = 5)]
	FanIn,
	/// How long funds wait for a regulator, and what happens then.
	#[codec(index = 6)]
	ReviewPolicy,
}

/// How many national rule slots there are: every [`RuleId`] but the regional large-value ones
/// (a large-value slot for each of the 13 roles, a velocity slot for each of the 4 KYC tiers,
/// and the 5 single slots). The bound of [`crate::NationalRules`].
pub const NATIONAL_SLOTS: u32 = 22;

impl RuleId {
	/// Whether the slot is a regional large-value rule, kept in [`crate::Rules`]; every other
	/// slot is national and kept in [`crate::NationalRules`].
	pub fn is_regional(&self) -> bool {
		matches!(self, RuleId::LargeValue(_, Some(_)))
	}

	/// The position of a national slot, `0..NATIONAL_SLOTS` (`None` for a regional one). The
	/// matches are exhaustive, so a new role, tier or rule cannot be added without a place.
	pub fn national_index(&self) -> Option<u8> {
		use paychain_primitives::accounts::FinanceLevel;
		let role = |r: &Role| -> u8 {
			match r {
				Role::Individual => 0,
				Role::Merchant => 1,
				Role::PaymentInstitution => 2,
				Role::ClearingInstitution => 3,
				Role::FinanceDepartment(FinanceLevel::National) => 4,
				Role::FinanceDepartment(FinanceLevel::Provincial) => 5,
				Role::FinanceDepartment(FinanceLevel::Municipal) => 6,
				Role::FinanceDepartment(FinanceLevel::County) => 7,
				Role::SupervisionDepartment => 8,
				Role::Regulator => 9,
				Role::Oracle => 10,
				Role::Arbiter => 11,
				Role::Governance => 12,
			}
		};
		match self {
			RuleId::LargeValue(_, Some(_)) => None,
			RuleId::LargeValue(r, None) => Some(role(r)),
			RuleId::Velocity(KycTier::Unverified) => Some(13),
			RuleId::Velocity(KycTier::Basic) => Some(14),
			RuleId::Velocity(KycTier::Standard) => Some(15),
			RuleId::Velocity(KycTier::Enhanced) => Some(16),
			RuleId::Structuring => Some(17),
			RuleId::Dormancy => Some(18),
			RuleId::FanOut => Some(19),
			RuleId::FanIn => Some(20),
			RuleId::ReviewPolicy => Some(21),
		}
	}

	/// Every national slot, in [`RuleId::national_index`] order.
	pub fn all_national() -> [RuleId; NATIONAL_SLOTS as usize] {
		use paychain_primitives::accounts::FinanceLevel::*;
		use Role::*;
		let lv = |role| RuleId::LargeValue(role, None);
		[
			lv(Individual),
			lv(Merchant),
			lv(PaymentInstitution),
			lv(ClearingInstitution),
			lv(FinanceDepartment(National)),
			lv(FinanceDepartment(Provincial)),
			lv(FinanceDepartment(Municipal)),
			lv(FinanceDepartment(County)),
			lv(SupervisionDepartment),
			lv(Regulator),
			lv(Oracle),
			lv(Arbiter),
			lv(Governance),
			RuleId::Velocity(KycTier::Unverified),
			RuleId::Velocity(KycTier::Basic),
			RuleId::Velocity(KycTier::Standard),
			RuleId::Velocity(KycTier::Enhanced),
			RuleId::Structuring,
			RuleId::Dormancy,
			RuleId::FanOut,
			RuleId::FanIn,
			RuleId::ReviewPolicy,
		]
	}
}

/// The national rule slots, in [`RuleId::national_index`] order: read once per movement.
pub type NationalSlots<Balance, BlockNumber> = BoundedVec<
	(RuleId, Versioned<Balance, BlockNumber>),
	frame_support::traits::ConstU32<NATIONAL_SLOTS>,
>;

/// The national slot `id` in `slots`, if it has ever been set.
pub fn national_slot<'a, Balance, BlockNumber>(
	slots: &'a NationalSlots<Balance, BlockNumber>,
	id: &RuleId,
) -> Option<&'a Versioned<Balance, BlockNumber>> {
	slots.iter().find(|(slot, _)| slot == id).map(|(_, versioned)| versioned)
}

/// Large-value report thresholds (after the PBoC large-value report rules).
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct LargeValueRule<Balance> {
	/// A single movement of at least this much is reported.
	pub single: Balance,
	/// A sender whose same-day total reaches this much is reported (once a day).
	pub daily: Balance,
}

/// Velocity limits: outgoing movements in a rolling window.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct VelocityRule<Balance, BlockNumber> {
	/// The window, in blocks.
	pub window: BlockNumber,
	/// The most movements in the window.
	pub max_count: u32,
	/// The most value in the window.
	pub max_amount: Balance,
	/// What happens to a movement over either limit.
	pub action: Action,
}

/// Structuring: movements just below the sender's single large-value threshold.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct StructuringRule<BlockNumber> {
	/// "Just below": within this share of the threshold under it (1–50%).
	pub margin: Percent,
	/// The window, in blocks.
	pub window: BlockNumber,
	/// How many such movements in the window fire the rule (at least 2).
	pub min_count: u32,
	/// What happens then.
	pub action: Action,
}

/// Dormant accounts suddenly active.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct DormancyRule<Balance, BlockNumber> {
	/// An account with no movement for this many blocks is dormant.
	pub after: BlockNumber,
	/// Movements of at least this much wake the rule.
	pub min_amount: Balance,
	/// What happens then.
	pub action: Action,
}

/// Rapid fan-out or fan-in: many distinct counterparties in a short window.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct FanRule<BlockNumber> {
	/// The window, in blocks.
	pub window: BlockNumber,
	/// More distinct counterparties than this in the window fire the rule (at most
	/// [`crate::Config::MaxCounterparties`]).
	pub max_distinct: u32,
	/// What happens then.
	pub action: Action,
}

/// What happens to funds held for review when no regulator decided in time.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum TimeoutAction {
	/// They go to the recipient (the review found nothing in time).
	#[codec(index = 0)]
	Release,
	/// They go back to the sender.
	#[codec(index = 1)]
	Return,
}

/// The review policy.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct ReviewPolicy<BlockNumber> {
	/// How long funds wait for a regulator, in blocks.
	pub timeout: BlockNumber,
	/// What happens after that.
	pub on_timeout: TimeoutAction,
}

/// A rule's parameters.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Rule<Balance, BlockNumber> {
	/// For [`RuleId::LargeValue`].
	#[codec(index = 0)]
	LargeValue(LargeValueRule<Balance>),
	/// For [`RuleId::Velocity`].
	#[codec(index = 1)]
	Velocity(VelocityRule<Balance, BlockNumber>),
	/// For [`RuleId::Structuring`].
	#[codec(index = 2)]
	Structuring(StructuringRule<BlockNumber>),
	/// For [`RuleId::Dormancy`].
	#[codec(index = 3)]
	Dormancy(DormancyRule<Balance, BlockNumber>),
	/// For [`RuleId::FanOut`] and [`RuleId::FanIn`].
	#[codec(index = 4)]
	Fan(FanRule<BlockNumber>),
	/// For [`RuleId::ReviewPolicy`].
	#[codec(index = 5)]
	ReviewPolicy(ReviewPolicy<BlockNumber>),
}

impl<Balance, BlockNumber> Rule<Balance, BlockNumber> {
	/// What the rule does to a movement it catches; `None` for the rules that catch none (a
	/// large-value rule reports, a review policy governs reviews).
	pub fn action(&self) -> Option<Action> {
		match self {
			Self::Velocity(rule) => Some(rule.action),
			Self::Structuring(rule) => Some(rule.action),
			Self::Dormancy(rule) => Some(rule.action),
			Self::Fan(rule) => Some(rule.action),
			Self::LargeValue(_) | Self::ReviewPolicy(_) => None,
		}
	}
}

/// A rule slot: the rule in force and a change waiting for its effective block. Read through
/// [`Versioned::at`], so a change takes effect at its block without any work in a hook.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Versioned<Balance, BlockNumber> {
	/// The version of the rule in force (a global counter: every change gets the next one).
	pub version: u32,
	/// The rule in force (`None`: the slot is empty).
	pub current: Option<Rule<Balance, BlockNumber>>,
	/// A change and its version, effective from its block.
	pub next: Option<ScheduledRule<Balance, BlockNumber>>,
}

/// A rule change waiting for its effective block.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct ScheduledRule<Balance, BlockNumber> {
	/// Its version.
	pub version: u32,
	/// From this block on it is in force.
	pub effective_at: BlockNumber,
	/// The new rule (`None`: the slot is emptied).
	pub rule: Option<Rule<Balance, BlockNumber>>,
}

impl<Balance: Copy, BlockNumber: Copy + PartialOrd> Versioned<Balance, BlockNumber> {
	/// The rule in force at `now`, with its version.
	pub fn at(&self, now: BlockNumber) -> (u32, Option<Rule<Balance, BlockNumber>>) {
		match &self.next {
			Some(next) if next.effective_at <= now => (next.version, next.rule),
			_ => (self.version, self.current),
		}
	}

	/// The slot with any due change made current.
	pub fn settled(mut self, now: BlockNumber) -> Self {
		let (version, current) = self.at(now);
		if self.next.as_ref().is_some_and(|n| n.effective_at <= now) {
			self.next = None;
		}
		self.version = version;
		self.current = current;
		self
	}
}

/// A fixed window of movements with the previous window kept, for a rolling estimate.
#[derive(
	Clone,
	Copy,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Window<Balance, BlockNumber> {
	/// Where the current window started.
	pub start: BlockNumber,
	/// Movements in the current window.
	pub count: u32,
	/// Value in the current window.
	pub amount: Balance,
	/// Movements in the previous window.
	pub prev_count: u32,
	/// Value in the previous window.
	pub prev_amount: Balance,
}

/// Distinct counterparties in a window (short fingerprints of their accounts).
#[derive(Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxPeers))]
#[codec(mel_bound(BlockNumber: MaxEncodedLen))]
pub struct Peers<BlockNumber, MaxPeers: Get<u32>> {
	/// Where the window started.
	pub start: BlockNumber,
	/// The counterparties seen, sorted; once full, further ones are counted in `overflow`.
	pub seen: BoundedVec<u32, MaxPeers>,
	/// Distinct counterparties beyond `seen`'s bound (counted, not remembered).
	pub overflow: u32,
}

// By hand: a derived `Clone` would also require the bound `MaxPeers` to be `Clone`.
impl<BlockNumber: Clone, MaxPeers: Get<u32>> Clone for Peers<BlockNumber, MaxPeers> {
	fn clone(&self) -> Self {
		Self { start: self.start.clone(), seen: self.seen.clone(), overflow: self.overflow }
	}
}

impl<BlockNumber: Default, MaxPeers: Get<u32>> Default for Peers<BlockNumber, MaxPeers> {
	fn default() -> Self {
		Self { start: Default::default(), seen: Default::default(), overflow: 0 }
	}
}

/// What the pallet counts for each account that moved money: the inputs of the rules.
#[derive(Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxPeers))]
#[codec(mel_bound(Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Activity<Balance, BlockNumber, MaxPeers: Get<u32>> {
	/// The day (in the chain's time zone) the daily totals are for.
	pub day: u32,
	/// Sent on that day.
	pub day_out: Balance,
	/// Received on that day.
	pub day_in: Balance,
	/// Outgoing movements, for velocity.
	pub outgoing: Window<Balance, BlockNumber>,
	/// Where the structuring window started.
	pub near_start: BlockNumber,
	/// Movements just below the threshold in the structuring window.
	pub near_count: u32,
	/// The block of its last movement, in or out (`None`: never moved money).
	pub last_active: Option<BlockNumber>,
	/// Distinct recipients, for fan-out.
	pub recipients: Peers<BlockNumber, MaxPeers>,
	/// Distinct senders, for fan-in.
	pub senders: Peers<BlockNumber, MaxPeers>,
}

// By hand, as for `Peers`.
impl<Balance: Clone, BlockNumber: Clone, MaxPeers: Get<u32>> Clone
	for Activity<Balance, BlockNumber, MaxPeers>
{
	fn clone(&self) -> Self {
		Self {
			day: self.day,
			day_out: self.day_out.clone(),
			day_in: self.day_in.clone(),
			outgoing: self.outgoing.clone(),
			near_start: self.near_start.clone(),
			near_count: self.near_count,
			last_active: self.last_active.clone(),
			recipients: self.recipients.clone(),
			senders: self.senders.clone(),
		}
	}
}

impl<Balance: Default, BlockNumber: Default, MaxPeers: Get<u32>> Default
	for Activity<Balance, BlockNumber, MaxPeers>
{
	fn default() -> Self {
		Self {
			day: 0,
			day_out: Default::default(),
			day_in: Default::default(),
			outgoing: Default::default(),
			near_start: Default::default(),
			near_count: 0,
			last_active: None,
			recipients: Default::default(),
			senders: Default::default(),
		}
	}
}

/// An alert's identifier.
pub type AlertId = u64;
/// A case's identifier.
pub type CaseId = u64;
/// A report's identifier.
pub type ReportId = u64;

/// Why an alert was raised.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum AlertCause {
	/// Rules fired on a movement.
	#[codec(index = 0)]
	Rules(RuleFlags),
	/// Another pallet raised it, with the hash of its evidence.
	#[codec(index = 1)]
	External(ExternalAlert, H256),
}

/// An alert on an account.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Alert<AccountId, Balance, BlockNumber> {
	/// The account the alert is about.
	pub account: AccountId,
	/// The other side of the movement, if any.
	pub counterparty: Option<AccountId>,
	/// The movement's amount (zero for external alerts).
	pub amount: Balance,
	/// The movement's kind, if any.
	pub kind: Option<MovementKind>,
	/// Why.
	pub cause: AlertCause,
	/// What was decided for the movement.
	pub decision: Decision,
	/// When.
	pub raised_at: BlockNumber,
	/// The case it belongs to.
	pub case: CaseId,
}

/// Where a case is.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum CaseStatus {
	/// New alerts join it; no regulator has taken it yet.
	#[codec(index = 0)]
	Open,
	/// A regulator is on it; new alerts still join it.
	#[codec(index = 1)]
	UnderReview,
	/// A suspicious-transaction report was made from it.
	#[codec(index = 2)]
	Reported,
	/// Closed without a report.
	#[codec(index = 3)]
	Closed,
}

impl CaseStatus {
	/// Whether alerts still join the case.
	pub fn is_active(self) -> bool {
		matches!(self, CaseStatus::Open | CaseStatus::UnderReview)
	}
}

/// A case: the alerts on one account, worked by a regulator.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxEvidence))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Case<AccountId, BlockNumber, MaxEvidence: Get<u32>> {
	/// The account.
	pub account: AccountId,
	/// Where it is.
	pub status: CaseStatus,
	/// When it opened.
	pub opened_at: BlockNumber,
	/// By when a regulator should have concluded it.
	pub deadline: BlockNumber,
	/// How many alerts joined it.
	pub alerts: u32,
	/// The regulator working it.
	pub assignee: Option<AccountId>,
	/// Hashes of the evidence gathered (documents kept off chain).
	pub evidence: BoundedVec<H256, MaxEvidence>,
	/// The suspicious-transaction report made from it.
	pub report: Option<ReportId>,
}

/// What a report is.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum ReportKind {
	/// A large-value transaction report.
	#[codec(index = 0)]
	LargeValue,
	/// A suspicious-transaction report, from a case.
	#[codec(index = 1)]
	Suspicious,
}

/// Where a report is.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum ReportStatus {
	/// Due, not yet filed.
	#[codec(index = 0)]
	Pending,
	/// Filed.
	#[codec(index = 1)]
	Filed,
}

/// A large-value or suspicious-transaction report, due within five working days.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Report<AccountId, Balance, BlockNumber> {
	/// What it reports.
	pub kind: ReportKind,
	/// The account reported on.
	pub account: AccountId,
	/// The other side, for a large-value transaction.
	pub counterparty: Option<AccountId>,
	/// The amount reported (the movement, or the day's total that crossed the threshold).
	pub amount: Balance,
	/// The case it came from.
	pub case: Option<CaseId>,
	/// When it was created (block and time).
	pub created_at: BlockNumber,
	/// The time it was created, in milliseconds.
	pub created_ms: Moment,
	/// When it is due: the end of the fifth working day after its creation, in milliseconds.
	pub due_ms: Moment,
	/// Where it is.
	pub status: ReportStatus,
	/// Who filed it, the hash of what was filed, and when.
	pub filed: Option<Filing<AccountId, BlockNumber>>,
}

/// A report's filing.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Filing<AccountId, BlockNumber> {
	/// Who filed it.
	pub by: AccountId,
	/// The hash of the document filed.
	pub document: H256,
	/// When.
	pub at: BlockNumber,
}

/// What a freeze covers.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum FreezeScope<Balance> {
	/// Nothing moves in or out through any checked movement (fees are still paid, and funds
	/// already in custody elsewhere return to it).
	#[codec(index = 0)]
	Account,
	/// This much of the balance cannot be used at all (a balance freeze with the pallet's own
	/// reason); the rest moves as usual.
	#[codec(index = 1)]
	Amount(Balance),
}

/// A judicial or administrative freeze on an account.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxBasisLen))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct FreezeRecord<AccountId, Balance, BlockNumber, MaxBasisLen: Get<u32>> {
	/// What it covers.
	pub scope: FreezeScope<Balance>,
	/// The legal basis: a reference to the order (document number), no personal data.
	pub basis: BoundedVec<u8, MaxBasisLen>,
	/// The regulator that froze it (`None`: governance).
	pub by: Option<AccountId>,
	/// When.
	pub since: BlockNumber,
	/// When it lapses by itself, if ever.
	pub expires_at: Option<BlockNumber>,
}

/// A watch-list entry: the account can neither send nor receive.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Listing<AccountId, BlockNumber> {
	/// The regulator that listed it (`None`: governance).
	pub by: Option<AccountId>,
	/// The hash of the listing's basis (a sanctions-list entry, an order).
	pub basis: H256,
	/// When.
	pub since: BlockNumber,
}

/// Funds held on the sender until a regulator (or the timeout) decides.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Review<AccountId, Balance, BlockNumber> {
	/// The sender, on whose account the amount is held.
	pub from: AccountId,
	/// The intended recipient.
	pub to: AccountId,
	/// The amount held.
	pub amount: Balance,
	/// The movement's kind.
	pub kind: MovementKind,
	/// When it was held.
	pub held_at: BlockNumber,
	/// When the timeout policy applies.
	pub deadline: BlockNumber,
	/// The policy then.
	pub on_timeout: TimeoutAction,
	/// The case its alert joined.
	pub case: CaseId,
}

/// Something that lapses at a block.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum Deadline<AccountId> {
	/// A review hold's timeout.
	#[codec(index = 0)]
	Review(crate::ReviewId),
	/// A freeze's expiry.
	#[codec(index = 1)]
	Freeze(AccountId),
}

/// What the pallet keeps per account besides its window counters.
#[derive(
	Clone,
	Copy,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct AccountStats<Balance> {
	/// Alerts raised on it, ever.
	pub alerts: u32,
	/// Its reviews still pending (as sender).
	pub reviews: u32,
	/// The sum held on it for those reviews.
	pub held: Balance,
	/// Its reports still pending.
	pub pending_reports: u32,
}

/// An account's risk profile, for regulators (runtime API).
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo)]
pub struct RiskProfile<Balance, BlockNumber> {
	/// The day the daily totals are for.
	pub day: u32,
	/// Sent that day.
	pub day_out: Balance,
	/// Received that day.
	pub day_in: Balance,
	/// Outgoing movements in the current velocity window.
	pub window_count: u32,
	/// Outgoing value in the current velocity window.
	pub window_amount: Balance,
	/// The last movement.
	pub last_active: Option<BlockNumber>,
	/// Alerts raised on it, ever, and its reviews and reports still pending.
	pub stats: AccountStats<Balance>,
	/// Its open or under-review case.
	pub open_case: Option<CaseId>,
	/// Whether it is on the watch list.
	pub listed: bool,
	/// Its freeze, if any: scope and expiry.
	pub freeze: Option<(FreezeScope<Balance>, Option<BlockNumber>)>,
}

/// One payment of a bulk transfer ([`crate::Pallet::transfer_bulk`]): a recipient and an
/// amount.
#[derive(Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo)]
pub struct BulkPayment<Source, Balance> {
	/// The recipient.
	pub dest: Source,
	/// The amount.
	#[codec(compact)]
	pub value: Balance,
}
