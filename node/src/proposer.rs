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
//! [`FinishTime`] wraps the SDK's proposer factory and gives each proposer it makes `finish`
//! less of the time Aura allows, so the proposer stops adding transactions earlier and the
//! block is finished within the slot's share.

use futures::{future::BoxFuture, FutureExt, TryFutureExt};
use sp_consensus::{Environment, ProposeArgs, Proposer};
use sp_runtime::{traits::Block as BlockT, Percent};
use std::time::Duration;

/// A proposer factory whose proposers keep `finish` of their time for finishing the block.
pub struct FinishTime<E> {
	inner: E,
	finish: Percent,
}

impl<E> FinishTime<E> {
	/// Wraps `inner`, keeping back `finish` of each proposal's time.
	pub fn new(inner: E, finish: Percent) -> Self {
		Self { inner, finish }
	}
}

/// A proposer that passes on all but `finish` of the time it is given.
pub struct FinishTimeProposer<P> {
	inner: P,
	finish: Percent,
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
		let finish = self.finish;
		self.inner
			.init(parent_header)
			.map_ok(move |inner| FinishTimeProposer { inner, finish })
			.boxed()
	}
}

impl<B: BlockT, P: Proposer<B>> Proposer<B> for FinishTimeProposer<P> {
	type Error = P::Error;
	type Proposal = P::Proposal;

	fn propose(self, mut args: ProposeArgs<B>) -> Self::Proposal {
		args.max_duration = building_time(args.max_duration, self.finish);
		self.inner.propose(args)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use paychain_runtime::opaque::Block;
	use sp_consensus::{Error, Proposal};
	use std::sync::{Arc, Mutex};

	/// Records the time it was given and proposes nothing.
	struct Recorder(Arc<Mutex<Vec<Duration>>>);

	impl Proposer<Block> for Recorder {
		type Error = Error;
		type Proposal = futures::future::Ready<Result<Proposal<Block>, Error>>;

		fn propose(self, args: ProposeArgs<Block>) -> Self::Proposal {
			self.0.lock().expect("not poisoned").push(args.max_duration);
			futures::future::ready(Err(Error::InvalidAuthoritiesSet))
		}
	}

	struct Factory(Arc<Mutex<Vec<Duration>>>, Arc<Mutex<u32>>);

	impl Environment<Block> for Factory {
		type Proposer = Recorder;
		type CreateProposer = futures::future::Ready<Result<Recorder, Error>>;
		type Error = Error;

		fn init(&mut self, _: &<Block as BlockT>::Header) -> Self::CreateProposer {
			*self.1.lock().expect("not poisoned") += 1;
			futures::future::ready(Ok(Recorder(self.0.clone())))
		}
	}

	fn header() -> <Block as BlockT>::Header {
		<<Block as BlockT>::Header as sp_runtime::traits::Header>::new(
			7,
			Default::default(),
			Default::default(),
			Default::default(),
			Default::default(),
		)
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

	#[test]
	fn building_time_keeps_the_share_and_never_underflows() {
		let second = Duration::from_secs(1);
		assert_eq!(building_time(second, Percent::zero()), second);
		assert_eq!(building_time(second, Percent::from_percent(25)), Duration::from_millis(750));
		assert_eq!(building_time(second, Percent::from_percent(100)), Duration::ZERO);
		assert_eq!(building_time(Duration::ZERO, Percent::from_percent(30)), Duration::ZERO);
	}
}
