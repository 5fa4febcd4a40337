//! The regulator's workbench behind the calls, the deadlines hook, the queries of the runtime
//! API, the traits other pallets see, and the invariants.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{MutateFreeze, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
		UnixTime,
	},
};
use frame_system::pallet_prelude::OriginFor;
use paychain_primitives::{
	accounts::{AccountRegistry, Obligations, ParticipantStatus, RegionCode, Role},
	compliance::{
		working_days_after, AlertSink, Assessment, ComplianceCheck, Decision, ExternalAlert,
		MovementKind, MovementObserver, Verdict,
	},
};
use sp_core::H256;
use sp_runtime::traits::{Saturating, Zero};

/// The most entries a runtime-API page returns.
pub const MAX_PAGE: u32 = 100;

/// How many blocks after the asked one a deadline may slip when that block is full.
const DEADLINE_SLACK: u32 = 10;

/// Who acts: a regulator (within its region) or governance (everywhere).
#[derive(Clone)]
pub(crate) struct Actor<AccountId> {
	/// The regulator's account; `None` for governance.
	pub who: Option<AccountId>,
	/// The region it acts in.
	pub region: RegionCode,
}

impl<T: Config> Pallet<T> {
	/// The current block.
	pub(crate) fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Governance, or a regulator with its region.
	pub(crate) fn ensure_actor(origin: OriginFor<T>) -> Result<Actor<T::AccountId>, DispatchError> {
		if T::AdminOrigin::try_origin(origin.clone()).is_ok() {
			return Ok(Actor { who: None, region: RegionCode::NATIONAL });
		}
		let who = T::RegulatorOrigin::ensure_origin(origin)?;
		let region = T::Registry::region(&who).ok_or(DispatchError::BadOrigin)?;
		Ok(Actor { who: Some(who), region })
	}

	/// The region an account belongs to; accounts that never registered are national.
	fn region_of(who: &T::AccountId) -> RegionCode {
		T::Registry::region(who).unwrap_or(RegionCode::NATIONAL)
	}

	/// Whether the actor's jurisdiction covers the account.
	fn ensure_covers(actor: &Actor<T::AccountId>, who: &T::AccountId) -> DispatchResult {
		ensure!(actor.region.contains(Self::region_of(who)), Error::<T>::OutsideJurisdiction);
		Ok(())
	}

	// ----- Rules -----

	/// Checks a rule's parameters and that it fits its slot.
	pub(crate) fn validate_rule(id: &RuleId, rule: Option<&RuleOf<T>>) -> DispatchResult {
		let max_window = T::MaxWindow::get();
		let window_ok = |w: BlockNumberFor<T>| -> DispatchResult {
			ensure!(!w.is_zero(), Error::<T>::ZeroWindow);
			ensure!(w <= max_window, Error::<T>::WindowTooLong);
			Ok(())
		};
		if let RuleId::LargeValue(_, Some(region)) = id {
			ensure!(
				region.is_valid() && *region != RegionCode::NATIONAL,
				Error::<T>::InvalidRegion
			);
		}
		let Some(rule) = rule else { return Ok(()) };
		match (id, rule) {
			(RuleId::LargeValue(..), Rule::LargeValue(r)) => {
				ensure!(!r.single.is_zero() && r.daily >= r.single, Error::<T>::InvalidThreshold);
			},
			(RuleId::Velocity(_), Rule::Velocity(r)) => {
				window_ok(r.window)?;
				ensure!(r.max_count > 0 && !r.max_amount.is_zero(), Error::<T>::InvalidThreshold);
			},
			(RuleId::Structuring, Rule::Structuring(r)) => {
				window_ok(r.window)?;
				let margin = r.margin.deconstruct();
				ensure!((1..=50).contains(&margin), Error::<T>::MarginOutOfRange);
				ensure!(r.min_count >= 2, Error::<T>::CountTooLow);
			},
			(RuleId::Dormancy, Rule::Dormancy(r)) => {
				ensure!(!r.after.is_zero(), Error::<T>::ZeroWindow);
			},
			(RuleId::FanOut | RuleId::FanIn, Rule::Fan(r)) => {
				window_ok(r.window)?;
				ensure!(
					r.max_distinct > 0 && r.max_distinct < T::MaxCounterparties::get(),
					Error::<T>::FanLimitOutOfRange
				);
			},
			(RuleId::ReviewPolicy, Rule::ReviewPolicy(r)) => window_ok(r.timeout)?,
			_ => return Err(Error::<T>::RuleMismatch.into()),
		}
		Ok(())
	}

