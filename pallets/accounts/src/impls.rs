//! The logic behind the calls: every `do_*` checks everything before its first write.

use super::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::Precision,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use paychain_primitives::accounts::{KeyCheckError, ParticipantProfile};
use sp_core::H256;
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	MultiSignature,
};

/// The most entries a runtime-API page returns.
pub const MAX_PAGE: u32 = 100;

impl<T: Config> Pallet<T> {
	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// Registers `who` directly as an active participant (genesis, registrars, governance).
	pub(crate) fn do_register(
		who: T::AccountId,
		role: Role,
		identity: H256,
		region: RegionCode,
		parent: Option<T::AccountId>,
		kyc: Option<AttestationOf<T>>,
		by: Option<T::AccountId>,
	) -> DispatchResult {
		Self::ensure_may_join(&who, identity, region)?;
		let depth = Self::validate_parent(role, region, parent.as_ref())?;
		let attester = match &kyc {
			Some(att) => Some(Self::counted_attestation(&att.attested_by)?),
			None => None,
		};

		let now = Self::now();
		if let Some((registrar, info)) = attester {
			Registrars::<T>::insert(registrar, info);
		}
		Self::link_parent(&who, parent.as_ref());
		RoleMembers::<T>::insert(role, &who, ());
		IdentityOwners::<T>::insert(identity, &who);
		let attested = kyc.as_ref().map(|a| (a.attested_by.clone(), a.tier, a.expires_at));
		Participants::<T>::insert(
			&who,
			Participant {
				role,
				status: ParticipantStatus::Active,
				identity,
				region,
				parent,
				depth,
				kyc,
				deposit: Zero::zero(),
				approved_by: by.clone(),
				registered_at: now,
				approved_at: Some(now),
			},
		);
		Self::deposit_event(Event::Registered { who: who.clone(), role, region, by });
		if let Some((registrar, tier, expires_at)) = attested {
			Self::deposit_event(Event::KycAttested { who, registrar, tier, expires_at });
		}
		Ok(())
	}

	pub(crate) fn do_apply(
		who: T::AccountId,
		role: Role,
		identity: H256,
		region: RegionCode,
		parent: Option<T::AccountId>,
	) -> DispatchResult {
		ensure!(!role.is_privileged(), Error::<T>::PrivilegedRole);
		Self::ensure_may_join(&who, identity, region)?;
		let depth = Self::validate_parent(role, region, parent.as_ref())?;
		let deposit = T::ApplicationDeposit::get();
		let reason = HoldReason::ApplicationDeposit.into();
		T::Currency::ensure_can_hold(&reason, &who, deposit)
			.map_err(|_| Error::<T>::CannotAffordDeposit)?;

		T::Currency::hold(&reason, &who, deposit)?;
		RoleMembers::<T>::insert(role, &who, ());
		IdentityOwners::<T>::insert(identity, &who);
		Participants::<T>::insert(
			&who,
			Participant {
				role,
				status: ParticipantStatus::Pending,
				identity,
				region,
				parent,
				depth,
				kyc: None,
				deposit,
				approved_by: None,
				registered_at: Self::now(),
				approved_at: None,
			},
		);
		Self::deposit_event(Event::Applied { who, role, region, deposit });
		Ok(())
	}

	/// Ends a pending application: cancelled by the applicant (`registrar` is `None`) or
	/// rejected by a registrar. The deposit returns and the record goes.
	pub(crate) fn do_end_application(
		who: T::AccountId,
		registrar: Option<T::AccountId>,
	) -> DispatchResult {
		let record = match &registrar {
			Some(registrar) => Self::ensure_may_act_on(registrar, &who)?,
			None => Participants::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?,
		};
		ensure!(record.status == ParticipantStatus::Pending, Error::<T>::WrongStatus);

		Self::release_deposit(&who, record.deposit)?;
		RoleMembers::<T>::remove(record.role, &who);
		IdentityOwners::<T>::remove(record.identity);
		Participants::<T>::remove(&who);
		let deposit = record.deposit;
		Self::deposit_event(match registrar {
			Some(registrar) => Event::Rejected { who, registrar, deposit },
			None => Event::ApplicationCancelled { who, deposit },
		});
		Ok(())
	}

