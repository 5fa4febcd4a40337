//! The node's service: client, database, transaction pool, networking, Aura block production
//! and GRANDPA finality.

use futures::{FutureExt, StreamExt};
use paychain_runtime::{apis::RuntimeApi, opaque::Block};
use sc_client_api::{Backend, BlockBackend, BlockchainEvents, UsageProvider};
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::SharedVoterState;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_consensus_aura::sr25519::AuthorityPair as AuraPair;
use std::{sync::Arc, time::Duration};

/// The host functions the runtime may call: the standard set (no extra ones).
/// The host functions the runtime may call. The benchmark build's runtime also calls the
/// benchmarking ones (`benchmark overhead`, `extrinsic` and `block` run it in the full client).
#[cfg(not(feature = "runtime-benchmarks"))]
type HostFunctions = sp_io::SubstrateHostFunctions;
#[cfg(feature = "runtime-benchmarks")]
type HostFunctions =
	(sp_io::SubstrateHostFunctions, frame_benchmarking::benchmarking::HostFunctions);

/// The full client: executes the Wasm runtime.
pub type FullClient =
	sc_service::TFullClient<Block, RuntimeApi, sc_executor::WasmExecutor<HostFunctions>>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;

/// GRANDPA produces a justification at least every this many blocks (and at every
/// authority-set change), so a syncing node can prove finality without replaying votes.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// The parts of the service the subcommands need, before networking starts.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(
		sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>,
		sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
		Option<Telemetry>,
		Option<Views>,
		paychain_node::handoff::Imports,
	),
>;

/// The pool views whose revalidation is budgeted (`paychain_node::revalidation::Views`).
pub type Views = Arc<std::sync::Mutex<paychain_node::revalidation::Views<BlockHash>>>;
type BlockHash = <Block as sp_runtime::traits::Block>::Hash;

/// The pool's budget for revalidation (`--pool-revalidation-ms`), and the limits the SDK's
/// `--pool-*` flags set for the pool it is given to.
#[derive(Clone, Debug)]
pub struct PoolUpkeep {
	/// The wall time revalidation may take at each block before the rest of it waits.
	pub budget: Duration,
	/// The pool's limits and ban time.
	pub options: sc_transaction_pool::Options,
}

impl PoolUpkeep {
	/// The budget for the pool `params` describe: `None` if there is none to keep (a budget of
	/// zero, or the single-state pool, whose revalidation is already batched).
	pub fn from_params(
		budget_ms: u64,
		params: &sc_cli::TransactionPoolParams,
		is_dev: bool,
	) -> Option<Self> {
		if budget_ms == 0 || !matches!(params.pool_type, sc_cli::TransactionPoolType::ForkAware) {
			return None;
		}
		let options = paychain_node::revalidation::pool_options(params, is_dev);
		Some(Self { budget: Duration::from_millis(budget_ms), options })
	}
}

/// Builds the client, backend, pool and import queue. With `upkeep`, the pool is the fork-aware
/// one with a budget on revalidation (`paychain_node::revalidation`); without it, the pool the
/// SDK's flags choose.
pub fn new_partial(
	config: &Configuration,
	upkeep: Option<&PoolUpkeep>,
) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|x| !x.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let (transaction_pool, views) = match upkeep {
		// The SDK's fork-aware pool, its chain API given a budget for revalidation.
		Some(upkeep) => {
			let spawner = task_manager.spawn_essential_handle();
			let api = paychain_node::revalidation::Budgeted::new(
				sc_transaction_pool::FullChainApi::new(
					client.clone(),
					config.prometheus_registry(),
					&spawner,
				),
				upkeep.budget,
				paychain_node::revalidation::PAUSE,
				config.prometheus_registry(),
			);
			let views = api.views();
			let info = client.usage_info().chain;
			let pool = sc_transaction_pool::ForkAwareTxPool::new_with_background_worker(
				upkeep.options.clone(),
				config.role.is_authority().into(),
				Arc::new(api),
				config.prometheus_registry(),
				spawner,
				info.best_hash,
				info.finalized_hash,
			);
			(Arc::new(sc_transaction_pool::TransactionPoolWrapper(Box::new(pool))), Some(views))
		},
		None => (
			Arc::from(
				sc_transaction_pool::Builder::new(
					task_manager.spawn_essential_handle(),
					client.clone(),
					config.role.is_authority().into(),
				)
				.with_options(config.transaction_pool.clone())
				.with_prometheus(config.prometheus_registry())
				.build(),
			),
			None,
		),
	};

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;

	// The blocks from the network being imported, counted for the next author to wait for
	// (`paychain_node::handoff`).
	let imports = paychain_node::handoff::Imports::new();
	let cidp_client = client.clone();
	let import_queue =
		sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
			block_import: paychain_node::handoff::Tracked::new(
				grandpa_block_import.clone(),
				imports.clone(),
			),
			justification_import: Some(Box::new(grandpa_block_import.clone())),
			client: client.clone(),
			create_inherent_data_providers: move |parent_hash, _| {
				let cidp_client = cidp_client.clone();
				async move {
					let slot_duration = sc_consensus_aura::standalone::slot_duration_at(
						&*cidp_client,
						parent_hash,
					)?;
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot =
						sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
							*timestamp,
							slot_duration,
						);
					Ok((slot, timestamp))
				}
			},
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			check_for_equivocation: Default::default(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		})?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa_block_import, grandpa_link, telemetry, views, imports),
	})
}

