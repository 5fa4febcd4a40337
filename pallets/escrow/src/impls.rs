//! The pallet's logic: every call's `do_*` function, the payments, the timeout queue, the
//! queries, the invariants and the trait implementations.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
	},
	weights::{Weight, WeightMeter},
};
use paychain_primitives::{
	accounts::{AccountRegistry, Obligations, ParticipantStatus, Role},
	compliance::{ComplianceCheck, ReviewId, Verdict},
};
use sp_core::H256;
use sp_runtime::{
	traits::{One, Saturating, Verify, Zero},
	Percent,
};

/// The most escrows a runtime-API page returns.
pub const MAX_PAGE: u32 = 100;
/// The most index entries a runtime-API page reads to fill itself.
pub const MAX_SCAN: u32 = 1_000;

/// What one payment to the payee did.
struct Payment<Balance> {
	/// What reached the payee (or is held for review).
	net: Balance,
	/// What went to the platform.
	fee: Balance,
	/// The review, if compliance holds the payment.
	review: Option<ReviewId>,
	/// What the call may refund of the compliance check's worst case it was charged.
	refund: Weight,
}

impl<T: Config> Pallet<T> {
	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Whether `who` is an active participant in `role`.
	pub(crate) fn holds_role(who: &T::AccountId, role: Role) -> bool {
		T::Registry::profile(who)
			.is_some_and(|p| p.role == role && p.status == ParticipantStatus::Active)
	}

	fn escrow(id: EscrowId) -> Result<EscrowOf<T>, DispatchError> {
		Escrows::<T>::get(id).ok_or_else(|| Error::<T>::UnknownEscrow.into())
	}

	/// `who`'s part as payer or payee.
	fn party(e: &EscrowOf<T>, who: &T::AccountId) -> Result<Party, DispatchError> {
		if *who == e.payer {
			Ok(Party::Payer)
		} else if *who == e.payee {
			Ok(Party::Payee)
		} else {
			Err(Error::<T>::NotParty.into())
		}
	}

	/// The arbiter hearing a dispute at `level`: the one named, if still an active arbiter;
	/// otherwise none (the arbitration authority).
	pub(crate) fn hearing_arbiter(e: &EscrowOf<T>, level: Level) -> Option<T::AccountId> {
		let named = match level {
			Level::First => e.arbitration.arbiter.as_ref(),
			Level::Appeal => e.arbitration.appeal_arbiter.as_ref(),
		};
		named.filter(|a| Self::holds_role(a, Role::Arbiter)).cloned()
	}

	// ----- Creation -----

	/// Both parties are active participants.
	fn ensure_active(payer: &T::AccountId, payee: &T::AccountId) -> DispatchResult {
		ensure!(T::Registry::is_active(payer), Error::<T>::PayerNotActive);
		ensure!(T::Registry::is_active(payee), Error::<T>::PayeeNotActive);
		Ok(())
	}

	/// Checks everything an agreement between `payer` and `payee` must satisfy.
	fn validate(
		payer: &T::AccountId,
		payee: &T::AccountId,
		amount: BalanceOf<T>,
		agreement: &AgreementOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(payer != payee, Error::<T>::SelfEscrow);
		Self::ensure_active(payer, payee)?;
		let t = &agreement.terms;
		for period in [t.ship_within, t.deliver_within, t.dispute_window, t.appeal_window] {
			ensure!(!period.is_zero() && period <= T::MaxPeriod::get(), Error::<T>::BadTerm);
		}
		let is_party = |who: &T::AccountId| who == payer || who == payee;
		let a = &agreement.arbitration;
		for arbiter in [&a.arbiter, &a.appeal_arbiter].into_iter().flatten() {
			ensure!(!is_party(arbiter), Error::<T>::PartyConflict);
			ensure!(Self::holds_role(arbiter, Role::Arbiter), Error::<T>::NotAnArbiter);
		}
		if let (Some(first), Some(appeal)) = (&a.arbiter, &a.appeal_arbiter) {
			ensure!(first != appeal, Error::<T>::SameArbiters);
		}
		if let Some(oracles) = &agreement.oracles {
			let n = oracles.members.len() as u32;
			ensure!(oracles.threshold >= 1 && oracles.threshold <= n, Error::<T>::BadThreshold);
			for (i, oracle) in oracles.members.iter().enumerate() {
				ensure!(
					!is_party(oracle)
						&& a.arbiter.as_ref() != Some(oracle)
						&& a.appeal_arbiter.as_ref() != Some(oracle),
					Error::<T>::PartyConflict
				);
				ensure!(
					!oracles.members.iter().take(i).any(|o| o == oracle),
					Error::<T>::DuplicateOracle
				);
				ensure!(Self::holds_role(oracle, Role::Oracle), Error::<T>::NotAnOracle);
			}
		}
		if !agreement.milestones.is_empty() {
			let mut sum = BalanceOf::<T>::zero();
			for share in agreement.milestones.iter() {
				ensure!(!share.is_zero(), Error::<T>::MilestonesMismatch);
				sum = sum.checked_add(share).ok_or(Error::<T>::Overflow)?;
			}
			ensure!(sum == amount, Error::<T>::MilestonesMismatch);
		}
		Ok(())
	}