	pub(crate) fn do_set_rule(
		actor: Actor<T::AccountId>,
		id: RuleId,
		rule: Option<RuleOf<T>>,
		effective_at: Option<BlockNumberFor<T>>,
	) -> DispatchResult {
		Self::validate_rule(&id, rule.as_ref())?;
		let scope = match id {
			RuleId::LargeValue(_, Some(region)) => region,
			_ => RegionCode::NATIONAL,
		};
		ensure!(actor.region.contains(scope), Error::<T>::OutsideJurisdiction);
		let now = Self::now();
		let next_block = now.saturating_add(One::one());
		let effective_at = effective_at.unwrap_or(next_block);
		ensure!(effective_at >= next_block, Error::<T>::EffectiveInPast);
		ensure!(
			effective_at <= now.saturating_add(T::MaxRuleDelay::get()),
			Error::<T>::EffectiveTooFar
		);
		let version = RuleVersion::<T>::get().checked_add(1).ok_or(Error::<T>::Overflow)?;
		RuleVersion::<T>::put(version);
		let slot = Self::slot(id).map(|slot| slot.settled(now)).unwrap_or(Versioned {
			version: 0,
			current: None,
			next: None,
		});
		// A change still waiting is replaced by this one.
		Self::put_slot(
			id,
			Versioned { next: Some(ScheduledRule { version, effective_at, rule }), ..slot },
		)?;
		Self::deposit_event(Event::RuleScheduled {
			id,
			version,
			rule,
			effective_at,
			by: actor.who,
		});
		Ok(())
	}

	// ----- Watch list and freezes -----

	pub(crate) fn do_list(
		actor: Actor<T::AccountId>,
		who: T::AccountId,
		basis: H256,
	) -> DispatchResult {
		Self::ensure_covers(&actor, &who)?;
		ensure!(!WatchList::<T>::contains_key(&who), Error::<T>::AlreadyListed);
		WatchList::<T>::insert(&who, Listing { by: actor.who.clone(), basis, since: Self::now() });
		Self::deposit_event(Event::Listed { who, basis, by: actor.who });
		Ok(())
	}

	pub(crate) fn do_unlist(actor: Actor<T::AccountId>, who: T::AccountId) -> DispatchResult {
		Self::ensure_covers(&actor, &who)?;
		ensure!(WatchList::<T>::take(&who).is_some(), Error::<T>::NotListed);
		Self::deposit_event(Event::Unlisted { who, by: actor.who });
		Ok(())
	}

	pub(crate) fn do_freeze(
		actor: Actor<T::AccountId>,
		who: T::AccountId,
		scope: FreezeScope<BalanceOf<T>>,
		basis: BoundedVec<u8, T::MaxBasisLen>,
		expires_at: Option<BlockNumberFor<T>>,
	) -> DispatchResult {
		Self::ensure_covers(&actor, &who)?;
		ensure!(!Freezes::<T>::contains_key(&who), Error::<T>::AlreadyFrozen);
		let now = Self::now();
		let expires_at = match expires_at {
			Some(at) => {
				ensure!(at > now, Error::<T>::InvalidExpiry);
				Some(Self::schedule(at, Deadline::Freeze(who.clone()))?)
			},
			None => None,
		};
		if let FreezeScope::Amount(amount) = scope {
			ensure!(!amount.is_zero(), Error::<T>::ZeroFreeze);
			T::Currency::set_freeze(&FreezeReason::Legal.into(), &who, amount)?;
		}
		Freezes::<T>::insert(
			&who,
			FreezeRecord { scope, basis, by: actor.who.clone(), since: now, expires_at },
		);
		Self::deposit_event(Event::Frozen { who, scope, expires_at, by: actor.who });
		Ok(())
	}

