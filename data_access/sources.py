"""The official datasets behind the reference store, and how to read them.

Each dataset is described once in ``geodata/sources.toml`` (title, publisher, vintage, licence,
attribution, expected file names, publisher URL). This module reads that file and knows the
columns the build needs, under every name they go by: the publishers' own headers
(``LSOA21CD``, ``Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of
LSOAs)``) and the short names of the republished copies (``lsoa21_code``, ``IMD_decile``).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data_access.config import SOURCES_FILE


class SourceError(Exception):
    """A source file is missing, unreadable or lacks a column the build needs."""


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str
    publisher: str
    vintage: str
    licence: str
    attribution: str
    files: tuple[str, ...]
    url: str
    direct: bool = False
    url_checked: bool = False

    def paths(self, source_dir: Path) -> list[Path]:
        """The dataset's files in ``source_dir``; a missing one is a :class:`SourceError`."""
        paths = []
        for name in self.files:
            path = source_dir / name
            if not path.is_file():
                raise SourceError(
                    f"Missing source file for '{self.id}' ({self.title}): {path}"
                )
            paths.append(path)
        return paths


def load_datasets(sources_file: Path = SOURCES_FILE) -> dict[str, Dataset]:
    with open(sources_file, "rb") as fh:
        raw = tomllib.load(fh)["datasets"]
    return {
        key: Dataset(
            id=key,
            title=v["title"],
            publisher=v["publisher"],
            vintage=v["vintage"],
            licence=v["licence"],
            attribution=v["attribution"],
            files=tuple(v["files"]),
            url=v["url"],
            direct=bool(v.get("direct", False)),
            url_checked=bool(v.get("url_checked", False)),
        )
        for key, v in raw.items()
    }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# Column names: canonical name -> every header it appears under.

#: The IMD and the seven IoD domains: (key, republished short prefix, publisher's name).
IOD_DOMAINS: tuple[tuple[str, str, str], ...] = (
    ("imd", "IMD", "Index of Multiple Deprivation (IMD)"),
    ("income", "Income", "Income"),
    ("employment", "Employment", "Employment"),
    ("education", "Education", "Education, Skills and Training"),
    ("health", "Health", "Health Deprivation and Disability"),
    ("crime", "Crime", "Crime"),
    ("housing", "Housing_and_Services", "Barriers to Housing and Services"),
    ("environment", "Environment", "Living Environment"),
)

DOMAIN_LABELS: dict[str, str] = {
    "imd": "Index of Multiple Deprivation",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "housing": "Barriers to Housing and Services",
    "environment": "Living Environment",
}


def _iod_aliases(with_scores: bool) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {}
    for key, short, official in IOD_DOMAINS:
        if with_scores:
            aliases[f"{key}_score"] = [f"{short}_score", f"{official} Score", f"{official} Score (rate)"]
        aliases[f"{key}_rank"] = [
            f"{short}_rank",
            f"{official} Rank (where 1 is most deprived)",
            f"{official} Rank",
        ]
        aliases[f"{key}_decile"] = [
            f"{short}_decile",
            f"{official} Decile (where 1 is most deprived 10% of LSOAs)",
            f"{official} Decile",
        ]
    return aliases


COLUMNS: dict[str, dict[str, list[str]]] = {
    "iod2025_lsoa21": {"lsoa_code": ["lsoa21_code", "LSOA code (2021)", "LSOA21CD"], **_iod_aliases(True)},
    "imd2019_lsoa11": {"lsoa_code": ["LSOA code (2011)", "lsoa11_code", "LSOA11CD"], **_iod_aliases(False)},
    "lookup_lsoa21_icb24": {
        "lsoa_code": ["lsoa21_code", "LSOA21CD"],
        "lsoa_name": ["lsoa21_name", "LSOA21NM"],
        "sicbl_code": ["sicbl24_code", "SICBL24CD"],
        "sicbl_nhs_code": ["sicbl24_code_nhs", "SICBL24CDH"],
        "sicbl_name": ["sicbl24_name", "SICBL24NM"],
        "icb_code": ["icb24_code", "ICB24CD"],
        "icb_name": ["icb24_name", "ICB24NM"],
    },
    "lookup_lsoa21_lad24": {
        "lsoa_code": ["lsoa21_code", "LSOA21CD"],
        "lad_code": ["ltla24_code", "LAD24CD"],
        "lad_name": ["ltla24_name", "LAD24NM"],
    },
    "lookup_lsoa11_icb22": {
        "lsoa_code": ["lsoa11_code", "LSOA11CD"],
        "lsoa_name": ["lsoa11_name", "LSOA11NM"],
        "sicbl_code": ["sicbl22_code", "SICBL22CD"],
        "sicbl_nhs_code": ["sicbl22_code_h", "SICBL22CDH"],
        "sicbl_name": ["sicbl22_name", "SICBL22NM"],
        "icb_code": ["icb22_code", "ICB22CD"],
        "icb_name": ["icb22_name", "ICB22NM"],
        "lad_code": ["ltla22_code", "LAD22CD"],
        "lad_name": ["ltla22_name", "LAD22NM"],
    },
    "lookup_lsoa11_lsoa21": {
        "lsoa11_code": ["lsoa11_code", "F_LSOA11CD", "LSOA11CD"],
        "lsoa21_code": ["lsoa21_code", "LSOA21CD"],
        "change_code": ["change_code", "CHGIND"],
    },
    "sape_mid2020_lsoa11": {
        "lsoa_code": ["lsoa11_code", "LSOA Code", "LSOA11CD"],
        "total_population": ["total_population", "All Ages"],
        **{f"age_{a}": [str(a)] for a in range(5)},
    },
    "census21_age_lsoa21": {
        "lsoa_code": ["lsoa21_code", "Lower layer Super Output Areas Code", "LSOA21CD"],
        "age_group": ["age_group", "Age (6 categories)"],
        "usual_residents": ["usual_residents", "Observation"],
    },
    "census21_ethnicity_lsoa21": {
        "lsoa_code": ["lsoa21_code", "Lower layer Super Output Areas Code", "LSOA21CD"],
        "ethnic_group": ["ethnic_group", "Ethnic group (6 categories)", "Ethnic group (5 categories)"],
        "usual_residents": ["n", "Observation"],
    },
    "ruc21_lsoa21": {
        "lsoa_code": ["lsoa21_code", "LSOA21CD"],
        "ruc21_code": ["ruc21_code", "RUC21CD"],
        "ruc21_name": ["classification", "RUC21NM"],
    },
    "boundaries_lsoa21": {"lsoa_code": ["lsoa21_code", "LSOA21CD"], "lsoa_name": ["lsoa21_name", "LSOA21NM"]},
    "boundaries_lsoa11": {"lsoa_code": ["LSOA11CD", "lsoa11_code"], "lsoa_name": ["LSOA11NM", "lsoa11_name"]},
}