	/// A new escrow record from an agreement.
	fn record(
		payer: T::AccountId,
		payee: T::AccountId,
		amount: BalanceOf<T>,
		agreement: AgreementOf<T>,
		status: Status<BlockNumberFor<T>>,
	) -> EscrowOf<T> {
		let milestones = agreement
			.milestones
			.iter()
			.map(|amount| Milestone { amount: *amount, released: false })
			.collect::<Vec<_>>();
		Escrow {
			payer,
			payee,
			amount,
			held: Zero::zero(),
			released: Zero::zero(),
			refunded: Zero::zero(),
			fee_rate: FeeRate::<T>::get(),
			order: agreement.order,
			terms: agreement.terms,
			arbitration: agreement.arbitration,
			oracles: agreement.oracles,
			attested: BoundedVec::new(),
			// As many as the agreement's, which has the same bound.
			milestones: BoundedVec::truncate_from(milestones),
			tracking: None,
			cancel_requested_by: None,
			status,
			created: Self::now(),
			timeout: None,
		}
	}

	/// Consults compliance about funding `e` (its parties checked active) and holds its amount
	/// on the payer. Returns what the call may refund of the check's worst case.
	fn fund(e: &mut EscrowOf<T>) -> Result<Weight, DispatchError> {
		let spendable =
			T::Currency::reducible_balance(&e.payer, Preservation::Preserve, Fortitude::Polite);
		ensure!(e.amount <= spendable, Error::<T>::InsufficientBalance);
		let (verdict, refund) = T::Compliance::check_refundable(
			&e.payer,
			&e.payee,
			e.amount,
			MovementKind::EscrowFund,
		)?;
		match verdict {
			Verdict::Proceed => {},
			// Funding is only checked at the gates; a compliance that would review it cannot be
			// served without moving the money out of the escrow's reach.
			Verdict::HeldForReview(_) => return Err(Error::<T>::FundingUnderReview.into()),
		}
		T::Currency::hold(&HoldReason::Escrow.into(), &e.payer, e.amount)?;
		e.held = e.amount;
		Ok(refund)
	}

	/// Indexes a new escrow under its parties and counts it open.
	fn index(id: EscrowId, e: &EscrowOf<T>) {
		AccountEscrows::<T>::insert(&e.payer, id, Party::Payer);
		AccountEscrows::<T>::insert(&e.payee, id, Party::Payee);
		if let Some(arbiter) = &e.arbitration.arbiter {
			AccountEscrows::<T>::insert(arbiter, id, Party::Arbiter);
		}
		if let Some(arbiter) = &e.arbitration.appeal_arbiter {
			AccountEscrows::<T>::insert(arbiter, id, Party::AppealArbiter);
		}
		for oracle in e.oracles.iter().flat_map(|o| o.members.iter()) {
			AccountEscrows::<T>::insert(oracle, id, Party::Oracle);
		}
		OpenEscrows::<T>::mutate(&e.payer, |n| *n = n.saturating_add(1));
		OpenEscrows::<T>::mutate(&e.payee, |n| *n = n.saturating_add(1));
	}

	/// Gives a new escrow its id, queues its first timeout at `deadline` and indexes it; the
	/// caller reports and stores it.
	fn open(e: &mut EscrowOf<T>, deadline: BlockNumberFor<T>) -> Result<EscrowId, DispatchError> {
		let id = NextEscrowId::<T>::get();
		NextEscrowId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		e.timeout = Some(Self::schedule(id, deadline)?);
		Self::index(id, e);
		Ok(id)
	}

	pub(crate) fn do_create(
		payer: T::AccountId,
		payee: T::AccountId,
		amount: BalanceOf<T>,
		agreement: AgreementOf<T>,
	) -> Result<Weight, DispatchError> {
		Self::validate(&payer, &payee, amount, &agreement)?;
		let now = Self::now();
		let ship_by = now.saturating_add(agreement.terms.ship_within);
		let commitment = agreement.order.commitment;
		let mut e = Self::record(payer, payee, amount, agreement, Status::Funded { ship_by });
		let refund = Self::fund(&mut e)?;
		let id = Self::open(&mut e, ship_by)?;
		Self::deposit_event(Event::EscrowCreated {
			escrow_id: id,
			payer: e.payer.clone(),
			payee: e.payee.clone(),
			amount,
			order_commitment: commitment,
		});
		Escrows::<T>::insert(id, e);
		Ok(refund)
	}

