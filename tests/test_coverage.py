"""Coverage and gaps on small hand-made areas with known answers, and on the real store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.coverage import gap_areas, gap_lsoas, lsoa_coverage, reach, suggest_sites, tier_table, what_if
from data_access.build import bng_to_wgs84


def _lsoas():
    """Five LSOAs on a line 1 km apart (BNG), two local authorities, deciles 1..5."""
    e = 400000 + 1000 * np.arange(5)
    n = np.full(5, 500000.0)
    lon, lat = bng_to_wgs84(e, n)
    return pd.DataFrame({
        "lsoa_code": [f"L{i}" for i in range(5)], "lsoa_name": [f"Area {i}" for i in range(5)],
        "region": "NENC", "icb_code": "E54000050", "sicbl_code": ["S1", "S1", "S1", "S2", "S2"],
        "lad_code": ["A", "A", "A", "B", "B"], "lad_name": ["Ay", "Ay", "Ay", "Bee", "Bee"],
        "imd_decile": [1, 2, 3, 4, 5], "imd_quintile": [1, 1, 2, 2, 3],
        "infants_0": [10.0, 20.0, 30.0, 40.0, 50.0],
        "point_e": e, "point_n": n, "point_lon": lon, "point_lat": lat,
    })


def _service(id, **kw):
    base = {"id": id, "name": f"S{id}", "service_type": "family hub", "tier": "universal", "lat": None, "lon": None,
            "catchment_level": None, "catchment_codes": None, "travel_km": None, "status": "local"}
    return base | kw


def test_reach_by_footprint_and_by_distance():
    lsoas = _lsoas()
    lon, lat = bng_to_wgs84(400000.0, 500000.0)  # at L0
    services = pd.DataFrame([
        _service(1, catchment_level="lad", catchment_codes="B", tier="specialist"),
        _service(2, lat=lat, lon=lon, travel_km=1.5),  # reaches L0 (0 km) and L1 (1 km), not L2 (2 km)
    ])
    pairs = reach(lsoas, services)
    assert set(map(tuple, pairs[["lsoa_code", "service_id", "via"]].to_numpy())) == {
        ("L3", 1, "footprint"), ("L4", 1, "footprint"), ("L0", 2, "distance"), ("L1", 2, "distance"),
    }
    cov = lsoa_coverage(lsoas, services, counts_as="universal")  # any tier closes a gap
    assert cov["covered"].tolist() == [True, True, False, True, True]
    assert cov["covered_specialist"].tolist() == [False, False, False, True, True]
    assert cov.loc[2, "gap_score"] == pytest.approx(30 * 0.8)  # decile 3 weighs (11 - 3) / 10
    specialist = lsoa_coverage(lsoas, services)  # the default: only a specialised team closes a gap
    assert specialist["covered"].tolist() == [False, False, False, True, True]
    assert specialist["gap_score"].sum() == pytest.approx(10 * 1.0 + 20 * 0.9 + 30 * 0.8)


def test_tier_table_by_quintile():
    lsoas = _lsoas()
    services = pd.DataFrame([_service(1, catchment_level="lad", catchment_codes="A", tier="targeted")])
    table = tier_table(lsoa_coverage(lsoas, services, counts_as="targeted")).set_index("quintile")
    assert table.loc[1, "infants"] == 30 and table.loc[1, "targeted_infants"] == 30 and table.loc[1, "uncovered_infants"] == 0
    assert table.loc[2, "targeted_infants"] == 30 and table.loc[2, "uncovered_infants"] == 40
    assert table.loc[3, "specialist_infants"] == 0 and table.loc[4, "infants"] == 0
    assert table.loc[1, "share_specialist"] == 0
    as_specialist = tier_table(lsoa_coverage(lsoas, services)).set_index("quintile")
    assert as_specialist.loc[1, "uncovered_infants"] == 30  # a targeted service does not close a specialist gap


def test_gap_rankings():
    cov = lsoa_coverage(_lsoas(), pd.DataFrame([_service(1, catchment_level="lad", catchment_codes="A")]), counts_as="universal")
    gaps = gap_lsoas(cov)
    # L3: 40 x 0.7 = 28; L4: 50 x 0.6 = 30
    assert gaps["lsoa_code"].tolist() == ["L4", "L3"] and gaps["gap_score"].tolist() == pytest.approx([30, 28])
    areas = gap_areas(cov).set_index("lad_code")
    assert areas.loc["B", "rank"] == 1 and areas.loc["B", "gap_score"] == pytest.approx(58) and areas.loc["A", "gap_score"] == 0


def test_what_if_and_suggested_sites():
    lsoas = _lsoas()
    services = pd.DataFrame([_service(1, catchment_level="lad", catchment_codes="B")])
    lon, lat = bng_to_wgs84(401000.0, 500000.0)  # at L1, 1.2 km reaches L0, L1, L2
    hypothetical = pd.DataFrame([_service(-1, lat=lat, lon=lon, travel_km=1.2, capacity_families=4)])
    result = what_if(lsoas, services, hypothetical, prevalence=0.10, counts_as="universal")
    assert sorted(result.newly_covered_lsoas) == ["L0", "L1", "L2"]
    assert result.by_quintile.set_index("quintile")["newly_covered_infants"].to_dict() == {1: 30, 2: 30, 3: 0, 4: 0, 5: 0}
    assert result.gap_before == pytest.approx(10 * 1.0 + 20 * 0.9 + 30 * 0.8) and result.gap_after == 0
    # 60 infants within reach, 6 families in need at 10%, but capacity for 4 a year
    assert result.infants_within_reach == 60 and result.sites.loc[0, "families_in_need"] == pytest.approx(6) and result.families_can_see == 4
    cov = lsoa_coverage(lsoas, services, counts_as="universal")
    sites = suggest_sites(cov, k=2, travel_km=1.2, capacity=100, prevalence=0.10)
    assert sites.loc[0, "lsoa_code"] == "L1" and sites.loc[0, "uncovered_infants_reached"] == 60
    assert sites.loc[0, "families_can_see"] == pytest.approx(6)  # capacity 100 does not bind
    assert len(sites) == 1  # nothing left to reach after the first site


def test_newpip_reaches_exactly_newcastle(store):
    lsoas = store.lsoas("iod2025")
    services = pd.DataFrame([_service(1, name="NEWPIP", service_type="specialised parent-infant relationship team",
                                      tier="specialist", catchment_level="lad", catchment_codes="E08000021")])
    cov = lsoa_coverage(lsoas, services)
    newcastle = cov[cov["covered"]]
    assert len(newcastle) == 180 and set(newcastle["lad_name"]) == {"Newcastle upon Tyne"}
    assert newcastle["infants_0"].sum() == pytest.approx(3050, abs=1)
    table = tier_table(cov[cov["region"] == "NENC"])
    assert table["specialist_infants"].sum() == pytest.approx(newcastle["infants_0"].sum())
    assert table["infants"].sum() == pytest.approx(28055, abs=1)


def test_view_summary_and_hypothetical_rows():
    from dashboard.coverage import hypothetical_service, view_summary

    cov = lsoa_coverage(_lsoas(), pd.DataFrame([_service(1, catchment_level="lad", catchment_codes="A")]), counts_as="universal")
    v = view_summary(cov)
    assert v == {"lsoas": 5, "infants": 150.0, "covered_infants": 60.0, "deprived_lsoas": 2, "uncovered_deprived_lsoas": 0, "uncovered_deprived_infants": 0.0,
                 "q1_infants": 30.0, "q1_uncovered_infants": 0.0, "specialist_infants": 0.0, "targeted_infants": 0.0, "universal_infants": 60.0}
    row = hypothetical_service(-1, "Hypothetical hub", "family hub", "universal", -1.6, 54.9, 3, 100)
    assert row["status"] == "hypothetical" and row["travel_km"] == 3.0 and row["catchment_codes"] is None
    assert what_if(_lsoas(), pd.DataFrame([_service(1, catchment_level="lad", catchment_codes="A")]), pd.DataFrame([row])).gap_before > 0
