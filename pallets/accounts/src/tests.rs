//! The accounts pallet's behaviour, told as stories on the mock world of `mock.rs`.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::DispatchInfo,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::Precision,
	},
};
use paychain_primitives::accounts::{
	FinanceLevel::*, KeyCheckError, KycTier::*, ParticipantStatus::*,
};
use sp_core::{sr25519, Pair};
use sp_runtime::{
	traits::{DispatchTransaction, TransactionExtension, TxBaseImplication},
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	DispatchError, MultiSignature,
};

type Error = crate::Error<Test>;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn status(who: u64) -> Option<ParticipantStatus> {
	Participants::<Test>::get(who).map(|p| p.status)
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::ApplicationDeposit.into(), &who)
}

fn tier(who: u64) -> KycTier {
	<Accounts as AccountRegistry<u64>>::kyc_tier(&who)
}

/// `STRANGER` applies as an individual in Shenzhen under the Guangdong institution.
fn stranger_applies() {
	assert_ok!(Accounts::apply(
		signed(STRANGER),
		Role::Individual,
		identity(STRANGER),
		SHENZHEN,
		Some(GUANGDONG_REGISTRAR)
	));
}

fn key(seed: u8) -> (sr25519::Pair, SigningKey) {
	let pair = sr25519::Pair::from_seed(&[seed; 32]);
	let key = SigningKey::Sr25519(pair.public());
	(pair, key)
}

// --- genesis -------------------------------------------------------------------------------

#[test]
fn genesis_registers_the_world() {
	run_test(|| {
		let record = Participants::<Test>::get(MERCHANT).unwrap();
		assert_eq!(record.status, Active);
		assert_eq!(record.role, Role::Merchant);
		assert_eq!(record.parent, Some(GUANGDONG_REGISTRAR));
		assert_eq!(record.depth, 1);
		assert_eq!(record.kyc.as_ref().unwrap().attested_by, NATIONAL_REGISTRAR);
		assert_eq!(tier(MERCHANT), Standard);
		assert_eq!(Participants::<Test>::get(NANSHAN_FINANCE).unwrap().depth, 3);
		assert!(Accounts::ancestor_check(&MOF, &NANSHAN_FINANCE));
		assert!(!Accounts::ancestor_check(&NANSHAN_FINANCE, &MOF));
		assert_eq!(ChildCount::<Test>::get(GUANGDONG_REGISTRAR), 1);
		assert_eq!(Registrars::<Test>::get(NATIONAL_REGISTRAR).unwrap().attestations, 9);
	});
}

// --- onboarding ----------------------------------------------------------------------------

#[test]
fn apply_holds_the_deposit_and_waits_for_a_registrar() {
	run_test(|| {
		stranger_applies();
		assert_eq!(status(STRANGER), Some(Pending));
		assert_eq!(held(STRANGER), DEPOSIT);
		assert_eq!(tier(STRANGER), Unverified);
		// Pending applicants are not in the tree yet.
		assert_eq!(ChildCount::<Test>::get(GUANGDONG_REGISTRAR), 1);
		System::assert_last_event(
			Event::Applied {
				who: STRANGER,
				role: Role::Individual,
				region: SHENZHEN,
				deposit: DEPOSIT,
			}
			.into(),
		);
	});
}

#[test]
fn apply_fails_on_bad_input() {
	run_test(|| {
		let apply = |who, role, id, region, parent| {
			Accounts::apply(signed(who), role, identity(id), region, parent)
		};
		assert_noop!(
			apply(MERCHANT, Role::Individual, 99, SHENZHEN, None),
			Error::AlreadyRegistered
		);
		assert_noop!(apply(STRANGER, Role::Regulator, 99, SHENZHEN, None), Error::PrivilegedRole);
		assert_noop!(apply(STRANGER, Role::Governance, 99, SHENZHEN, None), Error::PrivilegedRole);
		assert_noop!(
			apply(STRANGER, Role::Individual, 99, RegionCode(440005), None),
			Error::InvalidRegion
		);
		assert_noop!(
			apply(STRANGER, Role::Individual, MERCHANT, SHENZHEN, None),
			Error::IdentityInUse
		);
		assert_noop!(
			apply(STRANGER, Role::Individual, 99, SHENZHEN, Some(OTHER_STRANGER)),
			Error::UnknownParent
		);
		assert_noop!(
			apply(STRANGER, Role::Individual, 99, SHENZHEN, Some(BEIJING_INDIVIDUAL)),
			Error::ParentNotOrganisation
		);
		// An account that cannot afford the deposit.
		assert_noop!(apply(99, Role::Individual, 99, SHENZHEN, None), Error::CannotAffordDeposit);
		stranger_applies();
		assert_noop!(
			apply(OTHER_STRANGER, Role::Individual, 98, SHENZHEN, Some(STRANGER)),
			Error::ParentNotActive
		);
		assert_noop!(
			apply(STRANGER, Role::Individual, 97, SHENZHEN, None),
			Error::AlreadyRegistered
		);
	});
}

