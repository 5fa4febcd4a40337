//! Who is who on Paychain: the participant types the accounts pallet keeps and the
//! [`AccountRegistry`] trait every other pallet asks.
//!
//! Every type stored or emitted here has fixed codec indices: wallets, indexers and regulators
//! decode them from the metadata, and a renumbering would silently change their meaning.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{ecdsa, ed25519, sr25519, H256};
use sp_runtime::{traits::Verify, MultiSignature};

/// The level of a finance department in the government hierarchy. A department's parent is the
/// department exactly one level above it.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum FinanceLevel {
	/// The national finance department (Ministry of Finance).
	#[codec(index = 0)]
	National,
	/// A province, autonomous region or municipality directly under the central government.
	#[codec(index = 1)]
	Provincial,
	/// A prefecture-level city.
	#[codec(index = 2)]
	Municipal,
	/// A county or city district.
	#[codec(index = 3)]
	County,
}

impl FinanceLevel {
	/// The level directly below this one; `None` for the county level.
	pub fn below(self) -> Option<FinanceLevel> {
		match self {
			FinanceLevel::National => Some(FinanceLevel::Provincial),
			FinanceLevel::Provincial => Some(FinanceLevel::Municipal),
			FinanceLevel::Municipal => Some(FinanceLevel::County),
			FinanceLevel::County => None,
		}
	}

	/// The level directly above this one; `None` for the national level.
	pub fn above(self) -> Option<FinanceLevel> {
		match self {
			FinanceLevel::National => None,
			FinanceLevel::Provincial => Some(FinanceLevel::National),
			FinanceLevel::Municipal => Some(FinanceLevel::Provincial),
			FinanceLevel::County => Some(FinanceLevel::Municipal),
		}
	}
}

/// An administrative-division region code (GB/T 2260): six decimal digits `PPCCDD` — province,
/// city, county. `000000` is the whole country, `PP0000` a province, `PPCC00` a city and
/// `PPCCDD` a county. A region lies inside another when the other's non-zero prefix is its own.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct RegionCode(pub u32);

impl RegionCode {
	/// The whole country.
	pub const NATIONAL: RegionCode = RegionCode(0);

	/// Whether the code is well formed: at most six digits, and no county or city digits under
	/// an empty province or city (`00CC00` and `PP00DD` name nothing).
	pub fn is_valid(self) -> bool {
		let (province, city, county) = self.parts();
		self.0 < 1_000_000 && (province != 0 || city == 0) && (city != 0 || county == 0)
	}

	/// The code's level as a finance level: the whole country is national, `PP0000`
	/// provincial, `PPCC00` municipal, anything finer a county.
	pub fn level(self) -> FinanceLevel {
		match self.parts() {
			(0, _, _) => FinanceLevel::National,
			(_, 0, _) => FinanceLevel::Provincial,
			(_, _, 0) => FinanceLevel::Municipal,
			_ => FinanceLevel::County,
		}
	}

	/// Whether `inner` lies inside (or is) this region.
	pub fn contains(self, inner: RegionCode) -> bool {
		match self.level() {
			FinanceLevel::National => true,
			FinanceLevel::Provincial => self.0 / 10_000 == inner.0 / 10_000,
			FinanceLevel::Municipal => self.0 / 100 == inner.0 / 100,
			FinanceLevel::County => self.0 == inner.0,
		}
	}

	/// This region and each region containing it below the national level, most specific first:
	/// a county, its city, its province (each once; nothing for the whole country).
	pub fn enclosing(self) -> impl Iterator<Item = RegionCode> {
		let (county, city, province) = (self.0, self.0 / 100 * 100, self.0 / 10_000 * 10_000);
		[(county != city).then_some(county), (city != province).then_some(city), Some(province)]
			.into_iter()
			.flatten()
			.filter(|code| *code != 0)
			.map(RegionCode)
	}

