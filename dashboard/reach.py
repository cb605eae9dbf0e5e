"""Baby-clinic reach by deprivation, from a checked attendance extract (no Streamlit).

**Reach, defined once** (stated on the page, in every download and in the pack):

* **Infants attending** (numerator): distinct children with at least one attendance in the
  period while under one year old (under 52 weeks), counted once, in the LSOA of their first
  attendance in the period.
* **Infant-years at risk** (denominator): infants aged 0 resident (ONS mid-2020 small-area
  estimates) x the length of the period in years (days / 365.25). An extract of 12.7 months
  has 1.06 years at risk, so reach is *annualised*.
* **Reach** = infants attending per 1,000 infant-years at risk, a Poisson rate with a 95% Byar
  interval. Numerator and denominator describe the same infants: those aged 0 during the
  period. A rate, unlike a share, may exceed 1,000 when infants join and leave the age band
  within the period.
* **Attendances per 1,000 infant-years**: all attendances of those infants, Byar interval.
* **Continued use**: the share of infants attending who came two or more times (Wilson), and
  their median number of attendances.
* The gradient: the quintile 1 : quintile 5 rate ratio (log-scale interval, Poisson) and rate
  difference (normal approximation), and the SII / RII of the rate (log-transformed limits).
* Quintiles and deciles are *national* IMD ones (1 = most deprived in England).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.equity import byars, concentration_index, rate_ratio, sii, wilson

INFANT_WEEKS = 52
PER = 1000
DAYS_PER_YEAR = 365.25


def period_years(valid: pd.DataFrame) -> float:
    """The length of the extract's period in years: first to last attendance date, inclusive."""
    if valid.empty:
        return 0.0
    days = (valid["attendance_date"].max() - valid["attendance_date"].min()).days + 1
    return days / DAYS_PER_YEAR


def children(valid: pd.DataFrame) -> pd.DataFrame:
    """One row per child: first attendance (date, clinic, LSOA, age) and number of attendances."""
    ordered = valid.sort_values(["child_id", "attendance_date"], kind="stable")
    grouped = ordered.groupby("child_id", sort=False)
    out = grouped.agg(
        first_date=("attendance_date", "first"),
        clinic=("clinic", "first"),
        lsoa_code=("lsoa_code", "first"),
        age_first=("age_weeks", "first"),
        attendances=("attendance_date", "size"),
    ).reset_index()
    out["infant"] = out["age_first"] < INFANT_WEEKS
    return out


def reach_table(kids: pd.DataFrame, lsoas: pd.DataFrame, group: str = "imd_quintile", years: float = 1.0) -> pd.DataFrame:
    """Reach, attendances and continued use by deprivation group for the LSOAs in ``lsoas``,
    over a period of ``years`` (see the module's definition).

    ``kids`` from :func:`children` (already limited to the clinic(s) of interest).
    """
    n = 5 if group.endswith("quintile") else 10
    infants = kids[kids["infant"]].merge(lsoas[["lsoa_code", group]], on="lsoa_code", how="inner")
    resident = lsoas.groupby(group)["infants_0"].sum().reindex(range(1, n + 1), fill_value=0.0)
    attending = infants.groupby(group).size().reindex(range(1, n + 1), fill_value=0)
    visits = infants.groupby(group)["attendances"].sum().reindex(range(1, n + 1), fill_value=0)
    two_plus = infants[infants["attendances"] >= 2].groupby(group).size().reindex(range(1, n + 1), fill_value=0)
    median = infants.groupby(group)["attendances"].median().reindex(range(1, n + 1))
    table = pd.DataFrame({
        "group": range(1, n + 1),
        "infants_resident": resident.to_numpy(),
        "infants_attending": attending.to_numpy(),
        "attendances": visits.to_numpy(),
        "two_plus": two_plus.to_numpy(),
        "median_attendances": median.to_numpy(),
    })
    table.insert(2, "infant_years", table["infants_resident"] * years)
    at_risk = table["infant_years"].where(table["infant_years"] > 0)
    table["reach_per_1000"] = PER * table["infants_attending"] / at_risk
    table["reach_lower"], table["reach_upper"] = _byars_rate(table["infants_attending"], at_risk)
    alo, ahi = _byars_rate(table["attendances"], at_risk)
    table["attendances_per_1000"] = PER * table["attendances"] / at_risk
    table["attendances_lower"], table["attendances_upper"] = alo, ahi
    slo, shi = wilson(table["two_plus"], table["infants_attending"])
    with np.errstate(divide="ignore", invalid="ignore"):
        table["share_two_plus"] = np.where(table["infants_attending"] > 0, table["two_plus"] / table["infants_attending"], np.nan)
    table["two_plus_lower"], table["two_plus_upper"] = slo, shi
    table.insert(0, "groups", "quintile" if n == 5 else "decile")
    return table


