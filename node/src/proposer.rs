//! Block proposing with time kept back to finish the block.
//!
//! Aura gives the proposer what is left of the author's share of the slot, and throws the
//! block away if the proposer has not returned it by then ("Discarding proposal … block
//! production took too long"). The SDK's proposer adds transactions until a tenth of that time
//! is left, then finishes the block: `finalize_block`, and the state root over every key the
//! block's transactions changed. Under load on the benchmark's network that tenth was not
//! enough: finishing a block of 1,500 transfers took about 170 ms of a 1.2 s proposal, and 5 of
//! 21 proposals were discarded, each a slot without a block (docs/PERFORMANCE.md, "Block
//! production under load").
//!
//! [`FinishTime`] wraps the SDK's proposer factory and gives each proposer it makes less of the
//! time Aura allows, so the proposer stops adding transactions earlier and the block is
//! finished within the slot's share. How much less is learned: at least `finish` of the time
//! (`--proposal-finish-percent`), and more while this validator's recent blocks took longer to
//! finish than that leaves (a block of bulk transfers changes tens of thousands of keys; on a
//! loaded machine finishing one took 300–500 ms of a 1.2 s proposal). [`Reserve`] keeps the
//! estimate: it rises at once with a slow finish or a discarded proposal, and decays by a
//! quarter with each proposal that does not renew it, back to the floor.

use futures::{future::BoxFuture, FutureExt, TryFutureExt};
use sp_consensus::{Environment, ProposeArgs, Proposer};
use sp_runtime::{traits::Block as BlockT, Percent};
use std::{
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

/// The most of a proposal's time ever kept for finishing: beyond it, blocks would be too small
/// to clear a backlog.
const MOST_KEPT: f64 = 0.6;
/// The margin on the estimated finishing time.
const MARGIN: f64 = 1.25;
/// What is left of an estimate after a proposal that does not renew it.
const DECAY: f64 = 0.75;
/// How much a discarded proposal raises the estimate, at least.
const GROWTH: f64 = 1.5;

/// A validator's estimate of how long finishing a block takes it, and the share of each
/// proposal's time it keeps for that (never less than `floor`).
#[derive(Clone, Debug)]
pub struct Reserve {
	floor: Percent,
	finishing: Arc<Mutex<Duration>>,
}

/// What became of a proposal, as its wrapper saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
	/// Returned `elapsed` after it started.
	Returned(Duration),
	/// Dropped before it returned: Aura's deadline passed, and the block was thrown away.
	Discarded,
}

impl Reserve {
	/// A reserve of `floor` until a block is seen to need more.
	pub fn new(floor: Percent) -> Self {
		Self { floor, finishing: Arc::new(Mutex::new(Duration::ZERO)) }
	}

	fn estimate(&self) -> Duration {
		*self.finishing.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}

	/// The time the inner proposer may use of `given`: all of it but what finishing the block
	/// is expected to take (with a margin), and never more than `1 - floor` of it.
	pub fn building_time(&self, given: Duration) -> Duration {
		// The SDK's proposer stops adding transactions a tenth before the end of what it is
		// given, so it leaves `given - 0.9 × building` for finishing: solve for `building`.
		let needed = self.estimate().as_secs_f64() * MARGIN;
		let share = if given.is_zero() {
			0.0
		} else {
			((needed / given.as_secs_f64() - 0.1) / 0.9).clamp(0.0, MOST_KEPT)
		};
		if share <= f64::from(self.floor.deconstruct()) / 100.0 {
			building_time(given, self.floor)
		} else {
			given.mul_f64(1.0 - share)
		}
	}

	/// Learns from a proposal that was given `given` and passed its proposer `building`.
	pub fn learn(&self, given: Duration, building: Duration, outcome: Outcome) {
		// Transactions stop being added at 0.9 × `building`; what came after was finishing.
		let stop_adding = building.mul_f64(0.9);
		let mut finishing = self.finishing.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		let decayed = finishing.mul_f64(DECAY);
		*finishing = match outcome {
			// Ran to the point where it stops adding, so the rest was finishing.
			Outcome::Returned(elapsed) if elapsed > stop_adding =>
				decayed.max(elapsed - stop_adding),
			// Ended early (no more transactions, or a full block): nothing learned.
			Outcome::Returned(_) => decayed,
			// Finishing took longer than all that was left, by an unknown amount.
			Outcome::Discarded =>
				finishing.mul_f64(GROWTH).max(given.saturating_sub(stop_adding).mul_f64(GROWTH)),
		}
		// More than the whole proposal would only slow the way back down.
		.min(given);
	}
}

/// A proposer factory whose proposers keep back, of the time they are given, what finishing
/// their block is expected to take.
pub struct FinishTime<E> {
	inner: E,
	reserve: Reserve,
}

