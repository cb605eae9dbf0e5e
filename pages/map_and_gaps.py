"""Map and gaps: coverage by tier on a deprivation map, the gaps, what-if sites and the register."""

import pandas as pd
import streamlit as st

from dashboard import mapview
from dashboard.coverage import TIER_LABELS, TIER_ORDER
from dashboard.regions import filter_region
from dashboard.services import SERVICE_TYPES, STATUSES
from dashboard.ui import data, errors, livemap, maps, show, viewdata, whatif
from dashboard.ui.register_forms import import_section, register_editor
from dashboard.ui.state import bound
from dashboard.ui.widgets import choice, illustrative_toggle, index_picker, region_picker
from dashboard.vocabulary import INDEXES

st.title("Map and gaps")

COUNTS_AS = {"specialist": "Specialised PAIR team", "targeted": "Targeted or specialised", "universal": "Any tier"}
header = st.container(horizontal=True, vertical_alignment="bottom")  # one block, not four columns: less for the browser to lay out
with header:
    region = region_picker()
    index = index_picker()
all_lsoas = data.lsoas(index)
version = data.store_or_stop().version
la_names = viewdata.local_authorities(version, index, region, _lsoas=all_lsoas)
# the area and what counts as cover in a small panel, made in the browser when opened (the page and
# its map draw sooner without a list box to load); what they are set to is written beside it
with header, st.popover("Area and cover", icon=":material/tune:", key="map_options"):
    lad = bound(st.selectbox, "Zoom to local authority", ["all", *la_names], format_func=lambda c: "Whole region" if c == "all" else la_names[c], key="la")
    counts_as = bound(st.selectbox, "Counts as covered", TIER_ORDER, format_func=COUNTS_AS.get, key="counts_as",
                      help="Which services close a gap. The headline is always the specialised PAIR team figure, with the other tiers beside it.")
    # in the panel too (a switch beside the sections was one more kind of control for the page to load before
    # its map); whether it is on is written beside the panel, and every figure it touches says so
    illustrative = illustrative_toggle()
lad = None if lad in (None, "all") or lad not in la_names else lad
with header:
    show.text(f"{show.escape_md(la_names[lad] if lad else 'Whole region')}; counted as cover: "
              f"{show.escape_md(COUNTS_AS.get(counts_as, counts_as))}", small=True, width=220)
SECTIONS = ["Map", "Coverage and gaps", "What-if", "Service register"]
with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
    section = bound(choice, "Show", SECTIONS, default=SECTIONS[0], required=True, key="view", label_visibility="collapsed") or SECTIONS[0]
    show.text("Illustrative services: " + ("**included** (synthetic demonstration data)" if illustrative else "left out")
              + " (see Area and cover)", small=True)
services, services_token = data.services_with_token()
hypothetical = pd.DataFrame(st.session_state.get("hypothetical", []))
if section == "Map":
    drawn = viewdata.site_points(services_token, illustrative, hypothetical.to_json(orient="records") if len(hypothetical) else "", version, index, region,
                                 _services=services, _hypothetical=hypothetical, _lsoas=all_lsoas)
view = viewdata.coverage_filtered(region, index, version, services_token, illustrative, counts_as, lad,
                                  hypothetical if len(hypothetical) else None, _services=services, _lsoas=all_lsoas)
cov_region = view.extras["coverage"]