def _byars_rate(count, at_risk) -> tuple[np.ndarray, np.ndarray]:
    """95% Byar limits per 1,000 of ``at_risk`` (NaN where there is no one at risk)."""
    ok = np.asarray(at_risk.notna() if hasattr(at_risk, "notna") else np.isfinite(at_risk))
    lo, hi = np.full(len(count), np.nan), np.full(len(count), np.nan)
    if ok.any():
        l, h = byars(np.asarray(count)[ok], denominator=np.asarray(at_risk, dtype=float)[ok], multiplier=PER)
        lo[ok], hi[ok] = l, h
    return lo, hi


@dataclass
class Gradient:
    """Q1 : Q5 comparison, SII and RII of reach, and the concentration index."""

    ratio: float | None
    ratio_ci: tuple[float, float] | None
    gap_per_1000: float | None
    gap_ci: tuple[float, float] | None
    sii_per_1000: float | None
    sii_ci: tuple[float, float] | None
    rii: float | None
    rii_ci: tuple[float, float] | None
    concentration: float | None
    note: str = ""


def gradient(table: pd.DataFrame, repetitions: int = 20000) -> Gradient:
    """From :func:`reach_table` (quintiles or deciles): most against least deprived group, as
    rates per 1,000 infant-years."""
    first, last = table.iloc[0], table.iloc[-1]
    note = []
    ratio = ratio_ci = gap = gap_ci = None
    if first["infant_years"] > 0 and last["infant_years"] > 0:
        cmp = rate_ratio(first["infants_attending"], first["infant_years"], last["infants_attending"], last["infant_years"], kind="rate")
        ratio, ratio_ci = cmp.ratio, cmp.ratio_ci
        gap, gap_ci = PER * cmp.difference, (PER * cmp.difference_ci[0], PER * cmp.difference_ci[1])
    s = s_ci = r = r_ci = None
    ok = (table["infant_years"] > 0) & (table["infants_attending"] > 0)
    if ok.all():
        result = sii(
            table["group"], table["infant_years"], table["reach_per_1000"], value_type="rate",
            lower=table["reach_lower"], upper=table["reach_upper"], repetitions=repetitions,
        )
        s, s_ci, r, r_ci = result.sii, result.ci("sii"), result.rii, result.ci("rii")
    else:
        note.append("SII and RII need infants attending in every group.")
    conc = None
    if (table["infant_years"] > 0).all() and table["infants_attending"].sum() > 0:
        conc = concentration_index(table["infant_years"], table["infants_attending"] / table["infant_years"])
    return Gradient(ratio, ratio_ci, gap, gap_ci, s, s_ci, r, r_ci, conc, " ".join(note))


def monthly(valid: pd.DataFrame, kids: pd.DataFrame) -> pd.DataFrame:
    """Attendances and distinct infants attending, by month."""
    infants = set(kids.loc[kids["infant"], "child_id"])
    rows = valid[valid["child_id"].isin(infants)]
    out = rows.groupby("month").agg(attendances=("child_id", "size"), infants_attending=("child_id", "nunique")).reset_index()
    return out.sort_values("month").reset_index(drop=True)


