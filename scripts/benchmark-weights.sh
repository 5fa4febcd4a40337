#!/usr/bin/env bash
# Regenerates the weights of Paychain's own pallets with the benchmark CLI, on this machine:
# every benchmark of each pallet, written to its `weights.rs` through our pallet template
# (a `WeightInfo` trait, `SubstrateWeight<T>` priced with the runtime's database weights, and `()`).
# Builds the benchmark node first (`scripts/build.sh --benchmarks`).
#   scripts/benchmark-weights.sh                  # every pallet
#   scripts/benchmark-weights.sh pallet_accounts  # one pallet
# STEPS and REPEAT override the sampling (defaults 50 and 20).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

# pallet name -> its weights file.
declare -A PALLETS=(
	[pallet_accounts]=pallets/accounts/src/weights.rs
	[pallet_compliance]=pallets/compliance/src/weights.rs
	[pallet_escrow]=pallets/escrow/src/weights.rs
	[pallet_fiscal]=pallets/fiscal/src/weights.rs
	[pallet_ledger]=pallets/ledger/src/weights.rs
	[pallet_settlement]=pallets/settlement/src/weights.rs
)

"$REPO_ROOT/scripts/build.sh" --benchmarks
BENCH_NODE="$CARGO_TARGET_DIR/benchmark/paychain-node"
selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${!PALLETS[@]}")
for pallet in "${selected[@]}"; do
	output=${PALLETS[$pallet]:-}
	if [ -z "$output" ]; then
		echo "!!! $(basename "$0"): unknown pallet $pallet (known: ${!PALLETS[*]})" >&2
		exit 2
	fi
	step "benchmarking $pallet -> $output"
	"$BENCH_NODE" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "${STEPS:-50}" \
		--repeat "${REPEAT:-20}" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template scripts/templates/pallet-weights.hbs \
		--header scripts/templates/header.txt \
		--output "$output"
done
step "done: review the diff and commit the weights"
