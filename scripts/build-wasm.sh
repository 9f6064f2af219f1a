#!/usr/bin/env bash
# Builds every contract under contracts/ into a reproducible, chain-ready wasm in artifacts/.
#
#   scripts/build-wasm.sh            all contracts; rewrites artifacts/ and the checksum files
#   scripts/build-wasm.sh <crate>... only these (quick iteration); checksum files are left alone
#
# Steps, per contract crate (a crate in contracts/ with a cdylib target):
#   1. `cargo build --release --lib --target wasm32-unknown-unknown --locked -p <crate>`, one
#      cargo invocation per crate: contracts depend on each other with the `library` feature, and
#      a single invocation would unify that feature into every wasm and compile their entry
#      points out.
#   2. The raw cargo output is copied to artifacts/raw/<name>.wasm (gitignored). It still holds
#      bulk-memory ops that the chain rejects; scripts/test.sh uses it to prove the lowering is
#      what makes artifacts pass.
#   3. binaryen's wasm-opt (npm `binaryen`, version pinned in scripts/package-lock.json, run with
#      node) lowers memory.copy/memory.fill to plain loops, optimizes for size and strips debug
#      info and producers: artifacts/<name>.wasm. Rust >= 1.87 emits bulk-memory even for
#      wasm32-unknown-unknown (from the precompiled std, so rustc flags cannot avoid it), and
#      cosmwasm-vm 3.0 / wasmvm 3.0.2 on Akash validate with bulk memory disabled. Debian's
#      binaryen (108) predates the `--llvm-memory-copy-fill-lowering` pass (binaryen >= 121).
#   4. Any artifact above wasmd's MaxWasmSize (800 KiB = 819200 bytes) fails the script.
#
# Naming: <name> is the crate's lib target name as cargo writes it, i.e. the crate name with '-'
# replaced by '_' (crate `mock-pyth` -> artifacts/mock_pyth.wasm), the same names the CosmWasm
# optimizer images produce.
#
# Checksums (sha256sum format, sorted by file name, names relative to artifacts/):
#   artifacts/checksums.txt       governance artifacts: what MsgStoreCode proposals upload.
#   artifacts/checksums-test.txt  test-only contracts (crates named `mock-*`, e.g. mock-pyth):
#                                 built for tests and the devnet, never proposed to governance.
# Both files are committed; scripts/test.sh fails when a rebuild does not reproduce them.
#
# Reproducibility: the wasm embeds source paths (panic locations), so RUSTFLAGS remap the repo
# dir, the cargo home (registry and git sources), the target dir, the rustup home and the rustc
# sysroot (std sources, present when rust-src is installed) to fixed names. The same commit built in two different directories gives identical checksums. The
# toolchain (rust-toolchain.toml), Cargo.lock and the binaryen version are pinned.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MAX_WASM_SIZE=819200
MIN_BINARYEN=121
TARGET=wasm32-unknown-unknown
ARTIFACTS="$ROOT/artifacts"
WASM_OPT="$ROOT/scripts/node_modules/binaryen/bin/wasm-opt"

