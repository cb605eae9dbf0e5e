"""One view, three renderings: for each region, the page (AppTest), the meeting step (AppTest) and
the briefing pack (PDF built by its page) show the same numbers, formatted the same way, and
nothing of the other region."""

from __future__ import annotations

import html
import io
import re

import pytest
from pypdf import PdfReader

from dashboard import vfm
from tests.apphelp import metrics, open_page, tables, texts

pytestmark = pytest.mark.usefixtures("app_db")
STEPS = "overview,map,gaps,reach,barriers,actions,compare"
ACTIONS = {"NENC": ["Brief the NENC ICB board on infant mental health", "Map who commissions what for babies in Gateshead"],
           "BNSSG": ["Brief the BNSSG ICB board on infant mental health", "Map who commissions what for babies in Bristol"]}


def _plain(text: str) -> str:
    """Markdown / HTML as a reader sees it: escapes and tags removed, spaces folded."""
    text = re.sub(r"<[^>]+>", " ", html.unescape(text)).replace("**", "")
    return re.sub(r"\s+", " ", re.sub(r"\\(.)", r"\1", text)).strip()


def _seed(region_rows):
    """A workshop with ratings and a saved scenario for each region, in the app's database."""
    from data_access.db import ready_engine
    from data_access.repositories import BarrierRepository, ScenarioRepository

    import datetime as dt

    from dashboard import bcw
    from data_access.repositories import ActionRepository

    engine = ready_engine()
    barriers, scenarios, plans = BarrierRepository(engine), ScenarioRepository(engine), ActionRepository(engine)
    yes = {c: "yes" for c in bcw.APEASE}
    for (name, area, area_name, scenario, cohort), region in zip(region_rows, ("NENC", "BNSSG")):
        wid = barriers.open_workshop(name, area, area_name)
        barriers.rate(wid, "B05", 5, 4, "P1")  # three barriers rated
        barriers.rate(wid, "B01", 4, 4, "P1")
        barriers.rate(wid, "B02", 3, None, "P1")  # changeable left unrated
        scenarios.save(scenario, area, vfm.Inputs.from_defaults(cohort).to_json())
        plans.rate_function(region, "B05", "Education", yes, None, True)  # kept through APEASE
        plans.rate_function(region, "B01", "Enablement", yes, None, True)
        first, second = ACTIONS[region]
        plans.add({"region": region, "barrier_id": "B05", "function": "Education", "action": first, "owner": "ICB commissioner",
                   "due": dt.date(2027, 3, 31), "status": "planned"})
        plans.add({"region": region, "barrier_id": "B01", "function": "Enablement", "action": second, "owner": "Local authority commissioner",
                   "due": dt.date(2027, 6, 30), "status": "in progress"})


def _meeting(region: str, step: int):
    return open_page("meeting", meeting="1", meeting_region=region, steps=STEPS, step=str(step))


def _metrics(at) -> list[tuple[str, str]]:
    return list(metrics(at).items())


def _text(at) -> str:
    return _plain(" ".join(m.value for m in at.markdown))


@pytest.mark.parametrize("region,other", [("NENC", "BNSSG"), ("BNSSG", "NENC")])
def test_page_meeting_step_and_pack_show_the_same_view(store, region, other):
    _seed([("Gateshead planning", "E08000037", "Gateshead", "Tyneside plan", 28055),
           ("Bristol prioritisation", "E54000039", "BNSSG ICB", "Bristol plan", 10371)])
    mine, theirs = ("Gateshead planning", "Bristol prioritisation") if region == "NENC" else ("Bristol prioritisation", "Gateshead planning")

    overview_page = open_page("overview", region=region)
    overview_step = _meeting(region, 1)
    assert _metrics(overview_page) == _metrics(overview_step) and len(_metrics(overview_page)) == 4

    gaps_page = open_page("map_and_gaps", region=region, view="Coverage and gaps")
    gaps_step = _meeting(region, 3)
    assert _metrics(gaps_page) == _metrics(gaps_step)
    specialist = dict(_metrics(gaps_page))["Specialised PAIR team"]
    assert specialist == ("3,050" if region == "NENC" else "0")

    reach_page = open_page("baby_clinic_reach", region=region)
    reach_step = _meeting(region, 4)
    assert _metrics(reach_page) == _metrics(reach_step)
    sentence = next(_plain(t) for t in texts(reach_page) if _plain(t).startswith("In NHS"))  # the view's headline (plain HTML)
    assert "per 1,000 infant-years" in sentence and sentence in _text(reach_step)

    barriers_step = _meeting(region, 5)
    assert mine in _text(barriers_step) and theirs not in _text(barriers_step)
    actions_step = _meeting(region, 6)
    plan = tables(actions_step)[0].value
    assert set(plan["Action"]) == set(ACTIONS[region]) and set(plan["Owner (role)"]) == {"ICB commissioner", "Local authority commissioner"}
    assert "2 actions in its plan, 2 open" in _text(actions_step)
    barriers_page = open_page("barriers", plan_region=region)  # the page's action plan, whose table is the export
    shown = next(d.value for d in tables(barriers_page) if "Owner (role)" in d.value.columns)
    assert set(shown["Action"]) == set(ACTIONS[region])
    compare_step = _meeting(region, 7)
    assert ("Tyneside plan" if region == "NENC" else "Bristol plan") in _text(compare_step)
    assert ("Bristol plan" if region == "NENC" else "Tyneside plan") not in _text(compare_step)

    pack_page = open_page("briefing_pack")
    pack_page.segmented_control(key="pack_region").set_value(region).run()
    pack_page.button(key="pack_build").click().run()
    assert not pack_page.exception
    made_for, pdf, _ = pack_page.session_state["pack"]
    assert made_for == region
    whole = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for label, value in _metrics(gaps_page)[:2]:
        assert value in whole, (label, value)
    assert sentence[:100] in whole
    assert mine in whole and theirs not in whole
    assert all(a in whole for a in ACTIONS[region]) and not any(a in whole for a in ACTIONS[other])
    assert ("Bristol plan" if region == "NENC" else "Tyneside plan") not in whole


def test_meeting_steps_forward_and_back_without_error(store):
    at = _meeting("BNSSG", 1)
    titles = []
    for _ in range(6):
        titles.append(_plain(at.markdown[0].value))
        at.button(key="meeting_next").click().run()
        assert not at.exception, [e.value for e in at.exception]
    titles.append(_plain(at.markdown[0].value))
    assert titles[0].startswith("BNSSG · Step 1 of 7") and titles[-1].startswith("BNSSG · Step 7 of 7: Scenario comparison")
    assert at.query_params["step"] in ("7", ["7"])
    for _ in range(6):
        at.button(key="meeting_prev").click().run()
        assert not at.exception
    assert _plain(at.markdown[0].value).startswith("BNSSG · Step 1 of 7")
