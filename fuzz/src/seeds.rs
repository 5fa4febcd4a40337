//! The fuzzer's seed inputs: ordinary payments in the input format of [`crate::execute`], so
//! that fuzzing starts from calls that reach the pallets' logic rather than from random bytes.
//! `scripts/fuzz.sh` writes them before each run (the fuzz binary with
//! `PAYCHAIN_FUZZ_MODE=seeds`).

use crate::{accounts, seed};
use paychain_primitives::accounts::{KycTier, RegionCode, Role};
use paychain_runtime::{BalancesCall, ComplianceCall, RuntimeCall, UNITS};
use sp_core::H256;

/// Writes every seed into `dir`; returns how many.
pub fn write(dir: &str) -> std::io::Result<usize> {
	std::fs::create_dir_all(dir)?;
	let accounts = accounts();
	let index = |hex_prefix: &str| {
		accounts
			.iter()
			.position(|a| sp_core::bytes::to_hex(a.as_ref(), false)[2..].starts_with(hex_prefix))
			.unwrap_or_else(|| panic!("no genesis account {hex_prefix}")) as u8
	};
	let account = |i: u8| accounts[i as usize].clone();
	// The consortium's accounts (runtime/src/genesis_config_presets.rs).
	let clearing = index("f0721ec6");
	let payments = index("70d1a702");
	let governance = index("743ae7a1");
	let stranger = (accounts.len() - 1) as u8;

	let pay = |to: u8, amount: u128| -> RuntimeCall {
		ComplianceCall::transfer_keep_alive { dest: account(to).into(), value: amount * UNITS }
			.into()
	};
	let register: RuntimeCall = pallet_accounts::Call::register {
		who: account(stranger),
		role: Role::Individual,
		identity: H256::repeat_byte(7),
		region: RegionCode::NATIONAL,
		parent: None,
		tier: KycTier::Basic,
		kyc_expires_at: 1_000_000,
	}
	.into();
	let seeds: Vec<(&str, Vec<(u8, RuntimeCall)>)> = vec![
		("transfer", vec![(clearing, pay(payments, 10))]),
		("transfers", vec![(clearing, pay(payments, 10)), (payments, pay(clearing, 5))]),
		(
			"batch",
			vec![(
				clearing,
				pallet_utility::Call::batch_all {
					calls: vec![pay(payments, 1), pay(governance, 2)],
				}
				.into(),
			)],
		),
		("register-and-pay", vec![(clearing, register), (clearing, pay(stranger, 100))]),
		(
			"mint",
			vec![(
				clearing,
				pallet_settlement::Call::mint {
					customer: account(payments).into(),
					amount: 1_000 * UNITS,
					reference: H256::repeat_byte(1),
				}
				.into(),
			)],
		),
		(
			"sudo-plain-transfer",
			vec![(
				governance,
				pallet_sudo::Call::sudo {
					call: Box::new(
						BalancesCall::force_transfer {
							source: account(clearing).into(),
							dest: account(payments).into(),
							value: UNITS,
						}
						.into(),
					),
				}
				.into(),
			)],
		),
	];
	for (name, extrinsics) in &seeds {
		std::fs::write(format!("{dir}/{name}"), seed(extrinsics))?;
	}
	Ok(seeds.len())
}