	pub(crate) fn do_approve(
		registrar: T::AccountId,
		who: T::AccountId,
		tier: KycTier,
		expires_at: BlockNumberFor<T>,
	) -> DispatchResult {
		let mut record = Self::ensure_may_act_on(&registrar, &who)?;
		ensure!(record.status == ParticipantStatus::Pending, Error::<T>::WrongStatus);
		let kyc = Self::new_attestation(&registrar, tier, expires_at)?;
		let depth = Self::validate_parent(record.role, record.region, record.parent.as_ref())?;
		let counted = Self::counted_attestation(&registrar)?;

		let now = Self::now();
		Registrars::<T>::insert(counted.0, counted.1);
		Self::link_parent(&who, record.parent.as_ref());
		record.status = ParticipantStatus::Active;
		record.depth = depth;
		record.kyc = Some(kyc);
		record.approved_by = Some(registrar.clone());
		record.approved_at = Some(now);
		Participants::<T>::insert(&who, record);
		Self::deposit_event(Event::Approved {
			who: who.clone(),
			registrar: registrar.clone(),
			tier,
		});
		Self::deposit_event(Event::KycAttested { who, registrar, tier, expires_at });
		Ok(())
	}

	pub(crate) fn do_set_status(
		who: T::AccountId,
		by: T::AccountId,
		from: ParticipantStatus,
		to: ParticipantStatus,
	) -> DispatchResult {
		let mut record = Participants::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(record.status == from, Error::<T>::WrongStatus);
		record.status = to;
		Participants::<T>::insert(&who, record);
		Self::deposit_event(match to {
			ParticipantStatus::Suspended => Event::Suspended { who, by },
			_ => Event::Reactivated { who, by },
		});
		Ok(())
	}

	pub(crate) fn do_close(who: T::AccountId, by: T::AccountId) -> DispatchResult {
		let mut record = Participants::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(
			matches!(record.status, ParticipantStatus::Active | ParticipantStatus::Suspended),
			Error::<T>::WrongStatus
		);
		ensure!(ChildCount::<T>::get(&who).is_zero(), Error::<T>::HasChildren);
		ensure!(!Registrars::<T>::get(&who).is_some_and(|r| r.active), Error::<T>::IsRegistrar);
		ensure!(
			T::Currency::total_balance_on_hold(&who) <= record.deposit,
			Error::<T>::FundsInCustody
		);
		ensure!(!T::Obligations::has_obligations(&who), Error::<T>::OpenObligations);

		Self::release_deposit(&who, record.deposit)?;
		Self::unlink_parent(&who, record.parent.as_ref());
		if let Some(att) = record.kyc.take() {
			Self::forget_attestation(&att.attested_by);
		}
		RoleMembers::<T>::remove(record.role, &who);
		IdentityOwners::<T>::remove(record.identity);
		let deposit = core::mem::take(&mut record.deposit);
		record.status = ParticipantStatus::Closed;
		record.parent = None;
		record.depth = 0;
		Participants::<T>::insert(&who, record);
		Self::deposit_event(Event::Closed { who, by, deposit });
		Ok(())
	}

	pub(crate) fn do_attest_kyc(
		registrar: T::AccountId,
		who: T::AccountId,
		tier: KycTier,
		expires_at: BlockNumberFor<T>,
	) -> DispatchResult {
		let mut record = Self::ensure_may_act_on(&registrar, &who)?;
		ensure!(
			matches!(record.status, ParticipantStatus::Active | ParticipantStatus::Suspended),
			Error::<T>::WrongStatus
		);
		let kyc = Self::new_attestation(&registrar, tier, expires_at)?;
		let counted = Self::counted_attestation(&registrar)?;

		Registrars::<T>::insert(counted.0, counted.1);
		if let Some(old) = record.kyc.replace(kyc) {
			Self::forget_attestation(&old.attested_by);
		}
		Participants::<T>::insert(&who, record);
		Self::deposit_event(Event::KycAttested { who, registrar, tier, expires_at });
		Ok(())
	}

