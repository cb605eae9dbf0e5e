"""The app's server (dashboard/server.py): the page opened by its own address finds its server at
once, the server's socket sends small responses without waiting (no Nagle), and the page is handed
a run's messages together."""

from __future__ import annotations

import asyncio.base_events
import socket

from dashboard import server
from tests.browser import wait_rendered


def test_the_page_sets_the_servers_address_before_streamlits_scripts():
    index = server.INDEX.read_text(encoding="utf-8")
    page = server.page_html(index)
    assert page.count(server.SERVER_AT) == 1 and page.count(server.TOGETHER) == 1
    # inline scripts in the head run before Streamlit's module scripts, which read the setting as they load and then connect
    assert page.index(server.SERVER_AT) < page.index('<script type="module"')
    assert page.index(server.TOGETHER) < page.index('<script type="module"')
    assert page.replace(server.SERVER_AT, "").replace(server.TOGETHER, "") == index  # Streamlit's page otherwise as it is
    # every page of the app but the root (which needs no help) is answered, the meeting page too
    assert sorted(server.PAGE_PATHS) == ["barriers", "briefing", "map", "meeting", "reach", "sources", "value"]


def test_behind_a_proxy_path_the_pages_are_answered_under_it():
    from streamlit import config

    before = config.get_option("server.baseUrlPath")
    try:
        config.set_option("server.baseUrlPath", "/atlas/")
        assert [route.path for route in server.fixes(["map", "reach"])["routes"]] == ["/atlas/", "/atlas/map", "/atlas/reach"]
        config.set_option("server.baseUrlPath", "")
        assert [route.path for route in server.fixes(["map"])["routes"]] == ["/", "/map"]
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


#: In a blank page: the script, then a connection named as Streamlit's (to a port where nothing
#: listens: it fails a little later, never within the one task the test's first steps run in) with
#: one listener; messages are dispatched to it as the network would.
TOGETHER_KNOWN_ANSWER = """async script => {
    eval(script.replace('<script>', '').replace('</script>', ''));
    const socket = new WebSocket('ws://127.0.0.1:9/_stcore/stream'), got = [];
    socket.addEventListener('message', event => got.push(new Uint8Array(event.data).join('.')));
    const send = (...bytes) => socket.dispatchEvent(new MessageEvent('message', { data: new Uint8Array(bytes).buffer }));
    send(0x4a, 2, 0x10, 1);                 // the first run (the page's load) starts: a script running...
    send(0x2a, 0);
    const loading = [...got];               // ...each message as it comes
    send(0x4a, 0);                          // its last message: the session's status, no script running
    got.length = 0;
    send(0x4a, 2, 0x10, 1); send(0x2a, 1);  // the next run
    const held = got.length;                // nothing yet: the run goes on
    send(0x4a, 0);                          // the run's last message
    const atLast = [...got];
    send(0x2a, 3);                          // a message with no last message after it
    const before = got.length;
    await new Promise(done => setTimeout(done, 300));
    return { loading, held, atLast, before, after: [...got], count: window.pairAtlasMessages };
}"""


def test_a_runs_messages_are_handed_on_together_in_order(page):
    page.goto("about:blank")
    result = page.evaluate(TOGETHER_KNOWN_ANSWER, server.TOGETHER)
    assert result["loading"] == ["74.2.16.1", "42.0"]
    assert result["held"] == 0
    assert result["atLast"] == ["74.2.16.1", "42.1", "74.0"]  # at the last message: all three, in order
    assert result["before"] == 3  # the next held...
    assert result["after"] == ["74.2.16.1", "42.1", "74.0", "42.3"]  # ...and handed on by itself soon after
    assert result["count"] == {"received": 7, "handed": 5}


def test_the_app_page_is_handed_a_reruns_messages_in_groups(server, page):
    # Streamlit's own page, connected through the script: its load's messages handed on as they come, a rerun's in a few groups
    page.goto(f"{server}/reach")
    wait_rendered(page)
    loaded = page.evaluate("window.pairAtlasMessages")
    assert loaded["received"] >= 20 and loaded["handed"] >= loaded["received"] * 0.8, loaded
    page.get_by_role("radio", name="BNSSG", exact=True).click()
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stMain] p')]"
                           ".some(p => p.textContent.startsWith('In ') && p.textContent.includes('Bristol'))")
    wait_rendered(page)
    rerun = page.evaluate("window.pairAtlasMessages")
    received, handed = rerun["received"] - loaded["received"], rerun["handed"] - loaded["handed"]
    assert received >= 10 and 1 <= handed <= received / 3, (received, handed)


def test_no_other_site_may_control_the_app(server):
    """Streamlit lets pages of its own hosting sites (*.streamlit.app and others) stop or rerun an
    app embedded in them; this app lists no such site (.streamlit/config.toml), so the page opens no
    channel for them and checks none of its own messages against a list."""
    import json
    import urllib.request

    with urllib.request.urlopen(f"{server}/_stcore/host-config", timeout=10) as response:
        assert json.load(response)["allowedOrigins"] == []
