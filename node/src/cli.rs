//! Command-line interface.

use sc_cli::RunCmd;

/// The Paychain node's command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// How to run the node.
	#[clap(flatten)]
	pub run: RunCmd,

	/// The share of its slot, in percent, a validator may spend building a block; the rest of
	/// the slot is for every other validator to receive and import it before the next slot
	/// begins. Also the cap after missed slots. 40 by default: under load on the benchmark's
	/// network, two thirds (the SDK template's) left the next author building on a parent it
	/// had not yet replaced (docs/PERFORMANCE.md, "Block production under load").
	#[arg(
		long,
		value_name = "PERCENT",
		default_value_t = 40,
		value_parser = clap::value_parser!(u8).range(10..=90)
	)]
	pub proposal_slot_percent: u8,

	/// The least share of that proposal time, in percent, held back for finishing the block
	/// (its `finalize_block` and state root) after the last transaction is added; the SDK's
	/// proposer keeps another tenth of what it is given. The validator keeps more, up to 60 %,
	/// while its recent blocks took longer to finish than that leaves (node/src/proposer.rs).
	/// 20 by default: with the SDK's tenth alone, under load on the benchmark's network, a
	/// quarter of the blocks were finished too late and thrown away (docs/PERFORMANCE.md,
	/// "Block production under load").
	#[arg(
		long,
		value_name = "PERCENT",
		default_value_t = 20,
		value_parser = clap::value_parser!(u8).range(0..=50)
	)]
	pub proposal_finish_percent: u8,

	/// The most of its proposal time (`--proposal-slot-percent` of the slot), in percent, an
	/// author waits at its slot's start while it is still importing a block from the network,
	/// so that it builds on that block instead of its parent; the wait comes out of its own
	/// proposal, which still ends with the share. 60 by default: under load on the benchmark's
	/// network authors often began their slot while importing the previous one's block, built
	/// a competing block on the grandparent, and lost the slot (docs/PERFORMANCE.md, "The
	/// hand-off between authors"). 0 starts at once, as the SDK does.
	#[arg(
		long,
		value_name = "PERCENT",
		default_value_t = 60,
		value_parser = clap::value_parser!(u8).range(0..=90)
	)]
	pub proposal_wait_percent: u8,

	/// How many blocks below the best block a validator's GRANDPA votes stay, at least. 0 by
	/// default: votes go to the best block. The SDK's default rule keeps them 2 below, so the
	/// finalized head trailed the best by 3 blocks each time a new one arrived (1 at 0, 2 at
	/// 1, measured under load; docs/PERFORMANCE.md, "Finality"). With one known author per
	/// slot, a vote on the best block risks little: if that block loses a fork, the round
	/// finalizes the common ancestor. GRANDPA's safety does not depend on this setting.
	#[arg(
		long,
		value_name = "BLOCKS",
		default_value_t = 0,
		value_parser = clap::value_parser!(u32).range(0..=16)
	)]
	pub grandpa_vote_depth: u32,

	/// The wall time, in milliseconds, the transaction pool may spend revalidating its ready
	/// transactions after each block before the rest of that revalidation waits (the next
	/// block's revalidation starts afresh, from the transactions nearest to inclusion). 300 by
	/// default, about a tenth of a slot: at a steady load the pool needs less; behind by a
	/// backlog, the SDK's pool revalidates all of it after every block, on the cores that must
	/// build and import the blocks that would clear it (docs/PERFORMANCE.md, "The pool's
	/// upkeep"). 0 leaves revalidation unbounded, as in the SDK. Only for the fork-aware pool.
	#[arg(
		long,
		value_name = "MS",
		default_value_t = 300,
		value_parser = clap::value_parser!(u64).range(0..=60_000)
	)]
	pub pool_revalidation_ms: u64,
}

/// The node's subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect, insert keys and node keys.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification.
	///
	/// Deprecated in the SDK in favour of `export-chain-spec`; kept because it can also turn a
	/// spec into its raw form (`--raw`).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification of a chain (`--chain`).
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks: pallet, overhead, extrinsic, storage, machine, block.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Benchmarks: this node was built without them (`scripts/build.sh --benchmarks` builds
	/// one with them).
	#[cfg(not(feature = "runtime-benchmarks"))]
	Benchmark {
		/// Ignored: the arguments the benchmark would have taken.
		#[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
		args: Vec<String>,
	},

	/// Db meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
