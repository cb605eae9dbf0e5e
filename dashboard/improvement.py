"""The improvement cycle the BNSSG work plans, as a record per region (no Streamlit, no SQL):
audit a year of routine data on who uses clinics; discuss barriers and facilitators to uptake and
continued use with families; observe clinics serving the most marginalised; co-design with parents."""

from __future__ import annotations

import datetime as dt

from dashboard.bcw import personal_data_problems
from dashboard.services import parse_date, text_problem
from dashboard.vocabulary import REGION_NAMES

STEPS = {
    "audit": ("Audit", "Audit a year of routinely collected clinic data on who uses clinics (this page)."),
    "discussions": ("Discussions with families", "Discuss with families the barriers and facilitators to uptake and continued use."),
    "observations": ("Observations", "Observe clinics serving the most marginalised families (the clinic ranking suggests where)."),
    "co-design": ("Co-design", "Recruit parents to co-design the clinic model with staff."),
}
STATUSES = ["planned", "in progress", "done"]
FINDING_TAGS = ["uptake", "continued use"]


def validate(raw: dict, today: dt.date | None = None) -> tuple[dict, dict[str, str]]:
    """Clean one step's record; free text is refused when it looks like personal data or quotes."""
    today = today or dt.date.today()
    clean, problems = {}, {}
    if raw.get("region") not in REGION_NAMES:
        problems["region"] = f"Region must be one of: {', '.join(REGION_NAMES)}"
    if raw.get("step") not in STEPS:
        problems["step"] = f"Step must be one of: {', '.join(STEPS)}"
    if raw.get("status") not in STATUSES:
        problems["status"] = f"Status must be one of: {', '.join(STATUSES)}"
    clean.update({k: raw.get(k) for k in ("region", "step", "status")})
    for key in ("started", "completed"):
        try:
            clean[key] = parse_date(raw.get(key))
        except ValueError as exc:
            problems[key] = str(exc)
            clean[key] = None
        if clean.get(key) and not dt.date(2015, 1, 1) <= clean[key] <= today:
            problems[key] = f"{key.capitalize()} date {clean[key]:%d/%m/%Y} is not between 2015 and today"
    if clean.get("started") and clean.get("completed") and clean["completed"] < clean["started"]:
        problems["completed"] = "Completed before it started"
    if clean.get("status") == "done" and not clean.get("completed"):
        problems["completed"] = "A step that is done needs its completion date"
    for key in ("found", "changed"):
        text = str(raw.get(key) or "").strip()
        issue = text_problem(text, 2000, multiline=True) if text else None
        personal = personal_data_problems(text)
        if issue or personal:
            problems[key] = f"What was {key}: " + "; ".join(([issue] if issue else []) + personal)
        clean[key] = text or None
    return clean, problems
