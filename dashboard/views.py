"""One view-model per screen (no Streamlit, no SQL).

Each function takes a region, the screen's filters and plain data (DataFrames that the UI layer
loaded through ``data_access``) and returns one :class:`~dashboard.viewmodel.View`: its headline
metrics, its tables (already through :func:`~dashboard.suppression.suppress` where they count
people), its charts' data, one sentence a commissioner could read out, its caveats and its source.
The page, the meeting step and the briefing pack all render these objects; none computes a number.

Region scoping is part of every view: only the region's LSOAs, services, workshops and scenarios
enter it.
"""

from __future__ import annotations

import pandas as pd

from dashboard import bcw, reach, vfm
from dashboard.coverage import (
    COUNTS_AS,
    TIER_LABELS,
    TIER_MEANING,
    TIER_ORDER,
    counted_services,
    gap_areas,
    gap_lsoas,
    lsoa_coverage,
    tier_table,
)
from dashboard.coverage import reach as reach_pairs
from dashboard.coverage import view_summary
from dashboard.formatting import fmt, interval, sii_sentence
from dashboard.overview import area_summary
from dashboard.regions import BOTH, filter_region, place_name
from dashboard.suppression import DEFAULT_THRESHOLD, suppress
from dashboard.viewmodel import Chart, Column, Metric, Table, View
from dashboard.vocabulary import INDEXES, INFANTS_SOURCE, REGION_NAMES

ILLUSTRATIVE_FLAG = "Includes illustrative services: synthetic demonstration data, not real services"
SYNTHETIC_FLAG = "SYNTHETIC demonstration extract: no real child or family is in it"
HYPOTHETICAL_FLAG = "Includes hypothetical sites that are not commissioned"
TIER_PHRASES = {"specialist": "a specialised PAIR team", "targeted": "targeted support", "universal": "universal services"}
SPECIALIST = TIER_LABELS["specialist"]  # the headline metric's label
REACH_DEFINITION = (
    "Reach: infants attending per 1,000 infant-years at risk, annualised. Infants attending are children seen at least once "
    "in the period while under one year old (under 52 weeks), counted once; infant-years at risk are the infants aged 0 "
    "resident times the length of the period in years, so an extract of any length gives a yearly rate. 95% Byar intervals."
)
UNIT = "per 1,000 infant-years"
OBSERVED_NOTE = ("Uptake = families seen / referrals; completion = completions / families seen; share improving = families who improved / "
                 "families measured before and after. Counts below 5 are hidden with the shares made from them.")
REACH_DEPENDENT = {
    "infants_attending": ["reach_per_1000", "reach_lower", "reach_upper", "median_attendances"],
    "attendances": ["attendances_per_1000", "attendances_lower", "attendances_upper"],
    "two_plus": ["share_two_plus", "two_plus_lower", "two_plus_upper"],
}


def _lower_first(label: str) -> str:
    """'Cost per family (GBP)' -> 'cost per family (GBP)': mid-sentence, acronyms kept."""
    return label[:1].lower() + label[1:]


def _pct(part: float, whole: float) -> str:
    return fmt(part / whole if whole else None, "percent")


# --------------------------------------------------------------------------------------------
# Overview


def overview_view(region: str, index: str, lsoas: pd.DataFrame, services: pd.DataFrame, include_illustrative: bool = False) -> View:
    """Where infants live and how deprived their neighbourhoods are, with the specialist coverage
    headline. ``lsoas``: both regions' LSOAs for ``index``; the comparison chart shows both ICBs
    on one scale whatever the region."""
    summary = area_summary(lsoas)
    scoped = filter_region(summary, region)
    icbs = scoped[scoped["level"] == "ICB"]
    las = scoped[scoped["level"] != "ICB"]
    cov_view = coverage_view(region, index, lsoas, services, include_illustrative=include_illustrative)
    infants = float(icbs["infants_0"].sum())
    lsoa_n = int(icbs["lsoas"].sum())
    decile1 = float(icbs["lsoas_most_deprived_decile"].sum()) / lsoa_n if lsoa_n else None
    metrics = [
        Metric("Neighbourhoods (LSOAs)", lsoa_n, "count"),
        Metric("Infants aged 0", infants, "infants", help=INFANTS_SOURCE),
        Metric("LSOAs in England's most deprived 10%", decile1, "percent1", detail="England: 10% by definition",
               help=f"Share of the region's LSOAs in national decile 1 of the {INDEXES[index].label}"),
        cov_view.metrics[1],
    ]
    top = las.sort_values("share_most_deprived_decile", ascending=False).iloc[0] if len(las) else None
    place = place_name(region)
    spec = cov_view.extras["summary"]["specialist_infants"]
    reach_clause = (f"{fmt(spec, 'infants')} of its {fmt(infants, 'infants')} infants aged 0 ({_pct(spec, infants)}) live within reach of a "
                    "specialised parent-infant relationship team" if spec > 0 else
                    f"none of its {fmt(infants, 'infants')} infants aged 0 lives within reach of a specialised parent-infant relationship team")
    sentence = f"In {place}, {fmt(decile1, 'percent1')} of neighbourhoods are among England's most deprived 10% (England: 10%); {reach_clause}."
    table = Table(
        "areas", "Areas: ICBs and local authorities (part in the ICB)", scoped.reset_index(drop=True),
        [Column("name", "Area"), Column("region", "ICB"), Column("level", "Level"), Column("lsoas", "LSOAs", "count"),
         Column("infants_0", "Infants aged 0", "infants"), Column("lsoas_most_deprived_decile", "LSOAs in decile 1", "count"),
         Column("share_most_deprived_decile", "Share in decile 1", "percent1"), Column("code", "Code")],
    )
    both = summary[summary["level"] == "ICB"]
    compare = Chart(
        "icb_compare", "Share of LSOAs in England's most deprived 10%: both ICBs on one scale", "share_with_reference",
        # short names on the axis: the full ones leave a narrow column no room for the bars (they are in the summary)
        pd.DataFrame({"name": both["region"] + " ICB", "region": both["region"], "share": both["share_most_deprived_decile"]}),
        " ".join(f"{r['name']}: {fmt(r['share_most_deprived_decile'], 'percent1')}." for _, r in both.iterrows()) + " England: 10%.",
        {"x_title": "Share of LSOAs in national decile 1", "x_max": 0.6, "step": 34},
    )
    by_la = Chart(
        "la_shares", f"{INDEXES[index].short}: share of LSOAs in the most deprived decile, by local authority", "share_with_reference",
        pd.DataFrame({"name": las["name"], "region": las["region"], "share": las["share_most_deprived_decile"]}),
        (f"Highest share in {top['name']} ({fmt(top['share_most_deprived_decile'], 'percent1')})." if top is not None else ""),
        {"x_title": "Share of LSOAs in national decile 1", "x_max": 0.6},
    )
    return View(
        "overview", "Overview", region, "Where do infants live, and how deprived are their neighbourhoods?", sentence,
        metrics, [table], [compare, by_la], cov_view.caveats,
        f"{INDEXES[index].label} (MHCLG, OGL v3); {INFANTS_SOURCE}; ONS LSOA -> sub-ICB -> ICB lookups; PAIR Atlas service register",
        ["Decile 1 is the most deprived 10% of neighbourhoods (LSOAs) in England, so England's own share is 10%.",
         "Parent-infant relationship (PAIR) services help parents and babies whose early relationship is under strain; "
         "the first 1,001 days shape a child's later health, and infants cannot ask for help themselves."],
    )


# --------------------------------------------------------------------------------------------
# Coverage and gaps


