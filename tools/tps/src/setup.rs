//! What a kind needs on chain before its payments can run, set up with ordinary signed
//! transactions and checked in finalized state before the kind starts: the clearing
//! institutions' reserves before they mint; the fiscal program, allocated from Guangdong's
//! department through Shenzhen's down to each county, before the counties disburse; the
//! institutions' signing keys before they record ledger stages.
//!
//! The set-up is not measured: its transactions are few (one per institution) and finalized
//! before the kind's clock starts.

use crate::{
	accounts::Named,
	bench::{
		account_nonces, per_institution, read_finalized, reference, sign, signing_context, Bench,
		Kind, PURPOSE,
	},
	rpc::{hex, Rpc},
	watch::Watch,
};
use codec::Encode;
use paychain_runtime::{Runtime, RuntimeCall, UNITS};
use serde_json::{json, Value};
use sp_core::{Pair, H256};
use std::{
	collections::HashMap,
	thread,
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

type FiscalCall = pallet_fiscal::Call<Runtime>;
type SettlementCall = pallet_settlement::Call<Runtime>;
type AccountsCall = pallet_accounts::Call<Runtime>;

/// How long a set-up round may take to be finalized.
const ROUND_TIMEOUT: Duration = Duration::from_secs(180);

/// The benchmark's fiscal program's code.
const PROGRAM_CODE: &[u8] = b"paychain-tps";

fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

impl Bench<'_> {
	/// Sets up what `kind`'s `total` payments need.
	pub fn prepare(&self, kind: Kind, total: usize) -> Result<(), String> {
		match kind {
			Kind::Mint => self.prepare_mint(total),
			Kind::Fiscal => self.prepare_fiscal(total),
			Kind::LedgerOpen => self.prepare_ledger(total),
			_ => Ok(()),
		}
	}

	/// Each clearing institution that mints attests a reserve of exactly what it will mint.
	fn prepare_mint(&self, total: usize) -> Result<(), String> {
		let a = self.accounts;
		let counts = per_institution(a, total);
		let used: Vec<usize> = (0..counts.len()).filter(|k| counts[*k] > 0).collect();
		let attest = used
			.iter()
			.map(|k| {
				let call = SettlementCall::attest_reserve {
					amount: counts[*k] as u128 * UNITS,
					timestamp: now_ms(),
					evidence: reference(b"paychain-tps/reserve", *k),
				};
				(a.clearing(*k), call.into())
			})
			.collect();
		self.round(Kind::Mint, "reserves attested", attest)?;
		let keys: Vec<Vec<u8>> = used
			.iter()
			.map(|k| pallet_settlement::Reserves::<Runtime>::hashed_key_for(a.id(a.clearing(*k))))
			.collect();
		let mut rpc = Rpc::new(self.nodes[0].port);
		let reserves: Vec<Option<pallet_settlement::ReserveOf<Runtime>>> =
			read_finalized(&mut rpc, &keys)?;
		let missing = reserves.iter().filter(|r| r.is_none()).count();
		if missing > 0 {
			return Err(format!("mint: {missing} clearing institutions have no reserve on chain"));
		}
		Ok(())
	}

	/// Guangdong's department creates a program of what the counties will disburse and
	/// allocates it to Shenzhen's, which allocates each county what it will disburse.
	fn prepare_fiscal(&self, total: usize) -> Result<(), String> {
		let a = self.accounts;
		let counts = per_institution(a, total);
		let sum: u128 = counts.iter().map(|c| *c as u128).sum::<u128>() * UNITS;
		let code: pallet_fiscal::CodeOf<Runtime> =
			PROGRAM_CODE.to_vec().try_into().map_err(|_| "the program code is too long")?;
		let offset =
			<<Runtime as pallet_fiscal::Config>::TimeZoneOffset as frame_support::traits::Get<
				u64,
			>>::get();
		let year = paychain_primitives::compliance::year_of(now_ms(), offset);
		let create = FiscalCall::create_program {
			code: code.clone(),
			kind: pallet_fiscal::ProgramKind::General,
			fiscal_year: year,
			purpose: PURPOSE,
			total: sum,
		};
		let (guangdong, shenzhen) = (a.named(Named::Guangdong), a.named(Named::Shenzhen));
		self.round(Kind::Fiscal, "program created", vec![(guangdong, create.into())])?;
		let mut rpc = Rpc::new(self.nodes[0].port);
		let program: pallet_fiscal::ProgramId = read_finalized(
			&mut rpc,
			&[pallet_fiscal::ProgramByCode::<Runtime>::hashed_key_for(&code)],
		)?
		.pop()
		.flatten()
		.ok_or("fiscal: the program was not created")?;
		let allocation = |who: usize| {
			pallet_fiscal::DepartmentAllocations::<Runtime>::hashed_key_for(a.id(who), program)
		};

		let to_city = FiscalCall::allocate {
			program,
			node: 0,
			child: a.id(shenzhen).clone().into(),
			amount: sum,
		};
		self.round(Kind::Fiscal, "allocated to Shenzhen", vec![(guangdong, to_city.into())])?;
		let city: pallet_fiscal::NodeIndex = read_finalized(&mut rpc, &[allocation(shenzhen)])?
			.pop()
			.flatten()
			.ok_or("fiscal: Shenzhen's allocation was not made")?;

		let to_counties: Vec<(usize, RuntimeCall)> = (0..counts.len())
			.filter(|k| counts[*k] > 0)
			.map(|k| {
				let call = FiscalCall::allocate {
					program,
					node: city,
					child: a.id(a.county(k)).clone().into(),
					amount: counts[k] as u128 * UNITS,
				};
				(shenzhen, call.into())
			})
			.collect();
		self.round(Kind::Fiscal, "allocated to the counties", to_counties)?;
		let keys: Vec<Vec<u8>> = (0..counts.len()).map(|k| allocation(a.county(k))).collect();
		let nodes: Vec<Option<pallet_fiscal::NodeIndex>> = read_finalized(&mut rpc, &keys)?;
		let missing = (0..counts.len()).filter(|k| counts[*k] > 0 && nodes[*k].is_none()).count();
		if missing > 0 {
			return Err(format!("fiscal: {missing} counties have no allocation on chain"));
		}
		self.prepared.borrow_mut().fiscal = Some((program, nodes));
		Ok(())
	}

	/// Each county and clearing institution that records stages registers its account key as
	/// a signing key; the stages' signatures are bound to the genesis hash.
	fn prepare_ledger(&self, total: usize) -> Result<(), String> {
		use paychain_primitives::accounts::SigningKey;
		let a = self.accounts;
		let counts = per_institution(a, total);
		let signers: Vec<usize> = (0..counts.len())
			.filter(|k| counts[*k] > 0)
			.flat_map(|k| [a.county(k), a.clearing(k)])
			.collect();
		let register = signers
			.iter()
			.map(|s| {
				let key = SigningKey::Sr25519(a.pair(*s).public());
				let call = AccountsCall::register_key { key, valid_from: None, valid_until: None };
				(*s, call.into())
			})
			.collect();
		self.round(Kind::LedgerOpen, "signing keys registered", register)?;
		let keys: Vec<Vec<u8>> = signers
			.iter()
			.map(|s| pallet_accounts::InstitutionKeys::<Runtime>::hashed_key_for(a.id(*s)))
			.collect();
		let mut rpc = Rpc::new(self.nodes[0].port);
		let registered: Vec<Option<Vec<pallet_accounts::InstitutionKeyOf<Runtime>>>> =
			read_finalized(&mut rpc, &keys)?;
		let missing = registered.iter().filter(|k| k.as_ref().is_none_or(Vec::is_empty)).count();
		if missing > 0 {
			return Err(format!("ledger: {missing} institutions have no signing key on chain"));
		}
		let genesis = rpc.call("chain_getBlockHash", json!([0]))?;
		let genesis = crate::rpc::unhex(genesis.as_str().ok_or("a genesis hash that is not hex")?)?;
		if genesis.len() != 32 {
			return Err("a genesis hash that is not 32 bytes".into());
		}
		self.prepared.borrow_mut().genesis = Some(H256::from_slice(&genesis));
		Ok(())
	}

	/// Signs and submits one round of set-up transactions to the watched validator and waits
	/// until every one is finalized.
	fn round(
		&self,
		kind: Kind,
		what: &str,
		calls: Vec<(usize, RuntimeCall)>,
	) -> Result<(), String> {
		let port = self.nodes[0].port;
		let mut rpc = Rpc::new(port);
		let context = signing_context(&mut rpc)?;
		let mut signers: Vec<usize> = calls.iter().map(|(s, _)| *s).collect();
		signers.sort_unstable();
		signers.dedup();
		let ids: Vec<_> = signers.iter().map(|s| self.accounts.id(*s).clone()).collect();
		let mut nonces: HashMap<usize, _> =
			signers.iter().copied().zip(account_nonces(&mut rpc, &ids)?).collect();
		let signed: Vec<(String, [u8; 32])> = calls
			.into_iter()
			.map(|(signer, call)| {
				let nonce = nonces.entry(signer).or_default();
				let bytes = sign(self.accounts.pair(signer), call, *nonce, &context).encode();
				*nonce += 1;
				(hex(&bytes), sp_io::hashing::blake2_256(&bytes))
			})
			.collect();
		let watch = Watch::start(port)?;
		for chunk in signed.chunks(500) {
			let calls: Vec<(&str, Value)> =
				chunk.iter().map(|(x, _)| ("author_submitExtrinsic", json!([x]))).collect();
			let refused: Vec<String> =
				rpc.batch(&calls)?.into_iter().filter_map(Result::err).collect();
			if let Some(first) = refused.first() {
				return Err(format!(
					"[{}] set-up ({what}): {} of {} refused; the first: {first}",
					kind.name(),
					refused.len(),
					signed.len()
				));
			}
		}
		let deadline = Instant::now() + ROUND_TIMEOUT;
		loop {
			let pending =
				signed.iter().filter(|(_, h)| !watch.lock().finalized.contains_key(h)).count();
			if pending == 0 {
				eprintln!("[{}] set up: {what} ({} transactions)", kind.name(), signed.len());
				return Ok(());
			}
			if Instant::now() >= deadline {
				return Err(format!(
					"[{}] set-up ({what}): {pending} of {} not finalized within {} s",
					kind.name(),
					signed.len(),
					ROUND_TIMEOUT.as_secs()
				));
			}
			thread::sleep(Duration::from_millis(200));
		}
	}
}
