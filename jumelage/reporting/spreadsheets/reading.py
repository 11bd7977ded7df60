"""Read an officer's spreadsheet as it is (XLSX, XLS, ODS or CSV) into one table per sheet,
refusing what is not a spreadsheet or is hostile, before any of it reaches an import.

Checked, in this order, each with a message that says what to do:
- the size (settings.SPREADSHEET_IMPORT_MAX_BYTES, 10 MB by default);
- what the file is, from its first bytes, never its name: an XLSX or an ODS (a ZIP holding
  xl/workbook.xml, or content.xml with an OpenDocument spreadsheet's mimetype), an XLS (an OLE2
  compound file), or text: a web page or an XML file named .xlsx or .xls (as some programs
  "export to Excel") is refused, anything else is read as CSV;
- for a ZIP, before anything parses it: the unpacked size of the archive, counted while
  actually unpacking (a "zip bomb" declares small sizes and unpacks to gigabytes), and XML
  declarations that spreadsheets never use (DOCTYPE, ENTITY: entity expansion attacks);
- workbooks are read by python-calamine in a child process held to a memory and time limit
  (calamine_child.py says why), which refuses a sheet taller than the row limit allows;
- formulas: a cell is read as the value its program last computed and saved (calamine reads
  those, and never computes anything); a formula cell saved without its value (files written
  by some programs) is noted, and the import refuses it by name; text that a spreadsheet would
  run as a formula is refused cell by cell by the import (`cells.formula_refusal`);
- the number of rows (settings.SPREADSHEET_IMPORT_MAX_ROWS, 10 000 by default) and columns.

Then each sheet is laid out as a table (`layout`): merged cells are unmerged (the value fills
the whole range), the header row is found under the title rows, and blank rows, total and
subtotal rows, repeated headers and notes below the table are skipped, each with its reason.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import pickle
import re
import subprocess
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.etree.ElementTree import XMLPullParser

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.utils.cell import coordinate_to_tuple

from jumelage.reporting.spreadsheets.cells import norm

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 10_000
MAX_COLUMNS = 60
MAX_ARCHIVE_MEMBERS = 1_000
# Title rows, blank rows and notes a sheet may hold besides its data rows.
SPARE_ROWS = 1_000
# An XLSX's or ODS's XML compresses well, but not a hundredfold on the whole archive.
UNPACKED_FACTOR = 10
# The header row is looked for among the first rows that hold something.
HEADER_SEARCH = 30
CHILD_TIMEOUT = 120
_CHUNK = 64 * 1024
_FORBIDDEN_XML = (b"<!DOCTYPE", b"<!ENTITY")
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

XLSX, XLS, ODS, CSV = "xlsx", "xls", "ods", "csv"

logger = logging.getLogger(__name__)


class FileRefused(Exception):
    """The file is not a spreadsheet we can read safely: nothing was read, nothing written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def max_bytes() -> int:
    return int(getattr(settings, "SPREADSHEET_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "SPREADSHEET_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def megabytes(size: int) -> str:
    """10 MB, 2.5 MB (in the active language's format): whole numbers without decimals."""
    value = size / (1024 * 1024)
    return number_format(value, decimal_pos=0 if value.is_integer() or value >= 10 else 1)


def too_big(size: int) -> FileRefused:
    return FileRefused(
        _(
            "The file weighs %(size)s MB, more than the %(limit)s MB allowed. Split it into "
            "several files, or keep only the data sheet (no images, no other sheets)."
        )
        % {"size": megabytes(size), "limit": megabytes(max_bytes())}
    )


def too_many_rows() -> FileRefused:
    return FileRefused(
        _(
            "The file has more than %(limit)s rows of data, the most one import takes. "
            "Split it into several files."
        )
        % {"limit": number_format(max_rows(), force_grouping=True)}
    )


@dataclass(frozen=True)
class Skipped:
    """A row left out of the table, and why (a clause: "a total row")."""

    row: int
    reason: str


@dataclass
class Table:
    """One sheet laid out: its header row, then the rows of data."""

    file_format: str
    headers: list[str]
    header_row: int
    # (row number as the spreadsheet shows it, values by column from 0)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    # (row number, column from 0) of the formula cells saved without their value
    formulas: set[tuple[int, int]] = field(default_factory=set)
    sheet: str = ""
    skipped: list[Skipped] = field(default_factory=list)


@dataclass
class Workbook:
    """Every sheet of a file that holds a table, and the sheets left aside with the reason."""

    file_format: str
    sheets: list[Table]
    left_aside: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class RawSheet:
    """A sheet as read: every row from row 1, merged ranges, and what is known of formulas."""

    name: str
    rows: list[list[Any]]
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    visible: bool = True
    # (row number, column from 0) of formula cells without a saved value
    unsaved: set[tuple[int, int]] = field(default_factory=set)
    # (row number, column from 0) of cells that add up the cells above them (SUM(E5:E20))
    sums: set[tuple[int, int]] = field(default_factory=set)


def read_table(path: Path | str) -> Table:
    """The first sheet of the file (a filled-in template's data sheet)."""
    workbook = read_workbook(path, first_only=True)
    if not workbook.sheets:
        raise FileRefused(
            _("The file holds no data. Fill in the template: its first row names the columns.")
        )
    return workbook.sheets[0]


def read_workbook(path: Path | str, *, first_only: bool = False) -> Workbook:
    """Every visible sheet of the file, each laid out as a table on its own."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes():
        raise too_big(size)
    if size == 0:
        raise FileRefused(_("The file is empty. Choose the spreadsheet you filled in."))
    with path.open("rb") as stream:
        head = stream.read(4096)
    if head.startswith(b"PK\x03\x04"):
        file_format, raw_sheets = _read_zip(path)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        file_format, raw_sheets = XLS, _read_with_calamine(path, XLS)
    else:
        file_format, raw_sheets = CSV, [_read_csv(path, head)]
    workbook = Workbook(file_format=file_format, sheets=[])
    for raw in raw_sheets[:1] if first_only else raw_sheets:
        if not raw.visible and not first_only:
            workbook.left_aside.append((raw.name, _("a hidden sheet")))
            continue
        table = layout(raw, file_format)
        if table is None:
            workbook.left_aside.append((raw.name, _("an empty sheet")))
        else:
            workbook.sheets.append(table)
    if sum(len(table.rows) for table in workbook.sheets) > max_rows():
        raise too_many_rows()
    if not workbook.sheets and not first_only:
        raise FileRefused(_("The file holds no data: every sheet is empty or hidden."))
    return workbook


def _not_a_spreadsheet() -> FileRefused:
    return FileRefused(
        _(
            "This file is not a spreadsheet. Send the template filled in, saved as Excel "
            "(.xlsx), OpenDocument (.ods) or CSV."
        )
    )


def _unreadable() -> FileRefused:
    return FileRefused(
        _(
            "This workbook could not be read: it is damaged, protected by a password, or built "
            "to exhaust servers. Open it in Excel or LibreOffice, remove any password, save it "
            "again as .xlsx or .ods, and send it again."
        )
    )


# --- ZIP archives: XLSX and ODS ------------------------------------------------------------------


def _read_zip(path: Path) -> tuple[str, list[RawSheet]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise _not_a_spreadsheet() from None
    try:
        with archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                file_format = XLSX
            elif "content.xml" in names and _is_ods(archive, names):
                file_format = ODS
            else:
                raise _not_a_spreadsheet()
            _check_archive(archive)
            formulas = _xlsx_formulas(archive) if file_format == XLSX else _ods_layout(archive)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, ElementTree.ParseError) as error:
        logger.info("Spreadsheet refused: %r", error)
        raise _unreadable() from error
    sheets = _read_with_calamine(path, file_format)
    for sheet in sheets:
        unsaved, sums, merges = formulas.get(sheet.name, (set(), set(), []))
        sheet.unsaved, sheet.sums = unsaved, sums
        if merges:
            sheet.merges = merges
    return file_format, sheets


def _is_ods(archive: zipfile.ZipFile, names: set[str]) -> bool:
    if "mimetype" not in names:
        return False
    with archive.open("mimetype") as member:
        mimetype = member.read(200).strip()
    if mimetype != _ODS_MIMETYPE:
        raise FileRefused(
            _(
                "This file is an OpenDocument text or presentation, not a spreadsheet. Send "
                "the spreadsheet itself (.ods, .xlsx or CSV)."
            )
        )
    return True


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    limit = max_bytes() * UNPACKED_FACTOR
    unpacked_refusal = FileRefused(
        _(
            "Unpacked, this workbook would be larger than %(limit)s MB: it is refused, as "
            "such files are made to exhaust servers. Copy the data into the template and save "
            "it again."
        )
        % {"limit": megabytes(limit)}
    )
    if len(members) > MAX_ARCHIVE_MEMBERS or sum(i.file_size for i in members) > limit:
        raise unpacked_refusal
    # The sizes above are what the archive declares: count what really comes out.
    unpacked = 0
    for info in members:
        if info.is_dir():
            continue
        is_xml = info.filename.endswith((".xml", ".rels", ".vml"))
        tail = b""
        first = True
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                unpacked += len(chunk)
                if unpacked > limit:
                    raise unpacked_refusal
                if not is_xml:
                    continue
                if first and (chunk.startswith(_UTF16_MARKS) or b"\x00" in chunk[:200]):
                    # Excel and LibreOffice write UTF-8; another encoding would hide what we
                    # look for below.
                    raise _hostile()
                first = False
                window = tail + chunk
                if any(marker in window for marker in _FORBIDDEN_XML):
                    raise _hostile()
                tail = chunk[-16:]


def _hostile() -> FileRefused:
    return FileRefused(
        _(
            "This workbook holds XML declarations that spreadsheets never use (they can be used "
            "to attack servers), so it was refused. Copy the data into the template and save "
            "it again."
        )
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(element: Any, name: str) -> str | None:
    for key, value in element.attrib.items():
        if _local(key) == name:
            return str(value)
    return None


# A range of one column over several rows: E5:E20, $E$5:$E$20, [.E5:.E20] (OpenDocument).
_VERTICAL_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+):[.$]*([A-Z]{1,3})\$?(\d+)")
_SUM_FUNCTION = re.compile(r"\b(SUM|SUBTOTAL|SOMME|SOUS\.TOTAL)\s*\(", re.IGNORECASE)


def _adds_up_a_column(formula: str) -> bool:
    """SUM(E5:E20) adds up the cells above; SUM(B5:E5), the cells of its own row (a total of a
    data row, which stays). SUBTOTAL is what Excel's automatic subtotals write."""
    if not _SUM_FUNCTION.search(formula):
        return False
    return any(
        first == last and top != bottom
        for first, top, last, bottom in _VERTICAL_RANGE.findall(formula.upper())
    )


def _xlsx_formulas(
    archive: zipfile.ZipFile,
) -> dict[str, tuple[set[tuple[int, int]], set[tuple[int, int]], list[Any]]]:
    """By sheet name: formula cells without a saved value, and cells adding up a column."""
    relations = {
        element.get("Id"): element.get("Target", "")
        for element in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    }
    found: dict[str, tuple[set[tuple[int, int]], set[tuple[int, int]], list[Any]]] = {}
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        target = relations.get(_attribute(element, "id") or "", "")
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if member in archive.namelist():
            unsaved, sums = _xlsx_sheet_formulas(archive, member)
            found[element.get("name", "")] = (unsaved, sums, [])
    return found


def _xlsx_sheet_formulas(
    archive: zipfile.ZipFile, member_name: str
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    unsaved: set[tuple[int, int]] = set()
    sums: set[tuple[int, int]] = set()
    shared: dict[str, str] = {}  # a shared formula's text, by its index
    parser: Any = XMLPullParser(events=("start", "end"))
    row = column = 0
    with archive.open(member_name) as member:
        while chunk := member.read(_CHUNK):
            parser.feed(chunk)
            for event, element in parser.read_events():
                tag = _local(element.tag)
                if event == "start":
                    if tag == "row":
                        row = int(element.get("r") or row + 1)
                        column = 0
                    elif tag == "c":
                        reference = element.get("r")
                        if reference:
                            row, column = coordinate_to_tuple(reference)
                        else:
                            column += 1
                    continue
                if tag == "c":
                    formula = value = None
                    for child in element:
                        if _local(child.tag) == "f":
                            formula = child
                        elif _local(child.tag) in ("v", "is"):
                            value = child
                    if formula is not None:
                        text = formula.text or ""
                        index = formula.get("si")
                        if index is not None:
                            text = shared.setdefault(index, text) if text else shared.get(index, "")
                        if value is None or value.text is None:
                            unsaved.add((row, column - 1))
                        elif _adds_up_a_column(text):
                            sums.add((row, column - 1))
                    element.clear()
                elif tag == "row":
                    element.clear()
    parser.close()
    return unsaved, sums


def _ods_layout(
    archive: zipfile.ZipFile,
) -> dict[str, tuple[set[tuple[int, int]], set[tuple[int, int]], list[Any]]]:
    """By table name: merged ranges (calamine gives none for ODS) and cells adding up a
    column. OpenDocument always saves a formula's value, so none is unsaved."""
    found: dict[str, tuple[set[tuple[int, int]], set[tuple[int, int]], list[Any]]] = {}
    parser: Any = XMLPullParser(events=("start", "end"))
    name = ""
    row = column = 0  # from 0, as calamine counts
    row_repeat = 1
    sums: set[tuple[int, int]] = set()
    merges: list[Any] = []
    with archive.open("content.xml") as member:
        while chunk := member.read(_CHUNK):
            parser.feed(chunk)
            for event, element in parser.read_events():
                tag = _local(element.tag)
                if event == "start":
                    if tag == "table":
                        name = _attribute(element, "name") or ""
                        row, sums, merges = 0, set(), []
                    elif tag == "table-row":
                        column = 0
                        row_repeat = int(_attribute(element, "number-rows-repeated") or 1)
                    elif tag in ("table-cell", "covered-table-cell"):
                        across = int(_attribute(element, "number-columns-spanned") or 1)
                        down = int(_attribute(element, "number-rows-spanned") or 1)
                        if tag == "table-cell" and (across > 1 or down > 1):
                            merges.append(((row, column), (row + down - 1, column + across - 1)))
                        formula = _attribute(element, "formula") or ""
                        if formula and _adds_up_a_column(formula):
                            sums.add((row + 1, column))
                        column += int(_attribute(element, "number-columns-repeated") or 1)
                    continue
                if tag == "table-row":
                    row += row_repeat
                    element.clear()
                elif tag == "table":
                    found[name] = (set(), sums, merges)
                    element.clear()
    parser.close()
    return found


# --- Workbooks: calamine in a child process ------------------------------------------------------


def _read_with_calamine(path: Path, file_format: str) -> list[RawSheet]:
    child = Path(__file__).with_name("calamine_child.py")
    command = [
        sys.executable,
        "-I",
        str(child),
        str(path),
        str(max_rows() + SPARE_ROWS),
        str(MAX_COLUMNS),
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=CHILD_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as error:
        raise _unreadable() from error
    if done.returncode != 0:
        logger.info(
            "Spreadsheet reader stopped (%s): %s", done.returncode, done.stderr[-500:].decode()
        )
        raise _unreadable()
    # The child is our own code; what it pickles is lists of plain values.
    answer = pickle.loads(done.stdout)
    refused = answer.get("refused")
    if refused == "rows":
        raise too_many_rows()
    if refused == "password":
        raise FileRefused(
            _(
                "This workbook is protected by a password. Open it in Excel or LibreOffice, "
                "remove the password, save it, and send it again."
            )
        )
    if refused:
        if file_format == XLS:
            raise FileRefused(
                _(
                    "This file looks like an old Excel workbook (.xls) but could not be read: it "
                    "may be damaged or protected by a password. Open it in Excel or "
                    "LibreOffice, save it as .xlsx, and send it again."
                )
            )
        raise _unreadable()
    return [
        RawSheet(
            name=sheet["name"],
            rows=sheet["rows"],
            merges=[((a, b), (c, d)) for (a, b), (c, d) in sheet["merges"]],
            visible=sheet["visible"],
        )
        for sheet in answer["sheets"]
    ]


# --- CSV -----------------------------------------------------------------------------------------

_MARKUP = (b"<!doctype html", b"<html", b"<table", b"<?xml", b"<head", b"<body", b"<meta")


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without its mark), UTF-16 with its mark (Excel's "Unicode text"), else
    Windows-1252, which French Excel uses for "CSV (séparateur: point-virgule)" and which reads
    Latin-1 files the same for every letter French uses."""
    if raw.startswith(_UTF16_MARKS):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _not_a_spreadsheet() from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        # Five bytes are undefined in Windows-1252; Latin-1 reads them as control characters.
        return raw.decode("latin-1")


def _delimiter(text: str) -> str:
    """The separator that splits the most lines into the same number of fields (more than one):
    a title line above the table or a comma inside a French amount does not mislead it."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ";", 0
    for delimiter in (";", ",", "\t", "|"):
        try:
            widths = [len(fields) for fields in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        counts = Counter(width for width in widths if width > 1)
        if not counts:
            continue
        width, lines_of_width = counts.most_common(1)[0]
        score = lines_of_width * 1000 + width
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(path: Path, head: bytes) -> RawSheet:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(_MARKUP):
        raise FileRefused(
            _(
                "This file is a web page or an XML file, not a spreadsheet, even if its name "
                "ends in .xlsx, .xls or .csv (some programs “export to Excel” that way). Open "
                "it in Excel or LibreOffice, save it as .xlsx, .ods or CSV, and send it again."
            )
        )
    if head.startswith(b"%PDF") or (b"\x00" in head and not head.startswith(_UTF16_MARKS)):
        raise _not_a_spreadsheet()
    text = _decode(path.read_bytes())
    if any(ord(char) < 9 for char in text[:4096]):
        raise _not_a_spreadsheet()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    limit = max_rows() + SPARE_ROWS
    rows: list[list[Any]] = []
    try:
        for values in reader:
            if len(rows) >= limit:
                raise too_many_rows()
            rows.append([value.strip() or None for value in values[:MAX_COLUMNS]])
    except csv.Error as error:
        raise FileRefused(
            _(
                "This CSV file is malformed (%(error)s). Open it in a spreadsheet program, save "
                "it again as CSV, and send it again."
            )
            % {"error": error}
        ) from error
    return RawSheet(name=path.stem, rows=rows)


# --- Laying out a sheet --------------------------------------------------------------------------

# "Total", "Sous-total", "TOTAL GÉNÉRAL", "Total 2023", "Grand total", "Totaux", "Subtotal".
_TOTAL = re.compile(
    r"^(sous[- ]?totale?s?|subtotals?|grand[- ]total|totale?s?|totaux|montant total|cumul)\b"
)
_SUBTOTAL = re.compile(r"^(sous|subtotal)")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _unmerge(rows: list[list[Any]], merges: list[Any]) -> None:
    """A merged range shows its first cell's value over the whole range: so it is read."""
    for (top, left), (bottom, right) in merges:
        if top >= len(rows) or left >= MAX_COLUMNS:
            continue
        value = rows[top][left] if left < len(rows[top]) else None
        if value is None:
            continue
        for row in range(top, min(bottom, len(rows) - 1) + 1):
            cells = rows[row]
            for column in range(left, min(right, MAX_COLUMNS - 1) + 1):
                while len(cells) <= column:
                    cells.append(None)
                if cells[column] is None:
                    cells[column] = value


def _texts(cells: list[Any]) -> list[str]:
    return [value for value in cells if isinstance(value, str)]


def _find_header(filled: list[tuple[int, list[Any]]]) -> int:
    """The index in `filled` of the header row: the first of the first rows that names most of
    the columns the rows below it use, with (nearly) as many different names as the row that
    names the most. A title (one text, even merged over the width), a subtitle or a line
    "Service: ..." names fewer."""
    candidates = filled[:HEADER_SEARCH]
    distinct = [len({norm(text) for text in _texts(cells)}) for _number, cells in candidates]
    most = max(distinct, default=0)
    if most < 2:
        return 0
    for index, count in enumerate(distinct):
        if count < max(2, math.ceil(0.6 * most)):
            continue
        named = {column for column, value in enumerate(candidates[index][1]) if value is not None}
        used = {
            column
            for _number, cells in filled[index + 1 : index + 6]
            for column, value in enumerate(cells)
            if value is not None
        }
        if not used or len(named & used) >= 0.7 * len(used):
            return index
    return next(i for i, count in enumerate(distinct) if count >= math.ceil(0.8 * most))


def _total_reason(cells: list[Any], number: int, sums: set[tuple[int, int]]) -> str | None:
    first_text = next((value for value in cells if value is not None), None)
    if isinstance(first_text, str):
        key = norm(first_text)
        match = _TOTAL.match(key)
        if match:
            if _SUBTOTAL.match(match.group(1)):
                return _("a subtotal row (“%(label)s”)") % {"label": first_text}
            return _("a total row (“%(label)s”)") % {"label": first_text}
    if any((number, column) in sums for column, value in enumerate(cells) if value is not None):
        return _("a total row (its amounts add up the rows above)")
    return None


def layout(raw: RawSheet, file_format: str) -> Table | None:
    """The sheet as a table: header row, data rows, and the rows skipped with their reason.
    None when the sheet holds nothing."""
    rows = [[_clean(value) for value in cells] for cells in raw.rows]
    _unmerge(rows, raw.merges)
    filled = [
        (number, cells)
        for number, cells in enumerate(rows, start=1)
        if any(value is not None for value in cells)
    ]
    if not filled:
        return None
    index = _find_header(filled)
    header_number, header_cells = filled[index]
    while header_cells and header_cells[-1] is None:
        header_cells = header_cells[:-1]
    headers = ["" if value is None else str(value) for value in header_cells]
    named = sum(1 for header in headers if header)
    table = Table(
        file_format=file_format,
        headers=headers,
        header_row=header_number,
        sheet=raw.name,
        formulas={cell for cell in raw.unsaved if cell[0] > header_number},
    )
    last = filled[-1][0]
    header_key = [norm(header) for header in headers]
    body = [(number, cells) for number, cells in enumerate(rows, start=1) if number > header_number]
    # Rows of data usually hold some text; a row below the last such row with numbers only is
    # a total without its label, and a single cell there is a note ("Source: ...").
    with_text = [n for n, cells in body if any(_is_words(v) for v in cells)]
    last_text_row = max(with_text, default=0)
    above = [n for n, cells in body if n <= last_text_row and any(v is not None for v in cells)]
    mostly_text = bool(above) and len(with_text) >= 0.8 * len(above)
    for number, cells in body:
        if number > last:
            break
        values = [value for value in cells if value is not None]
        if not values:
            table.skipped.append(Skipped(number, _("an empty row")))
            continue
        if [norm(v) if v is not None else "" for v in cells[: len(headers)]] == header_key:
            table.skipped.append(Skipped(number, _("it repeats the header row")))
            continue
        reason = _total_reason(cells, number, raw.sums)
        below = number > last_text_row and mostly_text and len(values) < named
        if reason is None and below and all(_is_number(v) for v in values):
            reason = _("a total row (numbers only, below the data)")
        if reason is None and _is_note(values, named) and _is_trailing(number, body):
            reason = _("a note below the table (“%(text)s”)") % {"text": str(values[0])[:60]}
        if reason is not None:
            table.skipped.append(Skipped(number, reason))
            continue
        table.rows.append((number, cells))
    return table


_NUMBER = re.compile(r"[-+(]?[\d\s\u00a0\u202f.,']+\)?\s*(€|eur|euros?|f ?cfa|xof|xaf|\$)?", re.I)


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(_NUMBER.fullmatch(value.strip()))


def _is_words(value: Any) -> bool:
    return isinstance(value, str) and not _is_number(value)


def _is_note(values: list[Any], named: int) -> bool:
    """One sentence alone in a wide table ("Source : service financier, mars 2024")."""
    if len(values) != 1 or named < 3 or not isinstance(values[0], str):
        return False
    return len(values[0]) >= 12 and len(values[0].split()) >= 3


def _is_trailing(number: int, body: list[tuple[int, list[Any]]]) -> bool:
    """No row below holds more than one filled cell: the row is below the table."""
    return all(
        sum(1 for value in cells if value is not None) <= 1 for n, cells in body if n > number
    )


__all__ = [
    "CSV",
    "ODS",
    "XLS",
    "XLSX",
    "FileRefused",
    "RawSheet",
    "Skipped",
    "Table",
    "Workbook",
    "layout",
    "max_bytes",
    "max_rows",
    "megabytes",
    "read_table",
    "read_workbook",
    "too_big",
]
