"""Observed outcomes: what a service actually achieved in a period, checked, set beside the
value-for-money model's assumptions, and used to set them (no Streamlit, no SQL).

A record: the service, the region, the period, referrals, families seen, completions, and
optionally a pre/post outcome measure (its name and scale, how many families were measured
before and after, and how many improved). From it:

* **uptake** = families seen / referrals (the model's share of referred families who take up the offer);
* **completion** = completions / families seen;
* **share improving** = improved / measured. This is *not* a controlled effect: without a
  comparison group it includes improvement that would have happened anyway, so when it is used
  as the model's effect the deadweight should be set to the share expected to improve anyway.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.services import parse_date, text_problem
from dashboard.vocabulary import REGION_NAMES

COUNTS = ("referrals", "families_seen", "completions", "measured", "improved")
LABELS = {
    "service": "Service", "region": "Region", "period_start": "Period start", "period_end": "Period end",
    "referrals": "Referrals", "families_seen": "Families seen", "completions": "Completions",
    "measure": "Outcome measure", "measure_scale": "Measure scale", "measured": "Families measured before and after",
    "improved": "Families who improved", "source": "Source",
}
#: model input -> (observed ratio in words, numerator, denominator)
RATIOS = {
    "uptake": ("families seen / referrals", "families_seen", "referrals"),
    "completion": ("completions / families seen", "completions", "families_seen"),
    "effect": ("families who improved / families measured (not a controlled effect)", "improved", "measured"),
}
MAX_COUNT = 1_000_000


def validate(raw: dict, today: dt.date | None = None) -> tuple[dict, dict[str, str]]:
    """Clean one record. Returns (clean record, {field: problem}); no problems = valid."""
    today = today or dt.date.today()
    clean, problems = {}, {}
    for key in ("service", "source", "measure", "measure_scale"):
        text = str(raw.get(key) or "").strip()
        if not text:
            if key in ("service", "source"):
                problems[key] = f"{LABELS[key]} is required"
            clean[key] = None
            continue
        issue = text_problem(text, 1000 if key == "source" else 200)
        if issue:
            problems[key] = f"{LABELS[key]} {issue}"
        clean[key] = text
    region = str(raw.get("region") or "")
    if region not in REGION_NAMES:
        problems["region"] = f"Region must be one of: {', '.join(REGION_NAMES)}"
    clean["region"] = region
    for key in ("period_start", "period_end"):
        try:
            clean[key] = parse_date(raw.get(key))
        except ValueError as exc:
            problems[key] = f"{LABELS[key]}: {exc}"
            clean[key] = None
            continue
        if clean[key] is None:
            problems[key] = f"{LABELS[key]} is required"
        elif not dt.date(2000, 1, 1) <= clean[key] <= today:
            problems[key] = f"{LABELS[key]} {clean[key]:%d/%m/%Y} is not between 2000 and today"
    if clean.get("period_start") and clean.get("period_end") and clean["period_end"] < clean["period_start"]:
        problems["period_end"] = "Period end is before the period start"
    for key in COUNTS:
        value = raw.get(key)
        if value in (None, "") and key in ("measured", "improved"):
            clean[key] = None
            continue
        try:
            number = float(str(value).replace(",", ""))
            if number != int(number) or not 0 <= number <= MAX_COUNT:
                raise ValueError
            clean[key] = int(number)
        except (TypeError, ValueError, OverflowError):
            problems[key] = f"{LABELS[key]}: '{value}' is not a whole number from 0 to {MAX_COUNT:,}"
            clean[key] = None
    if not problems:
        if clean["completions"] > clean["families_seen"]:
            problems["completions"] = "Completions are more than the families seen"
        if (clean["measured"] is None) != (clean["improved"] is None):
            problems["improved"] = "Give both the families measured and the families who improved, or neither"
        elif clean["measured"] is not None:
            if clean["improved"] > clean["measured"]:
                problems["improved"] = "More families improved than were measured"
            if clean["measured"] > clean["families_seen"]:
                problems["measured"] = "More families were measured than were seen"
            if not clean.get("measure"):
                problems["measure"] = "Name the outcome measure (and its scale) used before and after"
    return clean, problems


def observed_ratios(record: dict) -> dict[str, float | None]:
    """The model inputs the record observes (None where its denominator is missing or zero)."""
    out = {}
    for name, (_, num, den) in RATIOS.items():
        n, d = record.get(num), record.get(den)
        out[name] = (n / d) if n is not None and d and not pd.isna(d) and not pd.isna(n) else None
    return out


def comparison(record: dict, assumed: dict[str, float]) -> pd.DataFrame:
    """Assumed against observed, one row per model input the record observes."""
    ratios = observed_ratios(record)
    rows = []
    for name, (words, num, den) in RATIOS.items():
        rows.append({"input": name, "assumed": assumed.get(name), "observed": ratios[name], "how": words,
                     "numerator": record.get(num), "denominator": record.get(den)})
    return pd.DataFrame(rows)


def apply(inputs, record: dict):
    """The scenario's inputs with the observed uptake, completion and share improving (the
    effect) set, and the deadweight kept: returns (new inputs, names changed)."""
    from dataclasses import replace

    ratios = {k: v for k, v in observed_ratios(record).items() if v is not None}
    return replace(inputs, **ratios), sorted(ratios)


def period_text(record: dict) -> str:
    return f"{record['period_start']:%d %b %Y} to {record['period_end']:%d %b %Y}"
