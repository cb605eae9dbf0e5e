"""Value for money: what-if funding scenarios for parent-infant relationship services."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import vfm
from dashboard.exports import footer_text
from dashboard.ui import vfm_inputs as ui
from dashboard.ui.downloads import chart_downloads, table_downloads
from dashboard.services import text_problem
from dashboard.ui import data, show
from dashboard.ui.state import bound
from dashboard.ui.widgets import choice
from dashboard.formatting import fmt, sii_sentence
from dashboard.viewmodel import Column, Table
from dashboard.views import scenarios_view, vfm_tables, vfm_view
from dashboard.ui.observed import observed_section

st.title("Value for money")
st.markdown(
    "Build a what-if case for funding parent-infant relationship support. Every default shows its source; "
    "**illustrative** means no published figure exists, so put in your own. Money is in pounds at one "
    "price year (below), benefits are discounted by the HM Treasury Green Book schedule."
)

names, cohorts = ui.areas()
repo = ui.repo()
saved = repo.names()

NEW = "(new from defaults)"
if "scenario_next" in st.session_state:  # set by Save or Delete below, applied before the widget exists
    st.session_state["scenario"] = st.session_state.pop("scenario_next")
# The scenario and the area in a small panel, made in the browser when opened (the first screen has
# no list box to load); what they are set to is written beside it.
s1, s2 = st.columns([2, 5], vertical_alignment="center")
with s1, st.popover("Scenario and area", icon=":material/folder_open:", width="stretch", key="vfm_pick"):
    scenario = bound(st.selectbox, "Scenario", [NEW, *saved], key="scenario",
                     help="Saved scenarios open from their link: the name is in the address.")
    if scenario in saved and st.session_state.get("vfm_loaded") != scenario:
        row = repo.get(scenario)
        ui.load_into_state(vfm.Inputs.from_json(row["inputs"]), row["area_code"])
        st.session_state["vfm_loaded"] = scenario
        st.rerun()
    area = st.selectbox("Area", list(names), format_func=names.get, key="vfm_area")
with s2:
    st.markdown(f"**Scenario:** {show.escape_md(scenario)} · **Area:** {show.escape_md(names[area])}")
cohort = cohorts[area]
if "vfm_from_site" in st.session_state:
    st.info(f"From a what-if site on Map and gaps: {show.escape_md(st.session_state['vfm_from_site'])}. The budget is set so that the capacity matches.",
            icon=":material/add_location:")
st.caption(f"Annual cohort: **{cohort:,.0f} infants aged 0** in {names[area]} (ONS mid-2020 small-area estimates, by the LSOA -> ICB lookup).")

if "vfm_observed_apply" in st.session_state:  # set by "Use the observed values" below, applied before the widgets exist
    values, note = st.session_state.pop("vfm_observed_apply")
    for name, value in values.items():
        st.session_state[ui.PREFIX + name] = round(value * 100, 4)
    st.session_state["vfm_observed_note"] = note
if "vfm_observed_note" in st.session_state:
    st.info(st.session_state["vfm_observed_note"], icon=":material/fact_check:")
# The inputs' panel is made when opened (its state is in the URL); closed, the inputs as last set are used and summed up.
with bound(st.expander, "Inputs: change the 15 inputs, each with its source and status", key="vfm_inputs",
           icon=":material/tune:") as box:
    inputs = ui.input_widgets(cohort, shown=bool(box.open))
if not box.open:
    st.caption("Inputs in brief: " + show.escape_md(ui.in_brief(inputs)) + " Open *Inputs* above to change them; every input with its source is in *Summary*.")
problems = vfm.validate(inputs)
if problems:
    for p in problems:
        st.error(p, icon=":material/error:")
    st.stop()

area_names, area_regions = data.area_lookup()
view = vfm_view(inputs, names[area], area_regions[area])
out, payback = view.extras["out"], view.extras["payback"]
st.markdown(f"**{show.escape_md(view.question)}**")
show.headline(view)
show.metrics(view, columns=5)
show.notes(view)

# Saving in a panel of its own (made in the browser when opened: no text box to load for the first screen).
with st.popover("Save, duplicate or delete this scenario" if scenario in saved else "Save this scenario", icon=":material/save:", key="vfm_save"):
    new_name = st.text_input("Save as", value="" if scenario not in saved else scenario, max_chars=120, key="save_name")
    name_problem = text_problem(new_name.strip(), 120) if new_name.strip() else None
    if st.button("Save scenario", type="primary", disabled=not new_name.strip()):
        if name_problem:
            st.error(f"Not saved: the name {name_problem}.", icon=":material/error:")
        else:
            repo.save(new_name.strip(), area, inputs.to_json())
            st.session_state["vfm_loaded"] = new_name.strip()
            st.session_state["scenario_next"] = new_name.strip()
            st.toast(f"Saved '{show.escape_md(new_name.strip())}'")
            st.rerun()
    if scenario in saved and st.button("Duplicate"):
        copy = f"{scenario} (copy)"
        n = 2
        while copy in saved:
            copy, n = f"{scenario} (copy {n})", n + 1
        repo.duplicate(scenario, copy)
        st.toast(f"Duplicated as '{show.escape_md(copy)}'")
        st.rerun()
    if scenario in saved and st.button("Delete"):
        repo.delete(scenario)
        st.session_state.pop("vfm_loaded", None)
        st.session_state["scenario_next"] = NEW
        st.rerun()

SECTIONS = ["Over time", "Sensitivity", "Uncertainty", "Equity", "Compare", "Observed", "Summary"]
section = bound(choice, "Show", SECTIONS, default=SECTIONS[0], required=True, key="vfm_view") or SECTIONS[0]
extra = "Illustrative inputs are marked; see the summary for every source"
source = f"PAIR Atlas value-for-money model; {names[area]}"

if section == "Over time":
    years = vfm.yearly(inputs)
    chart = alt.layer(
        alt.Chart(years).mark_line(color="#005EB8", point=True).encode(x=alt.X("year:O", title="Year"), y=alt.Y("cumulative_discounted:Q", title="£ (discounted)"),
                                                                      tooltip=["year", alt.Tooltip("cumulative_discounted:Q", format=",.0f")]),
        alt.Chart(years).mark_rule(color="#D5281B", strokeDash=[6, 4]).encode(y="cost:Q"),
    ).properties(height=320, title=alt.Title("Cumulative discounted benefits (line) against the cost (dashed)", anchor="start"))
    show.figure(chart, "time_chart")
    st.caption(f"Text summary: discounted benefits reach {ui.money(years['cumulative_discounted'].iloc[-1])} by year {inputs.horizon} against a cost of "
               f"{ui.money(out['cost'])}; " + ("they never reach the cost within the horizon." if payback is None else f"they pass the cost in year {payback}."))
    chart_downloads(chart, "benefits_over_time_chart", footer_text(source, extra), key="time_png")
    with bound(st.expander, "Year by year, as a table", key="vfm_years") as box:  # made when opened (its state is in the URL)
        if box.open:
            show.table(vfm_tables(inputs)["years"], view, "years_table")

if section == "Sensitivity":
    torn = vfm.tornado(inputs)
    long = torn.melt(id_vars=["label", "base", "swing"], value_vars=["at_low", "at_high"], var_name="end", value_name="npv")
    chart = alt.Chart(long, title=alt.Title("One-way sensitivity of the net present value", anchor="start")).mark_bar().encode(
        y=alt.Y("label:N", sort=list(torn["label"]), title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("npv:Q", title="Net present value (£)"), x2=alt.X2("base:Q"),
        color=alt.Color("end:N", scale=alt.Scale(domain=["at_low", "at_high"], range=["#ED8B00", "#005EB8"]), title="Input at",
                        legend=alt.Legend(labelExpr="datum.label == 'at_low' ? 'low' : 'high'")),
        tooltip=["label", "end", alt.Tooltip("npv:Q", format=",.0f")],
    ).properties(height=alt.Step(24))
    show.figure(chart, "tornado")
    st.caption(f"Text summary: the net present value is most sensitive to {torn.iloc[0]['label'].lower()} ({ui.money(torn.iloc[0]['at_low'])} to "
               f"{ui.money(torn.iloc[0]['at_high'])}), then {torn.iloc[1]['label'].lower()}.")
    chart_downloads(chart, "sensitivity_tornado", footer_text(source, extra), key="tornado_png")
    show.table(vfm_tables(inputs)["tornado"], view, "tornado_table")

if section == "Uncertainty":
    n = st.select_slider("Draws", [1000, 10000, 50000], value=10000, key="psa_n")
    psa = vfm.probabilistic(inputs, n=n)
    show.cards([("Probability that benefits exceed costs", fmt(psa["p_benefits_exceed_costs"], "percent"), "", "")], 1)
    show.table(vfm_tables(inputs, psa=psa)["uncertainty"], view, "psa_table")
    hist = vfm.npv_histogram(psa)  # the drawing carries 50 bars, not every draw
    chart = alt.Chart(hist, title=alt.Title(f"Net present value over {n:,} draws (seeded)", anchor="start")).mark_bar(color="#005EB8").encode(
        x=alt.X("low:Q", title="Net present value (£)"), x2="high:Q", y=alt.Y("draws:Q", title="Draws"),
        tooltip=[alt.Tooltip("low:Q", format=",.0f", title="From (£)"), alt.Tooltip("high:Q", format=",.0f", title="To (£)"),
                 alt.Tooltip("draws:Q", format=",", title="Draws")])
    show.figure(chart, "psa_chart")
    chart_downloads(chart, "uncertainty_histogram", footer_text(source, extra), key="psa_png")
    st.caption("Uncertain inputs only: beta distributions for proportions and log-normal for money, each fitted so that its 2.5th and 97.5th "
               "percentiles are the input's plausible low and high (moved with your value when you change it). Held fixed: the budget (a decision), "
               "the optimism-bias uplift (a fixed adjustment) and the time horizon.")


if section == "Equity":
    from dashboard.ui import data as store_data

    lsoas = store_data.lsoas("iod2025")
    in_area = lsoas[(lsoas["icb_code"] == area) | (lsoas["lad_code"] == area)]
    infants_q = vfm.quintile_infants(in_area)
    method = st.radio("Allocate families reached", ["need", "equal", "custom"], horizontal=True, key="equity_method",
                      format_func={"need": "In proportion to need", "equal": "Equally per infant", "custom": "Custom shares"}.get)
    custom = None
    if method == "custom":
        cols = st.columns(5)
        custom = [cols[q].number_input(f"Quintile {q + 1} share (%)", 0.0, 100.0, 20.0, key=f"eq_{q}") for q in range(5)]
        if sum(custom) == 0:
            st.error("Give at least one quintile a share above zero.")
            st.stop()
    table = vfm.equity_table(inputs, infants_q, method, custom)
    sii = vfm.reach_sii(table)
    st.markdown(show.escape_md(sii_sentence(sii, None, "families reached per 1,000 infants")))
    st.caption("'In proportion to need' weights infants by an illustrative need ratio, twice as high in quintile 1 as in quintile 5 (disorganised attachment is 2-3 times more common in high-risk groups: van IJzendoorn et al. 1999; Cyr et al. 2010).")
    chart = alt.Chart(table, title=alt.Title("Families reached per 1,000 infants, by national IMD quintile (1 = most deprived)", anchor="start")).mark_bar(color="#005EB8").encode(
        x=alt.X("quintile:O", title="IMD quintile"), y=alt.Y("reach_per_1000:Q", title="Families per 1,000 infants"))
    show.figure(chart, "equity_chart")
    st.caption(f"Text summary: {table.loc[0, 'families_reached']:,.0f} families reached in quintile 1 ({table.loc[0, 'reach_per_1000']:.1f} per 1,000 infants) "
               f"against {table.loc[4, 'families_reached']:,.0f} in quintile 5 ({table.loc[4, 'reach_per_1000']:.1f} per 1,000).")
    chart_downloads(chart, "equity_by_quintile_chart", footer_text(source, extra), key="equity_png")
    show.table(vfm_tables(inputs, equity=table)["equity"], view, "equity_table")

if section == "Compare":
    region = area_regions[area]
    in_region = [n["name"] for n in data.scenarios() if area_regions.get(n["area_code"]) == region]
    st.caption(f"Scenarios saved for areas in {region} (the region of the chosen area); each shows its area.")
    chosen = st.multiselect("Scenarios to compare (up to four; the first is the preferred one)", in_region, default=in_region[:2],
                            max_selections=4, key="compare") if in_region else []
    if chosen:
        view = scenarios_view(region, data.scenarios(chosen), area_names, area_regions)
        show.headline(view)
        show.chart(view.chart("scenarios"), view, "compare_chart")
        show.table(view.table("scenarios"), view, "compare_table")
        frame = ui.comparison(chosen, names, cohorts)
        first = frame.columns[0]

        def differ(col):
            return ["background-color: #FFF3CD" if str(v) != str(frame.loc[i, first]) else "" for i, v in col.items()]

        st.markdown("**Inputs side by side**")
        st.dataframe(frame.astype(str).style.apply(differ, axis=0), key="compare_inputs")
        st.caption(f"Highlighted: values that differ from '{show.escape_md(first)}'.")
    else:
        st.info(f"Save at least one scenario for an area in {region} to compare.")

if section == "Observed":
    observed_section(area_regions[area], inputs)

if section == "Summary":
    summary = vfm.summary_rows(inputs)
    outputs = pd.DataFrame({"output": [m.label for m in view.metrics], "value": [m.text for m in view.metrics]})
    psa = view.extras["psa"]
    st.markdown(f"### {show.escape_md(scenario if scenario in saved else 'Unsaved scenario')}: {names[area]}")
    show.table(vfm_tables(inputs)["summary"], view, "summary_inputs")
    show.table(Table("scenario_outputs", "Outputs", outputs, [Column("output", "Output"), Column("value", "Value")]), view, "summary_outputs")
    st.markdown(show.escape_md(view.summary + " " + view.notes[0]))
    caveats = ("Caveats: illustrative inputs are not published figures; money values keep their sources' price bases; the value of an improved "
               "outcome comes from modelled lifetime costs, not from trials of this service; need weights by deprivation are illustrative.")
    st.caption(caveats)
    table_downloads(pd.concat([summary.astype(str), outputs.astype(str).rename(columns={"output": "input"})], ignore_index=True),
                    "scenario_summary", source, extra + ". " + caveats, key="summary_dl")
    html = ui.printable(scenario if scenario in saved else "Unsaved scenario", names[area], summary, outputs, psa, caveats, footer_text(source))
    st.download_button("Printable one-page summary (HTML)", html, "scenario_summary.html", "text/html", on_click="ignore", key="summary_html")
