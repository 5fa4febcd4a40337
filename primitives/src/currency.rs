//! The payment currency.
//!
//! Paychain's unit is **PCNY**: an on-chain claim on renminbi held at a clearing institution
//! (issue and redemption are the settlement pallet's job). It has **6 decimals**: two for the fen
//! that prices are quoted in, and four more so that transaction fees and per-transfer charges
//! can be a fraction of a fen without rounding to zero.
//!
//! These constants are the one source for the token's symbol, decimals and SS58 prefix: the chain
//! spec's `properties`, `frame_system::Config::SS58Prefix` and the metadata hash that
//! `CheckMetadataHash` signs over all use them (see `runtime/build.rs`).

use crate::Balance;

/// The token symbol wallets show.
pub const TOKEN_SYMBOL: &str = "PCNY";

/// Decimal places of one [`UNITS`].
pub const TOKEN_DECIMALS: u8 = 6;

/// The SS58 address prefix of Paychain accounts.
///
/// A prefix of its own, so a Paychain address is never mistaken for another network's.
pub const SS58_PREFIX: u16 = 7306;

/// One whole PCNY (one yuan).
pub const UNITS: Balance = 10u128.pow(TOKEN_DECIMALS as u32);

/// One fen: a hundredth of a yuan.
pub const CENTS: Balance = UNITS / 100;

/// A hundredth of a fen: the smallest amount fees are reckoned in.
pub const MILLICENTS: Balance = CENTS / 100;

/// The smallest balance an account may hold and exist: one fen.
pub const EXISTENTIAL_DEPOSIT: Balance = CENTS;

// Checked when the crate compiles: the units follow the decimals, and an account can exist.
const _: () = {
	assert!(UNITS == 1_000_000 && CENTS == 10_000 && MILLICENTS == 100);
	assert!(EXISTENTIAL_DEPOSIT > 0);
};
