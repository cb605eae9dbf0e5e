"""The Map and gaps page under AppTest: layers, local-authority zoom, URL state, register edits,
bad imports refused, what-if."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui import livemap
from tests.apphelp import APP, _walk, metrics as metrics_of, open_page, tables, texts



pytestmark = pytest.mark.usefixtures("app_db")


def _open(**params) -> AppTest:
    return open_page("map_and_gaps", **params)


def _map(at: AppTest) -> dict:
    """What the page sent to the live map component this run."""
    (chart,) = [el for el in at.main if type(el).__name__ == "UnknownElement" and el.type == "bidi_component"]
    assert chart.proto.component_name == "pair_atlas_live_map"
    return json.loads(chart.proto.json)


def _legend(at: AppTest) -> tuple[str, list[str]]:
    """The legend under the map (``livemap.legend``): its title and its labels, as shown."""
    import re
    from html import unescape

    (body,) = [node.proto.body for node in _walk(at.main) if getattr(node, "type", "") == "html" and 'class="pair-legend"' in node.proto.body]
    title = re.search(r"<strong>([^<]*)</strong>", body).group(1)
    return unescape(title), [unescape(label) for label in re.findall(r'<span class="swatch"[^>]*></span>([^<]*)', body)]


def _published(url: str) -> dict:
    assert url.startswith("/app/static/generated/")
    return json.loads((Path(APP).parent / "static" / "generated" / url.rsplit("/", 1)[1]).read_text())


def test_the_map_is_started_by_its_component_alone():
    """No script of the page's own starts the map before the component (on a 2-core machine that
    took the CPU from the drawing of the page, 0.3 s of its load, and drew the map no sooner): the
    component's data has all it needs, the geometry by URL, the classes and the sites."""
    at = _open()  # NENC: the default region (a region from the URL runs the page twice in AppTest)
    scripts = [node.proto.body for node in _walk(at.main) if getattr(node, "type", "") == "html" and "<script" in node.proto.body]
    assert scripts and not any("maplibre" in body or "prepare(" in body for body in scripts)  # the panels' keyboard script only
    sent = _map(at)
    assert sent["shown"] == ["iod2025-NENC"] and len(sent["k"]["iod2025-NENC"]) == 1889
    assert len(sent["sites"]) > 0 and sent["lib"]["library"] == "maplibre-gl-csp.js"


def test_map_shows_both_regions_with_legend_and_table(store):
    at = _open(region="Both ICBs")
    sent = _map(at)
    assert [part["id"] for part in sent["parts"]] == sent["shown"] == ["iod2025-NENC", "iod2025-BNSSG"]  # each ICB a part
    parts = {part["id"]: _published(part["lsoas"])["features"] for part in sent["parts"]}
    assert sum(len(f) for f in parts.values()) == 2470 and sum(len(k) for k in sent["k"].values()) == 2470
    lsoas = store.lsoas("iod2025")
    imd = lsoas.set_index("lsoa_code")["imd_decile"]
    for part, features in parts.items():
        assert [f["id"] for f in features] == list(range(len(features)))  # the map keeps each one's state on its position
        assert {f["properties"]["c"] for f in features} == set(lsoas.loc[lsoas["region"] == part.split("-")[1], "lsoa_code"])
        codes = [f["properties"]["c"] for f in features]
        assert all(k == imd[c] - 1 for c, k in zip(codes, sent["k"][part]))  # class = national decile - 1, in the file's order
        assert set(features[0]["properties"]) == {"c"}  # the geometry carries the code only
        meta = _published(next(p["meta"] for p in sent["parts"] if p["id"] == part))  # the tooltip's text, by feature id
        named = lsoas.set_index("lsoa_code").loc[codes]
        assert meta["n"] == named["lsoa_name"].tolist() and meta["la"] == named["lad_name"].tolist()
        assert meta["i"] == [f"{v:,.0f}" for v in named["infants_0"]]
    assert sent["style"]["name"] == "PAIR Atlas local background" and not sent["style"]["sources"]  # inline: nothing to fetch
    assert sent["lib"] == {"base": "/app/static/vendor/maplibre", "library": "maplibre-gl-csp.js", "worker": "maplibre-gl-csp-worker.js"}
    assert all((livemap.VENDOR / sent["lib"][name]).is_file() for name in ("library", "worker"))  # made by the build step
    assert len(sent["palette"]) == 10
    assert not tables(at)  # the table under the map is made when opened
    (box,) = [e for e in at.expander if e.label.startswith("Every neighbourhood on the map")]
    at.session_state["lsoa_table"] = True
    at.run()
    table = tables(at)[0].value
    assert len(table) == 2470
    title, labels = _legend(at)
    assert title == "Index of Multiple Deprivation: national decile" and len(labels) == 10 and labels[0].startswith("1")


