#!/usr/bin/env bash
# Generates the committed chain spec chain-specs/consortium-raw.json from the runtime's
# `consortium` preset, with the consortium's protocol id and properties (from the node) and its
# four validators as bootnodes (peer ids from their node keys, scripts/lib/network.sh).
# Never edit the spec by hand: change the preset or the network definition and re-run this.
#
#   scripts/gen-chain-specs.sh          # write chain-specs/consortium-raw.json
#   scripts/gen-chain-specs.sh --check  # fail if the committed spec differs from a fresh one
#
# The check compares everything but the runtime code (`:code`) exactly, and says whether the
# code is byte-identical too. Runtime builds are not yet reproducible across checkouts: the Wasm's
# symbol hashes depend on the path of the workspace crates (cargo's `-C metadata`), so a clone
# elsewhere builds a slightly different blob. A differing code blob alone is therefore reported,
# not failed; a reproducible build (a pinned build image, as srtool provides) would let it fail.
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

if [ "$CHECK" = 1 ]; then
	python3 - "$REPO_ROOT/$CONSORTIUM_SPEC_REL" "$work/raw.json" <<'PY'
import json, sys
CODE = "0x3a636f6465"  # hex of ":code"
committed, fresh = (json.load(open(p)) for p in sys.argv[1:3])
code = [s["genesis"]["raw"]["top"].pop(CODE, None) for s in (committed, fresh)]
if committed != fresh:
    for key in sorted(set(committed) | set(fresh)):
        if committed.get(key) != fresh.get(key):
            print(f"!!! chain spec field '{key}' differs from what the runtime and node generate now", file=sys.stderr)
    print("!!! re-run scripts/gen-chain-specs.sh and commit the result", file=sys.stderr)
    sys.exit(1)
same = "is identical to" if code[0] == code[1] else "differs from (see the script's header)"
print(f"==> gen-chain-specs.sh: genesis, bootnodes and properties up to date; the runtime code {same} this build's")
PY
else
	write_or_check 0 "$work/raw.json" "$CONSORTIUM_SPEC_REL"
fi
