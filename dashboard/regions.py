"""Region choices shared by every page. Regions are defined by the LSOA -> ICB lookup."""

from __future__ import annotations

import pandas as pd

from data_access.config import REGION_NAMES

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
