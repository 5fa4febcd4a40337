//! The runtime fuzzer's harness: arbitrary bytes become a sequence of blocks of runtime calls
//! from arbitrary origins, executed on the genesis state of the committed consortium chain spec
//! through the same paths a block takes, and the runtime's invariants are checked after every
//! block. A broken invariant panics, which the fuzzer reports as a crash with its input.
//!
//! Each call goes the way a transaction goes into a block:
//! - from a **signed** origin (any genesis account, or a stranger), with the runtime's full
//!   transaction extensions (participant check, compliance pre-check, nonce, weight, fee,
//!   reclaim) and the current, a stale or a future nonce, without the signature (the fuzzer does
//!   not hold the keys, and the signature check is the SDK's). An extrinsic the extensions
//!   refuse is left out of the block, as the block builder does, and must change nothing;
//! - **bare** (no origin), through `Executive::apply_extrinsic`, unless it is an inherent.
//!
//! Checked after every block:
//! - nothing panicked (a panic is the crash);
//! - every pallet's `try_state` holds, and every storage value decodes;
//! - total issuance equals the sum of all accounts' balances, and changed only by the minting
//!   and burning the balances pallet recorded in events;
//! - the block's weight is within the block's limits, and no call reported using more weight
//!   than it was charged before dispatch.
//!
//! Left out on purpose (`allowed`): governance's storage surgery, which rewrites state or money
//! by decree (`set_code`, `set_storage`, `kill_*`, `force_set_balance`,
//! `force_adjust_total_issuance`, `force_unreserve`, ...) and the calls that declare their own
//! weight (`sudo_unchecked_weight`, `utility.with_weight`), also when nested in `sudo` or a
//! batch.
//!
//! Input format, read byte by byte until it runs out (at most [`MAX_BLOCKS`] blocks and
//! [`MAX_EXTRINSICS`] extrinsics):
//! - `op` with `op % 8 == 0`: end the block; the next one starts `1 + op / 8` slots later;
//! - otherwise an extrinsic: `origin` (an index into the origins), `nonce` (0: current, 1:
//!   stale, 2: future), a little-endian `u16` length, then that many bytes of SCALE-encoded
//!   `RuntimeCall`.

pub mod seeds;
pub mod upgrade;

use std::sync::{
	atomic::{AtomicU64, Ordering},
	OnceLock,
};

use codec::{DecodeLimit, Encode};
use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo},
	traits::{TryDecodeEntireStorage, TryState},
};
use frame_try_runtime::TryStateSelect;
use paychain_runtime::{
	AccountId, Address, AllPalletsWithSystem, Balance, Executive, Header, Runtime, RuntimeCall,
	RuntimeEvent, Signature, TimestampCall, TxExtension, UncheckedExtrinsic, SLOT_DURATION,
};
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::{sr25519, storage::Storage, H256};
use sp_runtime::{
	generic::{CheckedExtrinsic, Era, ExtrinsicFormat},
	traits::{Applyable, Header as _},
	Digest, DigestItem,
};

/// Blocks one input may build.
pub const MAX_BLOCKS: u32 = 8;
/// Extrinsics one input may submit.
pub const MAX_EXTRINSICS: u32 = 128;
/// The node's nesting limit when it decodes an extrinsic (`sp_api::MAX_EXTRINSIC_DEPTH`).
const MAX_CALL_DEPTH: u32 = 256;
/// The first block's slot: 2026-06-01 (UTC), in 3-second slots.
const FIRST_SLOT: u64 = 1_780_272_000_000 / SLOT_DURATION;

type System = frame_system::Pallet<Runtime>;

/// What the fuzzer has executed in this process, for the run's report.
pub static STATS: Stats = Stats::new();

/// Counters of what the inputs reached.
pub struct Stats {
	/// Blocks finalized and checked.
	pub blocks: AtomicU64,
	/// Byte strings that decoded to a call the harness submits.
	pub calls: AtomicU64,
	/// Extrinsics that went into a block and whose call succeeded.
	pub succeeded: AtomicU64,
	/// Extrinsics that went into a block and whose call failed (fee paid, nothing else done).
	pub failed: AtomicU64,
	/// Extrinsics the transaction extensions refused (left out of the block).
	pub refused: AtomicU64,
}

