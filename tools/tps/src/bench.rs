//! One payment kind at a time: pre-sign its transactions, submit them at the chosen rate across
//! the validators, follow the chain until every accepted one is finalized (or the chain stops
//! finalizing them), and measure.

use crate::{
	accounts::{Accounts, CUSTOMERS_PER_INSTITUTION},
	rpc::{hex, Rpc},
	stats::{self, percentile, ProcSample},
	watch::{self, BlockStat, TxHash, Watch},
};
use codec::Encode;
use pallet_escrow::EscrowId;
use paychain_runtime::{
	tx_extension, tx_extension_implicit_for, AccountId, BalancesCall, ComplianceCall, Hash, Nonce,
	RuntimeCall, SignedPayload, UncheckedExtrinsic, UNITS,
};
use serde_json::{json, Value};
use sp_core::{sr25519, Pair, H256};
use sp_runtime::generic::Era;
use std::{
	collections::{HashMap, HashSet},
	sync::Arc,
	thread,
	time::{Duration, Instant},
};

type EscrowCall = pallet_escrow::Call<paychain_runtime::Runtime>;
type FiscalCall = pallet_fiscal::Call<paychain_runtime::Runtime>;
type SettlementCall = pallet_settlement::Call<paychain_runtime::Runtime>;

/// A payment kind the benchmark measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
	/// `Balances::transfer_keep_alive`, unchecked: the baseline (open only on the benchmark's
	/// chain).
	Plain,
	/// `Compliance::transfer_keep_alive`: every rule checked before the money moves.
	Compliance,
	/// `Escrow::create_escrow`: the payer's 1 PCNY held for the payee, after the compliance
	/// gates.
	EscrowCreate,
	/// `Escrow::release` of the escrows `EscrowCreate` opened: the payment to the payee, every
	/// rule checked.
	EscrowRelease,
	/// `Fiscal::disburse`: a county finance department pays 1 PCNY of its allocation of a
	/// program to a final recipient, every rule checked.
	Fiscal,
	/// `Settlement::mint`: a clearing institution issues 1 PCNY to its customer against a
	/// deposit, with a reference of its own.
	Mint,
	/// `Settlement::redeem`: the customer redeems 1 PCNY through its institution (burned on
	/// chain), every rule checked.
	Redeem,
	/// `Ledger::open_order`: a county department opens a fiscal payment order of 1 PCNY to a
	/// customer with its signed application (the money held).
	LedgerOpen,
	/// `Ledger::record_stage`: the county's signed fund approval of each order.
	LedgerApprove,
	/// `Ledger::record_stage`: the clearing institution's signed bank confirmation, which
	/// completes the order and pays it, every rule checked.
	LedgerConfirm,
	/// `Compliance::transfer_bulk`: a clearing institution pays 1 PCNY to each of its
	/// customers in one transaction, every rule checked on each payment.
	Bulk,
}

/// An escrow the benchmark opened: its payer (an account index) and its id.
pub type Opened = (usize, EscrowId);

/// What the kinds that need it were given by the chain before they run.
#[derive(Clone, Debug, Default)]
pub struct Prepared {
	/// The escrows `Kind::EscrowCreate` opened, in the order the chain did.
	pub opened: Vec<Opened>,
	/// The fiscal program and each county's allocation in it (by county), for `Kind::Fiscal`.
	pub fiscal: Option<(pallet_fiscal::ProgramId, Vec<Option<pallet_fiscal::NodeIndex>>)>,
	/// The chain's genesis hash, which every ledger stage's signature is bound to.
	pub genesis: Option<H256>,
}

/// The purpose code the benchmark's program and its disbursements carry (a general transfer
/// payment, so any code would do).
pub const PURPOSE: pallet_fiscal::PurposeCode = pallet_fiscal::PurposeCode(2_080_000);

impl Kind {
	pub const ALL: [Kind; 11] = [
		Kind::Plain,
		Kind::Compliance,
		Kind::EscrowCreate,
		Kind::EscrowRelease,
		Kind::Fiscal,
		Kind::Mint,
		Kind::Redeem,
		Kind::LedgerOpen,
		Kind::LedgerApprove,
		Kind::LedgerConfirm,
		Kind::Bulk,
	];

