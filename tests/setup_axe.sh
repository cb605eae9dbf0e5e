#!/usr/bin/env bash
# axe-core (accessibility rules) from the npm registry, for the browser tests; kept in tests/.npm.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f .npm/node_modules/axe-core/axe.min.js ]; then
  mkdir -p .npm
  npm install --silent --no-audit --no-fund --prefix .npm axe-core@4 >/dev/null
fi
