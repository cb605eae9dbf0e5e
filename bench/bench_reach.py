"""Baby clinic reach at scale: ``make bench`` (or ``python bench/bench_reach.py``).

Writes a 500,000-row synthetic attendance extract with the page's own seeded generator
(bench/data, gitignored), then times the page's pipeline on it: read the CSV, check every row
(pandera), place postcodes in LSOAs, and compute all the reach tables (quintiles, deciles,
gradient with SII, months, local authorities, profile). Prints seconds per step and the peak
memory of the process.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import reach  # noqa: E402
from dashboard.clinic_import import check_extract, guess_mapping, read_extract  # noqa: E402
from dashboard.demo_extract import PERIOD, generate  # noqa: E402
from dashboard.starter import illustrative_services  # noqa: E402
from data_access.store import ReferenceStore  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=500_000)
    args = parser.parse_args()
    store = ReferenceStore()
    lsoas = store.lsoas("iod2025")
    path = ROOT / "bench" / "data" / f"extract_{args.rows}.csv"
    if not path.exists():
        clinics = pd.DataFrame(illustrative_services(lsoas, store.gp_practices()))
        clinics = clinics[clinics["service_type"] == "health-visitor baby clinic"]
        base = generate(lsoas, store.postcodes(), clinics, scale=1.0)
        scale = args.rows / len(base) * 1.05
        extract = generate(lsoas, store.postcodes(), clinics, scale=scale).head(args.rows)
        path.parent.mkdir(parents=True, exist_ok=True)
        extract.to_csv(path, index=False, encoding="utf-8-sig")
    postcodes = store.postcodes().set_index("postcode")["lsoa21_code"]
    known = set(lsoas["lsoa_code"])
    before = peak_mb()
    steps = []
    t0 = time.perf_counter()
    raw = read_extract(path.read_bytes(), path.name)
    steps.append(("read CSV", time.perf_counter() - t0))
    t = time.perf_counter()
    checked = check_extract(raw, guess_mapping(list(raw.columns)), postcodes, known, PERIOD[1])
    steps.append(("check every row, postcode -> LSOA", time.perf_counter() - t))
    t = time.perf_counter()
    kids = reach.children(checked.valid)
    for region in ("NENC", "BNSSG"):
        area = lsoas[lsoas["region"] == region]
        for group in ("imd_quintile", "imd_decile"):
            reach.gradient(reach.reach_table(kids, area, group))
        reach.by_local_authority(kids, area)
        reach.profile(checked.valid, kids, area)
    reach.monthly(checked.valid, kids)
    steps.append(("all reach tables (2 ICBs x quintiles and deciles, SII)", time.perf_counter() - t))
    total = time.perf_counter() - t0
    print(f"Baby clinic reach pipeline on {len(raw):,} rows ({path.stat().st_size / 1e6:.0f} MB CSV): "
          f"{len(checked.valid):,} valid, {len(checked.problems):,} problems")
    for name, seconds in steps:
        print(f"  {name:<55} {seconds:7.2f} s")
    print(f"  {'total':<55} {total:7.2f} s")
    print(f"  peak memory of the process: {peak_mb():,.0f} MB (before the pipeline: {before:,.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
