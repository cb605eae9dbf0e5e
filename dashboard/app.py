"""PAIR Atlas entry point: ``streamlit run dashboard/app.py``."""

import base64
from pathlib import Path

import streamlit as st

from dashboard.ui import errors, identity, memory, meeting, nav, show

# A local icon: a Material icon name would make the browser fetch it from a font CDN. Given inline
# (a data URL, 0.7 KB): as a file, the browser fetched it from the server again after every rerun.
_ICON = "data:image/png;base64," + base64.b64encode((Path(__file__).resolve().parent / "static" / "favicon.png").read_bytes()).decode()
st.set_page_config(page_title="PAIR Atlas", page_icon=_ICON, layout="wide")

# Captions in NHS Dark Grey: Streamlit's faded default fails WCAG AA contrast on the grey sidebar.
# A smaller top margin than Streamlit's default keeps a map and its details in the first screen.
st.html("<style>[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p { color: #425563 !important; opacity: 1 !important; }"
        "[data-testid='stMainBlockContainer'] { padding-top: 2.5rem; } .st-key-pair_keys { display: none; }"
        # hidden boxes' wrappers too: else each keeps a gap above the next element, which goes when the box is emptied
        "[data-testid='stLayoutWrapper']:has(> .st-key-pair_keys) { display: none; }"
        # short tables (dashboard/ui/show.py): NHS greys, numbers right-aligned, a wide table scrolls sideways
        ".pair-table { overflow-x: auto; margin-bottom: 0.5rem; } .pair-table table { border-collapse: collapse; font-size: 0.9rem; width: 100%; }"
        ".pair-table th { background: #E8EDEE; color: #231F20; text-align: left; font-weight: 600; }"
        ".pair-table th, .pair-table td { border: 1px solid #D8DDE0; padding: 0.3rem 0.5rem; vertical-align: top; overflow-wrap: break-word; }"
        ".pair-table .long { word-break: break-all; min-width: 12rem; } .pair-table .code { font-family: monospace; font-size: 0.75rem; word-break: break-all; min-width: 9rem; }"
        ".pair-table .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }"
        # figures as cards (dashboard/ui/show.py: cards): label, value, detail; the help shown on hover and on keyboard focus
        ".pair-metrics { display: grid; column-gap: 1rem; margin-bottom: 0.5rem; }"
        # each card's label, value and detail are rows shared with the cards beside it: a label over two lines keeps the values in line
        ".pair-metric { min-width: 0; display: grid; grid-row: span 3; grid-template-rows: subgrid; row-gap: 0; margin-bottom: 0.5rem; }"
        ".pair-metric .label { align-self: end; }"
        ".pair-metric .label { font-size: 0.875rem; color: #231F20; } .pair-metric .value { font-size: 2.25rem; line-height: 1.25; color: #231F20; overflow-wrap: anywhere; }"
        ".pair-text p, .pair-caption p { margin: 0 0 0.5rem 0; overflow-wrap: break-word; } .pair-text p:last-child, .pair-caption p:last-child { margin-bottom: 0; }"
        ".pair-caption p { font-size: 0.875rem; color: #425563; } .pair-text + .pair-caption, .pair-legend + .pair-caption { margin-top: 0.5rem; }"
        ".pair-legend { margin: 0.25rem 0 0 0; line-height: 1.9; } .pair-legend strong { margin-right: 0.4rem; }"
        ".pair-legend .swatch { display: inline-block; width: 14px; height: 14px; border: 1px solid #425563; margin: 0 0.3rem -2px 0.6rem; }"
        ".pair-metric .detail { font-size: 0.875rem; color: #425563; }"
        # a chart's text summary (dashboard/ui/show.py): as a caption
        ".pair-summary { font-size: 0.875rem; color: #425563; margin: 0.25rem 0 0.5rem 0; }"
        ".pair-metric .help { position: relative; display: inline-block; width: 1.05rem; height: 1.05rem; margin-left: 0.3rem; border: 1px solid #425563;"
        " border-radius: 50%; font-size: 0.7rem; line-height: 0.95rem; text-align: center; color: #425563; cursor: help; }"
        ".pair-metric .help:focus { outline: 2px solid #005EB8; outline-offset: 2px; }"
        ".pair-metric .help:hover::after, .pair-metric .help:focus::after { content: attr(data-tip); position: absolute; z-index: 10; left: -0.5rem; top: 1.5rem;"
        " width: max-content; max-width: 18rem; padding: 0.5rem 0.6rem; background: #231F20; color: #FFFFFF; border-radius: 0.3rem;"
        " font-size: 0.8rem; line-height: 1.35; text-align: left; white-space: normal; }"
        # barrier cards (dashboard/ui/barriers.py: cards)
        ".pair-card { border: 1px solid #D8DDE0; border-radius: 0.5rem; padding: 0.75rem 1rem; margin-bottom: 0.75rem; }"
        ".pair-card p { margin: 0 0 0.5rem 0; } .pair-card ul { margin: 0 0 0.5rem 1.2rem; padding: 0; }"
        ".pair-card blockquote { margin: 0 0 0.5rem 0; padding-left: 0.75rem; border-left: 3px solid #AEB7BD; color: #231F20; }"
        ".pair-card .source { font-size: 0.875rem; color: #425563; margin: 0; } .pair-cards-heading { font-size: 1rem; font-weight: 600; margin: 0.5rem 0; }"
        # the BCW matrices as tables (dashboard/ui/barriers.py: matrices_html): column names read upwards, a tick a link,
        # the rows the selection points to in NHS Blue, other links NHS Dark Grey (white ticks on both: AA contrast)
        ".pair-matrix { overflow-x: auto; margin-bottom: 1rem; } .pair-matrix table { border-collapse: separate; border-spacing: 2px; font-size: 0.8rem; }"
        ".pair-matrix caption { caption-side: top; text-align: left; font-weight: 600; font-size: 0.95rem; color: #231F20; padding-bottom: 0.25rem; }"
        ".pair-matrix th { font-weight: 400; color: #231F20; } .pair-matrix thead th { vertical-align: bottom; padding: 0 0 0.25rem 0; }"
        ".pair-matrix th.col span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }"
        ".pair-matrix th.corner { text-align: right; font-weight: 600; padding-right: 0.4rem; }"
        ".pair-matrix tbody th { text-align: right; white-space: nowrap; padding-right: 0.4rem; }"
        ".pair-matrix td { width: 1.6rem; height: 1.5rem; background: #F0F4F5; color: #FFFFFF; text-align: center; padding: 0; }"
        ".pair-matrix td.link { background: #425563; } .pair-matrix tr.on td.link { background: #005EB8; } .pair-matrix tr.on th { font-weight: 600; }"
        ".pair-matrix .key { font-size: 0.8rem; color: #425563; margin: 0.25rem 0 0 0; }"
        ".pair-matrix .key > span { display: inline-block; margin-right: 0.8rem; }"  # a key's entry moves to the next line whole
        ".pair-matrix .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; background: #425563; margin: 0 0.3rem -1px 0; }"
        ".pair-matrix .swatch.on { background: #005EB8; }"
        "@media (max-width: 640px) { .pair-metrics { grid-template-columns: repeat(2, minmax(0, 1fr)) !important; } }</style>")

