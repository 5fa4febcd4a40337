//! Benchmarks for every call and both kinds of queued timeout, each in its worst case: the most
//! oracles and milestones, and payments through the real compliance check of the runtime they
//! run in.

use super::*;
use crate::Pallet as Escrow;
use alloc::vec::Vec;
use frame_benchmarking::{account, v2::*};
use frame_support::{
	traits::{
		fungible::{Inspect, InspectHold, Mutate},
		EnsureOrigin, Get,
	},
	weights::WeightMeter,
	BoundedVec,
};
use frame_system::RawOrigin;
use paychain_primitives::accounts::{AccountRegistry, KycTier, RegionCode, Role};
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, StaticLookup, Zero},
	Percent, Permill,
};

const SEED: u32 = 0;
const NANSHAN: RegionCode = RegionCode(440305);
const TRACKING: H256 = H256::repeat_byte(0x7C);

/// The unit all amounts are counted in: the existential deposit (at least 1).
fn unit<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(1u32.into())
}

/// The escrowed amount: small enough that the runtime's rules accept it.
fn amount<T: Config>() -> BalanceOf<T> {
	unit::<T>().saturating_mul(1_200u32.into())
}

/// A registered, funded participant.
fn participant<T: Config>(name: &'static str, role: Role) -> T::AccountId {
	let who: T::AccountId = account(name, 0, SEED);
	T::Registry::register_for_benchmarks(&who, role, NANSHAN, KycTier::Enhanced);
	T::Currency::set_balance(&who, unit::<T>().saturating_mul(1_000_000u32.into()));
	who
}

fn payer<T: Config>() -> T::AccountId {
	participant::<T>("payer", Role::Individual)
}

fn payee<T: Config>() -> T::AccountId {
	participant::<T>("payee", Role::Merchant)
}

/// A registered oracle whose key the helper can sign with.
fn oracle<T: Config>(seed: u32) -> T::AccountId {
	let who = T::BenchmarkHelper::oracle(seed);
	T::Registry::register_for_benchmarks(&who, Role::Oracle, NANSHAN, KycTier::Enhanced);
	who
}

/// An agreement with both arbiters, `o` oracles (all must attest) and `m` milestones.
fn agreement<T: Config>(o: u32, m: u32) -> AgreementOf<T> {
	let arbiter = participant::<T>("arbiter", Role::Arbiter);
	let appeal = participant::<T>("appeal", Role::Arbiter);
	let oracles = (o > 0).then(|| OracleSet {
		members: BoundedVec::truncate_from((0..o).map(oracle::<T>).collect::<Vec<_>>()),
		threshold: o,
	});
	let mut milestones = Vec::new();
	if m > 0 {
		let share = amount::<T>() / m.into();
		milestones.resize(m as usize - 1, share);
		milestones.push(amount::<T>().saturating_sub(share.saturating_mul((m - 1).into())));
	}
	let period: BlockNumberFor<T> = 10u32.into();
	Agreement {
		order: OrderRef {
			commitment: H256::repeat_byte(0xAB),
			id: BoundedVec::truncate_from(alloc::vec![b'X'; T::MaxOrderIdLen::get() as usize]),
		},
		terms: Terms {
			ship_within: period,
			deliver_within: period,
			dispute_window: period,
			appeal_window: period,
		},
		arbitration: Arbitration { arbiter: Some(arbiter), appeal_arbiter: Some(appeal) },
		oracles,
		milestones: BoundedVec::truncate_from(milestones),
	}
}

/// Leaves escrow `id`'s live queue entry, at block `at`, as the only one, at the head: the
/// measured hook then does exactly one step (the blocks it passes cost a read and a write each,
/// counted apart).
fn only_live_entry<T: Config>(id: EscrowId, at: BlockNumberFor<T>) {
	let _ = TimeoutQueue::<T>::clear(u32::MAX, None);
	let _ = QueueLength::<T>::clear(u32::MAX, None);
	TimeoutQueue::<T>::insert(at, 0, id);
	QueueLength::<T>::insert(at, 1);
	QueueHead::<T>::put((at, 0));
}

fn now<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
}

/// A funded escrow between the benchmark payer and payee.
fn funded<T: Config>(o: u32, m: u32) -> (EscrowId, T::AccountId, T::AccountId) {
	let (payer, payee) = (payer::<T>(), payee::<T>());
	let id = NextEscrowId::<T>::get();
	Escrow::<T>::do_create(payer.clone(), payee.clone(), amount::<T>(), agreement::<T>(o, m))
		.expect("the benchmark escrow is valid");
	(id, payer, payee)
}

fn shipped<T: Config>(o: u32) -> (EscrowId, T::AccountId, T::AccountId) {
	let (id, payer, payee) = funded::<T>(o, 0);
	Escrow::<T>::do_ship(payee.clone(), id, TRACKING).expect("funded");
	(id, payer, payee)
}

