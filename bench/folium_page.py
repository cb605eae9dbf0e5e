"""Benchmark peer: the same LSOA layer drawn with streamlit-folium, as most NHS Streamlit maps
do. Leaflet is served locally (bench/static/leaflet, fetched by `make bench`), so nothing
leaves the machine; folium's other CDN assets (jQuery, Bootstrap, icons) are not needed for a
GeoJSON layer and are left out."""

import folium
import streamlit as st
from streamlit_folium import st_folium

from dashboard import mapview
from data_access.store import ReferenceStore

folium.Map.default_js = [("leaflet", "/app/static/leaflet/leaflet.js")]
folium.Map.default_css = [("leaflet_css", "/app/static/leaflet/leaflet.css")]

st.title("streamlit-folium peer")


@st.cache_data
def layer():
    store = ReferenceStore()
    geo = store.polygons("iod2025", "lsoa")
    lsoas = store.lsoas("iod2025").set_index("lsoa_code").loc[geo["lsoa_code"]].reset_index()
    colours, _ = mapview.colour_values(lsoas, "decile_imd")
    props = lsoas[["lsoa_code", "lsoa_name"]].assign(fill=colours)
    return {"type": "FeatureCollection", "features": mapview.features(geo, props)}


m = folium.Map(location=[53.55, -2.2], zoom_start=6, tiles=None)
folium.GeoJson(
    layer(),
    style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "white", "weight": 0.3, "fillOpacity": 0.85},
    tooltip=folium.GeoJsonTooltip(fields=["lsoa_name", "lsoa_code"]),
).add_to(m)
st_folium(m, height=560, width=700, returned_objects=[], key="folium")
