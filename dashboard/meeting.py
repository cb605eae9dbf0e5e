"""Planning-meeting mode: a sequence of views for one region, stepped through on a projector
(no Streamlit). The whole state is in the URL (``/meeting?meeting=1&meeting_region=NENC&
steps=map,gaps,reach&step=2``), so a link reopens the same sequence at the same step. The
keys are declared in :mod:`dashboard.ui.state`; none is bound to a widget."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.vocabulary import REGION_NAMES


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    view: str  # the view function it renders (dashboard.ui.viewdata.BUILDERS)
    show: str = "chart"  # what it shows under the headline: chart, map or table


STEPS: dict[str, Step] = {
    s.key: s
    for s in (
        Step("overview", "Overview", "overview"),
        Step("map", "Where the gaps are", "coverage", "map"),
        Step("gaps", "Coverage by tier and deprivation", "coverage"),
        Step("reach", "Baby clinic reach", "reach"),
        Step("barriers", "Priority barriers", "barriers"),
        Step("actions", "Action plan", "actions", "table"),
        Step("compare", "Scenario comparison", "scenarios"),
    )
}
DEFAULT_SEQUENCE = ["overview", "map", "gaps", "reach", "barriers", "actions", "compare"]
DEFAULT_REGION = "NENC"


def parse(query: dict) -> tuple[bool, list[str], int, str]:
    """(active, sequence, step index from 0, region) from the URL's query parameters."""
    active = str(query.get("meeting", "")) in ("1", "true", "True")
    steps = [s for s in str(query.get("steps", "")).split(",") if s in STEPS] or list(DEFAULT_SEQUENCE)
    try:
        step = int(query.get("step", 1)) - 1
    except ValueError:
        step = 0
    region = str(query.get("meeting_region", DEFAULT_REGION))
    region = region if region in REGION_NAMES else DEFAULT_REGION
    return active, steps, min(max(step, 0), len(steps) - 1), region


def query_for(steps: list[str], index: int, region: str) -> dict[str, str]:
    """The query parameters of step ``index`` (0-based) of the sequence."""
    return {"meeting": "1", "meeting_region": region, "steps": ",".join(steps), "step": str(index + 1)}
