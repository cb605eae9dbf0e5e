"""Price years: re-basing money to one price year with HM Treasury's GDP deflator (no Streamlit).

HM Treasury publishes the GDP deflator at market prices (from ONS series L8GG for financial
years, with OBR forecasts) as "GDP deflators at market prices, and money GDP", a CSV on gov.uk
updated every quarter. Saved as ``dashboard/content/gdp_deflators.csv`` (as published: title
rows, then one row per year, ``1955-56`` onwards, index first), it re-bases every input whose
price year differs from :data:`PRICE_YEAR`::

    amount in the target year = amount x deflator[target] / deflator[price year]

Without that file nothing is re-based, and the page says so beside the figures.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

#: Where the published series is kept (a content file: the publisher's CSV as downloaded).
DEFLATOR_FILE = Path(__file__).resolve().parent / "content" / "gdp_deflators.csv"
#: The price year every figure of the value-for-money page is shown in.
PRICE_YEAR = "2025-26"
PUBLISHER = "HM Treasury, GDP deflators at market prices, and money GDP (gov.uk; ONS series L8GG with OBR forecasts)"

_YEAR = re.compile(r"^\s*(\d{4})\s*[-–/]\s*(\d{2})\s*$")


def financial_year(text: str) -> str | None:
    """``"2012-13"`` from "2012-13", "2012/13" or "2012–13"; ``None`` for anything else."""
    match = _YEAR.match(str(text))
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        return None
    return f"{match.group(1)}-{match.group(2)}"


def parse_deflators(text: str) -> pd.Series:
    """The financial-year GDP deflator index from HM Treasury's CSV: each row whose first cell
    is a financial year and whose second is a number (title rows, headers, calendar-year columns
    and footnotes are skipped). Raises ``ValueError`` when no such row is found."""
    values: dict[str, float] = {}
    for row in csv.reader(io.StringIO(text)):
        if len(row) < 2:
            continue
        year = financial_year(row[0])
        try:
            index = float(row[1].replace(",", ""))
        except ValueError:
            continue
        if year and index > 0:
            values[year] = index
    if not values:
        raise ValueError("No financial-year rows (such as '2012-13, 75.3') were found: is this HM Treasury's GDP deflator CSV?")
    return pd.Series(values, name="gdp_deflator").sort_index()


def load(path: Path = DEFLATOR_FILE) -> pd.Series | None:
    """The series kept in the content folder, or ``None`` when it has not been added."""
    if not path.is_file():
        return None
    return parse_deflators(path.read_text(encoding="utf-8-sig", errors="replace"))


def factor(series: pd.Series, from_year: str, to_year: str = PRICE_YEAR) -> float:
    """What one pound of ``from_year`` is worth in ``to_year`` prices."""
    missing = [y for y in (from_year, to_year) if y not in series.index]
    if missing:
        raise KeyError(f"The GDP deflator series has no {', '.join(missing)}")
    return float(series[to_year] / series[from_year])


def rebase(amount: float, series: pd.Series, from_year: str, to_year: str = PRICE_YEAR) -> float:
    return amount * factor(series, from_year, to_year)


def label(year: str) -> str:
    """"2012-13" -> "2012/13" (as the page writes price years)."""
    return year.replace("-", "/")