def test_real_services_are_drawn_and_illustrative_ones_only_when_included(store):
    at = _open(region="NENC")
    sites = _map(at)["sites"]
    real = [p for p in sites if p["r"] == 9]
    assert len(real) == 1 and real[0]["lon"] == pytest.approx(-1.63, abs=0.1) and real[0]["lat"] == pytest.approx(54.99, abs=0.05)  # NEWPIP, Newcastle
    assert not [p for p in sites if p["r"] == 4]  # no illustrative site unless switched on
    assert "Illustrative services: left out (see Area and cover)" in texts(at)  # the switch is in that panel; its state is shown
    panel = next(n for n in _walk(at.main) if getattr(n, "type", "") == "popover")  # the first panel: Area and cover
    assert panel.proto.popover.label == "Area and cover"
    (switch,) = [w for w in panel.children.values() if type(w).__name__ == "Toggle"]
    assert switch.key == "illustrative" and switch.label == "Include illustrative services"
    switch.set_value(True).run()
    sites = _map(at)["sites"]
    assert len([p for p in sites if p["r"] == 4]) > 50
    assert any("Includes illustrative services" in w.value for w in at.warning)
    assert "Illustrative services: included (synthetic demonstration data) (see Area and cover)" in texts(at)


def test_layer_switch_sends_only_new_classes(store):
    at = _open()
    first = _map(at)
    at.selectbox(key="layer").set_value("infants").run()
    second = _map(at)
    assert second["parts"] == first["parts"] and second["k"] != first["k"]  # the same geometry files; new classes
    assert first["shown"] == ["iod2025-NENC"] and list(first["k"]) == ["iod2025-NENC"]  # NENC by default: BNSSG is loaded, not coloured
    assert second["legend"]["title"] == "Infants aged 0 (mid-2020 estimate)" and len(second["palette"]) == 5
    assert len(json.dumps(second)) < 30_000  # classes, not codes or geometry
    assert _legend(at)[0] == "Infants aged 0 (mid-2020 estimate)"


def test_local_authority_zoom_and_url_state(store):
    at = _open(region="NENC", la="Newcastle upon Tyne", layer="Income decile")
    assert at.segmented_control(key="region").value == "NENC"
    assert at.selectbox(key="la").value == "E08000021" and at.selectbox(key="layer").value == "decile_income"
    at.session_state["lsoa_table"] = True
    at.run()
    table = tables(at)[0].value
    assert len(table) == 180 and set(table["Local authority"]) == {"Newcastle upon Tyne"}
    x0, y0, x1, y1 = _map(at)["bounds"]
    assert (x0 + x1) / 2 == pytest.approx(-1.65, abs=0.1) and (y0 + y1) / 2 == pytest.approx(55.0, abs=0.1)


