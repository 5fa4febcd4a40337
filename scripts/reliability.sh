#!/usr/bin/env bash
# The reliability tests in one command (docs/RELIABILITY.md): validator faults under load, the
# live runtime upgrade, hostile input over RPC and the pool, transaction gossip to a new peer,
# then the offline upgrade check and a fuzzing run. The short version is what CI runs
# (scripts/test.sh runs the same pieces); the long one holds each fault for 120 s and fuzzes for
# 10 minutes on both cores.
#   scripts/reliability.sh [--long]
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

FAULT_SECONDS=15 FUZZ_SECONDS=60 FUZZ_JOBS=1
case "${1:-}" in
	"") ;;
	--long) FAULT_SECONDS=120 FUZZ_SECONDS=600 FUZZ_JOBS=2 ;;
	*) echo "usage: $0 [--long]" >&2; exit 2 ;;
esac
scripts/setup.sh
scripts/build.sh
(
	cd tests/e2e
	npm ci --no-audit --no-fund --loglevel=error
	step "faults ($FAULT_SECONDS s each), live upgrade, hostile input, gossip"
	PAYCHAIN_FAULT_SECONDS=$FAULT_SECONDS node --test --test-concurrency=1 --test-timeout=1800000 \
		faults.test.mjs upgrade.test.mjs hostile.test.mjs gossip.test.mjs
)
scripts/fuzz.sh --seconds "$FUZZ_SECONDS" --jobs "$FUZZ_JOBS"
step "all passed"
