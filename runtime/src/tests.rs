//! Tests of the runtime's own configuration: presets, fees, currency, versions.

use super::*;
use alloc::string::{String, ToString};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Get,
	},
	weights::WeightToFee as _,
};
use sp_runtime::{traits::Header as _, BuildStorage};

fn preset_storage(id: &str) -> sp_io::TestExternalities {
	let json = genesis_config_presets::get_preset(&id.into()).expect("preset exists");
	let patch: serde_json::Value = serde_json::from_slice(&json).unwrap();
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	json_merge(&mut config, patch);
	let config: RuntimeGenesisConfig = serde_json::from_value(config).unwrap();
	config.build_storage().unwrap().into()
}

fn json_merge(a: &mut serde_json::Value, b: serde_json::Value) {
	match (a, b) {
		(serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
			for (k, v) in b {
				json_merge(a.entry(k).or_insert(serde_json::Value::Null), v);
			}
		},
		(a, b) => *a = b,
	}
}

#[test]
fn every_preset_builds_a_genesis_state() {
	for id in genesis_config_presets::preset_names() {
		let id = core::str::from_utf8(id.as_ref()).unwrap().to_owned();
		preset_storage(&id).execute_with(|| {
			let authorities = pallet_aura::Authorities::<Runtime>::get();
			assert!(!authorities.is_empty(), "{id}: no Aura authorities");
			assert_eq!(
				authorities.len(),
				pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(),
				"{id}: Aura and GRANDPA authority sets differ"
			);
			assert!(pallet_sudo::Key::<Runtime>::get().is_some(), "{id}: no sudo key");
			// The fee collector exists from genesis, so fees are never burned.
			assert!(Balances::balance(&configs::FeeCollector::get()) >= EXISTENTIAL_DEPOSIT);
		});
	}
}

#[test]
fn presets_have_the_expected_validator_counts() {
	let count = |id: &str| {
		preset_storage(id).execute_with(|| pallet_aura::Authorities::<Runtime>::get().len())
	};
	assert_eq!(count("development"), 1);
	assert_eq!(count("local_testnet"), 4);
	assert_eq!(count(genesis_config_presets::CONSORTIUM_PRESET), 4);
}

#[test]
fn consortium_keys_are_distinct_and_set() {
	preset_storage(genesis_config_presets::CONSORTIUM_PRESET).execute_with(|| {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let mut raw: Vec<_> = aura.iter().map(|k| k.encode()).collect();
		raw.sort();
		raw.dedup();
		assert_eq!(raw.len(), 4, "consortium Aura keys must be distinct");
		assert!(aura.iter().all(|k| k.encode() != [0u8; 32]), "unset consortium key");
	});
}

#[test]
fn unknown_preset_is_none() {
	assert!(genesis_config_presets::get_preset(&"mainnet".into()).is_none());
}

#[test]
fn metadata_hash_token_matches_the_currency() {
	// `build.rs` cannot use this crate, so it repeats the symbol and decimals: keep them equal.
	let build_rs = include_str!("../build.rs");
	let expected = format!(
		".enable_metadata_hash(\"{}\", {})",
		currency::TOKEN_SYMBOL,
		currency::TOKEN_DECIMALS
	);
	assert!(build_rs.contains(&expected), "build.rs must call {expected}");
	assert_eq!(<configs::SS58Prefix as Get<u16>>::get(), currency::SS58_PREFIX);
}

#[test]
fn a_transfer_costs_about_a_fen() {
	// The weight of a transfer as pallet_balances measures it, plus the base extrinsic weight.
	let weight = <Runtime as frame_system::Config>::BlockWeights::get()
		.get(frame_support::dispatch::DispatchClass::Normal)
		.base_extrinsic +
		<pallet_balances::weights::SubstrateWeight<Runtime> as pallet_balances::WeightInfo>::transfer_allow_death();
	let fee = configs::WeightToFee::weight_to_fee(&weight) + 150 * configs::TRANSACTION_BYTE_FEE;
	assert!(fee > 0, "fees must not be zero");
	assert!(fee < 10 * CENTS, "a transfer must cost well under a jiao, was {fee}");
}

#[test]
fn block_time_and_slot_agree() {
	let minimum_period: u64 = <Runtime as pallet_timestamp::Config>::MinimumPeriod::get();
	assert_eq!(minimum_period * 2, SLOT_DURATION);
}

#[test]
fn metadata_is_served_in_v14_v15_and_v16() {
	let versions = Runtime::metadata_versions();
	for v in [14, 15, 16] {
		assert!(versions.contains(&v), "metadata V{v} missing from {versions:?}");
		assert!(Runtime::metadata_at_version(v).is_some(), "metadata V{v} not produced");
	}
}

/// A signed extrinsic from `signer`, as a wallet would build it: immortal, with the genesis
/// hash the test externalities give block 0, and no metadata hash.
fn signed(signer: &sp_core::sr25519::Pair, nonce: Nonce, call: RuntimeCall) -> UncheckedExtrinsic {
	use sp_core::Pair;
	let tx_ext = tx_extension(nonce, generic::Era::Immortal);
	let genesis = frame_system::BlockHash::<Runtime>::get(0);
	let payload = SignedPayload::from_raw(
		call.clone(),
		tx_ext.clone(),
		tx_extension_implicit(genesis, genesis),
	);
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	UncheckedExtrinsic::new_signed(
		call,
		AccountId::from(signer.public()).into(),
		Signature::Sr25519(signature),
		tx_ext,
	)
}

/// Starts block #1 on top of genesis, as a block author would.
fn start_block_one() {
	let parent = frame_system::BlockHash::<Runtime>::get(0);
	let header = Header::new(1, Default::default(), Default::default(), parent, Default::default());
	Executive::initialize_block(&header);
}

