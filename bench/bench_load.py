"""Load: many people saving at once against PostgreSQL (``make bench-load``).

Creates a fresh PostgreSQL schema (127.0.0.1:5432, ``--postgres`` to override) with one shared
workshop, then two parts, both read back from the database at the end:

1. **Writes** (the numbers to hold): ``--sessions`` concurrent sessions (threads, each its own
   signed-in person through the app's repositories, the code behind the Save buttons, on the
   app's engine and pool) each save ``--scenarios`` value-for-money scenarios under their own
   names and submit ``--ratings`` workshop ratings, interleaved.
2. **Through the pages**: the app on a loopback port over the same schema, ``--sessions`` headless
   Chromium sessions opened at once (the server's memory with one session and with all open),
   each saving ``--page-scenarios`` scenarios (type the name, press Save scenario, wait for
   "Saved") and ``--page-ratings`` ratings (pick two ratings, submit, wait for the confirmation).

It reports lost writes (confirmed, not in the database) and duplicated writes (in the database
more often than confirmed), the save times (median, p95, max) and the server memory per extra
session. Not part of the test suite; the numbers depend on the machine. Exit status 1 if any
write was lost or duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, SERVER, server_rss, streamlit_server  # noqa: E402

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def _session(browser, base: str, s: int, scenarios: int, ratings: int, barriers: list[str], workshop_id: int, out: dict, opened: asyncio.Event,
                   go: asyncio.Event) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(600_000)  # under load a page may take minutes: measured, not failed
    page = await context.new_page()
    try:
        await page.goto(f"{base}/value", timeout=600_000)
        await page.get_by_role("button", name="Save scenario").wait_for(timeout=600_000)
        opened.set()
        await go.wait()
        box = page.get_by_label("Save as")
        for j in range(scenarios):
            name = f"page-s{s:02d}-n{j:03d}"
            await box.fill(name)
            await box.press("Enter")
            start = time.perf_counter()
            await page.get_by_role("button", name="Save scenario").click()
            await page.get_by_text(f"Saved '{name}'").first.wait_for(timeout=600_000)
            out["scenario_times"].append(time.perf_counter() - start)
            out["scenarios_confirmed"].add(name)
        await page.goto(f"{base}/barriers", timeout=600_000)
        await page.get_by_role("tab", name="Local prioritisation workshop").click()
        await page.get_by_role("button", name="Submit my ratings").wait_for(timeout=600_000)
        for k in range(ratings):
            barrier = barriers[k % len(barriers)]
            participant = page.get_by_label("Your initials or role (optional, no names)")
            await participant.fill(f"P{s:02d}")
            await page.locator(f".st-key-a_{workshop_id}_{barrier} button", has_text=str(1 + k % 5)).click()
            await page.locator(f".st-key-c_{workshop_id}_{barrier} button", has_text=str(1 + (k + 2) % 5)).click()
            start = time.perf_counter()
            await page.get_by_role("button", name="Submit my ratings").click()
            await page.get_by_text("Saved ratings of 1 barriers").first.wait_for(timeout=600_000)
            out["rating_times"].append(time.perf_counter() - start)
            out["ratings_confirmed"][(f"P{s:02d}", barrier)] = out["ratings_confirmed"].get((f"P{s:02d}", barrier), 0) + 1
            await page.get_by_text("Saved ratings of 1 barriers").first.wait_for(state="hidden", timeout=30_000)
    except Exception as exc:  # reported, not raised: the others go on
        out["errors"].append(f"session {s}: {type(exc).__name__}: {str(exc)[:300]}")
    finally:
        out["contexts"].append(context)


async def _run(base: str, port: int, args, barriers: list[str], workshop_id: int) -> dict:
    from playwright.async_api import async_playwright

    out = {"scenario_times": [], "rating_times": [], "scenarios_confirmed": set(), "ratings_confirmed": {}, "errors": [], "contexts": []}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        opened = [asyncio.Event() for _ in range(args.sessions)]
        go = asyncio.Event()
        tasks = []
        for s in range(args.sessions):
            tasks.append(asyncio.create_task(_session(browser, base, s, args.page_scenarios, args.page_ratings, barriers, workshop_id, out, opened[s], go)))
            if s == 0:
                await opened[0].wait()
                await asyncio.sleep(2)
                out["rss_one"] = server_rss(port)
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in opened)), timeout=600)
        await asyncio.sleep(2)
        out["rss_all"] = server_rss(port)
        started = time.perf_counter()
        go.set()
        await asyncio.gather(*tasks)
        out["elapsed"] = time.perf_counter() - started
        out["rss_end"] = server_rss(port)
        await browser.close()
    return out


def _writes(url: str, args, barriers: list[str], workshop_id: int) -> dict:
    """Part 1: concurrent sessions writing through the repositories on the app's engine."""
    from concurrent.futures import ThreadPoolExecutor

    from data_access.access import Actor
    from data_access.db import get_engine
    from data_access.repositories import BarrierRepository, ScenarioRepository
    from dashboard import vfm

    engine = get_engine(url)  # the app's engine for this URL: one pool shared by every session, as in the server
    inputs = vfm.Inputs.from_defaults(28055).to_json()
    regions = {"E54000050": "NENC"}.get
    out = {"scenario_times": [], "rating_times": [], "scenarios_confirmed": set(), "ratings_confirmed": {}, "errors": []}

    def session(s: int) -> None:
        person = Actor(f"load.user{s:02d}@nhs.net", "editor", frozenset({"NENC"}))
        scenarios, barriers_repo = ScenarioRepository(engine, person, regions), BarrierRepository(engine, person, regions)
        plan = [("scenario", j) for j in range(args.scenarios)] + [("rating", k) for k in range(args.ratings)]
        plan.sort(key=lambda step: step[1] / (args.scenarios if step[0] == "scenario" else max(1, args.ratings)))  # interleaved
        for kind, j in plan:
            start = time.perf_counter()
            try:
                if kind == "scenario":
                    name = f"load-s{s:02d}-n{j:03d}"
                    scenarios.save(name, "E54000050", inputs)
                    out["scenario_times"].append(time.perf_counter() - start)
                    out["scenarios_confirmed"].add(name)
                else:
                    barrier = barriers[j % len(barriers)]
                    barriers_repo.rate(workshop_id, barrier, 1 + j % 5, 1 + (j + 2) % 5, f"S{s:02d}")
                    out["rating_times"].append(time.perf_counter() - start)
                    key = (f"S{s:02d}", barrier)
                    out["ratings_confirmed"][key] = out["ratings_confirmed"].get(key, 0) + 1
            except Exception as exc:  # reported, not raised
                out["errors"].append(f"session {s} {kind} {j}: {type(exc).__name__}: {str(exc)[:200]}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.sessions) as pool:
        list(pool.map(session, range(args.sessions)))
    out["elapsed"] = time.perf_counter() - started
    return out


def _check(engine, workshop_id: int, prefix: str, participants: str, out: dict) -> dict:
    """Lost and duplicated writes: what the sessions were told was saved against the database."""
    from sqlalchemy import func, select

    from data_access import db

    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(select(db.scenarios.c.name).where(db.scenarios.c.name.like(f"{prefix}-%")))]
        rows = conn.execute(select(db.ratings.c.participant, db.ratings.c.barrier_id, func.count())
                            .where((db.ratings.c.workshop_id == workshop_id) & db.ratings.c.participant.like(f"{participants}%"))
                            .group_by(db.ratings.c.participant, db.ratings.c.barrier_id)).all()
    stored = {(p, b): n for p, b, n in rows}
    return {
        "scenario_rows": len(names),
        "lost_scenarios": len(out["scenarios_confirmed"] - set(names)),
        "duplicated_scenarios": len(names) - len(set(names)) + len(set(names) - out["scenarios_confirmed"]),
        "rating_rows": sum(stored.values()),
        "lost_ratings": sum(max(0, n - stored.get(k, 0)) for k, n in out["ratings_confirmed"].items()),
        "duplicated_ratings": sum(max(0, n - out["ratings_confirmed"].get(k, 0)) for k, n in stored.items()),
    }


