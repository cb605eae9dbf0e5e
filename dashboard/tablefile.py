"""Reading an uploaded table (CSV or XLSX) safely, with messages a person can act on (no Streamlit).

* **Size before parsing.** The file's bytes against the limit; for a workbook, the size each
  part unpacks to and its compression ratio are read from the zip directory *before* anything
  is inflated (a decompression bomb is refused without being opened); rows are counted while
  streaming and reading stops one row past the limit.
* **Workbooks.** The first *visible* sheet with the expected column headings is read (a hidden
  sheet, or a cover sheet before the data, is skipped, and a note says which sheet was read); macro-enabled workbooks are refused; a text file renamed .xlsx is
  named as such. Formula cells are read as the values Excel saved with them; a formula with no
  saved value (written by a program, never calculated) is refused, naming its cell, rather than
  read as empty.
* **Text files.** UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1252; a file that
  mixes UTF-8 and Windows-1252 is refused with the first line that does, rather than stored
  garbled; NUL bytes are refused. The delimiter (comma, semicolon, tab, bar) is detected.
* **Header row.** Given the headers a caller knows, title rows above the header are skipped
  (up to 10) and the note says on which row the header was found.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

import pandas as pd

MAX_RATIO = 100  # a worksheet compresses about 5-20 times; far beyond that is a bomb
TITLE_ROWS = 10
_MIXED = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v>\s*[^<\s]")
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')


class FileProblem(ValueError):
    """The file cannot be read; the message says why, for the person who uploaded it."""


@dataclass
class TableRead:
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    #: the file's row number of the frame's first row (1-based; the header is the row above)
    first_row: int = 2


def _mb(n: float) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def read(data: bytes, filename: str, max_bytes: int, max_rows: int, known_headers: set[str] | None = None) -> TableRead:
    if len(data) > max_bytes:
        raise FileProblem(f"The file is {len(data):,} bytes ({_mb(len(data))}); the limit is {max_bytes:,} bytes ({_mb(max_bytes)})")
    if not data.strip():
        raise FileProblem(f"{filename} is empty")
    name = filename.lower()
    if name.endswith((".xlsm", ".xltm", ".xlsb")):
        raise FileProblem(f"{filename} is a macro-enabled workbook: save it as .xlsx (Excel Workbook) or .csv and upload that")
    if name.endswith(".xlsx"):
        rows, notes = _workbook_rows(data, filename, max_bytes, max_rows + TITLE_ROWS + 1, known_headers)
    elif name.endswith((".csv", ".txt")):
        rows, notes = _text_rows(data, filename, max_rows + TITLE_ROWS + 1)
    else:
        raise FileProblem("Use a .csv or .xlsx file")
    return _frame(rows, filename, max_rows, known_headers, notes)


def _has_header(rows: list[list], known: set[str] | None) -> bool:
    wanted = {k.strip().lower() for k in known or ()}
    return any(sum(str(v).strip().lower() in wanted for v in row if v is not None) >= 2 for row in rows)


def _workbook_rows(data: bytes, filename: str, max_bytes: int, row_cap: int, known: set[str] | None = None) -> tuple[list[list], list[str]]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except zipfile.BadZipFile:
        raise FileProblem(f"{filename} is not an Excel workbook (it may be a CSV or another file renamed .xlsx): save it from Excel as .xlsx or .csv") from None
    inflated = sum(i.file_size for i in infos)
    limit = 6 * max_bytes
    if inflated > limit:
        raise FileProblem(f"{filename} unpacks to {_mb(inflated)}, more than the {_mb(limit)} a workbook of this size may hold: "
                          "it was not opened. Save the data as CSV, or split it")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileProblem(f"{filename} has a part that unpacks {info.file_size // max(info.compress_size, 1):,} times larger than it is stored "
                              "(a decompression bomb, or a sheet of empty formatted cells): it was not opened. Save the data as CSV")
    if "vbaProject.bin" in " ".join(i.filename for i in infos):
        raise FileProblem(f"{filename} contains macros: save it as .xlsx (Excel Workbook) or .csv and upload that")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise FileProblem(f"{filename} cannot be read as an Excel workbook: save it again from Excel as .xlsx, or as .csv") from None
    notes = []
    try:
        visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
        if not visible:
            raise FileProblem(f"{filename} has no visible sheet")
        sheet = visible[0]
        if known and len(visible) > 1:
            # the data may sit on a later sheet behind a cover or notes sheet: take the first
            # visible sheet whose top rows hold the expected headers
            sheet = next((ws for ws in visible if _has_header(list(ws.iter_rows(max_row=TITLE_ROWS + 1, values_only=True)), known)), sheet)
        _refuse_uncalculated(archive, getattr(sheet, "_worksheet_path", ""), filename)
        if len(book.worksheets) > 1:
            which = "the first visible one" if sheet is visible[0] else "the first with the expected column headings"
            notes.append(f"Read the sheet '{sheet.title}' ({which} of {len(book.worksheets)}).")
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > row_cap:
                break
        return rows, notes
    finally:
        book.close()


def _refuse_uncalculated(archive: zipfile.ZipFile, part: str, filename: str) -> None:
    """Refuse a sheet with formula cells that carry no saved result (openpyxl would read them as
    empty, silently). The part's size is already bounded by the bomb checks above."""
    try:
        xml = archive.read(part.lstrip("/"))
    except KeyError:
        return
    if not _HAS_FORMULA.search(xml):
        return
    cells = []
    for match in _CELL.finditer(xml):
        inner = match.group(2) or b""
        if _HAS_FORMULA.search(inner) and not _VALUE.search(inner):
            ref = _REF.search(match.group(1))
            cells.append(f"{ref.group(1).decode()}{ref.group(2).decode()}" if ref else "?")
    if cells:
        shown = ", ".join(cells[:3]) + (f" and {len(cells) - 3:,} more" if len(cells) > 3 else "")
        raise FileProblem(f"{filename} has formulas with no saved result (cell {shown}), which would be read as empty: "
                          "open it in Excel, let it calculate and save it (or paste the values), then upload it again")