#[test]
fn approve_activates_with_a_kyc_attestation() {
	run_test(|| {
		stranger_applies();
		assert_ok!(Accounts::approve(signed(GUANGDONG_REGISTRAR), STRANGER, Basic, 500));
		let record = Participants::<Test>::get(STRANGER).unwrap();
		assert_eq!(record.status, Active);
		assert_eq!(record.approved_by, Some(GUANGDONG_REGISTRAR));
		assert_eq!(record.approved_at, Some(1));
		assert_eq!(record.depth, 1);
		assert_eq!(tier(STRANGER), Basic);
		assert!(Children::<Test>::contains_key(GUANGDONG_REGISTRAR, STRANGER));
		// The deposit stays held while it participates.
		assert_eq!(held(STRANGER), DEPOSIT);
		System::assert_has_event(
			Event::Approved { who: STRANGER, registrar: GUANGDONG_REGISTRAR, tier: Basic }.into(),
		);
		System::assert_last_event(
			Event::KycAttested {
				who: STRANGER,
				registrar: GUANGDONG_REGISTRAR,
				tier: Basic,
				expires_at: 500,
			}
			.into(),
		);
	});
}

#[test]
fn approve_fails_outside_the_registrars_powers() {
	run_test(|| {
		stranger_applies();
		// Not a registrar at all.
		assert_noop!(
			Accounts::approve(signed(MERCHANT), STRANGER, Basic, 500),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Accounts::approve(signed(GUANGDONG_REGISTRAR), OTHER_STRANGER, Basic, 500),
			Error::NotRegistered
		);
		assert_noop!(
			Accounts::approve(signed(GUANGDONG_REGISTRAR), STRANGER, Unverified, 500),
			Error::UnverifiedTier
		);
		assert_noop!(
			Accounts::approve(signed(GUANGDONG_REGISTRAR), STRANGER, Basic, 1),
			Error::ExpiryInPast
		);
		assert_noop!(
			Accounts::approve(signed(GUANGDONG_REGISTRAR), MERCHANT, Basic, 500),
			Error::WrongStatus
		);
		// A Beijing applicant is outside Guangdong's registrar.
		assert_ok!(Accounts::apply(
			signed(OTHER_STRANGER),
			Role::Merchant,
			identity(OTHER_STRANGER),
			BEIJING,
			None
		));
		assert_noop!(
			Accounts::approve(signed(GUANGDONG_REGISTRAR), OTHER_STRANGER, Basic, 500),
			Error::OutsideJurisdiction
		);
		assert_ok!(Accounts::approve(signed(NATIONAL_REGISTRAR), OTHER_STRANGER, Basic, 500));
	});
}

#[test]
fn approve_checks_the_parent_again() {
	run_test(|| {
		stranger_applies();
		assert_ok!(Accounts::suspend(signed(REGULATOR), GUANGDONG_REGISTRAR));
		assert_noop!(
			Accounts::approve(signed(NATIONAL_REGISTRAR), STRANGER, Basic, 500),
			Error::ParentNotActive
		);
	});
}

#[test]
fn a_registrar_cannot_approve_itself() {
	run_test(|| {
		assert_ok!(Accounts::apply(
			signed(STRANGER),
			Role::PaymentInstitution,
			identity(STRANGER),
			GUANGDONG,
			None
		));
		assert_ok!(Accounts::approve(signed(NATIONAL_REGISTRAR), STRANGER, Enhanced, 500));
		assert_ok!(Accounts::add_registrar(RuntimeOrigin::root(), STRANGER, GUANGDONG));
		assert_noop!(
			Accounts::attest_kyc(signed(STRANGER), STRANGER, Enhanced, 900),
			Error::ActingOnSelf
		);
	});
}

#[test]
fn reject_and_cancel_return_the_deposit_and_forget_the_application() {
	run_test(|| {
		stranger_applies();
		assert_noop!(Accounts::reject(signed(GUANGDONG_REGISTRAR), MERCHANT), Error::WrongStatus);
		assert_ok!(Accounts::reject(signed(GUANGDONG_REGISTRAR), STRANGER));
		assert_eq!(status(STRANGER), None);
		assert_eq!(held(STRANGER), 0);
		assert_eq!(Balances::free_balance(STRANGER), ENDOWMENT);
		System::assert_last_event(
			Event::Rejected { who: STRANGER, registrar: GUANGDONG_REGISTRAR, deposit: DEPOSIT }
				.into(),
		);

		// The identity is free again: apply and withdraw.
		stranger_applies();
		assert_ok!(Accounts::cancel_application(signed(STRANGER)));
		assert_eq!(status(STRANGER), None);
		assert_eq!(Balances::free_balance(STRANGER), ENDOWMENT);
		System::assert_last_event(
			Event::ApplicationCancelled { who: STRANGER, deposit: DEPOSIT }.into(),
		);
		assert_noop!(Accounts::cancel_application(signed(STRANGER)), Error::NotRegistered);
		assert_noop!(Accounts::cancel_application(signed(MERCHANT)), Error::WrongStatus);
	});
}