	pub(crate) fn do_request(
		payer: T::AccountId,
		payee: T::AccountId,
		amount: BalanceOf<T>,
		agreement: AgreementOf<T>,
	) -> DispatchResult {
		Self::validate(&payer, &payee, amount, &agreement)?;
		let expires = Self::now().saturating_add(T::RequestLifetime::get());
		let mut e = Self::record(payer, payee, amount, agreement, Status::Requested { expires });
		let id = Self::open(&mut e, expires)?;
		Self::deposit_event(Event::PaymentRequested {
			escrow_id: id,
			payer: e.payer.clone(),
			payee: e.payee.clone(),
			amount,
			expires,
		});
		Escrows::<T>::insert(id, e);
		Ok(())
	}

	pub(crate) fn do_accept_request(
		who: T::AccountId,
		id: EscrowId,
	) -> Result<Weight, DispatchError> {
		let mut e = Self::escrow(id)?;
		ensure!(who == e.payer, Error::<T>::NotPayer);
		let Status::Requested { expires } = e.status else {
			return Err(Error::<T>::WrongStatus.into());
		};
		let now = Self::now();
		ensure!(now < expires, Error::<T>::RequestExpired);
		Self::ensure_active(&e.payer, &e.payee)?;
		// The fee in force when the money goes in.
		e.fee_rate = FeeRate::<T>::get();
		let refund = Self::fund(&mut e)?;
		let ship_by = now.saturating_add(e.terms.ship_within);
		e.status = Status::Funded { ship_by };
		e.timeout = Some(Self::schedule(id, ship_by)?);
		Self::deposit_event(Event::RequestAccepted { escrow_id: id, amount: e.amount });
		Escrows::<T>::insert(id, e);
		Ok(refund)
	}

	pub(crate) fn do_cancel_request(who: T::AccountId, id: EscrowId) -> DispatchResult {
		let mut e = Self::escrow(id)?;
		Self::party(&e, &who)?;
		ensure!(matches!(e.status, Status::Requested { .. }), Error::<T>::WrongStatus);
		Self::deposit_event(Event::RequestCancelled { escrow_id: id });
		Self::close(id, &mut e, Outcome::RequestCancelled)
	}

	// ----- The trade -----

	pub(crate) fn do_ship(who: T::AccountId, id: EscrowId, tracking: H256) -> DispatchResult {
		let mut e = Self::escrow(id)?;
		ensure!(who == e.payee, Error::<T>::NotPayee);
		let Status::Funded { ship_by } = e.status else {
			return Err(Error::<T>::WrongStatus.into());
		};
		let now = Self::now();
		ensure!(now < ship_by, Error::<T>::ShippingDeadlinePassed);
		let deliver_by = now.saturating_add(e.terms.deliver_within);
		e.timeout = Some(Self::schedule(id, deliver_by)?);
		e.tracking = Some(tracking);
		e.status = Status::Shipped { deliver_by };
		Self::deposit_event(Event::Shipped { escrow_id: id, tracking, deliver_by });
		Escrows::<T>::insert(id, e);
		Ok(())
	}

	/// The time to confirm a shipped escrow's delivery, if it is shipped.
	fn confirmable(e: &EscrowOf<T>) -> DispatchResult {
		let Status::Shipped { deliver_by } = e.status else {
			return Err(Error::<T>::WrongStatus.into());
		};
		ensure!(Self::now() < deliver_by, Error::<T>::ConfirmationTooLate);
		Ok(())
	}

	/// Marks `e` delivered and starts its dispute window.
	fn deliver(id: EscrowId, e: &mut EscrowOf<T>) -> DispatchResult {
		let release_at = Self::now().saturating_add(e.terms.dispute_window);
		e.timeout = Some(Self::schedule(id, release_at)?);
		e.status = Status::Delivered { release_at };
		Self::deposit_event(Event::Delivered { escrow_id: id, release_at });
		Ok(())
	}

	pub(crate) fn do_confirm_delivery(who: T::AccountId, id: EscrowId) -> DispatchResult {
		let mut e = Self::escrow(id)?;
		ensure!(who == e.payer, Error::<T>::NotPayer);
		Self::confirmable(&e)?;
		Self::deliver(id, &mut e)?;
		Escrows::<T>::insert(id, e);
		Ok(())
	}

	/// Records delivery attestations by `oracles` (already authenticated) and confirms delivery
	/// at the threshold.
	pub(crate) fn do_attest(id: EscrowId, oracles: Vec<T::AccountId>) -> DispatchResult {
		let mut e = Self::escrow(id)?;
		Self::confirmable(&e)?;
		let set = e.oracles.clone().ok_or(Error::<T>::NoOracles)?;
		for oracle in &oracles {
			ensure!(set.members.contains(oracle), Error::<T>::NotEscrowOracle);
			ensure!(!e.attested.contains(oracle), Error::<T>::DuplicateAttestation);
			ensure!(Self::holds_role(oracle, Role::Oracle), Error::<T>::NotAnOracle);
			// Members are at most `MaxOracles` and never attest twice.
			e.attested.try_push(oracle.clone()).map_err(|_| Error::<T>::Overflow)?;
		}
		let count = e.attested.len() as u32;
		if count >= set.threshold {
			Self::deliver(id, &mut e)?;
		}
		for oracle in oracles {
			Self::deposit_event(Event::DeliveryAttested {
				escrow_id: id,
				oracle,
				attestations: count,
			});
		}
		Escrows::<T>::insert(id, e);
		Ok(())
	}