def coverage_view(
    region: str,
    index: str,
    lsoas: pd.DataFrame,
    services: pd.DataFrame,
    *,
    include_illustrative: bool = False,
    counts_as: str = "specialist",
    lad: str | None = None,
    hypothetical: pd.DataFrame | None = None,
) -> View:
    """Coverage by tier (specialist first), and the gaps, for the region (or one local
    authority in it). Illustrative services count only when ``include_illustrative``."""
    whole = filter_region(lsoas, region)
    counted = counted_services(services, include_illustrative)
    hypo = hypothetical if hypothetical is not None and len(hypothetical) else None
    if hypo is not None:
        counted = pd.concat([counted, hypo], ignore_index=True)
    all_pairs = reach_pairs(whole, counted)
    cov_region = lsoa_coverage(whole, counted, all_pairs, counts_as=counts_as)
    scope = whole if not lad else whole[whole["lad_code"] == lad]
    cov = cov_region if not lad else cov_region[cov_region["lad_code"] == lad].reset_index(drop=True)
    pairs = all_pairs[all_pairs["lsoa_code"].isin(set(scope["lsoa_code"]))]
    v = view_summary(cov)
    place = scope["lad_name"].iloc[0] if lad and len(scope) else place_name(region)
    infants = v["infants"]
    reaching = counted[counted["id"].isin(set(pairs["service_id"]))] if len(counted) else counted
    statuses = reaching["status"].value_counts().to_dict() if len(reaching) else {}

    metrics = [Metric("Infants aged 0", infants, "infants", help=INFANTS_SOURCE)]
    for tier in TIER_ORDER:
        metrics.append(Metric(TIER_LABELS[tier], v[f"{tier}_infants"], "infants",
                              detail=f"infants aged 0 within reach ({_pct(v[f'{tier}_infants'], infants)})",
                              help=f"Infants aged 0 living where {TIER_MEANING[tier]} is commissioned or within its travel distance"))
    without = TIER_PHRASES["specialist"] if counts_as == "specialist" else f"{TIER_PHRASES[counts_as]} or more specialised support"
    metrics.append(Metric("Quintile 1 without cover", v["q1_uncovered_infants"], "infants",
                          detail=f"of {fmt(v['q1_infants'], 'infants')} infants in the most deprived fifth (national IMD quintile 1) without {without}"))

    spec = v["specialist_infants"]
    if spec > 0:
        sentence = (f"In {place}, {fmt(spec, 'infants')} of {fmt(infants, 'infants')} infants aged 0 ({_pct(spec, infants)}) live within reach "
                    f"of a specialised parent-infant relationship team; {fmt(v['q1_uncovered_infants'], 'infants')} infants in England's most "
                    f"deprived fifth of neighbourhoods are without {without}.")
    else:
        sentence = (f"In {place}, none of the {fmt(infants, 'infants')} infants aged 0 lives within reach of a specialised parent-infant "
                    f"relationship team; {fmt(v['q1_uncovered_infants'], 'infants')} of them are in England's most deprived fifth of neighbourhoods.")
        if counts_as != "specialist":
            sentence = sentence.rsplit(";", 1)[0] + f"; {fmt(v['q1_uncovered_infants'], 'infants')} infants in the most deprived fifth are without {without}."

    q = tier_table(cov)
    quint = Table("coverage_by_quintile", "Infants aged 0 within reach, by national IMD quintile and tier", q, [
        Column("quintile", "IMD quintile (1 = most deprived)", "int"), Column("lsoas", "LSOAs", "count"), Column("infants", "Infants aged 0", "infants"),
        *[Column(f"{t}_infants", f"Within reach: {TIER_PHRASES[t]}", "infants") for t in TIER_ORDER],
        Column("share_specialist", "Share with a specialised team", "percent"),
        Column("uncovered_infants", f"Without {without}", "infants"),
    ])
    long = pd.DataFrame([
        {"quintile": int(r["quintile"]), "tier": TIER_LABELS[t], "infants": float(r[f"{t}_infants"]),
         "share": float(r[f"{t}_infants"] / r["infants"]) if r["infants"] else 0.0}
        for _, r in q.iterrows() for t in TIER_ORDER
    ])
    chart = Chart("tiers", f"Share of infants aged 0 within reach, by tier and deprivation: {place}", "tiers_by_quintile", long,
                  f"Within reach of a specialised PAIR team: quintile 1 {_pct(q.loc[0, 'specialist_infants'], q.loc[0, 'infants'])}, "
                  f"quintile 5 {_pct(q.loc[4, 'specialist_infants'], q.loc[4, 'infants'])}; of universal services: quintile 1 "
                  f"{_pct(q.loc[0, 'universal_infants'], q.loc[0, 'infants'])}, quintile 5 {_pct(q.loc[4, 'universal_infants'], q.loc[4, 'infants'])}.")
    areas = gap_areas(cov_region)
    area_table = Table("gap_areas", "Gaps: local authorities ranked by deprivation-weighted infants without cover", areas, [
        Column("rank", "Rank", "int"), Column("lad_name", "Local authority"), Column("region", "ICB"), Column("infants", "Infants aged 0", "infants"),
        Column("uncovered_infants", f"Without {without}", "infants"), Column("share_uncovered", "Share without", "percent"),
        Column("uncovered_lsoas_decile_1_2", "LSOAs in deciles 1-2 without", "count"), Column("gap_score", "Deprivation-weighted gap", "infants"),
    ], note="Deprivation-weighted gap: infants without cover x (11 - IMD decile) / 10, so an infant in decile 1 counts 1.0 and in decile 10 counts 0.1.")
    gaps = gap_lsoas(cov)
    lsoa_table = Table("gap_lsoas", "Gaps: neighbourhoods ranked by deprivation-weighted infants without cover", gaps, [
        Column("rank", "Rank", "int"), Column("lsoa_code", "LSOA"), Column("lsoa_name", "Name"), Column("lad_name", "Local authority"),
        Column("imd_decile", "IMD decile", "int"), Column("infants_0", "Infants aged 0", "infants"), Column("gap_score", "Deprivation-weighted gap", "decimal1"),
    ])
    in_view = Table("lsoas", "Neighbourhoods in view", cov.sort_values(["imd_decile", "lsoa_code"]).reset_index(drop=True), [
        Column("lsoa_code", "LSOA"), Column("lsoa_name", "Name"), Column("lad_name", "Local authority"), Column("imd_decile", "IMD decile", "int"),
        Column("infants_0", "Infants aged 0", "infants"), Column("services", "Services reaching it"),
    ])
    caveats = []
    if include_illustrative:
        caveats.append(ILLUSTRATIVE_FLAG)
    if hypo is not None:
        caveats.append(f"{HYPOTHETICAL_FLAG} ({len(hypo)})")
    counted_text = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    notes = [
        "A service reaches a neighbourhood when the neighbourhood is in the service's commissioned footprint (local authorities, "
        "sub-ICB locations or ICB) or its centre is within the service's travel distance (straight line).",
        f"Services counted: {counted_text or 'none'} reaching {place}."
        + ("" if include_illustrative else " Illustrative (synthetic) services are left out unless you include them."),
        f"Uncovered LSOAs in national IMD deciles 1-2: {fmt(v['uncovered_deprived_lsoas'], 'count')} of {fmt(v['deprived_lsoas'], 'count')} "
        f"({fmt(v['uncovered_deprived_infants'], 'infants')} infants aged 0).",
    ]
    view = View(
        "coverage", "Coverage and gaps", region, "Which infants live within reach of parent-infant relationship support, and where are the gaps?",
        sentence, metrics, [quint, area_table, lsoa_table, in_view], [chart], caveats,
        f"{INDEXES[index].label} (MHCLG); {INFANTS_SOURCE}; PAIR Atlas service register", notes,
    )
    view.extras = {"coverage": cov_region, "summary": v, "counts_as": counts_as, "services": counted, "pairs": all_pairs}
    return view


# --------------------------------------------------------------------------------------------
# Baby clinic reach


