"""Service register validation, import and export."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from dashboard.exports import neutralise
from dashboard.services import FIELDS, LABELS, Places, export_frame, normalise_postcode, parse_register, validate_service
from dashboard.starter import illustrative_services, public_services, starter_records

PLACES = Places(
    postcodes={"NE1 1AD": (-1.6174, 54.9675), "BS1 4DJ": (-2.5966, 51.4538)},
    codes={"lad": {"E08000021", "E06000023"}, "sicbl": {"E38000222"}, "icb": {"E54000050", "E54000039"}},
)
TODAY = dt.date(2026, 11, 22)
GOOD = {"name": "Baby clinic", "service_type": "health-visitor baby clinic", "tier": "universal", "status": "local",
        "postcode": "ne11ad", "travel_km": "2"}


def test_postcodes_normalised():
    assert normalise_postcode("ne11ad") == "NE1 1AD" and normalise_postcode(" BS1  4DJ ") == "BS1 4DJ"
    assert normalise_postcode("NOT A PC") is None and normalise_postcode("12345") is None


def test_valid_record_gets_location_from_postcode():
    clean, problems = validate_service(GOOD, PLACES, TODAY)
    assert problems == {}
    assert clean["postcode"] == "NE1 1AD" and (clean["lon"], clean["lat"]) == (-1.6174, 54.9675) and clean["travel_km"] == 2.0


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"name": ""}, "name", "Name is required"),
        ({"service_type": "spa"}, "service_type", "Type must be one of"),
        ({"tier": "gold"}, "tier", "Tier must be one of"),
        ({"postcode": "XX"}, "postcode", "not a UK postcode"),
        ({"postcode": "SW1A 1AA"}, "postcode", "not a current postcode in NENC or BNSSG"),
        ({"name": "=HYPERLINK(\"http://x\")"}, "name", "formula"),
        ({"name": "<script>alert(1)</script>"}, "name", "HTML"),
        ({"capacity_families": "-5"}, "capacity_families", "must not be negative"),
        ({"capacity_families": "lots"}, "capacity_families", "not a whole number"),
        ({"travel_km": "0"}, "travel_km", "more than 0"),
        ({"as_of": "31/12/2030"}, "as_of", "in the future"),
        ({"funding_end": "31 March"}, "funding_end", "is not a date"),
        ({"age_min_months": "12", "age_max_months": "6"}, "age_max_months", "below youngest"),
        ({"status": "public", "source": ""}, "source", "needs its source"),
        ({"catchment_level": "lad", "catchment_codes": "E99999999", "travel_km": ""}, "catchment_codes", "Unknown local authority code"),
        ({"postcode": "", "travel_km": ""}, "catchment_codes", "Give a catchment"),
    ],
)
def test_validation_messages(change, field, message):
    _, problems = validate_service(GOOD | change, PLACES, TODAY)
    assert field in problems and message in problems[field], problems


def test_uk_dates_and_footprint_without_location():
    clean, problems = validate_service(
        {"name": "NEWPIP", "service_type": "specialised parent-infant relationship team", "tier": "specialist",
         "status": "public", "source": "Rare Jewels", "catchment_codes": "E08000021", "as_of": "30/06/2021", "funding_end": "2027-03-31"},
        PLACES, TODAY,
    )
    assert problems == {}
    assert clean["catchment_level"] == "lad" and clean["as_of"] == dt.date(2021, 6, 30) and clean["funding_end"] == dt.date(2027, 3, 31)


def _csv(rows, encoding="utf-8-sig"):
    return pd.DataFrame(rows).to_csv(index=False).encode(encoding)


def test_import_good_files_in_excel_encodings():
    rows = [GOOD | {"name": "Café clinic"}, GOOD | {"name": "Second", "as_of": "01/02/2025"}]
    for data in (_csv(rows, "utf-8-sig"), _csv(rows, "cp1252")):
        result = parse_register(data, "services.csv", PLACES, TODAY)
        assert result.ok and [r["name"] for r in result.records] == ["Café clinic", "Second"]
    labelled = pd.DataFrame(rows).rename(columns=LABELS)
    buffer = io.BytesIO()
    labelled.to_excel(buffer, index=False)
    result = parse_register(buffer.getvalue(), "services.xlsx", PLACES, TODAY)
    assert result.ok and result.records[1]["as_of"] == dt.date(2025, 2, 1)


def test_bad_file_lists_every_problem_with_row_and_column():
    rows = [GOOD, GOOD | {"postcode": "ZZ9 9ZZ"}, GOOD | {"tier": "gold", "capacity_families": "=1+1"}]
    result = parse_register(_csv(rows), "services.csv", PLACES, TODAY)
    assert not result.ok
    problems = result.problem_table()
    assert set(zip(problems["Row"], problems["Column"])) == {(3, "Postcode"), (4, "Tier"), (4, "Capacity (families a year)")}
    assert "ZZ9 9ZZ" in problems["Problem"].iloc[0]


@pytest.mark.parametrize(
    "data,name,message",
    [
        (b"Name,Tier\nx,universal\n", "s.csv", "Missing required column(s): Type, Status"),
        (b"\x00\x01\x02", "s.xlsx", "s.xlsx is not an Excel workbook"),
        (b"a,b\n", "s.pdf", "Use a .csv or .xlsx file"),
        (b"x" * (5 * 1024 * 1024 + 1), "s.csv", "the limit is 5,242,880 bytes (5.0 MB)"),
    ],
)
def test_unreadable_files_refused(data, name, message):
    result = parse_register(data, name, PLACES, TODAY)
    assert not result.ok and message in result.problems[0].message


def test_export_has_footer_and_neutralised_cells():
    services = pd.DataFrame([{"id": 1, **{k: None for k in FIELDS}, "name": "=cmd|' /C calc'!A0", "status": "illustrative"}])
    out = export_frame(services, "Source: PAIR Atlas")
    assert out.iloc[0]["Name"] == "'=cmd|' /C calc'!A0" and out.iloc[0]["Status"] == "illustrative"
    assert out.iloc[-1]["ID"] == "Source: PAIR Atlas"
    assert neutralise("+44") == "'+44" and neutralise("ok") == "ok" and neutralise(5) == 5


def test_starter_register_is_sourced_and_labelled(store):
    publics = public_services()
    assert any(p["name"].startswith("NEWPIP") and "Rare Jewels" in p["source"] and p["as_of"] == "2021-06-30" for p in publics)
    pcs = store.postcodes()
    lsoas = store.lsoas("iod2025")
    places = Places(postcodes=dict(zip(pcs["postcode"], zip(pcs["lon"], pcs["lat"]))),
                    codes={"lad": set(lsoas["lad_code"]), "sicbl": set(lsoas["sicbl_code"]), "icb": set(lsoas["icb_code"])})
    records = starter_records(lsoas, store.gp_practices(), places)
    illustrative = [r for r in records if r["status"] == "illustrative"]
    assert len(illustrative) == len(illustrative_services(lsoas, store.gp_practices())) > 50
    assert all(r["name"].startswith("Illustrative") and "not a real service" in r["source"] for r in illustrative)
    assert {r["service_type"] for r in illustrative} == {"health-visitor baby clinic", "family hub"}
    # Every local authority of both ICBs has at least one illustrative clinic; same seed, same set.
    assert {r["commissioner"].replace(" Council (illustrative)", "") for r in illustrative} == set(lsoas["lad_name"])
    assert illustrative == [r for r in starter_records(lsoas, store.gp_practices(), places) if r["status"] == "illustrative"]
