//! Follows one node's chain: every new best block (when its transactions were first seen) and
//! every finalized block (when, and how often each transaction was finalized), with each
//! finalized block's weight, length and timestamp.

use crate::rpc::{hex, unhex, Rpc};
use codec::Decode;
use frame_support::{dispatch::PerDispatchClass, weights::Weight};
use serde_json::{json, Value};
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, Mutex,
	},
	thread,
	time::{Duration, Instant},
};

pub type TxHash = [u8; 32];

/// A finalized block.
#[derive(Clone, Debug)]
pub struct BlockStat {
	pub hash: String,
	/// On-chain time (ms since the Unix epoch).
	pub timestamp: u64,
	pub extrinsics: Vec<TxHash>,
	pub normal_weight: u64,
}

#[derive(Default)]
pub struct Seen {
	/// When each transaction was first seen in a new best block.
	pub included: HashMap<TxHash, Instant>,
	/// When each transaction was finalized, and how many finalized blocks carry it.
	pub finalized: HashMap<TxHash, (Instant, u32)>,
	/// Every finalized block since the watch began.
	pub blocks: Vec<BlockStat>,
	/// (when, best − finalized) at each new best block.
	pub lag: Vec<(Instant, u32)>,
	pub best: u32,
	pub finalized_number: u32,
	/// The last error polling met, if the watch stopped on it.
	pub error: Option<String>,
}

pub struct Watch {
	pub seen: Arc<Mutex<Seen>>,
	stop: Arc<AtomicBool>,
	handle: Option<thread::JoinHandle<()>>,
}

impl Watch {
	/// Starts following the node at `port` from its current finalized block.
	pub fn start(port: u16) -> Result<Self, String> {
		let mut rpc = Rpc::new(port);
		let finalized = finalized_number(&mut rpc)?;
		let best = header_number(&rpc.call("chain_getHeader", json!([]))?)?;
		let seen =
			Arc::new(Mutex::new(Seen { best, finalized_number: finalized, ..Default::default() }));
		let stop = Arc::new(AtomicBool::new(false));
		let handle = {
			let (seen, stop) = (seen.clone(), stop.clone());
			thread::spawn(move || {
				let mut bodies = Bodies::new();
				while !stop.load(Ordering::Relaxed) {
					if let Err(e) = poll(&mut rpc, &seen, &mut bodies) {
						// Transient while a node is busy: retried; remembered for the report.
						seen.lock().unwrap_or_else(|p| p.into_inner()).error = Some(e);
					}
					thread::sleep(Duration::from_millis(50));
				}
			})
		};
		Ok(Self { seen, stop, handle: Some(handle) })
	}

	pub fn lock(&self) -> std::sync::MutexGuard<'_, Seen> {
		self.seen.lock().unwrap_or_else(|p| p.into_inner())
	}
}

impl Drop for Watch {
	fn drop(&mut self) {
		self.stop.store(true, Ordering::Relaxed);
		if let Some(handle) = self.handle.take() {
			let _ = handle.join();
		}
	}
}

/// A header's block number.
pub fn header_number(header: &Value) -> Result<u32, String> {
	let number = header["number"].as_str().ok_or("a header without a number")?;
	u32::from_str_radix(number.trim_start_matches("0x"), 16).map_err(|e| e.to_string())
}

/// The node's finalized block number.
pub fn finalized_number(rpc: &mut Rpc) -> Result<u32, String> {
	let hash = rpc.call("chain_getFinalizedHead", json!([]))?;
	header_number(&rpc.call("chain_getHeader", json!([hash]))?)
}

/// The hashes of a block's extrinsics.
fn block_extrinsics(block: &Value) -> Result<Vec<TxHash>, String> {
	let xts = block["block"]["extrinsics"].as_array().ok_or("a block without extrinsics")?;
	xts.iter()
		.map(|xt| {
			let bytes = unhex(xt.as_str().ok_or("an extrinsic not in hex")?)?;
			Ok(sp_io::hashing::blake2_256(&bytes))
		})
		.collect()
}

/// The extrinsic hashes of the blocks seen as best and not yet finalized, by block hash (with
/// the block's number): a block is fetched once, when it is first best, not again at finality.
type Bodies = HashMap<String, (u32, Vec<TxHash>)>;