def reach_view(
    region: str,
    lsoas: pd.DataFrame,
    valid: pd.DataFrame,
    synthetic: bool,
    *,
    lad: str | None = None,
    clinic: str | None = None,
    groups: str = "quintile",
    register_lsoas: set[str] | None = None,
    register: pd.DataFrame | None = None,
    repetitions: int = 20000,
) -> View:
    """Reach of baby clinics by deprivation for the region (or a local authority, or one
    clinic's catchment), from a checked extract. Every count of people is suppressed.
    ``register``: the service register; when the extract does not cover every baby clinic of
    the area in it, reach is measured against the extract's clinics' catchments, with a note."""
    scope = filter_region(lsoas, region)
    area = scope if not lad else scope[scope["lad_code"] == lad]
    kids = reach.children(valid)
    scope_text = "all clinics"
    denominator_note = ""
    if clinic:
        area, basis = reach.clinic_catchment(kids, clinic, area, register_lsoas)
        kids = kids[kids["clinic"] == clinic]
        scope_text = f"{clinic} (catchment: {basis})"
    elif register is not None:
        clinics_reg = register[register["service_type"] == "health-visitor baby clinic"] if len(register) else register
        pairs = reach_pairs(area, clinics_reg) if len(clinics_reg) else pd.DataFrame(columns=["lsoa_code", "service_id"])
        names = dict(zip(clinics_reg["id"], clinics_reg["name"])) if len(clinics_reg) else {}
        catchments = pairs.assign(name=pairs["service_id"].map(names)).groupby("name")["lsoa_code"].agg(set).to_dict() if len(pairs) else {}
        area, denominator_note, whole = reach.extract_catchment(kids[kids["lsoa_code"].isin(set(area["lsoa_code"]))], area, catchments)
        if not whole:
            scope_text = f"the {kids['clinic'].nunique()} clinics in the extract, against their catchments"
    kids_here = kids[kids["lsoa_code"].isin(set(area["lsoa_code"]))]
    years = reach.period_years(valid)
    table = reach.reach_table(kids_here, area, f"imd_{groups}", years)
    shown = suppress(table, ["infants_attending", "attendances", "two_plus"], dependent=REACH_DEPENDENT)
    grad = reach.gradient(table, repetitions=repetitions)
    total_att, total_reach = reach.overall(table)
    used = int(table["attendances"].sum())
    period = (valid["attendance_date"].min(), valid["attendance_date"].max()) if len(valid) else (None, None)
    period_text = f"{period[0]:%d %b %Y} to {period[1]:%d %b %Y}" if period[0] is not None else "no period"
    n = len(table)
    hide_ends = bool(shown.mask["infants_attending"].iloc[[0, -1]].any())
    place = scope["lad_name"].iloc[0] if lad and len(scope) else place_name(region)

    metrics = [
        Metric("Infants attending", total_att, "count", suppressed=total_att is None),
        Metric("Reach per 1,000 infant-years", total_reach, "rate0", suppressed=total_reach is None,
               help=f"Annualised over {years:.2f} years; denominator: {INFANTS_SOURCE}"),
        Metric(f"{groups.capitalize()} 1 : {groups} {n} ratio", None if hide_ends else grad.ratio, "ratio", suppressed=hide_ends,
               help="Reach in the most deprived group divided by reach in the least deprived"),
        Metric("SII, per 1,000 infant-years", grad.sii_per_1000, "signed0",
               detail="positive: lower reach in the most deprived areas" if grad.sii_per_1000 is not None else "",
               help="Slope index of inequality: fitted reach at the least deprived end minus at the most deprived end"),
        Metric("Attendances used", used if used >= DEFAULT_THRESHOLD else None, "count", suppressed=used < DEFAULT_THRESHOLD,
               help="Attendances of the infants counted in these figures"),
    ]
    sii_text = sii_sentence(grad.sii_per_1000, grad.sii_ci, "reach", UNIT)
    if total_reach is not None:
        sentence = (f"In {place}, baby clinics ({scope_text}) reached {fmt(total_reach, 'rate0')} infants {UNIT} (annualised) "
                    f"from {period_text}. {sii_text}")
    else:
        sentence = f"In {place}, too few infants attended ({scope_text}) to show reach without revealing small numbers."
    details = []
    if grad.ratio is not None and not hide_ends:
        details.append(f"Reach in {groups} 1 is {fmt(grad.ratio, 'ratio')} times reach in {groups} {n} (95% CI {interval(*grad.ratio_ci, 'ratio')}); "
                       f"the difference is {fmt(grad.gap_per_1000, 'signed0')} {UNIT} (95% CI {interval(*grad.gap_ci, 'signed0')}).")
    if grad.rii is not None:
        details.append(f"RII {fmt(grad.rii, 'ratio')} (95% CI {interval(*grad.rii_ci, 'ratio')}), OHID definition: fitted reach at the least "
                       "deprived end divided by the most deprived end.")
    if grad.note:
        details.append(grad.note)

    label = f"IMD {groups} (1 = most deprived)"
    people = ("infants_attending", "attendances", "two_plus")
    reach_t = Table.from_suppressed("reach", f"Reach by national IMD {groups}", shown, [
        Column("group", label, "int"), Column("infants_resident", "Infants aged 0", "infants"), Column("infant_years", "Infant-years at risk", "infants"),
        Column("infants_attending", "Infants attending", "count"),
        Column("reach_per_1000", "Reach per 1,000 infant-years", "rate"), Column("reach_lower", "95% lower", "rate"), Column("reach_upper", "95% upper", "rate"),
        Column("attendances", "Attendances", "count"), Column("attendances_per_1000", "Attendances per 1,000 infant-years", "rate"),
        Column("share_two_plus", "Came 2+ times", "percent"), Column("median_attendances", "Median attendances", "decimal1"),
    ], people)
    continued = Table.from_suppressed("continued", "Continued use: infants who came two or more times", shown, [
        Column("group", label, "int"), Column("infants_attending", "Infants attending", "count"), Column("two_plus", "Came 2+ times", "count"),
        Column("share_two_plus", "Share 2+ times", "percent"), Column("two_plus_lower", "95% lower", "percent"), Column("two_plus_upper", "95% upper", "percent"),
        Column("median_attendances", "Median attendances", "decimal1"),
    ], people)
    month = reach.monthly(valid, kids_here)
    month_s = suppress(month, ["attendances", "infants_attending"])
    months = Table.from_suppressed("months", "Attendances of infants, by month", month_s, [
        Column("month", "Month"), Column("attendances", "Attendances", "count"), Column("infants_attending", "Infants attending", "count"),
    ], ("attendances", "infants_attending"))
    la = reach.by_local_authority(kids_here, area, years)
    la_s = suppress(la, ["infants_attending"], lines=[["region"]], dependent={"infants_attending": ["reach_per_1000", "reach_lower", "reach_upper"]})
    las = Table.from_suppressed("by_local_authority", "Reach by local authority", la_s, [
        Column("lad_name", "Local authority"), Column("region", "ICB"), Column("infants_resident", "Infants aged 0", "infants"),
        Column("infants_attending", "Infants attending", "count"), Column("reach_per_1000", "Reach per 1,000 infant-years", "rate0"),
        Column("reach_lower", "95% lower", "rate0"), Column("reach_upper", "95% upper", "rate0"),
    ], ("infants_attending",))
    prof = reach.profile(valid, kids_here, area)
    q_s = suppress(prof["quintile"], ["infants_attending"], dependent={"infants_attending": ["share_of_attending"]})
    tables = [reach_t, continued, months, las, Table.from_suppressed("who_attends", "Attending infants against resident infants, by IMD quintile", q_s, [
        Column("quintile", "IMD quintile (1 = most deprived)", "int"), Column("infants_attending", "Infants attending", "count"),
        Column("infants_resident", "Infants aged 0", "infants"), Column("share_of_attending", "Share of attending", "percent1"),
        Column("share_of_resident", "Share of resident", "percent1"),
    ], ("infants_attending",))]
    chart_data = pd.DataFrame({"group": shown.table["group"], "value": shown.table["reach_per_1000"].astype(float),
                               "lower": shown.table["reach_lower"].astype(float), "upper": shown.table["reach_upper"].astype(float)})
    shown_rows = chart_data.dropna(subset=["value"])
    chart_text = ("; ".join(f"{groups} {int(r.group)}: {fmt(r.value, 'rate')} ({interval(r.lower, r.upper, 'rate')})" for r in shown_rows.itertuples())
                  + f". Infants attending {UNIT} with 95% intervals; hidden groups are suppressed.") if len(shown_rows) else "All groups are suppressed."
    reach_chart = Chart("reach", f"Reach by national IMD {groups}, with 95% intervals: {place}", "bars_with_intervals", chart_data, chart_text,
                        {"x_title": f"National IMD {groups} (1 = most deprived)", "y_title": f"Infants attending {UNIT} (annualised)"})
    month_rows = month_s.table[~month_s.mask.any(axis=1)]
    month_data = pd.DataFrame({"month": month_rows["month"], "value": month_rows["attendances"].astype(float)})
    ends = reach.extremes(month_data.rename(columns={"value": "attendances"}), "attendances", "month")
    month_chart = Chart("months", "Attendances of infants, by month", "line_by_month", month_data,
                        f"Attendances were highest in {ends[0]} ({fmt(ends[1], 'count')}) and lowest in {ends[2]} ({fmt(ends[3], 'count')})." if ends else "All months are suppressed.",
                        {"y_title": "Attendances"})
    caveats = [SYNTHETIC_FLAG] if synthetic else []
    if denominator_note and "not every baby clinic" in denominator_note:
        caveats.append(denominator_note)
    source = ("Baby clinic attendance extract" + (" (SYNTHETIC demo)" if synthetic else "") + f", {period_text}; {INFANTS_SOURCE}; MHCLG IoD 2025; "
              f"reach = infants seen while under one per 1,000 infant-years at risk, annualised over {years:.2f} years")
    notes = [REACH_DEFINITION, f"Denominator: {INFANTS_SOURCE}, for activity from {period_text} ({years:.2f} years at risk). {denominator_note}".strip(),
             " ".join(details), shown.note,
             f"{scope_text.capitalize()}; {fmt(used, 'count') if used >= DEFAULT_THRESHOLD else '[c]'} attendances of the infants counted."]
    view = View("reach", "Baby clinic reach", region, "Do baby clinics reach families in the most deprived neighbourhoods?", sentence, metrics, tables,
                [reach_chart, month_chart], caveats, source, [n for n in notes if n])
    view.extras = {"gradient": grad, "period": period, "scope": scope_text, "details": " ".join(details), "area": area}
    return view