	pub(crate) fn do_submit_attestations(
		id: EscrowId,
		attestations: BoundedVec<AttestationOf<T>, T::MaxOracles>,
	) -> DispatchResult {
		ensure!(!attestations.is_empty(), Error::<T>::NoAttestations);
		let e = Self::escrow(id)?;
		let tracking = e.tracking.ok_or(Error::<T>::WrongStatus)?;
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let payload = attestation_payload(&genesis, id, tracking);
		for a in attestations.iter() {
			ensure!(a.signature.verify(&payload[..], &a.oracle), Error::<T>::BadSignature);
		}
		Self::do_attest(id, attestations.into_iter().map(|a| a.oracle).collect())
	}

	// ----- Payments -----

	/// Pays `gross` of what is held to the payee: releases that much of the hold, asks
	/// compliance, moves `gross - fee` to the payee (unless compliance holds it for review) and
	/// the fee to the platform. On an error the caller must discard every write.
	fn pay_payee(
		e: &mut EscrowOf<T>,
		gross: BalanceOf<T>,
	) -> Result<Payment<BalanceOf<T>>, DispatchError> {
		ensure!(gross <= e.held, Error::<T>::Overflow);
		let fee = e.fee_rate.mul_floor(gross);
		let net = gross.saturating_sub(fee);
		T::Currency::release(&HoldReason::Escrow.into(), &e.payer, gross, Precision::Exact)?;
		let mut review = None;
		// Nothing to check: the check the call was charged for did not run.
		let mut refund = T::Compliance::check_weight();
		if !net.is_zero() {
			let verdict;
			(verdict, refund) = T::Compliance::check_refundable(
				&e.payer,
				&e.payee,
				net,
				MovementKind::EscrowRelease,
			)?;
			match verdict {
				Verdict::Proceed => {
					T::Currency::transfer(&e.payer, &e.payee, net, Preservation::Expendable)?;
				},
				Verdict::HeldForReview(id) => review = Some(id),
			}
		}
		if !fee.is_zero() {
			T::Currency::transfer(
				&e.payer,
				&T::FeeDestination::get(),
				fee,
				Preservation::Expendable,
			)?;
		}
		e.held = e.held.saturating_sub(gross);
		e.released = e.released.saturating_add(gross);
		Ok(Payment { net, fee, review, refund })
	}

	/// Reports a payment to the payee.
	fn payment_event(id: EscrowId, e: &EscrowOf<T>, payment: &Payment<BalanceOf<T>>) {
		Self::deposit_event(match payment.review {
			Some(review) => {
				Event::ReleaseHeldForReview { escrow_id: id, review, amount: payment.net }
			},
			None => Event::Released {
				escrow_id: id,
				to: e.payee.clone(),
				amount: payment.net,
				fee: payment.fee,
			},
		});
	}

	/// The outcome of paying everything left to the payee.
	fn paid_outcome(ruling: Option<Percent>, review: Option<ReviewId>) -> Outcome {
		match ruling {
			Some(payee_share) => Outcome::Split { payee_share, review },
			None => Outcome::Released { review },
		}
	}

	/// Pays everything held to the payee (the share of a ruling, if one decided it) and closes
	/// the escrow. On an error the caller must discard every write.
	/// Returns what the call may refund of the check's worst case.
	fn pay_all(
		id: EscrowId,
		e: &mut EscrowOf<T>,
		ruling: Option<Percent>,
	) -> Result<Weight, DispatchError> {
		let gross = e.held;
		let payment = Self::pay_payee(e, gross)?;
		Self::payment_event(id, e, &payment);
		Self::close(id, e, Self::paid_outcome(ruling, payment.review))?;
		Ok(payment.refund)
	}

	/// Pays everything held to the payee as decided by a timeout or a ruling; if compliance
	/// blocks it, nothing moves and the escrow waits for the payment to be retried or a
	/// regulator.
	fn pay_decided(id: EscrowId, e: &mut EscrowOf<T>, ruling: Option<Percent>) -> DispatchResult {
		let mut attempt = e.clone();
		match with_storage_layer(|| Self::pay_all(id, &mut attempt, ruling)) {
			Ok(_) => {
				*e = attempt;
				Ok(())
			},
			Err(error) => {
				e.status = Status::AwaitingCompliance { since: Self::now(), ruling };
				e.timeout = None;
				Self::deposit_event(Event::ReleaseBlocked { escrow_id: id, error });
				Escrows::<T>::insert(id, e.clone());
				Ok(())
			},
		}
	}

	/// Returns `amount` of what is held to the payer: that much of the hold is released,
	/// nothing moves.
	fn return_to_payer(id: EscrowId, e: &mut EscrowOf<T>, amount: BalanceOf<T>) -> DispatchResult {
		if !amount.is_zero() {
			T::Currency::release(&HoldReason::Escrow.into(), &e.payer, amount, Precision::Exact)?;
		}
		e.held = e.held.saturating_sub(amount);
		e.refunded = e.refunded.saturating_add(amount);
		Self::deposit_event(Event::Refunded { escrow_id: id, to: e.payer.clone(), amount });
		Ok(())
	}

