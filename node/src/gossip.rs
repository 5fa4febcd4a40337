//! Transaction gossip that cannot drown a connection.
//!
//! Every 2.9 s the SDK's transactions protocol offers each peer every ready transaction it has
//! not yet sent it or heard from it, one notification a transaction (RFC 56), pushed without
//! waiting into a per-peer queue of 2,048 notifications. When that queue is full, the network
//! closes the whole connection to the peer — block announcements and GRANDPA votes with it. A
//! reconnected peer is known to have nothing, so the next round offers it the whole ready set
//! again; and a peer forgets what it was sent beyond its last 10,240 transactions, so a backlog
//! that old is offered again too. With more transactions ready than the queue holds, a round to
//! a peer whose connection task falls behind (a loaded machine; an idle one drains 3,000 in
//! time) overflows the queue, the peer reconnects and is offered the backlog again, and so on:
//! under a transaction flood the network stopped, every validator at 0–1 peers
//! (docs/PERFORMANCE.md, "Overload"; paritytech/polkadot-sdk#5486).
//!
//! [`GossipPool`] is the pool as the transactions protocol sees it: its ready set is the first
//! [`ROUND`] transactions of the ready queue — what the next blocks take — half the per-peer
//! queue, leaving the other half for what is gossiped as it arrives (each new transaction is sent
//! to the peers at once, outside the rounds; that path is unchanged). As blocks take the head of
//! the queue, the rounds offer what follows. A round is always a head of the queue, so a peer can
//! import every transaction in it: a window further back would offer a sender's later nonces
//! without the earlier ones, which the peer's pool keeps only a few of, and the rest would never
//! be offered to it again (it is "known" to have them). Everything else — imports from peers,
//! lookups by hash, broadcast reports — is the pool's, unchanged; the block author and the RPC
//! use the pool directly.

use async_trait::async_trait;
use sc_transaction_pool_api::{
	ImportNotificationStream, PoolStatus, ReadyTransactions, TransactionFor, TransactionPool,
	TransactionSource, TransactionStatusStreamFor, TxHash, TxInvalidityReportMap,
};
use sp_runtime::traits::Block as BlockT;
use std::{collections::HashMap, pin::Pin, sync::Arc};

/// The most transactions one round of gossip offers a peer.
pub const ROUND: usize = 1_024;

/// A transaction pool whose ready set, as [`TransactionPool::ready`] gives it, is one bounded
/// round of gossip (see the module's docs). Give it to the network only.
pub struct GossipPool<P> {
	pool: Arc<P>,
}

impl<P> GossipPool<P> {
	/// `pool`, as the transactions protocol should see it.
	pub fn new(pool: Arc<P>) -> Self {
		Self { pool }
	}
}

/// The first `most` items of a ready queue.
pub struct Head<I: ?Sized> {
	queue: Box<I>,
	left: usize,
}

impl<I: ?Sized> Head<I> {
	/// The first `most` items of `queue`.
	pub fn new(queue: Box<I>, most: usize) -> Self {
		Self { queue, left: most }
	}
}

impl<I: Iterator + ?Sized> Iterator for Head<I> {
	type Item = I::Item;

	fn next(&mut self) -> Option<I::Item> {
		self.left = self.left.checked_sub(1)?;
		self.queue.next()
	}
}

impl<I: ReadyTransactions + ?Sized> ReadyTransactions for Head<I> {
	fn report_invalid(&mut self, tx: &Self::Item) {
		self.queue.report_invalid(tx)
	}
}

