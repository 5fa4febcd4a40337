//! The Paychain node.

#![warn(missing_docs)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

/// The node's allocator on Linux: jemalloc. Under load the node allocates and frees many small,
/// short-lived buffers on many threads (trie nodes and values, each runtime call's encoded
/// arguments and results, network messages); with glibc's allocator that was about an eighth of
/// the machine's time (docs/PERFORMANCE.md, "The node's allocator"). The runtime's own heap is
/// inside its Wasm memory and is not affected.
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> sc_cli::Result<()> {
	command::run()
}
