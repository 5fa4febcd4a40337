//! The hand-off from one slot's author to the next.
//!
//! Aura starts each slot on the best block the node has *at that moment*. Under load on the
//! benchmark's network a validator was often still importing the previous slot's block when
//! its own slot began (three validators import each block at once, on two cores: a block of
//! 180–220 bulk transfers took 1.5–2.5 s to arrive and import). It then built on the
//! grandparent, competing with a block it was about to import: a block that loses (an orphan,
//! refused by the others as "not in finalized chain") or that Aura throws away because building
//! beside the import made it late. Either way the slot carried nothing, the next block met a
//! backlog, and one such slot early in a run cost the minute its target (docs/PERFORMANCE.md,
//! "The hand-off between authors").
//!
//! Two pieces change that:
//! - [`Tracked`] wraps the block import the import queue uses and counts the blocks from the
//!   network being imported ([`Imports`]); [`AwaitImports`] wraps the chain selection Aura's
//!   slot worker asks for the best block at each slot's start, and first waits, up to a limit,
//!   until no such import is in progress. The author then builds on the block it was
//!   importing.
//! - [`SlotDeadline`] wraps the proposer factory so a proposal ends when the author's share of
//!   its slot ends, counted from the slot's start, not from when the proposal started. A wait
//!   for the parent comes out of the author's own block, so the block still arrives in time
//!   for the next author, and the chain keeps its rhythm.

use futures::{channel::oneshot, future::BoxFuture, FutureExt, TryFutureExt};
use sc_consensus::{BlockCheckParams, BlockImport, BlockImportParams, ImportResult};
use sp_consensus::{BlockOrigin, Environment, ProposeArgs, Proposer, SelectChain};
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	Digest,
};
use std::{
	sync::{Arc, Mutex, MutexGuard},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

/// The log target of this module.
const LOG_TARGET: &str = "handoff";

#[derive(Default)]
struct State {
	in_flight: usize,
	waiting: Vec<oneshot::Sender<()>>,
}

/// The blocks from the network this node is importing, counted; and a way to wait until it
/// imports none.
#[derive(Clone, Default)]
pub struct Imports {
	state: Arc<Mutex<State>>,
}

/// How [`Imports::settled`] went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
	/// No block was being imported.
	AtOnce,
	/// The imports in progress ended after this long.
	After(Duration),
	/// Imports were still in progress when the limit passed.
	TimedOut,
}

/// Counts one import while it lives.
pub struct Importing(Imports);

impl Drop for Importing {
	fn drop(&mut self) {
		let mut state = self.0.lock();
		state.in_flight = state.in_flight.saturating_sub(1);
		if state.in_flight == 0 {
			for waiting in state.waiting.drain(..) {
				// A waiter that gave up has dropped its receiver: nothing to tell it.
				let _ = waiting.send(());
			}
		}
	}
}

impl Imports {
	/// Nothing being imported.
	pub fn new() -> Self {
		Self::default()
	}

	fn lock(&self) -> MutexGuard<'_, State> {
		self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}

	/// How many imports are in progress.
	pub fn in_flight(&self) -> usize {
		self.lock().in_flight
	}

	/// Counts an import until the returned guard is dropped.
	pub fn start(&self) -> Importing {
		self.lock().in_flight += 1;
		Importing(self.clone())
	}

	/// Waits until no import is in progress, or `limit` has passed.
	pub async fn settled(&self, limit: Duration) -> Settled {
		let done = {
			let mut state = self.lock();
			if state.in_flight == 0 {
				return Settled::AtOnce;
			}
			// Those that gave up before the last import ended are forgotten here.
			state.waiting.retain(|waiting| !waiting.is_canceled());
			let (tell, done) = oneshot::channel();
			state.waiting.push(tell);
			done
		};
		let started = Instant::now();
		futures::select! {
			_ = done.fuse() => Settled::After(started.elapsed()),
			_ = futures_timer::Delay::new(limit).fuse() => Settled::TimedOut,
		}
	}
}

/// A block import that counts, in [`Imports`], the blocks from the network while they are
/// imported (not this node's own).
#[derive(Clone)]
pub struct Tracked<I> {
	inner: I,
	imports: Imports,
}

impl<I> Tracked<I> {
	/// Wraps `inner`, counting its imports in `imports`.
	pub fn new(inner: I, imports: Imports) -> Self {
		Self { inner, imports }
	}
}