	pub fn name(self) -> &'static str {
		match self {
			Kind::Plain => "plain",
			Kind::Compliance => "compliance",
			Kind::EscrowCreate => "escrow-create",
			Kind::EscrowRelease => "escrow-release",
			Kind::Fiscal => "fiscal",
			Kind::Mint => "mint",
			Kind::Redeem => "redeem",
			Kind::LedgerOpen => "ledger-open",
			Kind::LedgerApprove => "ledger-approve",
			Kind::LedgerConfirm => "ledger-confirm",
			Kind::Bulk => "bulk",
		}
	}

	pub fn describe(self) -> &'static str {
		match self {
			Kind::Plain => "Balances::transfer_keep_alive (unchecked baseline)",
			Kind::Compliance => "Compliance::transfer_keep_alive (every AML rule checked)",
			Kind::EscrowCreate => "Escrow::create_escrow (1 PCNY held for the payee)",
			Kind::EscrowRelease => "Escrow::release of those escrows (every AML rule checked)",
			Kind::Fiscal => "Fiscal::disburse by county departments (every AML rule checked)",
			Kind::Mint => "Settlement::mint by clearing institutions to their customers",
			Kind::Redeem => "Settlement::redeem of that money (burned; every AML rule checked)",
			Kind::LedgerOpen => "Ledger::open_order by county departments (signed application)",
			Kind::LedgerApprove => "Ledger::record_stage, the county's signed fund approval",
			Kind::Bulk => {
				"Compliance::transfer_bulk by clearing institutions, one payment to each of their \
				 customers (every AML rule checked on each)"
			},
			Kind::LedgerConfirm => {
				"Ledger::record_stage, the bank's confirmation: the order paid (AML checked)"
			},
		}
	}

	/// The kinds a name stands for: a kind's own name, `escrow` for both escrow steps,
	/// `mint-redeem` for both settlement steps, or `ledger` for the three stages of an order.
	pub fn parse(name: &str) -> Option<Vec<Kind>> {
		match name {
			"escrow" => Some(vec![Kind::EscrowCreate, Kind::EscrowRelease]),
			"mint-redeem" => Some(vec![Kind::Mint, Kind::Redeem]),
			"ledger" => Some(vec![Kind::LedgerOpen, Kind::LedgerApprove, Kind::LedgerConfirm]),
			_ => Kind::ALL.into_iter().find(|k| k.name() == name).map(|k| vec![k]),
		}
	}

	/// The kind that must run before this one, for what it leaves on chain.
	pub fn needs(self) -> Option<Kind> {
		match self {
			Kind::EscrowRelease => Some(Kind::EscrowCreate),
			Kind::Redeem => Some(Kind::Mint),
			Kind::LedgerApprove => Some(Kind::LedgerOpen),
			Kind::LedgerConfirm => Some(Kind::LedgerApprove),
			_ => None,
		}
	}

	/// Whether the compliance rules count its payments against the sending customer (funding
	/// an escrow passes the gates only: the rules count the trade when it is released; mints
	/// and disbursements are counted against the institution that sends them).
	pub fn is_checked(self) -> bool {
		matches!(self, Kind::Compliance | Kind::EscrowRelease | Kind::Redeem)
	}

	/// Whether an institution's money moves, counted by the rules against the institution (a
	/// confirmed order pays from its opener, the county).
	pub fn pays_from_institution(self) -> bool {
		matches!(self, Kind::Fiscal | Kind::Mint | Kind::LedgerConfirm | Kind::Bulk)
	}

	/// How many payments one of its transactions makes at most: a bulk pays each customer of
	/// its institution; every other kind makes one.
	pub fn payments_per_transaction(self) -> usize {
		match self {
			Kind::Bulk => CUSTOMERS_PER_INSTITUTION,
			_ => 1,
		}
	}

	/// The transactions of a run: (signer, call), `total` of them (a release, as many as there
	/// are escrows; a bulk, as many as carry `total` payments). Customer `i` (counting round)
	/// pays customer `i + 1`, so that each customer has one counterparty each way; an
	/// institution pays its own customers only; both stay inside the fan-out and fan-in rules.
	pub fn plan(
		self,
		accounts: &Accounts,
		total: usize,
		prepared: &Prepared,
	) -> Result<Vec<(usize, RuntimeCall)>, String> {
		if self == Kind::EscrowRelease {
			if prepared.opened.is_empty() {
				return Err("escrow-release: escrow-create opened no escrow to release".into());
			}
			return Ok(prepared
				.opened
				.iter()
				.take(total)
				.map(|(payer, id)| (*payer, EscrowCall::release { escrow_id: *id }.into()))
				.collect());
		}
		if self == Kind::Bulk {
			return bulk_plan(accounts, total);
		}
		(0..total)
			.map(|i| {
				let customer = accounts.customer(i);
				let k = accounts.institution_of(customer);
				let who = accounts.id(customer).clone();
				let next = accounts.id(accounts.customer(i + 1)).clone().into();
				Ok(match self {
					Kind::Plain => (
						customer,
						BalancesCall::transfer_keep_alive { dest: next, value: UNITS }.into(),
					),
					Kind::Compliance => (
						customer,
						ComplianceCall::transfer_keep_alive { dest: next, value: UNITS }.into(),
					),
					Kind::EscrowCreate => (
						customer,
						EscrowCall::create_escrow {
							payee: next,
							amount: UNITS,
							agreement: escrow_agreement(i),
						}
						.into(),
					),
					Kind::EscrowRelease => {
						return Err("escrow-release is planned from the escrows opened".into())
					},
					Kind::Fiscal => {
						let (program, nodes) =
							prepared.fiscal.as_ref().ok_or("fiscal: no program was set up")?;
						let node = nodes
							.get(k)
							.copied()
							.flatten()
							.ok_or_else(|| format!("fiscal: county {k} has no allocation"))?;
						(
							accounts.county(k),
							FiscalCall::disburse {
								program: *program,
								node,
								recipient: who.into(),
								amount: UNITS,
								purpose: PURPOSE,
								evidence: reference(b"paychain-tps/disbursement", i),
							}
							.into(),
						)
					},
					Kind::Mint => (
						accounts.clearing(k),
						SettlementCall::mint {
							customer: who.into(),
							amount: UNITS,
							reference: reference(b"paychain-tps/mint", i),
						}
						.into(),
					),
					Kind::Redeem => (
						customer,
						SettlementCall::redeem {
							institution: accounts.id(accounts.clearing(k)).clone().into(),
							amount: UNITS,
							reference: reference(b"paychain-tps/redeem", i),
						}
						.into(),
					),
					Kind::Bulk => return Err("bulk is planned by institution".into()),
					Kind::LedgerOpen | Kind::LedgerApprove | Kind::LedgerConfirm => {
						let genesis = prepared
							.genesis
							.ok_or("ledger: the chain's genesis hash is not known")?;
						ledger_stage(self, accounts, i, genesis)?
					},
				})
			})
			.collect()
	}
}

/// `total` payments of 1 PCNY to the customers counting round, as bulk transfers: each pays
/// consecutive customers of one clearing institution, from that institution, at most
/// [`Kind::payments_per_transaction`] of them.
fn bulk_plan(accounts: &Accounts, total: usize) -> Result<Vec<(usize, RuntimeCall)>, String> {
	use pallet_compliance::BulkPayment;
	let mut plan = Vec::new();
	let mut i = 0;
	while i < total {
		let k = accounts.institution_of(accounts.customer(i));
		let mut payments = Vec::new();
		while i < total
			&& payments.len() < Kind::Bulk.payments_per_transaction()
			&& accounts.institution_of(accounts.customer(i)) == k
		{
			let dest = accounts.id(accounts.customer(i)).clone().into();
			payments.push(BulkPayment { dest, value: UNITS });
			i += 1;
		}
		let payments = payments.try_into().map_err(|_| "a bulk longer than the runtime allows")?;
		plan.push((accounts.clearing(k), ComplianceCall::transfer_bulk { payments }.into()));
	}
	Ok(plan)
}

/// How many payments a planned call makes.
fn payments_of(call: &RuntimeCall) -> usize {
	match call {
		RuntimeCall::Compliance(ComplianceCall::transfer_bulk { payments }) => payments.len(),
		_ => 1,
	}
}

/// A unique reference (or evidence hash) for the `i`-th transaction of a domain.
pub(crate) fn reference(domain: &[u8], i: usize) -> H256 {
	H256(sp_io::hashing::blake2_256(&(domain, i as u64).encode()))
}

/// The business type of the benchmark's orders: a fiscal payment (the application and the fund
/// approval by a county finance department, the bank confirmation by a clearing institution).
pub const LEDGER_BUSINESS_TYPE: u16 = 2;

