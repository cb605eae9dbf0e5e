"""Page speed against references measured in the same run: ``make bench``.

Starts, on loopback ports, the PAIR Atlas app (as ``make run`` serves it: ``dashboard/server.py``)
and three references:

* a bare one-widget Streamlit page (``bare_page.py``): Streamlit's own floor;
* a pydeck page drawing one polygon (``pydeck_one_polygon.py``): the map component's floor;
* a streamlit-folium page drawing the same 2,470 LSOAs (``folium_page.py``): what most NHS
  Streamlit maps use (Leaflet served locally);

each a one-script page at / in a default Streamlit server, and each also as a page of a
multipage app (``multipage_peer.py``) served as PAIR Atlas is (``served_peer.py``), at / and
opened by its link at /page, as PAIR Atlas's pages are: Streamlit's navigation script runs before
the page, on the same server. The table gives each ratio against both: the one-script page in a
default server, and the same page run and served as PAIR Atlas's pages are. (In a default server
a page opened by its link first has the browser look for the server at that path, a 404, then
100 ms later at the root, streamlit/streamlit#7074, and each small response waits 40 ms for the
browser's delayed acknowledgement; ``dashboard/server.py`` removes both.)

Each page is opened several times in fresh headless Chromium contexts (Debian's
/usr/bin/chromium), timing

* load: navigation to fully rendered (script finished, every element drawn; for maps, the
  map's canvas or SVG paths drawn), each as the page saw it: a check run in the page every 50 ms
  records when the page first showed its final rendered state and when the map was drawn (the
  time the harness then takes to ask the page does not count, for any page alike);
* rerun: a widget change until the page shows the new state and is fully rendered again (from
  before Playwright's click, as a test would wait); and the same rerun timed in the page, from the
  pointer going down to the first frame showing it rendered (without the harness's own time,
  which is the same on every page but its search for the control, longer on a longer page);

and counting the bytes the page received (HTTP bodies and websocket frames). A map's load ends
when both the page is rendered and the map drawn, each taken as it happens (a map's drawing
checked for in the page every 50 ms, the same for the three maps). Every measure is taken
once a round, each on a quiet machine (under a quarter of its CPU busy: not during the last
measure's teardown), the rounds in a shuffled order, so that a machine slowing down or speeding up
during the run moves all of them alike. Prints medians and
ratios to the references, then the live map's own milestones (mounted, worker, library, style, geometry,
drawn). Not part of the test suite: the numbers depend on the machine;
the ratios are what to compare between runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import RENDERED_JS, SERVER, launch, server_rss, streamlit_server, wait_rendered  # noqa: E402

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
LIVE = '.pair-map[data-rendered]:not([data-rendered="0"]) canvas'  # the live map has painted its data (a frame with every tile of the view loaded)


class Meter:
    """Counts the bytes a page receives: its websocket frames as they come, and the bodies of its HTTP
    responses, read when :meth:`total` is asked for (before the page is closed: a size asked for as
    each request ends could be answered after the page had gone, and was then lost)."""

    def __init__(self, page):
        self.frames = 0
        self.requests = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        page.on("requestfinished", lambda request: self.requests.append(request))

    def _frame(self, payload):
        self.frames += len(payload)

    def total(self) -> int:
        return self.frames + sum(request.sizes()["responseBodySize"] for request in self.requests)


def _poll(frame, js: str) -> float:
    """Wait until ``js`` is true, checked every 50 ms in the page; return the page's clock (epoch
    seconds) when it was first seen true. (A Playwright selector wait backs off to a check every
    500 ms after its first tries, so a map drawn a second in was seen up to half a second late;
    the maps are all timed this way, the same for each.)"""
    seen = frame.wait_for_function(f"() => ({js})() ? Date.now() : false", polling=50, timeout=60000)
    return seen.json_value() / 1000


def _map_drawn(page, kind: str | None) -> float:
    """Wait until the page's map is drawn; return when it was (the page's clock, epoch seconds)."""
    if kind == "live":
        return _poll(page, f"() => !!document.querySelector('{LIVE}')")
    if kind in ("deck", "deck-url"):
        _poll(page, f"() => !!document.querySelector('{DECK}')")
        if kind == "deck-url":  # the LSOA layer is a file deck.gl fetches
            _poll(page, "() => performance.getEntriesByType('resource').some(e => e.name.includes('/static/generated/') && e.responseEnd > 0)")
        return page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(Date.now()))))") / 1000
    if kind == "folium":
        _poll(page, "() => !!document.querySelector('iframe')")
        frame = next(f for f in page.frames if f is not page.main_frame)
        return _poll(frame, "() => document.querySelectorAll('.leaflet-interactive').length > 2000")
    raise ValueError(kind)


#: In every page the bench opens: the rendered check of the test suite (``tests/browser.py``) run in
#: the page every 50 ms from the start, keeping each change of its result with the page's clock.
RECORDER = ("if (window === window.top) { window.__benchRendered = []; const check = " + RENDERED_JS + ";"
            " setInterval(() => { let v; try { v = check(); } catch (e) { v = false; }"
            " const log = window.__benchRendered, last = log[log.length - 1];"
            " if (!last || last[1] !== v) log.push([Date.now(), v]); }, 50); }")


def _rendered_at(page) -> float:
    """Wait until the page is rendered and settled (``wait_rendered``); return when it first showed
    that final state, by the page's own check (epoch seconds): the time a harness takes to ask
    the page does not count, for any page alike."""
    wait_rendered(page)
    log = page.evaluate("() => window.__benchRendered")
    return log[-1][0] / 1000


def _context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(RECORDER)
    return context


def time_load(browser, url: str, map_kind: str | None = None) -> tuple[float, int]:
    context = _context(browser)
    page = context.new_page()
    meter = Meter(page)
    start = time.time()
    page.goto(url)
    # the map drawn and the page rendered, whichever is later, each as the page saw it happen
    drawn = _map_drawn(page, map_kind) if map_kind else 0.0
    done = max(drawn, _rendered_at(page))
    received = meter.total()
    context.close()
    return done - start, received


def time_rerun(browser, url: str, option: str, shown: str, map_kind: str | None = None) -> float:
    """Load, then click the radio option ``option`` and time the rerun: until the page shows the new
    state (the JavaScript predicate ``shown``, checked at every frame) and is rendered, whichever is
    later. (Rendered alone can be seen before the rerun has begun: a rerun that keeps the number of
    elements and is quicker than the 50 ms check looks like no change.)"""
    context = _context(browser)
    page = context.new_page()
    page.goto(url)
    wait_rendered(page)
    if map_kind:
        _map_drawn(page, map_kind)
    start = time.monotonic()
    page.get_by_role("radio", name=option, exact=True).click()
    page.wait_for_function(shown, polling="raf", timeout=60000)
    done = max(time.monotonic(), wait_rendered(page))
    if map_kind:
        _map_drawn(page, map_kind)
        done = time.monotonic()
    context.close()
    return done - start


#: Set in the page before the click: from the pointer going down, at every frame, the predicate
#: (``shown``) and then the test suite's rendered check (``RENDERED_JS``); the milliseconds to both
#: are kept in ``window.pairRerun``.
IN_PAGE = """([shown, rendered]) => {
    const seen = eval(shown), done = eval(rendered), at = window.pairRerun = {};
    addEventListener('pointerdown', () => {
        const down = performance.now();
        const frame = () => {
            const now = performance.now() - down;
            if (at.shown === undefined && seen()) at.shown = now;
            if (at.shown !== undefined && done()) at.drawn = now; else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
    }, { capture: true, once: true });
}"""


def time_rerun_in_page(browser, url: str, option: str, shown: str) -> float:
    """As :func:`time_rerun`, timed in the page: from the pointer going down on ``option`` to the
    first frame that shows the new state rendered. Without Playwright's click (finding the control by
    its role in the whole page, its checks, then the press and release: 60-120 ms, longer on a
    longer page), so the page's own time, as a person clicking waits for it."""
    context = _context(browser)
    page = context.new_page()
    page.goto(url)
    wait_rendered(page)
    page.evaluate(IN_PAGE, [shown, RENDERED_JS])
    page.get_by_role("radio", name=option, exact=True).click()
    page.wait_for_function("() => window.pairRerun.drawn !== undefined", timeout=60000)
    drawn = page.evaluate("window.pairRerun.drawn")
    context.close()
    return drawn / 1000


