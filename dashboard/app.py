"""PAIR Atlas entry point: ``streamlit run dashboard/app.py``."""

from pathlib import Path

import streamlit as st

from dashboard.ui import errors, identity, meeting, nav, state

# A local icon: a Material icon name would make the browser fetch it from a font CDN.
st.set_page_config(page_title="PAIR Atlas", page_icon=str(Path(__file__).resolve().parent / "static" / "favicon.png"), layout="wide")

# Captions in NHS Dark Grey: Streamlit's faded default fails WCAG AA contrast on the grey sidebar.
# A smaller top margin than Streamlit's default keeps a map and its details in the first screen.
st.html("<style>[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p { color: #425563 !important; opacity: 1 !important; }"
        "[data-testid='stMainBlockContainer'] { padding-top: 2.5rem; } .st-key-map_first_draw { display: none; }"
        # short tables (dashboard/ui/show.py): NHS greys, numbers right-aligned, a wide table scrolls sideways
        ".pair-table { overflow-x: auto; margin-bottom: 0.5rem; } .pair-table table { border-collapse: collapse; font-size: 0.9rem; width: 100%; }"
        ".pair-table th { background: #E8EDEE; color: #231F20; text-align: left; font-weight: 600; }"
        ".pair-table th, .pair-table td { border: 1px solid #D8DDE0; padding: 0.3rem 0.5rem; vertical-align: top; overflow-wrap: break-word; }"
        ".pair-table .long { word-break: break-all; min-width: 12rem; } .pair-table .code { font-family: monospace; font-size: 0.75rem; word-break: break-all; min-width: 9rem; }"
        ".pair-table .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }</style>")

identity.gate()  # local mode without [auth]; else sign in, and a role from the users table
in_meeting = meeting.active()
# The meeting page is listed last; in meeting mode the sidebar and its navigation are hidden.
navigation = st.navigation([*(nav.page(key) for key in nav.PAGES), nav.page("meeting")], position="hidden" if in_meeting else "sidebar")
if not in_meeting:
    with st.sidebar:
        st.caption(
            "PAIR Atlas: parent-infant relationship services and baby-clinic reach by deprivation "
            "in NHS North East and North Cumbria and NHS Bristol, North Somerset and South Gloucestershire."
        )
    meeting.controls()
if navigation.url_path != "map":
    st.session_state.pop(state.MAP_FIRST_DRAW, None)  # the live map's first-draw script is sent again when the map page opens
errors.guarded(navigation.run)
