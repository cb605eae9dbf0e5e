"""From a prioritised barrier to actions: candidate functions, APEASE, the action plan with its
history and stale-edit check (SQLite and PostgreSQL), workshop ratings left unrated, and ties."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import bcw
from dashboard.views import actions_view, barriers_view
from data_access.db import migrate
from data_access.repositories import ActionRepository, BarrierRepository, StaleAction

YES = {c: "yes" for c in bcw.APEASE}


def _barrier(bid):
    return next(b for b in bcw.shipped_barriers() if b.id == bid)


def test_a_collaboration_enabler_is_not_offered_coercion_or_restriction():
    collaboration = _barrier("B02")
    assert collaboration.direction == "enabler" and collaboration.study_words == "Taking a collaborative approach to commissioning"
    cands = {c.function: c for c in bcw.candidates(collaboration)}
    assert not cands["Coercion"].suggested and not cands["Restriction"].suggested
    assert {f for f, c in cands.items() if c.suggested} == {"Education", "Persuasion", "Incentivisation", "Environmental restructuring", "Modelling", "Enablement"}
    assert "Coercion" not in bcw.table([collaboration])["intervention_functions"].iloc[0]
    # keeping Coercion needs every criterion answered and a note saying why
    assert any("note" in p for p in bcw.apease_problems(cands["Coercion"], YES, "", True))
    assert any("Side-effects" in p for p in bcw.apease_problems(cands["Coercion"], {"affordability": "yes"}, "why", True))
    assert bcw.apease_problems(cands["Coercion"], YES, "Contract clause already agreed with providers", True) == []
    assert bcw.apease_problems(cands["Education"], YES, "", True) == []
    assert any("answered no" in p for p in bcw.apease_problems(cands["Education"], {**YES, "equity": "no"}, "", True))
    assert bcw.apease_problems(cands["Coercion"], {}, "", False) == []  # rated, not kept: nothing required


def test_structural_factors_are_context_without_functions():
    funding = _barrier("B03")
    assert not funding.amenable and funding.factor_level == "system" and bcw.candidates(funding) == []
    assert bcw.validate_content(bcw.shipped_barriers()) == []
    study = bcw.study()
    assert "Nine" in study["sample"] and "2022" in study["dates"] and "North East and North Cumbria" in study["place"]
    # the study's words are kept apart from PAIR Atlas's elaboration, which is the only place detail such as procurement rules appears
    assert all("procurement" not in b.study_words and "ring-fenced" not in b.study_words for b in bcw.shipped_barriers())
    assert {b.evidence for b in bcw.filter_barriers(bcw.shipped_barriers(), evidence=["pif"])} == {"pif"}


def test_action_rules():
    good = {"action": "Brief the board", "function": "Education", "owner": "ICB commissioner", "due": dt.date(2027, 1, 31), "status": "planned"}
    today = dt.date(2026, 11, 30)
    assert bcw.action_problems(good, ["Education"], today) == []
    assert any("kept through APEASE" in p for p in bcw.action_problems(good, ["Training"], today))
    assert any("a role" in p for p in bcw.action_problems({**good, "owner": "Dr Jane Smith"}, ["Education"], today))
    assert any("a role" in p for p in bcw.action_problems({**good, "owner": "jane@nhs.net"}, ["Education"], today))
    assert any("due date" in p for p in bcw.action_problems({**good, "due": dt.date(1899, 1, 1)}, ["Education"], today))
    assert any("status" in p for p in bcw.action_problems({**good, "status": "maybe"}, ["Education"], today))


def test_action_plan_history_and_stale_edits(engine):
    migrate(engine)
    repo = ActionRepository(engine)
    repo.rate_function("NENC", "B05", "Education", YES, None, True)
    repo.rate_function("NENC", "B02", "Coercion", YES, "Agreed in contract", True)
    repo.rate_function("NENC", "B05", "Education", {**YES, "equity": "unsure"}, None, True)  # re-rated: replaced, not added
    apease = repo.apease("NENC")
    assert len(apease) == 2 and bcw.kept_functions(apease, "B05") == ["Education"] and repo.apease("BNSSG").empty
    values = {"region": "NENC", "barrier_id": "B05", "function": "Education", "action": "Brief the board", "owner": "ICB commissioner",
              "due": dt.date(2027, 1, 31), "status": "planned"}
    first = repo.add(values)
    assert repo.add(values) == first and len(repo.list("NENC")) == 1  # a repeated click adds nothing
    assert repo.update(first, {"status": "in progress"}, 1) == 2
    with pytest.raises(StaleAction, match="changed by someone else"):
        repo.update(first, {"status": "done"}, 1)  # a second editor who opened version 1
    row = repo.list("NENC").iloc[0]
    assert row["status"] == "in progress" and row["version"] == 2
    history = repo.history(first)
    assert history["version"].tolist() == [1, 2] and '"before": "planned"' in history["change"].iloc[1]
    assert repo.list("BNSSG").empty


def test_actions_view_export_is_the_regions_own():
    frame = pd.DataFrame([
        {"region": "NENC", "barrier_id": "B05", "function": "Education", "action": "Brief the board", "owner": "ICB commissioner",
         "due": dt.date(2026, 10, 1), "status": "planned"},
        {"region": "NENC", "barrier_id": "B01", "function": "Enablement", "action": "Map who commissions what", "owner": "Local authority commissioner",
         "due": dt.date(2027, 6, 30), "status": "done"},
        {"region": "BNSSG", "barrier_id": "B05", "function": "Education", "action": "Bristol briefing", "owner": "ICB commissioner",
         "due": dt.date(2027, 1, 1), "status": "planned"}])
    view = actions_view("NENC", frame, today=dt.date(2026, 11, 30))
    exported = view.table("actions").export()
    assert exported["Action"].tolist() == ["Brief the board", "Map who commissions what"]
    assert "Bristol briefing" not in exported.to_csv()
    assert view.summary.startswith("NHS North East and North Cumbria has 2 actions in its plan, 1 open (1 overdue)")
    assert "B05. Low awareness" in exported["Barrier"].iloc[0]


def test_unrated_questions_are_not_counted_and_ties_are_said(engine):
    migrate(engine)
    repo = BarrierRepository(engine)
    wid = repo.open_workshop("Tie test", "E08000037", "Gateshead")
    repo.rate(wid, "B05", 4, 4, "A")
    repo.rate(wid, "B01", 4, 4, "A")
    repo.rate(wid, "B02", 5, None, "A")  # changeable left unrated
    repo.rate(wid, "B02", 3, None, "B")
    with pytest.raises(ValueError):
        repo.rate(wid, "B03", None, None, "A")
    summary = bcw.workshop_summary(repo.ratings(wid), bcw.shipped_barriers()).set_index("barrier_id")
    assert summary.loc["B02", "applies_raters"] == 2 and summary.loc["B02", "changeable_raters"] == 0
    assert summary.loc["B02", "applies_median"] == 4 and pd.isna(summary.loc["B02", "priority"])
    assert summary.loc["B05", "rank"] == summary.loc["B01", "rank"] == 1 and summary.loc["B05", "tied"] and summary.loc["B01", "tied"]
    view = barriers_view("NENC", repo.workshops(), {wid: repo.ratings(wid)}, {"E08000037": "NENC"}, top=None)
    assert "(tied, 2 barriers)" in view.summary and "are" in view.summary
    labels = view.chart("priorities").data["label"].tolist()
    assert labels[0].startswith("1= ") and labels[1].startswith("1= ") and len(labels) == 2  # B02 has no priority yet
