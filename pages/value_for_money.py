"""Value for money (planned)."""

from dashboard.ui.planned import planned_page

planned_page(
    "Value for money",
    "Build a defensible what-if case for funding parent-infant relationship support, with every "
    "default sourced and every illustrative figure labelled.",
    [
        "set budget, reach, uptake, effect and costs for an ICB or local authority and see families reached, benefits, net present value and payback",
        "see a sensitivity tornado and a probabilistic range of results",
        "allocate reach across deprivation quintiles and see the effect on equity",
        "save, compare and share named scenarios",
    ],
)
