//! Bootstrap weights for `pallet_ledger`: replaced by `scripts/benchmark-weights.sh` output.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// The weight of each of `pallet_ledger`'s calls.
pub trait WeightInfo {
	fn open_order(h: u32) -> Weight;
	fn record_stage() -> Weight;
	fn record_stage_tampered() -> Weight;
	fn set_workflow(s: u32) -> Weight;
}

/// Weights for the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn open_order(_h: u32) -> Weight {
		Weight::zero()
	}
	fn record_stage() -> Weight {
		Weight::zero()
	}
	fn record_stage_tampered() -> Weight {
		Weight::zero()
	}
	fn set_workflow(_s: u32) -> Weight {
		Weight::zero()
	}
}

impl WeightInfo for () {
	fn open_order(_h: u32) -> Weight {
		Weight::zero()
	}
	fn record_stage() -> Weight {
		Weight::zero()
	}
	fn record_stage_tampered() -> Weight {
		Weight::zero()
	}
	fn set_workflow(_s: u32) -> Weight {
		Weight::zero()
	}
}