	/// Lifts a freeze: by an actor, or by its expiry (`None`).
	pub(crate) fn do_unfreeze(
		actor: Option<Actor<T::AccountId>>,
		who: T::AccountId,
	) -> DispatchResult {
		if let Some(actor) = &actor {
			Self::ensure_covers(actor, &who)?;
		}
		let record = Freezes::<T>::take(&who).ok_or(Error::<T>::NotFrozen)?;
		if let FreezeScope::Amount(_) = record.scope {
			T::Currency::thaw(&FreezeReason::Legal.into(), &who)?;
		}
		if let (Some(at), Some(_)) = (record.expires_at, &actor) {
			Self::unschedule(at, &Deadline::Freeze(who.clone()));
		}
		Self::deposit_event(Event::Unfrozen { who, by: actor.and_then(|a| a.who) });
		Ok(())
	}

	// ----- Review holds -----

	/// A pending review, if the actor (when there is one) covers its sender.
	fn review_in_scope(
		actor: &Option<Actor<T::AccountId>>,
		id: ReviewId,
	) -> Result<ReviewOf<T>, DispatchError> {
		let review = Reviews::<T>::get(id).ok_or(Error::<T>::UnknownReview)?;
		if let Some(actor) = actor {
			Self::ensure_covers(actor, &review.from)?;
		}
		Ok(review)
	}

