//! What the calls do, the observer of payments, the queries and the invariants.

use super::*;
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::{Fortitude, Precision, Preservation},
	},
	weights::Weight,
};
use paychain_primitives::{
	accounts::{AccountRegistry, ParticipantStatus, Role},
	compliance::{AlertSink, ComplianceCheck, Verdict},
};
use sp_core::H256;
use sp_runtime::{
	traits::{CheckedAdd, CheckedSub, Saturating, Zero},
	DispatchError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	/// The current cycle.
	pub fn current_cycle() -> CycleIndex {
		CurrentCycle::<T>::get().index
	}

	/// Starts the next cycle if the current one ended before `now`; whether it did.
	pub(crate) fn roll_cycle(now: BlockNumberFor<T>) -> bool {
		let current = CurrentCycle::<T>::get();
		if now < current.end {
			return false;
		}
		CycleEnds::<T>::insert(current.index, current.end);
		let next = CycleInfo {
			index: current.index.saturating_add(1),
			start: now,
			end: now.saturating_add(CycleLength::<T>::get().max(1u32.into())),
		};
		CurrentCycle::<T>::put(next);
		Self::deposit_event(Event::CycleStarted {
			cycle: next.index,
			start: next.start,
			end: next.end,
		});
		true
	}

	/// Checks that `who` is an active clearing institution.
	fn ensure_clearing(who: &T::AccountId) -> DispatchResult {
		let ok = T::Registry::profile(who).is_some_and(|p| {
			p.status == ParticipantStatus::Active && p.role == Role::ClearingInstitution
		});
		ensure!(ok, Error::<T>::NotClearingInstitution);
		Ok(())
	}

	/// The institution `who`'s money is with: its own for an institution, its bank's for a
	/// customer.
	fn home(who: &T::AccountId) -> Option<T::AccountId> {
		Customers::<T>::get(who).or_else(|| Reserves::<T>::contains_key(who).then(|| who.clone()))
	}

	fn use_reference(institution: &T::AccountId, reference: H256) -> DispatchResult {
		ensure!(
			!References::<T>::contains_key(institution, reference),
			Error::<T>::ReferenceReused
		);
		References::<T>::insert(institution, reference, frame_system::Pallet::<T>::block_number());
		Ok(())
	}

	fn add(total: &mut BalanceOf<T>, amount: BalanceOf<T>) -> DispatchResult {
		*total = total.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		Ok(())
	}

	pub(crate) fn do_attest(
		institution: T::AccountId,
		amount: BalanceOf<T>,
		timestamp: u64,
		evidence: H256,
	) -> DispatchResult {
		Self::ensure_clearing(&institution)?;
		ensure!(amount >= Outstanding::<T>::get(&institution), Error::<T>::ReserveBelowOutstanding);
		Reserves::<T>::insert(
			&institution,
			Reserve {
				amount,
				timestamp,
				evidence,
				attested_at: frame_system::Pallet::<T>::block_number(),
				countersigned_by: None,
			},
		);
		Self::deposit_event(Event::ReserveAttested { institution, amount, evidence });
		Ok(())
	}

	pub(crate) fn do_countersign(
		regulator: T::AccountId,
		institution: T::AccountId,
	) -> DispatchResult {
		Reserves::<T>::try_mutate(&institution, |r| {
			let r = r.as_mut().ok_or(Error::<T>::NoReserve)?;
			r.countersigned_by = Some(regulator.clone());
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::ReserveCountersigned { institution, by: regulator });
		Ok(())
	}

	pub(crate) fn do_mint(
		institution: T::AccountId,
		customer: T::AccountId,
		amount: BalanceOf<T>,
		reference: H256,
	) -> Result<Weight, DispatchError> {
		Self::ensure_clearing(&institution)?;
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let active =
			T::Registry::profile(&customer).is_some_and(|p| p.status == ParticipantStatus::Active);
		ensure!(active, Error::<T>::CustomerNotActive);
		match Customers::<T>::get(&customer) {
			Some(home) => ensure!(home == institution, Error::<T>::CustomerOfAnotherInstitution),
			// An institution is its own bank, nobody's customer.
			None => ensure!(
				!Reserves::<T>::contains_key(&customer) && customer != institution,
				Error::<T>::CustomerOfAnotherInstitution
			),
		}
		let reserve = Reserves::<T>::get(&institution).ok_or(Error::<T>::NoReserve)?;
		let mut outstanding = Outstanding::<T>::get(&institution);
		Self::add(&mut outstanding, amount)?;
		ensure!(outstanding <= reserve.amount, Error::<T>::OverReserve);
		Self::use_reference(&institution, reference)?;
		// A mint creates the money: a review becomes an alert, so the check only blocks or
		// lets it through.
		let (_, refund) =
			T::Compliance::check_refundable(&institution, &customer, amount, MovementKind::Mint)?;
		T::Currency::mint_into(&customer, amount)?;
		Outstanding::<T>::insert(&institution, outstanding);
		Customers::<T>::insert(&customer, &institution);
		let cycle = Self::current_cycle();
		Totals::<T>::try_mutate(cycle, &institution, |t| Self::add(&mut t.minted, amount))?;
		Self::deposit_event(Event::Minted { institution, customer, amount, reference, cycle });
		Ok(refund)
	}

	pub(crate) fn do_redeem(
		customer: T::AccountId,
		institution: T::AccountId,
		amount: BalanceOf<T>,
		reference: H256,
	) -> Result<Weight, DispatchError> {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(Self::home(&customer) == Some(institution.clone()), Error::<T>::NotYourInstitution);
		let spendable =
			T::Currency::reducible_balance(&customer, Preservation::Preserve, Fortitude::Polite);
		ensure!(amount <= spendable, Error::<T>::InsufficientBalance);
		let outstanding = Outstanding::<T>::get(&institution)
			.checked_sub(&amount)
			.ok_or(Error::<T>::InsufficientBalance)?;
		Self::use_reference(&institution, reference)?;
		let (verdict, refund) =
			T::Compliance::check_refundable(&customer, &institution, amount, MovementKind::Burn)?;
		match verdict {
			Verdict::Proceed => {},
			Verdict::HeldForReview(_) => return Err(Error::<T>::RedemptionUnderReview.into()),
		}
		T::Currency::burn_from(
			&customer,
			amount,
			Preservation::Preserve,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		Outstanding::<T>::insert(&institution, outstanding);
		let cycle = Self::current_cycle();
		Totals::<T>::try_mutate(cycle, &institution, |t| Self::add(&mut t.burned, amount))?;
		Self::deposit_event(Event::Redeemed { institution, customer, amount, reference, cycle });
		Ok(refund)
	}

	pub(crate) fn do_close(cycle: CycleIndex) -> Result<u32, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(CycleEnds::<T>::contains_key(cycle), Error::<T>::CycleNotOver);
		ensure!(!Closed::<T>::contains_key(cycle), Error::<T>::CycleAlreadyClosed);
		let pairs = Pairs::<T>::get(cycle);
		let mut positions = 0u32;
		for (a, b) in pairs.iter() {
			let a_to_b = Flows::<T>::get(cycle, (a.clone(), b.clone()));
			let b_to_a = Flows::<T>::get(cycle, (b.clone(), a.clone()));
			let (debtor, creditor, amount) = if a_to_b >= b_to_a {
				(a, b, a_to_b.saturating_sub(b_to_a))
			} else {
				(b, a, b_to_a.saturating_sub(a_to_b))
			};
			if amount.is_zero() {
				continue;
			}
			NetPositions::<T>::insert(
				cycle,
				(debtor.clone(), creditor.clone()),
				NetPosition { amount, settled: None },
			);
			positions += 1;
			Self::deposit_event(Event::NetPositionPublished {
				cycle,
				debtor: debtor.clone(),
				creditor: creditor.clone(),
				amount,
			});
		}
		Closed::<T>::insert(cycle, now);
		Self::deposit_event(Event::CycleClosed { cycle, positions });
		Ok(pairs.len() as u32)
	}

	pub(crate) fn do_mark_settled(
		who: T::AccountId,
		cycle: CycleIndex,
		debtor: T::AccountId,
		creditor: T::AccountId,
		transfer: H256,
	) -> DispatchResult {
		ensure!(who == debtor || who == creditor, Error::<T>::NotParty);
		NetPositions::<T>::try_mutate(cycle, (debtor.clone(), creditor.clone()), |p| {
			let p = p.as_mut().ok_or(Error::<T>::UnknownPosition)?;
			ensure!(p.settled.is_none(), Error::<T>::AlreadySettled);
			p.settled = Some((transfer, frame_system::Pallet::<T>::block_number()));
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::NetPositionSettled { cycle, debtor, creditor, transfer });
		Ok(())
	}

	pub(crate) fn do_submit_statement(
		institution: T::AccountId,
		cycle: CycleIndex,
		totals: CycleTotals<BalanceOf<T>>,
		records_root: H256,
	) -> DispatchResult {
		Self::ensure_clearing(&institution)?;
		ensure!(Closed::<T>::contains_key(cycle), Error::<T>::CycleNotClosed);
		ensure!(!Statements::<T>::contains_key(cycle, &institution), Error::<T>::StatementExists);
		let chain = Totals::<T>::get(cycle, &institution);
		let differences = totals.differences(&chain);
		let result = if differences.any() {
			T::Alerts::raise(&institution, ExternalAlert::ReconciliationMismatch, records_root);
			Self::deposit_event(Event::StatementMismatched {
				cycle,
				institution: institution.clone(),
				differences,
			});
			Reconciliation::Mismatch { chain, differences }
		} else {
			Self::deposit_event(Event::StatementMatched {
				cycle,
				institution: institution.clone(),
			});
			Reconciliation::Matched
		};
		Statements::<T>::insert(
			cycle,
			&institution,
			Statement {
				totals,
				records_root,
				submitted_at: frame_system::Pallet::<T>::block_number(),
				result,
			},
		);
		Ok(())
	}

	pub(crate) fn do_flag_overdue(cycle: CycleIndex, institution: T::AccountId) -> DispatchResult {
		let closed = Closed::<T>::get(cycle).ok_or(Error::<T>::CycleNotClosed)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= closed.saturating_add(T::StatementWindow::get()), Error::<T>::NotOverdueYet);
		ensure!(!Statements::<T>::contains_key(cycle, &institution), Error::<T>::StatementExists);
		ensure!(Totals::<T>::contains_key(cycle, &institution), Error::<T>::NothingToReconcile);
		ensure!(!Overdue::<T>::contains_key(cycle, &institution), Error::<T>::AlreadyFlagged);
		Overdue::<T>::insert(cycle, &institution, now);
		let evidence = H256(sp_io::hashing::blake2_256(&cycle.encode()));
		T::Alerts::raise(&institution, ExternalAlert::ReconciliationOverdue, evidence);
		Self::deposit_event(Event::ReconciliationOverdue { cycle, institution });
		Ok(())
	}

	/// Counts a payment in the current cycle: `Ok(false)` when it is not between two
	/// institutions (a party is no institution's customer, or both are the same one's), which
	/// costs only the two lookups.
	fn record_flow(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<bool, DispatchError> {
		let (Some(a), Some(b)) = (Self::home(from), Self::home(to)) else { return Ok(false) };
		if a == b {
			return Ok(false);
		}
		let cycle = Self::current_cycle();
		Totals::<T>::try_mutate(cycle, &a, |t| Self::add(&mut t.paid_out, amount))?;
		Totals::<T>::try_mutate(cycle, &b, |t| Self::add(&mut t.paid_in, amount))?;
		let first = !Flows::<T>::contains_key(cycle, (a.clone(), b.clone()))
			&& !Flows::<T>::contains_key(cycle, (b.clone(), a.clone()));
		Flows::<T>::try_mutate(cycle, (a.clone(), b.clone()), |f| Self::add(f, amount))?;
		if first {
			Pairs::<T>::try_mutate(cycle, |pairs| pairs.try_push((a, b)))
				.map_err(|_| Error::<T>::Overflow)?;
		}
		Ok(true)
	}
}

impl<T: Config> MovementObserver<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn observe(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		_: MovementKind,
	) -> Weight {
		// An observer cannot fail the movement it hears of; a failure here (a cycle with more
		// pairs than `MaxPairs`, an overflowing total) leaves the cycle short of that payment,
		// which the institutions' statements then show as a mismatch.
		match Self::record_flow(from, to, amount) {
			Ok(false) => T::WeightInfo::observe_local(),
			Ok(true) => T::WeightInfo::observe(),
			Err(e) => {
				log::error!(target: "settlement", "a payment was not counted: {e:?}");
				T::WeightInfo::observe()
			},
		}
	}

	fn observe_weight() -> Weight {
		T::WeightInfo::observe()
	}

	fn observe_min_weight() -> Weight {
		T::WeightInfo::observe_local()
	}
}

/// The queries.
impl<T: Config> Pallet<T> {
	/// An institution's reserve and outstanding issuance.
	pub fn institution(who: T::AccountId) -> (Option<ReserveOf<T>>, BalanceOf<T>) {
		(Reserves::<T>::get(&who), Outstanding::<T>::get(&who))
	}

	/// A cycle's totals for an institution.
	pub fn cycle_totals(cycle: CycleIndex, who: T::AccountId) -> CycleTotals<BalanceOf<T>> {
		Totals::<T>::get(cycle, who)
	}

	/// A closed cycle's net positions: (debtor, creditor, position).
	pub fn net_positions(cycle: CycleIndex) -> Vec<(T::AccountId, T::AccountId, NetPositionOf<T>)> {
		NetPositions::<T>::iter_prefix(cycle).map(|((d, c), p)| (d, c, p)).collect()
	}

	/// A cycle's statements, matched or mismatched if asked.
	pub fn statements(
		cycle: CycleIndex,
		filter: Option<StatementFilter>,
	) -> Vec<(T::AccountId, StatementOf<T>)> {
		Statements::<T>::iter_prefix(cycle)
			.filter(|(_, s)| {
				matches!(
					(filter, &s.result),
					(None, _)
						| (Some(StatementFilter::Matched), Reconciliation::Matched)
						| (Some(StatementFilter::Mismatched), Reconciliation::Mismatch { .. })
				)
			})
			.collect()
	}
}

/// The invariants.
impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	/// - total issuance is the genesis supply plus every institution's outstanding issuance;
	/// - each institution's outstanding issuance is at most its attested reserve;
	/// - in every cycle, the payments in equal the payments out, and each institution's are
	///   the sum of its flows; every flow's pair is listed once;
	/// - every statement and net position belongs to a closed cycle.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut issued = GenesisSupply::<T>::get();
		for (who, outstanding) in Outstanding::<T>::iter() {
			issued = issued.checked_add(&outstanding).ok_or("an overflowing issuance")?;
			let reserve = Reserves::<T>::get(&who).ok_or("issuance without a reserve")?;
			ensure!(outstanding <= reserve.amount, "issuance over the attested reserve");
		}
		ensure!(issued == T::Currency::total_issuance(), "money made or lost outside settlement");

		let mut out: BTreeMap<(CycleIndex, T::AccountId), BalanceOf<T>> = BTreeMap::new();
		let mut inn: BTreeMap<(CycleIndex, T::AccountId), BalanceOf<T>> = BTreeMap::new();
		for (cycle, (a, b), amount) in Flows::<T>::iter() {
			let pairs = Pairs::<T>::get(cycle);
			let listed = pairs
				.iter()
				.filter(|p| **p == (a.clone(), b.clone()) || **p == (b.clone(), a.clone()))
				.count();
			ensure!(listed == 1, "a flow whose pair is not listed once");
			let o = out.entry((cycle, a)).or_default();
			*o = o.checked_add(&amount).ok_or("overflow")?;
			let i = inn.entry((cycle, b)).or_default();
			*i = i.checked_add(&amount).ok_or("overflow")?;
		}
		for (cycle, who, t) in Totals::<T>::iter() {
			let o = out.remove(&(cycle, who.clone())).unwrap_or_default();
			let i = inn.remove(&(cycle, who)).unwrap_or_default();
			ensure!(t.paid_out == o && t.paid_in == i, "totals that are not the flows'");
		}
		ensure!(out.values().chain(inn.values()).all(|x| x.is_zero()), "flows without totals");
		for (cycle, _, _) in Statements::<T>::iter() {
			ensure!(Closed::<T>::contains_key(cycle), "a statement for an open cycle");
		}
		for (cycle, _, _) in NetPositions::<T>::iter() {
			ensure!(Closed::<T>::contains_key(cycle), "a net position of an open cycle");
		}
		let current = CurrentCycle::<T>::get();
		for (cycle, _) in Closed::<T>::iter() {
			ensure!(CycleEnds::<T>::contains_key(cycle), "a closed cycle that did not end");
		}
		ensure!(current.start < current.end, "a cycle without blocks");
		ensure!(
			CycleEnds::<T>::iter_keys().all(|c| c < current.index),
			"an ended cycle at or after the current one"
		);
		Ok(())
	}
}
