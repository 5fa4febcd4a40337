//! Genesis presets: the starting state of each Paychain network.
//!
//! - `development`: one validator (Alice), the well-known development accounts funded, Alice as
//!   sudo. For a dev node on one machine.
//! - `local_testnet`: four validators (Alice, Bob, Charlie, Dave), the development accounts
//!   funded. For testing a multi-validator network with the well-known keys.
//! - `consortium`: the Paychain consortium: four validator institutions, each with its own
//!   keys, an operating balance, and a governance account holding sudo until a council
//!   replaces it. The committed `chain-specs/consortium-raw.json` is built from this preset.

use crate::{
	configs::FeeCollector, currency::UNITS, AccountId, AccountsConfig, Balance, BalancesConfig,
	BlockNumber, ComplianceConfig, LedgerConfig, RuntimeGenesisConfig, SettlementConfig,
	SudoConfig, DAYS, EXISTENTIAL_DEPOSIT, HOURS,
};
use alloc::{string::String, vec, vec::Vec};
use frame_support::build_struct_json_patch;
use hex_literal::hex;
use pallet_accounts::GenesisParticipant;
use pallet_compliance::{
	DormancyRule, FanRule, LargeValueRule, ReviewPolicy, Rule, RuleId, StructuringRule,
	TimeoutAction, VelocityRule,
};
use paychain_primitives::accounts::{FinanceLevel, KycTier, RegionCode, Role};
use paychain_primitives::compliance::Action;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::crypto::UncheckedFrom;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::traits::{BlakeTwo256, Hash as _};
use sp_runtime::Percent;

/// The name of the consortium preset.
pub const CONSORTIUM_PRESET: &str = "consortium";

/// What each development account starts with: one million PCNY.
const DEV_ENDOWMENT: Balance = 1_000_000 * UNITS;

/// What each consortium institution starts with for fees and operations: ten thousand PCNY.
/// Customer money does not exist at genesis: it is issued against bank deposits by clearing
/// institutions (the settlement pallet).
const INSTITUTION_ENDOWMENT: Balance = 10_000 * UNITS;

/// Settlement cycles on the development chains: a minute, so that a cycle closes while you
/// watch (the consortium's last a day).
const DEV_SETTLEMENT_CYCLE: BlockNumber = 20;

/// How long the KYC attestations made at genesis last: a year, the usual review cycle.
const GENESIS_KYC_VALIDITY: BlockNumber = 365 * DAYS;

/// Regions used by the presets (GB/T 2260 codes).
const GUANGDONG: RegionCode = RegionCode(440000);
const SHENZHEN: RegionCode = RegionCode(440300);
const NANSHAN: RegionCode = RegionCode(440305);
const SHANGHAI: RegionCode = RegionCode(310000);
const BEIJING_DONGCHENG: RegionCode = RegionCode(110101);

/// The participant register at genesis: who is a registrar and who is registered.
struct Register {
	registrars: Vec<(AccountId, RegionCode)>,
	participants: Vec<GenesisParticipant<AccountId>>,
}

/// A participant registered at genesis. Its identity commitment stands in for the hash of an
/// off-chain KYC record: here, a hash of its account.
fn member(
	account: AccountId,
	role: Role,
	region: RegionCode,
	parent: Option<&AccountId>,
	tier: KycTier,
) -> GenesisParticipant<AccountId> {
	let identity = BlakeTwo256::hash_of(&(b"paychain/genesis-identity", &account));
	GenesisParticipant { account, role, identity, region, parent: parent.cloned(), tier }
}

/// A validator: its account, its Aura key and its GRANDPA key.
struct Validator {
	account: AccountId,
	aura: AuraId,
	grandpa: GrandpaId,
}

