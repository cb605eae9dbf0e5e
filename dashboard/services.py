"""The PAIR service register: vocabulary, validation, import and export (no Streamlit, no SQL).

A service is a dict with the fields of :data:`FIELDS`. :func:`validate_service` checks one
record and returns the problems by field; :func:`parse_register` reads a CSV or XLSX file as a
whole and returns the clean records only when *every* row is valid, else the problems with
their row and column, so that nothing of a bad file is written.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from dashboard import tablefile
from dashboard.exports import with_footer

SERVICE_TYPES = [
    "specialised parent-infant relationship team",
    "perinatal mental health service",
    "health-visitor baby clinic",
    "family hub",
    "infant feeding / peer support",
    "other",
]
TIERS = ["universal", "targeted", "specialist"]
STATUSES = {
    "public": "public information",
    "local": "local data",
    "illustrative": "illustrative",
}
CLINIC_MODELS = ["social", "drop-in"]  # social / relationship-focused, or traditional drop-in
VENUES = ["community venue", "health centre", "family hub", "other"]
CATCHMENT_LEVELS = {"lad": "local authority", "sicbl": "sub-ICB location", "icb": "ICB"}

#: Field name -> (label used in files and forms, required)
FIELDS: dict[str, tuple[str, bool]] = {
    "name": ("Name", True),
    "provider": ("Provider", False),
    "service_type": ("Type", True),
    "tier": ("Tier", True),
    "tier_reason": ("Tier reason", False),
    "postcode": ("Postcode", False),
    "lat": ("Latitude", False),
    "lon": ("Longitude", False),
    "catchment_level": ("Catchment level", False),
    "catchment_codes": ("Catchment codes", False),
    "travel_km": ("Travel distance (km)", False),
    "age_min_months": ("Youngest age (months)", False),
    "age_max_months": ("Oldest age (months)", False),
    "capacity_families": ("Capacity (families a year)", False),
    "annual_cost_gbp": ("Annual cost (GBP)", False),
    "commissioner": ("Commissioner", False),
    "funding_end": ("Funding end date", False),
    "source": ("Source", False),
    "as_of": ("As of", False),
    "status": ("Status", True),
    "clinic_model": ("Clinic model", False),
    "venue": ("Venue", False),
    "session_format": ("Session format", False),
}
LABELS = {k: v[0] for k, v in FIELDS.items()}

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_TEXT = 200
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
HTML_RE = re.compile(r"<\s*[a-zA-Z/!]")
FORMULA_START = ("=", "+", "@", "-")  # refused at entry; exports neutralise them too


def normalise_postcode(value: str) -> str | None:
    """``"ne11ad"`` -> ``"NE1 1AD"``; None when it is not a UK postcode."""
    text = re.sub(r"\s+", "", str(value or "")).upper()
    m = POSTCODE_RE.match(text[:-3] + " " + text[-3:]) if len(text) >= 5 else None
    return f"{m.group(1)} {m.group(2)}" if m else None


_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def text_problem(value: str, limit: int = MAX_TEXT, multiline: bool = False) -> str | None:
    """Why a free-text value is refused: markup, a leading character a spreadsheet would run,
    control, invisible or direction-changing characters (which can make a name read backwards,
    or two names look the same), a line break in a one-line field, or its length."""
    hidden = _INVISIBLE.search(value) or re.search("\t" if multiline else "[\r\n\t]", value)
    if hidden:
        char = hidden.group()
        what = "a line break or tab" if char in "\r\n\t" else f"an invisible or control character (U+{ord(char):04X})"
        return f"contains {what} at character {hidden.start() + 1}: retype it"
    if HTML_RE.search(value):
        return "contains HTML or markup (remove the < > tags)"
    if value.startswith(FORMULA_START) and value != "-":
        return "starts with = + - or @, which a spreadsheet would run as a formula"
    if len(value) > limit:
        return f"is longer than {limit} characters"
    return None


def parse_date(value) -> dt.date | None:
    """ISO ``2025-03-31`` or UK ``31/03/2025``; raises ValueError otherwise."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date (use 31/03/2026 or 2026-03-31)")


@dataclass
class Places:
    """What the store knows, for checking locations and catchments."""

    postcodes: dict[str, tuple[float, float]]  # "NE1 1AD" -> (lon, lat)
    codes: dict[str, set[str]]  # level -> codes
    bounds: tuple[float, float, float, float] = (-3.7, 51.2, -0.7, 55.9)  # lon/lat box of the two regions


@dataclass
class Problem:
    row: int | None
    column: str
    value: str
    message: str


def _is_blank(v) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or (isinstance(v, str) and v.strip() == "") or v is pd.NA


