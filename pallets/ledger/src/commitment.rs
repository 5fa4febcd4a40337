//! The canonical commitment of a payment order's key elements, and the payload an institution
//! signs for a stage. Institutions compute both off chain (`clients/ledger` is a helper for
//! them); the pallet checks them. `test-vectors.json` holds examples both sides test against.
//!
//! **Field groups.** The key elements fall into three groups, each hashed to a leaf with
//! BLAKE2b-256 over the SCALE encoding of a tuple whose first item is the group's tag:
//!
//! | group | leaf |
//! | --- | --- |
//! | parties | `blake2_256(SCALE(("paychain:ledger:parties", payer_account, payee_account, applicant)))` |
//! | amount | `blake2_256(SCALE(("paychain:ledger:amount", amount as u128, currency as [u8; 3])))` |
//! | purpose | `blake2_256(SCALE(("paychain:ledger:purpose", business_type as u16, purpose)))` |
//!
//! The tag and the byte strings (`payer_account`, `payee_account`, `applicant`, `purpose`: bank
//! account numbers, the applicant's identifier and the payment's purpose, UTF-8) are SCALE
//! `Vec<u8>`s: a compact length, then the bytes. `amount` is in the currency's smallest unit,
//! little-endian; `currency` is the ISO 4217 code (`CNY`).
//!
//! **Root.** `node(a, b) = blake2_256(0x01 ‖ a ‖ b)`; the root is
//! `node(node(parties, amount), node(purpose, 0x00…00))`.
//!
//! **Stage payload.** An institution signs the SCALE encoding of
//! `("paychain:ledger:stage", genesis_hash, reference, stage as u8, result, root)`, where
//! `reference` is the order's 16-byte end-to-end reference and `result` the stage's result
//! (`0` passed, `1` rejected, `2` returned): 104 bytes, bound to this chain, this order and this
//! stage.

use crate::types::{FieldGroups, OrderRef, StageCommitment, StageResult};
use alloc::vec::Vec;
use codec::Encode;
use sp_core::H256;
use sp_io::hashing::blake2_256;

/// The parties group's tag.
pub const PARTIES_TAG: &[u8] = b"paychain:ledger:parties";
/// The amount group's tag.
pub const AMOUNT_TAG: &[u8] = b"paychain:ledger:amount";
/// The purpose group's tag.
pub const PURPOSE_TAG: &[u8] = b"paychain:ledger:purpose";
/// The domain of a stage's signed payload.
pub const STAGE_DOMAIN: &[u8] = b"paychain:ledger:stage";

/// The currency the chain's money stands for, as committed in an order's amount group.
pub const CNY: [u8; 3] = *b"CNY";

/// A payment order's key elements, as institutions commit to them.
#[derive(Clone, Debug, Eq, PartialEq)]
pub struct KeyElements<'a> {
	/// The payer's bank account.
	pub payer_account: &'a [u8],
	/// The payee's bank account.
	pub payee_account: &'a [u8],
	/// Who applied for the payment.
	pub applicant: &'a [u8],
	/// The amount, in the currency's smallest unit.
	pub amount: u128,
	/// The ISO 4217 currency code.
	pub currency: [u8; 3],
	/// The business type.
	pub business_type: u16,
	/// The payment's purpose.
	pub purpose: &'a [u8],
}

/// The parties group's leaf.
pub fn parties_leaf(payer_account: &[u8], payee_account: &[u8], applicant: &[u8]) -> H256 {
	H256(blake2_256(&(PARTIES_TAG, payer_account, payee_account, applicant).encode()))
}

/// The amount group's leaf.
pub fn amount_leaf(amount: u128, currency: [u8; 3]) -> H256 {
	H256(blake2_256(&(AMOUNT_TAG, amount, currency).encode()))
}

/// The purpose group's leaf.
pub fn purpose_leaf(business_type: u16, purpose: &[u8]) -> H256 {
	H256(blake2_256(&(PURPOSE_TAG, business_type, purpose).encode()))
}

/// An inner node of the tree.
pub fn node(left: &H256, right: &H256) -> H256 {
	let mut bytes = Vec::with_capacity(65);
	bytes.push(1u8);
	bytes.extend_from_slice(left.as_bytes());
	bytes.extend_from_slice(right.as_bytes());
	H256(blake2_256(&bytes))
}

/// The root over the three leaves.
pub fn root(parties: &H256, amount: &H256, purpose: &H256) -> H256 {
	node(&node(parties, amount), &node(purpose, &H256::zero()))
}

/// The commitment of an order's key elements.
pub fn commit(elements: &KeyElements) -> StageCommitment {
	let parties = parties_leaf(elements.payer_account, elements.payee_account, elements.applicant);
	let amount = amount_leaf(elements.amount, elements.currency);
	let purpose = purpose_leaf(elements.business_type, elements.purpose);
	StageCommitment { root: root(&parties, &amount, &purpose), parties, amount, purpose }
}

/// The payload an institution signs for stage `stage` of order `reference`.
pub fn stage_payload(
	genesis_hash: &H256,
	reference: &OrderRef,
	stage: u8,
	result: StageResult,
	root: &H256,
) -> Vec<u8> {
	(STAGE_DOMAIN, genesis_hash, reference, stage, result, root).encode()
}

impl StageCommitment {
	/// Whether the leaves are all set and the root is theirs.
	pub fn is_well_formed(&self) -> bool {
		[self.parties, self.amount, self.purpose].iter().all(|leaf| !leaf.is_zero())
			&& self.root == root(&self.parties, &self.amount, &self.purpose)
	}

	/// The groups whose leaves differ from `other`'s.
	pub fn differences(&self, other: &StageCommitment) -> FieldGroups {
		FieldGroups {
			parties: self.parties != other.parties,
			amount: self.amount != other.amount,
			purpose: self.purpose != other.purpose,
		}
	}
}
