"""Every page under streamlit.testing.v1.AppTest, on the store built from the real data."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.apphelp import _walk, chart_summaries, charts, metrics, plain, tables, texts

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PAGES = {
    "overview": "Overview",
    "map_and_gaps": "Map and gaps",
    "baby_clinic_reach": "Baby clinic reach",
    "barriers": "Barriers (BCW)",
    "value_for_money": "Value for money",
    "briefing_pack": "Briefing pack",
    "data_and_sources": "Data and sources",
}


@pytest.fixture(autouse=True)
def _fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def _open(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page:
        at.switch_page(f"../pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at: AppTest) -> list[tuple[str, str]]:
    return list(metrics(at).items())


@pytest.mark.parametrize("page,title", PAGES.items())
def test_every_page_renders(store, page, title):
    at = _open(page)
    assert [t.value for t in at.title] == [title]
    assert not at.error
    # the sidebar, in one element: local mode (no [auth] configured here) and what the app is
    note, about = texts(at, at.sidebar)
    assert len([n for n in _walk(at.sidebar) if getattr(n, "type", "") == "html"]) == 1
    assert note.startswith("Local mode: one user on this computer") and about.startswith("PAIR Atlas: parent-infant relationship services")


def test_overview_tells_the_story_for_a_region(store):
    at = _open()
    assert _metrics(at) == [
        ("Neighbourhoods (LSOAs)", "1,889"), ("Infants aged 0", "28,055"), ("LSOAs in England's most deprived 10%", "20.1%"),
        ("Specialised PAIR team", "3,050"),
    ]
    text = plain(" ".join(m.value for m in at.markdown))
    assert "Parent-infant relationship (PAIR) services" in text and "Infants matter" in text
    shown = " ".join(texts(at))  # the headline and the notes: plain HTML
    assert "3,050 of its 28,055 infants aged 0 (11%)" in shown and "Sources." in shown
    assert not tables(at)  # the table below the first screen is made when opened
    at.session_state["overview_areas"] = True
    at.run()
    table = tables(at)[0].value
    assert len(table) == 1 + 14 and set(table["ICB"]) == {"NENC"}
    summaries = chart_summaries(at)  # each chart's text alternative, under it
    assert "North East and North Cumbria ICB: 20.1%" in summaries["overview_compare"] and "England: 10%" in summaries["overview_compare"]  # both ICBs on one scale
    assert summaries["overview_compare"].startswith("Text summary: ") and "Middlesbrough" in summaries["overview_png"]
    drawn = charts(at)
    assert list(drawn) == ["overview_compare", "overview_png"]
    assert "<title>Area: NENC ICB; ICB: NENC; Share: 20.1%</title>" in drawn["overview_compare"]  # each bar's figures on hover
    assert drawn["overview_png"].count("<title>Area: ") == 14  # a bar for each of NENC's 14 local authorities


def test_overview_region_and_index_filter(store):
    # The widgets are bound to the URL; that the browser's address follows them is checked in
    # test_browser.py (AppTest does not run the front end that writes the address).
    at = _open()
    at.segmented_control(key="region").set_value("BNSSG").run()
    assert _metrics(at) == [("Neighbourhoods (LSOAs)", "581"), ("Infants aged 0", "10,371"), ("LSOAs in England's most deprived 10%", "6.7%"),
                            ("Specialised PAIR team", "0")]
    at.session_state["overview_areas"] = True
    at.run()
    assert set(tables(at)[0].value["ICB"]) == {"BNSSG"}
    at.segmented_control(key="index").set_value("imd2019").run()
    assert _metrics(at)[0] == ("Neighbourhoods (LSOAs)", "563")


def test_overview_reopens_from_the_url(store):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["region"] = "Both ICBs"
    at.run()
    assert not at.exception
    assert _metrics(at)[:2] == [("Neighbourhoods (LSOAs)", "2,470"), ("Infants aged 0", "38,426")]


def test_data_and_sources_lists_every_file_and_attribution(store):
    at = _open("data_and_sources")
    prov = tables(at)[0].value
    assert len(prov) == 33
    assert prov["SHA-256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert prov["Publisher page"].str.startswith("https://").all() and prov["Bytes"].str.fullmatch(r"[\d,]+").all()
    text = " ".join(m.value for m in at.markdown)
    for phrase in ("Open Government Licence v3.0", "Office for National Statistics", "Contains OS data",
                   "Royal Mail copyright", "Millom"):
        assert phrase in text, phrase


def test_missing_store_is_explained_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("PAIR_ATLAS_STORE", str(tmp_path / "nothing"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "has not been built" in at.error[0].value


def test_every_segmented_control_wraps():
    """Every segmented control is drawn by dashboard/ui/widgets.py: choice (options wrap onto a second row
    when short of room, all in sight), none by Streamlit's own call elsewhere."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    direct = [str(p.relative_to(root)) for folder in ("pages", "dashboard") for p in (root / folder).rglob("*.py")
              if "segmented_control(" in p.read_text(encoding="utf-8") or "st.segmented_control," in p.read_text(encoding="utf-8")]
    assert direct == ["dashboard/ui/widgets.py"]


def test_a_runs_changes_to_a_shared_table_stay_its_own(store):
    """The store's tables are read once and shared by every session (st.cache_resource); what one
    page run does to its copy (a column replaced, a cell set) never reaches the next run's."""
    from dashboard.ui import data

    mine = data.lsoas("iod2025")
    first = mine.at[mine.index[0], "lad_name"]
    mine["imd_decile"] = 0
    mine.loc[mine.index[0], "lad_name"] = "Changed"
    mine["extra"] = 1
    again = data.lsoas("iod2025")
    assert "extra" not in again.columns and again.at[again.index[0], "lad_name"] == first
    assert sorted(again["imd_decile"].unique().tolist()) == list(range(1, 11)) and len(again) == 2470
