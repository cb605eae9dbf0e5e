"""Region choices shared by every page. Regions are defined by the LSOA -> ICB lookup."""

from __future__ import annotations

import pandas as pd

from dashboard.vocabulary import REGION_NAMES

BOTH = "Both"
REGION_CHOICES = [BOTH, *REGION_NAMES]


def region_label(choice: str) -> str:
    """Short label (NENC, BNSSG, Both ICBs): also the value the URL carries."""
    return "Both ICBs" if choice == BOTH else choice


def filter_region(frame: pd.DataFrame, choice: str) -> pd.DataFrame:
    """Rows of one region (by the ``region`` column, set from the LSOA -> ICB lookup), or all."""
    if choice == BOTH:
        return frame
    if choice not in REGION_NAMES:
        raise ValueError(f"Unknown region {choice!r}")
    return frame[frame["region"] == choice]


def place_name(choice: str) -> str:
    """The region in words: "NHS North East and North Cumbria" or "NENC and BNSSG"."""
    return REGION_NAMES.get(choice, "NENC and BNSSG")


def area_regions(lsoas: pd.DataFrame) -> dict[str, str]:
    """Area code (ICB or local authority) -> region, from the LSOA -> ICB lookup."""
    out = dict(zip(lsoas["icb_code"], lsoas["region"]))
    out.update(dict(zip(lsoas["lad_code"], lsoas["region"])))
    return out


def area_names(lsoas: pd.DataFrame) -> dict[str, str]:
    """Area code -> name: ICBs ("NENC ICB"), then local authorities' parts in their ICB."""
    names = {code: f"{region} ICB" for code, region in dict(zip(lsoas["icb_code"], lsoas["region"])).items()}
    names.update(dict(lsoas.drop_duplicates("lad_code").sort_values("lad_name")[["lad_code", "lad_name"]].to_numpy()))
    return names