/// The stage `kind` records of the benchmark's `i`-th order: county `k` opens it and approves
/// it, clearing institution `k` confirms it, each signing the stage with its registered key (its
/// account key); the order pays its customer 1 PCNY when confirmed.
fn ledger_stage(
	kind: Kind,
	accounts: &Accounts,
	i: usize,
	genesis: H256,
) -> Result<(usize, RuntimeCall), String> {
	use pallet_ledger::{
		commitment::{commit, stage_payload, KeyElements, CNY},
		SignedStage, StageResult,
	};
	type LedgerCall = pallet_ledger::Call<paychain_runtime::Runtime>;
	let customer = accounts.customer(i);
	let k = accounts.institution_of(customer);
	let (county, clearing) = (accounts.county(k), accounts.clearing(k));
	let mut order = [0u8; 16];
	order.copy_from_slice(&reference(b"paychain-tps/order", i).0[..16]);
	let (payer, payee) = (format!("county-{k}"), format!("customer-{customer}"));
	let commitment = commit(&KeyElements {
		payer_account: payer.as_bytes(),
		payee_account: payee.as_bytes(),
		applicant: payer.as_bytes(),
		amount: UNITS,
		currency: CNY,
		business_type: LEDGER_BUSINESS_TYPE,
		purpose: b"paychain-tps",
	});
	let (signer, stage) = match kind {
		Kind::LedgerOpen => (county, 0),
		Kind::LedgerApprove => (county, 1),
		Kind::LedgerConfirm => (clearing, 2),
		_ => return Err(format!("{} is not a ledger stage", kind.name())),
	};
	let pair = accounts.pair(signer);
	let payload = stage_payload(&genesis, &order, stage, StageResult::Passed, &commitment.root);
	let signed = SignedStage {
		commitment,
		result: StageResult::Passed,
		key: paychain_primitives::accounts::SigningKey::Sr25519(pair.public()),
		signature: sp_runtime::MultiSignature::Sr25519(pair.sign(&payload)),
	};
	let call = if stage == 0 {
		let handlers = vec![
			accounts.id(county).clone(),
			accounts.id(county).clone(),
			accounts.id(clearing).clone(),
		];
		LedgerCall::open_order {
			reference: order,
			business_type: LEDGER_BUSINESS_TYPE,
			source: b"paychain-tps".to_vec().try_into().map_err(|_| "a source too long")?,
			handlers: handlers.try_into().map_err(|_| "too many handlers")?,
			application: signed,
			settlement: Some(pallet_ledger::Settlement {
				payee: accounts.id(customer).clone(),
				amount: UNITS,
			}),
		}
	} else {
		LedgerCall::record_stage { reference: order, stage, signed }
	};
	Ok((signer, call.into()))
}

/// How many of `total` transactions each institution sends (the customers counting round).
pub fn per_institution(accounts: &Accounts, total: usize) -> Vec<u64> {
	let mut counts = vec![0u64; accounts.institutions()];
	for i in 0..total {
		counts[accounts.institution_of(accounts.customer(i))] += 1;
	}
	counts
}

/// The escrow agreement of the benchmark's `i`-th escrow: its own order, a day for each step,
/// the chain's arbitration authority, no oracles, one release of everything.
fn escrow_agreement(i: usize) -> pallet_escrow::AgreementOf<paychain_runtime::Runtime> {
	use pallet_escrow::{Arbitration, OrderRef, Terms};
	let id = format!("tps-{i}").into_bytes();
	let day = paychain_runtime::DAYS;
	pallet_escrow::Agreement {
		order: OrderRef {
			commitment: Hash::from(sp_io::hashing::blake2_256(&id)),
			id: id.try_into().unwrap_or_default(),
		},
		terms: Terms {
			ship_within: day,
			deliver_within: day,
			dispute_window: day,
			appeal_window: day,
		},
		arbitration: Arbitration { arbiter: None, appeal_arbiter: None },
		oracles: None,
		milestones: Default::default(),
	}
}

/// A validator the benchmark submits to and watches.
#[derive(Clone, Debug)]
pub struct Node {
	pub name: String,
	pub port: u16,
	pub pid: u32,
}

/// What the run needs of the chain to sign: its genesis, a recent finalized block for the
/// mortality, and the runtime's spec and transaction versions (the chain's, which may be another
/// build's than the one this tool was compiled with).
pub(crate) struct SigningContext {
	genesis: Hash,
	anchor: (u32, Hash),
	version: (u32, u32),
}

/// A signed transaction, ready to submit.
struct Tx {
	hex: String,
	hash: TxHash,
	sender: usize,
	nonce: Nonce,
	node: usize,
	due: Duration,
	/// The payments it makes.
	payments: usize,
}

/// An accepted transaction that was never finalized, with what tells the causes apart.
#[derive(Clone, Debug)]
pub struct LostTx {
	pub hash: TxHash,
	/// The sender's index among the benchmark's accounts, and the transaction's nonce.
	pub sender: usize,
	pub nonce: Nonce,
	/// The validator it was submitted to.
	pub node: String,
	/// Whether the watched validator saw it in a best block: a block later retracted by a
	/// reorganisation, since it was never finalized.
	pub seen_in_best_block: bool,
	/// The sender's nonce in finalized state after the drain: equal to `nonce`, the
	/// transaction's slot is still open (it was dropped); above it, another transaction took it.
	pub chain_nonce: Option<Nonce>,
}

/// At most this many lost transactions are described in the results.
const LOST_DESCRIBED: usize = 20;

/// The measurements of one kind.
#[derive(Clone, Debug, Default)]
pub struct KindResult {
	pub kind: &'static str,
	/// Payments its transactions make (a bulk many, every other kind one), over those
	/// submitted.
	pub payments_per_tx: f64,
	pub submitted: usize,
	pub accepted: usize,
	pub rejected: Vec<(String, usize)>,
	pub finalized: usize,
	pub doubled: usize,
	/// Finalized, but the call failed (its error in the events).
	pub failed: usize,
	/// The errors of the failed calls, the most frequent first.
	pub failures: Vec<(String, usize)>,
	pub lost: usize,
	/// The first lost transactions, described.
	pub lost_detail: Vec<LostTx>,
	/// Finalized transactions per second of chain time: over the blocks that carried them.
	pub tps: f64,
	/// The payments those transactions made, per second of the same chain time.
	pub payments_per_s: f64,
	/// Submission rate actually achieved.
	pub submit_rate: f64,
	pub inclusion_ms: (f64, f64),
	pub finality_ms: (f64, f64),
	pub lag_p95: u32,
	pub lag_max: u32,
	pub blocks: usize,
	/// The canonical blocks from the first carrying block to the last, and the slots of that
	/// span.
	pub slots: (usize, u64),
	pub per_block: (f64, usize),
	pub fullness: (f64, f64),
	/// Per node: (name, % of one core, RSS MiB, peak RSS MiB).
	pub nodes: Vec<(String, f64, f64, f64)>,
	pub window_s: f64,
	/// The weight one transaction is charged up front (base, extensions and call), and what the
	/// blocks that carried them weigh per transaction after refunds, in µs.
	pub weight_us: (f64, f64),
}

pub struct Bench<'a> {
	pub nodes: Vec<Node>,
	pub accounts: &'a Accounts,
	pub rate: u32,
	/// The plain transfer's rate, when it is not `rate`.
	pub baseline_rate: Option<u32>,
	pub duration: Duration,
	/// How long the drain waits without any of the kind's transactions being finalized.
	pub stall: Duration,
	/// How long the drain waits in all.
	pub drain_max: Duration,
	/// What earlier kinds and the set-up left on chain for the kinds to come.
	pub prepared: std::cell::RefCell<Prepared>,
}

