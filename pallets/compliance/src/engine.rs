//! The rule engine: one movement in, a decision out, with a constant number of storage reads.
//!
//! [`Pallet::evaluate`] reads what the rules need (both parties' profiles, listings, freezes and
//! window counters, and at most ten rule slots) and computes the decision and the updated
//! counters without writing anything; [`Pallet::do_check`] then records it.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Mutate, MutateHold},
		tokens::Preservation,
		UnixTime,
	},
};
use paychain_primitives::{
	accounts::{AccountRegistry, ParticipantProfile, ParticipantStatus, RegionCode, Role},
	compliance::{
		day_index, Action, Assessment, Decision, MovementKind, MovementObserver, RuleFlags,
		RuleKind, Verdict,
	},
};
use sp_runtime::{
	traits::{Saturating, StaticLookup, Zero},
	Perbill, TransactionOutcome,
};

/// A movement refused before any rule with counters ran, or by a rule whose action is `Block`.
pub(crate) struct Blocked<T: Config> {
	/// The rule, if a rule refused it.
	pub rule: Option<RuleKind>,
	/// The error the movement fails with.
	pub error: Error<T>,
}

/// Why a sender may not send: found by [`Sender::read`] and answered for each of its payments.
#[derive(Clone, Copy)]
enum SenderRefusal {
	Listed,
	Frozen,
	NotParticipating,
}

impl SenderRefusal {
	fn blocked<T: Config>(self) -> Blocked<T> {
		match self {
			Self::Listed => Blocked::by(RuleKind::WatchList, Error::<T>::SenderListed),
			Self::Frozen => Blocked::by(RuleKind::Frozen, Error::<T>::SenderFrozen),
			Self::NotParticipating => {
				Blocked::by(RuleKind::Participation, Error::<T>::SenderNotParticipating)
			},
		}
	}
}

/// What the rules need of a sender, read once for all the payments of a bulk transfer: its
/// listing, freeze and profile, and (once a counted movement needs them) the time, the rules in
/// force for it and its window counters as the payments before left them. Nothing a payment
/// does changes the first three within a block (only a regulator's call lists, freezes or
/// suspends, and the rules change by `set_rule`), and only [`Pallet::put_counters`] writes the
/// counters, through [`Sender::remember`].
pub(crate) struct Sender<T: Config> {
	profile: Result<ParticipantProfile, SenderRefusal>,
	counted: Option<Counted<T>>,
}

/// The part of [`Sender`] only counted movements read.
struct Counted<T: Config> {
	now: BlockNumberFor<T>,
	today: u32,
	national: NationalSlotsOf<T>,
	large_value: Option<LargeValueRule<BalanceOf<T>>>,
	activity: ActivityOf<T>,
}

impl<T: Config> Sender<T> {
	/// Reads `from`'s gates: listed, frozen account-wide, not an active participant.
	pub(crate) fn read(from: &T::AccountId) -> Self {
		let profile = if WatchList::<T>::contains_key(from) {
			Err(SenderRefusal::Listed)
		} else if Freezes::<T>::get(from).is_some_and(|f| f.scope == FreezeScope::Account) {
			Err(SenderRefusal::Frozen)
		} else {
			match T::Registry::profile(from) {
				Some(p) if p.status == ParticipantStatus::Active => Ok(p),
				_ => Err(SenderRefusal::NotParticipating),
			}
		};
		Self { profile, counted: None }
	}

	/// The time, rules and counters of a counted movement, read on first use; the counters
	/// are rolled over to `today` if they are of an earlier day.
	fn counted(&mut self, from: &T::AccountId, profile: &ParticipantProfile) -> &mut Counted<T> {
		self.counted.get_or_insert_with(|| {
			let now = Pallet::<T>::now();
			let national = NationalRules::<T>::get();
			let large_value =
				Pallet::<T>::large_value_rule(profile.role, profile.region, &national, now);
			let today = Pallet::<T>::today();
			let mut activity = Activities::<T>::get(from).unwrap_or_default();
			roll_day::<T>(&mut activity, today);
			Counted { now, today, national, large_value, activity }
		})
	}

