# The build environment every script uses; safe to source in an interactive shell, so that cargo
# run by hand shares the scripts' target directory and does not rerun the runtime's build script:
#   source scripts/lib/env.sh
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO_ROOT
# One persistent target directory outside the clone, shared by developers and CI, so a build
# only recompiles what changed.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/paychain-target}"
# Keep the machine's paths out of the on-chain runtime (panic locations, log records). (The Wasm
# still differs between checkouts in its symbol hashes; see scripts/gen-chain-specs.sh.)
export WASM_BUILD_RUSTFLAGS="--remap-path-prefix=$REPO_ROOT=/paychain --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"
# The node binary the scripts run (override with PAYCHAIN_NODE=/path/to/paychain-node).
PAYCHAIN_NODE="${PAYCHAIN_NODE:-$CARGO_TARGET_DIR/release/paychain-node}"
export PAYCHAIN_NODE

