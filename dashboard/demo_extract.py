"""A seeded, synthetic baby-clinic attendance extract, so the reach page works on first run.

SYNTHETIC: no real child or family is in it. A year of attendances at the starter register's
illustrative baby clinics in both ICBs: each neighbourhood within a clinic's travel distance
sends a share of its infants aged 0 (mid-2020 estimate) to its nearest clinic, a smaller share
in more deprived neighbourhoods (25% in IMD decile 1 rising to 56% in decile 10), and children
from more deprived neighbourhoods come back less often. It looks like a provider's Excel
export: UK dates, postcodes, text headings.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from dashboard.clinic_import import ETHNIC_GROUPS_2021, PARENT_AGE_BANDS
from dashboard.coverage import site_coordinates

SEED = 2026
PERIOD = (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
LABEL = "SYNTHETIC demonstration extract (PAIR Atlas, seeded): not real attendances"
REASONS = ["Weighing and growth", "Feeding", "Development check", "Parent wellbeing", "Immunisation advice", "Sleep"]
ATTENDED_BY = ["Mother", "Father", "Both parents", "Other carer"]


def reach_probability(decile) -> np.ndarray:
    return 0.25 + 0.035 * (np.asarray(decile, dtype=float) - 1)


def return_rate(decile) -> np.ndarray:
    """Mean further attendances after the first: 1.0 in decile 1 to 2.35 in decile 10."""
    return 1.0 + 0.15 * (np.asarray(decile, dtype=float) - 1)


def generate(lsoas: pd.DataFrame, postcodes: pd.DataFrame, clinics: pd.DataFrame, seed: int = SEED, scale: float = 1.0) -> pd.DataFrame:
    """The extract as a DataFrame of text columns, one row per attendance."""
    rng = np.random.default_rng(seed)
    clinics = site_coordinates(clinics[clinics["lat"].notna()].reset_index(drop=True))
    tree = cKDTree(clinics[["site_e", "site_n"]].to_numpy(float))
    dist, nearest = tree.query(lsoas[["point_e", "point_n"]].to_numpy(float))
    within = dist <= clinics["travel_km"].to_numpy(float)[nearest] * 1000
    areas = lsoas.loc[within, ["lsoa_code", "imd_decile", "infants_0", "region"]].assign(clinic=clinics["name"].to_numpy()[nearest[within]])

    children = rng.binomial(np.round(areas["infants_0"].to_numpy() * scale).astype(int), reach_probability(areas["imd_decile"]))
    kids = areas.loc[areas.index.repeat(children)].reset_index(drop=True)
    n = len(kids)
    kids["child_id"] = [f"DEMO-{i:07d}" for i in rng.permutation(n)]
    visits = 1 + rng.poisson(return_rate(kids["imd_decile"]))
    start, end = (np.datetime64(d) for d in PERIOD)
    span = int((end - start).astype(int))
    birth = start - np.timedelta64(140, "D") + rng.integers(0, span + 126, n).astype("timedelta64[D]")
    first = np.maximum(birth + rng.integers(14, 70, n).astype("timedelta64[D]"), start)

    rows = kids.loc[kids.index.repeat(visits)].reset_index(drop=True)
    order = rows.groupby("child_id").cumcount().to_numpy()
    gaps = rng.integers(14, 56, len(rows))
    offset = pd.Series(np.where(order == 0, 0, gaps)).groupby(rows["child_id"]).cumsum().to_numpy()
    idx = np.repeat(np.arange(n), visits)
    date = first[idx] + offset.astype("timedelta64[D]")
    age_days = (date - birth[idx]).astype(int)
    keep = (date <= end) & (age_days <= 7 * 104)
    rows, date, age_days = rows[keep].reset_index(drop=True), date[keep], age_days[keep]

    by_lsoa = postcodes.dropna(subset=["lsoa21_code"]).groupby("lsoa21_code")["postcode"].apply(np.array)
    pick = rng.random(len(rows))
    postcode = [codes[int(u * len(codes))] for codes, u in zip(by_lsoa.reindex(rows["lsoa_code"]).to_numpy(), pick)]

    m = len(rows)
    deprived = rows["imd_decile"].to_numpy() <= 3
    white = np.where(rows["region"].to_numpy() == "NENC", 0.9, 0.78)
    ethnic = np.where(
        rng.random(m) < white, "White",
        rng.choice([g for g in ETHNIC_GROUPS_2021 if g != "White"], size=m, p=[0.4, 0.25, 0.25, 0.1]),
    )
    bands = np.array(PARENT_AGE_BANDS)
    cum_dep = np.cumsum([0.08, 0.22, 0.3, 0.24, 0.12, 0.04])
    cum_other = np.cumsum([0.02, 0.1, 0.25, 0.35, 0.22, 0.06])
    u = rng.random(m)
    # younger parents are likelier in more deprived neighbourhoods
    parent_age = np.where(deprived, bands[np.searchsorted(cum_dep, u, side="right").clip(0, 5)], bands[np.searchsorted(cum_other, u, side="right").clip(0, 5)])
    out = pd.DataFrame(
        {
            "Attendance date": pd.to_datetime(date).strftime("%d/%m/%Y"),
            "Clinic": rows["clinic"],
            "Child ID": rows["child_id"],
            "Age (weeks)": (age_days / 7).round(1).astype(str),
            "Home postcode": postcode,
            "Parent age band": parent_age,
            "Ethnic group": ethnic,
            "First-time parent": np.where(rng.random(m) < 0.42, "Yes", "No"),
            "Interpreter needed": np.where(rng.random(m) < 0.03, "Yes", "No"),
            "Reason for attending": rng.choice(REASONS, size=m),
            "Who attended": rng.choice(ATTENDED_BY, size=m, p=[0.72, 0.06, 0.17, 0.05]),
        }
    )
    order = np.lexsort((out["Child ID"].to_numpy(), out["Clinic"].to_numpy(), date))
    return out.iloc[order].reset_index(drop=True)
