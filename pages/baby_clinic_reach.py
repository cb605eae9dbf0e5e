"""Baby clinic reach: who health-visitor baby clinics reach, by deprivation."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import reach
from dashboard.regions import filter_region
from dashboard.suppression import note as suppression_note
from dashboard.ui import clinic, data
from dashboard.exports import footer_text
from dashboard.ui.downloads import chart_downloads, table_downloads
from dashboard.ui.meeting import active as in_meeting
from dashboard.ui.widgets import region_picker

st.title("Baby clinic reach")
st.markdown(
    "Do health-visitor baby clinics reach families in the most deprived neighbourhoods? Reach is "
    "**infants attending per 1,000 infants aged 0** living there (an infant attending is a child "
    "under one year old at their first attendance in the period). Quintiles and deciles are national "
    "IMD 2025 ones: **1 = most deprived in England**."
)

source = "Synthetic demo extract" if in_meeting() and "checked" not in st.session_state else st.segmented_control(
    "Data", ["Synthetic demo extract", "Upload an extract"], default="Synthetic demo extract", required=True, key="source",
    disabled=in_meeting(),
)
if source == "Upload an extract":
    st.caption("Your extract stays in this browser session: postcodes are turned into LSOAs and dropped, and nothing patient-level is written to disk.")
    checked = clinic.upload_flow()
    synthetic = False
    if checked is None:
        st.info("Upload an extract, match its columns, check it and accept the report to see reach.", icon=":material/upload_file:")
        st.stop()
else:
    _, checked = clinic.demo()
    synthetic = True
    st.warning("**SYNTHETIC DATA.** This demonstration extract is seeded and made up: no real child or family is in it.", icon=":material/science:")

valid = checked.valid
period = (valid["attendance_date"].min().date(), valid["attendance_date"].max().date())
kids = reach.children(valid)

c1, c2, c3, c4 = st.columns([3, 3, 3, 2])
with c1:
    region = region_picker()
lsoas = filter_region(data.lsoas("iod2025"), region)
la_names = dict(lsoas.drop_duplicates("lad_code").sort_values("lad_name")[["lad_code", "lad_name"]].to_numpy())
with c2:
    lad = st.selectbox("Local authority", ["all", *la_names], format_func=lambda c: "All in the region" if c == "all" else la_names[c], key="reach_la")
with c3:
    clinics = sorted(kids["clinic"].unique())
    chosen = st.selectbox("Clinic", ["all", *clinics], format_func=lambda c: "All clinics" if c == "all" else c, key="reach_clinic")
with c4:
    kind = st.segmented_control("Groups", ["quintile", "decile"], default="quintile", required=True, key="reach_groups")

area = lsoas if lad == "all" else lsoas[lsoas["lad_code"] == lad]
scope = "all clinics"
if chosen != "all":
    area, basis = reach.clinic_catchment(kids, chosen, area, clinic.register_catchment(chosen, area))
    kids = kids[kids["clinic"] == chosen]
    scope = f"{chosen}, catchment: {basis}"
table = reach.reach_table(kids, area, f"imd_{kind}")
shown = clinic.suppressed(table, ["infants_attending", "attendances", "two_plus"], dependent=clinic.REACH_DEPENDENT)
grad = reach.gradient(table)
extra = clinic.footer_extra(period, synthetic, suppression_note())
source_text = "Baby clinic attendance extract" + (" (SYNTHETIC demo)" if synthetic else "") + "; ONS mid-2020 infants aged 0; MHCLG IoD 2025"

total_att, total_reach = reach.overall(table)
m = st.columns(4)
m[0].metric("Infants attending", clinic.MARKER if total_att is None else f"{total_att:,}")
m[1].metric("Reach per 1,000 infants", clinic.MARKER if total_reach is None else f"{total_reach:.0f}")
hide_ends = shown.mask["infants_attending"].iloc[[0, -1]].any()
m[2].metric(f"{kind.capitalize()} 1 : {kind} {len(table)} ratio", clinic.MARKER if hide_ends or grad.ratio is None else f"{grad.ratio:.2f}",
            help="Reach in the most deprived group divided by reach in the least deprived (95% interval in the text below)")
m[3].metric("Slope index of inequality", "n/a" if grad.sii_per_1000 is None else f"{grad.sii_per_1000:+.0f} per 1,000",
            help="Fitted reach at the least deprived end minus the most deprived end (positive: lower reach where deprivation is higher)")

st.caption(f"{scope.capitalize()}; {period[0]:%d %b %Y} to {period[1]:%d %b %Y}; {len(valid):,} attendances used.")
summary = []
if grad.ratio is not None and not hide_ends:
    summary.append(f"Reach in {kind} 1 is {grad.ratio:.2f} times reach in {kind} {len(table)} (95% CI {grad.ratio_ci[0]:.2f} to {grad.ratio_ci[1]:.2f}); "
                   f"the gap is {grad.gap_per_1000:+.0f} per 1,000 (Newcombe 95% CI {grad.gap_ci[0]:+.0f} to {grad.gap_ci[1]:+.0f}).")
if grad.sii_per_1000 is not None:
    summary.append(f"SII {grad.sii_per_1000:+.1f} per 1,000 (95% CI {grad.sii_ci[0]:+.1f} to {grad.sii_ci[1]:+.1f}); RII {grad.rii:.2f} "
                   f"({grad.rii_ci[0]:.2f} to {grad.rii_ci[1]:.2f}), OHID definition: least / most deprived fitted reach.")
if grad.note:
    summary.append(grad.note)
st.markdown(" ".join(summary))

left, right = st.columns([3, 2])
chart = clinic.reach_chart(shown.table, kind, f"Reach by national IMD {kind}, with 95% intervals")
with left:
    st.altair_chart(chart, width="stretch", key="reach_chart")
    chart_downloads(chart, f"reach_chart_by_{kind}", footer_text(source_text, extra), key="reach_png")
with right:
    cols = ["group", "infants_resident", "infants_attending", "reach_per_1000", "reach_lower", "reach_upper", "attendances", "attendances_per_1000", "share_two_plus", "median_attendances"]
    display = shown.display({"infants_resident": "{:,.0f}", "reach_per_1000": "{:.1f}", "reach_lower": "{:.1f}", "reach_upper": "{:.1f}",
                             "attendances_per_1000": "{:.1f}", "share_two_plus": "{:.0%}", "median_attendances": "{:.1f}",
                             "attendances_lower": "{:.1f}", "attendances_upper": "{:.1f}", "two_plus_lower": "{:.0%}", "two_plus_upper": "{:.0%}"})
    st.dataframe(display[cols].rename(columns={"group": kind.capitalize()}), hide_index=True, key="reach_table", column_config={
        "infants_resident": "Infants aged 0", "infants_attending": "Infants attending", "reach_per_1000": "Reach per 1,000",
        "reach_lower": "95% lower", "reach_upper": "95% upper", "attendances": "Attendances", "attendances_per_1000": "Attendances per 1,000",
        "share_two_plus": "Came 2+ times", "median_attendances": "Median attendances",
    })
    st.caption(suppression_note())
table_downloads(display, f"reach_by_{kind}", source_text, extra, key="reach_dl")

st.subheader("Continued use")
st.markdown("Share of infants attending who came two or more times (95% Wilson interval), and the median number of attendances.")
st.dataframe(display[["group", "infants_attending", "two_plus", "share_two_plus", "two_plus_lower", "two_plus_upper", "median_attendances"]]
             .rename(columns={"group": kind.capitalize()}), hide_index=True, key="continued_table")

st.subheader("By month")
month = reach.monthly(valid if chosen == "all" else valid[valid["clinic"] == chosen], kids)
month_shown = clinic.suppressed(month, ["attendances", "infants_attending"])
month_chart = (
    alt.Chart(month_shown.table.dropna(subset=["attendances"]), title=alt.Title("Attendances of infants, by month", anchor="start"))
    .mark_line(point=True, color="#005EB8").encode(x=alt.X("month:O", title="Month"), y=alt.Y("attendances:Q", title="Attendances"))
)
st.altair_chart(month_chart, width="stretch", key="month_chart")
if ends := reach.extremes(month_shown.table, "attendances", "month"):
    st.caption(f"Text summary: attendances were highest in {ends[0]} ({ends[1]:,.0f}) and lowest in {ends[2]} ({ends[3]:,.0f}).")
chart_downloads(month_chart, "attendances_by_month_chart", footer_text(source_text, extra), key="month_png")
st.dataframe(month_shown.display(), hide_index=True, key="month_table")
table_downloads(month_shown.display(), "reach_by_month", source_text, extra, key="month_dl")

st.subheader("By local authority")
by_la = reach.by_local_authority(kids, lsoas)
la_shown = clinic.suppressed(by_la, ["infants_attending"], lines=[["region"]], dependent={"infants_attending": ["reach_per_1000", "reach_lower", "reach_upper"]})
la_col, la_table = st.columns([3, 2])
with la_col:
    la_map = (
        alt.Chart(alt.Data(values=clinic.la_features(la_shown.table)), title=alt.Title("Reach per 1,000 infants aged 0, by local authority", anchor="start"))
        .mark_geoshape(stroke="white")
        .encode(color=alt.Color("properties.reach:Q", scale=alt.Scale(scheme="viridis"), title="Per 1,000"),
                tooltip=[alt.Tooltip("properties.name:N", title="Local authority"), alt.Tooltip("properties.reach:Q", format=".0f", title="Per 1,000")])
        .project("mercator").properties(height=380)
    )
    st.altair_chart(la_map, width="stretch", key="la_map")
    if ends := reach.extremes(la_shown.table, "reach_per_1000", "lad_name"):
        st.caption(f"Text summary: reach is highest in {ends[0]} ({ends[1]:.0f} per 1,000) and lowest in {ends[2]} ({ends[3]:.0f} per 1,000).")
    chart_downloads(la_map, "reach_map_by_local_authority", footer_text(source_text, extra), key="la_png")
with la_table:
    la_display = la_shown.display({"infants_resident": "{:,.0f}", "reach_per_1000": "{:.0f}", "reach_lower": "{:.0f}", "reach_upper": "{:.0f}"})
    st.dataframe(la_display.drop(columns=["lad_code"]), hide_index=True, key="la_table")
table_downloads(la_display, "reach_by_local_authority", source_text, extra, key="la_dl")

st.subheader("Who attends")
profile = reach.profile(valid, kids, area)
q = clinic.suppressed(profile["quintile"], ["infants_attending"], dependent={"infants_attending": ["share_of_attending"]})
st.markdown("Attending infants against resident infants, by national IMD quintile: where the attending share is below the resident share, that quintile is under-served.")
q_display = q.display({"infants_resident": "{:,.0f}", "share_of_attending": "{:.1%}", "share_of_resident": "{:.1%}"})
st.dataframe(q_display, hide_index=True, key="profile_quintile")
table_downloads(q_display, "who_attends_by_quintile", source_text, extra, key="profile_dl_quintile")
for key, title in (("ethnic_group", "Ethnic group"), ("parent_age_band", "Parent age band"), ("first_time_parent", "First-time parent"), ("interpreter", "Interpreter needed")):
    if key in profile:
        shown_p = clinic.suppressed(profile[key], ["infants_attending"], dependent={"infants_attending": ["share"]})
        st.markdown(f"**{title}** of attending infants' families (at first attendance). The reference data have no infant population by {title.lower()} for a comparison.")
        st.dataframe(shown_p.display({"share": "{:.1%}"}), hide_index=True, key=f"profile_{key}")
        table_downloads(shown_p.display({"share": "{:.1%}"}), f"who_attends_by_{key}", source_text, extra, key=f"profile_dl_{key}")

if not in_meeting():
    clinic.save_audit(valid)
