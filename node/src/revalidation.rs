//! The transaction pool's upkeep, kept to a budget per block.
//!
//! After every block, the SDK's fork-aware pool builds the block's view and then, in the
//! background, revalidates the view's whole ready set at that block: one runtime call per waiting
//! transaction, one after the other, until all are done or the next block arrives ("view
//! revalidation currently is not throttled", `sc-transaction-pool`'s `view.rs`). Every validator
//! does this for every block. At a steady load the ready set is about a block's worth and the
//! upkeep is a fraction of the block's own cost; behind by a few blocks, each validator re-runs
//! the whole backlog after each of them, on the cores that must also build and import the blocks
//! that would clear it — a backlog feeds itself (docs/PERFORMANCE.md, "Where the CPU goes").
//!
//! [`Budgeted`] is the pool's chain API with a budget on that upkeep: once the runtime calls made
//! at a block whose view is built have taken `budget` of wall time, each further one waits
//! [`PAUSE`] first. The revalidation is cut short exactly as when a block arrives early: what
//! was revalidated is applied, the rest keeps its last validity until the next block's view
//! revalidates it, or until the block author meets it (an author that finds a transaction
//! invalid drops it from the pool). The ready set is revalidated from its head — what the next
//! blocks take — so a budget spends itself on the transactions nearest to inclusion.
//!
//! Only upkeep is budgeted. A transaction's first validation (submission, gossip), the checks
//! that build a new view (transactions from the mempool, from retracted blocks, the tags of a
//! block's own transactions) pass straight through: a view counts as built once the pool
//! answers [`TransactionPool::ready_at`] for its block, which happens before its background
//! revalidation starts (the node tells [`Views::built`] from an import-notification task).
//!
//! [`TransactionPool::ready_at`]: sc_transaction_pool_api::TransactionPool::ready_at

use async_trait::async_trait;
use futures::{stream::FuturesUnordered, FutureExt, Stream, StreamExt};
use sc_transaction_pool::{ChainApi, Options, ValidateTransactionPriority};
use sc_transaction_pool_api::TransactionPool;
use sp_blockchain::TreeRoute;
use sp_runtime::{
	generic::BlockId,
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
};
use std::{
	collections::{HashMap, VecDeque},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};
use substrate_prometheus_endpoint::{register, Counter, PrometheusError, Registry, U64};

/// How long an upkeep call over its block's budget waits before it runs. A view's revalidation
/// is ended when the next block's view is built, usually within the slot, so past the budget
/// it goes on at a few calls a second at most.
pub const PAUSE: Duration = Duration::from_millis(250);

/// The log target of the budget's messages (`-ltxpool-upkeep=debug` shows each block whose
/// revalidation went over its budget).
const LOG_TARGET: &str = "txpool-upkeep";

/// How many blocks' views are remembered (their upkeep time); older ones are forgotten.
const REMEMBERED: usize = 256;

/// The upkeep done at one block's view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Upkeep {
	spent: Duration,
	calls: u32,
	paused: u32,
}

/// The views the pool has built, and the upkeep done at each.
#[derive(Debug)]
pub struct Views<H> {
	spent: HashMap<H, Upkeep>,
	order: VecDeque<H>,
}

impl<H: std::hash::Hash + Eq + Clone> Default for Views<H> {
	fn default() -> Self {
		Self { spent: HashMap::new(), order: VecDeque::new() }
	}
}

impl<H: std::hash::Hash + Eq + Clone> Views<H> {
	/// Notes that the view at `at` is built: upkeep calls at it are budgeted from now on.
	pub fn built(&mut self, at: H) {
		if self.spent.contains_key(&at) {
			return;
		}
		if self.order.len() >= REMEMBERED {
			if let Some(oldest) = self.order.pop_front() {
				self.spent.remove(&oldest);
			}
		}
		self.spent.insert(at.clone(), Upkeep::default());
		self.order.push_back(at);
	}

	/// The upkeep time spent at `at`, if its view is built.
	pub fn spent(&self, at: &H) -> Option<Duration> {
		self.spent.get(at).map(|upkeep| upkeep.spent)
	}

	/// Adds a call that took `took` to the upkeep at `at` (nothing if its view is not known).
	pub fn spend(&mut self, at: &H, took: Duration) {
		if let Some(upkeep) = self.spent.get_mut(at) {
			upkeep.spent = upkeep.spent.saturating_add(took);
			upkeep.calls = upkeep.calls.saturating_add(1);
		}
	}