	pub(crate) fn do_set_parent(who: T::AccountId, parent: Option<T::AccountId>) -> DispatchResult {
		let mut record = Participants::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(
			matches!(record.status, ParticipantStatus::Active | ParticipantStatus::Suspended),
			Error::<T>::WrongStatus
		);
		ensure!(ChildCount::<T>::get(&who).is_zero(), Error::<T>::HasChildren);
		ensure!(parent.as_ref() != Some(&who), Error::<T>::WouldCreateCycle);
		let depth = Self::validate_parent(record.role, record.region, parent.as_ref())?;

		let old = record.parent.clone();
		Self::unlink_parent(&who, old.as_ref());
		Self::link_parent(&who, parent.as_ref());
		record.parent = parent.clone();
		record.depth = depth;
		Participants::<T>::insert(&who, record);
		Self::deposit_event(Event::ParentChanged { who, old, new: parent });
		Ok(())
	}

	pub(crate) fn do_add_registrar(registrar: T::AccountId, region: RegionCode) -> DispatchResult {
		let record = Participants::<T>::get(&registrar).ok_or(Error::<T>::NotRegistered)?;
		ensure!(record.status == ParticipantStatus::Active, Error::<T>::WrongStatus);
		ensure!(region.is_valid(), Error::<T>::InvalidRegion);
		let info = match Registrars::<T>::get(&registrar) {
			Some(info) if info.active => return Err(Error::<T>::AlreadyRegistrar.into()),
			// Its old attestations are void; new ones could not be told apart from them.
			Some(info) if info.invalidated => return Err(Error::<T>::AlreadyInvalidated.into()),
			Some(info) => RegistrarInfo { region, active: true, ..info },
			None => RegistrarInfo { region, active: true, invalidated: false, attestations: 0 },
		};
		Registrars::<T>::insert(&registrar, info);
		Self::deposit_event(Event::RegistrarAdded { registrar, region });
		Ok(())
	}

	pub(crate) fn do_remove_registrar(registrar: T::AccountId) -> DispatchResult {
		let mut info = Registrars::<T>::get(&registrar)
			.filter(|info| info.active)
			.ok_or(Error::<T>::NotRegistrar)?;
		if info.attestations.is_zero() {
			Registrars::<T>::remove(&registrar);
		} else {
			info.active = false;
			Registrars::<T>::insert(&registrar, info);
		}
		Self::deposit_event(Event::RegistrarRemoved { registrar });
		Ok(())
	}

	pub(crate) fn do_invalidate_attestations(registrar: T::AccountId) -> DispatchResult {
		let mut info = Registrars::<T>::get(&registrar).ok_or(Error::<T>::NotRegistrar)?;
		ensure!(!info.active, Error::<T>::RegistrarStillActive);
		ensure!(!info.invalidated, Error::<T>::AlreadyInvalidated);
		info.invalidated = true;
		let attestations = info.attestations;
		Registrars::<T>::insert(&registrar, info);
		Self::deposit_event(Event::AttestationsInvalidated { registrar, attestations });
		Ok(())
	}

	pub(crate) fn do_register_key(
		institution: T::AccountId,
		key: SigningKey,
		valid_from: Option<BlockNumberFor<T>>,
		valid_until: Option<BlockNumberFor<T>>,
	) -> DispatchResult {
		Self::ensure_active_organisation(&institution)?;
		let now = Self::now();
		let valid_from = valid_from.unwrap_or(now);
		ensure!(
			valid_until.is_none_or(|until| until > valid_from && until > now),
			Error::<T>::InvalidValidity
		);
		Self::ensure_key_unused(&institution, &key)?;
		let mut keys = InstitutionKeys::<T>::get(&institution);
		Self::push_key(
			&mut keys,
			InstitutionKey { key: key.clone(), valid_from, valid_until, revoked_at: None },
			now,
		)?;

		InstitutionKeys::<T>::insert(&institution, keys);
		KeyOwners::<T>::insert(&key, &institution);
		Self::deposit_event(Event::KeyRegistered { institution, key, valid_from, valid_until });
		Ok(())
	}

