"""Meeting mode in the app: the sidebar control, the step bar, larger type, no editing."""

from __future__ import annotations

import streamlit as st

from dashboard import meeting

CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMain"] { zoom: 1.25; }
</style>"""


def active() -> bool:
    return meeting.parse(st.query_params.to_dict())[0]


def controls(pages: dict[str, st.Page]) -> None:
    """Sidebar: choose the sequence and start meeting mode (opens its first view)."""
    with st.sidebar:
        st.markdown("**Planning meeting**")
        steps = st.multiselect("Meeting sequence", list(meeting.STEPS), default=meeting.DEFAULT_SEQUENCE,
                               format_func=lambda k: meeting.STEPS[k].title, key="meeting_steps")
        if st.button("Start meeting mode", icon=":material/co_present:", disabled=not steps, key="meeting_start"):
            st.switch_page(pages[meeting.STEPS[steps[0]].page], query_params=meeting.query_for(steps, 0))


def bar(pages: dict[str, st.Page]) -> None:
    """In meeting mode: larger type, no sidebar, and Previous / Next through the sequence."""
    _, steps, index = meeting.parse(st.query_params.to_dict())
    st.html(CSS)
    cols = st.columns([1, 4, 1, 1])
    if cols[0].button("Previous", icon=":material/arrow_back:", disabled=index == 0, key="meeting_prev"):
        st.switch_page(pages[meeting.STEPS[steps[index - 1]].page], query_params=meeting.query_for(steps, index - 1))
    cols[1].markdown(f"**Step {index + 1} of {len(steps)}: {meeting.STEPS[steps[index]].title}**")
    if cols[2].button("Next", icon=":material/arrow_forward:", disabled=index == len(steps) - 1, key="meeting_next"):
        st.switch_page(pages[meeting.STEPS[steps[index + 1]].page], query_params=meeting.query_for(steps, index + 1))
    if cols[3].button("Exit", icon=":material/close:", key="meeting_exit", help="Leave meeting mode"):
        st.query_params.clear()
        st.rerun()
