//! The fiscal pallet's records: programs, allocations (the nodes of a program's tree),
//! disbursements, and the running totals kept for statistics.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::Get, BoundedVec};
use paychain_primitives::accounts::{FinanceLevel, RegionCode};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{traits::AtLeast32BitUnsigned, ArithmeticError, Perbill};

/// A program's number, in creation order.
pub type ProgramId = u32;
/// An allocation's number inside its program, in creation order: the program's own allocation
/// (its root, held by the creating department) is 0, and every allocation comes after its
/// parent.
pub type NodeIndex = u32;
/// A disbursement's number inside its allocation, in order.
pub type DisbursementIndex = u32;
/// A compliance review, as the compliance pallet numbers them.
pub type ReviewId = u64;

/// What a program's money may be spent on.
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
pub enum ProgramKind {
	/// A general transfer payment: the receiving governments decide its use.
	#[codec(index = 0)]
	General,
	/// A special (earmarked) transfer payment: every disbursement must fall under the program's
	/// purpose code.
	#[codec(index = 1)]
	Special,
}

/// A code of the government expenditure functional classification: its decimal digits go from
/// the class to the item, so `205` (education) covers `20502` (general education) and
/// `2050202` (primary education).
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
pub struct PurposeCode(pub u32);

impl PurposeCode {
	/// Whether the code names anything (zero does not).
	pub fn is_valid(self) -> bool {
		self.0 != 0
	}

	/// Whether `inner` falls under this code: this code is `inner` or a leading part of its
	/// digits.
	pub fn covers(self, inner: PurposeCode) -> bool {
		if !self.is_valid() {
			return false;
		}
		let mut code = inner.0;
		while code > self.0 {
			code /= 10;
		}
		code == self.0
	}
}

/// Where a program is in its life.
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
pub enum ProgramStatus {
	/// Allocations and disbursements go on (until its fiscal year closes).
	#[codec(index = 0)]
	Open,
	/// Its fiscal year closed and the sweep has started: allocations from `next` down to the
	/// root still have their unspent funds.
	#[codec(index = 1)]
	Sweeping { next: NodeIndex },
	/// Everything unspent went back up the tree and the rest to the creator: nothing is held.
	#[codec(index = 2)]
	Settled,
}

/// A transfer-payment program.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxCodeLen))]
pub struct Program<AccountId, Balance, BlockNumber, MaxCodeLen: Get<u32>> {
	/// The program's code, unique on the chain (for example `2026-EDU-0001`).
	pub code: BoundedVec<u8, MaxCodeLen>,
	/// General or special (earmarked).
	pub kind: ProgramKind,
	/// The fiscal (calendar) year whose budget it belongs to.
	pub fiscal_year: u32,
	/// What it is for.
	pub purpose: PurposeCode,
	/// The finance department that created it and holds its root allocation.
	pub creator: AccountId,
	/// The total taken into custody at creation.
	pub total: Balance,
	/// When it was created.
	pub created: BlockNumber,
	/// How many allocations it has (the next allocation's index).
	pub allocations: NodeIndex,
	/// Where it is in its life.
	pub status: ProgramStatus,
}

/// Amounts that went into and out of an allocation, a level or a region, kept up to date on
/// every change. They always balance: `received + matching = allocated + disbursed + recalled
/// + unspent`.
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
pub struct Totals<Balance> {
	/// Received from above: from the parent allocation (for the root: the program total). For
	/// a region, only what came in from outside it.
	pub received: Balance,
	/// Matching funds added by the department at its own level.
	pub matching: Balance,
	/// Allocated to children, net of what was recalled from them. For a region it is zero:
	/// allocations inside a region stay in it.
	pub allocated: Balance,
	/// Disbursed to final recipients.
	pub disbursed: Balance,
	/// Sent back up: recalled or swept to the parent (for the root: returned to the creator).
	pub recalled: Balance,
	/// Still in custody here.
	pub unspent: Balance,
}

