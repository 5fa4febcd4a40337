//! What the calls do, the queries of the runtime API, and the invariants.

use super::*;
use crate::commitment::{amount_leaf, stage_payload, CNY};
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
		UnixTime,
	},
};
use paychain_primitives::{
	accounts::{AccountRegistry, KeyCheckError, Obligations, ParticipantStatus},
	compliance::{AlertSink, ComplianceCheck, Verdict},
};
use sp_core::H256;
use sp_runtime::traits::{UniqueSaturatedInto, Zero};

/// The most items a query returns.
pub const MAX_PAGE: u32 = 100;
/// The most index entries a query looks at.
pub const MAX_SCAN: u32 = 1_000;

/// What recording a stage did, for the weight the call returns.
pub(crate) enum Recorded {
	/// The stage passed and another follows: nothing was paid, released or checked.
	Passed,
	/// The stage ended the order (completed and paid, stopped, or suspected of tampering),
	/// with what the call may refund of the compliance check's worst case.
	Ended { refund: Weight },
}

impl<T: Config> From<KeyCheckError> for Error<T> {
	fn from(e: KeyCheckError) -> Self {
		match e {
			KeyCheckError::UnknownKey => Error::<T>::UnknownKey,
			KeyCheckError::Revoked => Error::<T>::KeyRevoked,
			KeyCheckError::OutsideValidity => Error::<T>::KeyNotValid,
			KeyCheckError::BadSignature => Error::<T>::BadSignature,
			KeyCheckError::InstitutionNotActive => Error::<T>::InstitutionNotActive,
		}
	}
}

impl<T: Config> Pallet<T> {
	fn reason() -> T::RuntimeHoldReason {
		HoldReason::Settlement.into()
	}

	/// Checks a workflow: at least two stages.
	pub(crate) fn check_workflow(stages: &WorkflowOf<T>) -> DispatchResult {
		ensure!(stages.len() >= 2, Error::<T>::WorkflowTooShort);
		Ok(())
	}

	/// The genesis hash, which every stage's signature is bound to.
	fn genesis_hash() -> H256 {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		H256::from_slice(hash.as_ref())
	}

	/// Checks a submitted stage: a well-formed commitment, signed by `institution` with one of
	/// its keys valid now over the stage's payload.
	fn verify(
		institution: &T::AccountId,
		reference: &OrderRef,
		stage: StageIndex,
		signed: &SignedStage,
	) -> DispatchResult {
		ensure!(signed.commitment.is_well_formed(), Error::<T>::MalformedCommitment);
		let payload = stage_payload(
			&Self::genesis_hash(),
			reference,
			stage,
			signed.result,
			&signed.commitment.root,
		);
		T::Registry::verify_institution_signature(
			institution,
			&signed.key,
			&payload,
			&signed.signature,
		)
		.map_err(Error::<T>::from)?;
		Ok(())
	}

	fn record(
		institution: T::AccountId,
		reference: &OrderRef,
		stage: StageIndex,
		signed: SignedStage,
	) -> StageRecordOf<T> {
		let record = StageRecord {
			institution,
			key: signed.key,
			signature: signed.signature,
			commitment: signed.commitment,
			result: signed.result,
			at: frame_system::Pallet::<T>::block_number(),
			timestamp: T::Time::now().as_millis().unique_saturated_into(),
		};
		Stages::<T>::insert(reference, stage, record.clone());
		record
	}

