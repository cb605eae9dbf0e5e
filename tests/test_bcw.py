"""Barriers knowledge base and the Behaviour Change Wheel against the published matrices."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from dashboard import bcw
from data_access.db import migrate
from data_access.repositories import BarrierRepository


@pytest.fixture(scope="module")
def domain(reference_dir):
    return reference_dir.parent / "domain"


@pytest.mark.parametrize("version", ["2011", "2014"])
def test_com_b_to_functions_equal_the_published_matrix(domain, version):
    published = pd.read_csv(domain / "bcw_com_b_to_functions_wide.csv")
    published = published[published["source_version"] == int(version)].set_index("com_b_component").drop(columns="source_version")
    wheel = bcw.wheel()
    for component, row in published.iterrows():
        assert wheel.functions_for([component], version) == [f for f in published.columns if row[f] == 1], component
    assert (wheel.matrix("com_b", version) == published.loc[list(wheel.com_b), list(wheel.functions)]).all(axis=None)


def test_functions_to_policies_equal_the_published_matrix(domain):
    published = pd.read_csv(domain / "bcw_functions_to_policies_wide.csv").set_index("intervention_function")
    wheel = bcw.wheel()
    for function, row in published.iterrows():
        assert wheel.policies_for([function]) == [p for p in published.columns if row[p] == 1], function


def test_tdf_links_equal_the_published_table(domain):
    published = pd.read_csv(domain / "tdf_to_comb.csv")
    published["component"] = published["com_b_component"].str.replace(r" \(.*\)$", "", regex=True)
    expected = published.groupby("tdf_domain")["component"].apply(set).to_dict()
    assert {k: set(v) for k, v in bcw.wheel().tdf.items()} == expected


def test_derived_for_a_barrier():
    wheel = bcw.wheel()
    funding = next(b for b in bcw.shipped_barriers() if b.id == "B03")  # physical opportunity only
    assert wheel.functions_for(funding.com_b, "2011") == ["Restriction", "Environmental restructuring", "Enablement"]
    assert wheel.functions_for(funding.com_b, "2014") == ["Training", "Restriction", "Environmental restructuring", "Enablement"]
    assert wheel.policies_for(["Modelling"]) == ["Communication/marketing", "Service provision"]


def test_content_validates_and_covers_the_abstract(domain):
    barriers = bcw.shipped_barriers()
    assert bcw.validate_content(barriers) == []
    themes = pd.read_csv(domain / "mcsweeney2025_themes.csv")
    from_study = [b for b in barriers if "McSweeney" in b.source]
    assert len(from_study) >= len(themes) == 7
    assert {b.level for b in from_study} == {"general", "PAIR-specific", "pandemic"}
    assert any("Parent-Infant Foundation" in b.source for b in barriers)
    broken = [bcw.Barrier("X1", "t", "d", "general", "barrier", ["Telepathy"], ["Vibes"], [{"a": 1}], "", "nobody")]
    problems = bcw.validate_content(broken)
    assert any("unknown COM-B component 'Telepathy'" in p for p in problems)
    assert any("unknown TDF domain 'Vibes'" in p for p in problems)
    assert any("no source" in p for p in problems) and any("action" in p for p in problems) and any("behaviour" in p for p in problems)


def test_filters():
    barriers = bcw.shipped_barriers()
    assert {b.id for b in bcw.filter_barriers(barriers, levels=["pandemic"])} == {"B07"}
    enablers = bcw.filter_barriers(barriers, directions=["enabler"])
    assert {"B02", "B06", "B12"} <= {b.id for b in enablers} and all(b.direction in ("enabler", "both") for b in enablers)
    assert all("Knowledge" in b.tdf for b in bcw.filter_barriers(barriers, tdf=["Knowledge"]))


def test_personal_data_is_refused_in_findings():
    assert bcw.personal_data_problems("Parents said the clinic time clashes with nursery pick-up") == []
    text = 'Mum said "too far" from NE1 1AD, call 07700 900123, NHS 943 476 5919, born 03/04/2025, me@x.org'
    assert bcw.personal_data_problems(text) == [
        "contains a postcode", "contains an NHS number or phone number", "contains a phone number", "contains an email address",
        "contains a date (possibly a date of birth)", "contains quotation marks (record a summary, not quotes)",
    ]


def test_workshop_ratings_from_two_sessions_are_both_kept(engine):
    migrate(engine)
    repo = BarrierRepository(engine)
    workshop = repo.open_workshop("Gateshead PAIR planning", "E08000037", "Gateshead")
    assert repo.open_workshop("Gateshead PAIR planning", "E08000037", "Gateshead") == workshop
    barriers = bcw.shipped_barriers()

    def participant(name, applies):
        other = BarrierRepository(engine)  # its own connections, as a second browser session
        for b in barriers:
            other.rate(workshop, b.id, applies, 6 - applies, name)

    threads = [threading.Thread(target=participant, args=("AB", 5)), threading.Thread(target=participant, args=("CD", 3))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ratings = repo.ratings(workshop)
    assert len(ratings) == 2 * len(barriers) and set(ratings["participant"]) == {"AB", "CD"}
    summary = bcw.workshop_summary(ratings, barriers).set_index("barrier_id")
    assert summary.loc["B01", "ratings"] == 2 and summary.loc["B01", "applies_median"] == 4 and summary.loc["B01", "applies_iqr"] == 1
    with pytest.raises(ValueError):
        repo.rate(workshop, "B01", 6, 1)


def test_local_changes_stay_separate_and_marked(engine):
    migrate(engine)
    repo = BarrierRepository(engine)
    repo.add_local({"kind": "mapping", "barrier_id": "B03", "area_code": "E08000037", "title": "x", "description": "", "level": "general",
                    "direction": "barrier", "behaviour": "commissioning", "com_b": "Reflective motivation", "tdf": "Goals", "actions": "", "source": "Workshop"})
    repo.add_local({"kind": "new", "barrier_id": "L01", "area_code": None, "title": "Clinic times clash with nursery", "description": "Summary",
                    "level": "general", "direction": "barrier", "behaviour": "families", "com_b": "Physical opportunity", "tdf": "",
                    "actions": "Offer an afternoon session", "source": "Parent discussions"})
    merged = {b.id: b for b in bcw.merge_local(bcw.shipped_barriers(), repo.local())}
    assert merged["B03"].com_b == ["Reflective motivation"] and "Local change" in merged["B03"].mapping and merged["B03"].origin == "shipped"
    assert merged["L01"].origin == "local" and merged["L01"].behaviour == "families" and merged["L01"].actions == ["Offer an afternoon session"]
    assert next(b for b in bcw.shipped_barriers() if b.id == "B03").com_b == ["Physical opportunity"]  # shipped content untouched
