"""Exports: footers, neutralised spreadsheet formulas, chart images."""

from __future__ import annotations

import datetime as dt
import io

import altair as alt
import pandas as pd
import pytest

from dashboard.exports import chart_image, csv_bytes, footer_text, neutralise, with_footer, xlsx_bytes

HOSTILE = ["=1+1", "+44 1234", "-2+3", "@SUM(A1)", "\t=cmd", "=HYPERLINK(\"http://evil\")"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_footer_row_and_both_formats():
    footer = footer_text("ONS mid-2020", "Suppressed below 5", today=dt.date(2026, 11, 22))
    assert footer == "Source: ONS mid-2020. Suppressed below 5. Exported from PAIR Atlas on 22 November 2026."
    table = pd.DataFrame({"name": HOSTILE, "count": range(len(HOSTILE))})
    out = with_footer(table, footer)
    assert out.iloc[-1]["name"] == footer and out.iloc[0]["name"] == "'=1+1"
    back = pd.read_csv(io.BytesIO(csv_bytes(out)), encoding="utf-8-sig")
    assert back["name"].iloc[:-1].str.startswith("'").all() and back["name"].iloc[-1] == footer
    sheet = pd.read_excel(io.BytesIO(xlsx_bytes(out)))
    assert sheet["name"].iloc[2] == "'-2+3" and sheet["name"].iloc[-1] == footer


def test_chart_images_carry_the_footer():
    chart = alt.Chart(pd.DataFrame({"x": ["a", "b"], "y": [1, 2]}), title="Test chart").mark_bar().encode(x="x", y="y")
    png = chart_image(chart, "Source: test footer")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    svg = chart_image(chart, "Source: test footer", "svg").decode()
    assert "Source: test footer" in svg and "Test chart" in svg