def _number(v, kind=float):
    if _is_blank(v):
        return None
    if isinstance(v, str):
        v = v.replace(",", "").replace("£", "").strip()
    x = float(v)
    if not math.isfinite(x):
        raise ValueError("must be a finite number")
    if kind is int:
        if x != int(x):
            raise ValueError("must be a whole number")
        return int(x)
    return x


def validate_service(raw: dict, places: Places, today: dt.date | None = None) -> tuple[dict, dict[str, str]]:
    """Clean one service record. Returns (clean record, {field: problem}); no problems = valid."""
    today = today or dt.date.today()
    clean: dict = {}
    problems: dict[str, str] = {}
    for key, (label, required) in FIELDS.items():
        v = raw.get(key)
        if _is_blank(v):
            if required:
                problems[key] = f"{label} is required"
            clean[key] = None
            continue
        try:
            if key in ("lat", "lon", "travel_km", "annual_cost_gbp"):
                clean[key] = _number(v)
            elif key in ("age_min_months", "age_max_months", "capacity_families"):
                clean[key] = _number(v, int)
            elif key in ("funding_end", "as_of"):
                clean[key] = parse_date(v)
            else:
                text = str(v).strip()
                issue = text_problem(text, 1000 if key in ("source", "tier_reason") else MAX_TEXT, multiline=key in ("source", "tier_reason"))
                if issue:
                    raise ValueError(f"{label} {issue}")
                clean[key] = text
        except ValueError as exc:
            if key in ("lat", "lon", "travel_km", "annual_cost_gbp"):
                problems[key] = f"{label}: '{v}' is not a number"
            elif key in ("age_min_months", "age_max_months", "capacity_families"):
                problems[key] = f"{label}: '{v}' is not a whole number"
            else:
                problems[key] = str(exc) if str(exc).startswith(label) else f"{label}: {exc}"
            clean[key] = None

    for key, options in (("service_type", SERVICE_TYPES), ("tier", TIERS), ("clinic_model", CLINIC_MODELS), ("venue", VENUES)):
        if clean.get(key) and clean[key].lower() not in options:
            problems[key] = f"{LABELS[key]} must be one of: {', '.join(options)}"
        elif clean.get(key):
            clean[key] = clean[key].lower()
    status = (clean.get("status") or "").lower()
    by_label = {v: k for k, v in STATUSES.items()}
    if clean.get("status"):
        if status in STATUSES:
            clean["status"] = status
        elif status in by_label:
            clean["status"] = by_label[status]
        else:
            problems["status"] = f"Status must be one of: {', '.join(STATUSES)}"

    if clean.get("postcode"):
        pc = normalise_postcode(clean["postcode"])
        if pc is None:
            problems["postcode"] = f"Postcode '{clean['postcode']}' is not a UK postcode"
        elif pc not in places.postcodes:
            problems["postcode"] = f"Postcode {pc} is not a current postcode in NENC or BNSSG (Code-Point Open)"
        else:
            clean["postcode"] = pc
            if clean.get("lat") is None and clean.get("lon") is None:
                clean["lon"], clean["lat"] = places.postcodes[pc]
    if (clean.get("lat") is None) != (clean.get("lon") is None) and "lat" not in problems and "lon" not in problems:
        problems["lat"] = "Give both latitude and longitude, or a postcode"
    if clean.get("lat") is not None and clean.get("lon") is not None:
        x0, y0, x1, y1 = places.bounds
        if not (x0 <= clean["lon"] <= x1 and y0 <= clean["lat"] <= y1):
            problems["lat"] = f"Location {clean['lat']}, {clean['lon']} is outside NENC and BNSSG"

    codes = [c.strip().upper() for c in re.split(r"[;,\s]+", clean.get("catchment_codes") or "") if c.strip()]
    if codes:
        level = (clean.get("catchment_level") or "").lower() or next(
            (lv for lv, known in places.codes.items() if set(codes) <= known), None
        )
        if level not in CATCHMENT_LEVELS:
            problems["catchment_level"] = f"Catchment level must be one of: {', '.join(CATCHMENT_LEVELS)}"
        else:
            unknown = [c for c in codes if c not in places.codes.get(level, set())]
            if unknown:
                problems["catchment_codes"] = f"Unknown {CATCHMENT_LEVELS[level]} code(s) in NENC/BNSSG: {', '.join(unknown)}"
            clean["catchment_level"] = level
        clean["catchment_codes"] = ";".join(codes)
    else:
        clean["catchment_level"] = None
        clean["catchment_codes"] = None
    if clean.get("travel_km") is not None:
        if not 0 < clean["travel_km"] <= 50:
            problems["travel_km"] = "Travel distance must be more than 0 and at most 50 km"
        elif clean.get("lat") is None and "postcode" not in problems:
            problems["travel_km"] = "A travel distance needs a location (postcode or coordinates)"
    if not codes and clean.get("travel_km") is None and not problems.get("travel_km"):
        problems["catchment_codes"] = "Give a catchment: local authority / sub-ICB codes, or a location with a travel distance"

    for key, low, high in (("age_min_months", 0, 72), ("age_max_months", 0, 72)):
        if clean.get(key) is not None and not low <= clean[key] <= high:
            problems[key] = f"{LABELS[key]} must be between {low} and {high}"
    if clean.get("age_min_months") is not None and clean.get("age_max_months") is not None and clean["age_min_months"] > clean["age_max_months"]:
        problems["age_max_months"] = "Oldest age must not be below youngest age"
    for key in ("capacity_families", "annual_cost_gbp"):
        if clean.get(key) is not None and clean[key] < 0:
            problems[key] = f"{LABELS[key]} must not be negative"
    if clean.get("capacity_families") is not None and clean["capacity_families"] > 100_000:
        problems["capacity_families"] = "Capacity above 100,000 families a year is not plausible"
    if clean.get("annual_cost_gbp") is not None and clean["annual_cost_gbp"] > 100_000_000:
        problems["annual_cost_gbp"] = "An annual cost above £100 million is not plausible for one service"
    if clean.get("as_of") and clean["as_of"].year < 2000:
        problems["as_of"] = f"As of date {clean['as_of']:%d/%m/%Y} is before 2000: check the date"
    if clean.get("as_of") and clean["as_of"] > today:
        problems["as_of"] = f"As of date {clean['as_of']:%d/%m/%Y} is in the future"
    if clean.get("status") == "public" and not clean.get("source"):
        problems["source"] = "Public information needs its source"
    return clean, problems


