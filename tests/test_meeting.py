"""Planning-meeting mode: the sequence and the region live in the URL, under keys no widget owns."""

from __future__ import annotations

from dashboard import meeting
from dashboard.ui.state import URL_KEYS


def test_parse_and_query_round_trip():
    query = meeting.query_for(["map", "reach", "compare"], 2, "BNSSG")
    assert query == {"meeting": "1", "meeting_region": "BNSSG", "steps": "map,reach,compare", "step": "3"}
    assert meeting.parse(query) == (True, ["map", "reach", "compare"], 2, "BNSSG")
    assert meeting.parse({}) == (False, meeting.DEFAULT_SEQUENCE, 0, "NENC")
    assert meeting.parse({"meeting": "1", "steps": "map,bogus", "step": "9", "meeting_region": "Both"}) == (True, ["map"], 0, "NENC")


def test_meeting_keys_are_declared_and_bound_to_no_widget():
    for key in meeting.query_for(["map"], 0, "NENC"):
        assert key in URL_KEYS and URL_KEYS[key][1] is False