#[async_trait]
impl<P> TransactionPool for GossipPool<P>
where
	P: TransactionPool,
	// The round is handed to the network's task.
	P::InPoolTransaction: 'static,
{
	type Block = P::Block;
	type Hash = P::Hash;
	type InPoolTransaction = P::InPoolTransaction;
	type Error = P::Error;

	async fn submit_at(
		&self,
		at: <Self::Block as BlockT>::Hash,
		source: TransactionSource,
		xts: Vec<TransactionFor<Self>>,
	) -> Result<Vec<Result<TxHash<Self>, Self::Error>>, Self::Error> {
		self.pool.submit_at(at, source, xts).await
	}

	async fn submit_one(
		&self,
		at: <Self::Block as BlockT>::Hash,
		source: TransactionSource,
		xt: TransactionFor<Self>,
	) -> Result<TxHash<Self>, Self::Error> {
		self.pool.submit_one(at, source, xt).await
	}

	async fn submit_and_watch(
		&self,
		at: <Self::Block as BlockT>::Hash,
		source: TransactionSource,
		xt: TransactionFor<Self>,
	) -> Result<Pin<Box<TransactionStatusStreamFor<Self>>>, Self::Error> {
		self.pool.submit_and_watch(at, source, xt).await
	}

	async fn ready_at(
		&self,
		at: <Self::Block as BlockT>::Hash,
	) -> Box<dyn ReadyTransactions<Item = Arc<Self::InPoolTransaction>> + Send> {
		self.pool.ready_at(at).await
	}

	/// One round of gossip: the first [`ROUND`] ready transactions.
	fn ready(&self) -> Box<dyn ReadyTransactions<Item = Arc<Self::InPoolTransaction>> + Send> {
		Box::new(Head::new(self.pool.ready(), ROUND))
	}

	async fn report_invalid(
		&self,
		at: Option<<Self::Block as BlockT>::Hash>,
		invalid_tx_errors: TxInvalidityReportMap<TxHash<Self>>,
	) -> Vec<Arc<Self::InPoolTransaction>> {
		self.pool.report_invalid(at, invalid_tx_errors).await
	}

	fn futures(&self) -> Vec<Self::InPoolTransaction> {
		self.pool.futures()
	}

	fn status(&self) -> PoolStatus {
		self.pool.status()
	}

	fn import_notification_stream(&self) -> ImportNotificationStream<TxHash<Self>> {
		self.pool.import_notification_stream()
	}

	fn on_broadcasted(&self, propagations: HashMap<TxHash<Self>, Vec<String>>) {
		self.pool.on_broadcasted(propagations)
	}

	fn hash_of(&self, xt: &TransactionFor<Self>) -> TxHash<Self> {
		self.pool.hash_of(xt)
	}

	fn ready_transaction(&self, hash: &TxHash<Self>) -> Option<Arc<Self::InPoolTransaction>> {
		self.pool.ready_transaction(hash)
	}

	async fn ready_at_with_timeout(
		&self,
		at: <Self::Block as BlockT>::Hash,
		timeout: std::time::Duration,
	) -> Box<dyn ReadyTransactions<Item = Arc<Self::InPoolTransaction>> + Send> {
		self.pool.ready_at_with_timeout(at, timeout).await
	}
}

#[cfg(test)]
mod tests {
	use super::{Head, ReadyTransactions};

	/// A ready queue of the numbers below its length that skips the ones reported invalid.
	struct Queue {
		next: u32,
		len: u32,
		invalid: Vec<u32>,
	}

	impl Iterator for Queue {
		type Item = u32;
		fn next(&mut self) -> Option<u32> {
			while self.invalid.contains(&self.next) {
				self.next += 1;
			}
			(self.next < self.len).then(|| {
				self.next += 1;
				self.next - 1
			})
		}
	}

	impl ReadyTransactions for Queue {
		fn report_invalid(&mut self, tx: &u32) {
			self.invalid.push(tx + 1);
		}
	}

	fn queue(len: u32) -> Box<Queue> {
		Box::new(Queue { next: 0, len, invalid: Vec::new() })
	}

	#[test]
	fn a_round_offers_the_head_of_a_long_queue() {
		assert_eq!(
			Head::new(queue(5_000), 1_024).collect::<Vec<_>>(),
			(0..1_024).collect::<Vec<_>>()
		);
		assert_eq!(Head::new(queue(10), 0).count(), 0);
	}

	#[test]
	fn a_round_offers_all_of_a_short_queue() {
		for len in [0, 1, 1_023, 1_024] {
			assert_eq!(
				Head::new(queue(len), 1_024).collect::<Vec<_>>(),
				(0..len).collect::<Vec<_>>()
			);
		}
	}

	#[test]
	fn a_round_reads_no_further_than_it_offers() {
		let mut head = Head::new(queue(100), 3);
		assert_eq!(head.by_ref().count(), 3);
		assert_eq!(head.queue.next, 3, "the queue was read past the head");
	}

	#[test]
	fn an_invalid_transaction_is_reported_to_the_queue() {
		// The queue skips what depends on a transaction reported invalid (here: the next one).
		let mut head = Head::new(queue(10), 4);
		let first = head.next().expect("a first transaction");
		head.report_invalid(&first);
		assert_eq!(head.collect::<Vec<_>>(), vec![2, 3, 4]);
	}
}