	/// The sender's counters as just written, for its next payment.
	fn remember(&mut self, activity: ActivityOf<T>) {
		if let Some(counted) = self.counted.as_mut() {
			counted.activity = activity;
		}
	}

	/// Whether a rule with counters could refuse one of this sender's counted movements now:
	/// one in force, for its tier or for every sender, whose action is `Block`. (Every rule
	/// with counters is national; the large-value rule reports and never refuses.) When none
	/// could, only the gates ([`Pallet::gates`]) can refuse its movements. A sender the gates
	/// refuse has nothing to count: `false`.
	pub(crate) fn counters_may_block(&mut self, from: &T::AccountId) -> bool {
		let Ok(profile) = self.profile else { return false };
		let Counted { now, national, .. } = self.counted(from, &profile);
		[
			RuleId::Velocity(profile.tier),
			RuleId::Structuring,
			RuleId::Dormancy,
			RuleId::FanOut,
			RuleId::FanIn,
		]
		.into_iter()
		.any(|id| {
			Pallet::<T>::national_rule(national, id, *now)
				.is_some_and(|rule| rule.action() == Some(Action::Block))
		})
	}
}

/// Starts a new day's totals if `act`'s are of an earlier day.
fn roll_day<T: Config>(act: &mut ActivityOf<T>, today: u32) {
	if act.day != today {
		act.day = today;
		act.day_out = Zero::zero();
		act.day_in = Zero::zero();
	}
}

impl<T: Config> Evaluation<T> {
	/// A movement that passed the gates and is not counted: accepted, nothing to record.
	fn gates_passed() -> Self {
		Self {
			assessment: Assessment::ACCEPT,
			from_flags: RuleFlags::default(),
			to_flags: RuleFlags::default(),
			from_activity: None,
			to_activity: None,
			report: None,
			blocked: None,
		}
	}
}

impl<T: Config> Blocked<T> {
	fn by(rule: RuleKind, error: Error<T>) -> Self {
		Self { rule: Some(rule), error }
	}
}

/// What the rules decided for one movement, and the counters to write if it goes ahead.
pub(crate) struct Evaluation<T: Config> {
	/// The decision and every rule that fired.
	pub assessment: Assessment,
	/// The rules that fired on the sender's side (alerts on the sender).
	pub from_flags: RuleFlags,
	/// The rules that fired on the recipient's side (alerts on the recipient).
	pub to_flags: RuleFlags,
	/// The sender's updated counters (none when the movement is not counted).
	pub from_activity: Option<ActivityOf<T>>,
	/// The recipient's updated counters (none when the movement is not counted).
	pub to_activity: Option<ActivityOf<T>>,
	/// The amount to report as a large-value transaction, if any.
	pub report: Option<BalanceOf<T>>,
	/// The rule that blocks the movement, if any.
	pub blocked: Option<Blocked<T>>,
}

impl<T: Config> Pallet<T> {
	/// The rule slot `id`: a regional one from [`Rules`], a national one from
	/// [`NationalRules`].
	pub(crate) fn slot(id: RuleId) -> Option<VersionedOf<T>> {
		if id.is_regional() {
			Rules::<T>::get(id)
		} else {
			national_slot(&NationalRules::<T>::get(), &id).cloned()
		}
	}

	/// Writes the rule slot `id` where it belongs. National slots stay in
	/// [`RuleId::national_index`] order.
	pub(crate) fn put_slot(id: RuleId, slot: VersionedOf<T>) -> DispatchResult {
		if id.is_regional() {
			Rules::<T>::insert(id, slot);
			return Ok(());
		}
		NationalRules::<T>::try_mutate(|slots| {
			let at = slots.binary_search_by_key(&id.national_index(), |(s, _)| s.national_index());
			match at {
				Ok(i) => match slots.get_mut(i) {
					Some(entry) => entry.1 = slot,
					None => return Err(Error::<T>::Overflow.into()),
				},
				Err(i) => slots.try_insert(i, (id, slot)).map_err(|_| Error::<T>::Overflow)?,
			}
			Ok(())
		})
	}

	/// The rule in a slot, in force at `now`.
	pub(crate) fn rule_now(id: RuleId, now: BlockNumberFor<T>) -> Option<RuleOf<T>> {
		Self::slot(id).and_then(|slot| slot.at(now).1)
	}

