"""A sample of the hostile corpus uploaded through the real pages in Chromium (its own server and
database): refusals are shown as messages, never tracebacks; accepted files with markdown and
HTML in names are shown as typed (no image fetched, no link made, no script run); the register
export holds no live formula; nothing leaves the machine."""

from __future__ import annotations

import pytest

from tests.browser import SERVER, is_loopback, streamlit_server, wait_rendered
from tests.data.hostile import corpus
from tests.test_hostile_corpus import live_formulas

pytestmark = pytest.mark.usefixtures("store")


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory, store):
    folder = tmp_path_factory.mktemp("hostile")
    files = {c.name: c for c in corpus.write(folder / "corpus")}
    env = {"PAIR_ATLAS_DATABASE_URL": f"sqlite:///{folder / 'app.db'}", "PAIR_ATLAS_STORE": str(store.path)}
    with streamlit_server(SERVER, env=env) as base:
        yield base, folder / "corpus", files


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.outside, page.dialogs = [], []
    page.on("request", lambda req: None if is_loopback(req.url) else page.outside.append(req.url))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # an alert() would be a script run from data
    yield page
    context.close()


def _nothing_rendered_from_data(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('img[src*="hostile"], a[href*="hostile"], script:text("pwned")').count() == 0
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert page.dialogs == [] and page.outside == [], (page.dialogs, page.outside)


def _upload(page, path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))


def test_register_sample_through_the_map_page(hostile_app, tab):
    base, folder, files = hostile_app
    tab.goto(f"{base}/map?view=Service+register")
    wait_rendered(tab)
    for name in ["bidi.csv", "bomb.xlsx", "formula-injection.csv", "overflow.csv"]:
        _upload(tab, folder / "register" / name)
        tab.get_by_text("The file was not imported").wait_for(timeout=60000)
        wait_rendered(tab)
        grid = tab.locator('[data-testid="stDataFrame"]').last
        assert grid.count() == 1
        _nothing_rendered_from_data(tab)
    _upload(tab, folder / "register" / "markdown.csv")
    tab.get_by_text("2 valid service(s) ready to import").wait_for(timeout=60000)
    tab.get_by_role("button", name="Import 2 service(s)").click()
    tab.get_by_text("Imported 2 service(s)").wait_for(timeout=60000)
    wait_rendered(tab)
    tab.get_by_role("button", name="Import 2 service(s)").click()  # pressed again
    tab.get_by_text("already in the register, not added again").wait_for(timeout=60000)
    _nothing_rendered_from_data(tab)
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Export register (CSV)").click()
    data = download.value.path().read_bytes()
    text = data.decode("utf-8-sig")
    assert text.count(corpus.MARK_IMAGE) == 1 and text.count(corpus.MARK_LINK) == 1  # imported once, exported as typed
    assert live_formulas(data, "csv") == []


def test_clinic_extract_with_hostile_clinic_names_through_the_reach_page(hostile_app, tab):
    base, folder, _ = hostile_app
    tab.goto(f"{base}/reach")
    wait_rendered(tab)
    tab.get_by_role("radio", name="Upload an extract", exact=True).click()
    wait_rendered(tab)
    _upload(tab, folder / "extract" / "extract-bomb.xlsx")
    tab.get_by_text("it was not opened").wait_for(timeout=60000)
    _nothing_rendered_from_data(tab)
    _upload(tab, folder / "extract" / "extract-hostile-clinics.csv")
    tab.get_by_role("button", name="Check the file").click()
    tab.get_by_text("I have read the report").click()
    tab.get_by_text("Reach by national IMD quintile").first.wait_for(timeout=120000)
    wait_rendered(tab)
    _nothing_rendered_from_data(tab)
