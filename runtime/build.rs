//! Builds the Wasm runtime. With `metadata-hash`, the token symbol and decimals are those of
//! `paychain_primitives::currency` (repeated here as literals because build scripts cannot depend
//! on the crate they build; `tests::metadata_hash_token_matches` keeps them in step).

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn main() {
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash("PCNY", 6)
		.build();
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

/// The Wasm runtime is only built for `std`.
#[cfg(not(feature = "std"))]
fn main() {}
