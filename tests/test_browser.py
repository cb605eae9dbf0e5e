"""What a person sees: every page in headless Chromium against a running server.

Fails on any exception box and on any request to a non-loopback address; screenshots go to
tests/screenshots/ (gitignored).
"""

from __future__ import annotations

import pytest

from tests.browser import ROOT, wait_rendered

pytestmark = pytest.mark.browser

PAGES = {
    "": "Overview",  # the default page lives at the root URL
    "map": "Map and gaps",
    "reach": "Baby clinic reach",
    "barriers": "Barriers (BCW)",
    "value": "Value for money",
    "briefing": "Briefing pack",
    "sources": "Data and sources",
}
SHOTS = ROOT / "tests" / "screenshots"


@pytest.mark.parametrize("path,title", PAGES.items())
def test_page_opens_without_errors_or_outside_requests(server, page, path, title):
    page.goto(f"{server}/{path}")
    wait_rendered(page)
    assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == title
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path or 'overview'}.png"), full_page=True)
    assert page.outside == [], f"requests left the machine: {page.outside[:5]}"


def test_overview_draws_chart_and_table(server, page):
    page.goto(server)
    wait_rendered(page)
    drawn = page.locator(".pair-chart svg")
    assert drawn.count() == 2  # both charts drawn (SVG from the server, no chart library in the browser)
    assert all(box["width"] > 250 and box["height"] > 100 for box in (drawn.nth(i).bounding_box() for i in range(2)))
    assert page.locator('.pair-chart[data-chart="overview_compare"] svg path > title').first.text_content() == "Area: NENC ICB; ICB: NENC; Share: 20.1%"
    assert page.get_by_text("Text summary: NHS North East and North Cumbria ICB").first.is_visible()  # the chart's text alternative
    metrics = page.locator('.pair-metric .value').all_inner_texts()
    assert metrics == ["1,889", "28,055", "20.1%", "3,050"]
    assert page.locator(".pair-table, [data-testid='stDataFrame']").count() == 0  # below the first screen: made when opened
    page.get_by_text("Every area as a table").click()
    page.wait_for_url("**overview_areas**", timeout=30000)
    table = page.locator(".pair-table table")
    table.wait_for(timeout=30000)
    assert table.locator("tbody tr").count() == 1 + 14  # the ICB and its 14 local authorities
    assert table.get_by_role("columnheader").first.inner_text() != ""


def test_region_choice_goes_to_the_url_and_a_link_reopens_it(server, page, browser):
    page.goto(server)
    wait_rendered(page)
    page.get_by_role("radio", name="BNSSG", exact=True).click()
    page.wait_for_url("**region=BNSSG**", timeout=30000)
    wait_rendered(page)
    assert page.locator('.pair-metric .value').all_inner_texts() == ["581", "10,371", "6.7%", "0"]
    link = page.url
    other = browser.new_page()
    other.goto(link)
    wait_rendered(other)
    assert other.locator('.pair-metric .value').all_inner_texts() == ["581", "10,371", "6.7%", "0"]
    other.close()


MAP_DRAWN = '.pair-map[data-rendered]:not([data-rendered="0"]) canvas'


def _painted_share(canvas) -> float:
    """The share of the map's canvas in a colour (not the grey background, a grey label or a black
    line): a map that says it has drawn but painted no neighbourhood reads about 0."""
    import io

    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")).astype(int)
    return float(((pixels.max(axis=2) - pixels.min(axis=2)) > 60).mean())


def _drawn_over(canvas) -> tuple[int, int]:
    """Pixels of the map's canvas in a service site's dark blue (opaque NHS Dark Blue: no
    neighbourhood's fill, drawn at 85% over the background, is as dark in red), and in the dark grey
    of the local authorities' outlines (darker overall than any fill)."""
    import io

    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")).astype(int)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return int(((r < 30) & (g < 70) & (b > 100)).sum()), int((pixels.sum(axis=2) < 180).sum())


