"""The hostile-input corpus: files and form texts that try every way an upload or a form has been
seen to go wrong, generated here (nothing binary or large is kept in git).

Each :class:`Case` is a file for one uploader (``register``: Map and gaps > Service register >
Import; ``extract``: Baby clinic reach > upload) with what must happen to it: ``accepted`` (read
correctly, ``rows`` valid rows) or ``refused`` (a message containing ``says``, naming ``row``
where there is one). :data:`TEXTS` are strings for every free-text form field.

Write the corpus to a folder (for a person to try in the browser)::

    python -m tests.data.hostile.corpus /tmp/hostile
"""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from openpyxl import Workbook

# Markdown and HTML that would fetch from, or link to, a host: never rendered anywhere.
MARK_IMAGE = "![tracker](http://hostile.invalid/pixel.png)"
MARK_LINK = "[click me](http://hostile.invalid/phish)"
SCRIPT = "<script>alert('pwned')</script>"
IMG_TAG = "<img src=x onerror=alert(1)>"
FORMULAS = ['=HYPERLINK("http://hostile.invalid","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"]
BIDI = "Clinic \u202egnp.exe"
ZERO_WIDTH = "Baby\u200b clinic"
LONG = "x" * 100_000

#: form texts: (text, must be refused by the form's check). Markdown-looking text is allowed
#: (names may hold brackets) but must be shown as typed, never rendered.
TEXTS: list[tuple[str, bool]] = [
    (MARK_IMAGE, False),
    (MARK_LINK + " **bold** _it_ `code` # heading", False),
    (SCRIPT, True),
    (IMG_TAG, True),
    *[(f, True) for f in FORMULAS],
    (BIDI, True),
    (ZERO_WIDTH, True),
    ("tab\there", True),
    ("nul\x00byte", True),
    (LONG, True),
]

REGISTER_HEADER = ["Name", "Type", "Tier", "Status", "Postcode", "Travel distance (km)", "Capacity (families a year)", "Annual cost (GBP)", "As of"]
EXTRACT_HEADER = ["Attendance date", "Clinic", "Child ID", "Age (weeks)", "LSOA code"]
NENC_LSOAS = ["E01008162", "E01008163", "E01008164"]


@dataclass
class Case:
    name: str           # the file's name (its extension matters)
    target: str         # "register" or "extract"
    expect: str         # "accepted" or "refused"
    says: str = ""      # part of the message (refused) or of a note (accepted)
    row: int | None = None  # the file's row a refusal names
    rows: int | None = None  # valid rows when accepted
    what: str = ""      # the hostile idea, in words
    data: bytes = b""

    def meta(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "data"}


def _service(n: int, name: str | None = None, cap="10", cost="1000", as_of="", postcode="NE1 1AD") -> list[str]:
    return [name or f"Corpus clinic {n}", "health-visitor baby clinic", "universal", "local", postcode, "2", str(cap), str(cost), as_of]


def _attendance(n: int, date="03/02/2025", clinic="Corpus clinic A", lsoa=None) -> list[str]:
    return [date, clinic, f"C{n:07d}", str(5 + n % 40), lsoa or NENC_LSOAS[n % 3]]


def _csv(rows: list[list], sep: str = ",") -> str:
    out = io.StringIO()
    import csv

    csv.writer(out, delimiter=sep, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _xlsx(sheets: list[tuple[str, list[list], str]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        ws = book.create_sheet(title)
        ws.sheet_state = state
        for r in rows:
            ws.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(data: bytes, change) -> bytes:
    """The workbook with each part passed through ``change(name, bytes) -> bytes`` (and extra parts)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()


def _with_cached_formulas(data: bytes, cached: bool) -> bytes:
    """openpyxl writes formulas without results; give them one (as Excel does), or leave them."""
    def change(name, body):
        if name.startswith("xl/worksheets/") and cached:
            return re.sub(rb"<f>([^<]*)</f><v\s*/?>(?:</v>)?", rb"<f>\1</f><v>10</v>", body)
        return body
    return _rezip(data, change)


def _bomb(inflated_mb: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"<row><c><v>1</v></c></row>" * 40_000  # about 1 MB, written a chunk at a time
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(inflated_mb):
                part.write(chunk)
    return out.getvalue()


def register_cases() -> list[Case]:
    H = REGISTER_HEADER
    ok = [H, _service(1), _service(2, postcode="BS1 4DJ")]
    text = _csv(ok)
    cases = [
        Case("utf8.csv", "register", "accepted", rows=2, what="plain UTF-8", data=text.encode()),
        Case("utf8-bom.csv", "register", "accepted", rows=2, what="UTF-8 with a byte-order mark", data=text.encode("utf-8-sig")),
        Case("utf16.csv", "register", "accepted", rows=2, what="UTF-16 (Excel's 'Unicode text')", data=text.encode("utf-16")),
        Case("latin1.csv", "register", "accepted", rows=1, what="Windows-1252 accents",
             data=_csv([H, _service(1, "Café clinic, Hexham")]).encode("cp1252")),
        Case("mixed-encoding.csv", "register", "refused", "mixes UTF-8 and Windows-1252", what="UTF-8 and Windows-1252 in one file",
             data=_csv([H, _service(1, "Café A")]).encode("utf-8") + _csv([_service(2, "Café B")]).encode("cp1252")),
        Case("undecodable.csv", "register", "refused", "neither UTF-8, UTF-16 nor Windows-1252", what="bytes no encoding maps",
             data=text.encode() + b"\x81\x8d\x8f\x90\x9d,x\n"),
        Case("semicolon.csv", "register", "accepted", "separated by ';'", rows=2, what="semicolon-separated", data=_csv(ok, ";").encode()),
        Case("tab.txt", "register", "accepted", "a tab", rows=2, what="tab-separated", data=_csv(ok, "\t").encode()),
        Case("missing-column.csv", "register", "refused", "Missing required column(s): Type", row=1, what="a required column left out",
             data=_csv([[c for c in H if c != "Type"], [v for c, v in zip(H, _service(1)) if c != "Type"]]).encode()),
        Case("renamed-header.csv", "register", "refused", "Missing required column(s): Name", what="a header renamed",
             data=_csv([["Service name", *H[1:]], _service(1)]).encode()),
        Case("duplicate-header.csv", "register", "accepted", rows=1, what="a header repeated (the first is used)",
             data=_csv([[*H, "Name"], [*_service(1), "Other"]]).encode()),
        Case("empty.csv", "register", "refused", "is empty", what="no bytes", data=b""),
        Case("header-only.csv", "register", "refused", "a header but no rows", what="a header and nothing else", data=_csv([H]).encode()),
        Case("text-renamed.xlsx", "register", "refused", "not an Excel workbook", what="a CSV renamed .xlsx", data=text.encode()),
        Case("macros.xlsm", "register", "refused", "macro-enabled", what="a macro-enabled workbook", data=_xlsx([("Register", ok, "visible")])),
        Case("vba-inside.xlsx", "register", "refused", "contains macros", what="an .xlsx carrying a VBA project",
             data=_vba(_xlsx([("Register", ok, "visible")]))),
        Case("hidden-first-sheet.xlsx", "register", "accepted", "'Register'", rows=2, what="a hidden first sheet with other data",
             data=_xlsx([("Old", [["Name", "Type"], ["stale", "x"]], "hidden"), ("Register", ok, "visible")])),
        Case("data-on-sheet-2.xlsx", "register", "accepted", "'Data'", rows=2, what="a cover sheet, then the data",
             data=_xlsx([("Cover", [["PAIR services register"], ["Prepared for the ICB"]], "visible"), ("Data", ok, "visible")])),
        Case("title-rows.csv", "register", "accepted", "row 3", rows=2, what="two title rows above the header",
             data=("PAIR services register, NENC\nExported 01/11/2026\n" + text).encode()),
        Case("formula-no-result.xlsx", "register", "refused", "no saved result (cell G2)", what="a formula never calculated",
             data=_with_cached_formulas(_xlsx([("Register", [H, [*_service(1)[:6], "=5*2", "1000", ""]], "visible")]), cached=False)),
        Case("formula-with-result.xlsx", "register", "accepted", rows=1, what="a formula with Excel's saved result (read as 10)",
             data=_with_cached_formulas(_xlsx([("Register", [H, [*_service(1)[:6], "=5*2", "1000", ""]], "visible")]), cached=True)),
        Case("bomb.xlsx", "register", "refused", "not opened", what="a 0.1 MB workbook that unpacks to 64 MB", data=_bomb(64)),
        Case("near-limit.csv", "register", "accepted", rows=4800, what="just under the 5 MB limit",
             data=_csv([H + ["Source"], *[[*_service(i), "S" * 1000] for i in range(4800)]]).encode()),
        Case("over-limit.csv", "register", "refused", "the limit is 5,242,880 bytes (5.0 MB)", what="just over the 5 MB limit",
             data=text.encode() + b"#" * (5 * 1024 * 1024)),
        Case("million-rows.csv", "register", "refused", "the limit is 5,242,880 bytes (5.0 MB)", what="a million rows",
             data=_csv([H]).encode() + b"A,b,c,d,e,f,g,h,i\n" * 1_000_000),
        Case("long-cell.csv", "register", "refused", "longer than 200 characters", row=2, what="a 100,000-character name",
             data=_csv([H, _service(1, LONG)]).encode()),
        Case("nul.csv", "register", "refused", "NUL bytes", what="NUL bytes in a text file", data=text.encode()[:20] + b"\x00\x00" + text.encode()[20:]),
        Case("bidi.csv", "register", "refused", "U+202E", row=2, what="a right-to-left override in a name", data=_csv([H, _service(1, BIDI)]).encode()),
        Case("zero-width.csv", "register", "refused", "U+200B", row=2, what="a zero-width space in a name", data=_csv([H, _service(1, ZERO_WIDTH)]).encode()),
        Case("formula-injection.csv", "register", "refused", "a spreadsheet would run as a formula", row=2, what="formula cells",
             data=_csv([H, *[_service(i, f) for i, f in enumerate(FORMULAS)]]).encode()),
        Case("html.csv", "register", "refused", "HTML or markup", row=2, what="script and image tags",
             data=_csv([H, _service(1, SCRIPT), _service(2, IMG_TAG)]).encode()),
        Case("markdown.csv", "register", "accepted", rows=2, what="markdown image and link in names (kept as text, shown as typed)",
             data=_csv([H, _service(1, MARK_IMAGE), _service(2, MARK_LINK)]).encode()),
        Case("overflow.csv", "register", "refused", "is not a whole number", row=2, what="inf, 1e400, nan, 1e308",
             data=_csv([H, _service(1, cap="inf"), _service(2, cap="1e400"), _service(3, cost="1e308"), _service(4, cap="nan")]).encode()),
        Case("ancient-dates.csv", "register", "refused", "before 2000", row=2, what="dates in year 1 and 1899",
             data=_csv([H, _service(1, as_of="0001-01-01"), _service(2, as_of="31/12/1899")]).encode()),
        Case("us-date.csv", "register", "refused", "is not a date", row=2, what="a month/day date", data=_csv([H, _service(1, as_of="03/31/2025")]).encode()),
        Case("identical-rows.csv", "register", "refused", "repeats row 2", row=3, what="three identical rows",
             data=_csv([H, _service(1), _service(1), _service(1)]).encode()),
    ]
    return cases


def _vba(workbook: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 512)
    return out.getvalue()


def extract_cases() -> list[Case]:
    H = EXTRACT_HEADER
    good = [H, *[_attendance(i) for i in range(30)]]
    text = _csv(good)
    return [
        Case("extract-utf16.csv", "extract", "accepted", rows=30, what="UTF-16", data=text.encode("utf-16")),
        Case("extract-semicolon.csv", "extract", "accepted", "separated by ';'", rows=30, what="semicolons", data=_csv(good, ";").encode()),
        Case("extract-title-rows.csv", "extract", "accepted", "row 2", rows=30, what="a title row", data=("Clinic attendance, Q1\n" + text).encode()),
        Case("extract-mixed.csv", "extract", "refused", "mixes UTF-8 and Windows-1252", what="mixed encodings",
             data=_csv([H, _attendance(1, clinic="Café A")]).encode() + _csv([_attendance(2, clinic="Café B")]).encode("cp1252")),
        Case("extract-us-dates.csv", "extract", "refused", "month/day (US)", row=2, what="US dates",
             data=_csv([H, _attendance(1, "03/31/2025"), _attendance(2, "04/15/2025")]).encode()),
        Case("extract-ancient.csv", "extract", "refused", "2015", row=2, what="dates in year 1 and 1899",
             data=_csv([H, _attendance(1, "01/01/0001"), _attendance(2, "31/12/1899")]).encode()),
        Case("extract-hostile-clinics.csv", "extract", "accepted", rows=6, what="markdown, HTML and formula clinic names (counted, shown as typed)",
             data=_csv([H, *[_attendance(i, clinic=c) for i, c in enumerate([MARK_IMAGE, MARK_LINK, SCRIPT, IMG_TAG, FORMULAS[0], FORMULAS[1]])]]).encode()),
        Case("extract-nul.csv", "extract", "refused", "NUL bytes", what="NUL bytes", data=text.encode().replace(b"Corpus", b"Cor\x00pus", 1)),
        Case("extract-bomb.xlsx", "extract", "refused", "not opened", what="a decompression bomb (a 0.1 MB file, a 64 MB sheet)", data=_bomb(64)),
        Case("extract-sheet-2.xlsx", "extract", "accepted", "'Attendances'", rows=30, what="data on the second sheet",
             data=_xlsx([("Read me", [["Extract notes"], ["Q1 2025"]], "visible"), ("Attendances", good, "visible")])),
        Case("extract-formula-no-result.xlsx", "extract", "refused", "no saved result", what="a formula never calculated",
             data=_with_cached_formulas(_xlsx([("Sheet1", [H, [*_attendance(1)[:3], "=2+3", NENC_LSOAS[0]]], "visible")]), cached=False)),
        Case("extract-million-rows.csv", "extract", "refused", "more than 1,000,000 rows", what="a million and one rows",
             data=_csv([H]).encode() + b"03/02/2025,A,C1,5,E01008162\n" * 1_000_001),
        Case("extract-over-limit.csv", "extract", "refused", "the limit is 104,857,600 bytes (100.0 MB)", what="over the 100 MB upload limit",
             data=text.encode() + b"#" * (100 * 1024 * 1024)),
        Case("extract-empty.csv", "extract", "refused", "is empty", what="no bytes", data=b"   \n"),
    ]


def cases() -> list[Case]:
    return register_cases() + extract_cases()


def write(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    made = cases()
    for case in made:
        (folder / case.target).mkdir(exist_ok=True)
        (folder / case.target / case.name).write_bytes(case.data)
    (folder / "manifest.json").write_text(json.dumps({"cases": [c.meta() for c in made], "texts": TEXTS}, indent=1, ensure_ascii=True))
    return made


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/data/hostile/generated")
    made = write(out)
    print(f"{len(made)} files written to {out} (manifest.json says what each must do)")
