"""The product's vocabulary: regions, deprivation indexes and domains, in words (no I/O).

The reference-data build in ``data_access`` keeps its own copy of the ICB codes it filters by;
``tests/test_vocabulary.py`` checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The region ICBs (ONS codes) and their short names. Regions are always defined by the
#: LSOA -> ICB lookup, never by local authority.
ICBS: dict[str, str] = {"E54000050": "NENC", "E54000039": "BNSSG"}
REGION_NAMES: dict[str, str] = {
    "NENC": "NHS North East and North Cumbria",
    "BNSSG": "NHS Bristol, North Somerset and South Gloucestershire",
}


@dataclass(frozen=True)
class Index:
    key: str
    label: str
    short: str
    geography: str  # label of the LSOA vintage


INDEXES: dict[str, Index] = {
    "iod2025": Index("iod2025", "English Indices of Deprivation 2025", "IoD 2025", "LSOA 2021"),
    "imd2019": Index("imd2019", "English Indices of Deprivation 2019", "IMD 2019", "LSOA 2011"),
}
DEFAULT_INDEX = "iod2025"

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

#: The denominators' vintage, said beside every figure that uses them.
INFANTS_SOURCE = "ONS mid-2020 small-area population estimates (infants aged 0)"
