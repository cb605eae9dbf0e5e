"""Overview: what PAIR services are, where infants live, how deprived, and the specialist coverage headline."""

import streamlit as st

from dashboard.ui import content, data, errors, nav, show, viewdata
from dashboard.ui.state import bound
from dashboard.ui.widgets import illustrative_toggle, index_picker, region_picker

st.title("Overview")
content.show("overview")


@errors.fragment
def figures() -> None:
    """Everything that follows the region, index and illustrative choices: a change of one of them
    reruns only this (not the app's navigation, sidebar and the page's introduction)."""
    with st.container(horizontal=True, vertical_alignment="bottom", gap="large"):  # one block: fewer elements to send on each change
        region = region_picker()
        index = index_picker()
        illustrative = illustrative_toggle()

    view = viewdata.overview_filtered(region, index, data.store_or_stop().version, data.services_token(), illustrative)
    show.headline_and_metrics(view, columns=4)  # plain HTML, one element: nothing for the browser to parse as markdown

    left, right = st.columns([2, 3])
    compare, shares = view.chart("icb_compare"), view.chart("la_shares")
    with left:
        show.chart(compare, view, "overview_compare", width=380, downloads=False)
    with right:
        show.chart(shares, view, "overview_png", width=560, downloads=False)
        show.chart_downloads([(compare, "overview_compare"), (shares, "overview_png")], view)  # one menu for both
    # below the first screen: made when opened (its state is in the URL)
    with bound(st.expander, "Every area as a table (the chart's figures, with counts)", key="overview_areas") as box:
        if box.open:
            show.table(view.table("areas"), view, "overview_table")
    show.notes(view, footer=True, plain=True)


figures()
# where to go next: the same for every region, so outside the figures (not sent again when they change)
show.text("**Next questions**")
with st.container(horizontal=True, gap="medium"):
    nav.link("map", "Where are the gaps? Map and gaps")
    nav.link("reach", "Do baby clinics reach the most deprived? Baby clinic reach")
    nav.link("barriers", "What stops commissioning? Barriers (BCW)")
    nav.link("value", "What would a service cost and return? Value for money")
