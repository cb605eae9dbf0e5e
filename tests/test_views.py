"""The view-models on the real reference data: region scoping, tiers, illustrative services kept
out by default, suppression in every table, one formatter and one SII convention."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import views
from dashboard.clinic_import import check_extract, guess_mapping
from dashboard.coverage import hypothetical_service, what_if
from dashboard.demo_extract import generate
from dashboard.formatting import fmt, sii_sentence
from dashboard.regions import area_names, area_regions
from dashboard.starter import illustrative_services, public_services
from dashboard.suppression import MARKER
from dashboard.viewmodel import Column, Table, Unsuppressed
from dashboard import vfm


@pytest.fixture(scope="module")
def lsoas(store):
    return store.lsoas("iod2025")


@pytest.fixture(scope="module")
def services(store, lsoas):
    """The starter register as the app seeds it: two public rows and the illustrative clinics."""
    clinics = pd.DataFrame(illustrative_services(lsoas, store.gp_practices()))
    out = pd.concat([pd.DataFrame(public_services()), clinics], ignore_index=True).assign(id=lambda f: range(1, len(f) + 1))
    for col in ("lat", "lon", "travel_km"):
        out[col] = pd.to_numeric(out[col])
    return out


@pytest.fixture(scope="module")
def valid(store, lsoas):
    clinics = pd.DataFrame(illustrative_services(lsoas, store.gp_practices()))
    extract = generate(lsoas, store.postcodes(), clinics[clinics["service_type"] == "health-visitor baby clinic"])
    checked = check_extract(extract.astype("string"), guess_mapping(list(extract.columns)),
                            store.postcodes().set_index("postcode")["lsoa21_code"], set(lsoas["lsoa_code"]), dt.date(2026, 3, 31))
    return checked.valid


def test_formatter_known_answers():
    assert fmt(-227646.4, "money") == "\u2212£227,646"
    assert fmt(1952, "count") == "1,952" and fmt(28055.4, "infants") == "28,055"
    assert fmt(0.2006, "percent1") == "20.1%" and fmt(0.11, "percent") == "11%"
    assert fmt(50.26, "signed") == "+50.3" and fmt(-3.24, "signed") == "\u22123.2" and fmt(None, "rate") == "n/a"
    assert "lower in the most deprived" in sii_sentence(50.3, (34.0, 67.0))
    assert "higher in the most deprived" in sii_sentence(-12.0, (-20.0, -4.0))
    assert "includes no difference" in sii_sentence(3.0, (-1.0, 7.0))


def test_specialist_coverage_headline_by_region(lsoas, services):
    """The starter register: NEWPIP reaches Newcastle's 180 LSOAs and 3,050 infants; BNSSG has no
    specialised team (Sirona's pathway is targeted), so its specialist figure is 0."""
    nenc = views.coverage_view("NENC", "iod2025", lsoas, services)
    bnssg = views.coverage_view("BNSSG", "iod2025", lsoas, services)
    assert nenc.metric("Specialised PAIR team").text == "3,050"
    assert int(nenc.extras["coverage"]["covered_specialist"].sum()) == 180
    assert nenc.summary.startswith("In NHS North East and North Cumbria, 3,050 of 28,055 infants aged 0 (11%)")
    assert bnssg.metric("Specialised PAIR team").text == "0"
    assert bnssg.metric("Targeted support").text == "10,371"
    assert "none of the 10,371 infants aged 0" in bnssg.summary
    # the headline gap: infants in quintile 1 without a specialised team
    assert bnssg.metric("Quintile 1 without cover").text == "1,890"


def test_illustrative_services_count_only_when_switched_on(lsoas, services):
    off = views.coverage_view("NENC", "iod2025", lsoas, services)
    on = views.coverage_view("NENC", "iod2025", lsoas, services, include_illustrative=True)
    assert off.metric("Universal services").text == "0" and not off.caveats
    assert on.extras["summary"]["universal_infants"] > 10000
    assert any("illustrative" in c.lower() for c in on.caveats) and "illustrative" in on.footer().lower()
    # the specialist headline does not move: illustrative clinics are universal
    assert on.metric("Specialised PAIR team").text == off.metric("Specialised PAIR team").text


def test_gaps_follow_the_tier_that_counts(lsoas, services):
    specialist = views.coverage_view("BNSSG", "iod2025", lsoas, services)
    targeted = views.coverage_view("BNSSG", "iod2025", lsoas, services, counts_as="targeted")
    assert len(specialist.table("gap_lsoas").frame) > 500  # every BNSSG LSOA with infants is a specialist gap
    assert targeted.table("gap_lsoas").frame.empty  # Sirona's pathway covers BNSSG at the targeted tier


def test_what_if_capacity_caps_families_seen(lsoas, services):
    nenc = lsoas[lsoas["region"] == "NENC"]
    point = nenc.sort_values("infants_0").iloc[-1]
    site = hypothetical_service(-1, "Hypothetical team", "specialised parent-infant relationship team", "specialist",
                                point["point_lon"], point["point_lat"], 10.0, 150)
    result = what_if(nenc, services[services["status"] != "illustrative"], pd.DataFrame([site]), prevalence=0.10)
    assert result.infants_within_reach > 1500  # many infants within reach ...
    assert result.families_can_see == 150  # ... but never more families seen than the capacity
    assert result.sites.iloc[0]["families_in_need"] == pytest.approx(result.infants_within_reach * 0.10)


def test_reach_view_tables_are_suppressed_and_scoped(lsoas, valid):
    nenc = views.reach_view("NENC", lsoas, valid, True, repetitions=2000)
    bnssg = views.reach_view("BNSSG", lsoas, valid, True, repetitions=2000)
    for view in (nenc, bnssg):
        for table in view.tables:
            table.check()  # every count of people went through suppression
        reach_t, months = view.table("reach").frame, view.table("months").frame
        # the months count the same attendances as the figures (region scoping included)
        assert int(pd.to_numeric(months["attendances"]).sum()) == int(pd.to_numeric(reach_t["attendances"]).sum())
        assert view.metric("Attendances used").text == fmt(int(pd.to_numeric(reach_t["attendances"]).sum()), "count")
        assert any("SYNTHETIC" in c for c in view.caveats)
    assert nenc.metric("Attendances used").value != bnssg.metric("Attendances used").value
    # one sign convention in words
    grad = nenc.extras["gradient"]
    assert grad.sii_per_1000 > 0 and f"{fmt(grad.sii_per_1000, 'rate')} per 1,000 infant-years lower in the most deprived areas" in nenc.summary


def test_reach_view_hides_small_counts(lsoas, valid):
    one_clinic = valid[valid["clinic"] == sorted(valid["clinic"].unique())[0]]
    view = views.reach_view("NENC", lsoas, one_clinic.head(40), True, groups="decile", repetitions=500)
    shown = view.table("reach").formatted()
    attending = pd.to_numeric(view.table("reach").frame["infants_attending"], errors="coerce")
    assert (attending.dropna() >= 5).all()
    assert (shown["Infants attending"] == MARKER).any()


def test_table_refuses_unsuppressed_counts():
    table = Table("t", "T", pd.DataFrame({"group": [1], "infants_attending": [3]}),
                  [Column("group", "Group", "int"), Column("infants_attending", "Infants attending", "count")], people=("infants_attending",))
    with pytest.raises(Unsuppressed):
        table.formatted()


def test_barriers_and_scenarios_keep_to_their_region(lsoas):
    regions, names = area_regions(lsoas), area_names(lsoas)
    workshops = pd.DataFrame([
        {"id": 2, "name": "Bristol March", "area_code": "E06000023", "area_name": "Bristol, City of"},
        {"id": 1, "name": "Gateshead planning", "area_code": "E08000037", "area_name": "Gateshead"},
    ])
    ratings = {1: pd.DataFrame({"barrier_id": ["B1", "B2"], "applies": [5, 2], "changeable": [4, 2]}),
               2: pd.DataFrame({"barrier_id": ["B3"], "applies": [3], "changeable": [3]})}
    nenc, bnssg = (views.barriers_view(r, workshops, ratings, regions) for r in ("NENC", "BNSSG"))
    assert "Gateshead planning" in nenc.summary and "Bristol" not in nenc.summary
    assert "Bristol March" in bnssg.summary and "Gateshead" not in bnssg.summary
    inputs = vfm.Inputs.from_defaults(1000).to_json()
    saved = [{"name": "Newcastle plan", "area_code": "E08000021", "inputs": inputs}, {"name": "Bristol plan", "area_code": "E54000039", "inputs": inputs}]
    s_nenc = views.scenarios_view("NENC", saved, names, regions, draws=500)
    assert s_nenc.table("scenarios").frame["name"].tolist() == ["Newcastle plan"]
    assert s_nenc.table("scenarios").formatted()["Area"].tolist() == ["Newcastle upon Tyne"]
    npv = s_nenc.table("scenarios").frame["npv"].iloc[0]
    assert f"net present value is {fmt(npv, 'money')}" in s_nenc.summary and "£-" not in s_nenc.summary


def test_overview_view_numbers(lsoas, services):
    view = views.overview_view("NENC", "iod2025", lsoas, services)
    assert [m.text for m in view.metrics] == ["1,889", "28,055", "20.1%", "3,050"]
    both = view.chart("icb_compare").data.set_index("region")["share"]
    assert round(both["NENC"], 4) == 0.2006 and round(both["BNSSG"], 4) == 0.0671  # MHCLG File 13


def test_vfm_view_verdict_states_the_numbers():
    inputs = vfm.Inputs.from_defaults(28055)
    view = views.vfm_view(inputs, "NENC ICB", "NENC", draws=2000)
    out = vfm.run(inputs)
    assert view.metric("Net present value").text == fmt(float(out["npv"]), "money")
    assert view.summary.startswith(f"At these assumptions the service costs {fmt(float(out['cost']), 'money')} and returns "
                                   f"{fmt(float(out['pv_benefits']), 'money')} over the children's lifetimes in NENC ICB")
    assert view.summary.endswith(f"is {fmt(view.extras['psa']['p_benefits_exceed_costs'], 'percent')}.")


def test_an_extract_of_three_clinics_is_measured_against_their_catchments(lsoas, services, valid):
    """The demo extract covers every illustrative baby clinic: the whole region is the
    denominator. Three Tyneside clinics alone: their register catchments, with the note."""
    whole = views.reach_view("NENC", lsoas, valid, True, register=services, repetitions=1000)
    assert not any("not every baby clinic" in c for c in whole.caveats)
    assert whole.table("reach").frame["infants_resident"].sum() == pytest.approx(28055, abs=1)
    three = sorted(c for c in valid["clinic"].unique() if "Gateshead" in c or "Newcastle" in c)[:3]
    view = views.reach_view("NENC", lsoas, valid[valid["clinic"].isin(three)], True, register=services, repetitions=1000)
    note = next(c for c in view.caveats if "not every baby clinic" in c)
    assert "The extract covers 3 clinic(s)" in note and "3 from the service register" in note
    resident = view.table("reach").frame["infants_resident"].sum()
    assert 0 < resident < 28055 / 4  # their catchments, not every infant in the ICB
    assert f"{view.extras['area']['lsoa_code'].nunique():,} LSOAs" in note


def test_who_attends_and_why(store, lsoas, services, valid):
    view = views.who_attends_view("BNSSG", lsoas, valid, True, store.ethnicity(), services)
    for table in view.tables:
        table.check()
    keys = [t.key for t in view.tables]
    assert {"reason_by_imd_quintile", "reason_by_clinic", "attended_by_by_imd_quintile", "interpreter_by_imd_quintile", "ethnicity", "clinic_ranking"} <= set(keys)
    eth = view.table("ethnicity").frame.set_index("ethnic_group")
    # residents are the Census 2021 usual residents of the same LSOAs, all ages, five groups
    bnssg = store.ethnicity()[store.ethnicity()["lsoa_code"].isin(set(lsoas.loc[lsoas["region"] == "BNSSG", "lsoa_code"]))]
    assert eth["residents"].sum() == pytest.approx(bnssg["usual_residents"].sum())
    assert eth["share_residents"].sum() == pytest.approx(1.0)
    ranking = view.table("clinic_ranking").frame
    assert ranking["share_q1"].dropna().astype(float).is_monotonic_decreasing and ranking["rank"].tolist() == list(range(1, len(ranking) + 1))
    assert "a place to observe" in view.summary
    # reason by clinic: a column per reason; every visible count is the real one and none is below 5
    by_clinic = view.table("reason_by_clinic")
    reasons = [c for c in by_clinic.columns if c.key != "clinic"]
    assert [c.label for c in reasons] == sorted(valid["reason"].dropna().astype(str).unique())
    counts = by_clinic.frame.set_index("clinic")
    visible = counts[[c.key for c in reasons]].astype("Float64")
    assert (visible.stack().dropna() >= 5).all() and visible.isna().any().any()
    first = valid.sort_values(["child_id", "attendance_date"]).drop_duplicates("child_id")
    clinic, col = visible.stack().dropna().index[0]
    label = next(c.label for c in reasons if c.key == col)
    assert visible.loc[clinic, col] <= ((first["clinic"] == clinic) & (first["reason"] == label)).sum()
    shares = view.table("reason_by_imd_quintile").frame.groupby("group")["share"].sum()
    assert shares.to_numpy() == pytest.approx(1.0)
