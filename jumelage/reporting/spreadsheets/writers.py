"""Write a table as XLSX (openpyxl in write-only mode: memory stays flat for long lists) or as
CSV, the way a French office opens them.

XLSX: dates are dates and amounts numbers, with built-in formats (ids 4 and 14) that Excel and
LibreOffice show in the reader's conventions (decimal comma, day/month/year in French); the
header row is bold and frozen.

CSV: UTF-8 with a byte-order mark (without it Excel reads the accents as Latin-1); semicolons
between fields, because French Excel takes the comma for the decimal separator; numbers with
the language's decimal separator and no grouping (1234,56 in French) so that Excel reads them
as numbers; dates in ISO 8601 (2025-06-30), which Excel and LibreOffice read as dates in every
language.

Text that starts like a formula (=, +, -, @) stays text in both formats: a spreadsheet must
never run what somebody typed into the platform (OWASP, "CSV injection").
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

TEXT, DATE, AMOUNT, INTEGER, DECIMAL, BOOLEAN = (
    "text",
    "date",
    "amount",
    "integer",
    "decimal",
    "boolean",
)

NUMBER_FORMATS = {AMOUNT: "#,##0.00", DATE: "mm-dd-yy", DECIMAL: "0.00"}
WIDTHS = {TEXT: 28, DATE: 12, AMOUNT: 15, INTEGER: 10, DECIMAL: 10, BOOLEAN: 8}

CSV_DELIMITER = ";"
CSV_ENCODING = "utf-8-sig"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# How often the writers report their progress, in rows.
PROGRESS_STEP = 100

Progress = Callable[[int, int], None]


def sheet_title(title: str) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return _SHEET_TITLE_FORBIDDEN.sub(" ", str(title))[:31].strip() or "Sheet"


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def _plain_text(value: Any) -> str:
    # Control characters are not allowed in XLSX and mean nothing in a cell.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _as_date(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        # A spreadsheet has no time zones: show the local time of the instance.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def xlsx_cell(sheet: Any, value: Any, kind: str) -> WriteOnlyCell:
    if value is None or value == "":
        return WriteOnlyCell(sheet)
    if kind == BOOLEAN:
        kind, value = TEXT, yes_no(bool(value))
    if kind == TEXT:
        cell = WriteOnlyCell(sheet, value=_plain_text(value))
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
        return cell
    if kind == DATE:
        value = _as_date(value)
    elif kind in (AMOUNT, DECIMAL) and not isinstance(value, Decimal | int | float):
        value = Decimal(str(value))
    cell = WriteOnlyCell(sheet, value=value)
    if kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    return cell


def write_xlsx(
    target: str | IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    kinds: Sequence[str],
    rows: Iterable[Sequence[Any]],
    total: int = 0,
    progress: Progress | None = None,
) -> int:
    """Write the rows as a one-sheet workbook; return the number of data rows."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = str(title)
    workbook.properties.creator = "Jumelage"
    sheet = workbook.create_sheet(sheet_title(title))
    # Settings of a write-only sheet must come before its first row.
    sheet.freeze_panes = "A2"
    for index, kind in enumerate(kinds, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(kind, 20)
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_plain_text(header))
        cell.data_type = "s"
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        cells = [xlsx_cell(sheet, value, kind) for value, kind in zip(row, kinds, strict=True)]
        sheet.append(cells)
        count += 1
        if progress is not None and count % PROGRESS_STEP == 0:
            progress(count, total)
    workbook.save(target)
    if progress is not None:
        progress(count, max(total, count))
    return count


def csv_value(value: Any, kind: str, *, decimal_separator: str) -> str:
    if value is None or value == "":
        return ""
    if kind == BOOLEAN:
        return yes_no(bool(value))
    if kind == DATE:
        value = _as_date(value)
        if isinstance(value, datetime.datetime):
            return value.isoformat(sep=" ")
        return value.isoformat()
    if kind in (AMOUNT, DECIMAL):
        text = f"{Decimal(str(value)):f}"
        return text.replace(".", decimal_separator)
    if kind == INTEGER:
        return str(value)
    text = _plain_text(value)
    if text.startswith(FORMULA_START):
        # A leading apostrophe makes Excel and LibreOffice keep the cell as text.
        return "'" + text
    return text


def write_csv(
    stream: IO[str],
    *,
    headers: Sequence[str],
    kinds: Sequence[str],
    rows: Iterable[Sequence[Any]],
    language: str,
    total: int = 0,
    progress: Progress | None = None,
) -> int:
    """Write the rows as CSV to a text stream opened with CSV_ENCODING and newline=""."""
    separator = str(get_format("DECIMAL_SEPARATOR", lang=language))
    writer = csv.writer(stream, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([csv_value(h, TEXT, decimal_separator=separator) for h in headers])
    count = 0
    for row in rows:
        writer.writerow(
            [
                csv_value(value, kind, decimal_separator=separator)
                for value, kind in zip(row, kinds, strict=True)
            ]
        )
        count += 1
        if progress is not None and count % PROGRESS_STEP == 0:
            progress(count, total)
    if progress is not None:
        progress(count, max(total, count))
    return count
