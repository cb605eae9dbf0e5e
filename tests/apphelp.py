"""Opening a page of the app under AppTest, the same way in every page test."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
#: URL values of the region control -> its options (the URL carries the short label).
REGION_VALUES = {"Both ICBs": "Both", "Both": "Both", "NENC": "NENC", "BNSSG": "BNSSG"}


def open_page(page: str | None, timeout: float = 180, **query) -> AppTest:
    """Run the app with ``query`` in the URL, switch to ``pages/<page>.py``, fail on an exception.

    AppTest must run the default page (Overview) once before it can switch; that run creates the
    Overview's own URL-bound widgets (the region), whose state the next page's widget of the
    same key then keeps. As a browser opening the link on the page itself would, the region
    from the URL is put into that state before switching (and the page run once more, as
    AppTest's first run after a switch sends the previous page's widget states). The browser
    tests open the URL itself.
    """
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        if "region" in query:
            at.session_state["region"] = REGION_VALUES[query["region"]]
        at.switch_page(f"../pages/{page}.py").run()
        if "region" in query:
            at.run()  # AppTest's first run after a switch still reads the previous page's widget ids
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(text: str) -> str:
    """Markdown as a reader sees it: backslash escapes removed, spaces folded."""
    import re

    return re.sub(r"\s+", " ", re.sub(r"\\(.)", r"\1", text)).strip()


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


class Shown:
    """A table as the page shows it: ``value`` (a DataFrame of the shown text, with the column labels) and ``key``."""

    def __init__(self, value, key: str = ""):
        self.value, self.key = value, key


def _html_tables(body: str) -> list[Shown]:
    """The HTML tables of ``dashboard/ui/show.py`` in an ``st.html`` body, read back as text."""
    from html.parser import HTMLParser

    import pandas as pd

    found = []

    class Reader(HTMLParser):
        key, rows, cell, in_cell = "", None, [], False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "div" and "data-table" in attrs:
                self.key = attrs["data-table"]
            elif tag == "table":
                self.rows = []
            elif tag == "tr" and self.rows is not None:
                self.rows.append([])
            elif tag in ("td", "th"):
                self.in_cell, self.cell = True, []

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.in_cell:
                self.rows[-1].append("".join(self.cell))
                self.in_cell = False
            elif tag == "table" and self.rows is not None:
                head, *body = self.rows
                found.append(Shown(pd.DataFrame(body, columns=head), self.key))
                self.rows = None

        def handle_data(self, data):
            if self.in_cell:
                self.cell.append(data)

    Reader(convert_charrefs=True).feed(body)
    return found


def tables(at) -> list[Shown]:
    """Every table in the page's main area, in order: Streamlit's grids (``st.dataframe``) and the
    short tables drawn as HTML (``dashboard/ui/show.py``)."""
    out = []
    for node in _walk(at.main):
        kind = getattr(node, "type", "")
        if kind in ("arrow_data_frame", "dataframe"):
            out.append(Shown(node.value, getattr(node, "key", "") or ""))
        elif kind == "html" and 'data-table="' in node.proto.body:
            out += _html_tables(node.proto.body)
    return out


def charts(at) -> dict[str, str]:
    """The charts in the page's main area (drawn as SVG by ``dashboard/ui/show.py``): key -> the SVG drawing."""
    import json
    import re

    out = {}
    for node in _walk(at.main):
        if getattr(node, "type", "") == "html" and 'class="pair-chart"' in node.proto.body:
            body = node.proto.body
            key = re.search(r'data-chart="([^"]+)"', body)[1]
            out[key] = json.loads(re.search(r"innerHTML = (.*);</script>", body)[1])
    return out


def chart_summaries(at) -> dict[str, str]:
    """Each chart's text summary, shown under it in the chart's own element: key -> the text as read."""
    import re
    from html import unescape

    out = {}
    for node in _walk(at.main):
        if getattr(node, "type", "") == "html" and 'class="pair-chart"' in node.proto.body:
            body = node.proto.body
            summary = re.search(r'<p class="pair-summary">(.*?)</p>', body, re.S)
            out[re.search(r'data-chart="([^"]+)"', body)[1]] = unescape(summary[1]) if summary else ""
    return out


def metrics(at, where=None) -> dict[str, str]:
    """The figures shown as cards (``dashboard/ui/show.py: cards``) in the page's main area, or under
    ``where``: label -> value, as shown."""
    import re
    from html import unescape

    out = {}
    for node in _walk(where if where is not None else at.main):
        if getattr(node, "type", "") == "html" and 'class="pair-metrics"' in node.proto.body:
            for label, value in re.findall(r'<div class="pair-metric" role="listitem" data-label="([^"]*)">.*?<div class="value">([^<]*)</div>',
                                           node.proto.body):
                out[unescape(label)] = unescape(value)
    return out


def texts(at, where=None) -> list[str]:
    """The paragraphs of plain text drawn as HTML (``dashboard/ui/show.py: text``) in the page's main
    area, or under ``where``, as read (tags dropped, entities decoded)."""
    import re
    from html import unescape

    out = []
    for node in _walk(where if where is not None else at.main):
        body = getattr(node, "proto", None) is not None and getattr(node, "type", "") == "html" and node.proto.body
        for block in re.findall(r'<div class="pair-(?:text|caption)">(.*?)</div>', body or "", re.S):
            out += [unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", block, re.S)]
    return out
