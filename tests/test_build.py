"""The reference build on the real NENC and BNSSG files in ../shared/reference."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
import shapely

from data_access.build import bng_to_wgs84, build
from data_access.sources import SourceError, load_datasets
from data_access.store import ReferenceStore, StoreMissing

MILLOM = ["E01019283", "E01019289", "E01019290", "E01019293", "E01019298", "E01019299"]
NENC, BNSSG = "E54000050", "E54000039"


def test_lsoa_counts_by_icb(store):
    l21, l11 = store.lsoas("iod2025"), store.lsoas("imd2019")
    assert l21.groupby("icb_code").size().to_dict() == {NENC: 1889, BNSSG: 581}
    assert l11.groupby("icb_code").size().to_dict() == {NENC: 1864, BNSSG: 563}
    assert l21["lsoa_code"].is_unique and l11["lsoa_code"].is_unique


def test_regions_follow_the_icb_lookup_not_local_authorities(store):
    l21, l11 = store.lsoas("iod2025"), store.lsoas("imd2019")
    # Millom (Copeland 008) is in Cumberland but in Lancashire and South Cumbria ICB.
    assert not set(MILLOM) & set(l11["lsoa_code"])
    assert not set(MILLOM) & set(l21["lsoa_code"])
    # Only the former Eden district of Westmorland and Furness is in NENC: its 36 LSOAs are in.
    wf = l21[l21["lad_code"] == "E06000064"]
    assert len(wf) == 36 and set(wf["icb_code"]) == {NENC}
    eden = l11[l11["lad_code"] == "E07000030"]
    assert len(eden) == 36 and set(eden["icb_code"]) == {NENC}


def test_every_lsoa_has_index_values_polygon_and_population(store):
    for index, england in (("iod2025", 33755), ("imd2019", 32844)):  # LSOAs in England
        lsoas = store.lsoas(index)
        for key in ("imd", "income", "employment", "education", "health", "crime", "housing", "environment"):
            assert lsoas[f"{key}_decile"].between(1, 10).all(), key
            assert lsoas[f"{key}_quintile"].between(1, 5).all(), key
            assert lsoas[f"{key}_rank"].between(1, england).all(), key
            assert ((lsoas[f"{key}_decile"] + 1) // 2 == lsoas[f"{key}_quintile"]).all()
        assert lsoas["infants_0"].notna().all() and (lsoas["infants_0"] >= 0).all()
        assert (lsoas["infants_0_4"] >= lsoas["infants_0"]).all()
        polygons = store.polygons(index, "lsoa")
        assert set(polygons["lsoa_code"]) == set(lsoas["lsoa_code"])
        assert polygons.geometry.is_valid.all() and not polygons.geometry.is_empty.any()
    # IoD 2025 carries scores; spot-check one LSOA against the published values.
    row = store.lsoas("iod2025").set_index("lsoa_code").loc["E01008163"]
    assert (row["imd_score"], row["imd_rank"], row["imd_decile"], row["imd_quintile"]) == (44.279, 3513, 2, 1)


def test_imd_2019_values_from_file_2(store):
    row = store.lsoas("imd2019").set_index("lsoa_code").loc["E01008162"]
    assert (row["imd_rank"], row["imd_decile"], row["income_rank"], row["crime_decile"]) == (11206, 4, 12600, 1)


def test_infants_totals_conserved(store):
    l21, l11 = store.lsoas("iod2025"), store.lsoas("imd2019")
    # The MANIFEST: the sum of age 0 over the 2,427 LSOAs 2011 is 38,426.
    assert l11["infants_0"].sum() == 38426
    assert l21["infants_0"].sum() == pytest.approx(38426, abs=1e-6)
    assert l21["infants_0_4"].sum() == pytest.approx(l11["infants_0_4"].sum(), abs=1e-6)
    # Every LSOA 2011's infants are shared out exactly once.
    carry = store.infants_carry()
    assert carry.groupby("lsoa11_code")["share"].sum().to_numpy() == pytest.approx(np.ones(2427))


def test_infants_conserved_per_local_authority(store):
    l21, l11 = store.lsoas("iod2025"), store.lsoas("imd2019")
    cumbria_2023 = {"E07000026": "E06000063", "E07000028": "E06000063", "E07000029": "E06000063", "E07000030": "E06000064"}
    by_la_2011 = l11.assign(lad=l11["lad_code"].replace(cumbria_2023)).groupby("lad")["infants_0"].sum()
    by_la_2021 = l21.groupby("lad_code")["infants_0"].sum()
    diff = (by_la_2021 - by_la_2011).round(6)
    # One irregular LSOA (Gateshead 024C, E01008187) was redrawn across the Gateshead /
    # Northumberland boundary in 2021: the only transfer between local authorities.
    carry = store.infants_carry()
    moved = carry[(carry["lsoa11_code"] == "E01008187") & (carry["lsoa21_code"] == "E01035637")]["infants_0"].sum()
    assert moved > 0
    assert diff["E06000057"] == pytest.approx(moved) and diff["E08000037"] == pytest.approx(-moved)
    assert (diff.drop(["E06000057", "E08000037"]) == 0).all()


def test_carry_methods(store):
    l21 = store.lsoas("iod2025").set_index("lsoa_code")
    l11 = store.lsoas("imd2019").set_index("lsoa_code")
    carry = store.infants_carry()
    unchanged = carry[carry["change_code"] == "U"]
    assert len(unchanged) == 2349
    assert (l21.loc[unchanged["lsoa21_code"], "infants_0"].to_numpy() == l11.loc[unchanged["lsoa11_code"], "infants_0"].to_numpy()).all()
    merged = carry[carry["change_code"] == "M"].groupby("lsoa21_code")["lsoa11_code"].apply(list)
    for lsoa21, sources in merged.items():
        assert l21.at[lsoa21, "infants_0"] == pytest.approx(l11.loc[sources, "infants_0"].sum())
    assert l21["infants_method"].str.startswith("split").sum() == 105
    census = l21["census21_age_0_15"]
    split = carry[carry["change_code"] == "S"]
    for lsoa11, group in split.groupby("lsoa11_code"):
        expected = census.loc[group["lsoa21_code"]] / census.loc[group["lsoa21_code"]].sum()
        assert group["share"].to_numpy() == pytest.approx(expected.to_numpy())


def test_polygons_are_a_coverage_and_levels_dissolve(store):
    lsoa = store.polygons("iod2025", "lsoa").to_crs(27700)
    assert shapely.coverage_is_valid(lsoa.geometry.values)  # no overlaps opened by simplification
    lad = store.polygons("iod2025", "lad")
    assert len(lad) == 17 and lad.groupby("region").size().to_dict() == {"NENC": 14, "BNSSG": 3}
    assert len(store.polygons("iod2025", "sicbl")) == 9
    icb = store.polygons("iod2025", "icb").to_crs(27700)
    assert icb.set_index("region").area.sum() == pytest.approx(lsoa.area.sum(), rel=1e-4)
    lsoa11 = store.polygons("imd2019", "lsoa").to_crs(27700)
    assert shapely.coverage_is_valid(lsoa11.geometry.values)


def test_postcodes_in_wgs84_with_lsoa(store):
    pcs = store.postcodes().set_index("postcode")
    ne1 = pcs.loc["NE1 1AD"]  # Code-Point Open: easting 424722, northing 563716 (Newcastle)
    assert (ne1["lon"], ne1["lat"]) == pytest.approx(bng_to_wgs84(424722.0, 563716.0), abs=1e-6)
    lsoa21 = store.lsoas("iod2025").set_index("lsoa_code")
    assert lsoa21.at[ne1["lsoa21_code"], "lad_code"] == "E08000021"
    placed = pcs["lsoa21_code"].notna().mean()
    assert placed > 0.99


def test_bng_to_wgs84_applies_the_datum_shift():
    # Ordnance Survey's worked example (Caister water tower): E 651409.903, N 313177.270 is
    # OSGB36 52°39'27.2531"N 1°43'4.5177"E and ETRS89 (~WGS84) latitude 52°39'28.8282"N.
    lon, lat = bng_to_wgs84(651409.903, 313177.270)
    assert lat == pytest.approx(52 + 39 / 60 + 28.8282 / 3600, abs=0.0001)  # within ~10 m
    assert abs(lon - (1 + 43 / 60 + 4.5177 / 3600)) > 0.0015  # not the OSGB36 longitude


def test_gp_practices_with_coordinates(store):
    gps = store.gp_practices()
    active = gps[(gps["status"] == "A") & (gps["prescribing_setting"] == "4")]
    assert len(active) == 424
    assert active["lat"].notna().sum() == 423  # Alston Medical Practice's CA9 3QX is terminated


def test_provenance_records_every_file(store, reference_dir):
    prov = store.provenance()
    datasets = load_datasets()
    assert len(prov) == sum(len(d.files) for d in datasets.values())
    iod = prov.set_index("source_file").loc["imd2025/humaniverse_imd2025_england_lsoa21_NENC_BNSSG.csv"]
    assert iod["sha256"] == "ded1eb0cfcb66ae2e0da6761e4b6428b51075f5b75f6e429ac816f74c5024bc2"
    assert iod["publisher"] == "Ministry of Housing, Communities and Local Government"
    assert prov["build_time"].nunique() == 1 and prov["attribution"].str.len().gt(20).all()


# ---------------------------------------------------------------------------------------------
# Publishers' column names, failures and the atomic swap


def _copy_reference(reference_dir, tmp_path):
    dest = tmp_path / "reference"
    shutil.copytree(reference_dir, dest)
    for path in dest.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return dest


def _official_names(src):
    """Rewrite two republished files with the publishers' own column headers."""
    path = src / "imd2025/humaniverse_imd2025_england_lsoa21_NENC_BNSSG.csv"
    frame = pd.read_csv(path)
    official = {"lsoa21_code": "LSOA code (2021)"}
    names = {"IMD": "Index of Multiple Deprivation (IMD)", "Income": "Income", "Employment": "Employment",
             "Education": "Education, Skills and Training", "Health": "Health Deprivation and Disability",
             "Crime": "Crime", "Housing_and_Services": "Barriers to Housing and Services", "Environment": "Living Environment"}
    for short, long in names.items():
        score = f"{long} Score (rate)" if short in ("Income", "Employment") else f"{long} Score"
        official |= {f"{short}_score": score, f"{short}_rank": f"{long} Rank (where 1 is most deprived)",
                     f"{short}_decile": f"{long} Decile (where 1 is most deprived 10% of LSOAs)"}
    frame.rename(columns=official).to_csv(path, index=False, encoding="utf-8-sig")
    path = src / "lookups/geographr_lookup_lsoa21_sicbl24_icb24_NENC_BNSSG.csv"
    pd.read_csv(path).rename(columns={
        "lsoa21_code": "LSOA21CD", "lsoa21_name": "LSOA21NM", "sicbl24_code": "SICBL24CD", "sicbl24_code_nhs": "SICBL24CDH",
        "sicbl24_name": "SICBL24NM", "icb24_code": "ICB24CD", "icb24_name": "ICB24NM", "icb24_code_nhs": "ICB24CDH",
    }).to_csv(path, index=False)


