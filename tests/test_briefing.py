"""The briefing pack: built from the views, one region only, a summary page, charts and a map,
page numbers and marking, no raw column names or "£-", every page more than a third full, and
PowerPoint text that fits its boxes."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from dashboard import briefing, vfm, views
from dashboard.clinic_import import check_extract, guess_mapping
from dashboard.demo_extract import generate
from dashboard.regions import area_names, area_regions
from dashboard.starter import illustrative_services, public_services


def _tiny_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (600, 600), (0, 94, 184)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def packs(store):
    """A pack per region from a register, an extract, one workshop and one scenario saved for each region."""
    lsoas = store.lsoas("iod2025")
    clinics = pd.DataFrame(illustrative_services(lsoas, store.gp_practices()))
    services = pd.concat([pd.DataFrame(public_services()), clinics], ignore_index=True).assign(id=lambda f: range(1, len(f) + 1))
    for col in ("lat", "lon", "travel_km"):
        services[col] = pd.to_numeric(services[col])
    extract = generate(lsoas, store.postcodes(), clinics[clinics["service_type"] == "health-visitor baby clinic"])
    valid = check_extract(extract.astype("string"), guess_mapping(list(extract.columns)),
                          store.postcodes().set_index("postcode")["lsoa21_code"], set(lsoas["lsoa_code"]), dt.date(2026, 3, 31)).valid
    regions, names = area_regions(lsoas), area_names(lsoas)
    workshops = pd.DataFrame([
        {"id": 2, "name": "Bristol prioritisation", "area_code": "E54000039", "area_name": "BNSSG ICB"},
        {"id": 1, "name": "Gateshead planning", "area_code": "E08000037", "area_name": "Gateshead"},
    ])
    ratings = {1: pd.DataFrame({"barrier_id": ["B1", "B3"], "applies": [5, 3], "changeable": [4, 3]}),
               2: pd.DataFrame({"barrier_id": ["B2"], "applies": [4], "changeable": [4]})}
    inputs = vfm.Inputs.from_defaults(28055).to_json()
    scenarios = [{"name": "Tyneside plan", "area_code": "E54000050", "inputs": inputs}, {"name": "Bristol plan", "area_code": "E06000023", "inputs": inputs}]
    out = {}
    for region in ("NENC", "BNSSG"):
        made = {
            "overview": views.overview_view(region, "iod2025", lsoas, services),
            "coverage": views.coverage_view(region, "iod2025", lsoas, services),
            "reach": views.reach_view(region, lsoas, valid, True, repetitions=2000),
            "barriers": views.barriers_view(region, workshops, ratings, regions),
            "scenarios": views.scenarios_view(region, scenarios, names, regions, draws=2000),
        }
        pack = briefing.build(region, made, _tiny_png(), store.provenance(), today=dt.date(2026, 11, 30))
        out[region] = (pack, briefing.to_pdf(pack), briefing.to_pptx(pack))
    return out


def _text(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("region", ["NENC", "BNSSG"])
def test_pack_is_a_decision_brief_of_one_region(packs, region):
    pack, pdf, _ = packs[region]
    pages = _text(pdf)
    whole = " ".join(pages)
    assert "Executive summary" in pages[0]
    for view in pack.views.values():
        assert view.summary.split(";")[0][:80] in whole  # the same sentence as the page and the meeting step
    assert all(re.search(rf"Page {i}\b", p) for i, p in enumerate(pages, 1))
    assert all("OFFICIAL - for planning" in p and "30 November 2026" in p for p in pages)
    other, mine = ("Bristol", "Gateshead") if region == "NENC" else ("Gateshead", "Bristol")
    assert mine in whole and f"{other} plan" not in whole and f"{other} planning" not in whole and f"{other} prioritisation" not in whole
    assert "£-" not in whole and not re.search(r"\b[a-z]+_[a-z_]+\b", whole)  # no raw column names
    assert "SYNTHETIC" in whole
    assert "Where the gaps are" in whole


def test_pack_numbers_equal_the_views(packs):
    pack, pdf, _ = packs["NENC"]
    whole = " ".join(_text(pdf))
    cov = pack.views["coverage"]
    assert "3,050 of 28,055 infants aged 0 (11%)" in whole
    assert cov.metric("Specialised PAIR team").text == "3,050"
    scen = pack.views["scenarios"].table("scenarios").formatted().iloc[0]
    assert scen["Net present value"] in whole and scen["NPV 10th percentile"] in whole
    assert scen["NPV 10th percentile"].startswith("\u2212£")  # a negative amount in the pack: minus sign before the pound


def test_pack_refuses_another_regions_view(packs):
    pack, _, _ = packs["NENC"]
    with pytest.raises(ValueError):
        briefing.build("BNSSG", {"coverage": pack.views["coverage"]}, _tiny_png())


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_every_pdf_page_is_more_than_a_third_full(packs, tmp_path):
    from PIL import Image, ImageOps

    _, pdf, _ = packs["NENC"]
    (tmp_path / "pack.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(tmp_path / "pack.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 8  # summary, coverage, map, reach, barriers, scenarios, sensitivity, sources
    for path in pages:
        grey = ImageOps.grayscale(Image.open(path))
        box = ImageOps.invert(grey).point(lambda v: 255 if v > 12 else 0).getbbox()
        assert box is not None
        w, h = grey.size
        area = (box[2] - box[0]) * (box[3] - box[1]) / (w * h)
        assert area > 1 / 3, f"{path.name} is mostly blank ({area:.0%} used)"


def _fits(shape) -> bool:
    """Independent check: characters per line from the box width at an average glyph width of
    0.55 em, lines at 1.2 em, against the box height."""
    frame = shape.text_frame
    size = max((r.font.size.pt for p in frame.paragraphs for r in p.runs if r.font.size), default=18)
    width_pt, height_pt = shape.width / 12700 - 14, shape.height / 12700 - 8
    per_line = max(1, int(width_pt / (0.55 * size)))
    lines = sum(max(1, -(-len(p.text) // per_line)) for p in frame.paragraphs if p.text)
    return lines * size * 1.2 <= height_pt * 1.15


@pytest.mark.parametrize("region", ["NENC", "BNSSG"])
def test_deck_text_fits_its_boxes(packs, region):
    pack, _, pptx = packs[region]
    deck = Presentation(io.BytesIO(pptx))
    assert len(deck.slides) == 8  # title, coverage, map, reach, barriers, scenarios, sensitivity, sources
    titles = [next(s for s in slide.shapes if s.has_text_frame).text_frame.text for slide in deck.slides]
    assert titles[0] == pack.title
    assert titles[1].startswith(pack.views["coverage"].summary[:60])
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                assert shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= deck.slide_height
                assert _fits(shape), shape.text_frame.text[:80]


def test_fit_shrinks_then_splits():
    size, lines = briefing.fit("word " * 40, 300, 60, 24, 8)
    assert size < 24 and len(lines) * size * 1.25 <= 60 and " ".join(lines) == ("word " * 40).strip()
    size, lines = briefing.fit("word " * 400, 300, 40, 24, 10)
    assert size == 10 and len(lines) * size * 1.25 <= 40 and len(" ".join(lines)) < len("word " * 400)  # split: the rest goes elsewhere
    size, lines = briefing.fit("short title", 600, 60, 24)
    assert size == 24 and lines == ["short title"]


@pytest.mark.usefixtures("app_db")
def test_briefing_page_builds_both_files():
    from tests.apphelp import open_page

    at = open_page("briefing_pack")
    at.button(key="pack_build").click().run()
    assert not at.exception
    region, pdf, pptx = at.session_state["pack"]
    assert region == "NENC" and pdf[:5] == b"%PDF-" and pptx[:2] == b"PK"
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 7