	/// Notes a call at `at` that waits for being over budget; returns the calls made and the
	/// time they took if it is the first at `at`.
	fn pause(&mut self, at: &H) -> Option<(u32, Duration)> {
		let upkeep = self.spent.get_mut(at)?;
		upkeep.paused = upkeep.paused.saturating_add(1);
		(upkeep.paused == 1).then_some((upkeep.calls, upkeep.spent))
	}

	/// How many views are remembered.
	pub fn len(&self) -> usize {
		self.order.len()
	}

	/// Whether no view is remembered.
	pub fn is_empty(&self) -> bool {
		self.order.is_empty()
	}
}

/// What the budget makes of one call to `validate_transaction`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
	/// Not upkeep of a built view: runs at once, not counted.
	Through,
	/// Upkeep within its block's budget: runs at once, counted.
	Counted,
	/// Upkeep over its block's budget: waits [`PAUSE`] (or what the API was given), then runs.
	Paused,
}

/// Decides a call at `at` from its `source` and `priority`, given the views built and `budget`.
pub fn decide<H: std::hash::Hash + Eq + Clone>(
	views: &Views<H>,
	budget: Duration,
	at: &H,
	source: TransactionSource,
	priority: ValidateTransactionPriority,
) -> Decision {
	// A block's own transactions, validated for their tags while the pool prunes them, belong
	// to building the next view.
	if priority != ValidateTransactionPriority::Maintained || source == TransactionSource::InBlock {
		return Decision::Through;
	}
	match views.spent(at) {
		None => Decision::Through,
		Some(spent) if spent < budget => Decision::Counted,
		Some(_) => Decision::Paused,
	}
}

/// The budget's Prometheus counters.
#[derive(Clone)]
struct Metrics {
	counted: Counter<U64>,
	paused: Counter<U64>,
}

impl Metrics {
	fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		Ok(Self {
			counted: register(
				Counter::new(
					"paychain_txpool_upkeep_validations_total",
					"Upkeep validations at blocks whose pool view was built (revalidation), \
					 counted against the block's budget",
				)?,
				registry,
			)?,
			paused: register(
				Counter::new(
					"paychain_txpool_upkeep_paused_total",
					"Upkeep validations that waited for being over their block's budget",
				)?,
				registry,
			)?,
		})
	}
}

/// A pool's chain API whose upkeep calls share a budget per block (see the module's docs).
pub struct Budgeted<A: ChainApi> {
	inner: A,
	views: Arc<Mutex<Views<<A::Block as BlockT>::Hash>>>,
	budget: Duration,
	pause: Duration,
	metrics: Option<Metrics>,
}

impl<A: ChainApi> Budgeted<A> {
	/// `inner`, with upkeep at each block kept to `budget` of wall time, and calls past it
	/// paused for `pause` ([`PAUSE`] in the node). Its counters go to `registry`, if given.
	pub fn new(inner: A, budget: Duration, pause: Duration, registry: Option<&Registry>) -> Self {
		let metrics = registry.and_then(|registry| match Metrics::register(registry) {
			Ok(metrics) => Some(metrics),
			Err(error) => {
				log::warn!(target: LOG_TARGET, "pool upkeep metrics not registered: {error}");
				None
			},
		});
		Self { inner, views: Default::default(), budget, pause, metrics }
	}

	/// The views this API budgets; the node notes each view the pool builds in it.
	pub fn views(&self) -> Arc<Mutex<Views<<A::Block as BlockT>::Hash>>> {
		self.views.clone()
	}

	fn lock(&self) -> std::sync::MutexGuard<'_, Views<<A::Block as BlockT>::Hash>> {
		self.views.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}
}

type Extrinsic<A> = Arc<<<A as ChainApi>::Block as BlockT>::Extrinsic>;
type Hash<A> = <<A as ChainApi>::Block as BlockT>::Hash;

#[async_trait]
impl<A: ChainApi> ChainApi for Budgeted<A> {
	type Block = A::Block;
	type Error = A::Error;

