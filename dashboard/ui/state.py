"""Every key the app keeps in the URL, declared once, and the one way to bind a widget to it.

A widget bound to the URL (``bind="query-params"``) owns its key: nothing may write that query
parameter directly (Streamlit raises "Cannot directly set query parameter ... bound to a
widget"). Code that wants to change such a widget sets its state with :func:`set_widget`
before the widget is drawn. Keys that no widget owns (the meeting's step) are written with
:func:`set_param`.
"""

from __future__ import annotations

import streamlit as st

#: URL key -> what it holds. ``widget``: owned by a widget bound to the URL.
URL_KEYS: dict[str, tuple[str, bool]] = {
    "region": ("the region (NENC, BNSSG or both), on every page", True),
    "index": ("the deprivation index (IoD 2025 or IMD 2019)", True),
    "layer": ("what colours the map", True),
    "la": ("the local authority the map zooms to", True),
    "view": ("the section of the Map and gaps page", True),
    "lsoa_table": ("map page: the table of every neighbourhood is open", True),
    "overview_areas": ("overview: the table of every area is open", True),
    "illustrative": ("whether illustrative services count in the figures", True),
    "counts_as": ("the tier that counts as covered for the gaps", True),
    "reach_la": ("the local authority of the reach figures", True),
    "reach_clinic": ("the clinic of the reach figures", True),
    "reach_groups": ("quintiles or deciles on the reach page", True),
    "reach_models": ("reach page: the clinic-models section is open", True),
    "reach_continued": ("reach page: the continued-use section is open", True),
    "reach_months": ("reach page: the by-month section is open", True),
    "reach_las": ("reach page: the by-local-authority section is open", True),
    "reach_who": ("reach page: the who-attends section is open", True),
    "reach_improvement": ("reach page: the improvement-cycle section is open", True),
    "f_comb": ("barriers: COM-B filter", True),
    "f_tdf": ("barriers: TDF filter", True),
    "f_level": ("barriers: level filter", True),
    "f_direction": ("barriers: direction filter", True),
    "f_version": ("barriers: BCW matrix version", True),
    "f_source": ("barriers: source filter (study, Parent-Infant Foundation, local)", True),
    "plan_region": ("barriers: the region of the action plan", True),
    "bcw_tab": ("barriers: the section shown (only it runs)", True),
    "scenario": ("the saved value-for-money scenario", True),
    "vfm_view": ("the section of the Value for money page", True),
    "vfm_inputs": ("value for money: the inputs' panel is open", True),
    "vfm_years": ("value for money: the year-by-year table is open", True),
    "admin_open": ("data and sources: the administration section is open", True),
    "meeting": ("meeting mode on (1)", False),
    "steps": ("the meeting's sequence of steps", False),
    "step": ("the meeting's current step, from 1", False),
    "meeting_region": ("the meeting's region", False),
}


def bound(widget, label: str, *args, key: str, **kwargs):
    """Draw ``widget`` (e.g. ``st.selectbox``) bound to the URL key ``key``."""
    if key not in URL_KEYS or not URL_KEYS[key][1]:
        raise KeyError(f"{key!r} is not a declared widget URL key (dashboard/ui/state.py)")
    return widget(label, *args, key=key, bind="query-params", **kwargs)


def set_widget(key: str, value) -> None:
    """Change a URL-bound widget's value: through its state, before it is drawn."""
    if key not in URL_KEYS:
        raise KeyError(key)
    st.session_state[key] = value


def set_param(key: str, value: str) -> None:
    """Write a URL key that no widget owns."""
    if key not in URL_KEYS or URL_KEYS[key][1]:
        raise KeyError(f"{key!r} is owned by a widget: use set_widget")
    st.query_params[key] = value


def param(key: str, default: str = "") -> str:
    if key not in URL_KEYS:
        raise KeyError(key)
    return str(st.query_params.get(key, default))
