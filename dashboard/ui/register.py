"""Database and register access for the pages (cached engine, seeded starter register)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.services import Places
from dashboard.starter import starter_records
from dashboard.ui import data
from data_access.db import ready_engine
from data_access.repositories import ServiceRepository, seed_starter_register
from data_access.store import ReferenceStore


@st.cache_resource(show_spinner=False)
def _engine(version: str):
    engine = ready_engine()
    store = ReferenceStore()
    seed_starter_register(engine, starter_records(store.lsoas("iod2025"), store.gp_practices(), places()))
    return engine


def repository() -> ServiceRepository:
    return ServiceRepository(_engine(data.store_or_stop().version))


@st.cache_data(show_spinner=False, max_entries=2)
def _places(version: str) -> Places:
    store = ReferenceStore()
    pcs = store.postcodes()
    lsoas = store.lsoas("iod2025")
    return Places(
        postcodes=dict(zip(pcs["postcode"], zip(pcs["lon"].astype(float), pcs["lat"].astype(float)))),
        codes={"lad": set(lsoas["lad_code"]), "sicbl": set(lsoas["sicbl_code"]), "icb": set(lsoas["icb_code"])},
    )


def places() -> Places:
    return _places(data.store_or_stop().version)


def services() -> pd.DataFrame:
    return repository().list()