impl Bench<'_> {
	/// The payments a second `kind` is offered.
	pub fn rate_of(&self, kind: Kind) -> u32 {
		match (kind, self.baseline_rate) {
			(Kind::Plain, Some(rate)) => rate,
			_ => self.rate,
		}
	}

	/// Measures `kind`.
	pub fn run(&self, kind: Kind) -> Result<KindResult, String> {
		let rate = self.rate_of(kind);
		let total = (rate as u64 * self.duration.as_secs()) as usize;
		self.prepare(kind, total)?;
		let plan = kind.plan(self.accounts, total, &self.prepared.borrow())?;
		let total = plan.len();
		let mut rpc = Rpc::new(self.nodes[0].port);
		let context = signing_context(&mut rpc)?;
		eprintln!(
			"[{}] fetching nonces of {} customers and {} institutions",
			kind.name(),
			self.accounts.customers(),
			self.accounts.ids().len() - self.accounts.customers()
		);
		let mut nonces = account_nonces(&mut rpc, self.accounts.ids())?;
		let (first_sender, first_call) = plan.first().cloned().ok_or("nothing to submit")?;
		let charged =
			charged_weight_us(&sign(self.accounts.pair(first_sender), first_call, 0, &context));
		eprintln!(
			"[{}] signing {total} transactions ({charged:.0} µs of weight each)",
			kind.name()
		);
		let started = Instant::now();
		// The rate is of payments: a transaction is due when the payments before it are.
		let mut payments_before = 0;
		let txs: Vec<Tx> = plan
			.into_iter()
			.map(|(sender, call)| {
				let nonce = nonces[sender];
				nonces[sender] += 1;
				let payments = payments_of(&call);
				let xt = sign(self.accounts.pair(sender), call, nonce, &context);
				let bytes = xt.encode();
				let due = Duration::from_secs_f64(payments_before as f64 / rate as f64);
				payments_before += payments;
				Tx {
					hash: sp_io::hashing::blake2_256(&bytes),
					hex: hex(&bytes),
					sender,
					nonce,
					node: sender % self.nodes.len(),
					due,
					payments,
				}
			})
			.collect();
		eprintln!(
			"[{}] signed in {:.1} s; submitting {} a second for {} s to {} validators",
			kind.name(),
			started.elapsed().as_secs_f64(),
			rate,
			self.duration.as_secs(),
			self.nodes.len()
		);
		let watch = Watch::start(self.nodes[0].port)?;
		let ticks = stats::clock_ticks();
		let before: Vec<Option<ProcSample>> =
			self.nodes.iter().map(|n| stats::sample(n.pid, ticks)).collect();
		let start = Instant::now();
		let outcomes = self.submit(&txs, start);
		let submit_end = start.elapsed();

		// Drain: until every accepted transaction is finalized, for as long as the chain keeps
		// finalizing them. What is still missing after `stall` without progress (or `drain_max`
		// in all) counts as lost.
		let accepted: Vec<&Tx> =
			txs.iter().zip(&outcomes).filter(|(_, o)| o.1.is_ok()).map(|(t, _)| t).collect();
		let give_up = Instant::now() + self.drain_max;
		let (mut least, mut progress) = (usize::MAX, Instant::now());
		loop {
			let pending = {
				let seen = watch.lock();
				accepted.iter().filter(|t| !seen.finalized.contains_key(&t.hash)).count()
			};
			let now = Instant::now();
			if pending < least {
				(least, progress) = (pending, now);
			}
			if pending == 0 || now >= give_up || now.duration_since(progress) >= self.stall {
				break;
			}
			thread::sleep(Duration::from_millis(200));
		}
		// One more poll's worth, so that a doubled inclusion would show.
		thread::sleep(Duration::from_millis(300));
		let window = start.elapsed();
		let after: Vec<Option<ProcSample>> =
			self.nodes.iter().map(|n| stats::sample(n.pid, ticks)).collect();
		let seen = watch.lock();
		if let Some(error) = &seen.error {
			eprintln!("[{}] the watch's last poll failed: {error}", kind.name());
		}

		let mut result = KindResult {
			kind: kind.name(),
			payments_per_tx: payments_before as f64 / txs.len().max(1) as f64,
			weight_us: (charged, 0.0),
			submitted: txs.len(),
			accepted: accepted.len(),
			window_s: window.as_secs_f64(),
			submit_rate: txs.len() as f64 / submit_end.as_secs_f64().max(1e-9),
			..Default::default()
		};
		let mut rejected: HashMap<String, usize> = HashMap::new();
		for (_, outcome) in &outcomes {
			if let Err(e) = outcome {
				*rejected.entry(e.clone()).or_default() += 1;
			}
		}
		result.rejected = rejected.into_iter().collect();
		result.rejected.sort_by_key(|(_, n)| core::cmp::Reverse(*n));

		let mut inclusion = Vec::new();
		let mut finality = Vec::new();
		for (tx, (submitted_at, outcome)) in txs.iter().zip(&outcomes) {
			if outcome.is_err() {
				continue;
			}
			if let Some(at) = seen.included.get(&tx.hash) {
				inclusion.push(at.saturating_duration_since(*submitted_at).as_secs_f64() * 1e3);
			}
			match seen.finalized.get(&tx.hash) {
				Some((at, count)) => {
					result.finalized += 1;
					if *count > 1 {
						result.doubled += 1;
					}
					finality.push(at.saturating_duration_since(*submitted_at).as_secs_f64() * 1e3);
				},
				None => {
					result.lost += 1;
					if result.lost_detail.len() < LOST_DESCRIBED {
						result.lost_detail.push(LostTx {
							hash: tx.hash,
							sender: tx.sender,
							nonce: tx.nonce,
							node: self.nodes[tx.node].name.clone(),
							seen_in_best_block: seen.included.contains_key(&tx.hash),
							chain_nonce: None,
						});
					}
				},
			}
		}
		if !result.lost_detail.is_empty() {
			let ids: Vec<AccountId> =
				result.lost_detail.iter().map(|l| self.accounts.id(l.sender).clone()).collect();
			match finalized_nonces(&mut rpc, &ids) {
				Ok(nonces) => {
					for (lost, nonce) in result.lost_detail.iter_mut().zip(nonces) {
						lost.chain_nonce = Some(nonce);
					}
				},
				Err(e) => {
					eprintln!("[{}] could not read the lost senders' nonces: {e}", kind.name())
				},
			}
		}
		let ms = |v: &[f64]| {
			(percentile(v, 0.5).unwrap_or(f64::NAN), percentile(v, 0.95).unwrap_or(f64::NAN))
		};
		result.inclusion_ms = ms(&inclusion);
		result.finality_ms = ms(&finality);

		// The blocks that carried this kind's transactions.
		let ours: HashMap<TxHash, usize> = accepted.iter().map(|t| (t.hash, t.payments)).collect();
		let carrying: Vec<_> = seen
			.blocks
			.iter()
			.map(|b| (b, b.extrinsics.iter().filter(|h| ours.contains_key(*h)).count()))
			.filter(|(_, n)| *n > 0)
			.collect();
		let max_normal = max_normal_weight();
		if let (Some((first, _)), Some((last, _))) = (carrying.first(), carrying.last()) {
			let slot_ms = paychain_runtime::SLOT_DURATION;
			let span_ms = last.timestamp.saturating_sub(first.timestamp) + slot_ms;
			let carried: usize = carrying.iter().map(|(_, n)| n).sum();
			result.tps = carried as f64 / (span_ms as f64 / 1e3);
			let paid: usize = carrying
				.iter()
				.flat_map(|(b, _)| b.extrinsics.iter().filter_map(|h| ours.get(h)))
				.sum();
			result.payments_per_s = paid as f64 / (span_ms as f64 / 1e3);
			result.blocks = carrying.len();
			// Each canonical block has a slot of its own: the slots of the span left without
			// one were missed, or their block lost to a sibling at the same height.
			let canonical = seen
				.blocks
				.iter()
				.filter(|b| (first.timestamp..=last.timestamp).contains(&b.timestamp))
				.count();
			// A block's timestamp lies in its slot (Aura checks it): count the slots by number.
			let slot = |timestamp: u64| timestamp / slot_ms;
			result.slots =
				(canonical, slot(last.timestamp).saturating_sub(slot(first.timestamp)) + 1);
			result.per_block = (
				carried as f64 / carrying.len() as f64,
				carrying.iter().map(|(_, n)| *n).max().unwrap_or(0),
			);
			let fullness: Vec<f64> = carrying
				.iter()
				.map(|(b, _)| b.normal_weight as f64 / max_normal as f64 * 100.0)
				.collect();
			result.fullness = (
				fullness.iter().sum::<f64>() / fullness.len() as f64,
				fullness.iter().cloned().fold(0.0, f64::max),
			);
			let weight: u64 = carrying.iter().map(|(b, _)| b.normal_weight).sum();
			// Every block's first extrinsic is the timestamp inherent (mandatory, not normal).
			let txs: usize =
				carrying.iter().map(|(b, _)| b.extrinsics.len().saturating_sub(1)).sum();
			result.weight_us.1 = weight as f64 / 1e6 / txs.max(1) as f64;
		}
		// Whether each call succeeded, from the events; and what the next kinds need.
		let blocks: Vec<&BlockStat> = carrying.iter().map(|(b, _)| *b).collect();
		let ours: HashSet<TxHash> = ours.into_keys().collect();
		let events = block_outcomes(&mut rpc, &blocks, &ours, self.accounts)?;
		result.failed = events.failed.len();
		let mut failures: HashMap<String, usize> = HashMap::new();
		for (_, error) in events.failed {
			*failures.entry(error).or_default() += 1;
		}
		result.failures = failures.into_iter().collect();
		result.failures.sort_by_key(|(_, n)| core::cmp::Reverse(*n));
		if kind == Kind::EscrowCreate {
			let opened = events.opened;
			eprintln!("[{}] {} escrows opened, to be released", kind.name(), opened.len());
			self.prepared.borrow_mut().opened = opened;
		}
		let lags: Vec<f64> = seen
			.lag
			.iter()
			.filter(|(at, _)| *at >= start && at.duration_since(start) <= submit_end)
			.map(|(_, lag)| *lag as f64)
			.collect();
		result.lag_p95 = percentile(&lags, 0.95).unwrap_or(0.0) as u32;
		result.lag_max = lags.iter().cloned().fold(0.0, f64::max) as u32;
		for ((node, before), after) in self.nodes.iter().zip(before).zip(after) {
			let (cpu, rss, peak) = match (before, after) {
				(Some(b), Some(a)) => (
					(a.cpu_seconds - b.cpu_seconds) / window.as_secs_f64() * 100.0,
					a.rss_mib,
					a.peak_mib,
				),
				_ => (f64::NAN, f64::NAN, f64::NAN),
			};
			result.nodes.push((node.name.clone(), cpu, rss, peak));
		}
		Ok(result)
	}

	/// Submits `txs` on time, one thread per validator, in batches of whatever is due. Returns,
	/// per transaction, when it was sent and the node's answer.
	fn submit(&self, txs: &[Tx], start: Instant) -> Vec<(Instant, Result<(), String>)> {
		let txs = Arc::new(txs.iter().map(|t| (t.hex.clone(), t.node, t.due)).collect::<Vec<_>>());
		let handles: Vec<_> = (0..self.nodes.len())
			.map(|n| {
				let (txs, port) = (txs.clone(), self.nodes[n].port);
				thread::spawn(move || {
					let mine: Vec<usize> = (0..txs.len()).filter(|i| txs[*i].1 == n).collect();
					let mut rpc = Rpc::new(port);
					let mut out = Vec::with_capacity(mine.len());
					let mut next = 0;
					while next < mine.len() {
						let now = start.elapsed();
						let due = txs[mine[next]].2;
						if due > now {
							thread::sleep((due - now).min(Duration::from_millis(5)));
							continue;
						}
						let mut batch = Vec::new();
						while next < mine.len() && txs[mine[next]].2 <= now && batch.len() < 500 {
							batch.push(mine[next]);
							next += 1;
						}
						let sent = Instant::now();
						let calls: Vec<(&str, Value)> = batch
							.iter()
							.map(|i| ("author_submitExtrinsic", json!([txs[*i].0])))
							.collect();
						match rpc.batch(&calls) {
							Ok(answers) => {
								for (i, answer) in batch.iter().zip(answers) {
									out.push((*i, sent, answer.map(|_| ())));
								}
							},
							Err(e) => {
								for i in &batch {
									out.push((*i, sent, Err(e.clone())));
								}
							},
						}
					}
					out
				})
			})
			.collect();
		let mut outcomes: Vec<(Instant, Result<(), String>)> =
			(0..txs.len()).map(|_| (start, Err("not submitted".to_string()))).collect();
		for handle in handles {
			match handle.join() {
				Ok(results) => {
					for (i, sent, answer) in results {
						outcomes[i] = (sent, answer);
					}
				},
				Err(_) => eprintln!("a submitting thread panicked"),
			}
		}
		outcomes
	}
}

