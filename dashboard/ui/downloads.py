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
        _figure_buttons(lambda: chart, label, name, footer, key or name)


def figure_downloads(figures: list[tuple], key: str) -> None:
    """Several figures in one small menu (one control to draw on each rerun, not one a figure), each
    ``(chart, title, file name, footer)`` or ``(chart, title, file name, footer, table)``: its PNG and
    SVG, and with ``table`` (a function giving the figure's data as a table) its CSV, each with the
    footer; ``chart`` is an Altair chart or a function making one. Each file is made on click."""
    with download_menu("figures", "; ".join(f[1] for f in figures)):
        for i, (chart, title, name, footer, *table) in enumerate(figures):
            _figure_buttons(chart if callable(chart) else (lambda c=chart: c), title, name, footer, f"{key}_{i}")
            if table:
                st.download_button(f"{title} (CSV)", lambda t=table[0], f=footer: csv_bytes(with_footer(t(), f)), file_name=f"{name}.csv",
                                   mime="text/csv", icon=":material/download:", key=f"{key}_{i}_csv", on_click="ignore")


def _figure_buttons(make, label: str, name: str, footer: str, key: str) -> None:
    """PNG and SVG buttons for the chart ``make()`` gives (called only when a file is asked for)."""
    st.download_button(f"{label} (PNG)", lambda: chart_image(make(), footer, "png"), file_name=f"{name}.png", mime="image/png",
                       icon=":material/image:", key=f"{key}_png", on_click="ignore")
    st.download_button(f"{label} (SVG)", lambda: chart_image(make(), footer, "svg"), file_name=f"{name}.svg", mime="image/svg+xml",
                       icon=":material/image:", key=f"{key}_svg", on_click="ignore")