# --------------------------------------------------------------------------------------------
# Who attends and why


def who_attends_view(region: str, lsoas: pd.DataFrame, valid: pd.DataFrame, synthetic: bool, ethnicity: pd.DataFrame,
                     register: pd.DataFrame | None = None) -> View:
    """Who attends and why: reason and who attended by quintile and by clinic; parent age,
    first-time parent and interpreter need by quintile; attenders' ethnic groups against the
    resident population of the same neighbourhoods; clinics ranked for where to observe.
    Every count of infants is suppressed (both margins of each two-way table)."""
    scope = filter_region(lsoas, region)
    kids = reach.children(valid)
    area, note, _ = reach.extract_catchment(kids[kids["lsoa_code"].isin(set(scope["lsoa_code"]))], scope,
                                            _register_clinics(scope, register)[0]) if register is not None else (scope, "", True)
    kids = kids[kids["lsoa_code"].isin(set(area["lsoa_code"]))]
    first = reach.first_attendances(valid, kids, area)
    place = place_name(region)
    tables = []

    def two_way(field: str, by: str, by_label: str):
        if field not in first or first[field].isna().all():
            return
        long = reach.crosstab(first, field, by)
        shown = suppress(long, ["infants"], lines=[["group"], ["value"]], dependent={"infants": ["share"]})
        title = reach.PROFILE_FIELDS[field]
        tables.append(Table.from_suppressed(f"{field}_by_{by}", f"{title} by {by_label}", shown, [
            Column("group", by_label[:1].upper() + by_label[1:]), Column("value", title), Column("infants", "Infants attending", "count"),
            Column("share", f"Share of the {by_label}'s infants", "percent")], ("infants",)))

    def by_clinic(field: str):
        """Clinic by value, wide (a column per value); each count suppressed against its clinic's
        and its value's totals."""
        if field not in first or first[field].isna().all():
            return
        long = reach.crosstab(first, field, "clinic")
        shown = suppress(long, ["infants"], lines=[["group"], ["value"]])
        values = sorted(long["value"].unique())
        keys = {v: f"v{i}" for i, v in enumerate(values)}
        def wide(frame):
            return frame.assign(group=long["group"], value=long["value"]).pivot(index="group", columns="value", values="infants").reindex(columns=values)
        frame = wide(shown.table).rename(columns=keys).rename_axis(columns=None).reset_index().rename(columns={"group": "clinic"})
        mask = wide(shown.mask.astype(bool)).rename(columns=keys).reset_index(drop=True).astype(bool)
        title = reach.PROFILE_FIELDS[field]
        tables.append(Table(f"{field}_by_clinic", f"{title} by clinic (infants attending)", frame,
                            [Column("clinic", "Clinic")] + [Column(keys[v], v, "count") for v in values], mask, tuple(keys.values()), note=shown.note))

    for field in ("reason", "attended_by"):
        two_way(field, "imd_quintile", "IMD quintile")
        by_clinic(field)
    for field in ("parent_age_band", "first_time_parent", "interpreter"):
        two_way(field, "imd_quintile", "IMD quintile")
    eth = reach.ethnicity_against_population(first, ethnicity, set(area["lsoa_code"]))
    eth_s = suppress(eth, ["infants_attending"], dependent={"infants_attending": ["share_attending"]})
    tables.append(Table.from_suppressed("ethnicity", "Attending infants' ethnic groups against the residents of the same neighbourhoods", eth_s, [
        Column("ethnic_group", "Ethnic group (Census 2021, five groups)"), Column("infants_attending", "Infants attending", "count"),
        Column("share_attending", "Share of attending (stated)", "percent1"), Column("residents", "Residents, all ages", "infants"),
        Column("share_residents", "Share of residents", "percent1")], ("infants_attending",),
        note="Residents are Census 2021 usual residents of all ages in the same LSOAs, in five groups: there is no infant-only count by ethnic "
             "group for small areas, so differences in age structure between groups also show here."))
    ranking = reach.clinic_ranking(first)
    rank_s = suppress(ranking, ["infants", "from_q1", "interpreter"], lines=[["clinic"]],
                      dependent={"from_q1": ["share_q1"], "interpreter": ["share_interpreter"], "infants": ["share_q1", "share_interpreter"]})
    tables.append(Table.from_suppressed("clinic_ranking", "Clinics ranked by the share of their infants from the most deprived quintile", rank_s, [
        Column("rank", "Rank", "int"), Column("clinic", "Clinic"), Column("infants", "Infants attending", "count"),
        Column("share_q1", "Share from quintile 1", "percent"), Column("share_interpreter", "Share needing an interpreter", "percent1")],
        ("infants", "from_q1", "interpreter")))
    visible = ~(rank_s.mask["infants"] | rank_s.mask["from_q1"])
    top = ranking[visible.to_numpy()].iloc[0] if visible.any() else None
    sentence = (f"In {place}, the clinic with the largest share of its infants from England's most deprived fifth of neighbourhoods is "
                f"{top['clinic']} ({fmt(top['share_q1'], 'percent')} of {fmt(top['infants'], 'count')} infants): a place to observe."
                if top is not None else f"In {place}, too few infants attended to rank clinics without revealing small numbers.")
    caveats = ([SYNTHETIC_FLAG] if synthetic else []) + ([note] if "not every baby clinic" in note else [])
    return View("who_attends", "Who attends and why", region, "Who comes to baby clinics, why, and which clinics serve the most deprived families?",
                sentence, [], tables, [], caveats, f"Baby clinic attendance extract; Census 2021 TS021 ethnic group (ONS); {INFANTS_SOURCE}",
                ["Counted at each infant's first attendance in the period."])


# --------------------------------------------------------------------------------------------
# Clinic models, before and after