	pub(crate) fn do_open(
		opener: T::AccountId,
		reference: OrderRef,
		business_type: BusinessType,
		source: BoundedVec<u8, T::MaxSourceLen>,
		handlers: BoundedVec<T::AccountId, T::MaxStages>,
		application: SignedStage,
		settlement: Option<Settlement<T::AccountId, BalanceOf<T>>>,
	) -> DispatchResult {
		ensure!(!Orders::<T>::contains_key(reference), Error::<T>::DuplicateReference);
		let workflow = Workflows::<T>::get(business_type).ok_or(Error::<T>::UnknownBusinessType)?;
		ensure!(
			handlers.len() == workflow.len() && handlers.first() == Some(&opener),
			Error::<T>::WrongHandlers
		);
		for (handler, spec) in handlers.iter().zip(workflow.iter()) {
			let qualified = T::Registry::profile(handler)
				.is_some_and(|p| p.status == ParticipantStatus::Active && p.role == spec.role);
			ensure!(qualified, Error::<T>::HandlerNotQualified);
		}
		ensure!(application.result == StageResult::Passed, Error::<T>::ApplicationNotPassed);
		Self::verify(&opener, &reference, 0, &application)?;
		if let Some(s) = &settlement {
			ensure!(!s.amount.is_zero() && s.payee != opener, Error::<T>::BadSettlement);
			let amount: u128 = s.amount.unique_saturated_into();
			ensure!(
				application.commitment.amount == amount_leaf(amount, CNY),
				Error::<T>::SettlementMismatch
			);
			let free =
				T::Currency::reducible_balance(&opener, Preservation::Preserve, Fortitude::Polite);
			ensure!(s.amount <= free, Error::<T>::InsufficientBalance);
			T::Currency::hold(&Self::reason(), &opener, s.amount)?;
		}

		let root = application.commitment.root;
		Self::record(opener.clone(), &reference, 0, application);
		for handler in handlers.iter() {
			InstitutionOrders::<T>::insert(handler, reference, ());
		}
		let amount = settlement.as_ref().map(|s| s.amount);
		Orders::<T>::insert(
			reference,
			Order {
				business_type,
				source,
				opener: opener.clone(),
				handlers,
				stages: 1,
				status: OrderStatus::InProgress,
				changed: FieldGroups::default(),
				settlement,
				review: None,
				opened_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::OrderOpened {
			reference,
			business_type,
			opener,
			root,
			settlement: amount,
		});
		Ok(())
	}

	pub(crate) fn do_record(
		institution: T::AccountId,
		reference: OrderRef,
		stage: StageIndex,
		signed: SignedStage,
	) -> Result<Recorded, DispatchError> {
		let mut order = Orders::<T>::get(reference).ok_or(Error::<T>::UnknownOrder)?;
		// Unless the stage completes the order and pays it, no check runs.
		let mut refund = T::Compliance::check_weight();
		match order.status {
			OrderStatus::InProgress => {},
			OrderStatus::TamperSuspected => return Err(Error::<T>::OrderTamperSuspected.into()),
			_ => return Err(Error::<T>::OrderClosed.into()),
		}
		ensure!(stage >= order.stages, Error::<T>::StageAlreadyRecorded);
		ensure!(stage == order.stages, Error::<T>::StageOutOfOrder);
		let handler = order.handlers.get(stage as usize).ok_or(Error::<T>::StageOutOfOrder)?;
		ensure!(handler == &institution, Error::<T>::WrongInstitution);
		Self::verify(&institution, &reference, stage, &signed)?;

		let first = Stages::<T>::get(reference, 0).ok_or(Error::<T>::UnknownOrder)?;
		let previous = Stages::<T>::get(reference, stage - 1).ok_or(Error::<T>::UnknownOrder)?;
		let changed = signed
			.commitment
			.differences(&first.commitment)
			.union(signed.commitment.differences(&previous.commitment));
		let result = signed.result;
		Self::record(institution.clone(), &reference, stage, signed);
		order.stages = stage + 1;
		Self::deposit_event(Event::StageRecorded {
			reference,
			stage,
			institution: institution.clone(),
			result,
		});

		if changed.any() {
			order.status = OrderStatus::TamperSuspected;
			order.changed = changed;
			Suspected::<T>::insert(reference, frame_system::Pallet::<T>::block_number());
			let evidence = H256(sp_io::hashing::blake2_256(&(reference, stage).encode()));
			T::Alerts::raise(&institution, ExternalAlert::LedgerTamper, evidence);
			Self::deposit_event(Event::TamperSuspected { reference, stage, institution, changed });
			Self::release_settlement(&reference, &order)?;
		} else {
			match result {
				StageResult::Passed if order.stages as usize == order.handlers.len() => {
					order.status = OrderStatus::Completed;
					(order.review, refund) = Self::settle(&reference, &order)?;
					Self::deposit_event(Event::OrderCompleted { reference });
				},
				StageResult::Passed => {
					Orders::<T>::insert(reference, order);
					return Ok(Recorded::Passed);
				},
				StageResult::Rejected | StageResult::Returned => {
					order.status = if result == StageResult::Rejected {
						OrderStatus::Rejected
					} else {
						OrderStatus::Returned
					};
					Self::release_settlement(&reference, &order)?;
					Self::deposit_event(Event::OrderStopped { reference, stage, result });
				},
			}
		}
		Orders::<T>::insert(reference, order);
		Ok(Recorded::Ended { refund })
	}

	/// Pays a completed order's payment through the compliance check; the review holding it,
	/// if compliance held it, and what the call may refund of the check's worst case.
	fn settle(
		reference: &OrderRef,
		order: &OrderOf<T>,
	) -> Result<(Option<u64>, Weight), DispatchError> {
		let Some(s) = &order.settlement else {
			return Ok((None, T::Compliance::check_weight()));
		};
		T::Currency::release(&Self::reason(), &order.opener, s.amount, Precision::Exact)?;
		let (verdict, refund) = T::Compliance::check_refundable(
			&order.opener,
			&s.payee,
			s.amount,
			MovementKind::OrderSettlement,
		)?;
		let review = match verdict {
			Verdict::Proceed => {
				T::Currency::transfer(&order.opener, &s.payee, s.amount, Preservation::Preserve)?;
				None
			},
			Verdict::HeldForReview(review) => Some(review),
		};
		Self::deposit_event(Event::OrderSettled {
			reference: *reference,
			payee: s.payee.clone(),
			amount: s.amount,
			review,
		});
		Ok((review, refund))
	}

	/// Returns an order's held payment to the opener.
	fn release_settlement(reference: &OrderRef, order: &OrderOf<T>) -> DispatchResult {
		if let Some(s) = &order.settlement {
			T::Currency::release(&Self::reason(), &order.opener, s.amount, Precision::Exact)?;
			Self::deposit_event(Event::SettlementReleased {
				reference: *reference,
				amount: s.amount,
			});
		}
		Ok(())
	}
}

/// The queries of the runtime API.
impl<T: Config> Pallet<T> {
	/// An order's trail: the order and every stage, with institutions, keys, signatures,
	/// commitments, results and times.
	pub fn trail(reference: OrderRef) -> Option<TrailOf<T>> {
		let order = Orders::<T>::get(reference)?;
		let stages = (0..order.stages)
			.filter_map(|i| Stages::<T>::get(reference, i).map(|s| (i, s)))
			.collect();
		Some(Trail { order, stages })
	}

