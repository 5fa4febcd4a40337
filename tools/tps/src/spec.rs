//! The benchmark's chain spec: the consortium preset, with thousands of registered and funded
//! accounts, and plain transfers opened (`configs::PlainTransfers`) so that the unchecked
//! baseline runs on the same runtime as the checked payments.

use crate::{accounts::Accounts, rpc::hex};
use paychain_runtime::{configs::PlainTransfers, UNITS};
use serde_json::{json, Value};
use sp_core::crypto::Ss58Codec;
use std::{path::Path, process::Command};

/// What each benchmark account holds at genesis: enough for its payments and their fees.
pub const ACCOUNT_ENDOWMENT: u128 = 1_000_000 * UNITS;

/// The region the benchmark's individuals live in: Shanghai, where the consortium's payment
/// institution, their parent in the register, is.
const REGION: u32 = 310_000;

/// Writes the raw spec of the benchmark chain to `out`.
pub fn write(
	node: &Path,
	consortium_raw: &Path,
	accounts: &Accounts,
	out: &Path,
) -> Result<(), String> {
	let plain = build_spec(node, &["--chain", "consortium"])?;
	let mut spec: Value = serde_json::from_slice(&plain).map_err(|e| e.to_string())?;
	let committed: Value = serde_json::from_slice(
		&std::fs::read(consortium_raw)
			.map_err(|e| format!("reading {}: {e}", consortium_raw.display()))?,
	)
	.map_err(|e| format!("{}: {e}", consortium_raw.display()))?;
	add_accounts(&mut spec, accounts)?;
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

/// Adds every benchmark account to the genesis patch: funded, and registered as an individual
/// with standard KYC, a customer of the consortium's payment institution.
fn add_accounts(spec: &mut Value, accounts: &Accounts) -> Result<(), String> {
	let patch = spec
		.pointer_mut("/genesis/runtimeGenesis/patch")
		.ok_or("the spec has no genesis.runtimeGenesis.patch")?;
	let institution = patch
		.pointer("/accounts/participants")
		.and_then(Value::as_array)
		.and_then(|ps| ps.iter().find(|p| p["role"] == json!("PaymentInstitution")))
		.map(|p| p["account"].clone())
		.ok_or("the consortium preset has no payment institution")?;
	let mut balances = Vec::with_capacity(accounts.len());
	let mut participants = Vec::with_capacity(accounts.len());
	for (i, account) in accounts.ids().iter().enumerate() {
		let address = account.to_ss58check();
		balances.push(json!([address, ACCOUNT_ENDOWMENT]));
		let identity = sp_io::hashing::blake2_256(&codec::Encode::encode(&(
			b"paychain-tps/identity",
			i as u32,
		)));
		participants.push(json!({
			"account": address,
			"identity": hex(&identity),
			"parent": institution,
			"region": REGION,
			"role": "Individual",
			"tier": "Standard",
		}));
	}
	patch
		.pointer_mut("/balances/balances")
		.and_then(Value::as_array_mut)
		.ok_or("the preset has no balances")?
		.extend(balances);
	patch
		.pointer_mut("/accounts/participants")
		.and_then(Value::as_array_mut)
		.ok_or("the preset has no participants")?
		.extend(participants);
	Ok(())
}
