//! What the calls do, the queries of the runtime API, and the invariants.

use super::*;
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation, Restriction},
		UnixTime,
	},
};
use paychain_primitives::{
	accounts::{AccountRegistry, FinanceLevel, Obligations, ParticipantStatus, RegionCode, Role},
	compliance::{year_of, AlertSink, ComplianceCheck, ExternalAlert, Verdict},
};
use sp_core::H256;
use sp_runtime::traits::{Saturating, Zero};

/// The most items a query returns.
pub const MAX_PAGE: u32 = 100;
/// The most allocations a query looks at.
pub const MAX_SCAN: u32 = 1_000;
/// No program's tree is deeper than the four finance levels.
const MAX_DEPTH: usize = 4;

/// A region and each region containing it, up to the whole country.
fn regions(region: RegionCode) -> impl Iterator<Item = RegionCode> {
	region.enclosing().chain(core::iter::once(RegionCode::NATIONAL))
}

impl<T: Config> Pallet<T> {
	/// The current fiscal (calendar) year in the chain's time zone.
	pub fn current_year() -> u32 {
		year_of(T::Time::now().as_millis() as u64, T::TimeZoneOffset::get())
	}

	fn reason() -> T::RuntimeHoldReason {
		HoldReason::Fiscal.into()
	}

	/// Holds `amount` of `who`'s free balance for a program.
	fn take_into_custody(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		let free = T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
		ensure!(amount <= free, Error::<T>::InsufficientBalance);
		T::Currency::hold(&Self::reason(), who, amount)
	}

	/// Moves held funds from one department to another, still held.
	fn move_custody(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
		force: Fortitude,
	) -> DispatchResult {
		T::Currency::transfer_on_hold(
			&Self::reason(),
			from,
			to,
			amount,
			Precision::Exact,
			Restriction::OnHold,
			force,
		)?;
		Ok(())
	}

	/// Releases held funds to their department's free balance.
	fn release_custody(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		T::Currency::release(&Self::reason(), who, amount, Precision::Exact)?;
		Ok(())
	}

	/// Applies `change` to an allocation's totals, its level's and its regions'. Funds coming
	/// from or going back to the parent (in `parent_region`; none for the root: the creator's
	/// own balance) change only the regions that do not contain the parent; allocations to
	/// children change no region (they stay inside).
	fn record(
		program: ProgramId,
		a: &mut AllocationOf<T>,
		change: Change<BalanceOf<T>>,
		parent_region: Option<RegionCode>,
	) -> DispatchResult {
		a.totals.apply(change)?;
		LevelTotals::<T>::try_mutate(program, a.level, |t| t.apply(change))?;
		let crossed: fn(RegionCode, Option<RegionCode>) -> bool = match change {
			Change::Allocate(_) | Change::Reclaim(_) => |_, _| false,
			Change::Match(_) | Change::Disburse(_) => |_, _| true,
			Change::Receive(_) | Change::SendBack(_) => {
				|r: RegionCode, parent: Option<RegionCode>| parent.is_none_or(|p| !r.contains(p))
			},
		};
		for region in regions(a.region).filter(|r| crossed(*r, parent_region)) {
			RegionTotals::<T>::try_mutate(program, region, |t| t.apply(change))?;
		}
		Ok(())
	}

	/// The program, if its fiscal year is open and it takes allocations and disbursements.
	fn open_program(program: ProgramId) -> Result<ProgramOf<T>, DispatchError> {
		let p = Programs::<T>::get(program).ok_or(Error::<T>::UnknownProgram)?;
		ensure!(
			p.status == ProgramStatus::Open && !ClosedYears::<T>::contains_key(p.fiscal_year),
			Error::<T>::FiscalYearClosed
		);
		Ok(p)
	}

