//! Bootstrap weights for `pallet_settlement`: replaced by `scripts/benchmark-weights.sh` output.

#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// The weight of each of `pallet_settlement`'s calls, and of observing one payment.
pub trait WeightInfo {
	fn attest_reserve() -> Weight;
	fn countersign_reserve() -> Weight;
	fn mint() -> Weight;
	fn redeem() -> Weight;
	fn close_cycle(p: u32) -> Weight;
	fn mark_settled() -> Weight;
	fn submit_statement() -> Weight;
	fn flag_overdue() -> Weight;
	fn observe() -> Weight;
	fn roll_cycle() -> Weight;
	fn set_cycle_length() -> Weight;
}

/// Weights for the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn attest_reserve() -> Weight {
		Weight::zero()
	}
	fn countersign_reserve() -> Weight {
		Weight::zero()
	}
	fn mint() -> Weight {
		Weight::zero()
	}
	fn redeem() -> Weight {
		Weight::zero()
	}
	fn close_cycle(_p: u32) -> Weight {
		Weight::zero()
	}
	fn mark_settled() -> Weight {
		Weight::zero()
	}
	fn submit_statement() -> Weight {
		Weight::zero()
	}
	fn flag_overdue() -> Weight {
		Weight::zero()
	}
	fn observe() -> Weight {
		Weight::zero()
	}
	fn roll_cycle() -> Weight {
		Weight::zero()
	}
	fn set_cycle_length() -> Weight {
		Weight::zero()
	}
}

impl WeightInfo for () {
	fn attest_reserve() -> Weight {
		Weight::zero()
	}
	fn countersign_reserve() -> Weight {
		Weight::zero()
	}
	fn mint() -> Weight {
		Weight::zero()
	}
	fn redeem() -> Weight {
		Weight::zero()
	}
	fn close_cycle(_p: u32) -> Weight {
		Weight::zero()
	}
	fn mark_settled() -> Weight {
		Weight::zero()
	}
	fn submit_statement() -> Weight {
		Weight::zero()
	}
	fn flag_overdue() -> Weight {
		Weight::zero()
	}
	fn observe() -> Weight {
		Weight::zero()
	}
	fn roll_cycle() -> Weight {
		Weight::zero()
	}
	fn set_cycle_length() -> Weight {
		Weight::zero()
	}
}