def test_map_draws_and_a_click_shows_the_lsoa(server, page):
    page.goto(f"{server}/map?region=NENC&la=Newcastle+upon+Tyne")
    wait_rendered(page)
    canvas = page.locator(MAP_DRAWN).first
    canvas.wait_for(timeout=60000)
    assert _painted_share(canvas) > 0.3  # the neighbourhoods' colours are on the canvas, not only the background
    marks = page.evaluate("() => Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, m.startTime]))")
    assert marks["pair-map:worker"] < marks["pair-map:library"]  # the map's worker is started with the library's download, not after it has run
    sites, outlines = _drawn_over(canvas)
    assert sites > 50  # NEWPIP, the specialised team in Newcastle: its dark blue disc over the neighbourhoods
    assert outlines > 1500  # the local authorities' dark outlines (the place names over the map alone make about 300)
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator(".pair-map-tip")
    tip.wait_for(state="visible", timeout=10000)
    assert "(E01" in tip.inner_text() and "Newcastle" in tip.inner_text() and "decile" in tip.inner_text()
    gaps = int(page.locator(".pair-map").get_attribute("data-outlined"))
    assert gaps > 100  # NENC's deprived neighbourhoods outside the specialised team's reach, outlined (and nothing else)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    details = page.locator(".st-key-lsoa_details")
    details.get_by_text("(E01").first.wait_for(timeout=30000)
    text = details.inner_text()
    assert "Newcastle" in text and "Within reach of:" in text
    clicked = "E01" + text.split("(E01", 1)[1][:6]
    assert f"({clicked})" in tip.inner_text()  # the neighbourhood under the pointer is the one clicked
    assert page.locator(".pair-map").get_attribute("data-selected") == clicked  # and the one the map outlines as selected
    assert int(page.locator(".pair-map").get_attribute("data-outlined")) == gaps  # a click changes no gap outline
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "map_clicked.png"), full_page=True)
    assert page.outside == [], f"requests left the machine: {page.outside[:5]}"


def test_upload_the_demo_extract_and_see_the_reach_chart(server, page, store, tmp_path):
    import pandas as pd

    from dashboard.demo_extract import generate
    from dashboard.starter import illustrative_services

    lsoas = store.lsoas("iod2025")
    clinics = pd.DataFrame(illustrative_services(lsoas, store.gp_practices()))
    extract = generate(lsoas, store.postcodes(), clinics[clinics["service_type"] == "health-visitor baby clinic"])
    path = tmp_path / "demo_extract.csv"
    extract.to_csv(path, index=False, encoding="utf-8-sig")

    page.goto(f"{server}/reach")
    wait_rendered(page)
    page.get_by_role("radio", name="Upload an extract", exact=True).click()
    wait_rendered(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_role("button", name="Check the file").wait_for(timeout=60000)
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text("I have read the report").wait_for(timeout=120000)
    page.get_by_text("I have read the report").click()
    page.get_by_text("Reach by national IMD quintile").first.wait_for(timeout=120000)
    wait_rendered(page)
    page.wait_for_selector('.pair-chart[data-chart="reach_chart"] svg', timeout=60000)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("SYNTHETIC demonstration extract").count() == 0  # an upload is not labelled as the demo
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "reach_uploaded.png"), full_page=True)
    assert page.outside == [], f"requests left the machine: {page.outside[:5]}"


def test_the_wheel_draws(server, page):
    page.goto(f"{server}/barriers")
    wait_rendered(page)
    wheel = page.locator('.pair-chart[data-chart="wheel"] svg')
    wheel.wait_for(timeout=30000)
    box = wheel.bounding_box()
    assert box["width"] > 300 and box["height"] > 300
    SHOTS.mkdir(exist_ok=True)
    wheel.screenshot(path=str(SHOTS / "wheel.png"))
    assert page.outside == []


def test_the_matrices_read_as_tables_and_download_as_csv(server, page):
    """The COM-B matrix is a table a screen reader reads by its headers (its caption its name); switched
    to the 2011 matrix, its CSV from the figures' menu holds the 2011 links and the sources' footer."""
    import csv
    import io

    page.goto(f"{server}/barriers?f_version=2011")
    wait_rendered(page)
    table = page.get_by_role("table", name="COM-B to intervention functions (2011)")
    assert table.get_by_role("columnheader").all_inner_texts()[:3] == ["COM-B component", "Education", "Persuasion"]
    assert table.get_by_role("rowheader").count() == 6
    assert table.get_by_role("row", name="Reflective motivation").get_by_role("cell").all_inner_texts()[:5] == ["✓"] * 4 + [""]
    page.get_by_role("button", name="Download the figures").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="COM-B to intervention functions (2011) (CSV)").click()
    assert download.value.suggested_filename == "com_b_to_functions_2011.csv"
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["COM-B", "Education", "Persuasion"] and len(rows) == 1 + 6 + 1
    reflective = next(r for r in rows if r[0] == "Reflective motivation")
    on_page = table.get_by_role("row", name="Reflective motivation").get_by_role("cell").all_inner_texts()
    assert reflective[1:] == on_page  # the file holds what the table shows
    assert "Michie" in rows[-1][0]  # the footer: the matrices' sources
    if not page.get_by_role("button", name="COM-B to intervention functions (2011) (PNG)").is_visible():
        page.get_by_role("button", name="Download the figures").click()  # the menu closed after the download
    with page.expect_download() as drawing:  # the matrix's drawing is made only now, when asked for
        page.get_by_role("button", name="COM-B to intervention functions (2011) (PNG)").click()
    assert drawing.value.suggested_filename == "com_b_to_functions_2011.png"
    assert drawing.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert page.outside == []