	/// `who`'s own allocation `node`, if it may send funds: not frozen, with `amount` unspent.
	fn own_allocation(
		who: &T::AccountId,
		program: ProgramId,
		node: NodeIndex,
		amount: BalanceOf<T>,
	) -> Result<AllocationOf<T>, DispatchError> {
		let a = Allocations::<T>::get(program, node).ok_or(Error::<T>::UnknownAllocation)?;
		ensure!(&a.department == who, Error::<T>::NotYourAllocation);
		ensure!(a.frozen.is_none(), Error::<T>::AllocationFrozen);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(amount <= a.totals.unspent, Error::<T>::InsufficientUnspent);
		Ok(a)
	}

	/// Whether `who` supervises allocation `a`: an active supervision department whose region
	/// contains the allocation's, or an active finance department above its holder.
	pub fn is_supervisor(who: &T::AccountId, a: &AllocationOf<T>) -> bool {
		match T::Registry::profile(who) {
			Some(p) if p.status == ParticipantStatus::Active => match p.role {
				Role::SupervisionDepartment => p.region.contains(a.region),
				Role::FinanceDepartment(_) => T::Registry::is_ancestor(who, &a.department),
				_ => false,
			},
			_ => false,
		}
	}

	pub(crate) fn do_create_program(
		creator: T::AccountId,
		code: CodeOf<T>,
		kind: ProgramKind,
		fiscal_year: u32,
		purpose: PurposeCode,
		total: BalanceOf<T>,
	) -> DispatchResult {
		let profile = T::Registry::profile(&creator)
			.filter(|p| p.status == ParticipantStatus::Active)
			.ok_or(Error::<T>::NotProgramAuthority)?;
		let level = match profile.role {
			Role::FinanceDepartment(
				level @ (FinanceLevel::National | FinanceLevel::Provincial),
			) => level,
			_ => return Err(Error::<T>::NotProgramAuthority.into()),
		};
		ensure!(!code.is_empty(), Error::<T>::BadProgramCode);
		ensure!(!ProgramByCode::<T>::contains_key(&code), Error::<T>::DuplicateProgramCode);
		ensure!(purpose.is_valid(), Error::<T>::BadPurposeCode);
		ensure!(!total.is_zero(), Error::<T>::ZeroAmount);
		ensure!(!ClosedYears::<T>::contains_key(fiscal_year), Error::<T>::FiscalYearClosed);
		ensure!(fiscal_year <= Self::current_year().saturating_add(1), Error::<T>::BadFiscalYear);
		let id = NextProgramId::<T>::get();
		NextProgramId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		Self::take_into_custody(&creator, total)?;

		let now = frame_system::Pallet::<T>::block_number();
		let mut root = Allocation {
			parent: None,
			department: creator.clone(),
			level,
			region: profile.region,
			totals: Totals::default(),
			children: 0,
			disbursements: 0,
			frozen: None,
			created: now,
		};
		Self::record(id, &mut root, Change::Receive(total), None)?;
		Allocations::<T>::insert(id, 0, root);
		DepartmentAllocations::<T>::insert(&creator, id, 0);
		ProgramByCode::<T>::insert(&code, id);
		Programs::<T>::insert(
			id,
			Program {
				code: code.clone(),
				kind,
				fiscal_year,
				purpose,
				creator: creator.clone(),
				total,
				created: now,
				allocations: 1,
				status: ProgramStatus::Open,
			},
		);
		Self::deposit_event(Event::ProgramCreated {
			program: id,
			code,
			kind,
			fiscal_year,
			purpose,
			creator,
			total,
		});
		Ok(())
	}

