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
MAX_EXTRACT_ROWS = 1_000_000
EARLIEST = pd.Timestamp(2015, 1, 1)  # attendances before this are a typing or format error, not an audit year

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
    "clinic_model": ("Clinic model", False, ("clinic model", "model", "clinic type")),
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
NOT_STATED = "Not stated or not recognised"
#: NHS Data Dictionary ethnic category codes -> the five ONS 2021 groups.
NHS_ETHNIC_CODES = {
    "A": "White", "B": "White", "C": "White", "D": "Mixed or Multiple ethnic groups", "E": "Mixed or Multiple ethnic groups",
    "F": "Mixed or Multiple ethnic groups", "G": "Mixed or Multiple ethnic groups", "H": "Asian, Asian British or Asian Welsh",
    "J": "Asian, Asian British or Asian Welsh", "K": "Asian, Asian British or Asian Welsh", "L": "Asian, Asian British or Asian Welsh",
    "M": "Black, Black British, Black Welsh, Caribbean or African", "N": "Black, Black British, Black Welsh, Caribbean or African",
    "P": "Black, Black British, Black Welsh, Caribbean or African", "R": "Asian, Asian British or Asian Welsh", "S": "Other ethnic group",
    "Z": NOT_STATED, "99": NOT_STATED,
}
#: Words in a free-text ethnicity -> ONS 2021 group, tried in order (mixed first: "White and Black Caribbean").
ETHNIC_WORDS = [
    (r"\bmixed\b|\bmultiple\b|white and (?:black|asian)", "Mixed or Multiple ethnic groups"),
    (r"\bwhite\b|\bbritish\b|\birish\b|gypsy|traveller|\broma\b", "White"),
    (r"\basian\b|indian|pakistani|bangladeshi|chinese", "Asian, Asian British or Asian Welsh"),
    (r"\bblack\b|caribbean|african", "Black, Black British, Black Welsh, Caribbean or African"),
    (r"\barab\b|other ethnic|any other|^other$", "Other ethnic group"),
    (r"not stated|not known|unknown|prefer not|declined|refused", NOT_STATED),
]


