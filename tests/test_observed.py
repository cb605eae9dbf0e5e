"""Observed outcomes: checked, stored per region (both engines), beside the model's assumptions,
and applied to a scenario with the source shown."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import observed, vfm
from dashboard.suppression import MARKER

NEWPIP = {
    "service": "NEWPIP (Newcastle Parent Infant Partnership)", "region": "NENC", "period_start": "01/04/2024", "period_end": "31/03/2025",
    "referrals": "300", "families_seen": "174", "completions": "140", "measure": "PIR-GAS", "measure_scale": "0-100, higher is better",
    "measured": "120", "improved": "84", "source": "Service annual report 2024/25 (test figures)",
}


def test_validation_names_each_problem():
    clean, problems = observed.validate(NEWPIP, today=dt.date(2026, 11, 30))
    assert not problems and clean["families_seen"] == 174 and clean["period_end"] == dt.date(2025, 3, 31)
    bad = dict(NEWPIP, completions="200", improved="130", period_end="31/03/2023", referrals="1e400", source="=HYPERLINK(1)")
    _, problems = observed.validate(bad, today=dt.date(2026, 11, 30))
    assert set(problems) == {"referrals", "period_end", "source"}
    assert "before the period start" in problems["period_end"] and "formula" in problems["source"]
    _, problems = observed.validate(dict(NEWPIP, completions="200"), today=dt.date(2026, 11, 30))
    assert problems == {"completions": "Completions are more than the families seen"}
    _, problems = observed.validate(dict(NEWPIP, improved="130"), today=dt.date(2026, 11, 30))
    assert problems == {"improved": "More families improved than were measured"}


def test_observed_ratios_and_apply_known_answers():
    clean, _ = observed.validate(NEWPIP, today=dt.date(2026, 11, 30))
    ratios = observed.observed_ratios(clean)
    assert ratios == pytest.approx({"uptake": 174 / 300, "completion": 140 / 174, "effect": 84 / 120})
    inputs = vfm.Inputs.from_defaults(3050)
    new, changed = observed.apply(inputs, clean)
    assert changed == ["completion", "effect", "uptake"] and new.uptake == pytest.approx(0.58) and new.deadweight == inputs.deadweight
    assert float(vfm.run(new)["families_reached"]) != float(vfm.run(inputs)["families_reached"])


def test_repository_keeps_regions_apart_and_replaces_a_period(engine):
    from data_access.db import migrate
    from data_access.repositories import ObservedRepository

    migrate(engine)
    repo = ObservedRepository(engine)
    clean, _ = observed.validate(NEWPIP, today=dt.date(2026, 11, 30))
    repo.save(clean)
    repo.save(dict(clean, families_seen=180))  # the same period again: replaced, not duplicated
    repo.save(dict(clean, region="BNSSG", service="Parent and Infant Emotional Wellbeing Support pathway"))
    nenc = repo.list("NENC")
    assert len(nenc) == 1 and nenc.iloc[0]["families_seen"] == 180
    assert repo.list("BNSSG")["service"].tolist() == ["Parent and Infant Emotional Wellbeing Support pathway"]


@pytest.mark.usefixtures("app_db")
def test_entering_newpip_figures_and_applying_them_changes_the_scenario(store):
    from tests.apphelp import metrics, open_page, tables

    at = open_page("value_for_money")
    at.selectbox(key="vfm_area").set_value("E08000021").run()  # Newcastle upon Tyne, in NENC
    before = metrics(at)["Families reached"]
    at.segmented_control(key="vfm_view").set_value("Observed").run()
    at.selectbox(key="obs_service").set_value("NEWPIP (Newcastle Parent Infant Partnership)")
    at.date_input(key="obs_start").set_value(dt.date(2024, 4, 1))
    at.date_input(key="obs_end").set_value(dt.date(2025, 3, 31))
    for key, value in (("obs_referrals", 60), ("obs_seen", 30), ("obs_completions", 24), ("obs_measured", 20), ("obs_improved", 12)):
        at.number_input(key=key).set_value(value)
    at.text_input(key="obs_measure").set_value("PIR-GAS")
    at.text_input(key="obs_source").set_value("NEWPIP annual report 2024/25 (test figures)")
    next(b for b in at.button if b.label == "Save observed figures").click().run()
    assert not at.exception and not at.error
    table = next(d.value for d in tables(at) if "Assumed" in d.value.columns)
    assert table["Observed"].tolist() == ["50%", "80%", "60%"] and table["Assumed"].tolist()[0] == "70%"
    assert any("assumed uptake 70%, observed 50%" in m.value for m in at.markdown)
    at.button(key="obs_apply").click().run()
    assert not at.exception
    assert at.session_state["vfm_uptake"] == pytest.approx(50.0)
    assert "NEWPIP annual report 2024/25" in at.info[0].value
    after = metrics(at)["Families reached"]
    assert after != before


def test_small_observed_counts_are_hidden():
    from dashboard.views import observed_view
    import pandas as pd

    clean, _ = observed.validate(dict(NEWPIP, referrals="4", families_seen="3", completions="2", measured="", improved="", measure=""),
                                 today=dt.date(2026, 11, 30))
    view = observed_view("NENC", pd.DataFrame([dict(clean, id=1)]), vfm.Inputs.from_defaults(1000), 1)
    shown = view.table("observed").formatted()
    assert shown.loc[0, "Referrals"] == MARKER and shown.loc[0, "Families seen"] == MARKER
    assert view.table("observed_vs_assumed").formatted()["Observed"].tolist()[:2] == [MARKER, MARKER]
