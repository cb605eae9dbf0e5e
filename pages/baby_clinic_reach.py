"""Baby clinic reach (planned)."""

from dashboard.ui.planned import planned_page

planned_page(
    "Baby clinic reach",
    "Do health-visitor baby clinics reach families in the most deprived neighbourhoods? "
    "Answered from a provider's own attendance extract.",
    [
        "upload an attendance extract (CSV or Excel), map its columns and see every problem by row and column before anything is used",
        "see reach per 1,000 infants by deprivation quintile and decile, with confidence intervals, the gap between the most and least deprived, and the slope index of inequality",
        "see continued use, trends by month, and who attends against the resident infant population",
        "try it first on a clearly labelled synthetic demonstration extract",
    ],
)