	/// Releases held funds to the recipient: by an actor, or by the timeout policy (`None`).
	pub(crate) fn do_release_review(
		actor: Option<Actor<T::AccountId>>,
		id: ReviewId,
	) -> DispatchResult {
		let review = Self::review_in_scope(&actor, id)?;
		ensure!(Self::recipient_refusal(&review.to).is_none(), Error::<T>::RecipientUnavailable);
		T::Currency::transfer_on_hold(
			&HoldReason::Review.into(),
			&review.from,
			&review.to,
			review.amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		Self::end_review(id, &review, actor.is_some())?;
		// Charged at the observer's worst case with the release; what it reports is not refunded.
		let _ = T::Observer::observe(&review.from, &review.to, review.amount, review.kind);
		Self::deposit_event(Event::ReviewReleased { review: id, by: actor.and_then(|a| a.who) });
		Ok(())
	}

	/// Returns held funds to the sender: by an actor, or by the timeout policy (`None`).
	pub(crate) fn do_return_review(
		actor: Option<Actor<T::AccountId>>,
		id: ReviewId,
	) -> DispatchResult {
		let review = Self::review_in_scope(&actor, id)?;
		T::Currency::release(
			&HoldReason::Review.into(),
			&review.from,
			review.amount,
			Precision::Exact,
		)?;
		Self::end_review(id, &review, actor.is_some())?;
		Self::deposit_event(Event::ReviewReturned { review: id, by: actor.and_then(|a| a.who) });
		Ok(())
	}

	fn end_review(id: ReviewId, review: &ReviewOf<T>, unschedule: bool) -> DispatchResult {
		Reviews::<T>::remove(id);
		if unschedule {
			Self::unschedule(review.deadline, &Deadline::Review(id));
		}
		Stats::<T>::mutate(&review.from, |s| {
			s.reviews = s.reviews.saturating_sub(1);
			s.held = s.held.saturating_sub(review.amount);
		});
		Ok(())
	}

	// ----- Deadlines -----

	/// Puts an item in the first block from `at` with room; returns that block.
	pub(crate) fn schedule(
		at: BlockNumberFor<T>,
		item: Deadline<T::AccountId>,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let mut block = at;
		for _ in 0..DEADLINE_SLACK {
			if Deadlines::<T>::try_mutate(block, |items| items.try_push(item.clone())).is_ok() {
				return Ok(block);
			}
			block = block.saturating_add(One::one());
		}
		Err(Error::<T>::DeadlinesFull.into())
	}

	fn unschedule(at: BlockNumberFor<T>, item: &Deadline<T::AccountId>) {
		Deadlines::<T>::mutate_exists(at, |items| {
			if let Some(list) = items {
				list.retain(|i| i != item);
				if list.is_empty() {
					*items = None;
				}
			}
		});
	}

	/// Applies the timeouts and expiries due at `now`.
	pub(crate) fn process_deadlines(now: BlockNumberFor<T>) -> Weight {
		let due = Deadlines::<T>::take(now);
		let count = due.len() as u32;
		for item in due {
			match item {
				Deadline::Review(id) => {
					let Some(review) = Reviews::<T>::get(id) else { continue };
					let released = review.on_timeout == TimeoutAction::Release
						&& with_storage_layer(|| Self::do_release_review(None, id)).is_ok();
					if !released {
						if let Err(e) = Self::do_return_review(None, id) {
							log::error!(target: "compliance", "review {id} could not return: {e:?}");
						}
					}
				},
				Deadline::Freeze(who) => {
					let due_now =
						Freezes::<T>::get(&who).is_some_and(|f| f.expires_at == Some(now));
					if due_now {
						if let Err(e) = Self::do_unfreeze(None, who) {
							log::error!(target: "compliance", "freeze could not lapse: {e:?}");
						}
					}
				},
			}
		}
		// A review released by its timeout tells the observer too.
		T::WeightInfo::process_deadlines(count)
			.saturating_add(T::Observer::observe_weight().saturating_mul(count.into()))
	}

	// ----- Alerts, cases and reports -----

	/// Records an alert on `account`; it joins the account's active case, or opens one.
	pub(crate) fn raise_alert(
		account: &T::AccountId,
		counterparty: Option<T::AccountId>,
		amount: BalanceOf<T>,
		kind: Option<MovementKind>,
		cause: AlertCause,
		decision: Decision,
	) -> Result<(AlertId, CaseId), DispatchError> {
		let now = Self::now();
		let case_id = match OpenCase::<T>::get(account) {
			Some(id) => id,
			None => {
				let id = NextCaseId::<T>::get();
				NextCaseId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
				let deadline = now.saturating_add(T::CaseDeadline::get());
				Cases::<T>::insert(
					id,
					Case {
						account: account.clone(),
						status: CaseStatus::Open,
						opened_at: now,
						deadline,
						alerts: 0,
						assignee: None,
						evidence: Default::default(),
						report: None,
					},
				);
				CasesByStatus::<T>::insert(CaseStatus::Open, id, ());
				OpenCase::<T>::insert(account, id);
				Self::deposit_event(Event::CaseOpened {
					case: id,
					account: account.clone(),
					deadline,
				});
				id
			},
		};
		let alert = NextAlertId::<T>::get();
		NextAlertId::<T>::put(alert.checked_add(1).ok_or(Error::<T>::Overflow)?);
		Cases::<T>::mutate(case_id, |c| {
			if let Some(c) = c {
				c.alerts = c.alerts.saturating_add(1);
			}
		});
		Alerts::<T>::insert(
			alert,
			Alert {
				account: account.clone(),
				counterparty,
				amount,
				kind,
				cause,
				decision,
				raised_at: now,
				case: case_id,
			},
		);
		CaseAlerts::<T>::insert(case_id, alert, ());
		Stats::<T>::mutate(account, |s| s.alerts = s.alerts.saturating_add(1));
		Self::deposit_event(Event::AlertRaised {
			alert,
			account: account.clone(),
			case: case_id,
			cause,
			decision,
		});
		Ok((alert, case_id))
	}

	/// Makes a report, due at the end of the fifth working day.
	pub(crate) fn create_report(
		kind: ReportKind,
		account: &T::AccountId,
		counterparty: Option<T::AccountId>,
		amount: BalanceOf<T>,
		case: Option<CaseId>,
	) -> Result<ReportId, DispatchError> {
		let id = NextReportId::<T>::get();
		NextReportId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		let created_ms = T::Time::now().as_millis() as u64;
		let due_ms =
			working_days_after(created_ms, T::ReportWorkingDays::get(), T::TimeZoneOffset::get());
		Reports::<T>::insert(
			id,
			Report {
				kind,
				account: account.clone(),
				counterparty,
				amount,
				case,
				created_at: Self::now(),
				created_ms,
				due_ms,
				status: ReportStatus::Pending,
				filed: None,
			},
		);
		ReportsByStatus::<T>::insert(ReportStatus::Pending, id, ());
		Stats::<T>::mutate(account, |s| s.pending_reports = s.pending_reports.saturating_add(1));
		Self::deposit_event(Event::ReportCreated {
			report: id,
			kind,
			account: account.clone(),
			amount,
			due_ms,
		});
		Ok(id)
	}

	fn set_case_status(id: CaseId, case: &mut CaseOf<T>, status: CaseStatus) {
		CasesByStatus::<T>::remove(case.status, id);
		CasesByStatus::<T>::insert(status, id, ());
		if !status.is_active() && OpenCase::<T>::get(&case.account) == Some(id) {
			OpenCase::<T>::remove(&case.account);
		}
		case.status = status;
	}

	pub(crate) fn do_take_case(actor: Actor<T::AccountId>, id: CaseId) -> DispatchResult {
		let mut case = Cases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		Self::ensure_covers(&actor, &case.account)?;
		ensure!(case.status == CaseStatus::Open, Error::<T>::CaseNotOpen);
		Self::set_case_status(id, &mut case, CaseStatus::UnderReview);
		case.assignee = actor.who.clone();
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::CaseTaken { case: id, by: actor.who });
		Ok(())
	}