/// Waits until the chain has finalized block `n`: the validators found each other.
pub fn wait_for_finality(port: u16, n: u32, timeout: Duration) -> Result<(), String> {
	let mut rpc = Rpc::new(port);
	let deadline = Instant::now() + timeout;
	loop {
		let finalized = watch::finalized_number(&mut rpc);
		match finalized {
			Ok(f) if f >= n => return Ok(()),
			_ if Instant::now() >= deadline => {
				return Err(format!(
					"the validators did not finalize block {n} within {} s ({finalized:?})",
					timeout.as_secs()
				))
			},
			_ => thread::sleep(Duration::from_millis(500)),
		}
	}
}

pub(crate) fn signing_context(rpc: &mut Rpc) -> Result<SigningContext, String> {
	let hash = |v: Value| -> Result<Hash, String> {
		let bytes = crate::rpc::unhex(v.as_str().ok_or("a hash that is not a string")?)?;
		(bytes.len() == 32)
			.then(|| Hash::from_slice(&bytes))
			.ok_or_else(|| "a hash that is not 32 bytes".to_string())
	};
	let genesis = hash(rpc.call("chain_getBlockHash", json!([0]))?)?;
	let finalized = rpc.call("chain_getFinalizedHead", json!([]))?;
	let number = watch::header_number(&rpc.call("chain_getHeader", json!([finalized]))?)?;
	let runtime = rpc.call("state_getRuntimeVersion", json!([finalized]))?;
	let field = |name: &str| {
		runtime[name]
			.as_u64()
			.and_then(|v| u32::try_from(v).ok())
			.ok_or_else(|| format!("the runtime version has no {name}: {runtime}"))
	};
	let version = (field("specVersion")?, field("transactionVersion")?);
	Ok(SigningContext { genesis, anchor: (number, hash(finalized)?), version })
}

