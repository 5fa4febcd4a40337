//! Compliance: the types of the pre-movement check every value movement passes, and the traits
//! the other pallets call.
//!
//! A pallet that moves money between accounts first asks [`ComplianceCheck::check`] with the
//! sender, the recipient, the amount and the [`MovementKind`]. The answer is one of:
//! - `Err(_)`: the movement is **blocked**; the error names the rule. The caller returns it, so
//!   the extrinsic fails and nothing moves.
//! - `Ok(Verdict::Proceed)`: the caller moves the money (an alert or report may have been
//!   recorded on the way).
//! - `Ok(Verdict::HeldForReview(id))`: the compliance pallet took the amount from the sender's
//!   free balance into its own review hold; a regulator (or the timeout policy) releases it to the
//!   recipient or returns it. The caller must not move the money itself.
//!
//! [`ComplianceCheck::preview`] answers the same question without changing anything: the
//! "what would happen to this transfer and why" of wallets and institutions.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::weights::Weight;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::DispatchError;

use crate::Moment;

/// What kind of value movement is being checked. Pallets pass their own; rules may treat kinds
/// differently (a mint has no funds on the sender to hold for review).
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
pub enum MovementKind {
	/// A plain transfer between two accounts.
	#[codec(index = 0)]
	Transfer,
	/// A buyer's funds going into escrow for a seller.
	#[codec(index = 1)]
	EscrowFund,
	/// Escrowed funds released to the seller.
	#[codec(index = 2)]
	EscrowRelease,
	/// A fiscal allocation from one finance department to another.
	#[codec(index = 3)]
	FiscalAllocation,
	/// A fiscal disbursement to a final recipient.
	#[codec(index = 4)]
	FiscalDisbursement,
	/// A clearing institution issuing money to a customer against an off-chain deposit.
	#[codec(index = 5)]
	Mint,
	/// A customer's money redeemed through a clearing institution.
	#[codec(index = 6)]
	Burn,
	/// The settlement of a payment order recorded in the ledger.
	#[codec(index = 7)]
	OrderSettlement,
}

impl MovementKind {
	/// Whether the amount sits in the sender's free balance when the check runs, so that a
	/// review can hold it there. A mint creates the money, so its review becomes an alert.
	pub fn funds_on_sender(self) -> bool {
		!matches!(self, MovementKind::Mint)
	}

	/// Whether the rules that count (windows, large-value totals, patterns) apply to this
	/// movement. Funding an escrow only commits the payer's money into custody on the payer's own
	/// account: it passes the gates (watch list, freezes, participation) and is counted when the
	/// escrow releases it to the payee, so that each trade is counted once, where money moves.
	/// A fiscal allocation moves earmarked funds between finance departments inside the
	/// program's custody (held on both sides): it passes the gates and is counted when it is
	/// disbursed to its final recipient.
	pub fn is_counted(self) -> bool {
		!matches!(self, MovementKind::EscrowFund | MovementKind::FiscalAllocation)
	}

	/// Whether the money changes accounts when the check lets it through: not when an escrow
	/// is funded (it is held on the payer), nor for a mint or a burn (settlement records those
	/// itself).
	pub fn moves_between_accounts(self) -> bool {
		!matches!(self, MovementKind::EscrowFund | MovementKind::Mint | MovementKind::Burn)
	}
}

/// What a rule asks for when it fires, in increasing severity.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Action {
	/// Let the movement through and record an alert.
	#[codec(index = 0)]
	Alert,
	/// Hold the funds until a regulator decides.
	#[codec(index = 1)]
	Review,
	/// Refuse the movement.
	#[codec(index = 2)]
	Block,
}

/// The outcome of the rules for one movement, in increasing severity.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Decision {
	/// The movement goes through.
	#[codec(index = 0)]
	Accept,
	/// The movement goes through and an alert is recorded.
	#[codec(index = 1)]
	AcceptWithAlert,
	/// The funds are held from the sender until a regulator releases or returns them.
	#[codec(index = 2)]
	Review,
	/// The movement is refused; nothing moves.
	#[codec(index = 3)]
	Block,
}

impl From<Action> for Decision {
	fn from(action: Action) -> Self {
		match action {
			Action::Alert => Decision::AcceptWithAlert,
			Action::Review => Decision::Review,
			Action::Block => Decision::Block,
		}
	}
}

