"""Opening a page of the app under AppTest, the same way in every page test."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def open_page(page: str, timeout: float = 180, **query) -> AppTest:
    """Run the app (with ``query`` in the URL), switch to ``pages/<page>.py``, fail on an exception."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"../pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at
