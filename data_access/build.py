"""Build the reference store from the official datasets: ``python -m data_access build``.

The store is a folder of Parquet and GeoParquet files (``geodata/store``, gitignored):

==========================  ===========================================================
``lsoa21.parquet``          LSOA 2021: sub-ICB, ICB, region, local authority (2024),
                            IoD 2025 (IMD + 7 domains: score, rank, decile, quintile),
                            infants aged 0 and 0-4 (mid-2020, carried from LSOA 2011),
                            Census 2021 ages 0-15, rural-urban class
``lsoa11.parquet``          LSOA 2011: the same membership (July 2022 lookup, LAD 2022),
                            IMD 2019 (IMD + 7 domains: rank, decile, quintile; no scores
                            in the source), infants aged 0 and 0-4 (mid-2020)
``infants_carry.parquet``   the LSOA 2011 -> 2021 allocation of infants, row by row
``polygons_<geo>_<level>``  LSOA, local-authority, sub-ICB and ICB polygons (WGS84)
``postcodes.parquet``       Code-Point Open postcodes, WGS84, with LSOA 2021 and 2011
``gp_practices.parquet``    ODS GP practices with coordinates and LSOA 2021
``provenance.parquet``      dataset, publisher, title, vintage, licence, attribution,
                            source file, sha256, build time
``build.json``              build id and time, source folder, row counts
==========================  ===========================================================

The build writes into a temporary folder beside the store and swaps it in only when every
step has succeeded, so a missing file or column leaves the previous store in use.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from data_access.config import ICBS, store_dir as default_store_dir, source_dir as default_source_dir
from data_access.sources import (
    CODEPOINT_COLUMNS,
    EPRACCUR_COLUMNS,
    IOD_DOMAINS,
    Dataset,
    ReadLog,
    SourceError,
    load_datasets,
    read_csv_any,
    read_dataset,
    select_columns,
    to_number,
)

#: Coverage-simplification tolerance in metres (British National Grid), per LSOA geography.
#: The 2021 boundaries are already super-generalised (BSC) and barely change; the finer 2011
#: generalised (BGC) ones lose about 30% of their vertices at 50 m (median displacement ~45 m).
SIMPLIFY_METRES = {"lsoa21": 10.0, "lsoa11": 50.0}
#: The store's layout; a store of another format is rebuilt by ``build --if-missing``.
STORE_FORMAT = 2  # 2: Census 2021 ethnic groups added
SNAP_METRES = 0.1

CARRY_METHODS = {
    "U": "unchanged: the LSOA 2011 count",
    "M": "merged: sum of the LSOA 2011 counts",
    "S": "split: LSOA 2011 count apportioned by Census 2021 ages 0-15 share",
    "X": "irregular: LSOA 2011 counts apportioned by Census 2021 ages 0-15 share and summed",
}


class BuildError(Exception):
    """The build could not complete; the previous store is untouched."""


class Progress:
    """Prints numbered build steps with their timings to stderr."""

    def __init__(self, total: int, stream=None, quiet: bool = False):
        self.total, self.done, self.quiet = total, 0, quiet
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()

    def step(self, message: str) -> None:
        self.done += 1
        if not self.quiet:
            elapsed = time.perf_counter() - self.started
            bar = "#" * round(20 * self.done / self.total)
            print(f"[{bar:<20}] {self.done:>2}/{self.total} {elapsed:6.1f}s  {message}", file=self.stream, flush=True)


# --------------------------------------------------------------------------------------------
# Steps


def _membership(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """Keep the LSOAs whose ICB is one of the two regions; add the region short name."""
    frame = frame[frame["icb_code"].isin(ICBS)].copy()
    if frame.empty:
        raise BuildError(f"No LSOA of {what} falls in the ICBs {', '.join(ICBS)}")
    if frame["lsoa_code"].duplicated().any():
        dup = frame.loc[frame["lsoa_code"].duplicated(), "lsoa_code"].iloc[0]
        raise BuildError(f"{what}: LSOA {dup} appears more than once in the ICB lookup")
    frame["region"] = frame["icb_code"].map(ICBS)
    return frame.reset_index(drop=True)


def _add_quintiles(frame: pd.DataFrame) -> pd.DataFrame:
    for key, _, _ in IOD_DOMAINS:
        decile = frame[f"{key}_decile"]
        frame[f"{key}_quintile"] = ((decile + 1) // 2).astype("Int64")
        frame[f"{key}_decile"] = decile.astype("Int64")
        frame[f"{key}_rank"] = frame[f"{key}_rank"].astype("Int64")
    return frame


def _index_table(ds: Dataset, src: Path, universe: pd.Series, what: str) -> pd.DataFrame:
    frame = read_dataset(ds, src)
    numeric = [c for c in frame.columns if c != "lsoa_code"]
    frame = to_number(frame, numeric, ds)
    frame = frame[frame["lsoa_code"].isin(universe)]
    missing = set(universe) - set(frame["lsoa_code"])
    if missing:
        raise BuildError(f"{ds.files[0]}: {len(missing)} LSOAs of {what} have no index value, e.g. {sorted(missing)[0]}")
    blank = frame[numeric].isna()
    if blank.any(axis=None):
        row = blank.any(axis=1).idxmax()
        raise BuildError(f"{ds.files[0]}: LSOA {frame.at[row, 'lsoa_code']} has a blank '{blank.loc[row].idxmax()}'")
    return frame


def carry_infants(
    counts11: pd.DataFrame, lookup: pd.DataFrame, weights21: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Carry LSOA 2011 counts to LSOA 2021 through the ONS best-fit lookup.

    ``counts11``: ``lsoa_code`` and count columns; ``lookup``: ``lsoa11_code``, ``lsoa21_code``,
    ``change_code`` (U, S, M, X); ``weights21``: Census 2021 ages 0-15 by LSOA 2021 code.

    Each LSOA 2011's count is shared among the LSOA 2021s it maps to, in proportion to their
    Census 2021 ages 0-15 (equally where those are all zero), then summed per LSOA 2021: so an
    unchanged LSOA keeps its count, a merged one gets the sum, a split one its share. Every
    2011 count is allocated exactly once, so totals are conserved.

    Returns (per-LSOA-2021 counts with ``infants_method``, the row-by-row allocation).
    """
    count_cols = [c for c in counts11.columns if c != "lsoa_code"]
    alloc = lookup.merge(counts11, left_on="lsoa11_code", right_on="lsoa_code", how="inner").drop(columns="lsoa_code")
    alloc["weight"] = alloc["lsoa21_code"].map(weights21).fillna(0.0).astype(float)
    per_source = alloc.groupby("lsoa11_code")["weight"].transform("sum")
    n_targets = alloc.groupby("lsoa11_code")["lsoa21_code"].transform("count")
    alloc["share"] = np.where(per_source > 0, alloc["weight"] / per_source.where(per_source > 0, 1), 1.0 / n_targets)
    for col in count_cols:
        alloc[col] = alloc[col] * alloc["share"]
    grouped = alloc.groupby("lsoa21_code")
    carried = grouped[count_cols].sum()
    codes = grouped["change_code"].agg(lambda s: "".join(sorted(set(s))))
    carried["infants_method"] = codes.map(lambda c: CARRY_METHODS["X" if "X" in c else c[0]])
    carried["infants_sources"] = grouped["lsoa11_code"].nunique()
    return carried.reset_index().rename(columns={"lsoa21_code": "lsoa_code"}), alloc


