"""Read an uploaded spreadsheet (XLSX or CSV) into a table of cell values, refusing what is not
one or is hostile, before any of it reaches the import.

Checked, in this order, each with a message that says what to do:
- the size (settings.SPREADSHEET_IMPORT_MAX_BYTES, 10 MB by default);
- what the file is, from its first bytes, never its name: an XLSX (a ZIP holding
  xl/workbook.xml), or text (CSV); an old .xls, an OpenDocument file, a PDF... are refused;
- for an XLSX, before openpyxl opens it: the unpacked size of the archive, counted while
  actually unpacking (a "zip bomb" declares small sizes and unpacks to gigabytes), and XML
  declarations that spreadsheets never use (DOCTYPE, ENTITY: entity expansion attacks);
- formulas: openpyxl reads values only (read_only, data_only=True), so a formula is never
  computed here, and the cells that hold one are found from the sheet's XML and refused
  (the value they show is whatever the last program computed, or nothing); text that a
  spreadsheet would run as a formula is refused cell by cell by the import
  (`cells.formula_refusal`, which says where the line between formula and data lies);
- the number of rows (settings.SPREADSHEET_IMPORT_MAX_ROWS, 10 000 by default) and columns.
"""

from __future__ import annotations

import csv
import io
import logging
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import XMLPullParser

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 10_000
MAX_COLUMNS = 60
MAX_ARCHIVE_MEMBERS = 1_000
# An XLSX's XML compresses well, but not a hundredfold on the whole archive.
UNPACKED_FACTOR = 10
_CHUNK = 64 * 1024
_FORBIDDEN_XML = (b"<!DOCTYPE", b"<!ENTITY")
_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")

XLSX, CSV = "xlsx", "csv"

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


@dataclass
class Table:
    """The cells of the data sheet: the header row, then the rows that hold something."""

    file_format: str
    headers: list[str]
    header_row: int
    # (row number as the spreadsheet shows it, values by column from 0)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    # (row number, column from 0) of the cells that hold a formula
    formulas: set[tuple[int, int]] = field(default_factory=set)


def read_table(path: Path | str) -> Table:
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes():
        raise too_big(size)
    if size == 0:
        raise FileRefused(_("The file is empty. Choose the spreadsheet you filled in."))
    with path.open("rb") as stream:
        head = stream.read(4096)
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _(
                "This file is an old Excel workbook (.xls) or a password-protected one. Open it "
                "in Excel or LibreOffice, remove any password, and save it as .xlsx (or CSV)."
            )
        )
    if b"\x00" in head or head.startswith(b"%PDF"):
        raise _not_a_spreadsheet()
    return _read_csv(path)


def _not_a_spreadsheet() -> FileRefused:
    return FileRefused(
        _(
            "This file is not a spreadsheet. Send the template filled in, saved as Excel "
            "(.xlsx) or CSV."
        )
    )


# --- XLSX ----------------------------------------------------------------------------------------


def _check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    names = {info.filename for info in members}
    if "xl/workbook.xml" not in names:
        if "mimetype" in names or "content.xml" in names:
            raise FileRefused(
                _(
                    "This file is an OpenDocument spreadsheet (.ods) or another document, not "
                    "an Excel workbook. Save it as Excel (.xlsx) or CSV, then send it again."
                )
            )
        raise _not_a_spreadsheet()
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
                if first and (
                    chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in chunk[:200]
                ):
                    # Excel writes UTF-8; another encoding would hide what we look for below.
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