#[test]
fn registrars_register_institutions_directly() {
	run_test(|| {
		assert_ok!(Accounts::register(
			signed(GUANGDONG_REGISTRAR),
			STRANGER,
			Role::Merchant,
			identity(STRANGER),
			NANSHAN,
			Some(GUANGDONG_REGISTRAR),
			Standard,
			900
		));
		let record = Participants::<Test>::get(STRANGER).unwrap();
		assert_eq!((record.status, record.deposit), (Active, 0));
		assert_eq!(tier(STRANGER), Standard);
		System::assert_has_event(
			Event::Registered {
				who: STRANGER,
				role: Role::Merchant,
				region: NANSHAN,
				by: Some(GUANGDONG_REGISTRAR),
			}
			.into(),
		);
	});
}

#[test]
fn register_fails_on_bad_input() {
	run_test(|| {
		let register = |by, who, role, region| {
			Accounts::register(signed(by), who, role, identity(who), region, None, Basic, 900)
		};
		assert_noop!(
			register(GUANGDONG_REGISTRAR, STRANGER, Role::Regulator, GUANGDONG),
			Error::PrivilegedRole
		);
		assert_noop!(
			register(GUANGDONG_REGISTRAR, STRANGER, Role::Merchant, BEIJING),
			Error::OutsideJurisdiction
		);
		assert_noop!(
			register(GUANGDONG_REGISTRAR, GUANGDONG_REGISTRAR, Role::Merchant, GUANGDONG),
			Error::ActingOnSelf
		);
		assert_noop!(
			register(GUANGDONG_REGISTRAR, MERCHANT, Role::Merchant, GUANGDONG),
			Error::AlreadyRegistered
		);
		assert_noop!(
			register(MERCHANT, STRANGER, Role::Merchant, GUANGDONG),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn governance_grants_the_privileged_roles() {
	run_test(|| {
		assert_noop!(
			Accounts::force_register(
				signed(NATIONAL_REGISTRAR),
				STRANGER,
				Role::Regulator,
				identity(STRANGER),
				RegionCode::NATIONAL,
				None,
				None
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Accounts::force_register(
				RuntimeOrigin::root(),
				STRANGER,
				Role::Regulator,
				identity(STRANGER),
				RegionCode::NATIONAL,
				None,
				Some((MERCHANT, Enhanced, 900))
			),
			Error::NotRegistrar
		);
		assert_ok!(Accounts::force_register(
			RuntimeOrigin::root(),
			STRANGER,
			Role::Regulator,
			identity(STRANGER),
			RegionCode::NATIONAL,
			None,
			Some((NATIONAL_REGISTRAR, Enhanced, 900))
		));
		assert_eq!(<Accounts as AccountRegistry<u64>>::role(&STRANGER), Some(Role::Regulator));
		// The new regulator acts through its own origin at once.
		assert_ok!(Accounts::suspend(signed(STRANGER), MERCHANT));
	});
}

// --- suspension and closing ----------------------------------------------------------------

#[test]
fn registrars_and_regulators_suspend_and_reactivate() {
	run_test(|| {
		assert_ok!(Accounts::suspend(signed(GUANGDONG_REGISTRAR), MERCHANT));
		assert_eq!(status(MERCHANT), Some(Suspended));
		System::assert_last_event(
			Event::Suspended { who: MERCHANT, by: GUANGDONG_REGISTRAR }.into(),
		);
		assert_noop!(Accounts::suspend(signed(REGULATOR), MERCHANT), Error::WrongStatus);
		assert_ok!(Accounts::reactivate(signed(REGULATOR), MERCHANT));
		assert_eq!(status(MERCHANT), Some(Active));
		System::assert_last_event(Event::Reactivated { who: MERCHANT, by: REGULATOR }.into());
		assert_noop!(Accounts::reactivate(signed(REGULATOR), MERCHANT), Error::WrongStatus);
		// A regulator acts anywhere; a registrar only in its region; neither on itself.
		assert_ok!(Accounts::suspend(signed(REGULATOR), BEIJING_INDIVIDUAL));
		assert_noop!(
			Accounts::reactivate(signed(GUANGDONG_REGISTRAR), BEIJING_INDIVIDUAL),
			Error::OutsideJurisdiction
		);
		assert_noop!(Accounts::suspend(signed(REGULATOR), REGULATOR), Error::ActingOnSelf);
		assert_noop!(Accounts::suspend(signed(REGULATOR), STRANGER), Error::NotRegistered);
		assert_noop!(Accounts::suspend(signed(MERCHANT), MOF), DispatchError::BadOrigin);
	});
}

#[test]
fn close_returns_the_deposit_and_keeps_the_record() {
	run_test(|| {
		stranger_applies();
		assert_ok!(Accounts::approve(signed(GUANGDONG_REGISTRAR), STRANGER, Basic, 500));
		assert_ok!(Accounts::close(signed(STRANGER)));
		let record = Participants::<Test>::get(STRANGER).unwrap();
		assert_eq!((record.status, record.deposit, record.parent), (Closed, 0, None));
		assert_eq!(Balances::free_balance(STRANGER), ENDOWMENT);
		assert_eq!(ChildCount::<Test>::get(GUANGDONG_REGISTRAR), 1);
		assert!(!IdentityOwners::<Test>::contains_key(identity(STRANGER)));
		System::assert_last_event(
			Event::Closed { who: STRANGER, by: STRANGER, deposit: DEPOSIT }.into(),
		);
		assert_noop!(Accounts::close(signed(STRANGER)), Error::WrongStatus);
		// A closed account may come back.
		stranger_applies();
		assert_eq!(status(STRANGER), Some(Pending));
	});
}

#[test]
fn close_is_refused_with_children_custody_obligations_or_a_registrar_seat() {
	run_test(|| {
		assert_noop!(Accounts::close(signed(SHENZHEN_FINANCE)), Error::HasChildren);
		assert_noop!(Accounts::close(signed(NATIONAL_REGISTRAR)), Error::IsRegistrar);
		assert_noop!(Accounts::close(signed(STRANGER)), Error::NotRegistered);

		// Funds held by another pallet are custody.
		let reason = HoldReason::ApplicationDeposit.into();
		assert_ok!(Balances::hold(&reason, &BEIJING_INDIVIDUAL, 10));
		assert_noop!(Accounts::close(signed(BEIJING_INDIVIDUAL)), Error::FundsInCustody);
		assert_ok!(Balances::release(&reason, &BEIJING_INDIVIDUAL, 10, Precision::Exact));

		TestObligations::set(BEIJING_INDIVIDUAL);
		assert_noop!(Accounts::close(signed(BEIJING_INDIVIDUAL)), Error::OpenObligations);
	});
}

#[test]
fn registrars_force_close_inside_their_region() {
	run_test(|| {
		assert_noop!(
			Accounts::force_close(signed(GUANGDONG_REGISTRAR), BEIJING_INDIVIDUAL),
			Error::OutsideJurisdiction
		);
		assert_ok!(Accounts::suspend(signed(REGULATOR), MERCHANT));
		assert_ok!(Accounts::force_close(signed(GUANGDONG_REGISTRAR), MERCHANT));
		assert_eq!(status(MERCHANT), Some(Closed));
		assert_eq!(ChildCount::<Test>::get(GUANGDONG_REGISTRAR), 0);
		// Its attestation is gone from its registrar's count.
		assert_eq!(Registrars::<Test>::get(NATIONAL_REGISTRAR).unwrap().attestations, 8);
	});
}

// --- KYC and registrars ---------------------------------------------------------------------

#[test]
fn kyc_expires_and_is_renewed() {
	run_test(|| {
		assert_eq!(tier(MERCHANT), Standard);
		System::set_block_number(KYC_VALIDITY);
		assert_eq!(tier(MERCHANT), Unverified);
		assert_ok!(Accounts::attest_kyc(signed(GUANGDONG_REGISTRAR), MERCHANT, Enhanced, 2_000));
		assert_eq!(tier(MERCHANT), Enhanced);
		assert_eq!(Registrars::<Test>::get(NATIONAL_REGISTRAR).unwrap().attestations, 8);
		assert_eq!(Registrars::<Test>::get(GUANGDONG_REGISTRAR).unwrap().attestations, 1);
		assert_noop!(
			Accounts::attest_kyc(signed(GUANGDONG_REGISTRAR), BEIJING_INDIVIDUAL, Basic, 2_000),
			Error::OutsideJurisdiction
		);
		assert_noop!(
			Accounts::attest_kyc(signed(GUANGDONG_REGISTRAR), MERCHANT, Basic, KYC_VALIDITY),
			Error::ExpiryInPast
		);
	});
}

#[test]
fn removing_a_registrar_and_invalidating_its_attestations() {
	run_test(|| {
		assert_ok!(Accounts::attest_kyc(signed(GUANGDONG_REGISTRAR), MERCHANT, Standard, 900));
		assert_noop!(
			Accounts::invalidate_attestations(RuntimeOrigin::root(), GUANGDONG_REGISTRAR),
			Error::RegistrarStillActive
		);
		assert_noop!(
			Accounts::remove_registrar(signed(NATIONAL_REGISTRAR), GUANGDONG_REGISTRAR),
			DispatchError::BadOrigin
		);
		assert_ok!(Accounts::remove_registrar(RuntimeOrigin::root(), GUANGDONG_REGISTRAR));
		System::assert_last_event(
			Event::RegistrarRemoved { registrar: GUANGDONG_REGISTRAR }.into(),
		);
		// Removed: it can no longer act, but its attestation still counts.
		assert_noop!(
			Accounts::suspend(signed(GUANGDONG_REGISTRAR), MERCHANT),
			DispatchError::BadOrigin
		);
		assert_eq!(tier(MERCHANT), Standard);

		assert_ok!(Accounts::invalidate_attestations(RuntimeOrigin::root(), GUANGDONG_REGISTRAR));
		System::assert_last_event(
			Event::AttestationsInvalidated { registrar: GUANGDONG_REGISTRAR, attestations: 1 }
				.into(),
		);
		assert_eq!(tier(MERCHANT), Unverified);
		assert_noop!(
			Accounts::invalidate_attestations(RuntimeOrigin::root(), GUANGDONG_REGISTRAR),
			Error::AlreadyInvalidated
		);
		assert_noop!(
			Accounts::add_registrar(RuntimeOrigin::root(), GUANGDONG_REGISTRAR, GUANGDONG),
			Error::AlreadyInvalidated
		);

		// Re-verified by another registrar: the invalidated registrar's entry goes.
		assert_ok!(Accounts::attest_kyc(signed(NATIONAL_REGISTRAR), MERCHANT, Standard, 900));
		assert_eq!(tier(MERCHANT), Standard);
		assert!(Registrars::<Test>::get(GUANGDONG_REGISTRAR).is_none());
		assert_noop!(
			Accounts::invalidate_attestations(RuntimeOrigin::root(), GUANGDONG_REGISTRAR),
			Error::NotRegistrar
		);
	});
}

#[test]
fn add_registrar_fails_on_bad_input() {
	run_test(|| {
		let root = RuntimeOrigin::root;
		assert_noop!(Accounts::add_registrar(root(), STRANGER, GUANGDONG), Error::NotRegistered);
		assert_noop!(
			Accounts::add_registrar(root(), MERCHANT, RegionCode(1_000_000)),
			Error::InvalidRegion
		);
		assert_noop!(
			Accounts::add_registrar(root(), NATIONAL_REGISTRAR, GUANGDONG),
			Error::AlreadyRegistrar
		);
		assert_ok!(Accounts::suspend(signed(REGULATOR), MERCHANT));
		assert_noop!(Accounts::add_registrar(root(), MERCHANT, SHENZHEN), Error::WrongStatus);
		assert_noop!(Accounts::remove_registrar(root(), MERCHANT), Error::NotRegistrar);
		assert_ok!(Accounts::add_registrar(root(), MOF, RegionCode::NATIONAL));
		System::assert_last_event(
			Event::RegistrarAdded { registrar: MOF, region: RegionCode::NATIONAL }.into(),
		);
	});
}

// --- the organisation tree ------------------------------------------------------------------

#[test]
fn finance_departments_sit_exactly_one_level_below_their_parent() {
	run_test(|| {
		let apply = |level, region, parent| {
			Accounts::apply(
				signed(STRANGER),
				Role::FinanceDepartment(level),
				identity(STRANGER),
				region,
				parent,
			)
		};
		// Another Guangdong city under the province: fine.
		let guangzhou = RegionCode(440100);
		assert_noop!(apply(County, guangzhou, Some(GUANGDONG_FINANCE)), Error::RegionLevelMismatch);
		assert_noop!(apply(Municipal, guangzhou, None), Error::ParentRequired);
		assert_noop!(apply(Municipal, guangzhou, Some(MOF)), Error::ParentWrongLevel);
		assert_noop!(apply(Municipal, guangzhou, Some(MERCHANT)), Error::ParentWrongLevel);
		assert_noop!(
			apply(Municipal, RegionCode(110100), Some(GUANGDONG_FINANCE)),
			Error::ParentWrongRegion
		);
		assert_noop!(apply(National, RegionCode::NATIONAL, Some(MOF)), Error::ParentWrongLevel);
		assert_ok!(apply(Municipal, guangzhou, Some(GUANGDONG_FINANCE)));
		assert_ok!(Accounts::approve(signed(GUANGDONG_REGISTRAR), STRANGER, Enhanced, 900));
		assert!(Accounts::ancestor_check(&MOF, &STRANGER));
		assert_eq!(ChildCount::<Test>::get(GUANGDONG_FINANCE), 2);
	});
}

#[test]
fn the_tree_is_bounded_in_depth() {
	run_test(|| {
		// MaxDepth is 5: build organisations 20..=24 under the county (depth 3 → 4, 5, then 6).
		let mut parent = NANSHAN_FINANCE;
		for (i, who) in [20u64, 21].into_iter().enumerate() {
			assert_ok!(Accounts::register(
				signed(NATIONAL_REGISTRAR),
				who,
				Role::SupervisionDepartment,
				identity(who),
				NANSHAN,
				Some(parent),
				Basic,
				900
			));
			assert_eq!(Participants::<Test>::get(who).unwrap().depth, 4 + i as u32);
			parent = who;
		}
		assert_noop!(
			Accounts::register(
				signed(NATIONAL_REGISTRAR),
				22,
				Role::SupervisionDepartment,
				identity(22),
				NANSHAN,
				Some(parent),
				Basic,
				900
			),
			Error::TooDeep
		);
	});
}

#[test]
fn set_parent_moves_leaves_without_cycles() {
	run_test(|| {
		let move_to = |who, parent| Accounts::set_parent(signed(NATIONAL_REGISTRAR), who, parent);
		assert_noop!(move_to(GUANGDONG_REGISTRAR, Some(MERCHANT)), Error::HasChildren);
		assert_noop!(move_to(MERCHANT, Some(MERCHANT)), Error::WouldCreateCycle);
		assert_noop!(move_to(MERCHANT, Some(BEIJING_INDIVIDUAL)), Error::ParentNotOrganisation);
		assert_noop!(move_to(NANSHAN_FINANCE, Some(GUANGDONG_FINANCE)), Error::ParentWrongLevel);
		assert_noop!(move_to(STRANGER, None), Error::NotRegistered);
		assert_ok!(move_to(MERCHANT, Some(NATIONAL_REGISTRAR)));
		assert_eq!(<Accounts as AccountRegistry<u64>>::parent(&MERCHANT), Some(NATIONAL_REGISTRAR));
		assert_eq!(ChildCount::<Test>::get(GUANGDONG_REGISTRAR), 0);
		System::assert_last_event(
			Event::ParentChanged {
				who: MERCHANT,
				old: Some(GUANGDONG_REGISTRAR),
				new: Some(NATIONAL_REGISTRAR),
			}
			.into(),
		);
		assert_ok!(move_to(MERCHANT, None));
		assert_eq!(Participants::<Test>::get(MERCHANT).unwrap().depth, 0);
		assert_noop!(
			Accounts::set_parent(signed(GUANGDONG_REGISTRAR), BEIJING_INDIVIDUAL, None),
			Error::OutsideJurisdiction
		);
	});
}

// --- institution keys -----------------------------------------------------------------------

#[test]
fn institution_keys_verify_signatures_in_their_window() {
	run_test(|| {
		let (pair, k) = key(1);
		assert_ok!(Accounts::register_key(signed(GUANGDONG_REGISTRAR), k.clone(), None, Some(50)));
		System::assert_last_event(
			Event::KeyRegistered {
				institution: GUANGDONG_REGISTRAR,
				key: k.clone(),
				valid_from: 1,
				valid_until: Some(50),
			}
			.into(),
		);
		let sig = MultiSignature::Sr25519(pair.sign(b"payment order"));
		let verify =
			|who, payload: &[u8]| Accounts::verify_institution_signature(&who, &k, payload, &sig);
		assert_eq!(verify(GUANGDONG_REGISTRAR, b"payment order"), Ok(()));
		assert_eq!(
			verify(GUANGDONG_REGISTRAR, b"tampered order"),
			Err(KeyCheckError::BadSignature)
		);
		assert_eq!(verify(NATIONAL_REGISTRAR, b"payment order"), Err(KeyCheckError::UnknownKey));
		System::set_block_number(50);
		assert_eq!(
			verify(GUANGDONG_REGISTRAR, b"payment order"),
			Err(KeyCheckError::OutsideValidity)
		);
		System::set_block_number(10);
		assert_ok!(Accounts::suspend(signed(REGULATOR), GUANGDONG_REGISTRAR));
		assert_eq!(
			verify(GUANGDONG_REGISTRAR, b"payment order"),
			Err(KeyCheckError::InstitutionNotActive)
		);
	});
}

#[test]
fn register_key_fails_on_bad_input() {
	run_test(|| {
		let (_, k) = key(1);
		assert_noop!(
			Accounts::register_key(signed(BEIJING_INDIVIDUAL), k.clone(), None, None),
			Error::NotOrganisation
		);
		assert_noop!(
			Accounts::register_key(signed(STRANGER), k.clone(), None, None),
			Error::NotRegistered
		);
		assert_noop!(
			Accounts::register_key(signed(MERCHANT), k.clone(), Some(10), Some(10)),
			Error::InvalidValidity
		);
		assert_ok!(Accounts::register_key(signed(MERCHANT), k.clone(), None, None));
		assert_noop!(
			Accounts::register_key(signed(MERCHANT), k.clone(), None, None),
			Error::KeyAlreadyRegistered
		);
		// A key belongs to one institution.
		assert_noop!(
			Accounts::register_key(signed(GUANGDONG_REGISTRAR), k.clone(), None, None),
			Error::KeyInUse
		);
		assert_ok!(Accounts::register_key(signed(MERCHANT), key(2).1, None, None));
		assert_ok!(Accounts::register_key(signed(MERCHANT), key(3).1, None, Some(5)));
		// Full (MaxKeysPerInstitution is 3), nothing to prune.
		assert_noop!(
			Accounts::register_key(signed(MERCHANT), key(4).1, None, None),
			Error::TooManyKeys
		);
		// Once the third key expired, it makes room.
		System::set_block_number(5);
		assert_ok!(Accounts::register_key(signed(MERCHANT), key(4).1, None, None));
		assert_eq!(InstitutionKeys::<Test>::get(MERCHANT).len(), 3);
		// The pruned key still belongs to the merchant: no one else can take it.
		assert_noop!(
			Accounts::register_key(signed(GUANGDONG_REGISTRAR), key(3).1, None, None),
			Error::KeyInUse
		);
	});
}

#[test]
fn rotation_overlaps_and_revocation_is_final() {
	run_test(|| {
		let (old_pair, old) = key(1);
		let (new_pair, new) = key(2);
		assert_ok!(Accounts::register_key(signed(MERCHANT), old.clone(), None, None));
		assert_noop!(
			Accounts::rotate_key(signed(MERCHANT), old.clone(), new.clone(), 101),
			Error::OverlapTooLong
		);
		assert_noop!(
			Accounts::rotate_key(signed(MERCHANT), key(9).1, new.clone(), 10),
			Error::UnknownKey
		);
		assert_ok!(Accounts::rotate_key(signed(MERCHANT), old.clone(), new.clone(), 10));
		System::assert_last_event(
			Event::KeyRotated {
				institution: MERCHANT,
				old: old.clone(),
				new: new.clone(),
				old_valid_until: 11,
			}
			.into(),
		);
		let old_sig = MultiSignature::Sr25519(old_pair.sign(b"order"));
		let new_sig = MultiSignature::Sr25519(new_pair.sign(b"order"));
		let verify = |k: &SigningKey, sig| {
			Accounts::verify_institution_signature(&MERCHANT, k, b"order", sig)
		};
		// During the overlap both verify; after it, only the new one.
		assert_eq!(verify(&old, &old_sig), Ok(()));
		assert_eq!(verify(&new, &new_sig), Ok(()));
		System::set_block_number(11);
		assert_eq!(verify(&old, &old_sig), Err(KeyCheckError::OutsideValidity));
		assert_noop!(
			Accounts::rotate_key(signed(MERCHANT), old.clone(), key(3).1, 10),
			Error::KeyNotValid
		);

		assert_ok!(Accounts::revoke_key(signed(MERCHANT), new.clone()));
		assert_eq!(verify(&new, &new_sig), Err(KeyCheckError::Revoked));
		assert_noop!(Accounts::revoke_key(signed(MERCHANT), new.clone()), Error::KeyRevoked);
		assert_noop!(Accounts::revoke_key(signed(MOF), new.clone()), Error::UnknownKey);
	});
}

#[test]
fn registrars_and_regulators_revoke_compromised_keys() {
	run_test(|| {
		let (_, k) = key(1);
		assert_ok!(Accounts::register_key(signed(MOF), k.clone(), None, None));
		assert_noop!(
			Accounts::force_revoke_key(signed(GUANGDONG_REGISTRAR), MOF, k.clone()),
			Error::OutsideJurisdiction
		);
		assert_noop!(
			Accounts::force_revoke_key(signed(MERCHANT), MOF, k.clone()),
			DispatchError::BadOrigin
		);
		assert_ok!(Accounts::force_revoke_key(signed(REGULATOR), MOF, k.clone()));
		System::assert_last_event(
			Event::KeyRevoked { institution: MOF, key: k, by: REGULATOR }.into(),
		);
	});
}

// --- the permissioned chain -----------------------------------------------------------------

fn validate(who: u64, call: RuntimeCall) -> Result<(), TransactionValidityError> {
	CheckParticipant::<Test>::new()
		.validate_only(
			signed(who),
			&call,
			&DispatchInfo::default(),
			0,
			TransactionSource::External,
			0,
		)
		.map(|_| ())
}

fn transfer() -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: MERCHANT, value: 1 })
}

#[test]
fn only_active_participants_transact() {
	run_test(|| {
		let apply = RuntimeCall::Accounts(Call::apply {
			role: Role::Individual,
			identity: identity(STRANGER),
			region: SHENZHEN,
			parent: None,
		});
		assert_eq!(validate(MERCHANT, transfer()), Ok(()));
		assert_eq!(
			validate(STRANGER, transfer()),
			Err(InvalidTransaction::Custom(NOT_A_PARTICIPANT).into())
		);
		// The way in is open to strangers.
		assert_eq!(validate(STRANGER, apply.clone()), Ok(()));
		stranger_applies();
		assert_eq!(
			validate(STRANGER, transfer()),
			Err(InvalidTransaction::Custom(NOT_ACTIVE).into())
		);
		assert_eq!(validate(STRANGER, RuntimeCall::Accounts(Call::cancel_application {})), Ok(()));
		assert_ok!(Accounts::approve(signed(GUANGDONG_REGISTRAR), STRANGER, Basic, 500));
		assert_eq!(validate(STRANGER, transfer()), Ok(()));

		// Suspended accounts cannot move money.
		assert_ok!(Accounts::suspend(signed(REGULATOR), STRANGER));
		assert_eq!(
			validate(STRANGER, transfer()),
			Err(InvalidTransaction::Custom(NOT_ACTIVE).into())
		);
	});
}

#[test]
fn unsigned_and_root_origins_are_not_checked() {
	run_test(|| {
		let ext = CheckParticipant::<Test>::new();
		let info = DispatchInfo::default();
		let call = transfer();
		for origin in [RuntimeOrigin::none(), RuntimeOrigin::root()] {
			assert!(ext
				.validate(
					origin,
					&call,
					&info,
					0,
					(),
					&TxBaseImplication(&call),
					TransactionSource::External
				)
				.is_ok());
		}
	});
}

#[test]
fn the_extension_adds_nothing_to_the_signed_payload() {
	use codec::Encode;
	let ext = CheckParticipant::<Test>::new();
	assert!(ext.encode().is_empty());
	let implicit: () = TransactionExtension::<RuntimeCall>::implicit(&ext).unwrap();
	assert!(implicit.encode().is_empty());
}

// --- the trait other pallets use ------------------------------------------------------------

#[test]
fn the_registry_trait_answers_for_the_other_pallets() {
	run_test(|| {
		type Registry = Accounts;
		let profile = <Registry as AccountRegistry<u64>>::profile(&MERCHANT).unwrap();
		assert_eq!(profile.role, Role::Merchant);
		assert_eq!(profile.region, SHENZHEN);
		assert_eq!(profile.tier, Standard);
		assert!(<Registry as AccountRegistry<u64>>::is_active(&MERCHANT));
		assert!(!<Registry as AccountRegistry<u64>>::is_active(&STRANGER));
		assert_eq!(<Registry as AccountRegistry<u64>>::status(&STRANGER), None);
		assert_ok!(Accounts::suspend(signed(REGULATOR), MERCHANT));
		// The status alone, as the profile has it (read without the registrar behind the tier).
		for who in [MERCHANT, MOF, GUANGDONG_REGISTRAR, BEIJING_INDIVIDUAL, STRANGER] {
			assert_eq!(
				<Registry as AccountRegistry<u64>>::status(&who),
				<Registry as AccountRegistry<u64>>::profile(&who).map(|p| p.status)
			);
		}
		assert_eq!(<Registry as AccountRegistry<u64>>::status(&MERCHANT), Some(Suspended));
		assert!(!<Registry as AccountRegistry<u64>>::is_active(&MERCHANT));
		assert_ok!(Accounts::reactivate(signed(REGULATOR), MERCHANT));
		assert_eq!(<Registry as AccountRegistry<u64>>::region(&MOF), Some(RegionCode::NATIONAL));
		assert!(<Registry as AccountRegistry<u64>>::is_ancestor(
			&GUANGDONG_FINANCE,
			&NANSHAN_FINANCE
		));
		assert!(!<Registry as AccountRegistry<u64>>::is_ancestor(
			&NANSHAN_FINANCE,
			&NANSHAN_FINANCE
		));
		assert_eq!(<Registry as AccountRegistry<u64>>::kyc_tier(&STRANGER), Unverified);
	});
}

#[test]
fn try_state_catches_a_deposit_that_is_not_held() {
	run_test(|| {
		stranger_applies();
		Participants::<Test>::mutate(STRANGER, |p| p.as_mut().unwrap().deposit = DEPOSIT + 1);
		assert!(Accounts::do_try_state().is_err());
		Participants::<Test>::mutate(STRANGER, |p| p.as_mut().unwrap().deposit = DEPOSIT);
	});
}

#[test]
fn try_state_catches_a_cycle() {
	run_test(|| {
		Participants::<Test>::mutate(GUANGDONG_REGISTRAR, |p| {
			p.as_mut().unwrap().parent = Some(MERCHANT)
		});
		assert!(Accounts::do_try_state().is_err());
		Participants::<Test>::mutate(GUANGDONG_REGISTRAR, |p| p.as_mut().unwrap().parent = None);
	});
}