def _read_polygons(ds: Dataset, src: Path) -> gpd.GeoDataFrame:
    frames = []
    for path in ds.paths(src):
        try:
            gdf = gpd.read_file(path)
        except Exception as exc:
            raise SourceError(f"Cannot read {path}: {exc}") from exc
        gdf = gpd.GeoDataFrame(select_columns(gdf, ds.id, path), geometry=gdf.geometry.values, crs=gdf.crs or "EPSG:4326")
        frames.append(gdf.to_crs("EPSG:4326"))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def polygons(
    ds: Dataset, src: Path, lsoas: pd.DataFrame, geography: str
) -> tuple[dict[str, gpd.GeoDataFrame], gpd.GeoDataFrame]:
    """LSOA polygons for the universe, simplified with shared edges kept, and dissolved levels.

    The polygons are snapped to a 0.1 m grid on the British National Grid (which closes the
    hairline gaps between neighbours in the published files, making them a valid coverage),
    simplified as a coverage (``shapely.coverage_simplify``: an edge shared by two LSOAs is
    simplified once, so no slivers open between them), then unioned per local authority,
    sub-ICB and ICB.

    Returns ({level: simplified GeoDataFrame in WGS84}, the unsimplified LSOA polygons).
    """
    raw = _read_polygons(ds, src)
    raw = raw[raw["lsoa_code"].isin(lsoas["lsoa_code"])].drop_duplicates("lsoa_code")
    missing = set(lsoas["lsoa_code"]) - set(raw["lsoa_code"])
    if missing:
        raise BuildError(f"{ds.id}: {len(missing)} LSOAs have no polygon, e.g. {sorted(missing)[0]}")
    raw = raw.assign(geometry=shapely.make_valid(raw.geometry.values)).reset_index(drop=True)

    bng = shapely.make_valid(shapely.set_precision(raw.to_crs("EPSG:27700").geometry.values, SNAP_METRES))
    simplified = shapely.coverage_simplify(bng, SIMPLIFY_METRES[geography])
    lsoa = gpd.GeoDataFrame(raw[["lsoa_code"]], geometry=simplified, crs="EPSG:27700")
    lsoa = lsoa.merge(lsoas[["lsoa_code", "lsoa_name", "lad_code", "lad_name", "sicbl_code", "sicbl_name", "icb_code", "region"]], on="lsoa_code")
    levels = {"lsoa": lsoa}
    for level, keys in (
        ("lad", ["lad_code", "lad_name", "icb_code", "region"]),
        ("sicbl", ["sicbl_code", "sicbl_name", "icb_code", "region"]),
        ("icb", ["icb_code", "region"]),
    ):
        dissolved = lsoa.groupby(keys, as_index=False).agg(
            geometry=("geometry", lambda g: shapely.union_all(g.values, grid_size=SNAP_METRES))
        )
        levels[level] = gpd.GeoDataFrame(dissolved, geometry="geometry", crs="EPSG:27700")
    return {level: gdf.to_crs("EPSG:4326").reset_index(drop=True) for level, gdf in levels.items()}, raw