impl<E> FinishTime<E> {
	/// Wraps `inner`, keeping back at least `finish` of each proposal's time.
	pub fn new(inner: E, finish: Percent) -> Self {
		Self { inner, reserve: Reserve::new(finish) }
	}
}

/// A proposer that passes on the time its [`Reserve`] allows, and tells it how that went.
pub struct FinishTimeProposer<P> {
	inner: P,
	reserve: Reserve,
}

/// The time the inner proposer may use of `given`: all of it but `finish`.
pub fn building_time(given: Duration, finish: Percent) -> Duration {
	let building = Percent::from_percent(100u8.saturating_sub(finish.deconstruct()));
	Duration::from_nanos(building.mul_floor(u64::try_from(given.as_nanos()).unwrap_or(u64::MAX)))
}

impl<B, E> Environment<B> for FinishTime<E>
where
	B: BlockT,
	E: Environment<B>,
	E::CreateProposer: Send + 'static,
	E::Proposer: Send + 'static,
{
	type Proposer = FinishTimeProposer<E::Proposer>;
	type CreateProposer = BoxFuture<'static, Result<Self::Proposer, Self::Error>>;
	type Error = E::Error;

	fn init(&mut self, parent_header: &B::Header) -> Self::CreateProposer {
		let reserve = self.reserve.clone();
		self.inner
			.init(parent_header)
			.map_ok(move |inner| FinishTimeProposer { inner, reserve })
			.boxed()
	}
}

/// Tells the reserve a proposal was discarded if it is dropped before it returns.
struct Watch {
	reserve: Reserve,
	given: Duration,
	building: Duration,
	started: Instant,
	returned: bool,
}

impl Watch {
	fn returned(mut self) {
		self.returned = true;
		let elapsed = self.started.elapsed();
		self.reserve.learn(self.given, self.building, Outcome::Returned(elapsed));
	}
}

impl Drop for Watch {
	fn drop(&mut self) {
		if !self.returned {
			self.reserve.learn(self.given, self.building, Outcome::Discarded);
		}
	}
}

impl<B: BlockT, P: Proposer<B>> Proposer<B> for FinishTimeProposer<P> {
	type Error = P::Error;
	type Proposal = BoxFuture<'static, Result<sp_consensus::Proposal<B>, P::Error>>;

	fn propose(self, mut args: ProposeArgs<B>) -> Self::Proposal {
		let given = args.max_duration;
		let building = self.reserve.building_time(given);
		args.max_duration = building;
		let watch = Watch {
			reserve: self.reserve,
			given,
			building,
			started: Instant::now(),
			returned: false,
		};
		self.inner
			.propose(args)
			.map(move |proposal| {
				watch.returned();
				proposal
			})
			.boxed()
	}
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use paychain_runtime::opaque::Block;
	use sp_consensus::{Error, Proposal};

	/// Records the time it was given and proposes nothing.
	pub(crate) struct Recorder(Arc<Mutex<Vec<Duration>>>);

	impl Proposer<Block> for Recorder {
		type Error = Error;
		type Proposal = futures::future::Ready<Result<Proposal<Block>, Error>>;

		fn propose(self, args: ProposeArgs<Block>) -> Self::Proposal {
			self.0.lock().expect("not poisoned").push(args.max_duration);
			futures::future::ready(Err(Error::InvalidAuthoritiesSet))
		}
	}

	/// Makes [`Recorder`]s that record into its first field, and counts them in its second.
	pub(crate) struct Factory(pub Arc<Mutex<Vec<Duration>>>, pub Arc<Mutex<u32>>);

	impl Environment<Block> for Factory {
		type Proposer = Recorder;
		type CreateProposer = futures::future::Ready<Result<Recorder, Error>>;
		type Error = Error;

		fn init(&mut self, _: &<Block as BlockT>::Header) -> Self::CreateProposer {
			*self.1.lock().expect("not poisoned") += 1;
			futures::future::ready(Ok(Recorder(self.0.clone())))
		}
	}

	/// A header at `number`, nothing else in it.
	pub(crate) fn header_at(number: u32) -> <Block as BlockT>::Header {
		<<Block as BlockT>::Header as sp_runtime::traits::Header>::new(
			number,
			Default::default(),
			Default::default(),
			Default::default(),
			Default::default(),
		)
	}

	fn header() -> <Block as BlockT>::Header {
		header_at(7)
	}

	#[test]
	fn the_inner_proposer_gets_the_time_less_the_share_kept_to_finish() {
		let given = Arc::new(Mutex::new(Vec::new()));
		let inits = Arc::new(Mutex::new(0));
		let mut factory =
			FinishTime::new(Factory(given.clone(), inits.clone()), Percent::from_percent(20));

		for max_duration in [Duration::from_millis(1_200), Duration::from_millis(2_000)] {
			let proposer =
				futures::executor::block_on(factory.init(&header())).expect("the inner inits");
			let proposal = futures::executor::block_on(
				proposer.propose(ProposeArgs { max_duration, ..Default::default() }),
			);
			// What the inner proposer returns comes back unchanged.
			assert!(matches!(proposal, Err(Error::InvalidAuthoritiesSet)));
		}

		assert_eq!(*inits.lock().expect("not poisoned"), 2);
		assert_eq!(
			*given.lock().expect("not poisoned"),
			vec![Duration::from_millis(960), Duration::from_millis(1_600)]
		);
	}

