"""Widgets every page uses the same way, their state kept in the URL so a link reopens a view."""

from __future__ import annotations

import streamlit as st

from dashboard.regions import REGION_CHOICES, region_label
from dashboard.ui.state import bound
from dashboard.vocabulary import DEFAULT_INDEX, INDEXES


def choice(label: str, options, *, within=None, **kwargs):
    """A segmented control as every page draws one (``within`` a column or container, else where the
    script is): its options wrap onto a second row when short of room, so every option stays in sight,
    rather than scroll sideways (which also had the browser measure the page's layout to scroll the
    chosen option into view each time one was drawn)."""
    return (within or st).segmented_control(label, options, wrap=True, **kwargs)


def region_picker(key: str = "region") -> str:
    picked = bound(
        choice,
        "Region (ICB)",
        REGION_CHOICES,
        default=REGION_CHOICES[1],
        format_func=region_label,  # short labels: they are also the URL values
        key=key,
        required=True,
        help="NENC: NHS North East and North Cumbria ICB. BNSSG: NHS Bristol, North Somerset and South Gloucestershire ICB. Areas are assigned to an ICB by the ONS LSOA -> ICB lookup, not by local authority.",
    )
    return picked or REGION_CHOICES[1]


def index_picker(key: str = "index") -> str:
    # two options side by side (the same kind of control as the region: no drop-down to load)
    options = list(INDEXES)
    picked = bound(
        choice,
        "Deprivation index",
        options,
        default=DEFAULT_INDEX,
        required=True,
        format_func=lambda k: INDEXES[k].short,  # short labels: they are also the URL values
        key=key,
        help="IoD 2025 is the current official index, on 2021 LSOAs; IMD 2019 is the previous one, on 2011 LSOAs.",
    )
    return picked or DEFAULT_INDEX


def illustrative_toggle() -> bool:
    """Whether illustrative (synthetic) services count in the figures: off unless switched on."""
    return bound(
        st.toggle, "Include illustrative services", value=False, key="illustrative",
        help="The starter register has synthetic baby clinics and family hubs for demonstration. They are left out of every "
             "figure unless you switch this on; while on, every figure, chart and download says so.",
    )


def sources_caption(*lines: str) -> None:
    """A small 'Sources' note under a chart or table."""
    st.caption("**Sources.** " + " ".join(lines))
