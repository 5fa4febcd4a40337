//! Benchmarks for every call, the check other pallets call, and the deadlines hook, each in its
//! worst case.

use super::*;
use crate::Pallet as Compliance;
use alloc::vec::Vec;
use codec::Encode;
use frame_benchmarking::{account, v2::*, BenchmarkError};
use frame_support::{
	dispatch::{DispatchInfo, PostDispatchInfo},
	pallet_prelude::*,
	traits::fungible::{Inspect, Mutate},
};
use frame_system::RawOrigin;
use paychain_primitives::{
	accounts::{AccountRegistry, KycTier, RegionCode, Role},
	compliance::{Action, ExternalAlert, MovementKind},
};
use sp_core::H256;
use sp_runtime::{
	traits::{
		AsSystemOriginSigner, AsTransactionAuthorizedOrigin, DispatchTransaction, Dispatchable,
		Saturating, StaticLookup,
	},
	Percent,
};

const SEED: u32 = 0;
const NANSHAN: RegionCode = RegionCode(440305);

/// The unit all amounts are counted in: the existential deposit (at least 1).
fn unit<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(1u32.into())
}

/// A registered participant with plenty of money.
fn participant<T: Config>(name: &'static str, index: u32, tier: KycTier) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Registry::register_for_benchmarks(&who, Role::Individual, NANSHAN, tier);
	T::Currency::set_balance(&who, unit::<T>().saturating_mul(10_000_000u32.into()));
	who
}

/// A national regulator and its origin.
fn regulator<T: Config>() -> (T::AccountId, T::RuntimeOrigin) {
	let who: T::AccountId = account("regulator", 0, SEED);
	T::Registry::register_for_benchmarks(
		&who,
		Role::Regulator,
		RegionCode::NATIONAL,
		KycTier::Enhanced,
	);
	(who.clone(), RawOrigin::Signed(who).into())
}

fn put_rule<T: Config>(id: RuleId, rule: RuleOf<T>) {
	let version = RuleVersion::<T>::mutate(|v| {
		*v += 1;
		*v
	});
	Pallet::<T>::put_slot(id, Versioned { version, current: Some(rule), next: None })
		.expect("a national slot has its place");
}

/// The amount the worst-case movement moves: just below the large-value threshold.
fn amount<T: Config>() -> BalanceOf<T> {
	unit::<T>().saturating_mul(999u32.into())
}

/// Fills the deadlines of block `at` to one short of full.
fn deadlines_but_one<T: Config>(at: BlockNumberFor<T>) {
	let items: Vec<_> = (1..T::MaxDeadlinesPerBlock::get())
		.map(|i| Deadline::Freeze(account("filler", i, SEED)))
		.collect();
	Deadlines::<T>::insert(at, BoundedVec::truncate_from(items));
}