	/// The orders `institution` opened or handles, in `status` if given: at most `limit`
	/// (capped at [`MAX_PAGE`]) after `start_after`, looking at no more than [`MAX_SCAN`] index
	/// entries; `next` is where the following page starts.
	pub fn orders_of(
		institution: T::AccountId,
		status: Option<OrderStatus>,
		start_after: Option<OrderRef>,
		limit: u32,
	) -> Page<OrderOf<T>> {
		let limit = limit.min(MAX_PAGE) as usize;
		let iter = match start_after {
			Some(r) => InstitutionOrders::<T>::iter_prefix_from(
				&institution,
				InstitutionOrders::<T>::hashed_key_for(&institution, r),
			),
			None => InstitutionOrders::<T>::iter_prefix(&institution),
		};
		let mut items = Vec::new();
		let mut last = None;
		for (scanned, (reference, ())) in iter.enumerate() {
			if items.len() >= limit || scanned >= MAX_SCAN as usize {
				return Page { items, next: last };
			}
			last = Some(reference);
			if let Some(order) = Orders::<T>::get(reference) {
				if status.is_none_or(|s| s == order.status) {
					items.push((reference, order));
				}
			}
		}
		Page { items, next: None }
	}

	/// The orders suspected of tampering, for regulators: at most `limit` (capped at
	/// [`MAX_PAGE`]) after `start_after`.
	pub fn tamper_suspected(start_after: Option<OrderRef>, limit: u32) -> Page<OrderOf<T>> {
		let limit = limit.min(MAX_PAGE) as usize;
		let iter = match start_after {
			Some(r) => Suspected::<T>::iter_from(Suspected::<T>::hashed_key_for(r)),
			None => Suspected::<T>::iter(),
		};
		let mut items = Vec::new();
		for (reference, _) in iter {
			if items.len() >= limit {
				let next = items.last().map(|(r, _)| *r);
				return Page { items, next };
			}
			if let Some(order) = Orders::<T>::get(reference) {
				items.push((reference, order));
			}
		}
		Page { items, next: None }
	}

