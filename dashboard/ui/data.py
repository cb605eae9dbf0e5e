"""Cached access to the reference store for the pages.

Caches are keyed on the store's build id, so a rebuilt store is picked up without a restart.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access.store import ReferenceStore, StoreMissing


@st.cache_resource(show_spinner=False)
def _store() -> ReferenceStore:
    return ReferenceStore()


def store_or_stop() -> ReferenceStore:
    """The reference store; if it is not built, say how to build it and stop the page."""
    store = _store()
    if not store.exists():
        st.error(
            "The reference store has not been built yet. Run `make run` (which builds it), or "
            "`python -m data_access build` with the official files in `PAIR_ATLAS_SOURCES`.",
            icon=":material/database:",
        )
        st.stop()
    return store


@st.cache_data(show_spinner=False, max_entries=8)
def _lsoas(version: str, index: str) -> pd.DataFrame:
    return ReferenceStore().lsoas(index)


def lsoas(index: str) -> pd.DataFrame:
    store = store_or_stop()
    return _lsoas(store.version, index)


@st.cache_data(show_spinner=False, max_entries=2)
def _provenance(version: str) -> pd.DataFrame:
    return ReferenceStore().provenance()


def provenance() -> pd.DataFrame:
    store = store_or_stop()
    return _provenance(store.version)


def build_info() -> dict:
    return store_or_stop().build_info()


__all__ = ["lsoas", "provenance", "build_info", "store_or_stop", "StoreMissing"]
