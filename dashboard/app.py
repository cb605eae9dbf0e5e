"""PAIR Atlas entry point: ``streamlit run dashboard/app.py``."""

from pathlib import Path

import streamlit as st

from dashboard.ui import meeting

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"

# A local icon: a Material icon name would make the browser fetch it from a font CDN.
st.set_page_config(page_title="PAIR Atlas", page_icon=str(Path(__file__).resolve().parent / "static" / "favicon.png"), layout="wide")

PAGES = [
    st.Page(PAGES_DIR / "overview.py", title="Overview", icon=":material/home:", url_path="overview", default=True),
    st.Page(PAGES_DIR / "map_and_gaps.py", title="Map and gaps", icon=":material/map:", url_path="map"),
    st.Page(PAGES_DIR / "baby_clinic_reach.py", title="Baby clinic reach", icon=":material/stroller:", url_path="reach"),
    st.Page(PAGES_DIR / "barriers.py", title="Barriers (BCW)", icon=":material/psychology:", url_path="barriers"),
    st.Page(PAGES_DIR / "value_for_money.py", title="Value for money", icon=":material/calculate:", url_path="value"),
    st.Page(PAGES_DIR / "briefing_pack.py", title="Briefing pack", icon=":material/picture_as_pdf:", url_path="briefing"),
    st.Page(PAGES_DIR / "data_and_sources.py", title="Data and sources", icon=":material/source:", url_path="sources"),
]

# Captions in NHS Dark Grey: Streamlit's faded default fails WCAG AA contrast on the grey sidebar.
st.html("<style>[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p { color: #425563 !important; opacity: 1 !important; }</style>")

BY_PATH = {page.url_path or "overview": page for page in PAGES}
in_meeting = meeting.active()
navigation = st.navigation(PAGES, position="hidden" if in_meeting else "sidebar")
if in_meeting:
    meeting.bar(BY_PATH)
else:
    with st.sidebar:
        st.caption(
            "PAIR Atlas: parent-infant relationship services and baby-clinic reach by deprivation "
            "in NHS North East and North Cumbria and NHS Bristol, North Somerset and South Gloucestershire."
        )
    meeting.controls(BY_PATH)
navigation.run()
