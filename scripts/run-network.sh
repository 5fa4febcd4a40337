#!/usr/bin/env bash
# Runs the four-validator consortium on loopback from the committed chain spec
# (chain-specs/consortium-raw.json). Each validator gets a base path under $NET_DIR, a node key
# (persisted, stable peer id), its session keys inserted into its keystore, its own P2P, RPC and
# Prometheus ports on 127.0.0.1. Stop it with scripts/stop-network.sh.
#
#   scripts/run-network.sh              # start in the background, return when all RPCs answer
#   scripts/run-network.sh --fresh      # wipe the chain data first
#   scripts/run-network.sh --only NAME  # (re)start one validator of a running network
#
# Validator i (0..3): P2P 30333+i, RPC ws://127.0.0.1:(9944+i), Prometheus 9615+i.
# PAYCHAIN_NET_DIR, PAYCHAIN_SPEC and PAYCHAIN_NODE_FLAGS (more node flags) override the defaults.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/network.sh"

NET_DIR="${PAYCHAIN_NET_DIR:-$REPO_ROOT/.local/network}"
# More node flags for every validator (the throughput benchmark sizes the transaction pool).
read -r -a EXTRA_FLAGS <<<"${PAYCHAIN_NODE_FLAGS:-}"
SPEC="${PAYCHAIN_SPEC:-$REPO_ROOT/$CONSORTIUM_SPEC_REL}"
FRESH=0
ONLY=""
while [ $# -gt 0 ]; do
	case "$1" in
		--fresh) FRESH=1 ;;
		--only) ONLY="${2:?--only needs a validator name}"; shift ;;
		*) echo "usage: $0 [--fresh] [--only NAME]" >&2; exit 2 ;;
	esac
	shift
done

require_node_binary
[ -f "$SPEC" ] || { echo "!!! no chain spec at $SPEC" >&2; exit 1; }
mkdir -p "$NET_DIR"

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Starts validator $1 (0..3) in the background.
start_validator() {
	local i=$1 name base
	name=$(validator_name "$i")
	base="$NET_DIR/$name"
	mkdir -p "$base"
	[ -s "$base/node-key" ] || node_key "$i" | tr -d '\n' >"$base/node-key"
	local -a flags
	mapfile -t flags < <(validator_common_flags "$i")
	"$PAYCHAIN_NODE" \
		--chain "$SPEC" \
		--base-path "$base" \
		--node-key-file "$base/node-key" \
		--listen-addr "/ip4/127.0.0.1/tcp/$((P2P_BASE_PORT + i))" \
		--rpc-port "$((RPC_BASE_PORT + i))" \
		--prometheus-port "$((PROMETHEUS_BASE_PORT + i))" \
		"${flags[@]}" \
		"${EXTRA_FLAGS[@]}" \
		>>"$NET_DIR/$name.log" 2>&1 &
	echo $! >>"$NET_DIR/pids"
	echo $! >"$base/pid"
}

insert_session_keys() {
	local i=$1 name inst
	name=$(validator_name "$i")
	inst=$(validator_institution "$i")
	"$PAYCHAIN_NODE" key insert --chain "$SPEC" --base-path "$NET_DIR/$name" \
		--scheme sr25519 --key-type aura --suri "//Paychain//$inst//aura"
	"$PAYCHAIN_NODE" key insert --chain "$SPEC" --base-path "$NET_DIR/$name" \
		--scheme ed25519 --key-type gran --suri "//Paychain//$inst//grandpa"
}

# Waits until validator $1's RPC answers; fails at once, with its log, if it exits.
wait_rpc() {
	local i=$1 name port deadline=$((SECONDS + 120))
	name=$(validator_name "$i")
	port=$((RPC_BASE_PORT + i))
	until curl -sf -H 'Content-Type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}' \
		"http://127.0.0.1:$port" >/dev/null 2>&1; do
		if ! running "$NET_DIR/$name/pid"; then
			echo "!!! validator $name exited; the end of $NET_DIR/$name.log:" >&2
			tail -n 20 "$NET_DIR/$name.log" >&2
			return 1
		fi
		if [ $SECONDS -ge $deadline ]; then
			echo "!!! validator $name: RPC on port $port did not answer within 120 s; see $NET_DIR/$name.log" >&2
			return 1
		fi
		sleep 1
	done
}

selected=()
for i in "${!VALIDATORS[@]}"; do
	if [ -z "$ONLY" ] || [ "$ONLY" = "$(validator_name "$i")" ]; then selected+=("$i"); fi
done
[ ${#selected[@]} -gt 0 ] || { echo "!!! no validator named '$ONLY'" >&2; exit 2; }

for i in "${selected[@]}"; do
	name=$(validator_name "$i")
	if running "$NET_DIR/$name/pid"; then
		echo "!!! validator $name is already running (scripts/stop-network.sh stops the network)" >&2
		exit 1
	fi
done
for i in "${selected[@]}"; do
	name=$(validator_name "$i")
	if [ "$FRESH" = 1 ]; then rm -rf "${NET_DIR:?}/$name"; fi
	step "validator $name: inserting session keys"
	insert_session_keys "$i"
done
for i in "${selected[@]}"; do
	step "validator $(validator_name "$i"): starting (RPC ws://127.0.0.1:$((RPC_BASE_PORT + i)))"
	start_validator "$i"
done
for i in "${selected[@]}"; do wait_rpc "$i"; done
step "up; logs in $NET_DIR/<name>.log; stop with scripts/stop-network.sh"
