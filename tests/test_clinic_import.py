"""Attendance extract checking: broken files give their specific message, good Excel exports load."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from dashboard.clinic_import import check_extract, guess_mapping, read_extract

POSTCODES = pd.Series({"NE1 1AD": "E01033548", "BS1 4DJ": "E01014540", "NE66 9ZZ": pd.NA})
LSOAS = {"E01033548", "E01014540", "E01008162"}
TODAY = dt.date(2026, 11, 22)
HEADERS = ["Attendance date", "Clinic", "Child ID", "Age (weeks)", "Home postcode", "Ethnic group"]


def _extract(rows, headers=HEADERS) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=headers).astype("string")


def _check(frame: pd.DataFrame):
    return check_extract(frame, guess_mapping(list(frame.columns)), POSTCODES, LSOAS, TODAY)


GOOD = ["03/04/2025", "Clinic A", "C1", "6", "ne1 1ad", "White"]


def test_good_rows_become_lsoas_and_postcodes_are_dropped():
    checked = _check(_extract([GOOD, ["2025-05-01", "Clinic A", "C1", "10", "BS1 4DJ", ""]]))
    assert checked.problems.empty and len(checked.valid) == 2
    assert checked.valid["lsoa_code"].tolist() == ["E01033548", "E01014540"]
    assert "postcode" not in checked.valid.columns
    assert checked.valid["month"].tolist() == ["2025-04", "2025-05"]


@pytest.mark.parametrize(
    "row,column,message",
    [
        (["31/02/2025", "Clinic A", "C2", "6", "NE1 1AD", "White"], "Attendance date", "is not a date"),
        (["01/01/2027", "Clinic A", "C2", "6", "NE1 1AD", "White"], "Attendance date", "lies in the future"),
        (["01/04/2025", "Clinic A", "C2", "130", "NE1 1AD", "White"], "Child's age (weeks)", "out of range"),
        (["01/04/2025", "Clinic A", "C2", "six", "NE1 1AD", "White"], "Child's age (weeks)", "is not a number"),
        (["01/04/2025", "Clinic A", "C2", "6", "NOTAPC", "White"], "Home postcode", "is not a UK postcode"),
        (["01/04/2025", "Clinic A", "C2", "6", "SW1A 1AA", "White"], "Home postcode", "not a current postcode in NENC or BNSSG"),
        (["01/04/2025", "", "C2", "6", "NE1 1AD", "White"], "Clinic", "Clinic is empty"),
        (GOOD, "Child ID (pseudonymous)", "duplicate row"),
    ],
)
def test_each_problem_named_with_row_and_column(row, column, message):
    checked = _check(_extract([GOOD, row]))
    problems = checked.problems
    assert len(problems) == 1, problems
    assert problems.iloc[0]["Row"] == 3 and problems.iloc[0]["Column"] == column
    assert message in problems.iloc[0]["Problem"]
    assert len(checked.valid) == 1 and len(checked.rejected_rows) == 1


def test_optional_fields_never_drop_an_attendance():
    """'White British', NHS code 'H', 'Not stated' and an unknown value are all kept; the
    unknown one counts as not stated and is reported in the check summary."""
    rows = [GOOD, ["02/04/2025", "Clinic A", "C2", "6", "NE1 1AD", "White British"], ["03/04/2025", "Clinic A", "C3", "6", "NE1 1AD", "Not stated"],
            ["04/04/2025", "Clinic A", "C4", "6", "NE1 1AD", "H"], ["05/04/2025", "Clinic A", "C5", "6", "NE1 1AD", "Martian"],
            ["06/04/2025", "Clinic A", "C6", "6", "NE1 1AD", "White and Black Caribbean"]]
    checked = _check(_extract(rows))
    assert checked.problems.empty and len(checked.valid) == 6
    assert checked.valid["ethnic_group"].tolist() == [
        "White", "White", "Not stated or not recognised", "Asian, Asian British or Asian Welsh", "Not stated or not recognised",
        "Mixed or Multiple ethnic groups"]
    assert any("Ethnic group: 1 value(s) not recognised (for example 'Martian')" in n for n in checked.notes)


def test_parent_age_bands_from_variants_and_ages():
    from dashboard.clinic_import import parent_age_band

    bands, recognised = parent_age_band(pd.Series(["20-24", "<20", "31", "40+", "35 to 39", "old", None], dtype="string"))
    assert bands.tolist()[:6] == ["20 to 24", "Under 20", "30 to 34", "40 and over", "35 to 39", "Not stated or not recognised"]
    assert pd.isna(bands.iloc[6]) and recognised.tolist() == [True, True, True, True, True, False, True]


def test_missing_required_column():
    frame = _extract([GOOD[:3]], HEADERS[:3])
    checked = _check(frame)
    assert checked.valid.empty
    assert "Missing required column(s)" in checked.problems.iloc[0]["Problem"]
    assert "Child's age (weeks) or Month of birth" in checked.problems.iloc[0]["Problem"]


def test_month_of_birth_and_lsoa_codes():
    frame = _extract([["15/06/2025", "Clinic B", "C9", "04/2025", "E01008162"], ["15/06/2025", "Clinic B", "C8", "2025-05", "E01999999"]],
                     ["Attendance date", "Clinic", "Child ID", "Month of birth", "LSOA code"])
    checked = _check(frame)
    assert checked.valid["age_weeks"].iloc[0] == pytest.approx((dt.date(2025, 6, 15) - dt.date(2025, 4, 15)).days / 7, abs=0.1)
    assert checked.valid["lsoa_code"].iloc[0] == "E01008162"
    assert "is not a 2021 LSOA in NENC or BNSSG" in checked.problems.iloc[0]["Problem"]


def test_postcode_outside_every_polygon_is_counted_not_used():
    checked = _check(_extract([GOOD, ["03/04/2025", "Clinic A", "C5", "6", "NE66 9ZZ", "White"]]))
    assert checked.problems.empty and checked.unmatched_postcodes == 1 and len(checked.valid) == 1


def test_excel_exports_read(tmp_path):
    frame = pd.DataFrame([GOOD, ["04/04/2025", "Clinique Café", "C2", "7", "BS1 4DJ", "White"]], columns=HEADERS)
    for data, name in (
        (frame.to_csv(index=False).encode("utf-8-sig"), "x.csv"),
        (frame.to_csv(index=False).encode("cp1252"), "x.csv"),
    ):
        raw = read_extract(data, name)
        checked = _check(raw)
        assert checked.problems.empty and checked.valid["clinic"].tolist() == ["Clinic A", "Clinique Café"]
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    assert _check(read_extract(buffer.getvalue(), "x.xlsx")).problems.empty


def test_unreadable_files():
    with pytest.raises(ValueError, match="neither UTF-8, UTF-16 nor Windows-1252 text \\(undecodable bytes on line 2\\)"):
        read_extract(b"Attendance date,Clinic\n\x81\x8d\x8f,\x90\n", "x.csv")
    with pytest.raises(ValueError, match="limit is 104,857,600 bytes \\(100.0 MB\\)"):
        read_extract(b"a" * (100 * 1024 * 1024 + 1), "x.csv")
    with pytest.raises(ValueError, match="has a header but no rows"):
        read_extract(b"Attendance date,Clinic\n", "x.csv")