	fn parts(self) -> (u32, u32, u32) {
		(self.0 / 10_000, (self.0 / 100) % 100, self.0 % 100)
	}
}

/// What a participant is. The role decides what it may do in the other pallets.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Role {
	/// A person with a payment account.
	#[codec(index = 0)]
	Individual,
	/// A business that takes payments.
	#[codec(index = 1)]
	Merchant,
	/// A licensed non-bank payment institution.
	#[codec(index = 2)]
	PaymentInstitution,
	/// A clearing institution (a bank): brings money on and off the chain.
	#[codec(index = 3)]
	ClearingInstitution,
	/// A government finance department at its level.
	#[codec(index = 4)]
	FinanceDepartment(FinanceLevel),
	/// A department that supervises the use of fiscal funds.
	#[codec(index = 5)]
	SupervisionDepartment,
	/// A payment regulator (anti-money-laundering supervision).
	#[codec(index = 6)]
	Regulator,
	/// An oracle attesting off-chain facts (deliveries).
	#[codec(index = 7)]
	Oracle,
	/// An arbiter resolving disputes.
	#[codec(index = 8)]
	Arbiter,
	/// The consortium's governance account (holds sudo until a council replaces it).
	#[codec(index = 9)]
	Governance,
}

impl Role {
	/// Whether participants of this role are organisations that can have children in the
	/// organisation tree and register signing keys.
	pub fn is_organisation(self) -> bool {
		!matches!(self, Role::Individual)
	}

	/// Whether only governance (not a registrar) may grant this role.
	pub fn is_privileged(self) -> bool {
		matches!(self, Role::Regulator | Role::Governance)
	}
}

/// Where a participant is in its life cycle.
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
pub enum ParticipantStatus {
	/// Applied; waiting for a registrar.
	#[codec(index = 0)]
	Pending,
	/// May transact.
	#[codec(index = 1)]
	Active,
	/// Stopped by a registrar or regulator: no transactions, no money moves.
	#[codec(index = 2)]
	Suspended,
	/// Left the chain; the record stays for the audit trail.
	#[codec(index = 3)]
	Closed,
}

/// How thoroughly a participant's identity was verified, after the PBoC's classes of payment
/// accounts: each tier allows more (the compliance pallet sets the limits per tier).
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum KycTier {
	/// No valid verification (never verified, expired, or its registrar's attestations were
	/// invalidated).
	#[codec(index = 0)]
	#[default]
	Unverified,
	/// Verified against one external source (class I).
	#[codec(index = 1)]
	Basic,
	/// Verified against several sources (class II).
	#[codec(index = 2)]
	Standard,
	/// Verified in person or for an institution (class III).
	#[codec(index = 3)]
	Enhanced,
}

/// A KYC attestation: the tier a registrar verified, until when, and who verified it.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct KycAttestation<AccountId, BlockNumber> {
	/// The tier verified.
	pub tier: KycTier,
	/// The block from which the attestation no longer counts.
	pub expires_at: BlockNumber,
	/// The registrar that verified it.
	pub attested_by: AccountId,
	/// When it was made.
	pub attested_at: BlockNumber,
}

/// The record the accounts pallet keeps for each participant account.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct Participant<AccountId, Balance, BlockNumber> {
	/// What the participant is.
	pub role: Role,
	/// Where it is in its life cycle.
	pub status: ParticipantStatus,
	/// The hash of the off-chain KYC record; no personal data is on chain. Unique among
	/// participants that are not closed.
	pub identity: H256,
	/// The administrative region it belongs to.
	pub region: RegionCode,
	/// The organisation it belongs to, if any.
	pub parent: Option<AccountId>,
	/// Its distance from the root of its organisation tree (0 without a parent).
	pub depth: u32,
	/// Its current KYC attestation, if any.
	pub kyc: Option<KycAttestation<AccountId, BlockNumber>>,
	/// The application deposit held from it (zero when a registrar registered it directly).
	pub deposit: Balance,
	/// The registrar that approved or registered it.
	pub approved_by: Option<AccountId>,
	/// When it applied or was registered.
	pub registered_at: BlockNumber,
	/// When it was approved (or registered directly).
	pub approved_at: Option<BlockNumber>,
}

