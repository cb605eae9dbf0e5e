"""Page speed against a bare Streamlit page, measured in the same run: ``make bench``.

Starts the PAIR Atlas app and a bare one-widget Streamlit page on loopback ports, opens each
page in headless Chromium (Debian's /usr/bin/chromium) several times in fresh browser
contexts, and measures

* load: from navigation to fully rendered (script finished, every element drawn);
* rerun: from a widget change to fully rendered again (Overview: the region control;
  bare page: its one control).

Prints the median of each and its ratio to the bare page's median. Not part of the test suite:
the numbers depend on the machine; the ratios are what to compare between runs.
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
    "Data and sources": "sources",
}


def time_load(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.monotonic()
    page.goto(url)
    done = wait_rendered(page)
    context.close()
    return done - start


def time_rerun(browser, url: str, option: str) -> float:
    """Load, then click the radio option ``option`` and time the rerun."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    wait_rendered(page)
    start = time.monotonic()
    page.get_by_role("radio", name=option, exact=True).click()
    done = wait_rendered(page)
    context.close()
    return done - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    rows = []
    with (
        streamlit_server(ROOT / "bench" / "bare_page.py") as bare,
        streamlit_server(ROOT / "dashboard" / "app.py") as app,
        sync_playwright() as p,
    ):
        browser = launch(p)
        # Warm both servers (first imports, caches) before measuring.
        time_load(browser, bare)
        for path in APP_PAGES.values():
            time_load(browser, f"{app}/{path}")

        bare_load = [time_load(browser, bare) for _ in range(args.repeat)]
        bare_rerun = [time_rerun(browser, bare, "B") for _ in range(args.repeat)]
        base_load, base_rerun = statistics.median(bare_load), statistics.median(bare_rerun)
        rows.append(("Bare Streamlit page", "load", base_load, 1.0))
        rows.append(("Bare Streamlit page", "rerun", base_rerun, 1.0))
        for name, path in APP_PAGES.items():
            loads = [time_load(browser, f"{app}/{path}") for _ in range(args.repeat)]
            rows.append((name, "load", statistics.median(loads), statistics.median(loads) / base_load))
        reruns = [time_rerun(browser, app, "BNSSG") for _ in range(args.repeat)]
        rows.append(("Overview", "rerun (region)", statistics.median(reruns), statistics.median(reruns) / base_rerun))
        browser.close()

    print(f"PAIR Atlas page benchmark: median of {args.repeat} runs each, headless Chromium, same run")
    print(f"{'page':<22} {'measure':<16} {'median s':>9} {'x bare':>8}")
    for name, measure, median, ratio in rows:
        print(f"{name:<22} {measure:<16} {median:>9.3f} {ratio:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
