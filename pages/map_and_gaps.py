"""Map and gaps (planned)."""

from dashboard.ui.planned import planned_page

planned_page(
    "Map and gaps",
    "Where are the infants in our most deprived neighbourhoods who have no parent-infant "
    "relationship support within reach, and what would a new service change?",
    [
        "see a map of neighbourhoods (LSOAs) coloured by deprivation decile, any deprivation domain, or infants aged 0, with a table beside it",
        "keep a register of PAIR services (public, local or illustrative) and import or export it as CSV or Excel",
        "see infants covered and not covered by tier and deprivation quintile, and a ranked list of gaps",
        "place a hypothetical service and see how many infants it would newly reach, by quintile",
    ],
)