	pub(crate) fn do_rotate_key(
		institution: T::AccountId,
		old: SigningKey,
		new: SigningKey,
		overlap: BlockNumberFor<T>,
	) -> DispatchResult {
		Self::ensure_active_organisation(&institution)?;
		ensure!(overlap <= T::MaxKeyOverlap::get(), Error::<T>::OverlapTooLong);
		let now = Self::now();
		let until = now.checked_add(&overlap).ok_or(Error::<T>::Overflow)?;
		let mut keys = InstitutionKeys::<T>::get(&institution);
		let current = keys.iter_mut().find(|k| k.key == old).ok_or(Error::<T>::UnknownKey)?;
		ensure!(current.is_valid_at(now), Error::<T>::KeyNotValid);
		let old_valid_until = current.valid_until.map_or(until, |u| u.min(until));
		current.valid_until = Some(old_valid_until);
		Self::ensure_key_unused(&institution, &new)?;
		Self::push_key(
			&mut keys,
			InstitutionKey {
				key: new.clone(),
				valid_from: now,
				valid_until: None,
				revoked_at: None,
			},
			now,
		)?;

		InstitutionKeys::<T>::insert(&institution, keys);
		KeyOwners::<T>::insert(&new, &institution);
		Self::deposit_event(Event::KeyRotated { institution, old, new, old_valid_until });
		Ok(())
	}

	pub(crate) fn do_revoke_key(
		institution: T::AccountId,
		key: SigningKey,
		by: T::AccountId,
	) -> DispatchResult {
		let now = Self::now();
		let mut keys = InstitutionKeys::<T>::get(&institution);
		let entry = keys.iter_mut().find(|k| k.key == key).ok_or(Error::<T>::UnknownKey)?;
		ensure!(entry.revoked_at.is_none(), Error::<T>::KeyRevoked);
		entry.revoked_at = Some(now);
		InstitutionKeys::<T>::insert(&institution, keys);
		Self::deposit_event(Event::KeyRevoked { institution, key, by });
		Ok(())
	}

	pub(crate) fn do_verify_signature(
		institution: &T::AccountId,
		key: &SigningKey,
		payload: &[u8],
		signature: &MultiSignature,
	) -> Result<(), KeyCheckError> {
		let active = Participants::<T>::get(institution)
			.is_some_and(|p| p.status == ParticipantStatus::Active);
		if !active {
			return Err(KeyCheckError::InstitutionNotActive);
		}
		let keys = InstitutionKeys::<T>::get(institution);
		let entry = keys.iter().find(|k| &k.key == key).ok_or(KeyCheckError::UnknownKey)?;
		if entry.revoked_at.is_some() {
			return Err(KeyCheckError::Revoked);
		}
		if !entry.is_valid_at(Self::now()) {
			return Err(KeyCheckError::OutsideValidity);
		}
		if !key.verify(payload, signature) {
			return Err(KeyCheckError::BadSignature);
		}
		Ok(())
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) of the organisation's children with their records,
	/// after `start_after`, in storage order.
	pub fn children_page(
		organisation: &T::AccountId,
		start_after: Option<T::AccountId>,
		limit: u32,
	) -> Vec<(T::AccountId, ParticipantOf<T>)> {
		let keys = match start_after {
			Some(last) => Children::<T>::iter_key_prefix_from(
				organisation,
				Children::<T>::hashed_key_for(organisation, last),
			),
			None => Children::<T>::iter_key_prefix(organisation),
		};
		Self::with_records(keys, limit)
	}

	/// Up to `limit` (at most [`MAX_PAGE`]) open participants of `role` with their records,
	/// after `start_after`, in storage order.
	pub fn members_page(
		role: Role,
		start_after: Option<T::AccountId>,
		limit: u32,
	) -> Vec<(T::AccountId, ParticipantOf<T>)> {
		let keys = match start_after {
			Some(last) => RoleMembers::<T>::iter_key_prefix_from(
				role,
				RoleMembers::<T>::hashed_key_for(role, last),
			),
			None => RoleMembers::<T>::iter_key_prefix(role),
		};
		Self::with_records(keys, limit)
	}

	fn with_records(
		keys: impl Iterator<Item = T::AccountId>,
		limit: u32,
	) -> Vec<(T::AccountId, ParticipantOf<T>)> {
		keys.take(limit.min(MAX_PAGE) as usize)
			.filter_map(|who| Participants::<T>::get(&who).map(|record| (who, record)))
			.collect()
	}

	/// What the other pallets see of `who`.
	pub fn profile_of(who: &T::AccountId) -> Option<ParticipantProfile> {
		let record = Participants::<T>::get(who)?;
		let tier = Self::effective_tier(record.kyc.as_ref());
		Some(ParticipantProfile {
			role: record.role,
			status: record.status,
			tier,
			region: record.region,
		})
	}