#[test]
fn a_signed_transfer_pays_its_fee_to_the_collector_and_creates_no_money() {
	use sp_keyring::Sr25519Keyring::{Alice, Bob};
	preset_storage("development").execute_with(|| {
		start_block_one();
		let issuance = Balances::total_issuance();
		let collector_before = Balances::balance(&configs::FeeCollector::get());
		let alice_before = Balances::balance(&Alice.to_account_id());
		let bob_before = Balances::balance(&Bob.to_account_id());
		let amount = 7 * UNITS;

		let call: RuntimeCall =
			ComplianceCall::transfer_keep_alive { dest: Bob.to_account_id().into(), value: amount }
				.into();
		let xt = signed(&Alice.pair(), 0, call);
		let len = xt.encoded_size() as u32;
		let quoted = TransactionPayment::query_info(xt.clone(), len).partial_fee;
		assert_ok!(Executive::apply_extrinsic(xt).expect("the transaction is valid"));

		let fee = Balances::balance(&configs::FeeCollector::get()) - collector_before;
		assert!(fee > 0, "the fee went to the collector");
		// The quote is the worst case, every rule firing; no rule fires on this transfer, so it
		// is refunded to the quiet path's weight.
		assert!(fee < quoted, "a quiet transfer pays less than quoted: {fee} vs {quoted}");
		assert_eq!(Balances::balance(&Bob.to_account_id()), bob_before + amount);
		assert_eq!(Balances::balance(&Alice.to_account_id()), alice_before - amount - fee);
		assert_eq!(
			Balances::total_issuance(),
			issuance,
			"a transfer neither creates nor burns money"
		);
	});
}

#[test]
fn a_transfer_from_an_unfunded_account_is_rejected_and_changes_nothing() {
	use sp_core::Pair;
	use sp_keyring::Sr25519Keyring::Bob;
	let stranger = sp_core::sr25519::Pair::from_string("//Paychain//Stranger", None).unwrap();
	let stranger_id = AccountId::from(stranger.public());
	preset_storage("development").execute_with(|| {
		assert_eq!(Balances::balance(&stranger_id), 0);
		start_block_one();
		let issuance = Balances::total_issuance();
		let call: RuntimeCall =
			ComplianceCall::transfer_keep_alive { dest: Bob.to_account_id().into(), value: UNITS }
				.into();
		let result = Executive::apply_extrinsic(signed(&stranger, 0, call));
		assert!(result.is_err(), "an account that cannot pay the fee is refused: {result:?}");
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(Balances::balance(&Bob.to_account_id()), 1_000_000 * UNITS);
		assert_eq!(frame_system::Pallet::<Runtime>::account_nonce(&stranger_id), 0);
	});
}

#[test]
fn presets_register_the_participants_consistently() {
	use paychain_primitives::accounts::{AccountRegistry, FinanceLevel, Role};
	use sp_keyring::Sr25519Keyring::*;
	for id in genesis_config_presets::preset_names() {
		let id = core::str::from_utf8(id.as_ref()).unwrap().to_owned();
		preset_storage(&id).execute_with(|| {
			pallet_accounts::Pallet::<Runtime>::do_try_state()
				.unwrap_or_else(|e| panic!("{id}: the register's invariants fail: {e:?}"));
			assert!(
				pallet_accounts::Registrars::<Runtime>::iter().count() >= 1,
				"{id}: no registrar"
			);
			let regulators = Accounts::members_page(Role::Regulator, None, 10);
			assert!(!regulators.is_empty(), "{id}: no regulator");
			// A finance-department tree from the national level down to a county.
			let counties =
				Accounts::members_page(Role::FinanceDepartment(FinanceLevel::County), None, 10);
			let (county, record) = counties.first().unwrap_or_else(|| panic!("{id}: no county"));
			assert_eq!(record.depth, 3, "{id}: the county is not three levels down");
			let national =
				Accounts::members_page(Role::FinanceDepartment(FinanceLevel::National), None, 10);
			assert!(<Accounts as AccountRegistry<AccountId>>::is_ancestor(&national[0].0, county));
			// The sudo key can act: it is an active participant.
			let sudo = pallet_sudo::Key::<Runtime>::get().unwrap();
			assert!(
				<Accounts as AccountRegistry<AccountId>>::is_active(&sudo),
				"{id}: sudo inactive"
			);
		});
	}
	preset_storage("development").execute_with(|| {
		assert!(pallet_accounts::Registrars::<Runtime>::contains_key(Alice.to_account_id()));
		assert!(!pallet_accounts::Participants::<Runtime>::contains_key(One.to_account_id()));
	});
}

#[test]
fn a_stranger_transacts_only_after_it_applied_and_was_approved() {
	use paychain_primitives::accounts::{KycTier, RegionCode, Role};
	use sp_keyring::Sr25519Keyring::{Alice, Bob, One};
	use sp_runtime::transaction_validity::{InvalidTransaction, TransactionValidityError};
	preset_storage("development").execute_with(|| {
		start_block_one();
		let transfer: RuntimeCall =
			ComplianceCall::transfer_keep_alive { dest: Bob.to_account_id().into(), value: UNITS }
				.into();
		let refused =
			|code| Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(code)));
		assert_eq!(
			Executive::apply_extrinsic(signed(&One.pair(), 0, transfer.clone())),
			refused(pallet_accounts::NOT_A_PARTICIPANT)
		);
		let apply: RuntimeCall = pallet_accounts::Call::apply {
			role: Role::Individual,
			identity: Hash::repeat_byte(1),
			region: RegionCode(440305),
			parent: None,
		}
		.into();
		assert_ok!(Executive::apply_extrinsic(signed(&One.pair(), 0, apply)).unwrap());
		assert_eq!(
			Executive::apply_extrinsic(signed(&One.pair(), 1, transfer.clone())),
			refused(pallet_accounts::NOT_ACTIVE)
		);
		let approve: RuntimeCall = pallet_accounts::Call::approve {
			who: One.to_account_id(),
			tier: KycTier::Basic,
			kyc_expires_at: 1_000,
		}
		.into();
		assert_ok!(Executive::apply_extrinsic(signed(&Alice.pair(), 0, approve)).unwrap());
		assert_ok!(Executive::apply_extrinsic(signed(&One.pair(), 1, transfer)).unwrap());
		pallet_accounts::Pallet::<Runtime>::do_try_state().unwrap();
	});
}

