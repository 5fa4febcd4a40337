#!/usr/bin/env bash
# The throughput benchmark (docs/PERFORMANCE.md): builds the node and the benchmark, writes the
# benchmark chain's spec (the consortium with thousands of registered, funded accounts), starts
# the four validators on loopback, measures every payment kind against a plain transfer, prints
# the table, and always stops the validators it started.
#
#   scripts/bench-tps.sh                                   # 1,000 payments/s, 60 s a kind, 20,000 accounts
#   scripts/bench-tps.sh --rate 1000 --baseline-rate 500 --duration 60 --kinds bulk   # issue 9's target
#   scripts/bench-tps.sh --rate 1500 --duration 120 --accounts 40000 --kinds plain,compliance
#
# Parameters that cannot work are refused before anything starts (exit 2, as is a run that could
# not measure). Exit 1: a transaction was lost, doubled, failed in its block or refused at
# submission. The results are also written as JSON to results.json beside the chain data and
# logs, in .local/tps/ (or $PAYCHAIN_TPS_DIR). PAYCHAIN_NODE=<path> runs another paychain-node
# build (the benchmark signs with the chain's runtime version).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/network.sh"
cd "$REPO_ROOT"

LOAD=()
while [ $# -gt 0 ]; do
	case "$1" in
		--rate | --baseline-rate | --duration | --accounts | --kinds)
			[ $# -ge 2 ] || { echo "!!! $1 needs a value" >&2; exit 2; }
			LOAD+=("$1" "$2")
			shift
			;;
		-h | --help) sed -n '2,15p' "$0"; exit 0 ;;
		*) echo "!!! unknown argument $1 (see $0 --help)" >&2; exit 2 ;;
	esac
	shift
done

"$REPO_ROOT/scripts/setup.sh"
# Both in one build: the benchmark then shares the node's compiled dependencies.
step "cargo build --release -p paychain-node -p paychain-tps"
cargo build --locked --release -p paychain-node -p paychain-tps
TPS="$CARGO_TARGET_DIR/release/paychain-tps"
"$TPS" check "${LOAD[@]}"

export PAYCHAIN_NET_DIR="${PAYCHAIN_TPS_DIR:-$REPO_ROOT/.local/tps}"
export PAYCHAIN_SPEC="$PAYCHAIN_NET_DIR/spec-raw.json"
"$REPO_ROOT/scripts/stop-network.sh"
rm -rf "$PAYCHAIN_NET_DIR"
mkdir -p "$PAYCHAIN_NET_DIR"
step "writing the benchmark chain's spec"
"$TPS" spec --node "$PAYCHAIN_NODE" --consortium-spec "$REPO_ROOT/$CONSORTIUM_SPEC_REL" \
	--out "$PAYCHAIN_SPEC" "${LOAD[@]}"

# A pool that holds the whole offered load: beyond what the chain sustains, transactions wait
# in it rather than being dropped, and the benchmark checks that every one is finalized.
# PAYCHAIN_TPS_NODE_FLAGS adds flags, for example `-l basic-authorship=debug,slots=debug`.
export PAYCHAIN_NODE_FLAGS="--pool-limit 200000 --pool-kbytes 204800 ${PAYCHAIN_TPS_NODE_FLAGS:-}"
trap '"$REPO_ROOT/scripts/stop-network.sh"' EXIT
trap 'exit 130' INT TERM
"$REPO_ROOT/scripts/run-network.sh" --fresh

validators=()
for i in "${!VALIDATORS[@]}"; do
	name=$(validator_name "$i")
	validators+=(--validator "$name:$((RPC_BASE_PORT + i)):$(cat "$PAYCHAIN_NET_DIR/$name/pid")")
done
step "measuring (the table follows; progress on stderr)"
rc=0
"$TPS" run "${validators[@]}" "${LOAD[@]}" --json "$PAYCHAIN_NET_DIR/results.json" || rc=$?
# A peer's queue of notifications that overflows closes the whole connection (blocks and votes
# too): under a transaction flood that once stopped the network (docs/PERFORMANCE.md,
# "Overload"). Every run says how often it happened.
closed=()
for i in "${!VALIDATORS[@]}"; do
	name=$(validator_name "$i")
	closed+=("$name $(grep -c 'notification channel clogged' "$PAYCHAIN_NET_DIR/$name.log" || true)")
done
step "connections closed for a full notification queue: $(IFS=,; echo "${closed[*]}" | sed 's/,/, /g')"
exit "$rc"
