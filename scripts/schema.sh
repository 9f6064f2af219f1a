#!/usr/bin/env bash
# Regenerates the committed JSON schema of every contract, or checks it for drift.
#
#   scripts/schema.sh          rewrite schema/<crate>/ for every contract with a schema binary
#   scripts/schema.sh --check  regenerate into a temp dir and fail with a diff if schema/ differs
#
# A contract takes part when it has src/bin/schema.rs (cosmwasm-schema `write_api!`), built as the
# bin `<crate>-schema` (declared in its Cargo.toml, so the six bins do not share one path). That
# binary writes ./schema/<crate>.json, ./schema/raw/*.json and ./schema/cw_schema/ relative to
# its working directory, so each one runs in its own empty temp dir and the result becomes
# schema/<crate>/ (directory named after the crate, e.g. schema/mock-pyth/). The output is
# deterministic, so regenerating an unchanged contract leaves git clean.
#
# schema/ holds the contracts' generated directories and the indexer's GraphQL SDL
# (schema/indexer.graphql, checked by its own step in scripts/test.sh): in --check mode a
# directory there that no contract generates (e.g. a removed contract) is reported as drift too.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '[schema] %s\n' "$*"; }
die() { printf '[schema] ERROR: %s\n' "$*" >&2; exit 1; }

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
  *) die "unknown argument '$1' (use --check or nothing)" ;;
esac

metadata=$(cargo metadata --no-deps --format-version 1 --locked)
TARGET_DIR=$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).target_directory)' <<<"$metadata")
# Crates under contracts/ with a src/bin/schema.rs; each must name that bin `<crate>-schema`
# (a contract whose schema would silently go unchecked is an error, not a skip).
crates=$(ROOT="$ROOT" node -e '
  const meta = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const dir = process.env.ROOT + "/contracts/";
  const names = [];
  for (const p of meta.packages.filter((p) => p.manifest_path.startsWith(dir))) {
    const bin = p.targets.find((t) => t.kind.includes("bin") && t.src_path.endsWith("/src/bin/schema.rs"));
    if (!bin) continue;
    if (bin.name !== p.name + "-schema") {
      console.error(`${p.name}: src/bin/schema.rs is built as "${bin.name}"; declare it as [[bin]] name = "${p.name}-schema"`);
      process.exit(1);
    }
    names.push(p.name);
  }
  process.stdout.write(names.sort().join("\n"));
' <<<"$metadata") || die "a contract's schema binary is misnamed"

work=$(mktemp -d "${TMPDIR:-/tmp}/supercloud-schema.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/out"

if [[ -z "$crates" ]]; then
  say "no contract has src/bin/schema.rs yet"
fi
for crate in $crates; do
  say "generating $crate"
  # Build from the repo root (so rust-toolchain.toml applies), then run in an empty dir.
  cargo build --quiet --locked -p "$crate" --bin "$crate-schema"
  mkdir -p "$work/run/$crate"
  (cd "$work/run/$crate" && "$TARGET_DIR/debug/$crate-schema" >/dev/null)
  [[ -d "$work/run/$crate/schema" ]] || die "$crate: the schema binary wrote no ./schema directory"
  mv "$work/run/$crate/schema" "$work/out/$crate"
done

if ((check)); then
  mkdir -p schema
  if diff -ru --exclude=.gitkeep --exclude=indexer.graphql schema "$work/out" >"$work/diff"; then
    say "OK: schema/ matches the contracts ($(wc -w <<<"$crates") generated)"
    exit 0
  fi
  sed "s#$work/out#<regenerated>#g" "$work/diff" | head -200
  die "schema/ is out of date: run scripts/schema.sh and commit schema/"
fi

mkdir -p schema
for dir in schema/*/; do
  [[ -d "$dir" ]] || continue
  name=$(basename "$dir")
  if ! grep -qx -- "$name" <<<"$crates"; then
    say "removing stale schema/$name (no contract generates it)"
    rm -rf "schema/$name"
  fi
done
for crate in $crates; do
  rm -rf "schema/$crate"
  mv "$work/out/$crate" "schema/$crate"
done
say "wrote schema/ for: $(tr '\n' ' ' <<<"$crates")"
