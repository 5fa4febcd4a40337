//! # Accounts: Paychain's participant registry
//!
//! Paychain is a consortium chain: every account that moves money is a known participant. This
//! pallet is the register everyone else asks "who is this, may they do this?".
//!
//! - **Participants**: one record per account — role, status (pending, active, suspended,
//!   closed), KYC attestation with its expiry, an identity commitment (the hash of the off-chain
//!   KYC record; no personal data on chain, unique among open participants), a region code, the
//!   parent organisation, who approved it and when.
//! - **Onboarding and exit**: an account [`apply`](Pallet::apply)s with a deposit held from it
//!   (hold reason [`HoldReason::ApplicationDeposit`]); a registrar [`approve`](Pallet::approve)s
//!   or [`reject`](Pallet::reject)s, or [`register`](Pallet::register)s an institution directly.
//!   Registrars or regulators [`suspend`](Pallet::suspend) and
//!   [`reactivate`](Pallet::reactivate); an account [`close`](Pallet::close)s itself (the deposit
//!   returns) unless it has children, funds in custody or open obligations elsewhere
//!   ([`Config::Obligations`]).
//! - **Registrars** (the agency-management service) act within the region they were appointed
//!   for, never on themselves, and never grant the privileged roles (regulator, governance): those
//!   come from [`Config::AdminOrigin`] through [`force_register`](Pallet::force_register). When a
//!   registrar is removed, every KYC attestation it issued can be invalidated in one call
//!   ([`invalidate_attestations`](Pallet::invalidate_attestations)); the affected accounts then
//!   count as unverified until a registrar attests them again.
//! - **Organisation tree**: a finance department's parent is the department exactly one level
//!   above it, in a region containing its own. Other participants may belong to any organisation.
//!   Depth is bounded by [`Config::MaxDepth`], so ancestry questions take bounded reads.
//! - **Institution keys**: the keys an institution's business systems sign payment documents
//!   with, each with a validity window; rotate with an overlap, revoke. Other pallets verify
//!   signatures through [`AccountRegistry::verify_institution_signature`]. A key belongs to one
//!   institution forever.
//! - **A permissioned chain**: the [`CheckParticipant`] transaction extension rejects, at the
//!   pool, signed transactions from accounts that are not active participants, except
//!   [`apply`](Pallet::apply) and [`cancel_application`](Pallet::cancel_application).
//!
//! Other pallets see this one only through [`paychain_primitives::accounts::AccountRegistry`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod extension;
mod impls;
mod origins;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use extension::{CheckParticipant, NOT_ACTIVE, NOT_A_PARTICIPANT};
pub use impls::MAX_PAGE;
pub use origins::{EnsureParticipantRole, EnsureRegistrar, RegulatorRole};
pub use pallet::*;
pub use weights::WeightInfo;

use frame_support::traits::fungible;
use paychain_primitives::accounts::{
	AccountRegistry, InstitutionKey, KycAttestation, KycTier, Obligations, Participant,
	ParticipantStatus, RegionCode, Role, SigningKey,
};

/// The balance type of the currency the deposits are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A participant record as this pallet stores it.
pub type ParticipantOf<T> = Participant<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;

/// A KYC attestation as this pallet stores it.
pub type AttestationOf<T> = KycAttestation<
	<T as frame_system::Config>::AccountId,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;

/// An institution key as this pallet stores it.
pub type InstitutionKeyOf<T> = InstitutionKey<frame_system::pallet_prelude::BlockNumberFor<T>>;