/// The rules a movement can trigger.
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
pub enum RuleKind {
	/// The sender or the recipient is on the watch list (sanctions).
	#[codec(index = 0)]
	WatchList,
	/// The sender or the recipient is frozen account-wide.
	#[codec(index = 1)]
	Frozen,
	/// The recipient's participation is closed or suspended.
	#[codec(index = 2)]
	Participation,
	/// A single transfer or the day's cumulative total reached the large-value threshold.
	#[codec(index = 3)]
	LargeValue,
	/// Too many transfers, or too much, in the rolling window for the sender's KYC tier.
	#[codec(index = 4)]
	Velocity,
	/// Repeated transfers just below the large-value threshold.
	#[codec(index = 5)]
	Structuring,
	/// A dormant account suddenly active.
	#[codec(index = 6)]
	Dormancy,
	/// One sender paying many distinct recipients in a short window.
	#[codec(index = 7)]
	FanOut,
	/// One recipient paid by many distinct senders in a short window.
	#[codec(index = 8)]
	FanIn,
}

impl RuleKind {
	/// The rule's bit in [`RuleFlags`].
	pub const fn bit(self) -> u16 {
		1 << (self as u16)
	}

	/// All kinds, in bit order.
	pub const ALL: [RuleKind; 9] = [
		RuleKind::WatchList,
		RuleKind::Frozen,
		RuleKind::Participation,
		RuleKind::LargeValue,
		RuleKind::Velocity,
		RuleKind::Structuring,
		RuleKind::Dormancy,
		RuleKind::FanOut,
		RuleKind::FanIn,
	];
}

/// A set of [`RuleKind`]s, one bit each: the rules a movement triggered.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub struct RuleFlags(pub u16);

impl RuleFlags {
	/// Adds a rule.
	pub fn insert(&mut self, rule: RuleKind) {
		self.0 |= rule.bit();
	}

	/// Whether the rule is in the set.
	pub fn contains(self, rule: RuleKind) -> bool {
		self.0 & rule.bit() != 0
	}

	/// Whether no rule is in the set.
	pub fn is_empty(self) -> bool {
		self.0 == 0
	}

	/// The rules in the set, in bit order.
	pub fn iter(self) -> impl Iterator<Item = RuleKind> {
		RuleKind::ALL.into_iter().filter(move |r| self.contains(*r))
	}
}

/// What the rules say about a movement, and why: the answer of a pre-flight check.
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
pub struct Assessment {
	/// The decision: the most severe action of the rules that fired.
	pub decision: Decision,
	/// Every rule that fired.
	pub triggered: RuleFlags,
	/// The rule that blocks the movement, when the decision is `Block`.
	pub blocked_by: Option<RuleKind>,
	/// Whether a large-value report would be created.
	pub large_value_report: bool,
}

impl Assessment {
	/// Nothing fired.
	pub const ACCEPT: Assessment = Assessment {
		decision: Decision::Accept,
		triggered: RuleFlags(0),
		blocked_by: None,
		large_value_report: false,
	};
}

/// A review hold's identifier.
pub type ReviewId = u64;

/// What the caller of [`ComplianceCheck::check`] does next.
#[derive(Clone, Copy, Eq, PartialEq, Debug)]
pub enum Verdict {
	/// Move the money.
	Proceed,
	/// The compliance pallet holds the amount on the sender for review; do not move it.
	HeldForReview(ReviewId),
}

/// The pre-movement check. Implemented by the compliance pallet; `()` accepts everything (for
/// the tests of pallets that do not test compliance).
pub trait ComplianceCheck<AccountId, Balance> {
	/// Decides on a movement and records it (window counters, alerts, reports, the review hold).
	/// An `Err` means the movement is blocked: return it, so that nothing moves. Call it inside
	/// the extrinsic that moves the money, before moving it, with the amount free on the sender
	/// (release your own hold first).
	fn check(
		from: &AccountId,
		to: &AccountId,
		amount: Balance,
		kind: MovementKind,
	) -> Result<Verdict, DispatchError>;

	/// What [`Self::check`] would decide, without changing anything.
	fn preview(from: &AccountId, to: &AccountId, amount: Balance, kind: MovementKind)
		-> Assessment;

	/// The worst-case weight of one [`Self::check`]: add it to the weight of every call that
	/// calls it.
	fn check_weight() -> Weight;

