"""Benchmark reference: a reference page (``bare_page.py`` or ``folium_page.py``, named by the
environment variable ``PAIR_BENCH_PAGE``) as a page of a multipage app (``st.navigation``), at the
root and at a page path (``/page``), as PAIR Atlas's pages are. The benchmark serves it as PAIR
Atlas is served (``served_peer.py``).

A page of a multipage app pays a cost a plain one-script page does not: the navigation script runs
before the page's on every run. Timing the same reference page this way, on the same server, gives
the floor for a page opened as PAIR Atlas's pages are."""

import os
from pathlib import Path

import streamlit as st

page = str(Path(__file__).resolve().parent / os.environ.get("PAIR_BENCH_PAGE", "bare_page.py"))
st.navigation(
    [st.Page(page, title="Reference", default=True), st.Page(page, title="Reference at a path", url_path="page")],
    position="hidden",
).run()