fn poll(rpc: &mut Rpc, seen: &Mutex<Seen>, bodies: &mut Bodies) -> Result<(), String> {
	let heads =
		rpc.batch(&[("chain_getHeader", json!([])), ("chain_getFinalizedHead", json!([]))])?;
	let mut heads = heads.into_iter();
	let best_header = heads.next().ok_or("no header")??;
	let finalized_hash = heads.next().ok_or("no finalized head")??;
	let best = header_number(&best_header)?;
	let now = Instant::now();
	let (last_best, last_final) = {
		let s = seen.lock().unwrap_or_else(|p| p.into_inner());
		(s.best, s.finalized_number)
	};

	// New best blocks: the transactions' inclusion.
	if best > last_best {
		let numbers: Vec<u32> = (last_best + 1..=best).collect();
		let blocks = fetch_blocks(rpc, &numbers, bodies)?;
		let mut s = seen.lock().unwrap_or_else(|p| p.into_inner());
		for (_, extrinsics) in &blocks {
			for hash in extrinsics {
				s.included.entry(*hash).or_insert(now);
			}
		}
		s.best = best;
	}

	// Newly finalized blocks: each transaction counted, with the block's weight and time.
	let finalized = header_number(&rpc.call("chain_getHeader", json!([finalized_hash]))?)?;
	if finalized > last_final {
		let numbers: Vec<u32> = (last_final + 1..=finalized).collect();
		let blocks = fetch_blocks(rpc, &numbers, bodies)?;
		// What is finalized, or on a fork below the finalized block, is not needed again.
		bodies.retain(|_, (number, _)| *number > finalized);
		let weight_key = hex(&frame_system::BlockWeight::<paychain_runtime::Runtime>::hashed_key());
		let now_key = hex(&frame_support::storage::storage_prefix(b"Timestamp", b"Now"));
		let calls: Vec<(&str, Value)> = blocks
			.iter()
			.flat_map(|(hash, _)| {
				[
					("state_getStorage", json!([weight_key, hash])),
					("state_getStorage", json!([now_key, hash])),
				]
			})
			.collect();
		let storage = rpc.batch(&calls)?;
		let mut stats = Vec::with_capacity(blocks.len());
		for (i, (hash, extrinsics)) in blocks.into_iter().enumerate() {
			let weight = storage_value::<PerDispatchClass<Weight>>(&storage[2 * i])?
				.map(|w| w.get(frame_support::dispatch::DispatchClass::Normal).ref_time())
				.unwrap_or(0);
			let timestamp = storage_value::<u64>(&storage[2 * i + 1])?.unwrap_or(0);
			stats.push(BlockStat { hash, timestamp, extrinsics, normal_weight: weight });
		}
		let mut s = seen.lock().unwrap_or_else(|p| p.into_inner());
		for block in stats {
			for hash in &block.extrinsics {
				s.finalized.entry(*hash).or_insert((now, 0)).1 += 1;
			}
			s.blocks.push(block);
		}
		s.finalized_number = finalized;
	}
	let mut s = seen.lock().unwrap_or_else(|p| p.into_inner());
	if best > last_best {
		let lag = best.saturating_sub(s.finalized_number);
		s.lag.push((now, lag));
	}
	s.error = None;
	Ok(())
}

pub fn storage_value<T: Decode>(answer: &Result<Value, String>) -> Result<Option<T>, String> {
	match answer.as_ref().map_err(Clone::clone)? {
		Value::Null => Ok(None),
		Value::String(s) => T::decode(&mut &unhex(s)?[..]).map(Some).map_err(|e| e.to_string()),
		other => Err(format!("a storage value that is not hex: {other}")),
	}
}

/// The canonical blocks at `numbers`: (hash, its extrinsics' hashes), in order. Bodies already
/// in `bodies` are not fetched again; the others are added to it.
fn fetch_blocks(
	rpc: &mut Rpc,
	numbers: &[u32],
	bodies: &mut Bodies,
) -> Result<Vec<(String, Vec<TxHash>)>, String> {
	let mut out = Vec::with_capacity(numbers.len());
	for chunk in numbers.chunks(16) {
		let calls: Vec<(&str, Value)> =
			chunk.iter().map(|n| ("chain_getBlockHash", json!([n]))).collect();
		let hashes: Vec<String> = rpc
			.batch(&calls)?
			.into_iter()
			.map(|h| h.and_then(|h| h.as_str().map(str::to_owned).ok_or("no such block".into())))
			.collect::<Result<_, _>>()?;
		let missing: Vec<(u32, &String)> =
			chunk.iter().copied().zip(&hashes).filter(|(_, h)| !bodies.contains_key(*h)).collect();
		let calls: Vec<(&str, Value)> =
			missing.iter().map(|(_, h)| ("chain_getBlock", json!([h]))).collect();
		let fetched = if calls.is_empty() { Vec::new() } else { rpc.batch(&calls)? };
		for ((number, hash), block) in missing.into_iter().zip(fetched) {
			bodies.insert(hash.clone(), (number, block_extrinsics(&block?)?));
		}
		for hash in hashes {
			let extrinsics = bodies.get(&hash).map(|(_, x)| x.clone()).unwrap_or_default();
			out.push((hash, extrinsics));
		}
	}
	Ok(out)
}