	pub(crate) fn do_allocate(
		who: T::AccountId,
		program: ProgramId,
		node: NodeIndex,
		child: T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<Weight, DispatchError> {
		let mut p = Self::open_program(program)?;
		let mut from = Self::own_allocation(&who, program, node, amount)?;
		let child_level = from.level.below().ok_or(Error::<T>::NotDirectChild)?;
		ensure!(T::Registry::parent(&child).as_ref() == Some(&who), Error::<T>::NotDirectChild);
		let profile = T::Registry::profile(&child).ok_or(Error::<T>::NotDirectChild)?;
		ensure!(profile.role == Role::FinanceDepartment(child_level), Error::<T>::NotDirectChild);
		ensure!(profile.status == ParticipantStatus::Active, Error::<T>::ChildNotActive);
		let existing = DepartmentAllocations::<T>::get(&child, program);
		let (index, mut to) = match existing {
			Some(index) => {
				let to =
					Allocations::<T>::get(program, index).ok_or(Error::<T>::UnknownAllocation)?;
				ensure!(to.parent == Some(node), Error::<T>::NotDirectChild);
				ensure!(to.frozen.is_none(), Error::<T>::ChildAllocationFrozen);
				(index, to)
			},
			None => {
				ensure!(p.allocations < T::MaxAllocations::get(), Error::<T>::TooManyAllocations);
				let index = p.allocations;
				p.allocations = index.checked_add(1).ok_or(Error::<T>::Overflow)?;
				from.children = from.children.checked_add(1).ok_or(Error::<T>::Overflow)?;
				let to = Allocation {
					parent: Some(node),
					department: child.clone(),
					level: child_level,
					region: profile.region,
					totals: Totals::default(),
					children: 0,
					disbursements: 0,
					frozen: None,
					created: frame_system::Pallet::<T>::block_number(),
				};
				(index, to)
			},
		};
		ensure!(
			T::Currency::total_balance(&child) >= T::Currency::minimum_balance(),
			Error::<T>::ChildAccountMissing
		);
		let (verdict, refund) =
			T::Compliance::check_refundable(&who, &child, amount, MovementKind::FiscalAllocation)?;
		match verdict {
			Verdict::Proceed => {},
			Verdict::HeldForReview(_) => return Err(Error::<T>::AllocationUnderReview.into()),
		}
		Self::move_custody(&who, &child, amount, Fortitude::Polite)?;
		Self::record(program, &mut from, Change::Allocate(amount), None)?;
		Self::record(program, &mut to, Change::Receive(amount), Some(from.region))?;
		Allocations::<T>::insert(program, node, from);
		if existing.is_none() {
			DepartmentAllocations::<T>::insert(&child, program, index);
			Programs::<T>::insert(program, p);
			Self::deposit_event(Event::AllocationCreated {
				program,
				node: index,
				parent: node,
				department: child.clone(),
				level: to.level,
				region: to.region,
			});
		}
		Allocations::<T>::insert(program, index, to);
		Self::deposit_event(Event::Allocated {
			program,
			from: node,
			to: index,
			department: child,
			amount,
		});
		Ok(refund)
	}

	pub(crate) fn do_add_matching(
		who: T::AccountId,
		program: ProgramId,
		node: NodeIndex,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		Self::open_program(program)?;
		let mut a = Allocations::<T>::get(program, node).ok_or(Error::<T>::UnknownAllocation)?;
		ensure!(a.department == who, Error::<T>::NotYourAllocation);
		ensure!(a.frozen.is_none(), Error::<T>::AllocationFrozen);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		Self::take_into_custody(&who, amount)?;
		Self::record(program, &mut a, Change::Match(amount), None)?;
		Allocations::<T>::insert(program, node, a);
		Self::deposit_event(Event::MatchingAdded { program, node, amount });
		Ok(())
	}

	pub(crate) fn do_disburse(
		who: T::AccountId,
		program: ProgramId,
		node: NodeIndex,
		recipient: T::AccountId,
		amount: BalanceOf<T>,
		purpose: PurposeCode,
		evidence: H256,
	) -> Result<Weight, DispatchError> {
		let p = Self::open_program(program)?;
		let mut a = Self::own_allocation(&who, program, node, amount)?;
		ensure!(recipient != who, Error::<T>::SelfDisbursement);
		let profile = T::Registry::profile(&recipient).ok_or(Error::<T>::RecipientNotRegistered)?;
		ensure!(profile.status == ParticipantStatus::Active, Error::<T>::RecipientNotActive);
		ensure!(purpose.is_valid(), Error::<T>::BadPurposeCode);
		if p.kind == ProgramKind::Special {
			ensure!(p.purpose.covers(purpose), Error::<T>::PurposeNotInProgram);
		}
		let index = a.disbursements;
		a.disbursements = index.checked_add(1).ok_or(Error::<T>::Overflow)?;

		Self::release_custody(&who, amount)?;
		let (verdict, refund) = T::Compliance::check_refundable(
			&who,
			&recipient,
			amount,
			MovementKind::FiscalDisbursement,
		)?;
		let review = match verdict {
			Verdict::Proceed => {
				T::Currency::transfer(&who, &recipient, amount, Preservation::Preserve)?;
				None
			},
			Verdict::HeldForReview(review) => Some(review),
		};
		Self::record(program, &mut a, Change::Disburse(amount), None)?;
		Allocations::<T>::insert(program, node, a);
		Disbursements::<T>::insert(
			(program, node, index),
			Disbursement {
				recipient: recipient.clone(),
				amount,
				purpose,
				evidence,
				at: frame_system::Pallet::<T>::block_number(),
				review,
			},
		);
		Self::deposit_event(Event::Disbursed {
			program,
			node,
			index,
			recipient,
			amount,
			purpose,
			evidence,
			review,
		});
		Ok(refund)
	}

	/// The allocation `node` of a program, if `who` supervises it.
	fn supervised(
		who: &T::AccountId,
		program: ProgramId,
		node: NodeIndex,
	) -> Result<AllocationOf<T>, DispatchError> {
		ensure!(Programs::<T>::contains_key(program), Error::<T>::UnknownProgram);
		let a = Allocations::<T>::get(program, node).ok_or(Error::<T>::UnknownAllocation)?;
		ensure!(Self::is_supervisor(who, &a), Error::<T>::NotSupervisor);
		Ok(a)
	}

	pub(crate) fn do_freeze(
		who: T::AccountId,
		program: ProgramId,
		node: NodeIndex,
		reason: H256,
	) -> DispatchResult {
		let mut a = Self::supervised(&who, program, node)?;
		ensure!(a.frozen.is_none(), Error::<T>::AlreadyFrozen);
		let settled = Programs::<T>::get(program).map(|p| p.status) == Some(ProgramStatus::Settled);
		ensure!(!settled, Error::<T>::ProgramSettled);
		a.frozen = Some(Freeze {
			by: who.clone(),
			reason,
			since: frame_system::Pallet::<T>::block_number(),
		});
		T::Alerts::raise(&a.department, ExternalAlert::FiscalIrregularity, reason);
		Allocations::<T>::insert(program, node, a);
		Self::deposit_event(Event::AllocationFrozen { program, node, by: who, reason });
		Ok(())
	}

	pub(crate) fn do_unfreeze(
		who: T::AccountId,
		program: ProgramId,
		node: NodeIndex,
	) -> DispatchResult {
		let mut a = Self::supervised(&who, program, node)?;
		ensure!(a.frozen.take().is_some(), Error::<T>::NotFrozen);
		Allocations::<T>::insert(program, node, a);
		Self::deposit_event(Event::AllocationUnfrozen { program, node, by: who });
		Ok(())
	}

	/// Sends `amount` of allocation `node`'s unspent funds (`a`) back to its parent. The funds
	/// go back where they came from, so neither a freeze on the holder nor compliance stops
	/// them.
	fn send_back(
		program: ProgramId,
		a: &mut AllocationOf<T>,
		amount: BalanceOf<T>,
	) -> Result<NodeIndex, DispatchError> {
		let parent_index = a.parent.ok_or(Error::<T>::CannotRecallRoot)?;
		let mut parent =
			Allocations::<T>::get(program, parent_index).ok_or(Error::<T>::UnknownAllocation)?;
		Self::move_custody(&a.department, &parent.department, amount, Fortitude::Force)?;
		Self::record(program, a, Change::SendBack(amount), Some(parent.region))?;
		Self::record(program, &mut parent, Change::Reclaim(amount), None)?;
		Allocations::<T>::insert(program, parent_index, parent);
		Ok(parent_index)
	}

	pub(crate) fn do_recall(
		who: T::AccountId,
		program: ProgramId,
		node: NodeIndex,
		amount: BalanceOf<T>,
		reason: H256,
	) -> DispatchResult {
		let mut a = Self::supervised(&who, program, node)?;
		ensure!(a.parent.is_some(), Error::<T>::CannotRecallRoot);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(amount <= a.totals.unspent, Error::<T>::InsufficientUnspent);
		let parent = Self::send_back(program, &mut a, amount)?;
		Allocations::<T>::insert(program, node, a);
		Self::deposit_event(Event::Recalled { program, node, parent, amount, by: who, reason });
		Ok(())
	}

	pub(crate) fn do_close_fiscal_year(year: u32) -> DispatchResult {
		ensure!(year < Self::current_year(), Error::<T>::FiscalYearNotOver);
		ensure!(!ClosedYears::<T>::contains_key(year), Error::<T>::FiscalYearAlreadyClosed);
		ClosedYears::<T>::insert(year, frame_system::Pallet::<T>::block_number());
		Self::deposit_event(Event::FiscalYearClosed { year });
		Ok(())
	}

	/// Sweeps up to `limit` allocations of `program`, newest first; returns how many.
	pub(crate) fn do_sweep(program: ProgramId, limit: u32) -> Result<u32, DispatchError> {
		let mut p = Programs::<T>::get(program).ok_or(Error::<T>::UnknownProgram)?;
		ensure!(ClosedYears::<T>::contains_key(p.fiscal_year), Error::<T>::FiscalYearOpen);
		ensure!(limit > 0, Error::<T>::ZeroLimit);
		let start = match p.status {
			ProgramStatus::Open => p.allocations.saturating_sub(1),
			ProgramStatus::Sweeping { next } => next,
			ProgramStatus::Settled => return Err(Error::<T>::ProgramSettled.into()),
		};
		let mut node = start;
		let mut swept = 0u32;
		let mut moved = BalanceOf::<T>::zero();
		let mut returned = None;
		loop {
			let mut a =
				Allocations::<T>::get(program, node).ok_or(Error::<T>::UnknownAllocation)?;
			let unspent = a.totals.unspent;
			if !unspent.is_zero() {
				if a.parent.is_some() {
					Self::send_back(program, &mut a, unspent)?;
				} else {
					Self::release_custody(&a.department, unspent)?;
					Self::record(program, &mut a, Change::SendBack(unspent), None)?;
				}
				Allocations::<T>::insert(program, node, a);
				moved = moved.saturating_add(unspent);
			}
			swept += 1;
			if node == 0 {
				returned = Some(unspent);
				p.status = ProgramStatus::Settled;
				break;
			}
			if swept >= limit {
				p.status = ProgramStatus::Sweeping { next: node - 1 };
				break;
			}
			node -= 1;
		}
		Programs::<T>::insert(program, p);
		Self::deposit_event(Event::Swept { program, from: start, to: node, amount: moved });
		if let Some(returned) = returned {
			Self::deposit_event(Event::ProgramSettled { program, returned });
		}
		Ok(swept)
	}
}

/// The queries of the runtime API.
impl<T: Config> Pallet<T> {
	/// A program by id.
	pub fn program(program: ProgramId) -> Option<ProgramOf<T>> {
		Programs::<T>::get(program)
	}

