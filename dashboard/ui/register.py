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
    """The register, as the signed-in person may change it (roles checked on every write)."""
    from dashboard.ui import identity

    return ServiceRepository(_engine(data.store_or_stop().version), identity.current(), service_region)


def engine():
    return _engine(data.store_or_stop().version)


@st.cache_data(show_spinner=False, max_entries=2)
def _postcode_regions(version: str) -> dict[str, str]:
    store = ReferenceStore()
    regions = store.lsoas("iod2025").set_index("lsoa_code")["region"]
    pcs = store.postcodes().dropna(subset=["lsoa21_code"])
    return dict(zip(pcs["postcode"], pcs["lsoa21_code"].map(regions)))


def service_region(record: dict) -> str | None:
    """The region a service serves: from its catchment codes (ICB, sub-ICB or local authority),
    else its postcode; None when neither says (only an editor of both regions may change it)."""
    _, regions = data.area_lookup()
    lsoas = data.lsoas("iod2025")
    by_sicbl = dict(zip(lsoas["sicbl_code"], lsoas["region"]))
    found = {regions.get(c) or by_sicbl.get(c) for c in str(record.get("catchment_codes") or "").replace(";", ",").split(",") if c.strip()}
    found.discard(None)
    if not found and record.get("postcode"):
        found = {_postcode_regions(data.store_or_stop().version).get(str(record["postcode"]))} - {None}
    return found.pop() if len(found) == 1 else None


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


def services_token() -> str:
    """The register's revision (:meth:`ServiceRepository.revision`) with the database it is in: what
    names the services in a cache key (hashing the frame on every run took a fifth of the Overview's)."""
    engine = _engine(data.store_or_stop().version)
    return f"{engine.url.render_as_string(hide_password=True)}#{ServiceRepository(engine).revision()}"


def services() -> pd.DataFrame:
    """The register, read again only when its revision changed (another person's edit included)."""
    return services_with_token()[0]


def services_of(token: str) -> pd.DataFrame:
    """The register as named by ``token`` (:func:`services_token`)."""
    return _services(token)


def services_with_token() -> tuple[pd.DataFrame, str]:
    """The register and its token (:func:`services_token`), from one revision query."""
    token = services_token()
    return _services(token), token


@data.shared_table(max_entries=4)
def _services(token: str) -> pd.DataFrame:
    return ServiceRepository(_engine(data.store_or_stop().version)).list()