/// What compliance needs to know about an account, read at once.
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
pub struct ParticipantProfile {
	/// Its role.
	pub role: Role,
	/// Its status.
	pub status: ParticipantStatus,
	/// Its effective KYC tier: `Unverified` once the attestation expired or was invalidated.
	pub tier: KycTier,
	/// Its region.
	pub region: RegionCode,
}

/// A public key an institution's business systems sign with.
#[derive(
	Clone,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum SigningKey {
	/// Schnorrkel/Ristretto sr25519.
	#[codec(index = 0)]
	Sr25519(sr25519::Public),
	/// Ed25519.
	#[codec(index = 1)]
	Ed25519(ed25519::Public),
	/// ECDSA over secp256k1 (the message is hashed with BLAKE2b-256 before signing).
	#[codec(index = 2)]
	Ecdsa(ecdsa::Public),
}

impl SigningKey {
	/// Whether `signature` is this key's signature of `message`. A signature of another scheme
	/// never verifies.
	pub fn verify(&self, message: &[u8], signature: &MultiSignature) -> bool {
		match (self, signature) {
			(SigningKey::Sr25519(key), MultiSignature::Sr25519(sig)) => sig.verify(message, key),
			(SigningKey::Ed25519(key), MultiSignature::Ed25519(sig)) => sig.verify(message, key),
			(SigningKey::Ecdsa(key), MultiSignature::Ecdsa(sig)) => sig.verify(message, key),
			_ => false,
		}
	}
}

/// A registered signing key of an institution and its validity window.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct InstitutionKey<BlockNumber> {
	/// The public key.
	pub key: SigningKey,
	/// The first block at which signatures by it count.
	pub valid_from: BlockNumber,
	/// The first block at which they no longer count; `None` while open-ended.
	pub valid_until: Option<BlockNumber>,
	/// When it was revoked, if it was: from then on it never verifies.
	pub revoked_at: Option<BlockNumber>,
}

impl<BlockNumber: PartialOrd + Copy> InstitutionKey<BlockNumber> {
	/// Whether signatures by this key count at block `now`.
	pub fn is_valid_at(&self, now: BlockNumber) -> bool {
		self.revoked_at.is_none()
			&& self.valid_from <= now
			&& self.valid_until.is_none_or(|until| now < until)
	}
}

/// Why an institution's signature was not accepted.
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
pub enum KeyCheckError {
	/// The key is not registered to that institution.
	#[codec(index = 0)]
	UnknownKey,
	/// The key was revoked.
	#[codec(index = 1)]
	Revoked,
	/// The block is outside the key's validity window.
	#[codec(index = 2)]
	OutsideValidity,
	/// The signature does not verify.
	#[codec(index = 3)]
	BadSignature,
	/// The institution is not an active participant.
	#[codec(index = 4)]
	InstitutionNotActive,
}

/// The participant register, as the other pallets see it. The runtime wires the accounts pallet;
/// tests use a mock. The `()` implementation knows nobody.
pub trait AccountRegistry<AccountId> {
	/// What compliance needs about `who`, in one read; `None` if it never registered.
	fn profile(who: &AccountId) -> Option<ParticipantProfile>;

	/// `who`'s parent organisation.
	fn parent(who: &AccountId) -> Option<AccountId>;

	/// Whether `ancestor` is a strict ancestor of `who` in the organisation tree.
	fn is_ancestor(ancestor: &AccountId, who: &AccountId) -> bool;

