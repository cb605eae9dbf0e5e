"""The one display path: every table, chart, metric and headline a page, a meeting step or the
pack shows comes from a :class:`~dashboard.viewmodel.View` and is laid out here.

:func:`table` refuses a table whose counts of people did not go through suppression; numbers are
formatted by :mod:`dashboard.formatting` (through the view's tables) and every table and chart
leaves with its downloads and source footer (through :mod:`dashboard.exports`).
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from collections import OrderedDict

import streamlit as st

from dashboard import charts as specs
from dashboard.exports import chart_image, csv_bytes, table_xlsx, with_footer
from dashboard.viewmodel import Chart, Table, View


_MD_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~$])")


def escape_md(text: str) -> str:
    """Data shown inside markdown: markup characters escaped, so data never renders as markdown."""
    return _MD_MARKUP.sub(r"\\\1", str(text))


_MD_TOKENS = re.compile(r"(\\.|\*\*|\*|\n\n)", re.S)


def md_html(text: str) -> str:
    """The little markdown the app writes itself, as HTML: backslash escapes (:func:`escape_md`),
    **bold**, *italics*, and paragraphs (a blank line); every other character is text, HTML-escaped.
    Bold or italics left open are closed at the end of their paragraph."""
    from html import escape

    out, open_tags = ["<p>"], []
    for i, token in enumerate(_MD_TOKENS.split(text)):
        if i % 2 == 0:  # text between the marks
            out.append(escape(token))
        elif token[0] == "\\":
            out.append(escape(token[1]))
        elif token == "\n\n":
            out.append("".join(f"</{t}>" for t in reversed(open_tags)) + "</p><p>" + "".join(f"<{t}>" for t in open_tags))
        else:
            tag = "strong" if token == "**" else "em"
            if tag in open_tags:  # closed, with any opened inside it, which open again after it
                inner = open_tags[open_tags.index(tag) + 1:]
                out.append("".join(f"</{t}>" for t in reversed(inner)) + f"</{tag}>" + "".join(f"<{t}>" for t in inner))
                open_tags.remove(tag)
            else:
                out.append(f"<{tag}>")
                open_tags.append(tag)
    out.append("".join(f"</{t}>" for t in reversed(open_tags)) + "</p>")
    return "".join(out)


def text_html(body: str, small: bool = False) -> str:
    """:func:`text` as HTML, to put in a block with other markup."""
    return f'<div class="{"pair-caption" if small else "pair-text"}">{md_html(body)}</div>'


def text(body: str, small: bool = False, width: int | str = "stretch", caption: str = "") -> None:
    """A paragraph (``small``: a caption) of the app's own markdown (:func:`md_html`), and ``caption``
    as a caption under it, as plain HTML in one element: nothing for the browser to parse as
    markdown (each markdown element took the browser 10-15 ms of a page's first screen)."""
    st.html(text_html(body, small) + (text_html(caption, True) if caption else ""), width=width)


def headline_and_metrics(view: View, columns: int | None = None) -> None:
    """:func:`headline` (plain) and :func:`metrics` (``columns`` as there), in one element when the view
    has no caveat (one element fewer for the browser to draw); with caveats, their flags come between, as always."""
    if view.caveats:
        headline(view, plain=True)
        metrics(view, columns)
        return
    st.html(text_html(escape_md(view.summary)) + cards_html(_metric_cards(view), _columns(view, columns)))


def headline(view: View, large: bool = False, plain: bool = False) -> None:
    """The view's sentence, then its caveat flags (``plain``: the sentence as plain HTML, :func:`text`)."""
    if large:
        st.markdown(f"<p style='font-size:1.6rem;line-height:1.35;margin:0 0 0.6rem 0'>{_html(view.summary)}</p>", unsafe_allow_html=True)
    elif plain:
        text(escape_md(view.summary))
    else:
        st.markdown(escape_md(view.summary))
    for caveat in view.caveats:
        st.warning(escape_md(caveat), icon=":material/science:")


_MD_ENTITIES = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~$"}


def _html(text: str) -> str:
    """Data inside an HTML snippet: HTML escaped, and markdown characters as entities (the
    snippet still passes through the markdown renderer)."""
    from html import escape

    return "".join(_MD_ENTITIES.get(c) or escape(c) for c in str(text))


def metrics(view: View, columns: int | None = None) -> None:
    """The view's metrics, each with its detail line, in rows of ``columns`` (:func:`_columns`)."""
    cards(_metric_cards(view), _columns(view, columns))


def _columns(view: View, columns: int | None) -> int:
    """``columns``, else the view's metrics in one row up to four, else three a row (five in one row cut their labels at 1280 px)."""
    n = len(view.metrics)
    return columns or (n if n <= 4 else 3)


def _metric_cards(view: View) -> list[tuple[str, str, str, str]]:
    """The view's metrics as cards: (label, value, help, detail)."""
    return [(m.label, m.text, m.help, m.detail) for m in view.metrics]


def cards(items: list[tuple[str, str, str, str]], columns: int) -> None:
    """Figures as cards in one HTML block, ``columns`` a row: each (label, value, help, detail).

    Plain markup (a list of labelled values, read in order by a screen reader; the help is a
    keyboard-reachable mark whose accessible name carries the text, shown on hover and focus):
    no metric widget to load in the browser. Every text is escaped."""
    st.html(cards_html(items, columns))


def cards_html(items: list[tuple[str, str, str, str]], columns: int) -> str:
    """:func:`cards` as HTML, to put in a block with other markup."""
    from html import escape

    def card(label: str, value: str, help_text: str, detail: str) -> str:
        tip = (f' <span class="help" tabindex="0" role="note" aria-label="About {escape(label)}: {escape(help_text)}" data-tip="{escape(help_text)}">?</span>'
               if help_text else "")
        more = f'<div class="detail">{escape(detail)}</div>' if detail else '<div class="detail"></div>'
        return (f'<div class="pair-metric" role="listitem" data-label="{escape(label)}"><div class="label">{escape(label)}{tip}</div>'
                f'<div class="value">{escape(str(value))}</div>{more}</div>')

    return (f'<div class="pair-metrics" role="list" style="grid-template-columns:repeat({int(columns)},minmax(0,1fr))">'
            + "".join(card(*item) for item in items) + "</div>")


#: Tables up to this many rows are HTML tables (real table markup, read by screen readers, no grid
#: to load in the browser); longer ones are Streamlit's scrolling, sortable grid.
SHORT = 30
_CLASSES = {"text": "", "date": "", "link": ' class="long"', "code": ' class="code"'}


def html_table(t: Table, shown, key: str) -> str:
    """A formatted table as HTML: its column labels as headers, numbers right-aligned, every value escaped."""
    from html import escape

    kinds = [c.kind for c in t.columns]
    align = [_CLASSES.get(k, ' class="num"') for k in kinds]
    head = "".join(f'<th scope="col"{a}>{escape(str(label))}</th>' for label, a in zip(shown.columns, align))

    def cell(value, kind: str) -> str:
        text = escape(str(value))
        return f'<a href="{text}" target="_blank" rel="noopener">{text}</a>' if kind == "link" and text.startswith("https://") else text

    body = "".join("<tr>" + "".join(f"<td{a}>{cell(v, k)}</td>" for v, a, k in zip(row, align, kinds)) + "</tr>"
                   for row in shown.itertuples(index=False, name=None))
    # a region of its own, reachable by keyboard: a wide table scrolls sideways inside it
    return (f'<div class="pair-table" data-table="{escape(key)}" role="region" tabindex="0" aria-label="{escape(t.title)}">'
            f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>')


def table(t: Table, view: View | None, key: str, height: int | str = "auto", downloads: bool = True, rows: int | None = None,
          html: bool | None = None) -> None:
    """A view's table, formatted, with CSV and XLSX downloads carrying the view's footer: an HTML
    table when short (at most :data:`SHORT` rows and no set height) or ``html``, else a scrolling grid."""
    shown = _of_object(_FORMATTED, t, (), t.formatted)  # a table of a view shared through a cache: formatted once
    if rows is not None:
        shown = shown.head(rows)
    if html or (html is None and height == "auto" and len(shown) <= SHORT):
        st.html(_of_object(_TABLE_HTML, t, (key, rows), lambda: html_table(t, shown, key)))
    else:
        st.dataframe(shown, hide_index=True, key=key, height=height)
    if t.note and (t.mask is None or bool(t.mask.to_numpy().any())):  # the suppression note only where a cell is hidden
        st.caption(escape_md(t.note))
    if downloads:
        table_downloads(t, view, key)


def download_menu(what: str, title: str = ""):
    """A small "Download the <what>" button opening the download buttons (made in the browser
    only when opened: no download widget to load for the first screen)."""
    return st.popover(f"Download the {what}", icon=":material/download:", type="tertiary", help=title[:200] or None)


def table_downloads(t: Table, view: View, key: str) -> None:
    footer = view.footer()
    name = f"pair_atlas_{t.key}_{view.region}"

    def footed():  # made when a download is asked for, not on every run
        return with_footer(t.export(), footer)

    with download_menu("table", t.title):
        st.download_button(f"{t.title} (CSV)", lambda: csv_bytes(footed()), file_name=f"{name}.csv", mime="text/csv",
                           icon=":material/download:", key=f"{key}_csv", on_click="ignore")
        st.download_button(f"{t.title} (XLSX)", lambda: table_xlsx(footed()), file_name=f"{name}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:", key=f"{key}_xlsx", on_click="ignore")


def _of_object(store: dict, obj, extra: tuple, make):
    """A value worked out once for a live object (and ``extra``), kept by the object's identity while
    it lives: an object that a cache shares between reruns is worked out once."""
    known = store.get(id(obj))
    if known and known[0]() is obj and known[1] == extra:
        return known[2]
    value = make()
    store[id(obj)] = (weakref.ref(obj, lambda _, k=id(obj): store.pop(k, None)), extra, value)
    return value


#: id(chart) -> (a weak reference to it, (), its digest): a chart of a view shared through a cache is digested once.
_TOKENS: dict[int, tuple] = {}
#: id(table) -> (a weak reference, (), its formatted frame) / ((key, rows), its HTML): the same for a table.
_FORMATTED: dict[int, tuple] = {}
_TABLE_HTML: dict[int, tuple] = {}


def _token(c: Chart) -> str:
    """What a chart's drawing depends on, as a short digest: cheaper to compare than the chart's
    data frame, which Streamlit's cache would otherwise hash on every run."""
    return _of_object(_TOKENS, c, (), lambda: _digest(c))


def _digest(c: Chart) -> str:
    import hashlib

    described = json.dumps([c.key, c.spec, c.title, c.summary, c.options], default=str, sort_keys=True)
    return hashlib.sha256((described + c.data.to_json(orient="split", date_format="iso")).encode()).hexdigest()


class _Memo:
    """A small process-wide memo, least recently used out: shared, never changed values found by a
    dictionary lookup on a short key (Streamlit's cache hashes its arguments on every call, about a
    millisecond each, on every rerun for every chart)."""

    def __init__(self, size: int):
        self._size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key, make):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


_BUILT, _DRAWN, _PLACED = _Memo(128), _Memo(256), _Memo(256)


def _built(token: str, c: Chart):
    """The chart's Altair object, built once for the same chart (shared, never changed)."""
    return _BUILT.get(token, lambda: specs.build(c))


#: A chart's width in pixels when it has the page's width (it fits the main column at 1280 px and shrinks with a narrower one).
WIDE = 760


@st.cache_resource(show_spinner=False, max_entries=256)
def _drawing(spec: str, width: int | None, description: str) -> str:
    """An Altair chart's SVG, drawn once for the same spec and width (shared, never changed)."""
    return specs.svg(spec, width, description)


def _chart_drawing(token: str, width: int | None, c: Chart) -> str:
    """A view's chart as SVG, drawn once for the same chart and width."""
    return _DRAWN.get((token, width), lambda: specs.svg(_built(token, c).to_json(validate=False, indent=None), width, c.summary or c.title))


_RESPONSIVE = re.compile(r'<svg([^>]*?) width="([\d.]+)" height="[\d.]+"')


def _place(drawing: str, key: str, enlarge: float = 1.0, summary: str = "") -> None:
    """An SVG drawing placed in the page, at most ``enlarge`` times its own width (text and all)
    and shrinking with a narrower column (its ids made the page's own).

    ``st.html`` keeps only HTML elements (its sanitiser drops SVG), and markdown's raw HTML turns
    every node of the drawing into a React element (slow for a large chart): a one-line script
    puts the drawing in place with the browser's own parser. The drawing is Vega's, every text
    from the data escaped; inside the script it is JSON with "<" escaped, so nothing can end the script."""
    st.html(_PLACED.get((drawing, key, enlarge, summary), lambda: _placed(drawing, key, enlarge, summary)), unsafe_allow_javascript=True)


def _placed(drawing: str, key: str, enlarge: float, summary: str = "") -> str:
    from html import escape

    drawing = _RESPONSIVE.sub(lambda m: f'<svg{m[1]} width="100%" style="max-width:{float(m[2]) * enlarge:.0f}px;height:auto;display:block"',
                              specs.unique_ids(drawing, key), count=1)
    body = json.dumps(drawing).replace("<", "\\u003c")
    caption = f'<p class="pair-summary">Text summary: {escape(summary)}</p>' if summary else ""
    return f'<div class="pair-chart" data-chart="{key}"><script>document.currentScript.parentElement.innerHTML = {body};</script></div>{caption}'


#: id(chart object) -> (a weak reference to it, (width, description), its drawing): a chart object the
#: page keeps in a cache (the wheel, the matrices) is drawn without writing its spec out again.
_BY_OBJECT: dict[int, tuple] = {}


def _drawing_of(made, width: int | None, description: str) -> str:
    return _of_object(_BY_OBJECT, made, (width, description),
                      lambda: _drawing(made.to_json(validate=False, indent=None), width, description))


def figure(made, key: str, width: int | None = WIDE, description: str = "") -> None:
    """An Altair chart drawn as SVG on the server and placed in the page: no chart library to
    load in the browser. Each mark's figures show on hover and are read by screen readers;
    ``width`` in pixels (None: the chart's own)."""
    _place(_drawing_of(made, width, description), key)


def chart(c: Chart, view: View, key: str, downloads: bool = True, summary: bool = True, width: int | None = WIDE,
          enlarge: float = 1.0) -> None:
    """A view's chart (as SVG, see :func:`figure`), its text alternative beneath, and PNG / SVG
    downloads with the footer; ``enlarge``: up to so many times its drawn width where the column
    has room (a meeting's screen: larger text for a room)."""
    token = _token(c)
    made = _built(token, c)
    # the text summary under the drawing, in the same element (one element fewer for each chart on a rerun)
    _place(_chart_drawing(token, width, c), key, enlarge, c.summary if summary else "")
    if downloads:
        with download_menu("chart", c.title):
            _chart_buttons(c, made, view, key)


def chart_downloads(items: list[tuple[Chart, str]], view: View) -> None:
    """Several charts' PNG and SVG downloads (each ``(chart, key)`` as given to :func:`chart` with
    ``downloads=False``) in one small menu: one element to send on each rerun, not one a chart."""
    with download_menu("charts", "; ".join(c.title for c, _ in items)):
        for c, key in items:
            _chart_buttons(c, _built(_token(c), c), view, key)


def _chart_buttons(c: Chart, made, view: View, key: str) -> None:
    footer = view.footer()
    st.download_button(f"{c.title[:60]} (PNG)", lambda: chart_image(made, footer, "png"), file_name=f"pair_atlas_{c.key}_{view.region}.png",
                       mime="image/png", icon=":material/image:", key=f"{key}_png", on_click="ignore")
    st.download_button(f"{c.title[:60]} (SVG)", lambda: chart_image(made, footer, "svg"), file_name=f"pair_atlas_{c.key}_{view.region}.svg",
                       mime="image/svg+xml", icon=":material/image:", key=f"{key}_svg", on_click="ignore")


def notes(view: View, footer: bool = False, plain: bool = False) -> None:
    """The view's notes, and with ``footer`` its sources line after them, as one caption (one
    element, a paragraph each); ``plain``: as plain HTML (:func:`text`), nothing for the browser to
    parse as markdown."""
    lines = [escape_md(note) for note in view.notes] + (["**Sources.** " + escape_md(view.source) + "."] if footer else [])
    if lines and plain:
        text("\n\n".join(lines), small=True)
    elif lines:
        st.caption("\n\n".join(lines))


def footer(view: View, more: str = "") -> None:
    """The view's sources line, and ``more`` (plain text, escaped) as a paragraph after it, in one caption
    of plain HTML (:func:`text`)."""
    text("**Sources.** " + escape_md(view.source) + "." + ("\n\n" + escape_md(more) if more else ""), small=True)