	/// Proposes nothing and never returns: what Aura drops at the end of the author's share.
	struct Stuck(Arc<Mutex<Vec<Duration>>>);

	impl Proposer<Block> for Stuck {
		type Error = Error;
		type Proposal = futures::future::Pending<Result<Proposal<Block>, Error>>;

		fn propose(self, args: ProposeArgs<Block>) -> Self::Proposal {
			self.0.lock().expect("not poisoned").push(args.max_duration);
			futures::future::pending()
		}
	}

	struct StuckFactory(Arc<Mutex<Vec<Duration>>>);

	impl Environment<Block> for StuckFactory {
		type Proposer = Stuck;
		type CreateProposer = futures::future::Ready<Result<Stuck, Error>>;
		type Error = Error;

		fn init(&mut self, _: &<Block as BlockT>::Header) -> Self::CreateProposer {
			futures::future::ready(Ok(Stuck(self.0.clone())))
		}
	}

	fn close(a: Duration, b: Duration) -> bool {
		a.abs_diff(b) < Duration::from_micros(10)
	}

	#[test]
	fn a_discarded_proposal_makes_the_next_one_keep_more_time_to_finish() {
		let given = Arc::new(Mutex::new(Vec::new()));
		let mut factory = FinishTime::new(StuckFactory(given.clone()), Percent::from_percent(20));
		let max_duration = Duration::from_millis(1_200);
		for _ in 0..2 {
			let proposer =
				futures::executor::block_on(factory.init(&header())).expect("the inner inits");
			// Aura gives up on it: the future is dropped unfinished.
			drop(proposer.propose(ProposeArgs { max_duration, ..Default::default() }));
		}
		let given = given.lock().expect("not poisoned").clone();
		assert_eq!(given[0], Duration::from_millis(960), "the floor at first");
		// It stopped adding at 864 ms and had not finished at 1,200: finishing is taken to need
		// 1.5 × 336 ms, with a margin of a quarter: 630 ms from the point it stops adding.
		assert!(close(given[1], Duration::from_secs_f64(1.2 * (1.0 - (0.525 - 0.1) / 0.9))));
		assert!(given[1] < Duration::from_millis(640));
	}

	#[test]
	fn the_reserve_follows_slow_finishes_and_decays_back_to_the_floor() {
		let reserve = Reserve::new(Percent::from_percent(20));
		let given = Duration::from_millis(1_200);
		let floor = Duration::from_millis(960);
		assert_eq!(reserve.building_time(given), floor);
		// A block that stopped adding at 864 ms and was finished at 1,264 ms: 400 ms to finish.
		reserve.learn(given, floor, Outcome::Returned(Duration::from_millis(1_264)));
		let building = reserve.building_time(given);
		// Stopping at 0.9 × building leaves 1.25 × 400 ms.
		assert!(close(given - building.mul_f64(0.9), Duration::from_millis(500)), "{building:?}");
		// A finish within the floor's reserve teaches nothing new.
		reserve.learn(given, building, Outcome::Returned(Duration::from_millis(800)));
		assert!(reserve.building_time(given) > building, "decayed by a quarter");
		reserve.learn(given, building, Outcome::Returned(Duration::from_millis(300)));
		assert_eq!(reserve.building_time(given), floor, "400 × 0.75² ms fits the floor's reserve");
		// A proposal ended early (no more transactions) says nothing about finishing either.
		reserve.learn(given, floor, Outcome::Returned(Duration::from_millis(100)));
		assert_eq!(reserve.building_time(given), floor);
	}

	#[test]
	fn the_reserve_never_keeps_more_than_its_bound() {
		let reserve = Reserve::new(Percent::from_percent(20));
		let given = Duration::from_millis(1_200);
		for _ in 0..5 {
			reserve.learn(given, reserve.building_time(given), Outcome::Discarded);
		}
		assert!(close(reserve.building_time(given), given.mul_f64(1.0 - MOST_KEPT)));
		assert_eq!(reserve.building_time(Duration::ZERO), Duration::ZERO);
	}

	#[test]
	fn building_time_keeps_the_share_and_never_underflows() {
		let second = Duration::from_secs(1);
		assert_eq!(building_time(second, Percent::zero()), second);
		assert_eq!(building_time(second, Percent::from_percent(25)), Duration::from_millis(750));
		assert_eq!(building_time(second, Percent::from_percent(100)), Duration::ZERO);
		assert_eq!(building_time(Duration::ZERO, Percent::from_percent(30)), Duration::ZERO);
	}
}