	/// Checks that `signature` over `payload` was made by `key`, a key of `institution` valid at
	/// the current block, while the institution is active.
	fn verify_institution_signature(
		institution: &AccountId,
		key: &SigningKey,
		payload: &[u8],
		signature: &MultiSignature,
	) -> Result<(), KeyCheckError>;

	/// `who`'s status, if it ever registered.
	fn status(who: &AccountId) -> Option<ParticipantStatus> {
		Self::profile(who).map(|p| p.status)
	}

	/// Whether `who` is an active participant.
	fn is_active(who: &AccountId) -> bool {
		Self::status(who) == Some(ParticipantStatus::Active)
	}

	/// `who`'s role, if it ever registered.
	fn role(who: &AccountId) -> Option<Role> {
		Self::profile(who).map(|p| p.role)
	}

	/// `who`'s effective KYC tier (`Unverified` for strangers).
	fn kyc_tier(who: &AccountId) -> KycTier {
		Self::profile(who).map(|p| p.tier).unwrap_or_default()
	}

	/// `who`'s region, if it ever registered.
	fn region(who: &AccountId) -> Option<RegionCode> {
		Self::profile(who).map(|p| p.region)
	}

	/// Makes `who` an active participant with this profile, for other pallets' benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmarks(who: &AccountId, role: Role, region: RegionCode, tier: KycTier);

	/// Makes `who` an active participant with this profile under `parent` in the organisation
	/// tree (a finance department under the one a level up), for other pallets' benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn register_child_for_benchmarks(
		who: &AccountId,
		role: Role,
		region: RegionCode,
		tier: KycTier,
		parent: &AccountId,
	);
}

