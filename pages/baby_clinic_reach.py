"""Baby clinic reach: who health-visitor baby clinics reach, by deprivation."""

import altair as alt
import streamlit as st

from dashboard.regions import filter_region
from dashboard.ui import clinic, content, data, errors, improvement, show, viewdata
from dashboard.ui.state import bound
from dashboard.ui.widgets import choice, region_picker
from dashboard.views import clinic_model_view

st.title("Baby clinic reach")
show.text(
    "Do health-visitor baby clinics reach families in the most deprived neighbourhoods? Reach is "
    "**infants attending per 1,000 infant-years at risk**, annualised (the definition is under the chart). Quintiles and "
    "deciles are national IMD 2025 ones: **1 = most deprived in England**."
)

with st.expander("Why this page asks what it asks", key="reach_why", on_change="rerun") as why:
    if why.open:  # made when opened
        content.show("reach")

source = choice("Data", ["Synthetic demo extract", "Upload an extract"], default="Synthetic demo extract", required=True, key="source")
if source == "Upload an extract":
    st.caption("Your extract stays in this browser session: postcodes are turned into LSOAs and dropped, and nothing patient-level is written to disk.")
    checked = clinic.upload_flow()
    synthetic = False
    if checked is None:
        st.info("Upload an extract, match its columns, check it and accept the report to see reach.", icon=":material/upload_file:")
        st.stop()
    st.session_state[viewdata.ACCEPTED] = checked  # the meeting steps and the pack use it in this session
else:
    _, checked = clinic.demo()
    synthetic = True

valid = checked.valid


@errors.fragment
def reach_body() -> None:
    """Everything that follows the choice of extract: a change of region, area, clinic or groups (or
    an opened section) reruns only this, not the app's navigation, sidebar and the page's introduction."""
    lsoas_all = data.lsoas("iod2025")
    c1, c2, c3, c4 = st.columns([5, 3.7, 3.3, 3.4], vertical_alignment="bottom")
    with c1:
        region = region_picker()
    version = data.store_or_stop().version
    la_names = viewdata.local_authorities(version, "iod2025", region, _lsoas=lsoas_all)
    clinics = sorted(valid["clinic"].dropna().unique())
    # the local authority and the clinic in a small panel, made in the browser when opened (no list box
    # to load for the first screen); what they are set to is written beside it
    with c2, st.popover("Area and clinic", icon=":material/tune:", width="stretch", key="reach_pick"):
        lad = bound(st.selectbox, "Local authority", ["all", *la_names], format_func=lambda c: "All in the region" if c == "all" else la_names[c], key="reach_la")
        chosen = bound(st.selectbox, "Clinic", ["all", *clinics], format_func=lambda c: "All clinics" if c == "all" else c, key="reach_clinic")
    with c4:
        kind = bound(choice, "Groups", ["quintile", "decile"], default="quintile", required=True, key="reach_groups") or "quintile"
    lad = None if lad in (None, "all") or lad not in la_names else lad
    chosen = None if chosen in (None, "all") or chosen not in clinics else chosen
    with c3:
        show.text(f"{show.escape_md(la_names[lad] if lad else 'All in the region')} · {show.escape_md(chosen or 'all clinics')}")

    services, services_token = data.services_with_token()
    view = viewdata.reach_filtered(region, version, viewdata.extract_token(checked, synthetic), synthetic, lad, chosen, kind,
                                   clinic.register_catchment(chosen, filter_region(lsoas_all, region)) if chosen else None, services_token,
                                   _lsoas=lsoas_all, _valid=valid, _services=services)
    # the first screen's text as plain HTML (nothing for the browser to parse as markdown)
    show.headline_and_metrics(view)
    show.text(show.escape_md(view.extras["details"]))

    left, right = st.columns([3, 2])
    with left:
        show.chart(view.chart("reach"), view, "reach_chart", width=540)
    with right:
        show.table(view.table("reach"), view, "reach_table")
    show.notes(view, plain=True)

    # Below the first screen: each section runs only when opened (its state is in the URL).
    with bound(st.expander, "Clinic models, before and after", key="reach_models") as box:
        if box.open:
            st.markdown("Social, relationship-focused against traditional drop-in clinics, and reach before and after a date you choose.")
            first, last = valid["attendance_date"].min().date(), valid["attendance_date"].max().date()
            split = st.date_input("Split the extract at (for example when a clinic changed model)", value=first + (last - first) / 2,
                                  min_value=first, max_value=last, format="DD/MM/YYYY", key="reach_split")
            model_view = clinic_model_view(region if region != "Both" else "NENC", lsoas_all, valid, synthetic, data.services(), split=split)
            show.headline(model_view)
            for table in model_view.tables:
                st.markdown(f"**{show.escape_md(table.title)}**")
                show.table(table, model_view, f"model_{table.key}")
            show.notes(model_view)

    with bound(st.expander, "Continued use", key="reach_continued") as box:
        if box.open:
            st.markdown("Share of infants attending who came two or more times (95% Wilson interval), and the median number of attendances.")
            show.table(view.table("continued"), view, "continued_table")

    with bound(st.expander, "By month", key="reach_months") as box:
        if box.open:
            show.chart(view.chart("months"), view, "month_chart")
            show.table(view.table("months"), view, "month_table")

    with bound(st.expander, "By local authority", key="reach_las") as box:
        if box.open:
            la_table = view.table("by_local_authority")
            la_col, la_tab = st.columns([3, 2])
            with la_col:
                shown = la_table.frame.assign(reach_per_1000=la_table.frame["reach_per_1000"].astype(float))
                la_map = (
                    alt.Chart(alt.Data(values=clinic.la_features(shown)), title=alt.Title("Reach per 1,000 infant-years, by local authority", anchor="start"))
                    .mark_geoshape(stroke="white")
                    .encode(color=alt.Color("properties.reach:Q", scale=alt.Scale(scheme="viridis"), title="Per 1,000"),
                            tooltip=[alt.Tooltip("properties.name:N", title="Local authority"), alt.Tooltip("properties.reach:Q", format=".0f", title="Per 1,000")])
                    .project("mercator").properties(height=380)
                )
                show.figure(la_map, "la_map", width=520, description="Reach per 1,000 infant-years, by local authority")
                st.caption("Text summary: the table beside the map gives every local authority's reach; suppressed ones are blank on the map.")
            with la_tab:
                show.table(la_table, view, "la_table")

    with bound(st.expander, "Who attends and why", key="reach_who") as box:
        if box.open:
            st.markdown("Attending infants against resident infants, by national IMD quintile: where the attending share is below the resident share, that quintile is under-served.")
            show.table(view.table("who_attends"), view, "profile_quintile")
            who = viewdata.who_attends(region if region != "Both" else "NENC", valid, synthetic, data.services())
            show.headline(who)
            for t in who.tables:
                st.markdown(f"**{show.escape_md(t.title)}**")
                show.table(t, who, f"who_{t.key}", height=240)
            show.notes(who)

    with bound(st.expander, "The improvement cycle", key="reach_improvement") as box:
        if box.open:
            improvement.section(region)
    show.footer(view)

    clinic.save_audit(valid)


reach_body()