/// Every call in the runtime, as `(pallet, call)` names, read from the call type's metadata.
fn every_call() -> Vec<(String, String)> {
	use scale_info::{form::PortableForm, MetaType, PortableRegistry, Registry, TypeDef};
	let mut registry = Registry::new();
	let id = registry.register_type(&MetaType::new::<RuntimeCall>()).id;
	let registry: PortableRegistry = registry.into();
	let variants = |id: u32| -> Vec<scale_info::Variant<PortableForm>> {
		match &registry.resolve(id).expect("registered").type_def {
			TypeDef::Variant(v) => v.variants.clone(),
			other => panic!("not an enum: {other:?}"),
		}
	};
	let mut calls = Vec::new();
	for pallet in variants(id) {
		let call_type = pallet.fields[0].ty.id;
		for call in variants(call_type) {
			calls.push((pallet.name.to_string(), call.name.to_string()));
		}
	}
	calls
}

/// Which calls move value between accounts, and how each is kept to the compliance check.
/// A call added to the runtime fails this test until it is classified here.
#[test]
fn every_value_moving_call_passes_the_compliance_check_or_is_closed() {
	use sp_keyring::Sr25519Keyring::{Alice, Bob, Eve};
	use sp_runtime::{traits::Dispatchable, DispatchError};
	// Moves value, through the check.
	const CHECKED: &[(&str, &str)] = &[
		("Compliance", "transfer"),
		("Compliance", "transfer_keep_alive"),
		("Compliance", "transfer_all"),
		("Compliance", "transfer_bulk"),
		// Funding is checked at the gates, every payment to the payee by every rule.
		("Escrow", "create_escrow"),
		("Escrow", "accept_request"),
		("Escrow", "release"),
		("Escrow", "release_milestone"),
		("Escrow", "rule"),
		("Escrow", "retry_release"),
		// Allocations are checked at the gates, disbursements by every rule.
		("Fiscal", "allocate"),
		("Fiscal", "disburse"),
		// An order's last stage pays its settlement through the check.
		("Ledger", "record_stage"),
		// Money in and out through clearing institutions.
		("Settlement", "mint"),
		("Settlement", "redeem"),
	];
	// Send a program's earmarked funds back along the path a checked allocation took (still
	// held, from a department to its parent; at the root, the creator's own hold released):
	// not checked, by design, so that no freeze can trap a program's money.
	const RETURNS: &[(&str, &str)] = &[("Fiscal", "recall"), ("Fiscal", "sweep")];
	// Would move value without the check: closed to every signed origin, also inside batches.
	const CLOSED: &[(&str, &str)] = &[
		("Balances", "transfer_allow_death"),
		("Balances", "transfer_keep_alive"),
		("Balances", "transfer_all"),
		("Balances", "burn"),
	];
	// Governance only (root bypasses the filter by design).
	const ROOT_ONLY: &[(&str, &str)] = &[
		("Balances", "force_transfer"),
		("Balances", "force_set_balance"),
		("Balances", "force_unreserve"),
		("Balances", "force_adjust_total_issuance"),
	];
	// Move no value between accounts: holds and releases on the caller's own account (the
	// accounts deposit), wrappers whose inner calls meet the same filter (utility, sudo), funds a
	// check already held (compliance reviews), or nothing at all.
	const NO_VALUE: &[&str] = &["System", "Timestamp", "Grandpa", "Sudo", "Utility", "Accounts"];
	const NO_VALUE_CALLS: &[(&str, &str)] = &[
		("Balances", "upgrade_accounts"),
		("Compliance", "set_rule"),
		("Compliance", "list_account"),
		("Compliance", "unlist_account"),
		("Compliance", "freeze"),
		("Compliance", "unfreeze"),
		("Compliance", "release_review"),
		("Compliance", "return_review"),
		("Compliance", "take_case"),
		("Compliance", "add_evidence"),
		("Compliance", "close_case"),
		("Compliance", "report_case"),
		("Compliance", "file_report"),
		// Escrow steps that move nothing, and refunds: the payer's own hold released.
		("Escrow", "request_payment"),
		("Escrow", "cancel_request"),
		("Escrow", "ship"),
		("Escrow", "confirm_delivery"),
		("Escrow", "attest_delivery"),
		("Escrow", "submit_attestations"),
		("Escrow", "cancel"),
		("Escrow", "refund"),
		("Escrow", "open_dispute"),
		("Escrow", "appeal"),
		("Escrow", "force_refund"),
		("Escrow", "set_fee_rate"),
		// Holds on the caller's own account (a program's total, matching funds), and
		// supervision and the year's close, which move nothing.
		("Fiscal", "create_program"),
		("Fiscal", "add_matching"),
		("Fiscal", "freeze_allocation"),
		("Fiscal", "unfreeze_allocation"),
		("Fiscal", "close_fiscal_year"),
		// Opening an order holds its payment on the opener's own account; workflows move
		// nothing.
		("Ledger", "open_order"),
		("Ledger", "set_workflow"),
		// Reserves, cycles, net positions and statements move nothing.
		("Settlement", "attest_reserve"),
		("Settlement", "countersign_reserve"),
		("Settlement", "close_cycle"),
		("Settlement", "mark_settled"),
		("Settlement", "submit_statement"),
		("Settlement", "flag_overdue"),
		("Settlement", "set_cycle_length"),
	];
	let unclassified: Vec<_> = every_call()
		.into_iter()
		.filter(|(p, c)| {
			let pair = (p.as_str(), c.as_str());
			!(CHECKED.contains(&pair)
				|| RETURNS.contains(&pair)
				|| CLOSED.contains(&pair)
				|| ROOT_ONLY.contains(&pair)
				|| NO_VALUE.contains(&p.as_str())
				|| NO_VALUE_CALLS.contains(&pair))
		})
		.collect();
	assert!(unclassified.is_empty(), "classify these calls: {unclassified:?}");

	preset_storage("development").execute_with(|| {
		start_block_one();
		let bob = || Bob.to_account_id();
		let signed = || RuntimeOrigin::signed(Alice.to_account_id());
		let filtered: DispatchError = frame_system::Error::<Runtime>::CallFiltered.into();

		// Closed: each is filtered, alone and in a batch.
		let closed: Vec<(&str, RuntimeCall)> = vec![
			(
				"transfer_allow_death",
				BalancesCall::transfer_allow_death { dest: bob().into(), value: UNITS }.into(),
			),
			(
				"transfer_keep_alive",
				BalancesCall::transfer_keep_alive { dest: bob().into(), value: UNITS }.into(),
			),
			(
				"transfer_all",
				BalancesCall::transfer_all { dest: bob().into(), keep_alive: true }.into(),
			),
			("burn", BalancesCall::burn { value: UNITS, keep_alive: true }.into()),
		];
		assert_eq!(
			closed.iter().map(|(n, _)| ("Balances", *n)).collect::<Vec<_>>(),
			CLOSED.to_vec()
		);
		let before = (Balances::balance(&Alice.to_account_id()), Balances::balance(&bob()));
		for (name, call) in closed {
			let result = call.clone().dispatch(signed());
			assert_eq!(result.map_err(|e| e.error), Err(filtered), "{name} is not filtered");
			let batch: RuntimeCall = pallet_utility::Call::batch_all { calls: vec![call] }.into();
			assert_eq!(
				batch.dispatch(signed()).map_err(|e| e.error),
				Err(filtered),
				"{name} is not filtered in a batch"
			);
		}

		// Root only: a signed origin is refused.
		let root_only: Vec<RuntimeCall> = vec![
			BalancesCall::force_transfer {
				source: Alice.to_account_id().into(),
				dest: bob().into(),
				value: UNITS,
			}
			.into(),
			BalancesCall::force_set_balance { who: bob().into(), new_free: UNITS }.into(),
			BalancesCall::force_unreserve { who: bob().into(), amount: UNITS }.into(),
			BalancesCall::force_adjust_total_issuance {
				direction: pallet_balances::AdjustmentDirection::Increase,
				delta: UNITS,
			}
			.into(),
		];
		assert_eq!(root_only.len(), ROOT_ONLY.len());
		for call in root_only {
			assert_eq!(call.dispatch(signed()).map_err(|e| e.error), Err(DispatchError::BadOrigin));
		}

		// Checked: with Bob on the watch list, each is refused by the check.
		assert_ok!(Compliance::list_account(
			RuntimeOrigin::signed(Eve.to_account_id()),
			bob(),
			Default::default()
		));
		let checked: Vec<RuntimeCall> = vec![
			ComplianceCall::transfer { dest: bob().into(), value: UNITS }.into(),
			ComplianceCall::transfer_keep_alive { dest: bob().into(), value: UNITS }.into(),
			ComplianceCall::transfer_all { dest: bob().into(), keep_alive: true }.into(),
			ComplianceCall::transfer_bulk {
				payments: vec![pallet_compliance::BulkPayment { dest: bob().into(), value: UNITS }]
					.try_into()
					.unwrap(),
			}
			.into(),
		];
		assert_eq!(checked.len(), CHECKED.iter().filter(|(p, _)| *p == "Compliance").count());
		let listed: DispatchError = pallet_compliance::Error::<Runtime>::RecipientListed.into();
		let escrow = escrow_agreement();
		let checked = checked.into_iter().chain(core::iter::once(
			pallet_escrow::Call::create_escrow {
				payee: bob().into(),
				amount: UNITS,
				agreement: escrow,
			}
			.into(),
		));
		for call in checked {
			assert_eq!(call.dispatch(signed()).map_err(|e| e.error), Err(listed));
		}
		assert_eq!((Balances::balance(&Alice.to_account_id()), Balances::balance(&bob())), before);
	});
}