def _register_clinics(area: pd.DataFrame, register: pd.DataFrame | None) -> tuple[dict[str, set[str]], dict[str, str]]:
    """(clinic name -> LSOAs of its register catchment, clinic name -> model) for the area's baby clinics."""
    if register is None or not len(register):
        return {}, {}
    clinics = register[register["service_type"] == "health-visitor baby clinic"]
    pairs = reach_pairs(area, clinics)
    names = dict(zip(clinics["id"], clinics["name"]))
    catchments = pairs.assign(name=pairs["service_id"].map(names)).groupby("name")["lsoa_code"].agg(set).to_dict() if len(pairs) else {}
    models = {n: m for n, m in zip(clinics["name"], clinics.get("clinic_model", pd.Series(index=clinics.index, dtype=object))) if isinstance(m, str)}
    return catchments, models


def clinic_model_view(region: str, lsoas: pd.DataFrame, valid: pd.DataFrame, synthetic: bool, register: pd.DataFrame | None,
                      split=None, repetitions: int = 20000) -> View:
    """Does a social, relationship-focused model of baby clinics reach families better than a
    traditional drop-in, and does the gap narrow after a change? Reach by clinic model (each
    against its clinics' catchments), the difference with its interval, and, split at a date,
    reach by quintile and the SII before and after."""
    area = filter_region(lsoas, region)
    place = place_name(region)
    catchments, register_models = _register_clinics(area, register)
    kids = reach.children(valid)
    kids = kids[kids["lsoa_code"].isin(set(area["lsoa_code"]))]
    models = reach.clinic_models(valid[valid["clinic"].isin(set(kids["clinic"]))], register_models)
    years = reach.period_years(valid)
    by_model = reach.reach_by_model(kids, area, models, catchments, years)
    shown = suppress(by_model, ["infants_attending", "two_plus"], lines=[["model"]],
                     dependent={"infants_attending": ["reach_per_1000", "reach_lower", "reach_upper", "share_two_plus"], "two_plus": ["share_two_plus"]})
    shown.table["label"] = shown.table["model"].map(lambda m: reach.CLINIC_MODELS.get(m, m))
    model_cols = [Column("label", "Clinic model"), Column("clinics", "Clinics", "count"), Column("lsoas", "LSOAs in their catchments", "count"),
                  Column("infants_resident", "Infants aged 0", "infants"), Column("infants_attending", "Infants attending", "count"),
                  Column("reach_per_1000", f"Reach {UNIT}", "rate"), Column("reach_lower", "95% lower", "rate"), Column("reach_upper", "95% upper", "rate"),
                  Column("share_two_plus", "Came 2+ times", "percent")]
    tables = [Table.from_suppressed("by_model", "Reach by clinic model", shown, model_cols, ("infants_attending", "two_plus"))]
    diff = reach.model_difference(by_model)
    hidden = bool(shown.mask["infants_attending"].any())
    if diff is None or hidden:
        sentence = (f"In {place}, the data do not hold both clinic models with enough infants to compare them "
                    "(record each clinic's model in the service register or the extract).")
    else:
        r = by_model.set_index("model")
        verdict = ("the data can tell the two models apart" if diff["distinguishable"] else
                   "the interval includes no difference, so the data cannot tell the two models apart")
        sentence = (f"In {place}, social clinics reached {fmt(r.loc['social', 'reach_per_1000'], 'rate0')} infants {UNIT} in their catchments and "
                    f"drop-in clinics {fmt(r.loc['drop-in', 'reach_per_1000'], 'rate0')}; the difference is {fmt(diff['difference'], 'signed0')} "
                    f"(95% CI {interval(*diff['difference_ci'], 'signed0')}): {verdict}.")
    notes = ["Each model's reach counts the infants attending its clinics who live in those clinics' catchments (from the service register, "
             "else the local authorities where at least 10% of a clinic's infants live), against the infant-years of those catchments.",
             "Models come from the extract's clinic model column where it has one, else from the service register."]
    model_grads = reach.model_gradients(kids, area, models, catchments, years, repetitions)
    label_of = lambda m: reach.CLINIC_MODELS.get(m, m)  # noqa: E731
    sii_cols = [Column("label", "Clinic model"), Column("sii", f"SII {UNIT}", "signed"), Column("sii_lower", "95% lower", "signed"),
                Column("sii_upper", "95% upper", "signed"), Column("note", "Note")]
    tables.append(Table("sii_by_model", "Inequality in reach within each model's catchments (SII)", pd.DataFrame([
        {"label": label_of(m), "sii": g.sii_per_1000, "sii_lower": (g.sii_ci or (None, None))[0], "sii_upper": (g.sii_ci or (None, None))[1],
         "note": g.note or "—"} for m, g in model_grads.items()], columns=[c.key for c in sii_cols]), sii_cols,
        note="The slope index of inequality of reach across national IMD quintiles within the LSOAs each model's clinics serve: "
             "positive when reach is lower in the more deprived areas."))
    extras = {"difference": diff, "models": models, "sii_by_model": model_grads}
    if split is not None:
        before, after = reach.split_at(valid, split)
        grads, by_model, periods = [], [], []
        for label, part in (("before", before), ("after", after)):
            part_kids = reach.children(part)
            part_kids = part_kids[part_kids["lsoa_code"].isin(set(area["lsoa_code"]))]
            part_years = reach.period_years(part)
            t = reach.reach_table(part_kids, area, years=part_years)
            grads.append(reach.gradient(t, repetitions=repetitions))
            by_model.append(reach.model_gradients(part_kids, area, models, catchments, part_years, repetitions))
            periods.append(reach.reach_by_model(part_kids, area, models, catchments, part_years).assign(
                period=f"{label.capitalize()} {pd.Timestamp(split):%d %b %Y}"))
            st = suppress(t, ["infants_attending", "attendances", "two_plus"], dependent=REACH_DEPENDENT)
            tables.append(Table.from_suppressed(f"reach_{label}", f"Reach by national IMD quintile, {label} {pd.Timestamp(split):%d %b %Y}", st, [
                Column("group", "IMD quintile (1 = most deprived)", "int"), Column("infant_years", "Infant-years at risk", "infants"),
                Column("infants_attending", "Infants attending", "count"), Column("reach_per_1000", f"Reach {UNIT}", "rate"),
                Column("reach_lower", "95% lower", "rate"), Column("reach_upper", "95% upper", "rate")], ("infants_attending", "attendances", "two_plus")))
        both = pd.concat(periods, ignore_index=True)
        both_s = suppress(both, ["infants_attending", "two_plus"], lines=[["model"], ["period"]],
                          dependent={"infants_attending": ["reach_per_1000", "reach_lower", "reach_upper", "share_two_plus"], "two_plus": ["share_two_plus"]})
        both_s.table["label"] = both_s.table["model"].map(label_of)
        tables.append(Table.from_suppressed("by_model_periods", "Reach by clinic model, before and after", both_s,
                                            [Column("label", "Clinic model"), Column("period", "Period")] + model_cols[3:], ("infants_attending", "two_plus")))
        change = reach.sii_change(*grads)
        model_change = {m: reach.sii_change(by_model[0][m], by_model[1][m]) for m in model_grads}
        extras.update({"sii_before": grads[0], "sii_after": grads[1], "sii_change": change, "sii_change_by_model": model_change})
        change_cols = [Column("label", "Clinic model"), Column("before", "SII before", "signed"), Column("after", "SII after", "signed"),
                       Column("change", "Change", "signed"), Column("change_lower", "95% lower", "signed"), Column("change_upper", "95% upper", "signed")]
        tables.append(Table("sii_change_by_model", f"Change in the SII by clinic model, before and after {pd.Timestamp(split):%d %b %Y}", pd.DataFrame([
            {"label": label_of(m), "before": by_model[0][m].sii_per_1000, "after": by_model[1][m].sii_per_1000,
             "change": c[0] if c else None, "change_lower": c[1][0] if c else None, "change_upper": c[1][1] if c else None}
            for m, c in model_change.items()], columns=[c.key for c in change_cols]), change_cols,
            note=f"SII {UNIT} within each model's catchments, after minus before: the gap between more and less deprived areas narrowed "
                 "where the SII moved towards zero. Blank where a period has a quintile with no infants attending."))
        if change is None:
            notes.append("The SII before or after the date could not be estimated (a quintile has no infants attending).")
        else:
            narrower = "narrowed" if abs(grads[1].sii_per_1000) < abs(grads[0].sii_per_1000) else "widened"
            notes.append(f"Before {pd.Timestamp(split):%d %b %Y} the SII was {fmt(grads[0].sii_per_1000, 'signed')} {UNIT}, after it "
                         f"{fmt(grads[1].sii_per_1000, 'signed')}: a change of {fmt(change[0], 'signed')} (95% CI {interval(*change[1], 'signed')}); "
                         f"the gap {narrower}" + (", though the interval includes no change." if change[1][0] <= 0 <= change[1][1] else "."))
    caveats = [SYNTHETIC_FLAG] if synthetic else []
    if synthetic:
        caveats.append("Clinic models in the starter register are illustrative (alternating), not real clinics' models")
    view = View("clinic_model", "Clinic models", region, "Does a social, relationship-focused clinic reach families better than a drop-in?",
                sentence, [], tables, [], caveats, f"Baby clinic attendance extract; {INFANTS_SOURCE}; PAIR Atlas service register", notes)
    view.extras = extras
    return view


