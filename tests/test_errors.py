"""An unexpected error shows a plain message with a reference number, never a traceback or a
server path; the traceback is in the server log under the same reference."""

from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path

import pytest

from tests.apphelp import APP

pytestmark = pytest.mark.usefixtures("app_db")


def test_a_failing_page_shows_a_reference_and_no_internals(monkeypatch, caplog):
    from streamlit.testing.v1 import AppTest

    import dashboard.views as views

    def broken(*args, **kwargs):
        raise RuntimeError("internal detail /work/main/dashboard/secret.py line 12")

    monkeypatch.setattr(views, "overview_view", broken)
    monkeypatch.delenv("PAIR_ATLAS_RAISE_ERRORS")  # as deployed
    caplog.set_level(logging.ERROR, logger="pair_atlas")
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception  # nothing reaches Streamlit's exception box
    message = " ".join(e.value for e in at.error)
    ref = re.search(r"PA-\d{8}-\d{6}-[0-9A-F]{4}", message)
    assert ref and "administrator" in message
    on_screen = " ".join(str(getattr(e, "value", "")) for e in at.main) + message
    assert "/work/" not in on_screen and ".py" not in on_screen and "internal detail" not in on_screen and "Traceback" not in on_screen
    logged = [r for r in caplog.records if ref.group(0) in r.getMessage()]
    assert logged and "internal detail" in logged[0].exc_text


def test_under_test_the_error_is_raised_as_well(monkeypatch):
    """So that every other test's "no exception" still catches a broken page."""
    from streamlit.testing.v1 import AppTest

    import dashboard.views as views

    monkeypatch.setattr(views, "overview_view", lambda *a, **k: 1 / 0)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert at.exception and "division by zero" in at.exception[0].value and "PA-" in at.error[0].value


def test_streamlit_is_configured_to_hide_error_details():
    config = tomllib.loads((Path(APP).parent.parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_a_fragment_rerun_is_guarded_as_a_page_run(monkeypatch, caplog):
    """A widget inside a fragment (the Overview's figures, the live map) reruns only the fragment,
    not the page that ``guarded`` wraps: its error shows the same plain message and reference."""
    from dashboard.ui import errors

    def broken():
        raise RuntimeError("internal detail /work/main/dashboard/secret.py")

    shown = []
    monkeypatch.setattr(errors.st, "error", lambda text, **kwargs: shown.append(text))
    monkeypatch.delenv("PAIR_ATLAS_RAISE_ERRORS")
    caplog.set_level(logging.ERROR, logger="pair_atlas")
    errors.guard(broken)()  # what errors.fragment gives st.fragment to call on the fragment's own rerun: no exception escapes
    ref = re.search(r"PA-\d{8}-\d{6}-[0-9A-F]{4}", shown[0])
    assert ref and "internal detail" not in shown[0]
    assert any(ref.group(0) in r.getMessage() and "internal detail" in r.exc_text for r in caplog.records)