/// The balances pallet's transfers open only on a chain whose genesis wrote the benchmark switch
/// (the throughput benchmark's spec): no preset writes it, and `burn` stays closed even then.
#[test]
fn plain_transfers_open_only_under_the_benchmark_switch() {
	use configs::PlainTransfers;
	use sp_keyring::Sr25519Keyring::{Alice, Bob};
	use sp_runtime::{traits::Dispatchable, DispatchError};
	let transfer: RuntimeCall =
		BalancesCall::transfer_keep_alive { dest: Bob.to_account_id().into(), value: UNITS }.into();
	let burn: RuntimeCall = BalancesCall::burn { value: UNITS, keep_alive: true }.into();
	let filtered: DispatchError = frame_system::Error::<Runtime>::CallFiltered.into();
	for id in genesis_config_presets::preset_names() {
		let id = core::str::from_utf8(id.as_ref()).unwrap().to_owned();
		preset_storage(&id).execute_with(|| {
			assert_eq!(sp_io::storage::get(&PlainTransfers::key()), None, "{id}");
			assert!(!PlainTransfers::get(), "{id}");
		});
	}
	preset_storage("development").execute_with(|| {
		start_block_one();
		let alice = || RuntimeOrigin::signed(Alice.to_account_id());
		let before = Balances::balance(&Bob.to_account_id());
		assert_eq!(transfer.clone().dispatch(alice()).map_err(|e| e.error), Err(filtered));
		// What the benchmark's spec writes: the SCALE encoding of `true` under the key.
		sp_io::storage::set(&PlainTransfers::key(), &true.encode());
		assert_ok!(transfer.clone().dispatch(alice()));
		assert_eq!(Balances::balance(&Bob.to_account_id()), before + UNITS);
		assert_eq!(burn.clone().dispatch(alice()).map_err(|e| e.error), Err(filtered));
	});
}

#[test]
fn presets_carry_a_valid_default_rule_set() {
	use pallet_compliance::RuleId;
	use paychain_primitives::accounts::{KycTier, Role};
	for id in genesis_config_presets::preset_names() {
		let id = core::str::from_utf8(id.as_ref()).unwrap().to_owned();
		preset_storage(&id).execute_with(|| {
			pallet_compliance::Pallet::<Runtime>::do_try_state()
				.unwrap_or_else(|e| panic!("{id}: compliance invariants fail: {e:?}"));
			for tier in [KycTier::Unverified, KycTier::Basic, KycTier::Standard, KycTier::Enhanced]
			{
				assert!(Compliance::rule(&RuleId::Velocity(tier)).is_some(), "{id}: {tier:?}");
			}
			let individual = Compliance::rule(&RuleId::LargeValue(Role::Individual, None));
			assert_eq!(
				individual,
				Some(pallet_compliance::Rule::LargeValue(pallet_compliance::LargeValueRule {
					single: 500_000 * UNITS,
					daily: 500_000 * UNITS
				}))
			);
		});
	}
}