/// Rules and counters so that one movement from `from` to `to` fires every rule at once: a
/// report of the day's total, velocity (review), structuring, dormancy on both sides, fan-out
/// and fan-in into full counterparty lists; both accounts without an open case (two cases
/// open); the review's deadline block one short of full. The large-value rule is found at the
/// national level, after three regional reads.
fn worst_case<T: Config>() -> (T::AccountId, T::AccountId) {
	let now: BlockNumberFor<T> = 1_000u32.into();
	frame_system::Pallet::<T>::set_block_number(now);
	let from = participant::<T>("from", 0, KycTier::Basic);
	let to = participant::<T>("to", 0, KycTier::Standard);
	let single = unit::<T>().saturating_mul(1_000u32.into());
	let daily = single.saturating_mul(2u32.into());
	let window: BlockNumberFor<T> = 100u32.into();
	put_rule::<T>(
		RuleId::LargeValue(Role::Individual, None),
		Rule::LargeValue(LargeValueRule { single, daily }),
	);
	put_rule::<T>(
		RuleId::Velocity(KycTier::Basic),
		Rule::Velocity(VelocityRule {
			window,
			max_count: 1,
			max_amount: daily,
			action: Action::Review,
		}),
	);
	put_rule::<T>(
		RuleId::Structuring,
		Rule::Structuring(StructuringRule {
			margin: Percent::from_percent(10),
			window,
			min_count: 2,
			action: Action::Alert,
		}),
	);
	put_rule::<T>(
		RuleId::Dormancy,
		Rule::Dormancy(DormancyRule {
			after: 10u32.into(),
			min_amount: unit::<T>(),
			action: Action::Alert,
		}),
	);
	let max_distinct = T::MaxCounterparties::get().saturating_sub(1);
	let fan = Rule::Fan(FanRule { window, max_distinct, action: Action::Alert });
	put_rule::<T>(RuleId::FanOut, fan);
	put_rule::<T>(RuleId::FanIn, fan);
	let timeout: BlockNumberFor<T> = 50u32.into();
	put_rule::<T>(
		RuleId::ReviewPolicy,
		Rule::ReviewPolicy(ReviewPolicy { timeout, on_timeout: TimeoutAction::Release }),
	);
	deadlines_but_one::<T>(now + timeout);

	let today = Compliance::<T>::today();
	let full_peers = |other: &T::AccountId| {
		let fp = engine::fingerprint(other);
		let mut seen: Vec<u32> = (0..max_distinct).map(|i| fp.wrapping_add(1 + i)).collect();
		seen.sort();
		Peers { start: now, seen: BoundedVec::truncate_from(seen), overflow: 0 }
	};
	let from_act = ActivityOf::<T> {
		day: today,
		day_out: daily.saturating_sub(unit::<T>().saturating_mul(500u32.into())),
		outgoing: Window {
			start: now,
			count: 1,
			amount: unit::<T>(),
			prev_count: 0,
			prev_amount: 0u32.into(),
		},
		near_start: now,
		near_count: 1,
		last_active: Some(0u32.into()),
		recipients: full_peers(&to),
		..Default::default()
	};
	Activities::<T>::insert(&from, from_act);
	let to_act = ActivityOf::<T> {
		day: today,
		last_active: Some(0u32.into()),
		senders: full_peers(&from),
		..Default::default()
	};
	Activities::<T>::insert(&to, to_act);
	(from, to)
}

/// Every rule set, as in [`worst_case`], and the largest counters to read and write, but a
/// movement from `from` to `to` fires none: each is already in the other's full counterparty
/// list, both were active a moment ago, the amount is far below the large-value and
/// structuring thresholds, and the velocity rule has room. The common payment, at its dearest.
fn quiet_case<T: Config>() -> (T::AccountId, T::AccountId) {
	let (from, to) = worst_case::<T>();
	let now = frame_system::Pallet::<T>::block_number();
	put_rule::<T>(
		RuleId::Velocity(KycTier::Basic),
		Rule::Velocity(VelocityRule {
			window: 100u32.into(),
			max_count: 1_000,
			max_amount: unit::<T>().saturating_mul(1_000_000u32.into()),
			action: Action::Review,
		}),
	);
	let max_distinct = T::MaxCounterparties::get().saturating_sub(1);
	let peers_with = |other: &T::AccountId| {
		let fp = engine::fingerprint(other);
		let mut seen: Vec<u32> = (0..max_distinct).map(|i| fp.wrapping_add(i)).collect();
		seen.sort();
		Peers { start: now, seen: BoundedVec::truncate_from(seen), overflow: 0 }
	};
	Activities::<T>::mutate(&from, |act| {
		if let Some(act) = act {
			act.day_out = unit::<T>();
			act.near_count = 0;
			act.last_active = Some(now);
			act.recipients = peers_with(&to);
		}
	});
	Activities::<T>::mutate(&to, |act| {
		if let Some(act) = act {
			act.last_active = Some(now);
			act.senders = peers_with(&from);
		}
	});
	(from, to)
}

