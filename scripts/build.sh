#!/usr/bin/env bash
# Builds the node (with its Wasm runtime) into the persistent target directory.
#   scripts/build.sh               # release: $CARGO_TARGET_DIR/release/paychain-node
#   scripts/build.sh --benchmarks  # with the benchmark CLI and runtime benchmarks:
#                                  # $CARGO_TARGET_DIR/benchmark/paychain-node
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"
case "${1:-}" in
	"")
		step "cargo build --release -p paychain-node (target dir $CARGO_TARGET_DIR)"
		cargo build --locked --release -p paychain-node
		step "built $PAYCHAIN_NODE"
		;;
	--benchmarks)
		step "cargo build --profile benchmark --features runtime-benchmarks -p paychain-node"
		cargo build --locked --profile benchmark --features runtime-benchmarks -p paychain-node
		step "built $CARGO_TARGET_DIR/benchmark/paychain-node"
		;;
	*) echo "usage: $0 [--benchmarks]" >&2; exit 2 ;;
esac