def bng_to_wgs84(easting, northing):
    """British National Grid (OSGB36, EPSG:27700) to WGS84 longitude and latitude.

    PROJ's "OSGB36 to WGS 84 (6)" Helmert transformation, accurate to about 2 m (the OSTN15
    grid would be better but is a separate download); never the ballpark conversion, which
    ignores the datum shift (about 100 m).
    """
    transformer = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True, allow_ballpark=False)
    return transformer.transform(easting, northing)


def postcodes(ds: Dataset, src: Path, lsoa21_raw: gpd.GeoDataFrame, lsoa11_raw: gpd.GeoDataFrame) -> pd.DataFrame:
    """Code-Point Open postcode units with WGS84 coordinates and their LSOA by point in polygon."""
    frames = []
    for path in ds.paths(src):
        try:
            frame = read_csv_any(path, header=None, dtype=str)
        except Exception as exc:
            raise SourceError(f"Cannot read {path}: {exc}") from exc
        if frame.shape[1] != len(CODEPOINT_COLUMNS):
            raise SourceError(f"{path}: expected {len(CODEPOINT_COLUMNS)} Code-Point Open columns, found {frame.shape[1]}")
        frame.columns = CODEPOINT_COLUMNS
        frames.append(frame)
    pcs = to_number(pd.concat(frames, ignore_index=True), ["quality", "easting", "northing"], ds)
    pcs = pcs[(pcs["easting"] > 0) & (pcs["northing"] > 0)].drop_duplicates("postcode")
    lon, lat = bng_to_wgs84(pcs["easting"].to_numpy(float), pcs["northing"].to_numpy(float))
    pcs = pcs.assign(lon=np.round(lon, 6), lat=np.round(lat, 6))
    pcs["postcode_key"] = pcs["postcode"].str.replace(" ", "", regex=False).str.upper()
    points = gpd.GeoDataFrame(pcs, geometry=gpd.points_from_xy(pcs["lon"], pcs["lat"]), crs="EPSG:4326")
    for col, poly in (("lsoa21_code", lsoa21_raw), ("lsoa11_code", lsoa11_raw)):
        hit = gpd.sjoin(points[["geometry"]], poly[["lsoa_code", "geometry"]], predicate="within", how="left")
        hit = hit[~hit.index.duplicated(keep="first")]
        points[col] = hit["lsoa_code"]
    cols = ["postcode", "postcode_key", "quality", "easting", "northing", "lon", "lat", "admin_district_code", "lsoa21_code", "lsoa11_code"]
    return pd.DataFrame(points[cols]).reset_index(drop=True)


