"""The improvement cycle: checked, stored per region on both engines, shown on the reach page."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import improvement


def test_validation():
    good = {"region": "BNSSG", "step": "audit", "status": "done", "started": "01/04/2025", "completed": "31/03/2026",
            "found": "Fewer infants from the most deprived fifth attend drop-in clinics.", "changed": "Two clinics moved to community venues."}
    clean, problems = improvement.validate(good, today=dt.date(2026, 11, 30))
    assert not problems and clean["completed"] == dt.date(2026, 3, 31)
    _, problems = improvement.validate(dict(good, completed=""), today=dt.date(2026, 11, 30))
    assert problems == {"completed": "A step that is done needs its completion date"}
    _, problems = improvement.validate(dict(good, found='A mum at BS1 4DJ said "too far"', step="party"), today=dt.date(2026, 11, 30))
    assert set(problems) == {"found", "step"} and "postcode" in problems["found"]


def test_repository_one_row_per_step_and_region(engine):
    from data_access.db import migrate
    from data_access.repositories import ImprovementRepository

    migrate(engine)
    repo = ImprovementRepository(engine)
    clean, _ = improvement.validate({"region": "BNSSG", "step": "audit", "status": "in progress", "started": "01/04/2025"}, today=dt.date(2026, 11, 30))
    repo.save(clean)
    repo.save(dict(clean, status="done", completed=dt.date(2026, 3, 31)))
    repo.save(dict(clean, region="NENC"))
    bnssg = repo.list("BNSSG")
    assert len(bnssg) == 1 and bnssg.iloc[0]["status"] == "done"
    assert len(repo.list("NENC")) == 1


@pytest.mark.usefixtures("app_db")
def test_a_step_saved_on_the_reach_page(store):
    from tests.apphelp import open_page, tables

    at = open_page("baby_clinic_reach", region="BNSSG")
    assert not any(b.label == "Save this step" for b in at.button)  # the section runs only when opened
    at.session_state["reach_improvement"] = True  # opened (as a click on it, or its key in the URL)
    at.run()
    at.selectbox(key="imp_status").set_value("in progress")
    at.date_input(key="imp_started").set_value(dt.date(2025, 4, 1))
    at.text_area(key="imp_found").set_value("Drop-in clinics see fewer families from the most deprived neighbourhoods.")
    next(b for b in at.button if b.label == "Save this step").click().run()
    assert not at.exception and not at.error
    table = next(d.value for d in tables(at) if "Step" in d.value.columns).set_index("Step")
    assert table.loc["Audit", "Status"] == "in progress" and table.loc["Discussions with families", "Status"] == "not recorded"