impl Stats {
	const fn new() -> Self {
		Self {
			blocks: AtomicU64::new(0),
			calls: AtomicU64::new(0),
			succeeded: AtomicU64::new(0),
			failed: AtomicU64::new(0),
			refused: AtomicU64::new(0),
		}
	}

	/// One line: each counter's name and value.
	pub fn report(&self) -> String {
		format!(
			"blocks {} calls {} succeeded {} failed {} refused {}",
			self.blocks.load(Ordering::Relaxed),
			self.calls.load(Ordering::Relaxed),
			self.succeeded.load(Ordering::Relaxed),
			self.failed.load(Ordering::Relaxed),
			self.refused.load(Ordering::Relaxed),
		)
	}
}

/// The chain every input starts from: the consortium chain spec's genesis state and the
/// accounts in it, read once per process.
struct Genesis {
	storage: Storage,
	/// Every account with a balance at genesis, then a stranger with none.
	accounts: Vec<AccountId>,
	hash: H256,
}

fn genesis() -> &'static Genesis {
	static GENESIS: OnceLock<Genesis> = OnceLock::new();
	GENESIS.get_or_init(|| {
		let storage = raw_spec_storage("consortium-raw.json");
		let (mut accounts, hash) =
			sp_io::TestExternalities::new(storage.clone()).execute_with(|| {
				(
					frame_system::Account::<Runtime>::iter_keys().collect::<Vec<_>>(),
					System::block_hash(0),
				)
			});
		accounts.sort();
		accounts.push(AccountId::new([0xee; 32]));
		Genesis { storage, accounts, hash }
	})
}

/// The genesis state in a committed raw chain spec, `name` relative to `chain-specs/`.
pub fn raw_spec_storage(name: &str) -> Storage {
	let path = format!("{}/../chain-specs/{name}", env!("CARGO_MANIFEST_DIR"));
	let spec: serde_json::Value =
		serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
			.unwrap_or_else(|e| panic!("{path}: {e}"));
	let top = spec["genesis"]["raw"]["top"].as_object().expect("a raw chain spec");
	let unhex = |s: &str| sp_core::bytes::from_hex(s).expect("a hex string");
	Storage {
		top: top.iter().map(|(k, v)| (unhex(k), unhex(v.as_str().expect("a hex value")))).collect(),
		children_default: Default::default(),
	}
}

/// Runs one input; panics when an invariant breaks.
pub fn execute(data: &[u8]) {
	let genesis = genesis();
	let mut ext = sp_io::TestExternalities::new(genesis.storage.clone());
	ext.execute_with(|| {
		let mut input = Input(data);
		let mut chain = Chain { number: 1, slot: FIRST_SLOT, parent: genesis.hash };
		let mut block = chain.start();
		let mut extrinsics = 0;
		while let Some(op) = input.byte() {
			if op % 8 == 0 {
				block.finish(&mut chain);
				if chain.number > MAX_BLOCKS {
					return;
				}
				chain.slot += 1 + u64::from(op / 8);
				block = chain.start();
				continue;
			}
			let (Some(origin), Some(nonce), Some(call)) =
				(input.byte(), input.byte(), input.call())
			else {
				break;
			};
			extrinsics += 1;
			if extrinsics > MAX_EXTRINSICS {
				break;
			}
			let Ok(call) = call else { continue };
			if !allowed(&call) {
				continue;
			}
			STATS.calls.fetch_add(1, Ordering::Relaxed);
			// Every account, the stranger, then no origin at all.
			match genesis.accounts.get(usize::from(origin) % (genesis.accounts.len() + 1)) {
				Some(who) => submit_signed(who.clone(), nonce, call),
				None => submit_bare(call),
			}
		}
		block.finish(&mut chain);
	});
}

/// The input, consumed from the front.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
	fn byte(&mut self) -> Option<u8> {
		let (&b, rest) = self.0.split_first()?;
		self.0 = rest;
		Some(b)
	}

	/// The next call's bytes, decoded as the node decodes an extrinsic's call; `Some(Err)` when
	/// they are not a call.
	fn call(&mut self) -> Option<Result<RuntimeCall, codec::Error>> {
		let len = u16::from_le_bytes([self.byte()?, self.byte()?]) as usize;
		let len = len.min(self.0.len());
		let (bytes, rest) = self.0.split_at(len);
		self.0 = rest;
		Some(RuntimeCall::decode_all_with_depth_limit(MAX_CALL_DEPTH, &mut &bytes[..]))
	}
}

