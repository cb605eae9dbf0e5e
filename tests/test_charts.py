"""Charts drawn as SVG on the server (dashboard/charts.py): what a reader hovers, hears and sees."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from dashboard import charts
from dashboard.viewmodel import Chart


def _bars() -> alt.Chart:
    data = pd.DataFrame({"area": ["Gateshead", "Sunderland's east"], "share": [0.1934, 0.5]})
    return alt.Chart(data, title="Share").mark_bar().encode(
        x=alt.X("share:Q"), y=alt.Y("area:N"),
        tooltip=[alt.Tooltip("area:N", title="Area"), alt.Tooltip("share:Q", format=".1%", title="Share")])


def test_each_bar_carries_its_tooltip_figures_as_its_title_and_label():
    drawing = charts.svg(_bars().to_json(), width=400, description="Two areas' shares")
    assert re.findall(r"<title>([^<]*)</title>", drawing) == ["Two areas&#x27; shares", "Area: Gateshead; Share: 19.3%", "Area: Sunderland's east; Share: 50.0%"]
    assert 'aria-label="Area: Gateshead; Share: 19.3%"' in drawing and 'role="graphics-symbol"' in drawing
    assert re.match(r'<svg[^>]* width="400"', drawing)  # the width asked for, labels included
    assert 'aria-label="Two areas&#x27; shares"' in drawing  # the whole drawing's name


def test_a_nested_field_is_described_by_its_value():
    shapes = alt.Data(values=[{"type": "Feature", "properties": {"name": "Hartlepool", "reach": 171.4},
                               "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}])
    chart = alt.Chart(shapes).mark_geoshape().encode(tooltip=[alt.Tooltip("properties.name:N", title="Local authority"),
                                                            alt.Tooltip("properties.reach:Q", format=".0f", title="Per 1,000")])
    assert "<title>Local authority: Hartlepool; Per 1,000: 171</title>" in charts.svg(chart.to_json(), width=300)


def test_two_drawings_on_one_page_keep_their_own_ids():
    drawing = '<svg><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"><use href="#clip1"/></g></svg>'
    assert charts.unique_ids(drawing, "a") == ('<svg><defs><clipPath id="a-clip1"><rect/></clipPath></defs>'
                                               '<g clip-path="url(#a-clip1)"><use href="#a-clip1"/></g></svg>')


def test_a_view_chart_draws_with_the_page_font():
    chart = Chart("c", "Reach", "bars_with_intervals", pd.DataFrame({"group": [1, 2], "value": [10.0, 20.0], "lower": [8.0, 18.0], "upper": [12.0, 22.0]}))
    drawing = charts.svg(charts.build(chart).to_json(), width=500)
    assert 'font-family="&quot;Source Sans&quot;, sans-serif"' in drawing or "Source Sans" in drawing
    assert drawing.count("<title>Group: ") == 2  # one per bar; the interval rules have no tooltip