/// A sender and `n` distinct recipients, every rule set as in [`quiet_case`], and a payment of
/// one unit from the sender to each fires none: the fan rules allow the most distinct
/// counterparties a rule may (one below `MaxCounterparties`), the sender's list holds that many
/// and every recipient among them, each recipient's holds that many and the sender, and all
/// were active a moment ago. The common bulk transfer, at its dearest.
fn quiet_bulk<T: Config>(n: u32) -> (T::AccountId, Vec<T::AccountId>) {
	let (from, first) = quiet_case::<T>();
	let now = frame_system::Pallet::<T>::block_number();
	let max = T::MaxCounterparties::get().saturating_sub(1);
	let window: BlockNumberFor<T> = 100u32.into();
	let fan = Rule::Fan(FanRule { window, max_distinct: max, action: Action::Alert });
	put_rule::<T>(RuleId::FanOut, fan);
	put_rule::<T>(RuleId::FanIn, fan);
	let recipients: Vec<T::AccountId> = core::iter::once(first)
		.chain((1..n).map(|i| participant::<T>("to", i, KycTier::Standard)))
		.collect();
	// A full list of `max` fingerprints holding `holds`.
	let full_with = |holds: Vec<u32>| {
		let mut seen = holds;
		let mut filler = 0u32;
		while seen.len() < max as usize {
			let fp = engine::fingerprint(&account::<T::AccountId>("peer", filler, SEED));
			filler += 1;
			if !seen.contains(&fp) {
				seen.push(fp);
			}
		}
		seen.sort();
		Peers { start: now, seen: BoundedVec::truncate_from(seen), overflow: 0 }
	};
	let fingerprints = recipients.iter().map(engine::fingerprint).collect();
	Activities::<T>::mutate(&from, |act| {
		if let Some(act) = act {
			act.recipients = full_with(fingerprints);
		}
	});
	let today = Compliance::<T>::today();
	for to in &recipients {
		Activities::<T>::insert(
			to,
			ActivityOf::<T> {
				day: today,
				last_active: Some(now),
				senders: full_with(alloc::vec![engine::fingerprint(&from)]),
				..Default::default()
			},
		);
	}
	(from, recipients)
}

/// A review held from a fresh sender, its deadline block full.
fn review<T: Config>() -> (ReviewId, T::AccountId, T::AccountId) {
	let (from, to) = worst_case::<T>();
	let id = NextReviewId::<T>::get();
	Compliance::<T>::do_check(&from, &to, amount::<T>(), MovementKind::Transfer)
		.expect("the worst case is a review");
	let deadline = Reviews::<T>::get(id).expect("held").deadline;
	// Fill its block: unscheduling it then reads and rewrites a full list.
	Deadlines::<T>::mutate(deadline, |items| {
		let _ = items.try_push(Deadline::Freeze(account("filler", 0, SEED)));
	});
	(id, from, to)
}

/// An open case on a fresh account, its evidence one short of full.
fn case<T: Config>(evidence: u32) -> (CaseId, T::AccountId) {
	let who = participant::<T>("suspect", 0, KycTier::Basic);
	<Compliance<T> as paychain_primitives::compliance::AlertSink<_>>::raise(
		&who,
		ExternalAlert::LedgerTamper,
		H256::zero(),
	);
	let id = OpenCase::<T>::get(&who).expect("opened");
	Cases::<T>::mutate(id, |c| {
		if let Some(c) = c {
			c.evidence = BoundedVec::truncate_from(
				(0..evidence).map(|i| H256::repeat_byte(i as u8)).collect(),
			);
		}
	});
	(id, who)
}

fn basis<T: Config>() -> BoundedVec<u8, T::MaxBasisLen> {
	BoundedVec::truncate_from(alloc::vec![b'x'; T::MaxBasisLen::get() as usize])
}

