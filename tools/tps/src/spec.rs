//! The benchmark's chain spec: the consortium preset, with thousands of registered and funded
//! accounts, and plain transfers opened (`configs::PlainTransfers`) so that the unchecked
//! baseline runs on the same runtime as the checked payments.

use crate::{
	accounts::{Accounts, Named},
	rpc::hex,
};
use paychain_runtime::{configs::PlainTransfers, UNITS};
use serde_json::{json, Value};
use sp_core::crypto::Ss58Codec;
use std::{path::Path, process::Command};

/// What each benchmark account holds at genesis: enough for its payments and their fees.
pub const ACCOUNT_ENDOWMENT: u128 = 1_000_000 * UNITS;

/// The region the benchmark's individuals live in: Shanghai, where the consortium's payment
/// institution, their parent in the register, is.
const REGION: u32 = 310_000;

/// Shenzhen, whose finance department allocates the fiscal program to the benchmark's counties.
const SHENZHEN: u32 = 440_300;

/// Writes the raw spec of the benchmark chain to `out`.
pub fn write(
	node: &Path,
	consortium_raw: &Path,
	accounts: &Accounts,
	program_total: u128,
	out: &Path,
) -> Result<(), String> {
	let plain = build_spec(node, &["--chain", "consortium"])?;
	let mut spec: Value = serde_json::from_slice(&plain).map_err(|e| e.to_string())?;
	let committed: Value = serde_json::from_slice(
		&std::fs::read(consortium_raw)
			.map_err(|e| format!("reading {}: {e}", consortium_raw.display()))?,
	)
	.map_err(|e| format!("{}: {e}", consortium_raw.display()))?;
	add_accounts(&mut spec, accounts, program_total)?;
	spec["name"] = json!("Paychain throughput benchmark");
	spec["id"] = json!("paychain_tps");
	// The validators find each other as on the consortium's loopback network.
	spec["bootNodes"] = committed["bootNodes"].clone();

	let patched = out.with_extension("plain.json");
	std::fs::write(&patched, serde_json::to_vec_pretty(&spec).map_err(|e| e.to_string())?)
		.map_err(|e| format!("writing {}: {e}", patched.display()))?;
	let raw = build_spec(node, &["--chain", &patched.to_string_lossy(), "--raw"])?;
	let mut raw: Value = serde_json::from_slice(&raw).map_err(|e| e.to_string())?;
	let top = raw
		.pointer_mut("/genesis/raw/top")
		.and_then(Value::as_object_mut)
		.ok_or("the raw spec has no genesis.raw.top")?;
	top.insert(hex(&PlainTransfers::key()), json!(hex(&codec::Encode::encode(&true))));
	std::fs::write(out, serde_json::to_vec(&raw).map_err(|e| e.to_string())?)
		.map_err(|e| format!("writing {}: {e}", out.display()))?;
	Ok(())
}

/// The node's `build-spec` output.
fn build_spec(node: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
	let output = Command::new(node)
		.arg("build-spec")
		.args(args)
		.output()
		.map_err(|e| format!("running {}: {e}", node.display()))?;
	if !output.status.success() {
		return Err(format!(
			"{} build-spec {}: {}",
			node.display(),
			args.join(" "),
			String::from_utf8_lossy(&output.stderr)
		));
	}
	Ok(output.stdout)
}

/// Adds the benchmark's signers to the genesis patch, funded: every customer registered as an
/// individual with standard KYC, a customer of the consortium's payment institution; the
/// clearing institutions; the county finance departments, under Shenzhen's. Guangdong's
/// department gets the fiscal program's `program_total` on top of its endowment.
fn add_accounts(spec: &mut Value, accounts: &Accounts, program_total: u128) -> Result<(), String> {
	let patch = spec
		.pointer_mut("/genesis/runtimeGenesis/patch")
		.ok_or("the spec has no genesis.runtimeGenesis.patch")?;
	let institution = patch
		.pointer("/accounts/participants")
		.and_then(Value::as_array)
		.and_then(|ps| ps.iter().find(|p| p["role"] == json!("PaymentInstitution")))
		.map(|p| p["account"].clone())
		.ok_or("the consortium preset has no payment institution")?;
	let shenzhen = accounts.id(accounts.named(Named::Shenzhen)).to_ss58check();
	let guangdong = accounts.id(accounts.named(Named::Guangdong)).to_ss58check();
	let registered = |address: &str| {
		patch
			.pointer("/accounts/participants")
			.and_then(Value::as_array)
			.is_some_and(|ps| ps.iter().any(|p| p["account"] == json!(address)))
	};
	if !registered(&shenzhen) || !registered(&guangdong) {
		return Err("the consortium preset lacks the Guangdong or Shenzhen finance department \
		            the fiscal kind allocates through"
			.into());
	}
	let identity = |domain: &[u8], i: usize| {
		hex(&sp_io::hashing::blake2_256(&codec::Encode::encode(&(domain, i as u32))))
	};
	let mut balances = Vec::with_capacity(accounts.ids().len());
	let mut participants = Vec::with_capacity(accounts.ids().len());
	for (i, account) in accounts.customer_ids().iter().enumerate() {
		let address = account.to_ss58check();
		balances.push(json!([address, ACCOUNT_ENDOWMENT]));
		participants.push(json!({
			"account": address,
			"identity": identity(b"paychain-tps/identity", i),
			"parent": institution,
			"region": REGION,
			"role": "Individual",
			"tier": "Standard",
		}));
	}
	for (k, account) in accounts.clearing_ids().iter().enumerate() {
		let address = account.to_ss58check();
		balances.push(json!([address, ACCOUNT_ENDOWMENT]));
		participants.push(json!({
			"account": address,
			"identity": identity(b"paychain-tps/identity-clearing", k),
			"parent": null,
			"region": 0,
			"role": "ClearingInstitution",
			"tier": "Enhanced",
		}));
	}
	for (k, account) in accounts.county_ids().iter().enumerate() {
		let address = account.to_ss58check();
		balances.push(json!([address, ACCOUNT_ENDOWMENT]));
		participants.push(json!({
			"account": address,
			"identity": identity(b"paychain-tps/identity-county", k),
			"parent": shenzhen,
			"region": county_region(k),
			"role": { "FinanceDepartment": "County" },
			"tier": "Enhanced",
		}));
	}
	let endowed = patch
		.pointer_mut("/balances/balances")
		.and_then(Value::as_array_mut)
		.ok_or("the preset has no balances")?;
	let guangdong_balance = endowed
		.iter_mut()
		.find(|b| b[0] == json!(guangdong))
		.ok_or("the preset does not fund Guangdong's finance department")?;
	let before = guangdong_balance[1].as_u64().ok_or("a balance that is not a number")? as u128;
	guangdong_balance[1] = json!(before + program_total);
	endowed.extend(balances);
	patch
		.pointer_mut("/accounts/participants")
		.and_then(Value::as_array_mut)
		.ok_or("the preset has no participants")?
		.extend(participants);
	Ok(())
}

/// The `k`-th benchmark county's region: one of Shenzhen's districts (440301–440399).
fn county_region(k: usize) -> u32 {
	SHENZHEN + 1 + (k % 99) as u32
}
