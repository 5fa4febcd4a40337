#!/usr/bin/env bash
# Generates the committed chain spec chain-specs/consortium-raw.json from the runtime's
# `consortium` preset, with the consortium's protocol id and properties (from the node) and its
# four validators as bootnodes (peer ids from their node keys, scripts/lib/network.sh).
# Never edit the spec by hand: change the preset or the network definition and re-run this.
#
#   scripts/gen-chain-specs.sh          # write chain-specs/consortium-raw.json
#   scripts/gen-chain-specs.sh --check  # fail if the committed spec differs from a fresh one
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/network.sh"
require_node_binary

CHECK=0
[ "${1:-}" = "--check" ] && CHECK=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "building the plain consortium spec"
"$PAYCHAIN_NODE" build-spec --chain consortium --disable-default-bootnode >"$work/plain.json" 2>"$work/log" \
	|| { cat "$work/log" >&2; exit 1; }

bootnodes=()
for i in "${!VALIDATORS[@]}"; do
	bootnodes+=("/ip4/127.0.0.1/tcp/$((P2P_BASE_PORT + i))/p2p/$(peer_id "$i")")
done
python3 - "$work/plain.json" "${bootnodes[@]}" <<'PY'
import json, sys
path, bootnodes = sys.argv[1], sys.argv[2:]
spec = json.load(open(path))
spec["bootNodes"] = bootnodes
json.dump(spec, open(path, "w"), indent=2)
PY

step "converting to raw"
"$PAYCHAIN_NODE" build-spec --chain "$work/plain.json" --raw --disable-default-bootnode \
	>"$work/raw.json" 2>"$work/log" || { cat "$work/log" >&2; exit 1; }

write_or_check "$CHECK" "$work/raw.json" "$CONSORTIUM_SPEC_REL"