#: What each rerun shows when it is done: the bare page's sentence; the Overview's and Baby clinic
#: reach's headline for BNSSG; the Barriers page's sentence naming the BCW matrix it used.
BARE_B = "() => document.body.innerText.includes('You chose B.')"
HEADLINE_BNSSG = ("() => [...document.querySelectorAll('[data-testid=\"stMarkdownContainer\"] p, .pair-text p')]"
                  ".some(p => p.textContent.startsWith('In ') && p.textContent.includes('Bristol'))")
BARRIERS_2011 = ("() => [...document.querySelectorAll('[data-testid=\"stMarkdownContainer\"] p, .pair-text p')]"
                 ".some(p => p.textContent.includes('(2011 matrix)'))")


def _live_page(browser, url: str):
    context = _context(browser)
    page = context.new_page()
    page.goto(url)
    wait_rendered(page)
    _map_drawn(page, "live")
    return context, page


def _map_key(page, predicate: str, after: int = 0) -> None:
    """Wait until the map has drawn (a newer generation than ``after``) data whose key satisfies ``predicate``."""
    page.wait_for_function(
        "([after]) => { const m = document.querySelector('.pair-map'); if (!m || Number(m.dataset.rendered) <= after) return false;"
        f" const k = m.dataset.key || ''; return {predicate}; }}", arg=[after], timeout=60000)


