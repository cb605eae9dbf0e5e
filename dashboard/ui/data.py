"""Cached access to the reference store for the pages.

Caches are keyed on the store's build id, so a rebuilt store is picked up without a restart.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from data_access.store import ReferenceStore, StoreMissing


@st.cache_resource(show_spinner=False)
def _store() -> ReferenceStore:
    return ReferenceStore()


def store_or_stop() -> ReferenceStore:
    """The reference store; if it is not built, say how to build it and stop the page."""
    store = _store()
    if not store.is_current():
        st.error(
            "The reference store has not been built yet, or was built by an older version of PAIR Atlas. Run `make run` (which builds it), or "
            "`python -m data_access build` with the official files in `PAIR_ATLAS_SOURCES`.",
            icon=":material/database:",
        )
        st.stop()
    return store


def shared_table(max_entries: int):
    """Cache a loader of a read-only table: read once and shared by every session (st.cache_resource),
    each call given a shallow copy, which pandas' copy-on-write keeps from changing the shared table
    (a run may add or replace columns of its own). st.cache_data instead unpickled a copy on every
    call: 3 ms for the 2,470 neighbourhoods' table, a tenth of a Baby clinic reach rerun on the server."""
    def wrap(load):
        cached = st.cache_resource(show_spinner=False, max_entries=max_entries)(load)

        @functools.wraps(load)
        def copy(*args) -> pd.DataFrame:
            return cached(*args).copy(deep=False)

        return copy

    return wrap


@shared_table(max_entries=8)
def _lsoas(version: str, index: str) -> pd.DataFrame:
    return ReferenceStore().lsoas(index)


def lsoas(index: str) -> pd.DataFrame:
    store = store_or_stop()
    return _lsoas(store.version, index)


@shared_table(max_entries=2)
def _provenance(version: str) -> pd.DataFrame:
    return ReferenceStore().provenance()


def provenance() -> pd.DataFrame:
    store = store_or_stop()
    return _provenance(store.version)


def build_info() -> dict:
    return store_or_stop().build_info()


__all__ = ["lsoas", "provenance", "build_info", "store_or_stop", "StoreMissing"]


# --------------------------------------------------------------------------------------------
# User data the views need (through the repositories of data_access).


def _engine():
    from dashboard.ui import register

    return register.repository().engine


def services() -> pd.DataFrame:
    from dashboard.ui import register

    return register.services()


def services_token() -> str:
    """The token that names the register's present contents in a cache key (:func:`register.services_token`)."""
    from dashboard.ui import register

    return register.services_token()


def services_of(token: str) -> pd.DataFrame:
    """The register as named by ``token`` (:func:`services_token`)."""
    from dashboard.ui import register

    return register.services_of(token)


def services_with_token() -> tuple[pd.DataFrame, str]:
    """The register and the token that names its present contents in a cache key (:func:`register.services_token`)."""
    from dashboard.ui import register

    return register.services_with_token()


def workshops() -> tuple[pd.DataFrame, dict[int, pd.DataFrame]]:
    """Every workshop (newest first) and its ratings; the views keep the region's own."""
    from data_access.repositories import BarrierRepository

    repo = BarrierRepository(_engine())
    frame = repo.workshops()
    return frame, {int(i): repo.ratings(int(i)) for i in frame["id"]}


def actions() -> pd.DataFrame:
    """Every region's action plan (the views keep the region's own)."""
    from data_access.repositories import ActionRepository

    repo = ActionRepository(_engine())
    return pd.concat([repo.list(r) for r in ("NENC", "BNSSG")], ignore_index=True)


def scenarios(names: list[str] | None = None) -> list[dict]:
    """Saved scenarios (name, area_code, inputs), in the order of ``names`` (default: all, by name)."""
    from data_access.repositories import ScenarioRepository

    repo = ScenarioRepository(_engine())
    chosen = names if names is not None else repo.names()
    rows = [repo.get(n) for n in chosen]
    return [{"name": r["name"], "area_code": r["area_code"], "inputs": r["inputs"]} for r in rows if r]


@st.cache_data(show_spinner=False, max_entries=2)
def _area_lookup(version: str) -> tuple[dict[str, str], dict[str, str]]:
    from dashboard.regions import area_names, area_regions

    frame = _lsoas(version, "iod2025")
    return area_names(frame), area_regions(frame)


def area_lookup() -> tuple[dict[str, str], dict[str, str]]:
    """(area code -> name, area code -> region) for ICBs and local authorities (worked out once per store)."""
    return _area_lookup(store_or_stop().version)


def observed(region: str) -> pd.DataFrame:
    """The region's observed outcomes (what services achieved in a period)."""
    from data_access.repositories import ObservedRepository

    return ObservedRepository(_engine()).list(region)


def save_observed(record: dict) -> int:
    from data_access.repositories import ObservedRepository

    from dashboard.ui import identity

    return ObservedRepository(_engine(), identity.current()).save(record)


@shared_table(max_entries=2)
def _ethnicity(version: str) -> pd.DataFrame:
    return ReferenceStore().ethnicity()


def ethnicity() -> pd.DataFrame:
    """Census 2021 usual residents by ethnic group (five groups, all ages), per LSOA 2021."""
    return _ethnicity(store_or_stop().version)
