#!/usr/bin/env bash
# Runs every test of the repository. The one command CI runs (.ci/run calls it).
#
#   scripts/test.sh
#
# On a fresh Debian machine it first installs what is missing (apt packages listed in
# APT_PACKAGES, the wasm32 rust target, the pinned npm packages in scripts/ and in
# indexer/dashboard/), then runs:
#
#   fmt          cargo fmt --all --check
#   clippy       cargo clippy --workspace --all-targets --locked -- -D warnings
#   build-wasm   scripts/build-wasm.sh                  (artifacts/*.wasm + checksum files)
#   test         cargo test --workspace --locked        (the two-backend flows and the devnet
#                run the artifacts just built; the indexer tests start throwaway Postgres
#                clusters and drive the dashboard in headless Chromium; also builds
#                target/debug/wasm-check)
#   gas-bench    the gas benchmark on the artifacts (target/bench/gas.{json,md}); fails if a
#                path that must be flat in depositors/reservations is not
#   indexer-bench the indexer benchmark in its quick mode, built with the test profile so nothing
#                is compiled twice (target/bench/indexer.json; full figures: see README)
#   api-bench    the API benchmark in its quick mode, likewise (target/bench/api.json)
#   check-wasm   wasm-check on artifacts/ with the checksum files: every artifact must pass
#   raw-rejected wasm-check on artifacts/raw/ (unlowered): must FAIL for bulk memory, proving
#                the lowering is what makes the artifacts uploadable
#   reproducible the rebuilt checksums must equal the committed artifacts/checksums*.txt (CI
#                clones into a different path, so this is also the path-independence proof)
#   schema       scripts/schema.sh --check              (committed schema/ has no drift)
#   graphql-sdl  `indexer schema` must equal the committed schema/indexer.graphql
#
# Every step runs even if an earlier one failed (except steps that need an earlier result);
# the summary at the end lists each step's status and time. Exit status 1 if any step failed.
# All cargo steps share one target dir, and the checker is the dev binary `cargo test` built, so
# nothing heavy is compiled twice.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# A run from a clean clone gains nothing from incremental caches, which would only double what
# target/ holds for our own crates; disk is the scarce resource on CI.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

# Debian packages the tests need (postgresql: the indexer tests start throwaway clusters;
# chromium: the dashboard's browser test); they get installed with one `apt-get update` +
# `apt-get install` when missing.
APT_PACKAGES=(postgresql chromium)

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
if [[ -t 1 ]]; then BOLD=$'\033[1m' RESET=$'\033[0m'; else BOLD="" RESET=""; fi
banner() { printf '\n%s==> [%s] %s%s\n' "$BOLD" "$(date +%H:%M:%S)" "$*" "$RESET"; }
note() { printf '[test] %s\n' "$*"; }

T0=$(now)
declare -a RESULTS=()
FAILED=0

# run_step <name> <command...>: runs a step with a banner, records status and elapsed time.
run_step() {
  local name="$1"
  shift
  banner "$name: $*"
  local t rc=0
  t=$(now)
  "$@" || rc=$?
  local dt
  dt=$(secs "$t" "$(now)")
  if ((rc == 0)); then
    RESULTS+=("$(printf '%-13s PASS  %7ss' "$name" "$dt")")
    note "$name passed in ${dt}s"
  else
    RESULTS+=("$(printf '%-13s FAIL  %7ss  (exit %d)' "$name" "$dt" "$rc")")
    note "$name FAILED (exit $rc) after ${dt}s"
    FAILED=1
  fi
  return "$rc"
}

skip_step() { # <name> <reason>
  RESULTS+=("$(printf '%-13s SKIP            (%s)' "$1" "$2")")
  banner "$1: skipped ($2)"
  FAILED=1
}

# --- prerequisites -------------------------------------------------------------------------
as_root() {
  if ((EUID == 0)); then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root for: $*" >&2
    return 1
  fi
}