def _times(values: list[float]) -> str:
    if not values:
        return "none"
    return f"median {statistics.median(values) * 1000:,.0f} ms, p95 {_p(values, 0.95) * 1000:,.0f} ms, max {max(values) * 1000:,.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--scenarios", type=int, default=50)
    parser.add_argument("--ratings", type=int, default=20)
    parser.add_argument("--page-scenarios", type=int, default=2)
    parser.add_argument("--page-ratings", type=int, default=1)
    parser.add_argument("--postgres", default=POSTGRES_URL)
    args = parser.parse_args()

    from sqlalchemy import create_engine, text

    from data_access import db
    from data_access.repositories import BarrierRepository
    from dashboard import bcw
    from tests.browser import free_port

    schema = f"pair_atlas_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.postgres)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{args.postgres}?options=-csearch_path%3D{schema}"
    try:
        engine = create_engine(url)
        db.migrate(engine)
        workshop_id = BarrierRepository(engine).open_workshop("Load test workshop", "E54000050", "NENC ICB")
        barriers = [b.id for b in bcw.shipped_barriers()]
        print(f"Part 1: {args.sessions} sessions at once, each {args.scenarios} scenario saves and {args.ratings} ratings (PostgreSQL schema {schema})",
              flush=True)
        writes = _writes(url, args, barriers, workshop_id)
        writes_check = _check(engine, workshop_id, "load", "S", writes)
        print(f"Part 2: {args.sessions} browser sessions at once, each {args.page_scenarios} scenario saves and {args.page_ratings} ratings through the pages",
              flush=True)
        port = free_port()
        with streamlit_server(SERVER, env={"PAIR_ATLAS_DATABASE_URL": url}, port=port, timeout=120):
            pages = asyncio.run(_run(f"http://127.0.0.1:{port}", port, args, barriers, workshop_id))
        pages_check = _check(engine, workshop_id, "page", "P", pages)
        engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    n = args.sessions
    per_session = (pages["rss_all"] - pages["rss_one"]) / max(1, n - 1)
    rows = [
        ("**Part 1: writes**", ""),
        ("scenario saves confirmed / rows in PostgreSQL", f"{len(writes['scenarios_confirmed']):,} of {n * args.scenarios:,} / {writes_check['scenario_rows']:,}"),
        ("scenario writes lost / duplicated", f"{writes_check['lost_scenarios']} / {writes_check['duplicated_scenarios']}"),
        ("workshop ratings confirmed / rows in PostgreSQL", f"{sum(writes['ratings_confirmed'].values()):,} of {n * args.ratings:,} / {writes_check['rating_rows']:,}"),
        ("rating writes lost / duplicated", f"{writes_check['lost_ratings']} / {writes_check['duplicated_ratings']}"),
        ("scenario save time", _times(writes["scenario_times"])),
        ("rating save time", _times(writes["rating_times"])),
        ("all saves, p95", f"{_p(writes['scenario_times'] + writes['rating_times'], 0.95) * 1000:,.0f} ms" if writes["scenario_times"] else "none"),
        ("wall time", f"{writes['elapsed']:.1f} s"),
        ("**Part 2: through the pages**", ""),
        ("scenario saves confirmed / rows in PostgreSQL", f"{len(pages['scenarios_confirmed']):,} of {n * args.page_scenarios:,} / {pages_check['scenario_rows']:,}"),
        ("scenario writes lost / duplicated", f"{pages_check['lost_scenarios']} / {pages_check['duplicated_scenarios']}"),
        ("workshop ratings confirmed / rows in PostgreSQL", f"{sum(pages['ratings_confirmed'].values()):,} of {n * args.page_ratings:,} / {pages_check['rating_rows']:,}"),
        ("rating writes lost / duplicated", f"{pages_check['lost_ratings']} / {pages_check['duplicated_ratings']}"),
        ("scenario save, click to 'Saved' on screen", _times(pages["scenario_times"])),
        ("rating submit, click to confirmation on screen", _times(pages["rating_times"])),
        ("wall time", f"{pages['elapsed']:.0f} s"),
        (f"server memory: one session / {n} sessions / after the saves", f"{pages['rss_one'] / 2**20:.0f} / {pages['rss_all'] / 2**20:.0f} / {pages['rss_end'] / 2**20:.0f} MB"),
        ("server memory per extra session", f"{per_session / 2**20:.1f} MB"),
    ]
    print()
    print("| measure | value |")
    print("|---|---|")
    for label, value in rows:
        print(f"| {label} | {value} |")
    for error in writes["errors"] + pages["errors"]:
        print("error:", error)
    bad = any(v for k, v in {**writes_check, **pages_check}.items() if k.startswith(("lost", "duplicated"))) or writes["errors"] or pages["errors"]
    bad = bad or len(writes["scenarios_confirmed"]) < n * args.scenarios or len(pages["scenarios_confirmed"]) < n * args.page_scenarios
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