#[benchmarks(where
	T: Send + Sync,
	<T as frame_system::Config>::RuntimeCall:
		Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo> + From<Call<T>>,
	<<T as frame_system::Config>::RuntimeCall as Dispatchable>::RuntimeOrigin:
		AsSystemOriginSigner<T::AccountId> + AsTransactionAuthorizedOrigin + Clone,
)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn transfer() {
		let (from, to) = worst_case::<T>();
		let id = NextReviewId::<T>::get();
		#[extrinsic_call]
		_(RawOrigin::Signed(from), T::Lookup::unlookup(to), amount::<T>());
		assert!(Reviews::<T>::contains_key(id), "every rule fired and the funds are held");
	}

	/// A transfer that every rule checks and none fires on: what a transfer is refunded to.
	#[benchmark]
	fn transfer_quiet() {
		let (from, to) = quiet_case::<T>();
		let (alerts, reports) = (NextAlertId::<T>::get(), NextReportId::<T>::get());
		let before = T::Currency::balance(&to);
		#[extrinsic_call]
		transfer(RawOrigin::Signed(from), T::Lookup::unlookup(to.clone()), unit::<T>());
		assert_eq!(T::Currency::balance(&to), before.saturating_add(unit::<T>()), "moved");
		assert_eq!((NextAlertId::<T>::get(), NextReportId::<T>::get()), (alerts, reports));
	}

	/// A bulk of `n` payments to distinct recipients, every rule checking each and none firing:
	/// what a bulk transfer is refunded to.
	#[benchmark]
	fn transfer_bulk(n: Linear<1, { T::MaxBulkPayments::get() }>) {
		let (from, recipients) = quiet_bulk::<T>(n);
		let (alerts, reports) = (NextAlertId::<T>::get(), NextReportId::<T>::get());
		let before: Vec<_> = recipients.iter().map(T::Currency::balance).collect();
		let payments: Vec<BulkPaymentOf<T>> = recipients
			.iter()
			.map(|to| BulkPayment { dest: T::Lookup::unlookup(to.clone()), value: unit::<T>() })
			.collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(from), BoundedVec::truncate_from(payments));
		for (to, before) in recipients.iter().zip(before) {
			assert_eq!(T::Currency::balance(to), before.saturating_add(unit::<T>()), "moved");
		}
		assert_eq!((NextAlertId::<T>::get(), NextReportId::<T>::get()), (alerts, reports));
	}

	#[benchmark]
	fn check() {
		let (from, to) = worst_case::<T>();
		let id = NextReviewId::<T>::get();
		#[block]
		{
			Compliance::<T>::do_check(&from, &to, amount::<T>(), MovementKind::Transfer)
				.expect("a review");
		}
		assert!(Reviews::<T>::contains_key(id));
	}

	/// The transaction extension on a transfer inside a block (`test_run` validates as a block
	/// does), where its weight is charged: it leaves the rules to the call. Its evaluation at the
	/// pool, of the worst case, is not block weight.
	#[benchmark]
	fn check_compliance() -> Result<(), BenchmarkError> {
		let (from, to) = worst_case::<T>();
		let call: <T as frame_system::Config>::RuntimeCall =
			Call::<T>::transfer { dest: T::Lookup::unlookup(to), value: amount::<T>() }.into();
		let info = DispatchInfo { call_weight: Weight::zero(), ..Default::default() };
		let ext = CheckCompliance::<T>::new();
		assert!(ext.encode().is_empty());
		#[block]
		{
			ext.test_run(RawOrigin::Signed(from).into(), &call, &info, 0, 0, |_| Ok(().into()))
				.map_err(|_| BenchmarkError::Stop("the extension refused"))?
				.map_err(|_| BenchmarkError::Stop("the call failed"))?;
		}
		Ok(())
	}

	#[benchmark]
	fn set_rule() {
		let (_, origin) = regulator::<T>();
		// The dearer of the two places a slot is kept: the national value, every slot set, the
		// one changed with a change still waiting, which this one replaces. (A regional slot
		// is one map entry.)
		let fan =
			Rule::Fan(FanRule { max_distinct: 5, window: 10u32.into(), action: Action::Alert });
		let review = Rule::ReviewPolicy(ReviewPolicy {
			timeout: 10u32.into(),
			on_timeout: TimeoutAction::Return,
		});
		for id in RuleId::all_national() {
			let rule = if id == RuleId::ReviewPolicy { review } else { fan };
			Pallet::<T>::put_slot(
				id,
				Versioned {
					version: 1,
					current: Some(rule),
					next: Some(ScheduledRule {
						version: 2,
						effective_at: 5u32.into(),
						rule: Some(rule),
					}),
				},
			)
			.expect("every national slot has its place");
		}
		let id = RuleId::FanIn;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, Some(fan), Some(3u32.into()));
		assert!(Pallet::<T>::slot(id)
			.is_some_and(|s| s.next.is_some_and(|n| n.effective_at == 3u32.into())));
	}

	#[benchmark]
	fn list_account() {
		let (_, origin) = regulator::<T>();
		let who = participant::<T>("listed", 0, KycTier::Basic);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), H256::repeat_byte(1));
		assert!(WatchList::<T>::contains_key(&who));
	}

	#[benchmark]
	fn unlist_account() -> Result<(), BenchmarkError> {
		let (_, origin) = regulator::<T>();
		let who = participant::<T>("listed", 0, KycTier::Basic);
		Compliance::<T>::list_account(origin.clone(), who.clone(), H256::zero())
			.map_err(|_| BenchmarkError::Stop("list failed"))?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(!WatchList::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn freeze() {
		let (_, origin) = regulator::<T>();
		let who = participant::<T>("frozen", 0, KycTier::Basic);
		let expiry: BlockNumberFor<T> = 500u32.into();
		deadlines_but_one::<T>(expiry);
		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			who.clone(),
			FreezeScope::Amount(unit::<T>()),
			basis::<T>(),
			Some(expiry),
		);
		assert!(Freezes::<T>::contains_key(&who));
	}

	#[benchmark]
	fn unfreeze() -> Result<(), BenchmarkError> {
		let (_, origin) = regulator::<T>();
		let who = participant::<T>("frozen", 0, KycTier::Basic);
		let expiry: BlockNumberFor<T> = 500u32.into();
		deadlines_but_one::<T>(expiry);
		Compliance::<T>::freeze(
			origin.clone(),
			who.clone(),
			FreezeScope::Amount(unit::<T>()),
			basis::<T>(),
			Some(expiry),
		)
		.map_err(|_| BenchmarkError::Stop("freeze failed"))?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());
		assert!(!Freezes::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn release_review() {
		let (id, _, to) = review::<T>();
		let (_, origin) = regulator::<T>();
		let before = T::Currency::balance(&to);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert!(T::Currency::balance(&to) > before);
	}

	#[benchmark]
	fn return_review() {
		let (id, _, _) = review::<T>();
		let (_, origin) = regulator::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert!(!Reviews::<T>::contains_key(id));
	}

	#[benchmark]
	fn take_case() {
		let (id, _) = case::<T>(0);
		let (_, origin) = regulator::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert!(Cases::<T>::get(id).is_some_and(|c| c.status == CaseStatus::UnderReview));
	}

	#[benchmark]
	fn add_evidence() {
		let (id, _) = case::<T>(T::MaxEvidence::get() - 1);
		let (_, origin) = regulator::<T>();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, H256::repeat_byte(0xee));
		assert!(Cases::<T>::get(id).is_some_and(|c| c.evidence.is_full()));
	}

	#[benchmark]
	fn close_case() -> Result<(), BenchmarkError> {
		let (id, _) = case::<T>(T::MaxEvidence::get() - 1);
		let (_, origin) = regulator::<T>();
		Compliance::<T>::take_case(origin.clone(), id)
			.map_err(|_| BenchmarkError::Stop("take failed"))?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, H256::repeat_byte(0xee));
		assert!(Cases::<T>::get(id).is_some_and(|c| c.status == CaseStatus::Closed));
		Ok(())
	}

	#[benchmark]
	fn report_case() -> Result<(), BenchmarkError> {
		let (id, _) = case::<T>(T::MaxEvidence::get() - 1);
		let (_, origin) = regulator::<T>();
		Compliance::<T>::take_case(origin.clone(), id)
			.map_err(|_| BenchmarkError::Stop("take failed"))?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, H256::repeat_byte(0xee));
		assert!(Cases::<T>::get(id).is_some_and(|c| c.status == CaseStatus::Reported));
		Ok(())
	}

	#[benchmark]
	fn file_report() -> Result<(), BenchmarkError> {
		let (who, origin) = regulator::<T>();
		let (case, _) = case::<T>(0);
		Compliance::<T>::take_case(origin.clone(), case)
			.map_err(|_| BenchmarkError::Stop("take failed"))?;
		Compliance::<T>::report_case(origin, case, H256::zero())
			.map_err(|_| BenchmarkError::Stop("report failed"))?;
		let report =
			Cases::<T>::get(case).and_then(|c| c.report).ok_or(BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(who), report, H256::repeat_byte(1));
		assert!(Reports::<T>::get(report).is_some_and(|r| r.status == ReportStatus::Filed));
		Ok(())
	}

	/// `n` reviews time out in one block and are released to their recipients.
	#[benchmark]
	fn process_deadlines(n: Linear<0, { T::MaxDeadlinesPerBlock::get() }>) {
		let (from, to) = worst_case::<T>();
		Deadlines::<T>::remove(frame_system::Pallet::<T>::block_number() + 50u32.into());
		let mut deadline = None;
		for _ in 0..n {
			let id = NextReviewId::<T>::get();
			Compliance::<T>::do_check(
				&from,
				&to,
				unit::<T>().saturating_mul(2u32.into()),
				MovementKind::Transfer,
			)
			.expect("a review");
			deadline = Reviews::<T>::get(id).map(|r| r.deadline);
		}
		let at = deadline.unwrap_or_else(|| frame_system::Pallet::<T>::block_number());
		frame_system::Pallet::<T>::set_block_number(at);
		#[block]
		{
			Compliance::<T>::process_deadlines(at);
		}
		assert_eq!(Reviews::<T>::iter().count(), 0);
	}

	impl_benchmark_test_suite!(Compliance, mock::new_test_ext(), mock::Test);
}