def by_local_authority(kids: pd.DataFrame, lsoas: pd.DataFrame, years: float = 1.0) -> pd.DataFrame:
    """Reach per 1,000 infant-years by local authority (the part in the ICB)."""
    infants = kids[kids["infant"]].merge(lsoas[["lsoa_code", "lad_code"]], on="lsoa_code", how="inner")
    out = lsoas.groupby(["region", "lad_code", "lad_name"], observed=True)["infants_0"].sum().rename("infants_resident").reset_index()
    out["infants_attending"] = out["lad_code"].map(infants.groupby("lad_code").size()).fillna(0).astype(int)
    at_risk = (out["infants_resident"] * years).where(out["infants_resident"] > 0)
    out["reach_per_1000"] = PER * out["infants_attending"] / at_risk
    out["reach_lower"], out["reach_upper"] = _byars_rate(out["infants_attending"], at_risk)
    return out


def profile(valid: pd.DataFrame, kids: pd.DataFrame, lsoas: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Who attends: infants by quintile against resident infants; parent age and ethnic group
    of attending infants' families (first attendance), where the extract gives them."""
    infants = kids[kids["infant"]].merge(lsoas[["lsoa_code", "imd_quintile"]], on="lsoa_code", how="inner")
    resident = lsoas.groupby("imd_quintile")["infants_0"].sum()
    quint = pd.DataFrame({
        "quintile": range(1, 6),
        "infants_attending": infants.groupby("imd_quintile").size().reindex(range(1, 6), fill_value=0).to_numpy(),
        "infants_resident": resident.reindex(range(1, 6), fill_value=0).to_numpy(),
    })
    quint["share_of_attending"] = quint["infants_attending"] / max(quint["infants_attending"].sum(), 1)
    quint["share_of_resident"] = quint["infants_resident"] / max(quint["infants_resident"].sum(), 1)
    out = {"quintile": quint}
    first = valid.sort_values("attendance_date").drop_duplicates("child_id")
    first = first[first["child_id"].isin(set(infants["child_id"]))]
    for key in ("ethnic_group", "parent_age_band", "first_time_parent", "interpreter"):
        if key in first and first[key].notna().any():
            counts = first[key].astype("string").fillna("Not recorded").value_counts().rename_axis(key).reset_index(name="infants_attending")
            counts["share"] = counts["infants_attending"] / counts["infants_attending"].sum()
            out[key] = counts
    return out


def clinic_catchment(kids: pd.DataFrame, clinic: str, lsoas: pd.DataFrame, register_lsoas: set[str] | None = None, threshold: float = 0.1) -> tuple[pd.DataFrame, str]:
    """The LSOAs a clinic serves: its catchment in the service register when a service of that
    name is there; otherwise the local authorities where at least 10% of its infants live."""
    if register_lsoas:
        return lsoas[lsoas["lsoa_code"].isin(register_lsoas)], "the clinic's catchment in the service register"
    mine = kids[(kids["clinic"] == clinic) & kids["infant"]].merge(lsoas[["lsoa_code", "lad_code"]], on="lsoa_code")
    share = mine["lad_code"].value_counts(normalize=True)
    lads = set(share[share >= threshold].index)
    return lsoas[lsoas["lad_code"].isin(lads)], f"the local authorities where at least {threshold:.0%} of its infants live"


def extract_catchment(kids: pd.DataFrame, lsoas: pd.DataFrame, register: dict[str, set[str]], threshold: float = 0.1) -> tuple[pd.DataFrame, str, bool]:
    """The LSOAs the extract's clinics serve, so that the denominator matches the data.

    ``register``: clinic name -> the LSOAs its catchment in the service register covers, for
    every baby clinic of the area in the register. When the extract has every one of them, the
    whole area is the denominator. Otherwise the union of the extract's clinics' catchments:
    from the register where the clinic is there, else the local authorities where at least
    ``threshold`` of its infants live. Returns (LSOAs, a note saying which was used, whole area?).
    """
    clinics = sorted(set(kids["clinic"].dropna()))
    known = {c for c, codes in register.items() if codes & set(lsoas["lsoa_code"])}
    if known and known <= set(clinics):
        return lsoas, f"The extract covers all {len(known)} baby clinics of the area in the service register: reach is against every infant in the area.", True
    codes: set[str] = set()
    from_register = fallback = 0
    for clinic in clinics:
        if register.get(clinic):
            codes |= register[clinic]
            from_register += 1
        else:
            area, _ = clinic_catchment(kids, clinic, lsoas, None, threshold)
            codes |= set(area["lsoa_code"])
            fallback += 1
    note = (f"The extract covers {len(clinics)} clinic(s), not every baby clinic of the area in the service register, so reach is against "
            f"their catchments only ({from_register} from the service register, {fallback} as the local authorities where at least "
            f"{threshold:.0%} of the clinic's infants live): {len(codes & set(lsoas['lsoa_code'])):,} LSOAs.")
    return lsoas[lsoas["lsoa_code"].isin(codes)], note, False


def audit_counts(valid: pd.DataFrame) -> pd.DataFrame:
    """The aggregate that may be saved: distinct children and attendances by clinic, LSOA and
    month. No child identifiers, dates or ages leave the session."""
    return (
        valid.groupby(["clinic", "lsoa_code", "month"])
        .agg(infants=("child_id", "nunique"), attendances=("child_id", "size"))
        .reset_index()
    )


def overall(table: pd.DataFrame, threshold: int = 5) -> tuple[int | None, float | None]:
    """Total infants attending and reach per 1,000 infant-years over all groups; (None, None)
    when the total is below the suppression threshold (or no one is at risk)."""
    attending = int(table["infants_attending"].sum())
    at_risk = float(table["infant_years"].sum())
    if attending < threshold or at_risk <= 0:
        return None, None
    return attending, PER * attending / at_risk


def extremes(table: pd.DataFrame, value: str, label: str) -> tuple[str, float, str, float] | None:
    """(label, value) of the highest and the lowest shown row, for a chart's text summary;
    suppressed rows (NA) are skipped. None when nothing is shown."""
    shown = table.dropna(subset=[value])
    if shown.empty:
        return None
    top, low = shown.loc[shown[value].idxmax()], shown.loc[shown[value].idxmin()]
    return str(top[label]), float(top[value]), str(low[label]), float(low[value])


# --------------------------------------------------------------------------------------------
# Clinic models and before / after


CLINIC_MODELS = {
    "social": "Social, relationship-focused",
    "drop-in": "Traditional drop-in",
}
NOT_RECORDED = "not recorded"


def clinic_models(valid: pd.DataFrame, register_models: dict[str, str]) -> dict[str, str]:
    """Clinic -> model: the extract's own ``clinic_model`` column where it has one (its most
    frequent value for the clinic), else the service register's, else "not recorded"."""
    out = {c: register_models.get(c) or NOT_RECORDED for c in valid["clinic"].dropna().unique()}
    if "clinic_model" in valid:
        given = valid.dropna(subset=["clinic_model"]).groupby("clinic")["clinic_model"].agg(lambda s: s.mode().iloc[0])
        out.update({c: m for c, m in given.items() if m in CLINIC_MODELS})
    return out


def clinics_catchment(kids: pd.DataFrame, clinics: list[str], lsoas: pd.DataFrame, register: dict[str, set[str]], threshold: float = 0.1) -> set[str]:
    """The LSOAs the given clinics serve: their register catchments, else the local authorities
    where at least ``threshold`` of each clinic's infants live."""
    codes: set[str] = set()
    for clinic in clinics:
        if register.get(clinic):
            codes |= register[clinic]
        else:
            codes |= set(clinic_catchment(kids, clinic, lsoas, None, threshold)[0]["lsoa_code"])
    return codes & set(lsoas["lsoa_code"])


def reach_by_model(kids: pd.DataFrame, lsoas: pd.DataFrame, models: dict[str, str], register: dict[str, set[str]], years: float) -> pd.DataFrame:
    """Per clinic model: infants attending its clinics (from their catchments) per 1,000
    infant-years of those catchments, Byar interval, continued use."""
    rows = []
    for model in sorted(set(models.values())):
        clinics = [c for c, m in models.items() if m == model]
        codes = clinics_catchment(kids, clinics, lsoas, register)
        mine = kids[kids["clinic"].isin(clinics) & kids["infant"] & kids["lsoa_code"].isin(codes)]
        resident = float(lsoas.loc[lsoas["lsoa_code"].isin(codes), "infants_0"].sum())
        rows.append({"model": model, "clinics": len(clinics), "lsoas": len(codes), "infants_resident": resident, "infant_years": resident * years,
                     "infants_attending": len(mine), "two_plus": int((mine["attendances"] >= 2).sum())})
    out = pd.DataFrame(rows, columns=["model", "clinics", "lsoas", "infants_resident", "infant_years", "infants_attending", "two_plus"])
    at_risk = out["infant_years"].where(out["infant_years"] > 0)
    out["reach_per_1000"] = PER * out["infants_attending"] / at_risk
    out["reach_lower"], out["reach_upper"] = _byars_rate(out["infants_attending"], at_risk)
    out["share_two_plus"] = out["two_plus"] / out["infants_attending"].where(out["infants_attending"] > 0)
    return out


def model_gradients(kids: pd.DataFrame, lsoas: pd.DataFrame, models: dict[str, str], register: dict[str, set[str]], years: float,
                    repetitions: int = 20000) -> dict[str, Gradient]:
    """Per clinic model: the gradient of reach by national IMD quintile *within its clinics'
    catchments* (the infants attending those clinics from those LSOAs, against the infant-years
    of the same LSOAs). The SII needs all five quintiles in the catchment with infants attending;
    otherwise the Gradient carries ``sii_per_1000 = None`` and a note."""
    out = {}
    for model in sorted(set(models.values())):
        clinics = [c for c, m in models.items() if m == model]
        codes = clinics_catchment(kids, clinics, lsoas, register)
        table = reach_table(kids[kids["clinic"].isin(clinics)], lsoas[lsoas["lsoa_code"].isin(codes)], years=years)
        if (table["infant_years"] <= 0).any():
            out[model] = Gradient(None, None, None, None, None, None, None, None, None, "Its clinics' catchments do not cover all five quintiles.")
        else:
            out[model] = gradient(table, repetitions=repetitions)
    return out


def model_difference(table: pd.DataFrame, a: str = "social", b: str = "drop-in") -> dict | None:
    """Reach of model ``a`` minus model ``b`` per 1,000 infant-years, with its 95% interval and
    the rate ratio; ``distinguishable`` says whether the interval of the difference excludes 0."""
    rows = table.set_index("model")
    if a not in rows.index or b not in rows.index or min(rows.loc[a, "infant_years"], rows.loc[b, "infant_years"]) <= 0:
        return None
    cmp = rate_ratio(rows.loc[a, "infants_attending"], rows.loc[a, "infant_years"], rows.loc[b, "infants_attending"], rows.loc[b, "infant_years"], kind="rate")
    ci = (PER * cmp.difference_ci[0], PER * cmp.difference_ci[1])
    return {"difference": PER * cmp.difference, "difference_ci": ci, "ratio": cmp.ratio, "ratio_ci": cmp.ratio_ci,
            "distinguishable": not (ci[0] <= 0 <= ci[1])}


def split_at(valid: pd.DataFrame, date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The extract before ``date`` and from ``date`` on (e.g. when a clinic changed model)."""
    cut = pd.Timestamp(date)
    return valid[valid["attendance_date"] < cut], valid[valid["attendance_date"] >= cut]


def sii_change(before: Gradient, after: Gradient) -> tuple[float, tuple[float, float]] | None:
    """The change in the SII (after minus before) with a 95% interval, the two periods taken as
    independent: each SII's standard error from its interval (half-width / 1.96)."""
    if before.sii_per_1000 is None or after.sii_per_1000 is None:
        return None
    se = [(g.sii_ci[1] - g.sii_ci[0]) / (2 * 1.959964) for g in (before, after)]
    change = after.sii_per_1000 - before.sii_per_1000
    half = 1.959964 * float(np.hypot(*se))
    return change, (change - half, change + half)


# --------------------------------------------------------------------------------------------
# Who attends and why


PROFILE_FIELDS = {
    "reason": "Reason for attending",
    "attended_by": "Who attended",
    "parent_age_band": "Parent age band",
    "first_time_parent": "First-time parent",
    "interpreter": "Interpreter needed",
    "ethnic_group": "Ethnic group",
}


def first_attendances(valid: pd.DataFrame, kids: pd.DataFrame, lsoas: pd.DataFrame) -> pd.DataFrame:
    """Each infant's first attendance (the infants in ``kids`` living in ``lsoas``), with the
    national IMD quintile of their home LSOA."""
    infants = set(kids.loc[kids["infant"], "child_id"])
    first = valid[valid["child_id"].isin(infants)].sort_values(["child_id", "attendance_date"], kind="stable").drop_duplicates("child_id")
    return first.merge(lsoas[["lsoa_code", "imd_quintile"]], on="lsoa_code", how="inner")


def _as_text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values) or str(values.dtype) == "boolean":
        values = values.map({True: "Yes", False: "No"})
    return values.astype("string").fillna("Not recorded")


def crosstab(first: pd.DataFrame, field: str, by: str) -> pd.DataFrame:
    """Infants by ``field`` (e.g. reason for attending) and ``by`` (quintile or clinic), with each
    value's share of its ``by`` group: a long table for suppression by both margins."""
    frame = first.assign(value=_as_text(first[field]), group=first[by].astype("string"))
    counts = frame.groupby(["group", "value"]).size().rename("infants").reset_index()
    full = pd.MultiIndex.from_product([sorted(counts["group"].unique()), sorted(counts["value"].unique())], names=["group", "value"])
    counts = counts.set_index(["group", "value"]).reindex(full, fill_value=0).reset_index()
    counts["share"] = counts["infants"] / counts.groupby("group")["infants"].transform("sum")
    return counts


def ethnicity_against_population(first: pd.DataFrame, ethnicity: pd.DataFrame, lsoa_codes: set[str]) -> pd.DataFrame:
    """Attending infants' ethnic groups (at first attendance) against the usual residents of the
    same LSOAs in Census 2021 (all ages, five groups), as shares."""
    residents = ethnicity[ethnicity["lsoa_code"].isin(lsoa_codes)].groupby("ethnic_group")["usual_residents"].sum()
    recorded = first["ethnic_group"].dropna() if "ethnic_group" in first else pd.Series(dtype="string")
    attending = recorded.value_counts()
    groups = list(residents.index) + [g for g in attending.index if g not in residents.index]
    out = pd.DataFrame({"ethnic_group": groups})
    out["infants_attending"] = out["ethnic_group"].map(attending).fillna(0).astype(int)
    out["residents"] = out["ethnic_group"].map(residents).fillna(0.0)
    stated = out["ethnic_group"].isin(residents.index)
    out["share_attending"] = out["infants_attending"] / max(int(out.loc[stated, "infants_attending"].sum()), 1)
    out["share_residents"] = out["residents"] / max(float(out["residents"].sum()), 1.0)
    out.loc[~stated, ["share_attending", "share_residents"]] = np.nan
    return out


def clinic_ranking(first: pd.DataFrame) -> pd.DataFrame:
    """Clinics ranked by the share of their infants from the most deprived quintile, with the
    share whose family needs an interpreter: where to observe."""
    frame = first.assign(q1=first["imd_quintile"].eq(1))
    interpreter = frame["interpreter"].astype("boolean") if "interpreter" in frame else pd.Series(pd.NA, index=frame.index, dtype="boolean")
    frame = frame.assign(interp=interpreter.fillna(False).astype(int), interp_known=interpreter.notna().astype(int))
    out = frame.groupby("clinic").agg(infants=("child_id", "size"), from_q1=("q1", "sum"), interpreter=("interp", "sum"),
                                      interpreter_known=("interp_known", "sum")).reset_index()
    out["share_q1"] = out["from_q1"] / out["infants"]
    out["share_interpreter"] = out["interpreter"] / out["interpreter_known"].where(out["interpreter_known"] > 0)
    out = out.sort_values(["share_q1", "share_interpreter", "clinic"], ascending=[False, False, True]).reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out