	/// A program's id by its code.
	pub fn program_by_code(code: Vec<u8>) -> Option<ProgramId> {
		let code = CodeOf::<T>::try_from(code).ok()?;
		ProgramByCode::<T>::get(code)
	}

	/// An allocation.
	pub fn allocation(program: ProgramId, node: NodeIndex) -> Option<AllocationOf<T>> {
		Allocations::<T>::get(program, node)
	}

	/// A department's allocations: at most `limit` (capped at [`MAX_PAGE`]) programs and its
	/// allocation in each, after program `start_after`.
	pub fn allocations_of(
		department: T::AccountId,
		start_after: Option<ProgramId>,
		limit: u32,
	) -> Page<ProgramId, NodeIndex> {
		let limit = limit.min(MAX_PAGE) as usize;
		let iter = match start_after {
			Some(id) => DepartmentAllocations::<T>::iter_prefix_from(
				&department,
				DepartmentAllocations::<T>::hashed_key_for(&department, id),
			),
			None => DepartmentAllocations::<T>::iter_prefix(&department),
		};
		let mut items = Vec::new();
		for (program, node) in iter {
			if items.len() >= limit {
				let next = items.last().map(|(p, _)| *p);
				return Page { items, next };
			}
			items.push((program, node));
		}
		Page { items, next: None }
	}

