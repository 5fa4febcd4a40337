#!/usr/bin/env bash
# Fuzzes the runtime (fuzz/: arbitrary calls from arbitrary origins, block by block, every
# invariant checked after each block) with libFuzzer, on stable Rust, after checking the runtime
# upgrade from the spec-111 chain offline with try-runtime (fuzz/src/upgrade.rs). The
# fuzz crate is built with LLVM's coverage instrumentation (as `cargo fuzz --sanitizer none`
# does) into its own target triple's directory of the shared target dir, so the node's build is
# untouched.
#   scripts/fuzz.sh [--seconds N] [--jobs J] [-- <libFuzzer options>]
#   scripts/fuzz.sh --replay FILE...   # run inputs (a crash's) once, without fuzzing
# The corpus grows in ~/.cache/paychain-fuzz/corpus across runs; a crash's input is written to
# ~/.cache/paychain-fuzz/crashes/ and fails the run.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

SECONDS_TO_RUN=60
JOBS=1
REPLAY=()
EXTRA=()
while [ $# -gt 0 ]; do
	case "$1" in
		--seconds) SECONDS_TO_RUN=${2:?}; shift 2 ;;
		--jobs) JOBS=${2:?}; shift 2 ;;
		--replay) shift; REPLAY=("$@"); break ;;
		--) shift; EXTRA=("$@"); break ;;
		*) echo "usage: $0 [--seconds N] [--jobs J] [-- <libFuzzer options>] | --replay FILE..." >&2; exit 2 ;;
	esac
done
if ! [[ "$SECONDS_TO_RUN" =~ ^[0-9]+$ ]] || [ "$SECONDS_TO_RUN" -lt 1 ]; then
	echo "!!! fuzz.sh: --seconds must be a positive whole number, not '$SECONDS_TO_RUN'" >&2; exit 2
fi
if ! [[ "$JOBS" =~ ^[0-9]+$ ]] || [ "$JOBS" -lt 1 ]; then
	echo "!!! fuzz.sh: --jobs must be a positive whole number, not '$JOBS'" >&2; exit 2
fi

TRIPLE=$(rustc -vV | sed -n 's/^host: //p')
# LLVM's SanitizerCoverage, which libFuzzer reads; --cfg fuzzing as cargo-fuzz sets it; debug
# assertions (the SDK's `defensive!` checks panic) and overflow checks on.
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
step "building the fuzz target (instrumented, $TRIPLE)"
# The runtime runs natively here: no Wasm build.
SKIP_WASM_BUILD=1 cargo build --locked --release --manifest-path fuzz/Cargo.toml --target "$TRIPLE" --bins
BIN="$CARGO_TARGET_DIR/$TRIPLE/release"

WORK="${PAYCHAIN_FUZZ_DIR:-$HOME/.cache/paychain-fuzz}"
mkdir -p "$WORK/corpus" "$WORK/crashes" "$WORK/seeds"
if [ ${#REPLAY[@]} -gt 0 ]; then
	step "replaying ${#REPLAY[@]} input(s)"
	exec "$BIN/runtime" "${REPLAY[@]}"
fi
# The runtime upgrade from the spec-111 chain, offline with try-runtime's checks; then the seeds.
PAYCHAIN_FUZZ_MODE=try-upgrade "$BIN/runtime"
PAYCHAIN_FUZZ_MODE=seeds PAYCHAIN_FUZZ_SEEDS="$WORK/seeds" "$BIN/runtime"
step "fuzzing for $SECONDS_TO_RUN s ($JOBS job(s)); corpus $WORK/corpus"
log="$WORK/last-run.log"
cd "$WORK" # libFuzzer's jobs write their logs (fuzz-N.log) into the working directory
rm -f "$WORK"/fuzz-*.log
# Several jobs run as child processes, a log each; one runs in this process.
jobargs=()
if [ "$JOBS" -gt 1 ]; then jobargs=(-jobs="$JOBS" -workers="$JOBS"); fi
set +e
"$BIN/runtime" "$WORK/corpus" "$WORK/seeds" \
	-max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=60 -rss_limit_mb=4096 \
	"${jobargs[@]}" -print_final_stats=1 \
	-artifact_prefix="$WORK/crashes/" "${EXTRA[@]}" 2>&1 | tee "$log" | grep -v '^#[0-9]* *\(NEW\|REDUCE\|pulse\)\|^"\|^######\|^WARNING: Failed to find function'
rc=${PIPESTATUS[0]}
set -e
# One process, or a log per job: sum the executions, and each process's last counters.
logs=()
for f in "$WORK"/fuzz-*.log; do [ -e "$f" ] && logs+=("$f"); done
if [ ${#logs[@]} -eq 0 ]; then logs=("$log"); fi
execs=$(cat "${logs[@]}" | sed -n 's/^stat::number_of_executed_units: *//p' | awk '{s += $1} END {print s}')
reached=$(for f in "${logs[@]}"; do { grep '^#paychain' "$f" || true; } | tail -1 | sed 's/^#paychain //'; done | paste -sd ';' -)
step "executed ${execs:-?} inputs in $SECONDS_TO_RUN s (${reached:-fewer than 4096 inputs, no counters yet}); corpus $(ls "$WORK/corpus" | wc -l) inputs"
if [ "$rc" != 0 ]; then
	echo "!!! fuzz.sh: the fuzzer found a crash (exit $rc): see above; its input is in $WORK/crashes/ (replay: scripts/fuzz.sh --replay FILE)" >&2
	exit "$rc"
fi