/// Whether the fuzzer submits `call` (see the crate's documentation for what is left out).
pub fn allowed(call: &RuntimeCall) -> bool {
	use frame_system::Call as S;
	use pallet_balances::Call as B;
	use pallet_sudo::Call as Sudo;
	use pallet_utility::Call as U;
	match call {
		RuntimeCall::System(
			S::set_code { .. }
			| S::set_code_without_checks { .. }
			| S::set_storage { .. }
			| S::kill_storage { .. }
			| S::kill_prefix { .. }
			| S::set_heap_pages { .. }
			| S::authorize_upgrade { .. }
			| S::authorize_upgrade_without_checks { .. }
			| S::apply_authorized_upgrade { .. },
		) => false,
		RuntimeCall::Balances(
			B::force_set_balance { .. }
			| B::force_adjust_total_issuance { .. }
			| B::force_unreserve { .. },
		) => false,
		RuntimeCall::Sudo(Sudo::sudo { call } | Sudo::sudo_as { call, .. }) => allowed(call),
		RuntimeCall::Sudo(Sudo::sudo_unchecked_weight { .. }) => false,
		RuntimeCall::Utility(
			U::batch { calls } | U::batch_all { calls } | U::force_batch { calls },
		) => calls.iter().all(allowed),
		RuntimeCall::Utility(
			U::as_derivative { call, .. }
			| U::dispatch_as { call, .. }
			| U::dispatch_as_fallible { call, .. },
		) => allowed(call),
		RuntimeCall::Utility(U::if_else { main, fallback }) => allowed(main) && allowed(fallback),
		RuntimeCall::Utility(U::with_weight { .. }) => false,
		_ => true,
	}
}

/// Where the chain is: the next block's number, slot and parent.
struct Chain {
	number: u32,
	slot: u64,
	parent: H256,
}

impl Chain {
	/// Starts the next block as an Aura author does: the slot in the pre-runtime digest, then
	/// the timestamp inherent.
	fn start(&self) -> Block {
		let digest = Digest {
			logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(self.slot).encode())],
		};
		let header = Header::new(self.number, H256::zero(), H256::zero(), self.parent, digest);
		Executive::initialize_block(&header);
		let now = self.slot * SLOT_DURATION;
		let timestamp = UncheckedExtrinsic::new_bare(TimestampCall::set { now }.into());
		assert_eq!(Executive::apply_extrinsic(timestamp), Ok(Ok(())), "the timestamp inherent");
		Executive::inherents_applied();
		Block { issuance: pallet_balances::TotalIssuance::<Runtime>::get() }
	}
}

/// A block being built: what the invariants compare against at its end.
struct Block {
	issuance: Balance,
}

impl Block {
	/// Finalizes the block and checks every invariant.
	fn finish(self, chain: &mut Chain) {
		let header = Executive::finalize_block();
		let n = *header.number();
		if let Err(e) = AllPalletsWithSystem::try_state(n, TryStateSelect::All) {
			panic!("block #{n}: try_state: {e:?}");
		}
		if let Err(errors) = AllPalletsWithSystem::try_decode_entire_state() {
			panic!("block #{n}: storage does not decode: {errors:?}");
		}
		self.check_money(n);
		check_block_weight(n);
		STATS.blocks.fetch_add(1, Ordering::Relaxed);
		chain.parent = header.hash();
		chain.number += 1;
	}

	/// Total issuance is every account's money, and moved only by recorded minting and burning.
	fn check_money(&self, n: u32) {
		let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
		let held: Balance = frame_system::Account::<Runtime>::iter_values()
			.map(|a| a.data.free.saturating_add(a.data.reserved))
			.fold(0, Balance::saturating_add);
		assert_eq!(issuance, held, "block #{n}: total issuance is not the accounts' sum");
		let (mut minted, mut burned): (Balance, Balance) = (0, 0);
		for record in System::read_events_no_consensus() {
			if let RuntimeEvent::Balances(event) = record.event {
				use pallet_balances::Event as E;
				match event {
					E::Minted { amount, .. } => minted += amount,
					E::Burned { amount, .. } | E::BurnedHeld { amount, .. } => burned += amount,
					_ => {},
				}
			}
		}
		assert_eq!(
			issuance as i128 - self.issuance as i128,
			minted as i128 - burned as i128,
			"block #{n}: issuance moved without a recorded mint or burn"
		);
	}
}

