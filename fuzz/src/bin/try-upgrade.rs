//! The runtime upgrade, offline and with every check: the state a chain launched at spec 111
//! built (`chain-specs/upgrade-from/consortium-spec111-raw.json`) is upgraded by this build's
//! runtime with `Executive::try_runtime_upgrade`, which runs the migrations with their
//! `pre_upgrade` and `post_upgrade` checks, then decodes the entire state and runs every
//! pallet's `try_state`. A failure exits non-zero with the check that failed.
//! `scripts/fuzz.sh` runs it before fuzzing.

use frame_support::traits::{GetStorageVersion, UpgradeCheckSelect};
use paychain_runtime::{Compliance, Executive, Runtime, VERSION};

fn main() {
	let base = "upgrade-from/consortium-spec111-raw.json";
	sp_io::TestExternalities::new(paychain_fuzz::raw_spec_storage(base)).execute_with(|| {
		let from = frame_system::LastRuntimeUpgrade::<Runtime>::get()
			.map_or("?".into(), |v| v.spec_version.0.to_string());
		let compliance_before = Compliance::on_chain_storage_version();
		match Executive::try_runtime_upgrade(UpgradeCheckSelect::All) {
			Ok(weight) => println!(
				"try-upgrade: spec {from} -> {}: migrations, their pre/post checks, state decoding and try_state pass ({:.3} ms of weight); compliance storage {:?} -> {:?}",
				VERSION.spec_version,
				weight.ref_time() as f64 / 1e6,
				compliance_before,
				Compliance::on_chain_storage_version(),
			),
			Err(e) => {
				eprintln!("try-upgrade: spec {from} -> {}: {e:?}", VERSION.spec_version);
				std::process::exit(1);
			},
		}
		assert_eq!(Compliance::on_chain_storage_version(), Compliance::in_code_storage_version());
	});
}
