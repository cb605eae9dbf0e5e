"""Briefing pack: one click builds a decision brief for a region, as a PDF and a PowerPoint deck."""

import streamlit as st

from dashboard import briefing
from dashboard.regions import region_label
from dashboard.ui import data, maps, viewdata
from dashboard.ui.widgets import choice
from dashboard.vocabulary import DEFAULT_INDEX, REGION_NAMES

st.title("Briefing pack")
st.markdown(
    "A decision brief for one region, built from the same views as the pages and the meeting steps, so its numbers "
    "equal the screen: an executive summary of headline sentences, then coverage by tier, the map of gaps, baby clinic "
    "reach, the priority barriers and the scenarios side by side, each with its chart, and sources and methods last. "
    "Only the region's own workshops, scenarios and services are in it."
)

region = choice("Region (ICB)", list(REGION_NAMES), default="NENC", required=True, key="pack_region",
                              format_func=lambda r: f"{region_label(r)}: {REGION_NAMES[r]}") or "NENC"
area_names, area_regions = data.area_lookup()
in_region = [s["name"] for s in data.scenarios() if area_regions.get(s["area_code"]) == region]
if in_region:
    chosen = st.multiselect("Scenarios to include (up to four; the first is the preferred one)", in_region, default=in_region[:1],
                            max_selections=4, key="pack_scenarios")
else:
    chosen = []
    st.caption(f"No scenario has been saved for an area in {region} yet: save some on the Value for money page to include them.")
valid, synthetic = viewdata.extract()
st.caption("Baby clinic reach uses " + ("the SYNTHETIC demonstration extract." if synthetic else "the extract accepted on the Baby clinic reach page in this session."))

if st.button("Build the briefing pack", type="primary", key="pack_build"):
    with st.status("Building the briefing pack…", expanded=True) as status:
        bar = st.progress(0.0)

        def progress(step, text):
            bar.progress(min(step / 8, 1.0), text=text)

        progress(0, "Views")
        views = {key: viewdata.view_for(key, region) for key in ("overview", "coverage", "reach", "barriers")}
        plan = viewdata.view_for("actions", region)
        if len(plan.table("actions").frame):  # the region's top actions, when it has a plan
            views["actions"] = plan
        views["scenarios"] = viewdata.scenarios(region, chosen)
        progress(1, "Map")
        cov = views["coverage"]
        png = maps.map_png(DEFAULT_INDEX, region, "decile_imd", None, cov.extras["coverage"], cov.footer(),
                           services=cov.extras["services"], gaps=True)()
        pack = briefing.build(region, views, png, data.provenance(), progress=progress)
        progress(7, "Writing the PDF and the deck")
        st.session_state["pack"] = (region, briefing.to_pdf(pack), briefing.to_pptx(pack))
        progress(8, "Done")
        status.update(label="The briefing pack is ready", state="complete")

if "pack" in st.session_state:
    made_for, pdf, pptx = st.session_state["pack"]
    c1, c2 = st.columns(2)
    c1.download_button("Download the PDF", pdf, f"pair_atlas_briefing_{made_for}.pdf", "application/pdf", icon=":material/picture_as_pdf:", on_click="ignore", key="pack_pdf")
    c2.download_button("Download the PowerPoint deck", pptx, f"pair_atlas_briefing_{made_for}.pptx",
                       "application/vnd.openxmlformats-officedocument.presentationml.presentation", icon=":material/slideshow:", on_click="ignore", key="pack_pptx")