	/// [`Self::check`], also returning how much of [`Self::check_weight`] the calling
	/// extrinsic may refund: for a call whose weight is its benchmark plus `check_weight()`,
	/// where the benchmark ran one quiet check of the same kind (registered parties, no rule
	/// firing, the observer's cheapest path). A quiet check is covered by that benchmark but
	/// for what the observer spent beyond its cheapest path; a check that alerted, reported or
	/// held costs up to the worst case, and nothing is refunded. By default nothing is.
	fn check_refundable(
		from: &AccountId,
		to: &AccountId,
		amount: Balance,
		kind: MovementKind,
	) -> Result<(Verdict, Weight), DispatchError> {
		Self::check(from, to, amount, kind).map(|verdict| (verdict, Weight::zero()))
	}

	/// What such a call weighs in the end: its benchmark and the worst-case check it was
	/// charged, less the `refund` [`Self::check_refundable`] allowed.
	fn checked_call_weight(benchmarked: Weight, refund: Weight) -> Weight {
		benchmarked.saturating_add(Self::check_weight()).saturating_sub(refund)
	}
}

impl<AccountId, Balance> ComplianceCheck<AccountId, Balance> for () {
	fn check(
		_: &AccountId,
		_: &AccountId,
		_: Balance,
		_: MovementKind,
	) -> Result<Verdict, DispatchError> {
		Ok(Verdict::Proceed)
	}

	fn preview(_: &AccountId, _: &AccountId, _: Balance, _: MovementKind) -> Assessment {
		Assessment::ACCEPT
	}

	fn check_weight() -> Weight {
		Weight::zero()
	}
}

/// Why another pallet raises an alert.
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
pub enum ExternalAlert {
	/// A payment order's commitment changed between stages (ledger).
	#[codec(index = 0)]
	LedgerTamper,
	/// An institution's statement disagrees with the chain's totals (settlement).
	#[codec(index = 1)]
	ReconciliationMismatch,
	/// An institution did not reconcile in time (settlement).
	#[codec(index = 2)]
	ReconciliationOverdue,
	/// A fiscal allocation frozen for verification.
	#[codec(index = 3)]
	FiscalIrregularity,
}

/// Who learns of every movement of money between accounts that compliance let through: the
/// settlement pallet keeps each clearing institution's cycle totals from it. Called once per
/// movement, when it is decided to go ahead (or, for a review, when the regulator releases
/// it); `()` ignores them.
pub trait MovementObserver<AccountId, Balance> {
	/// `amount` moves from `from` to `to` as `kind`. Returns what that cost: at most
	/// [`Self::observe_weight`], so that a caller may refund the rest.
	fn observe(from: &AccountId, to: &AccountId, amount: Balance, kind: MovementKind) -> Weight;

	/// The most `observe` may cost, added to the check's weight.
	fn observe_weight() -> Weight;

	/// The least `observe` costs: what the benchmark of a quiet check, between parties it only
	/// looks at, includes of it.
	fn observe_min_weight() -> Weight;
}

impl<AccountId, Balance> MovementObserver<AccountId, Balance> for () {
	fn observe(_: &AccountId, _: &AccountId, _: Balance, _: MovementKind) -> Weight {
		Weight::zero()
	}
	fn observe_weight() -> Weight {
		Weight::zero()
	}
	fn observe_min_weight() -> Weight {
		Weight::zero()
	}
}

/// How other pallets raise an alert with compliance. `()` drops it.
pub trait AlertSink<AccountId> {
	/// Records an alert on `account` with the hash of the evidence; it joins the account's open
	/// case (or opens one).
	fn raise(account: &AccountId, cause: ExternalAlert, evidence: H256);
}

impl<AccountId> AlertSink<AccountId> for () {
	fn raise(_: &AccountId, _: ExternalAlert, _: H256) {}
}

/// One day in milliseconds.
pub const DAY_MS: Moment = 86_400_000;

/// The day index (days since the Unix epoch) of a moment, in a time zone `offset_ms` east of UTC.
pub fn day_index(now: Moment, offset_ms: Moment) -> u32 {
	(now.saturating_add(offset_ms) / DAY_MS) as u32
}

