"""Planning-meeting mode: the sequence and the region live in the URL, under keys no widget owns."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard import meeting
from dashboard.ui.state import URL_KEYS
from tests.apphelp import APP


def test_parse_and_query_round_trip():
    query = meeting.query_for(["map", "reach", "compare"], 2, "BNSSG")
    assert query == {"meeting": "1", "meeting_region": "BNSSG", "steps": "map,reach,compare", "step": "3"}
    assert meeting.parse(query) == (True, ["map", "reach", "compare"], 2, "BNSSG")
    assert meeting.parse({}) == (False, meeting.DEFAULT_SEQUENCE, 0, "NENC")
    assert meeting.parse({"meeting": "1", "steps": "map,bogus", "step": "9", "meeting_region": "Both"}) == (True, ["map"], 0, "NENC")


def test_meeting_keys_are_declared_and_bound_to_no_widget():
    for key in meeting.query_for(["map"], 0, "NENC"):
        assert key in URL_KEYS and URL_KEYS[key][1] is False


def test_the_sidebar_panel_is_made_when_opened_and_starts_the_meeting(app_db):
    """The planning-meeting pickers are not drawn on every page's first screen; opened, they start meeting mode."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception and not at.sidebar.selectbox and not at.sidebar.multiselect
    at.session_state["meeting_panel"] = True
    at.run()
    assert [s.label for s in at.sidebar.selectbox] == ["Meeting region"] and [m.label for m in at.sidebar.multiselect] == ["Meeting sequence"]
    at.sidebar.button(key="meeting_start").click().run()
    assert not at.exception
    assert at.query_params["meeting"] == "1" and at.query_params["steps"] == "overview,map,gaps,reach,barriers,actions,compare"
    assert [t.value for t in at.title] == ["Where do infants live, and how deprived are their neighbourhoods?"]
