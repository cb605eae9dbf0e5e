"""The Value for money page under AppTest: edit, save, reopen from the URL, compare, refuse."""

from __future__ import annotations

import pytest

from tests.apphelp import metrics, open_page, tables

pytestmark = pytest.mark.usefixtures("app_db")


def _metrics(at):
    return metrics(at)


def _open(**query):
    """The page with its inputs' panel open (it is made when opened)."""
    at = open_page("value_for_money", **query)
    at.session_state["vfm_inputs"] = True
    at.run()
    assert not at.exception
    return at


def _save(at, name):
    at.text_input(key="save_name").set_value(name).run()
    next(b for b in at.button if b.label == "Save scenario").click().run()
    assert not at.exception


def test_defaults_show_sources_and_outputs():
    at = _open()
    assert "Families reached" in _metrics(at)
    assert any("illustrative" in c.value for c in at.caption)
    assert "Centre for Mental Health" in at.number_input(key="vfm_value_per_outcome").help


def test_edit_save_reopen_from_url_and_compare():
    at = _open()
    at.selectbox(key="vfm_area").set_value("E08000021").run()  # Newcastle upon Tyne
    at.number_input(key="vfm_budget").set_value(250000.0).run()
    reached_a = _metrics(at)["Families reached"]
    _save(at, "Newcastle small")
    at.number_input(key="vfm_budget").set_value(900000.0).run()
    _save(at, "Newcastle large")
    assert at.selectbox(key="scenario").options == ["(new from defaults)", "Newcastle large", "Newcastle small"]

    reopened = _open(scenario="Newcastle small")
    assert reopened.selectbox(key="scenario").value == "Newcastle small"
    assert reopened.selectbox(key="vfm_area").value == "E08000021"
    assert reopened.number_input(key="vfm_budget").value == 250000.0
    assert _metrics(reopened)["Families reached"] == reached_a

    reopened.segmented_control(key="vfm_view").set_value("Compare").run()
    reopened.multiselect(key="compare").set_value(["Newcastle large", "Newcastle small"]).run()
    side = tables(reopened)[0].value  # the scenarios view: one row each, with its area
    assert side["Scenario"].tolist() == ["Newcastle large", "Newcastle small"] and set(side["Area"]) == {"Newcastle upon Tyne"}
    assert side["Cost"].str.startswith("£").all()
    table = tables(reopened)[1].value
    assert list(table.columns) == ["Newcastle large", "Newcastle small"]
    assert table.loc["budget", "Newcastle large"] == "900000.0" and table.loc["budget", "Newcastle small"] == "250000.0"


def test_impossible_combination_is_refused_with_a_message():
    at = _open()
    at.number_input(key="vfm_share_nhs").set_value(80.0).run()
    at.number_input(key="vfm_share_la").set_value(40.0).run()
    assert "add up to more than 100%" in at.error[0].value
    assert "Families reached" not in _metrics(at)


def test_every_section_renders():
    at = _open()
    for section in ("Sensitivity", "Uncertainty", "Equity", "Summary"):
        at.segmented_control(key="vfm_view").set_value(section).run()
        assert not at.exception, section
    assert any("the chance that benefits exceed costs is" in m.value for m in at.markdown)
    inputs = next(d.value for d in tables(at) if list(d.value.columns) == ["Input", "Value", "Source", "Status"])
    assert "Infants aged 0 in the area (annual cohort)" in set(inputs["Input"])
    outputs = next(d.value for d in tables(at) if list(d.value.columns) == ["Output", "Value"]).set_index("Output")
    assert outputs.loc["Net present value", "Value"].startswith(("£", "\u2212£"))


def test_a_scenario_named_like_a_formula_or_markup_is_refused():
    at = _open()
    for name in ('=HYPERLINK("http://x","y")', "<img src=x>"):
        _save(at, name)
        assert any("Not saved: the name" in e.value for e in at.error)
    assert at.selectbox(key="scenario").options == ["(new from defaults)"]


def test_inputs_panel_closed_keeps_the_inputs_and_sums_them_up():
    """Closed, the panel draws no input (no widget to load) yet the figures keep the inputs as last set."""
    at = open_page("value_for_money")
    assert not at.number_input and "Budget £500,000 a year" in next(c.value for c in at.caption if c.value.startswith("Inputs in brief"))
    at.session_state["vfm_inputs"] = True
    at.run()
    at.number_input(key="vfm_budget").set_value(250000.0).run()
    at.number_input(key="vfm_uptake").set_value(50.0).run()
    reached = _metrics(at)["Families reached"]
    at.session_state["vfm_inputs"] = False
    at.run()
    assert not at.number_input and _metrics(at)["Families reached"] == reached
    brief = next(c.value for c in at.caption if c.value.startswith("Inputs in brief"))
    assert "Budget £250,000 a year" in brief and "uptake 50%" in brief
    at.run()  # and on the next run too (Streamlit has dropped the widgets' own state by then)
    assert _metrics(at)["Families reached"] == reached
    at.session_state["vfm_inputs"] = True
    at.run()
    assert at.number_input(key="vfm_budget").value == 250000.0 and at.number_input(key="vfm_uptake").value == 50.0