	pub(crate) fn do_add_evidence(
		actor: Actor<T::AccountId>,
		id: CaseId,
		evidence: H256,
	) -> DispatchResult {
		let mut case = Cases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		Self::ensure_covers(&actor, &case.account)?;
		ensure!(case.status.is_active(), Error::<T>::CaseNotActive);
		case.evidence.try_push(evidence).map_err(|_| Error::<T>::TooMuchEvidence)?;
		Cases::<T>::insert(id, case);
		Self::deposit_event(Event::EvidenceAdded { case: id, evidence });
		Ok(())
	}

	/// Closes a case under review, or reports it (a suspicious-transaction report).
	pub(crate) fn do_conclude_case(
		actor: Actor<T::AccountId>,
		id: CaseId,
		conclusion: H256,
		report: bool,
	) -> DispatchResult {
		let mut case = Cases::<T>::get(id).ok_or(Error::<T>::UnknownCase)?;
		Self::ensure_covers(&actor, &case.account)?;
		ensure!(case.status == CaseStatus::UnderReview, Error::<T>::CaseNotUnderReview);
		case.evidence.try_push(conclusion).map_err(|_| Error::<T>::TooMuchEvidence)?;
		if report {
			let report_id = Self::create_report(
				ReportKind::Suspicious,
				&case.account,
				None,
				Zero::zero(),
				Some(id),
			)?;
			case.report = Some(report_id);
			Self::set_case_status(id, &mut case, CaseStatus::Reported);
			Self::deposit_event(Event::CaseReported { case: id, report: report_id });
		} else {
			Self::set_case_status(id, &mut case, CaseStatus::Closed);
			Self::deposit_event(Event::CaseClosed { case: id, by: actor.who });
		}
		Cases::<T>::insert(id, case);
		Ok(())
	}

