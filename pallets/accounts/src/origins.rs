//! Origins backed by the register: a registrar, or an active participant of a given role (a
//! regulator). The runtime wires them into this and the other pallets' `Config`.

use super::*;
use core::marker::PhantomData;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::RawOrigin;

/// A signed origin whose account is an active participant and an active registrar. Yields the
/// account.
pub struct EnsureRegistrar<T>(PhantomData<T>);

impl<T: Config> EnsureOrigin<T::RuntimeOrigin> for EnsureRegistrar<T> {
	type Success = T::AccountId;

	fn try_origin(o: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		let who = match o.clone().into() {
			Ok(RawOrigin::Signed(who)) => who,
			_ => return Err(o),
		};
		let is_registrar = Registrars::<T>::get(&who).is_some_and(|r| r.active)
			&& <Pallet<T> as AccountRegistry<_>>::is_active(&who);
		if is_registrar {
			Ok(who)
		} else {
			Err(o)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		let who = benchmarking::registrar::<T>();
		Ok(RawOrigin::Signed(who).into())
	}
}

/// The regulator role, for [`EnsureParticipantRole`].
pub struct RegulatorRole;
impl Get<Role> for RegulatorRole {
	fn get() -> Role {
		Role::Regulator
	}
}

/// A signed origin whose account is an active participant of the role `R`. Yields the account.
pub struct EnsureParticipantRole<T, R>(PhantomData<(T, R)>);

impl<T: Config, R: Get<Role>> EnsureOrigin<T::RuntimeOrigin> for EnsureParticipantRole<T, R> {
	type Success = T::AccountId;

	fn try_origin(o: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		let who = match o.clone().into() {
			Ok(RawOrigin::Signed(who)) => who,
			_ => return Err(o),
		};
		match Pallet::<T>::profile_of(&who) {
			Some(p) if p.status == ParticipantStatus::Active && p.role == R::get() => Ok(who),
			_ => Err(o),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		let who = benchmarking::participant_with_role::<T>(R::get(), "role-origin");
		Ok(RawOrigin::Signed(who).into())
	}
}
