//! The pallet's data: an escrow, its terms, its status, and what happens to it next.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use paychain_primitives::compliance::ReviewId;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{Percent, Permill};

/// An escrow's identifier: given out in order, never reused.
pub type EscrowId = u64;

/// The order an escrow pays for: a commitment to the structured order kept off chain (items,
/// prices, addresses), and the merchant's short order id for humans.
#[derive(
	CloneNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	EqNoBound,
	PartialEqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxIdLen))]
#[codec(mel_bound())]
pub struct OrderRef<MaxIdLen: Get<u32>> {
	/// The hash of the order document.
	pub commitment: H256,
	/// The merchant's order id.
	pub id: BoundedVec<u8, MaxIdLen>,
}

/// How long each step may take, in blocks.
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
pub struct Terms<BlockNumber> {
	/// From funding to the shipping deadline: not shipped by then, the payer is refunded.
	pub ship_within: BlockNumber,
	/// From shipping until delivery counts as confirmed if neither the payer, the oracles nor a
	/// dispute said otherwise.
	pub deliver_within: BlockNumber,
	/// From delivery until the release: the window in which a party may open a dispute.
	pub dispute_window: BlockNumber,
	/// From a first-level ruling until it is carried out: the window for the one appeal.
	pub appeal_window: BlockNumber,
}

/// Who rules on a dispute, and who on its appeal. An arbiter left out, or no longer an active
/// arbiter when the time comes, is replaced by the chain's arbitration authority.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Arbitration<AccountId> {
	/// The first-level arbiter.
	pub arbiter: Option<AccountId>,
	/// The second-level arbiter, who hears the one appeal.
	pub appeal_arbiter: Option<AccountId>,
}

/// The oracles that may confirm delivery: `threshold` of `members` must attest.
#[derive(
	CloneNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	EqNoBound,
	PartialEqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxOracles))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
pub struct OracleSet<AccountId: Clone + PartialEq + core::fmt::Debug, MaxOracles: Get<u32>> {
	/// The registered oracles, without repeats.
	pub members: BoundedVec<AccountId, MaxOracles>,
	/// How many must attest (at least one; at most all).
	pub threshold: u32,
}

/// What a payer and payee agree on when an escrow is created or requested.
#[derive(
	CloneNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	EqNoBound,
	PartialEqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxIdLen, MaxOracles, MaxMilestones))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Agreement<
	AccountId: Clone + PartialEq + core::fmt::Debug,
	Balance: Clone + PartialEq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + core::fmt::Debug,
	MaxIdLen: Get<u32>,
	MaxOracles: Get<u32>,
	MaxMilestones: Get<u32>,
> {
	/// The order paid for.
	pub order: OrderRef<MaxIdLen>,
	/// The deadlines.
	pub terms: Terms<BlockNumber>,
	/// Who rules on disputes.
	pub arbitration: Arbitration<AccountId>,
	/// Who may confirm delivery besides the payer (none: only the payer, or the timeout).
	pub oracles: Option<OracleSet<AccountId, MaxOracles>>,
	/// Partial releases the payer confirms one by one; they add up to the amount (none: one
	/// release of everything).
	pub milestones: BoundedVec<Balance, MaxMilestones>,
}

/// A party to an escrow, as the runtime API indexes them.
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
pub enum Party {
	/// The buyer, whose funds are held.
	#[codec(index = 0)]
	Payer,
	/// The seller, who is paid.
	#[codec(index = 1)]
	Payee,
	/// The first-level arbiter.
	#[codec(index = 2)]
	Arbiter,
	/// The second-level arbiter.
	#[codec(index = 3)]
	AppealArbiter,
	/// One of the oracles.
	#[codec(index = 4)]
	Oracle,
}

/// The level a dispute is heard at.
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
pub enum Level {
	/// Before the first-level arbiter.
	#[codec(index = 0)]
	First,
	/// Before the second-level arbiter, on appeal: its ruling is final.
	#[codec(index = 1)]
	Appeal,
}