	/// The rule in a national slot of `national`, in force at `now`.
	fn national_rule(
		national: &NationalSlotsOf<T>,
		id: RuleId,
		now: BlockNumberFor<T>,
	) -> Option<RuleOf<T>> {
		national_slot(national, &id).and_then(|slot| slot.at(now).1)
	}

	/// The large-value rule for a role in a region: the most specific of the region, its city
	/// and its province (at most three reads) and the national default (in `national`).
	pub(crate) fn large_value_rule(
		role: Role,
		region: RegionCode,
		national: &NationalSlotsOf<T>,
		now: BlockNumberFor<T>,
	) -> Option<LargeValueRule<BalanceOf<T>>> {
		let rule = |id: RuleId| {
			if id.is_regional() {
				Rules::<T>::get(id).and_then(|slot| slot.at(now).1)
			} else {
				Self::national_rule(national, id, now)
			}
		};
		region.enclosing().map(Some).chain(core::iter::once(None)).find_map(|r| {
			match rule(RuleId::LargeValue(role, r)) {
				Some(Rule::LargeValue(rule)) => Some(rule),
				_ => None,
			}
		})
	}

	/// The wall-clock day in the chain's time zone.
	pub(crate) fn today() -> u32 {
		day_index(T::Time::now().as_millis() as u64, T::TimeZoneOffset::get())
	}

	/// Why `to` cannot receive now, if it cannot: listed, frozen account-wide, or suspended or
	/// closed. (A stranger may receive; it must register before it can spend.)
	pub(crate) fn recipient_refusal(to: &T::AccountId) -> Option<Blocked<T>> {
		if WatchList::<T>::contains_key(to) {
			return Some(Blocked::by(RuleKind::WatchList, Error::<T>::RecipientListed));
		}
		if Freezes::<T>::get(to).is_some_and(|f| f.scope == FreezeScope::Account) {
			return Some(Blocked::by(RuleKind::Frozen, Error::<T>::RecipientFrozen));
		}
		let closed = matches!(
			T::Registry::status(to),
			Some(ParticipantStatus::Suspended | ParticipantStatus::Closed)
		);
		closed.then(|| Blocked::by(RuleKind::Participation, Error::<T>::RecipientNotParticipating))
	}

	/// Decides on a movement without writing anything.
	pub(crate) fn evaluate(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		kind: MovementKind,
	) -> Result<Evaluation<T>, Blocked<T>> {
		Self::evaluate_as(&mut Sender::read(from), from, to, amount, kind)
	}

