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
#   5. a throwaway Postgres cluster (initdb in a temp dir, run as the `postgres` user when we are
#      root, a free port) and `indexer run` (migrate + sync + serve) reading the devnet's RPC
#      into it and serving the dashboard, GraphQL, REST and metrics on 127.0.0.1:8080
#      (INDEXER_LISTEN); the script waits until the indexer has caught up with the history,
#      then prints where everything is. Ctrl-C stops the indexer, the devnet and Postgres, and
#      removes the cluster.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RPC_LISTEN="${DEVNET_LISTEN:-127.0.0.1:26657}"
API_LISTEN="${INDEXER_LISTEN:-127.0.0.1:8080}"
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

# The dashboard's chart library (pinned in indexer/dashboard/package-lock.json).
if [[ ! -f indexer/dashboard/node_modules/chart.js/package.json ]]; then
  say "installing the dashboard's pinned npm packages (indexer/dashboard)"
  (cd indexer/dashboard && npm ci --no-audit --no-fund)
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
cargo build --locked -p devnet --bin devnet -p indexer --bin indexer --profile devnet
TARGET_DIR=$(cargo metadata --no-deps --format-version 1 --locked |
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).target_directory)')
DEVNET="$TARGET_DIR/devnet/devnet"
INDEXER="$TARGET_DIR/devnet/indexer"
[[ -x "$DEVNET" ]] || die "the build did not produce $DEVNET"
[[ -x "$INDEXER" ]] || die "the build did not produce $INDEXER"

# --- 4. devnet -------------------------------------------------------------------------------
say "starting the devnet on http://$RPC_LISTEN (Ctrl-C stops it)"
# Compiled modules are kept in target/vm-cache, so a second start skips compiling them.
# The throwaway Postgres cluster and the logs live here; removed on exit.
PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/supercloud-demo.XXXXXX")
chmod 755 "$PG_DIR"
"$DEVNET" --listen "$RPC_LISTEN" --days 30 --vm-cache "$TARGET_DIR/vm-cache" "$@" >"$PG_DIR/devnet.log" 2>&1 &
DEVNET_PID=$!
tail -n +1 -f "$PG_DIR/devnet.log" &
TAIL_PID=$!
PG_PID=""
INDEXER_PID=""
cleanup() {
  if [[ -n "$INDEXER_PID" ]]; then
    kill -INT "$INDEXER_PID" 2>/dev/null || true
    wait "$INDEXER_PID" 2>/dev/null || true
  fi
  kill -INT "$DEVNET_PID" 2>/dev/null || true
  wait "$DEVNET_PID" 2>/dev/null || true
  if [[ -n "$PG_PID" ]]; then
    # pg_ctl, not a signal to $PG_PID: that is the backgrounded subshell, which ignores SIGINT
    # when the script is stopped by anything but a terminal's Ctrl-C.
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 ||
      kill -INT "$PG_PID" 2>/dev/null || true
    wait "$PG_PID" 2>/dev/null || true
  fi
  kill "$TAIL_PID" 2>/dev/null || true
  if [[ -n "$PG_DIR" ]]; then rm -rf "$PG_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 5. Postgres and the indexer -------------------------------------------------------------
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [[ ! -x "$PG_BIN/initdb" ]]; then
  say "installing postgresql (apt)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
fi
PG_PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# Postgres refuses to run as root.
as_pg() { if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir "$PG_DIR/data"
if ((EUID == 0)); then chown postgres "$PG_DIR" "$PG_DIR/data"; fi
say "starting a throwaway Postgres on 127.0.0.1:$PG_PORT ($PG_DIR, removed on exit)"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
as_pg "$PG_BIN/postgres" -D "$PG_DIR/data" -p "$PG_PORT" -k "$PG_DIR" -c listen_addresses=127.0.0.1 \
  >"$PG_DIR/server.log" 2>&1 &
PG_PID=$!
until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; do sleep 0.1; done
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres indexer
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/indexer"

rpc_height() {
  curl -sf "http://$RPC_LISTEN/status" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).result.sync_info.latest_block_height))'
}
until curl -sf "http://$RPC_LISTEN/status" >/dev/null 2>&1; do sleep 0.2; done
say "indexer: run (migrate + sync + serve on http://$API_LISTEN) from http://$RPC_LISTEN into $DATABASE_URL"
"$INDEXER" run --rpc "http://$RPC_LISTEN" --listen "$API_LISTEN" &
INDEXER_PID=$!

# Caught up = the cursor reached the tip the devnet had once its history was built (it then
# prints its summary and goes live).
until grep -q -e '^devnet: live' -e '^devnet: --no-live' "$PG_DIR/devnet.log"; do
  kill -0 "$DEVNET_PID" 2>/dev/null || die "the devnet stopped; see its log above"
  sleep 0.5
done
tip=$(rpc_height)
while :; do
  h=$("$PG_BIN/psql" -X -A -t -h 127.0.0.1 -p "$PG_PORT" -U postgres -d indexer \
    -c 'SELECT block_height FROM sync_cursor' 2>/dev/null || echo 0)
  ((${h:-0} >= tip)) && break
  kill -0 "$INDEXER_PID" 2>/dev/null || die "the indexer stopped; see its log above"
  sleep 0.5
done
say "the indexer caught up with the history (height $h)"
until curl -sf "http://$API_LISTEN/readyz" >/dev/null 2>&1; do
  kill -0 "$INDEXER_PID" 2>/dev/null || die "the indexer stopped; see its log above"
  sleep 0.5
done
"$INDEXER" status --rpc "http://$RPC_LISTEN" | head -n 14 || true
# The devnet's accounts derive from one mnemonic; index 0 is free for your own transactions.
mnemonic_line=$(grep -m1 '^mnemonic:' "$PG_DIR/devnet.log" || true)
dev_addr=$(awk '$2 == "dev" { print $3; exit }' "$PG_DIR/devnet.log")
cat <<EOF

$mnemonic_line
  account index 0 (m/44'/118'/0'/0/0, bech32 akash): $dev_addr, 1,000,000 AKT, never used by the scenario
  sign with CosmJS: DirectSecp256k1HdWallet.fromMnemonic(<the mnemonic>, { prefix: "akash" }),
  SigningCosmWasmClient on http://$RPC_LISTEN, gas price 0.025uakt (fee "auto" works)

  dashboard             http://$API_LISTEN/
  GraphQL (explorer)    http://$API_LISTEN/graphql
  REST (Console shapes) http://$API_LISTEN/v1/dashboard-data
  CSV export            http://$API_LISTEN/v1/export/spend.csv?groupBy=provider
  metrics               http://$API_LISTEN/metrics
  health                http://$API_LISTEN/healthz  http://$API_LISTEN/readyz
  RPC (CometBFT 0.38)   http://$RPC_LISTEN
  Postgres              $DATABASE_URL
  indexer status        DATABASE_URL=$DATABASE_URL $INDEXER status --rpc http://$RPC_LISTEN

Ctrl-C stops the indexer, the devnet and Postgres, and removes the cluster.
EOF

wait "$DEVNET_PID"