fn delivered<T: Config>() -> (EscrowId, T::AccountId, T::AccountId) {
	let (id, payer, payee) = shipped::<T>(0);
	Escrow::<T>::do_confirm_delivery(payer.clone(), id).expect("shipped");
	(id, payer, payee)
}

fn disputed<T: Config>() -> (EscrowId, T::AccountId, T::AccountId) {
	let (id, payer, payee) = shipped::<T>(0);
	Escrow::<T>::do_open_dispute(payer.clone(), id, H256::zero()).expect("shipped");
	(id, payer, payee)
}

/// Escrow `id` pays the highest fee: a second transfer on every payment.
fn highest_fee<T: Config>(id: EscrowId) {
	Escrows::<T>::mutate(id, |e| {
		if let Some(e) = e {
			e.fee_rate = T::MaxFeeRate::get();
		}
	});
}

fn held<T: Config>(who: &T::AccountId) -> BalanceOf<T> {
	T::Currency::balance_on_hold(&HoldReason::Escrow.into(), who)
}

fn status<T: Config>(id: EscrowId) -> StatusKind {
	Escrows::<T>::get(id).map(|e| e.status.kind()).expect("the escrow exists")
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_escrow(
		o: Linear<0, { T::MaxOracles::get() }>,
		m: Linear<0, { T::MaxMilestones::get() }>,
	) {
		let (payer, payee) = (payer::<T>(), payee::<T>());
		let agreement = agreement::<T>(o, m);
		#[extrinsic_call]
		_(RawOrigin::Signed(payer.clone()), T::Lookup::unlookup(payee), amount::<T>(), agreement);
		assert_eq!(held::<T>(&payer), amount::<T>());
	}

	#[benchmark]
	fn request_payment(
		o: Linear<0, { T::MaxOracles::get() }>,
		m: Linear<0, { T::MaxMilestones::get() }>,
	) {
		let (payer, payee) = (payer::<T>(), payee::<T>());
		let agreement = agreement::<T>(o, m);
		#[extrinsic_call]
		_(RawOrigin::Signed(payee), T::Lookup::unlookup(payer), amount::<T>(), agreement);
		assert_eq!(status::<T>(0), StatusKind::Requested);
	}

	#[benchmark]
	fn accept_request() {
		let (payer, payee) = (payer::<T>(), payee::<T>());
		Escrow::<T>::do_request(
			payer.clone(),
			payee,
			amount::<T>(),
			agreement::<T>(T::MaxOracles::get(), T::MaxMilestones::get()),
		)
		.expect("valid");
		#[extrinsic_call]
		_(RawOrigin::Signed(payer.clone()), 0);
		assert_eq!(held::<T>(&payer), amount::<T>());
	}

	#[benchmark]
	fn cancel_request() {
		let (payer, payee) = (payer::<T>(), payee::<T>());
		Escrow::<T>::do_request(payer.clone(), payee, amount::<T>(), agreement::<T>(0, 0))
			.expect("valid");
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), 0);
		assert_eq!(status::<T>(0), StatusKind::Closed);
	}

	#[benchmark]
	fn ship() {
		let (id, _, payee) = funded::<T>(0, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(payee), id, TRACKING);
		assert_eq!(status::<T>(id), StatusKind::Shipped);
	}

	#[benchmark]
	fn confirm_delivery() {
		let (id, payer, _) = shipped::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id);
		assert_eq!(status::<T>(id), StatusKind::Delivered);
	}

	#[benchmark]
	fn attest_delivery() {
		let n = T::MaxOracles::get();
		let (id, _, _) = shipped::<T>(n);
		let others = (0..n - 1).map(T::BenchmarkHelper::oracle).collect::<Vec<_>>();
		if !others.is_empty() {
			Escrow::<T>::do_attest(id, others).expect("oracles of the escrow");
		}
		// Made before the measured call: making a key in the keystore is slow.
		let last = T::BenchmarkHelper::oracle(n - 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(last), id);
		assert_eq!(status::<T>(id), StatusKind::Delivered);
	}

	#[benchmark]
	fn submit_attestations(n: Linear<1, { T::MaxOracles::get() }>) {
		let (id, _, payee) = shipped::<T>(n);
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let payload = attestation_payload(&genesis, id, TRACKING);
		let attestations = (0..n)
			.map(|seed| Attestation {
				oracle: T::BenchmarkHelper::oracle(seed),
				signature: T::BenchmarkHelper::sign(seed, &payload),
			})
			.collect::<Vec<_>>();
		#[extrinsic_call]
		_(RawOrigin::Signed(payee), id, BoundedVec::truncate_from(attestations));
		assert_eq!(status::<T>(id), StatusKind::Delivered);
	}

	#[benchmark]
	fn release() {
		let (id, payer, payee) = delivered::<T>();
		highest_fee::<T>(id);
		let before = T::Currency::balance(&payee);
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id);
		assert!(T::Currency::balance(&payee) > before);
	}

	#[benchmark]
	fn release_milestone() {
		let (id, payer, payee) = funded::<T>(0, T::MaxMilestones::get().max(2));
		highest_fee::<T>(id);
		let before = T::Currency::balance(&payee);
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id, 0);
		assert!(T::Currency::balance(&payee) > before);
	}

	#[benchmark]
	fn cancel() {
		let (id, payer, payee) = funded::<T>(0, 0);
		Escrow::<T>::do_cancel(payee, id).expect("funded");
		#[extrinsic_call]
		_(RawOrigin::Signed(payer.clone()), id);
		assert!(held::<T>(&payer).is_zero());
	}

	#[benchmark]
	fn refund() {
		let (id, payer, payee) = disputed::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(payee), id);
		assert!(held::<T>(&payer).is_zero());
	}

	#[benchmark]
	fn open_dispute() {
		let (id, payer, _) = delivered::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id, H256::repeat_byte(1));
		assert_eq!(status::<T>(id), StatusKind::Disputed);
	}

	/// The worst case: an appeal ruling, carried out at once (a refund and a payment).
	#[benchmark]
	fn rule() {
		let (id, payer, _) = disputed::<T>();
		highest_fee::<T>(id);
		let arbiter: T::AccountId = account("arbiter", 0, SEED);
		Escrow::<T>::do_rule(
			Some(arbiter),
			id,
			Percent::from_percent(50),
			Percent::from_percent(50),
		)
		.expect("the arbiter rules");
		Escrow::<T>::do_appeal(payer.clone(), id, H256::zero()).expect("ruled");
		let appeal_arbiter: T::AccountId = account("appeal", 0, SEED);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(appeal_arbiter),
			id,
			Percent::from_percent(30),
			Percent::from_percent(70),
		);
		assert_eq!(status::<T>(id), StatusKind::Closed);
	}

	#[benchmark]
	fn appeal() {
		let (id, payer, _) = disputed::<T>();
		let arbiter: T::AccountId = account("arbiter", 0, SEED);
		Escrow::<T>::do_rule(
			Some(arbiter),
			id,
			Percent::from_percent(50),
			Percent::from_percent(50),
		)
		.expect("the arbiter rules");
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id, H256::zero());
		assert_eq!(status::<T>(id), StatusKind::Disputed);
	}

	#[benchmark]
	fn retry_release() {
		let (id, payer, payee) = delivered::<T>();
		highest_fee::<T>(id);
		Escrows::<T>::mutate(id, |e| {
			if let Some(e) = e {
				e.status = Status::AwaitingCompliance { since: now::<T>(), ruling: None };
				e.timeout = None;
			}
		});
		let before = T::Currency::balance(&payee);
		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id);
		assert!(T::Currency::balance(&payee) > before);
	}

	#[benchmark]
	fn force_refund() -> Result<(), BenchmarkError> {
		let (id, payer, _) = disputed::<T>();
		let origin =
			T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, H256::repeat_byte(9));
		assert!(held::<T>(&payer).is_zero());
		Ok(())
	}

	#[benchmark]
	fn set_fee_rate() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let rate: Permill = T::MaxFeeRate::get();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, rate);
		assert_eq!(FeeRate::<T>::get(), rate);
		Ok(())
	}

	/// One queued release after the dispute window, through the idle hook.
	#[benchmark]
	fn timeout_release() {
		let (id, _, payee) = delivered::<T>();
		highest_fee::<T>(id);
		let at = Escrows::<T>::get(id).and_then(|e| e.timeout).expect("queued");
		frame_system::Pallet::<T>::set_block_number(at);
		only_live_entry::<T>(id, at);
		let before = T::Currency::balance(&payee);
		#[block]
		{
			Escrow::<T>::process_timeouts(at, &mut WeightMeter::new());
		}
		assert!(T::Currency::balance(&payee) > before);
	}

	/// One closed escrow with `o` oracles removed after its retention, through the idle hook.
	#[benchmark]
	fn timeout_remove(o: Linear<0, { T::MaxOracles::get() }>) {
		let (id, payer, _) = funded::<T>(o, 0);
		Escrow::<T>::do_release(payer, id).expect("funded");
		let at = Escrows::<T>::get(id).and_then(|e| e.timeout).expect("queued");
		frame_system::Pallet::<T>::set_block_number(at);
		only_live_entry::<T>(id, at);
		#[block]
		{
			Escrow::<T>::process_timeouts(at, &mut WeightMeter::new());
		}
		assert!(!Escrows::<T>::contains_key(id));
	}

	impl_benchmark_test_suite!(Escrow, mock::ext(), mock::Test);
}
