"""Meeting mode in the app: the sidebar control that starts it, the step bar, and a step's
layout (one region, one question: its headline sentence in large type, then its chart).

Navigation writes only the meeting's own URL keys (declared in :mod:`dashboard.ui.state`, bound
to no widget), through button callbacks: no page switch and no bound query parameter is touched
between steps.
"""

from __future__ import annotations

import streamlit as st

from dashboard import meeting
from dashboard.regions import region_label
from dashboard.ui import maps, nav, show, state, viewdata
from dashboard.vocabulary import DEFAULT_INDEX, REGION_NAMES

CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"], [data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; padding-bottom: 1rem; max-width: 100%; }
.pair-metric .value { font-size: 2rem; } .pair-metric .label, .pair-metric .detail { font-size: 1rem; }
[data-testid="stMain"] h1 { font-size: 1.9rem; padding-top: 0.2rem; }
</style>"""


def active() -> bool:
    return meeting.parse(st.query_params.to_dict())[0]


def controls() -> None:
    """Sidebar: choose the region and the sequence, and start meeting mode at its first step."""
    with st.sidebar:
        # made when opened: its pickers are not drawn on every page's first screen
        with st.expander("Planning meeting", icon=":material/co_present:", key="meeting_panel", on_change="rerun") as box:
            if box.open:
                region = st.selectbox("Meeting region", list(REGION_NAMES), format_func=region_label, key="meeting_region_pick")
                steps = st.multiselect("Meeting sequence", list(meeting.STEPS), default=meeting.DEFAULT_SEQUENCE,
                                       format_func=lambda k: meeting.STEPS[k].title, key="meeting_steps")
                if st.button("Start meeting mode", icon=":material/co_present:", disabled=not steps, key="meeting_start"):
                    st.switch_page(nav.page("meeting"), query_params=meeting.query_for(steps, 0, region))


def _go(index: int) -> None:
    state.set_param("step", str(index + 1))


def bar() -> tuple[list[str], int, str]:
    """Larger type, no sidebar, and Previous / Next / Exit; returns (steps, index, region)."""
    _, steps, index, region = meeting.parse(st.query_params.to_dict())
    st.html(CSS)
    cols = st.columns([1, 5, 1, 1], vertical_alignment="center")
    cols[0].button("Previous", icon=":material/arrow_back:", disabled=index == 0, key="meeting_prev", on_click=_go, args=(index - 1,))
    cols[1].markdown(f"**{region_label(region)} · Step {index + 1} of {len(steps)}: {meeting.STEPS[steps[index]].title}**")
    cols[2].button("Next", icon=":material/arrow_forward:", disabled=index == len(steps) - 1, key="meeting_next", on_click=_go, args=(index + 1,))
    if cols[3].button("Exit", icon=":material/close:", key="meeting_exit", help="Leave meeting mode"):
        st.query_params.clear()
        st.switch_page(nav.page("overview"))
    return steps, index, region


def render(step_key: str, region: str) -> None:
    """One step: the view's question, its headline sentence in large type, its key figures,
    then its chart (or the map, or its table)."""
    step = meeting.STEPS[step_key]
    view = viewdata.view_for(step.view, region)
    st.title(view.question)
    show.headline(view, large=True)
    if view.metrics:
        show.metrics(view)
    if step.show == "map":
        cov = view.extras["coverage"]
        png = maps.map_png(DEFAULT_INDEX, region, "decile_imd", None, cov, view.footer(), services=view.extras["services"], gaps=True)()
        st.image(png, width=720, caption="Map: national IMD decile; red outline = deprived LSOAs without a specialised team; "
                                         "dots = service sites by tier. The table of gaps is on the Map and gaps page.")
    elif view.charts:
        show.chart(view.charts[0], view, f"meeting_{step_key}_chart", downloads=False, width=900, enlarge=1.4)  # larger text for a room
    elif view.tables and len(view.tables[0].frame):  # an empty table says nothing the headline has not said
        show.table(view.tables[0], view, f"meeting_{step_key}_table", downloads=False)
    st.caption(show.escape_md(view.footer()))