	/// The tier an attestation stands for now: `Unverified` once it expired or its registrar's
	/// attestations were invalidated.
	pub fn effective_tier(kyc: Option<&AttestationOf<T>>) -> KycTier {
		match kyc {
			Some(att) if Self::now() < att.expires_at => {
				match Registrars::<T>::get(&att.attested_by) {
					Some(info) if !info.invalidated => att.tier,
					_ => KycTier::Unverified,
				}
			},
			_ => KycTier::Unverified,
		}
	}

	/// Whether `ancestor` is a strict ancestor of `who`: at most `MaxDepth` reads.
	pub fn ancestor_check(ancestor: &T::AccountId, who: &T::AccountId) -> bool {
		let mut current = who.clone();
		for _ in 0..=T::MaxDepth::get() {
			match Participants::<T>::get(&current).and_then(|p| p.parent) {
				Some(parent) if &parent == ancestor => return true,
				Some(parent) => current = parent,
				None => return false,
			}
		}
		false
	}

	/// The origin is a registrar that may act on `who` (inside its region, not itself) or a
	/// regulator (anywhere, not itself); yields its account.
	pub(crate) fn ensure_registrar_or_regulator(
		origin: T::RuntimeOrigin,
		who: &T::AccountId,
	) -> Result<T::AccountId, DispatchError> {
		match T::RegistrarOrigin::try_origin(origin) {
			Ok(registrar) => {
				Self::ensure_may_act_on(&registrar, who)?;
				Ok(registrar)
			},
			Err(origin) => {
				let regulator = T::RegulatorOrigin::ensure_origin(origin)?;
				ensure!(&regulator != who, Error::<T>::ActingOnSelf);
				ensure!(Participants::<T>::contains_key(who), Error::<T>::NotRegistered);
				Ok(regulator)
			},
		}
	}

	/// `registrar` may act on `who`: not itself, `who` registered inside its region. Yields
	/// `who`'s record.
	pub(crate) fn ensure_may_act_on(
		registrar: &T::AccountId,
		who: &T::AccountId,
	) -> Result<ParticipantOf<T>, DispatchError> {
		ensure!(registrar != who, Error::<T>::ActingOnSelf);
		let record = Participants::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
		Self::ensure_in_jurisdiction(registrar, record.region)?;
		Ok(record)
	}

	pub(crate) fn ensure_in_jurisdiction(
		registrar: &T::AccountId,
		region: RegionCode,
	) -> DispatchResult {
		let info = Registrars::<T>::get(registrar).ok_or(Error::<T>::NotRegistrar)?;
		ensure!(info.region.contains(region), Error::<T>::OutsideJurisdiction);
		Ok(())
	}

	/// A fresh attestation by `registrar`, checked.
	pub(crate) fn new_attestation(
		registrar: &T::AccountId,
		tier: KycTier,
		expires_at: BlockNumberFor<T>,
	) -> Result<AttestationOf<T>, DispatchError> {
		ensure!(tier != KycTier::Unverified, Error::<T>::UnverifiedTier);
		let now = Self::now();
		ensure!(expires_at > now, Error::<T>::ExpiryInPast);
		Ok(KycAttestation { tier, expires_at, attested_by: registrar.clone(), attested_at: now })
	}

	/// The registrar's entry with one more attestation counted, to be written by the caller.
	fn counted_attestation(
		registrar: &T::AccountId,
	) -> Result<(T::AccountId, RegistrarInfo), DispatchError> {
		let mut info = Registrars::<T>::get(registrar).ok_or(Error::<T>::NotRegistrar)?;
		info.attestations = info.attestations.checked_add(1).ok_or(Error::<T>::Overflow)?;
		Ok((registrar.clone(), info))
	}

	/// An attestation by `registrar` no longer exists; a removed registrar with none left goes.
	fn forget_attestation(registrar: &T::AccountId) {
		Registrars::<T>::mutate_exists(registrar, |entry| {
			if let Some(info) = entry {
				if info.attestations.is_zero() {
					defensive!("an attestation its registrar did not count");
				}
				info.attestations.saturating_dec();
				if !info.active && info.attestations.is_zero() {
					*entry = None;
				}
			}
		});
	}