/// Fees are not a movement between participants: an account frozen by a regulator still pays
/// them. Its transfers are refused at the pool, before any fee is taken; one that reaches a block
/// all the same (frozen after the pool admitted it) fails there with the rule's error, moves
/// nothing, and pays its fee.
#[test]
fn a_frozen_account_still_pays_fees_but_cannot_transfer() {
	use pallet_compliance::FreezeScope;
	use sp_keyring::Sr25519Keyring::{Bob, Charlie, Eve};
	use sp_runtime::transaction_validity::{
		InvalidTransaction, TransactionSource, TransactionValidityError,
	};
	preset_storage("development").execute_with(|| {
		start_block_one();
		let charlie = Charlie.to_account_id();
		let bob = Bob.to_account_id();
		assert_ok!(Compliance::freeze(
			RuntimeOrigin::signed(Eve.to_account_id()),
			charlie.clone(),
			FreezeScope::Account,
			b"(2026) Yue 0305 Zhi 88".to_vec().try_into().unwrap(),
			None
		));
		let before = Balances::balance(&charlie);
		let bob_before = Balances::balance(&bob);
		let collector = Balances::balance(&configs::FeeCollector::get());

		let transfer: RuntimeCall =
			ComplianceCall::transfer_keep_alive { dest: bob.clone().into(), value: UNITS }.into();
		let xt = signed(&Charlie.pair(), 0, transfer);
		let parent = frame_system::Pallet::<Runtime>::parent_hash();
		assert_eq!(
			Executive::validate_transaction(TransactionSource::External, xt.clone(), parent),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(32))),
			"the pool refuses it with SenderFrozen's code"
		);
		assert_eq!(Balances::balance(&charlie), before, "no fee for a refused transfer");

		let outcome = Executive::apply_extrinsic(xt).expect("a block may carry it");
		assert_eq!(
			outcome,
			Err(pallet_compliance::Error::<Runtime>::SenderFrozen.into()),
			"in a block, the call refuses it"
		);
		assert_eq!(Balances::balance(&bob), bob_before, "nothing moved");
		let fee = Balances::balance(&configs::FeeCollector::get()) - collector;
		assert!(fee > 0);
		assert_eq!(Balances::balance(&charlie), before - fee, "the frozen account paid its fee");

		let remark: RuntimeCall =
			frame_system::Call::remark { remark: b"still here".to_vec() }.into();
		assert_ok!(Executive::apply_extrinsic(signed(&Charlie.pair(), 1, remark)).unwrap());
		let fees = Balances::balance(&configs::FeeCollector::get()) - collector;
		assert!(fees > fee);
		assert_eq!(Balances::balance(&charlie), before - fees, "and for its other calls");
	});
}

/// A fiscal program down the development finance tree, with the real register and compliance:
/// allocations follow the organisation tree level by level, both calls are refused for a listed
/// recipient, a disbursement to a frozen recipient is refused, and a compliance freeze on a
/// department does not trap the program's funds: the supervision department recalls them.
#[test]
fn a_fiscal_program_follows_the_genesis_tree_through_the_real_register_and_compliance() {
	use pallet_compliance::FreezeScope;
	use pallet_fiscal::{Error, ProgramKind, PurposeCode};
	use sp_keyring::Sr25519Keyring::{
		self, AliceStash, BobStash, Charlie, CharlieStash, Dave, DaveStash, Eve, EveStash,
	};
	preset_storage("development").execute_with(|| {
		start_block_one();
		// 2026-06-01T00:00:00Z.
		pallet_timestamp::Now::<Runtime>::put(1_780_272_000_000);
		let issuance = Balances::total_issuance();
		let s = |k: Sr25519Keyring| RuntimeOrigin::signed(k.to_account_id());
		let id = |k: Sr25519Keyring| k.to_account_id();
		let invoice = sp_core::H256::repeat_byte(0x1A);
		let schools = PurposeCode(2050202);
		assert_ok!(Fiscal::create_program(
			s(AliceStash),
			b"2026-EDU-0001".to_vec().try_into().unwrap(),
			ProgramKind::Special,
			2026,
			PurposeCode(205),
			1_000 * UNITS
		));
		// The register's tree decides who is whose child: the ministry cannot skip Guangdong.
		assert_noop!(
			Fiscal::allocate(s(AliceStash), 0, 0, id(CharlieStash).into(), UNITS),
			Error::<Runtime>::NotDirectChild
		);
		assert_ok!(Fiscal::allocate(s(AliceStash), 0, 0, id(BobStash).into(), 600 * UNITS));
		assert_ok!(Fiscal::allocate(s(BobStash), 0, 1, id(CharlieStash).into(), 400 * UNITS));
		assert_ok!(Fiscal::allocate(s(CharlieStash), 0, 2, id(DaveStash).into(), 150 * UNITS));
		let charlie = Balances::balance(&id(Charlie));
		assert_ok!(Fiscal::disburse(
			s(DaveStash),
			0,
			3,
			id(Charlie).into(),
			60 * UNITS,
			schools,
			invoice
		));
		assert_eq!(Balances::balance(&id(Charlie)), charlie + 60 * UNITS);

		// A listed recipient: refused at allocation and at disbursement.
		let listed: sp_runtime::DispatchError =
			pallet_compliance::Error::<Runtime>::RecipientListed.into();
		assert_ok!(Compliance::list_account(s(Eve), id(Charlie), Default::default()));
		assert_noop!(
			Fiscal::disburse(s(DaveStash), 0, 3, id(Charlie).into(), UNITS, schools, invoice),
			listed
		);
		assert_ok!(Compliance::list_account(s(Eve), id(DaveStash), Default::default()));
		assert_noop!(Fiscal::allocate(s(CharlieStash), 0, 2, id(DaveStash).into(), UNITS), listed);
		assert_ok!(Compliance::unlist_account(s(Eve), id(DaveStash)));

		// A frozen recipient is refused too.
		let basis = || b"(2026) Yue 0305 Zhi 88".to_vec().try_into().unwrap();
		assert_ok!(Compliance::freeze(s(Eve), id(Dave), FreezeScope::Account, basis(), None));
		assert_noop!(
			Fiscal::disburse(s(DaveStash), 0, 3, id(Dave).into(), UNITS, schools, invoice),
			pallet_compliance::Error::<Runtime>::RecipientFrozen
		);

		// The supervision department freezes Nanshan's allocation for verification: the
		// regulators see an alert on Nanshan, with a case open.
		let alerts = Compliance::risk_profile(&id(DaveStash)).stats.alerts;
		assert_ok!(Fiscal::freeze_allocation(s(EveStash), 0, 3, invoice));
		let profile = Compliance::risk_profile(&id(DaveStash));
		assert_eq!(profile.stats.alerts, alerts + 1);
		assert!(profile.open_case.is_some());
		assert_ok!(Fiscal::unfreeze_allocation(s(EveStash), 0, 3));

		// Nanshan itself frozen by the regulator: its program funds still go back up.
		assert_ok!(Compliance::freeze(s(Eve), id(DaveStash), FreezeScope::Account, basis(), None));
		assert_ok!(Fiscal::recall(s(EveStash), 0, 3, 90 * UNITS, invoice));
		assert_eq!(Fiscal::allocation(0, 2).unwrap().totals.unspent, 340 * UNITS);
		assert!(
			!<Fiscal as paychain_primitives::accounts::Obligations<AccountId>>::has_obligations(
				&id(DaveStash)
			)
		);

		let stats = Fiscal::statistics(0).unwrap();
		assert_eq!(stats.program.totals.disbursed, 60 * UNITS);
		assert_eq!(stats.program.totals.unspent, 940 * UNITS);
		assert_eq!(Balances::total_issuance(), issuance, "no money made or lost");
		Fiscal::do_try_state().unwrap();
		pallet_compliance::Pallet::<Runtime>::do_try_state().unwrap();
	});
}

