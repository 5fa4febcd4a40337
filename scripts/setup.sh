#!/usr/bin/env bash
# One-time, idempotent machine setup for building and testing Paychain on Debian.
# Installs: the C toolchain pieces the SDK needs (clang, protobuf-compiler, ...), Node.js and
# npm for the end-to-end test, the Wasm targets and rust-src for the runtime build, rustfmt and
# clippy for the checks.
set -euo pipefail

step() { echo "==> setup: $*"; }
trap 'echo "!!! setup.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PKGS=(protobuf-compiler clang libclang-dev pkg-config libssl-dev make git curl ca-certificates python3)
missing=()
for p in "${PKGS[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# The end-to-end test runs on Node.js (>= 18) with npm; use the machine's if it has them.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
	step "installing Debian packages: ${missing[*]}"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
	step "Debian packages present"
fi

if ! command -v rustup >/dev/null 2>&1; then
	echo "setup.sh: rustup is required (https://rustup.rs); install it and re-run" >&2
	exit 1
fi
installed_targets=$(rustup target list --installed)
for t in wasm32v1-none wasm32-unknown-unknown; do
	if ! grep -qx "$t" <<<"$installed_targets"; then
		step "rustup target add $t"
		rustup target add "$t"
	fi
done
if ! rustup component list --installed | grep -q '^rust-src'; then
	step "rustup component add rust-src"
	rustup component add rust-src
fi
for c in rustfmt clippy; do
	if ! rustup component list --installed | grep -q "^$c"; then
		step "rustup component add $c"
		rustup component add "$c"
	fi
done
step "done"
