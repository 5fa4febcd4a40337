//! [`CheckCompliance`]: refuses, at the transaction pool, the transfers the rules would block.

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
	traits::{DispatchInfoOf, StaticLookup, TransactionExtension, ValidateResult},
	transaction_validity::{InvalidTransaction, TransactionValidityError, ValidTransaction},
};

/// The first `InvalidTransaction::Custom` code of a blocked transfer; the codes follow the
/// order of [`Error`]'s blocking variants (see [`blocked_code`]).
pub const BLOCKED_BASE: u8 = 30;

/// The `InvalidTransaction::Custom` code for a transfer the check refuses with `error`:
/// 30 sender listed, 31 recipient listed, 32 sender frozen, 33 recipient frozen, 34 sender not
/// participating, 35 recipient not participating, 36 velocity, 37 structuring, 38 dormancy,
/// 39 fan-out, 40 fan-in, 41 zero amount, 42 transfer to oneself. The runtime API's `preflight`
/// names the rule.
pub fn blocked_code<T: Config>(error: &Error<T>) -> u8 {
	let offset = match error {
		Error::SenderListed => 0,
		Error::RecipientListed => 1,
		Error::SenderFrozen => 2,
		Error::RecipientFrozen => 3,
		Error::SenderNotParticipating => 4,
		Error::RecipientNotParticipating => 5,
		Error::VelocityLimitExceeded => 6,
		Error::StructuringSuspected => 7,
		Error::DormantAccountActive => 8,
		Error::FanOutExceeded => 9,
		Error::FanInExceeded => 10,
		Error::ZeroAmount => 11,
		Error::SelfTransfer => 12,
		_ => 13,
	};
	BLOCKED_BASE + offset
}

/// Runs the compliance rules on the pallet's own transfers (a bulk transfer's payments in order,
/// each on the counters the ones before it left) when they reach the pool, and each time the
/// pool revalidates them: a transfer the rules would block is refused there, with a
/// custom invalid-transaction code ([`blocked_code`]), so it never enters a block, costs its
/// sender no fee and moves nothing.
///
/// Only the rules that can refuse are run there: when no rule with counters in force for the
/// sender has the action `Block` (the usual case for an institution), a transfer can be refused
/// only by its gates — amount, parties, listings, freezes, participation — and those are all
/// the pool checks; the recipients' counters are then not read, and no counters are carried
/// from payment to payment.
///
/// Inside a block (`TransactionSource::InBlock`) it does not run the rules: the call runs them
/// anyway, on the state of that moment, before any money moves, and a transfer they block fails
/// there with the rule's error, its fee paid. Its weight is what it costs there (its benchmark
/// validates as a block does): the rules' evaluation at the pool is not block weight. A
/// transfer can reach a block blocked only when the state changed after the pool last checked
/// it (a freeze in the same block, for instance).
///
/// It adds nothing to the signed payload: stock wallets sign without knowing about it.
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckCompliance<T>(PhantomData<T>);

impl<T> CheckCompliance<T> {
	/// The extension.
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> core::fmt::Debug for CheckCompliance<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckCompliance")
	}
}

impl<T: Config + Send + Sync> CheckCompliance<T> {
	/// The transfer a call makes: recipient and amount, if it is one of the pallet's transfers.
	fn transfer_of(
		who: &T::AccountId,
		call: &<T as frame_system::Config>::RuntimeCall,
	) -> Option<(T::AccountId, BalanceOf<T>)> {
		let call = <T as Config>::RuntimeCall::from_ref(call);
		let (dest, amount) = match call.is_sub_type()? {
			Call::transfer { dest, value } | Call::transfer_keep_alive { dest, value } => {
				(dest.clone(), *value)
			},
			Call::transfer_all { dest, keep_alive } => {
				(dest.clone(), Pallet::<T>::transferable(who, *keep_alive).0)
			},
			_ => return None,
		};
		Some((T::Lookup::lookup(dest).ok()?, amount))
	}
}

impl<T: Config + Send + Sync> TransactionExtension<<T as frame_system::Config>::RuntimeCall>
	for CheckCompliance<T>
{
	const IDENTIFIER: &'static str = "CheckCompliance";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, call: &<T as frame_system::Config>::RuntimeCall) -> Weight {
		let call = <T as Config>::RuntimeCall::from_ref(call);
		match call.is_sub_type() {
			Some(
				Call::transfer { .. }
				| Call::transfer_keep_alive { .. }
				| Call::transfer_all { .. }
				| Call::transfer_bulk { .. },
			) => T::WeightInfo::check_compliance(),
			_ => Weight::zero(),
		}
	}

	fn validate(
		&self,
		origin: <T as frame_system::Config>::RuntimeOrigin,
		call: &<T as frame_system::Config>::RuntimeCall,
		_info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		source: TransactionSource,
	) -> ValidateResult<Self::Val, <T as frame_system::Config>::RuntimeCall> {
		if source == TransactionSource::InBlock {
			return Ok((ValidTransaction::default(), (), origin));
		}
		if let Some(who) = origin.as_signer() {
			let blocked = if let Some(Call::transfer_bulk { payments }) =
				<T as Config>::RuntimeCall::from_ref(call).is_sub_type()
			{
				Pallet::<T>::bulk_refusal(who, payments)
			} else if let Some((to, amount)) = Self::transfer_of(who, call) {
				Pallet::<T>::transfer_refusal(who, &to, amount)
			} else {
				None
			};
			if let Some(error) = blocked {
				return Err(InvalidTransaction::Custom(blocked_code(&error)).into());
			}
		}
		Ok((ValidTransaction::default(), (), origin))
	}

	fn prepare(
		self,
		_val: Self::Val,
		_origin: &<T as frame_system::Config>::RuntimeOrigin,
		_call: &<T as frame_system::Config>::RuntimeCall,
		_info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		Ok(())
	}
}
