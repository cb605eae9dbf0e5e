#!/usr/bin/env bash
# Build the live map's assets: MapLibre GL JS from the npm registry (the version pinned in
# package-lock.json), copied into dashboard/static/vendor/maplibre, which the app serves itself.
# Nothing is committed: node_modules/ and static/vendor/ are gitignored.
# The pin is 4.7.1, chosen by measurement: in one A/B run of 11 shuffled rounds (bench scripts, the
# same machine), the map page drew its 2,470 neighbourhoods in 0.90x the time with 4.7.1 as with
# 5.24.1 (5.x triangulates every polygon through its globe subdivision step, also on a flat map; its
# bundle is 1.0 MB against 0.8 MB). Every feature the component uses (feature state, expressions,
# markers, prewarm) is in 4.7.
# The build with its worker as a file of its own (the "CSP" build) is served: the page's first-draw
# script starts that worker while the page is drawn, before the library has loaded (livemap.py).
set -euo pipefail
cd "$(dirname "$0")"
OUT=../static/vendor/maplibre
VERSION=$(node -p "require('./package-lock.json').packages['node_modules/maplibre-gl'].version")
if [ -f "$OUT/maplibre-gl-csp.js" ] && [ -f "$OUT/maplibre-gl-csp-worker.js" ] && [ "$(cat "$OUT/VERSION" 2>/dev/null)" = "$VERSION" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --silent >/dev/null
mkdir -p "$OUT"
cp node_modules/maplibre-gl/dist/maplibre-gl-csp.js node_modules/maplibre-gl/dist/maplibre-gl-csp-worker.js node_modules/maplibre-gl/dist/maplibre-gl.css node_modules/maplibre-gl/LICENSE.txt "$OUT"/
echo "$VERSION" > "$OUT/VERSION"
echo "Map assets: MapLibre GL JS $VERSION in dashboard/static/vendor/maplibre"
