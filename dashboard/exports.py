"""Downloads: every table leaves with a footer naming its source, vintage, suppression and date,
and with spreadsheet formulas neutralised."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def footer_text(source: str, extra: str = "", today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    parts = [f"Source: {source}", extra, f"Exported from PAIR Atlas on {today:%d %B %Y}"]
    return ". ".join(p.strip().rstrip(".") for p in parts if p) + "."


def with_footer(frame: pd.DataFrame, footer: str) -> pd.DataFrame:
    """The table with neutralised text cells and one last row holding the footer."""
    out = frame.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    row = pd.DataFrame([{out.columns[0]: footer}], columns=out.columns)
    return pd.concat([out.astype(object), row.astype(object)], ignore_index=True)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8-sig")


def _naive_utc(value):
    """Excel has no time zones: a zoned time (PostgreSQL's timestamptz) is written as UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    buffer = io.BytesIO()
    frame = frame.copy()
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.DatetimeTZDtype):
            frame[col] = frame[col].dt.tz_convert("UTC").dt.tz_localize(None)
        elif frame[col].dtype == object:
            frame[col] = frame[col].map(_naive_utc)
    frame.to_excel(buffer, index=False, sheet_name=sheet[:31], engine="openpyxl")
    return buffer.getvalue()


def table_xlsx(frame: pd.DataFrame) -> bytes:
    """A footed table (from :func:`with_footer`) as an XLSX workbook."""
    return xlsx_bytes(frame)


def chart_image(chart, footer: str, fmt: str = "png", title: str | None = None) -> bytes:
    """An Altair chart as PNG or SVG (vl-convert, no browser), with the footer as its subtitle."""
    import altair as alt
    import vl_convert as vlc

    current = chart.title if isinstance(getattr(chart, "title", None), (str, alt.Title)) else None
    text = title or (current.text if isinstance(current, alt.Title) else current) or ""
    spec = chart.properties(title=alt.Title(text, subtitle=footer[:200], anchor="start")).to_json()
    return vlc.vegalite_to_svg(spec).encode() if fmt == "svg" else vlc.vegalite_to_png(spec, scale=2)
