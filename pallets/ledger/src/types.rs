//! The ledger's records: workflows, orders, their stages, and what the queries return.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::Get, BoundedVec};
use paychain_primitives::accounts::{Role, SigningKey};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::MultiSignature;

/// An order's end-to-end reference, kept by every institution it passes (like a SWIFT gpi
/// UETR: a UUID's 16 bytes).
pub type OrderRef = [u8; 16];
/// A business type: which workflow an order follows.
pub type BusinessType = u16;
/// A stage's position in its workflow (0 is the application, recorded when the order opens).
pub type StageIndex = u8;

/// What a stage of a workflow is.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub enum StageKind {
	/// The business system applies for the payment.
	#[codec(index = 0)]
	Application,
	/// The funds are approved.
	#[codec(index = 1)]
	FundApproval,
	/// The payment is made.
	#[codec(index = 2)]
	Payment,
	/// The order is sent to the bank.
	#[codec(index = 3)]
	BankSubmission,
	/// The bank confirms it.
	#[codec(index = 4)]
	BankConfirmation,
	/// Another stage, by a number the institutions agree on.
	#[codec(index = 5)]
	Other(u8),
}

/// One stage of a workflow: what it is and the role of the institution that records it.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub struct StageSpec {
	/// What the stage is.
	pub kind: StageKind,
	/// The role the institution responsible for it must have.
	pub role: Role,
}

/// A stage's result.
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
pub enum StageResult {
	/// Passed: the order goes on to the next stage (or, at the last, completes).
	#[codec(index = 0)]
	Passed,
	/// Rejected: the order ends here.
	#[codec(index = 1)]
	Rejected,
	/// Returned to the business system: the order ends here; the system may open a new one.
	#[codec(index = 2)]
	Returned,
}

/// The commitment of an order's key elements at a stage: the three field groups' leaves and
/// their root (see [`crate::commitment`]).
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
pub struct StageCommitment {
	/// The root over the leaves.
	pub root: H256,
	/// The payer's and payee's accounts and the applicant.
	pub parties: H256,
	/// The amount and currency.
	pub amount: H256,
	/// The business type and purpose.
	pub purpose: H256,
}

/// Which field groups differ.
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
pub struct FieldGroups {
	/// The parties.
	pub parties: bool,
	/// The amount.
	pub amount: bool,
	/// The purpose.
	pub purpose: bool,
}

impl FieldGroups {
	/// Whether any group differs.
	pub fn any(&self) -> bool {
		self.parties || self.amount || self.purpose
	}

	/// The groups that differ in either.
	pub fn union(self, other: FieldGroups) -> FieldGroups {
		FieldGroups {
			parties: self.parties || other.parties,
			amount: self.amount || other.amount,
			purpose: self.purpose || other.purpose,
		}
	}
}

/// Where an order is.
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
pub enum OrderStatus {
	/// Waiting for its next stage.
	#[codec(index = 0)]
	InProgress,
	/// Every stage passed (and its settlement, if any, was paid).
	#[codec(index = 1)]
	Completed,
	/// A stage rejected it.
	#[codec(index = 2)]
	Rejected,
	/// A stage returned it to the business system.
	#[codec(index = 3)]
	Returned,
	/// A stage's commitment differed from the first or the previous: no later stage is
	/// accepted, and compliance has an alert.
	#[codec(index = 4)]
	TamperSuspected,
}

impl OrderStatus {
	/// Whether no more stages may be recorded.
	pub fn is_final(self) -> bool {
		self != OrderStatus::InProgress
	}
}

/// The payment an order carries: from the opening institution to `payee`, paid at the last
/// stage. The amount is held on the opener meanwhile.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Settlement<AccountId, Balance> {
	/// Who is paid.
	pub payee: AccountId,
	/// How much (it must be the committed amount, in `CNY`).
	pub amount: Balance,
}

/// A payment order.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxStages, MaxSourceLen))]
pub struct Order<AccountId, Balance, BlockNumber, MaxStages: Get<u32>, MaxSourceLen: Get<u32>> {
	/// Its business type.
	pub business_type: BusinessType,
	/// The business system it comes from.
	pub source: BoundedVec<u8, MaxSourceLen>,
	/// The institution that opened it (and recorded stage 0).
	pub opener: AccountId,
	/// The institution responsible for each stage, in order (the opener first).
	pub handlers: BoundedVec<AccountId, MaxStages>,
	/// How many stages are recorded.
	pub stages: StageIndex,
	/// Where it is.
	pub status: OrderStatus,
	/// The field groups found changed, if tampering is suspected.
	pub changed: FieldGroups,
	/// The payment it carries, if any.
	pub settlement: Option<Settlement<AccountId, Balance>>,
	/// The compliance review holding its payment, if compliance held it at settlement.
	pub review: Option<u64>,
	/// When it was opened.
	pub opened_at: BlockNumber,
}

/// A recorded stage: who, with which key, what, when, and the result.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct StageRecord<AccountId, BlockNumber, Moment> {
	/// The institution that recorded it.
	pub institution: AccountId,
	/// The key it signed with.
	pub key: SigningKey,
	/// The signature, over [`crate::commitment::stage_payload`].
	pub signature: MultiSignature,
	/// The commitment of the key elements as the institution saw them.
	pub commitment: StageCommitment,
	/// The result.
	pub result: StageResult,
	/// The block it was recorded in.
	pub at: BlockNumber,
	/// The chain's time then (milliseconds since the Unix epoch).
	pub timestamp: Moment,
}

/// A stage as submitted: the commitment, the result, and the institution's key and signature.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct SignedStage {
	/// The commitment of the key elements.
	pub commitment: StageCommitment,
	/// The result.
	pub result: StageResult,
	/// One of the institution's registered keys, valid now.
	pub key: SigningKey,
	/// Its signature over [`crate::commitment::stage_payload`].
	pub signature: MultiSignature,
}

/// An order's trail: the order and every stage recorded.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo)]
pub struct Trail<Order, Stage> {
	/// The order.
	pub order: Order,
	/// Its stages, in order.
	pub stages: Vec<Stage>,
}

/// One page of a query and where the next page starts.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo)]
pub struct Page<Item> {
	/// The items, by reference.
	pub items: Vec<(OrderRef, Item)>,
	/// The reference to pass as `start_after` for the next page, if there may be more.
	pub next: Option<OrderRef>,
}
