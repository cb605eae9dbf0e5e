"""The live map: a Streamlit components-v2 component around MapLibre GL JS
(``dashboard/mapcomponent/pair_map.js``), kept alive in the browser between reruns.

Each ICB's neighbourhoods are a part of the map of their own: a static file (named by its content,
fetched once and cached by the browser) that the map loads once; the part not shown is loaded when
the map has drawn, so a region switch only shows, hides and moves. What crosses the wire on a rerun
is small: the parts' URLs, each shown LSOA's colour class (one small integer, in the order of its
part's file), the palette and legend, the positions of the outlined gaps, the service sites and
the selected LSOA's part, position and outline (one small shape). The browser keeps the classes
and gaps as feature state, so a rerun re-colours without re-tiling. The library is served from ``dashboard/static/vendor/maplibre`` (``make
map-assets`` copies it from the npm registry's package); nothing is fetched from elsewhere.
A click on a neighbourhood comes back to Python as its LSOA code.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import mapview
from dashboard.regions import BOTH
from dashboard.ui import data
from dashboard.ui.maps import LOCAL_BASEMAP, _polygons, _publish, basemap_url, publish_json
from dashboard.vocabulary import REGION_NAMES

HERE = Path(__file__).resolve().parent.parent
VENDOR = HERE / "static" / "vendor" / "maplibre"
VENDOR_URL = "/app/static/vendor/maplibre"
LIBRARY, WORKER = "maplibre-gl-csp.js", "maplibre-gl-csp-worker.js"  # the library, its worker a file of its own
HEIGHT = 500

_CSS = """
.pair-map { position: relative; width: 100%; border: 1px solid #AEB7BD; border-radius: 4px; overflow: hidden; background: #eef2f3; }  /* the background's colour until the first frame */
.pair-map-tip { position: absolute; display: none; z-index: 3; pointer-events: none; white-space: pre-line; max-width: 320px;
  background: #003087; color: #fff; font-size: 13px; line-height: 1.35; padding: 6px 8px; border-radius: 3px; }
.pair-map-label { font: 600 12px sans-serif; color: #231F20; text-shadow: 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; white-space: nowrap; }
"""

_SOURCE = (HERE / "mapcomponent" / "pair_map.js").read_text()
_component = st.components.v2.component("pair_atlas_live_map", js=_SOURCE, css=_CSS, isolate_styles=False)


def assets_ready() -> bool:
    return all((VENDOR / name).is_file() for name in (LIBRARY, WORKER, "maplibre-gl.css"))


@st.cache_resource(show_spinner=False, max_entries=16)  # shared, never changed: not copied on each rerun
def _geometry(version: str, index: str, region: str) -> dict:
    """The region's static layers, published once: LSOA polygons (each with its code) and their
    names, local authorities and infants as text (for the tooltip, by feature id), local-authority
    outlines, with the LSOA order."""
    geo = _polygons(version, index, "lsoa", region)
    lads = _polygons(version, index, "lad", region)
    from data_access.store import ReferenceStore

    infants = ReferenceStore().lsoas(index).set_index("lsoa_code")["infants_0"].reindex(geo["lsoa_code"])
    # the geometry carries only each neighbourhood's code (what a click sends back); the tooltip's
    # name, local authority and infants are a small file of their own, by feature id, fetched once
    # the map has drawn (less for the worker to read and tile before the first draw)
    lsoa_features = mapview.features(geo, pd.DataFrame({"c": geo["lsoa_code"]}))
    for i, feature in enumerate(lsoa_features):  # the id the map keeps each neighbourhood's state on
        feature["id"] = i
    return {
        "lsoas": _publish(lsoa_features),
        "meta": publish_json({"n": geo["lsoa_name"].tolist(), "la": geo["lad_name"].tolist(),
                              "i": [("" if pd.isna(v) else f"{v:,.0f}") for v in infants]}),
        "lad": _publish(mapview.features(lads, lads[["lad_code"]])),
        "codes": geo["lsoa_code"].tolist(),
        "position": {code: i for i, code in enumerate(geo["lsoa_code"])},
        "bounds": [round(float(v), 5) for v in geo.total_bounds],
    }


@st.cache_data(show_spinner=False, max_entries=32)
def _place(version: str, index: str, region: str, lad: str | None) -> dict:
    """The box to show and the local-authority names that fit at that zoom."""
    lads = _polygons(version, index, "lad", region)
    geo = _polygons(version, index, "lsoa", region)
    bounds = tuple(lads[lads["lad_code"] == lad].total_bounds) if lad and lad in set(lads["lad_code"]) else tuple(geo.total_bounds)
    points = lads.to_crs(27700).representative_point().to_crs(4326)
    labels = [{"name": n, "lon": round(p.x, 5), "lat": round(p.y, 5)} for n, p in zip(lads["lad_name"], points)]
    labels = mapview.declutter(labels, mapview.view_for_bounds(bounds).zoom, priority=list(lads.to_crs(27700).area))
    return {"bounds": [round(float(v), 5) for v in bounds], "labels": labels}


@st.cache_data(show_spinner=False, max_entries=64)
def _shape(version: str, index: str, region: str, code: str) -> dict | None:
    """One neighbourhood's outline as a GeoJSON feature (the selected one's, drawn over the map)."""
    geo = _polygons(version, index, "lsoa", region)
    row = geo[geo["lsoa_code"] == code]
    return mapview.features(row, row[["lsoa_code"]])[0] if len(row) else None


@functools.cache
def _style(url: str | None):
    """The map's background style: the local one inline (one request fewer before the map can
    draw), another by its URL, or none."""
    if url is None:
        return {"version": 8, "sources": {}, "layers": []}
    if url == LOCAL_BASEMAP:
        return json.loads((HERE / "static" / "basemap.json").read_text())
    return url


def _static(version: str, index: str, region: str, lad: str | None) -> tuple[dict, list[str], dict]:
    """What the map is sent that does not depend on coverage: each ICB's part (its geometry files;
    each ICB is a part of its own), the parts shown, and the payload's head (library, style, parts,
    the view and its place names)."""
    parts = {name: _geometry(version, index, name) for name in REGION_NAMES}
    shown = [name for name in REGION_NAMES if region in (BOTH, name)]
    place = _place(version, index, region, lad)
    head = {
        "lib": {"base": VENDOR_URL, "library": LIBRARY, "worker": WORKER}, "style": _style(basemap_url()), "height": HEIGHT,
        "parts": [{"id": f"{index}-{name}", "lsoas": part["lsoas"], "lad": part["lad"], "meta": part["meta"]} for name, part in parts.items()],
        "shown": [f"{index}-{name}" for name in shown],
        "bounds": place["bounds"], "labels": place["labels"],
    }
    return parts, shown, head


def live_map(index: str, region: str, layer: str, lad: str | None, cov: pd.DataFrame, sites: pd.DataFrame, highlight: bool,
             selected: str | None = None, key: str = "live_map") -> tuple[str | None, mapview.Legend]:
    """Draw (or update) the map; returns the LSOA code clicked in this rerun (else None) and the legend."""
    version = data.store_or_stop().version
    parts, shown, head = _static(version, index, region, lad)
    ordered = cov.set_index("lsoa_code").reindex([code for name in shown for code in parts[name]["codes"]]).reset_index()
    palette, classes, legend = mapview.colour_classes(ordered, layer)  # one legend over the region shown
    gap = ((~ordered["covered"].fillna(False).astype(bool)) & ordered["imd_decile"].le(2)).to_numpy() if highlight else None
    k, gaps, start = {}, {}, 0
    for name in shown:
        n = len(parts[name]["codes"])
        k[f"{index}-{name}"] = classes[start:start + n]
        gaps[f"{index}-{name}"] = [int(i) for i in (gap[start:start + n].nonzero()[0] if gap is not None else [])]
        start += n
    where = next(((f"{index}-{name}", parts[name]["position"][selected], name) for name in shown if selected in parts[name]["position"]), None)
    payload = {
        **head,
        "palette": palette, "k": k, "k_key": f"{region}/{index}/{layer}",
        "legend": {"title": legend.title, "labels": [label for _, label in legend.entries]},
        "gaps": gaps, "sites": mapview.live_sites(sites), "selected": list(where[:2]) if where else None,
        "selected_code": selected if where else None, "selected_shape": _shape(version, index, where[2], selected) if where else None,
        "description": f"Map of {len(ordered):,} neighbourhoods coloured by {legend.title.lower()}; "
                       "the table under the map (open it below) lists every neighbourhood with the same values.",
    }
    result = _component(data=payload, key=key, height=HEIGHT, on_click_change=lambda: None)
    return (getattr(result, "click", None) or None), legend


def legend(legend: mapview.Legend, caption: str = "") -> None:
    """The map's legend as one line of HTML (its title, then a swatch and label a class), and
    ``caption`` under it (the app's own markdown, :func:`show.text_html`): plain markup in one
    element, nothing more for the browser to load; every text escaped."""
    from html import escape

    from dashboard.ui.show import text_html

    swatches = "".join(
        f'<span class="swatch" style="background:{escape(colour)}"></span>{escape(label)}' for colour, label in legend.entries
    )
    st.html(f'<p class="pair-legend"><strong>{escape(legend.title)}</strong>{swatches}</p>' + (text_html(caption, small=True) if caption else ""))


__all__ = ["live_map", "legend", "assets_ready", "VENDOR", "VENDOR_URL"]
