#!/usr/bin/env bash
# Fetch Leaflet from the npm registry for the streamlit-folium benchmark peer (served locally).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f static/leaflet/leaflet.js ]; then
  mkdir -p .npm static/leaflet
  npm install --silent --no-audit --no-fund --prefix .npm leaflet@1.9.4 >/dev/null
  cp -r .npm/node_modules/leaflet/dist/* static/leaflet/
fi
cp -f ../dashboard/static/basemap.json static/basemap.json