	/// A business type's workflow.
	pub fn workflow(business_type: BusinessType) -> Option<Vec<StageSpec>> {
		Workflows::<T>::get(business_type).map(Into::into)
	}
}

/// The invariants.
impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	/// - every order has its stages `0..stages` and no other, at most one per handler, each
	///   recorded by its handler;
	/// - every stage before the last passed with the first stage's commitment;
	/// - the status agrees with the stages: in progress (all passed, equal, more to come),
	///   completed (all passed, equal), rejected or returned (the last stage's result), or
	///   tamper-suspected (the last stage's commitment differs from the first's or the
	///   previous's by exactly `changed`, and the order is indexed as suspected);
	/// - every handler has the order in its index, and every index entry has its order;
	/// - each opener's settlement hold equals the payments of its orders in progress.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (reference, order) in Orders::<T>::iter() {
			let stages: Vec<StageRecordOf<T>> = (0..order.stages)
				.map(|i| Stages::<T>::get(reference, i).ok_or("a missing stage"))
				.collect::<Result<_, _>>()?;
			ensure!(!stages.is_empty(), "an order without its application");
			ensure!(stages.len() <= order.handlers.len(), "more stages than handlers");
			ensure!(
				Stages::<T>::iter_prefix(reference).count() == stages.len(),
				"a stage beyond the order's count"
			);
			ensure!(order.handlers.first() == Some(&order.opener), "an opener not first");
			for (stage, handler) in stages.iter().zip(order.handlers.iter()) {
				ensure!(&stage.institution == handler, "a stage by another institution");
			}
			for handler in order.handlers.iter() {
				ensure!(
					InstitutionOrders::<T>::contains_key(handler, reference),
					"a handler without its index entry"
				);
			}
			let (last, before) = stages.split_last().ok_or("an order without stages")?;
			let first = &stages[0].commitment;
			for stage in before {
				ensure!(stage.result == StageResult::Passed, "a stopped stage before the last");
				ensure!(&stage.commitment == first, "a changed stage before the last");
			}
			let previous = before.last().map_or(first, |s| &s.commitment);
			let changed =
				last.commitment.differences(first).union(last.commitment.differences(previous));
			let complete = stages.len() == order.handlers.len();
			let consistent = match order.status {
				OrderStatus::InProgress => {
					!complete && last.result == StageResult::Passed && !changed.any()
				},
				OrderStatus::Completed => {
					complete && last.result == StageResult::Passed && !changed.any()
				},
				OrderStatus::Rejected => last.result == StageResult::Rejected && !changed.any(),
				OrderStatus::Returned => last.result == StageResult::Returned && !changed.any(),
				OrderStatus::TamperSuspected => changed.any() && changed == order.changed,
			};
			ensure!(consistent, "an order whose status disagrees with its stages");
			ensure!(
				Suspected::<T>::contains_key(reference)
					== (order.status == OrderStatus::TamperSuspected),
				"a suspected order not indexed, or the reverse"
			);
			if let (OrderStatus::InProgress, Some(s)) = (order.status, &order.settlement) {
				let h = held.entry(order.opener.clone()).or_default();
				*h = h.checked_add(&s.amount).ok_or("an overflowing hold")?;
			}
		}
		for (institution, reference, ()) in InstitutionOrders::<T>::iter() {
			let order = Orders::<T>::get(reference).ok_or("an index entry to nothing")?;
			ensure!(order.handlers.contains(&institution), "an index entry of a stranger");
		}
		for (reference, _) in Suspected::<T>::iter() {
			ensure!(Orders::<T>::contains_key(reference), "a suspected order that does not exist");
		}
		for (who, amount) in held {
			ensure!(
				T::Currency::balance_on_hold(&Self::reason(), &who) == amount,
				"an opener's settlement hold differs from its orders' payments"
			);
		}
		Ok(())
	}
}

use sp_runtime::traits::CheckedAdd;

impl<T: Config> Obligations<T::AccountId> for Pallet<T> {
	/// An institution whose orders' payments are still held may not close.
	fn has_obligations(who: &T::AccountId) -> bool {
		!T::Currency::balance_on_hold(&HoldReason::Settlement.into(), who).is_zero()
	}
}