def _formula_cells(archive: zipfile.ZipFile, sheet_path: str) -> set[tuple[int, int]]:
    """The (row, column from 0) of every cell of the sheet that holds a formula."""
    found: set[tuple[int, int]] = set()
    parser: Any = XMLPullParser(events=("start", "end"))
    row = column = 0
    with archive.open(sheet_path.lstrip("/")) as member:
        while chunk := member.read(_CHUNK):
            parser.feed(chunk)
            for event, element in parser.read_events():
                tag = element.tag.rsplit("}", 1)[-1]
                if event == "end":
                    if tag == "row":
                        element.clear()
                    continue
                if tag == "row":
                    row = int(element.get("r") or row + 1)
                    column = 0
                elif tag == "c":
                    reference = element.get("r")
                    if reference:
                        row, column = coordinate_to_tuple(reference)
                    else:
                        column += 1
                elif tag == "f":
                    found.add((row, column - 1))
    parser.close()
    return found


def _read_xlsx(path: Path) -> Table:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise _not_a_spreadsheet() from None
    try:
        with archive, path.open("rb") as source:
            _check_archive(archive)
            with warnings.catch_warnings():
                # openpyxl warns about parts it does not read (extensions, styles): harmless.
                warnings.simplefilter("ignore")
                # A stream, not the path: openpyxl would judge the file by its name's ending.
                workbook = load_workbook(source, read_only=True, data_only=True)
            try:
                sheets = workbook.worksheets
                if not sheets:
                    raise FileRefused(
                        _("This workbook has no sheet of data. Fill in the template's first sheet.")
                    )
                sheet = sheets[0]
                sheet_path = getattr(sheet, "_worksheet_path", "")
                formulas = _formula_cells(archive, sheet_path) if sheet_path else set()
                sheet.reset_dimensions()  # read every row, whatever the file declares
                rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
                return _table(XLSX, enumerate(rows, start=1), formulas)
            finally:
                workbook.close()
    except FileRefused:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, RuntimeError) as error:
        # openpyxl's own errors for a broken workbook are of these kinds.
        raise FileRefused(
            _(
                "This workbook could not be read (%(error)s). Open it in Excel or LibreOffice, "
                "save it again as .xlsx, and send it again."
            )
            % {"error": error.__class__.__name__}
        ) from error
    except Exception as error:  # any other parser error of a hostile or broken file
        logger.info("Spreadsheet refused: %r", error)
        raise FileRefused(
            _(
                "This workbook could not be read. Open it in Excel or LibreOffice, save it "
                "again as .xlsx, and send it again."
            )
        ) from error


# --- CSV -----------------------------------------------------------------------------------------


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # French Excel saves "CSV (séparateur: point-virgule)" in Windows-1252.
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise _not_a_spreadsheet() from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    formulas: set[tuple[int, int]] = set()

    def rows() -> Any:
        for number, values in enumerate(reader, start=1):
            cells = [value.strip() or None for value in values[:MAX_COLUMNS]]
            for column, value in enumerate(cells):
                if value is not None and value.startswith("="):
                    formulas.add((number, column))
            yield number, cells

    try:
        return _table(CSV, rows(), formulas)
    except csv.Error as error:
        raise FileRefused(
            _(
                "This CSV file is malformed (%(error)s). Open it in a spreadsheet program, save "
                "it again as CSV, and send it again."
            )
            % {"error": error}
        ) from error


# --- Both ----------------------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _table(file_format: str, numbered_rows: Any, formulas: set[tuple[int, int]]) -> Table:
    table: Table | None = None
    limit = max_rows()
    for number, values in numbered_rows:
        cells = [_clean(value) for value in values]
        if not any(value is not None for value in cells):
            continue
        if table is None:
            while cells and cells[-1] is None:
                cells.pop()
            headers = ["" if value is None else str(value) for value in cells]
            table = Table(file_format=file_format, headers=headers, header_row=number)
            continue
        if len(table.rows) >= limit:
            raise FileRefused(
                _(
                    "The file has more than %(limit)s rows of data, the most one import takes. "
                    "Split it into several files."
                )
                % {"limit": number_format(limit, force_grouping=True)}
            )
        table.rows.append((number, cells))
    if table is None:
        raise FileRefused(
            _("The file holds no data. Fill in the template: its first row names the columns.")
        )
    table.formulas = formulas
    return table