impl<Balance: AtLeast32BitUnsigned + Copy> Totals<Balance> {
	/// Whether what came in equals what went out plus what is left.
	pub fn balances(&self) -> bool {
		let inflow = self.received.checked_add(&self.matching);
		let outflow = self
			.allocated
			.checked_add(&self.disbursed)
			.and_then(|x| x.checked_add(&self.recalled))
			.and_then(|x| x.checked_add(&self.unspent));
		inflow.is_some() && inflow == outflow
	}

	/// The execution rate: the share of the funds that stayed here (not passed down, not sent
	/// back) that reached final recipients — `disbursed / (disbursed + unspent)`; zero when
	/// there is nothing.
	pub fn execution_rate(&self) -> Perbill {
		let disbursed: u128 = self.disbursed.unique_saturated_into();
		let unspent: u128 = self.unspent.unique_saturated_into();
		match disbursed.checked_add(unspent) {
			Some(0) | None => Perbill::zero(),
			Some(base) => Perbill::from_rational(disbursed, base),
		}
	}

	/// Applies `change` to these totals, or fails and changes nothing.
	pub fn apply(&mut self, change: Change<Balance>) -> Result<(), ArithmeticError> {
		let mut next = *self;
		let add = |field: &mut Balance, x: Balance| -> Result<(), ArithmeticError> {
			*field = field.checked_add(&x).ok_or(ArithmeticError::Overflow)?;
			Ok(())
		};
		let sub = |field: &mut Balance, x: Balance| -> Result<(), ArithmeticError> {
			*field = field.checked_sub(&x).ok_or(ArithmeticError::Underflow)?;
			Ok(())
		};
		match change {
			Change::Receive(x) => {
				add(&mut next.received, x)?;
				add(&mut next.unspent, x)?;
			},
			Change::Match(x) => {
				add(&mut next.matching, x)?;
				add(&mut next.unspent, x)?;
			},
			Change::Allocate(x) => {
				add(&mut next.allocated, x)?;
				sub(&mut next.unspent, x)?;
			},
			Change::Reclaim(x) => {
				sub(&mut next.allocated, x)?;
				add(&mut next.unspent, x)?;
			},
			Change::Disburse(x) => {
				add(&mut next.disbursed, x)?;
				sub(&mut next.unspent, x)?;
			},
			Change::SendBack(x) => {
				add(&mut next.recalled, x)?;
				sub(&mut next.unspent, x)?;
			},
		}
		*self = next;
		Ok(())
	}
}

/// One change to a set of [`Totals`].
#[derive(Clone, Copy, Eq, PartialEq, Debug)]
pub enum Change<Balance> {
	/// Funds came in from above.
	Receive(Balance),
	/// The department added matching funds.
	Match(Balance),
	/// Funds went to a child.
	Allocate(Balance),
	/// Funds came back from a child.
	Reclaim(Balance),
	/// Funds went to a final recipient.
	Disburse(Balance),
	/// Funds went back up.
	SendBack(Balance),
}

/// A supervisor's freeze of an allocation, pending verification.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Freeze<AccountId, BlockNumber> {
	/// The supervision or finance department that froze it.
	pub by: AccountId,
	/// The hash of the verification notice.
	pub reason: H256,
	/// Since when.
	pub since: BlockNumber,
}

/// An allocation: one finance department's share of a program, a node of the program's tree.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Allocation<AccountId, Balance, BlockNumber> {
	/// The allocation it came from (none for the program's root).
	pub parent: Option<NodeIndex>,
	/// The finance department that holds it.
	pub department: AccountId,
	/// The department's level.
	pub level: FinanceLevel,
	/// The department's region.
	pub region: RegionCode,
	/// What came in and went out.
	pub totals: Totals<Balance>,
	/// How many child allocations it has.
	pub children: u32,
	/// How many disbursements it made (the next disbursement's index).
	pub disbursements: DisbursementIndex,
	/// The freeze on it, if a supervisor froze it.
	pub frozen: Option<Freeze<AccountId, BlockNumber>>,
	/// When it was created.
	pub created: BlockNumber,
}