	/// Returns everything held to the payer.
	fn refund_all(id: EscrowId, e: &mut EscrowOf<T>) -> DispatchResult {
		let amount = e.held;
		Self::return_to_payer(id, e, amount)
	}

	/// Carries out a ruling: the payer's share back, the payee's share paid.
	fn execute_ruling(id: EscrowId, e: &mut EscrowOf<T>, payee_share: Percent) -> DispatchResult {
		let to_payee = payee_share.mul_floor(e.held);
		let to_payer = e.held.saturating_sub(to_payee);
		if !to_payer.is_zero() {
			Self::return_to_payer(id, e, to_payer)?;
		}
		if to_payee.is_zero() {
			Self::close(id, e, Outcome::Split { payee_share, review: None })
		} else {
			Self::pay_decided(id, e, Some(payee_share))
		}
	}

	/// Closes `e`: nothing is held any more. It stays for the retention period.
	fn close(id: EscrowId, e: &mut EscrowOf<T>, outcome: Outcome) -> DispatchResult {
		let now = Self::now();
		e.timeout = Some(Self::schedule(id, now.saturating_add(T::Retention::get()))?);
		e.status = Status::Closed { outcome, at: now };
		e.cancel_requested_by = None;
		for who in [&e.payer, &e.payee] {
			OpenEscrows::<T>::mutate_exists(who, |n| {
				*n = n.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
			});
		}
		Self::deposit_event(Event::EscrowClosed { escrow_id: id, outcome });
		Escrows::<T>::insert(id, e.clone());
		Ok(())
	}

	/// The statuses in which the payer may release: funded, shipped or delivered.
	fn releasable(e: &EscrowOf<T>) -> DispatchResult {
		ensure!(
			matches!(
				e.status,
				Status::Funded { .. } | Status::Shipped { .. } | Status::Delivered { .. }
			),
			Error::<T>::WrongStatus
		);
		Ok(())
	}

	pub(crate) fn do_release(who: T::AccountId, id: EscrowId) -> Result<Weight, DispatchError> {
		let mut e = Self::escrow(id)?;
		ensure!(who == e.payer, Error::<T>::NotPayer);
		Self::releasable(&e)?;
		for m in e.milestones.iter_mut() {
			m.released = true;
		}
		Self::pay_all(id, &mut e, None)
	}

	pub(crate) fn do_release_milestone(
		who: T::AccountId,
		id: EscrowId,
		index: u32,
	) -> Result<Weight, DispatchError> {
		let mut e = Self::escrow(id)?;
		ensure!(who == e.payer, Error::<T>::NotPayer);
		Self::releasable(&e)?;
		let milestone =
			e.milestones.get(index as usize).copied().ok_or(Error::<T>::UnknownMilestone)?;
		ensure!(!milestone.released, Error::<T>::MilestoneReleased);
		let payment = Self::pay_payee(&mut e, milestone.amount)?;
		if let Some(m) = e.milestones.get_mut(index as usize) {
			m.released = true;
		}
		Self::deposit_event(Event::MilestoneReleased {
			escrow_id: id,
			index,
			amount: payment.net,
			fee: payment.fee,
		});
		if let Some(review) = payment.review {
			Self::deposit_event(Event::ReleaseHeldForReview {
				escrow_id: id,
				review,
				amount: payment.net,
			});
		}
		if e.held.is_zero() {
			Self::close(id, &mut e, Outcome::Released { review: payment.review })?;
		} else {
			Escrows::<T>::insert(id, e);
		}
		Ok(payment.refund)
	}

	pub(crate) fn do_cancel(who: T::AccountId, id: EscrowId) -> DispatchResult {
		let mut e = Self::escrow(id)?;
		let party = Self::party(&e, &who)?;
		ensure!(
			matches!(e.status, Status::Funded { .. } | Status::Shipped { .. }),
			Error::<T>::WrongStatus
		);
		match e.cancel_requested_by {
			Some(asked) if asked == party => Err(Error::<T>::AlreadyRequested.into()),
			Some(_) => {
				Self::refund_all(id, &mut e)?;
				Self::close(id, &mut e, Outcome::Refunded)
			},
			None => {
				e.cancel_requested_by = Some(party);
				Self::deposit_event(Event::CancelRequested { escrow_id: id, by: party });
				Escrows::<T>::insert(id, e);
				Ok(())
			},
		}
	}

	pub(crate) fn do_refund(who: T::AccountId, id: EscrowId) -> DispatchResult {
		let mut e = Self::escrow(id)?;
		ensure!(who == e.payee, Error::<T>::NotPayee);
		ensure!(e.status.holds_funds(), Error::<T>::WrongStatus);
		Self::refund_all(id, &mut e)?;
		Self::close(id, &mut e, Outcome::Refunded)
	}

