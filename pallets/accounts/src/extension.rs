//! [`CheckParticipant`]: the transaction extension that makes the chain permissioned.

use super::*;
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::{TransactionSource, Weight},
	traits::{IsSubType, IsType, OriginTrait},
	DefaultNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::{
	impl_tx_ext_default,
	traits::{DispatchInfoOf, TransactionExtension, ValidateResult},
	transaction_validity::{InvalidTransaction, ValidTransaction},
};

/// `InvalidTransaction::Custom` code: the signer is not a participant. Apply first
/// (`Accounts.apply`).
pub const NOT_A_PARTICIPANT: u8 = 20;

/// `InvalidTransaction::Custom` code: the signer is a participant that is not active (its
/// application is pending, or it is suspended or closed).
pub const NOT_ACTIVE: u8 = 21;

/// Rejects, at the transaction pool and again in the block, signed transactions from accounts
/// that are not active participants — except [`Call::apply`] and [`Call::cancel_application`],
/// the way in. Unsigned transactions and inherents pass; root is not a signer.
///
/// It adds nothing to the signed payload (no explicit or implicit data): stock wallets sign
/// without knowing about it.
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckParticipant<T>(PhantomData<T>);

impl<T> CheckParticipant<T> {
	/// The extension.
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> core::fmt::Debug for CheckParticipant<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckParticipant")
	}
}

impl<T: Config + Send + Sync> TransactionExtension<<T as frame_system::Config>::RuntimeCall>
	for CheckParticipant<T>
{
	const IDENTIFIER: &'static str = "CheckParticipant";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, _: &<T as frame_system::Config>::RuntimeCall) -> Weight {
		T::WeightInfo::check_participant()
	}

	fn validate(
		&self,
		origin: <T as frame_system::Config>::RuntimeOrigin,
		call: &<T as frame_system::Config>::RuntimeCall,
		_info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, <T as frame_system::Config>::RuntimeCall> {
		if let Some(who) = origin.as_signer() {
			let status = Participants::<T>::get(who).map(|p| p.status);
			if status != Some(ParticipantStatus::Active) {
				let call = <T as Config>::RuntimeCall::from_ref(call);
				let way_in = matches!(
					call.is_sub_type(),
					Some(Call::apply { .. } | Call::cancel_application { .. })
				);
				if !way_in {
					let code = if status.is_none() { NOT_A_PARTICIPANT } else { NOT_ACTIVE };
					return Err(InvalidTransaction::Custom(code).into());
				}
			}
		}
		Ok((ValidTransaction::default(), (), origin))
	}

	impl_tx_ext_default!(<T as frame_system::Config>::RuntimeCall; prepare);
}