	/// `who` may become a participant with this identity in this region.
	fn ensure_may_join(who: &T::AccountId, identity: H256, region: RegionCode) -> DispatchResult {
		ensure!(
			Participants::<T>::get(who).is_none_or(|p| p.status == ParticipantStatus::Closed),
			Error::<T>::AlreadyRegistered
		);
		ensure!(region.is_valid(), Error::<T>::InvalidRegion);
		ensure!(!IdentityOwners::<T>::contains_key(identity), Error::<T>::IdentityInUse);
		Ok(())
	}

	/// Checks that `parent` may be the parent of a participant of `role` in `region`; yields the
	/// child's depth.
	pub(crate) fn validate_parent(
		role: Role,
		region: RegionCode,
		parent: Option<&T::AccountId>,
	) -> Result<u32, DispatchError> {
		let wanted_level = match role {
			Role::FinanceDepartment(level) => {
				ensure!(region.level() == level, Error::<T>::RegionLevelMismatch);
				match level.above() {
					None => {
						ensure!(parent.is_none(), Error::<T>::ParentWrongLevel);
						return Ok(0);
					},
					Some(above) => {
						ensure!(parent.is_some(), Error::<T>::ParentRequired);
						Some(above)
					},
				}
			},
			_ => None,
		};
		let Some(parent) = parent else { return Ok(0) };
		let record = Participants::<T>::get(parent).ok_or(Error::<T>::UnknownParent)?;
		ensure!(record.status == ParticipantStatus::Active, Error::<T>::ParentNotActive);
		ensure!(record.role.is_organisation(), Error::<T>::ParentNotOrganisation);
		if let Some(above) = wanted_level {
			ensure!(record.role == Role::FinanceDepartment(above), Error::<T>::ParentWrongLevel);
			ensure!(record.region.contains(region), Error::<T>::ParentWrongRegion);
		}
		let depth = record.depth.checked_add(1).ok_or(Error::<T>::Overflow)?;
		ensure!(depth <= T::MaxDepth::get(), Error::<T>::TooDeep);
		Ok(depth)
	}

	fn ensure_active_organisation(who: &T::AccountId) -> DispatchResult {
		let record = Participants::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(record.status == ParticipantStatus::Active, Error::<T>::WrongStatus);
		ensure!(record.role.is_organisation(), Error::<T>::NotOrganisation);
		Ok(())
	}

	fn ensure_key_unused(institution: &T::AccountId, key: &SigningKey) -> DispatchResult {
		match KeyOwners::<T>::get(key) {
			Some(owner) if &owner == institution => Err(Error::<T>::KeyAlreadyRegistered.into()),
			Some(_) => Err(Error::<T>::KeyInUse.into()),
			None => Ok(()),
		}
	}

	/// Adds a key, pruning revoked and expired ones if the list is full.
	fn push_key(
		keys: &mut BoundedVec<InstitutionKeyOf<T>, T::MaxKeysPerInstitution>,
		key: InstitutionKeyOf<T>,
		now: BlockNumberFor<T>,
	) -> DispatchResult {
		if keys.is_full() {
			keys.retain(|k| k.revoked_at.is_none() && k.valid_until.is_none_or(|u| u > now));
		}
		keys.try_push(key).map_err(|_| Error::<T>::TooManyKeys.into())
	}

	fn link_parent(who: &T::AccountId, parent: Option<&T::AccountId>) {
		if let Some(parent) = parent {
			Children::<T>::insert(parent, who, ());
			ChildCount::<T>::mutate(parent, |n| n.saturating_inc());
		}
	}

	fn unlink_parent(who: &T::AccountId, parent: Option<&T::AccountId>) {
		if let Some(parent) = parent {
			Children::<T>::remove(parent, who);
			ChildCount::<T>::mutate_exists(parent, |n| {
				let left = n.unwrap_or_default().saturating_sub(1);
				*n = (!left.is_zero()).then_some(left);
			});
		}
	}

	fn release_deposit(who: &T::AccountId, deposit: BalanceOf<T>) -> DispatchResult {
		if deposit.is_zero() {
			return Ok(());
		}
		T::Currency::release(&HoldReason::ApplicationDeposit.into(), who, deposit, Precision::Exact)
			.map(|_| ())
	}

