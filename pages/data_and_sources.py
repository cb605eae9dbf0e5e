"""Data and sources: provenance of every reference file, and the attribution statements."""

import streamlit as st

from dashboard.provenance import ATTRIBUTIONS, METHOD_NOTES
from dashboard.ui import admin, data, show
from dashboard.ui.downloads import table_downloads
from dashboard.ui.state import bound
from dashboard.viewmodel import Column, Table

st.title("Data and sources")
st.markdown(
    "Every figure in PAIR Atlas comes from the official open datasets below, read from the files "
    "listed (with their SHA-256 checksums) when the reference store was built."
)

info = data.build_info()
show.cards([
    ("Store built", info["built_at"][:16].replace("T", " ") + " UTC", "", ""),
    ("LSOAs 2021", f"{info['lsoa21']:,}", "NENC + BNSSG, by the ONS April 2024 LSOA -> ICB lookup", ""),
    ("LSOAs 2011", f"{info['lsoa11']:,}", "NENC + BNSSG, by the ONS July 2022 LSOA -> ICB lookup", ""),
    ("Postcodes", f"{info['postcodes']:,}", "OS Code-Point Open units in the two regions' postcode areas", ""),
], 4)

st.subheader("Datasets and files")
provenance = Table("provenance", "Datasets and files", data.provenance(), [
    Column("dataset", "Dataset"), Column("title", "Title"), Column("publisher", "Publisher"), Column("vintage", "Vintage"),
    Column("licence", "Licence"), Column("source_file", "Source file"), Column("bytes", "Bytes", "count"), Column("sha256", "SHA-256", "code"),
    Column("url", "Publisher page", "link")])
show.table(provenance, None, "provenance_table", downloads=False, html=True)
table_downloads(data.provenance(), "reference_data_provenance", "PAIR Atlas reference store build", key="dl_provenance")

st.subheader("Methods")
for title, text in METHOD_NOTES.items():
    st.markdown(f"**{title}.** {text}")

st.subheader("Toolkits for commissioners")
st.markdown(
    "- **Commissioning support tool for parent-infant relationship teams**: the study behind the Barriers page (McSweeney et al. 2025) "
    "was part of a project of Newcastle University and the Parent-Infant Foundation, supported by NIHR ARC North East and North Cumbria, "
    "to co-develop a commissioning support tool: "
    "[ARC NENC, 8 June 2021](https://arc-nenc.nihr.ac.uk/news/study-will-explore-how-to-support-the-delivery-of-more-parent-infant-mental-health-services-in-our-region/).\n"
    "- **Parent-Infant Foundation implementation toolkit** for setting up, funding and commissioning a specialised parent-infant "
    "relationship team (chapter 3: funding and commissioning): "
    "[parentinfantfoundation.org.uk/tools/implementation-toolkit](https://parentinfantfoundation.org.uk/tools/implementation-toolkit/)."
)

st.subheader("Attribution")
for statement in ATTRIBUTIONS:
    st.markdown(f"- {statement}")

if admin.allowed():  # made when opened (its state is in the URL)
    with bound(st.expander, "Administration: roles and the audit trail", key="admin_open") as box:
        if box.open:
            admin.section()