def _time_change(browser, url: str, change, predicate: str) -> float:
    context, page = _live_page(browser, url)
    drawn = int(page.locator(".pair-map").get_attribute("data-rendered"))
    start = change(page)
    _map_key(page, predicate, drawn)
    done = time.monotonic()
    context.close()
    return done - start


def _pick_infants(page) -> float:
    page.get_by_role("button", name="Colouring and outlines").click()
    page.get_by_label("Colour neighbourhoods by").click()
    option = page.get_by_role("option", name="Infants aged 0")
    start = time.monotonic()
    option.click()
    return start


def _pick_nenc(page) -> float:
    start = time.monotonic()
    page.get_by_role("radio", name="NENC", exact=True).click()
    return start


def time_colouring(browser, url: str) -> float:
    """The map's colouring changed (IMD decile -> infants) until the map has redrawn."""
    return _time_change(browser, url, _pick_infants, "k.endsWith('/infants')")


def time_region(browser, url: str) -> float:
    """The region changed (both ICBs -> NENC) until the map has redrawn the new region."""
    return _time_change(browser, url + "?region=Both+ICBs", _pick_nenc, "k.startsWith('NENC/')")


def time_click(browser, url: str) -> float:
    """A click on a neighbourhood until its details are shown beside the map."""
    context, page = _live_page(browser, url)
    box = page.locator(LIVE).first.bounding_box()
    start = time.monotonic()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    _poll(page, "() => /\\(E01/.test(document.querySelector('.st-key-lsoa_details')?.textContent || '')")
    done = time.monotonic()
    context.close()
    return done - start


MARKS = ("mount", "worker", "library", "style", "data", "drawn")


def map_timeline(browser, url: str) -> dict[str, float]:
    """The live map's own milestones (``performance.mark`` in ``pair_map.js``), in ms from navigation:
    mounted by Streamlit, worker started, library ready, style loaded, geometry loaded, drawn."""
    context = _context(browser)
    page = context.new_page()
    page.goto(url)
    _map_drawn(page, "live")
    marks = page.evaluate("() => Object.fromEntries(performance.getEntriesByType('mark').filter(m => m.name.startsWith('pair-map:'))"
                          ".map(m => [m.name.slice(9), m.startTime]))")
    context.close()
    return marks