/// A genesis configuration from its parts.
fn genesis(
	validators: Vec<Validator>,
	endowed: Vec<(AccountId, Balance)>,
	root: AccountId,
	register: Register,
	settlement_cycle: BlockNumber,
) -> Value {
	let mut balances = endowed;
	// The fee collector must exist before the first fee is paid into it.
	balances.push((FeeCollector::get(), EXISTENTIAL_DEPOSIT));
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		aura: pallet_aura::GenesisConfig {
			authorities: validators.iter().map(|v| v.aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: validators.iter().map(|v| (v.grandpa.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		accounts: AccountsConfig {
			registrars: register.registrars,
			participants: register.participants,
			kyc_validity: GENESIS_KYC_VALIDITY,
		},
		compliance: ComplianceConfig { rules: default_rules() },
		ledger: LedgerConfig { workflows: default_workflows() },
		settlement: SettlementConfig { cycle_length: settlement_cycle },
	})
}

/// The payment-order workflows, the same in every preset; governance changes them on chain with
/// `Ledger::set_workflow`.
/// - Business type 1, a payment: the application, fund approval and payment by a payment
///   institution, the submission to the bank and its confirmation by a clearing institution.
/// - Business type 2, a fiscal payment: the application by a finance department, the approval
///   by a finance department, the payment by a clearing institution.
pub fn default_workflows() -> Vec<(u16, Vec<pallet_ledger::StageSpec>)> {
	use pallet_ledger::{StageKind::*, StageSpec};
	use FinanceLevel::County;
	let stages = |specs: &[(pallet_ledger::StageKind, Role)]| {
		specs.iter().map(|&(kind, role)| StageSpec { kind, role }).collect::<Vec<_>>()
	};
	vec![
		(
			1,
			stages(&[
				(Application, Role::PaymentInstitution),
				(FundApproval, Role::PaymentInstitution),
				(Payment, Role::PaymentInstitution),
				(BankSubmission, Role::ClearingInstitution),
				(BankConfirmation, Role::ClearingInstitution),
			]),
		),
		(
			2,
			stages(&[
				(Application, Role::FinanceDepartment(County)),
				(FundApproval, Role::FinanceDepartment(County)),
				(BankConfirmation, Role::ClearingInstitution),
			]),
		),
	]
}

/// The default anti-money-laundering rules, the same in every preset; regulators change them on
/// chain with `Compliance::set_rule`.
/// - Large-value reports after the PBoC rules: 500,000 PCNY for an individual (one transfer or
///   the day's total), 2,000,000 for every other role.
/// - Velocity per KYC tier over a day: unverified accounts are blocked beyond 10 transfers or
///   1,000 PCNY; basic ones go to review beyond 100 or 50,000; standard and enhanced ones raise
///   an alert beyond 500 or 1,000,000, and 10,000 or 100,000,000.
/// - Structuring: three transfers within 10% under the large-value threshold in a day → alert.
/// - Dormancy: an account silent for 180 days moving 10,000 PCNY or more → alert.
/// - Fan-out and fan-in: more than 20 distinct counterparties in an hour → alert.
/// - Review: a regulator has a day; then the funds return to the sender.
pub fn default_rules() -> Vec<(RuleId, Rule<Balance, BlockNumber>)> {
	let large_value = |role, threshold: Balance| {
		let rule = LargeValueRule { single: threshold * UNITS, daily: threshold * UNITS };
		(RuleId::LargeValue(role, None), Rule::LargeValue(rule))
	};
	let velocity = |tier, max_count, max_amount: Balance, action| {
		let rule = VelocityRule { window: DAYS, max_count, max_amount: max_amount * UNITS, action };
		(RuleId::Velocity(tier), Rule::Velocity(rule))
	};
	let fan = Rule::Fan(FanRule { window: HOURS, max_distinct: 20, action: Action::Alert });
	let mut rules = vec![
		large_value(Role::Individual, 500_000),
		velocity(KycTier::Unverified, 10, 1_000, Action::Block),
		velocity(KycTier::Basic, 100, 50_000, Action::Review),
		velocity(KycTier::Standard, 500, 1_000_000, Action::Alert),
		velocity(KycTier::Enhanced, 10_000, 100_000_000, Action::Alert),
		(
			RuleId::Structuring,
			Rule::Structuring(StructuringRule {
				margin: Percent::from_percent(10),
				window: DAYS,
				min_count: 3,
				action: Action::Alert,
			}),
		),
		(
			RuleId::Dormancy,
			Rule::Dormancy(DormancyRule {
				after: 180 * DAYS,
				min_amount: 10_000 * UNITS,
				action: Action::Alert,
			}),
		),
		(RuleId::FanOut, fan),
		(RuleId::FanIn, fan),
		(
			RuleId::ReviewPolicy,
			Rule::ReviewPolicy(ReviewPolicy { timeout: DAYS, on_timeout: TimeoutAction::Return }),
		),
	];
	use FinanceLevel::*;
	for role in [
		Role::Merchant,
		Role::PaymentInstitution,
		Role::ClearingInstitution,
		Role::FinanceDepartment(National),
		Role::FinanceDepartment(Provincial),
		Role::FinanceDepartment(Municipal),
		Role::FinanceDepartment(County),
		Role::SupervisionDepartment,
		Role::Regulator,
		Role::Oracle,
		Role::Arbiter,
		Role::Governance,
	] {
		rules.push(large_value(role, 2_000_000));
	}
	rules
}

/// A validator with one of the well-known development keys.
fn dev_validator(who: Sr25519Keyring, grandpa: Ed25519Keyring) -> Validator {
	Validator {
		account: who.to_account_id(),
		aura: AuraId::from(who.public()),
		grandpa: GrandpaId::from(grandpa.public()),
	}
}

fn dev_endowments() -> Vec<(AccountId, Balance)> {
	Sr25519Keyring::iter().map(|k| (k.to_account_id(), DEV_ENDOWMENT)).collect()
}

/// The development register: Alice is the national registrar (a clearing institution), Bob a
/// payment institution in Guangdong with Charlie (a merchant) and Dave (an individual) as
/// customers, Eve a regulator, Ferdie an individual in Beijing; the stash accounts form the
/// finance-department tree — `//Alice//stash` national, `//Bob//stash` Guangdong,
/// `//Charlie//stash` Shenzhen, `//Dave//stash` Nanshan — with `//Eve//stash` a supervision
/// department and `//Ferdie//stash` an arbiter. `//One` and `//Two` are funded but not
/// registered: they must apply.
fn dev_register() -> Register {
	use FinanceLevel::*;
	use KycTier::*;
	use Sr25519Keyring::*;
	let id = |k: Sr25519Keyring| k.to_account_id();
	let national = RegionCode::NATIONAL;
	Register {
		registrars: vec![(id(Alice), national)],
		participants: vec![
			member(id(Alice), Role::ClearingInstitution, national, None, Enhanced),
			member(id(Bob), Role::PaymentInstitution, GUANGDONG, None, Enhanced),
			member(id(Charlie), Role::Merchant, SHENZHEN, Some(&id(Bob)), Standard),
			member(id(Dave), Role::Individual, NANSHAN, Some(&id(Bob)), Standard),
			member(id(Eve), Role::Regulator, national, None, Enhanced),
			member(id(Ferdie), Role::Individual, BEIJING_DONGCHENG, None, Basic),
			member(id(AliceStash), Role::FinanceDepartment(National), national, None, Enhanced),
			member(
				id(BobStash),
				Role::FinanceDepartment(Provincial),
				GUANGDONG,
				Some(&id(AliceStash)),
				Enhanced,
			),
			member(
				id(CharlieStash),
				Role::FinanceDepartment(Municipal),
				SHENZHEN,
				Some(&id(BobStash)),
				Enhanced,
			),
			member(
				id(DaveStash),
				Role::FinanceDepartment(County),
				NANSHAN,
				Some(&id(CharlieStash)),
				Enhanced,
			),
			member(id(EveStash), Role::SupervisionDepartment, national, None, Enhanced),
			member(id(FerdieStash), Role::Arbiter, national, None, Enhanced),
		],
	}
}

/// `development`: Alice validates alone.
pub fn development_config_genesis() -> Value {
	genesis(
		vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_endowments(),
		Sr25519Keyring::Alice.to_account_id(),
		dev_register(),
		DEV_SETTLEMENT_CYCLE,
	)
}

/// `local_testnet`: Alice, Bob, Charlie and Dave validate.
pub fn local_config_genesis() -> Value {
	genesis(
		vec![
			dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			dev_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			dev_validator(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_endowments(),
		Sr25519Keyring::Alice.to_account_id(),
		dev_register(),
		DEV_SETTLEMENT_CYCLE,
	)
}

/// A consortium institution: its account (sr25519), Aura (sr25519) and GRANDPA (ed25519)
/// public keys.
struct Institution {
	#[allow(dead_code)]
	name: &'static str,
	account: [u8; 32],
	aura: [u8; 32],
	grandpa: [u8; 32],
}

impl Institution {
	fn validator(&self) -> Validator {
		Validator {
			account: AccountId::from(self.account),
			aura: AuraId::unchecked_from(self.aura),
			grandpa: GrandpaId::unchecked_from(self.grandpa),
		}
	}
}

/// The four validator institutions of the Paychain consortium.
///
/// Their keys are public keys only. For the loopback consortium network that
/// `scripts/run-network.sh` runs, the secrets are the documented test URIs (on the public
/// development phrase): `//Paychain//<Institution>` for the account (sr25519),
/// `//Paychain//<Institution>//aura` (sr25519) and `//Paychain//<Institution>//grandpa`
/// (ed25519) for the session keys; a real
/// deployment replaces these constants with the keys each institution generated on its own
/// machine, and regenerates the chain spec with `scripts/gen-chain-specs.sh`.
const CONSORTIUM: [Institution; 4] = [
	// A clearing institution: settles between payment institutions.
	Institution {
		name: "NationalClearingCenter",
		account: hex!("f0721ec6dafd15926676d783607fd8804997e935db2abbdde4d38b5c9ee4431b"),
		aura: hex!("b8ae1287db94af55fb2317a142f0ae20437f07a21314bae57937061e5d23ba59"),
		grandpa: hex!("fde77e253a309017a462dfa28f3e7209f273c4da383cd364cd5e5ea61a80df79"),
	},
	// A licensed third-party payment institution.
	Institution {
		name: "UnionPaymentInstitution",
		account: hex!("70d1a702ec1dbe0821f90c896b044447bd78c3673e71b0896cadd0eea6ad6507"),
		aura: hex!("b4b60e1e3df910720e24c85fd559783573f2425763fc2567c02a5da8617ea478"),
		grandpa: hex!("eb3599b0891ffe7b7b630e298527e91d33fecf3fbed657b0ffb2fb1a8ed1152a"),
	},
	// The national finance department, at the top of fiscal transfer payments.
	Institution {
		name: "MinistryOfFinanceTreasury",
		account: hex!("68d8b5d3c87c5643bca0081c9ee42c1f929ed8dfb0682f06a44e3e5e14408f58"),
		aura: hex!("ee054702fe4b9f8b84e320d1f91fbfbbb9e329897f8b31975c4851f56a5d2e79"),
		grandpa: hex!("3ffb8f8efe696e01c25faf551d0b3d3c08e2c7ccf81bf6fe6b3614c089f21eff"),
	},
	// The payment regulator, supervising through its own node.
	Institution {
		name: "PaymentSupervisionAuthority",
		account: hex!("986966e6246648a5b2358ba122631b4b091099dbd14595b5fad72cdc4af15b41"),
		aura: hex!("a4c61a02c9ef9b02994e0dce2297e13ab4e796529962df41e48cb633f1ba611b"),
		grandpa: hex!("69de04095008aa4c79c82558712056c76ee152bbaa09ce38c8a241ae0e886551"),
	},
];

/// The consortium's governance account (`//Paychain//Governance`): holds sudo until a council
/// of the institutions replaces it.
const CONSORTIUM_GOVERNANCE: [u8; 32] =
	hex!("743ae7a126eada8d0f08d9f3faae9ba5d534262a32d82a730e591271ad5c1c04");

/// The finance departments below the Ministry of Finance in the consortium's register, one per
/// level down to a county (`//Paychain//<Name>` on the development phrase, like the validators).
const CONSORTIUM_FINANCE_TREE: [(&str, [u8; 32], FinanceLevel, RegionCode); 3] = [
	(
		"GuangdongFinance",
		hex!("0e871b8022885574b9d718c335ca50af346ad56ad6e4a7c3e77e2320ac303425"),
		FinanceLevel::Provincial,
		GUANGDONG,
	),
	(
		"ShenzhenFinance",
		hex!("d825e75d8dfbd944766b22ad9292a87dc94eb51ce76ce4a24f3a8db514e6c70b"),
		FinanceLevel::Municipal,
		SHENZHEN,
	),
	(
		"NanshanFinance",
		hex!("94fb46c4bad02ef4c42894d94e5428da2916ff43c85b8fbff1dd1b370d80ac3c"),
		FinanceLevel::County,
		NANSHAN,
	),
];

/// The consortium's register: the clearing center is the national registrar; each institution
/// has its role; governance has its own; the finance departments form a tree from the ministry
/// down to Nanshan county.
fn consortium_register() -> Register {
	let [clearing, payments, ministry, regulator] = CONSORTIUM.map(|i| AccountId::from(i.account));
	let national = RegionCode::NATIONAL;
	let mut participants = vec![
		member(clearing.clone(), Role::ClearingInstitution, national, None, KycTier::Enhanced),
		member(payments, Role::PaymentInstitution, SHANGHAI, None, KycTier::Enhanced),
		member(
			ministry.clone(),
			Role::FinanceDepartment(FinanceLevel::National),
			national,
			None,
			KycTier::Enhanced,
		),
		member(regulator, Role::Regulator, national, None, KycTier::Enhanced),
		member(
			AccountId::from(CONSORTIUM_GOVERNANCE),
			Role::Governance,
			national,
			None,
			KycTier::Enhanced,
		),
	];
	let mut parent = ministry;
	for (_, account, level, region) in CONSORTIUM_FINANCE_TREE {
		let account = AccountId::from(account);
		participants.push(member(
			account.clone(),
			Role::FinanceDepartment(level),
			region,
			Some(&parent),
			KycTier::Enhanced,
		));
		parent = account;
	}
	Register { registrars: vec![(clearing, national)], participants }
}

/// `consortium`: the four institutions validate; governance holds sudo.
pub fn consortium_config_genesis() -> Value {
	let validators: Vec<Validator> = CONSORTIUM.iter().map(Institution::validator).collect();
	let governance = AccountId::from(CONSORTIUM_GOVERNANCE);
	let mut endowed: Vec<(AccountId, Balance)> =
		validators.iter().map(|v| (v.account.clone(), INSTITUTION_ENDOWMENT)).collect();
	endowed.push((governance.clone(), INSTITUTION_ENDOWMENT));
	endowed.extend(
		CONSORTIUM_FINANCE_TREE
			.iter()
			.map(|(_, account, _, _)| (AccountId::from(*account), INSTITUTION_ENDOWMENT)),
	);
	genesis(validators, endowed, governance, consortium_register(), DAYS)
}

/// The JSON of the preset `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		CONSORTIUM_PRESET => consortium_config_genesis(),
		_ => return None,
	};
	serde_json::to_string(&patch).ok().map(String::into_bytes)
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(CONSORTIUM_PRESET),
	]
}
