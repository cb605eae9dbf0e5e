"""Map and gaps: deprivation map, service register, coverage, gaps and site what-if."""

import pandas as pd
import streamlit as st

from dashboard import coverage as cov_logic
from dashboard import mapview
from dashboard.exports import footer_text
from dashboard.regions import filter_region
from dashboard.services import SERVICE_TYPES, STATUSES, TIERS
from dashboard.ui import data, maps, register
from dashboard.ui.downloads import table_downloads
from dashboard.ui.meeting import active as in_meeting
from dashboard.ui.register_forms import import_section, register_editor, save_hypothetical
from dashboard.ui.widgets import index_picker, region_picker
from data_access.store import INDEXES

st.title("Map and gaps")
st.markdown(
    "Where are the infants in the most deprived neighbourhoods with no parent-infant relationship "
    "support within reach, and what would a new service change? **Decile 1 is the most deprived 10% "
    "of neighbourhoods (LSOAs) in England.** Services marked *illustrative* are synthetic demonstration "
    "data, not real services."
)

c1, c2, c3, c4 = st.columns([3, 2, 3, 3])
with c1:
    region = region_picker()
with c2:
    index = index_picker()
lsoas = filter_region(data.lsoas(index), region)
las = lsoas.drop_duplicates("lad_code").sort_values("lad_name")
la_names = dict(zip(las["lad_code"], las["lad_name"]))
with c3:
    layer = st.selectbox("Colour neighbourhoods by", list(mapview.LAYERS), format_func=mapview.LAYERS.get, key="layer", bind="query-params")
with c4:
    lad = st.selectbox(
        "Zoom to local authority", ["all", *la_names], format_func=lambda c: "Whole region" if c == "all" else la_names[c],
        key="la", bind="query-params",
    )
lad = None if lad in (None, "all") or lad not in la_names else lad

services = register.services()
types = st.multiselect(
    "Services that count as support", SERVICE_TYPES, default=SERVICE_TYPES, key="support",
    help="Coverage and gaps count only these types of service.",
)
cov_all = maps.coverage(index, services, tuple(types))
cov = filter_region(cov_all, region)
in_view = cov if lad is None else cov[cov["lad_code"] == lad]

SECTIONS = ["Map", "Coverage and gaps", "What-if", "Service register"]
section = st.segmented_control("Show", SECTIONS, default=SECTIONS[0], required=True, key="view", bind="query-params") or SECTIONS[0]

