"""Planning-meeting mode: the sequence lives in the URL; editing is hidden."""

from __future__ import annotations

import pytest

from dashboard import meeting
from tests.apphelp import open_page


def test_parse_and_query_round_trip():
    query = meeting.query_for(["map", "reach", "compare"], 2)
    assert query == {"meeting": "1", "steps": "map,reach,compare", "step": "3", "vfm_view": "Compare"}
    assert meeting.parse(query) == (True, ["map", "reach", "compare"], 2)
    assert meeting.parse({}) == (False, meeting.DEFAULT_SEQUENCE, 0)
    assert meeting.parse({"meeting": "1", "steps": "map,bogus", "step": "9"}) == (True, ["map"], 0)


@pytest.mark.usefixtures("app_db")
def test_meeting_mode_hides_editing_and_steps_forward():
    at = open_page("map_and_gaps", meeting="1", steps="gaps,reach", step="1", view="Service register")
    assert any("Step 1 of 2: Coverage and gaps" in m.value for m in at.markdown)
    assert not [b for b in at.button if b.label == "Save service"]  # the register editor is hidden
    assert not at.file_uploader
    next(b for b in at.button if b.label == "Next").click().run()
    assert not at.exception
    assert any("Step 2 of 2: Baby clinic reach" in m.value for m in at.markdown)
    assert at.query_params["step"] in ("2", ["2"]) and at.query_params["steps"] in ("gaps,reach", ["gaps,reach"])
