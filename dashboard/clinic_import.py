"""Baby-clinic attendance extracts: column mapping, whole-file validation, postcode -> LSOA.

One row per attendance. The file is checked as a whole before anything is used, with pandera
(one vectorised schema over all rows): every problem comes back with its row (as numbered in
the file, the header being row 1), column and value. Postcodes are turned into LSOAs and then
dropped: nothing patient-level leaves the session.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

from dashboard.services import read_table_file

MAX_EXTRACT_BYTES = 100 * 1024 * 1024  # as server.maxUploadSize
MAX_AGE_WEEKS = 104  # baby clinics see children up to two years old

#: canonical field -> (label, required, header synonyms used to guess the mapping)
FIELDS: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "attendance_date": ("Attendance date", True, ("attendance date", "date", "visit date", "contact date", "appointment date")),
    "clinic": ("Clinic", True, ("clinic", "clinic name", "venue", "site", "location")),
    "child_id": ("Child ID (pseudonymous)", True, ("child id", "child", "pseudo id", "pseudonymous id", "nhs number (pseudonymised)", "id")),
    "age_weeks": ("Child's age (weeks)", False, ("age (weeks)", "age weeks", "child age (weeks)", "age_weeks", "age in weeks")),
    "birth_month": ("Month of birth", False, ("month of birth", "birth month", "dob month", "date of birth (month)")),
    "postcode": ("Home postcode", False, ("home postcode", "postcode", "post code", "residence postcode")),
    "lsoa_code": ("Home LSOA code", False, ("lsoa", "lsoa code", "lsoa21", "lsoa21cd", "home lsoa")),
    "parent_age_band": ("Parent age band", False, ("parent age band", "parent age", "mother age band", "maternal age band")),
    "ethnic_group": ("Ethnic group", False, ("ethnic group", "ethnicity", "ethnic category")),
    "first_time_parent": ("First-time parent", False, ("first-time parent", "first time parent", "first child", "primip")),
    "interpreter": ("Interpreter needed", False, ("interpreter needed", "interpreter", "interpreter required")),
    "reason": ("Reason for attending", False, ("reason for attending", "reason", "purpose")),
    "attended_by": ("Who attended", False, ("who attended", "attended by", "accompanied by", "carer")),
}
LABELS = {k: v[0] for k, v in FIELDS.items()}
ETHNIC_GROUPS_2021 = [
    "Asian, Asian British or Asian Welsh",
    "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed or Multiple ethnic groups",
    "White",
    "Other ethnic group",
]
PARENT_AGE_BANDS = ["Under 20", "20 to 24", "25 to 29", "30 to 34", "35 to 39", "40 and over"]
YES_NO = {"y": True, "yes": True, "true": True, "1": True, "n": False, "no": False, "false": False, "0": False}
LSOA_RE = r"^[EW]01\d{6}$"
POSTCODE_RE = r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$"


def guess_mapping(headers: list[str]) -> dict[str, str | None]:
    """Canonical field -> the file's header that most likely holds it (or None)."""
    norm = {re.sub(r"[\s_]+", " ", str(h)).strip().lower(): h for h in headers}
    mapping: dict[str, str | None] = {}
    used: set[str] = set()
    for key, (label, _, synonyms) in FIELDS.items():
        found = next((norm[s] for s in (label.lower(), key.replace("_", " "), *synonyms) if s in norm and norm[s] not in used), None)
        mapping[key] = found
        if found:
            used.add(found)
    return mapping


@dataclass
class Checked:
    """The outcome of checking a whole extract."""

    valid: pd.DataFrame  # clean rows (no postcode column), with lsoa_code and row number
    problems: pd.DataFrame  # Row, Column, Value, Problem
    rejected_rows: pd.DataFrame  # the file's rows that have a problem, as read
    rows_read: int
    unmatched_postcodes: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> pd.DataFrame:
        if self.problems.empty:
            return pd.DataFrame(columns=["Problem", "Rows"])
        kinds = self.problems["Problem"].str.replace(r"'[^']*'", "'…'", regex=True)
        return kinds.value_counts().rename_axis("Problem").reset_index(name="Rows")