#[async_trait::async_trait]
impl<B: BlockT, I: BlockImport<B> + Send + Sync> BlockImport<B> for Tracked<I> {
	type Error = I::Error;

	async fn check_block(&self, block: BlockCheckParams<B>) -> Result<ImportResult, Self::Error> {
		self.inner.check_block(block).await
	}

	async fn import_block(&self, block: BlockImportParams<B>) -> Result<ImportResult, Self::Error> {
		let _importing = (block.origin != BlockOrigin::Own).then(|| self.imports.start());
		self.inner.import_block(block).await
	}
}

/// A chain selection whose best block is asked for only once the blocks being imported are in,
/// or `limit` has passed.
#[derive(Clone)]
pub struct AwaitImports<SC> {
	inner: SC,
	imports: Imports,
	limit: Duration,
}

impl<SC> AwaitImports<SC> {
	/// Wraps `inner`; waits at most `limit` for the imports counted in `imports`.
	pub fn new(inner: SC, imports: Imports, limit: Duration) -> Self {
		Self { inner, imports, limit }
	}
}

#[async_trait::async_trait]
impl<B: BlockT, SC: SelectChain<B>> SelectChain<B> for AwaitImports<SC> {
	async fn leaves(&self) -> Result<Vec<B::Hash>, sp_consensus::Error> {
		self.inner.leaves().await
	}

	async fn best_chain(&self) -> Result<B::Header, sp_consensus::Error> {
		match self.imports.settled(self.limit).await {
			Settled::AtOnce => {},
			Settled::After(waited) => log::debug!(
				target: LOG_TARGET,
				"Waited {} ms for a block being imported before asking for the best block",
				waited.as_millis()
			),
			Settled::TimedOut => log::debug!(
				target: LOG_TARGET,
				"A block was still being imported after {} ms; going on with the best block so far",
				self.limit.as_millis()
			),
		}
		self.inner.best_chain().await
	}

	async fn finality_target(
		&self,
		base_hash: B::Hash,
		maybe_max_number: Option<NumberFor<B>>,
	) -> Result<B::Hash, sp_consensus::Error> {
		self.inner.finality_target(base_hash, maybe_max_number).await
	}
}

/// The slot a block is proposed for, from the Aura pre-runtime digest given to its proposer.
pub fn aura_slot(digest: &Digest) -> Option<Slot> {
	digest.convert_first(|item| item.pre_runtime_try_to::<Slot>(&AURA_ENGINE_ID))
}

/// What is left, at `now` (since the Unix epoch), of the author's `share` (its first part) of
/// `slot`, a slot of `slot_duration` (Aura's slots start at whole multiples of their duration
/// since the epoch).
pub fn share_left(slot: Slot, slot_duration: Duration, share: Duration, now: Duration) -> Duration {
	let start = Duration::from_millis(
		u64::try_from(slot_duration.as_millis()).unwrap_or(u64::MAX).saturating_mul(*slot),
	);
	share.saturating_sub(now.saturating_sub(start))
}

/// A proposer factory whose proposals end when the author's share of their slot ends.
pub struct SlotDeadline<E> {
	inner: E,
	slot_duration: Duration,
	share: Duration,
}

impl<E> SlotDeadline<E> {
	/// Wraps `inner` for slots of `slot_duration` whose first `share` is the author's.
	pub fn new(inner: E, slot_duration: Duration, share: Duration) -> Self {
		Self { inner, slot_duration, share }
	}
}

/// A proposer given no more time than is left of its slot's share.
pub struct SlotDeadlineProposer<P> {
	inner: P,
	slot_duration: Duration,
	share: Duration,
}

impl<B, E> Environment<B> for SlotDeadline<E>
where
	B: BlockT,
	E: Environment<B>,
	E::CreateProposer: Send + 'static,
	E::Proposer: Send + 'static,
{
	type Proposer = SlotDeadlineProposer<E::Proposer>;
	type CreateProposer = BoxFuture<'static, Result<Self::Proposer, Self::Error>>;
	type Error = E::Error;

	fn init(&mut self, parent_header: &B::Header) -> Self::CreateProposer {
		let (slot_duration, share) = (self.slot_duration, self.share);
		self.inner
			.init(parent_header)
			.map_ok(move |inner| SlotDeadlineProposer { inner, slot_duration, share })
			.boxed()
	}
}

impl<B: BlockT, P: Proposer<B>> Proposer<B> for SlotDeadlineProposer<P> {
	type Error = P::Error;
	type Proposal = P::Proposal;