identity.gate()  # local mode without [auth]; else sign in, and a role from the users table
in_meeting = meeting.active()
# The meeting page is listed last; in meeting mode the sidebar and its navigation are hidden.
navigation = st.navigation([*(nav.page(key) for key in nav.PAGES), nav.page("meeting")], position="hidden" if in_meeting else "sidebar")
if not in_meeting:
    with st.sidebar:  # the local-mode note (when on) and what the app is, in one element
        show.text(
            "\n\n".join(filter(None, [identity.note(), "PAIR Atlas: parent-infant relationship services and baby-clinic reach by deprivation "
                                      "in NHS North East and North Cumbria and NHS Bristol, North Somerset and South Gloucestershire."])),
            small=True,
        )
    meeting.controls()
# Keyboard use of the small panels (downloads, filters, saving: st.popover), whose content Streamlit
# draws at the end of the page: Tab on an open panel's button moves into the panel, and Tab from its
# last control (or Shift+Tab from its first) closes it and returns to the button, as if the panel
# came next in the page's order. Hidden; it runs once per browser tab.
with st.container(key="pair_keys"):
    st.html("<script>if (!window.pairPanelKeys) { window.pairPanelKeys = true;"
            " const items = body => [...body.querySelectorAll('button, [href], input, select, textarea, [tabindex]:not([tabindex=\"-1\"])')]"
            "   .filter(e => !e.disabled && e.getClientRects().length);"
            " document.addEventListener('keydown', e => { if (e.key !== 'Tab') return;"
            "  const trigger = document.querySelector('[data-testid=\"stPopoverButton\"][aria-expanded=\"true\"]');"
            "  const bodies = document.querySelectorAll('[data-testid=\"stPopoverBody\"]'); const body = bodies[bodies.length - 1];"
            "  if (!trigger || !body) return; const list = items(body); if (!list.length) return; const here = document.activeElement;"
            "  const back = () => { e.preventDefault(); trigger.click(); trigger.focus(); };"
            "  if (here === trigger && !e.shiftKey) { e.preventDefault(); list[0].focus(); }"
            "  else if (here === list[list.length - 1] && !e.shiftKey) back(); else if (here === list[0] && e.shiftKey) back();"
            " }, true); }</script>",
            unsafe_allow_javascript=True)

errors.guarded(navigation.run)
memory.settle(navigation.url_path)  # once per page: later loads skip long full garbage collections
