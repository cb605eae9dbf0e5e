"""The Baby clinic reach page under AppTest: the synthetic demo, the upload flow, a bad file."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.apphelp import charts, metrics, open_page, plain, tables, texts

from dashboard.suppression import MARKER



pytestmark = pytest.mark.usefixtures("app_db")


def _open() -> AppTest:
    return open_page("baby_clinic_reach")


def _metrics(at):
    return metrics(at)


def test_demo_extract_is_labelled_and_reach_shown():
    at = _open()
    assert "SYNTHETIC demonstration extract" in at.warning[0].value
    metrics = _metrics(at)
    assert int(metrics["Infants attending"].replace(",", "")) > 1000
    table = tables(at)[0].value
    assert table["IMD quintile (1 = most deprived)"].tolist() == ["1", "2", "3", "4", "5"]
    # the definition and the denominator's vintage beside the figure
    notes = " ".join(texts(at))  # the notes and the sources line under the table: plain HTML
    assert "Reach: infants attending per 1,000 infant-years at risk, annualised" in notes and "Denominator: ONS mid-2020" in notes
    (sources,) = [t for t in texts(at) if t.startswith("Sources. ")]  # the page's sources line, once
    assert "ONS mid-2020" in sources
    at.segmented_control(key="reach_groups").set_value("decile").run()
    assert len(tables(at)[0].value) == 10


def test_small_clinic_view_is_suppressed_on_screen():
    at = _open()
    at.segmented_control(key="region").set_value("BNSSG").run()
    clinic = [o for o in at.selectbox(key="reach_clinic").options if "Illustrative baby clinic" in o and "North Somerset" in o][0]
    at.selectbox(key="reach_clinic").set_value(clinic).run()
    assert not at.exception
    counts = tables(at)[0].value["Infants attending"].astype(str)
    numbers = [int(c.replace(",", "")) for c in counts if c != MARKER]
    assert all(n >= 5 for n in numbers)


def _upload(at, frame: pd.DataFrame, name="extract.csv"):
    at.segmented_control(key="source").set_value("Upload an extract").run()
    at.file_uploader(key="extract_upload").set_value((name, frame.to_csv(index=False).encode("utf-8-sig"), "text/csv")).run()
    at.button(key="check_file").click().run()
    return at


def test_upload_flow_check_accept_and_reach():
    from dashboard.ui import clinic

    extract, _ = clinic.demo()
    at = _upload(_open(), extract.head(3000))
    assert "3,000 rows read" in " ".join(m.value for m in at.markdown)
    assert not _metrics(at)  # nothing shown until the report is accepted
    at.checkbox[0].check().run()
    assert not at.exception
    assert int(_metrics(at)["Infants attending"].replace(",", "")) > 100


def test_bad_upload_lists_problems_and_offers_rejected_rows():
    frame = pd.DataFrame({"Attendance date": ["01/04/2025", "32/04/2025"], "Clinic": ["A", "A"], "Child ID": ["C1", "C2"],
                          "Age (weeks)": ["5", "500"], "Home postcode": ["NE1 1AD", "XX"]})
    at = _upload(_open(), frame)
    problems = tables(at)[1].value  # [0]: the summary by kind of problem
    assert set(problems["Row"]) == {3}
    assert {"Attendance date", "Child's age (weeks)", "Home postcode"} == set(problems["Column"])
    assert at.get("download_button")
    at.checkbox[0].check().run()
    assert _metrics(at)["Infants attending"] == MARKER  # one valid infant: below the threshold


def test_clinic_models_and_before_after_on_the_page():
    at = open_page("baby_clinic_reach", region="BNSSG")
    assert not [d for d in tables(at) if "Clinic model" in d.value.columns]  # made when opened
    at.session_state["reach_models"] = True
    at.run()
    assert not at.exception
    models = next(d.value for d in tables(at) if "Clinic model" in d.value.columns)
    assert set(models["Clinic model"]) == {"Social, relationship-focused", "Traditional drop-in"}
    text = plain(" ".join(m.value for m in at.markdown))
    assert "social clinics reached" in text and "drop-in clinics" in text and "(95% CI" in text
    # the page's reach table, then the quintile tables before and after the split date
    assert len([d for d in tables(at) if "Infant-years at risk" in d.value.columns]) == 3
    assert any("the gap" in plain(c.value) for c in at.caption)
    # the SII within each model's catchments, and its change across the split date, by model
    sii = next(d.value for d in tables(at) if "SII per 1,000 infant-years" in d.value.columns)
    change = next(d.value for d in tables(at) if "SII before" in d.value.columns)
    assert set(sii["Clinic model"]) == set(change["Clinic model"]) == set(models["Clinic model"])
    assert change["Change"].str.match(r"^[+−]?\d").all()


SECTIONS = {"reach_continued": "Repeat attenders", "reach_months": "Month", "reach_las": "Local authority", "reach_who": "Attending share"}


def test_sections_below_the_first_screen_run_only_when_opened(store):
    at = open_page("baby_clinic_reach", region="NENC")
    first = {tuple(d.value.columns) for d in tables(at)}
    assert [e.label for e in at.expander if e.label in ("Continued use", "By month", "By local authority", "Who attends and why",
                                                         "The improvement cycle")] == ["Continued use", "By month", "By local authority",
                                                                                        "Who attends and why", "The improvement cycle"]
    for key in SECTIONS:
        at.session_state[key] = True
    at.run()
    assert not at.exception
    opened = [d.value for d in tables(at) if tuple(d.value.columns) not in first]
    assert len(opened) >= 5  # continued use, months, local authorities, who attends and its tables
    las = next(d for d in opened if "Local authority" in d.columns)
    lsoas = store.lsoas("iod2025")
    assert len(las) == lsoas.loc[lsoas["region"] == "NENC", "lad_code"].nunique()  # one row per NENC local authority
    before = open_page("baby_clinic_reach", region="NENC")
    assert set(charts(at)) - set(charts(before)) == {"month_chart", "la_map"}  # the month chart and the map of reach
