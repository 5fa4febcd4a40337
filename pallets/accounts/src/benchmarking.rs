//! Benchmarks for every call and for the transaction extension, each in its worst case.

use super::*;
use crate::Pallet as Accounts;
use codec::Encode;
use frame_benchmarking::{account, v2::*, BenchmarkError};
use frame_support::{
	dispatch::{DispatchInfo, PostDispatchInfo},
	pallet_prelude::*,
	traits::{fungible::Mutate, EnsureOrigin},
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use paychain_primitives::accounts::ParticipantStatus;
use sp_core::{sr25519, H256};
use sp_runtime::{
	traits::{
		AsSystemOriginSigner, AsTransactionAuthorizedOrigin, BlakeTwo256, Bounded,
		DispatchTransaction, Dispatchable, Hash,
	},
	Saturating,
};

const SEED: u32 = 0;

/// A distinct identity commitment for an account.
fn identity_of<T: Config>(who: &T::AccountId) -> H256 {
	BlakeTwo256::hash_of(&(b"identity", who))
}

/// An account with plenty of money.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount = T::ApplicationDeposit::get().saturating_mul(1_000u32.into())
		+ <T::Currency as fungible::Inspect<_>>::minimum_balance().saturating_mul(1_000u32.into());
	T::Currency::set_balance(&who, amount);
	who
}

/// An active participant of `role` (not a finance department below the national level) in the
/// national region, without parent or KYC, registered directly.
pub(crate) fn participant_with_role<T: Config>(role: Role, name: &'static str) -> T::AccountId {
	let who = funded::<T>(name, 0);
	if !Participants::<T>::contains_key(&who) {
		let _ = Accounts::<T>::do_register(
			who.clone(),
			role,
			identity_of::<T>(&who),
			RegionCode::NATIONAL,
			None,
			None,
			None,
		);
	}
	who
}

/// An active registrar for the whole country (a clearing institution).
pub(crate) fn registrar<T: Config>() -> T::AccountId {
	let who = participant_with_role::<T>(Role::ClearingInstitution, "registrar");
	if !Registrars::<T>::contains_key(&who) {
		let _ = Accounts::<T>::do_add_registrar(who.clone(), RegionCode::NATIONAL);
	}
	who
}

fn registrar_origin<T: Config>() -> Result<(T::RuntimeOrigin, T::AccountId), BenchmarkError> {
	let origin =
		T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	let who = T::RegistrarOrigin::ensure_origin(origin.clone())
		.map_err(|_| BenchmarkError::Weightless)?;
	Ok((origin, who))
}

fn regulator_origin<T: Config>() -> Result<(T::RuntimeOrigin, T::AccountId), BenchmarkError> {
	let origin =
		T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	let who = T::RegulatorOrigin::ensure_origin(origin.clone())
		.map_err(|_| BenchmarkError::Weightless)?;
	Ok((origin, who))
}

fn admin_origin<T: Config>() -> Result<T::RuntimeOrigin, BenchmarkError> {
	T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)
}

/// An organisation to be a parent.
fn organisation<T: Config>() -> T::AccountId {
	participant_with_role::<T>(Role::PaymentInstitution, "organisation")
}

fn far_future<T: Config>() -> BlockNumberFor<T> {
	BlockNumberFor::<T>::max_value()
}

/// `who` applies as an individual under the organisation.
fn applied<T: Config>(who: &T::AccountId, parent: &T::AccountId) -> Result<(), BenchmarkError> {
	Accounts::<T>::do_apply(
		who.clone(),
		Role::Individual,
		identity_of::<T>(who),
		RegionCode::NATIONAL,
		Some(parent.clone()),
	)
	.map_err(|_| BenchmarkError::Stop("apply failed"))
}

/// An active individual under the organisation, applied (deposit held) and approved by a
/// second registrar (its attestation counted there).
fn member<T: Config>(name: &'static str) -> Result<(T::AccountId, T::AccountId), BenchmarkError> {
	let parent = organisation::<T>();
	let who = funded::<T>(name, 0);
	applied::<T>(&who, &parent)?;
	let attester = participant_with_role::<T>(Role::ClearingInstitution, "attester");
	Accounts::<T>::do_add_registrar(attester.clone(), RegionCode::NATIONAL)
		.map_err(|_| BenchmarkError::Stop("add registrar failed"))?;
	Accounts::<T>::do_approve(attester, who.clone(), KycTier::Basic, far_future::<T>())
		.map_err(|_| BenchmarkError::Stop("approve failed"))?;
	Ok((who, parent))
}

fn key(n: u32) -> SigningKey {
	let mut bytes = [0u8; 32];
	bytes[..4].copy_from_slice(&n.to_le_bytes());
	SigningKey::Sr25519(sr25519::Public::from_raw(bytes))
}

