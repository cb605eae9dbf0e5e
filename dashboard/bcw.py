"""Barriers, enablers and the Behaviour Change Wheel (no Streamlit).

The knowledge base (``content/barriers.yaml``) and the wheel (``content/bcw.yaml``) are data.
A barrier's candidate intervention functions come from its COM-B components through the
COM-B -> function matrix (2011 or 2014 version), and its policy categories from those
functions through the function -> policy matrix: derived, never typed by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

CONTENT = Path(__file__).resolve().parent / "content"
LEVELS = ["general", "PAIR-specific", "pandemic"]
DIRECTIONS = ["barrier", "enabler", "both"]
BEHAVIOURS = {
    "commissioning": "Commissioners: commissioning PAIR services",
    "families": "Families: using baby clinics",
}
SUGGESTED = "PAIR Atlas's suggested mapping (the study's own mapping was not available)"


@dataclass(frozen=True)
class Wheel:
    com_b: dict[str, str]
    functions: dict[str, str]
    policies: dict[str, str]
    com_b_to_functions: dict[str, dict[str, list[str]]]
    functions_to_policies: dict[str, list[str]]
    tdf: dict[str, list[str]]
    sources: dict[str, str]

    def functions_for(self, components, version: str = "2014") -> list[str]:
        wanted = {f for c in components for f in self.com_b_to_functions[version].get(c, [])}
        return [f for f in self.functions if f in wanted]

    def policies_for(self, functions) -> list[str]:
        wanted = {p for f in functions for p in self.functions_to_policies.get(f, [])}
        return [p for p in self.policies if p in wanted]

    def matrix(self, kind: str, version: str = "2014") -> pd.DataFrame:
        """0/1 matrix: ``com_b`` (components x functions) or ``policies`` (functions x policies)."""
        if kind == "com_b":
            rows, cols, links = self.com_b, self.functions, self.com_b_to_functions[version]
        else:
            rows, cols, links = self.functions, self.policies, self.functions_to_policies
        return pd.DataFrame([[int(c in links.get(r, [])) for c in cols] for r in rows], index=list(rows), columns=list(cols))


@dataclass
class Barrier:
    id: str
    title: str
    description: str
    level: str
    direction: str
    com_b: list[str]
    tdf: list[str]
    actions: list[str]
    source: str
    behaviour: str = "commissioning"
    origin: str = "shipped"  # shipped | local
    mapping: str = SUGGESTED
    extra: dict = field(default_factory=dict)


@lru_cache(maxsize=1)
def wheel() -> Wheel:
    raw = yaml.safe_load((CONTENT / "bcw.yaml").read_text(encoding="utf-8"))
    return Wheel(
        com_b=raw["com_b"], functions=raw["functions"], policies=raw["policies"],
        com_b_to_functions={str(k): v for k, v in raw["com_b_to_functions"].items()},
        functions_to_policies=raw["functions_to_policies"], tdf=raw["tdf"], sources=raw["sources"],
    )


def shipped_barriers() -> list[Barrier]:
    raw = yaml.safe_load((CONTENT / "barriers.yaml").read_text(encoding="utf-8"))
    return [Barrier(**{k: v for k, v in b.items()}) for b in raw["barriers"]]


def validate_content(barriers: list[Barrier], w: Wheel | None = None) -> list[str]:
    """Problems with the knowledge base: unknown COM-B/TDF names, missing sources, bad values."""
    w = w or wheel()
    problems = []
    ids = [b.id for b in barriers]
    for dup in {i for i in ids if ids.count(i) > 1}:
        problems.append(f"{dup}: id used twice")
    for b in barriers:
        for c in b.com_b:
            if c not in w.com_b:
                problems.append(f"{b.id}: unknown COM-B component '{c}'")
        for t in b.tdf:
            if t not in w.tdf:
                problems.append(f"{b.id}: unknown TDF domain '{t}'")
        if not b.com_b:
            problems.append(f"{b.id}: no COM-B component")
        if not all(isinstance(a, str) and a.strip() for a in b.actions):
            problems.append(f"{b.id}: every action must be a line of text")
        if not (b.source or "").strip():
            problems.append(f"{b.id}: no source")
        if b.level not in LEVELS:
            problems.append(f"{b.id}: level '{b.level}' is not one of {LEVELS}")
        if b.direction not in DIRECTIONS:
            problems.append(f"{b.id}: direction '{b.direction}' is not one of {DIRECTIONS}")
        if b.behaviour not in BEHAVIOURS:
            problems.append(f"{b.id}: behaviour '{b.behaviour}' is not one of {list(BEHAVIOURS)}")
    return problems


def table(barriers: list[Barrier], version: str = "2014") -> pd.DataFrame:
    """One row per barrier with its derived intervention functions and policy categories."""
    w = wheel()
    rows = []
    for b in barriers:
        functions = w.functions_for(b.com_b, version)
        rows.append({
            "id": b.id, "title": b.title, "behaviour": BEHAVIOURS.get(b.behaviour, b.behaviour), "level": b.level,
            "direction": b.direction, "com_b": "; ".join(b.com_b), "tdf": "; ".join(b.tdf),
            "intervention_functions": "; ".join(functions), "policy_categories": "; ".join(w.policies_for(functions)),
            "actions": " | ".join(b.actions), "source": b.source, "origin": b.origin, "mapping": b.mapping,
        })
    return pd.DataFrame(rows)


def filter_barriers(barriers: list[Barrier], com_b=(), tdf=(), levels=(), directions=(), behaviours=()) -> list[Barrier]:
    def keep(b: Barrier) -> bool:
        return (
            (not com_b or bool(set(com_b) & set(b.com_b)))
            and (not tdf or bool(set(tdf) & set(b.tdf)))
            and (not levels or b.level in levels)
            and (not directions or b.direction in directions or (b.direction == "both" and bool(set(directions) & {"barrier", "enabler"})))
            and (not behaviours or b.behaviour in behaviours)
        )

    return [b for b in barriers if keep(b)]


PERSONAL = [
    (re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.I), "a postcode"),
    (re.compile(r"\b\d{3} ?\d{3} ?\d{4}\b"), "an NHS number or phone number"),
    (re.compile(r"\b0\d{4} ?\d{6}\b|\+44"), "a phone number"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), "an email address"),
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"), "a date (possibly a date of birth)"),
    (re.compile(r"[\"“”]"), "quotation marks (record a summary, not quotes)"),
]


def personal_data_problems(text: str) -> list[str]:
    """Why a free-text finding looks like it holds personal data or quotes."""
    return [f"contains {what}" for pattern, what in PERSONAL if pattern.search(text or "")]


def workshop_summary(ratings: pd.DataFrame, barriers: list[Barrier]) -> pd.DataFrame:
    """Per barrier: count, median and spread (interquartile range) of 'applies' and
    'changeable' (1-5), and a priority score (median applies x median changeable)."""
    titles = {b.id: b.title for b in barriers}
    if ratings.empty:
        return pd.DataFrame(columns=["barrier_id", "title", "ratings", "applies_median", "applies_iqr", "changeable_median", "changeable_iqr", "priority"])
    g = ratings.groupby("barrier_id")
    out = pd.DataFrame({
        "ratings": g.size(),
        "applies_median": g["applies"].median(),
        "applies_iqr": g["applies"].quantile(0.75) - g["applies"].quantile(0.25),
        "changeable_median": g["changeable"].median(),
        "changeable_iqr": g["changeable"].quantile(0.75) - g["changeable"].quantile(0.25),
    }).reset_index()
    out["priority"] = out["applies_median"] * out["changeable_median"]
    out.insert(1, "title", out["barrier_id"].map(titles).fillna(out["barrier_id"]))
    return out.sort_values(["priority", "ratings"], ascending=[False, False]).reset_index(drop=True)


def wheel_frames(components, functions, policies) -> dict[str, pd.DataFrame]:
    """The three rings of the wheel, each segment flagged if the selection points to it."""
    w = wheel()
    out = {}
    for ring, names, chosen in (("COM-B", w.com_b, components), ("Intervention functions", w.functions, functions), ("Policy categories", w.policies, policies)):
        out[ring] = pd.DataFrame({"ring": ring, "name": list(names), "value": 1, "selected": [n in set(chosen) for n in names]})
    return out


def split(text) -> list[str]:
    return [t.strip() for t in str(text or "").split(";") if t.strip()]


def merge_local(shipped: list[Barrier], local: pd.DataFrame, area_code: str | None = None) -> list[Barrier]:
    """Shipped barriers with local mapping changes applied, plus local barriers and families'
    findings (``area_code`` None: all areas). Local rows are marked ``origin='local'``."""
    if local is None or local.empty:
        return list(shipped)
    rows = local if area_code is None else local[local["area_code"].isin([area_code, None]) | local["area_code"].isna()]
    changes = {r.barrier_id: r for r in rows[rows["kind"] == "mapping"].itertuples()}
    out = []
    for b in shipped:
        r = changes.get(b.id)
        if r is None:
            out.append(b)
        else:
            out.append(Barrier(b.id, b.title, b.description, b.level, b.direction, split(r.com_b), split(r.tdf), b.actions, b.source,
                               b.behaviour, "shipped", f"Local change to the suggested mapping ({r.source})"))
    for r in rows[rows["kind"] == "new"].itertuples():
        out.append(Barrier(r.barrier_id, r.title, r.description or "", r.level, r.direction, split(r.com_b), split(r.tdf),
                           [a for a in (r.actions or "").split("\n") if a.strip()], r.source, r.behaviour, "local", "Local mapping"))
    return out
