"""Unexpected errors: a plain message with a reference number on screen, the traceback in the
server's log under that number. With ``client.showErrorDetails = "none"`` (``.streamlit/
config.toml``) Streamlit itself never shows a traceback or a server path either."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import secrets
from typing import Callable

import streamlit as st

from data_access.access import Refused

log = logging.getLogger("pair_atlas")


def reference() -> str:
    return f"PA-{dt.datetime.now(dt.timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(2).upper()}"


def guarded(run: Callable[[], None]) -> None:
    """Run a page; an unexpected error is logged with a new reference and shown as a plain
    message naming it. Streamlit's own control flow (rerun, stop, switch page) passes through:
    it is not an ``Exception``."""
    try:
        run()
    except Refused as refused:  # a role check on the server side: expected, and said plainly
        st.error(str(refused), icon=":material/lock:")
    except Exception:
        ref = reference()
        log.exception("Unexpected error on a page; reference %s", ref)
        st.error(f"Something went wrong and this page could not be shown in full. Please try again; if it happens again, "
                 f"give this reference to your PAIR Atlas administrator: **{ref}** (the details are in the server's log under it).",
                 icon=":material/report:")
        if os.environ.get("PAIR_ATLAS_RAISE_ERRORS") == "1":  # the test suite: let the tests see the exception too
            raise


def guard(body: Callable[[], None]) -> Callable[[], None]:
    """``body`` run under :func:`guarded` when called (its name kept: Streamlit names a fragment by it)."""

    @functools.wraps(body)
    def run() -> None:
        guarded(body)

    return run


def fragment(body: Callable[[], None]):
    """``st.fragment`` whose own reruns (a widget inside it changed: only it runs, not the page)
    are guarded as a page's run is by :func:`guarded`."""
    return st.fragment(guard(body))
