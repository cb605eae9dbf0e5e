"""The Barriers page under AppTest: filters, a workshop with ratings, a refused finding."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.apphelp import open_page

pytestmark = pytest.mark.usefixtures("app_db")


def _open() -> AppTest:
    return open_page("barriers")


def _listing(at):
    return next(d.value for d in at.dataframe if "Barrier or enabler" in d.value.columns and "Policy categories" in d.value.columns)


def test_filters_narrow_the_list_and_the_wheel():
    at = _open()
    assert at.subheader[0].value == "12 of 12 barriers and enablers"
    at.multiselect(key="f_level").set_value(["pandemic"]).run()
    assert at.subheader[0].value == "1 of 12 barriers and enablers"
    assert "Physical opportunity, Social opportunity" in at.markdown[1].value
    assert len(_listing(at)) == 1 and _listing(at).iloc[0]["ID"] == "B07"
    at.segmented_control(key="f_version").set_value("2011").run()
    assert "Training" not in _listing(at).iloc[0]["Intervention functions"]


def test_workshop_rating_is_saved_and_summarised():
    at = _open()
    at.text_input[0].set_value("Gateshead PAIR planning")
    at.button[0].click().run()  # open the workshop
    assert at.selectbox(key="workshop_pick").value is not None
    at.slider(key=f"a_{at.selectbox(key='workshop_pick').value}_B03").set_value(5)
    at.button[1].click().run()  # submit ratings
    summary = next(d.value for d in at.dataframe if "Priority (1-25)" in d.value.columns).set_index("ID")
    assert summary.loc["B03", "Applies (median, 1-5)"] == "5.0" and set(summary["Raters"]) == {"1"}
    assert any("Gateshead PAIR planning" in m.value for m in at.markdown)  # the view's sentence names the workshop


def test_finding_with_personal_data_is_refused():
    at = _open()
    form_inputs = [t for t in at.text_input if t.label == "Short title"]
    form_inputs[0].set_value("Clinic too far")
    [t for t in at.text_area if t.label.startswith("Summary")][0].set_value('A mum at NE1 1AD said "too far"')
    at.multiselect[-2].set_value(["Physical opportunity"])
    [t for t in at.text_input if t.label.startswith("Source")][0].set_value("Parent discussions")
    [b for b in at.button if b.label == "Save local entry"][0].click().run()
    assert "Not saved" in at.error[0].value and "postcode" in at.error[0].value and "quotation" in at.error[0].value