	// ----- Disputes -----

	pub(crate) fn do_open_dispute(who: T::AccountId, id: EscrowId, reason: H256) -> DispatchResult {
		let e = Self::escrow(id)?;
		let party = Self::party(&e, &who)?;
		match e.status {
			Status::Shipped { .. } => {},
			Status::Delivered { release_at } => {
				ensure!(Self::now() < release_at, Error::<T>::DisputeWindowClosed)
			},
			_ => return Err(Error::<T>::WrongStatus.into()),
		}
		Self::dispute(id, e, Level::First, party, reason);
		Ok(())
	}

	/// Puts `e` before the arbiter at `level`. Its queued timeout, if any, finds it disputed and
	/// does nothing.
	fn dispute(id: EscrowId, mut e: EscrowOf<T>, level: Level, by: Party, reason: H256) {
		e.timeout = None;
		e.status = Status::Disputed { level, opened_by: by, reason };
		Self::deposit_event(Event::DisputeOpened { escrow_id: id, by, level, reason });
		Escrows::<T>::insert(id, e);
	}

	/// `arbiter`: the signed caller, or none for the arbitration authority.
	pub(crate) fn do_rule(
		arbiter: Option<T::AccountId>,
		id: EscrowId,
		payer_share: Percent,
		payee_share: Percent,
	) -> DispatchResult {
		ensure!(
			u16::from(payer_share.deconstruct()) + u16::from(payee_share.deconstruct()) == 100,
			Error::<T>::SplitNotWhole
		);
		let mut e = Self::escrow(id)?;
		let Status::Disputed { level, .. } = e.status else {
			return Err(Error::<T>::WrongStatus.into());
		};
		ensure!(arbiter == Self::hearing_arbiter(&e, level), Error::<T>::NotArbiter);
		Self::deposit_event(Event::DisputeRuled {
			escrow_id: id,
			level,
			arbiter,
			payer_share,
			payee_share,
		});
		match level {
			Level::First => {
				let appeal_until = Self::now().saturating_add(e.terms.appeal_window);
				e.timeout = Some(Self::schedule(id, appeal_until)?);
				e.status = Status::Ruled { payee_share, appeal_until };
				Escrows::<T>::insert(id, e);
				Ok(())
			},
			Level::Appeal => Self::execute_ruling(id, &mut e, payee_share),
		}
	}

	pub(crate) fn do_appeal(who: T::AccountId, id: EscrowId, reason: H256) -> DispatchResult {
		let e = Self::escrow(id)?;
		let party = Self::party(&e, &who)?;
		let Status::Ruled { appeal_until, .. } = e.status else {
			return Err(Error::<T>::WrongStatus.into());
		};
		ensure!(Self::now() < appeal_until, Error::<T>::AppealWindowClosed);
		Self::dispute(id, e, Level::Appeal, party, reason);
		Ok(())
	}

	// ----- Compliance waits and regulators -----

	/// `who`: the signed caller, or none for a regulator.
	pub(crate) fn do_retry_release(who: Option<T::AccountId>, id: EscrowId) -> DispatchResult {
		let mut e = Self::escrow(id)?;
		if let Some(who) = &who {
			Self::party(&e, who)?;
		}
		let Status::AwaitingCompliance { ruling, .. } = e.status else {
			return Err(Error::<T>::WrongStatus.into());
		};
		Self::pay_all(id, &mut e, ruling).map(|_| ())
	}

	pub(crate) fn do_force_refund(id: EscrowId, basis: H256) -> DispatchResult {
		let mut e = Self::escrow(id)?;
		ensure!(e.status.holds_funds(), Error::<T>::WrongStatus);
		Self::refund_all(id, &mut e)?;
		Self::deposit_event(Event::RefundOrdered { escrow_id: id, basis });
		Self::close(id, &mut e, Outcome::Refunded)
	}

	// ----- The timeout queue -----

	/// Queues escrow `id`'s next automatic step at block `at`; returns `at`.
	pub(crate) fn schedule(
		id: EscrowId,
		at: BlockNumberFor<T>,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let index = QueueLength::<T>::get(at);
		QueueLength::<T>::insert(at, index.checked_add(1).ok_or(Error::<T>::Overflow)?);
		TimeoutQueue::<T>::insert(at, index, id);
		// Every entry before the head is done; a block before it starts afresh at index 0.
		if QueueHead::<T>::get().is_none_or(|(block, _)| at < block) {
			QueueHead::<T>::put((at, index));
		}
		Ok(at)
	}

	/// The most one queued timeout may cost: a payment to the payee (with its compliance check)
	/// or a record's removal.
	pub fn timeout_weight() -> Weight {
		T::WeightInfo::timeout_release()
			.saturating_add(T::Compliance::check_weight())
			.max(T::WeightInfo::timeout_remove(T::MaxOracles::get()))
	}

