//! Benchmarks for every call, each in its worst case: the longest workflow with a distinct
//! institution at every stage, orders carrying a payment, real signatures checked by the
//! register of the runtime they run in, the last stage paying out through its compliance check,
//! a tampered stage raising an alert, and a passing stage before the last, which only records.

use super::*;
use crate::{commitment::CNY, Pallet as Ledger};
use alloc::vec::Vec;
use frame_benchmarking::{account, v2::*};
use frame_support::{
	traits::{
		fungible::{Inspect, InspectHold, Mutate},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use paychain_primitives::accounts::{AccountRegistry, KycTier, RegionCode, Role};
use sp_runtime::traits::{Saturating, UniqueSaturatedInto, Zero};

const SEED: u32 = 0;
const NANSHAN: RegionCode = RegionCode(440305);
const BUSINESS: BusinessType = 7;
const REFERENCE: OrderRef = [0xBE; 16];

fn unit<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(1u32.into())
}

/// The payment: small enough that the runtime's rules accept it.
fn amount<T: Config>() -> BalanceOf<T> {
	unit::<T>().saturating_mul(1_200u32.into())
}

/// A registered, funded institution with a signing key.
fn institution<T: Config>(index: u32) -> T::AccountId {
	let who: T::AccountId = account("institution", index, SEED);
	T::Registry::register_for_benchmarks(
		&who,
		Role::PaymentInstitution,
		NANSHAN,
		KycTier::Enhanced,
	);
	T::Currency::set_balance(&who, unit::<T>().saturating_mul(1_000_000u32.into()));
	who
}

/// A workflow of `stages` stages, all by payment institutions.
fn workflow<T: Config>(stages: u32) -> WorkflowOf<T> {
	let specs = (0..stages)
		.map(|i| StageSpec {
			kind: if i == 0 { StageKind::Application } else { StageKind::Other(i as u8) },
			role: Role::PaymentInstitution,
		})
		.collect::<Vec<_>>();
	BoundedVec::truncate_from(specs)
}

fn elements_commitment(amount: u128, purpose: &[u8]) -> StageCommitment {
	commitment::commit(&commitment::KeyElements {
		payer_account: b"6222020200112233445",
		payee_account: b"6228480402564890018",
		applicant: b"EDU-SYS/zhang.wei",
		amount,
		currency: CNY,
		business_type: BUSINESS,
		purpose,
	})
}

/// A stage signed by `who` (whose key the helper registered).
fn sign<T: Config>(
	key: &paychain_primitives::accounts::SigningKey,
	stage: StageIndex,
	commitment: StageCommitment,
) -> SignedStage {
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	let genesis = sp_core::H256::from_slice(genesis.as_ref());
	let payload = commitment::stage_payload(
		&genesis,
		&REFERENCE,
		stage,
		StageResult::Passed,
		&commitment.root,
	);
	SignedStage {
		commitment,
		result: StageResult::Passed,
		key: key.clone(),
		signature: T::BenchmarkHelper::sign(key, &payload),
	}
}

/// An order of the longest workflow, a distinct institution for each stage, carrying a
/// payment, opened: the handlers and their keys.
fn opened<T: Config>() -> (Vec<T::AccountId>, Vec<paychain_primitives::accounts::SigningKey>) {
	let stages = T::MaxStages::get();
	Workflows::<T>::insert(BUSINESS, workflow::<T>(stages));
	let handlers: Vec<T::AccountId> = (0..stages).map(institution::<T>).collect();
	let keys: Vec<_> = handlers.iter().map(T::BenchmarkHelper::register_key).collect();
	let payee = institution::<T>(1_000);
	let amount = amount::<T>();
	let committed = elements_commitment(amount.unique_saturated_into(), b"tuition subsidy");
	Ledger::<T>::do_open(
		handlers[0].clone(),
		REFERENCE,
		BUSINESS,
		BoundedVec::truncate_from(b"EDU-SYS".to_vec()),
		BoundedVec::truncate_from(handlers.clone()),
		sign::<T>(&keys[0], 0, committed),
		Some(Settlement { payee, amount }),
	)
	.expect("a valid order opens");
	(handlers, keys)
}

/// Records the opened order's stages before `stage` as passed, each by its institution, and
/// returns `stage` signed the same way.
fn passed_until<T: Config>(
	handlers: &[T::AccountId],
	keys: &[paychain_primitives::accounts::SigningKey],
	stage: usize,
) -> SignedStage {
	let committed = elements_commitment(amount::<T>().unique_saturated_into(), b"tuition subsidy");
	for i in 1..stage {
		Ledger::<T>::do_record(
			handlers[i].clone(),
			REFERENCE,
			i as StageIndex,
			sign::<T>(&keys[i], i as StageIndex, committed),
		)
		.expect("the stage passes");
	}
	sign::<T>(&keys[stage], stage as StageIndex, committed)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Opens an order of `h` stages, each by a different institution, carrying a payment.
	#[benchmark]
	fn open_order(h: Linear<2, { T::MaxStages::get() }>) {
		Workflows::<T>::insert(BUSINESS, workflow::<T>(h));
		let handlers: Vec<T::AccountId> = (0..h).map(institution::<T>).collect();
		let key = T::BenchmarkHelper::register_key(&handlers[0]);
		let payee = institution::<T>(1_000);
		let amount = amount::<T>();
		let committed = elements_commitment(amount.unique_saturated_into(), b"tuition subsidy");
		let application = sign::<T>(&key, 0, committed);
		let opener = handlers[0].clone();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(opener.clone()),
			REFERENCE,
			BUSINESS,
			BoundedVec::truncate_from(b"EDU-SYS".to_vec()),
			BoundedVec::truncate_from(handlers),
			application,
			Some(Settlement { payee, amount }),
		);

		assert_eq!(T::Currency::balance_on_hold(&HoldReason::Settlement.into(), &opener), amount);
	}

	/// The last stage of the longest workflow: it pays the order out through compliance.
	#[benchmark]
	fn record_stage() {
		let (handlers, keys) = opened::<T>();
		let last = handlers.len() - 1;
		let stage = passed_until::<T>(&handlers, &keys, last);

		#[extrinsic_call]
		_(RawOrigin::Signed(handlers[last].clone()), REFERENCE, last as StageIndex, stage);

		assert_eq!(Orders::<T>::get(REFERENCE).map(|o| o.status), Some(OrderStatus::Completed));
	}

	/// A stage that passes with another still to follow, in the longest workflow: signature,
	/// commitment against the application's and the previous stage's, nothing paid.
	#[benchmark]
	fn record_stage_passed() {
		let (handlers, keys) = opened::<T>();
		let stage = handlers.len() - 2;
		let signed = passed_until::<T>(&handlers, &keys, stage);

		#[extrinsic_call]
		record_stage(
			RawOrigin::Signed(handlers[stage].clone()),
			REFERENCE,
			stage as StageIndex,
			signed,
		);

		let order = Orders::<T>::get(REFERENCE).expect("the order stays");
		assert_eq!((order.status, order.stages as usize), (OrderStatus::InProgress, stage + 1));
	}

	/// A stage whose commitment changed: the order is stopped, its payment released and an
	/// alert raised.
	#[benchmark]
	fn record_stage_tampered() {
		let (handlers, keys) = opened::<T>();
		let altered = elements_commitment(1, b"consulting");
		let stage = sign::<T>(&keys[1], 1, altered);

		#[extrinsic_call]
		record_stage(RawOrigin::Signed(handlers[1].clone()), REFERENCE, 1, stage);

		assert_eq!(
			Orders::<T>::get(REFERENCE).map(|o| o.status),
			Some(OrderStatus::TamperSuspected)
		);
	}

	#[benchmark]
	fn set_workflow(s: Linear<2, { T::MaxStages::get() }>) -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let stages = workflow::<T>(s);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, BUSINESS, stages);

		assert_eq!(Workflows::<T>::get(BUSINESS).map(|w| w.len() as u32), Some(s));
		Ok(())
	}

	impl_benchmark_test_suite!(Ledger, mock::ext(), mock::Test);
}