/// How a validator spends its slot on building a block.
#[derive(Clone, Copy, Debug)]
pub struct Authoring {
	/// The share of the slot for building a block (`--proposal-slot-percent`).
	pub slot_share: f32,
	/// The least share of that time kept for finishing the block (`--proposal-finish-percent`;
	/// more while this validator's blocks take longer to finish, see [`paychain_node::proposer`]).
	pub finish: sp_runtime::Percent,
	/// The most of the slot's share an author waits, at the slot's start, for a block it is
	/// importing (`--proposal-wait-percent`; see [`paychain_node::handoff`]).
	pub parent_wait: sp_runtime::Percent,
}

/// How a validator votes in GRANDPA.
#[derive(Clone, Copy, Debug)]
pub struct Finality {
	/// Votes stay at least this many blocks below the best block (`--grandpa-vote-depth`).
	pub vote_depth: u32,
}

impl Finality {
	/// The voting rules: at least `vote_depth` below the best block (no rule at 0), and at
	/// most three quarters of the way from the last finalized block to the best (the SDK's
	/// second default rule, which bounds a vote when finality has fallen behind).
	fn voting_rule(
		self,
	) -> impl sc_consensus_grandpa::VotingRule<Block, FullClient> + Clone + 'static {
		let builder = sc_consensus_grandpa::VotingRulesBuilder::new();
		let builder = if self.vote_depth == 0 {
			builder
		} else {
			builder.add(sc_consensus_grandpa::BeforeBestBlockBy(self.vote_depth))
		};
		builder.add(sc_consensus_grandpa::ThreeQuartersOfTheUnfinalizedChain).build()
	}
}

/// Builds and starts a full node: networking, RPC, and — for a validator — Aura authoring as
/// `proposal` says, and the GRANDPA voter as `finality` says.
pub fn new_full<
	N: sc_network::NetworkBackend<Block, <Block as sp_runtime::traits::Block>::Hash>,
>(
	config: Configuration,
	proposal: Authoring,
	finality: Finality,
	upkeep: Option<PoolUpkeep>,
) -> Result<TaskManager, ServiceError> {
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, mut telemetry, views, imports),
	} = new_partial(&config, upkeep.as_ref())?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as sp_runtime::traits::Block>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let peer_store_handle = net_config.peer_store_handle();
	let genesis_hash = client
		.block_hash(0)
		.ok()
		.flatten()
		.ok_or_else(|| ServiceError::Other("the database has no genesis block".into()))?;
	let grandpa_protocol_name =
		sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			peer_store_handle,
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::default(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			// The network gossips the ready queue in bounded rounds (`gossip.rs`).
			transaction_pool: Arc::new(paychain_node::gossip::GossipPool::new(
				transaction_pool.clone(),
			)),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	if config.offchain_worker.enabled {
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				custom_extensions: |_| vec![],
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let role = config.role;
	let force_authoring = config.force_authoring;
	let backoff_authoring_blocks: Option<()> = None;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();

		Box::new(move |_| {
			let deps = crate::rpc::FullDeps { client: client.clone(), pool: pool.clone() };
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	// The pool's revalidation budget counts from when a block's view is built.
	if let Some(views) = views {
		task_manager.spawn_handle().spawn(
			"txpool-views-built",
			Some("transaction-pool"),
			paychain_node::revalidation::note_built_views(
				client.import_notification_stream().map(|block| block.hash),
				transaction_pool.clone(),
				views,
			),
		);
	}

	let _rpc_handlers = sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: network.clone(),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder: rpc_extensions_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	if role.is_authority() {
		let slot_duration = sc_consensus_aura::slot_duration(&*client)?;
		// The author's share of each slot, as Aura computes it.
		let share = slot_duration.as_duration().mul_f32(proposal.slot_share);
		// A proposal ends with the author's share of its slot, counted from the slot's start
		// (so a wait for the parent comes out of this block, not the next author's time), and
		// keeps back what finishing the block takes.
		let proposer_factory = paychain_node::handoff::SlotDeadline::new(
			paychain_node::proposer::FinishTime::new(
				sc_basic_authorship::ProposerFactory::new(
					task_manager.spawn_handle(),
					client.clone(),
					transaction_pool.clone(),
					prometheus_registry.as_ref(),
					telemetry.as_ref().map(|x| x.handle()),
				),
				proposal.finish,
			),
			slot_duration.as_duration(),
			share,
		);
		// At each slot's start the slot worker asks for the best block once the blocks being
		// imported are in, or a part of the author's share has passed.
		let select_chain = paychain_node::handoff::AwaitImports::new(
			select_chain,
			imports,
			Duration::from_nanos(
				proposal.parent_wait.mul_floor(u64::try_from(share.as_nanos()).unwrap_or(u64::MAX)),
			),
		);

		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client,
				select_chain,
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |_, ()| async move {
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot =
						sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
							*timestamp,
							slot_duration,
						);
					Ok((slot, timestamp))
				},
				force_authoring,
				backoff_authoring_blocks,
				keystore: keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				// `slot_share` of the slot to build a block (40 % by default), the rest to send
				// and import it. After missed slots the SDK grants more time ("lenience"); capped
				// here at the same share, because a block that takes longer than its slot to build
				// arrives after the next author has started its own, and under load that forked
				// every height (see docs/PERFORMANCE.md, "Block production under load").
				block_proposal_slot_portion: SlotProportion::new(proposal.slot_share),
				max_block_proposal_slot_portion: Some(SlotProportion::new(proposal.slot_share)),
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			},
		)?;

		// Block authoring is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		// Only a validator votes, and only it needs the keystore.
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };

		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};

		// Every node runs the full voter (a non-validator just follows): the observer
		// protocol is less tested and could stall finality on a small network.
		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			voting_rule: finality.voting_rule(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};

		// The voter is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}