#: Columns a build can do without (the republished IMD 2019 copy has no scores).
OPTIONAL: dict[str, set[str]] = {"ruc21_lsoa21": {"ruc21_name"}}

#: Headerless files and their column names (from the publishers' documentation).
CODEPOINT_COLUMNS = [
    "postcode", "quality", "easting", "northing", "country_code",
    "nhs_region_code", "nhs_ha_code", "admin_county_code", "admin_district_code", "admin_ward_code",
]
EPRACCUR_COLUMNS = [
    "practice_code", "name", "national_grouping", "icb_ods_code", "address_1", "address_2",
    "address_3", "address_4", "address_5", "postcode", "open_date", "close_date", "status",
    "org_sub_type", "commissioner", "join_date", "left_date", "phone", "null_19", "null_20",
    "null_21", "amended", "null_23", "provider_purchaser", "null_25", "prescribing_setting", "null_27",
]


def _normalise(header: str) -> str:
    return re.sub(r"\s+", " ", str(header).replace("\ufeff", "")).strip().casefold()


def read_csv_any(path: Path, **kwargs) -> pd.DataFrame:
    """Read a CSV as the publishers write them: UTF-8 (with or without BOM), else Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return pd.read_csv(path, encoding=encoding, thousands=",", low_memory=False, **kwargs)
        except UnicodeDecodeError:
            continue
    raise SourceError(f"Cannot decode {path}")  # pragma: no cover - latin-1 decodes anything


def _read_frame(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xls"):
            sheets = pd.read_excel(path, sheet_name=None)
            return max(sheets.values(), key=len)
        return read_csv_any(path, dtype=str, keep_default_na=False, na_values=[""])
    except SourceError:
        raise
    except Exception as exc:  # any parser failure names the file
        raise SourceError(f"Cannot read {path}: {exc}") from exc


def select_columns(frame: pd.DataFrame, dataset_id: str, path: Path) -> pd.DataFrame:
    """Rename ``frame``'s columns to the canonical names, keeping only those the build needs.

    A required column under none of its known names is a :class:`SourceError` naming the file,
    the column and the names tried.
    """
    wanted = COLUMNS[dataset_id]
    by_norm = {_normalise(c): c for c in frame.columns}
    rename, missing = {}, []
    for canonical, aliases in wanted.items():
        found = next((by_norm[_normalise(a)] for a in aliases if _normalise(a) in by_norm), None)
        if found is None:
            if canonical not in OPTIONAL.get(dataset_id, set()):
                missing.append(f"'{canonical}' (looked for: {', '.join(repr(a) for a in aliases)})")
            continue
        rename[found] = canonical
    if missing:
        raise SourceError(f"{path}: missing column {'; '.join(missing)}")
    return frame[list(rename)].rename(columns=rename)


def read_dataset(dataset: Dataset, source_dir: Path) -> pd.DataFrame:
    """Read a tabular dataset's files (concatenated), with canonical column names, as strings."""
    frames = [select_columns(_read_frame(p), dataset.id, p) for p in dataset.paths(source_dir)]
    return pd.concat(frames, ignore_index=True)


def to_number(frame: pd.DataFrame, columns, dataset: Dataset) -> pd.DataFrame:
    """Convert columns to numbers; a value that is not a number is a :class:`SourceError`."""
    frame = frame.copy()
    for col in columns:
        if col not in frame:
            continue
        text = frame[col].astype("string").str.replace(",", "", regex=False).str.strip()
        values = pd.to_numeric(text, errors="coerce")
        bad = values.isna() & text.notna() & (text != "")
        if bad.any():
            first = frame.index[bad][0]
            raise SourceError(
                f"{dataset.id} ({dataset.files[0]}): column '{col}' has a value that is not a number "
                f"in row {first + 2}: {frame.at[first, col]!r}"
            )
        frame[col] = values
    return frame


@dataclass
class ReadLog:
    """Which files were read, for the provenance table."""

    rows: list[dict] = field(default_factory=list)

    def add(self, dataset: Dataset, source_dir: Path) -> None:
        for path in dataset.paths(source_dir):
            self.rows.append(
                {
                    "dataset": dataset.id,
                    "title": dataset.title,
                    "publisher": dataset.publisher,
                    "vintage": dataset.vintage,
                    "licence": dataset.licence,
                    "attribution": dataset.attribution,
                    "source_file": str(path.relative_to(source_dir)),
                    "bytes": path.stat().st_size,
                    "sha256": sha256_of(path),
                    "url": dataset.url,
                }
            )
