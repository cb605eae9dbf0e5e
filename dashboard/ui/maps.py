"""Cached builders for the Map and gaps page. Caches are keyed on strings and tuples (store
version, index, region, layer, local authority, a fingerprint of the register), never on
GeoDataFrames, so an unchanged map is neither rebuilt nor re-serialised."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import mapview
from dashboard.regions import filter_region
from dashboard.ui import data
from data_access.store import ReferenceStore

BASEMAP_ENV = "PAIR_ATLAS_BASEMAP_URL"
LOCAL_BASEMAP = "/app/static/basemap.json"


def basemap_url() -> str | None:
    """A plain local background by default: no tiles from the internet. ``none``: no basemap."""
    url = os.environ.get(BASEMAP_ENV) or LOCAL_BASEMAP
    return None if url.lower() == "none" else url


def fingerprint(frame: pd.DataFrame) -> str:
    return str(int(pd.util.hash_pandas_object(frame.astype(str), index=False).sum())) if len(frame) else "empty"


@st.cache_data(show_spinner=False, max_entries=32)
def _polygons(version: str, index: str, level: str, region: str):
    return filter_region(ReferenceStore().polygons(index, level), region).reset_index(drop=True)


def polygons(index: str, level: str, region: str):
    return _polygons(data.store_or_stop().version, index, level, region)


GENERATED = Path(__file__).resolve().parent.parent / "static" / "generated"
GENERATED_URL = "/app/static/generated"
KEEP_FILES = 200


def _publish(features: list[dict]) -> str:
    """Write the LSOA layer as a static GeoJSON file named by its content; return its URL.

    Streamlit serves ``dashboard/static`` (``server.enableStaticServing``); the browser caches
    the file, and the live map (MapLibre, ``dashboard/ui/livemap.py``) fetches it once per region.
    """
    return publish_json({"type": "FeatureCollection", "features": features})


def publish_json(value) -> str:
    """Write ``value`` as a static JSON file named by its content (kept while it is among the newest
    files); return its URL."""
    body = json.dumps(value, separators=(",", ":")).encode()
    name = hashlib.sha256(body).hexdigest()[:20] + ".json"
    GENERATED.mkdir(parents=True, exist_ok=True)
    path = GENERATED / name
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(body)
        os.replace(tmp, path)
        old = sorted(GENERATED.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-KEEP_FILES]
        for stale in old:
            stale.unlink(missing_ok=True)
    return f"{GENERATED_URL}/{name}"


@st.cache_data(show_spinner=False, max_entries=8)
def _map_png(version, index, region, layer, lad, cov_key, _cov, footer, fmt="png", sites_key="", _sites=None, gaps=False):
    geo = _polygons(version, index, "lsoa", region)
    lads = _polygons(version, index, "lad", region)
    if lad:
        geo = geo[geo["lad_code"] == lad].reset_index(drop=True)
        lads = lads[lads["lad_code"] == lad].reset_index(drop=True)
    cov = _cov.set_index("lsoa_code").loc[geo["lsoa_code"]].reset_index()
    colours, legend = mapview.colour_values(cov, layer)
    place = lads["lad_name"].iloc[0] if lad else {"Both": "NENC and BNSSG"}.get(region, region)
    title = f"{mapview.LAYERS[layer]}, {place}"
    gap_features = None
    if gaps:
        flagged = (~cov["covered"]) & cov["imd_decile"].le(2)
        gap_features = mapview.features(geo[flagged.to_numpy()].reset_index(drop=True), pd.DataFrame({"g": [1] * int(flagged.sum())}), d3_winding=True)
    points = lads.to_crs(27700).representative_point().to_crs(4326)
    labels = pd.DataFrame({"name": lads["lad_name"], "lon": points.x.round(4), "lat": points.y.round(4)})
    sites = None
    if _sites is not None and len(_sites):
        x0, y0, x1, y1 = geo.total_bounds
        sites = _sites[_sites["lon"].between(x0, x1) & _sites["lat"].between(y0, y1)]
    return mapview.map_image(
        mapview.features(geo, pd.DataFrame({"fill": colours}), d3_winding=True),
        mapview.features(lads, lads[["lad_code"]], d3_winding=True),
        legend, title, footer, fmt, gap_features, sites, labels,
    )


def map_png(index, region, layer, lad, cov: pd.DataFrame, footer: str, fmt: str = "png", services: pd.DataFrame | None = None, gaps: bool = False):
    """A callable for a deferred download: the map view as PNG (or SVG) with legend, footer,
    place names, service sites by tier and status, and (``gaps``) uncovered deprived LSOAs."""
    version = data.store_or_stop().version

    def made() -> bytes:  # the fingerprints too are worked out only when the download is asked for
        sites = mapview.site_rows(services) if services is not None else None
        return _map_png(version, index, region, layer, lad, fingerprint(cov[["lsoa_code", "services", "covered"]]), cov, footer, fmt,
                        fingerprint(sites) if sites is not None else "", sites, gaps)

    return made
