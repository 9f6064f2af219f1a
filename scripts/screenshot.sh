#!/usr/bin/env bash
# Re-makes the README's dashboard screenshot (docs/dashboard.png) with the dashboard's browser
# test: a devnet history, a throwaway Postgres, `indexer serve` and headless Chromium driven by
# playwright-core, which writes target/dashboard.png (and target/dashboard-phone.png).
#
#   scripts/screenshot.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ ! -f indexer/dashboard/node_modules/playwright-core/package.json ]]; then
  (cd indexer/dashboard && npm ci --no-audit --no-fund)
fi
cargo test --locked -p indexer --test it dashboard_in_chromium
TARGET_DIR=$(cargo metadata --no-deps --format-version 1 --locked |
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).target_directory)')
mkdir -p docs
cp "$TARGET_DIR/dashboard.png" docs/dashboard.png
cp "$TARGET_DIR/dashboard-phone.png" docs/dashboard-phone.png
echo "wrote docs/dashboard.png and docs/dashboard-phone.png"