def test_uncovered_deprived_neighbourhoods_are_outlined(store):
    at = _open(region="BNSSG")
    sent = _map(at)
    assert sent["shown"] == ["iod2025-BNSSG"]
    codes = [f["properties"]["c"] for f in _published(sent["parts"][1]["lsoas"])["features"]]
    gaps = {codes[i] for i in sent["gaps"]["iod2025-BNSSG"]}
    lsoas = store.lsoas("iod2025")
    bnssg = lsoas[lsoas["region"] == "BNSSG"]
    assert gaps and gaps <= set(bnssg.loc[bnssg["imd_decile"] <= 2, "lsoa_code"])  # no specialised team in BNSSG: every deprived one
    assert len(gaps) == int((bnssg["imd_decile"] <= 2).sum())
    # turned off (in the colouring panel): no gap is sent, and the caption under the map says so
    assert any("Red outline: deprived neighbourhoods without cover" in t for t in texts(at))
    at.toggle(key="highlight").set_value(False).run()
    assert not any(_map(at)["gaps"].values())
    assert any("without cover: off" in t for t in texts(at))


def test_the_selected_neighbourhood_is_sent_with_its_outline(store):
    """A neighbourhood clicked (its code in the session) is sent with its part, position and shape:
    the map outlines that shape, and only it."""
    at = _open(region="NENC")
    assert _map(at)["selected"] is None and _map(at)["selected_shape"] is None
    at.session_state["clicked_lsoa"] = "E01008311"  # Newcastle upon Tyne 033A
    at.run()
    sent = _map(at)
    part, position = sent["selected"]
    assert part == "iod2025-NENC" and sent["selected_code"] == "E01008311"
    features = _published(next(p["lsoas"] for p in sent["parts"] if p["id"] == part))["features"]
    assert features[position]["properties"]["c"] == "E01008311"
    assert sent["selected_shape"]["geometry"] == features[position]["geometry"]  # the same outline as the map's own
    # its details beside the map, as text (plain HTML, escaped)
    details = texts(at)
    assert "Newcastle upon Tyne 033A (E01008311)" in details
    assert "Newcastle upon Tyne · IMD decile 10 (quintile 5) · infants aged 0 23" in details
    assert "Within reach of: Specialised PAIR team" in details
    assert "Services reaching it: NEWPIP (Newcastle Parent Infant Partnership)" in details


def test_coverage_and_gaps_section(store):
    at = _open(view="Coverage and gaps", region="BNSSG")
    metrics = metrics_of(at)
    assert metrics["Infants aged 0"] == "10,371"
    assert metrics["Specialised PAIR team"] == "0"
    assert metrics["Targeted support"] == "10,371"
    assert metrics["Universal services"] == "0"  # illustrative clinics do not count by default
    quintiles = tables(at)[0].value
    assert quintiles["IMD quintile (1 = most deprived)"].tolist() == ["1", "2", "3", "4", "5"]
    assert sum(int(v.replace(",", "")) for v in quintiles["Infants aged 0"]) == pytest.approx(10371, abs=3)


def test_register_add_edit_delete_and_validation(store):
    at = _open(view="Service register")
    before = len(tables(at)[0].value)
    assert {"public information", "illustrative"} <= set(tables(at)[0].value["Status"])
    assert at.get("form")  # the add form
    at.text_input[0].set_value("")  # name left empty
    at.button[0].click().run()
    assert "Name is required" in at.error[0].value
    assert len(tables(at)[0].value) == before
    at.text_input[0].set_value("Gateshead infant feeding group")
    at.text_input[2].set_value("NE1 1AD")
    at.number_input[0].set_value(2.0)
    at.button[0].click().run()
    assert not at.error and len(tables(at)[0].value) == before + 1
    added = tables(at)[0].value.iloc[-1]
    assert added["Name"] == "Gateshead infant feeding group" and added["Status"] == "local data" and added["Postcode"] == "NE1 1AD"