if section == "Map":
    @errors.fragment
    def map_view():
        """The map and the clicked neighbourhood's details: a click reruns only this."""
        left, right = st.columns([3, 2])
        with left:
            # in the fragment: a change of colouring reruns only the map and its details, and sends only new classes
            # the colouring and the outlines in a small panel made when opened (a change reruns only the map and
            # its details); the legend and the caption under the map say what is shown
            with st.popover("Colouring and outlines", icon=":material/palette:", key="map_colouring"):
                layer = bound(st.selectbox, "Colour neighbourhoods by", list(mapview.LAYERS), format_func=mapview.LAYERS.get, key="layer")
                highlight = st.toggle("Outline deprived areas without cover", value=True, key="highlight",
                                      help="Red outline: neighbourhoods in national IMD deciles 1-2 not covered by the tier that counts")
            clicked, legend = livemap.live_map(index, region, layer, lad, cov_region, drawn, highlight, selected=st.session_state.get("clicked_lsoa"))
            if clicked:
                st.session_state["clicked_lsoa"] = clicked  # shown below, and offered as the what-if site
            livemap.legend(
                legend,
                "Service sites: dark blue = specialised PAIR team, orange = targeted, grey = universal; large with a white ring = real service "
                "(a service known only by its commissioned area is drawn at that area's centre), small and pale = illustrative, "
                "black ring = hypothetical. "
                + ("Red outline: deprived neighbourhoods without cover. " if highlight else "Outlines of deprived neighbourhoods without cover: off. ")
                + "Click a neighbourhood for its details.",
            )
        with right:
            code = st.session_state.get("clicked_lsoa")
            with st.container(border=True, key="lsoa_details"):
                if code in set(cov_region["lsoa_code"]):
                    row = cov_region.set_index("lsoa_code").loc[code]
                    tiers = [TIER_LABELS[t] for t in TIER_ORDER if row[f"covered_{t}"]]
                    show.text(
                        f"**{show.escape_md(row['lsoa_name'])} ({code})**\n\n"
                        f"{show.escape_md(row['lad_name'])} · IMD decile **{int(row['imd_decile'])}** (quintile {int(row['imd_quintile'])}) · "
                        f"infants aged 0 **{row['infants_0']:,.0f}**\n\n"
                        "**Within reach of:** " + show.escape_md(", ".join(tiers) or "no counted service") + "\n\n"
                        "**Services reaching it:** " + show.escape_md(row["services"] or "none")
                    )
                else:
                    show.text("**Details**", caption="Click a neighbourhood on the map to see its deprivation, infants and the services that reach it.")
            show.headline_and_metrics(view, columns=2)
            footer = view.footer()
            with show.download_menu("map", "This map view, with its legend and source"):
                st.download_button("Download this map view (PNG)", maps.map_png(index, region, layer, lad, cov_region, footer, services=drawn, gaps=highlight),
                                   file_name=f"pair_atlas_map_{region}_{layer}.png", mime="image/png", icon=":material/image:", on_click="ignore", key="map_png")
                st.download_button("Download this map view (SVG)", maps.map_png(index, region, layer, lad, cov_region, footer, "svg", services=drawn, gaps=highlight),
                                   file_name=f"pair_atlas_map_{region}_{layer}.svg", mime="image/svg+xml", icon=":material/image:", on_click="ignore", key="map_svg")

    map_view()
    # below the first screen: made when opened (its state is in the URL), so the map draws sooner
    with bound(st.expander, "Every neighbourhood on the map, as a table (the same values, for keyboard and screen-reader use)", key="lsoa_table") as box:
        if box.open:
            show.table(view.table("lsoas"), view, "map_table", height=300)

if section == "Coverage and gaps":
    show.headline(view)
    show.metrics(view)
    show.chart(view.chart("tiers"), view, "coverage_chart")
    show.table(view.table("coverage_by_quintile"), view, "coverage_table")
    show.table(view.table("gap_areas"), view, "gap_areas")
    show.table(view.table("gap_lsoas"), view, "gap_lsoas", height=360)
    show.notes(view)

if section == "What-if":
    whatif.section(region, index, filter_region(all_lsoas, region), services, illustrative, counts_as, view)

if section == "Service register":
    st.markdown(
        "The register of services. *Public* rows are publicly documented (with source and date); "
        "*local* rows are your own data; *illustrative* rows are synthetic demonstration data and count in no figure unless included."
    )
    shown = services.assign(status=services["status"].map(lambda s: STATUSES.get(s, s)))
    st.dataframe(
        shown[["id", "name", "provider", "service_type", "tier", "tier_reason", "postcode", "catchment_codes", "travel_km", "capacity_families", "source", "as_of", "status"]]
        .rename(columns={"id": "ID", "name": "Name", "provider": "Provider", "service_type": "Type", "tier": "Tier", "tier_reason": "Why this tier",
                         "postcode": "Postcode", "catchment_codes": "Catchment", "travel_km": "Travel (km)", "capacity_families": "Families a year",
                         "source": "Source", "as_of": "As of", "status": "Status"}),
        hide_index=True, key="register_table",
    )
    register_editor(services)
    import_section()

show.footer(view, f"Deprivation: {INDEXES[index].label}. Service types: {', '.join(SERVICE_TYPES)}.")
