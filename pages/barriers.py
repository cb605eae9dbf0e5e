"""Barriers (BCW) (planned)."""

from dashboard.ui.planned import planned_page

planned_page(
    "Barriers (BCW)",
    "The barriers and enablers to commissioning parent-infant relationship services that "
    "commissioners in North East and North Cumbria described (McSweeney et al., 2025), organised by "
    "the Behaviour Change Wheel.",
    [
        "filter barriers by COM-B component, Theoretical Domains Framework domain, level and direction",
        "see which intervention functions and policy categories each barrier points to, on a drawn Behaviour Change Wheel",
        "run a local prioritisation workshop: rate how much each barrier applies and how changeable it is",
        "record families' barriers to using baby clinics beside commissioners' barriers",
    ],
)
