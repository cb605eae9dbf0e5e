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
FACTOR_LEVELS = ["individual", "organisational", "system"]
EVIDENCE = {"study": "McSweeney et al. 2025 (interviews)", "pif": "Parent-Infant Foundation themes", "local": "Local entries"}
OURS = "PAIR Atlas's elaboration (ours, not the study's words)"
OURS_ACTIONS = "PAIR Atlas's suggested actions (ours, not the study's recommendations): adopt or edit them in the action plan"


def matrix_title(kind: str, version: str = "2014") -> str:
    """A BCW matrix's name (``com_b``: COM-B to intervention functions in the ``version`` matrix;
    ``policies``: functions to policy categories, 2014), as its table, drawing and files give it."""
    return f"COM-B to intervention functions ({version})" if kind == "com_b" else "Intervention functions to policy categories (2014)"


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
    #: the theme in the study abstract's own words (shown as a quotation, apart from ``description``, ours)
    study_words: str = ""
    factor_level: str = "organisational"  # individual | organisational | system
    #: False: a structural factor (such as funding rules), shown as context, not as a behaviour to change
    amenable: bool = True
    evidence: str = "local"  # study | pif | local

    @property
    def evidence_label(self) -> str:
        return EVIDENCE.get(self.evidence, self.evidence)


@lru_cache(maxsize=1)
def wheel() -> Wheel:
    raw = yaml.safe_load((CONTENT / "bcw.yaml").read_text(encoding="utf-8"))
    return Wheel(
        com_b=raw["com_b"], functions=raw["functions"], policies=raw["policies"],
        com_b_to_functions={str(k): v for k, v in raw["com_b_to_functions"].items()},
        functions_to_policies=raw["functions_to_policies"], tdf=raw["tdf"], sources=raw["sources"],
    )


@lru_cache(maxsize=1)
def _content() -> dict:
    return yaml.safe_load((CONTENT / "barriers.yaml").read_text(encoding="utf-8"))


def shipped_barriers() -> list[Barrier]:
    return [Barrier(**{k: v for k, v in b.items()}) for b in _content()["barriers"]]


def study() -> dict[str, str]:
    """McSweeney et al. (2025): citation, method, sample, place, dates, and what they mean for
    using the themes elsewhere."""
    return dict(_content()["study"])


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
        if b.factor_level not in FACTOR_LEVELS:
            problems.append(f"{b.id}: factor level '{b.factor_level}' is not one of {FACTOR_LEVELS}")
        if b.evidence not in EVIDENCE:
            problems.append(f"{b.id}: evidence '{b.evidence}' is not one of {list(EVIDENCE)}")
        if b.evidence == "study" and not b.study_words:
            problems.append(f"{b.id}: a theme of the study needs the abstract's own words")
        if b.behaviour not in BEHAVIOURS:
            problems.append(f"{b.id}: behaviour '{b.behaviour}' is not one of {list(BEHAVIOURS)}")
    return problems


TABLE_COLUMNS = ["id", "title", "behaviour", "level", "factor_level", "amenable", "evidence", "study_words", "direction", "com_b", "tdf",
                 "intervention_functions", "policy_categories", "actions", "source", "origin", "mapping"]


