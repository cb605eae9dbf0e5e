"""Overview: LSOAs, infants and deprivation by ICB and local authority."""

import altair as alt
import streamlit as st

from dashboard.overview import area_summary, headline
from dashboard.regions import filter_region
from dashboard.ui import data
from dashboard.ui.downloads import chart_downloads, table_downloads
from dashboard.ui.widgets import index_picker, region_picker, sources_caption
from data_access.store import INDEXES

st.title("Overview")
st.markdown(
    "Where infants live and how deprived their neighbourhoods are, for each ICB and each local "
    "authority's part inside it. **Decile 1 is the most deprived 10% of neighbourhoods (LSOAs) in England.**"
)

controls = st.columns([2, 2])
with controls[0]:
    region = region_picker()
with controls[1]:
    index = index_picker()

summary = filter_region(area_summary(data.lsoas(index)), region)
icbs = summary[summary["level"] == "ICB"]
las = summary[summary["level"] != "ICB"]

for col, (_, row) in zip(st.columns(len(icbs)), icbs.iterrows()):
    with col, st.container(border=True):
        st.subheader(row["name"])
        m = st.columns(3)
        m[0].metric("LSOAs", f"{row['lsoas']:,}")
        m[1].metric("Infants aged 0", f"{row['infants_0']:,.0f}", help="ONS mid-2020 small-area population estimates")
        m[2].metric(
            "In decile 1",
            f"{row['share_most_deprived_decile']:.1%}",
            help="Share of the ICB's LSOAs in the most deprived 10% of LSOAs in England",
        )

st.subheader("Share of LSOAs in England's most deprived decile, by local authority")
st.caption(headline(summary))

chart_col, table_col = st.columns([3, 2])
with chart_col:
    chart = (
        alt.Chart(las, title=alt.Title(f"{INDEXES[index].short}: share of LSOAs in decile 1", anchor="start"))
        .mark_bar()
        .encode(
            x=alt.X("share_most_deprived_decile:Q", title="Share of LSOAs in the most deprived decile", axis=alt.Axis(format="%")),
            y=alt.Y("name:N", title=None, sort="-x", axis=alt.Axis(labelLimit=220)),
            color=alt.Color("region:N", title="ICB", scale=alt.Scale(domain=["NENC", "BNSSG"], range=["#005EB8", "#ED8B00"])),
            tooltip=[
                alt.Tooltip("name:N", title="Local authority"),
                alt.Tooltip("region:N", title="ICB"),
                alt.Tooltip("lsoas:Q", title="LSOAs", format=","),
                alt.Tooltip("infants_0:Q", title="Infants aged 0", format=",.0f"),
                alt.Tooltip("share_most_deprived_decile:Q", title="Share in decile 1", format=".1%"),
            ],
        )
        .properties(height=alt.Step(22))
    )
    st.altair_chart(chart, width="stretch")
    chart_downloads(chart, f"overview_chart_{index}", f"{INDEXES[index].label} (MHCLG, OGL v3); ONS LSOA -> ICB lookups", key="overview_png")
with table_col:
    st.dataframe(
        summary,
        hide_index=True,
        column_order=["name", "region", "level", "lsoas", "infants_0", "share_most_deprived_decile", "code"],
        column_config={
            "level": "Level",
            "region": "ICB",
            "name": "Area",
            "code": "Code",
            "lsoas": st.column_config.NumberColumn("LSOAs", format="%d"),
            "infants_0": st.column_config.NumberColumn("Infants aged 0", format="%.0f"),
            "share_most_deprived_decile": st.column_config.NumberColumn("Share in decile 1", format="percent"),
        },
        key="overview_table",
    )
    table_downloads(
        summary, f"pair_atlas_overview_{index}_{region}",
        f"{INDEXES[index].label} (MHCLG, OGL v3); ONS mid-2020 small-area population estimates; ONS LSOA -> ICB lookups",
        key="overview_dl",
    )

info = data.build_info()
sources_caption(
    f"{INDEXES[index].label} (MHCLG, OGL v3). Infants aged 0: ONS small-area population estimates, mid-2020"
    + (", carried from 2011 to 2021 LSOAs by the ONS lookup (split LSOAs apportioned by Census 2021 ages 0-15)." if index == "iod2025" else ".")
    + " Areas by the ONS LSOA -> sub-ICB -> ICB lookup."
    + f" Reference store built {info['built_at'][:10]}. See *Data and sources* for files and checksums."
)
