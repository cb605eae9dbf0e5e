"""The deprivation map: layers, colours, legend, GeoJSON and view, as plain Python.

Colours are colour-blind safe (viridis, Smith and van der Walt 2015) and never the only
carrier of meaning: every LSOA's values are in the table beside the map and in its tooltip.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely

from dashboard.vocabulary import DOMAIN_LABELS

VIRIDIS_10 = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"]
VIRIDIS_5 = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]
NO_DATA = "#bdbdbd"
HIGHLIGHT = [213, 40, 27]  # NHS red outline for uncovered deprived LSOAs (with a thick line)
SERVICE_COLOURS = {"public": [0, 94, 184], "local": [0, 150, 57], "illustrative": [237, 139, 0], "hypothetical": [213, 40, 27]}

LAYERS: dict[str, str] = {**{f"decile_{k}": f"{v} decile" for k, v in DOMAIN_LABELS.items()}, "infants": "Infants aged 0"}
LAYERS["decile_imd"] = "IMD decile (overall deprivation)"


def hex_rgb(colour: str) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)]


@dataclass
class Legend:
    title: str
    entries: list[tuple[str, str]]  # (hex colour, label)


def infant_breaks(values: pd.Series) -> list[float]:
    """Five classes by quintiles of the values shown (rounded), for the infants layer."""
    qs = np.nanquantile(values.to_numpy(float), [0.2, 0.4, 0.6, 0.8]) if len(values) else [0, 0, 0, 0]
    return [float(round(q)) for q in qs]


def colour_values(lsoas: pd.DataFrame, layer: str) -> tuple[list[str], Legend]:
    """The fill colour of each LSOA for ``layer``, and the legend."""
    if layer == "infants":
        breaks = infant_breaks(lsoas["infants_0"])
        cls = np.searchsorted(breaks, lsoas["infants_0"].to_numpy(float), side="right")
        palette = VIRIDIS_5[::-1]  # more infants, darker
        edges = [0, *breaks]
        labels = [f"{edges[i]:.0f} to {edges[i + 1]:.0f}" for i in range(4)] + [f"over {breaks[-1]:.0f}"]
        return [palette[c] for c in cls], Legend("Infants aged 0 (mid-2020 estimate)", list(zip(palette, labels)))
    key = layer.removeprefix("decile_")
    decile = lsoas[f"{key}_decile"]
    colours = [VIRIDIS_10[int(d) - 1] if pd.notna(d) else NO_DATA for d in decile]
    labels = ["1 most deprived", *[str(d) for d in range(2, 10)], "10 least deprived"]
    return colours, Legend(f"{DOMAIN_LABELS[key]}: national decile", list(zip(VIRIDIS_10, labels)))


def _round_geoms(geoms, decimals: int = 4):
    return shapely.transform(np.asarray(geoms), lambda xy: np.round(xy, decimals))


def features(geo: pd.DataFrame, properties: pd.DataFrame, d3_winding: bool = False) -> list[dict]:
    """GeoJSON features with coordinates rounded to 4 decimals (about 10 m, well inside the 200 m
    generalisation of the boundaries) and the given properties."""
    geoms = _round_geoms(geo.geometry.values)
    if d3_winding:  # Vega/d3 fill the outside of a counter-clockwise ring on the sphere
        geoms = shapely.orient_polygons(geoms, exterior_cw=True)
    props = properties.to_dict("records")
    return [
        {"type": "Feature", "geometry": json.loads(shapely.to_geojson(g)), "properties": p}
        for g, p in zip(geoms, props)
    ]


def colour_classes(lsoas: pd.DataFrame, layer: str) -> tuple[list[str], list[int], Legend]:
    """For the live map: the palette, each LSOA's class in it (-1: no data) and the legend, so
    that a colouring change sends a few small integers per LSOA, not colours or geometry."""
    colours, legend = colour_values(lsoas, layer)
    palette = [c for c, _ in legend.entries]
    where = {c: i for i, c in enumerate(palette)}
    return palette, [where.get(c, -1) for c in colours], legend


def rgba(colour: list[int]) -> str:
    """[r, g, b] or [r, g, b, a (0-255)] as a CSS colour."""
    r, g, b, *a = colour
    return f"rgba({r},{g},{b},{(a[0] if a else 255) / 255:.3f})"


def live_sites(points: pd.DataFrame) -> list[dict]:
    """:func:`deck_sites` as the live map draws them (CSS colours, radius and ring in pixels)."""
    return [{"lon": d["lon"], "lat": d["lat"], "fill": rgba(d["colour"]), "line": rgba(d["line"]), "r": d["radius"], "w": d["width"]}
            for d in deck_sites(points)]


def view_for_bounds(bounds: tuple[float, float, float, float], width_px: int = 520, height_px: int = 540) -> pdk.ViewState:
    """A view that fits a lon/lat box (Web Mercator zoom)."""
    minx, miny, maxx, maxy = bounds
    lon, lat = (minx + maxx) / 2, (miny + maxy) / 2
    span_x = max(maxx - minx, 1e-4)
    y0, y1 = (math.log(math.tan(math.pi / 4 + math.radians(v) / 2)) for v in (miny, maxy))
    span_y = max(y1 - y0, 1e-6)
    # deck.gl's world is 512 pixels wide at zoom 0
    zoom_x = math.log2(width_px * 360 / (512 * span_x))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * span_y))
    return pdk.ViewState(longitude=lon, latitude=lat, zoom=max(4.0, min(zoom_x, zoom_y) - 0.2), pitch=0, bearing=0)


def short_list(text: str, most: int = 2) -> str:
    """``"a; b; c; d"`` -> ``"a; b and 2 more"`` (tooltips stay small; the table has them all)."""
    if not text:
        return "none"
    items = text.split("; ")
    return "; ".join(items[:most]) + (f" and {len(items) - most} more" if len(items) > most else "")


TIER_RGB = {"specialist": [0, 48, 135], "targeted": [237, 139, 0], "universal": [66, 85, 99]}


def deck_sites(points: pd.DataFrame) -> list[dict]:
    """Service sites to draw: colour by tier; real services large with a white ring,
    illustrative ones small and pale, hypothetical ones large with a thick black ring (drawn
    above the gap outlines)."""
    out = []
    for p in points.itertuples(index=False):
        status, tier = getattr(p, "status"), getattr(p, "tier")
        rgb = TIER_RGB.get(tier, [66, 85, 99])
        if status == "illustrative":
            style = {"colour": [*rgb, 110], "line": [255, 255, 255, 160], "radius": 4, "width": 1}
        elif status == "hypothetical":
            style = {"colour": [*rgb, 255], "line": [0, 0, 0, 255], "radius": 9, "width": 3}
        else:
            style = {"colour": [*rgb, 255], "line": [255, 255, 255, 255], "radius": 9, "width": 2}
        out.append({"lon": round(float(p.lon), 5), "lat": round(float(p.lat), 5), **style})
    order = {4: 0, 9: 1}
    return sorted(out, key=lambda d: (order.get(d["radius"], 1), d["width"]))


def _pixel(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    scale = 512 * 2**zoom  # deck.gl: 512 pixels at zoom 0
    x = scale * (lon + 180) / 360
    y = scale * (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2
    return x, y


def declutter(labels: list[dict], zoom: float, char_px: float = 7.5, height_px: float = 16, priority: list[float] | None = None) -> list[dict]:
    """Keep the labels that do not overlap at ``zoom`` (web-mercator pixels), in priority order
    (default: as given): place fewer rather than print names over each other."""
    order = sorted(range(len(labels)), key=lambda i: -(priority[i] if priority else -i))
    kept, boxes = [], []
    for i in order:
        x, y = _pixel(labels[i]["lon"], labels[i]["lat"], zoom)
        w = char_px * len(labels[i]["name"]) / 2 + 3
        box = (x - w, y - height_px / 2, x + w, y + height_px / 2)
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes):
            boxes.append(box)
            kept.append(labels[i])
    return kept


SITE_STYLES = {  # status -> (marker shape, filled): real services solid, illustrative hollow, hypothetical diamonds
    "public": ("circle", True), "local": ("circle", True), "illustrative": ("circle", False), "hypothetical": ("diamond", True),
}
TIER_POINT_COLOURS = {"specialist": "#003087", "targeted": "#ED8B00", "universal": "#425563"}


def site_rows(services: pd.DataFrame) -> pd.DataFrame:
    """Service sites to draw: location, tier, status and a legend label."""
    has = services[services["lat"].notna() & services["lon"].notna()] if len(services) else services
    if not len(has):
        return pd.DataFrame(columns=["lon", "lat", "tier", "status", "name", "label"])
    status_word = {"public": "real", "local": "real", "illustrative": "illustrative", "hypothetical": "hypothetical"}
    return pd.DataFrame({
        "lon": has["lon"].astype(float), "lat": has["lat"].astype(float), "tier": has["tier"], "status": has["status"], "name": has["name"],
        "label": [f"{t.capitalize()} ({status_word.get(s, s)})" for t, s in zip(has["tier"], has["status"])],
    }).reset_index(drop=True)


def map_image(
    lsoa_features: list[dict],
    outline_features: list[dict],
    legend: Legend,
    title: str,
    footer: str,
    fmt: str = "png",
    gap_features: list[dict] | None = None,
    sites: pd.DataFrame | None = None,
    labels: pd.DataFrame | None = None,
    size: int = 620,
) -> bytes:
    """The map view as a printable image (PNG or SVG) with its legend and source footer:
    neighbourhood colours, local-authority outlines and names, uncovered deprived
    neighbourhoods outlined in red, and service sites by tier (colour) and status (shape).

    Drawn with Vega-Lite (Altair, rendered by vl-convert), so it needs no browser.
    ``lsoa_features`` carry a ``fill`` property (hex colour); feature lists must be made
    with ``features(..., d3_winding=True)``.
    """
    import altair as alt
    import vl_convert as vlc

    fills = alt.Chart(alt.Data(values=lsoa_features)).mark_geoshape(stroke="white", strokeWidth=0.1).encode(
        color=alt.Color("properties.fill:N", scale=None)
    )
    layers = [fills, alt.Chart(alt.Data(values=outline_features)).mark_geoshape(filled=False, stroke="#231f20", strokeWidth=1.2)]
    if gap_features:
        layers.append(alt.Chart(alt.Data(values=gap_features)).mark_geoshape(filled=False, stroke="#D5281B", strokeWidth=1.4))
    if labels is not None and len(labels):
        text = alt.Chart(labels).encode(longitude="lon:Q", latitude="lat:Q", text="name:N")
        layers.append(text.mark_text(fontSize=10, fontWeight="bold", stroke="white", strokeWidth=3, strokeOpacity=0.9))
        layers.append(text.mark_text(fontSize=10, fontWeight="bold", color="#231F20"))
    if sites is not None and len(sites):
        for status, (shape, filled) in SITE_STYLES.items():
            part = sites[sites["status"] == status]
            if len(part):
                colour = alt.Color("tier:N", scale=alt.Scale(domain=list(TIER_POINT_COLOURS), range=list(TIER_POINT_COLOURS.values())),
                                   legend=alt.Legend(title="Service tier", orient="right"))
                layers.append(alt.Chart(part).mark_point(shape=shape, filled=filled, size=90 if status != "illustrative" else 45,
                                                         strokeWidth=2, opacity=1).encode(longitude="lon:Q", latitude="lat:Q", color=colour))
    key = pd.DataFrame([{"colour": c, "label": label, "order": i} for i, (c, label) in enumerate(legend.entries)])
    legend_chart = (
        alt.Chart(key, title=alt.Title(legend.title, fontSize=11, anchor="start"))
        .mark_square(size=140, opacity=1)
        .encode(y=alt.Y("label:N", sort=alt.SortField("order"), title=None), color=alt.Color("colour:N", scale=None))
        .properties(width=20)
    )
    notes = ["Red outline: deprived (deciles 1-2) LSOAs without cover" if gap_features else "",
             "Sites: solid = real service, hollow = illustrative, diamond = hypothetical" if sites is not None and len(sites) else ""]
    subtitle = [footer] + [n for n in notes if n]
    chart = (
        alt.hconcat(alt.layer(*layers).properties(width=size, height=size).project("mercator"), legend_chart)
        .resolve_scale(color="independent")
        .properties(title=alt.Title(title, subtitle=subtitle, anchor="start", fontSize=15, subtitleFontSize=10))
        .configure_view(stroke=None)
    )
    spec = chart.to_json()
    return vlc.vegalite_to_svg(spec).encode() if fmt == "svg" else vlc.vegalite_to_png(spec, scale=1.5)
