//! PLACEHOLDER until the benchmark CLI generates this file.

use frame_support::weights::Weight;

pub trait WeightInfo {
	fn apply() -> Weight;
	fn cancel_application() -> Weight;
	fn approve() -> Weight;
	fn reject() -> Weight;
	fn register() -> Weight;
	fn force_register() -> Weight;
	fn suspend() -> Weight;
	fn reactivate() -> Weight;
	fn close() -> Weight;
	fn force_close() -> Weight;
	fn attest_kyc() -> Weight;
	fn set_parent() -> Weight;
	fn add_registrar() -> Weight;
	fn remove_registrar() -> Weight;
	fn invalidate_attestations() -> Weight;
	fn register_key() -> Weight;
	fn rotate_key() -> Weight;
	fn revoke_key() -> Weight;
	fn force_revoke_key() -> Weight;
	fn check_participant() -> Weight;
}

impl WeightInfo for () {
	fn apply() -> Weight {
		Weight::zero()
	}
	fn cancel_application() -> Weight {
		Weight::zero()
	}
	fn approve() -> Weight {
		Weight::zero()
	}
	fn reject() -> Weight {
		Weight::zero()
	}
	fn register() -> Weight {
		Weight::zero()
	}
	fn force_register() -> Weight {
		Weight::zero()
	}
	fn suspend() -> Weight {
		Weight::zero()
	}
	fn reactivate() -> Weight {
		Weight::zero()
	}
	fn close() -> Weight {
		Weight::zero()
	}
	fn force_close() -> Weight {
		Weight::zero()
	}
	fn attest_kyc() -> Weight {
		Weight::zero()
	}
	fn set_parent() -> Weight {
		Weight::zero()
	}
	fn add_registrar() -> Weight {
		Weight::zero()
	}
	fn remove_registrar() -> Weight {
		Weight::zero()
	}
	fn invalidate_attestations() -> Weight {
		Weight::zero()
	}
	fn register_key() -> Weight {
		Weight::zero()
	}
	fn rotate_key() -> Weight {
		Weight::zero()
	}
	fn revoke_key() -> Weight {
		Weight::zero()
	}
	fn force_revoke_key() -> Weight {
		Weight::zero()
	}
	fn check_participant() -> Weight {
		Weight::zero()
	}
}