def lsoa_points(pcs: pd.DataFrame, column: str, polygons: gpd.GeoDataFrame) -> pd.DataFrame:
    """A point standing for where each LSOA's people live, for distances to services.

    The mean position of the LSOA's postcode units (Code-Point Open), a proxy for the ONS
    population-weighted centroid (which is not among the reference files): postcodes follow
    addresses, so the point sits in the built-up part of a large rural LSOA rather than at its
    geometric centre. An LSOA without a postcode falls back to a point inside its polygon.
    Coordinates in WGS84 and on the British National Grid (metres, for distances).
    """
    mean = pcs.dropna(subset=[column]).groupby(column).agg(
        point_e=("easting", "mean"), point_n=("northing", "mean"), postcodes=("postcode", "size")
    )
    inside = polygons.set_index("lsoa_code").to_crs("EPSG:27700").representative_point()
    out = pd.DataFrame(index=polygons["lsoa_code"])
    out = out.join(mean)
    fallback = out["point_e"].isna()
    out.loc[fallback, "point_e"] = inside[out.index[fallback]].x.to_numpy()
    out.loc[fallback, "point_n"] = inside[out.index[fallback]].y.to_numpy()
    out["postcodes"] = out["postcodes"].fillna(0).astype(int)
    out["point_method"] = np.where(fallback, "point inside polygon (no postcode)", "mean of postcode units")
    lon, lat = bng_to_wgs84(out["point_e"].to_numpy(), out["point_n"].to_numpy())
    out["point_lon"], out["point_lat"] = np.round(lon, 6), np.round(lat, 6)
    return out.rename_axis("lsoa_code").reset_index()


def gp_practices(ds: Dataset, src: Path, pcs: pd.DataFrame) -> pd.DataFrame:
    (path,) = ds.paths(src)
    frame = read_csv_any(path, header=None, dtype=str)
    if frame.shape[1] != len(EPRACCUR_COLUMNS):
        raise SourceError(f"{path}: expected {len(EPRACCUR_COLUMNS)} epraccur columns, found {frame.shape[1]}")
    frame.columns = EPRACCUR_COLUMNS
    frame["postcode_key"] = frame["postcode"].str.replace(" ", "", regex=False).str.upper()
    keep = ["practice_code", "name", "icb_ods_code", "postcode", "open_date", "close_date", "status", "commissioner", "prescribing_setting"]
    out = frame[keep + ["postcode_key"]].merge(pcs[["postcode_key", "lon", "lat", "lsoa21_code"]], on="postcode_key", how="left")
    return out.drop(columns="postcode_key")


# --------------------------------------------------------------------------------------------
# The whole build


def build(source_dir: Path | None = None, store_dir: Path | None = None, quiet: bool = False) -> Path:
    """Build the store from ``source_dir`` into ``store_dir``; return the store path."""
    src = source_dir or default_source_dir()
    if src is None:
        raise BuildError(
            "No source folder: set PAIR_ATLAS_SOURCES to the folder of official files, "
            "or run `python -m data_access download` first"
        )
    src = Path(src)
    if not src.is_dir():
        raise BuildError(f"The source folder {src} does not exist")
    dest = Path(store_dir or default_store_dir())
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f"{dest.name}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        info = _build_into(src, tmp, Progress(12, quiet=quiet))
        _swap(tmp, dest)
    except Exception:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not quiet:
        print(f"Store built in {dest} ({info['lsoa21']} LSOA 2021, {info['lsoa11']} LSOA 2011)", file=sys.stderr)
    return dest


