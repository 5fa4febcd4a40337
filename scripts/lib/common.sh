# Shared by the scripts: where things are, and how to fail loudly.
# shellcheck shell=bash

source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# Prints "==> <script>: <message>".
step() { echo "==> $(basename "$0"): $*"; }

# Makes every failure say which script, line and command failed.
on_error() {
	local rc=$? line=$1 cmd=$2
	echo "!!! $(basename "$0"): failed (exit $rc) at line $line: $cmd" >&2
	exit "$rc"
}
trap 'on_error $LINENO "$BASH_COMMAND"' ERR

require_node_binary() {
	if [ ! -x "$PAYCHAIN_NODE" ]; then
		echo "!!! $(basename "$0"): no node binary at $PAYCHAIN_NODE; run scripts/build.sh first" >&2
		exit 1
	fi
}

# For the generators: with --check ($1 = 1), fails unless the committed file $3 (relative to the
# repository) equals the freshly generated $2; otherwise writes $2 to $3.
write_or_check() {
	local check=$1 generated=$2 target=$3
	if [ "$check" = 1 ]; then
		if ! cmp -s "$generated" "$REPO_ROOT/$target"; then
			diff -u "$REPO_ROOT/$target" "$generated" 2>/dev/null | cut -c1-200 | head -n 40 >&2 || true
			echo "!!! $target is not what $(basename "$0") generates now: re-run scripts/$(basename "$0") and commit the result" >&2
			exit 1
		fi
		step "$target is up to date"
	else
		mkdir -p "$(dirname "$REPO_ROOT/$target")"
		cp "$generated" "$REPO_ROOT/$target"
		step "wrote $target"
	fi
}
