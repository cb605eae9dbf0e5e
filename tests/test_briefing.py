"""The briefing pack: its numbers equal the pages' functions, the PDF has the expected pages."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from dashboard import briefing, reach, vfm
from dashboard.demo_extract import generate
from dashboard.overview import area_summary
from dashboard.starter import illustrative_services, public_services


@pytest.fixture(scope="module")
def pack(store):
    lsoas = store.lsoas("iod2025")
    nenc = lsoas[lsoas["region"] == "NENC"]
    clinics = pd.DataFrame(illustrative_services(lsoas, store.gp_practices()))
    services = pd.concat([pd.DataFrame(public_services()), clinics], ignore_index=True).assign(id=lambda f: range(1, len(f) + 1))
    for col in ("lat", "lon", "travel_km"):
        services[col] = pd.to_numeric(services[col])
    extract = generate(lsoas, store.postcodes(), clinics[clinics["service_type"] == "health-visitor baby clinic"])
    from dashboard.clinic_import import check_extract, guess_mapping

    checked = check_extract(extract.astype("string"), guess_mapping(list(extract.columns)),
                            store.postcodes().set_index("postcode")["lsoa21_code"], set(lsoas["lsoa_code"]), dt.date(2026, 3, 31))
    inputs = vfm.Inputs.from_defaults(28055)
    made = briefing.build("NENC", nenc, services, store.provenance(), b"\x89PNG\r\n\x1a\n" + _tiny_png(), checked.valid, True, None,
                          [("Plan A", inputs.to_json())], today=dt.date(2026, 11, 22))
    return made, nenc, checked.valid


def _tiny_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 94, 184)).save(buffer, format="PNG")
    return buffer.getvalue()[8:]


def test_pack_numbers_equal_the_page_functions(pack):
    made, nenc, valid = pack
    icb = area_summary(nenc).iloc[0]
    figures = dict(zip(made.key_figures["Figure"], made.key_figures["Value"]))
    assert figures["LSOAs (neighbourhoods)"] == f"{int(icb['lsoas']):,}" == "1,889"
    assert figures["Infants aged 0 (ONS mid-2020)"] == "28,055"
    assert figures["LSOAs in England's most deprived decile (IoD 2025)"] == "20.1%"
    table = reach.reach_table(reach.children(valid), nenc)
    assert made.reach_table["Infants attending"].tolist() == [str(v) for v in table["infants_attending"]]
    assert made.reach_table["Reach per 1,000"].tolist() == [f"{v:.1f}" for v in table["reach_per_1000"]]
    grad = reach.gradient(table, repetitions=20000)
    assert f"SII {grad.sii_per_1000:+.1f} per 1,000" in made.reach_summary
    out = vfm.run(vfm.Inputs.from_defaults(28055))
    assert made.scenarios.iloc[0]["NPV"] == f"£{float(out['npv']):,.0f}"


def test_pdf_has_the_expected_pages(pack):
    made, _, _ = pack
    reader = PdfReader(io.BytesIO(briefing.to_pdf(made)))
    texts = [p.extract_text() for p in reader.pages]
    assert len(texts) == 7
    expected = ["PAIR Atlas briefing: NHS North East and North Cumbria", "Key figures", "Deprivation map", "Baby clinic reach",
                "Priority barriers", "Scenarios side by side", "Sources and caveats"]
    for text, heading in zip(texts, expected):
        assert heading in text, heading
    assert "22 November 2026" in texts[0] and "English Indices of Deprivation 2025" in texts[0]
    assert "28,055" in texts[1] and "SYNTHETIC" in texts[3] and "Plan A" in texts[5]
    assert "[c] = suppressed" in texts[6] and "Royal Mail" in texts[6]


def test_deck_has_a_slide_per_section(pack):
    made, _, _ = pack
    deck = Presentation(io.BytesIO(briefing.to_pptx(made)))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == "PAIR Atlas briefing: NHS North East and North Cumbria"
    assert titles[1:] == ["Key figures", "Deprivation map", "Baby clinic reach by IMD quintile (synthetic demo data)", "Priority barriers",
                          "Scenarios side by side", "Sources and caveats"]


@pytest.mark.usefixtures("app_db")
def test_briefing_page_builds_both_files():
    from tests.apphelp import open_page

    at = open_page("briefing_pack")
    at.button(key="pack_build").click().run()
    assert not at.exception
    region, pdf, pptx = at.session_state["pack"]
    assert region == "NENC" and pdf[:5] == b"%PDF-" and pptx[:2] == b"PK"
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 7
