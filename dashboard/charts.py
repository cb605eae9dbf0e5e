"""Chart specs: every chart a view carries is drawn here, from the view's chart data, the same
for the page, the meeting step and the pack (Altair / Vega-Lite; images by vl-convert).

Colours are NHS identity colours, chosen to stay distinguishable with colour-blindness
(blue / orange / dark grey pairs; never red against green alone).
"""

from __future__ import annotations

import html
import re
import textwrap

import altair as alt
import pandas as pd

from dashboard.viewmodel import Chart

BLUE, DARK_BLUE, ORANGE, GREY, DARK_GREY, BLACK, AQUA = "#005EB8", "#003087", "#ED8B00", "#AEB7BD", "#425563", "#231F20", "#00A9CE"
TIER_COLOURS = {"Specialised PAIR team": DARK_BLUE, "Targeted support": ORANGE, "Universal services": GREY}
REGION_COLOURS = {"NENC": BLUE, "BNSSG": ORANGE}


def _title(chart: Chart) -> alt.Title:
    """The chart's title, in lines of at most 44 characters: a title wider than a narrow column
    would otherwise squeeze the plot (Vega fits title and plot into the column together)."""
    lines = textwrap.wrap(chart.title, 44) or [""]
    return alt.Title(lines if len(lines) > 1 else lines[0], anchor="start")


def bars_with_intervals(chart: Chart) -> alt.LayerChart:
    """A value by group with its 95% interval (reach by quintile or decile)."""
    o = chart.options
    data = chart.data.dropna(subset=["value"])
    base = alt.Chart(data, title=_title(chart))
    x = alt.X("group:O", title=o.get("x_title", "National IMD quintile (1 = most deprived)"), axis=alt.Axis(labelAngle=0))
    bars = base.mark_bar(color=BLUE).encode(
        x=x, y=alt.Y("value:Q", title=o.get("y_title", "")),
        tooltip=[alt.Tooltip("group:O", title="Group"), alt.Tooltip("value:Q", format=".1f", title=o.get("y_title", "Value")),
                 alt.Tooltip("lower:Q", format=".1f", title="95% lower"), alt.Tooltip("upper:Q", format=".1f", title="95% upper")],
    )
    errors = base.mark_rule(color=BLACK, strokeWidth=1.5).encode(x=x, y="lower:Q", y2="upper:Q")
    return (bars + errors).properties(height=o.get("height", 300))


