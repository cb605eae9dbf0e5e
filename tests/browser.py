"""Helpers to run the app as a real server and drive Debian's Chromium with Playwright.

Shared by the browser tests and the benchmark. Chromium is never downloaded: Playwright
launches ``/usr/bin/chromium`` (``PAIR_ATLAS_CHROMIUM`` to override).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
#: the app as `make run` serves it (dashboard/server.py: the app through st.App, with its server fixes)
SERVER = ROOT / "dashboard" / "server.py"
CHROMIUM = os.environ.get("PAIR_ATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(script: Path, env: dict | None = None, timeout: float = 60.0, args: tuple[str, ...] = (), port: int | None = None):
    """Run ``streamlit run script`` on a loopback port (free, unless given) with extra
    command-line ``args``; yield its base URL."""
    port = port or free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", *args,
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode(errors="replace") if proc.poll() is not None else ""
                raise RuntimeError(f"Streamlit did not start for {script}: {out[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def server_rss(port: int) -> int:
    """Resident memory (bytes) of the process listening on ``port`` (psutil, the bench extra)."""
    import psutil

    for proc in psutil.process_iter():
        try:
            if any(c.laddr.port == port and c.status == psutil.CONN_LISTEN for c in proc.net_connections("tcp")):
                return proc.memory_info().rss
        except (psutil.AccessDenied, psutil.NoSuchProcess):
            continue
    raise RuntimeError(f"no process listens on {port}")


def is_loopback(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return parsed.hostname in LOOPBACK


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


RENDERED_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main || document.querySelector('[data-testid="stStatusWidget"]')) return false;
    if (main.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')) return false;
    const grids = [...main.querySelectorAll('[data-testid="stDataFrame"]')].filter(el => el.checkVisibility());
    if (!grids.every(el => el.querySelector('canvas, table'))) return false;
    if ([...main.querySelectorAll('.pair-chart')].some(el => !el.querySelector('svg'))) return false;  // charts drawn (dashboard/ui/show.py)
    return main.querySelectorAll('[data-testid="stElementContainer"]').length;
}"""


def wait_rendered(page, timeout_ms: int = 60000, settle_ms: int = 300, poll_ms: int = 50) -> float:
    """Wait until Streamlit has finished running the script and drawn every element.

    Rendered means: no "running" status widget, no skeleton or stale element, every table's
    grid and every chart drawn, and the same number of elements for ``settle_ms`` (a bound widget read from
    the URL can trigger a second run just after the first). Returns the ``time.monotonic()``
    at which the page first reached that final rendered state.
    """
    page.wait_for_selector('[data-testid="stMain"] h1, [data-testid="stException"], [data-testid="stAlert"]', timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    previous, since = None, None
    while time.monotonic() < deadline:
        count = page.evaluate(RENDERED_JS)
        now = time.monotonic()
        if count and count == previous:
            if now - since >= settle_ms / 1000:
                return since
        else:
            previous, since = count, now
        page.wait_for_timeout(poll_ms)
    raise TimeoutError("the page did not finish rendering")
