#!/usr/bin/env bash
# Runs a development node: one validator (Alice), a fresh temporary chain each time,
# RPC on ws://127.0.0.1:9944, Prometheus on 127.0.0.1:9615. Ctrl-C stops it.
# Sets the machine up and builds the node first if needed.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
"$REPO_ROOT/scripts/setup.sh"
"$REPO_ROOT/scripts/build.sh"
step "starting a dev node: ws://127.0.0.1:9944"
exec "$PAYCHAIN_NODE" --dev --tmp --rpc-port 9944 --rpc-cors all --prometheus-port 9615 "$@"