def test_build_accepts_publishers_column_names(reference_dir, tmp_path, store):
    src = _copy_reference(reference_dir, tmp_path)
    _official_names(src)
    built = ReferenceStore(build(src, tmp_path / "store", quiet=True))
    pd.testing.assert_frame_equal(built.lsoas("iod2025"), store.lsoas("iod2025"))


def test_missing_column_names_file_and_column_and_keeps_previous_store(reference_dir, tmp_path):
    src = _copy_reference(reference_dir, tmp_path)
    dest = tmp_path / "store"
    first = ReferenceStore(build(src, dest, quiet=True)).version
    path = src / "imd2025/humaniverse_imd2025_england_lsoa21_NENC_BNSSG.csv"
    pd.read_csv(path).drop(columns="IMD_decile").to_csv(path, index=False)
    with pytest.raises(SourceError) as err:
        build(src, dest, quiet=True)
    assert "humaniverse_imd2025_england_lsoa21_NENC_BNSSG.csv" in str(err.value)
    assert "'imd_decile'" in str(err.value) and "IMD_decile" in str(err.value)
    kept = ReferenceStore(dest)
    assert kept.version == first and len(kept.lsoas()) == 2470
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("store")] == ["store"]


def test_missing_file_is_named(reference_dir, tmp_path):
    src = _copy_reference(reference_dir, tmp_path)
    (src / "population/demographr_population20_lsoa11_sape_mid2020_syoa_NENC_BNSSG.csv").unlink()
    with pytest.raises(SourceError, match="demographr_population20_lsoa11_sape_mid2020_syoa_NENC_BNSSG.csv"):
        build(src, tmp_path / "store", quiet=True)
    assert not (tmp_path / "store").exists()


