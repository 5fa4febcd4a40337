//! The pallets the benchmark CLI measures (`paychain-node benchmark pallet`).

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_accounts, Accounts]
	[pallet_compliance, Compliance]
	[pallet_escrow, Escrow]
	[pallet_fiscal, Fiscal]
	[pallet_ledger, Ledger]
	[pallet_settlement, Settlement]
);