	/// The path from a program's root to allocation `node`, and its disbursement
	/// `disbursement` if one is asked for (none if it does not exist).
	pub fn trace(
		program: ProgramId,
		node: NodeIndex,
		disbursement: Option<DisbursementIndex>,
	) -> Option<TraceOf<T>> {
		let disbursement = match disbursement {
			Some(index) => Some((index, Disbursements::<T>::get((program, node, index))?)),
			None => None,
		};
		let mut path = Vec::new();
		let mut next = Some(node);
		while let Some(index) = next {
			if path.len() > MAX_DEPTH {
				return None;
			}
			let a = Allocations::<T>::get(program, index)?;
			next = a.parent;
			path.push((index, a));
		}
		path.reverse();
		Some(Trace { path, disbursement })
	}

	/// The allocations under `node` (its subtree, without it), by index: at most `limit`
	/// (capped at [`MAX_PAGE`]) after `start_after`, looking at no more than [`MAX_SCAN`]
	/// allocations; `next` is where the following page starts.
	pub fn descendants(
		program: ProgramId,
		node: NodeIndex,
		start_after: Option<NodeIndex>,
		limit: u32,
	) -> Page<NodeIndex, AllocationOf<T>> {
		let mut items = Vec::new();
		let Some(p) = Programs::<T>::get(program) else { return Page { items, next: None } };
		let limit = limit.min(MAX_PAGE) as usize;
		let first = start_after.unwrap_or(node).max(node).saturating_add(1);
		// The parents of allocations seen so far, to walk up without reading them again.
		let mut parents: BTreeMap<NodeIndex, Option<NodeIndex>> = BTreeMap::new();
		for (scanned, index) in (first..p.allocations).enumerate() {
			if items.len() >= limit || scanned >= MAX_SCAN as usize {
				return Page { items, next: Some(index - 1) };
			}
			let Some(a) = Allocations::<T>::get(program, index) else { continue };
			parents.insert(index, a.parent);
			let mut up = a.parent;
			let mut depth = 0;
			let under = loop {
				match up {
					Some(i) if i == node => break true,
					Some(i) if i > node && depth < MAX_DEPTH => {
						up = match parents.get(&i) {
							Some(parent) => *parent,
							None => Allocations::<T>::get(program, i).and_then(|x| x.parent),
						};
						depth += 1;
					},
					_ => break false,
				}
			};
			if under {
				items.push((index, a));
			}
		}
		Page { items, next: None }
	}