/// Every account's next nonce, as the node's pool sees it.
pub(crate) fn account_nonces(rpc: &mut Rpc, accounts: &[AccountId]) -> Result<Vec<Nonce>, String> {
	use sp_core::crypto::Ss58Codec;
	let mut nonces = Vec::with_capacity(accounts.len());
	for chunk in accounts.chunks(500) {
		let calls: Vec<(&str, Value)> =
			chunk.iter().map(|a| ("system_accountNextIndex", json!([a.to_ss58check()]))).collect();
		for answer in rpc.batch(&calls)? {
			let nonce = answer?.as_u64().ok_or("a nonce that is not a number")?;
			nonces.push(nonce as Nonce);
		}
	}
	Ok(nonces)
}

/// The accounts' nonces in the finalized state (not the pool's view, as `account_nonces`).
fn finalized_nonces(rpc: &mut Rpc, accounts: &[AccountId]) -> Result<Vec<Nonce>, String> {
	type Runtime = paychain_runtime::Runtime;
	type Info = frame_system::AccountInfo<Nonce, <Runtime as frame_system::Config>::AccountData>;
	let keys: Vec<Vec<u8>> =
		accounts.iter().map(frame_system::Account::<Runtime>::hashed_key_for).collect();
	Ok(read_finalized::<Info>(rpc, &keys)?
		.into_iter()
		.map(|info| info.map(|i| i.nonce).unwrap_or(0))
		.collect())
}

/// The values at `keys` in the finalized state, in order (`None` where there is none).
pub(crate) fn read_finalized<T: codec::Decode>(
	rpc: &mut Rpc,
	keys: &[Vec<u8>],
) -> Result<Vec<Option<T>>, String> {
	let at = rpc.call("chain_getFinalizedHead", json!([]))?;
	let mut values = Vec::with_capacity(keys.len());
	for chunk in keys.chunks(500) {
		let calls: Vec<(&str, Value)> =
			chunk.iter().map(|key| ("state_getStorage", json!([hex(key), at]))).collect();
		for answer in rpc.batch(&calls)? {
			values.push(watch::storage_value::<T>(&answer)?);
		}
	}
	Ok(values)
}

/// What the events of the blocks that carried a kind say about its transactions.
#[derive(Default)]
struct Outcomes {
	/// The transactions whose call failed, with the error.
	failed: Vec<(TxHash, String)>,
	/// The escrows the benchmark's accounts opened (`EscrowCreated`), in chain order.
	opened: Vec<Opened>,
}

type EventRecords = Vec<frame_system::EventRecord<paychain_runtime::RuntimeEvent, Hash>>;

/// Reads the events of `blocks` and sorts out those of `ours`.
fn block_outcomes(
	rpc: &mut Rpc,
	blocks: &[&BlockStat],
	ours: &HashSet<TxHash>,
	accounts: &Accounts,
) -> Result<Outcomes, String> {
	let index: HashMap<&AccountId, usize> =
		accounts.ids().iter().enumerate().map(|(i, a)| (a, i)).collect();
	// `System::Events` (its storage type is private to frame-system).
	let key = hex(&frame_support::storage::storage_prefix(b"System", b"Events"));
	let mut out = Outcomes::default();
	for chunk in blocks.chunks(16) {
		let calls: Vec<(&str, Value)> =
			chunk.iter().map(|b| ("state_getStorage", json!([key, b.hash]))).collect();
		for (block, answer) in chunk.iter().zip(rpc.batch(&calls)?) {
			let records = watch::storage_value::<EventRecords>(&answer)?.unwrap_or_default();
			sort_events(records, block, ours, &index, &mut out);
		}
	}
	Ok(out)
}

/// Adds what `block`'s events say of `ours` to `out`: the calls that failed, the escrows
/// opened.
fn sort_events(
	records: EventRecords,
	block: &BlockStat,
	ours: &HashSet<TxHash>,
	index: &HashMap<&AccountId, usize>,
	out: &mut Outcomes,
) {
	use frame_system::Phase;
	use paychain_runtime::{RuntimeError, RuntimeEvent};
	for record in records {
		let Phase::ApplyExtrinsic(at) = record.phase else { continue };
		let Some(hash) = block.extrinsics.get(at as usize).filter(|h| ours.contains(*h)) else {
			continue;
		};
		match record.event {
			RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error, ..
			}) => {
				let error = match RuntimeError::from_dispatch_error(dispatch_error) {
					Some(e) => format!("{e:?}"),
					None => format!("{dispatch_error:?}"),
				};
				out.failed.push((*hash, error));
			},
			RuntimeEvent::Escrow(pallet_escrow::Event::EscrowCreated {
				escrow_id, payer, ..
			}) => {
				if let Some(i) = index.get(&payer) {
					out.opened.push((*i, escrow_id));
				}
			},
			_ => {},
		}
	}
}

/// Transactions live for 1,024 blocks (51 minutes at 3 s) from the anchor.
const MORTALITY: u64 = 1024;

pub(crate) fn sign(
	pair: &sr25519::Pair,
	call: RuntimeCall,
	nonce: Nonce,
	cx: &SigningContext,
) -> UncheckedExtrinsic {
	let era = Era::mortal(MORTALITY, cx.anchor.0 as u64);
	let extension = tx_extension(nonce, era);
	let implicit = tx_extension_implicit_for(cx.version, cx.genesis, cx.anchor.1);
	let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
	let signature = payload.using_encoded(|bytes| pair.sign(bytes));
	UncheckedExtrinsic::new_signed(
		call,
		AccountId::from(pair.public()).into(),
		paychain_runtime::Signature::Sr25519(signature),
		extension,
	)
}

