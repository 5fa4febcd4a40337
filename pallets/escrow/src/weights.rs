//! BOOTSTRAP ONLY: replaced by `scripts/benchmark-weights.sh pallet_escrow` before landing.

use core::marker::PhantomData;
use frame_support::weights::Weight;

pub struct SubstrateWeight<T>(PhantomData<T>);

pub trait WeightInfo {
	fn create_escrow(o: u32, m: u32) -> Weight;
	fn request_payment(o: u32, m: u32) -> Weight;
	fn accept_request() -> Weight;
	fn cancel_request() -> Weight;
	fn ship() -> Weight;
	fn confirm_delivery() -> Weight;
	fn attest_delivery() -> Weight;
	fn submit_attestations(n: u32) -> Weight;
	fn release() -> Weight;
	fn release_milestone() -> Weight;
	fn cancel() -> Weight;
	fn refund() -> Weight;
	fn open_dispute() -> Weight;
	fn rule() -> Weight;
	fn appeal() -> Weight;
	fn retry_release() -> Weight;
	fn force_refund() -> Weight;
	fn set_fee_rate() -> Weight;
	fn timeout_release() -> Weight;
	fn timeout_remove(o: u32) -> Weight;
}
impl WeightInfo for () {
	fn create_escrow(_o: u32, _m: u32) -> Weight {
		Weight::from_parts(1, 0)
	}
	fn request_payment(_o: u32, _m: u32) -> Weight {
		Weight::from_parts(1, 0)
	}
	fn accept_request() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn cancel_request() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn ship() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn confirm_delivery() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn attest_delivery() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn submit_attestations(_n: u32) -> Weight {
		Weight::from_parts(1, 0)
	}
	fn release() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn release_milestone() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn cancel() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn refund() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn open_dispute() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn rule() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn appeal() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn retry_release() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn force_refund() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn set_fee_rate() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn timeout_release() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn timeout_remove(_o: u32) -> Weight {
		Weight::from_parts(1, 0)
	}
}
impl<T> WeightInfo for SubstrateWeight<T> {
	fn create_escrow(_o: u32, _m: u32) -> Weight {
		Weight::from_parts(1, 0)
	}
	fn request_payment(_o: u32, _m: u32) -> Weight {
		Weight::from_parts(1, 0)
	}
	fn accept_request() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn cancel_request() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn ship() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn confirm_delivery() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn attest_delivery() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn submit_attestations(_n: u32) -> Weight {
		Weight::from_parts(1, 0)
	}
	fn release() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn release_milestone() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn cancel() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn refund() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn open_dispute() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn rule() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn appeal() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn retry_release() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn force_refund() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn set_fee_rate() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn timeout_release() -> Weight {
		Weight::from_parts(1, 0)
	}
	fn timeout_remove(_o: u32) -> Weight {
		Weight::from_parts(1, 0)
	}
}
