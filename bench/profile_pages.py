"""Where each page's first screen spends its time (``make profile``): the server side, step by
step, and what the browser is then given to draw.

For each page, under Streamlit's AppTest with the built store and a fresh database: one warm-up
run, then a profiled run (cProfile). Prints the run's wall time, the project's own functions by
cumulative time (the steps: view functions, data access, layout helpers) and the elements the
page sends (tables, charts, maps, markdown), which is what the browser must render. Compare with
``bench/bench_pages.py``, which times the whole load in Chromium.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {"Overview": "overview", "Map and gaps": "map_and_gaps", "Baby clinic reach": "baby_clinic_reach", "Barriers (BCW)": "barriers",
         "Value for money": "value_for_money", "Briefing pack": "briefing_pack", "Data and sources": "data_and_sources"}
OWN = (str(ROOT / "dashboard"), str(ROOT / "data_access"), str(ROOT / "pages"))


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="pair_atlas_profile_")
    os.environ.setdefault("PAIR_ATLAS_DATABASE_URL", f"sqlite:///{folder}/app.db")
    from streamlit.testing.v1 import AppTest

    from tests.apphelp import APP

    for name, page in PAGES.items():
        at = AppTest.from_file(APP, default_timeout=300)
        at.run()
        if page != "overview":
            at.switch_page(f"../pages/{page}.py")
        at.run()  # warm: imports, caches, the starter register
        profiler = cProfile.Profile()

        def start_in_script_thread(*_):  # AppTest runs the page in its own thread: profile that thread
            threading.setprofile(None)
            profiler.enable()

        threading.setprofile(start_in_script_thread)
        start = time.perf_counter()
        at.run()
        threading.setprofile(None)
        wall = time.perf_counter() - start
        kinds = Counter(getattr(node, "type", type(node).__name__) for node in _walk(at._tree) if getattr(node, "proto", None) is not None)
        stats = pstats.Stats(profiler)
        own = []
        for (path, line, func), (_, _, _, cumulative, _) in stats.stats.items():
            if path.startswith(OWN) and not path.endswith(f"{page}.py") and func != "<module>":
                own.append((cumulative, f"{Path(path).relative_to(ROOT)}:{line} {func}"))
        own.sort(reverse=True)
        print(f"\n## {name}: {wall:.2f} s on the server (a warm run under AppTest)")
        print("elements: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common(8)))
        for cumulative, where in own[: args.top]:
            print(f"  {cumulative:6.3f} s  {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
