"""Page speed against references measured in the same run: ``make bench``.

Starts, on loopback ports, the PAIR Atlas app and three references:

* a bare one-widget Streamlit page (``bare_page.py``): Streamlit's own floor;
* a pydeck page drawing one polygon (``pydeck_one_polygon.py``): the map component's floor;
* a streamlit-folium page drawing the same 2,470 LSOAs (``folium_page.py``): what most NHS
  Streamlit maps use (Leaflet served locally).

Each page is opened several times in fresh headless Chromium contexts (Debian's
/usr/bin/chromium), timing

* load: navigation to fully rendered (script finished, every element drawn; for maps, the
  map's canvas or SVG paths drawn);
* rerun: a widget change to fully rendered again;

and counting the bytes the page received (HTTP bodies and websocket frames). Prints medians
and ratios to the references. Not part of the test suite: the numbers depend on the machine;
the ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import launch, streamlit_server, wait_rendered  # noqa: E402

APP_PAGES = {
    "Overview": "",
    "Map and gaps": "map",
    "Baby clinic reach": "reach",
    "Barriers (BCW)": "barriers",
    "Value for money": "value",
    "Briefing pack": "briefing",
    "Data and sources": "sources",
}
DECK = '[data-testid="stDeckGlJsonChart"] canvas'


class Meter:
    """Counts the bytes a page receives."""

    def __init__(self, page):
        self.bytes = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        page.on("requestfinished", self._http)

    def _frame(self, payload):
        self.bytes += len(payload)

    def _http(self, request):
        try:
            self.bytes += request.sizes()["responseBodySize"]
        except Exception:  # a request torn down with its page
            pass


def _map_drawn(page, kind: str | None) -> None:
    if kind in ("deck", "deck-url"):
        page.wait_for_selector(DECK, timeout=60000)
        if kind == "deck-url":  # the LSOA layer is a file deck.gl fetches
            page.wait_for_function(
                "() => performance.getEntriesByType('resource').some(e => e.name.includes('/static/generated/') && e.responseEnd > 0)",
                timeout=60000,
            )
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    elif kind == "folium":
        frame = page.frame_locator("iframe").first
        frame.locator(".leaflet-interactive").nth(2000).wait_for(state="attached", timeout=60000)


def time_load(browser, url: str, map_kind: str | None = None) -> tuple[float, int]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    meter = Meter(page)
    start = time.monotonic()
    page.goto(url)
    done = wait_rendered(page)
    if map_kind:
        _map_drawn(page, map_kind)
        done = time.monotonic()
    context.close()
    return done - start, meter.bytes


def time_rerun(browser, url: str, option: str, map_kind: str | None = None) -> float:
    """Load, then click the radio option ``option`` and time the rerun."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    wait_rendered(page)
    if map_kind:
        _map_drawn(page, map_kind)
    start = time.monotonic()
    page.get_by_role("radio", name=option, exact=True).click()
    done = wait_rendered(page)
    if map_kind:
        _map_drawn(page, map_kind)
        done = time.monotonic()
    context.close()
    return done - start


def median_of(fn, repeat: int):
    results = [fn() for _ in range(repeat)]
    if isinstance(results[0], tuple):
        return statistics.median(r[0] for r in results), int(statistics.median(r[1] for r in results))
    return statistics.median(results), None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    bench = ROOT / "bench"
    rows = []
    with (
        streamlit_server(bench / "bare_page.py") as bare,
        streamlit_server(bench / "pydeck_one_polygon.py") as one,
        streamlit_server(bench / "folium_page.py") as folium,
        streamlit_server(ROOT / "dashboard" / "app.py") as app,
        sync_playwright() as p,
    ):
        browser = launch(p)
        for url, kind in ((bare, None), (one, "deck"), (folium, "folium"), *((f"{app}/{path}", None) for path in APP_PAGES.values())):
            time_load(browser, url, kind)  # warm caches and imports
        time_load(browser, f"{app}/map", "deck-url")

        base, base_bytes = median_of(lambda: time_load(browser, bare), args.repeat)
        base_rerun, _ = median_of(lambda: time_rerun(browser, bare, "B"), args.repeat)
        floor, floor_bytes = median_of(lambda: time_load(browser, one, "deck"), args.repeat)
        peer, peer_bytes = median_of(lambda: time_load(browser, folium, "folium"), args.repeat)
        rows += [
            ("Bare Streamlit page", "load", base, base_bytes, 1.0, None),
            ("Bare Streamlit page", "rerun", base_rerun, None, 1.0, None),
            ("pydeck, one polygon", "load to map drawn", floor, floor_bytes, floor / base, 1.0),
            ("streamlit-folium, 2,470 LSOAs", "load to map drawn", peer, peer_bytes, peer / base, peer / floor),
        ]
        for name, path in APP_PAGES.items():
            t, b = median_of(lambda: time_load(browser, f"{app}/{path}"), args.repeat)
            rows.append((name, "load", t, b, t / base, None))
        t, b = median_of(lambda: time_load(browser, f"{app}/map", "deck-url"), args.repeat)
        rows.append(("Map and gaps", "load to map drawn", t, b, t / base, t / floor))
        t, _ = median_of(lambda: time_rerun(browser, app, "BNSSG"), args.repeat)
        rows.append(("Overview", "rerun (region)", t, None, t / base_rerun, None))
        t, _ = median_of(lambda: time_rerun(browser, f"{app}/map", "NENC", "deck-url"), args.repeat)
        rows.append(("Map and gaps", "rerun (region) to map drawn", t, None, t / base_rerun, t / floor))
        browser.close()

    print(f"PAIR Atlas page benchmark: median of {args.repeat} runs each, headless Chromium, same run")
    print(f"{'page':<30} {'measure':<28} {'median s':>9} {'KB recv':>9} {'x bare':>7} {'x pydeck floor':>15}")
    for name, measure, median, nbytes, ratio, vs_floor in rows:
        kb = f"{nbytes / 1024:,.0f}" if nbytes else ""
        floor_ratio = f"{vs_floor:.2f}" if vs_floor else ""
        print(f"{name:<30} {measure:<28} {median:>9.3f} {kb:>9} {ratio:>7.2f} {floor_ratio:>15}")
    map_row = next(r for r in rows if r[0] == "Map and gaps" and r[1] == "load to map drawn")
    peer_row = rows[3]
    print(f"Map and gaps / streamlit-folium (same LSOAs): {map_row[2] / peer_row[2]:.2f}x time, {map_row[3] / peer_row[3]:.2f}x bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