install_prerequisites() {
  # Runs under `||` (set -e is off here), so every command checks its own status.
  local missing=() pkg
  command -v node >/dev/null || missing+=(nodejs npm)
  for pkg in "${APT_PACKAGES[@]+"${APT_PACKAGES[@]}"}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]} > 0)); then
    note "apt: installing ${missing[*]}"
    as_root apt-get update || return 1
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" || return 1
  fi

  command -v cargo >/dev/null || { echo "cargo not found: install rustup (the toolchain is pinned in rust-toolchain.toml)" >&2; return 1; }
  note "$(rustc --version)" || return 1
  # A cold run writes about 4 GB to target/ (measured from a clean clone); say so up front
  # rather than failing half-way with "No space left on device".
  local target="${CARGO_TARGET_DIR:-target}" avail_kb
  mkdir -p "$target"
  avail_kb=$(df -Pk "$target" | awk 'NR == 2 { print $4 }')
  note "disk: $((avail_kb / 1024 / 1024)) GiB free for $target/ (a cold run needs about 4 GiB)"
  ((avail_kb > 5 * 1024 * 1024)) || note "WARNING: less than 5 GiB free; the build may run out of disk"
  cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt || return 1
  cargo clippy --version >/dev/null 2>&1 || rustup component add clippy || return 1
  rustup target list --installed | grep -qx wasm32-unknown-unknown ||
    rustup target add wasm32-unknown-unknown || return 1

  if [[ ! -f scripts/node_modules/binaryen/bin/wasm-opt ]]; then
    note "npm ci in scripts/ (pinned binaryen)"
    (cd scripts && npm ci --no-audit --no-fund) || return 1
  fi
  note "node $(node --version), $(node scripts/node_modules/binaryen/bin/wasm-opt --version)"
  if [[ ! -f indexer/dashboard/node_modules/chart.js/package.json ||
    ! -f indexer/dashboard/node_modules/playwright-core/package.json ]]; then
    note "npm ci in indexer/dashboard/ (pinned chart.js and playwright-core)"
    (cd indexer/dashboard && npm ci --no-audit --no-fund) || return 1
  fi
}

# The GraphQL SDL the indexer serves equals the committed one.
graphql_sdl() {
  cargo run --locked -q -p indexer -- schema | diff -u --label "committed schema/indexer.graphql" \
    --label "indexer schema" schema/indexer.graphql - ||
    { echo "schema/indexer.graphql drifted: cargo run -q -p indexer -- schema > schema/indexer.graphql" >&2; return 1; }
}

# --- steps that need more than one command ------------------------------------------------
TARGET_DIR=""
CHECKER=""
SNAPSHOT=$(mktemp -d "${TMPDIR:-/tmp}/supercloud-test.XXXXXX")
trap 'rm -rf "$SNAPSHOT"' EXIT

# The checksums as committed, taken before build-wasm.sh rewrites them. In CI the working tree
# is the commit; locally it is what you are about to commit.
snapshot_checksums() {
  local f
  for f in checksums.txt checksums-test.txt; do
    if [[ -f "artifacts/$f" ]]; then
      cp "artifacts/$f" "$SNAPSHOT/$f"
      if git rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
        ! git diff --quiet HEAD -- "artifacts/$f" 2>/dev/null; then
        note "artifacts/$f differs from HEAD (uncommitted); comparing against the working copy"
      fi
    fi
  done
}

# The dev-profile binary `cargo test --workspace` built for tools/wasm-check/tests/cli.rs.
find_checker() {
  TARGET_DIR=$(cargo metadata --no-deps --format-version 1 --locked |
    node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).target_directory)') &&
    [[ -n "$TARGET_DIR" ]] || return 1
  CHECKER="$TARGET_DIR/debug/wasm-check"
  if [[ ! -x "$CHECKER" ]]; then
    note "$CHECKER missing; building it"
    cargo build --locked -p wasm-check || return 1
  fi
}

check_artifacts() {
  local lists=(--checksums artifacts/checksums.txt)
  [[ -f artifacts/checksums-test.txt ]] && lists+=(--checksums artifacts/checksums-test.txt)
  "$CHECKER" "${lists[@]}" artifacts/
}

