"""Benchmark reference: a reference page (``PAIR_BENCH_PAGE``, as for ``multipage_peer.py``) as a
page of a multipage app, served as PAIR Atlas is (``dashboard/server.py``: its page at ``/page``
given the server's address, no delay on the server's socket). Timed at ``/page``, it is the floor
for a page opened by its link as PAIR Atlas's pages are: the navigation script before the page on
every run, and the same server."""

from pathlib import Path

import streamlit as st

from dashboard.server import fixes

app = st.App(Path(__file__).resolve().parent / "multipage_peer.py", **fixes(["page"]))