// The pallet macros expand to fully qualified paths that this module's imports make redundant.
#[allow(unused_qualifications)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{InspectHold, MutateHold},
			IsSubType,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_core::H256;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency the application deposit is held in.
		type Currency: fungible::Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The call type, to let the transaction extension recognise this pallet's calls.
		type RuntimeCall: IsSubType<Call<Self>>
			+ IsType<<Self as frame_system::Config>::RuntimeCall>;

		/// Who appoints and removes registrars, invalidates their attestations and grants the
		/// privileged roles (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// A registrar (the agency-management service): approves, rejects, registers, attests,
		/// suspends within its region. Yields the registrar's account.
		type RegistrarOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// A regulator: suspends, reactivates and revokes keys anywhere. Yields its account.
		type RegulatorOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Self::AccountId>;

		/// What other pallets still hold or expect from an account, asked before it may close.
		type Obligations: Obligations<Self::AccountId>;

		/// The deposit held from an applicant until it closes (or its application ends).
		#[pallet::constant]
		type ApplicationDeposit: Get<BalanceOf<Self>>;

		/// The deepest an organisation tree may grow (a root has depth 0).
		#[pallet::constant]
		type MaxDepth: Get<u32>;

		/// The most signing keys an institution keeps (revoked and expired ones are pruned when
		/// room is needed).
		#[pallet::constant]
		type MaxKeysPerInstitution: Get<u32>;

		/// The longest overlap, in blocks, during which a rotated key still verifies.
		#[pallet::constant]
		type MaxKeyOverlap: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls and transaction extension.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a participant's application, returned when it closes.
		#[codec(index = 0)]
		ApplicationDeposit,
	}

	/// A registrar: where it may act, and the KYC attestations it has outstanding.
	#[derive(
		Clone, Encode, Decode, DecodeWithMemTracking, Eq, PartialEq, Debug, TypeInfo, MaxEncodedLen,
	)]
	pub struct RegistrarInfo {
		/// The region it acts in: only participants inside it.
		pub region: RegionCode,
		/// Whether it may still act (false once removed; the entry stays while attestations it
		/// issued are outstanding).
		pub active: bool,
		/// Whether its attestations were invalidated: they no longer count.
		pub invalidated: bool,
		/// How many participants hold an attestation it issued.
		pub attestations: u32,
	}

	/// Every participant, by account.
	#[pallet::storage]
	pub type Participants<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ParticipantOf<T>>;

	/// Which open (not closed) participant holds each identity commitment.
	#[pallet::storage]
	pub type IdentityOwners<T: Config> = StorageMap<_, Blake2_128Concat, H256, T::AccountId>;

	/// The organisation tree: `(parent, child)` for every active or suspended child.
	#[pallet::storage]
	pub type Children<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Blake2_128Concat, T::AccountId, ()>;

	/// How many children each organisation has in [`Children`].
	#[pallet::storage]
	pub type ChildCount<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The open (not closed) participants of each role.
	#[pallet::storage]
	pub type RoleMembers<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, Role, Blake2_128Concat, T::AccountId, ()>;

	/// The registrars, current and removed-with-outstanding-attestations.
	#[pallet::storage]
	pub type Registrars<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, RegistrarInfo>;

	/// Each institution's signing keys.
	#[pallet::storage]
	pub type InstitutionKeys<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<InstitutionKeyOf<T>, T::MaxKeysPerInstitution>,
		ValueQuery,
	>;

	/// Which institution each signing key ever registered belongs to: a key is never reused by
	/// another institution.
	#[pallet::storage]
	pub type KeyOwners<T: Config> = StorageMap<_, Blake2_128Concat, SigningKey, T::AccountId>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account applied to join; its deposit is held.
		Applied { who: T::AccountId, role: Role, region: RegionCode, deposit: BalanceOf<T> },
		/// An applicant withdrew its application; its deposit was returned.
		ApplicationCancelled { who: T::AccountId, deposit: BalanceOf<T> },
		/// A registrar approved an application.
		Approved { who: T::AccountId, registrar: T::AccountId, tier: KycTier },
		/// A registrar rejected an application; the deposit was returned.
		Rejected { who: T::AccountId, registrar: T::AccountId, deposit: BalanceOf<T> },
		/// A participant was registered directly, active at once.
		Registered { who: T::AccountId, role: Role, region: RegionCode, by: Option<T::AccountId> },
		/// A participant was suspended.
		Suspended { who: T::AccountId, by: T::AccountId },
		/// A suspended participant was reactivated.
		Reactivated { who: T::AccountId, by: T::AccountId },
		/// A participant closed; its deposit was returned.
		Closed { who: T::AccountId, by: T::AccountId, deposit: BalanceOf<T> },
		/// A registrar attested a participant's KYC tier.
		KycAttested {
			who: T::AccountId,
			registrar: T::AccountId,
			tier: KycTier,
			expires_at: BlockNumberFor<T>,
		},
		/// A participant moved in the organisation tree.
		ParentChanged { who: T::AccountId, old: Option<T::AccountId>, new: Option<T::AccountId> },
		/// A registrar was appointed for a region.
		RegistrarAdded { registrar: T::AccountId, region: RegionCode },
		/// A registrar was removed; it can no longer act.
		RegistrarRemoved { registrar: T::AccountId },
		/// Every attestation a registrar issued stopped counting.
		AttestationsInvalidated { registrar: T::AccountId, attestations: u32 },
		/// An institution registered a signing key.
		KeyRegistered {
			institution: T::AccountId,
			key: SigningKey,
			valid_from: BlockNumberFor<T>,
			valid_until: Option<BlockNumberFor<T>>,
		},
		/// An institution rotated a key: the old one verifies until `old_valid_until`.
		KeyRotated {
			institution: T::AccountId,
			old: SigningKey,
			new: SigningKey,
			old_valid_until: BlockNumberFor<T>,
		},
		/// A key was revoked.
		KeyRevoked { institution: T::AccountId, key: SigningKey, by: T::AccountId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a participant (or has an application pending).
		AlreadyRegistered,
		/// The account is not a participant.
		NotRegistered,
		/// The participant's status does not allow this.
		WrongStatus,
		/// The identity commitment belongs to another open participant.
		IdentityInUse,
		/// The region code is malformed.
		InvalidRegion,
		/// Only governance grants this role.
		PrivilegedRole,
		/// The parent is not a participant.
		UnknownParent,
		/// The parent is not active.
		ParentNotActive,
		/// Individuals cannot have members.
		ParentNotOrganisation,
		/// A finance department below the national level needs a parent department.
		ParentRequired,
		/// A finance department's parent must be the department exactly one level above it.
		ParentWrongLevel,
		/// A finance department's region must lie strictly inside its parent's.
		ParentWrongRegion,
		/// A finance department's region code must be of its level.
		RegionLevelMismatch,
		/// The organisation tree would grow deeper than `MaxDepth`.
		TooDeep,
		/// The move would make the participant its own ancestor.
		WouldCreateCycle,
		/// Only a participant without children can move or close.
		HasChildren,
		/// The participant is outside the registrar's region.
		OutsideJurisdiction,
		/// A registrar may not act on its own account.
		ActingOnSelf,
		/// An attestation needs a tier above `Unverified`.
		UnverifiedTier,
		/// The attestation would already have expired.
		ExpiryInPast,
		/// The account is already a registrar.
		AlreadyRegistrar,
		/// The account is not a registrar.
		NotRegistrar,
		/// The registrar is still active: remove it first.
		RegistrarStillActive,
		/// The registrar's attestations were already invalidated.
		AlreadyInvalidated,
		/// A registrar must be removed before it closes.
		IsRegistrar,
		/// The account cannot afford the application deposit.
		CannotAffordDeposit,
		/// The account has funds in custody (held by other pallets).
		FundsInCustody,
		/// Another pallet reports open obligations for the account.
		OpenObligations,
		/// Only an active organisation may do this.
		NotOrganisation,
		/// The key belongs to another institution.
		KeyInUse,
		/// The institution already registered this key.
		KeyAlreadyRegistered,
		/// The institution has no such key.
		UnknownKey,
		/// The key was already revoked.
		KeyRevoked,
		/// The key is not valid now.
		KeyNotValid,
		/// The validity window is empty.
		InvalidValidity,
		/// The rotation overlap is longer than `MaxKeyOverlap`.
		OverlapTooLong,
		/// The institution holds `MaxKeysPerInstitution` keys that are still valid.
		TooManyKeys,
		/// An arithmetic overflow.
		Overflow,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Registrars and the region each acts in.
		pub registrars: Vec<(T::AccountId, RegionCode)>,
		/// Participants registered at genesis, active, parents before their children. Their KYC
		/// tier is attested by the first registrar and lasts `kyc_validity` blocks.
		pub participants: Vec<GenesisParticipant<T::AccountId>>,
		/// How long the genesis KYC attestations last, in blocks.
		pub kyc_validity: BlockNumberFor<T>,
	}

	/// A participant registered at genesis.
	#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
	#[serde(rename_all = "camelCase")]
	pub struct GenesisParticipant<AccountId> {
		/// The account.
		pub account: AccountId,
		/// Its role.
		pub role: Role,
		/// Its identity commitment.
		pub identity: H256,
		/// Its region.
		pub region: RegionCode,
		/// Its parent organisation, registered earlier in the list.
		pub parent: Option<AccountId>,
		/// Its KYC tier.
		pub tier: KycTier,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (registrar, region) in &self.registrars {
				assert!(region.is_valid(), "genesis registrar with a malformed region");
				Registrars::<T>::insert(
					registrar,
					RegistrarInfo {
						region: *region,
						active: true,
						invalidated: false,
						attestations: 0,
					},
				);
			}
			let attester = self.registrars.first().map(|(r, _)| r.clone());
			for p in &self.participants {
				let kyc = (p.tier != KycTier::Unverified).then(|| KycAttestation {
					tier: p.tier,
					expires_at: self.kyc_validity,
					attested_by: attester.clone().expect("genesis KYC needs a registrar"),
					attested_at: Zero::zero(),
				});
				Pallet::<T>::do_register(
					p.account.clone(),
					p.role,
					p.identity,
					p.region,
					p.parent.clone(),
					kyc,
					None,
				)
				.expect("genesis participants must be valid and ordered parents first");
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxDepth::get() > 0, "MaxDepth must allow a parent");
			assert!(T::MaxKeysPerInstitution::get() > 1, "rotation needs room for two keys");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Apply to join as `role` in `region`, under `parent` if given. The application deposit
		/// is held from the caller until it closes. Open to accounts that are not participants
		/// (or closed ones) even though the chain is permissioned.
		///
		/// Emits `Applied`. Errors: `AlreadyRegistered`, `PrivilegedRole`, `InvalidRegion`,
		/// `IdentityInUse`, `CannotAffordDeposit`, and the parent errors (`UnknownParent`,
		/// `ParentNotActive`, `ParentNotOrganisation`, `ParentRequired`, `ParentWrongLevel`,
		/// `ParentWrongRegion`, `RegionLevelMismatch`, `TooDeep`).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::apply())]
		pub fn apply(
			origin: OriginFor<T>,
			role: Role,
			identity: H256,
			region: RegionCode,
			parent: Option<T::AccountId>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_apply(who, role, identity, region, parent)
		}

		/// Withdraw a pending application; the deposit returns.
		///
		/// Emits `ApplicationCancelled`. Errors: `NotRegistered`, `WrongStatus`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_application())]
		pub fn cancel_application(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_end_application(who, None)
		}

		/// Approve a pending application with a KYC attestation of `tier` until `kyc_expires_at`.
		/// Registrar only, inside its region, not on itself.
		///
		/// Emits `Approved` and `KycAttested`. Errors: `NotRegistered`, `WrongStatus`,
		/// `OutsideJurisdiction`, `ActingOnSelf`, `UnverifiedTier`, `ExpiryInPast`, the parent
		/// errors (the parent is checked again).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::approve())]
		pub fn approve(
			origin: OriginFor<T>,
			who: T::AccountId,
			tier: KycTier,
			kyc_expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let registrar = T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_approve(registrar, who, tier, kyc_expires_at)
		}

		/// Reject a pending application; the deposit returns. Registrar only, inside its region.
		///
		/// Emits `Rejected`. Errors: `NotRegistered`, `WrongStatus`, `OutsideJurisdiction`,
		/// `ActingOnSelf`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::reject())]
		pub fn reject(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			let registrar = T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_end_application(who, Some(registrar))
		}

		/// Register an account directly, active at once, without a deposit (institutions the
		/// agency onboards off chain). Registrar only, inside its region; not the privileged roles.
		///
		/// Emits `Registered` and `KycAttested`. Errors: `AlreadyRegistered`, `PrivilegedRole`,
		/// `InvalidRegion`, `IdentityInUse`, `OutsideJurisdiction`, `ActingOnSelf`,
		/// `UnverifiedTier`, `ExpiryInPast`, the parent errors.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::register())]
		pub fn register(
			origin: OriginFor<T>,
			who: T::AccountId,
			role: Role,
			identity: H256,
			region: RegionCode,
			parent: Option<T::AccountId>,
			tier: KycTier,
			kyc_expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let registrar = T::RegistrarOrigin::ensure_origin(origin)?;
			ensure!(!role.is_privileged(), Error::<T>::PrivilegedRole);
			ensure!(registrar != who, Error::<T>::ActingOnSelf);
			Self::ensure_in_jurisdiction(&registrar, region)?;
			let kyc = Self::new_attestation(&registrar, tier, kyc_expires_at)?;
			Self::do_register(who, role, identity, region, parent, Some(kyc), Some(registrar))
		}

		/// Suspend an active participant: it can no longer transact. A registrar inside its
		/// region, or a regulator anywhere.
		///
		/// Emits `Suspended`. Errors: `NotRegistered`, `WrongStatus`, `OutsideJurisdiction`,
		/// `ActingOnSelf`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::suspend())]
		pub fn suspend(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			let by = Self::ensure_registrar_or_regulator(origin, &who)?;
			Self::do_set_status(who, by, ParticipantStatus::Active, ParticipantStatus::Suspended)
		}

		/// Reactivate a suspended participant. A registrar inside its region, or a regulator.
		///
		/// Emits `Reactivated`. Errors: `NotRegistered`, `WrongStatus`, `OutsideJurisdiction`,
		/// `ActingOnSelf`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::reactivate())]
		pub fn reactivate(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			let by = Self::ensure_registrar_or_regulator(origin, &who)?;
			Self::do_set_status(who, by, ParticipantStatus::Suspended, ParticipantStatus::Active)
		}

		/// Close the caller's participation; the deposit returns. Refused while it has children,
		/// funds in custody (holds of other pallets) or open obligations, or is a registrar. Any
		/// free balance stays on the account, its owner's, until it applies again.
		///
		/// Emits `Closed`. Errors: `NotRegistered`, `WrongStatus`, `HasChildren`,
		/// `FundsInCustody`, `OpenObligations`, `IsRegistrar`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::close())]
		pub fn close(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close(who.clone(), who)
		}

		/// Close another participant (active or suspended) under the same conditions as
		/// [`close`](Pallet::close). Registrar only, inside its region.
		///
		/// Emits `Closed`. Errors: as `close`, plus `OutsideJurisdiction`, `ActingOnSelf`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::force_close())]
		pub fn force_close(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			let registrar = T::RegistrarOrigin::ensure_origin(origin)?;
			Self::ensure_may_act_on(&registrar, &who)?;
			Self::do_close(who, registrar)
		}

		/// Attest (again) a participant's KYC tier until `expires_at`, replacing its previous
		/// attestation. Registrar only, inside its region, not on itself.
		///
		/// Emits `KycAttested`. Errors: `NotRegistered`, `WrongStatus` (closed or pending),
		/// `OutsideJurisdiction`, `ActingOnSelf`, `UnverifiedTier`, `ExpiryInPast`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::attest_kyc())]
		pub fn attest_kyc(
			origin: OriginFor<T>,
			who: T::AccountId,
			tier: KycTier,
			expires_at: BlockNumberFor<T>,
		) -> DispatchResult {
			let registrar = T::RegistrarOrigin::ensure_origin(origin)?;
			Self::do_attest_kyc(registrar, who, tier, expires_at)
		}

		/// Move a participant without children under another organisation (or to the root).
		/// Registrar only, inside its region.
		///
		/// Emits `ParentChanged`. Errors: `NotRegistered`, `WrongStatus`, `HasChildren`,
		/// `WouldCreateCycle`, `OutsideJurisdiction`, `ActingOnSelf`, the parent errors.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_parent())]
		pub fn set_parent(
			origin: OriginFor<T>,
			who: T::AccountId,
			parent: Option<T::AccountId>,
		) -> DispatchResult {
			let registrar = T::RegistrarOrigin::ensure_origin(origin)?;
			Self::ensure_may_act_on(&registrar, &who)?;
			Self::do_set_parent(who, parent)
		}

		/// Appoint an active participant as registrar for `region`. Governance only.
		///
		/// Emits `RegistrarAdded`. Errors: `NotRegistered`, `WrongStatus`, `InvalidRegion`,
		/// `AlreadyRegistrar`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::add_registrar())]
		pub fn add_registrar(
			origin: OriginFor<T>,
			registrar: T::AccountId,
			region: RegionCode,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_add_registrar(registrar, region)
		}

		/// Remove a registrar: it can no longer act. Its attestations keep counting until
		/// [`invalidate_attestations`](Pallet::invalidate_attestations). Governance only.
		///
		/// Emits `RegistrarRemoved`. Errors: `NotRegistrar`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::remove_registrar())]
		pub fn remove_registrar(origin: OriginFor<T>, registrar: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_remove_registrar(registrar)
		}

		/// Invalidate, in one call, every KYC attestation a removed registrar issued: the
		/// accounts count as unverified until a registrar attests them again. Governance only.
		///
		/// Emits `AttestationsInvalidated`. Errors: `NotRegistrar`, `RegistrarStillActive`,
		/// `AlreadyInvalidated`.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::invalidate_attestations())]
		pub fn invalidate_attestations(
			origin: OriginFor<T>,
			registrar: T::AccountId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_invalidate_attestations(registrar)
		}

		/// Register a signing key of the calling institution, valid from `valid_from` (now if
		/// `None`) until `valid_until` (open-ended if `None`). Revoked and expired keys are pruned
		/// if room is needed.
		///
		/// Emits `KeyRegistered`. Errors: `NotRegistered`, `NotOrganisation`, `KeyInUse`,
		/// `KeyAlreadyRegistered`, `InvalidValidity`, `TooManyKeys`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::register_key())]
		pub fn register_key(
			origin: OriginFor<T>,
			key: SigningKey,
			valid_from: Option<BlockNumberFor<T>>,
			valid_until: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			let institution = ensure_signed(origin)?;
			Self::do_register_key(institution, key, valid_from, valid_until)
		}

		/// Replace a valid key with a new one: the new key is valid from now, the old one for
		/// `overlap` more blocks (at most `MaxKeyOverlap`), so documents in flight still verify.
		///
		/// Emits `KeyRotated`. Errors: as `register_key`, plus `UnknownKey`, `KeyNotValid`,
		/// `OverlapTooLong`.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::rotate_key())]
		pub fn rotate_key(
			origin: OriginFor<T>,
			old: SigningKey,
			new: SigningKey,
			overlap: BlockNumberFor<T>,
		) -> DispatchResult {
			let institution = ensure_signed(origin)?;
			Self::do_rotate_key(institution, old, new, overlap)
		}

		/// Revoke one of the calling institution's keys: it never verifies again.
		///
		/// Emits `KeyRevoked`. Errors: `UnknownKey`, `KeyRevoked`.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::revoke_key())]
		pub fn revoke_key(origin: OriginFor<T>, key: SigningKey) -> DispatchResult {
			let institution = ensure_signed(origin)?;
			Self::do_revoke_key(institution.clone(), key, institution)
		}

		/// Revoke an institution's key (a compromised key). A registrar inside the institution's
		/// region, or a regulator.
		///
		/// Emits `KeyRevoked`. Errors: `NotRegistered`, `OutsideJurisdiction`, `UnknownKey`,
		/// `KeyRevoked`.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::force_revoke_key())]
		pub fn force_revoke_key(
			origin: OriginFor<T>,
			institution: T::AccountId,
			key: SigningKey,
		) -> DispatchResult {
			let by = Self::ensure_registrar_or_regulator(origin, &institution)?;
			Self::do_revoke_key(institution, key, by)
		}

		/// Register an account directly with any role, the privileged ones included (regulators,
		/// governance), and optionally a KYC tier attested by `attester`, an active registrar.
		/// Governance only.
		///
		/// Emits `Registered` (and `KycAttested`). Errors: as `register`, plus `NotRegistrar`.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::force_register())]
		pub fn force_register(
			origin: OriginFor<T>,
			who: T::AccountId,
			role: Role,
			identity: H256,
			region: RegionCode,
			parent: Option<T::AccountId>,
			kyc: Option<(T::AccountId, KycTier, BlockNumberFor<T>)>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let kyc = match kyc {
				Some((attester, tier, expires_at)) => {
					ensure!(
						Registrars::<T>::get(&attester).is_some_and(|r| r.active),
						Error::<T>::NotRegistrar
					);
					Some(Self::new_attestation(&attester, tier, expires_at)?)
				},
				None => None,
			};
			Self::do_register(who, role, identity, region, parent, kyc, None)
		}
	}
}

