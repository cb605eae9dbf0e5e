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

#: Tiers from the most to the least specialised; coverage is always reported by tier.
TIER_ORDER = ["specialist", "targeted", "universal"]
TIER_LABELS = {
    "specialist": "Specialised PAIR team",
    "targeted": "Targeted support",
    "universal": "Universal services",
}
TIER_MEANING = {
    "specialist": "a specialised parent-infant relationship team",
    "targeted": "targeted support (perinatal mental health, enhanced health-visiting offers, emotional wellbeing pathways)",
    "universal": "universal services (baby clinics, family hubs, infant feeding support)",
}
#: What counts as "covered" for the gap ranking: a tier and every more specialised one.
COUNTS_AS = {t: tuple(TIER_ORDER[: i + 1]) for i, t in enumerate(TIER_ORDER)}

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


def counted_services(services: pd.DataFrame, include_illustrative: bool = False) -> pd.DataFrame:
    """The services that count in figures: illustrative (synthetic) rows only when asked for."""
    if include_illustrative or services.empty:
        return services
    return services[services["status"] != "illustrative"]


def lsoa_coverage(lsoas: pd.DataFrame, services: pd.DataFrame, pairs: pd.DataFrame | None = None, counts_as: str = "specialist") -> pd.DataFrame:
    """Per LSOA: the services reaching it (names), and whether a service of each tier does.

    ``covered`` means reached by a service of the tier ``counts_as`` or a more specialised one
    (default: a specialised PAIR team); the gap columns follow it."""
    pairs = reach(lsoas, services) if pairs is None else pairs
    named = pairs.merge(services[["id", "name", "tier"]], left_on="service_id", right_on="id", how="left")
    names = named.groupby("lsoa_code")["name"].agg(lambda s: "; ".join(sorted(s)))
    out = lsoas.copy()
    out["services"] = out["lsoa_code"].map(names).astype("object").fillna("")
    out["n_services"] = out["lsoa_code"].map(named.groupby("lsoa_code").size()).fillna(0).astype(int)
    for tier in TIERS:
        reached = set(named.loc[named["tier"] == tier, "lsoa_code"])
        out[f"covered_{tier}"] = out["lsoa_code"].isin(reached)
    out["covered"] = out[[f"covered_{t}" for t in COUNTS_AS[counts_as]]].any(axis=1)
    out["weight"] = deprivation_weight(out["imd_decile"])
    out["uncovered_infants"] = np.where(out["covered"], 0.0, out["infants_0"])
    out["gap_score"] = out["uncovered_infants"] * out["weight"]
    return out


def tier_table(cov: pd.DataFrame) -> pd.DataFrame:
    """Infants aged 0 within reach of each tier, and without cover (as counted), by national
    IMD quintile 1-5, with the share within reach of a specialised team."""
    frame = cov.assign(**{f"{t}_inf": cov["infants_0"].where(cov[f"covered_{t}"], 0.0) for t in TIER_ORDER},
                       uncovered=cov["infants_0"].where(~cov["covered"], 0.0))
    out = frame.groupby("imd_quintile").agg(
        lsoas=("lsoa_code", "size"), infants=("infants_0", "sum"),
        **{f"{t}_infants": (f"{t}_inf", "sum") for t in TIER_ORDER}, uncovered_infants=("uncovered", "sum"),
    ).reindex(range(1, 6), fill_value=0).rename_axis("quintile").reset_index()
    out["share_specialist"] = out["specialist_infants"] / out["infants"].where(out["infants"] > 0)
    return out


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
    """What hypothetical sites add. *Within reach* counts infants aged 0 in the LSOAs a site newly
    reaches; *families it can see* is what its annual capacity allows of the families in need
    there (infants within reach x prevalence of need, capped at the capacity): never more than
    the capacity."""

    by_quintile: pd.DataFrame  # quintile, newly_covered_infants
    sites: pd.DataFrame  # one row per site: name, capacity, infants within reach, families in need, families it can see
    newly_covered_lsoas: list[str]
    gap_before: float
    gap_after: float
    prevalence: float

    @property
    def gap_change(self) -> float:
        return self.gap_after - self.gap_before

    @property
    def infants_within_reach(self) -> float:
        return float(self.by_quintile["newly_covered_infants"].sum())

    @property
    def families_can_see(self) -> float:
        return float(self.sites["families_can_see"].sum())


def families_can_see(infants_within_reach: float, prevalence: float, capacity) -> float:
    """Families in need within reach (infants x prevalence), capped by the annual capacity."""
    need = float(infants_within_reach) * float(prevalence)
    return need if capacity is None or pd.isna(capacity) else min(need, float(capacity))