def tiers_by_quintile(chart: Chart) -> alt.Chart:
    """Share of infants within reach, by quintile and tier (grouped bars)."""
    return (
        alt.Chart(chart.data, title=_title(chart))
        .mark_bar()
        .encode(
            x=alt.X("quintile:O", title="National IMD quintile (1 = most deprived)", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("tier:N", sort=list(TIER_COLOURS)),
            y=alt.Y("share:Q", title="Share of infants aged 0 within reach", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("tier:N", title="Tier", sort=list(TIER_COLOURS),
                            scale=alt.Scale(domain=list(TIER_COLOURS), range=list(TIER_COLOURS.values())), legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("quintile:O", title="Quintile"), alt.Tooltip("tier:N", title="Tier"),
                     alt.Tooltip("share:Q", format=".0%", title="Share within reach"), alt.Tooltip("infants:Q", format=",.0f", title="Infants")],
        )
        .properties(height=chart.options.get("height", 300))
    )


def share_with_reference(chart: Chart) -> alt.LayerChart:
    """A share by area with England's reference value as a dashed line (decile 1 = 10%)."""
    o = chart.options
    base = alt.Chart(chart.data, title=_title(chart))
    bars = base.mark_bar().encode(
        x=alt.X("share:Q", title=o.get("x_title", "Share"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, o.get("x_max", 0.6)])),
        y=alt.Y("name:N", title=None, sort="-x", axis=alt.Axis(labelLimit=240)),
        color=alt.Color("region:N", title="ICB", scale=alt.Scale(domain=list(REGION_COLOURS), range=list(REGION_COLOURS.values())),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("name:N", title="Area"), alt.Tooltip("region:N", title="ICB"), alt.Tooltip("share:Q", format=".1%", title="Share")],
    )
    reference = alt.Chart(pd.DataFrame({"share": [o.get("reference", 0.1)], "label": [o.get("reference_label", "England 10%")]}))
    rule = reference.mark_rule(color=BLACK, strokeDash=[5, 4], strokeWidth=1.5).encode(x="share:Q")
    text = reference.mark_text(align="left", dx=4, dy=-4, color=BLACK, fontSize=11).encode(x="share:Q", y=alt.value(0), text="label:N")
    return (bars + rule + text).properties(height=alt.Step(o.get("step", 20)))


def line_by_month(chart: Chart) -> alt.Chart:
    return (
        alt.Chart(chart.data.dropna(subset=["value"]), title=_title(chart))
        .mark_line(point=True, color=BLUE)
        .encode(x=alt.X("month:O", title="Month"), y=alt.Y("value:Q", title=chart.options.get("y_title", "")),
                tooltip=[alt.Tooltip("month:O", title="Month"), alt.Tooltip("value:Q", format=",.0f", title=chart.options.get("y_title", ""))])
        .properties(height=chart.options.get("height", 260))
    )


def ranked_bars(chart: Chart) -> alt.LayerChart:
    """Items ranked by a score, label on the axis (readable when scores tie)."""
    o = chart.options
    base = alt.Chart(chart.data, title=_title(chart)).encode(
        y=alt.Y("label:N", title=None, sort=list(chart.data["label"]), axis=alt.Axis(labelLimit=o.get("label_limit", 360))),
    )
    bars = base.mark_bar(color=BLUE).encode(
        x=alt.X("value:Q", title=o.get("x_title", ""), scale=alt.Scale(domain=[0, o.get("x_max", chart.data["value"].max() or 1)])),
        tooltip=[alt.Tooltip("label:N", title="Item"), alt.Tooltip("value:Q", format=".1f", title=o.get("x_title", "Value"))],
    )
    text = base.mark_text(align="left", dx=4, color=BLACK).encode(x="value:Q", text=alt.Text("value:Q", format=".1f"))
    return (bars + text).properties(height=alt.Step(o.get("step", 28)))


def ranges(chart: Chart) -> alt.LayerChart:
    """A central value per item with its low-high range (scenarios' NPV and P10-P90)."""
    o = chart.options
    base = alt.Chart(chart.data, title=_title(chart)).encode(y=alt.Y("label:N", title=None, sort=list(chart.data["label"]), axis=alt.Axis(labelLimit=300)))
    rule = base.mark_rule(color=DARK_GREY, strokeWidth=3).encode(x=alt.X("low:Q", title=o.get("x_title", "")), x2="high:Q")
    point = base.mark_point(filled=True, size=120, color=BLUE).encode(
        x="value:Q", tooltip=[alt.Tooltip("label:N", title="Scenario"), alt.Tooltip("value:Q", format=",.0f", title="Central"),
                              alt.Tooltip("low:Q", format=",.0f", title="Low"), alt.Tooltip("high:Q", format=",.0f", title="High")])
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color=BLACK, strokeDash=[4, 3]).encode(x="x:Q")
    return (rule + point + zero).properties(height=alt.Step(o.get("step", 36)))


def tornado(chart: Chart) -> alt.Chart:
    """One-way sensitivity: the output at each input's low and high, as bars from the base value."""
    long = chart.data.melt(id_vars=["label", "base"], value_vars=["at_low", "at_high"], var_name="end", value_name="value")
    long["end"] = long["end"].map({"at_low": "Input at its low", "at_high": "Input at its high"})
    return (
        alt.Chart(long, title=_title(chart))
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=list(chart.data["label"]), title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("value:Q", title=chart.options.get("x_title", "")), x2=alt.X2("base:Q"),
            color=alt.Color("end:N", scale=alt.Scale(domain=["Input at its low", "Input at its high"], range=[ORANGE, BLUE]), title=None,
                            legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("label:N", title="Input"), alt.Tooltip("end:N", title="At"), alt.Tooltip("value:Q", format=",.0f", title="Value")],
        )
        .properties(height=alt.Step(22))
    )


