"""Hostile and awkward uploads, generated here (no binaries in git): each is read correctly or
refused with a message that names the problem (and the row where there is one); none raises
anything but the reader's own error, and a bomb is refused before it is inflated."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest

from dashboard import tablefile
from dashboard.clinic_import import check_extract, guess_mapping, read_extract
from dashboard.services import MAX_FILE_BYTES, MAX_ROWS, parse_register
from tests.data.hostile.corpus import _xlsx
from tests.test_services import PLACES, TODAY

HEADER = "Name,Type,Tier,Status,Postcode,Travel distance (km),Capacity (families a year),Annual cost (GBP),As of"
ROW = "Clinic {n},health-visitor baby clinic,universal,local,NE1 1AD,2,{cap},{cost},{asof}"


def _register_csv(rows: list[str], header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def _problems(result) -> str:
    return " | ".join(f"{p.row}:{p.column}:{p.message}" for p in result.problems)


def test_encodings_and_delimiters_are_read():
    utf16 = _register_csv([ROW.format(n=1, cap=10, cost=100, asof="")], encoding="utf-16")
    assert parse_register(utf16, "r.csv", PLACES, TODAY).ok
    latin = _register_csv([ROW.format(n=1, cap=10, cost=100, asof="").replace("Clinic 1", "Café clinic")], encoding="cp1252")
    result = parse_register(latin, "r.csv", PLACES, TODAY)
    assert result.ok and result.records[0]["name"] == "Café clinic"
    semi = _register_csv([ROW.format(n=1, cap=10, cost=100, asof="").replace(",", ";")], HEADER.replace(",", ";"))
    assert parse_register(semi, "r.csv", PLACES, TODAY).ok
    tabs = _register_csv([ROW.format(n=1, cap=10, cost=100, asof="").replace(",", "\t")], HEADER.replace(",", "\t"))
    result = parse_register(tabs, "r.txt", PLACES, TODAY)
    assert result.ok and any("tab" in n for n in result.notes)


def test_mixed_encodings_nul_bytes_and_empty_files_are_refused_with_a_reason():
    mixed = "Café clinic".encode("utf-8") + b"\n" + "Caf\xe9".encode("latin-1") + b"\n"
    mixed = HEADER.encode() + b"\n" + ROW.format(n=1, cap=1, cost=1, asof="").encode() + b"\n" + mixed
    assert "mixes UTF-8 and Windows-1252" in _problems(parse_register(mixed, "r.csv", PLACES, TODAY))
    assert "NUL bytes" in _problems(parse_register(b"Name,Type\x00\x00,Tier\n", "r.csv", PLACES, TODAY))
    assert "is empty" in _problems(parse_register(b"", "r.csv", PLACES, TODAY))
    assert "a header but no rows" in _problems(parse_register(_register_csv([]), "r.csv", PLACES, TODAY))
    assert "Use a .csv or .xlsx" in _problems(parse_register(b"x", "r.exe", PLACES, TODAY))


def test_title_rows_above_the_header_are_skipped_and_rows_numbered_as_in_the_file():
    data = ("PAIR services register, NENC\nExported 01/11/2026\n" + HEADER + "\n" + ROW.format(n=1, cap=10, cost=100, asof="")
            + "\n" + ROW.format(n=2, cap="lots", cost=100, asof="") + "\n").encode()
    result = parse_register(data, "r.csv", PLACES, TODAY)
    assert any("row 3" in n for n in result.notes)
    assert [p.row for p in result.problems] == [5]  # the file's own row number


def test_numbers_that_overflow_or_are_implausible_are_problems_not_tracebacks():
    rows = [ROW.format(n=1, cap="inf", cost=100, asof=""), ROW.format(n=2, cap="1e400", cost=100, asof=""),
            ROW.format(n=3, cap=10, cost="1e308", asof=""), ROW.format(n=4, cap="nan", cost=100, asof="")]
    text = _problems(parse_register(_register_csv(rows), "r.csv", PLACES, TODAY))
    assert "2:Capacity" in text and "3:Capacity" in text and "'1e400' is not a whole number" in text
    assert "4:Annual cost" in text and "not plausible" in text and "5:Capacity" in text


def test_dates_in_year_1_or_1899_are_refused():
    rows = [ROW.format(n=1, cap=10, cost=1, asof="0001-01-01"), ROW.format(n=2, cap=10, cost=1, asof="31/12/1899")]
    text = _problems(parse_register(_register_csv(rows), "r.csv", PLACES, TODAY))
    assert text.count("before 2000") == 2 or ("2:As of" in text and "3:As of" in text)


def test_identical_rows_in_a_file_are_named():
    row = ROW.format(n=1, cap=10, cost=100, asof="")
    result = parse_register(_register_csv([row, row, row]), "r.csv", PLACES, TODAY)
    assert [(p.row, p.message) for p in result.problems] == [(3, "repeats row 2: remove the copy"), (4, "repeats row 2: remove the copy")]


def test_workbooks_hidden_sheets_macros_renamed_text_and_bombs():
    rows = [HEADER.split(","), ROW.format(n=1, cap=10, cost=100, asof="").split(",")]
    hidden_first = _xlsx([("Old", [["nothing", "here"]], "hidden"), ("Register", rows, "visible")])
    result = parse_register(hidden_first, "r.xlsx", PLACES, TODAY)
    assert result.ok and any("'Register'" in n for n in result.notes)
    assert "macro-enabled" in _problems(parse_register(hidden_first, "r.xlsm", PLACES, TODAY))
    assert "not an Excel workbook" in _problems(parse_register(_register_csv([]), "r.xlsx", PLACES, TODAY))
    # a bomb: a sheet of 40 MB that zips to a few kB; refused from the zip directory, never inflated
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "<c/>" * 10_000_000)
    data = bomb.getvalue()
    assert len(data) < 200_000
    text = _problems(parse_register(data, "bomb.xlsx", PLACES, TODAY))
    assert "unpacks" in text and "not opened" in text


def test_size_and_row_limits_are_checked_before_parsing_everything():
    too_big = b"x" * (MAX_FILE_BYTES + 1)
    assert "the limit is 5,242,880 bytes (5.0 MB)" in _problems(parse_register(too_big, "r.csv", PLACES, TODAY))
    many = _register_csv([ROW.format(n=i, cap=10, cost=1, asof="") for i in range(MAX_ROWS + 20)])
    assert f"more than {MAX_ROWS:,} rows" in _problems(parse_register(many, "r.csv", PLACES, TODAY))
    with pytest.raises(tablefile.FileProblem, match="limit"):
        tablefile.read(b"a,b\n" + b"1,2\n" * 11, "x.csv", 1000, 10)


def test_duplicate_headers_are_kept_apart():
    read = tablefile.read(b"Clinic,Clinic,Date\nA,B,01/01/2026\n", "x.csv", 1000, 10)
    assert list(read.frame.columns) == ["Clinic", "Clinic (2)", "Date"]


def test_us_dates_and_ancient_dates_in_an_extract_are_named():
    head = "Attendance date,Clinic,Child ID,Age (weeks),LSOA code\n"
    us = (head + "03/31/2025,A,C1,5,E01008162\n04/15/2025,A,C2,6,E01008162\n").encode()
    raw = read_extract(us, "e.csv")
    checked = check_extract(raw, guess_mapping(list(raw.columns)), pd.Series(dtype="string"), {"E01008162"}, dt.date(2026, 1, 1))
    assert checked.valid.empty and checked.problems["Problem"].str.contains("month/day \\(US\\)").all()
    old = (head + "01/01/0001,A,C1,5,E01008162\n31/12/1899,A,C2,6,E01008162\n02/02/2025,A,C3,6,E01008162\n").encode()
    raw = read_extract(old, "e.csv")
    checked = check_extract(raw, guess_mapping(list(raw.columns)), pd.Series(dtype="string"), {"E01008162"}, dt.date(2026, 1, 1))
    assert len(checked.valid) == 1 and set(checked.problems["Row"]) == {2, 3}
