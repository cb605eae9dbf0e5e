"""Widgets every page uses the same way, their state kept in the URL so a link reopens a view."""

from __future__ import annotations

import streamlit as st

from dashboard.regions import REGION_CHOICES, region_label
from data_access.store import DEFAULT_INDEX, GEOGRAPHY_LABELS, INDEXES


def region_picker(key: str = "region") -> str:
    choice = st.segmented_control(
        "Region (ICB)",
        REGION_CHOICES,
        default=REGION_CHOICES[0],
        format_func=region_label,  # short labels: they are also the URL values
        key=key,
        required=True,
        bind="query-params",
        help="NENC: NHS North East and North Cumbria ICB. BNSSG: NHS Bristol, North Somerset and South Gloucestershire ICB. Areas are assigned to an ICB by the ONS LSOA -> ICB lookup, not by local authority.",
    )
    return choice or REGION_CHOICES[0]


def index_picker(key: str = "index") -> str:
    options = list(INDEXES)
    return st.selectbox(
        "Deprivation index",
        options,
        index=options.index(DEFAULT_INDEX),
        format_func=lambda k: f"{INDEXES[k].short} ({GEOGRAPHY_LABELS[INDEXES[k].geography]})",
        key=key,
        bind="query-params",
        help="IoD 2025 is the current official index; IMD 2019 is the previous one, on 2011 LSOAs.",
    )


def sources_caption(*lines: str) -> None:
    """A small 'Sources' note under a chart or table."""
    st.caption("**Sources.** " + " ".join(lines))
