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
    """The wheel and both matrices, each as PNG and SVG, and the matrices' CSV, in one "Download the
    figures" menu; the COM-B matrix's entries name the matrix version shown."""
    at = _open()
    menus = [p.proto.popover.label for p in at.get("popover") if p.proto.popover.label.startswith("Download the")]
    assert menus == ["Download the figures"]
    comb, policies = "COM-B to intervention functions (2014)", "Intervention functions to policy categories (2014)"
    assert [b.proto.label for b in at.get("download_button")] == [
        "Behaviour Change Wheel (PNG)", "Behaviour Change Wheel (SVG)", f"{comb} (PNG)", f"{comb} (SVG)", f"{comb} (CSV)",
        f"{policies} (PNG)", f"{policies} (SVG)", f"{policies} (CSV)"]
    at.segmented_control(key="f_version").set_value("2011").run()
    assert at.get("download_button")[2].proto.label == "COM-B to intervention functions (2011) (PNG)"


def _matrices(at) -> dict[str, dict]:
    """The BCW matrices drawn as HTML tables (dashboard/ui/barriers.py: matrices_html), by kind:
    caption, column names, and each row's ticked columns and whether it is marked as pointed to."""
    from html import unescape

    out = {}
    for h in at.get("html"):
        for kind, body in re.findall(r"<div class='pair-matrix' data-matrix='(\w+)'>(.*?)</table>", h.proto.body, re.S):
            columns = [unescape(c) for c in re.findall(r"<th scope='col' class='col'><span>(.*?)</span>", body)]
            rows = {}
            for on, name, cells in re.findall(r"<tr( class='on')?><th scope='row'>(.*?)</th>(.*?)</tr>", body):
                ticks = [c for c, cell in zip(columns, re.findall(r"<td[^>]*>(.*?)</td>", cells)) if cell == "✓"]
                rows[unescape(name)] = (bool(on), ticks)
            out[kind] = {"caption": unescape(re.search(r"<caption>(.*?)</caption>", body)[1]), "columns": columns, "rows": rows}
    return out


def _published(reference_dir, kind: str, version: str = "2014") -> dict[str, list[str]]:
    """The published matrix in ../shared/domain (Michie et al.): each row's linked columns."""
    import pandas as pd

    if kind == "com_b":
        frame = pd.read_csv(reference_dir.parent / "domain" / "bcw_com_b_to_functions_wide.csv")
        frame = frame[frame["source_version"] == int(version)].set_index("com_b_component").drop(columns="source_version")
    else:
        frame = pd.read_csv(reference_dir.parent / "domain" / "bcw_functions_to_policies_wide.csv").set_index("intervention_function")
    return {row: [c for c in frame.columns if frame.at[row, c] == 1] for row in frame.index}


def test_the_matrices_are_tables_marking_what_the_barriers_point_to(reference_dir):
    """Both BCW matrices as tables with row and column headers, a tick wherever the published matrix
    (../shared/domain) links a row to a column (the 2011 COM-B matrix when chosen), the rows the
    filtered barriers point to marked (NHS blue), as the page's sentence names them."""
    at = _open()
    m = _matrices(at)
    assert m["com_b"]["caption"] == "COM-B to intervention functions (2014)"
    assert m["policies"]["caption"] == "Intervention functions to policy categories (2014)"
    comb = m["com_b"]["rows"]
    assert {r: ticks for r, (_, ticks) in comb.items()} == _published(reference_dir, "com_b", "2014")
    assert {r: ticks for r, (_, ticks) in m["policies"]["rows"].items()} == _published(reference_dir, "policies")
    assert comb["Physical capability"] == (False, ["Training", "Enablement"])  # not pointed to by any of the 12
    said = next(t for t in texts(at) if t.startswith("Those amenable"))
    pointed = [r for r, (on, _) in comb.items() if on]
    assert pointed == ["Psychological capability", "Physical opportunity", "Social opportunity", "Reflective motivation"]
    assert f"COM-B: {', '.join(pointed)};" in said
    functions = said.split("candidate intervention functions: ")[1].split(";")[0].split(", ")
    assert [r for r, (on, _) in m["policies"]["rows"].items() if on] == functions and "Restriction" in functions
    at.segmented_control(key="f_version").set_value("2011").run()
    m = _matrices(at)
    assert m["com_b"]["caption"] == "COM-B to intervention functions (2011)"
    assert {r: ticks for r, (_, ticks) in m["com_b"]["rows"].items()} == _published(reference_dir, "com_b", "2011")
    at.multiselect(key="f_level").set_value(["pandemic"]).run()  # context only: nothing to point to
    assert not any(on for kind in _matrices(at).values() for on, _ in kind["rows"].values())


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
