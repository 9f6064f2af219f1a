#!/usr/bin/env bash
# The demo: everything up on this machine, from a fresh clone.
#
#   scripts/demo.sh                 devnet with 30 simulated days of history, live until Ctrl-C
#   scripts/demo.sh --days 90 ...   any further flags go to the devnet (see `devnet --help`)
#
# Steps:
#   1. prerequisites: node/npm (apt, when missing and root), the wasm32 rust target and the
#      pinned binaryen (scripts/build-wasm.sh installs those two);
#   2. artifacts: scripts/build-wasm.sh when any artifacts/<name>.wasm is missing or does not
#      match the committed checksums (artifacts/checksums*.txt);
#   3. the devnet binary, built with an optimized but quick-to-build profile (`devnet` in
#      Cargo.toml: the workspace's release profile is tuned for wasm, with LTO);
#   4. the devnet on 127.0.0.1:26657: genesis through governance (a proposal stores the
#      artifacts, a second instantiates the suite at predicted addresses), 30 simulated days of
#      traffic, then a live block every second until Ctrl-C.
#   5. (upcoming) Postgres + indexer + dashboard, reading the devnet's RPC: see the marked
#      place below.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RPC_LISTEN="${DEVNET_LISTEN:-127.0.0.1:26657}"
CONTRACTS=(mock_pyth oracle bme escrow reservations pip)

say() { printf '\n\033[1m[demo] %s\033[0m\n' "$*"; }
die() { printf '[demo] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
  if ((EUID == 0)); then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root for: $*"
  fi
}

# --- 1. prerequisites ------------------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found: install rustup (rust-toolchain.toml pins the toolchain)"
if ! command -v node >/dev/null; then
  say "installing node and npm (apt)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
fi

# --- 2. artifacts ----------------------------------------------------------------------------
artifacts_ok() {
  local name
  for name in "${CONTRACTS[@]}"; do
    [[ -f "artifacts/$name.wasm" ]] || return 1
  done
  (cd artifacts && cat checksums.txt checksums-test.txt | sha256sum --check --quiet --status) 2>/dev/null
}
if artifacts_ok; then
  say "artifacts up to date (artifacts/*.wasm match the committed checksums)"
else
  say "building the contracts into artifacts/ (installs the wasm target and pinned binaryen if missing)"
  scripts/build-wasm.sh
fi

# --- 3. devnet binary ------------------------------------------------------------------------
say "building the devnet (profile \`devnet\` in Cargo.toml: release without LTO; the first build takes a few minutes)"
cargo build --locked -p devnet --bin devnet --profile devnet
TARGET_DIR=$(cargo metadata --no-deps --format-version 1 --locked |
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).target_directory)')
DEVNET="$TARGET_DIR/devnet/devnet"
[[ -x "$DEVNET" ]] || die "the build did not produce $DEVNET"

# --- 4. devnet -------------------------------------------------------------------------------
say "starting the devnet on http://$RPC_LISTEN (Ctrl-C stops it)"
# Compiled modules are kept in target/vm-cache, so a second start skips compiling them.
"$DEVNET" --listen "$RPC_LISTEN" --days 30 --vm-cache "$TARGET_DIR/vm-cache" "$@" &
DEVNET_PID=$!
cleanup() {
  kill -INT "$DEVNET_PID" 2>/dev/null || true
  wait "$DEVNET_PID" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 5. indexer (upcoming) -------------------------------------------------------------------
# The indexer issue adds here: a throwaway Postgres cluster, then
#   indexer run --rpc "http://$RPC_LISTEN" --database-url ... &
# once the devnet answers /status (it serves RPC while it builds its history):
#   until curl -sf "http://$RPC_LISTEN/status" >/dev/null; do sleep 0.2; done

wait "$DEVNET_PID"
