"""Shared fixtures: the real reference data, one store built from it per test session, and
database engines (SQLite always; PostgreSQL at 127.0.0.1:5432 when it is running, and always
in CI, where PAIR_ATLAS_REQUIRE_POSTGRES=1)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, SERVER, is_loopback, launch, streamlit_server

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(os.environ.get("PAIR_ATLAS_SOURCES", ROOT.parent / "shared" / "reference")).resolve()
POSTGRES_URL = os.environ.get("PAIR_ATLAS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pytest_configure(config):
    # Every test, the app under AppTest and the browser tests' server use the session's store
    # and a throwaway database, never the developer's own.
    session_dir = Path(os.environ.setdefault("PAIR_ATLAS_TEST_DIR", f"/tmp/pair_atlas_tests_{uuid.uuid4().hex[:8]}"))
    session_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PAIR_ATLAS_STORE"] = str(session_dir / "store")
    os.environ["PAIR_ATLAS_DATABASE_URL"] = f"sqlite:///{session_dir / 'app.db'}"
    os.environ["PAIR_ATLAS_SOURCES"] = str(REFERENCE)
    # A page's unexpected error is shown with a reference and, under test, raised as well, so
    # that every test that asserts "no exception" still sees it (tests/test_errors.py unsets it).
    os.environ["PAIR_ATLAS_RAISE_ERRORS"] = "1"
    # and with its details, for whoever reads a failing test (deployed, .streamlit/config.toml hides them)
    os.environ["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"  # the browser tests' servers
    from streamlit import config as st_config

    st_config.get_option("client.showErrorDetails")  # parse the config files first, then override for AppTest
    st_config.set_option("client.showErrorDetails", "full")


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    if not (REFERENCE / "MANIFEST.md").is_file():
        pytest.fail(f"The official reference data is not at {REFERENCE} (set PAIR_ATLAS_SOURCES)")
    return REFERENCE


@pytest.fixture(scope="session")
def store(reference_dir):
    """The reference store built once from ../shared/reference."""
    from data_access.build import build
    from data_access.store import ReferenceStore

    path = Path(os.environ["PAIR_ATLAS_STORE"])
    if not ReferenceStore(path).is_current():
        build(reference_dir, path, quiet=True)
    return ReferenceStore(path)


def _postgres_engine():
    from sqlalchemy import create_engine, text

    schema = f"pair_atlas_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        if os.environ.get("PAIR_ATLAS_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required here but {POSTGRES_URL} is not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: skipping the PostgreSQL run ({type(exc).__name__})")
    engine = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    return engine, admin, schema


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    """A fresh, empty database on each engine."""
    from sqlalchemy import create_engine, text

    if request.param == "sqlite":
        eng = create_engine(f"sqlite:///{tmp_path / 'test.db'}")
        yield eng
        eng.dispose()
        return
    eng, admin, schema = _postgres_engine()
    yield eng
    eng.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def app_db(tmp_path, monkeypatch, store):
    """A fresh database for an AppTest, and empty Streamlit caches (they are per process)."""
    import streamlit as st

    monkeypatch.setenv("PAIR_ATLAS_DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


# --------------------------------------------------------------------------------------------
# Browser fixtures: one server and one Chromium for the session, a fresh page per test that
# records every request leaving the machine (page.outside).

@pytest.fixture(scope="session")
def server(store):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with streamlit_server(SERVER, env={"PAIR_ATLAS_STORE": str(store.path)}) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.outside = []
    page.on("request", lambda req: None if is_loopback(req.url) else page.outside.append(req.url))
    yield page
    context.close()


