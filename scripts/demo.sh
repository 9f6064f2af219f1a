#!/usr/bin/env bash
# The main job on its embedded defaults.
#
# Today (before the devnet issue lands) that is: build every contract into its chain-ready,
# reproducible wasm and run the chain's own upload checks on it, printing size, checksum,
# required capabilities and verdict per artifact. The devnet issue replaces this with the full
# demo (devnet running these artifacts + throwaway Postgres + indexer).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\n\033[1m[demo] %s\033[0m\n' "$*"; }

say "building contracts into artifacts/ (installs the wasm target and pinned binaryen if missing)"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
[[ -f scripts/node_modules/binaryen/bin/wasm-opt ]] || (cd scripts && npm ci --no-audit --no-fund)
scripts/build-wasm.sh

say "running the chain's static checks (cosmwasm-vm 3.0.10, Akash capabilities) on every artifact"
cargo run --quiet --locked -p wasm-check -- \
  --checksums artifacts/checksums.txt --checksums artifacts/checksums-test.txt artifacts/

say "governance artifacts (artifacts/checksums.txt):"
cat artifacts/checksums.txt
say "test-only artifacts, never proposed (artifacts/checksums-test.txt):"
cat artifacts/checksums-test.txt
