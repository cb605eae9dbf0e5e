"""The Barriers page under AppTest: filters, a workshop with ratings, a refused finding."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.apphelp import open_page, tables, texts

pytestmark = pytest.mark.usefixtures("app_db")


def _open(section: str | None = None) -> AppTest:
    """The page showing ``section`` (only it runs; its name is in the URL)."""
    return open_page("barriers", **({"bcw_tab": section} if section else {}))


def _cards(at) -> list[str]:
    """The barrier cards shown (an HTML block, dashboard/ui/barriers.py): their IDs, in order."""
    return [i for h in at.get("html") for i in re.findall(r"data-barrier=['\"](B\d\d)", h.proto.body)]


def _listing(at):
    if at.session_state["bcw_tab"] != "Table":
        at.session_state["bcw_tab"] = "Table"
        at.run()
    return next(d.value for d in tables(at) if "Barrier or enabler" in d.value.columns and "Policy categories" in d.value.columns)


def test_only_the_section_shown_runs():
    at = _open()
    sections = at.segmented_control(key="bcw_tab")
    assert sections.label == "Show" and sections.value == "Cards"
    assert sections.options == ["Cards", "Table", "Local prioritisation workshop", "From barrier to action",
                                "Add local barriers and families' findings"]
    assert not tables(at) and not at.text_input and len(_cards(at)) == 12  # the cards only
    at.segmented_control(key="bcw_tab").set_value("Table").run()
    assert not _cards(at) and len(_listing(at)) == 12
    at = _open("Local prioritisation workshop")
    assert [t.label for t in at.text_input] == ["Workshop name"] and not _cards(at)


def test_the_figures_download_from_one_menu():
    """The wheel and both matrices, each as PNG and SVG, in one "Download the figures" menu; the
    COM-B matrix's entry names the matrix version shown."""
    at = _open()
    menus = [p.proto.popover.label for p in at.get("popover") if p.proto.popover.label.startswith("Download the")]
    assert menus == ["Download the figures"]
    figures = ["Behaviour Change Wheel", "COM-B to intervention functions (2014)", "Intervention functions to policy categories (2014)"]
    assert [b.proto.label for b in at.get("download_button")] == [f"{f} ({kind})" for f in figures for kind in ("PNG", "SVG")]
    at.segmented_control(key="f_version").set_value("2011").run()
    assert at.get("download_button")[2].proto.label == "COM-B to intervention functions (2011) (PNG)"


def test_filters_narrow_the_list_and_the_wheel():
    at = _open()
    assert at.subheader[0].value == "12 of 12 barriers and enablers"
    at.multiselect(key="f_level").set_value(["pandemic"]).run()
    assert at.subheader[0].value == "1 of 12 barriers and enablers"
    assert "COM-B: none;" in next(t for t in texts(at) if t.startswith("Those amenable"))  # the pandemic is context, not a behaviour to change
    assert len(_listing(at)) == 1 and _listing(at).iloc[0]["ID"] == "B07" and _listing(at).iloc[0]["Amenable to change"] == "no: context"
    at.multiselect(key="f_level").set_value(["general"]).run()
    at.multiselect(key="f_source").set_value(["study"]).run()
    assert at.subheader[0].value == "4 of 12 barriers and enablers"
    collaboration = _listing(at).set_index("ID").loc["B02"]
    assert "Modelling" in collaboration["Intervention functions"] and "Coercion" not in collaboration["Intervention functions"]
    assert collaboration["In the study's words"] == "Taking a collaborative approach to commissioning"
    at.segmented_control(key="f_version").set_value("2011").run()
    assert "Modelling" not in _listing(at).set_index("ID").loc["B02", "Intervention functions"]
    at.multiselect(key="f_source").set_value(["pif"]).run()
    assert at.subheader[0].value == "0 of 12 barriers and enablers" and _listing(at).empty and not at.exception
    at.multiselect(key="f_level").set_value([]).run()
    assert set(_listing(at)["Evidence"]) == {"Parent-Infant Foundation themes"} and len(_listing(at)) == 5


def test_workshop_rating_starts_unrated_and_is_summarised():
    at = _open("Local prioritisation workshop")
    at.text_input[0].set_value("Gateshead PAIR planning")
    at.button[0].click().run()  # open the workshop
    wid = at.selectbox(key="workshop_pick").value
    assert wid is not None and at.segmented_control(key=f"a_{wid}_B03").value is None  # unrated, not 3
    at.segmented_control(key=f"a_{wid}_B03").set_value(5)
    at.segmented_control(key=f"a_{wid}_B05").set_value(4)
    at.segmented_control(key=f"c_{wid}_B05").set_value(4)
    [b for b in at.button if b.label == "Submit my ratings"][0].click().run()
    summary = next(d.value for d in tables(at) if "Priority (1-25)" in d.value.columns).set_index("ID")
    assert set(summary.index) == {"B03", "B05"}  # the barriers nobody rated are not counted
    assert summary.loc["B03", "Applies (median, 1-5)"] == "5.0" and summary.loc["B03", "Raters (changeable)"] == "0"
    assert summary.loc["B05", "Priority (1-25)"] == "16.0" and summary.loc["B03", "Priority (1-25)"] == "n/a"
    assert any("Gateshead PAIR planning" in m.value for m in at.markdown)  # the view's sentence names the workshop


def test_keeping_coercion_for_an_enabler_needs_a_note():
    at = open_page("barriers", plan_region="BNSSG")
    at.selectbox(key="plan_barrier").set_value("B02").run()
    keys = [f"ap_BNSSG_B02_Coercion_{c}" for c in ("affordability", "practicability", "effectiveness", "acceptability", "side_effects", "equity")]
    for k in keys:
        at.segmented_control(key=k).set_value("yes")
    form_buttons = [b for b in at.button if b.label == "Save APEASE rating"]
    coercion = [c for c in at.checkbox if c.label == "Keep this function"]
    # one form per candidate function, in the expanders' order: find Coercion's by position
    cands = [e.label.split(":")[0] for e in at.expander if ":" in e.label and not e.label.startswith("The evidence")]
    pos = cands.index("Coercion")
    coercion[pos].check()
    form_buttons[pos].click().run()
    assert any("why Coercion is kept" in e.value for e in at.error)
    assert any("**4. Kept functions:** none yet" in m.value for m in at.markdown)
    note = [t for t in at.text_input if t.label.startswith("Note")][pos]
    note.set_value("Already in the provider contract")
    [c for c in at.checkbox if c.label == "Keep this function"][pos].check()
    [b for b in at.button if b.label == "Save APEASE rating"][pos].click().run()
    assert not at.error and any("**4. Kept functions:** Coercion" in m.value for m in at.markdown)


def test_finding_with_personal_data_is_refused():
    at = _open("Add local barriers and families' findings")
    form_inputs = [t for t in at.text_input if t.label == "Short title"]
    form_inputs[0].set_value("Clinic too far")
    [t for t in at.text_area if t.label.startswith("Summary")][0].set_value('A mum at NE1 1AD said "too far"')
    at.multiselect[-2].set_value(["Physical opportunity"])
    [t for t in at.text_input if t.label.startswith("Source")][0].set_value("Parent discussions")
    [b for b in at.button if b.label == "Save local entry"][0].click().run()
    assert "Not saved" in at.error[0].value and "postcode" in at.error[0].value and "quotation" in at.error[0].value