# --------------------------------------------------------------------------------------------
# Files


@dataclass
class ImportResult:
    records: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.records)

    def problem_table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [{"Row": p.row, "Column": p.column, "Value": p.value, "Problem": p.message} for p in self.problems],
            columns=["Row", "Column", "Value", "Problem"],
        )


def read_table_file(data: bytes, filename: str, max_bytes: int = MAX_FILE_BYTES, max_rows: int = MAX_ROWS, known_headers: set[str] | None = None):
    """The file as a table of text cells (see :mod:`dashboard.tablefile`); ``FileProblem`` (a
    ``ValueError``) says what is wrong."""
    return tablefile.read(data, filename, max_bytes, max_rows, known_headers)


def parse_register(data: bytes, filename: str, places: Places, today: dt.date | None = None) -> ImportResult:
    """Read and validate a whole register file. Headers may be field names or labels."""
    result = ImportResult()
    try:
        read = read_table_file(data, filename, known_headers={*FIELDS, *(label for label, _ in FIELDS.values())})
    except ValueError as exc:
        result.problems.append(Problem(None, "(file)", filename, str(exc)))
        return result
    frame, result.notes = read.frame, read.notes
    by_header = {}
    for col in frame.columns:
        key = str(col).strip().lower()
        match = next((k for k, (label, _) in FIELDS.items() if key in (k, label.lower())), None)
        if match:
            by_header[col] = match
    missing = [LABELS[k] for k, (_, req) in FIELDS.items() if req and k not in by_header.values()]
    if missing:
        result.problems.append(
            Problem(1, ", ".join(missing), "", f"Missing required column(s): {', '.join(missing)}; found: {', '.join(map(str, frame.columns))}")
        )
        return result
    if frame.empty:
        result.problems.append(Problem(None, "(file)", filename, "The file has no rows"))
        return result
    frame = frame[list(by_header)].rename(columns=by_header)
    seen: dict[tuple, int] = {}
    for i, row in enumerate(frame.to_dict("records")):
        if all(_is_blank(v) for v in row.values()):
            continue
        key = tuple("" if _is_blank(v) else str(v).strip() for v in row.values())
        if key in seen:
            result.problems.append(Problem(i + read.first_row, "(row)", str(row.get("name", "")), f"repeats row {seen[key]}: remove the copy"))
            continue
        seen[key] = i + read.first_row
        clean, problems = validate_service(row, places, today)
        for key, message in problems.items():
            value = row.get(key)
            result.problems.append(Problem(i + read.first_row, LABELS[key], "" if _is_blank(value) else str(value), message))
        result.records.append(clean)
    return result


def export_frame(services: pd.DataFrame, footer: str) -> pd.DataFrame:
    """The register for download: labelled columns, status in words, a footer row."""
    out = services.reindex(columns=["id", *FIELDS]).copy()
    out["status"] = out["status"].map(lambda s: STATUSES.get(s, s))
    return with_footer(out.rename(columns={"id": "ID", **LABELS}), footer)