	pub(crate) fn do_file_report(
		who: T::AccountId,
		id: ReportId,
		document: H256,
	) -> DispatchResult {
		let mut report = Reports::<T>::get(id).ok_or(Error::<T>::UnknownReport)?;
		ensure!(report.status == ReportStatus::Pending, Error::<T>::AlreadyFiled);
		let regulator_in_scope = T::Registry::profile(&who).is_some_and(|p| {
			p.status == ParticipantStatus::Active
				&& p.role == Role::Regulator
				&& p.region.contains(Self::region_of(&report.account))
		});
		let institution_above =
			T::Registry::is_active(&who) && T::Registry::is_ancestor(&who, &report.account);
		ensure!(regulator_in_scope || institution_above, Error::<T>::NotAuthorizedToFile);
		ReportsByStatus::<T>::remove(ReportStatus::Pending, id);
		ReportsByStatus::<T>::insert(ReportStatus::Filed, id, ());
		Stats::<T>::mutate(&report.account, |s| {
			s.pending_reports = s.pending_reports.saturating_sub(1)
		});
		report.status = ReportStatus::Filed;
		report.filed = Some(Filing { by: who.clone(), document, at: Self::now() });
		Reports::<T>::insert(id, report);
		Self::deposit_event(Event::ReportFiled { report: id, by: who, document });
		Ok(())
	}

	// ----- Queries (runtime API) -----

	/// An account's risk profile.
	pub fn risk_profile(who: &T::AccountId) -> RiskProfile<BalanceOf<T>, BlockNumberFor<T>> {
		let activity = Activities::<T>::get(who).unwrap_or_default();
		let today = Self::today();
		let (day_out, day_in) = if activity.day == today {
			(activity.day_out, activity.day_in)
		} else {
			(Zero::zero(), Zero::zero())
		};
		RiskProfile {
			day: today,
			day_out,
			day_in,
			window_count: activity.outgoing.count,
			window_amount: activity.outgoing.amount,
			last_active: activity.last_active,
			stats: Stats::<T>::get(who),
			open_case: OpenCase::<T>::get(who),
			listed: WatchList::<T>::contains_key(who),
			freeze: Freezes::<T>::get(who).map(|f| (f.scope, f.expires_at)),
		}
	}

	/// One page of the cases in a status.
	pub fn cases_page(status: CaseStatus, page: u32) -> Vec<(CaseId, CaseOf<T>)> {
		CasesByStatus::<T>::iter_key_prefix(status)
			.skip((page as usize).saturating_mul(MAX_PAGE as usize))
			.take(MAX_PAGE as usize)
			.filter_map(|id| Cases::<T>::get(id).map(|c| (id, c)))
			.collect()
	}

	/// One page of the alerts whose case is in a status.
	pub fn alerts_page(status: CaseStatus, page: u32) -> Vec<(AlertId, AlertOf<T>)> {
		CasesByStatus::<T>::iter_key_prefix(status)
			.flat_map(CaseAlerts::<T>::iter_key_prefix)
			.skip((page as usize).saturating_mul(MAX_PAGE as usize))
			.take(MAX_PAGE as usize)
			.filter_map(|id| Alerts::<T>::get(id).map(|a| (id, a)))
			.collect()
	}

	/// One page of the reports in a status, each with whether it is overdue now.
	pub fn reports_page(status: ReportStatus, page: u32) -> Vec<(ReportId, ReportOf<T>, bool)> {
		let now_ms = T::Time::now().as_millis() as u64;
		ReportsByStatus::<T>::iter_key_prefix(status)
			.skip((page as usize).saturating_mul(MAX_PAGE as usize))
			.take(MAX_PAGE as usize)
			.filter_map(|id| Reports::<T>::get(id).map(|r| (id, r)))
			.map(|(id, r)| {
				let overdue = r.status == ReportStatus::Pending && now_ms > r.due_ms;
				(id, r, overdue)
			})
			.collect()
	}

	/// Every pending report past its due date (at most a page).
	pub fn overdue_reports() -> Vec<(ReportId, ReportOf<T>)> {
		let now_ms = T::Time::now().as_millis() as u64;
		ReportsByStatus::<T>::iter_key_prefix(ReportStatus::Pending)
			.filter_map(|id| Reports::<T>::get(id).map(|r| (id, r)))
			.filter(|(_, r)| now_ms > r.due_ms)
			.take(MAX_PAGE as usize)
			.collect()
	}

