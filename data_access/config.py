"""Where PAIR Atlas keeps things, from environment variables with sensible defaults."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GEODATA_DIR = PROJECT_ROOT / "geodata"
SOURCES_FILE = GEODATA_DIR / "sources.toml"
VAR_DIR = PROJECT_ROOT / "var"

#: The region ICBs (ONS codes) and their short names. Regions are always defined by the
#: LSOA -> ICB lookup, never by local authority.
ICBS: dict[str, str] = {"E54000050": "NENC", "E54000039": "BNSSG"}
REGION_NAMES: dict[str, str] = {
    "NENC": "NHS North East and North Cumbria",
    "BNSSG": "NHS Bristol, North Somerset and South Gloucestershire",
}


def source_dir() -> Path | None:
    """The folder holding the official source files (``PAIR_ATLAS_SOURCES``).

    Defaults to ``../shared/reference`` beside the project where that exists, then to the
    download folder ``geodata/downloads`` where a download has been made.
    """
    env = os.environ.get("PAIR_ATLAS_SOURCES")
    if env:
        return Path(env).expanduser().resolve()
    shared = (PROJECT_ROOT.parent / "shared" / "reference").resolve()
    if shared.is_dir():
        return shared
    downloads = download_dir()
    if downloads.is_dir():
        return downloads
    return None


def download_dir() -> Path:
    return Path(os.environ.get("PAIR_ATLAS_DOWNLOADS", GEODATA_DIR / "downloads")).expanduser().resolve()


def store_dir() -> Path:
    """The built reference store (``PAIR_ATLAS_STORE``, default ``geodata/store``; gitignored)."""
    return Path(os.environ.get("PAIR_ATLAS_STORE", GEODATA_DIR / "store")).expanduser().resolve()


def database_url() -> str:
    """``PAIR_ATLAS_DATABASE_URL``, default a SQLite file in the gitignored ``var/`` folder."""
    url = os.environ.get("PAIR_ATLAS_DATABASE_URL")
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'pair_atlas.db'}"