/// A payment from an allocation to its final recipient.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Disbursement<AccountId, Balance, BlockNumber> {
	/// Who was paid (a school, a hospital, a contractor).
	pub recipient: AccountId,
	/// How much.
	pub amount: Balance,
	/// What for.
	pub purpose: PurposeCode,
	/// The hash of the evidence (invoice, contract).
	pub evidence: H256,
	/// When.
	pub at: BlockNumber,
	/// The compliance review holding the payment, if compliance held it for review: the
	/// regulator then pays it out or returns it to the department.
	pub review: Option<ReviewId>,
}

/// The path of a fund: from a program's root down to an allocation, and a disbursement of it.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo)]
pub struct Trace<AccountId, Balance, BlockNumber> {
	/// The allocations from the root down to the one asked for, each with its index.
	pub path: Vec<(NodeIndex, Allocation<AccountId, Balance, BlockNumber>)>,
	/// The disbursement asked for, if one was.
	pub disbursement: Option<(DisbursementIndex, Disbursement<AccountId, Balance, BlockNumber>)>,
}

/// A set of totals with its execution rate, as the statistics queries return them.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo)]
pub struct Statistics<Balance> {
	/// The amounts.
	pub totals: Totals<Balance>,
	/// `disbursed / (disbursed + unspent)`.
	pub execution_rate: Perbill,
}

impl<Balance: AtLeast32BitUnsigned + Copy> From<Totals<Balance>> for Statistics<Balance> {
	fn from(totals: Totals<Balance>) -> Self {
		Self { execution_rate: totals.execution_rate(), totals }
	}
}

/// A program's statistics: the whole program and each level.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo)]
pub struct ProgramStatistics<Balance> {
	/// The whole program (its national region's totals).
	pub program: Statistics<Balance>,
	/// Each level that has allocations, from the top down.
	pub levels: Vec<(FinanceLevel, Statistics<Balance>)>,
}

/// One page of a query and where the next page starts.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo)]
pub struct Page<Key, Item> {
	/// The items, by key.
	pub items: Vec<(Key, Item)>,
	/// The key to pass as `start_after` for the next page, if there may be more.
	pub next: Option<Key>,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn purpose_codes_cover_their_sub_items() {
		assert!(PurposeCode(205).covers(PurposeCode(205)));
		assert!(PurposeCode(205).covers(PurposeCode(20502)));
		assert!(PurposeCode(205).covers(PurposeCode(2050202)));
		assert!(!PurposeCode(205).covers(PurposeCode(210)));
		assert!(!PurposeCode(205).covers(PurposeCode(21050)));
		assert!(!PurposeCode(2050202).covers(PurposeCode(205)));
		assert!(!PurposeCode(0).covers(PurposeCode(0)));
	}

	#[test]
	fn totals_balance_through_every_change_and_refuse_to_go_negative() {
		let mut t = Totals::<u64>::default();
		for change in [
			Change::Receive(100),
			Change::Match(20),
			Change::Allocate(50),
			Change::Reclaim(10),
			Change::Disburse(30),
			Change::SendBack(5),
		] {
			t.apply(change).unwrap();
			assert!(t.balances());
		}
		assert_eq!(
			t,
			Totals {
				received: 100,
				matching: 20,
				allocated: 40,
				disbursed: 30,
				recalled: 5,
				unspent: 45
			}
		);
		assert_eq!(t.apply(Change::Disburse(46)), Err(ArithmeticError::Underflow));
		assert_eq!(t.unspent, 45, "a failed change changes nothing");
		assert_eq!(t.apply(Change::Reclaim(41)), Err(ArithmeticError::Underflow));
		assert_eq!(t.execution_rate(), Perbill::from_rational(30u32, 75u32));
		assert_eq!(Totals::<u64>::default().execution_rate(), Perbill::zero());
	}
}
