#!/usr/bin/env bash
# Stops the network scripts/run-network.sh started (SIGTERM, then SIGKILL after 20 s).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

NET_DIR="${PAYCHAIN_NET_DIR:-$REPO_ROOT/.local/network}"
[ -f "$NET_DIR/pids" ] || { step "no network running from $NET_DIR"; exit 0; }
mapfile -t pids <"$NET_DIR/pids"
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
deadline=$((SECONDS + 20))
for pid in "${pids[@]}"; do
	while kill -0 "$pid" 2>/dev/null; do
		if [ $SECONDS -ge $deadline ]; then kill -9 "$pid" 2>/dev/null || true; break; fi
		sleep 0.5
	done
done
rm -f "$NET_DIR/pids"
step "network stopped"