if section == "Map":

    @st.fragment
    def map_view():
        highlight = st.toggle("Outline uncovered LSOAs in deciles 1-2", value=True, key="highlight")
        sites = [
            {"lon": float(s.lon), "lat": float(s.lat), "colour": mapview.SERVICE_COLOURS.get(s.status, [66, 85, 99])}
            for s in services.itertuples() if pd.notna(s.lat) and s.service_type in types
        ]
        sites += [{"lon": h["lon"], "lat": h["lat"], "colour": mapview.SERVICE_COLOURS["hypothetical"]} for h in st.session_state.get("hypothetical", [])]
        deck, legend = maps.deck(index, region, layer, lad, cov_all, sites, highlight)
        left, right = st.columns([3, 2])
        with left:
            event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="lsoa_map", height=560)
            st.markdown(
                f"**{legend.title}** &nbsp; "
                + " ".join(f"<span style='background:{c};width:14px;height:14px;display:inline-block;border:1px solid #425563'></span>&nbsp;{label}&nbsp;" for c, label in legend.entries),
                unsafe_allow_html=True,
            )
            map_footer = footer_text(f"{INDEXES[index].label} (MHCLG); ONS LSOA boundaries; {mapview.LAYERS[layer]}")
            d1, d2 = st.columns(2)
            d1.download_button("Download this map view (PNG)", maps.map_png(index, region, layer, lad, cov_all, map_footer),
                               file_name=f"pair_atlas_map_{region}_{layer}.png", mime="image/png", icon=":material/image:", on_click="ignore", key="map_png")
            d2.download_button("Download this map view (SVG)", maps.map_png(index, region, layer, lad, cov_all, map_footer, "svg"),
                               file_name=f"pair_atlas_map_{region}_{layer}.svg", mime="image/svg+xml", icon=":material/image:", on_click="ignore", key="map_svg")
            v = cov_logic.view_summary(in_view)
            st.caption(
                f"Text summary: {v['lsoas']:,} LSOAs shown ({v['infants']:,.0f} infants aged 0); {v['deprived_lsoas']:,} are in national IMD deciles 1-2, "
                f"of which {v['uncovered_deprived_lsoas']:,} ({v['uncovered_deprived_infants']:,.0f} infants) are not reached by any service counted."
            )
            st.caption(
                "Dots: service sites (blue public, green local data, orange illustrative, red hypothetical). "
                "Thick dark lines: local authorities; blue lines: sub-ICB locations; red outline: uncovered LSOAs in deciles 1-2. "
                "Click an LSOA for its details."
            )
        with right:
            key = layer.removeprefix("decile_")
            cols = ["lsoa_code", "lsoa_name", "lad_name", "imd_decile", "infants_0", "services"]
            if layer != "infants" and key != "imd":
                cols.insert(4, f"{key}_decile")
            st.dataframe(
                in_view[cols].sort_values(["imd_decile", "lsoa_code"]),
                hide_index=True, height=560, key="map_table",
                column_config={
                    "lsoa_code": "LSOA", "lsoa_name": "Name", "lad_name": "Local authority",
                    "imd_decile": st.column_config.NumberColumn("IMD decile", format="%d"),
                    f"{key}_decile": st.column_config.NumberColumn(f"{mapview.LAYERS[layer]}", format="%d"),
                    "infants_0": st.column_config.NumberColumn("Infants aged 0", format="%.0f"),
                    "services": "Services reaching it",
                },
            )
            table_downloads(in_view[cols], "lsoas_in_view", f"{INDEXES[index].label} (MHCLG); ONS mid-2020 infants; PAIR Atlas service register",
                            "Includes illustrative (synthetic) services where listed", key="dl_map_table")
        picked = (event.selection.get("objects") or {}).get("lsoas") if event and event.selection else None
        if picked:
            code = (picked[0].get("properties") or picked[0]).get("lsoa_code")
            st.session_state["clicked_lsoa"] = code  # offered as the what-if site
            row = cov_all.set_index("lsoa_code").loc[code]
            with st.container(border=True, key="lsoa_details"):
                st.subheader(f"{row['lsoa_name']} ({code})")
                st.markdown(
                    f"{row['lad_name']} · {row['sicbl_name']} · {INDEXES[index].short} IMD decile **{int(row['imd_decile'])}** "
                    f"(quintile {int(row['imd_quintile'])}) · infants aged 0 **{row['infants_0']:,.0f}**, aged 0-4 {row['infants_0_4']:,.0f}"
                )
                domains = {mapview.LAYERS[f"decile_{k}"]: int(row[f"{k}_decile"]) for k in ("income", "employment", "education", "health", "crime", "housing", "environment")}
                st.dataframe(pd.DataFrame([domains]), hide_index=True)
                st.markdown(f"**Services reaching it:** {row['services'] or 'none'}")

    map_view()

