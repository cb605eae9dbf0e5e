"""Charts for the Barriers page: the Behaviour Change Wheel and the matrices as heatmaps."""

from __future__ import annotations

import functools
import math

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import bcw

RINGS = {"COM-B": (30, 95), "Intervention functions": (99, 160), "Policy categories": (164, 225)}
ON = {"COM-B": "#003087", "Intervention functions": "#005EB8", "Policy categories": "#41B6E6"}
OFF = "#D8DDE0"
SHORT = {
    "Environmental restructuring": "Env.\nrestructuring", "Environmental/social planning": "Env./social\nplanning",
    "Communication/marketing": "Comms/marketing", "Physical capability": "Phys. capability",
    "Psychological capability": "Psych. capability", "Physical opportunity": "Phys. opportunity",
    "Social opportunity": "Soc. opportunity", "Reflective motivation": "Refl. motivation", "Automatic motivation": "Auto. motivation",
}


@st.cache_resource(show_spinner=False, max_entries=64)  # the same selection draws the same chart (shared, never changed)
def wheel_chart(components, functions, policies, title: str = "Behaviour Change Wheel") -> alt.LayerChart:
    """COM-B at the centre, intervention functions around it, policy categories outside;
    the segments the selection points to are coloured, the rest grey (and listed as text).
    Every segment's angles and radii are computed here (scale=None), so the rings line up."""
    frames = []
    for ring, frame in bcw.wheel_frames(components, functions, policies).items():
        inner, outer = RINGS[ring]
        n = len(frame)
        step = 2 * math.pi / n
        frame = frame.assign(
            t0=[i * step for i in range(n)], t1=[(i + 1) * step for i in range(n)], tm=[(i + 0.5) * step for i in range(n)],
            r0=inner, r1=outer, rm=(inner + outer) / 2,
            colour=[ON[ring] if s else OFF for s in frame["selected"]],
            text_colour=["white" if s else "#231F20" for s in frame["selected"]],
            label=frame["name"].replace(SHORT),
        )
        frames.append(frame)
    rings = pd.concat(frames, ignore_index=True)
    base = alt.Chart(rings)
    arcs = base.mark_arc(stroke="white", strokeWidth=2).encode(
        theta=alt.Theta("t0:Q", scale=None), theta2="t1", radius=alt.Radius("r0:Q", scale=None), radius2="r1",
        color=alt.Color("colour:N", scale=None),
        tooltip=[alt.Tooltip("ring:N", title="Ring"), alt.Tooltip("name:N", title="Name"), alt.Tooltip("selected:N", title="Pointed to")],
    )
    labels = base.mark_text(fontSize=9, lineBreak="\n").encode(  # a long name in two lines: it would leave the wheel
        theta=alt.Theta("tm:Q", scale=None), radius=alt.Radius("rm:Q", scale=None), text="label:N", color=alt.Color("text_colour:N", scale=None),
    )
    return (arcs + labels).properties(width=470, height=470, title=alt.Title(title, anchor="start"))


@st.cache_resource(show_spinner=False, max_entries=64)
def heatmap(kind: str, version: str, title: str, row_title: str, highlight_rows=()) -> alt.Chart:
    """The BCW matrix ``kind`` (``com_b``: COM-B to intervention functions, in the ``version`` matrix;
    ``policies``: functions to policy categories) as a grid of ticks, ``highlight_rows`` in NHS blue.
    Cached by those names (not by the matrix's frame, which would be hashed on every run)."""
    matrix = bcw.wheel().matrix(kind, version)
    long = matrix.reset_index(names="row").melt(id_vars="row", var_name="column", value_name="link")
    long["shade"] = [("#005EB8" if r in set(highlight_rows) else "#425563") if v else "#F0F4F5" for r, v in zip(long["row"], long["link"])]
    long["mark"] = long["link"].map({1: "✓", 0: ""})
    base = alt.Chart(long, title=alt.Title(title, anchor="start")).encode(
        x=alt.X("column:N", title=None, sort=list(matrix.columns), axis=alt.Axis(labelAngle=-40, labelLimit=180, labelOverlap=False)),
        y=alt.Y("row:N", title=row_title, sort=list(matrix.index), axis=alt.Axis(labelLimit=200)),
    )
    return (base.mark_rect(stroke="white").encode(color=alt.Color("shade:N", scale=None), tooltip=["row:N", "column:N", "link:Q"])
            + base.mark_text(color="white", fontSize=12).encode(text="mark:N")).properties(height=alt.Step(28))


