//! Settlement's records: reserves, cycle totals, net positions and statements.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::traits::AtLeast32BitUnsigned;

/// A settlement cycle's number: cycle `c` spans blocks `[c·L, (c+1)·L)` for the cycle length
/// `L`.
pub type CycleIndex = u32;

/// A cycle: its number and blocks `[start, end)`.
#[derive(
	Clone,
	Copy,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct CycleInfo<BlockNumber> {
	/// Its number.
	pub index: CycleIndex,
	/// Its first block.
	pub start: BlockNumber,
	/// The first block after it.
	pub end: BlockNumber,
}

/// An institution's attestation of the reserve that backs what it issued.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Reserve<AccountId, Balance, BlockNumber> {
	/// The reserve held off chain (deposits at the central bank, say).
	pub amount: Balance,
	/// When the institution measured it (milliseconds since the Unix epoch).
	pub timestamp: u64,
	/// The hash of the evidence (the auditor's certificate, the bank statement).
	pub evidence: H256,
	/// The block it was attested in.
	pub attested_at: BlockNumber,
	/// The regulator that countersigned it, if one did.
	pub countersigned_by: Option<AccountId>,
}

/// What an institution did in a cycle, as the chain counted it or as the institution states it.
#[derive(
	Clone,
	Copy,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct CycleTotals<Balance> {
	/// Minted to its customers.
	pub minted: Balance,
	/// Redeemed by its customers.
	pub burned: Balance,
	/// Paid to its customers by customers of other institutions.
	pub paid_in: Balance,
	/// Paid by its customers to customers of other institutions.
	pub paid_out: Balance,
}

impl<Balance: AtLeast32BitUnsigned + Copy> CycleTotals<Balance> {
	/// Whether nothing happened.
	pub fn is_empty(&self) -> bool {
		self.minted.is_zero()
			&& self.burned.is_zero()
			&& self.paid_in.is_zero()
			&& self.paid_out.is_zero()
	}

	/// The fields that differ from `other`'s.
	pub fn differences(&self, other: &Self) -> Differences {
		Differences {
			minted: self.minted != other.minted,
			burned: self.burned != other.burned,
			paid_in: self.paid_in != other.paid_in,
			paid_out: self.paid_out != other.paid_out,
		}
	}
}

/// Which totals differ.
#[derive(
	Clone,
	Copy,
	Default,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct Differences {
	pub minted: bool,
	pub burned: bool,
	pub paid_in: bool,
	pub paid_out: bool,
}

impl Differences {
	/// Whether any total differs.
	pub fn any(&self) -> bool {
		self.minted || self.burned || self.paid_in || self.paid_out
	}
}

/// What the net settlement between two institutions for a cycle is: `debtor` owes `creditor`
/// `amount` (what their customers paid each other, netted).
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct NetPosition<Balance, BlockNumber> {
	/// The net amount.
	pub amount: Balance,
	/// The off-chain interbank transfer that settled it, and when it was marked.
	pub settled: Option<(H256, BlockNumber)>,
}

/// How an institution's statement compared with the chain.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Reconciliation<Balance> {
	/// Every total matched.
	#[codec(index = 0)]
	Matched,
	/// Some totals differ: the chain's are these.
	#[codec(index = 1)]
	Mismatch { chain: CycleTotals<Balance>, differences: Differences },
}

/// An institution's statement for a cycle and its result.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Statement<Balance, BlockNumber> {
	/// The totals the institution's books show.
	pub totals: CycleTotals<Balance>,
	/// The Merkle root of its off-chain records for the cycle.
	pub records_root: H256,
	/// When it was submitted.
	pub submitted_at: BlockNumber,
	/// How it compared.
	pub result: Reconciliation<Balance>,
}

/// Which statements a query wants.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum StatementFilter {
	#[codec(index = 0)]
	Matched,
	#[codec(index = 1)]
	Mismatched,
}
