"""PAIR Atlas's server: ``streamlit run dashboard/server.py`` (``make run``) serves the app
(``dashboard/app.py``) through Streamlit's ASGI entry point (``st.App``), with two fixes to how
Streamlit 1.67 serves a page, each measured by ``bench/bench_pages.py``:

* A page opened by its own address (``/map``: a bookmark, a link in an email or a briefing) is
  given Streamlit's page with the server's address written in before Streamlit's scripts
  (``window.__streamlit.BACKEND_BASE_URL``, the frontend's setting for where its server is).
  Without it, the page first looks for its server at the page's own path
  (``/map/_stcore/health``, a 404), waits 100 ms, then tries the root (streamlit/streamlit#7074).
  Only the app's own page addresses are answered here (under ``server.baseUrlPath`` when set);
  the root, Streamlit's routes and the static files are Streamlit's as before, and the page is
  Streamlit's own ``index.html``, read once, with that one script added.
* Nagle's algorithm is turned off on the server's socket (:func:`no_delay_on_listeners`): a
  response written in two parts (headers, then a small body) otherwise waited 40 ms for the
  browser's delayed acknowledgement, the health check each page waits for before it connects
  among them.

Together: the map page drawn 0.27 s sooner, the other pages loaded 0.15-0.2 s sooner.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

import streamlit as st
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from dashboard.ui.nav import PAGES

APP = Path(__file__).resolve().parent / "app.py"
INDEX = Path(st.__file__).resolve().parent / "static" / "index.html"
#: the server is at the folder of the page's address (``/map`` -> ``/``; behind a proxy at
#: ``/atlas/map`` -> ``/atlas/``): set before Streamlit's scripts, which read it as they load
SERVER_AT = "<script>window.__streamlit = { BACKEND_BASE_URL: new URL('.', window.location.href).href };</script>"


def page_html(index: str) -> str:
    """Streamlit's page with the server's address written in first thing in its head."""
    head = index.find("<head>")
    if head < 0:  # not the page this was written for: leave it as it is
        return index
    at = head + len("<head>")
    return index[:at] + SERVER_AT + index[at:]


_PAGE = page_html(INDEX.read_text(encoding="utf-8"))


async def _page(request) -> Response:
    # not cached, as Streamlit serves its page: a new version of the app is picked up at once
    return HTMLResponse(_PAGE, headers={"Cache-Control": "no-cache"})


def no_delay_on_listeners() -> int:
    """Turn Nagle's algorithm off on the TCP sockets this process listens on (a connection
    accepted takes the listening socket's setting on Linux); returns how many. Streamlit binds its
    socket without naming TCP as the protocol (``socket.socket(family)``), and asyncio turns Nagle
    off only on sockets that name it, so each response written in two parts (its headers, then a
    small body: the health check, the favicon, a file's last part) waited for the browser's
    delayed acknowledgement, 40 ms. Where the sockets cannot be listed (no ``/proc``), nothing
    changes."""
    count = 0
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError, ValueError):
                if not os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                    continue
                with socket.socket(fileno=os.dup(int(name))) as sock:  # a second handle on the same socket, closed after
                    if (sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM
                            and sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)):
                        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                        count += 1
    return count


@contextlib.asynccontextmanager
async def _lifespan(app):
    no_delay_on_listeners()  # `streamlit run` binds its socket before the app starts (a socket uvicorn binds itself has no delay already)
    yield None


def fixes(page_paths: list[str]) -> dict:
    """``st.App``'s arguments for both fixes: ``page_paths`` (an app's pages' addresses but the
    root's) answered with the page that knows where its server is, and no delay on the server's
    socket. (``streamlit run`` finds an ``st.App`` by reading the file, so each entry point calls
    ``st.App`` itself; the benchmark serves its reference pages this way too.)"""
    from streamlit import config

    # behind a proxy at a path (server.baseUrlPath), Streamlit's own routes are under it: so are these
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return {"lifespan": _lifespan, "routes": [Route(f"{prefix}/{path}", _page, methods=["GET", "HEAD"]) for path in page_paths]}


#: the app's own page addresses (the default page is the root, which needs no help)
PAGE_PATHS = [path for path in (*PAGES, "meeting") if path != "overview"]
app = st.App(APP, **fixes(PAGE_PATHS))