	/// An allocation's disbursements, in order: at most `limit` (capped at [`MAX_PAGE`]) after
	/// `start_after`.
	pub fn disbursements(
		program: ProgramId,
		node: NodeIndex,
		start_after: Option<DisbursementIndex>,
		limit: u32,
	) -> Page<DisbursementIndex, DisbursementOf<T>> {
		let mut items = Vec::new();
		let Some(a) = Allocations::<T>::get(program, node) else {
			return Page { items, next: None };
		};
		let first = start_after.map_or(0, |i| i.saturating_add(1));
		let limit = limit.min(MAX_PAGE);
		let end = first.saturating_add(limit).min(a.disbursements);
		for index in first..end {
			if let Some(d) = Disbursements::<T>::get((program, node, index)) {
				items.push((index, d));
			}
		}
		let next = (end < a.disbursements).then(|| end.saturating_sub(1));
		Page { items, next }
	}

	/// A program's statistics: the whole program and each level.
	pub fn statistics(program: ProgramId) -> Option<ProgramStatistics<BalanceOf<T>>> {
		Programs::<T>::get(program)?;
		let levels = [
			FinanceLevel::National,
			FinanceLevel::Provincial,
			FinanceLevel::Municipal,
			FinanceLevel::County,
		]
		.into_iter()
		.filter_map(|level| {
			LevelTotals::<T>::try_get(program, level).ok().map(|t| (level, t.into()))
		})
		.collect();
		Some(ProgramStatistics {
			program: RegionTotals::<T>::get(program, RegionCode::NATIONAL).into(),
			levels,
		})
	}

