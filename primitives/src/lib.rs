//! # Paychain primitives
//!
//! The small crate every Paychain crate shares: the basic chain types, the payment currency and,
//! as the pallets land, the traits they use to talk to each other (`AccountRegistry`,
//! `ComplianceCheck`, `AlertSink`, `Obligations`; see `DESIGN.md`). No pallet depends on another
//! pallet's crate: they depend on this one, and the runtime wires the implementations.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod accounts;
pub mod compliance;
pub mod currency;

use sp_runtime::{
	traits::{IdentifyAccount, Verify},
	MultiSignature,
};

/// Block number: 32 bits are enough for 400 years of 3-second blocks.
pub type BlockNumber = u32;

/// A signature on the chain: sr25519, ed25519 or ECDSA, as wallets choose.
pub type Signature = MultiSignature;

/// An account's identifier: the 32-byte public key behind [`Signature`].
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// A balance, in the smallest unit of the payment currency (see [`currency`]).
pub type Balance = u128;

/// An account's transaction counter.
pub type Nonce = u32;

/// A hash of some data on the chain.
pub type Hash = sp_core::H256;

/// Moments in milliseconds since the Unix epoch, as `pallet_timestamp` keeps them.
pub type Moment = u64;