def _swap(tmp: Path, dest: Path) -> None:
    old = None
    if dest.exists():
        old = dest.parent / f"{dest.name}.old-{uuid.uuid4().hex[:8]}"
        os.replace(dest, old)
    os.replace(tmp, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _build_into(src: Path, out: Path, progress: Progress) -> dict:
    datasets = load_datasets()
    for ds in datasets.values():  # fail fast, naming the file, before any work
        ds.paths(src)
    log = ReadLog()
    built_at = datetime.now(timezone.utc).replace(microsecond=0)

    progress.step("LSOA 2021 -> sub-ICB -> ICB -> local authority (ONS April 2024 lookups)")
    lsoa21 = _membership(read_dataset(datasets["lookup_lsoa21_icb24"], src), "LSOA 2021")
    lad21 = read_dataset(datasets["lookup_lsoa21_lad24"], src).drop_duplicates("lsoa_code")
    lsoa21 = lsoa21.merge(lad21, on="lsoa_code", how="left")
    if lsoa21["lad_code"].isna().any():
        raise BuildError(f"LSOA {lsoa21.loc[lsoa21['lad_code'].isna(), 'lsoa_code'].iloc[0]} has no local authority in {datasets['lookup_lsoa21_lad24'].files[0]}")
    log.add(datasets["lookup_lsoa21_icb24"], src)
    log.add(datasets["lookup_lsoa21_lad24"], src)

    progress.step("English Indices of Deprivation 2025 (LSOA 2021)")
    iod25 = _index_table(datasets["iod2025_lsoa21"], src, lsoa21["lsoa_code"], "LSOA 2021")
    lsoa21 = _add_quintiles(lsoa21.merge(iod25, on="lsoa_code"))
    log.add(datasets["iod2025_lsoa21"], src)

    progress.step("LSOA 2011 -> sub-ICB -> ICB -> local authority (ONS July 2022 lookup)")
    lsoa11 = _membership(read_dataset(datasets["lookup_lsoa11_icb22"], src), "LSOA 2011")
    log.add(datasets["lookup_lsoa11_icb22"], src)

    progress.step("English Indices of Deprivation 2019 (LSOA 2011)")
    imd19 = _index_table(datasets["imd2019_lsoa11"], src, lsoa11["lsoa_code"], "LSOA 2011")
    lsoa11 = _add_quintiles(lsoa11.merge(imd19, on="lsoa_code"))
    for key, _, _ in IOD_DOMAINS:
        lsoa11[f"{key}_score"] = np.nan  # not published in File 2; kept so both indexes share a shape
    log.add(datasets["imd2019_lsoa11"], src)

    progress.step("Infants: ONS mid-2020 small-area estimates, ages 0 and 0-4")
    sape_ds = datasets["sape_mid2020_lsoa11"]
    sape = to_number(read_dataset(sape_ds, src), ["total_population"] + [f"age_{a}" for a in range(5)], sape_ds)
    sape = sape[sape["lsoa_code"].isin(lsoa11["lsoa_code"])]
    if len(sape) != len(lsoa11):
        missing = sorted(set(lsoa11["lsoa_code"]) - set(sape["lsoa_code"]))
        raise BuildError(f"{sape_ds.files[0]}: no population for {len(missing)} LSOAs 2011, e.g. {missing[0]}")
    sape["infants_0"] = sape["age_0"]
    sape["infants_0_4"] = sape[[f"age_{a}" for a in range(5)]].sum(axis=1)
    lsoa11 = lsoa11.merge(sape[["lsoa_code", "infants_0", "infants_0_4", "total_population"]], on="lsoa_code")
    log.add(sape_ds, src)

    progress.step("Infants carried to LSOA 2021 (ONS 2011->2021 lookup, Census 2021 ages 0-15)")
    census_ds = datasets["census21_age_lsoa21"]
    census = to_number(read_dataset(census_ds, src), ["usual_residents"], census_ds)
    under16 = census[census["age_group"].str.contains("15 years and under", case=False, na=False)]
    under16 = under16.groupby("lsoa_code")["usual_residents"].sum()
    lookup_ds = datasets["lookup_lsoa11_lsoa21"]
    lookup = read_dataset(lookup_ds, src)
    lookup = lookup[lookup["lsoa11_code"].isin(lsoa11["lsoa_code"]) & lookup["lsoa21_code"].isin(lsoa21["lsoa_code"])]
    carried, allocation = carry_infants(lsoa11[["lsoa_code", "infants_0", "infants_0_4"]], lookup, under16)
    lsoa21 = lsoa21.merge(carried, on="lsoa_code", how="left")
    if lsoa21["infants_0"].isna().any():
        raise BuildError(f"LSOA 2021 {lsoa21.loc[lsoa21['infants_0'].isna(), 'lsoa_code'].iloc[0]} received no infants from the 2011->2021 lookup")
    lsoa21["census21_age_0_15"] = lsoa21["lsoa_code"].map(under16)
    lost = lsoa11["infants_0"].sum() - lsoa21["infants_0"].sum()
    if abs(lost) > 1e-6:
        raise BuildError(f"Carrying infants to LSOA 2021 lost {lost:.3f} infants aged 0 (LSOAs 2011 outside the lookup?)")
    log.add(census_ds, src)
    log.add(lookup_ds, src)

    eth_ds = datasets["census21_ethnicity_lsoa21"]
    ethnicity = to_number(read_dataset(eth_ds, src), ["usual_residents"], eth_ds)
    ethnicity = ethnicity[ethnicity["lsoa_code"].isin(lsoa21["lsoa_code"])][["lsoa_code", "ethnic_group", "usual_residents"]]
    if ethnicity["lsoa_code"].nunique() != len(lsoa21):
        raise BuildError(f"{eth_ds.files[0]}: ethnic groups for {ethnicity['lsoa_code'].nunique()} of {len(lsoa21)} LSOAs 2021")
    log.add(eth_ds, src)

    ruc_ds = datasets["ruc21_lsoa21"]
    ruc = read_dataset(ruc_ds, src).drop_duplicates("lsoa_code")
    lsoa21 = lsoa21.merge(ruc, on="lsoa_code", how="left")
    log.add(ruc_ds, src)

    progress.step("LSOA 2021 polygons: simplified with shared edges kept; LA, sub-ICB, ICB dissolved")
    poly21, raw21 = polygons(datasets["boundaries_lsoa21"], src, lsoa21, "lsoa21")
    log.add(datasets["boundaries_lsoa21"], src)

    progress.step("LSOA 2011 polygons: simplified with shared edges kept; LA, sub-ICB, ICB dissolved")
    poly11, raw11 = polygons(datasets["boundaries_lsoa11"], src, lsoa11, "lsoa11")
    log.add(datasets["boundaries_lsoa11"], src)

    progress.step("Postcodes: Code-Point Open, British National Grid -> WGS84, LSOA by point in polygon")
    pcs = postcodes(datasets["codepoint_open"], src, raw21, raw11)
    log.add(datasets["codepoint_open"], src)
    lsoa21 = lsoa21.merge(lsoa_points(pcs, "lsoa21_code", raw21), on="lsoa_code", how="left")
    lsoa11 = lsoa11.merge(lsoa_points(pcs, "lsoa11_code", raw11), on="lsoa_code", how="left")

    progress.step("GP practices (ODS epraccur) with coordinates from their postcodes")
    gps = gp_practices(datasets["gp_practices"], src, pcs)
    log.add(datasets["gp_practices"], src)

    progress.step("Writing Parquet and GeoParquet")
    lsoa21.to_parquet(out / "lsoa21.parquet", index=False)
    lsoa11.to_parquet(out / "lsoa11.parquet", index=False)
    allocation.to_parquet(out / "infants_carry.parquet", index=False)
    ethnicity.reset_index(drop=True).to_parquet(out / "ethnicity_lsoa21.parquet", index=False)
    for geo, levels in (("lsoa21", poly21), ("lsoa11", poly11)):
        for level, gdf in levels.items():
            gdf.to_parquet(out / f"polygons_{geo}_{level}.parquet", index=False)
    pcs.to_parquet(out / "postcodes.parquet", index=False)
    gps.to_parquet(out / "gp_practices.parquet", index=False)
    provenance = pd.DataFrame(log.rows)
    provenance["build_time"] = built_at.isoformat()
    provenance.to_parquet(out / "provenance.parquet", index=False)

    progress.step("Checking the store")
    info = {
        "build_id": uuid.uuid4().hex,
        "built_at": built_at.isoformat(),
        "source_dir": str(src),
        "lsoa21": int(len(lsoa21)),
        "lsoa11": int(len(lsoa11)),
        "lsoa21_by_region": {k: int(v) for k, v in lsoa21["region"].value_counts().items()},
        "lsoa11_by_region": {k: int(v) for k, v in lsoa11["region"].value_counts().items()},
        "infants_0_lsoa11": float(lsoa11["infants_0"].sum()),
        "infants_0_lsoa21": float(lsoa21["infants_0"].sum()),
        "postcodes": int(len(pcs)),
        "postcodes_without_lsoa21": int(pcs["lsoa21_code"].isna().sum()),
        "gp_practices": int(len(gps)),
        "simplify_metres": SIMPLIFY_METRES,
        "format": STORE_FORMAT,
    }
    (out / "build.json").write_text(json.dumps(info, indent=2))
    return info
