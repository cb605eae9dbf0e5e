"""Area summaries for the Overview page and ``python -m dashboard summary``.

For each ICB, and each local authority's part inside its ICB: the number of LSOAs, infants
aged 0 (ONS mid-2020 small-area estimates) and the share of LSOAs in the nationally most
deprived decile of the Index of Multiple Deprivation (decile 1 = most deprived 10% of LSOAs
in England).
"""

from __future__ import annotations

import pandas as pd

from dashboard.vocabulary import REGION_NAMES

SUMMARY_COLUMNS = ["level", "region", "code", "name", "lsoas", "infants_0", "lsoas_most_deprived_decile", "share_most_deprived_decile"]


def _summarise(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = frame.assign(most=frame["imd_decile"].eq(1)).groupby(keys, sort=False)
    out = grouped.agg(lsoas=("lsoa_code", "size"), infants_0=("infants_0", "sum"), lsoas_most_deprived_decile=("most", "sum")).reset_index()
    out["share_most_deprived_decile"] = out["lsoas_most_deprived_decile"] / out["lsoas"]
    return out


def area_summary(lsoas: pd.DataFrame) -> pd.DataFrame:
    """ICB rows then local-authority rows (the part of each LA inside the ICB), NENC first."""
    icb = _summarise(lsoas, ["region", "icb_code"]).rename(columns={"icb_code": "code"})
    icb["name"] = icb["region"].map(REGION_NAMES) + " ICB"
    icb["level"] = "ICB"
    lad = _summarise(lsoas, ["region", "lad_code", "lad_name"]).rename(columns={"lad_code": "code", "lad_name": "name"})
    lad["level"] = "Local authority (part in ICB)"
    out = pd.concat([icb, lad], ignore_index=True)
    region_order = {r: i for i, r in enumerate(REGION_NAMES)}
    out = out.assign(_r=out["region"].map(region_order), _l=(out["level"] != "ICB").astype(int))
    out = out.sort_values(["_r", "_l", "name"]).drop(columns=["_r", "_l"])
    out["lsoas_most_deprived_decile"] = out["lsoas_most_deprived_decile"].astype(int)
    return out[SUMMARY_COLUMNS].reset_index(drop=True)


def format_summary(table: pd.DataFrame) -> str:
    """A plain-text table for the terminal: infants rounded, shares as percentages."""
    shown = table.assign(
        infants_0=table["infants_0"].round().astype(int).map("{:,}".format),
        share_most_deprived_decile=(100 * table["share_most_deprived_decile"]).map("{:.1f}%".format),
    )
    shown.columns = ["Level", "Region", "Code", "Name", "LSOAs", "Infants aged 0", "LSOAs in decile 1", "Share in decile 1"]
    return shown.to_string(index=False)


def headline(table: pd.DataFrame) -> str:
    """A one-paragraph text alternative to the Overview chart."""
    parts = []
    for _, icb in table[table["level"] == "ICB"].iterrows():
        las = table[(table["level"] != "ICB") & (table["region"] == icb["region"])]
        top = las.sort_values("share_most_deprived_decile", ascending=False).iloc[0]
        parts.append(
            f"{icb['name']}: {icb['lsoas']:,} LSOAs, about {icb['infants_0']:,.0f} infants aged 0, "
            f"{icb['share_most_deprived_decile']:.1%} of LSOAs in England's most deprived decile; "
            f"highest share in {top['name']} ({top['share_most_deprived_decile']:.1%})."
        )
    return " ".join(parts)
