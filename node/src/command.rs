//! Runs the subcommand (or the node) the command line asks for.

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service,
};
use paychain_runtime::opaque::Block;
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"Paychain Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://example.invalid/paychain/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(match id {
			"dev" | "development" => Box::new(chain_spec::development_chain_spec()?),
			"local" | "local_testnet" => Box::new(chain_spec::local_chain_spec()?),
			"consortium" => Box::new(chain_spec::consortium_chain_spec()?),
			"" => {
				return Err("no chain given: pass --chain with dev, local, consortium or the path \
				            of a chain spec (e.g. chain-specs/consortium-raw.json), or --dev"
					.into())
			},
			path => {
				let path = std::path::PathBuf::from(path);
				if !path.is_file() {
					return Err(format!(
						"chain spec {} does not exist (known chains: dev, local, consortium)",
						path.display()
					));
				}
				Box::new(
					chain_spec::ChainSpec::from_json_file(path.clone())
						.map_err(|e| format!("chain spec {} is not valid: {e}", path.display()))?,
				)
			},
		})
	}
}

/// Parses the command line and runs what it asks for.
pub fn run() -> sc_cli::Result<()> {
	let cli = Cli::from_args();

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		},
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let chain_spec = cli.load_spec(&cmd.chain)?;
			cmd.run(chain_spec)
		},
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config, None)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } =
					service::new_partial(&config, None)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		},
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } =
					service::new_partial(&config, None)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		},
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config, None)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		},
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } =
					service::new_partial(&config, None)?;
				let aux_revert = Box::new(|client, _, blocks| {
					sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		},
		#[cfg(feature = "runtime-benchmarks")]
		Some(Subcommand::Benchmark(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| benchmark(cmd, config))
		},
		#[cfg(not(feature = "runtime-benchmarks"))]
		Some(Subcommand::Benchmark { .. }) => Err("this node was built without benchmarks: \
			build one with `scripts/build.sh --benchmarks`"
			.into()),
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		},
		None => {
			let runner = cli.create_runner(&cli.run)?;
			let proposal = service::Authoring {
				slot_share: f32::from(cli.proposal_slot_percent) / 100.0,
				finish: sp_runtime::Percent::from_percent(cli.proposal_finish_percent),
				parent_wait: sp_runtime::Percent::from_percent(cli.proposal_wait_percent),
			};
			let finality = service::Finality { vote_depth: cli.grandpa_vote_depth };
			let upkeep = service::PoolUpkeep::from_params(
				cli.pool_revalidation_ms,
				&cli.run.pool_config,
				cli.run.shared_params.is_dev(),
			);
			runner.run_node_until_exit(|config| async move {
				ensure_rpc_ports_free(&config)?;
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => {
						service::new_full::<
							sc_network::NetworkWorker<
								Block,
								<Block as sp_runtime::traits::Block>::Hash,
							>,
						>(config, proposal, finality, upkeep)
						.map_err(sc_cli::Error::Service)
					},
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(
							config, proposal, finality, upkeep,
						)
						.map_err(sc_cli::Error::Service)
					},
				}
			})
		},
	}
}

/// Fails if a port the RPC server must listen on is taken.
///
/// Left alone, the SDK moves the RPC server to a random free port when the configured one is
/// taken: an operator (or a wallet, or a monitoring probe) would then find no RPC where the
/// configuration says it is. A port in use is a configuration error: say so and stop.
fn ensure_rpc_ports_free(config: &sc_service::Configuration) -> sc_cli::Result<()> {
	let addresses: Vec<std::net::SocketAddr> = match &config.rpc.addr {
		Some(endpoints) => endpoints
			.iter()
			.filter(|endpoint| !endpoint.is_optional)
			.map(|endpoint| endpoint.listen_addr)
			.collect(),
		None => vec![(std::net::Ipv4Addr::LOCALHOST, config.rpc.port).into()],
	};
	for address in addresses.into_iter().filter(|address| address.port() != 0) {
		std::net::TcpListener::bind(address).map_err(|e| {
			sc_cli::Error::Input(format!(
				"cannot listen for JSON-RPC on {address}: {e}. Is another node running? \
				 Choose a free port with --rpc-port."
			))
		})?;
	}
	Ok(())
}

/// Runs a `benchmark` subcommand.
#[cfg(feature = "runtime-benchmarks")]
fn benchmark(
	cmd: &frame_benchmarking_cli::BenchmarkCmd,
	config: sc_service::Configuration,
) -> sc_cli::Result<()> {
	use crate::benchmarking::{inherent_benchmark_data, RemarkBuilder, TransferKeepAliveBuilder};
	use frame_benchmarking_cli::{BenchmarkCmd, ExtrinsicFactory, SUBSTRATE_REFERENCE_HARDWARE};
	use paychain_runtime::EXISTENTIAL_DEPOSIT;
	use sp_keyring::Sr25519Keyring;
	use sp_runtime::traits::HashingFor;

	match cmd {
		BenchmarkCmd::Pallet(cmd) => {
			cmd.run_with_spec::<HashingFor<Block>, ()>(Some(config.chain_spec))
		},
		BenchmarkCmd::Block(cmd) => {
			let PartialComponents { client, .. } = service::new_partial(&config, None)?;
			cmd.run(client)
		},
		BenchmarkCmd::Storage(cmd) => {
			let PartialComponents { client, backend, .. } = service::new_partial(&config, None)?;
			let db = backend.expose_db();
			let storage = backend.expose_storage();
			let shared_cache = backend.expose_shared_trie_cache();
			cmd.run(config, client, db, storage, shared_cache)
		},
		BenchmarkCmd::Overhead(cmd) => {
			let PartialComponents { client, .. } = service::new_partial(&config, None)?;
			let ext_builder = RemarkBuilder::new(client.clone());
			cmd.run(
				config.chain_spec.name().into(),
				client,
				inherent_benchmark_data()?,
				Vec::new(),
				&ext_builder,
				false,
			)
		},
		BenchmarkCmd::Extrinsic(cmd) => {
			let PartialComponents { client, .. } = service::new_partial(&config, None)?;
			// A remark (the cheapest extrinsic) and a transfer (the plainest payment).
			let ext_factory = ExtrinsicFactory(vec![
				Box::new(RemarkBuilder::new(client.clone())),
				Box::new(TransferKeepAliveBuilder::new(
					client.clone(),
					Sr25519Keyring::Alice.to_account_id(),
					EXISTENTIAL_DEPOSIT,
				)),
			]);
			cmd.run(client, inherent_benchmark_data()?, Vec::new(), &ext_factory)
		},
		BenchmarkCmd::Machine(cmd) => cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone()),
	}
}
