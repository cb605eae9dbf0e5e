"""A page that is not built yet says what it will do."""

import streamlit as st


def planned_page(title: str, purpose: str, features: list[str]) -> None:
    st.title(title)
    st.markdown(purpose)
    st.info("This page is being built. It will let you:", icon=":material/construction:")
    st.markdown("\n".join(f"- {f}" for f in features))
