"""The app's server (dashboard/server.py): the page opened by its own address finds its server at
once, and the server's socket sends small responses without waiting (no Nagle)."""

from __future__ import annotations

import asyncio.base_events
import socket

from dashboard import server
from tests.browser import wait_rendered


def test_the_page_sets_the_servers_address_before_streamlits_scripts():
    index = server.INDEX.read_text(encoding="utf-8")
    page = server.page_html(index)
    assert page.count(server.SERVER_AT) == 1
    # an inline script in the head runs before Streamlit's module scripts, which read the setting as they load
    assert page.index(server.SERVER_AT) < page.index('<script type="module"')
    assert page.replace(server.SERVER_AT, "") == index  # Streamlit's page otherwise as it is
    # every page of the app but the root (which needs no help) is answered, the meeting page too
    assert sorted(server.PAGE_PATHS) == ["barriers", "briefing", "map", "meeting", "reach", "sources", "value"]


def test_behind_a_proxy_path_the_pages_are_answered_under_it():
    from streamlit import config

    before = config.get_option("server.baseUrlPath")
    try:
        config.set_option("server.baseUrlPath", "/atlas/")
        assert [route.path for route in server.fixes(["map", "reach"])["routes"]] == ["/atlas/map", "/atlas/reach"]
        config.set_option("server.baseUrlPath", "")
        assert [route.path for route in server.fixes(["map"])["routes"]] == ["/map"]
    finally:
        config.set_option("server.baseUrlPath", before)


def _accepted(listener: socket.socket) -> tuple[socket.socket, socket.socket]:
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    return client, accepted


def test_the_listening_socket_sends_without_delay():
    # bound as Streamlit binds its socket: without naming TCP as the protocol
    with socket.socket(family=socket.AF_INET) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        client, accepted = _accepted(listener)
        asyncio.base_events._set_nodelay(accepted)  # what asyncio does with each connection: nothing, for such a socket
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        client.close(), accepted.close()

        assert server.no_delay_on_listeners() >= 1
        client, accepted = _accepted(listener)
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        client.close(), accepted.close()


def test_a_page_opened_by_its_address_asks_the_server_at_the_root_only(server, page):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{server}/reach?region=NENC")
    wait_rendered(page)
    assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Baby clinic reach"
    assert page.get_by_role("radio", name="NENC", exact=True).is_checked()  # the address's query kept
    health = [url for url in asked if "/_stcore/health" in url]
    assert health and all(url.startswith(f"{server}/_stcore/") for url in health), health
    assert not [url for url in asked if "/reach/_stcore/" in url]  # not first at the page's own path (a 404, then 100 ms)
    assert not page.outside