@functools.lru_cache(maxsize=64)
def matrices_html(version: str, components: tuple[str, ...], functions: tuple[str, ...]) -> str:
    """Both BCW matrices as HTML tables, in one block: COM-B to intervention functions (in the
    ``version`` matrix) and functions to policy categories (2014), a tick where a link exists, the
    rows the selection points to (``components``, ``functions``) in NHS blue, the other links grey,
    and a key under each. A table is what a screen reader and a keyboard read as it is (row and
    column headers); an SVG drawing of the same grid was 45-50 KB a matrix to send and draw again
    on every change of a filter or the matrix."""
    return (_matrix_html("com_b", version, bcw.matrix_title("com_b", version), "COM-B component", components,
                         "a link from a COM-B component the selected barriers point to")
            + _matrix_html("policies", "2014", bcw.matrix_title("policies"), "Intervention function", functions,
                           "a link from a candidate intervention function"))


def _matrix_html(kind: str, version: str, title: str, row_title: str, highlight: tuple[str, ...], meaning: str) -> str:
    from html import escape

    matrix = bcw.wheel().matrix(kind, version)
    head = "".join(f"<th scope='col' class='col'><span>{escape(c)}</span></th>" for c in matrix.columns)
    rows = []
    for name, links in matrix.iterrows():
        on = " class='on'" if name in highlight else ""
        cells = "".join(f"<td class='link' title='{escape(name)}: {escape(c)}'>✓</td>" if v else "<td></td>" for c, v in links.items())
        rows.append(f"<tr{on}><th scope='row'>{escape(name)}</th>{cells}</tr>")
    return (f"<div class='pair-matrix' data-matrix='{kind}'><table><caption>{escape(title)}</caption>"
            f"<thead><tr><th scope='col' class='corner'>{escape(row_title)}</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p class='key'><span><span class='swatch on'></span>✓ {escape(meaning)}</span> <span><span class='swatch'></span>✓ another link</span></p></div>")


def cards(barriers: list[bcw.Barrier], version: str) -> str:
    """Barrier cards as HTML (headings, quotes and lists as markup; every text from the data escaped):
    what each says, in the study's words where there are some, its mapping and candidate functions."""
    from html import escape

    out = []
    for b in barriers:
        origin = " · <strong>local</strong>" if b.origin == "local" else ""
        parts = [f"<p class='title'><strong>{escape(b.id)}. {escape(b.title)}</strong> · {escape(b.level)} · {escape(b.factor_level)} level · "
                 f"{escape(b.direction)} · {escape(bcw.BEHAVIOURS[b.behaviour])}{origin}</p>"]
        if b.study_words:
            parts.append(f"<blockquote>“{escape(b.study_words)}”<br>McSweeney et al. 2025, abstract</blockquote>")
        if b.description:
            parts.append(f"<p><em>{escape(bcw.OURS if b.evidence == 'study' else 'Summary')}:</em> {escape(b.description)}</p>")
        if b.amenable:
            cands = bcw.candidates(b, version)
            offered = [c.function for c in cands if c.suggested]
            held = [c.function for c in cands if not c.suggested]
            parts.append(f"<p><em>{escape(b.mapping)}:</em> COM-B {escape(', '.join(b.com_b))}; TDF {escape(', '.join(b.tdf) or 'none')}. "
                         f"Candidate intervention functions: {escape(', '.join(offered) or 'none')}"
                         + (f" (not suggested for an enabler: {escape(', '.join(held))})" if held else "") + ".</p>")
            if b.actions:
                parts.append(f"<p><em>{escape(bcw.OURS_ACTIONS)}:</em></p><ul>" + "".join(f"<li>{escape(a)}</li>" for a in b.actions) + "</ul>")
        parts.append(f"<p class='source'>Source: {escape(b.source)} · Evidence: {escape(b.evidence_label)}"
                     + ("" if b.amenable else " · PAIR Atlas's judgement: a structural factor, not a behaviour to change") + "</p>")
        out.append(f"<article class='pair-card' data-barrier='{escape(b.id)}'>{''.join(parts)}</article>")
    return "".join(out)
