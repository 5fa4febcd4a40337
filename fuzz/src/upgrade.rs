//! The runtime upgrade, offline and with every check: the state a chain launched at spec 111
//! built (`chain-specs/upgrade-from/consortium-spec111-raw.json`) is upgraded by this build's
//! runtime with `Executive::try_runtime_upgrade`, which runs the migrations with their
//! `pre_upgrade` and `post_upgrade` checks, then decodes the entire state and runs every
//! pallet's `try_state`. A failure exits non-zero with the check that failed.
//! `scripts/fuzz.sh` runs it before fuzzing.

use frame_support::traits::{GetStorageVersion, UpgradeCheckSelect};
use paychain_runtime::{Compliance, Executive, Runtime, VERSION};

/// Upgrades the spec-111 state; returns what it checked, or the check that failed.
pub fn try_upgrade() -> Result<String, String> {
	let base = "upgrade-from/consortium-spec111-raw.json";
	sp_io::TestExternalities::new(crate::raw_spec_storage(base)).execute_with(|| {
		let from = frame_system::LastRuntimeUpgrade::<Runtime>::get()
			.map_or("?".into(), |v| v.spec_version.0.to_string());
		let compliance_before = Compliance::on_chain_storage_version();
		let to = VERSION.spec_version;
		let weight = Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
			.map_err(|e| format!("spec {from} -> {to}: {e:?}"))?;
		let compliance_after = Compliance::on_chain_storage_version();
		if compliance_after != Compliance::in_code_storage_version() {
			return Err(format!("spec {from} -> {to}: compliance storage left at {compliance_after:?}"));
		}
		Ok(format!(
			"spec {from} -> {to}: migrations, their pre/post checks, state decoding and try_state pass ({:.3} ms of weight); compliance storage {compliance_before:?} -> {compliance_after:?}",
			weight.ref_time() as f64 / 1e9 * 1e3,
		))
	})
}