def _decode(data: bytes, filename: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileProblem(f"{filename} starts as UTF-16 text but is not valid UTF-16") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for number, line in enumerate(data.split(b"\n"), start=1):
        if _MIXED.search(line):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            raise FileProblem(f"{filename} mixes UTF-8 and Windows-1252 characters (line {number} is UTF-8, others are not): "
                              "save it again as 'CSV UTF-8' so names are not stored garbled")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileProblem(f"{filename} is neither UTF-8, UTF-16 nor Windows-1252 text (undecodable bytes on line {line}): "
                          "save it again as 'CSV UTF-8'") from None


def _text_rows(data: bytes, filename: str, row_cap: int) -> tuple[list[list], list[str]]:
    text = _decode(data, filename)
    if "\x00" in text:
        raise FileProblem(f"{filename} contains NUL bytes, so it is not a text CSV file (it may be a workbook or another binary file)")
    sample = "\n".join(text.splitlines()[: TITLE_ROWS + 5])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    notes = [] if delimiter == "," else [f"Columns separated by {'a tab' if delimiter == chr(9) else repr(delimiter)} were read."]
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > row_cap:
                break
    except csv.Error as exc:
        raise FileProblem(f"{filename} cannot be read as CSV at line {len(rows) + 1}: {exc}") from None
    return rows, notes


def _frame(rows: list[list], filename: str, max_rows: int, known: set[str] | None, notes: list[str]) -> TableRead:
    filled = [i for i, r in enumerate(rows) if any(v not in (None, "") for v in r)]
    if not filled:
        raise FileProblem(f"{filename} has no rows")
    header_at = filled[0]
    if known:
        wanted = {k.strip().lower() for k in known}
        for i, row in enumerate(rows[: TITLE_ROWS + 1]):
            if sum(str(v).strip().lower() in wanted for v in row if v is not None) >= 2:
                header_at = i
                break
        if header_at > filled[0]:
            notes.append(f"The header was found on row {header_at + 1}; the {header_at} row(s) above it were skipped.")
    header = ["" if v is None else str(v).strip() for v in rows[header_at]]
    body = rows[header_at + 1:]
    if len(body) > max_rows:
        raise FileProblem(f"{filename} has more than {max_rows:,} rows of data; the limit is {max_rows:,}")
    seen: dict[str, int] = {}
    names = []
    for i, h in enumerate(header):
        h = h or f"(column {i + 1})"
        seen[h] = seen.get(h, 0) + 1
        names.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    width = len(names)
    cells = [[("" if v is None else v) for v in (list(r) + [None] * width)[:width]] for r in body]
    frame = pd.DataFrame(cells, columns=names, dtype=object)
    if not len(frame):
        raise FileProblem(f"{filename} has a header but no rows")
    return TableRead(frame, notes, header_at + 2)
