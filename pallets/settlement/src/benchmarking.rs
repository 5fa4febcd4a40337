//! Benchmarks for every call and for observing a payment, each in its worst case: a customer's
//! first mint, mints and redemptions through the real compliance check of the runtime they run
//! in, a cycle with the most pairs, a mismatched statement and an overdue flag raising alerts,
//! and a payment between two institutions' customers that opens a new pair.

use super::*;
use crate::Pallet as Settlement;
use alloc::vec::Vec;
use frame_benchmarking::{account, v2::*};
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use paychain_primitives::accounts::{AccountRegistry, KycTier, RegionCode, Role};
use sp_core::H256;
use sp_runtime::traits::{Saturating, StaticLookup};

const SEED: u32 = 0;
const NANSHAN: RegionCode = RegionCode(440305);

fn unit<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(1u32.into())
}

fn units<T: Config>(n: u32) -> BalanceOf<T> {
	unit::<T>().saturating_mul(n.into())
}

/// A clearing institution with a reserve of a million units.
fn institution<T: Config>(index: u32) -> T::AccountId {
	let who: T::AccountId = account("institution", index, SEED);
	T::Registry::register_for_benchmarks(
		&who,
		Role::ClearingInstitution,
		NANSHAN,
		KycTier::Enhanced,
	);
	T::Currency::set_balance(&who, units::<T>(1_000));
	Settlement::<T>::do_attest(who.clone(), units::<T>(1_000_000), 0, H256::repeat_byte(1))
		.expect("a clearing institution attests");
	who
}

fn customer<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Registry::register_for_benchmarks(&who, Role::Individual, NANSHAN, KycTier::Enhanced);
	who
}

/// A customer of `bank` holding 1,200 units.
fn funded_customer<T: Config>(bank: &T::AccountId, index: u32) -> T::AccountId {
	let who = customer::<T>("customer", index);
	Settlement::<T>::do_mint(
		bank.clone(),
		who.clone(),
		units::<T>(1_200),
		H256(sp_io::hashing::blake2_256(&index.to_le_bytes())),
	)
	.expect("the bank mints to its customer");
	who
}

/// Moves to the end of the current cycle and starts the next.
fn end_cycle<T: Config>() {
	let end = CurrentCycle::<T>::get().end;
	frame_system::Pallet::<T>::set_block_number(end);
	Settlement::<T>::roll_cycle(end);
}

/// A payment of one unit from `from` to `to`, as compliance tells the observer of it.
fn pay<T: Config>(from: &T::AccountId, to: &T::AccountId) {
	let _ = <Settlement<T> as MovementObserver<_, _>>::observe(
		from,
		to,
		unit::<T>(),
		MovementKind::Transfer,
	);
}