def ethnic_group_2021(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(the ONS 2021 group of each value, whether it was recognised): ONS names, NHS ethnic
    category codes (A-Z) and common wordings ("White British", "Not stated"); anything else is
    ``NOT_STATED`` and not recognised."""
    text = values.astype("string").str.strip()
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    exact = text.isin(ETHNIC_GROUPS_2021)
    out[exact] = text[exact]
    code = text.str.upper().map(NHS_ETHNIC_CODES)
    out = out.fillna(code)
    lower = text.str.lower()
    for pattern, group in ETHNIC_WORDS:
        hit = out.isna() & lower.str.contains(pattern, regex=True, na=False)
        out[hit] = group
    recognised = out.notna() | text.isna()
    return out.fillna(NOT_STATED).where(text.notna(), pd.NA), recognised


def parent_age_band(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(the parent age band of each value, whether it was recognised): a band as written, a
    variant ("20-24", "<20", "40+") or an age in years."""
    text = values.astype("string").str.strip()
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    exact = text.isin(PARENT_AGE_BANDS)
    out[exact] = text[exact]
    squashed = text.str.lower().str.replace(r"\s+", "", regex=True)
    variants = {"<20": "Under 20", "under20": "Under 20", "u20": "Under 20", "40+": "40 and over", "40andover": "40 and over", "over40": "40 and over",
                **{f"{a}-{a + 4}": b for a, b in zip(range(20, 40, 5), PARENT_AGE_BANDS[1:5])},
                **{f"{a}to{a + 4}": b for a, b in zip(range(20, 40, 5), PARENT_AGE_BANDS[1:5])}}
    out = out.fillna(squashed.map(variants))
    age = pd.to_numeric(text, errors="coerce")
    by_age = pd.cut(age, [10, 20, 25, 30, 35, 40, 70], right=False, labels=PARENT_AGE_BANDS).astype("string")
    out = out.fillna(by_age)
    recognised = out.notna() | text.isna()
    return out.fillna(NOT_STATED).where(text.notna(), pd.NA), recognised
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


def us_format_dates(values: pd.Series) -> str | None:
    """A value showing that the column is month/day/year (US order): the second part above 12
    (such as 03/31/2025); ``None`` when the column reads as day/month."""
    parts = values.astype("string").str.strip().str.extract(r"^(\d{1,2})/(\d{1,2})/(\d{4})")
    first, second = pd.to_numeric(parts[0], errors="coerce"), pd.to_numeric(parts[1], errors="coerce")
    if (first > 12).any():  # a day above 12 first: day/month order
        return None
    us = values[(second > 12).fillna(False)]
    return None if us.empty else str(us.iloc[0])


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
                checks=[pa.Check(lambda s: s <= today, error="lies in the future"),
                        pa.Check(lambda s: s >= EARLIEST, error=f"is before {EARLIEST:%Y}: check the date")],
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
    us = us_format_dates(source["attendance_date"])
    if us is not None:
        add(source["attendance_date"].notna(), LABELS["attendance_date"], source["attendance_date"],
            f"looks like month/day (US) order: '{us}' has a month above 12 in the day's place. Save the dates as day/month/year "
            "(31/03/2026) or year-month-day (2026-03-31)")
    frame["attendance_date"] = parse_uk_dates(source["attendance_date"])
    if us is None:  # a US-order column has one message per row already
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

    # Optional fields never reject an attendance: an unrecognised value counts as not stated, and is reported.
    unrecognised_notes = []

    def report(key: str, recognised: pd.Series) -> None:
        odd = source[key][~recognised]
        if len(odd):
            examples = ", ".join(f"'{v}'" for v in odd.drop_duplicates().head(3))
            unrecognised_notes.append(f"{LABELS[key]}: {len(odd):,} value(s) not recognised (for example {examples}), counted as "
                                      f"'{NOT_STATED}'; the attendances are kept.")

    for key, parse in (("ethnic_group", ethnic_group_2021), ("parent_age_band", parent_age_band)):
        if key in source:
            frame[key], recognised = parse(source[key])
            report(key, recognised)
    for key in ("first_time_parent", "interpreter"):
        if key in source:
            frame[key] = source[key].str.lower().map(YES_NO).astype("boolean")
            report(key, source[key].isna() | frame[key].notna())
    for key in ("reason", "attended_by"):
        if key in source:
            frame[key] = source[key]
    if "clinic_model" in source:
        words = source["clinic_model"].str.lower()
        frame["clinic_model"] = pd.Series(pd.NA, index=raw.index, dtype="string").mask(words.str.contains("social|relationship", na=False), "social") \
            .mask(words.str.contains("drop|tradition", na=False), "drop-in")
        report("clinic_model", source["clinic_model"].isna() | frame["clinic_model"].notna())

    dup = frame.duplicated(subset=["child_id", "attendance_date", "clinic"], keep="first") & frame["child_id"].notna()
    add(dup, LABELS["child_id"], source["child_id"], "appears twice for the same clinic and date (duplicate row)")

    all_problems = (
        pd.concat(problems, ignore_index=True) if problems else pd.DataFrame(columns=["index", "Column", "Value", "Problem"])
    )
    first_row = int(raw.attrs.get("first_row", 2))  # the file's row number of the first data row
    all_problems["Row"] = all_problems["index"].astype(int) + first_row
    all_problems = all_problems.sort_values(["Row", "Column"]).reset_index(drop=True)[["Row", "Column", "Value", "Problem"]]
    bad_index = set(all_problems["Row"] - first_row)
    ok = ~frame.index.isin(bad_index)

    valid = frame[ok].copy()
    unmatched = 0
    if "postcode" in valid:
        from_postcode = valid["postcode"].map(postcode_lsoa)
        unmatched = int((valid["postcode"].notna() & from_postcode.isna() & valid.get("lsoa_code", pd.Series(pd.NA, index=valid.index)).isna()).sum())
        valid["lsoa_code"] = valid["lsoa_code"].fillna(from_postcode) if "lsoa_code" in valid else from_postcode
        valid = valid.drop(columns="postcode")  # the postcode has done its work: it goes now
    valid["row"] = valid.index + first_row
    notes = list(unrecognised_notes)
    if unmatched:
        notes.append(f"{unmatched} valid row(s) have a postcode whose point lies outside every LSOA boundary (coast or edge); they are kept out of the reach figures.")
    valid = valid[valid["lsoa_code"].notna()].reset_index(drop=True)
    valid["month"] = valid["attendance_date"].dt.to_period("M").astype(str)
    return Checked(valid, all_problems, raw[~ok], len(raw), unmatched, notes)


def read_extract(data: bytes, filename: str) -> pd.DataFrame:
    """Read a CSV (UTF-8 with or without BOM, or Windows-1252) or XLSX extract, cells as text."""
    known = {h for label, _, synonyms in FIELDS.values() for h in (label, *synonyms)} | {k.replace("_", " ") for k in FIELDS}
    read = read_table_file(data, filename, max_bytes=MAX_EXTRACT_BYTES, max_rows=MAX_EXTRACT_ROWS, known_headers=known)
    frame = read.frame.astype("string")
    frame.attrs.update(first_row=read.first_row, notes=read.notes)
    return frame
