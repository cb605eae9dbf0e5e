"""Opening a page of the app under AppTest, the same way in every page test."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
#: URL values of the region control -> its options (the URL carries the short label).
REGION_VALUES = {"Both ICBs": "Both", "Both": "Both", "NENC": "NENC", "BNSSG": "BNSSG"}


def open_page(page: str | None, timeout: float = 180, **query) -> AppTest:
    """Run the app with ``query`` in the URL, switch to ``pages/<page>.py``, fail on an exception.

    AppTest must run the default page (Overview) once before it can switch; that run creates the
    Overview's own URL-bound widgets (the region), whose state the next page's widget of the
    same key then keeps. As a browser opening the link on the page itself would, the region
    from the URL is put into that state before switching (and the page run once more, as
    AppTest's first run after a switch sends the previous page's widget states). The browser
    tests open the URL itself.
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        if "region" in query:
            at.session_state["region"] = REGION_VALUES[query["region"]]
        at.switch_page(f"../pages/{page}.py").run()
        if "region" in query:
            at.run()  # AppTest's first run after a switch still reads the previous page's widget ids
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(text: str) -> str:
    """Markdown as a reader sees it: backslash escapes removed, spaces folded."""
    import re

    return re.sub(r"\s+", " ", re.sub(r"\\(.)", r"\1", text)).strip()
