"""Benchmark reference: pydeck's own start-up floor, one polygon on the local background."""

import pydeck as pdk
import streamlit as st

st.title("One polygon")
polygon = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[-1.62, 54.96], [-1.58, 54.96], [-1.58, 54.98], [-1.62, 54.98], [-1.62, 54.96]]]}, "properties": {"name": "one"}}
layer = pdk.Layer("GeoJsonLayer", id="one", data={"type": "FeatureCollection", "features": [polygon]}, pickable=True, get_fill_color=[0, 94, 184])
st.pydeck_chart(
    pdk.Deck(layers=[layer], initial_view_state=pdk.ViewState(longitude=-1.6, latitude=54.97, zoom=11), map_style="/app/static/basemap.json", map_provider="mapbox"),
    key="one", on_select="rerun", height=560,
)
