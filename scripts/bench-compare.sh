#!/usr/bin/env bash
# Compares node settings on the throughput benchmark by repeated, alternated runs: on this
# machine single runs at the same settings spread over 200 payments a second (docs/PERFORMANCE.md,
# "One run is not a measurement"), so a setting is judged by the median of several runs.
#
#   scripts/bench-compare.sh --rounds 3 --rate 1100 --kinds bulk -- "" "--trie-cache-size 0"
#   scripts/bench-compare.sh --rounds 5 --rate 1000 --kinds bulk -- ""   # the node as it is, 5 runs
#   scripts/bench-compare.sh --rounds 3 --rate 1100 --kinds bulk -- "PAYCHAIN_NODE=$HOME/old-node" ""
#
# Each variant is a string of extra node flags ("" is the node as it is); its leading NAME=VALUE
# words (no spaces in the value) are set in the environment of its runs instead, for example
# PAYCHAIN_NODE=<another build of paychain-node> to compare two runtimes. A round runs every
# variant once, in the order given, so that a slow period of the machine falls on all of them.
# Each run is scripts/bench-tps.sh, given every option before `--` but --rounds (its load options:
# --rate, --baseline-rate, --duration, --accounts, --kinds; it refuses any other before it
# starts, which stops the comparison); its results.json and the validators' logs are kept in
# .local/compare/<round>-<variant>/. At the end a table gives, for each variant and kind, the
# finalized payments a second of every run and their median, the slots without a block and the
# proposals Aura discarded for taking too long.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

usage() { sed -n '2,19p' "$0"; }
ROUNDS=3
LOAD=()
while [ $# -gt 0 ]; do
	case "$1" in
		--rounds)
			[ $# -ge 2 ] || { echo "!!! --rounds needs a value" >&2; exit 2; }
			ROUNDS=$2
			shift
			;;
		--) shift; break ;;
		-h | --help) usage; exit 0 ;;
		*) LOAD+=("$1") ;;
	esac
	shift
done
VARIANTS=("$@")
if ! [[ "$ROUNDS" =~ ^[0-9]+$ ]] || [ "$ROUNDS" -lt 1 ] || [ "$ROUNDS" -gt 20 ]; then
	echo "!!! --rounds must be a whole number from 1 to 20, not '$ROUNDS'" >&2
	exit 2
fi
if [ "${#VARIANTS[@]}" -eq 0 ]; then
	echo "!!! name at least one variant after --, for example -- \"\" \"--trie-cache-size 0\"" >&2
	exit 2
fi

OUT="$REPO_ROOT/.local/compare"
TPS_DIR="${PAYCHAIN_TPS_DIR:-$REPO_ROOT/.local/tps}"
rm -rf "$OUT"
mkdir -p "$OUT"
printf '%s\n' "${VARIANTS[@]}" >"$OUT/variants"
for ((round = 1; round <= ROUNDS; round++)); do
	for v in "${!VARIANTS[@]}"; do
		run="$OUT/$round-$v"
		mkdir -p "$run"
		step "round $round of $ROUNDS, variant $((v + 1)): [${VARIANTS[$v]}]"
		# A run that measured but found a transaction lost, doubled or failed (exit 1) counts, and
		# is flagged; one that could not measure (exit 2: refused parameters, which would fail
		# every run alike, or a benchmark error; or any other failure, such as a build that broke)
		# stops the comparison. What an earlier run left in bench-tps.sh's directory goes first:
		# a run that fails before it starts would leave it there, to be counted as its own.
		read -ra words <<<"${VARIANTS[$v]}"
		envs=()
		flags=()
		for w in ${words[@]+"${words[@]}"}; do
			if [ "${#flags[@]}" -eq 0 ] && [[ "$w" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then
				envs+=("$w")
			else
				flags+=("$w")
			fi
		done
		rm -f "$TPS_DIR/results.json" "$TPS_DIR"/*.log
		status=0
		env ${envs[@]+"${envs[@]}"} PAYCHAIN_TPS_NODE_FLAGS="${flags[*]}" \
			"$REPO_ROOT/scripts/bench-tps.sh" "${LOAD[@]}" >"$run/bench.out" 2>&1 || status=$?
		# Interrupted (bench-tps.sh stopped its validators and exited 130): stop here too.
		[ "$status" -lt 128 ] || exit "$status"
		if [ "$status" -gt 1 ]; then
			tail -n 20 "$run/bench.out" >&2
			echo "!!! bench-tps.sh could not measure (exit $status); its output: $run/bench.out" >&2
			exit 2
		fi
		echo "$status" >"$run/status"
		cp "$TPS_DIR"/*.log "$run/" 2>/dev/null || true
		[ -f "$TPS_DIR/results.json" ] && cp "$TPS_DIR/results.json" "$run/"
		# The run's first table, as bench-tps.sh printed it.
		awk '/^\| kind \| submitted/ { t = 1 } t && !/^\|/ { exit } t' "$run/bench.out" || true
	done
done

step "summary ($ROUNDS rounds; runs in $OUT)"
node - "$OUT" "$ROUNDS" <<'JS'
const fs = require('fs');
const path = require('path');
const [out, rounds] = [process.argv[2], Number(process.argv[3])];
const variants = fs.readFileSync(path.join(out, 'variants'), 'utf8').split('\n').slice(0, -1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const discarded = (dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.log'))
  .map((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('Discarding proposal').length - 1)
  .reduce((a, b) => a + b, 0);
console.log('| variant (environment, node flags) | kind | finalized payments/s, each run | median | slots without a block | discarded proposals (all kinds) | runs not clean * |');
console.log('|---|---|---|---:|---:|---:|---:|');
variants.forEach((flags, v) => {
  const byKind = new Map();
  let failedRuns = 0;
  let discards = 0;
  for (let round = 1; round <= rounds; round++) {
    const dir = path.join(out, `${round}-${v}`);
    discards += discarded(dir);
    if (fs.readFileSync(path.join(dir, 'status'), 'utf8').trim() !== '0') failedRuns++;
    const file = path.join(dir, 'results.json');
    if (!fs.existsSync(file)) continue;
    for (const k of JSON.parse(fs.readFileSync(file, 'utf8')).kinds) {
      const row = byKind.get(k.kind) ?? { rates: [], missed: 0 };
      row.rates.push(k.finalized_payments_per_s);
      row.missed += k.slots.in_span - k.slots.with_a_block;
      byKind.set(k.kind, row);
    }
  }
  const name = flags === '' ? '(as it is)' : `\`${flags}\``;
  if (byKind.size === 0) console.log(`| ${name} | — | — | — | — | ${discards} | ${failedRuns} |`);
  for (const [kind, row] of byKind) {
    console.log(`| ${name} | ${kind} | ${row.rates.map((r) => r.toFixed(0)).join(', ')} | ` +
      `${median(row.rates).toFixed(0)} | ${row.missed} | ${discards} | ${failedRuns} |`);
  }
});
console.log('\n* with a transaction lost, doubled or failed, or a validator that failed: see each run\'s bench.out');
JS
