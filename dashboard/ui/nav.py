"""The app's pages, declared once: the entry point navigates them, pages link to them."""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).resolve().parent.parent.parent / "pages"

#: url_path -> (file, title, icon)
PAGES = {
    "overview": ("overview.py", "Overview", ":material/home:"),
    "map": ("map_and_gaps.py", "Map and gaps", ":material/map:"),
    "reach": ("baby_clinic_reach.py", "Baby clinic reach", ":material/stroller:"),
    "barriers": ("barriers.py", "Barriers (BCW)", ":material/psychology:"),
    "value": ("value_for_money.py", "Value for money", ":material/calculate:"),
    "briefing": ("briefing_pack.py", "Briefing pack", ":material/picture_as_pdf:"),
    "sources": ("data_and_sources.py", "Data and sources", ":material/source:"),
}
MEETING = ("meeting.py", "Planning meeting", ":material/co_present:")


def page(url_path: str) -> st.Page:
    file, title, icon = MEETING if url_path == "meeting" else PAGES[url_path]
    return st.Page(PAGES_DIR / file, title=title, icon=icon, url_path=url_path, default=url_path == "overview")


@functools.cache
def _target(url_path: str) -> st.Page:
    """A page as a link's target: made once (a link only reads it; st.navigation gets pages of its own)."""
    return page(url_path)


def link(url_path: str, label: str) -> None:
    st.page_link(_target(url_path), label=label, icon=PAGES.get(url_path, MEETING)[2])