	/// The pallet's invariants:
	/// - each participant's recorded deposit is exactly what is held from it under
	///   `ApplicationDeposit`; closed participants hold none;
	/// - identities, role membership and the organisation tree index exactly the open
	///   participants; child counts match the children; every parent is an active or suspended
	///   organisation one level deeper up, finance departments one level and region apart;
	/// - the tree has no cycles (every walk up ends within `MaxDepth` steps);
	/// - each registrar's count of attestations matches the attestations it issued, and a removed
	///   registrar stays only while it has some;
	/// - every registered key belongs to exactly the institution listing it.
	#[cfg(any(feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		let reason = HoldReason::ApplicationDeposit.into();
		let mut open = 0u32;
		let mut children = 0u32;
		let mut attestations: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (who, p) in Participants::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&reason, &who) == p.deposit,
				"the held deposit differs from the recorded one"
			);
			let is_open = p.status != ParticipantStatus::Closed;
			let in_tree =
				matches!(p.status, ParticipantStatus::Active | ParticipantStatus::Suspended);
			if is_open {
				open += 1;
				ensure!(
					IdentityOwners::<T>::get(p.identity).as_ref() == Some(&who),
					"an open participant's identity is not indexed to it"
				);
				ensure!(RoleMembers::<T>::contains_key(p.role, &who), "a member missing its role");
			} else {
				ensure!(p.deposit.is_zero(), "a closed participant still has a deposit");
				ensure!(p.kyc.is_none() && p.parent.is_none(), "a closed participant still linked");
				ensure!(!RoleMembers::<T>::contains_key(p.role, &who), "a closed role member");
			}
			if let Some(att) = &p.kyc {
				*attestations.entry(att.attested_by.clone()).or_default() += 1;
			}
			match (&p.parent, in_tree) {
				(Some(parent), true) => {
					children += 1;
					ensure!(Children::<T>::contains_key(parent, &who), "a child not in the tree");
					let up =
						Participants::<T>::get(parent).ok_or("a parent that does not exist")?;
					ensure!(
						matches!(
							up.status,
							ParticipantStatus::Active | ParticipantStatus::Suspended
						) && up.role.is_organisation(),
						"a parent that is not an open organisation"
					);
					ensure!(p.depth == up.depth + 1, "a depth inconsistent with its parent's");
					if let Role::FinanceDepartment(level) = p.role {
						ensure!(
							level.above().map(Role::FinanceDepartment) == Some(up.role)
								&& up.region.contains(p.region)
								&& p.region.level() == level,
							"a finance department at the wrong level or region"
						);
					}
				},
				(None, true) => ensure!(p.depth == 0, "a root with a depth"),
				_ => {},
			}
			ensure!(p.depth <= T::MaxDepth::get(), "a participant deeper than MaxDepth");
			ensure!(!Self::ancestor_check(&who, &who), "a cycle in the organisation tree");
		}
		ensure!(IdentityOwners::<T>::iter().count() as u32 == open, "stale identity entries");
		ensure!(RoleMembers::<T>::iter().count() as u32 == open, "stale role members");
		let mut counted = 0u32;
		for (parent, count) in ChildCount::<T>::iter() {
			ensure!(
				Children::<T>::iter_prefix(&parent).count() as u32 == count && count > 0,
				"a child count differs from the children"
			);
			counted += count;
		}
		ensure!(counted == children, "children outside the counts");
		ensure!(Children::<T>::iter().count() as u32 == children, "stale children entries");
		for (registrar, info) in Registrars::<T>::iter() {
			ensure!(
				attestations.remove(&registrar).unwrap_or_default() == info.attestations,
				"a registrar's attestation count is wrong"
			);
			ensure!(info.active || info.attestations > 0, "a removed registrar left behind");
		}
		ensure!(attestations.is_empty(), "attestations by unknown registrars");
		for (institution, keys) in InstitutionKeys::<T>::iter() {
			for (i, k) in keys.iter().enumerate() {
				ensure!(
					KeyOwners::<T>::get(&k.key).as_ref() == Some(&institution),
					"a key listed by an institution that does not own it"
				);
				ensure!(!keys.iter().skip(i + 1).any(|o| o.key == k.key), "a key listed twice");
			}
		}
		Ok(())
	}
}