/// A payment order through the real register and compliance: stages signed with keys the
/// institutions registered in the accounts pallet, the payment settled through the check, a
/// tampered order reported to compliance as an alert with a case, and a key the regulator
/// revoked refused.
#[test]
fn a_payment_order_is_signed_with_registered_keys_and_tampering_reaches_the_regulator() {
	use pallet_ledger::{
		commitment::{commit, stage_payload, KeyElements, CNY},
		Error, OrderStatus, Settlement, SignedStage, StageResult,
	};
	use paychain_primitives::accounts::SigningKey;
	use sp_core::{ed25519, Pair};
	use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Eve};
	preset_storage("development").execute_with(|| {
		start_block_one();
		pallet_timestamp::Now::<Runtime>::put(1_780_272_000_000);
		let issuance = Balances::total_issuance();
		let s = |k: Sr25519Keyring| RuntimeOrigin::signed(k.to_account_id());
		let id = |k: Sr25519Keyring| k.to_account_id();
		let pair = |who: &str| {
			ed25519::Pair::from_string(&alloc::format!("//{who}//ledger"), None).unwrap()
		};
		let (bob_key, alice_key) = (pair("Bob"), pair("Alice"));
		for (k, p) in [(Bob, &bob_key), (Alice, &alice_key)] {
			assert_ok!(Accounts::register_key(s(k), SigningKey::Ed25519(p.public()), None, None));
		}
		let genesis = frame_system::BlockHash::<Runtime>::get(0);
		let elements = |amount: u128| KeyElements {
			payer_account: b"6222020200112233445",
			payee_account: b"6228480402564890018",
			applicant: b"EDU-SYS/zhang.wei",
			amount,
			currency: CNY,
			business_type: 1,
			purpose: b"tuition subsidy",
		};
		let sign = |p: &ed25519::Pair, reference, stage, amount| {
			let commitment = commit(&elements(amount));
			let payload =
				stage_payload(&genesis, &reference, stage, StageResult::Passed, &commitment.root);
			SignedStage {
				commitment,
				result: StageResult::Passed,
				key: SigningKey::Ed25519(p.public()),
				signature: sp_runtime::MultiSignature::Ed25519(p.sign(&payload)),
			}
		};
		let handlers = || vec![id(Bob), id(Bob), id(Bob), id(Alice), id(Alice)].try_into().unwrap();
		let open = |reference, amount: Balance| {
			Ledger::open_order(
				s(Bob),
				reference,
				1,
				b"EDU-SYS".to_vec().try_into().unwrap(),
				handlers(),
				sign(&bob_key, reference, 0, amount),
				Some(Settlement { payee: id(Charlie), amount }),
			)
		};
		let step = |reference, stage: u8, amount| {
			let (who, key) = if stage < 3 { (Bob, &bob_key) } else { (Alice, &alice_key) };
			Ledger::record_stage(s(who), reference, stage, sign(key, reference, stage, amount))
		};

		let paid = [1u8; 16];
		let charlie = Balances::balance(&id(Charlie));
		assert_ok!(open(paid, 1_000 * UNITS));
		for stage in 1..5 {
			assert_ok!(step(paid, stage, 1_000 * UNITS));
		}
		assert_eq!(Ledger::trail(paid).unwrap().order.status, OrderStatus::Completed);
		assert_eq!(Balances::balance(&id(Charlie)), charlie + 1_000 * UNITS);

		let tampered = [2u8; 16];
		let alerts = Compliance::risk_profile(&id(Bob)).stats.alerts;
		assert_ok!(open(tampered, 500 * UNITS));
		assert_ok!(step(tampered, 1, 5_000 * UNITS));
		assert_eq!(Ledger::trail(tampered).unwrap().order.status, OrderStatus::TamperSuspected);
		let profile = Compliance::risk_profile(&id(Bob));
		assert_eq!(profile.stats.alerts, alerts + 1);
		assert!(profile.open_case.is_some());
		assert_eq!(Balances::balance(&id(Charlie)), charlie + 1_000 * UNITS, "nothing paid");

		// The regulator revokes Alice's key: her next signature is refused.
		let revoked = [3u8; 16];
		assert_ok!(open(revoked, 10 * UNITS));
		for stage in 1..3 {
			assert_ok!(step(revoked, stage, 10 * UNITS));
		}
		assert_ok!(Accounts::force_revoke_key(
			s(Eve),
			id(Alice),
			SigningKey::Ed25519(alice_key.public())
		));
		assert_noop!(step(revoked, 3, 10 * UNITS), Error::<Runtime>::KeyRevoked);

		assert_eq!(Balances::total_issuance(), issuance, "no money made or lost");
		Ledger::do_try_state().unwrap();
		pallet_compliance::Pallet::<Runtime>::do_try_state().unwrap();
	});
}