	fn propose(self, mut args: ProposeArgs<B>) -> Self::Proposal {
		if let Some(slot) = aura_slot(&args.inherent_digests) {
			let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
			let left = share_left(slot, self.slot_duration, self.share, now);
			if left < args.max_duration {
				log::debug!(
					target: LOG_TARGET,
					"Proposal for slot {} given {} ms, what is left of the slot's share, not {} ms",
					*slot,
					left.as_millis(),
					args.max_duration.as_millis()
				);
				args.max_duration = left;
			}
		}
		self.inner.propose(args)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::proposer::tests::{header_at as header, Factory};
	use codec::Encode;
	use paychain_runtime::opaque::Block;
	use sp_consensus::Error;
	use sp_runtime::{traits::Header as _, DigestItem};

	type Header = <Block as BlockT>::Header;

	#[test]
	fn settled_answers_at_once_when_nothing_is_imported() {
		let imports = Imports::new();
		let settled = futures::executor::block_on(imports.settled(Duration::from_secs(60)));
		assert_eq!(settled, Settled::AtOnce);
	}

	#[test]
	fn settled_waits_for_every_import_in_progress() {
		let imports = Imports::new();
		let (first, second) = (imports.start(), imports.start());
		assert_eq!(imports.in_flight(), 2);
		let ends = std::thread::spawn(move || {
			std::thread::sleep(Duration::from_millis(50));
			drop(first);
			std::thread::sleep(Duration::from_millis(50));
			drop(second);
		});
		let started = Instant::now();
		let settled = futures::executor::block_on(imports.settled(Duration::from_secs(60)));
		ends.join().expect("the thread ends");
		// Not when the first ended: when the last did.
		assert!(started.elapsed() >= Duration::from_millis(100));
		assert!(matches!(settled, Settled::After(waited) if waited >= Duration::from_millis(100)));
		assert_eq!(imports.in_flight(), 0);
	}

	#[test]
	fn settled_gives_up_at_its_limit() {
		let imports = Imports::new();
		let importing = imports.start();
		let settled = futures::executor::block_on(imports.settled(Duration::from_millis(20)));
		assert_eq!(settled, Settled::TimedOut);
		// The waiter that gave up is told nothing and left nothing behind that blocks the end.
		drop(importing);
		assert_eq!(imports.in_flight(), 0);
		assert!(imports.lock().waiting.is_empty());
	}

	/// A block import that, while importing, records how many imports were counted and makes
	/// the block it imports the best one.
	#[derive(Clone)]
	struct Chain {
		imports: Imports,
		best: Arc<Mutex<Header>>,
		seen: Arc<Mutex<Vec<usize>>>,
		takes: Duration,
	}

	#[async_trait::async_trait]
	impl BlockImport<Block> for Chain {
		type Error = Error;

		async fn check_block(&self, _: BlockCheckParams<Block>) -> Result<ImportResult, Error> {
			Ok(ImportResult::imported(false))
		}

		async fn import_block(
			&self,
			block: BlockImportParams<Block>,
		) -> Result<ImportResult, Error> {
			self.seen.lock().expect("not poisoned").push(self.imports.in_flight());
			std::thread::sleep(self.takes);
			*self.best.lock().expect("not poisoned") = block.header;
			Ok(ImportResult::imported(true))
		}
	}

	#[async_trait::async_trait]
	impl SelectChain<Block> for Chain {
		async fn leaves(&self) -> Result<Vec<<Block as BlockT>::Hash>, Error> {
			Ok(vec![self.best.lock().expect("not poisoned").hash()])
		}

		async fn best_chain(&self) -> Result<Header, Error> {
			Ok(self.best.lock().expect("not poisoned").clone())
		}
	}

	fn chain(takes: Duration) -> Chain {
		Chain {
			imports: Imports::new(),
			best: Arc::new(Mutex::new(header(7))),
			seen: Default::default(),
			takes,
		}
	}

	#[test]
	fn only_blocks_from_the_network_are_counted() {
		let chain = chain(Duration::ZERO);
		let tracked = Tracked::new(chain.clone(), chain.imports.clone());
		for origin in
			[BlockOrigin::NetworkBroadcast, BlockOrigin::Own, BlockOrigin::NetworkInitialSync]
		{
			futures::executor::block_on(
				tracked.import_block(BlockImportParams::new(origin, header(8))),
			)
			.expect("imported");
		}
		assert_eq!(*chain.seen.lock().expect("not poisoned"), vec![1, 0, 1]);
		assert_eq!(chain.imports.in_flight(), 0);
	}

	/// The number of the best block Aura's slot worker is given when it asks while block 8, whose
	/// import takes `takes`, is being imported on top of block 7, waiting at most `limit`.
	fn best_while_importing(takes: Duration, limit: Duration) -> u32 {
		let chain = chain(takes);
		let tracked = Tracked::new(chain.clone(), chain.imports.clone());
		let select = AwaitImports::new(chain.clone(), chain.imports.clone(), limit);
		let import = std::thread::spawn(move || {
			futures::executor::block_on(
				tracked
					.import_block(BlockImportParams::new(BlockOrigin::NetworkBroadcast, header(8))),
			)
		});
		while chain.imports.in_flight() == 0 {
			std::thread::yield_now();
		}
		let best = futures::executor::block_on(select.best_chain()).expect("a best block");
		import.join().expect("the thread ends").expect("imported");
		*best.number()
	}

	#[test]
	fn the_best_block_is_the_one_being_imported_when_the_slot_began() {
		// Without the wait the answer is block 7, the parent of the block being imported.
		assert_eq!(best_while_importing(Duration::from_millis(100), Duration::from_secs(60)), 8);
		// With a limit shorter than the import, the best block so far.
		assert_eq!(best_while_importing(Duration::from_millis(200), Duration::from_millis(10)), 7);
	}

	#[test]
	fn the_share_is_counted_from_the_slots_start() {
		let (slot_duration, share) = (Duration::from_secs(3), Duration::from_millis(1_200));
		let slot = Slot::from(598_896_105);
		let start = Duration::from_millis(598_896_105 * 3_000);
		// 40 % of 3 s is 1.2 s: all of it at the start, less as the slot goes on, none after.
		assert_eq!(share_left(slot, slot_duration, share, start), Duration::from_millis(1_200));
		assert_eq!(
			share_left(slot, slot_duration, share, start + Duration::from_millis(700)),
			Duration::from_millis(500)
		);
		assert_eq!(
			share_left(slot, slot_duration, share, start + Duration::from_secs(2)),
			Duration::ZERO
		);
		// A clock behind the slot's start: the whole share.
		assert_eq!(
			share_left(slot, slot_duration, share, start - Duration::from_secs(1)),
			Duration::from_millis(1_200)
		);
		// Slot numbers beyond u32 (past the year 2378 with 3 s slots).
		let far = Slot::from(u64::from(u32::MAX) + 10);
		let far_start = Duration::from_millis((u64::from(u32::MAX) + 10) * 3_000);
		assert_eq!(
			share_left(far, slot_duration, share, far_start + Duration::from_millis(200)),
			Duration::from_millis(1_000)
		);
	}

	fn propose(factory: &mut SlotDeadline<Factory>, digest: Digest, given: Duration) {
		let proposer = futures::executor::block_on(factory.init(&header(7))).expect("a proposer");
		let args =
			ProposeArgs { inherent_digests: digest, max_duration: given, ..Default::default() };
		let _ = futures::executor::block_on(proposer.propose(args));
	}

	#[test]
	fn a_proposal_ends_with_its_slots_share() {
		let given = Arc::new(Mutex::new(Vec::new()));
		let mut factory = SlotDeadline::new(
			Factory(given.clone(), Default::default()),
			Duration::from_secs(3),
			Duration::from_millis(1_200),
		);
		let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("after 1970");
		let slot_of =
			|at: Duration| Slot::from(u64::try_from(at.as_millis() / 3_000).expect("fits"));
		let digest = |slot: Slot| Digest {
			logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())],
		};

		// A slot that began 2 s ago (at least): its share is over.
		let late = slot_of(now - Duration::from_secs(5));
		propose(&mut factory, digest(late), Duration::from_millis(1_200));
		// A slot that begins in a minute (a clock ahead): nothing is cut.
		let early = slot_of(now + Duration::from_secs(60));
		propose(&mut factory, digest(early), Duration::from_millis(1_200));
		// No Aura digest: nothing is cut.
		propose(&mut factory, Digest::default(), Duration::from_millis(1_200));
		// A shorter time than the share left is kept.
		propose(&mut factory, digest(early), Duration::from_millis(300));

		assert_eq!(
			*given.lock().expect("not poisoned"),
			vec![
				Duration::ZERO,
				Duration::from_millis(1_200),
				Duration::from_millis(1_200),
				Duration::from_millis(300)
			]
		);
	}
}