	/// A program's statistics in a region (and the regions inside it).
	pub fn region_statistics(
		program: ProgramId,
		region: RegionCode,
	) -> Option<Statistics<BalanceOf<T>>> {
		RegionTotals::<T>::try_get(program, region).ok().map(Into::into)
	}
}

/// The invariants.
impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	/// - every allocation's totals balance; its parent exists, comes before it and is one level
	///   up with a region containing its own; the root received the program total;
	/// - a parent's `allocated` and `children` are what its children received net of what they
	///   sent back, and how many there are; an allocation's disbursements add up to its
	///   `disbursed` and number `disbursements`;
	/// - each department's fiscal hold equals its allocations' unspent funds, and its index
	///   entries point at its allocations;
	/// - the level and region totals are what the allocations add up to;
	/// - a settled program holds nothing, nor do the allocations a sweep has passed.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		type Map<K, V> = BTreeMap<K, V>;
		let mut held: Map<T::AccountId, BalanceOf<T>> = Map::new();
		let next_id = NextProgramId::<T>::get();
		let mut levels: Map<(ProgramId, FinanceLevel), Totals<BalanceOf<T>>> = Map::new();
		let mut regions_seen: Map<(ProgramId, RegionCode), Totals<BalanceOf<T>>> = Map::new();
		let add = |a: BalanceOf<T>, b: BalanceOf<T>| a.checked_add(&b).ok_or("an overflowing sum");
		use sp_runtime::traits::CheckedAdd;