def test_value_for_money_compare_view(server, page):
    page.goto(f"{server}/value")
    wait_rendered(page)
    page.get_by_text("Inputs: change the 15 inputs").click()  # the inputs' panel is made when opened
    page.wait_for_url("**vfm_inputs=**", timeout=30000)
    wait_rendered(page)
    for name, budget in (("Browser plan A", "300000"), ("Browser plan B", "800000")):
        field = page.get_by_role("spinbutton", name="Annual budget (GBP)")
        field.fill(budget)
        field.press("Enter")
        wait_rendered(page)
        panel = page.locator('[data-testid="stPopoverButton"]').filter(has_text="this scenario")  # the save panel
        panel.evaluate("e => e.scrollIntoView({block: 'center'})")  # the panel opens below its button
        if panel.get_attribute("aria-expanded") != "true":  # still open after the first save
            panel.click()
        page.get_by_role("textbox", name="Save as").fill(name)
        page.get_by_role("textbox", name="Save as").press("Enter")
        page.get_by_role("button", name="Save scenario").click()
        page.wait_for_url(f"**scenario={name.replace(' ', '+')}**", timeout=30000)
        wait_rendered(page)
    page.get_by_role("radio", name="Compare", exact=True).click()
    wait_rendered(page)
    chips = page.locator('[data-testid="stMultiSelect"]').last.inner_text()
    assert "Browser plan A" in chips and "Browser plan B" in chips  # the first two saved, compared by default
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=30000)
    assert page.get_by_text("Highlighted: values that differ from").count() == 1
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "vfm_compare.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.outside == []


def test_meeting_mode_url_reopens_the_same_sequence(server, page, browser):
    page.goto(f"{server}/meeting?meeting=1&meeting_region=BNSSG&steps=map,reach,barriers&step=1")
    wait_rendered(page)
    assert page.get_by_text("BNSSG · Step 1 of 3: Where the gaps are").count() == 1
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**step=2**", timeout=30000)
    wait_rendered(page)
    assert page.get_by_text("BNSSG · Step 2 of 3: Baby clinic reach").count() == 1
    other = browser.new_page()
    other.goto(page.url)
    wait_rendered(other)
    assert other.get_by_text("BNSSG · Step 2 of 3: Baby clinic reach").count() == 1
    other.close()
    assert page.outside == []