	async fn validate_transaction(
		&self,
		at: Hash<A>,
		source: TransactionSource,
		uxt: Extrinsic<A>,
		validation_priority: ValidateTransactionPriority,
	) -> Result<TransactionValidity, Self::Error> {
		let decision = decide(&self.lock(), self.budget, &at, source, validation_priority);
		if decision == Decision::Through {
			return self.inner.validate_transaction(at, source, uxt, validation_priority).await;
		}
		if let Some(metrics) = &self.metrics {
			metrics.counted.inc();
		}
		if decision == Decision::Paused {
			if let Some(metrics) = &self.metrics {
				metrics.paused.inc();
			}
			if let Some((calls, spent)) = self.lock().pause(&at) {
				log::debug!(
					target: LOG_TARGET,
					"revalidation at {at:?}: {calls} validations took {spent:?}, over the budget \
					 of {:?}; each further one waits {:?}",
					self.budget,
					self.pause,
				);
			}
			futures_timer::Delay::new(self.pause).await;
		}
		let start = Instant::now();
		let result = self.inner.validate_transaction(at, source, uxt, validation_priority).await;
		self.lock().spend(&at, start.elapsed());
		result
	}

	fn validate_transaction_blocking(
		&self,
		at: Hash<A>,
		source: TransactionSource,
		uxt: Extrinsic<A>,
	) -> Result<TransactionValidity, Self::Error> {
		self.inner.validate_transaction_blocking(at, source, uxt)
	}

	fn block_id_to_number(
		&self,
		at: &BlockId<Self::Block>,
	) -> Result<Option<NumberFor<Self::Block>>, Self::Error> {
		self.inner.block_id_to_number(at)
	}

	fn block_id_to_hash(&self, at: &BlockId<Self::Block>) -> Result<Option<Hash<A>>, Self::Error> {
		self.inner.block_id_to_hash(at)
	}

	fn hash_and_length(&self, uxt: &<Self::Block as BlockT>::Extrinsic) -> (Hash<A>, usize) {
		self.inner.hash_and_length(uxt)
	}

	async fn block_body(
		&self,
		at: Hash<A>,
	) -> Result<Option<Vec<<Self::Block as BlockT>::Extrinsic>>, Self::Error> {
		self.inner.block_body(at).await
	}

	fn block_header(
		&self,
		at: Hash<A>,
	) -> Result<Option<<Self::Block as BlockT>::Header>, Self::Error> {
		self.inner.block_header(at)
	}

	fn tree_route(
		&self,
		from: Hash<A>,
		to: Hash<A>,
	) -> Result<TreeRoute<Self::Block>, Self::Error> {
		self.inner.tree_route(from, to)
	}
}

/// The pool limits and ban time the SDK's `--pool-*` flags (`params`) set, as the SDK's own
/// builder takes them (`TransactionPoolOptions::new_with_params`, whose fields are private): the
/// ready queue as given, the future queue a tenth of it, and the ban time (none for `--dev`).
pub fn pool_options(params: &sc_cli::TransactionPoolParams, is_dev: bool) -> Options {
	let pool_bytes = params.pool_kbytes.saturating_mul(1024);
	let mut options = Options::default();
	options.ready.count = params.pool_limit;
	options.ready.total_bytes = pool_bytes;
	options.future.count = params.pool_limit / 10;
	options.future.total_bytes = pool_bytes / 10;
	options.ban_time = match params.tx_ban_seconds {
		Some(seconds) => Duration::from_secs(seconds),
		None if is_dev => Duration::ZERO,
		None => Duration::from_secs(30 * 60),
	};
	options
}

/// How long [`note_built_views`] waits for the pool to build a block's view before giving up on
/// it (a block the pool does not build a view for, such as a fork it is not told about).
const VIEW_WAIT: Duration = Duration::from_secs(60);

