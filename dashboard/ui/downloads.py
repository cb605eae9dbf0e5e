"""One way to offer any table for download: CSV and XLSX, each with its footer row (the
workbook is made when it is asked for, not on every run of the page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.exports import chart_image, csv_bytes, footer_text, with_footer, xlsx_bytes
from dashboard.ui.show import download_menu


def table_downloads(frame: pd.DataFrame, name: str, source: str, extra: str = "", key: str | None = None) -> None:
    footed = with_footer(frame, footer_text(source, extra))
    key = key or name
    label = name.replace("_", " ").capitalize()
    with download_menu("table", label):
        st.download_button(f"{label} (CSV)", csv_bytes(footed), file_name=f"{name}.csv", mime="text/csv",
                           icon=":material/download:", key=f"{key}_csv", on_click="ignore")
        st.download_button(f"{label} (XLSX)", lambda: xlsx_bytes(footed), file_name=f"{name}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:", key=f"{key}_xlsx", on_click="ignore")


def chart_downloads(chart, name: str, footer: str, key: str | None = None) -> None:
    """The chart as PNG and SVG, with its source footer under the title; made on click."""
    label = name.replace("_", " ").capitalize()
    with download_menu("chart", label):
        _figure_buttons(chart, label, name, footer, key or name)


def figure_downloads(figures: list[tuple], key: str) -> None:
    """Several figures' PNG and SVG in one small menu, each ``(chart, title, file name, footer)``
    (one control to draw on each rerun, not one a figure); made on click."""
    with download_menu("figures", "; ".join(title for _, title, _, _ in figures)):
        for i, (chart, title, name, footer) in enumerate(figures):
            _figure_buttons(chart, title, name, footer, f"{key}_{i}")


def _figure_buttons(chart, label: str, name: str, footer: str, key: str) -> None:
    st.download_button(f"{label} (PNG)", lambda: chart_image(chart, footer, "png"), file_name=f"{name}.png", mime="image/png",
                       icon=":material/image:", key=f"{key}_png", on_click="ignore")
    st.download_button(f"{label} (SVG)", lambda: chart_image(chart, footer, "svg"), file_name=f"{name}.svg", mime="image/svg+xml",
                       icon=":material/image:", key=f"{key}_svg", on_click="ignore")
