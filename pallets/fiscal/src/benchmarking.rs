//! Benchmarks for every call, each in its worst case: allocations at the bottom of a four-level
//! tree (the most totals to update, the longest ancestry to check), a new child allocation,
//! payments through the real compliance check of the runtime they run in, and a sweep of the
//! most allocations a call may take.

use super::*;
use crate::Pallet as Fiscal;
use frame_benchmarking::{account, v2::*};
use frame_support::{
	traits::{
		fungible::{Inspect, InspectHold, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use paychain_primitives::accounts::{AccountRegistry, FinanceLevel, KycTier, RegionCode, Role};
use sp_core::H256;
use sp_runtime::traits::{Saturating, StaticLookup, Zero};

const SEED: u32 = 0;
const PROVINCE: RegionCode = RegionCode(440000);
const CITY: RegionCode = RegionCode(440300);
const NOTICE: H256 = H256::repeat_byte(0x5E);
const EDUCATION: PurposeCode = PurposeCode(205);

/// The unit all amounts are counted in: the existential deposit (at least 1).
fn unit<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(1u32.into())
}

fn units<T: Config>(n: u32) -> BalanceOf<T> {
	unit::<T>().saturating_mul(n.into())
}

/// A registered, funded finance department under `parent`.
fn department<T: Config>(
	name: &'static str,
	index: u32,
	level: FinanceLevel,
	region: RegionCode,
	parent: Option<&T::AccountId>,
) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let role = Role::FinanceDepartment(level);
	match parent {
		None => T::Registry::register_for_benchmarks(&who, role, region, KycTier::Enhanced),
		Some(parent) => T::Registry::register_child_for_benchmarks(
			&who,
			role,
			region,
			KycTier::Enhanced,
			parent,
		),
	}
	T::Currency::set_balance(&who, units::<T>(100_000_000));
	who
}

/// A program of `year` from a new ministry, allocated down to a county: its departments, from
/// the ministry to the county (their allocations are 0 to 3).
struct Tree<T: Config> {
	program: ProgramId,
	departments: [T::AccountId; 4],
}

fn tree<T: Config>(year: u32) -> Tree<T> {
	let national =
		department::<T>("national", 0, FinanceLevel::National, RegionCode::NATIONAL, None);
	let provincial =
		department::<T>("provincial", 0, FinanceLevel::Provincial, PROVINCE, Some(&national));
	let municipal =
		department::<T>("municipal", 0, FinanceLevel::Municipal, CITY, Some(&provincial));
	let county =
		department::<T>("county", 0, FinanceLevel::County, RegionCode(440305), Some(&municipal));
	let program = NextProgramId::<T>::get();
	Fiscal::<T>::do_create_program(
		national.clone(),
		code::<T>(program),
		ProgramKind::Special,
		year,
		EDUCATION,
		units::<T>(10_000_000),
	)
	.expect("a funded ministry creates a program");
	let chain = [&national, &provincial, &municipal, &county];
	// 3 million to the province, 2 to the city, 1 to the county: each keeps a million.
	for (node, pair) in chain.windows(2).enumerate() {
		Fiscal::<T>::do_allocate(
			pair[0].clone(),
			program,
			node as NodeIndex,
			pair[1].clone(),
			units::<T>(1_000_000 * (3 - node as u32)),
		)
		.expect("a department allocates to its child");
	}
	Tree { program, departments: [national, provincial, municipal, county] }
}

/// The longest code, unique per program.
fn code<T: Config>(program: ProgramId) -> CodeOf<T> {
	let mut code = alloc::vec![b'P'; T::MaxCodeLen::get() as usize];
	let id = program.to_le_bytes();
	let n = code.len().min(id.len());
	code[..n].copy_from_slice(&id[..n]);
	BoundedVec::truncate_from(code)
}

fn recipient<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("school", 0, SEED);
	T::Registry::register_for_benchmarks(
		&who,
		Role::Merchant,
		RegionCode(440305),
		KycTier::Enhanced,
	);
	T::Currency::set_balance(&who, units::<T>(1_000));
	who
}