/// The calendar year (proleptic Gregorian) of a moment, in a time zone `offset_ms` east of UTC.
pub fn year_of(now: Moment, offset_ms: Moment) -> u32 {
	// Days since 0000-03-01, counted in 400-year eras of 146,097 days (H. Hinnant's
	// `civil_from_days`), with the year starting in March so that leap days come last.
	let days = day_index(now, offset_ms) as u64 + 719_468;
	let era = days / 146_097;
	let day_of_era = days % 146_097;
	let year_of_era =
		(day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
	let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	let march_based_month = (5 * day_of_year + 2) / 153;
	let year = year_of_era + era * 400;
	// March-based months 10 and 11 are January and February of the next calendar year.
	(year + u64::from(march_based_month >= 10)) as u32
}

/// The moment `working_days` working days (Monday to Friday) after the day of `now`, at the end
/// of that day, in a time zone `offset_ms` east of UTC. Public holidays are not known on chain.
pub fn working_days_after(now: Moment, working_days: u32, offset_ms: Moment) -> Moment {
	let mut day = day_index(now, offset_ms) as u64;
	let mut left = working_days;
	while left > 0 {
		day += 1;
		// 1970-01-01 was a Thursday: with Monday as 0, day 0 is weekday 3.
		if (day + 3) % 7 < 5 {
			left -= 1;
		}
	}
	((day + 1) * DAY_MS).saturating_sub(offset_ms)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn decisions_and_actions_order_by_severity() {
		assert!(Decision::Accept < Decision::AcceptWithAlert);
		assert!(Decision::AcceptWithAlert < Decision::Review);
		assert!(Decision::Review < Decision::Block);
		assert_eq!(Decision::from(Action::Review), Decision::Review);
		assert!(Action::Alert < Action::Block);
	}

	#[test]
	fn rule_flags_hold_each_rule_once() {
		let mut flags = RuleFlags::default();
		assert!(flags.is_empty());
		flags.insert(RuleKind::Velocity);
		flags.insert(RuleKind::FanIn);
		flags.insert(RuleKind::Velocity);
		assert!(flags.contains(RuleKind::Velocity) && flags.contains(RuleKind::FanIn));
		assert!(!flags.contains(RuleKind::WatchList));
		assert_eq!(flags.iter().collect::<Vec<_>>(), vec![RuleKind::Velocity, RuleKind::FanIn]);
	}

	#[test]
	fn years_turn_at_midnight_in_the_chains_time_zone() {
		const HOUR: Moment = 3_600_000;
		assert_eq!(year_of(0, 0), 1970);
		// 2026-12-31T23:59:59.999Z, and a millisecond later.
		assert_eq!(year_of(1_798_761_599_999, 0), 2026);
		assert_eq!(year_of(1_798_761_600_000, 0), 2027);
		// At 16:00 UTC on 31 December it is already the new year in UTC+8.
		assert_eq!(year_of(1_798_761_600_000 - 8 * HOUR, 8 * HOUR), 2027);
		assert_eq!(year_of(1_798_761_600_000 - 8 * HOUR - 1, 8 * HOUR), 2026);
		// Leap days: 2024-02-29T12:00Z and 2000-12-31T12:00Z.
		assert_eq!(year_of(1_709_208_000_000, 0), 2024);
		assert_eq!(year_of(978_264_000_000, 0), 2000);
	}

	#[test]
	fn working_days_skip_weekends() {
		// 2026-11-23 is a Monday; 00:00 UTC.
		let monday = 1_795_392_000_000;
		assert_eq!(day_index(monday, 0) % 7, 4, "Monday is weekday 0 = (day + 3) % 7");
		// Five working days after a Monday: the next Monday, end of day.
		assert_eq!(working_days_after(monday, 5, 0), monday + 8 * DAY_MS);
		// From a Friday: the next Friday, end of day.
		let friday = monday + 4 * DAY_MS;
		assert_eq!(working_days_after(friday, 5, 0), friday + 8 * DAY_MS);
		// From a Saturday: the next Friday, end of day.
		let saturday = monday + 5 * DAY_MS;
		assert_eq!(working_days_after(saturday, 5, 0), saturday + 7 * DAY_MS);
		// A time zone east of UTC moves the day boundary.
		let eight_hours = 8 * 3_600_000;
		let sunday_late_utc = monday - 3_600_000; // Monday 07:00 in UTC+8
		assert_eq!(day_index(sunday_late_utc, eight_hours), day_index(monday, 0));
	}
}