# --------------------------------------------------------------------------------------------
# Barriers


def barriers_view(region: str, workshops: pd.DataFrame, ratings: dict[int, pd.DataFrame], area_regions: dict[str, str], top: int | None = 5,
                  workshop_id: int | None = None) -> View:
    """The priority barriers from the region's latest workshop (only workshops of an area in
    the region count; ``workshop_id`` picks one of them), or the study's barriers when the
    region has held none. ``top``: how many (None: every rated barrier)."""
    shipped = bcw.shipped_barriers()
    place = REGION_NAMES.get(region, place_name(region))
    mine = workshops[workshops["area_code"].map(area_regions).eq(region)] if len(workshops) else workshops
    if workshop_id is not None:
        mine = mine[mine["id"] == workshop_id]
    source = "McSweeney et al. BMC Health Serv Res 2025; Parent-Infant Foundation; PAIR Atlas suggested COM-B mapping"
    if len(mine):
        latest = mine.iloc[0]
        summary = bcw.workshop_summary(ratings.get(int(latest["id"]), pd.DataFrame()), shipped)
    else:
        latest, summary = None, pd.DataFrame()
    if latest is not None and len(summary):
        head = (summary if top is None else summary.head(top)).reset_index(drop=True)
        first = head.iloc[0]
        leaders = head[head["priority"].eq(first["priority"])] if pd.notna(first["priority"]) else head.iloc[:0]
        if leaders.empty:
            sentence = (f"At the workshop '{latest['name']}' ({latest['area_name']}), {len(summary)} barriers have ratings, but none yet on both "
                        "questions (applies locally and changeable), so none has a priority.")
        else:
            tied = len(leaders) > 1
            lead = (f"'{first['title']}'" if not tied else " and ".join(f"'{t}'" for t in leaders["title"]) + f" (tied, {len(leaders)} barriers)")
            sentence = (f"At the workshop '{latest['name']}' ({latest['area_name']}), {len(summary)} barriers were rated; the highest priority "
                        f"{'is' if not tied else 'are'} {lead}: median applies {fmt(first['applies_median'], 'decimal1')} and changeable "
                        f"{fmt(first['changeable_median'], 'decimal1')} out of 5 (from {fmt(first['applies_raters'], 'count')} and "
                        f"{fmt(first['changeable_raters'], 'count')} raters).")
        table = Table("priorities", "Priority barriers (median applies x median changeable)",
                      head.assign(tie=head["tied"].map({True: "tied", False: ""})), [
            Column("rank", "Rank", "int"), Column("tie", "Tie"), Column("barrier_id", "ID"), Column("title", "Barrier"),
            Column("applies_median", "Applies (median, 1-5)", "decimal1"), Column("applies_raters", "Raters (applies)", "count"),
            Column("changeable_median", "Changeable (median, 1-5)", "decimal1"), Column("changeable_raters", "Raters (changeable)", "count"),
            Column("priority", "Priority (1-25)", "decimal1"),
        ])
        rated = head[head["priority"].notna()]
        ranks = rated["rank"].astype(int).astype(str) + rated["tied"].map({True: "= ", False: ". "})
        chart = Chart("priorities", "Priority barriers: median applies x median changeable", "ranked_bars",
                      pd.DataFrame({"label": ranks + rated["barrier_id"] + " " + rated["title"], "value": rated["priority"].astype(float)}),
                      "; ".join(f"{int(r.rank)}{'= (tied)' if r.tied else '.'} {r.barrier_id}. {r.title}: {fmt(r.priority, 'decimal1')}" for r in rated.itertuples()) + ".",
                      {"x_title": "Priority (1-25)", "x_max": 25}) if len(rated) else None
        notes = [f"Workshop '{latest['name']}' for {latest['area_name']}; ratings from 1 (not at all) to 5 (very); a question left unrated is not "
                 "counted. Barriers with the same priority share a rank (shown '2=')."]
    else:
        rows = bcw.table(shipped)
        rows = rows[rows["behaviour"].eq(bcw.BEHAVIOURS["commissioning"])].head(top or len(rows)).reset_index(drop=True)
        sentence = (f"No prioritisation workshop has been held for {place} yet: the barriers to commissioning PAIR services that "
                    "commissioners described are listed with PAIR Atlas's suggested COM-B mapping.")
        table = Table("priorities", "Barriers to commissioning PAIR services (no workshop yet)", rows, [
            Column("id", "ID"), Column("title", "Barrier"), Column("com_b", "COM-B (suggested)"), Column("intervention_functions", "Intervention functions"),
        ])
        chart = None
        notes = []
    return View("barriers", "Priority barriers", region, "Which barriers to commissioning PAIR services matter most here, and can they change?",
                sentence, [], [table], [chart] if chart is not None else [], [bcw.SUGGESTED], source, notes)


def actions_view(region: str, actions: pd.DataFrame, barriers: list | None = None, today=None) -> View:
    """The region's action plan: each action with its barrier, the intervention function it
    serves, its owner (a role), due date and status; the headline counts what is open and
    what is overdue."""
    import datetime as dt

    today = today or dt.date.today()
    place = REGION_NAMES.get(region, place_name(region))
    titles = {b.id: b.title for b in (barriers or bcw.shipped_barriers())}
    frame = actions[actions["region"] == region].copy() if len(actions) else pd.DataFrame(columns=["barrier_id", "function", "action", "owner", "due", "status"])
    frame["barrier"] = frame["barrier_id"].astype(str) + ". " + frame["barrier_id"].map(titles).fillna("")
    frame["due"] = pd.to_datetime(frame["due"]).dt.date
    frame = frame.sort_values(["due", "barrier_id"], kind="stable").reset_index(drop=True)
    open_ = frame[frame["status"].isin(["planned", "in progress"])]
    overdue = open_[open_["due"] < today]
    if frame.empty:
        sentence = (f"{place} has no action plan yet: on the Barriers page, take a prioritised barrier through its candidate intervention "
                    "functions and APEASE, then add actions with an owner and a due date.")
    else:
        nxt = open_.iloc[0] if len(open_) else None
        sentence = (f"{place} has {len(frame)} action{'s' if len(frame) != 1 else ''} in its plan, {len(open_)} open"
                    + (f" ({len(overdue)} overdue)" if len(overdue) else "")
                    + (f"; next due: '{nxt['action']}' ({nxt['owner']}, by {nxt['due']:%d %b %Y})." if nxt is not None else "."))
    table = Table("actions", "Action plan", frame, [
        Column("due", "Due", "date"), Column("action", "Action"), Column("owner", "Owner (role)"), Column("status", "Status"),
        Column("barrier", "Barrier"), Column("function", "Intervention function")])
    return View("actions", "Action plan", region, "What will we do about the priority barriers, who owns it, and by when?",
                sentence, [], [table], [], [], f"PAIR Atlas action plan for {place} (entered by the region's commissioners)",
                ["Functions were kept for each barrier after rating them against APEASE (Michie, Atkins and West 2014)."])


