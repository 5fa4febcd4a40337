//! Tests of the runtime's own configuration: presets, fees, currency, versions.

use super::*;
use frame_support::{
	traits::{fungible::Inspect, Get},
	weights::WeightToFee as _,
};
use sp_runtime::BuildStorage;

fn preset_storage(id: &str) -> sp_io::TestExternalities {
	let json = genesis_config_presets::get_preset(&id.into()).expect("preset exists");
	let patch: serde_json::Value = serde_json::from_slice(&json).unwrap();
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	json_merge(&mut config, patch);
	let config: RuntimeGenesisConfig = serde_json::from_value(config).unwrap();
	config.build_storage().unwrap().into()
}

fn json_merge(a: &mut serde_json::Value, b: serde_json::Value) {
	match (a, b) {
		(serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
			for (k, v) in b {
				json_merge(a.entry(k).or_insert(serde_json::Value::Null), v);
			}
		},
		(a, b) => *a = b,
	}
}

#[test]
fn every_preset_builds_a_genesis_state() {
	for id in genesis_config_presets::preset_names() {
		let id = core::str::from_utf8(id.as_ref()).unwrap().to_owned();
		preset_storage(&id).execute_with(|| {
			let authorities = pallet_aura::Authorities::<Runtime>::get();
			assert!(!authorities.is_empty(), "{id}: no Aura authorities");
			assert_eq!(
				authorities.len(),
				pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(),
				"{id}: Aura and GRANDPA authority sets differ"
			);
			assert!(pallet_sudo::Key::<Runtime>::get().is_some(), "{id}: no sudo key");
			// The fee collector exists from genesis, so fees are never burned.
			assert!(Balances::balance(&configs::FeeCollector::get()) >= EXISTENTIAL_DEPOSIT);
		});
	}
}

#[test]
fn presets_have_the_expected_validator_counts() {
	let count = |id: &str| {
		preset_storage(id).execute_with(|| pallet_aura::Authorities::<Runtime>::get().len())
	};
	assert_eq!(count("development"), 1);
	assert_eq!(count("local_testnet"), 4);
	assert_eq!(count(genesis_config_presets::CONSORTIUM_PRESET), 4);
}

#[test]
fn consortium_keys_are_distinct_and_set() {
	preset_storage(genesis_config_presets::CONSORTIUM_PRESET).execute_with(|| {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let mut raw: Vec<_> = aura.iter().map(|k| k.encode()).collect();
		raw.sort();
		raw.dedup();
		assert_eq!(raw.len(), 4, "consortium Aura keys must be distinct");
		assert!(aura.iter().all(|k| k.encode() != [0u8; 32]), "unset consortium key");
	});
}

#[test]
fn unknown_preset_is_none() {
	assert!(genesis_config_presets::get_preset(&"mainnet".into()).is_none());
}

#[test]
fn metadata_hash_token_matches_the_currency() {
	// `build.rs` cannot use this crate, so it repeats the symbol and decimals: keep them equal.
	let build_rs = include_str!("../build.rs");
	let expected = format!(
		".enable_metadata_hash(\"{}\", {})",
		currency::TOKEN_SYMBOL,
		currency::TOKEN_DECIMALS
	);
	assert!(build_rs.contains(&expected), "build.rs must call {expected}");
	assert_eq!(<configs::SS58Prefix as Get<u16>>::get(), currency::SS58_PREFIX);
}

#[test]
fn a_transfer_costs_about_a_fen() {
	// The weight of a transfer as pallet_balances measures it, plus the base extrinsic weight.
	let weight = <Runtime as frame_system::Config>::BlockWeights::get()
		.get(frame_support::dispatch::DispatchClass::Normal)
		.base_extrinsic +
		<pallet_balances::weights::SubstrateWeight<Runtime> as pallet_balances::WeightInfo>::transfer_allow_death();
	let fee = configs::WeightToFee::weight_to_fee(&weight) + 150 * configs::TRANSACTION_BYTE_FEE;
	assert!(fee > 0, "fees must not be zero");
	assert!(fee < 10 * CENTS, "a transfer must cost well under a jiao, was {fee}");
}

#[test]
fn block_time_and_slot_agree() {
	assert_eq!(<Runtime as pallet_timestamp::Config>::MinimumPeriod::get() * 2, SLOT_DURATION);
}

use codec::Encode;
