"""The what-if section of Map and gaps: hypothetical and suggested sites with catchment and
capacity, and a site sent to the value-for-money page as a costed scenario."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import vfm
from dashboard.coverage import COUNTS_AS, hypothetical_service, suggest_sites, what_if
from dashboard.formatting import fmt
from dashboard.services import SERVICE_TYPES, TIERS
from dashboard.ui import nav, show
from dashboard.ui.register_forms import save_hypothetical
from dashboard.viewmodel import Column, Table

PREVALENCE = float(vfm.defaults()["inputs"]["prevalence"]["default"])
SITE_COLUMNS = [
    Column("name", "Site"), Column("tier", "Tier"), Column("travel_km", "Travel distance (km)", "decimal1"),
    Column("capacity_families", "Capacity (families a year)", "count"), Column("infants_within_reach", "Infants aged 0 newly within reach", "infants"),
    Column("families_in_need", "Families in need within reach", "infants"), Column("families_can_see", "Families it can see a year", "infants"),
]


def section(region: str, index: str, lsoas: pd.DataFrame, services: pd.DataFrame, illustrative: bool, counts_as: str, view) -> None:
    st.markdown(
        "Place a hypothetical service and see what it would add. A site has a **catchment** (travel distance) and an **annual capacity**: "
        f"*infants within reach* are the infants aged 0 living in the neighbourhoods it newly reaches; *families it can see* are the families "
        f"in need there (infants x prevalence of need, {fmt(PREVALENCE, 'percent')} from the value-for-money defaults) capped at its capacity. "
        "Hypothetical sites stay in this browser session unless you save one to the register."
    )
    counted = services if illustrative else services[services["status"] != "illustrative"]
    cov = view.extras["coverage"]
    ranked = cov[~cov["covered"]].sort_values("gap_score", ascending=False)
    options = ranked["lsoa_code"].tolist() or cov["lsoa_code"].tolist()
    clicked = st.session_state.get("clicked_lsoa")
    if clicked in set(cov["lsoa_code"]):  # the LSOA last clicked on the map comes first
        options = [clicked, *[o for o in options if o != clicked]]
    names = dict(zip(cov["lsoa_code"], cov["lsoa_name"]))
    with st.form("whatif"):
        w1, w2 = st.columns(2)
        site = w1.selectbox("Site (the neighbourhood clicked on the map, then the largest gaps)", options, format_func=lambda c: f"{names.get(c, c)} ({c})")
        kind = w2.selectbox("Type", SERVICE_TYPES, index=0)
        w3, w4, w5 = st.columns(3)
        km = w3.number_input("Travel distance (km)", min_value=0.5, max_value=50.0, value=3.0, step=0.5)
        capacity = w4.number_input("Capacity (families a year)", min_value=1, max_value=100000, value=150, step=10)
        tier = w5.selectbox("Tier", TIERS, index=TIERS.index("specialist"))
        add = st.form_submit_button("Add hypothetical site")
    if add:
        point = cov.set_index("lsoa_code").loc[site]
        hypo = st.session_state.setdefault("hypothetical", [])
        hypo.append(hypothetical_service(-(len(hypo) + 1), f"Hypothetical {kind} at {point['lsoa_name']}", kind, tier,
                                         point["point_lon"], point["point_lat"], km, int(capacity)))
        st.rerun()
    hypo = st.session_state.get("hypothetical", [])
    if hypo:
        result = what_if(lsoas, counted, pd.DataFrame(hypo), PREVALENCE, counts_as)
        show.cards([
            ("Infants aged 0 newly within reach", fmt(result.infants_within_reach, "infants"), "", ""),
            ("Families it can see a year", fmt(result.families_can_see, "infants"), "Families in need within reach, capped by each site's capacity", ""),
            ("Change in deprivation-weighted gap", fmt(result.gap_change, "signed0"), "", ""),
        ], 3)
        table = Table("hypothetical_sites", "Hypothetical sites", result.sites, SITE_COLUMNS)
        show.table(table, view, "hypo_table")
        st.caption("The map, its text summary and the gap tables include these sites while they are here.")
        b1, b2, b3 = st.columns(3)
        if b1.button("Clear hypothetical sites", key="clear_hypo"):
            st.session_state["hypothetical"] = []
            st.rerun()
        if b2.button("Save the last site to the register", key="save_hypo"):
            save_hypothetical({k: v for k, v in hypo[-1].items() if k != "status"})
        if b3.button("Cost the last site on Value for money", key="send_vfm", icon=":material/calculate:"):
            send_to_value_for_money(hypo[-1], region, lsoas)
    st.subheader("Suggest sites")
    s1, s2, s3 = st.columns(3)
    k = s1.number_input("Number of sites", min_value=1, max_value=20, value=3, key="suggest_k")
    skm = s2.number_input("Travel distance (km)", min_value=0.5, max_value=50.0, value=3.0, step=0.5, key="suggest_km")
    scap = s3.number_input("Capacity of each (families a year)", min_value=1, max_value=100000, value=150, step=10, key="suggest_cap")
    if st.button("Suggest sites", key="suggest"):
        in_view = view.extras["coverage"]
        st.session_state["suggested"] = suggest_sites(in_view.reset_index(drop=True), int(k), float(skm), float(scap), PREVALENCE)
    suggested = st.session_state.get("suggested")
    if suggested is not None and len(suggested):
        st.caption("Greedy maximal covering: each site reaches the most remaining deprivation-weighted infants without cover.")
        show.table(Table("suggested_sites", "Suggested sites (hypothetical, not services)", suggested, [
            Column("site", "Site", "int"), Column("lsoa_name", "Neighbourhood"), Column("lad_name", "Local authority"),
            Column("lsoas_reached", "Neighbourhoods reached", "count"), Column("uncovered_infants_reached", "Infants aged 0 within reach", "infants"),
            Column("families_can_see", "Families it can see a year", "infants"),
        ]), view, "suggested_table")
        if st.button("Show the suggested sites on the map as hypothetical", key="suggest_show"):
            for s in suggested.itertuples():
                st.session_state.setdefault("hypothetical", []).append(hypothetical_service(
                    -1000 - s.site, f"Suggested site {s.site} at {s.lsoa_name}", SERVICE_TYPES[0], "specialist", s.lon, s.lat, skm, int(scap)))
            st.rerun()


def send_to_value_for_money(site: dict, region: str, lsoas: pd.DataFrame) -> None:
    """Open Value for money with the site's families a year and region filled in: the budget is
    set so that the capacity (budget / cost per family with optimism bias) equals the site's."""
    icb = lsoas.loc[lsoas["region"] == region, "icb_code"]
    if icb.empty:
        st.error("Choose one region (NENC or BNSSG) to cost a site.")
        return
    spec = vfm.defaults()["inputs"]
    cost_each = float(st.session_state.get("vfm_cost_per_family", spec["cost_per_family"]["default"]))
    bias = float(st.session_state.get("vfm_optimism_bias", spec["optimism_bias"]["default"] * 100)) / 100
    st.session_state["vfm_area"] = icb.iloc[0]
    st.session_state["vfm_budget"] = float(round(site["capacity_families"] * cost_each * (1 + bias)))
    st.session_state["vfm_from_site"] = f"{site['name']}: {site['capacity_families']:,} families a year"
    st.switch_page(nav.page("value"))


__all__ = ["section", "COUNTS_AS"]
