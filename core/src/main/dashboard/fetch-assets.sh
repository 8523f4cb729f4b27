#!/usr/bin/env bash
# Installs the dashboard's third-party assets (package-lock.json pins them) from the npm registry, once; the Maven
# build copies them into the jar so `tickvault serve` works offline. Skipped when already installed at the pinned
# version.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
wanted="$(sed -n 's/.*"lightweight-charts": "\(.*\)".*/\1/p' package.json | head -1)"
installed="$(sed -n 's/^  "version": "\(.*\)",/\1/p' node_modules/lightweight-charts/package.json 2>/dev/null || true)"
if [ "$wanted" = "$installed" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "dashboard assets: npm not found; install Node.js/npm (the dashboard bundles lightweight-charts from npm)" >&2
  exit 1
fi
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