/// Settlement with the real compliance pallet as its observer: two clearing institutions mint,
/// their customers pay each other through `Compliance::transfer`, the cycle rolls and closes with
/// the net position, a statement missing a payment is a mismatch, and total issuance is the
/// genesis supply plus what is outstanding.
#[test]
fn payments_between_two_banks_customers_are_netted_at_the_cycle_close() {
	use frame_support::traits::Hooks;
	use pallet_settlement::{CycleTotals, Reconciliation};
	use paychain_primitives::accounts::{KycTier, RegionCode, Role};
	use sp_keyring::Sr25519Keyring::{self, Alice, Charlie, Dave, Ferdie, One};
	preset_storage("development").execute_with(|| {
		start_block_one();
		let s = |k: Sr25519Keyring| RuntimeOrigin::signed(k.to_account_id());
		let id = |k: Sr25519Keyring| k.to_account_id();
		let genesis_issuance = Balances::total_issuance();
		// //One becomes a second clearing institution.
		assert_ok!(Accounts::register(
			s(Alice),
			id(One),
			Role::ClearingInstitution,
			[1u8; 32].into(),
			RegionCode::NATIONAL,
			None,
			KycTier::Enhanced,
			100_000
		));
		for bank in [Alice, One] {
			assert_ok!(Settlement::attest_reserve(s(bank), 1_000_000 * UNITS, 0, [2u8; 32].into()));
		}
		assert_ok!(Settlement::mint(s(Alice), id(Charlie).into(), 500 * UNITS, [1u8; 32].into()));
		assert_ok!(Settlement::mint(s(Alice), id(Dave).into(), 300 * UNITS, [2u8; 32].into()));
		assert_ok!(Settlement::mint(s(One), id(Ferdie).into(), 400 * UNITS, [1u8; 32].into()));
		let pay = |from, to: Sr25519Keyring, amount| {
			Compliance::transfer_keep_alive(s(from), id(to).into(), amount)
		};
		assert_ok!(pay(Ferdie, Charlie, 100 * UNITS));
		assert_ok!(pay(Charlie, Ferdie, 30 * UNITS));
		assert_ok!(pay(Dave, Ferdie, 10 * UNITS));
		assert_ok!(pay(Charlie, Dave, 5 * UNITS));
		let totals = |who| Settlement::cycle_totals(0, id(who));
		let t = |minted, paid_in, paid_out| CycleTotals { minted, burned: 0, paid_in, paid_out };
		assert_eq!(totals(Alice), t(800 * UNITS, 100 * UNITS, 40 * UNITS));
		assert_eq!(totals(One), t(400 * UNITS, 40 * UNITS, 100 * UNITS));

		// The development cycle is 20 blocks: it rolls at block 20.
		let end = pallet_settlement::CurrentCycle::<Runtime>::get().end;
		assert_eq!(end, 20);
		System::set_block_number(end);
		Settlement::on_initialize(end);
		assert_ok!(Settlement::close_cycle(s(Dave), 0));
		let positions = Settlement::net_positions(0);
		assert_eq!(positions.len(), 1);
		assert_eq!(
			(&positions[0].0, &positions[0].1, positions[0].2.amount),
			(&id(One), &id(Alice), 60 * UNITS)
		);

		assert_ok!(Settlement::submit_statement(s(Alice), 0, totals(Alice), [3u8; 32].into()));
		assert_ok!(Settlement::submit_statement(
			s(One),
			0,
			t(400 * UNITS, 30 * UNITS, 100 * UNITS),
			[4u8; 32].into()
		));
		let one = pallet_settlement::Statements::<Runtime>::get(0, id(One)).unwrap();
		assert!(
			matches!(one.result, Reconciliation::Mismatch { differences, .. } if differences.paid_in)
		);
		assert!(Compliance::risk_profile(&id(One)).stats.alerts > 0);

		assert_eq!(Balances::total_issuance(), genesis_issuance + 1_200 * UNITS);
		Settlement::do_try_state().unwrap();
		pallet_compliance::Pallet::<Runtime>::do_try_state().unwrap();
	});
}

/// An escrow agreement with short terms and Ferdie's stash (the development arbiter) as arbiter.
fn escrow_agreement() -> pallet_escrow::AgreementOf<Runtime> {
	use pallet_escrow::{Agreement, Arbitration, OrderRef, Terms};
	Agreement {
		order: OrderRef { commitment: [7u8; 32].into(), id: b"SO-1".to_vec().try_into().unwrap() },
		terms: Terms { ship_within: 5, deliver_within: 5, dispute_window: 3, appeal_window: 3 },
		arbitration: Arbitration {
			arbiter: Some(sp_keyring::Sr25519Keyring::FerdieStash.to_account_id()),
			appeal_arbiter: None,
		},
		oracles: None,
		milestones: Default::default(),
	}
}

/// Runs the idle hooks of the blocks up to `n`, as block production would.
fn idle_until(n: BlockNumber) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Escrow::on_idle(next, frame_support::weights::Weight::MAX);
	}
}