/// The block's weight, class by class and in total, is within the block's limits.
fn check_block_weight(n: u32) {
	let limits = <Runtime as frame_system::Config>::BlockWeights::get();
	let used = System::block_weight();
	for class in [DispatchClass::Normal, DispatchClass::Operational] {
		if let Some(max) = limits.get(class).max_total {
			assert!(used.get(class).all_lte(max), "block #{n}: {class:?} weight over its limit");
		}
	}
	assert!(used.total().all_lte(limits.max_block), "block #{n}: weight over the block's limit");
}

/// Applies `call` from `who` as a signed transaction (without its signature) with the runtime's
/// transaction extensions; refused, it is left out of the block and changes nothing.
fn submit_signed(who: AccountId, nonce_mode: u8, call: RuntimeCall) {
	let nonce = System::account_nonce(&who);
	let nonce = match nonce_mode % 3 {
		1 => nonce.wrapping_sub(1),
		2 => nonce.wrapping_add(1),
		_ => nonce,
	};
	let extension = paychain_runtime::tx_extension(nonce, Era::Immortal);
	let signature = Signature::Sr25519(sr25519::Signature::from_raw([0; 64]));
	let encoded = UncheckedExtrinsic::new_signed(
		call.clone(),
		Address::Id(who.clone()),
		signature,
		extension.clone(),
	)
	.encode();
	let len = encoded.len();
	let xt: CheckedExtrinsic<AccountId, RuntimeCall, TxExtension> =
		CheckedExtrinsic { format: ExtrinsicFormat::Signed(who, extension), function: call };
	let info = xt.get_dispatch_info();
	if info.class == DispatchClass::Mandatory {
		// The pool refuses mandatory calls in transactions.
		STATS.refused.fetch_add(1, Ordering::Relaxed);
		return;
	}
	// As the block builder does: an extrinsic the extensions refuse is rolled back.
	sp_io::storage::start_transaction();
	System::note_extrinsic(encoded);
	match xt.apply::<Runtime>(&info, len) {
		Ok(result) => {
			sp_io::storage::commit_transaction();
			let post = match &result {
				Ok(post) => post,
				Err(e) => &e.post_info,
			};
			// The call's actual weight, with its extensions' (which only refund), never above
			// what was charged before dispatch.
			if let Some(actual) = post.actual_weight {
				assert!(
					actual.all_lte(info.total_weight()),
					"a call reported {actual:?}, more than the {:?} charged before dispatch",
					info.total_weight()
				);
			}
			let counter = if result.is_ok() { &STATS.succeeded } else { &STATS.failed };
			counter.fetch_add(1, Ordering::Relaxed);
			System::note_applied_extrinsic(&result, info);
		},
		Err(_) => {
			sp_io::storage::rollback_transaction();
			STATS.refused.fetch_add(1, Ordering::Relaxed);
		},
	}
}

/// Applies `call` as a bare extrinsic, as a block author may include one; inherents (which
/// the block's inherent checks govern) are left out.
fn submit_bare(call: RuntimeCall) {
	if call.get_dispatch_info().class == DispatchClass::Mandatory {
		STATS.refused.fetch_add(1, Ordering::Relaxed);
		return;
	}
	sp_io::storage::start_transaction();
	match Executive::apply_extrinsic(UncheckedExtrinsic::new_bare(call)) {
		Ok(result) => {
			sp_io::storage::commit_transaction();
			let counter = if result.is_ok() { &STATS.succeeded } else { &STATS.failed };
			counter.fetch_add(1, Ordering::Relaxed);
		},
		Err(_) => {
			sp_io::storage::rollback_transaction();
			STATS.refused.fetch_add(1, Ordering::Relaxed);
		},
	}
}

/// Seed inputs: a few ordinary payments in the input format, so the fuzzer starts from calls
/// that reach the pallets' logic. `(origin account index, call)` per extrinsic, one block.
pub fn seed(extrinsics: &[(u8, RuntimeCall)]) -> Vec<u8> {
	let mut out = Vec::new();
	for (origin, call) in extrinsics {
		let bytes = call.encode();
		out.extend([1, *origin, 0]);
		out.extend((bytes.len() as u16).to_le_bytes());
		out.extend(bytes);
	}
	out.push(0);
	out
}

/// The genesis accounts, in the order the input's origin byte indexes them.
pub fn accounts() -> &'static [AccountId] {
	&genesis().accounts
}