def test_bad_import_is_refused_and_nothing_written(store):
    at = _open(view="Service register")
    before = len(tables(at)[0].value)
    bad = pd.DataFrame([{"Name": "A", "Type": "spa", "Tier": "universal", "Status": "local", "Postcode": "NE1 1AD", "Travel distance (km)": 2}])
    at.file_uploader[0].set_value(("bad.csv", bad.to_csv(index=False).encode(), "text/csv")).run()
    assert "was not imported" in at.error[0].value and "Nothing was written" in at.error[0].value
    problems = tables(at)[1].value
    assert problems.iloc[0]["Row"] == 2 and problems.iloc[0]["Column"] == "Type"
    assert len(tables(at)[0].value) == before


def test_what_if_adds_a_site_within_its_capacity(store):
    at = _open(view="What-if", region="NENC")
    at.number_input[0].set_value(10.0)  # a wide catchment: many infants within reach
    at.button[0].click().run()  # the form's submit: the largest gap LSOA, capacity 150 families a year
    assert not at.exception
    metrics = metrics_of(at)
    within = float(metrics["Infants aged 0 newly within reach"].replace(",", ""))
    seen = float(metrics["Families it can see a year"].replace(",", ""))
    assert within > 1500 and seen == 150


def test_map_view_downloads_as_png(store):
    from dashboard.ui import maps
    from dashboard.views import coverage_view

    lsoas = store.lsoas("iod2025")
    services = pd.DataFrame(columns=["id", "name", "service_type", "tier", "lat", "lon", "catchment_level", "catchment_codes", "travel_km", "status"])
    view = coverage_view("NENC", "iod2025", lsoas, services)
    png = maps.map_png("iod2025", "NENC", "decile_imd", "E08000021", view.extras["coverage"], "Source: test footer", gaps=True)()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_two_people_saving_the_same_service_are_told(store):
    """Two browser sessions open the same service; the second save, over the first one's change,
    is refused with a clear message and the first change stays."""
    from data_access.db import ready_engine
    from data_access.repositories import ServiceRepository

    first, second = _open(view="Service register"), _open(view="Service register")
    label = first.selectbox(key="edit_choice").options[1]  # the first service in the register
    for at in (first, second):
        at.selectbox(key="edit_choice").set_value(label).run()
    sid = first.selectbox(key="edit_choice").value
    for at, capacity in ((first, 50), (second, 70)):
        next(n for n in at.number_input if n.label == "Capacity (families a year)").set_value(capacity)
        next(b for b in at.button if b.label == "Save service").click().run()
    assert not first.error
    assert any("changed by someone else since you opened it" in e.value for e in second.error)
    row = ServiceRepository(ready_engine()).get(int(sid))
    assert row["capacity_families"] == 50 and row["version"] == 2


def test_plain_text_is_escaped_html():
    """The page's own short texts are drawn as HTML, not parsed as markdown in the browser: data in
    them stays text (escaped), and only the app's own bold and paragraphs are markup."""
    from dashboard.ui.show import escape_md, md_html

    assert md_html("**Sources.** " + escape_md("IoD <b>2025</b> *x* [a](javascript:x) & 3_4") + "\n\nMore.") == (
        "<p><strong>Sources.</strong> IoD &lt;b&gt;2025&lt;/b&gt; *x* [a](javascript:x) &amp; 3_4</p><p>More.</p>")
    assert md_html("**open bold") == "<p><strong>open bold</strong></p>"  # closed, whatever the text
    assert escape_md("#1 (x) {y} <z> a.b!c|d~e$f+g-h_i`j [k]*\\ é") == r"\#1 \(x\) \{y\} \<z\> a\.b\!c\|d\~e\$f\+g\-h\_i\`j \[k\]\*\\ é"
    assert md_html("*The* **bold *and* italic** \\*x\\*") == "<p><em>The</em> <strong>bold <em>and</em> italic</strong> *x*</p>"
    assert md_html("**a *b** c*\n\nd*") == "<p><strong>a <em>b</em></strong><em> c</em></p><p>d<em></em></p>"  # nested and left open: closed in order