if section == "Coverage and gaps":
    v = cov_logic.view_summary(in_view)
    m = st.columns(3)
    m[0].metric("Infants aged 0 in view", f"{v['infants']:,.0f}")
    m[1].metric("Reached by a service", f"{v['covered_infants']:,.0f}", help="Within a service's footprint or travel distance")
    m[2].metric("Not reached", f"{v['infants'] - v['covered_infants']:,.0f}")
    st.subheader("Infants reached, by national IMD quintile (1 = most deprived)")
    by = ["region"] if lad is None else ["region", "lad_name"]
    table = cov_logic.coverage_table(in_view, by)
    st.dataframe(
        table, hide_index=True, key="coverage_table",
        column_config={
            "quintile": "IMD quintile", "infants": st.column_config.NumberColumn("Infants aged 0", format="%.0f"),
            "lsoas": "LSOAs", "covered_infants": st.column_config.NumberColumn("Reached (any)", format="%.0f"),
            **{f"{t}_infants": st.column_config.NumberColumn(f"Reached ({t})", format="%.0f") for t in TIERS},
            "uncovered_infants": st.column_config.NumberColumn("Not reached", format="%.0f"),
            "share_covered": st.column_config.NumberColumn("Share reached", format="percent"),
        },
    )
    source = f"{INDEXES[index].label}; ONS mid-2020 infants; PAIR Atlas service register ({', '.join(types)})"
    table_downloads(table, "coverage_by_quintile", source, "Includes illustrative (synthetic) services where listed", key="dl_cov")
    st.subheader("Gaps: local authorities")
    st.caption("Ranked by deprivation-weighted uncovered infants: uncovered infants aged 0 x (11 - IMD decile) / 10.")
    areas = cov_logic.gap_areas(cov)
    st.dataframe(
        areas, hide_index=True, key="gap_areas",
        column_order=["rank", "lad_name", "region", "infants", "uncovered_infants", "share_uncovered", "uncovered_lsoas_decile_1_2", "gap_score", "lad_code"],
        column_config={
            "rank": "Rank", "lad_name": "Local authority", "region": "ICB", "lad_code": "Code",
            "infants": st.column_config.NumberColumn("Infants aged 0", format="%.0f"),
            "uncovered_infants": st.column_config.NumberColumn("Not reached", format="%.0f"),
            "share_uncovered": st.column_config.NumberColumn("Share not reached", format="percent"),
            "uncovered_lsoas_decile_1_2": st.column_config.NumberColumn("LSOAs in deciles 1-2 not reached", format="%d"),
            "gap_score": st.column_config.NumberColumn("Deprivation-weighted gap", format="%.0f"),
        },
    )
    table_downloads(areas, "gap_local_authorities", source, "Deprivation-weighted uncovered infants", key="dl_gap_areas")
    st.subheader("Gaps: neighbourhoods")
    gaps = cov_logic.gap_lsoas(in_view)
    st.dataframe(
        gaps, hide_index=True, key="gap_lsoas",
        column_config={
            "rank": "Rank", "lsoa_code": "LSOA", "lsoa_name": "Name", "region": "ICB", "lad_name": "Local authority",
            "imd_decile": st.column_config.NumberColumn("IMD decile", format="%d"),
            "infants_0": st.column_config.NumberColumn("Infants aged 0", format="%.0f"),
            "weight": st.column_config.NumberColumn("Weight", format="%.1f"),
            "gap_score": st.column_config.NumberColumn("Deprivation-weighted gap", format="%.1f"),
        },
    )
    table_downloads(gaps, "gap_list", source, "Deprivation-weighted uncovered infants", key="dl_gaps")

if section == "What-if" and in_meeting():
    st.info("Editing is hidden in meeting mode.")