def _steady_rss(port: int, readings: int = 5) -> float:
    """The server's resident memory once settled: the median of a few readings a fifth of a second apart."""
    time.sleep(1)
    values = []
    for _ in range(readings):
        values.append(server_rss(port))
        time.sleep(0.2)
    return statistics.median(values)


def memory_per_session(browser, url: str, port: int, extra: int = 5) -> float:
    """Server memory (MB) added by each extra open browser session on the map page, in a server
    that has served nothing else: the growth from ``extra`` open sessions to twice as many, over
    ``extra`` (the first sessions also warm the server's caches and its allocator's pools, which a
    first reading would count against them)."""
    opened = [_live_page(browser, url) for _ in range(extra)]
    before = _steady_rss(port)
    opened += [_live_page(browser, url) for _ in range(extra)]
    after = _steady_rss(port)
    for context, _ in opened:
        context.close()
    return (after - before) / extra / 2**20


def _quiet(limit: float = 4.0) -> None:
    """Wait (up to ``limit`` seconds) until the machine is quiet: under a quarter of its CPU busy over a
    quarter of a second. A measure then starts after the last one's teardown (a closed browser context,
    a server ending its session), not during it; the same for every measure."""
    import psutil

    deadline = time.monotonic() + limit
    while psutil.cpu_percent(interval=0.25) >= 25 and time.monotonic() < deadline:
        pass


def _median(results: list):
    if isinstance(results[0], tuple):
        return statistics.median(r[0] for r in results), int(statistics.median(r[1] for r in results))
    return statistics.median(results), None


def _rounds(measures: dict, names: list[str], repeat: int) -> dict[str, list]:
    """Each of the measures ``names`` taken once a round for ``repeat`` rounds, in a shuffled order each
    round (a machine that slows down or speeds up during the run moves them all alike, not one block of
    them), each started on a quiet machine (:func:`_quiet`)."""
    results = {name: [] for name in names}
    for round_ in range(repeat):
        order = list(names)
        random.Random(round_).shuffle(order)
        for name in order:
            _quiet()
            results[name].append(measures[name]())
    return results