/// Notes in `views` each block's view as the pool builds it: for every block hash `blocks`
/// yields, waits (at most [`VIEW_WAIT`]) until `pool` answers `ready_at` for it. Runs until
/// `blocks` ends.
pub async fn note_built_views<P, S>(
	blocks: S,
	pool: Arc<P>,
	views: Arc<Mutex<Views<<P::Block as BlockT>::Hash>>>,
) where
	P: TransactionPool + 'static,
	S: Stream<Item = <P::Block as BlockT>::Hash> + Unpin,
{
	let mut blocks = blocks.fuse();
	let mut waiting = FuturesUnordered::new();
	loop {
		futures::select! {
			hash = blocks.next() => match hash {
				Some(hash) => {
					let pool = pool.clone();
					waiting.push(async move {
						let ready = pool.ready_at(hash).map(|_| true);
						let timeout = futures_timer::Delay::new(VIEW_WAIT).map(|_| false);
						futures::pin_mut!(ready, timeout);
						futures::future::select(ready, timeout).await.factor_first().0.then_some(hash)
					});
				},
				None => break,
			},
			built = waiting.select_next_some() => {
				if let Some(hash) = built {
					views.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).built(hash);
				}
			},
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;
	use sc_transaction_pool_api::error::Error as PoolError;
	use sp_core::H256;
	use sp_runtime::{
		generic,
		traits::{BlakeTwo256, Hash as _},
		transaction_validity::ValidTransaction,
		OpaqueExtrinsic,
	};
	use std::sync::atomic::{AtomicU64, Ordering};

	type TestBlock = generic::Block<generic::Header<u32, BlakeTwo256>, OpaqueExtrinsic>;

	/// A chain API that finds every transaction valid and counts the calls.
	#[derive(Default)]
	struct Counting {
		calls: AtomicU64,
	}

	#[async_trait]
	impl ChainApi for Counting {
		type Block = TestBlock;
		type Error = PoolError;

		async fn validate_transaction(
			&self,
			_at: H256,
			_source: TransactionSource,
			_uxt: Arc<OpaqueExtrinsic>,
			_priority: ValidateTransactionPriority,
		) -> Result<TransactionValidity, PoolError> {
			self.calls.fetch_add(1, Ordering::Relaxed);
			Ok(Ok(ValidTransaction::default()))
		}

		fn validate_transaction_blocking(
			&self,
			_at: H256,
			_source: TransactionSource,
			_uxt: Arc<OpaqueExtrinsic>,
		) -> Result<TransactionValidity, PoolError> {
			self.calls.fetch_add(1, Ordering::Relaxed);
			Ok(Ok(ValidTransaction::default()))
		}

		fn block_id_to_number(&self, _at: &BlockId<TestBlock>) -> Result<Option<u32>, PoolError> {
			Ok(None)
		}

		fn block_id_to_hash(&self, _at: &BlockId<TestBlock>) -> Result<Option<H256>, PoolError> {
			Ok(None)
		}

		fn hash_and_length(&self, uxt: &OpaqueExtrinsic) -> (H256, usize) {
			let encoded = uxt.encode();
			(BlakeTwo256::hash(&encoded), encoded.len())
		}

		async fn block_body(&self, _at: H256) -> Result<Option<Vec<OpaqueExtrinsic>>, PoolError> {
			Ok(None)
		}

		fn block_header(
			&self,
			_at: H256,
		) -> Result<Option<<TestBlock as BlockT>::Header>, PoolError> {
			Ok(None)
		}

		fn tree_route(&self, _from: H256, _to: H256) -> Result<TreeRoute<TestBlock>, PoolError> {
			Err(PoolError::InvalidBlockId("no chain in this test".into()))
		}
	}

	const MAINTAINED: ValidateTransactionPriority = ValidateTransactionPriority::Maintained;
	const SUBMITTED: ValidateTransactionPriority = ValidateTransactionPriority::Submitted;

	fn at(n: u8) -> H256 {
		H256::repeat_byte(n)
	}

	#[test]
	fn only_upkeep_at_a_built_view_is_budgeted() {
		let mut views = Views::default();
		views.built(at(1));
		let budget = Duration::from_millis(300);
		let external = TransactionSource::External;

		// First validations, and everything at a view still being built, pass straight through.
		assert_eq!(decide(&views, budget, &at(1), external, SUBMITTED), Decision::Through);
		assert_eq!(decide(&views, budget, &at(2), external, MAINTAINED), Decision::Through);
		// So do a block's own transactions, checked for their tags while the pool prunes them.
		assert_eq!(
			decide(&views, budget, &at(1), TransactionSource::InBlock, MAINTAINED),
			Decision::Through
		);
		// Revalidation at a built view runs at once while within its budget...
		assert_eq!(decide(&views, budget, &at(1), external, MAINTAINED), Decision::Counted);
		assert_eq!(
			decide(&views, budget, &at(1), TransactionSource::Local, MAINTAINED),
			Decision::Counted
		);
		// ...and waits once the budget is spent; another block's budget is its own.
		views.spend(&at(1), Duration::from_millis(299));
		assert_eq!(decide(&views, budget, &at(1), external, MAINTAINED), Decision::Counted);
		views.spend(&at(1), Duration::from_millis(1));
		assert_eq!(decide(&views, budget, &at(1), external, MAINTAINED), Decision::Paused);
		views.built(at(2));
		assert_eq!(decide(&views, budget, &at(2), external, MAINTAINED), Decision::Counted);
		// A submission never waits, whatever was spent.
		assert_eq!(decide(&views, budget, &at(1), external, SUBMITTED), Decision::Through);
	}

	#[test]
	fn views_are_bounded_and_keep_what_was_spent() {
		let mut views = Views::default();
		views.built(at(0));
		views.spend(&at(0), Duration::from_millis(5));
		// Noting a view again does not give it a fresh budget.
		views.built(at(0));
		assert_eq!(views.spent(&at(0)), Some(Duration::from_millis(5)));
		// Time spent at a view not built is not kept.
		views.spend(&at(9), Duration::from_millis(5));
		assert_eq!(views.spent(&at(9)), None);
		// The first call over budget at a view reports what was done there; later ones do not.
		assert_eq!(views.pause(&at(0)), Some((1, Duration::from_millis(5))));
		assert_eq!(views.pause(&at(0)), None);
		assert_eq!(views.pause(&at(9)), None);

		for n in 1..=REMEMBERED as u32 {
			views.built(H256::from_low_u64_be(u64::from(n)));
		}
		assert_eq!(views.len(), REMEMBERED);
		// The oldest was forgotten to make room; the newest are all there.
		assert_eq!(views.spent(&at(0)), None);
		assert_eq!(views.spent(&H256::from_low_u64_be(1)), Some(Duration::ZERO));
		assert_eq!(views.spent(&H256::from_low_u64_be(REMEMBERED as u64)), Some(Duration::ZERO));
	}

	#[test]
	fn pool_options_are_the_sdks() {
		for (pool_limit, pool_kbytes, tx_ban_seconds, is_dev) in [
			(8192, 20480, None, false),
			(200_000, 204_800, None, true),
			(1_000, 7, Some(12), false),
			(3, 1, Some(0), true),
		] {
			let params = sc_cli::TransactionPoolParams {
				pool_limit,
				pool_kbytes,
				tx_ban_seconds,
				pool_type: sc_cli::TransactionPoolType::ForkAware,
				pool_best_blocks_only: false,
			};
			// The SDK's options are private but printable: ours must print the same.
			let sdk = format!("{:?}", params.transaction_pool(is_dev));
			let ours = format!("options: {:?},", pool_options(&params, is_dev));
			assert!(sdk.contains(&ours), "{sdk}\ndoes not contain\n{ours}");
		}
	}

	/// Validates a transaction through `api` at `hash`, and checks it was found valid.
	fn validate(api: &Budgeted<Counting>, hash: H256, priority: ValidateTransactionPriority) {
		let xt = Arc::new(OpaqueExtrinsic::from_blob(vec![1, 2, 3]));
		let result = futures::executor::block_on(api.validate_transaction(
			hash,
			TransactionSource::External,
			xt,
			priority,
		));
		assert!(matches!(result, Ok(Ok(_))));
	}

	/// The budget's counters, as Prometheus reads them: upkeep calls counted, and paused.
	fn counters(api: &Budgeted<Counting>) -> (u64, u64) {
		let metrics = api.metrics.as_ref().expect("the test gives a registry");
		(metrics.counted.get(), metrics.paused.get())
	}

	#[test]
	fn a_call_over_budget_waits_and_then_validates() {
		// No budget at all: every upkeep call at a built view waits first, then still validates.
		let registry = Registry::new();
		let api =
			Budgeted::new(Counting::default(), Duration::ZERO, Duration::ZERO, Some(&registry));
		api.views().lock().unwrap().built(at(1));
		validate(&api, at(1), MAINTAINED);
		assert_eq!(counters(&api), (1, 1));
		assert_eq!(api.inner.calls.load(Ordering::Relaxed), 1);
		// Submissions and calls at a view being built never wait, and are not counted.
		validate(&api, at(1), SUBMITTED);
		validate(&api, at(2), MAINTAINED);
		assert_eq!(counters(&api), (1, 1));
		assert_eq!(api.inner.calls.load(Ordering::Relaxed), 3);

		// A budget of an hour: upkeep runs at once, and each call is counted against the block.
		let registry = Registry::new();
		let api =
			Budgeted::new(Counting::default(), Duration::from_secs(3600), PAUSE, Some(&registry));
		api.views().lock().unwrap().built(at(1));
		for _ in 0..3 {
			validate(&api, at(1), MAINTAINED);
		}
		validate(&api, at(1), SUBMITTED);
		assert_eq!(counters(&api), (3, 0));
		assert_eq!(api.inner.calls.load(Ordering::Relaxed), 4);
		let counted = api.views().lock().unwrap().pause(&at(1)).map(|(calls, _)| calls);
		assert_eq!(counted, Some(3));
	}
}