	/// Works through the due queue entries in order, as far as `meter` allows: one read and one
	/// write per block passed, at most [`Self::timeout_weight`] per entry.
	pub(crate) fn process_timeouts(now: BlockNumberFor<T>, meter: &mut WeightMeter) {
		let db = T::DbWeight::get();
		if meter.try_consume(db.reads(1)).is_err() {
			return;
		}
		let Some(start) = QueueHead::<T>::get() else { return };
		let (mut block, mut index) = start;
		let item = Self::timeout_weight();
		while block <= now && meter.try_consume(db.reads_writes(1, 1)).is_ok() {
			// Nothing can be queued at a block that has come: the length stays put.
			let length = QueueLength::<T>::get(block);
			while index < length && meter.try_consume(item).is_ok() {
				if let Some(id) = TimeoutQueue::<T>::take(block, index) {
					Self::on_timeout(id, block);
				}
				index = index.saturating_add(1);
			}
			if index < length {
				break;
			}
			QueueLength::<T>::remove(block);
			block = block.saturating_add(One::one());
			index = 0;
		}
		if (block, index) != start {
			QueueHead::<T>::put((block, index));
		}
	}

	/// Takes escrow `id`'s automatic step queued at block `at`, if it is still due: a lapsed
	/// request, a refund for a missed shipping deadline, a delivery confirmed by time, a release
	/// after the dispute window, a ruling carried out, or a closed record removed.
	pub(crate) fn on_timeout(id: EscrowId, at: BlockNumberFor<T>) {
		let Some(mut e) = Escrows::<T>::get(id) else { return };
		if e.timeout != Some(at) {
			// Stale: the escrow moved on and queued its next step elsewhere, or has none.
			return;
		}
		e.timeout = None;
		let result = with_storage_layer(|| -> DispatchResult {
			match e.status {
				Status::Requested { .. } => {
					Self::deposit_event(Event::RequestCancelled { escrow_id: id });
					Self::close(id, &mut e, Outcome::RequestCancelled)
				},
				Status::Funded { .. } => {
					Self::refund_all(id, &mut e)?;
					Self::close(id, &mut e, Outcome::Refunded)
				},
				Status::Shipped { .. } => {
					Self::deliver(id, &mut e)?;
					Escrows::<T>::insert(id, e.clone());
					Ok(())
				},
				Status::Delivered { .. } => Self::pay_decided(id, &mut e, None),
				Status::Ruled { payee_share, .. } => Self::execute_ruling(id, &mut e, payee_share),
				Status::Closed { .. } => {
					Self::remove(id, &e);
					Ok(())
				},
				Status::Disputed { .. } | Status::AwaitingCompliance { .. } => Ok(()),
			}
		});
		if let Err(error) = result {
			// Not expected (a counter overflow); try again in the next block.
			log::error!(target: "escrow", "escrow {id}: timeout failed: {error:?}");
			let retry = Self::now().saturating_add(One::one());
			if let Ok(block) = Self::schedule(id, retry) {
				Escrows::<T>::mutate(id, |e| {
					if let Some(e) = e {
						e.timeout = Some(block);
					}
				});
			}
		}
	}

	/// Removes a closed escrow's record and index entries.
	fn remove(id: EscrowId, e: &EscrowOf<T>) {
		AccountEscrows::<T>::remove(&e.payer, id);
		AccountEscrows::<T>::remove(&e.payee, id);
		for arbiter in [&e.arbitration.arbiter, &e.arbitration.appeal_arbiter].into_iter().flatten()
		{
			AccountEscrows::<T>::remove(arbiter, id);
		}
		for oracle in e.oracles.iter().flat_map(|o| o.members.iter()) {
			AccountEscrows::<T>::remove(oracle, id);
		}
		Escrows::<T>::remove(id);
		Self::deposit_event(Event::EscrowRemoved { escrow_id: id });
	}

	// ----- Queries -----

	/// `who`'s escrows in which it plays `party` (any, if none) and that are in `status` (any, if
	/// none): at most `limit` (capped at [`MAX_PAGE`]) after `start_after`, reading at most
	/// [`MAX_SCAN`] index entries. The order is the index's storage order.
	pub fn escrows_of(
		who: T::AccountId,
		party: Option<Party>,
		status: Option<StatusKind>,
		start_after: Option<EscrowId>,
		limit: u32,
	) -> Page<EscrowOf<T>> {
		let limit = limit.min(MAX_PAGE) as usize;
		let iter = match start_after {
			Some(id) => AccountEscrows::<T>::iter_prefix_from(
				&who,
				AccountEscrows::<T>::hashed_key_for(&who, id),
			),
			None => AccountEscrows::<T>::iter_prefix(&who),
		};
		let mut items = Vec::new();
		let mut last = None;
		for (scanned, (id, role)) in iter.enumerate() {
			if items.len() >= limit || scanned >= MAX_SCAN as usize {
				return Page { items, next: last };
			}
			last = Some(id);
			if party.is_some_and(|p| p != role) {
				continue;
			}
			if let Some(e) = Escrows::<T>::get(id) {
				if status.is_none_or(|s| s == e.status.kind()) {
					items.push((id, e));
				}
			}
		}
		Page { items, next: None }
	}