/// The escrow with the real compliance pallet: a release to a payee frozen in the meantime waits
/// with the funds held, goes through once the regulator lifts the freeze, and counts once.
#[test]
fn an_escrow_release_to_a_frozen_payee_waits_for_the_regulator() {
	use pallet_compliance::FreezeScope;
	use sp_keyring::Sr25519Keyring::{Charlie, Dave, Eve};
	preset_storage("development").execute_with(|| {
		start_block_one();
		let (dave, charlie, eve) =
			(Dave.to_account_id(), Charlie.to_account_id(), Eve.to_account_id());
		let hold = |who: &AccountId| {
			Balances::balance_on_hold(&pallet_escrow::HoldReason::Escrow.into(), who)
		};
		let amount = 1_000 * UNITS;
		let before = (Balances::balance(&dave), Balances::balance(&charlie));
		assert_ok!(Escrow::create_escrow(
			RuntimeOrigin::signed(dave.clone()),
			charlie.clone().into(),
			amount,
			escrow_agreement()
		));
		assert_eq!(hold(&dave), amount);
		assert!(
			pallet_compliance::Activities::<Runtime>::get(&dave).is_none(),
			"funding is not counted"
		);
		assert_ok!(Escrow::ship(RuntimeOrigin::signed(charlie.clone()), 0, [1u8; 32].into()));
		assert_ok!(Escrow::confirm_delivery(RuntimeOrigin::signed(dave.clone()), 0));
		assert_ok!(Compliance::freeze(
			RuntimeOrigin::signed(eve.clone()),
			charlie.clone(),
			FreezeScope::Account,
			b"(2026) Yue 0305 Zhi 89".to_vec().try_into().unwrap(),
			None
		));
		idle_until(5);
		assert!(matches!(
			pallet_escrow::Escrows::<Runtime>::get(0).unwrap().status,
			pallet_escrow::Status::AwaitingCompliance { .. }
		));
		assert_eq!(hold(&dave), amount, "still held, nothing moved");
		let frozen: sp_runtime::DispatchError =
			pallet_compliance::Error::<Runtime>::RecipientFrozen.into();
		assert_noop!(Escrow::retry_release(RuntimeOrigin::signed(dave.clone()), 0), frozen);
		assert_ok!(Compliance::unfreeze(RuntimeOrigin::signed(eve.clone()), charlie.clone()));
		assert_ok!(Escrow::retry_release(RuntimeOrigin::signed(eve), 0));
		assert_eq!(hold(&dave), 0);
		assert_eq!(Balances::balance(&dave), before.0 - amount);
		assert_eq!(Balances::balance(&charlie), before.1 + amount, "no fee is set by default");
		assert!(
			pallet_compliance::Activities::<Runtime>::get(&dave).is_some(),
			"the release is counted"
		);
		pallet_escrow::Pallet::<Runtime>::do_try_state().unwrap();
		pallet_compliance::Pallet::<Runtime>::do_try_state().unwrap();
	});
}

/// With the real compliance pallet and settlement observer, a quiet escrow trade is charged its
/// benchmarks: the worst-case check each call adds up front is refunded, because its
/// benchmark already ran a quiet check with the observer's cheapest path (neither party is an
/// institution's customer). A release that the rules report on is charged in full.
#[test]
fn a_quiet_escrow_trade_is_charged_its_benchmarks_only() {
	use pallet_escrow::WeightInfo as _;
	use paychain_primitives::compliance::ComplianceCheck;
	use sp_keyring::Sr25519Keyring::{Charlie, Dave};
	type W = <Runtime as pallet_escrow::Config>::WeightInfo;
	let worst = <Compliance as ComplianceCheck<AccountId, Balance>>::check_weight();
	preset_storage("development").execute_with(|| {
		start_block_one();
		let (dave, charlie) = (Dave.to_account_id(), Charlie.to_account_id());
		let create = |amount| {
			Escrow::create_escrow(
				RuntimeOrigin::signed(dave.clone()),
				charlie.clone().into(),
				amount,
				escrow_agreement(),
			)
			.expect("created")
			.actual_weight
		};
		let release = |id| {
			Escrow::release(RuntimeOrigin::signed(dave.clone()), id)
				.expect("released")
				.actual_weight
		};
		assert_eq!(create(10 * UNITS), Some(W::create_escrow(0, 0)));
		assert_eq!(release(0), Some(W::release()));
		// 600,000 PCNY: beyond the individual's large-value threshold, so a report is filed.
		assert_eq!(create(600_000 * UNITS), Some(W::create_escrow(0, 0)), "funding is not counted");
		assert_eq!(release(1), Some(W::release().saturating_add(worst)));
		assert_eq!(pallet_compliance::NextReportId::<Runtime>::get(), 1, "one report filed");
	});
}

/// A frozen payer still gets a refund: the money never left its account.
#[test]
fn a_frozen_payer_is_refunded() {
	use pallet_compliance::FreezeScope;
	use sp_keyring::Sr25519Keyring::{Charlie, Dave, Eve};
	preset_storage("development").execute_with(|| {
		start_block_one();
		let (dave, charlie) = (Dave.to_account_id(), Charlie.to_account_id());
		let before = Balances::balance(&dave);
		assert_ok!(Escrow::create_escrow(
			RuntimeOrigin::signed(dave.clone()),
			charlie.clone().into(),
			500 * UNITS,
			escrow_agreement()
		));
		assert_ok!(Compliance::freeze(
			RuntimeOrigin::signed(Eve.to_account_id()),
			dave.clone(),
			FreezeScope::Account,
			b"(2026) Yue 0305 Zhi 90".to_vec().try_into().unwrap(),
			None
		));
		assert_ok!(Escrow::refund(RuntimeOrigin::signed(charlie), 0));
		assert_eq!(Balances::balance(&dave), before);
		assert_eq!(Balances::balance_on_hold(&pallet_escrow::HoldReason::Escrow.into(), &dave), 0);
	});
}

/// The block limits are built from this machine's measured base weights, without falling back
/// to the SDK's defaults: a full block of normal extrinsics stays under the normal ratio, and
/// operational ones may use what is reserved for them.
#[test]
fn block_weights_are_built_from_the_measured_base_weights() {
	use frame_support::dispatch::DispatchClass;
	let weights = configs::RuntimeBlockWeights::get();
	assert!(weights.clone().validate().is_ok());
	assert_eq!(weights.base_block, weights::BlockExecutionWeight::get());
	for class in DispatchClass::all() {
		assert_eq!(weights.get(*class).base_extrinsic, weights::ExtrinsicBaseWeight::get());
	}
	let max = weights.max_block.ref_time();
	assert_eq!(max, frame_support::weights::constants::WEIGHT_REF_TIME_PER_SECOND);
	let normal = weights.get(DispatchClass::Normal).max_total.unwrap().ref_time();
	assert_eq!(normal, max / 4 * 3);
	let operational = weights.get(DispatchClass::Operational);
	assert_eq!(operational.max_total.unwrap().ref_time(), max);
	assert_eq!(operational.reserved.unwrap().ref_time(), max - normal);
	// The database weights are the measured ParityDB figures, not the SDK's reference ones.
	assert_eq!(<Runtime as frame_system::Config>::DbWeight::get(), weights::ParityDbWeight::get());
	assert_ne!(
		weights::ParityDbWeight::get(),
		frame_support::weights::constants::ParityDbWeight::get()
	);
}
