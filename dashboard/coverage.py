"""Coverage and gaps: which services reach which neighbourhoods, and who is left out.

Plain pandas and numpy; no Streamlit. A service *reaches* an LSOA when

* the LSOA lies in the service's commissioned footprint (its local authorities, sub-ICB
  locations or ICB: ``catchment_level`` and ``catchment_codes``), or
* the service has a site and a travel distance, and the LSOA's point (the mean of its postcode
  units, a proxy for its population-weighted centre) is within that straight-line distance.

**Deprivation-weighted uncovered infants** rank the gaps: an LSOA's uncovered infants aged 0
times ``(11 - national IMD decile) / 10``, so an infant in decile 1 counts 1.0 and one in
decile 10 counts 0.1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.spatial import cKDTree

from dashboard.services import TIERS

_TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True, allow_ballpark=False)
CATCHMENT_COLUMNS = {"lad": "lad_code", "sicbl": "sicbl_code", "icb": "icb_code"}


def deprivation_weight(decile) -> np.ndarray:
    return (11 - np.asarray(decile, dtype=float)) / 10


def site_coordinates(services: pd.DataFrame) -> pd.DataFrame:
    """Add British National Grid ``site_e`` / ``site_n`` (metres) for services with a location."""
    out = services.copy()
    has = out["lat"].notna() & out["lon"].notna()
    e, n = _TO_BNG.transform(out.loc[has, "lon"].astype(float).to_numpy(), out.loc[has, "lat"].astype(float).to_numpy())
    out["site_e"], out["site_n"] = np.nan, np.nan
    out.loc[has, "site_e"], out.loc[has, "site_n"] = e, n
    return out


def reach(lsoas: pd.DataFrame, services: pd.DataFrame) -> pd.DataFrame:
    """Pairs (``lsoa_code``, ``service_id``, ``via``) of every service reaching every LSOA."""
    services = site_coordinates(services)
    pairs = []
    for svc in services.itertuples(index=False):
        level, codes = getattr(svc, "catchment_level"), getattr(svc, "catchment_codes")
        if isinstance(codes, str) and codes and level in CATCHMENT_COLUMNS:
            inside = lsoas[lsoas[CATCHMENT_COLUMNS[level]].isin(codes.split(";"))]
            pairs.append(pd.DataFrame({"lsoa_code": inside["lsoa_code"], "service_id": svc.id, "via": "footprint"}))
        km = getattr(svc, "travel_km")
        if pd.notna(km) and pd.notna(svc.site_e):
            d = np.hypot(lsoas["point_e"].to_numpy() - svc.site_e, lsoas["point_n"].to_numpy() - svc.site_n)
            near = lsoas.loc[d <= float(km) * 1000, "lsoa_code"]
            pairs.append(pd.DataFrame({"lsoa_code": near, "service_id": svc.id, "via": "distance"}))
    if not pairs:
        return pd.DataFrame(columns=["lsoa_code", "service_id", "via"])
    out = pd.concat(pairs, ignore_index=True)
    # Reached both ways: keep one row, say "footprint" (the commissioned basis) first.
    return out.sort_values("via", ascending=False).drop_duplicates(["lsoa_code", "service_id"]).reset_index(drop=True)


def lsoa_coverage(lsoas: pd.DataFrame, services: pd.DataFrame, pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per LSOA: the services reaching it (names), whether any does, and by tier."""
    pairs = reach(lsoas, services) if pairs is None else pairs
    named = pairs.merge(services[["id", "name", "tier"]], left_on="service_id", right_on="id", how="left")
    names = named.groupby("lsoa_code")["name"].agg(lambda s: "; ".join(sorted(s)))
    out = lsoas.copy()
    out["services"] = out["lsoa_code"].map(names).astype("object").fillna("")
    out["n_services"] = out["lsoa_code"].map(named.groupby("lsoa_code").size()).fillna(0).astype(int)
    out["covered"] = out["n_services"] > 0
    for tier in TIERS:
        reached = set(named.loc[named["tier"] == tier, "lsoa_code"])
        out[f"covered_{tier}"] = out["lsoa_code"].isin(reached)
    out["weight"] = deprivation_weight(out["imd_decile"])
    out["uncovered_infants"] = np.where(out["covered"], 0.0, out["infants_0"])
    out["gap_score"] = out["uncovered_infants"] * out["weight"]
    return out