def test_map_and_details_fit_the_first_screen(server, browser):
    """At 1440x900 the map canvas and its details panel are both within the first viewport."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server}/map?region=NENC")
        wait_rendered(page)
        canvas = page.locator(MAP_DRAWN).first
        canvas.wait_for(timeout=60000)
        details = page.locator(".st-key-lsoa_details")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "map_1440x900.png"))
        for name, box in (("map", canvas.bounding_box()), ("details", details.bounding_box())):
            assert box is not None, name
            assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= 1440 and box["y"] + box["height"] <= 900, (name, box)
        assert details.bounding_box()["x"] > canvas.bounding_box()["x"] + canvas.bounding_box()["width"] - 5  # beside the map
    finally:
        context.close()


def _once_fetched(page, fetched: list, n: int) -> list:
    """Wait (10 s at most) until ``n`` different files are in ``fetched``; return them, each fetched once."""
    for _ in range(100):
        if len(set(fetched)) == n:
            break
        page.wait_for_timeout(100)
    assert len(set(fetched)) == len(fetched) == n, fetched
    return list(fetched)


def test_the_map_stays_alive_when_the_colouring_changes(server, page):
    """A colouring switch recolours the same map: the geometry is fetched once and the map element
    is not rebuilt; only the classes come from the server."""
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/app/static/generated/" in r.url else None)
    page.goto(f"{server}/map?region=BNSSG")
    wait_rendered(page)
    page.locator(MAP_DRAWN).first.wait_for(timeout=60000)
    page.evaluate("() => { window.__pairMap = document.querySelector('.pair-map'); }")
    first = page.locator(".pair-map").get_attribute("data-rendered")
    # both ICBs' neighbourhoods and local authorities (the part not shown is fetched once the map has
    # drawn) and the shown part's tooltip text
    geometry = _once_fetched(page, fetched, 5)
    page.get_by_role("button", name="Colouring and outlines").click()  # a small panel, made when opened
    page.get_by_label("Colour neighbourhoods by").click()
    page.get_by_role("option", name="Infants aged 0").click()
    page.wait_for_function("() => (document.querySelector('.pair-map').dataset.key || '').endsWith('/infants')", timeout=60000)
    assert page.evaluate("() => document.querySelector('.pair-map') === window.__pairMap")  # the same map, recoloured
    assert int(page.locator(".pair-map").get_attribute("data-rendered")) > int(first)
    assert fetched == geometry  # no geometry fetched again
    assert page.outside == []


def test_the_map_paints_once_when_it_opens(server, page):
    """The map's first complete frame is its last until something changes: no frame eases its
    layers in after it, and the region not shown, loaded once the map has drawn, paints nothing
    (each frame is a whole canvas for a software GPU, as on many NHS desktops, and a compositor
    commit on the page's main thread)."""
    page.goto(f"{server}/map?region=BNSSG")
    wait_rendered(page)
    page.locator(MAP_DRAWN).first.wait_for(timeout=60000)
    # no easing of the layers' paint going on when the map is drawn (MapLibre's default eased each layer in over
    # 300 ms once the style was read, a frame at each step after the complete one): the style's transition is 0
    assert page.locator(".pair-map").get_attribute("data-easing") == "false"
    drawn = int(page.locator(".pair-map").get_attribute("data-frames"))
    assert page.locator(".pair-map").get_attribute("data-tiles-asked") == "1"  # asked for at once, not in a frame's turn (the pinned library)
    # NENC's neighbourhoods, not shown, read by the map's worker once the map has drawn
    page.wait_for_function("() => document.querySelector('.pair-map').dataset.partsRead === '1'", timeout=10000)
    page.wait_for_timeout(500)
    assert int(page.locator(".pair-map").get_attribute("data-frames")) == drawn
    page.get_by_role("radio", name="NENC", exact=True).click()  # shown now: drawn
    page.wait_for_function("() => (document.querySelector('.pair-map').dataset.key || '').startsWith('NENC/')", timeout=60000)
    assert int(page.locator(".pair-map").get_attribute("data-frames")) > drawn


def test_the_map_stays_alive_when_the_region_changes(server, page):
    """A region switch (a full rerun of the page, unlike a colouring switch) shows, hides and moves the
    same map: the first-draw scripts are not sent again, and no element before the map goes away
    (which would make Streamlit mount the map afresh)."""
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/app/static/generated/" in r.url else None)
    page.goto(f"{server}/map?region=Both+ICBs")
    wait_rendered(page)
    page.locator(MAP_DRAWN).first.wait_for(timeout=60000)
    page.evaluate("() => { window.__pairMap = document.querySelector('.pair-map'); }")
    first = int(page.locator(".pair-map").get_attribute("data-rendered"))
    loaded = _once_fetched(page, fetched, 6)  # both ICBs' neighbourhoods, local authorities and tooltip texts
    top = page.evaluate("() => document.querySelector('.pair-map').getBoundingClientRect().top")
    page.get_by_role("radio", name="NENC", exact=True).click()
    page.wait_for_function(f"() => Number(document.querySelector('.pair-map').dataset.rendered) > {first}"
                           " && document.querySelector('.pair-map').dataset.key.startsWith('NENC/')", timeout=60000)
    assert page.evaluate("() => document.querySelector('.pair-map') === window.__pairMap")  # the same map, moved
    # where it was: the first-draw boxes, hidden and emptied, take no room before or after
    assert page.evaluate("() => document.querySelector('.pair-map').getBoundingClientRect().top") == top
    assert fetched == loaded  # nothing fetched again
    assert page.outside == []