		for (id, p) in Programs::<T>::iter() {
			ensure!(id < next_id, "a program at or after the next id");
			ensure!(ProgramByCode::<T>::get(&p.code) == Some(id), "a program not indexed by code");
			let nodes: Vec<(NodeIndex, AllocationOf<T>)> = (0..p.allocations)
				.filter_map(|i| Allocations::<T>::get(id, i).map(|a| (i, a)))
				.collect();
			ensure!(nodes.len() as u32 == p.allocations, "a program's allocations are missing");
			ensure!(
				Allocations::<T>::iter_prefix(id).count() as u32 == p.allocations,
				"an allocation beyond the program's count"
			);
			let mut net_to_children: Map<NodeIndex, (BalanceOf<T>, u32)> = Map::new();
			for (i, a) in &nodes {
				ensure!(a.totals.balances(), "an allocation's totals do not balance");
				ensure!(
					DepartmentAllocations::<T>::get(&a.department, id) == Some(*i),
					"an allocation not indexed under its department"
				);
				let parent_region = match a.parent {
					None => {
						ensure!(*i == 0, "a second root");
						ensure!(a.department == p.creator, "a root not held by the creator");
						ensure!(a.totals.received == p.total, "a root that did not get the total");
						None
					},
					Some(up) => {
						ensure!(*i != 0 && up < *i, "a parent after its child");
						let parent =
							&nodes.get(up as usize).ok_or("a parent that does not exist")?.1;
						ensure!(parent.level.below() == Some(a.level), "a child two levels down");
						ensure!(parent.region.contains(a.region), "a child outside its parent");
						let net = a
							.totals
							.received
							.checked_sub(&a.totals.recalled)
							.ok_or("sent back more than received")?;
						let entry = net_to_children.entry(up).or_default();
						entry.0 = add(entry.0, net)?;
						entry.1 += 1;
						Some(parent.region)
					},
				};
				let (sum, count) = Disbursements::<T>::iter_prefix((id, *i))
					.try_fold((BalanceOf::<T>::zero(), 0u32), |(s, n), (_, d)| {
						add(s, d.amount).map(|s| (s, n + 1))
					})?;
				ensure!(sum == a.totals.disbursed, "disbursements do not add up");
				ensure!(count == a.disbursements, "a wrong disbursement count");
				let h = held.entry(a.department.clone()).or_default();
				*h = add(*h, a.totals.unspent)?;
				match p.status {
					ProgramStatus::Settled => {
						ensure!(a.totals.unspent.is_zero(), "a settled program holds funds")
					},
					ProgramStatus::Sweeping { next } if *i > next => {
						ensure!(a.totals.unspent.is_zero(), "a swept allocation holds funds")
					},
					_ => {},
				}
				let level = levels.entry((id, a.level)).or_default();
				for (field, x) in [
					(&mut level.received, a.totals.received),
					(&mut level.matching, a.totals.matching),
					(&mut level.allocated, a.totals.allocated),
					(&mut level.disbursed, a.totals.disbursed),
					(&mut level.recalled, a.totals.recalled),
					(&mut level.unspent, a.totals.unspent),
				] {
					*field = add(*field, x)?;
				}
				for region in regions(a.region) {
					let crossed = parent_region.is_none_or(|up| !region.contains(up));
					let r = regions_seen.entry((id, region)).or_default();
					let zero = BalanceOf::<T>::zero();
					for (field, x) in [
						(&mut r.received, if crossed { a.totals.received } else { zero }),
						(&mut r.matching, a.totals.matching),
						(&mut r.disbursed, a.totals.disbursed),
						(&mut r.recalled, if crossed { a.totals.recalled } else { zero }),
						(&mut r.unspent, a.totals.unspent),
					] {
						*field = add(*field, x)?;
					}
				}
			}
			for (i, a) in &nodes {
				let (net, count) = net_to_children.get(i).copied().unwrap_or_default();
				ensure!(a.totals.allocated == net, "allocated is not what the children hold");
				ensure!(a.children == count, "a wrong child count");
			}
		}
		for ((id, level), t) in LevelTotals::<T>::iter().map(|(p, l, t)| ((p, l), t)) {
			ensure!(levels.remove(&(id, level)) == Some(t), "level totals that do not add up");
		}
		ensure!(levels.is_empty(), "a level with allocations but no totals");
		for (id, region, t) in RegionTotals::<T>::iter() {
			ensure!(t.balances(), "region totals that do not balance");
			ensure!(
				regions_seen.remove(&(id, region)) == Some(t),
				"region totals that do not add up"
			);
		}
		ensure!(regions_seen.is_empty(), "a region with allocations but no totals");
		for (who, program, index) in DepartmentAllocations::<T>::iter() {
			let a = Allocations::<T>::get(program, index).ok_or("an index entry to nothing")?;
			ensure!(a.department == who, "an index entry under the wrong department");
		}
		for (who, amount) in held {
			ensure!(
				T::Currency::balance_on_hold(&Self::reason(), &who) == amount,
				"a department's fiscal hold differs from its unspent funds"
			);
		}
		Ok(())
	}
}

impl<T: Config> Obligations<T::AccountId> for Pallet<T> {
	/// A department still holding a program's funds may not close.
	fn has_obligations(who: &T::AccountId) -> bool {
		!T::Currency::balance_on_hold(&HoldReason::Fiscal.into(), who).is_zero()
	}
}
