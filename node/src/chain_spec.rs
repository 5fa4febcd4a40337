//! Chain specifications, built from the runtime's genesis presets.

use paychain_runtime::{currency, genesis_config_presets::CONSORTIUM_PRESET, WASM_BINARY};
use sc_service::{ChainType, Properties};

/// A Paychain chain specification.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The libp2p protocol id: Paychain nodes only talk to Paychain nodes.
pub const PROTOCOL_ID: &str = "paychain";

/// The chain properties wallets read: token symbol, decimals and address format.
pub fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), currency::TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), currency::TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), currency::SS58_PREFIX.into());
	properties
}

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The Wasm runtime is not available: the node was built with SKIP_WASM_BUILD".to_string()
	})
}

fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_protocol_id(PROTOCOL_ID)
		.with_properties(properties())
		.with_genesis_config_preset_name(preset)
		.build())
}

/// One validator (Alice) on one machine.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"Paychain Development",
		"paychain_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// Four validators with the development keys (Alice, Bob, Charlie, Dave).
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"Paychain Local Testnet",
		"paychain_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// The Paychain consortium: four institutions validate. Without bootnodes: the committed
/// `chain-specs/consortium-raw.json`, made by `scripts/gen-chain-specs.sh`, adds them.
pub fn consortium_chain_spec() -> Result<ChainSpec, String> {
	from_preset("Paychain Consortium", "paychain_consortium", ChainType::Live, CONSORTIUM_PRESET)
}