def bcw_view(listing: pd.DataFrame, wheel, version: str, local: pd.DataFrame) -> View:
    """The Barriers page's tables: the filtered barriers, the two BCW matrices (a tick where a
    link exists) and the local entries, labelled for the one display path."""
    tables = [Table("barriers", "Barriers and enablers (filtered)", listing.reset_index(drop=True), [
        Column("id", "ID"), Column("title", "Barrier or enabler"), Column("study_words", "In the study's words"), Column("behaviour", "Whose behaviour"),
        Column("level", "Level"), Column("factor_level", "Factor level"), Column("amenable", "Amenable to change"),
        Column("direction", "Direction"), Column("com_b", "COM-B (suggested)"), Column("tdf", "TDF (suggested)"),
        Column("intervention_functions", "Intervention functions"), Column("policy_categories", "Policy categories"),
        Column("evidence", "Evidence"), Column("origin", "Origin"), Column("source", "Source")])]
    for key, matrix, title, rows in (("com_b_to_functions", wheel.matrix("com_b", version), bcw.matrix_title("com_b", version), "COM-B"),
                                     ("functions_to_policies", wheel.matrix("policies"), bcw.matrix_title("policies"), "Function")):
        frame = matrix.map(lambda v: "✓" if v else "").reset_index(names=rows)
        tables.append(Table(key, title, frame, [Column(c, c) for c in frame.columns]))
    if local is not None and len(local):
        shown = local.drop(columns=[c for c in ("created_at", "id") if c in local.columns])
        tables.append(Table("local_entries", "Local barriers, mapping changes and families' findings", shown.reset_index(drop=True),
                            [Column(c, c.replace("_", " ").capitalize().replace("Com b", "COM-B").replace("Tdf", "TDF")) for c in shown.columns]))
    return View("bcw", "Barriers (BCW)", "Both", "What stops commissioning PAIR services, and what could change it?", "", [], tables, [], [bcw.SUGGESTED],
                "McSweeney et al. BMC Health Serv Res 2025; Parent-Infant Foundation; Michie et al. 2011 and 2014; PAIR Atlas suggested mapping")


# --------------------------------------------------------------------------------------------
# Value for money: scenarios side by side


def _illustrative_inputs(inputs: vfm.Inputs) -> list[str]:
    spec = vfm.defaults()["inputs"]
    return [v["label"] for k, v in spec.items() if str(v.get("status", "")).startswith("illustrative") and getattr(inputs, k, None) == v["default"]]


def scenarios_view(region: str, scenarios: list[dict], area_names: dict[str, str], area_regions: dict[str, str], draws: int = 10_000) -> View:
    """Saved scenarios of the region side by side (each with its area), with the uncertainty of
    the net present value; the first is the preferred one. ``scenarios``: dicts with ``name``,
    ``area_code`` and ``inputs`` (JSON), in the order chosen."""
    mine = [s for s in scenarios if area_regions.get(s["area_code"]) == region]
    rows, illustrative = [], set()
    for s in mine:
        inputs = vfm.Inputs.from_json(s["inputs"])
        out = vfm.run(inputs)
        psa = vfm.probabilistic(inputs, n=draws)
        illustrative |= set(_illustrative_inputs(inputs))
        rows.append({
            "name": s["name"], "area": area_names.get(s["area_code"], s["area_code"]), "families": float(out["families_reached"]),
            "cost": float(out["cost"]), "improved": float(out["improved_outcomes"]), "npv": float(out["npv"]),
            "npv_p10": float(psa["npv"][10]), "npv_p90": float(psa["npv"][90]), "bcr": float(out["bcr"]),
            "p_benefits": float(psa["p_benefits_exceed_costs"]),
        })
    frame = pd.DataFrame(rows, columns=["name", "area", "families", "cost", "improved", "npv", "npv_p10", "npv_p90", "bcr", "p_benefits"])
    place = REGION_NAMES.get(region, place_name(region))
    if len(frame):
        p = frame.iloc[0]
        sentence = (f"The preferred scenario, '{p['name']}' ({p['area']}), costs {fmt(p['cost'], 'money')} and helps {fmt(p['families'], 'infants')} "
                    f"families; its net present value is {fmt(p['npv'], 'money')} (10th to 90th percentile {interval(p['npv_p10'], p['npv_p90'], 'money')}), "
                    f"and the chance that benefits exceed costs is {fmt(p['p_benefits'], 'percent')}.")
    else:
        sentence = f"No value-for-money scenario has been saved for an area in {place} yet."
    table = Table("scenarios", "Scenarios side by side", frame, [
        Column("name", "Scenario"), Column("area", "Area"), Column("families", "Families helped", "infants"), Column("cost", "Cost", "money"),
        Column("improved", "Improved outcomes", "decimal1"), Column("npv", "Net present value", "money"),
        Column("npv_p10", "NPV 10th percentile", "money"), Column("npv_p90", "NPV 90th percentile", "money"),
        Column("bcr", "Benefit-cost ratio", "ratio"), Column("p_benefits", "Chance benefits exceed costs", "percent"),
    ])
    charts = []
    if len(frame):
        charts.append(Chart("scenarios", "Net present value with its 10th to 90th percentile range", "ranges",
                            pd.DataFrame({"label": frame["name"] + " (" + frame["area"] + ")", "value": frame["npv"], "low": frame["npv_p10"], "high": frame["npv_p90"]}),
                            "; ".join(f"{r.name}: {fmt(r.npv, 'money')} ({interval(r.npv_p10, r.npv_p90, 'money')})" for r in frame.itertuples()) + ".",
                            {"x_title": "Net present value (£)"}))
    if len(frame):
        torn = vfm.tornado(vfm.Inputs.from_json(mine[0]["inputs"])).head(8)
        top = torn.iloc[0]
        charts.append(Chart("tornado", f"What moves the net present value of '{frame.iloc[0]['name']}' most", "tornado",
                            torn[["label", "base", "at_low", "at_high"]],
                            f"The net present value is most sensitive to {_lower_first(top['label'])} ({fmt(top['at_low'], 'money')} at its low, "
                            f"{fmt(top['at_high'], 'money')} at its high), then {_lower_first(torn.iloc[1]['label'])}.",
                            {"x_title": "Net present value (£)"}))
    caveats = [f"Uses {len(illustrative)} illustrative inputs where no figure is published (listed on the Value for money page)"] if illustrative else []
    return View("scenarios", "Scenario comparison", region, "What would funding parent-infant relationship support cost, and what might it return?",
                sentence, [], [table], charts, caveats, f"PAIR Atlas value-for-money model; saved scenarios for {place}",
                [f"Uncertainty: {draws:,} seeded probabilistic draws per scenario."])


# --------------------------------------------------------------------------------------------
# Value for money: one scenario


