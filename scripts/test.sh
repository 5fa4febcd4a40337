#!/usr/bin/env bash
# The test command: everything CI runs, in order.
#   1. machine setup (idempotent)         5. chain spec and compose file up to date
#   2. rustfmt --check                    6. unit tests (cargo test --release), and the
#   3. build the node (release)              pallets' benchmarks run as tests
#   4. clippy -D warnings                 7. a short fuzzing run of the runtime (fuzz/)
#                                         8. end-to-end: the real node on loopback and a
#                                            stock Polkadot.js client (tests/e2e)
# Everything shares one release profile and the persistent target directory, so the SDK's
# dependency tree compiles once.
#   scripts/test.sh [--no-e2e]
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

E2E=1
[ "${1:-}" = "--no-e2e" ] && E2E=0
start=$SECONDS
timed() { local t=$SECONDS; "$@"; step "($(($SECONDS - t)) s) $*"; }

step "1/8 setup";            timed scripts/setup.sh
step "2/8 rustfmt";          timed cargo fmt --all -- --check
                             timed cargo fmt --manifest-path fuzz/Cargo.toml -- --check
step "3/8 build";            timed scripts/build.sh
# The pallets, for the steps that give them (and only them) the `runtime-benchmarks` feature.
pallets=()
for dir in pallets/*/; do pallets+=(-p "pallet-$(basename "$dir")"); done
# Clippy runs in the release profile with the same environment as the build, so it reuses the
# build's proc-macros and build-script results (the Wasm runtime is not rebuilt). Setting
# SKIP_WASM_BUILD here would rerun the runtime's build script and force the next build to
# recompile the runtime.
step "4/8 clippy";           timed cargo clippy --locked --release --workspace --all-targets -- -D warnings
# The benchmark code is compiled only with the feature: lint it too.
                             timed cargo clippy --locked --release "${pallets[@]}" --all-targets \
                                 --features runtime-benchmarks -- -D warnings
step "5/8 generated files";  timed scripts/gen-chain-specs.sh --check
                             timed scripts/gen-docker-compose.sh --check
step "6/8 unit tests";       timed cargo test --locked --release --workspace
# Each pallet's benchmarks run as tests too (against its mock), so a broken benchmark fails here
# rather than when weights are next generated. Only the pallets' dependencies get the feature.
                             timed cargo test --locked --release "${pallets[@]}" --features runtime-benchmarks
step "7/8 fuzzing";          timed scripts/fuzz.sh --seconds "${PAYCHAIN_FUZZ_SECONDS:-60}"
if [ "$E2E" = 1 ]; then
	step "8/8 end-to-end"
	(
		cd tests/e2e
		timed npm ci --no-audit --no-fund --loglevel=error
		timed npm test
	)
fi
step "all passed in $((SECONDS - start)) s"