impl<AccountId> AccountRegistry<AccountId> for () {
	fn profile(_: &AccountId) -> Option<ParticipantProfile> {
		None
	}
	fn parent(_: &AccountId) -> Option<AccountId> {
		None
	}
	fn is_ancestor(_: &AccountId, _: &AccountId) -> bool {
		false
	}
	fn verify_institution_signature(
		_: &AccountId,
		_: &SigningKey,
		_: &[u8],
		_: &MultiSignature,
	) -> Result<(), KeyCheckError> {
		Err(KeyCheckError::UnknownKey)
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmarks(_: &AccountId, _: Role, _: RegionCode, _: KycTier) {}
	#[cfg(feature = "runtime-benchmarks")]
	fn register_child_for_benchmarks(
		_: &AccountId,
		_: Role,
		_: RegionCode,
		_: KycTier,
		_: &AccountId,
	) {
	}
}

/// What an account still owes or holds in custody in some pallet, asked before it may close.
/// Implemented by each pallet that keeps custody or obligations, combined as a tuple in the
/// runtime; `()` reports nothing.
pub trait Obligations<AccountId> {
	/// Whether `who` has open obligations (custody, open orders, cases) in this pallet.
	fn has_obligations(who: &AccountId) -> bool;
}

#[impl_trait_for_tuples::impl_for_tuples(8)]
impl<AccountId> Obligations<AccountId> for Tuple {
	fn has_obligations(who: &AccountId) -> bool {
		for_tuples!( #( if Tuple::has_obligations(who) { return true; } )* );
		false
	}
}

sp_api::decl_runtime_apis! {
	/// The participant register, for wallets, dashboards and regulators.
	pub trait AccountsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// `who`'s record, if it ever registered.
		fn participant(who: AccountId) -> Option<Participant<AccountId, Balance, BlockNumber>>;

		/// What the other pallets see of `who`: role, status, effective KYC tier, region.
		fn profile(who: AccountId) -> Option<ParticipantProfile>;

		/// The organisation's active and suspended children with their records, in storage
		/// order: at most `limit` (capped at 100) after `start_after`.
		fn children(
			organisation: AccountId,
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<(AccountId, Participant<AccountId, Balance, BlockNumber>)>;

		/// The institution's registered signing keys, including revoked and expired ones.
		fn institution_keys(institution: AccountId) -> Vec<InstitutionKey<BlockNumber>>;

		/// The participants of a role that are not closed, with their records, in storage order:
		/// at most `limit` (capped at 100) after `start_after`.
		fn members_by_role(
			role: Role,
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<(AccountId, Participant<AccountId, Balance, BlockNumber>)>;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn region_levels_and_containment() {
		let guangdong = RegionCode(440000);
		let shenzhen = RegionCode(440300);
		let nanshan = RegionCode(440305);
		let beijing = RegionCode(110000);
		assert_eq!(RegionCode::NATIONAL.level(), FinanceLevel::National);
		assert_eq!(guangdong.level(), FinanceLevel::Provincial);
		assert_eq!(shenzhen.level(), FinanceLevel::Municipal);
		assert_eq!(nanshan.level(), FinanceLevel::County);
		assert!(RegionCode::NATIONAL.contains(nanshan));
		assert!(guangdong.contains(shenzhen) && guangdong.contains(nanshan));
		assert!(shenzhen.contains(nanshan) && nanshan.contains(nanshan));
		assert!(!beijing.contains(shenzhen));
		assert!(!shenzhen.contains(guangdong));
		assert!(!nanshan.contains(RegionCode(440306)));
	}

	#[test]
	fn a_region_lists_itself_and_its_enclosing_regions() {
		let codes = |r: u32| RegionCode(r).enclosing().map(|c| c.0).collect::<Vec<_>>();
		assert_eq!(codes(440305), vec![440305, 440300, 440000]);
		assert_eq!(codes(440300), vec![440300, 440000]);
		assert_eq!(codes(440000), vec![440000]);
		assert!(codes(0).is_empty());
	}

	#[test]
	fn malformed_region_codes_are_invalid() {
		assert!(RegionCode(440305).is_valid());
		assert!(RegionCode::NATIONAL.is_valid());
		assert!(!RegionCode(1_000_000).is_valid());
		assert!(!RegionCode(440005).is_valid(), "a county under no city");
		assert!(!RegionCode(300).is_valid(), "a city under no province");
	}

	#[test]
	fn finance_levels_step_up_one_at_a_time() {
		assert_eq!(FinanceLevel::County.above(), Some(FinanceLevel::Municipal));
		assert_eq!(FinanceLevel::Municipal.above(), Some(FinanceLevel::Provincial));
		assert_eq!(FinanceLevel::Provincial.above(), Some(FinanceLevel::National));
		assert_eq!(FinanceLevel::National.above(), None);
		for level in [FinanceLevel::National, FinanceLevel::Provincial, FinanceLevel::Municipal] {
			assert_eq!(level.below().and_then(FinanceLevel::above), Some(level));
		}
		assert_eq!(FinanceLevel::County.below(), None);
	}

	#[test]
	fn keys_verify_only_their_own_signatures_in_their_window() {
		use sp_core::Pair;
		let pair = sr25519::Pair::from_seed(&[7; 32]);
		let other = sr25519::Pair::from_seed(&[8; 32]);
		let key = SigningKey::Sr25519(pair.public());
		let good = MultiSignature::Sr25519(pair.sign(b"order"));
		assert!(key.verify(b"order", &good));
		assert!(!key.verify(b"other order", &good));
		assert!(!key.verify(b"order", &MultiSignature::Sr25519(other.sign(b"order"))));
		let ed = ed25519::Pair::from_seed(&[7; 32]);
		assert!(!key.verify(b"order", &MultiSignature::Ed25519(ed.sign(b"order"))));

		let window =
			InstitutionKey { key, valid_from: 10u32, valid_until: Some(20), revoked_at: None };
		assert!(!window.is_valid_at(9) && window.is_valid_at(10) && window.is_valid_at(19));
		assert!(!window.is_valid_at(20));
		let revoked = InstitutionKey { revoked_at: Some(12), ..window };
		assert!(!revoked.is_valid_at(15));
	}
}
