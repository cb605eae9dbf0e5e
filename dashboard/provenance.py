"""The attribution statements the licences require, and the method notes shown with the data."""

ATTRIBUTIONS = [
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(nationalarchives.gov.uk/doc/open-government-licence/version/3/).",
    "Source: Ministry of Housing, Communities and Local Government, English Indices of Deprivation "
    "2019 and 2025. © Crown copyright.",
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0 "
    "(geography lookups, small-area population estimates, Census 2021, rural-urban classification). "
    "Contains National Statistics data © Crown copyright and database right 2025.",
    "Contains OS data © Crown copyright and database right 2025 (boundaries, Code-Point Open).",
    "Contains Royal Mail data © Royal Mail copyright and database right 2025.",
    "GP practice data: NHS England, Organisation Data Service, licensed under the Open Government Licence v3.0.",
    "LSOA 2011 GeoJSON conversion by Martin Chorley (github.com/martinjc/UK-GeoJSON), CC BY 4.0.",
]

METHOD_NOTES = {
    "Regions": "An LSOA belongs to NHS North East and North Cumbria (E54000050) or NHS Bristol, "
    "North Somerset and South Gloucestershire (E54000039) by the ONS LSOA -> sub-ICB -> ICB lookup "
    "(April 2024 for 2021 LSOAs, July 2022 for 2011 LSOAs), never by local authority: the six Millom "
    "LSOAs of Cumberland belong to Lancashire and South Cumbria ICB, and only the former Eden part "
    "of Westmorland and Furness is in NENC.",
    "Deprivation": "Decile 1 is the most deprived 10% of LSOAs in England (national deciles as "
    "published); quintile 1 joins deciles 1 and 2. The English Indices of Deprivation 2025 are the "
    "default; the 2019 indices, on 2011 LSOAs, are kept as the previous index (the copy used has "
    "ranks and deciles but no scores).",
    "Infants": "Infants aged 0 and children aged 0-4 are the ONS mid-2020 small-area estimates on 2011 "
    "LSOAs. For 2021 LSOAs they are carried through the ONS 2011 -> 2021 LSOA lookup: an unchanged "
    "LSOA keeps its count, a merged one receives the sum, and a split one a share in proportion to "
    "its Census 2021 residents aged 0-15; totals are conserved. Figures are estimates and are shown rounded.",
    "Boundaries": "LSOA polygons are simplified for the web as a coverage (shared edges simplified "
    "once, so no gaps open between neighbours); local-authority, sub-ICB and ICB outlines are "
    "dissolved from them. Postcodes are placed in LSOAs by point in polygon on the unsimplified boundaries.",
}
