//! Transaction fees: what a transaction costs, and where the money goes.
//!
//! A fee is `base + weight fee + length fee`, with a fixed multiplier of one: an institution can
//! quote a payment's fee in advance, whatever the load. Fees are never burned: they are credited
//! to the fee collector account, so total issuance changes only through mint and burn.

use frame_support::{
	parameter_types,
	traits::{
		fungible::{Balanced, Credit},
		OnUnbalanced,
	},
	weights::{WeightToFeeCoefficient, WeightToFeeCoefficients, WeightToFeePolynomial},
	PalletId,
};
use smallvec::smallvec;
use sp_runtime::{traits::AccountIdConversion, Perbill};

use crate::{AccountId, Balance, Balances, MILLICENTS};

/// Fee per byte of an extrinsic: a hundredth of a fen for every ten bytes.
pub const TRANSACTION_BYTE_FEE: Balance = MILLICENTS / 10;

parameter_types! {
	/// The pallet id the fee collector account derives from.
	pub const FeePalletId: PalletId = PalletId(*b"py/fees_");
	/// The account transaction fees and dust are paid into: the consortium's operating account.
	pub FeeCollector: AccountId = FeePalletId::get().into_account_truncating();
}

/// Maps weight to fee: one fen (10,000 units) per 1 ms (10^9 units of ref time) of compute, so a
/// plain transfer costs on the order of a fen.
pub struct WeightToFee;
impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;
	fn polynomial() -> WeightToFeeCoefficients<Self::Balance> {
		smallvec![WeightToFeeCoefficient {
			degree: 1,
			negative: false,
			coeff_frac: Perbill::from_parts(10_000),
			coeff_integer: 0,
		}]
	}
}

/// Credits fees and dust to [`FeeCollector`].
pub struct DealWithFees;
impl OnUnbalanced<Credit<AccountId, Balances>> for DealWithFees {
	fn on_nonzero_unbalanced(amount: Credit<AccountId, Balances>) {
		if let Err(amount) = Balances::resolve(&FeeCollector::get(), amount) {
			// Only possible if the collector does not exist and the credit is below the
			// existential deposit; genesis endows the collector, so it always exists.
			frame_support::defensive!("fee collector could not take a fee credit");
			drop(amount);
		}
	}
}