	/// Every rule slot, with the version and rule in force now and any change waiting.
	pub fn rules() -> Vec<(RuleId, VersionedOf<T>)> {
		let now = Self::now();
		NationalRules::<T>::get()
			.into_iter()
			.chain(Rules::<T>::iter())
			.map(|(id, slot)| (id, slot.settled(now)))
			.collect()
	}

	// ----- Invariants -----

	/// The pallet's invariants: review holds equal the reviews recorded, freezes equal the
	/// freezes recorded, every deadline is scheduled, cases, alerts and reports are indexed
	/// consistently, and the window counters are consistent.
	#[cfg(any(feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::traits::fungible::{InspectFreeze, InspectHold};
		let now = Self::now();

		// Reviews: holds, stats and deadlines.
		let mut held: BTreeMap<T::AccountId, (u32, BalanceOf<T>)> = BTreeMap::new();
		for (id, review) in Reviews::<T>::iter() {
			let entry = held.entry(review.from.clone()).or_insert((0, Zero::zero()));
			entry.0 += 1;
			entry.1 = entry.1.saturating_add(review.amount);
			ensure!(
				Deadlines::<T>::get(review.deadline).contains(&Deadline::Review(id)),
				"a review's timeout is not scheduled"
			);
			ensure!(id < NextReviewId::<T>::get(), "a review id was never given out");
		}
		for (who, stats) in Stats::<T>::iter() {
			let (count, amount) = held.remove(&who).unwrap_or((0, Zero::zero()));
			ensure!(stats.reviews == count, "review count differs from the reviews");
			ensure!(stats.held == amount, "held sum differs from the reviews");
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Review.into(), &who) == amount,
				"review hold differs from the reviews"
			);
		}
		ensure!(held.is_empty(), "an account has reviews but no stats");

		// Freezes: balance freezes and expiries.
		for (who, freeze) in Freezes::<T>::iter() {
			let frozen = T::Currency::balance_frozen(&FreezeReason::Legal.into(), &who);
			let expected = match freeze.scope {
				FreezeScope::Amount(a) => a,
				FreezeScope::Account => Zero::zero(),
			};
			ensure!(frozen == expected, "a balance freeze differs from its record");
			if let Some(at) = freeze.expires_at {
				ensure!(at >= now, "a freeze outlived its expiry");
				ensure!(
					Deadlines::<T>::get(at).contains(&Deadline::Freeze(who.clone())),
					"a freeze's expiry is not scheduled"
				);
			}
		}

		// Cases and their indexes.
		let mut by_status = 0usize;
		for (status, id, ()) in CasesByStatus::<T>::iter() {
			let case = Cases::<T>::get(id).ok_or("an indexed case does not exist")?;
			ensure!(case.status == status, "a case is indexed under the wrong status");
			by_status += 1;
		}
		let mut cases = 0usize;
		for (id, case) in Cases::<T>::iter() {
			cases += 1;
			let active = OpenCase::<T>::get(&case.account) == Some(id);
			ensure!(
				active == case.status.is_active(),
				"an active case is not the account's open one"
			);
			let alerts = CaseAlerts::<T>::iter_key_prefix(id).count();
			ensure!(alerts == case.alerts as usize, "a case's alert count differs");
		}
		ensure!(cases == by_status, "a case is not indexed");
		for (alert_id, alert) in Alerts::<T>::iter() {
			ensure!(
				CaseAlerts::<T>::contains_key(alert.case, alert_id),
				"an alert is not in its case"
			);
		}

		// Reports and their indexes.
		let mut pending: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut reports = 0usize;
		for (id, report) in Reports::<T>::iter() {
			reports += 1;
			ensure!(
				ReportsByStatus::<T>::contains_key(report.status, id),
				"a report is not indexed under its status"
			);
			ensure!(
				(report.status == ReportStatus::Filed) == report.filed.is_some(),
				"a report's filing disagrees with its status"
			);
			if report.status == ReportStatus::Pending {
				*pending.entry(report.account.clone()).or_default() += 1;
			}
		}
		ensure!(ReportsByStatus::<T>::iter().count() == reports, "a report is indexed twice");
		for (who, stats) in Stats::<T>::iter() {
			ensure!(
				stats.pending_reports == pending.remove(&who).unwrap_or(0),
				"pending report count differs"
			);
		}
		ensure!(pending.is_empty(), "an account has pending reports but no stats");

		// Window counters.
		let today = Self::today();
		for (_, act) in Activities::<T>::iter() {
			ensure!(act.day <= today, "daily totals for a future day");
			ensure!(act.outgoing.start <= now && act.near_start <= now, "a window starts later");
			for peers in [&act.recipients, &act.senders] {
				ensure!(peers.start <= now, "a counterparty window starts later");
				ensure!(
					peers.seen.windows(2).all(|w| w[0] < w[1]),
					"counterparties are not sorted and distinct"
				);
				ensure!(
					peers.overflow == 0 || peers.seen.is_full(),
					"counterparties overflowed before the list was full"
				);
			}
			if let Some(last) = act.last_active {
				ensure!(last <= now, "an account was active in the future");
			}
		}

		// Rules.
		let version = RuleVersion::<T>::get();
		for (id, _) in Rules::<T>::iter() {
			ensure!(id.is_regional(), "a national rule slot outside NationalRules");
		}
		let national = NationalRules::<T>::get();
		ensure!(
			national.windows(2).all(|w| w[0].0.national_index() < w[1].0.national_index()),
			"the national rule slots are out of order or repeated"
		);
		for (id, _) in national.iter() {
			ensure!(!id.is_regional(), "a regional rule slot in NationalRules");
		}
		for (id, slot) in national.into_iter().chain(Rules::<T>::iter()) {
			ensure!(slot.version <= version, "a rule version was never given out");
			Self::validate_rule(&id, slot.current.as_ref()).map_err(|_| "an invalid rule")?;
			if let Some(next) = &slot.next {
				ensure!(next.version <= version, "a scheduled version was never given out");
				Self::validate_rule(&id, next.rule.as_ref())
					.map_err(|_| "an invalid scheduled rule")?;
			}
		}
		Ok(())
	}
}

