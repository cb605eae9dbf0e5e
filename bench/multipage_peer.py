"""Benchmark reference: a reference page (``bare_page.py`` or ``folium_page.py``, named by the
environment variable ``PAIR_BENCH_PAGE``) as a page of a multipage app (``st.navigation``), at the
root and at a page path (``/page``), as PAIR Atlas's pages are.

Two costs come with any page of a multipage app that a plain one-script page does not pay: the
navigation script runs before the page's on every run, and a page opened by its link
(``/map``) first has the browser look for the server at that path (``/map/_stcore/health``, a
404) and then, 100 ms later, at the root (streamlit/streamlit#7074). Timing the same reference
page this way gives the floor for a page opened as PAIR Atlas's pages are."""

import os
from pathlib import Path

import streamlit as st

page = str(Path(__file__).resolve().parent / os.environ.get("PAIR_BENCH_PAGE", "bare_page.py"))
st.navigation(
    [st.Page(page, title="Reference", default=True), st.Page(page, title="Reference at a path", url_path="page")],
    position="hidden",
).run()