	/// What happens next to escrow `id`, and when.
	pub fn next_step(id: EscrowId) -> Option<NextStepOf<T>> {
		let e = Escrows::<T>::get(id)?;
		Some(match e.status {
			Status::Requested { expires } => NextStep::PayerToAccept { expires },
			Status::Funded { ship_by } => NextStep::PayeeToShip { refund_at: ship_by },
			Status::Shipped { deliver_by } => {
				NextStep::DeliveryToConfirm { confirmed_at: deliver_by }
			},
			Status::Delivered { release_at } => NextStep::ReleaseAfterWindow { release_at },
			Status::Disputed { level, .. } => {
				NextStep::RulingAwaited { level, arbiter: Self::hearing_arbiter(&e, level) }
			},
			Status::Ruled { appeal_until, .. } => {
				NextStep::RulingCarriedOut { execute_at: appeal_until }
			},
			Status::AwaitingCompliance { .. } => NextStep::RegulatorDecision,
			Status::Closed { at, .. } => {
				NextStep::Removal { removed_at: at.saturating_add(T::Retention::get()) }
			},
		})
	}

	// ----- Invariants -----

	/// The pallet's invariants:
	/// - every funded escrow adds up: `released + refunded + held = amount` (an unfunded request
	///   has all three zero), and only open funded
	///   escrows hold anything; unreleased milestones add up to what is held;
	/// - for every payer, the balance held under the escrow reason is the sum of `held` over its
	///   escrows;
	/// - every escrow is indexed under its payer and payee, and the open counts are right;
	/// - every status that waits on time has its entry in its block's queue, at or after the
	///   head; every entry left is at or after the head.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut open: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let head = QueueHead::<T>::get();
		let next = NextEscrowId::<T>::get();
		for (id, e) in Escrows::<T>::iter() {
			ensure!(id < next, "an escrow id was never given out");
			let never_funded = matches!(
				e.status,
				Status::Requested { .. }
					| Status::Closed { outcome: Outcome::RequestCancelled, .. }
			);
			let accounted = e.released.saturating_add(e.refunded).saturating_add(e.held);
			ensure!(
				accounted == if never_funded { Zero::zero() } else { e.amount },
				"an escrow does not add up"
			);
			// Every payer is checked, also one whose escrows are all closed.
			let sum = held.entry(e.payer.clone()).or_default();
			if e.status.holds_funds() {
				*sum = sum.saturating_add(e.held);
			} else {
				ensure!(e.held.is_zero(), "a requested or closed escrow holds funds");
			}
			if matches!(
				e.status,
				Status::Funded { .. } | Status::Shipped { .. } | Status::Delivered { .. }
			) && !e.milestones.is_empty()
			{
				let unreleased = e
					.milestones
					.iter()
					.filter(|m| !m.released)
					.fold(BalanceOf::<T>::zero(), |s, m| s.saturating_add(m.amount));
				ensure!(unreleased == e.held, "unreleased milestones differ from what is held");
			}
			if !e.status.is_closed() {
				for who in [&e.payer, &e.payee] {
					*open.entry(who.clone()).or_default() += 1;
				}
			}
			ensure!(
				AccountEscrows::<T>::get(&e.payer, id) == Some(Party::Payer)
					&& AccountEscrows::<T>::get(&e.payee, id) == Some(Party::Payee),
				"an escrow is not indexed under its parties"
			);
			let waits_on_time =
				!matches!(e.status, Status::Disputed { .. } | Status::AwaitingCompliance { .. });
			ensure!(
				e.timeout.is_some() == waits_on_time,
				"an escrow's timeout is missing or stray"
			);
			if let Some(at) = e.timeout {
				ensure!(
					TimeoutQueue::<T>::iter_prefix(at).any(|(_, queued)| queued == id),
					"a timeout is not queued"
				);
				ensure!(head.is_some_and(|(block, _)| block <= at), "a timeout is behind the head");
			}
		}
		for (at, index, _) in TimeoutQueue::<T>::iter() {
			ensure!(index < QueueLength::<T>::get(at), "a queue entry beyond its length");
			ensure!(head.is_some_and(|h| h <= (at, index)), "a queue entry behind the head");
		}
		for (who, sum) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Escrow.into(), &who) == sum,
				"a payer's escrow hold differs from its escrows"
			);
		}
		ensure!(
			OpenEscrows::<T>::iter().count() == open.len(),
			"open-escrow counts for accounts without open escrows"
		);
		for (who, count) in open {
			ensure!(OpenEscrows::<T>::get(&who) == count, "an open-escrow count is wrong");
		}
		Ok(())
	}
}

impl<T: Config> Obligations<T::AccountId> for Pallet<T> {
	/// Payer or payee of an open escrow (including an unanswered request).
	fn has_obligations(who: &T::AccountId) -> bool {
		OpenEscrows::<T>::contains_key(who)
	}
}
