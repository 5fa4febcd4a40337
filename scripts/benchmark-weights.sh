#!/usr/bin/env bash
# Regenerates every weight the runtime charges, with the benchmark CLI, on this machine:
# - Paychain's pallets: every benchmark (worst-case components), into each pallet's `weights.rs`
#   through our template (a `WeightInfo` trait, `SubstrateWeight<T>` priced with the runtime's
#   database weights, and `()`);
# - the SDK pallets the runtime uses (system, balances, timestamp, sudo, utility) and the SDK's
#   transaction extensions (system's and the fee payment's), into runtime/src/weights/<pallet>.rs
#   with the CLI's own template;
# - `overhead`: the base weight of a block and of an extrinsic (runtime/src/weights/
#   block_weights.rs and extrinsic_weights.rs), measured with the runtime's real transaction
#   extensions;
# - `storage`: ParityDB's read and write weights (runtime/src/weights/paritydb_weights.rs),
#   measured on the state of the throughput benchmark's chain (thousands of registered accounts),
#   not on a near-empty development genesis.
# Builds the benchmark node first (`scripts/build.sh --benchmarks`). Keep the machine otherwise
# idle while it runs.
#   scripts/benchmark-weights.sh                   # everything
#   scripts/benchmark-weights.sh pallet_accounts   # one pallet
#   scripts/benchmark-weights.sh overhead storage  # the base and database weights
# STEPS and REPEAT override the pallets' sampling (defaults 50 and 20).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

# pallet name -> its weights file; Paychain's pallets use our template.
declare -A PALLETS=(
	[pallet_accounts]=pallets/accounts/src/weights.rs
	[pallet_compliance]=pallets/compliance/src/weights.rs
	[pallet_escrow]=pallets/escrow/src/weights.rs
	[pallet_fiscal]=pallets/fiscal/src/weights.rs
	[pallet_ledger]=pallets/ledger/src/weights.rs
	[pallet_settlement]=pallets/settlement/src/weights.rs
	[frame_system]=runtime/src/weights/frame_system.rs
	[frame_system_extensions]=runtime/src/weights/frame_system_extensions.rs
	[pallet_balances]=runtime/src/weights/pallet_balances.rs
	[pallet_timestamp]=runtime/src/weights/pallet_timestamp.rs
	[pallet_transaction_payment]=runtime/src/weights/pallet_transaction_payment.rs
	[pallet_sudo]=runtime/src/weights/pallet_sudo.rs
	[pallet_utility]=runtime/src/weights/pallet_utility.rs
)
WEIGHTS_DIR=runtime/src/weights
HEADER=scripts/templates/header.txt

"$REPO_ROOT/scripts/build.sh" --benchmarks
BENCH_NODE="$CARGO_TARGET_DIR/benchmark/paychain-node"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# `--no-median-slopes`: the weights come from the min-squares analysis (the CLI's default output);
# the median-slopes one is only printed, and for `pallet_ledger::set_workflow` the CLI 64.0.0 grew
# without bound printing it (past 24 GiB, killed by the kernel) — skipped for every pallet.
benchmark_pallet() {
	local pallet=$1 output=$2
	local -a template=()
	case "$output" in
		pallets/*) template=(--template scripts/templates/pallet-weights.hbs) ;;
	esac
	step "benchmarking $pallet -> $output"
	"$BENCH_NODE" benchmark pallet \
		--chain dev \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "${STEPS:-50}" \
		--repeat "${REPEAT:-20}" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--no-median-slopes \
		"${template[@]}" \
		--header "$HEADER" \
		--output "$output"
}

benchmark_overhead() {
	step "benchmarking the block and extrinsic base weights -> $WEIGHTS_DIR"
	"$BENCH_NODE" benchmark overhead \
		--chain dev \
		--base-path "$WORK/overhead" \
		--database paritydb \
		--header "$HEADER" \
		--weight-path "$WEIGHTS_DIR"
}

benchmark_storage() {
	step "cargo build --release -p paychain-node -p paychain-tps (they write the state to measure)"
	cargo build --locked --release -p paychain-node -p paychain-tps
	"$CARGO_TARGET_DIR/release/paychain-tps" spec --node "$PAYCHAIN_NODE" \
		--consortium-spec chain-specs/consortium-raw.json --out "$WORK/tps-raw.json"
	step "benchmarking ParityDB's reads and writes -> $WEIGHTS_DIR/paritydb_weights.rs"
	# Writes are committed in batches of 1,000 keys, about what a full block writes.
	"$BENCH_NODE" benchmark storage \
		--chain "$WORK/tps-raw.json" \
		--base-path "$WORK/storage" \
		--database paritydb \
		--state-version 1 \
		--batch-size 1000 \
		--header "$HEADER" \
		--weight-path "$WEIGHTS_DIR"
}

selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${!PALLETS[@]}" overhead storage)
for what in "${selected[@]}"; do
	case "$what" in
		overhead) benchmark_overhead ;;
		storage) benchmark_storage ;;
		*)
			output=${PALLETS[$what]:-}
			if [ -z "$output" ]; then
				echo "!!! $(basename "$0"): unknown $what (known: ${!PALLETS[*]} overhead storage)" >&2
				exit 2
			fi
			benchmark_pallet "$what" "$output"
			;;
	esac
done
step "done: review the diff and commit the weights"