SPECS = {
    "tornado": tornado,
    "bars_with_intervals": bars_with_intervals,
    "tiers_by_quintile": tiers_by_quintile,
    "share_with_reference": share_with_reference,
    "line_by_month": line_by_month,
    "ranked_bars": ranked_bars,
    "ranges": ranges,
}


def build(chart: Chart, width: int | None = None, height: int | None = None):
    """The Altair chart for a view's chart; ``width`` and ``height`` in pixels for images
    (pages stretch to their column)."""
    made = SPECS[chart.spec](chart)
    if width:
        made = made.properties(width=width)
    if height:
        made = made.properties(height=height)
    return made


# The page's look for a chart drawn as SVG on the server (the page's own font, NHS greys).
PAGE_CONFIG = {
    "font": '"Source Sans", sans-serif',
    "background": "white",
    "view": {"stroke": None},
    "title": {"fontSize": 16, "fontWeight": 600, "color": BLACK, "subtitleColor": DARK_GREY, "offset": 10},
    "axis": {"labelFontSize": 12, "titleFontSize": 13, "titleFontWeight": 600, "labelColor": DARK_GREY, "titleColor": BLACK,
             "gridColor": "#E8EDEE", "domainColor": GREY, "tickColor": GREY},
    "legend": {"labelFontSize": 12, "titleFontSize": 13, "labelColor": BLACK, "titleColor": BLACK},
}
_MARK = re.compile(r'<(path|line|rect|circle|image)([^<>]*?) aria-label="([^"]*)"([^<>]*?)/>')
_ID = re.compile(r'(\bid="|url\(#|href="#)([A-Za-z][\w-]*)')


def svg(spec: str, width: int | None = None, description: str = "") -> str:
    """A chart (its Vega-Lite spec, as JSON) as an SVG drawing (vl-convert, no browser): ``width``
    in pixels for the whole chart (labels included; None keeps the chart's own), each mark with
    its tooltip's figures as its hover title and screen-reader label, the whole labelled by ``description``."""
    import json

    import vl_convert as vlc

    spec = json.loads(spec)
    if width:
        spec.update(width=width, autosize={"type": "fit-x", "contains": "padding"})  # the height stays the chart's own
    _describe_marks(spec)
    spec["config"] = {**PAGE_CONFIG, **spec.get("config", {})}
    drawing = vlc.vegalite_to_svg(spec)
    drawing = _MARK.sub(lambda m: f"<{m[1]}{m[2]} aria-label=\"{m[3]}\"{m[4]}><title>{m[3]}</title></{m[1]}>", drawing)
    if description:  # the drawing's own name, for screen readers and on hover
        text = html.escape(description)
        drawing = re.sub(r"^<svg([^>]*)>", lambda m: f'<svg{m[1]} role="graphics-document" aria-label="{text}"><title>{text}</title>', drawing, count=1)
    return drawing


def _describe_marks(spec: dict) -> None:
    """Each mark's description (its hover title and screen-reader label) made of its tooltip's
    fields, titled and formatted as in the tooltip; Vega's own would list every encoding too."""
    for unit in [spec, *spec.get("layer", [])]:
        tips = unit.get("encoding", {}).get("tooltip")
        tips = [tips] if isinstance(tips, dict) else tips
        if not tips or any("field" not in t or "aggregate" in t or "bin" in t for t in tips):
            continue
        parts = []
        for t in tips:
            value = "datum" + "".join(f"[{part!r}]" for part in t["field"].split("."))  # "properties.name": a nested field
            if t.get("format") and t.get("type") == "quantitative":
                value = f"format({value}, {t['format']!r})"
            parts.append(f"{(t.get('title') or t['field']) + ': '!r} + {value}")
        unit.setdefault("transform", []).append({"calculate": " + '; ' + ".join(parts), "as": "_description"})
        unit["encoding"]["description"] = {"field": "_description", "type": "nominal"}


def unique_ids(drawing: str, prefix: str) -> str:
    """The drawing with its ids (clip paths, gradients) prefixed, so that several drawings can
    share one page without one's references landing on another's definitions."""
    return _ID.sub(lambda m: f"{m[1]}{prefix}-{m[2]}", drawing)