fn held<T: Config>(who: &T::AccountId) -> BalanceOf<T> {
	T::Currency::balance_on_hold(&HoldReason::Fiscal.into(), who)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_program() {
		let national =
			department::<T>("national", 0, FinanceLevel::National, RegionCode::NATIONAL, None);
		let year = Fiscal::<T>::current_year();
		let total = units::<T>(1_000_000);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(national.clone()),
			code::<T>(0),
			ProgramKind::Special,
			year,
			EDUCATION,
			total,
		);

		assert_eq!(held::<T>(&national), total);
	}

	#[benchmark]
	fn allocate() {
		let Tree { program, departments } = tree::<T>(Fiscal::<T>::current_year());
		let municipal = departments[2].clone();
		// A county that has no allocation yet: the allocation is created.
		let county = department::<T>(
			"county",
			1,
			FinanceLevel::County,
			RegionCode(440306),
			Some(&municipal),
		);
		let lookup = T::Lookup::unlookup(county.clone());
		let amount = units::<T>(1_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(municipal), program, 2, lookup, amount);

		assert_eq!(held::<T>(&county), amount);
	}

	#[benchmark]
	fn add_matching() {
		let Tree { program, departments } = tree::<T>(Fiscal::<T>::current_year());
		let county = departments[3].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(county.clone()), program, 3, units::<T>(1_000));

		assert_eq!(held::<T>(&county), units::<T>(1_001_000));
	}

	#[benchmark]
	fn disburse() {
		let Tree { program, departments } = tree::<T>(Fiscal::<T>::current_year());
		let county = departments[3].clone();
		let school = recipient::<T>();
		let lookup = T::Lookup::unlookup(school);
		let amount = units::<T>(1_200);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(county.clone()),
			program,
			3,
			lookup,
			amount,
			PurposeCode(2050202),
			NOTICE,
		);

		assert_eq!(held::<T>(&county), units::<T>(1_000_000).saturating_sub(amount));
	}

	#[benchmark]
	fn freeze_allocation() {
		let Tree { program, departments } = tree::<T>(Fiscal::<T>::current_year());
		// The ministry, three levels up: the longest ancestry to check.
		let national = departments[0].clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(national), program, 3, NOTICE);

		assert!(Allocations::<T>::get(program, 3).is_some_and(|a| a.frozen.is_some()));
	}

	#[benchmark]
	fn unfreeze_allocation() {
		let Tree { program, departments } = tree::<T>(Fiscal::<T>::current_year());
		let national = departments[0].clone();
		Fiscal::<T>::do_freeze(national.clone(), program, 3, NOTICE)
			.expect("the ministry supervises the county");

		#[extrinsic_call]
		_(RawOrigin::Signed(national), program, 3);

		assert!(Allocations::<T>::get(program, 3).is_some_and(|a| a.frozen.is_none()));
	}

	#[benchmark]
	fn recall() {
		let Tree { program, departments } = tree::<T>(Fiscal::<T>::current_year());
		let national = departments[0].clone();
		let amount = units::<T>(1_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(national), program, 3, amount, NOTICE);

		assert_eq!(held::<T>(&departments[3]), units::<T>(1_000_000).saturating_sub(amount));
	}

	#[benchmark]
	fn close_fiscal_year() -> Result<(), BenchmarkError> {
		let origin =
			T::CloseOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let year = Fiscal::<T>::current_year().saturating_sub(1);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, year);

		assert!(ClosedYears::<T>::contains_key(year));
		Ok(())
	}

	/// Sweeps `n` counties' allocations, each sending its funds to the city.
	#[benchmark]
	fn sweep(n: Linear<1, { T::MaxSweep::get() }>) -> Result<(), BenchmarkError> {
		let year = Fiscal::<T>::current_year().saturating_sub(1);
		let Tree { program, departments } = tree::<T>(year);
		let municipal = departments[2].clone();
		// The tree's county is the first; `n - 1` more.
		for i in 1..n {
			let county = department::<T>(
				"county",
				i,
				FinanceLevel::County,
				RegionCode(CITY.0 + 5 + i),
				Some(&municipal),
			);
			Fiscal::<T>::do_allocate(municipal.clone(), program, 2, county, units::<T>(1_000))
				.expect("the city allocates to its county");
		}
		let origin =
			T::CloseOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		Fiscal::<T>::close_fiscal_year(origin, year).map_err(|_| BenchmarkError::Weightless)?;
		let caller: T::AccountId = account("caller", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), program, n);

		assert!(held::<T>(&departments[3]).is_zero());
		Ok(())
	}

	impl_benchmark_test_suite!(Fiscal, mock::ext(), mock::Test);
}
