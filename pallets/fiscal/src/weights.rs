//! Bootstrap weights for `pallet_fiscal`: replaced by `scripts/benchmark-weights.sh` output.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// The weight of each of `pallet_fiscal`'s calls.
pub trait WeightInfo {
	fn create_program() -> Weight;
	fn allocate() -> Weight;
	fn add_matching() -> Weight;
	fn disburse() -> Weight;
	fn freeze_allocation() -> Weight;
	fn unfreeze_allocation() -> Weight;
	fn recall() -> Weight;
	fn close_fiscal_year() -> Weight;
	fn sweep(n: u32) -> Weight;
}

/// Weights for the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn create_program() -> Weight {
		Weight::zero()
	}
	fn allocate() -> Weight {
		Weight::zero()
	}
	fn add_matching() -> Weight {
		Weight::zero()
	}
	fn disburse() -> Weight {
		Weight::zero()
	}
	fn freeze_allocation() -> Weight {
		Weight::zero()
	}
	fn unfreeze_allocation() -> Weight {
		Weight::zero()
	}
	fn recall() -> Weight {
		Weight::zero()
	}
	fn close_fiscal_year() -> Weight {
		Weight::zero()
	}
	fn sweep(_n: u32) -> Weight {
		Weight::zero()
	}
}

impl WeightInfo for () {
	fn create_program() -> Weight {
		Weight::zero()
	}
	fn allocate() -> Weight {
		Weight::zero()
	}
	fn add_matching() -> Weight {
		Weight::zero()
	}
	fn disburse() -> Weight {
		Weight::zero()
	}
	fn freeze_allocation() -> Weight {
		Weight::zero()
	}
	fn unfreeze_allocation() -> Weight {
		Weight::zero()
	}
	fn recall() -> Weight {
		Weight::zero()
	}
	fn close_fiscal_year() -> Weight {
		Weight::zero()
	}
	fn sweep(_n: u32) -> Weight {
		Weight::zero()
	}
}