def normalise_postcodes(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.upper().str.replace(r"\s+", "", regex=True)
    return text.str[:-3] + " " + text.str[-3:]


def parse_uk_dates(values: pd.Series) -> pd.Series:
    """dd/mm/yyyy (Excel's UK export), then ISO yyyy-mm-dd; NaT where neither."""
    text = values.astype("string").str.strip().str.slice(0, 19)
    uk = pd.to_datetime(text.str.slice(0, 10), format="%d/%m/%Y", errors="coerce")
    iso = pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    return uk.fillna(iso)


def _schema(today: pd.Timestamp, known_postcodes: set[str], known_lsoas: set[str]) -> pa.DataFrameSchema:
    def col(checks):
        return pa.Column(checks=checks, nullable=True, required=False)

    return pa.DataFrameSchema(
        {
            "attendance_date": pa.Column(
                checks=[pa.Check(lambda s: s <= today, error="lies in the future")],
                nullable=True, required=False,
            ),
            "age_weeks": pa.Column(
                checks=[pa.Check(lambda s: s.between(0, MAX_AGE_WEEKS), error=f"is out of range (0 to {MAX_AGE_WEEKS} weeks)")],
                nullable=True, required=False,
            ),
            "postcode": col([
                pa.Check(lambda s: s.astype("string").str.match(POSTCODE_RE), error="is not a UK postcode"),
                pa.Check(lambda s: ~s.astype("string").str.match(POSTCODE_RE) | s.isin(known_postcodes), error="is not a current postcode in NENC or BNSSG"),
            ]),
            "lsoa_code": col([
                pa.Check(lambda s: s.astype("string").str.match(LSOA_RE), error="is not an LSOA code"),
                pa.Check(lambda s: ~s.astype("string").str.match(LSOA_RE) | s.isin(known_lsoas), error="is not a 2021 LSOA in NENC or BNSSG"),
            ]),
        },
        strict=False,
    )


def check_extract(
    raw: pd.DataFrame,
    mapping: dict[str, str | None],
    postcode_lsoa: pd.Series,
    known_lsoas: set[str],
    today: dt.date | None = None,
) -> Checked:
    """Map, parse and check every row. ``postcode_lsoa``: postcode ("NE1 1AD") -> LSOA 2021 code
    (NA where the postcode's point falls outside every LSOA polygon)."""
    today_ts = pd.Timestamp(today or dt.date.today())
    problems: list[pd.DataFrame] = []

    def add(mask: pd.Series, column: str, values: pd.Series, message: str):
        if mask.any():
            idx = mask[mask].index
            problems.append(pd.DataFrame({"index": idx, "Column": column, "Value": values.loc[idx].astype("string").fillna(""), "Problem": message}))

    missing = [LABELS[k] for k, (_, req, _) in FIELDS.items() if req and not mapping.get(k)]
    if not mapping.get("age_weeks") and not mapping.get("birth_month"):
        missing.append(f"{LABELS['age_weeks']} or {LABELS['birth_month']}")
    if not mapping.get("postcode") and not mapping.get("lsoa_code"):
        missing.append(f"{LABELS['postcode']} or {LABELS['lsoa_code']}")
    if missing:
        prob = pd.DataFrame([{"Row": 1, "Column": ", ".join(missing), "Value": "", "Problem": "Missing required column(s): " + "; ".join(missing)}])
        return Checked(pd.DataFrame(), prob, raw.head(0), len(raw))

    frame = pd.DataFrame(index=raw.index)
    source = {k: raw[h].astype("string").str.strip().replace("", pd.NA) for k, h in mapping.items() if h}
    for key in ("attendance_date", "clinic", "child_id"):
        add(source[key].isna(), LABELS[key], source[key], f"{LABELS[key]} is empty")
    frame["attendance_date"] = parse_uk_dates(source["attendance_date"])
    add(frame["attendance_date"].isna() & source["attendance_date"].notna(), LABELS["attendance_date"], source["attendance_date"],
        "is not a date (use 31/03/2026 or 2026-03-31)")
    frame["clinic"] = source["clinic"]
    frame["child_id"] = source["child_id"]
    if "age_weeks" in source:
        frame["age_weeks"] = pd.to_numeric(source["age_weeks"], errors="coerce")
        add(frame["age_weeks"].isna() & source["age_weeks"].notna(), LABELS["age_weeks"], source["age_weeks"], "is not a number of weeks")
    else:
        frame["age_weeks"] = np.nan
    if "birth_month" in source:
        birth = parse_uk_dates("01/" + source["birth_month"].str.replace(r"^\d{1,2}/(\d{1,2}/\d{4})$", r"\1", regex=True))
        birth = birth.fillna(pd.to_datetime(source["birth_month"], format="%Y-%m", errors="coerce"))
        add(birth.isna() & source["birth_month"].notna(), LABELS["birth_month"], source["birth_month"], "is not a month (use 03/2026 or 2026-03)")
        derived = (frame["attendance_date"] - (birth + pd.Timedelta(days=14))).dt.days / 7
        frame["age_weeks"] = frame["age_weeks"].fillna(derived.clip(lower=0).round(1))
    nothing = pd.Series(True, index=raw.index)
    no_age = (source["age_weeks"].isna() if "age_weeks" in source else nothing) & (source["birth_month"].isna() if "birth_month" in source else nothing)
    add(no_age, LABELS["age_weeks"], source.get("age_weeks", pd.Series(pd.NA, index=raw.index)), "is empty (give the age in weeks or the month of birth)")
    if "postcode" in source:
        frame["postcode"] = normalise_postcodes(source["postcode"])
    if "lsoa_code" in source:
        frame["lsoa_code"] = source["lsoa_code"].str.upper()
    has_place = frame.get("postcode", pd.Series(pd.NA, index=raw.index)).notna() | frame.get("lsoa_code", pd.Series(pd.NA, index=raw.index)).notna()
    add(~has_place, LABELS["postcode"], source.get("postcode", pd.Series(pd.NA, index=raw.index)), "is empty (give the home postcode or LSOA code)")

    schema = _schema(today_ts, set(postcode_lsoa.index), known_lsoas)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases.dropna(subset=["index"])
        for (column, check), group in cases.groupby(["column", "check"], sort=False):
            idx = group["index"].astype(int)
            shown = source.get(column, frame[column]).loc[idx].astype("string").fillna("")
            label = LABELS.get(column, column)
            problems.append(pd.DataFrame({"index": idx.to_numpy(), "Column": label, "Value": shown.to_numpy(), "Problem": f"{label} '" + shown.to_numpy() + f"' {check}"}))

    for key, options, label in (("ethnic_group", ETHNIC_GROUPS_2021, "an ONS 2021 ethnic group"), ("parent_age_band", PARENT_AGE_BANDS, "a parent age band")):
        if key in source:
            frame[key] = source[key]
            add(source[key].notna() & ~source[key].isin(options), LABELS[key], source[key], f"is not {label} ({'; '.join(options)})")
    for key in ("first_time_parent", "interpreter"):
        if key in source:
            frame[key] = source[key].str.lower().map(YES_NO).astype("boolean")
            add(source[key].notna() & frame[key].isna(), LABELS[key], source[key], "is not yes or no")
    for key in ("reason", "attended_by"):
        if key in source:
            frame[key] = source[key]

    dup = frame.duplicated(subset=["child_id", "attendance_date", "clinic"], keep="first") & frame["child_id"].notna()
    add(dup, LABELS["child_id"], source["child_id"], "appears twice for the same clinic and date (duplicate row)")

    all_problems = (
        pd.concat(problems, ignore_index=True) if problems else pd.DataFrame(columns=["index", "Column", "Value", "Problem"])
    )
    all_problems["Row"] = all_problems["index"].astype(int) + 2
    all_problems = all_problems.sort_values(["Row", "Column"]).reset_index(drop=True)[["Row", "Column", "Value", "Problem"]]
    bad_index = set(all_problems["Row"] - 2)
    ok = ~frame.index.isin(bad_index)

    valid = frame[ok].copy()
    unmatched = 0
    if "postcode" in valid:
        from_postcode = valid["postcode"].map(postcode_lsoa)
        unmatched = int((valid["postcode"].notna() & from_postcode.isna() & valid.get("lsoa_code", pd.Series(pd.NA, index=valid.index)).isna()).sum())
        valid["lsoa_code"] = valid["lsoa_code"].fillna(from_postcode) if "lsoa_code" in valid else from_postcode
        valid = valid.drop(columns="postcode")  # the postcode has done its work: it goes now
    valid["row"] = valid.index + 2
    notes = []
    if unmatched:
        notes.append(f"{unmatched} valid row(s) have a postcode whose point lies outside every LSOA boundary (coast or edge); they are kept out of the reach figures.")
    valid = valid[valid["lsoa_code"].notna()].reset_index(drop=True)
    valid["month"] = valid["attendance_date"].dt.to_period("M").astype(str)
    return Checked(valid, all_problems, raw[~ok], len(raw), unmatched, notes)


def read_extract(data: bytes, filename: str) -> pd.DataFrame:
    """Read a CSV (UTF-8 with or without BOM, or Windows-1252) or XLSX extract, cells as text."""
    frame = read_table_file(data, filename, max_bytes=MAX_EXTRACT_BYTES)
    if frame.empty:
        raise ValueError(f"{filename} has no rows")
    return frame.astype("string")