def table(barriers: list[Barrier], version: str = "2014") -> pd.DataFrame:
    """One row per barrier with its derived intervention functions and policy categories."""
    w = wheel()
    rows = []
    for b in barriers:
        functions = [c.function for c in candidates(b, version) if c.suggested]
        rows.append({
            "id": b.id, "title": b.title, "behaviour": BEHAVIOURS.get(b.behaviour, b.behaviour), "level": b.level,
            "factor_level": b.factor_level, "amenable": "yes" if b.amenable else "no: context", "evidence": b.evidence_label,
            "study_words": b.study_words,
            "direction": b.direction, "com_b": "; ".join(b.com_b), "tdf": "; ".join(b.tdf),
            "intervention_functions": "; ".join(functions), "policy_categories": "; ".join(w.policies_for(functions)),
            "actions": " | ".join(b.actions), "source": b.source, "origin": b.origin, "mapping": b.mapping,
        })
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def filter_barriers(barriers: list[Barrier], com_b=(), tdf=(), levels=(), directions=(), behaviours=(), evidence=()) -> list[Barrier]:
    def keep(b: Barrier) -> bool:
        return (
            (not evidence or b.evidence in evidence) and
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


def _text_problems(text: str, limit: int, multiline: bool = False) -> list[str]:
    from dashboard.services import text_problem

    issue = text_problem(text, limit, multiline) if text else None
    return [issue] if issue else []


def local_entry_problems(fields: dict[str, tuple[str, int, bool]]) -> list[str]:
    """Why a local entry's free text cannot be saved: ``{label: (text, limit, multiline)}``."""
    problems = []
    for label, (text, limit, multiline) in fields.items():
        problems += [f"the {label} {p}" for p in personal_data_problems(text)] if label != "source" else []
        problems += [f"the {label} {p}" for p in _text_problems(text.strip(), limit, multiline)]
    return problems


def personal_data_problems(text: str) -> list[str]:
    """Why a free-text finding looks like it holds personal data or quotes."""
    text = (text or "")[:5000]  # longer text is refused for its length; the patterns need not scan it all
    return [f"contains {what}" for pattern, what in PERSONAL if pattern.search(text)]


SUMMARY_COLUMNS = ["rank", "barrier_id", "title", "ratings", "applies_raters", "applies_median", "applies_iqr", "changeable_raters",
                   "changeable_median", "changeable_iqr", "priority", "tied"]


def workshop_summary(ratings: pd.DataFrame, barriers: list[Barrier]) -> pd.DataFrame:
    """Per barrier: how many rated it, and per question (applies locally, changeable; 1-5) the
    number of raters, median and interquartile range; a question left unrated is not counted.
    Priority = median applies x median changeable (blank until both have a rating). Ranked
    by priority; barriers with the same priority share a rank and are flagged ``tied``."""
    titles = {b.id: b.title for b in barriers}
    if ratings.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    frame = ratings.assign(applies=pd.to_numeric(ratings["applies"], errors="coerce"), changeable=pd.to_numeric(ratings["changeable"], errors="coerce"))
    g = frame.groupby("barrier_id")
    out = pd.DataFrame({
        "ratings": g.size(),
        "applies_raters": g["applies"].count(),
        "applies_median": g["applies"].median(),
        "applies_iqr": g["applies"].quantile(0.75) - g["applies"].quantile(0.25),
        "changeable_raters": g["changeable"].count(),
        "changeable_median": g["changeable"].median(),
        "changeable_iqr": g["changeable"].quantile(0.75) - g["changeable"].quantile(0.25),
    }).reset_index()
    out["priority"] = out["applies_median"] * out["changeable_median"]
    out.insert(1, "title", out["barrier_id"].map(titles).fillna(out["barrier_id"]))
    out = out.sort_values(["priority", "ratings", "barrier_id"], ascending=[False, False, True], na_position="last").reset_index(drop=True)
    out.insert(0, "rank", out["priority"].rank(method="min", ascending=False))
    out["tied"] = out["priority"].notna() & out["priority"].duplicated(keep=False)
    return out[SUMMARY_COLUMNS]


# --------------------------------------------------------------------------------------------
# From a prioritised barrier to actions (Michie, Atkins and West 2014, The Behaviour Change
# Wheel: a guide to designing interventions): barrier -> COM-B -> candidate intervention
# functions (the matrix) -> the functions kept after rating each against APEASE -> policy
# categories -> actions with owners.

APEASE = {
    "affordability": "Affordability",
    "practicability": "Practicability",
    "effectiveness": "Effectiveness and cost-effectiveness",
    "acceptability": "Acceptability",
    "side_effects": "Side-effects and safety",
    "equity": "Equity",
}
ANSWERS = ["yes", "unsure", "no"]
#: Functions that work by raising costs or limiting options: they change behaviour away from
#: something, so they are not offered for an enabler (something to strengthen) unless a
#: group keeps one through APEASE with a note.
NOT_FOR_ENABLERS = ("Coercion", "Restriction")
ACTION_STATUSES = ["planned", "in progress", "done", "dropped"]
OWNER_ROLES = ["ICB commissioner", "Local authority commissioner", "Director of Public Health", "Start for Life / family hubs lead",
               "Perinatal mental health lead", "Health visiting service lead", "Provider service manager", "Voluntary sector partner"]
_TITLES = re.compile(r"^\s*(dr|mr|mrs|ms|miss|mx|prof)\.?\s", re.I)


@dataclass(frozen=True)
class Candidate:
    function: str
    suggested: bool
    reason: str = ""


def candidates(barrier: Barrier, version: str = "2014") -> list[Candidate]:
    """The barrier's candidate intervention functions from the COM-B -> function matrix; for an
    enabler, Coercion and Restriction are listed as not suggested, with the reason; none for a
    structural factor (not amenable to change)."""
    if not barrier.amenable:
        return []  # a structural factor: context, not a behaviour to change
    out = []
    for f in wheel().functions_for(barrier.com_b, version):
        if barrier.direction == "enabler" and f in NOT_FOR_ENABLERS:
            out.append(Candidate(f, False, "not suggested for an enabler: it works by raising costs or removing options, not by strengthening what helps"))
        else:
            out.append(Candidate(f, True))
    return out


def apease_problems(candidate: Candidate, answers: dict, note: str | None, kept: bool) -> list[str]:
    """Why a rating cannot be saved: keeping a function needs all six criteria answered, and a
    note when any answer is "no" or the function is not suggested for this barrier."""
    if not kept:
        return []
    problems = []
    missing = [APEASE[c] for c in APEASE if answers.get(c) not in ANSWERS]
    if missing:
        problems.append(f"rate every APEASE criterion before keeping {candidate.function} (missing: {', '.join(missing)})")
    if not (note or "").strip():
        if not candidate.suggested:
            problems.append(f"say in a note why {candidate.function} is kept ({candidate.reason})")
        elif any(answers.get(c) == "no" for c in APEASE):
            problems.append(f"say in a note why {candidate.function} is kept although a criterion is answered no")
    problems += [f"the note {p}" for p in personal_data_problems(note or "")]
    problems += [f"the note {p}" for p in _text_problems(note or "", 500)]
    return problems


def kept_functions(apease: pd.DataFrame, barrier_id: str) -> list[str]:
    """The functions the region's group kept for the barrier, in the wheel's order."""
    if apease is None or apease.empty:
        return []
    kept = set(apease.loc[(apease["barrier_id"] == barrier_id) & apease["kept"].astype(bool), "function"])
    return [f for f in wheel().functions if f in kept]


def action_problems(values: dict, kept: list[str], today=None) -> list[str]:
    """Why an action cannot be saved: its text, a kept function, an owner that is a role (not a
    person's name, e-mail or phone number), a due date within ten years, a known status."""
    import datetime as dt

    today = today or dt.date.today()
    problems = []
    text = (values.get("action") or "").strip()
    if not text:
        problems.append("write the action")
    problems += [f"the action {p}" for p in personal_data_problems(text)]
    problems += [f"the action {p}" for p in _text_problems(text, 1000, multiline=True)]
    if values.get("function") not in kept:
        problems.append("choose one of the intervention functions kept through APEASE for this barrier")
    owner = (values.get("owner") or "").strip()
    if not owner:
        problems.append("name the owner's role")
    elif _TITLES.match(owner) or personal_data_problems(owner):
        problems.append("the owner must be a role (for example 'ICB commissioner'), not a person's name or contact details")
    else:
        problems += [f"the owner {p}" for p in _text_problems(owner, 120)]
    due = values.get("due")
    if not isinstance(due, dt.date):
        problems.append("give a due date")
    elif not (dt.date(2020, 1, 1) <= due <= today.replace(year=today.year + 10)):
        problems.append(f"the due date {due:%d/%m/%Y} is not between 2020 and ten years from today")
    if values.get("status") not in ACTION_STATUSES:
        problems.append(f"the status must be one of {', '.join(ACTION_STATUSES)}")
    return problems


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
                               b.behaviour, "shipped", f"Local change to the suggested mapping ({r.source})", study_words=b.study_words,
                               factor_level=b.factor_level, amenable=b.amenable, evidence=b.evidence))
    for r in rows[rows["kind"] == "new"].itertuples():
        out.append(Barrier(r.barrier_id, r.title, r.description or "", r.level, r.direction, split(r.com_b), split(r.tdf),
                           [a for a in (r.actions or "").split("\n") if a.strip()], r.source, r.behaviour, "local", "Local mapping", evidence="local"))
    return out