use sp_runtime::traits::One;

impl<T: Config> ComplianceCheck<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn check(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		kind: MovementKind,
	) -> Result<Verdict, DispatchError> {
		Self::do_check(from, to, amount, kind)
	}

	fn preview(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		kind: MovementKind,
	) -> Assessment {
		Pallet::<T>::preview(from, to, amount, kind)
	}

	fn check_weight() -> Weight {
		T::WeightInfo::check().saturating_add(T::Observer::observe_weight())
	}

	fn check_refundable(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		kind: MovementKind,
	) -> Result<(Verdict, Weight), DispatchError> {
		let (verdict, quiet) = Self::record(from, to, amount, kind)?;
		let refund = quiet.map_or(Weight::zero(), |observed| {
			Self::check_weight().saturating_sub(Self::observed_beyond_least(observed))
		});
		Ok((verdict, refund))
	}
}

impl<T: Config> AlertSink<T::AccountId> for Pallet<T> {
	fn raise(account: &T::AccountId, cause: ExternalAlert, evidence: H256) {
		let raised = Self::raise_alert(
			account,
			None,
			Zero::zero(),
			None,
			AlertCause::External(cause, evidence),
			Decision::AcceptWithAlert,
		);
		if let Err(e) = raised {
			log::error!(target: "compliance", "an external alert was lost: {e:?}");
		}
	}
}

/// An account with funds held for review, an active case, a freeze or a listing may not close.
impl<T: Config> Obligations<T::AccountId> for Pallet<T> {
	fn has_obligations(who: &T::AccountId) -> bool {
		Stats::<T>::get(who).reviews > 0
			|| OpenCase::<T>::contains_key(who)
			|| Freezes::<T>::contains_key(who)
			|| WatchList::<T>::contains_key(who)
	}
}