/// Fills the institution's key list to one short of full, all valid.
fn keys_but_one<T: Config>(institution: &T::AccountId) -> Result<(), BenchmarkError> {
	for i in 1..T::MaxKeysPerInstitution::get() {
		Accounts::<T>::do_register_key(institution.clone(), key(i), None, None)
			.map_err(|_| BenchmarkError::Stop("register key failed"))?;
	}
	Ok(())
}

#[benchmarks(where
	T: Send + Sync,
	<T as frame_system::Config>::RuntimeCall:
		Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo> + From<Call<T>>,
	<<T as frame_system::Config>::RuntimeCall as Dispatchable>::RuntimeOrigin:
		AsSystemOriginSigner<T::AccountId> + AsTransactionAuthorizedOrigin + Clone,
)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn apply() -> Result<(), BenchmarkError> {
		let parent = organisation::<T>();
		let who = funded::<T>("applicant", 0);
		let identity = identity_of::<T>(&who);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			Role::Individual,
			identity,
			RegionCode::NATIONAL,
			Some(parent),
		);

		assert_eq!(
			Participants::<T>::get(&who).map(|p| p.status),
			Some(ParticipantStatus::Pending)
		);
		Ok(())
	}

	#[benchmark]
	fn cancel_application() -> Result<(), BenchmarkError> {
		let parent = organisation::<T>();
		let who = funded::<T>("applicant", 0);
		applied::<T>(&who, &parent)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert!(!Participants::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn approve() -> Result<(), BenchmarkError> {
		let (origin, _) = registrar_origin::<T>()?;
		let parent = organisation::<T>();
		let who = funded::<T>("applicant", 0);
		applied::<T>(&who, &parent)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), KycTier::Standard, far_future::<T>());

		assert_eq!(Participants::<T>::get(&who).map(|p| p.status), Some(ParticipantStatus::Active));
		Ok(())
	}

	#[benchmark]
	fn reject() -> Result<(), BenchmarkError> {
		let (origin, _) = registrar_origin::<T>()?;
		let parent = organisation::<T>();
		let who = funded::<T>("applicant", 0);
		applied::<T>(&who, &parent)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert!(!Participants::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn register() -> Result<(), BenchmarkError> {
		let (origin, _) = registrar_origin::<T>()?;
		let parent = organisation::<T>();
		let who: T::AccountId = account("new", 0, SEED);
		let identity = identity_of::<T>(&who);

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			who.clone(),
			Role::Merchant,
			identity,
			RegionCode::NATIONAL,
			Some(parent),
			KycTier::Enhanced,
			far_future::<T>(),
		);

		assert!(Participants::<T>::contains_key(&who));
		Ok(())
	}

	#[benchmark]
	fn force_register() -> Result<(), BenchmarkError> {
		let origin = admin_origin::<T>()?;
		let attester = registrar::<T>();
		let parent = organisation::<T>();
		let who: T::AccountId = account("new", 0, SEED);
		let identity = identity_of::<T>(&who);

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			who.clone(),
			Role::Regulator,
			identity,
			RegionCode::NATIONAL,
			Some(parent),
			Some((attester, KycTier::Enhanced, far_future::<T>())),
		);

		assert!(Participants::<T>::contains_key(&who));
		Ok(())
	}

	// Through the regulator: the registrar origin is tried first, so this is the longer path.
	#[benchmark]
	fn suspend() -> Result<(), BenchmarkError> {
		let (origin, _) = regulator_origin::<T>()?;
		let (who, _) = member::<T>("member")?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert_eq!(
			Participants::<T>::get(&who).map(|p| p.status),
			Some(ParticipantStatus::Suspended)
		);
		Ok(())
	}

	#[benchmark]
	fn reactivate() -> Result<(), BenchmarkError> {
		let (origin, regulator) = regulator_origin::<T>()?;
		let (who, _) = member::<T>("member")?;
		Accounts::<T>::do_set_status(
			who.clone(),
			regulator,
			ParticipantStatus::Active,
			ParticipantStatus::Suspended,
		)
		.map_err(|_| BenchmarkError::Stop("suspend failed"))?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert_eq!(Participants::<T>::get(&who).map(|p| p.status), Some(ParticipantStatus::Active));
		Ok(())
	}

	#[benchmark]
	fn close() -> Result<(), BenchmarkError> {
		let (who, _) = member::<T>("member")?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));

		assert_eq!(Participants::<T>::get(&who).map(|p| p.status), Some(ParticipantStatus::Closed));
		Ok(())
	}

	#[benchmark]
	fn force_close() -> Result<(), BenchmarkError> {
		let (origin, _) = registrar_origin::<T>()?;
		let (who, _) = member::<T>("member")?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert_eq!(Participants::<T>::get(&who).map(|p| p.status), Some(ParticipantStatus::Closed));
		Ok(())
	}

	// Replaces another registrar's attestation.
	#[benchmark]
	fn attest_kyc() -> Result<(), BenchmarkError> {
		let (origin, registrar) = registrar_origin::<T>()?;
		let (who, _) = member::<T>("member")?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), KycTier::Enhanced, far_future::<T>());

		let attested_by = Participants::<T>::get(&who).and_then(|p| p.kyc).map(|k| k.attested_by);
		assert_eq!(attested_by, Some(registrar));
		Ok(())
	}

	#[benchmark]
	fn set_parent() -> Result<(), BenchmarkError> {
		let (origin, _) = registrar_origin::<T>()?;
		let (who, _) = member::<T>("member")?;
		let new_parent = participant_with_role::<T>(Role::Merchant, "new-parent");

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), Some(new_parent.clone()));

		assert!(Children::<T>::contains_key(&new_parent, &who));
		Ok(())
	}

	#[benchmark]
	fn add_registrar() -> Result<(), BenchmarkError> {
		let origin = admin_origin::<T>()?;
		let who = organisation::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), RegionCode::NATIONAL);

		assert!(Registrars::<T>::get(&who).is_some_and(|r| r.active));
		Ok(())
	}

	// A registrar with outstanding attestations stays, marked removed.
	#[benchmark]
	fn remove_registrar() -> Result<(), BenchmarkError> {
		let origin = admin_origin::<T>()?;
		let _ = member::<T>("member")?;
		let attester = participant_with_role::<T>(Role::ClearingInstitution, "attester");

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, attester.clone());

		assert!(Registrars::<T>::get(&attester).is_some_and(|r| !r.active));
		Ok(())
	}

	#[benchmark]
	fn invalidate_attestations() -> Result<(), BenchmarkError> {
		let origin = admin_origin::<T>()?;
		let _ = member::<T>("member")?;
		let attester = participant_with_role::<T>(Role::ClearingInstitution, "attester");
		Accounts::<T>::do_remove_registrar(attester.clone())
			.map_err(|_| BenchmarkError::Stop("remove registrar failed"))?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, attester.clone());

		assert!(Registrars::<T>::get(&attester).is_some_and(|r| r.invalidated));
		Ok(())
	}

	// The list is full of expired keys but one: registering prunes them.
	#[benchmark]
	fn register_key() -> Result<(), BenchmarkError> {
		let institution = organisation::<T>();
		let now = frame_system::Pallet::<T>::block_number();
		let later = now.saturating_add(1u32.into());
		for i in 1..=T::MaxKeysPerInstitution::get() {
			Accounts::<T>::do_register_key(institution.clone(), key(i), None, Some(later))
				.map_err(|_| BenchmarkError::Stop("register key failed"))?;
		}
		frame_system::Pallet::<T>::set_block_number(later);
		let new = key(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(institution.clone()), new.clone(), None, None);

		assert_eq!(KeyOwners::<T>::get(&new), Some(institution));
		Ok(())
	}

	#[benchmark]
	fn rotate_key() -> Result<(), BenchmarkError> {
		let institution = organisation::<T>();
		keys_but_one::<T>(&institution)?;
		let old = key(T::MaxKeysPerInstitution::get() - 1);
		let new = key(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(institution.clone()), old, new.clone(), T::MaxKeyOverlap::get());

		assert_eq!(KeyOwners::<T>::get(&new), Some(institution));
		Ok(())
	}

	#[benchmark]
	fn revoke_key() -> Result<(), BenchmarkError> {
		let institution = organisation::<T>();
		keys_but_one::<T>(&institution)?;
		let last = key(T::MaxKeysPerInstitution::get() - 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(institution.clone()), last.clone());

		let keys = InstitutionKeys::<T>::get(&institution);
		assert!(keys.iter().any(|k| k.key == last && k.revoked_at.is_some()));
		Ok(())
	}

	#[benchmark]
	fn force_revoke_key() -> Result<(), BenchmarkError> {
		let (origin, _) = regulator_origin::<T>()?;
		let institution = organisation::<T>();
		keys_but_one::<T>(&institution)?;
		let last = key(T::MaxKeysPerInstitution::get() - 1);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, institution.clone(), last.clone());

		let keys = InstitutionKeys::<T>::get(&institution);
		assert!(keys.iter().any(|k| k.key == last && k.revoked_at.is_some()));
		Ok(())
	}

	// The extension's check of an active participant's transaction.
	#[benchmark]
	fn check_participant() -> Result<(), BenchmarkError> {
		let (who, _) = member::<T>("member")?;
		let call: <T as frame_system::Config>::RuntimeCall = Call::<T>::close {}.into();
		let info = DispatchInfo { call_weight: Weight::zero(), ..Default::default() };
		let ext = CheckParticipant::<T>::new();
		assert!(ext.encode().is_empty());

		#[block]
		{
			ext.test_run(RawOrigin::Signed(who).into(), &call, &info, 0, 0, |_| Ok(().into()))
				.map_err(|_| BenchmarkError::Stop("the extension refused"))?
				.map_err(|_| BenchmarkError::Stop("the call failed"))?;
		}

		Ok(())
	}

	impl_benchmark_test_suite!(Accounts, mock::new_test_ext(), mock::Test);
}