def coverage_table(cov: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Infants aged 0 covered and not covered, by IMD quintile (national), any tier and per tier."""
    cols = {"infants": ("infants_0", "sum"), "lsoas": ("lsoa_code", "size")}
    frame = cov.assign(
        covered_infants=cov["infants_0"].where(cov["covered"], 0.0),
        **{f"{t}_infants": cov["infants_0"].where(cov[f"covered_{t}"], 0.0) for t in TIERS},
    )
    cols |= {"covered_infants": ("covered_infants", "sum")} | {f"{t}_infants": (f"{t}_infants", "sum") for t in TIERS}
    out = frame.groupby(by + ["imd_quintile"], observed=True).agg(**cols).reset_index()
    out["uncovered_infants"] = out["infants"] - out["covered_infants"]
    out["share_covered"] = np.where(out["infants"] > 0, out["covered_infants"] / out["infants"], np.nan)
    return out.rename(columns={"imd_quintile": "quintile"})


def gap_lsoas(cov: pd.DataFrame, deciles: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Uncovered LSOAs ranked by deprivation-weighted uncovered infants (largest first)."""
    gaps = cov[~cov["covered"] & (cov["infants_0"] > 0)]
    if deciles:
        gaps = gaps[gaps["imd_decile"].isin(deciles)]
    cols = ["lsoa_code", "lsoa_name", "region", "lad_name", "imd_decile", "infants_0", "weight", "gap_score"]
    out = gaps.sort_values(["gap_score", "lsoa_code"], ascending=[False, True])[cols].reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def gap_areas(cov: pd.DataFrame) -> pd.DataFrame:
    """Local authorities (part in ICB) ranked by deprivation-weighted uncovered infants."""
    out = cov.groupby(["region", "lad_code", "lad_name"], observed=True).agg(
        infants=("infants_0", "sum"),
        uncovered_infants=("uncovered_infants", "sum"),
        gap_score=("gap_score", "sum"),
        uncovered_lsoas_decile_1_2=("lsoa_code", lambda s: int(((~cov.loc[s.index, "covered"]) & cov.loc[s.index, "imd_decile"].le(2)).sum())),
    ).reset_index()
    out["share_uncovered"] = out["uncovered_infants"] / out["infants"]
    out = out.sort_values("gap_score", ascending=False).reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


@dataclass
class WhatIf:
    by_quintile: pd.DataFrame  # quintile, newly_covered_infants
    newly_covered_lsoas: list[str]
    gap_before: float
    gap_after: float

    @property
    def gap_change(self) -> float:
        return self.gap_after - self.gap_before


def what_if(lsoas: pd.DataFrame, services: pd.DataFrame, hypothetical: pd.DataFrame) -> WhatIf:
    """What hypothetical services (rows like the register's; never saved) would add."""
    before = lsoa_coverage(lsoas, services)
    combined = pd.concat([services, hypothetical], ignore_index=True)
    after = lsoa_coverage(lsoas, combined)
    newly = after["covered"] & ~before["covered"]
    by_q = (
        after.loc[newly].groupby("imd_quintile")["infants_0"].sum().reindex(range(1, 6), fill_value=0.0)
        .rename("newly_covered_infants").rename_axis("quintile").reset_index()
    )
    return WhatIf(by_q, after.loc[newly, "lsoa_code"].tolist(), float(before["gap_score"].sum()), float(after["gap_score"].sum()))


def suggest_sites(cov: pd.DataFrame, k: int, travel_km: float) -> pd.DataFrame:
    """Greedy maximal covering: ``k`` sites, each at an LSOA's point, that together reach the
    most deprivation-weighted uncovered infants within ``travel_km`` (straight line).

    Each step takes the candidate whose circle holds the largest remaining weighted uncovered
    infants (Church and ReVelle's maximal covering location problem; the greedy heuristic is
    within 1 - 1/e of the optimum). Returns one row per site with what it adds.
    """
    if k < 1 or travel_km <= 0:
        raise ValueError("k must be at least 1 and the distance above 0")
    points = cov[["point_e", "point_n"]].to_numpy(float)
    tree = cKDTree(points)
    neighbours = tree.query_ball_point(points, r=travel_km * 1000)
    remaining = cov["gap_score"].to_numpy(float).copy()
    infants = cov["uncovered_infants"].to_numpy(float).copy()
    rows = []
    for step in range(1, k + 1):
        gains = np.array([remaining[idx].sum() for idx in neighbours])
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        idx = neighbours[best]
        site = cov.iloc[best]
        rows.append(
            {
                "site": step,
                "lsoa_code": site["lsoa_code"],
                "lsoa_name": site["lsoa_name"],
                "lad_name": site["lad_name"],
                "region": site["region"],
                "lon": site["point_lon"],
                "lat": site["point_lat"],
                "lsoas_reached": int(np.count_nonzero(remaining[idx] > 0)),
                "uncovered_infants_reached": float(infants[idx].sum()),
                "gap_score_reached": float(remaining[idx].sum()),
            }
        )
        remaining[idx] = 0.0
        infants[idx] = 0.0
    return pd.DataFrame(rows)


def view_summary(cov: pd.DataFrame) -> dict:
    """Headline numbers for the LSOAs in view (the text beside the map and the gaps metrics)."""
    deprived = cov["imd_decile"].le(2)
    uncovered_deprived = cov[deprived & ~cov["covered"]]
    return {
        "lsoas": len(cov),
        "infants": float(cov["infants_0"].sum()),
        "covered_infants": float(cov.loc[cov["covered"], "infants_0"].sum()),
        "deprived_lsoas": int(deprived.sum()),
        "uncovered_deprived_lsoas": len(uncovered_deprived),
        "uncovered_deprived_infants": float(uncovered_deprived["infants_0"].sum()),
    }


def hypothetical_service(id: int, name: str, service_type: str, tier: str, lon: float, lat: float, travel_km: float, capacity: int | None) -> dict:
    """A service row for the what-if tool: a site with a travel distance, never saved unless asked."""
    return {"id": id, "name": name, "service_type": service_type, "tier": tier, "lat": float(lat), "lon": float(lon),
            "travel_km": float(travel_km), "capacity_families": capacity, "catchment_level": None, "catchment_codes": None,
            "status": "illustrative"}