	/// The checks a movement passes before any rule with counters, in this order: an amount,
	/// two parties, a sender that may send (not listed, not frozen account-wide, an active
	/// participant) and a recipient that may receive ([`Self::recipient_refusal`]). Nothing a
	/// movement records changes their answer. The sender's profile if they pass.
	pub(crate) fn gates(
		sender: &Sender<T>,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<ParticipantProfile, Blocked<T>> {
		if amount.is_zero() {
			return Err(Blocked { rule: None, error: Error::<T>::ZeroAmount });
		}
		if from == to {
			return Err(Blocked { rule: None, error: Error::<T>::SelfTransfer });
		}
		let profile = sender.profile.map_err(SenderRefusal::blocked)?;
		match Self::recipient_refusal(to) {
			Some(refusal) => Err(refusal),
			None => Ok(profile),
		}
	}

	/// [`Self::evaluate`], with what the rules need of `from` already read into `sender`.
	pub(crate) fn evaluate_as(
		sender: &mut Sender<T>,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		kind: MovementKind,
	) -> Result<Evaluation<T>, Blocked<T>> {
		let profile = Self::gates(sender, from, to, amount)?;
		if !kind.is_counted() {
			return Ok(Evaluation::gates_passed());
		}

		let Counted { now, today, national, large_value, activity } =
			sender.counted(from, &profile);
		let (now, large_value) = (*now, *large_value);
		let national = &*national;
		let mut from_act = activity.clone();
		let mut to_act = Activities::<T>::get(to).unwrap_or_default();
		roll_day::<T>(&mut to_act, *today);
		let day_out_before = from_act.day_out;
		from_act.day_out = from_act.day_out.saturating_add(amount);
		to_act.day_in = to_act.day_in.saturating_add(amount);

		let mut triggered = RuleFlags::default();
		let mut from_flags = RuleFlags::default();
		let mut to_flags = RuleFlags::default();
		let mut decision = Decision::Accept;
		let mut blocked = None;
		let mut fire = |flags: &mut RuleFlags, rule: RuleKind, action: Action, error: Error<T>| {
			triggered.insert(rule);
			flags.insert(rule);
			decision = decision.max(action.into());
			if action == Action::Block && blocked.is_none() {
				blocked = Some(Blocked::by(rule, error));
			}
		};

		// Large value: a report, whatever else happens.
		// The rules in force for the sender were read with its counters (`Sender::counted`):
		// one read for every national rule, its regional large-value rules on their own.
		let mut report = None;
		if let Some(lv) = large_value {
			if amount >= lv.single {
				report = Some(amount);
			} else if day_out_before < lv.daily && from_act.day_out >= lv.daily {
				report = Some(from_act.day_out);
			}
		}

		// Velocity, by the sender's KYC tier.
		if let Some(Rule::Velocity(v)) =
			Self::national_rule(national, RuleId::Velocity(profile.tier), now)
		{
			let window = &mut from_act.outgoing;
			roll_window(window, now, v.window);
			window.count = window.count.saturating_add(1);
			window.amount = window.amount.saturating_add(amount);
			let (count, value) = estimate(window, now, v.window);
			if count > v.max_count || value > v.max_amount {
				fire(
					&mut from_flags,
					RuleKind::Velocity,
					v.action,
					Error::<T>::VelocityLimitExceeded,
				);
			}
		}

		// Structuring: just below the sender's single large-value threshold.
		if let (Some(lv), Some(Rule::Structuring(s))) =
			(large_value, Self::national_rule(national, RuleId::Structuring, now))
		{
			let floor = lv.single.saturating_sub(s.margin * lv.single);
			if amount >= floor && amount < lv.single {
				if now.saturating_sub(from_act.near_start) >= s.window || from_act.near_start > now
				{
					from_act.near_start = now;
					from_act.near_count = 0;
				}
				from_act.near_count = from_act.near_count.saturating_add(1);
				if from_act.near_count >= s.min_count {
					fire(
						&mut from_flags,
						RuleKind::Structuring,
						s.action,
						Error::<T>::StructuringSuspected,
					);
				}
			}
		}

		// Dormant accounts suddenly active, on either side.
		if let Some(Rule::Dormancy(d)) = Self::national_rule(national, RuleId::Dormancy, now) {
			let dormant = |act: &ActivityOf<T>| {
				act.last_active.is_some_and(|last| now.saturating_sub(last) >= d.after)
			};
			if amount >= d.min_amount {
				if dormant(&from_act) {
					fire(
						&mut from_flags,
						RuleKind::Dormancy,
						d.action,
						Error::<T>::DormantAccountActive,
					);
				}
				if dormant(&to_act) {
					fire(
						&mut to_flags,
						RuleKind::Dormancy,
						d.action,
						Error::<T>::DormantAccountActive,
					);
				}
			}
		}

		// Fan-out and fan-in: distinct counterparties in a window.
		if let Some(Rule::Fan(f)) = Self::national_rule(national, RuleId::FanOut, now) {
			if note_peer(&mut from_act.recipients, now, f.window, fingerprint(to)) > f.max_distinct
			{
				fire(&mut from_flags, RuleKind::FanOut, f.action, Error::<T>::FanOutExceeded);
			}
		}
		if let Some(Rule::Fan(f)) = Self::national_rule(national, RuleId::FanIn, now) {
			if note_peer(&mut to_act.senders, now, f.window, fingerprint(from)) > f.max_distinct {
				fire(&mut to_flags, RuleKind::FanIn, f.action, Error::<T>::FanInExceeded);
			}
		}

		from_act.last_active = Some(now);
		to_act.last_active = Some(now);
		if report.is_some() {
			triggered.insert(RuleKind::LargeValue);
		}
		// A mint has nothing on the sender to hold: its review is an alert.
		if decision == Decision::Review && !kind.funds_on_sender() {
			decision = Decision::AcceptWithAlert;
		}
		Ok(Evaluation {
			assessment: Assessment {
				decision,
				triggered,
				blocked_by: blocked.as_ref().and_then(|b: &Blocked<T>| b.rule),
				large_value_report: report.is_some(),
			},
			from_flags,
			to_flags,
			from_activity: Some(from_act),
			to_activity: Some(to_act),
			report,
			blocked,
		})
	}

	/// What [`Self::do_check`] would decide, without changing anything.
	pub fn preview(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		kind: MovementKind,
	) -> Assessment {
		match Self::evaluate(from, to, amount, kind) {
			Ok(ev) => ev.assessment,
			Err(b) => {
				let mut triggered = RuleFlags::default();
				if let Some(rule) = b.rule {
					triggered.insert(rule);
				}
				Assessment {
					decision: Decision::Block,
					triggered,
					blocked_by: b.rule,
					large_value_report: false,
				}
			},
		}
	}

	/// Decides on a movement and records the decision: counters, alerts, the large-value report
	/// and, on review, the hold on the sender.
	pub(crate) fn do_check(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		kind: MovementKind,
	) -> Result<Verdict, DispatchError> {
		Self::record(from, to, amount, kind).map(|(verdict, _)| verdict)
	}

	/// [`Self::do_check`], also telling whether the check was quiet: only its counters written,
	/// no report, alert or review. A quiet check costs what the `transfer_quiet` benchmark
	/// measured, far less than the worst case every rule firing costs; it comes with what the
	/// observer said its part cost (`Some(weight)`; `None` when the check was not quiet).
	pub(crate) fn record(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		kind: MovementKind,
	) -> Result<(Verdict, Option<Weight>), DispatchError> {
		Self::record_as(&mut Sender::read(from), from, to, amount, kind)
	}

	/// [`Self::record`], with what the rules need of `from` already read into `sender` (and
	/// kept up to date there).
	pub(crate) fn record_as(
		sender: &mut Sender<T>,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		kind: MovementKind,
	) -> Result<(Verdict, Option<Weight>), DispatchError> {
		let mut ev = Self::evaluate_as(sender, from, to, amount, kind).map_err(|b| b.error)?;
		if let Some(b) = ev.blocked {
			return Err(b.error.into());
		}
		let quiet = ev.report.is_none() && ev.from_flags.is_empty() && ev.to_flags.is_empty();
		Self::put_counters(sender, from, to, &mut ev);
		if let Some(total) = ev.report {
			Self::create_report(ReportKind::LargeValue, from, Some(to.clone()), total, None)?;
		}
		let decision = ev.assessment.decision;
		let mut case = None;
		let mut observed = Weight::zero();
		if !ev.from_flags.is_empty() {
			let (_, c) = Self::raise_alert(
				from,
				Some(to.clone()),
				amount,
				Some(kind),
				AlertCause::Rules(ev.from_flags),
				decision,
			)?;
			case = Some(c);
		}
		if !ev.to_flags.is_empty() {
			let (_, c) = Self::raise_alert(
				to,
				Some(from.clone()),
				amount,
				Some(kind),
				AlertCause::Rules(ev.to_flags),
				decision,
			)?;
			case.get_or_insert(c);
		}
		let verdict = match (decision, case) {
			(Decision::Review, Some(case)) => {
				Verdict::HeldForReview(Self::hold_for_review(from, to, amount, kind, case)?)
			},
			_ => {
				if kind.moves_between_accounts() {
					observed = T::Observer::observe(from, to, amount, kind);
				}
				Verdict::Proceed
			},
		};
		Ok((verdict, quiet.then_some(observed)))
	}

	/// Writes the window counters an evaluation updated, for both parties.
	fn put_counters(
		sender: &mut Sender<T>,
		from: &T::AccountId,
		to: &T::AccountId,
		ev: &mut Evaluation<T>,
	) {
		if let Some(activity) = ev.from_activity.take() {
			Activities::<T>::insert(from, &activity);
			sender.remember(activity);
		}
		if let Some(activity) = ev.to_activity.take() {
			Activities::<T>::insert(to, activity);
		}
	}

	/// A transfer through the check: moved, held for review, or refused. `Ok(Some(observer's
	/// weight))` when the check was quiet (see [`Self::record`]).
	pub(crate) fn do_transfer(
		from: T::AccountId,
		to: T::AccountId,
		amount: BalanceOf<T>,
		preservation: Preservation,
	) -> Result<Option<Weight>, DispatchError> {
		Self::do_transfer_as(&mut Sender::read(&from), from, to, amount, preservation)
	}

	/// [`Self::do_transfer`], with what the rules need of `from` already read into `sender`.
	fn do_transfer_as(
		sender: &mut Sender<T>,
		from: T::AccountId,
		to: T::AccountId,
		amount: BalanceOf<T>,
		preservation: Preservation,
	) -> Result<Option<Weight>, DispatchError> {
		let (verdict, quiet) = Self::record_as(sender, &from, &to, amount, MovementKind::Transfer)?;
		match verdict {
			Verdict::Proceed => {
				<T::Currency as Mutate<_>>::transfer(&from, &to, amount, preservation)?;
			},
			// The amount stays on the sender, held; a hold always leaves the account alive.
			Verdict::HeldForReview(_) => {},
		}
		Ok(quiet)
	}

	/// What a bulk of `n` payments is charged up front: the benchmark of a bulk whose payments
	/// are all quiet, and on top, for every payment, what a single transfer is charged (every
	/// rule firing, the observer's dearest path). Refunded to what the bulk cost
	/// ([`Self::do_transfer_bulk`]).
	pub(crate) fn bulk_weight(n: u32) -> Weight {
		T::WeightInfo::transfer_bulk(n)
			.saturating_add(Self::unquiet_weight().saturating_mul(n.into()))
	}

	/// What a payment that was not quiet may have cost beyond the quiet path: a single
	/// transfer's worst case.
	fn unquiet_weight() -> Weight {
		T::WeightInfo::transfer().saturating_add(T::Observer::observe_weight())
	}

	/// A bulk transfer ([`Pallet::transfer_bulk`]): each payment as
	/// [`Self::do_transfer`] with the sender kept alive, in order; the first error fails the
	/// whole (the call is transactional). Refunds what the quiet payments did not cost.
	pub(crate) fn do_transfer_bulk(
		from: T::AccountId,
		payments: Vec<BulkPaymentOf<T>>,
	) -> DispatchResultWithPostInfo {
		ensure!(!payments.is_empty(), Error::<T>::EmptyBulk);
		let count = payments.len() as u32;
		let mut actual = T::WeightInfo::transfer_bulk(count);
		let mut total = BalanceOf::<T>::zero();
		let mut sender = Sender::read(&from);
		for BulkPayment { dest, value } in payments {
			let to = T::Lookup::lookup(dest)?;
			let quiet =
				Self::do_transfer_as(&mut sender, from.clone(), to, value, Preservation::Preserve)?;
			actual = actual.saturating_add(match quiet {
				Some(observed) => Self::observed_beyond_least(observed),
				None => Self::unquiet_weight(),
			});
			total = total.saturating_add(value);
		}
		Self::deposit_event(Event::BulkTransferred { from, payments: count, total });
		Ok(frame_support::dispatch::PostDispatchInfo {
			actual_weight: Some(actual),
			pays_fee: Pays::Yes,
		})
	}

	/// The rule that would block a transfer on the current state, by its error, if one would.
	/// (For the transaction pool: [`crate::CheckCompliance`].)
	pub(crate) fn transfer_refusal(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Option<Error<T>> {
		let mut sender = Sender::read(from);
		let counters = sender.counters_may_block(from);
		Self::pool_check(&mut sender, from, to, amount, counters).err()
	}

	/// The rule that would block a bulk transfer on the current state, by its error, if one
	/// would: each payment is decided as the block would, on the counters the payments before
	/// it left, in a storage layer that is thrown away. A recipient that cannot be looked up is
	/// left to the call. (For the transaction pool: [`crate::CheckCompliance`].)
	///
	/// When no rule with counters could block the sender's payments
	/// ([`Sender::counters_may_block`]), only the gates are checked: no recipient's counters are
	/// read, none are updated or carried, and the answer is the same.
	pub(crate) fn bulk_refusal(
		from: &T::AccountId,
		payments: &[BulkPaymentOf<T>],
	) -> Option<Error<T>> {
		let mut sender = Sender::read(from);
		let counters = sender.counters_may_block(from);
		let mut refusal = || {
			for payment in payments {
				let Ok(to) = T::Lookup::lookup(payment.dest.clone()) else { return None };
				match Self::pool_check(&mut sender, from, &to, payment.value, counters) {
					Err(error) => return Some(error),
					Ok(Some(mut ev)) => Self::put_counters(&mut sender, from, &to, &mut ev),
					Ok(None) => {},
				}
			}
			None
		};
		if !counters {
			// The gates write nothing.
			return refusal();
		}
		storage::with_transaction(|| {
			TransactionOutcome::Rollback(Ok::<_, DispatchError>(refusal()))
		})
		// Only the nesting limit fails a layer; the call then decides in its block.
		.unwrap_or(None)
	}

	/// One payment at the pool: refused with the rule's error, or let through. With
	/// `counters`, it is evaluated in full and its evaluation returned, for its counters to
	/// be carried to the sender's next payment; without, only the gates are checked (`None`).
	fn pool_check(
		sender: &mut Sender<T>,
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		counters: bool,
	) -> Result<Option<Evaluation<T>>, Error<T>> {
		if !counters {
			return Self::gates(sender, from, to, amount).map(|_| None).map_err(|b| b.error);
		}
		match Self::evaluate_as(sender, from, to, amount, MovementKind::Transfer) {
			Err(blocked) | Ok(Evaluation { blocked: Some(blocked), .. }) => Err(blocked.error),
			Ok(ev) => Ok(Some(ev)),
		}
	}

	/// What the observer spent beyond its cheapest path, which every quiet benchmark includes.
	pub(crate) fn observed_beyond_least(observed: Weight) -> Weight {
		observed.saturating_sub(T::Observer::observe_min_weight())
	}

	/// What a transfer through the check actually cost: the quiet path's benchmark (which
	/// includes the observer's cheapest path) and what the observer reported beyond it when the
	/// check was quiet, else the worst case it was charged.
	pub(crate) fn transfer_post_info(
		quiet: Option<Weight>,
	) -> frame_support::dispatch::PostDispatchInfo {
		let actual = quiet.map(|observed| {
			T::WeightInfo::transfer_quiet().saturating_add(Self::observed_beyond_least(observed))
		});
		frame_support::dispatch::PostDispatchInfo { actual_weight: actual, pays_fee: Pays::Yes }
	}

	/// What `transfer_all` moves: everything `who` can spend, keeping the account alive if asked.
	pub(crate) fn transferable(
		who: &T::AccountId,
		keep_alive: bool,
	) -> (BalanceOf<T>, Preservation) {
		use frame_support::traits::{fungible::Inspect, tokens::Fortitude};
		let preservation =
			if keep_alive { Preservation::Preserve } else { Preservation::Expendable };
		(
			<T::Currency as Inspect<_>>::reducible_balance(who, preservation, Fortitude::Polite),
			preservation,
		)
	}

	/// Transfers everything `from` can spend; as [`Self::do_transfer`].
	pub(crate) fn do_transfer_all(
		from: T::AccountId,
		to: T::AccountId,
		keep_alive: bool,
	) -> Result<Option<Weight>, DispatchError> {
		let (amount, preservation) = Self::transferable(&from, keep_alive);
		Self::do_transfer(from, to, amount, preservation)
	}

	/// Holds `amount` on `from` for review and schedules its timeout.
	fn hold_for_review(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		kind: MovementKind,
		case: CaseId,
	) -> Result<ReviewId, DispatchError> {
		let now = Self::now();
		let policy = match Self::rule_now(RuleId::ReviewPolicy, now) {
			Some(Rule::ReviewPolicy(p)) => p,
			_ => ReviewPolicy { timeout: T::MaxWindow::get(), on_timeout: TimeoutAction::Return },
		};
		// Frozen funds cannot be held for review: they could not be released either.
		let spendable = <T::Currency as fungible::Inspect<_>>::reducible_balance(
			from,
			Preservation::Preserve,
			frame_support::traits::tokens::Fortitude::Polite,
		);
		ensure!(amount <= spendable, sp_runtime::TokenError::FundsUnavailable);
		T::Currency::hold(&HoldReason::Review.into(), from, amount)?;
		let id = NextReviewId::<T>::get();
		NextReviewId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		let deadline = Self::schedule(now.saturating_add(policy.timeout), Deadline::Review(id))?;
		Reviews::<T>::insert(
			id,
			Review {
				from: from.clone(),
				to: to.clone(),
				amount,
				kind,
				held_at: now,
				deadline,
				on_timeout: policy.on_timeout,
				case,
			},
		);
		Stats::<T>::try_mutate(from, |s| -> DispatchResult {
			s.reviews = s.reviews.checked_add(1).ok_or(Error::<T>::Overflow)?;
			s.held = s.held.saturating_add(amount);
			Ok(())
		})?;
		Self::deposit_event(Event::HeldForReview {
			review: id,
			from: from.clone(),
			to: to.clone(),
			amount,
			deadline,
		});
		Ok(id)
	}
}

/// Moves a fixed window forward to `now`: the current window becomes the previous one once it
/// is over, and both are forgotten after two windows.
pub(crate) fn roll_window<Balance: Zero + Copy, BlockNumber>(
	w: &mut Window<Balance, BlockNumber>,
	now: BlockNumber,
	len: BlockNumber,
) where
	BlockNumber: Saturating + Copy + PartialOrd + Zero,
{
	let elapsed = now.saturating_sub(w.start);
	if w.start > now || elapsed >= len.saturating_add(len) {
		*w = Window {
			start: now,
			count: 0,
			amount: Zero::zero(),
			prev_count: 0,
			prev_amount: Zero::zero(),
		};
	} else if elapsed >= len {
		w.prev_count = w.count;
		w.prev_amount = w.amount;
		w.count = 0;
		w.amount = Zero::zero();
		w.start = w.start.saturating_add(len);
	}
}

/// The rolling-window estimate: the previous window weighted by how much of it still overlaps
/// the last `len` blocks, plus the current window.
pub(crate) fn estimate<Balance, BlockNumber>(
	w: &Window<Balance, BlockNumber>,
	now: BlockNumber,
	len: BlockNumber,
) -> (u32, Balance)
where
	Balance: sp_runtime::traits::AtLeast32BitUnsigned + Copy,
	BlockNumber: sp_runtime::traits::AtLeast32BitUnsigned + Copy,
{
	let remaining = len.saturating_sub(now.saturating_sub(w.start));
	let overlap = Perbill::from_rational(remaining, len.max(One::one()));
	(
		w.count.saturating_add(overlap * w.prev_count),
		w.amount.saturating_add(overlap * w.prev_amount),
	)
}

use sp_runtime::traits::One;

/// Notes a counterparty in a window; returns how many distinct ones the window has seen.
pub(crate) fn note_peer<BlockNumber, MaxPeers: Get<u32>>(
	peers: &mut Peers<BlockNumber, MaxPeers>,
	now: BlockNumber,
	window: BlockNumber,
	fingerprint: u32,
) -> u32
where
	BlockNumber: Saturating + Copy + PartialOrd,
{
	if peers.start > now || now.saturating_sub(peers.start) >= window {
		peers.start = now;
		peers.seen.clear();
		peers.overflow = 0;
	}
	if let Err(at) = peers.seen.binary_search(&fingerprint) {
		if peers.seen.try_insert(at, fingerprint).is_err() {
			peers.overflow = peers.overflow.saturating_add(1);
		}
	}
	(peers.seen.len() as u32).saturating_add(peers.overflow)
}

/// A short fingerprint of an account, for counting distinct counterparties.
pub(crate) fn fingerprint<AccountId: Encode>(who: &AccountId) -> u32 {
	let hash = who.using_encoded(sp_io::hashing::blake2_128);
	u32::from_le_bytes([hash[0], hash[1], hash[2], hash[3]])
}