raw_is_rejected() {
  local out rc=0
  shopt -s nullglob
  local raw=(artifacts/raw/*.wasm)
  shopt -u nullglob
  ((${#raw[@]} > 0)) || { echo "no raw artifacts in artifacts/raw/" >&2; return 1; }
  out=$("$CHECKER" "${raw[@]}") || rc=$?
  printf '%s\n' "$out"
  if ((rc == 0)); then
    echo "expected the unlowered artifacts to be rejected, but wasm-check passed them" >&2
    return 1
  fi
  if ! grep -q "bulk memory support is not enabled" <<<"$out"; then
    echo "unlowered artifacts failed, but not for bulk memory (exit $rc): see above" >&2
    return 1
  fi
  note "as expected: the raw cargo output is rejected for bulk memory ($(grep -c 'bulk memory support is not enabled' <<<"$out")/${#raw[@]} artifacts)"
}

reproducible() {
  local f bad=0
  for f in checksums.txt checksums-test.txt; do
    if [[ ! -f "$SNAPSHOT/$f" ]]; then
      echo "artifacts/$f is not committed: run scripts/build-wasm.sh and commit it" >&2
      bad=1
    elif ! diff -u --label "committed artifacts/$f" --label "rebuilt artifacts/$f" \
      "$SNAPSHOT/$f" "artifacts/$f"; then
      echo "the rebuild does not reproduce artifacts/$f (contracts changed without rebuilding," >&2
      echo "or the build is not reproducible): run scripts/build-wasm.sh and commit it" >&2
      bad=1
    else
      note "artifacts/$f reproduced ($(wc -l <"artifacts/$f") entries)"
    fi
  done
  return "$bad"
}

# --- run -------------------------------------------------------------------------------------
run_step setup install_prerequisites || { printf '%s\n' "${RESULTS[@]}"; exit 1; }
snapshot_checksums

run_step fmt cargo fmt --all --check || true
run_step clippy cargo clippy --workspace --all-targets --locked -- -D warnings || true

wasm_ok=1
run_step build-wasm scripts/build-wasm.sh || wasm_ok=0

run_step test cargo test --workspace --locked || true
if ((wasm_ok)); then
  run_step gas-bench cargo run --locked -q -p supercloud-tests --bin gas-bench || true
  run_step indexer-bench cargo bench --locked -q -p indexer --bench indexer --profile dev -- --quick || true
  run_step api-bench cargo bench --locked -q -p indexer --bench api --profile dev -- --quick || true
else
  skip_step gas-bench "build-wasm failed"
  skip_step indexer-bench "build-wasm failed"
  skip_step api-bench "build-wasm failed"
fi

checker_ok=1
find_checker || checker_ok=0
if ((wasm_ok && checker_ok)); then
  run_step check-wasm check_artifacts || true
  run_step raw-rejected raw_is_rejected || true
  run_step reproducible reproducible || true
else
  why="build-wasm failed"
  ((checker_ok)) || why="wasm-check could not be built"
  skip_step check-wasm "$why"
  skip_step raw-rejected "$why"
  skip_step reproducible "$why"
fi

run_step schema scripts/schema.sh --check || true
run_step graphql-sdl graphql_sdl || true

banner "summary"
printf '%s\n' "${RESULTS[@]}"
# Disk ran out on CI once; the footprint is worth seeing in every log.
printf '\ntarget/ holds %s; %s free on its disk\n' \
  "$(du -sh "${CARGO_TARGET_DIR:-target}" 2>/dev/null | cut -f1)" \
  "$(df -h --output=avail "${CARGO_TARGET_DIR:-target}" 2>/dev/null | tail -1 | tr -d ' ')"
total=$(secs "$T0" "$(now)")
if ((FAILED)); then
  printf '\ntest.sh: FAILED after %ss\n' "$total"
  exit 1
fi
printf '\ntest.sh: all steps passed in %ss\n' "$total"
