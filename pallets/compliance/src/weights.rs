// This file is part of Paychain.
// SPDX-License-Identifier: Apache-2.0

//! Weights for `pallet_compliance`. PLACEHOLDER until `scripts/benchmark-weights.sh compliance`
//! generates it: every call is charged a whole tenth of the block.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::weights::Weight;

/// The weight of each of `pallet_compliance`'s calls.
pub trait WeightInfo {
	fn transfer() -> Weight;
	fn check() -> Weight;
	fn check_compliance() -> Weight;
	fn set_rule() -> Weight;
	fn list_account() -> Weight;
	fn unlist_account() -> Weight;
	fn freeze() -> Weight;
	fn unfreeze() -> Weight;
	fn release_review() -> Weight;
	fn return_review() -> Weight;
	fn take_case() -> Weight;
	fn add_evidence() -> Weight;
	fn close_case() -> Weight;
	fn report_case() -> Weight;
	fn file_report() -> Weight;
	fn process_deadlines(n: u32) -> Weight;
}

const PLACEHOLDER: Weight = Weight::from_parts(100_000_000_000, 100_000);

impl WeightInfo for () {
	fn transfer() -> Weight {
		PLACEHOLDER
	}
	fn check() -> Weight {
		PLACEHOLDER
	}
	fn check_compliance() -> Weight {
		PLACEHOLDER
	}
	fn set_rule() -> Weight {
		PLACEHOLDER
	}
	fn list_account() -> Weight {
		PLACEHOLDER
	}
	fn unlist_account() -> Weight {
		PLACEHOLDER
	}
	fn freeze() -> Weight {
		PLACEHOLDER
	}
	fn unfreeze() -> Weight {
		PLACEHOLDER
	}
	fn release_review() -> Weight {
		PLACEHOLDER
	}
	fn return_review() -> Weight {
		PLACEHOLDER
	}
	fn take_case() -> Weight {
		PLACEHOLDER
	}
	fn add_evidence() -> Weight {
		PLACEHOLDER
	}
	fn close_case() -> Weight {
		PLACEHOLDER
	}
	fn report_case() -> Weight {
		PLACEHOLDER
	}
	fn file_report() -> Weight {
		PLACEHOLDER
	}
	fn process_deadlines(n: u32) -> Weight {
		PLACEHOLDER.saturating_mul(n.into())
	}
}

/// The runtime's weights: the placeholder too, until generated.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn transfer() -> Weight { <() as WeightInfo>::transfer() }
	fn check() -> Weight { <() as WeightInfo>::check() }
	fn check_compliance() -> Weight { <() as WeightInfo>::check_compliance() }
	fn set_rule() -> Weight { <() as WeightInfo>::set_rule() }
	fn list_account() -> Weight { <() as WeightInfo>::list_account() }
	fn unlist_account() -> Weight { <() as WeightInfo>::unlist_account() }
	fn freeze() -> Weight { <() as WeightInfo>::freeze() }
	fn unfreeze() -> Weight { <() as WeightInfo>::unfreeze() }
	fn release_review() -> Weight { <() as WeightInfo>::release_review() }
	fn return_review() -> Weight { <() as WeightInfo>::return_review() }
	fn take_case() -> Weight { <() as WeightInfo>::take_case() }
	fn add_evidence() -> Weight { <() as WeightInfo>::add_evidence() }
	fn close_case() -> Weight { <() as WeightInfo>::close_case() }
	fn report_case() -> Weight { <() as WeightInfo>::report_case() }
	fn file_report() -> Weight { <() as WeightInfo>::file_report() }
	fn process_deadlines(n: u32) -> Weight { <() as WeightInfo>::process_deadlines(n) }
}