/// Cycle 0 with a payment from a customer of `a` to one of `b`, closed.
fn closed_cycle<T: Config>(a: &T::AccountId, b: &T::AccountId) {
	let from = funded_customer::<T>(a, 1);
	let to = funded_customer::<T>(b, 2);
	pay::<T>(&from, &to);
	end_cycle::<T>();
	Settlement::<T>::do_close(0).expect("the cycle is over");
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn attest_reserve() {
		let bank = institution::<T>(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(bank.clone()), units::<T>(2_000_000), 1, H256::repeat_byte(2));

		assert_eq!(Reserves::<T>::get(&bank).map(|r| r.amount), Some(units::<T>(2_000_000)));
	}

	#[benchmark]
	fn countersign_reserve() -> Result<(), BenchmarkError> {
		let bank = institution::<T>(0);
		let origin =
			T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, bank.clone());

		assert!(Reserves::<T>::get(&bank).is_some_and(|r| r.countersigned_by.is_some()));
		Ok(())
	}

	/// A customer's first mint.
	#[benchmark]
	fn mint() {
		let bank = institution::<T>(0);
		let who = customer::<T>("customer", 0);
		let lookup = T::Lookup::unlookup(who.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(bank.clone()), lookup, units::<T>(1_200), H256::repeat_byte(3));

		assert_eq!(Customers::<T>::get(&who), Some(bank));
	}

	#[benchmark]
	fn redeem() {
		let bank = institution::<T>(0);
		let who = funded_customer::<T>(&bank, 0);
		let lookup = T::Lookup::unlookup(bank.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(who), lookup, units::<T>(1_000), H256::repeat_byte(4));

		assert_eq!(Outstanding::<T>::get(&bank), units::<T>(200));
	}

	/// Closes a cycle with `p` pairs of institutions, each with payments both ways.
	#[benchmark]
	fn close_cycle(p: Linear<0, { T::MaxPairs::get() }>) {
		let hub = institution::<T>(0);
		let mut pairs = Vec::new();
		for i in 0..p {
			let other: T::AccountId = account("counterparty", i, SEED);
			Flows::<T>::insert(0, (hub.clone(), other.clone()), units::<T>(3));
			Flows::<T>::insert(0, (other.clone(), hub.clone()), units::<T>(1));
			pairs.push((hub.clone(), other));
		}
		Pairs::<T>::insert(0, BoundedVec::truncate_from(pairs));
		end_cycle::<T>();
		let caller: T::AccountId = account("caller", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 0);

		assert!(Closed::<T>::contains_key(0));
		assert_eq!(NetPositions::<T>::iter_prefix(0).count() as u32, p);
	}

	#[benchmark]
	fn mark_settled() {
		let (a, b) = (institution::<T>(0), institution::<T>(1));
		closed_cycle::<T>(&a, &b);

		#[extrinsic_call]
		_(RawOrigin::Signed(a.clone()), 0, a.clone(), b.clone(), H256::repeat_byte(5));

		assert!(NetPositions::<T>::get(0, (a, b)).is_some_and(|p| p.settled.is_some()));
	}

	/// A mismatched statement: it raises an alert.
	#[benchmark]
	fn submit_statement() {
		let (a, b) = (institution::<T>(0), institution::<T>(1));
		closed_cycle::<T>(&a, &b);
		let wrong = CycleTotals::default();

		#[extrinsic_call]
		_(RawOrigin::Signed(a.clone()), 0, wrong, H256::repeat_byte(6));

		assert!(Statements::<T>::get(0, &a)
			.is_some_and(|s| matches!(s.result, Reconciliation::Mismatch { .. })));
	}

	#[benchmark]
	fn flag_overdue() {
		let (a, b) = (institution::<T>(0), institution::<T>(1));
		closed_cycle::<T>(&a, &b);
		let due = CurrentCycle::<T>::get().start.saturating_add(T::StatementWindow::get());
		frame_system::Pallet::<T>::set_block_number(due);
		let caller: T::AccountId = account("caller", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 0, a.clone());

		assert!(Overdue::<T>::contains_key(0, &a));
	}

	/// A payment between customers of two institutions that opens a new pair in the cycle.
	#[benchmark]
	fn observe() {
		let (a, b) = (institution::<T>(0), institution::<T>(1));
		let from = funded_customer::<T>(&a, 1);
		let to = funded_customer::<T>(&b, 2);

		#[block]
		{
			pay::<T>(&from, &to);
		}

		assert_eq!(Pairs::<T>::get(0).len(), 1);
	}

	/// A payment that is not between two institutions: both parties customers of one (the
	/// dearest such case: two lookups that find a customer link each).
	#[benchmark]
	fn observe_local() {
		let a = institution::<T>(0);
		let from = funded_customer::<T>(&a, 1);
		let to = funded_customer::<T>(&a, 2);

		#[block]
		{
			pay::<T>(&from, &to);
		}

		assert!(Pairs::<T>::get(0).is_empty());
	}

	/// The first block after a cycle: the next one starts.
	#[benchmark]
	fn roll_cycle() {
		let end = CurrentCycle::<T>::get().end;
		frame_system::Pallet::<T>::set_block_number(end);

		#[block]
		{
			Settlement::<T>::roll_cycle(end);
		}

		assert_eq!(CurrentCycle::<T>::get().index, 1);
	}

	#[benchmark]
	fn set_cycle_length() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let length = CycleLength::<T>::get().saturating_add(1u32.into());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, length);

		assert_eq!(CycleLength::<T>::get(), length);
		Ok(())
	}

	impl_benchmark_test_suite!(Settlement, mock::ext(), mock::Test);
}
