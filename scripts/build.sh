#!/usr/bin/env bash
# Builds the node (with its Wasm runtime) in release, into the persistent target directory.
#   scripts/build.sh [extra cargo args, e.g. --features runtime-benchmarks]
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"
step "cargo build --release -p paychain-node $* (target dir $CARGO_TARGET_DIR)"
cargo build --locked --release -p paychain-node "$@"
step "built $PAYCHAIN_NODE"
