"""``python -m dashboard summary`` and the area summary behind the Overview page."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from dashboard.overview import area_summary
from dashboard.__main__ import main


def _summary_csv(capsys, *args):
    assert main(["summary", "--format", "csv", *args]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


def test_icb_rows(store, capsys):
    table = _summary_csv(capsys).set_index("code")
    nenc, bnssg = table.loc["E54000050"], table.loc["E54000039"]
    assert (nenc["lsoas"], round(nenc["infants_0"]), nenc["lsoas_most_deprived_decile"]) == (1889, 28055, 379)
    assert (bnssg["lsoas"], round(bnssg["infants_0"]), bnssg["lsoas_most_deprived_decile"]) == (581, 10371, 39)


def test_shares_match_mhclg_published_summaries(store, reference_dir, capsys):
    """The ICB shares equal IoD2025 File 13; local authorities wholly inside an ICB equal File 10."""
    table = _summary_csv(capsys).set_index("code")["share_most_deprived_decile"]
    col = "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally"
    icb = pd.read_csv(reference_dir / "imd2025/humaniverse_imd2025_england_icb24_NENC_BNSSG.csv").set_index("icb24_code")[col]
    for code, share in icb.items():
        assert table[code] == pytest.approx(share, abs=5e-5)
    lad = pd.read_csv(reference_dir / "imd2025/humaniverse_imd2025_england_ltla24_NENC_BNSSG.csv").set_index("ltla24_code")[col]
    split_by_icb_boundary = {"E06000063", "E06000064"}  # Cumberland (less Millom), Westmorland and Furness (ex-Eden only)
    for code, share in lad.drop(list(split_by_icb_boundary)).items():
        assert table[code] == pytest.approx(share, abs=5e-5), code
    assert table["E06000063"] != pytest.approx(lad["E06000063"], abs=5e-4)
    assert table["E06000064"] == 0 and lad["E06000064"] > 0


def test_local_authorities_add_up_to_their_icb(store, capsys):
    table = _summary_csv(capsys)
    icbs = table[table["level"] == "ICB"].set_index("region")
    las = table[table["level"] != "ICB"].groupby("region")[["lsoas", "infants_0", "lsoas_most_deprived_decile"]].sum()
    assert (las["lsoas"] == icbs.loc[las.index, "lsoas"]).all()
    assert las["infants_0"].to_numpy() == pytest.approx(icbs.loc[las.index, "infants_0"].to_numpy())
    assert (table["level"] != "ICB").sum() == 17


def test_previous_index_and_formats(store, capsys):
    table = _summary_csv(capsys, "--index", "imd2019").set_index("code")
    assert table.loc["E54000050", "lsoas"] == 1864 and table.loc["E54000039", "lsoas"] == 563
    # The same mid-2020 infants, counted on 2011 LSOAs.
    assert (table.loc["E54000050", "infants_0"], table.loc["E54000039", "infants_0"]) == (28055, 10371)
    assert main(["summary", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["code"] for r in records if r["level"] == "ICB"} == {"E54000050", "E54000039"}
    assert main(["summary"]) == 0
    out = capsys.readouterr().out
    assert "NHS North East and North Cumbria ICB" in out and "20.1%" in out and "28,055" in out


def test_area_summary_on_a_small_table():
    lsoas = pd.DataFrame({
        "lsoa_code": ["a", "b", "c", "d"],
        "region": ["NENC", "NENC", "NENC", "BNSSG"],
        "icb_code": ["E54000050"] * 3 + ["E54000039"],
        "lad_code": ["L1", "L1", "L2", "L3"],
        "lad_name": ["One", "One", "Two", "Three"],
        "imd_decile": [1, 5, 1, 10],
        "infants_0": [10.0, 20.0, 30.0, 40.0],
    })
    table = area_summary(lsoas).set_index("code")
    assert list(table.index) == ["E54000050", "L1", "L2", "E54000039", "L3"]
    assert table.loc["E54000050", "share_most_deprived_decile"] == pytest.approx(2 / 3)
    assert table.loc["L1", "infants_0"] == 30 and table.loc["L1", "share_most_deprived_decile"] == 0.5
    assert table.loc["L3", "lsoas_most_deprived_decile"] == 0