def _only(measures: dict, names: list[str], repeat: int) -> int:
    """Time only the measures ``names`` (warmed once, then ``repeat`` shuffled rounds) and print each one's
    median and rounds: for trying a change to one page without the whole table's nine minutes."""
    unknown = [name for name in names if name not in measures]
    if unknown:
        print("unknown measures: " + ", ".join(unknown) + "; the measures are: " + ", ".join(measures), file=sys.stderr)
        return 2
    for name in names:
        measures[name]()
    for name, values in _rounds(measures, names, repeat).items():
        seconds = [v[0] if isinstance(v, tuple) else v for v in values]
        print(f"{name}: median {statistics.median(seconds):.3f} s; rounds " + " ".join(f"{v:.3f}" for v in seconds))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rounds", action="store_true", help="also print every round's value of each measure (seconds; KB received)")
    parser.add_argument("--only", nargs="+", metavar="MEASURE",
                        help="time only these measures (e.g. 'bare rerun' 'overview rerun') and print their medians; no table")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.browser import free_port

    bench = ROOT / "bench"
    multipage = bench / "served_peer.py"  # multipage_peer.py, served as PAIR Atlas is
    with (
        streamlit_server(bench / "bare_page.py") as bare,
        streamlit_server(bench / "pydeck_one_polygon.py") as one,
        streamlit_server(bench / "folium_page.py") as folium,
        streamlit_server(multipage, env={"PAIR_BENCH_PAGE": "bare_page.py"}) as bare_mp,
        streamlit_server(multipage, env={"PAIR_BENCH_PAGE": "pydeck_one_polygon.py"}) as one_mp,
        streamlit_server(multipage, env={"PAIR_BENCH_PAGE": "folium_page.py"}) as folium_mp,
        streamlit_server(SERVER) as app,
        sync_playwright() as p,
    ):
        browser = launch(p)
        # every measure, taken once a round in a shuffled order (_rounds)
        measures = {
            "bare": lambda: time_load(browser, bare),
            "bare rerun": lambda: time_rerun(browser, bare, "B", BARE_B),
            "bare mp": lambda: time_load(browser, bare_mp),
            "bare mp rerun": lambda: time_rerun(browser, bare_mp, "B", BARE_B),
            "bare mp path": lambda: time_load(browser, f"{bare_mp}/page"),
            "pydeck": lambda: time_load(browser, one, "deck"),
            "pydeck mp path": lambda: time_load(browser, f"{one_mp}/page", "deck"),
            "folium": lambda: time_load(browser, folium, "folium"),
            "folium mp path": lambda: time_load(browser, f"{folium_mp}/page", "folium"),
            **{name: (lambda path=path: time_load(browser, f"{app}/{path}")) for name, path in APP_PAGES.items()},
            "map drawn": lambda: time_load(browser, f"{app}/map", "live"),
            "colouring": lambda: time_colouring(browser, f"{app}/map"),
            "region": lambda: time_region(browser, f"{app}/map"),
            "click": lambda: time_click(browser, f"{app}/map?region=NENC&la=Newcastle+upon+Tyne"),
            "overview rerun": lambda: time_rerun(browser, app, "BNSSG", HEADLINE_BNSSG),
            "reach rerun": lambda: time_rerun(browser, f"{app}/reach", "BNSSG", HEADLINE_BNSSG),
            "barriers rerun": lambda: time_rerun(browser, f"{app}/barriers", "2011", BARRIERS_2011),
            "bare rerun in page": lambda: time_rerun_in_page(browser, bare, "B", BARE_B),
            "bare mp rerun in page": lambda: time_rerun_in_page(browser, bare_mp, "B", BARE_B),
            "overview rerun in page": lambda: time_rerun_in_page(browser, app, "BNSSG", HEADLINE_BNSSG),
            "reach rerun in page": lambda: time_rerun_in_page(browser, f"{app}/reach", "BNSSG", HEADLINE_BNSSG),
            "barriers rerun in page": lambda: time_rerun_in_page(browser, f"{app}/barriers", "2011", BARRIERS_2011),
        }
        if args.only:
            return _only(measures, args.only, args.repeat)
        for fn in measures.values():  # warm caches and imports
            fn()
        for region in ("Both", "NENC", "BNSSG"):
            time_load(browser, f"{app}/map?region={region}", "live")
        results = _rounds(measures, list(measures), args.repeat)
        med = {name: _median(values) for name, values in results.items()}
        timelines = []
        for _ in range(args.repeat):
            _quiet()
            timelines.append(map_timeline(browser, f"{app}/map"))
        timeline = {name: statistics.median(t[name] for t in timelines if name in t) for name in MARKS}
        # in a server of its own: the one above is still freeing the many sessions it has served
        memory_port = free_port()
        with streamlit_server(SERVER, port=memory_port) as fresh:
            memory = memory_per_session(browser, f"{fresh}/map", memory_port)
        browser.close()

    def t(name):
        return med[name][0]

    rows = [  # (page, measure, result, reference, reference as a page of a multipage app as PAIR Atlas's are)
        ("Bare Streamlit page", "load", "bare", None, None),
        ("Bare Streamlit page", "rerun", "bare rerun", None, None),
        ("Bare page, page of a multipage app at /, served as PAIR Atlas", "load", "bare mp", "bare", None),
        ("Bare page, page of a multipage app at /page, served as PAIR Atlas", "load", "bare mp path", "bare", None),
        ("Bare page, page of a multipage app at /, served as PAIR Atlas", "rerun", "bare mp rerun", "bare rerun", None),
        ("pydeck, one polygon", "load to map drawn", "pydeck", "bare", None),
        ("pydeck, one polygon, at /page of a multipage app, served as PAIR Atlas", "load to map drawn", "pydeck mp path", "pydeck", None),
        ("streamlit-folium, 2,470 LSOAs", "load to map drawn", "folium", "bare", None),
        ("streamlit-folium, at /page of a multipage app, served as PAIR Atlas", "load to map drawn", "folium mp path", "folium", None),
        *((name, "load", name, "bare", "bare mp" if path == "" else "bare mp path") for name, path in APP_PAGES.items()),
        ("Map and gaps", "load to map drawn", "map drawn", "folium", "folium mp path"),
        ("Map and gaps", "load to map drawn", "map drawn", "pydeck", "pydeck mp path"),
        ("Map and gaps", "colouring switch to redrawn", "colouring", "bare rerun", None),
        ("Map and gaps", "region switch to redrawn", "region", "bare rerun", None),
        ("Map and gaps", "click to details shown", "click", "bare rerun", None),
        ("Overview", "rerun (region)", "overview rerun", "bare rerun", "bare mp rerun"),
        ("Baby clinic reach", "rerun (region)", "reach rerun", "bare rerun", "bare mp rerun"),
        ("Barriers (BCW)", "rerun (BCW matrix 2014 -> 2011)", "barriers rerun", "bare rerun", "bare mp rerun"),
        ("Bare Streamlit page", "rerun, in the page (pointer down to drawn)", "bare rerun in page", None, None),
        ("Bare page, page of a multipage app at /, served as PAIR Atlas", "rerun, in the page", "bare mp rerun in page", "bare rerun in page", None),
        ("Overview", "rerun (region), in the page", "overview rerun in page", "bare rerun in page", "bare mp rerun in page"),
        ("Baby clinic reach", "rerun (region), in the page", "reach rerun in page", "bare rerun in page", "bare mp rerun in page"),
        ("Barriers (BCW)", "rerun (BCW matrix), in the page", "barriers rerun in page", "bare rerun in page", "bare mp rerun in page"),
    ]
    print(f"PAIR Atlas page benchmark: median of {args.repeat} runs each (rounds in shuffled order), headless Chromium, same run")
    print()
    print("A page of PAIR Atlas is a page of a multipage app, opened by its link (/map), served by dashboard/server.py; the")
    print("references are one-script pages at / in a default Streamlit server. The last two columns compare with the same")
    print("reference page run and served as PAIR Atlas's pages are (bench/served_peer.py: a page of a multipage app, the")
    print("navigation script on every run, in the same server as PAIR Atlas).")
    print()
    print("| page | measure | median s | KB received | ratio | against (one-script page at /, default server) | ratio | against (page of a multipage app, served and opened as PAIR Atlas's) |")
    print("|---|---|---:|---:|---:|---|---:|---|")
    for page, measure, key, ref, same in rows:
        value, nbytes = med[key]
        kb = f"{nbytes / 1024:,.0f}" if nbytes else ""
        ratio = f"{value / t(ref):.2f}x" if ref else ""
        ratio2 = f"{value / t(same):.2f}x" if same else ""
        print(f"| {page} | {measure} | {value:.3f} | {kb} | {ratio} | {ref or ''} | {ratio2} | {same or ''} |")
    print(f"| Map and gaps | bytes received on load | | {med['map drawn'][1] / 1024:,.0f} | {med['map drawn'][1] / med['folium'][1]:.2f}x | folium bytes | | |")
    print(f"| Map and gaps | server memory per extra browser session | {memory:.1f} MB | | | | | |")
    print()
    print("Live map milestones, ms from navigation (median): " + ", ".join(f"{name} {timeline[name]:,.0f}" for name in MARKS))
    if args.rounds:  # to tell a slow median from one slow round, and a load that took in more than the page
        print()
        print("Every round, in round order (seconds; for loads, KB received after the slash):")
        for name, values in results.items():
            shown = (f"{v[0]:.2f}/{v[1] / 1024:,.0f}" if isinstance(v, tuple) else f"{v:.2f}" for v in values)
            print(f"- {name}: " + " ".join(shown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
