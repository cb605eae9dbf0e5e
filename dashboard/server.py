"""PAIR Atlas's server: ``streamlit run dashboard/server.py`` (``make run``) serves the app
(``dashboard/app.py``) through Streamlit's ASGI entry point (``st.App``), with three fixes to how
Streamlit 1.67 serves a page, each measured by ``bench/bench_pages.py``:

* A page opened by its own address (``/map``: a bookmark, a link in an email or a briefing) is
  given Streamlit's page with the server's address written in before Streamlit's scripts
  (``window.__streamlit.BACKEND_BASE_URL``, the frontend's setting for where its server is).
  Without it, the page first looks for its server at the page's own path
  (``/map/_stcore/health``, a 404), waits 100 ms, then tries the root (streamlit/streamlit#7074).
  Only the app's own page addresses and the root are answered here (under ``server.baseUrlPath``
  when set); Streamlit's routes and the static files are Streamlit's as before, and the page is
  Streamlit's own ``index.html``, read once, with this script and the next added.
* Nagle's algorithm is turned off on the server's socket (:func:`no_delay_on_listeners`): a
  response written in two parts (headers, then a small body) otherwise waited 40 ms for the
  browser's delayed acknowledgement, the health check each page waits for before it connects
  among them.
* The messages of a run reach Streamlit's page together (:data:`TOGETHER`). Streamlit sends each
  element as its own message and the page redraws everything it shows (the navigation, every
  panel, every element) for each group of messages it has been given; the messages of one run
  arrive over 20-40 ms, so a run was drawn three to five times over, each 30-40 ms on the Barriers
  page. After the page's first run, the page is handed a run's messages at once: at its last
  message, or when none has come for 10 ms (a run that pauses to compute shows what it has), or
  100 ms after the first held (a long run still shows as it goes). Nothing is dropped or reordered.
  The first run (the page's load) is given each message as it comes, as before: the browser draws
  its first elements while the server makes the rest (held, the Overview loaded 85-90 ms later in
  two paired runs, the Barriers page 50 ms sooner).

Together: the map page drawn 0.27 s sooner, the other pages loaded 0.15-0.2 s sooner; the Barriers
page's BCW matrix change drawn in 0.11 s, not 0.19 s (pointer down to drawn, in Chromium, paired).
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


#: Streamlit's messages handed to its page together (see the module's note). Streamlit's page
#: listens to its connection (``/_stcore/stream``) with ``addEventListener("message", ...)``:
#: that one listener is given the messages held, in order, in one task, so the page draws them
#: once; the connection's first run's messages are handed on one by one, as they come. A run's
#: last message is the session's status with no script running (``ForwardMsg.session_status_changed``,
#: field 9: the byte 0x4a, a length, then ``SessionStatus`` without ``script_is_running``, its
#: field 2, whose tag is 0x10; a run starts with ``4a 02 10 01`` and ends with ``4a 00``). Held
#: messages are handed on before the connection's close is seen. ``window.pairAtlasMessages``
#: counts messages and hand-overs (the browser tests read it).
TOGETHER = """<script>(() => {
  const QUIET = 10, LONGEST = 100, add = WebSocket.prototype.addEventListener;
  const count = window.pairAtlasMessages = { received: 0, handed: 0 };
  WebSocket.prototype.addEventListener = function (type, listener, options) {
    if (type !== "message" || typeof listener !== "function" || !String(this.url).endsWith("/_stcore/stream")) {
      return add.call(this, type, listener, options);
    }
    let held = [], timer = 0, first = 0, loaded = false;
    const hand = () => {
      clearTimeout(timer);
      const events = held;
      held = [];
      if (!events.length) return;
      count.handed += 1;
      for (const event of events) {
        try { listener.call(this, event); } catch (error) { setTimeout(() => { throw error; }); }
      }
    };
    add.call(this, "close", hand);
    add.call(this, "message", event => {
      const data = event.data, now = performance.now();
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : [];
      const last = bytes.length >= 2 && bytes.length <= 6 && bytes[0] === 0x4a && bytes[1] === bytes.length - 2 && !bytes.includes(0x10, 2);
      count.received += 1;
      if (!loaded) {  // the connection's first run (the page's load): each message as it comes
        loaded = last;
        count.handed += 1;
        return listener.call(this, event);
      }
      if (!held.length) first = now;
      held.push(event);
      if (last || now - first >= LONGEST) hand();
      else { clearTimeout(timer); timer = setTimeout(hand, QUIET); }
    }, options);
  };
})();</script>"""


def page_html(index: str) -> str:
    """Streamlit's page with the server's address and :data:`TOGETHER` written in first thing in
    its head (inline scripts there run before Streamlit's module scripts, which connect)."""
    head = index.find("<head>")
    if head < 0:  # not the page this was written for: leave it as it is
        return index
    at = head + len("<head>")
    return index[:at] + SERVER_AT + TOGETHER + index[at:]


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
    """``st.App``'s arguments for the fixes: the root and ``page_paths`` (an app's pages' addresses
    but the root's) answered with the page that knows where its server is and is handed a run's
    messages together, and no delay on the server's socket. (``streamlit run`` finds an ``st.App``
    by reading the file, so each entry point calls ``st.App`` itself; the benchmark serves its
    reference pages this way too.)"""
    from streamlit import config

    # behind a proxy at a path (server.baseUrlPath), Streamlit's own routes are under it: so are these
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return {"lifespan": _lifespan, "routes": [Route(f"{prefix}/{path}", _page, methods=["GET", "HEAD"]) for path in ["", *page_paths]]}


#: the app's own page addresses but the root's (answered as well, by :func:`fixes`)
PAGE_PATHS = [path for path in (*PAGES, "meeting") if path != "overview"]
app = st.App(APP, **fixes(PAGE_PATHS))