/// How an escrow ended.
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
pub enum Outcome {
	/// Paid to the payee (a review id if compliance holds the last payment for review).
	#[codec(index = 0)]
	Released { review: Option<ReviewId> },
	/// Returned to the payer.
	#[codec(index = 1)]
	Refunded,
	/// Divided by a ruling (a review id if compliance holds the payee's share for review).
	#[codec(index = 2)]
	Split { payee_share: Percent, review: Option<ReviewId> },
	/// A payment request that was declined, withdrawn or never accepted: nothing was held.
	#[codec(index = 3)]
	RequestCancelled,
}

/// Where an escrow is in its life. Deadlines are block numbers.
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
pub enum Status<BlockNumber> {
	/// Requested by the payee; nothing held until the payer accepts, by `expires`.
	#[codec(index = 0)]
	Requested { expires: BlockNumber },
	/// Held on the payer; the payee must ship by `ship_by`.
	#[codec(index = 1)]
	Funded { ship_by: BlockNumber },
	/// Shipped; delivery counts as confirmed at `deliver_by` unless confirmed or disputed before.
	#[codec(index = 2)]
	Shipped { deliver_by: BlockNumber },
	/// Delivered; released at `release_at` unless disputed before.
	#[codec(index = 3)]
	Delivered { release_at: BlockNumber },
	/// Disputed; waiting for the ruling at `level`.
	#[codec(index = 4)]
	Disputed { level: Level, opened_by: Party, reason: H256 },
	/// Ruled at the first level; carried out at `appeal_until` unless appealed before.
	#[codec(index = 5)]
	Ruled { payee_share: Percent, appeal_until: BlockNumber },
	/// A decided payment to the payee that compliance blocked (the payee frozen, say), with the
	/// payee's share if a ruling decided it: the funds stay held until it can go through ([`crate::Pallet::retry_release`]) or a regulator has
	/// them returned ([`crate::Pallet::force_refund`]).
	#[codec(index = 6)]
	AwaitingCompliance { since: BlockNumber, ruling: Option<Percent> },
	/// Finished at `at`; nothing held. Kept for the retention period, then removed.
	#[codec(index = 7)]
	Closed { outcome: Outcome, at: BlockNumber },
}

/// The status without its data: what the runtime API filters by.
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
pub enum StatusKind {
	#[codec(index = 0)]
	Requested,
	#[codec(index = 1)]
	Funded,
	#[codec(index = 2)]
	Shipped,
	#[codec(index = 3)]
	Delivered,
	#[codec(index = 4)]
	Disputed,
	#[codec(index = 5)]
	Ruled,
	#[codec(index = 6)]
	AwaitingCompliance,
	#[codec(index = 7)]
	Closed,
}

impl<BlockNumber> Status<BlockNumber> {
	/// The status without its data.
	pub fn kind(&self) -> StatusKind {
		match self {
			Status::Requested { .. } => StatusKind::Requested,
			Status::Funded { .. } => StatusKind::Funded,
			Status::Shipped { .. } => StatusKind::Shipped,
			Status::Delivered { .. } => StatusKind::Delivered,
			Status::Disputed { .. } => StatusKind::Disputed,
			Status::Ruled { .. } => StatusKind::Ruled,
			Status::AwaitingCompliance { .. } => StatusKind::AwaitingCompliance,
			Status::Closed { .. } => StatusKind::Closed,
		}
	}

	/// Whether the escrow is finished.
	pub fn is_closed(&self) -> bool {
		matches!(self, Status::Closed { .. })
	}

	/// Whether funds are held for it (every status between funding and closing).
	pub fn holds_funds(&self) -> bool {
		!matches!(self, Status::Requested { .. } | Status::Closed { .. })
	}
}

/// A milestone: a share of the amount the payer releases on its own confirmation.
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
pub struct Milestone<Balance> {
	/// The share.
	pub amount: Balance,
	/// Whether it was released.
	pub released: bool,
}

/// One escrow.
#[derive(
	CloneNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	EqNoBound,
	PartialEqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxIdLen, MaxOracles, MaxMilestones))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Escrow<AccountId, Balance, BlockNumber, MaxIdLen, MaxOracles, MaxMilestones>
