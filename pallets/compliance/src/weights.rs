// This file is part of Paychain.
// SPDX-License-Identifier: Apache-2.0

//! Weights for `pallet_compliance`. PLACEHOLDER until `scripts/benchmark-weights.sh compliance`
//! generates it: every call is charged a whole tenth of the block.

#![allow(missing_docs)]

use frame_support::weights::Weight;

/// The weight of each of `pallet_compliance`'s calls.
pub trait WeightInfo {
	fn transfer() -> Weight;
	fn check() -> Weight;
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
