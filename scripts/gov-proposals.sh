#!/usr/bin/env bash
# Writes the governance proposal files for the Supercloud contracts and prints the commands that
# submit them (`akash tx gov submit-proposal FILE`, Cosmos SDK 0.53 gov v1).
#
#   scripts/gov-proposals.sh --first-code-id N --relayer ADDR --treasury ADDR [options]
#
# Writes into artifacts/proposals/ (or --out DIR):
#   store-code.json   one MsgStoreCode per artifact in artifacts/checksums.txt, each verified
#                     against that list and wasmd's 800 KiB limit first; instantiation gov-only.
#   instantiate.json  one MsgInstantiateContract2 per contract, wired together at addresses
#                     predicted from (code hash, gov, salt); deployment.json records them.
#   migrate.json      one MsgMigrateContract per contract of --deployment (default: the deployment
#                     planned here) to the code ids of store-code.json.
#
# Code ids exist only once the store proposal has executed; wasmd numbers the codes of one
# proposal consecutively in message order, so --first-code-id N (the id the first artifact gets:
# the chain's last code id + 1 if nothing else is stored before it) fixes all of them. Re-run with
# the real id if it differs before submitting instantiate.json or migrate.json.
#
# Options:
#   --first-code-id N        code id of the first stored artifact (required)
#   --relayer ADDR           oracle pusher source and mock-pyth publisher (required)
#   --treasury ADDR          slash recipient and pip default return address (required)
#   --with-test-contracts    include mock_pyth (artifacts/checksums-test.txt): devnets only
#   --deployment FILE        deployment record of the live suite, for migrate.json
#   --out DIR                output directory (default artifacts/proposals)
#   --chain-id ID            chain id in the printed commands (default akashnet-2)
#   --from KEY               key name in the printed commands (default <key>)
#   --chain-prefix, --authority, --deposit, --title, --summary, --metadata, --salt-tag,
#   --denom, --pyth-contract, --pyth-feed-id
#                            passed to the gov-proposal binary (see `cargo run -p gov-proposal
#                            -- instantiate --help`)
#
# Builds the artifacts with scripts/build-wasm.sh first when any of them is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '[gov-proposals] %s\n' "$*"; }
die() { printf '[gov-proposals] ERROR: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

first_code_id=""
relayer=""
treasury=""
with_test=0
deployment=""
out="artifacts/proposals"
chain_id="akashnet-2"
from="<key>"
common=()   # flags every subcommand takes
inst=()     # flags only `instantiate` takes

while (($# > 0)); do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --with-test-contracts) with_test=1; shift; continue ;;
  esac
  (($# >= 2)) || die "$1 needs a value (see --help)"
  case "$1" in
    --first-code-id) first_code_id="$2" ;;
    --relayer) relayer="$2" ;;
    --treasury) treasury="$2" ;;
    --deployment) deployment="$2" ;;
    --out) out="$2" ;;
    --chain-id) chain_id="$2" ;;
    --from) from="$2" ;;
    --chain-prefix | --authority | --deposit | --title | --summary | --metadata) common+=("$1" "$2") ;;
    --salt-tag | --denom | --pyth-contract | --pyth-feed-id) inst+=("$1" "$2") ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift 2
done

missing=()
[[ -n "$first_code_id" ]] || missing+=(--first-code-id)
[[ -n "$relayer" ]] || missing+=(--relayer)
[[ -n "$treasury" ]] || missing+=(--treasury)
((${#missing[@]} == 0)) || die "missing ${missing[*]} (see --help)"
[[ "$first_code_id" =~ ^[1-9][0-9]*$ ]] || die "--first-code-id must be a positive integer, got '$first_code_id'"
if ((with_test)); then
  common+=(--with-test-contracts)
  say "including test-only contracts (mock_pyth): never submit these to mainnet"
fi

# --- artifacts -----------------------------------------------------------------------------
lists=(artifacts/checksums.txt)
((with_test)) && lists+=(artifacts/checksums-test.txt)
need_build=0
for list in "${lists[@]}"; do
  if [[ ! -f "$list" ]]; then
    need_build=1
    continue
  fi
  while read -r _ file; do
    [[ -z "$file" || -f "artifacts/$file" ]] || need_build=1
  done <"$list"
done
if ((need_build)); then
  say "artifacts missing: running scripts/build-wasm.sh"
  scripts/build-wasm.sh
fi

# --- proposals -----------------------------------------------------------------------------
say "building the gov-proposal tool"
cargo build --quiet --locked -p gov-proposal
target_dir=$(cargo metadata --no-deps --format-version 1 --locked |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bin="$target_dir/debug/gov-proposal"
[[ -x "$bin" ]] || die "gov-proposal binary not found at $bin"

mkdir -p "$out"
"$bin" store-code "${common[@]}" --out "$out/store-code.json"
"$bin" instantiate "${common[@]}" "${inst[@]+"${inst[@]}"}" --first-code-id "$first_code_id" \
  --relayer "$relayer" --treasury "$treasury" \
  --out "$out/instantiate.json" --deployment-out "$out/deployment.json"
planned_here=0
if [[ -z "$deployment" ]]; then
  deployment="$out/deployment.json"
  planned_here=1
fi
"$bin" migrate "${common[@]}" --first-code-id "$first_code_id" --deployment "$deployment" \
  --out "$out/migrate.json"

# --- how to submit -------------------------------------------------------------------------
tx="--from $from --chain-id $chain_id --gas auto --gas-adjustment 1.5 --gas-prices 0.025uakt"
cat <<MSG

Submit in order, each after the previous proposal has passed:

  # 1. Upload. Then check the ids and hashes: akash q wasm list-code
  #    (the first artifact must have code id $first_code_id, else re-run with the real one).
  akash tx gov submit-proposal $out/store-code.json $tx

  # 2. First deployment: instantiate the suite at the addresses in $out/deployment.json.
  akash tx gov submit-proposal $out/instantiate.json $tx

  # 2'. Upgrade instead: migrate the live suite ($deployment) to the new code.
  akash tx gov submit-proposal $out/migrate.json $tx

Voters: rebuild the tagged commit with scripts/build-wasm.sh and compare artifacts/checksums.txt
with the sha256 in each proposal summary and with \`akash q wasm code-info <id>\`.
MSG
if ((planned_here)); then
  say "note: migrate.json targets the deployment planned in this run, which already runs this code"
  say "      (the contracts refuse such a replay); for an upgrade pass --deployment <live record>"
fi