def test_bad_number_is_named_with_row(reference_dir, tmp_path):
    src = _copy_reference(reference_dir, tmp_path)
    path = src / "imd2025/humaniverse_imd2025_england_lsoa21_NENC_BNSSG.csv"
    frame = pd.read_csv(path, dtype=str)
    frame.loc[4, "IMD_rank"] = "n/a"
    frame.to_csv(path, index=False)
    with pytest.raises(SourceError, match=r"imd_rank.*row 6.*'n/a'"):
        build(src, tmp_path / "store", quiet=True)


def test_cli_build_reports_progress_and_errors(reference_dir, tmp_path, capsys):
    from data_access.__main__ import main

    assert main(["build", "--sources", str(reference_dir), "--store", str(tmp_path / "s")]) == 0
    err = capsys.readouterr().err
    assert "12/12" in err and "Store built" in err
    info = json.loads((tmp_path / "s" / "build.json").read_text())
    assert info["lsoa21_by_region"] == {"NENC": 1889, "BNSSG": 581}
    assert main(["build", "--sources", str(tmp_path / "nowhere"), "--store", str(tmp_path / "s2")]) == 2
    assert f"source folder {tmp_path / 'nowhere'} does not exist" in capsys.readouterr().err


def test_the_build_record_is_read_again_when_it_changes(store, tmp_path):
    """Pages ask for the store's version and format on every run, answered from the build record
    read once; a rebuilt, replaced or removed record is seen at the next question."""
    from data_access.build import STORE_FORMAT

    copy = tmp_path / "store"
    copy.mkdir()
    shutil.copy(store.path / "build.json", copy / "build.json")
    seen = ReferenceStore(copy)
    assert seen.is_current() and seen.version == store.version
    record = json.loads((copy / "build.json").read_text())
    (copy / "build.json").write_text(json.dumps({**record, "build_id": "rebuilt", "format": STORE_FORMAT - 1}))
    assert not seen.is_current() and seen.version == "rebuilt"
    (copy / "build.json").unlink()
    assert not seen.is_current() and seen.version == "missing"
    with pytest.raises(StoreMissing):
        seen.build_info()