def vfm_view(inputs: vfm.Inputs, area_name: str, region: str, draws: int = 10_000) -> View:
    """The headline figures of one what-if scenario, with the model's question and a verdict
    sentence above them."""
    out = vfm.run(inputs)
    payback = vfm.payback_year(inputs)
    psa = vfm.probabilistic(inputs, n=draws)
    cost, pv = float(out["cost"]), float(out["pv_benefits"])
    metrics = [
        Metric("Families reached", float(out["families_reached"]), "infants",
               help=f"Capacity {fmt(float(out['capacity']), 'infants')}; referred and taking up {fmt(float(out['referred']) * inputs.uptake, 'infants')}"),
        Metric("Cost per family", float(out["cost_per_family"]), "money"),
        Metric("Improved outcomes", float(out["improved_outcomes"]), "decimal1"),
        Metric("Present value of benefits", pv, "money"),
        Metric("Net present value", float(out["npv"]), "money"),
        Metric("Benefit-cost ratio", float(out["bcr"]), "ratio"),
        Metric("Fiscal return (public sector)", float(out["fiscal_return"]), "ratio",
               help="Benefits falling to the NHS, social services and other public services per pound spent"),
        Metric("Payback year", "not reached" if payback is None else str(payback), "text",
               help="First year whose cumulative discounted benefits reach the cost, within the time horizon"),
        Metric("Break-even effect", float(out["break_even_effect"]), "percent", help="The effect at which benefits equal costs"),
        Metric("Total cost", cost, "money"),
    ]
    over = "over the children's lifetimes" if inputs.value_mode == "lifetime" else f"over {inputs.horizon} years"
    sentence = (f"At these assumptions the service costs {fmt(cost, 'money')} and returns {fmt(pv, 'money')} {over} "
                f"in {area_name}; the chance that benefits exceed costs is {fmt(psa['p_benefits_exceed_costs'], 'percent')}.")
    illustrative = _illustrative_inputs(inputs)
    caveats = [f"Uses {len(illustrative)} illustrative inputs where no figure is published (marked below)"] if illustrative else []
    view = View("vfm", "Value for money", region, "If we fund parent-infant relationship support for these families, what does it cost and what might it return?",
                sentence, metrics, [], [], caveats, f"PAIR Atlas value-for-money model; {area_name}",
                [f"Net present value 10th to 90th percentile {interval(psa['npv'][10], psa['npv'][90], 'money')} ({draws:,} seeded draws; "
                 f"held fixed: {', '.join(vfm.defaults()['inputs'][k]['label'].lower() for k in vfm.FIXED)}).",
                 f"The value of an improved outcome is {vfm.VALUE_MODES[inputs.value_mode]}.",
                 vfm.defaults()["price_note"]])
    view.extras = {"out": out, "psa": psa, "payback": payback}
    return view


def vfm_tables(inputs: vfm.Inputs, psa: dict | None = None, equity: pd.DataFrame | None = None) -> dict[str, Table]:
    """The value-for-money page's detail tables, labelled and typed for the one display path."""
    years = vfm.yearly(inputs)
    torn = vfm.tornado(inputs)
    money = ("benefit", "discounted_benefit", "cumulative_discounted", "cost")
    out = {
        "years": Table("benefits_by_year", "Benefits by year", years, [
            Column("year", "Year", "int"), *[Column(c, label, "money") for c, label in zip(money, (
                "Benefit (undiscounted)", "Benefit (discounted)", "Cumulative discounted benefit", "Cost (year 0)"))]]),
        "tornado": Table("sensitivity", "One-way sensitivity of the net present value", torn.assign(low=torn["low"].astype(float), high=torn["high"].astype(float)), [
            Column("label", "Input"), Column("low", "Plausible low", "decimal1"), Column("high", "Plausible high", "decimal1"),
            Column("at_low", "NPV at the low", "money"), Column("at_high", "NPV at the high", "money"), Column("swing", "Swing", "money")]),
        "summary": Table("scenario_inputs", "Inputs, sources and status", vfm.summary_rows(inputs).astype({"value": str}), [
            Column("input", "Input"), Column("value", "Value"), Column("source", "Source"), Column("status", "Status")]),
    }
    if psa is not None:
        labels = {"families_reached": ("Families reached", "infants"), "improved_outcomes": ("Improved outcomes", "decimal1"),
                  "pv_benefits": ("Present value of benefits", "money"), "cost": ("Cost", "money"), "npv": ("Net present value", "money"),
                  "bcr": ("Benefit-cost ratio", "ratio"), "fiscal_return": ("Fiscal return (public sector)", "ratio")}
        rows = [{"output": labels[k][0], "kind": labels[k][1], "p10": v[10], "median": v[50], "p90": v[90], "mean": v["mean"]}
                for k, v in psa.items() if k in labels]
        frame = pd.DataFrame(rows)
        for col in ("p10", "median", "p90", "mean"):  # each row in its own format: kept as text
            frame[col] = [fmt(v, k) for v, k in zip(frame[col], frame["kind"])]
        out["uncertainty"] = Table("uncertainty", "Outputs over the probabilistic draws", frame, [
            Column("output", "Output"), Column("p10", "10th percentile"), Column("median", "Median"), Column("p90", "90th percentile"), Column("mean", "Mean")])
    if equity is not None:
        out["equity"] = Table("equity", "Families reached by national IMD quintile", equity, [
            Column("quintile", "IMD quintile (1 = most deprived)", "int"), Column("infants", "Infants aged 0", "infants"),
            Column("families_reached", "Families reached", "decimal1"), Column("reach_per_1000", "Families per 1,000 infants", "decimal1"),
            Column("improved_outcomes", "Improved outcomes", "decimal1"), Column("pv_benefits", "Present value of benefits", "money")])
    return out


# --------------------------------------------------------------------------------------------
# Observed outcomes beside the model


def observed_view(region: str, records: pd.DataFrame, inputs: vfm.Inputs, selected: int | None = None) -> View:
    """The region's observed outcomes (counts of families suppressed) and, for the selected
    record, the model's assumptions against what was observed."""
    from dashboard import observed

    mine = records[records["region"] == region].reset_index(drop=True) if len(records) else records
    frame = mine.assign(period=[observed.period_text(r) for r in mine.to_dict("records")]) if len(mine) else mine.assign(period=[])
    counts = ["referrals", "families_seen", "completions", "measured", "improved"]
    shown = suppress(frame, counts, lines=[["id"]]) if len(frame) else None
    columns = [Column("service", "Service"), Column("period", "Period"), *[Column(c, observed.LABELS[c], "count") for c in counts],
               Column("measure", "Outcome measure"), Column("measure_scale", "Scale"), Column("source", "Source")]
    tables = [Table.from_suppressed("observed", "Observed outcomes", shown, columns, counts) if shown is not None
              else Table("observed", "Observed outcomes", frame, columns, pd.DataFrame(columns=counts), tuple(counts))]
    place = REGION_NAMES.get(region, place_name(region))
    sentence = f"No observed outcomes have been entered for a service in {place} yet." if not len(mine) else (
        f"{len(mine)} observed period(s) for services in {place}; choose one to set beside the model's assumptions.")
    caveats = []
    if selected is not None and len(mine) and (mine["id"] == selected).any():
        record = mine[mine["id"] == selected].iloc[0].to_dict()
        cmp = observed.comparison(record, {k: getattr(inputs, k) for k in observed.RATIOS})
        cmp["label"] = [vfm.defaults()["inputs"][k]["label"] for k in cmp["input"]]
        cmp_s = suppress(cmp, ["numerator", "denominator"], lines=[["input"]], dependent={"numerator": ["observed"], "denominator": ["observed"]})
        tables.append(Table.from_suppressed("observed_vs_assumed", "Assumed against observed", cmp_s, [
            Column("label", "Model input"), Column("assumed", "Assumed", "percent"), Column("observed", "Observed", "percent"),
            Column("how", "Observed as"), Column("numerator", "Numerator", "count"), Column("denominator", "Denominator", "count"),
        ], ("numerator", "denominator")))
        parts = [f"assumed {r['input']} {fmt(r['assumed'], 'percent')}, observed "
                 + ("[c]" if cmp_s.mask.loc[i, "observed"] else fmt(r["observed"], "percent"))
                 for i, r in cmp.iterrows() if r["observed"] is not None and not pd.isna(r["observed"])]
        sentence = (f"{record['service']} ({observed.period_text(record)}): " + "; ".join(parts) + f". Source: {record['source']}.")
        caveats.append("The observed share improving is a before-and-after figure without a comparison group, not a controlled effect")
    return View("observed", "Observed outcomes", region, "What did services actually achieve, against what the model assumes?",
                sentence, [], tables, [], caveats, f"Observed outcomes entered for services in {place}", [OBSERVED_NOTE])


__all__ = ["bcw_view", "vfm_tables", "who_attends_view", "clinic_model_view", "observed_view", "overview_view", "coverage_view", "reach_view", "barriers_view", "scenarios_view", "vfm_view", "BOTH", "COUNTS_AS"]
