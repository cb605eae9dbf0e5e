"""Value-for-money probabilistic run: 10,000 draws vectorised against a straightforward
per-draw Python loop, in the same run (``make bench``). Prints both times and the ratio."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import vfm  # noqa: E402


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    inputs = vfm.Inputs.from_defaults(28055)
    n = 10_000
    fast = timed(lambda: vfm.probabilistic(inputs, n=n), 7)
    slow = timed(lambda: vfm.probabilistic_loop(inputs, n=n), 3)
    same = abs(vfm.probabilistic(inputs, n=n)["p_benefits_exceed_costs"] - vfm.probabilistic_loop(inputs, n=n)) < 1e-12
    print(f"Value-for-money probabilistic run, {n:,} draws (median of repeats, same run):")
    print(f"  vectorised (numpy)      {fast * 1000:8.1f} ms")
    print(f"  per-draw Python loop    {slow * 1000:8.1f} ms")
    print(f"  loop / vectorised       {slow / fast:8.1f} x   (same P(benefits > costs): {same})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
