"""The starter service register: publicly documented services, plus an illustrative set.

The public rows come from ``content/public_services.csv`` (facts from public sources, each with
its source and date). The illustrative rows are synthetic: health-visitor baby clinics and
family hubs placed, with a fixed seed, at real GP practice sites (where such clinics are often
held), more of them in more deprived neighbourhoods. They are marked ``illustrative`` and must
never be read as real services.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

CONTENT = Path(__file__).resolve().parent / "content" / "public_services.csv"
SEED = 2026
ILLUSTRATIVE_SOURCE = "Synthetic, seeded demonstration data (PAIR Atlas starter register): not a real service"


def public_services() -> list[dict]:
    frame = pd.read_csv(CONTENT, dtype=str, keep_default_na=False)
    return [{k: (v if v != "" else None) for k, v in row.items()} for row in frame.to_dict("records")]


def illustrative_services(lsoas: pd.DataFrame, practices: pd.DataFrame, seed: int = SEED) -> list[dict]:
    """Baby clinics (about one per 25 LSOAs) and family hubs (one or two per local authority)
    at active GP practice sites in each local authority's part of the two ICBs."""
    rng = np.random.default_rng(seed)
    sites = practices[(practices["status"] == "A") & (practices["prescribing_setting"] == "4") & practices["lat"].notna()]
    sites = sites.merge(
        lsoas[["lsoa_code", "lad_code", "lad_name", "imd_decile", "ruc21_name"]],
        left_on="lsoa21_code", right_on="lsoa_code", how="inner",
    )
    records = []
    for (lad_code, lad_name), group in sites.groupby(["lad_code", "lad_name"], sort=True):
        n_lsoas = int((lsoas["lad_code"] == lad_code).sum())
        # More deprived sites are likelier to be picked (weight 11 - decile), as clinics follow need.
        weights = (11 - group["imd_decile"].to_numpy(float)) / (11 - group["imd_decile"]).sum()
        for kind, count in (("health-visitor baby clinic", max(2, round(n_lsoas / 25))), ("family hub", 1 if n_lsoas < 150 else 2)):
            count = min(count, len(group))
            chosen = group.iloc[rng.choice(len(group), size=count, replace=False, p=weights)]
            for i, site in enumerate(chosen.itertuples(index=False), 1):
                rural = isinstance(site.ruc21_name, str) and site.ruc21_name.startswith("Rural")
                label = "baby clinic" if kind.startswith("health") else "family hub"
                records.append(
                    {
                        "name": f"Illustrative {label} {i}, {lad_name}",
                        "provider": "Illustrative provider",
                        "service_type": kind,
                        "tier": "universal",
                        "tier_reason": "Open to every family: a universal service",
                        "postcode": site.postcode,
                        "lat": float(site.lat),
                        "lon": float(site.lon),
                        "travel_km": 5.0 if rural else 2.0,
                        "age_min_months": 0,
                        "age_max_months": 24 if label == "baby clinic" else 60,
                        "capacity_families": int(rng.integers(15, 41) * 10),
                        "commissioner": f"{lad_name} Council (illustrative)",
                        "source": ILLUSTRATIVE_SOURCE,
                        "status": "illustrative",
                        # illustrative models, alternating (no draw from the seeded generator: the sites stay as they were)
                        **({"clinic_model": "social" if i % 2 else "drop-in", "venue": "community venue" if i % 2 else "health centre",
                            "session_format": "weekly drop-in with a relationship-focused practitioner" if i % 2 else "weekly weigh-and-advice drop-in"}
                           if label == "baby clinic" else {}),
                    }
                )
    return records


def starter_records(lsoas: pd.DataFrame, practices: pd.DataFrame, places) -> list[dict]:
    """Public and illustrative rows, each validated like a user's; a bad row is a bug here."""
    from dashboard.services import validate_service

    records = []
    for raw in public_services() + illustrative_services(lsoas, practices):
        clean, problems = validate_service(raw, places)
        if problems:
            raise ValueError(f"Starter register row {raw['name']!r} is invalid: {problems}")
        records.append(clean)
    return records
