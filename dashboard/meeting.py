"""Planning-meeting mode: a sequence of views to step through on a projector (no Streamlit).

The whole state is in the URL (``meeting=1&steps=map,gaps,reach&step=2``), so a link reopens
the same sequence at the same step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    page: str  # url_path of the page
    params: tuple[tuple[str, str], ...] = ()


STEPS: dict[str, Step] = {
    s.key: s
    for s in (
        Step("overview", "Overview", "overview"),
        Step("map", "Deprivation map", "map", (("view", "Map"),)),
        Step("gaps", "Coverage and gaps", "map", (("view", "Coverage and gaps"),)),
        Step("reach", "Baby clinic reach", "reach"),
        Step("barriers", "Priority barriers", "barriers"),
        Step("compare", "Scenario comparison", "value", (("vfm_view", "Compare"),)),
    )
}
DEFAULT_SEQUENCE = ["map", "gaps", "reach", "barriers", "compare"]


def parse(query: dict) -> tuple[bool, list[str], int]:
    """(active, sequence, step index from 0) from the URL's query parameters."""
    active = str(query.get("meeting", "")) in ("1", "true", "True")
    steps = [s for s in str(query.get("steps", "")).split(",") if s in STEPS] or list(DEFAULT_SEQUENCE)
    try:
        step = int(query.get("step", 1)) - 1
    except ValueError:
        step = 0
    return active, steps, min(max(step, 0), len(steps) - 1)


def query_for(steps: list[str], index: int, extra: dict | None = None) -> dict[str, str]:
    """The query parameters of step ``index`` (0-based) of the sequence."""
    step = STEPS[steps[index]]
    return {"meeting": "1", "steps": ",".join(steps), "step": str(index + 1), **dict(step.params), **(extra or {})}