say() { printf '[build-wasm] %s\n' "$*"; }
die() { printf '[build-wasm] ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

started=$(now)

# --- prerequisites -------------------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found (install rustup; rust-toolchain.toml pins the toolchain)"
command -v node >/dev/null || die "node not found (node >= 18 runs binaryen's wasm-opt)"
command -v sha256sum >/dev/null || die "sha256sum not found (coreutils)"

if ! rustup target list --installed | grep -qx "$TARGET"; then
  say "adding rust target $TARGET"
  rustup target add "$TARGET"
fi

if [[ ! -f "$WASM_OPT" ]]; then
  say "installing pinned binaryen (npm ci in scripts/)"
  (cd "$ROOT/scripts" && npm ci --no-audit --no-fund)
fi
binaryen_version=$(node "$WASM_OPT" --version | sed -n 's/.*version_\([0-9]\+\).*/\1/p')
[[ -n "$binaryen_version" && "$binaryen_version" -ge "$MIN_BINARYEN" ]] ||
  die "wasm-opt version '${binaryen_version:-?}' is too old: bulk-memory lowering needs binaryen >= $MIN_BINARYEN"

# --- contract list -------------------------------------------------------------------------
# "<crate> <lib name>" for each package under contracts/ that has a cdylib target.
metadata=$(cargo metadata --no-deps --format-version 1 --locked)
TARGET_DIR=$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).target_directory)' <<<"$metadata")
contracts=$(ROOT="$ROOT" node -e '
  const meta = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const dir = process.env.ROOT + "/contracts/";
  const rows = [];
  for (const pkg of meta.packages) {
    if (!pkg.manifest_path.startsWith(dir)) continue;
    const lib = pkg.targets.find((t) => t.crate_types.includes("cdylib"));
    if (lib) rows.push(pkg.name + " " + lib.name.replace(/-/g, "_"));
  }
  rows.sort();
  process.stdout.write(rows.join("\n"));
' <<<"$metadata")
[[ -n "$contracts" ]] || die "no contract crates with a cdylib target under contracts/"
partial=0
if (($# > 0)); then
  partial=1
  selected=""
  for want in "$@"; do
    row=$(awk -v c="$want" '$1 == c' <<<"$contracts")
    [[ -n "$row" ]] || die "unknown contract crate '$want' (known: $(cut -d' ' -f1 <<<"$contracts" | tr '\n' ' '))"
    selected+="$row"$'\n'
  done
  contracts=$(sort -u <<<"$selected" | sed '/^$/d')
fi

# --- reproducible compiler flags -----------------------------------------------------------
# Later --remap-path-prefix flags win when several match, so the more specific ones go last.
# CARGO_ENCODED_RUSTFLAGS (0x1f-separated) keeps paths with spaces intact and overrides any
# RUSTFLAGS or build.rustflags from the environment, so every build uses exactly these flags.
CARGO_HOME_DIR="${CARGO_HOME:-$HOME/.cargo}"
SYSROOT=$(rustc --print sysroot)
# The target dir maps to the same name whether it is ./target or a CARGO_TARGET_DIR elsewhere.
flags=("--remap-path-prefix=$ROOT=/supercloud" "--remap-path-prefix=$TARGET_DIR=/supercloud/target")
flags+=("--remap-path-prefix=$CARGO_HOME_DIR=/cargo" "--remap-path-prefix=${RUSTUP_HOME:-$HOME/.rustup}=/rustup")
flags+=("--remap-path-prefix=$SYSROOT=/rustc-sysroot")
CARGO_ENCODED_RUSTFLAGS=$(IFS=$'\x1f'; printf '%s' "${flags[*]}")
export CARGO_ENCODED_RUSTFLAGS
unset RUSTFLAGS

mkdir -p "$ARTIFACTS/raw"
if ((partial == 0)); then
  # A full build owns artifacts/: drop wasm of renamed or removed contracts.
  rm -f "$ARTIFACTS"/*.wasm "$ARTIFACTS"/raw/*.wasm
fi

say "toolchain: $(rustc --version), wasm-opt version_$binaryen_version"
say "contracts: $(cut -d' ' -f1 <<<"$contracts" | tr '\n' ' ')"

# --- build, lower, size-check each contract -------------------------------------------------
governance=()
test_only=()
oversize=()
summary=()
while read -r -u 3 crate name; do
  t=$(now)
  say "cargo build -p $crate ($TARGET, release)"
  cargo build --release --lib --target "$TARGET" --locked -p "$crate"
  built="$TARGET_DIR/$TARGET/release/$name.wasm"
  [[ -f "$built" ]] || die "cargo did not produce $built"
  cp "$built" "$ARTIFACTS/raw/$name.wasm"
  build_s=$(since "$t")

  t=$(now)
  node "$WASM_OPT" -Os --enable-bulk-memory --enable-sign-ext --llvm-memory-copy-fill-lowering \
    --strip-debug --strip-producers "$ARTIFACTS/raw/$name.wasm" -o "$ARTIFACTS/$name.wasm"
  opt_s=$(since "$t")

  raw_size=$(stat -c %s "$ARTIFACTS/raw/$name.wasm")
  size=$(stat -c %s "$ARTIFACTS/$name.wasm")
  if ((size > MAX_WASM_SIZE)); then
    oversize+=("$name.wasm: $size bytes > $MAX_WASM_SIZE")
  fi
  case "$crate" in
    mock-*) test_only+=("$name.wasm") ;;
    *) governance+=("$name.wasm") ;;
  esac
  summary+=("$(printf '%-24s %9s %9s %7ss %6ss' "$name.wasm" "$raw_size" "$size" "$build_s" "$opt_s")")
done 3<<<"$contracts"

# --- checksums -----------------------------------------------------------------------------
write_checksums() { # <file> [artifact...]
  local out="$1"
  shift
  if (($# == 0)); then
    : >"$out"
  else
    (cd "$ARTIFACTS" && sha256sum -- "$@") | LC_ALL=C sort -k2 >"$out"
  fi
}
printf '\n%-24s %9s %9s %8s %7s\n' "artifact" "raw B" "final B" "build" "opt"
printf '%s\n' "${summary[@]}"
if ((partial == 0)); then
  write_checksums "$ARTIFACTS/checksums.txt" "${governance[@]+"${governance[@]}"}"
  write_checksums "$ARTIFACTS/checksums-test.txt" "${test_only[@]+"${test_only[@]}"}"
  printf '\nartifacts/checksums.txt (governance):\n'
  sed 's/^/  /' "$ARTIFACTS/checksums.txt"
  printf 'artifacts/checksums-test.txt (test-only, never proposed):\n'
  sed 's/^/  /' "$ARTIFACTS/checksums-test.txt"
else
  printf '\npartial build: checksum files not rewritten; sha256 of what was built:\n'
  (cd "$ARTIFACTS" && sha256sum -- "${governance[@]+"${governance[@]}"}" "${test_only[@]+"${test_only[@]}"}") | sed 's/^/  /'
fi

if ((${#oversize[@]} > 0)); then
  printf '[build-wasm] ERROR: above wasmd MaxWasmSize (%s bytes):\n' "$MAX_WASM_SIZE" >&2
  printf '  %s\n' "${oversize[@]}" >&2
  exit 1
fi
say "done in $(since "$started") s"