impl<T: Config> AccountRegistry<T::AccountId> for Pallet<T> {
	fn profile(who: &T::AccountId) -> Option<paychain_primitives::accounts::ParticipantProfile> {
		Self::profile_of(who)
	}

	fn parent(who: &T::AccountId) -> Option<T::AccountId> {
		Participants::<T>::get(who).and_then(|p| p.parent)
	}

	/// The record's status alone: unlike [`Self::profile`], no registrar is read for the tier.
	fn status(who: &T::AccountId) -> Option<ParticipantStatus> {
		Participants::<T>::get(who).map(|p| p.status)
	}

	fn is_ancestor(ancestor: &T::AccountId, who: &T::AccountId) -> bool {
		Self::ancestor_check(ancestor, who)
	}

	fn verify_institution_signature(
		institution: &T::AccountId,
		key: &SigningKey,
		payload: &[u8],
		signature: &sp_runtime::MultiSignature,
	) -> Result<(), paychain_primitives::accounts::KeyCheckError> {
		Self::do_verify_signature(institution, key, payload, signature)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmarks(who: &T::AccountId, role: Role, region: RegionCode, tier: KycTier) {
		Self::register_benchmark_participant(who, role, region, tier, None);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_child_for_benchmarks(
		who: &T::AccountId,
		role: Role,
		region: RegionCode,
		tier: KycTier,
		parent: &T::AccountId,
	) {
		Self::register_benchmark_participant(who, role, region, tier, Some(parent.clone()));
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Registers `who` as an active participant (under `parent`, if given) for other pallets'
	/// benchmarks; nothing if it is registered.
	fn register_benchmark_participant(
		who: &T::AccountId,
		role: Role,
		region: RegionCode,
		tier: KycTier,
		parent: Option<T::AccountId>,
	) {
		use sp_runtime::traits::{Bounded, Hash};
		if Participants::<T>::contains_key(who) {
			return;
		}
		let kyc = (tier != KycTier::Unverified).then(|| {
			let registrar = benchmarking::registrar::<T>();
			Self::new_attestation(&registrar, tier, Bounded::max_value())
				.expect("a future expiry and a verified tier")
		});
		let identity = sp_core::H256::from_slice(
			sp_runtime::traits::BlakeTwo256::hash_of(&(b"benchmark", who)).as_ref(),
		);
		Self::do_register(who.clone(), role, identity, region, parent, kyc, None)
			.expect("a fresh account in a valid region, under a valid parent, registers");
	}
}