def what_if(lsoas: pd.DataFrame, services: pd.DataFrame, hypothetical: pd.DataFrame, prevalence: float = 0.10, counts_as: str = "specialist") -> WhatIf:
    """What hypothetical services (rows like the register's; never saved) would add, site by
    site in order: each site's infants are those it reaches that nothing before it reached."""
    before = lsoa_coverage(lsoas, services, counts_as=counts_as)
    covered = before["covered"].to_numpy().copy()
    rows = []
    for _, site in hypothetical.reset_index(drop=True).iterrows():
        one = lsoa_coverage(lsoas, site.to_frame().T.astype({"lat": float, "lon": float, "travel_km": float}), counts_as="universal")
        new = one["covered"].to_numpy() & ~covered
        infants = float(before.loc[new, "infants_0"].sum())
        capacity = site.get("capacity_families")
        rows.append({
            "name": site["name"], "tier": site["tier"], "travel_km": site.get("travel_km"), "capacity_families": capacity,
            "infants_within_reach": infants, "families_in_need": infants * prevalence,
            "families_can_see": families_can_see(infants, prevalence, capacity),
        })
        covered |= new
    after = lsoa_coverage(lsoas, pd.concat([services, hypothetical], ignore_index=True), counts_as=counts_as)
    newly = after["covered"] & ~before["covered"]
    by_q = (
        after.loc[newly].groupby("imd_quintile")["infants_0"].sum().reindex(range(1, 6), fill_value=0.0)
        .rename("newly_covered_infants").rename_axis("quintile").reset_index()
    )
    sites = pd.DataFrame(rows, columns=["name", "tier", "travel_km", "capacity_families", "infants_within_reach", "families_in_need", "families_can_see"])
    return WhatIf(by_q, sites, after.loc[newly, "lsoa_code"].tolist(), float(before["gap_score"].sum()), float(after["gap_score"].sum()), prevalence)


def suggest_sites(cov: pd.DataFrame, k: int, travel_km: float, capacity: float | None = None, prevalence: float = 0.10) -> pd.DataFrame:
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
                "families_can_see": families_can_see(float(infants[idx].sum()), prevalence, capacity),
            }
        )
        remaining[idx] = 0.0
        infants[idx] = 0.0
    return pd.DataFrame(rows)


def view_summary(cov: pd.DataFrame) -> dict:
    """Headline numbers for the LSOAs in view: infants, infants reached by each tier, and the
    most deprived (deciles 1-2 and quintile 1) left uncovered (``covered`` as counted)."""
    deprived = cov["imd_decile"].le(2)
    uncovered_deprived = cov[deprived & ~cov["covered"]]
    out = {
        "lsoas": len(cov),
        "infants": float(cov["infants_0"].sum()),
        "covered_infants": float(cov.loc[cov["covered"], "infants_0"].sum()),
        "deprived_lsoas": int(deprived.sum()),
        "uncovered_deprived_lsoas": len(uncovered_deprived),
        "uncovered_deprived_infants": float(uncovered_deprived["infants_0"].sum()),
        "q1_infants": float(cov.loc[cov["imd_quintile"].eq(1), "infants_0"].sum()),
        "q1_uncovered_infants": float(cov.loc[cov["imd_quintile"].eq(1) & ~cov["covered"], "infants_0"].sum()),
    }
    for tier in TIER_ORDER:
        out[f"{tier}_infants"] = float(cov.loc[cov[f"covered_{tier}"], "infants_0"].sum())
    return out


def hypothetical_service(id: int, name: str, service_type: str, tier: str, lon: float, lat: float, travel_km: float, capacity: int | None) -> dict:
    """A service row for the what-if tool: a site with a travel distance, never saved unless asked."""
    return {"id": id, "name": name, "service_type": service_type, "tier": tier, "lat": float(lat), "lon": float(lon),
            "travel_km": float(travel_km), "capacity_families": capacity, "catchment_level": None, "catchment_codes": None,
            "status": "hypothetical"}


def site_points(services: pd.DataFrame, lsoas: pd.DataFrame) -> pd.DataFrame:
    """Where to draw each service: its site when it has one; otherwise the infant-weighted
    centre of the neighbourhoods its footprint covers (``placed`` says which), so that a real
    service with only a commissioned area (NEWPIP) is still on the map, labelled as placed."""
    if services.empty:
        return services.assign(placed=pd.Series(dtype=object))
    out = services.copy()
    out["placed"] = np.where(out["lat"].notna() & out["lon"].notna(), "site", None)
    missing = out["placed"].isna()
    if missing.any():
        pairs = reach(lsoas, out[missing])
        pts = pairs.merge(lsoas[["lsoa_code", "point_lon", "point_lat", "infants_0"]], on="lsoa_code")
        if len(pts):
            w = pts["infants_0"].clip(lower=0.01)
            centre = pts.assign(wx=pts["point_lon"] * w, wy=pts["point_lat"] * w, w=w).groupby("service_id")[["wx", "wy", "w"]].sum()
            lon, lat = centre["wx"] / centre["w"], centre["wy"] / centre["w"]
            ids = out.loc[missing, "id"]
            out.loc[missing, "lon"] = ids.map(lon).to_numpy()
            out.loc[missing, "lat"] = ids.map(lat).to_numpy()
            out.loc[missing & out["lat"].notna(), "placed"] = "centre of its area"
    return out[out["lat"].notna()].reset_index(drop=True)