if section == "What-if" and not in_meeting():
    st.markdown("Place a hypothetical service and see what it would add. Hypothetical sites are kept in this session only, unless you save one to the register.")
    ranked = cov_logic.gap_lsoas(in_view)
    options = ranked["lsoa_code"].tolist() or in_view["lsoa_code"].tolist()
    clicked = st.session_state.get("clicked_lsoa")
    if clicked in set(cov["lsoa_code"]):  # the LSOA last clicked on the map comes first
        options = [clicked, *[o for o in options if o != clicked]]
    names = dict(zip(cov["lsoa_code"], cov["lsoa_name"]))
    with st.form("whatif"):
        w1, w2 = st.columns(2)
        site = w1.selectbox("Site (LSOA: the one clicked on the map, then the largest gaps)", options, format_func=lambda c: f"{names.get(c, c)} ({c})")
        kind = w2.selectbox("Type", SERVICE_TYPES, index=0)
        w3, w4, w5 = st.columns(3)
        km = w3.number_input("Travel distance (km)", min_value=0.5, max_value=50.0, value=3.0, step=0.5)
        capacity = w4.number_input("Capacity (families a year)", min_value=0, max_value=100000, value=150, step=10)
        tier = w5.selectbox("Tier", TIERS, index=2)
        add = st.form_submit_button("Add hypothetical site")
    if add:
        point = cov_all.set_index("lsoa_code").loc[site]
        st.session_state.setdefault("hypothetical", []).append(cov_logic.hypothetical_service(
            -(len(st.session_state.get("hypothetical", [])) + 1), f"Hypothetical {kind} at {point['lsoa_name']}", kind, tier,
            point["point_lon"], point["point_lat"], km, int(capacity),
        ))
    hypo = st.session_state.get("hypothetical", [])
    if hypo:
        result = cov_logic.what_if(filter_region(data.lsoas(index), region), services[services["service_type"].isin(types)], pd.DataFrame(hypo))
        st.dataframe(pd.DataFrame(hypo)[["name", "tier", "travel_km", "capacity_families"]], hide_index=True, key="hypo_table")
        h = st.columns(3)
        h[0].metric("Infants newly reached", f"{result.by_quintile['newly_covered_infants'].sum():,.0f}")
        h[1].metric("In quintile 1", f"{result.by_quintile.iloc[0]['newly_covered_infants']:,.0f}")
        h[2].metric("Change in weighted gap", f"{result.gap_change:,.0f}", delta=f"{result.gap_change:,.0f}", delta_color="inverse")
        st.dataframe(result.by_quintile, hide_index=True, key="whatif_quintiles")
        b1, b2 = st.columns(2)
        if b1.button("Clear hypothetical sites"):
            st.session_state["hypothetical"] = []
            st.rerun()
        if b2.button("Save the last hypothetical site to the register"):
            save_hypothetical(hypo[-1])
    st.subheader("Suggest sites")
    s1, s2 = st.columns(2)
    k = s1.number_input("Number of sites", min_value=1, max_value=20, value=3, key="suggest_k")
    skm = s2.number_input("Travel distance (km)", min_value=0.5, max_value=50.0, value=3.0, step=0.5, key="suggest_km")
    if st.button("Suggest sites", key="suggest"):
        st.session_state["suggested"] = cov_logic.suggest_sites(in_view.reset_index(drop=True), int(k), float(skm))
    suggested = st.session_state.get("suggested")
    if suggested is not None and len(suggested):
        st.caption("Greedy maximal covering: each site reaches the most remaining deprivation-weighted uncovered infants.")
        st.dataframe(suggested, hide_index=True, key="suggested_table")
        table_downloads(suggested, "suggested_sites", "PAIR Atlas maximal covering heuristic on the service register", "Hypothetical sites, not services", key="dl_suggested")
        if st.button("Show the suggested sites on the map as hypothetical"):
            for s in suggested.itertuples():
                st.session_state.setdefault("hypothetical", []).append(cov_logic.hypothetical_service(
                    -1000 - s.site, f"Suggested site {s.site} at {s.lsoa_name}", types[0] if types else SERVICE_TYPES[0], "specialist",
                    s.lon, s.lat, skm, None,
                ))
            st.rerun()

if section == "Service register":
    st.markdown(
        "The register of services. *Public* rows are publicly documented (with source and date); "
        "*local* rows are your own data; *illustrative* rows are synthetic demonstration data."
    )
    shown = services.assign(status=services["status"].map(lambda s: STATUSES.get(s, s)))
    st.dataframe(
        shown[["id", "name", "provider", "service_type", "tier", "postcode", "catchment_codes", "travel_km", "capacity_families", "source", "as_of", "status"]],
        hide_index=True, key="register_table",
    )
    if not in_meeting():  # editing controls are hidden in meeting mode
        register_editor(services)
        import_section()