/// What a transaction is charged before it runs: the extrinsic base, its extensions and its
/// call, as the runtime computes it (µs).
fn charged_weight_us(xt: &UncheckedExtrinsic) -> f64 {
	use frame_support::dispatch::{DispatchClass, GetDispatchInfo};
	let base = paychain_runtime::configs::RuntimeBlockWeights::get()
		.get(DispatchClass::Normal)
		.base_extrinsic;
	(xt.get_dispatch_info().total_weight() + base).ref_time() as f64 / 1e6
}

/// The most normal-class weight a block may carry (ref time, picoseconds).
pub fn max_normal_weight() -> u64 {
	use frame_support::dispatch::DispatchClass;
	let weights = paychain_runtime::configs::RuntimeBlockWeights::get();
	weights.get(DispatchClass::Normal).max_total.unwrap_or(weights.max_block).ref_time()
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Decode;

	/// What the kinds that need it would have been given.
	fn prepared() -> Prepared {
		Prepared {
			opened: vec![(0, 7)],
			fiscal: Some((3, vec![Some(5)])),
			genesis: Some(H256::repeat_byte(9)),
		}
	}

	/// A transaction the benchmark signs verifies as the runtime checks it; signed for a chain
	/// of another runtime version, it does not verify with this build's versions.
	#[test]
	fn signed_transactions_verify() {
		use paychain_runtime::{tx_extension_implicit, VERSION};
		let accounts = Accounts::new(3);
		let version = (VERSION.spec_version, VERSION.transaction_version);
		let cx = SigningContext {
			genesis: Hash::repeat_byte(1),
			anchor: (7, Hash::repeat_byte(2)),
			version,
		};
		let other = SigningContext { version: (version.0 - 1, version.1), ..cx };
		for kind in Kind::ALL {
			let (sender, call) = kind.plan(&accounts, 1, &prepared()).unwrap().remove(0);
			let signed_for_other = sign(accounts.pair(sender), call.clone(), 5, &other);
			let xt = sign(accounts.pair(sender), call, 5, &cx);
			let encoded = xt.encode();
			let decoded = UncheckedExtrinsic::decode(&mut &encoded[..]).unwrap();
			assert_eq!(decoded, xt);
			// Check the signature the way the runtime does, with the same implicit data.
			let sp_runtime::generic::Preamble::Signed(address, signature, extension) =
				&decoded.preamble
			else {
				panic!("not signed")
			};
			let payload = SignedPayload::from_raw(
				decoded.function.clone(),
				extension.clone(),
				tx_extension_implicit(cx.genesis, cx.anchor.1),
			);
			let sp_runtime::MultiAddress::Id(who) = address else { panic!("not an id") };
			assert!(payload
				.using_encoded(|b| { sp_runtime::traits::Verify::verify(signature, b, who) }));
			assert_eq!(who, accounts.id(sender));
			let sp_runtime::generic::Preamble::Signed(_, signature, _) = &signed_for_other.preamble
			else {
				panic!("not signed")
			};
			assert!(
				!payload.using_encoded(|b| sp_runtime::traits::Verify::verify(signature, b, who)),
				"the chain's spec version is part of what is signed"
			);
		}
	}

	#[test]
	fn kinds_parse_by_name() {
		for kind in Kind::ALL {
			assert_eq!(Kind::parse(kind.name()), Some(vec![kind]));
		}
		assert_eq!(Kind::parse("escrow"), Some(vec![Kind::EscrowCreate, Kind::EscrowRelease]));
		assert_eq!(Kind::parse("mint-redeem"), Some(vec![Kind::Mint, Kind::Redeem]));
		assert_eq!(
			Kind::parse("ledger"),
			Some(vec![Kind::LedgerOpen, Kind::LedgerApprove, Kind::LedgerConfirm])
		);
		assert_eq!(Kind::parse("teleport"), None);
	}

	#[test]
	fn a_release_plan_releases_what_was_opened_by_its_payer() {
		let accounts = Accounts::new(4);
		assert!(Kind::EscrowRelease.plan(&accounts, 10, &Prepared::default()).is_err());
		let prepared = Prepared { opened: vec![(2, 40), (3, 41)], ..Default::default() };
		let plan = Kind::EscrowRelease.plan(&accounts, 10, &prepared).unwrap();
		assert_eq!(plan.len(), 2);
		assert_eq!(plan[0], (2, EscrowCall::release { escrow_id: 40 }.into()));
		assert_eq!(plan[1], (3, EscrowCall::release { escrow_id: 41 }.into()));
		// Other kinds: `total` transactions, the senders in turn.
		let plan = Kind::EscrowCreate.plan(&accounts, 6, &prepared).unwrap();
		let senders: Vec<usize> = plan.iter().map(|(s, _)| *s).collect();
		assert_eq!(senders, vec![0, 1, 2, 3, 0, 1]);
	}

	/// A bulk is one institution's transfer to consecutive customers of its own, at most one
	/// institution's worth; the plan carries exactly the payments asked for.
	#[test]
	fn a_bulk_pays_consecutive_customers_of_one_institution() {
		let a = Accounts::new(45);
		let plan = Kind::Bulk.plan(&a, 100, &Prepared::default()).unwrap();
		let mut paid = Vec::new();
		for (sender, call) in &plan {
			let RuntimeCall::Compliance(ComplianceCall::transfer_bulk { payments }) = call else {
				panic!("not a bulk: {call:?}")
			};
			assert_eq!(payments_of(call), payments.len());
			for p in payments.iter() {
				let customer = paid.len() % 45;
				assert_eq!(p.dest, a.id(customer).clone().into());
				assert_eq!(p.value, UNITS);
				assert_eq!(*sender, a.clearing(a.institution_of(customer)));
				paid.push(customer);
			}
		}
		assert_eq!(paid.len(), 100);
		// 20, 20 and 5 customers, round and round: the last bulk is cut at 100 payments.
		let sizes: Vec<usize> = plan.iter().map(|(_, c)| payments_of(c)).collect();
		assert_eq!(sizes, vec![20, 20, 5, 20, 20, 5, 10]);
	}

	/// Institutions pay their own customers only, each with a reference of its own; the
	/// customers redeem through their own institution.
	#[test]
	fn institutions_serve_their_own_customers() {
		let a = Accounts::new(45);
		assert_eq!(a.institutions(), 3);
		let total = 90;
		let mint = Kind::Mint.plan(&a, total, &Prepared::default()).unwrap();
		let redeem = Kind::Redeem.plan(&a, total, &Prepared::default()).unwrap();
		let nodes = vec![Some(10), Some(11), Some(12)];
		let prepared = Prepared { fiscal: Some((4, nodes)), ..Default::default() };
		let fiscal = Kind::Fiscal.plan(&a, total, &prepared).unwrap();
		let mut references = HashSet::new();
		for i in 0..total {
			let customer = i % 45;
			let k = customer / 20;
			let (RuntimeCall::Settlement(pallet_settlement::Call::mint {
				customer: to,
				reference,
				..
			}),) = (mint[i].1.clone(),)
			else {
				panic!("not a mint")
			};
			assert_eq!((mint[i].0, to), (a.clearing(k), a.id(customer).clone().into()));
			assert!(references.insert(reference));
			let (RuntimeCall::Settlement(pallet_settlement::Call::redeem {
				institution,
				reference,
				..
			}),) = (redeem[i].1.clone(),)
			else {
				panic!("not a redemption")
			};
			assert_eq!((redeem[i].0, institution), (customer, a.id(a.clearing(k)).clone().into()));
			assert!(references.insert(reference));
			let (RuntimeCall::Fiscal(pallet_fiscal::Call::disburse {
				program,
				node,
				recipient,
				..
			}),) = (fiscal[i].1.clone(),)
			else {
				panic!("not a disbursement")
			};
			assert_eq!((fiscal[i].0, program, node), (a.county(k), 4, 10 + k as u32));
			assert_eq!(recipient, a.id(customer).clone().into());
		}
		// What each institution sends: 2 rounds of 45 customers, 20, 20 and 5 each.
		assert_eq!(per_institution(&a, total), vec![40, 40, 10]);
		// Without its set-up, a disbursement has no allocation to pay from.
		assert!(Kind::Fiscal.plan(&a, 1, &Prepared::default()).unwrap_err().contains("program"));
		let missing =
			Prepared { fiscal: Some((4, vec![Some(1), None, None])), ..Default::default() };
		assert!(Kind::Fiscal.plan(&a, 30, &missing).unwrap_err().contains("county 1"));
	}

	/// County `k` opens and approves the order, clearing institution `k` confirms it; each
	/// stage carries the same commitment, signed with the signer's key over the stage's payload,
	/// bound to the genesis hash; the order pays its customer.
	#[test]
	fn ledger_stages_are_signed_by_the_orders_handlers() {
		use pallet_ledger::{commitment::stage_payload, Call as Ledger, SignedStage, StageResult};
		let a = Accounts::new(45);
		let genesis = H256::repeat_byte(9);
		let prepared = Prepared { genesis: Some(genesis), ..Default::default() };
		let stages = |kind: Kind| kind.plan(&a, 45, &prepared).unwrap();
		let (open, approve, confirm) =
			(stages(Kind::LedgerOpen), stages(Kind::LedgerApprove), stages(Kind::LedgerConfirm));
		let check = |signed: &SignedStage, order: &[u8; 16], stage: u8, signer: usize| {
			let payload =
				stage_payload(&genesis, order, stage, StageResult::Passed, &signed.commitment.root);
			assert!(signed.commitment.is_well_formed());
			assert_eq!(
				signed.key,
				paychain_primitives::accounts::SigningKey::Sr25519(a.pair(signer).public())
			);
			assert!(signed.key.verify(&payload, &signed.signature), "stage {stage} of {order:?}");
		};
		let mut orders = HashSet::new();
		for i in [0, 19, 20, 44] {
			let k = i / 20;
			let RuntimeCall::Ledger(Ledger::open_order {
				reference,
				business_type,
				handlers,
				application,
				settlement,
				..
			}) = &open[i].1
			else {
				panic!("not an order")
			};
			assert_eq!(open[i].0, a.county(k));
			assert_eq!(*business_type, LEDGER_BUSINESS_TYPE);
			let ids = [a.county(k), a.county(k), a.clearing(k)].map(|s| a.id(s).clone());
			assert_eq!(handlers.to_vec(), ids.to_vec());
			assert_eq!(settlement.as_ref().map(|s| (&s.payee, s.amount)), Some((a.id(i), UNITS)));
			check(application, reference, 0, a.county(k));
			assert!(orders.insert(*reference));
			for (plan, stage, signer) in [(&approve, 1, a.county(k)), (&confirm, 2, a.clearing(k))]
			{
				let RuntimeCall::Ledger(Ledger::record_stage { reference: r, stage: s, signed }) =
					&plan[i].1
				else {
					panic!("not a stage")
				};
				assert_eq!((plan[i].0, r, *s), (signer, reference, stage));
				assert_eq!(signed.commitment, application.commitment, "no field changed");
				check(signed, reference, stage, signer);
			}
		}
		let unknown = Kind::LedgerOpen.plan(&a, 1, &Prepared::default()).unwrap_err();
		assert!(unknown.contains("genesis"), "{unknown}");
	}

	/// A call that failed in its block is told apart by its event, with the pallet's error by
	/// name; others' transactions and events outside extrinsics are not ours.
	#[test]
	fn failed_calls_are_read_from_the_events() {
		use frame_system::DispatchEventInfo;
		use frame_system::{EventRecord, Phase};
		use paychain_runtime::RuntimeEvent;
		let a = Accounts::new(3);
		let (mine, theirs, escrow) = ([1u8; 32], [2u8; 32], [3u8; 32]);
		let block = BlockStat {
			hash: "0x00".into(),
			timestamp: 0,
			extrinsics: vec![[0u8; 32], mine, theirs, escrow],
			normal_weight: 0,
		};
		let failed = |error: sp_runtime::DispatchError| {
			RuntimeEvent::System(frame_system::Event::ExtrinsicFailed {
				dispatch_error: error,
				dispatch_info: DispatchEventInfo::default(),
			})
		};
		let no_reserve = pallet_settlement::Error::<paychain_runtime::Runtime>::NoReserve.into();
		let at = |i, event| EventRecord { phase: Phase::ApplyExtrinsic(i), event, topics: vec![] };
		let records = vec![
			at(1, failed(no_reserve)),
			at(2, failed(no_reserve)),
			EventRecord { phase: Phase::Finalization, event: failed(no_reserve), topics: vec![] },
			at(
				3,
				RuntimeEvent::Escrow(pallet_escrow::Event::EscrowCreated {
					escrow_id: 12,
					payer: a.id(2).clone(),
					payee: a.id(0).clone(),
					amount: UNITS,
					order_commitment: Default::default(),
				}),
			),
		];
		let ours = HashSet::from([mine, escrow]);
		let index = a.ids().iter().enumerate().map(|(i, id)| (id, i)).collect();
		let mut out = Outcomes::default();
		sort_events(records, &block, &ours, &index, &mut out);
		assert_eq!(out.failed, vec![(mine, "Settlement(NoReserve)".to_string())]);
		assert_eq!(out.opened, vec![(2, 12)]);
	}

	#[test]
	fn the_block_limit_is_the_runtimes() {
		let max = max_normal_weight();
		assert!(
			max > 0
				&& max
					< paychain_runtime::configs::RuntimeBlockWeights::get().max_block.ref_time()
						+ 1
		);
	}
}
