"""Briefing pack: one click builds a PDF and a PowerPoint deck for a region."""

import streamlit as st

from dashboard import briefing
from dashboard.regions import filter_region
from dashboard.ui import clinic, data, maps, register
from data_access.config import REGION_NAMES
from data_access.repositories import BarrierRepository, ScenarioRepository

st.title("Briefing pack")
st.markdown(
    "A PDF and a PowerPoint deck for a planning meeting, built from the same functions as the pages, so the "
    "numbers match the screen: title and data vintages, the deprivation map, key figures, baby clinic reach by "
    "IMD quintile with intervals and the SII, the top barriers from the latest workshop, chosen scenarios side by "
    "side with their uncertainty, and a sources and caveats page."
)

region = st.segmented_control("Region (ICB)", list(REGION_NAMES), default="NENC", required=True, key="pack_region",
                              format_func=lambda r: f"{r}: {REGION_NAMES[r]}")
engine = register.repository().engine
scenario_repo = ScenarioRepository(engine)
saved = scenario_repo.names()
if saved:
    chosen = st.multiselect("Scenarios to include (up to four)", saved, max_selections=4, key="pack_scenarios")
else:
    chosen = []
    st.caption("No saved scenarios yet: save some on the Value for money page to include them.")
workshops = BarrierRepository(engine).workshops()
accepted = st.session_state.get("checked")
use_upload = accepted is not None and st.checkbox("Use the extract uploaded on the Baby clinic reach page (otherwise the synthetic demo)", key="pack_upload")

if st.button("Build the briefing pack", type="primary", key="pack_build"):
    with st.status("Building the briefing pack…", expanded=True) as status:
        bar = st.progress(0.0)

        def progress(step, text):
            bar.progress(step / 7, text=text)

        lsoas = filter_region(data.lsoas("iod2025"), region)
        progress(0, "Map image")
        services = register.services()
        cov = maps.coverage("iod2025", services, tuple(services["service_type"].unique()))
        png = maps.map_png("iod2025", region, "decile_imd", None, cov, "Source: MHCLG IoD 2025; ONS LSOA boundaries")()
        valid = accepted.valid if use_upload else clinic.demo()[1].valid
        workshop = None
        if not workshops.empty:
            latest = workshops.iloc[0]
            workshop = (latest["name"], BarrierRepository(engine).ratings(int(latest["id"])))
        pack = briefing.build(
            region, lsoas, services, data.provenance(), png, valid, not use_upload, workshop,
            [(n, scenario_repo.get(n)["inputs"]) for n in chosen], progress=progress,
        )
        progress(6, "Writing the PDF and the deck")
        st.session_state["pack"] = (region, briefing.to_pdf(pack), briefing.to_pptx(pack))
        progress(7, "Done")
        status.update(label="The briefing pack is ready", state="complete")

if "pack" in st.session_state:
    made_for, pdf, pptx = st.session_state["pack"]
    c1, c2 = st.columns(2)
    c1.download_button("Download the PDF", pdf, f"pair_atlas_briefing_{made_for}.pdf", "application/pdf", icon=":material/picture_as_pdf:", on_click="ignore", key="pack_pdf")
    c2.download_button("Download the PowerPoint deck", pptx, f"pair_atlas_briefing_{made_for}.pptx",
                       "application/vnd.openxmlformats-officedocument.presentationml.presentation", icon=":material/slideshow:", on_click="ignore", key="pack_pptx")