where
	AccountId: Clone + PartialEq + core::fmt::Debug,
	Balance: Clone + PartialEq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + core::fmt::Debug,
	MaxIdLen: Get<u32>,
	MaxOracles: Get<u32>,
	MaxMilestones: Get<u32>,
{
	/// The buyer.
	pub payer: AccountId,
	/// The seller.
	pub payee: AccountId,
	/// The amount agreed.
	pub amount: Balance,
	/// What is held on the payer now.
	pub held: Balance,
	/// What went to the payee so far, fees included.
	pub released: Balance,
	/// What went back to the payer.
	pub refunded: Balance,
	/// The platform fee taken from each payment to the payee, fixed when the escrow was made.
	pub fee_rate: Permill,
	/// The order paid for.
	pub order: OrderRef<MaxIdLen>,
	/// The deadlines.
	pub terms: Terms<BlockNumber>,
	/// Who rules on disputes.
	pub arbitration: Arbitration<AccountId>,
	/// The oracles, if any.
	pub oracles: Option<OracleSet<AccountId, MaxOracles>>,
	/// The oracles that attested delivery.
	pub attested: BoundedVec<AccountId, MaxOracles>,
	/// The milestones, if any.
	pub milestones: BoundedVec<Milestone<Balance>, MaxMilestones>,
	/// The payee's tracking commitment, once shipped.
	pub tracking: Option<H256>,
	/// The party that asked to cancel, waiting for the other to agree.
	pub cancel_requested_by: Option<Party>,
	/// Where it is.
	pub status: Status<BlockNumber>,
	/// The block it was created (or requested) in.
	pub created: BlockNumber,
	/// The block whose timeout queue holds its next automatic step, if it has one.
	pub timeout: Option<BlockNumber>,
}

/// A signed oracle attestation, carried in an extrinsic by anyone.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Attestation<AccountId, Signature> {
	/// The oracle.
	pub oracle: AccountId,
	/// Its signature over [`attestation_payload`].
	pub signature: Signature,
}

/// The domain tag of an oracle's delivery attestation.
pub const ATTESTATION_DOMAIN: [u8; 24] = *b"paychain:escrow:delivery";

/// The bytes an oracle signs to attest that escrow `id`'s shipment `tracking` was delivered, on
/// the chain whose genesis block hash is `genesis`: the SCALE encoding of
/// `(ATTESTATION_DOMAIN, genesis, id, tracking)` — 24 + 32 + 8 + 32 = 96 bytes for a 32-byte
/// hash (the fixed-size parts are their raw bytes, `id` is 8 bytes little-endian).
pub fn attestation_payload<Hash: Encode>(genesis: &Hash, id: EscrowId, tracking: H256) -> Vec<u8> {
	(ATTESTATION_DOMAIN, genesis, id, tracking).encode()
}

/// What happens next to an escrow, and when (for wallets and dashboards).
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo)]
pub enum NextStep<AccountId, BlockNumber> {
	/// The payer may accept the request until `expires`; then it lapses.
	#[codec(index = 0)]
	PayerToAccept { expires: BlockNumber },
	/// The payee must ship; at `refund_at` the payer is refunded.
	#[codec(index = 1)]
	PayeeToShip { refund_at: BlockNumber },
	/// The payer or the oracles confirm delivery; at `confirmed_at` it counts as delivered.
	#[codec(index = 2)]
	DeliveryToConfirm { confirmed_at: BlockNumber },
	/// The dispute window is open; at `release_at` the payee is paid.
	#[codec(index = 3)]
	ReleaseAfterWindow { release_at: BlockNumber },
	/// A ruling is awaited from `arbiter` (none: the chain's arbitration authority).
	#[codec(index = 4)]
	RulingAwaited { level: Level, arbiter: Option<AccountId> },
	/// A ruling is carried out at `execute_at` unless appealed before.
	#[codec(index = 5)]
	RulingCarriedOut { execute_at: BlockNumber },
	/// A payment compliance blocked waits for the payee to be cleared or for a regulator.
	#[codec(index = 6)]
	RegulatorDecision,
	/// Closed; the record is removed at `removed_at`.
	#[codec(index = 7)]
	Removal { removed_at: BlockNumber },
}

/// One page of an account's escrows and where the next page starts.
#[derive(Clone, Encode, Decode, Eq, PartialEq, Debug, TypeInfo)]
pub struct Page<Item> {
	/// The escrows, by id.
	pub items: Vec<(EscrowId, Item)>,
	/// The id to pass as `start_after` for the next page, if there may be more.
	pub next: Option<EscrowId>,
}
