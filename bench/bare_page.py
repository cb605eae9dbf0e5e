"""The reference for the benchmark: a bare Streamlit page with one widget."""

import streamlit as st

st.title("Bare page")
choice = st.segmented_control("Choice", ["A", "B"], default="A", required=True)
st.write(f"You chose {choice}.")
