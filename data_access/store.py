"""Read access to the built reference store (see :mod:`data_access.build`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from data_access.config import store_dir


@dataclass(frozen=True)
class DeprivationIndex:
    key: str
    label: str
    short: str
    geography: str  # lsoa21 or lsoa11
    has_scores: bool


INDEXES: dict[str, DeprivationIndex] = {
    "iod2025": DeprivationIndex("iod2025", "English Indices of Deprivation 2025", "IoD 2025", "lsoa21", True),
    "imd2019": DeprivationIndex("imd2019", "English Indices of Deprivation 2019", "IMD 2019", "lsoa11", False),
}
DEFAULT_INDEX = "iod2025"

GEOGRAPHY_LABELS = {"lsoa21": "LSOA 2021", "lsoa11": "LSOA 2011"}
LEVELS = ("lsoa", "lad", "sicbl", "icb")


class StoreMissing(Exception):
    """The reference store has not been built."""


#: store folder -> ((mtime, size, inode) of its build.json, its contents): ReferenceStore._record
_RECORDS: dict[str, tuple] = {}


class ReferenceStore:
    def __init__(self, path: Path | None = None):
        self.path = Path(path or store_dir())

    def exists(self) -> bool:
        return (self.path / "build.json").is_file()

    def is_current(self) -> bool:
        """Built, and in the layout this code reads (an older store lacks newer tables)."""
        from data_access.build import STORE_FORMAT

        record = self._record()
        return record is not None and record.get("format") == STORE_FORMAT

    def _record(self) -> dict | None:
        """The build record (build.json), read again only when its file changed (pages ask for the
        store's version on every run); None if the store is not built."""
        try:
            stat = (self.path / "build.json").stat()
        except FileNotFoundError:
            return None
        seen = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        known = _RECORDS.get(str(self.path))
        if known is None or known[0] != seen:
            known = _RECORDS[str(self.path)] = (seen, json.loads((self.path / "build.json").read_text()))
        return known[1]

    def _require(self) -> None:
        if not self.exists():
            raise StoreMissing(
                f"The reference store is not built at {self.path}. Run `python -m data_access build` "
                "(or `make run`, which builds it first)."
            )

    def build_info(self) -> dict:
        record = self._record()
        if record is None:
            self._require()
        return dict(record or {})

    @property
    def version(self) -> str:
        """Changes with every build: use it to key caches."""
        return self.build_info()["build_id"] if self.exists() else "missing"

    def lsoas(self, index: str = DEFAULT_INDEX) -> pd.DataFrame:
        """One row per LSOA of the index's geography, with membership, index values and infants."""
        self._require()
        return pd.read_parquet(self.path / f"{INDEXES[index].geography}.parquet")

    def polygons(self, index: str = DEFAULT_INDEX, level: str = "lsoa") -> gpd.GeoDataFrame:
        self._require()
        if level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}")
        return gpd.read_parquet(self.path / f"polygons_{INDEXES[index].geography}_{level}.parquet")

    def infants_carry(self) -> pd.DataFrame:
        self._require()
        return pd.read_parquet(self.path / "infants_carry.parquet")

    def postcodes(self) -> pd.DataFrame:
        self._require()
        return pd.read_parquet(self.path / "postcodes.parquet")

    def ethnicity(self) -> pd.DataFrame:
        """Census 2021 usual residents (all ages) by the five high-level ethnic groups, per LSOA 2021."""
        self._require()
        return pd.read_parquet(self.path / "ethnicity_lsoa21.parquet")

    def gp_practices(self) -> pd.DataFrame:
        self._require()
        return pd.read_parquet(self.path / "gp_practices.parquet")

    def provenance(self) -> pd.DataFrame:
        self._require()
        return pd.read_parquet(self.path / "provenance.parquet")
