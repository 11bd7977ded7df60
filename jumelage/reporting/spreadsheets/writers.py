"""The one writer of spreadsheet files: every XLSX and CSV the platform gives out (the ODA
declaration, the Atlas sheets, the list exports, the import templates) is written here, so that
what a cell may hold is decided in one place.

XLSX (openpyxl in write-only mode: memory stays flat for long lists): dates are dates and
amounts numbers, with built-in formats (ids 4 and 14) that Excel and LibreOffice show in the
reader's conventions (decimal comma, day/month/year in French); the header row is bold and
frozen, with a filter.

CSV: UTF-8 with a byte-order mark (without it Excel reads the accents as Latin-1); semicolons
between fields, because French Excel takes the comma for the decimal separator; numbers with
the language's decimal separator and no grouping (1234,56 in French) so that Excel reads them
as numbers; dates in ISO 8601 (2025-06-30), which Excel and LibreOffice read as dates in every
language.

What somebody typed into the platform is never run by a spreadsheet (OWASP, "CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection): a text that starts with =, +, -, @, a tab
or a carriage return is a formula to Excel and LibreOffice. In an XLSX such a text is a string
cell marked with the "quote prefix" (what Excel records when one types a leading apostrophe), so
that it stays text even when the reader edits the cell; in a CSV it is written after an
apostrophe, as OWASP advises. Numbers are written as numbers, never as text, so a negative
amount stays a number. Control characters (a pasted bell, a form feed) are not allowed in XLSX
files and mean nothing in a cell: they are dropped from every text, in both formats.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.formats import get_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

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
# The first characters that make Excel or LibreOffice read a cell as a formula (OWASP, above).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# How often the writers report their progress, in rows.
PROGRESS_STEP = 100

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Column:
    header: Any  # a text or a lazy translation
    kind: str = TEXT
    width: int | None = None


@dataclass
class Table:
    """A sheet of the workbook: a header row, the rows, and maybe a bold total row (left out
    of the filter)."""

    title: Any
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    total: Sequence[Any] | None = None
    expected: int = 0  # the number of rows, for the progress
    validations: list[DataValidation] = field(default_factory=list)
    hidden: bool = False
    header: bool = True  # False: rows only (no bold header, no frozen row, no filter)


def plain_text(value: Any) -> str:
    """The text of a value without the control characters XLSX forbids."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would read this text, typed or opened from a CSV, as a formula."""
    return text.startswith(FORMULA_START)


def sheet_title(title: Any) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\ nor control characters."""
    return _SHEET_TITLE_FORBIDDEN.sub(" ", plain_text(title))[:31].strip() or "Sheet"


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def _as_date(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        # A spreadsheet has no time zones: show the local time of the instance.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


# --- XLSX ----------------------------------------------------------------------------------------


def text_cell(
    sheet: Any,
    value: Any,
    *,
    bold: bool = False,
    size: int | None = None,
    wrap: bool = False,
) -> WriteOnlyCell:
    """A cell that holds `value` as text, whatever it looks like."""
    text = plain_text(value)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    if runs_as_formula(text):
        # Excel's own mark of a text typed after an apostrophe: it stays text when edited.
        cell.quotePrefix = True
    if bold or size:
        cell.font = Font(bold=bold, size=size)
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def xlsx_cell(sheet: Any, value: Any, kind: str, *, bold: bool = False) -> WriteOnlyCell:
    if value is None or value == "":
        return WriteOnlyCell(sheet)
    if kind == BOOLEAN:
        kind, value = TEXT, yes_no(bool(value))
    if kind == TEXT:
        return text_cell(sheet, value, bold=bold)
    if kind == DATE:
        value = _as_date(value)
    elif kind in (AMOUNT, DECIMAL) and not isinstance(value, Decimal | int | float):
        value = Decimal(str(value))
    cell = WriteOnlyCell(sheet, value=value)
    if kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]
    if bold:
        cell.font = Font(bold=True)
    return cell


def new_workbook(title: Any) -> Workbook:
    workbook = Workbook(write_only=True)
    workbook.properties.title = plain_text(title)
    workbook.properties.creator = "Jumelage"
    return workbook


def add_table(workbook: Workbook, table: Table, progress: Progress | None = None) -> int:
    """Write the table as a new sheet of the workbook; return the number of rows written."""
    sheet = workbook.create_sheet(sheet_title(table.title))
    if table.hidden:
        sheet.sheet_state = "hidden"
    # Settings of a write-only sheet must come before its first row.
    for index, column in enumerate(table.columns, start=1):
        width = column.width or WIDTHS.get(column.kind, 20)
        sheet.column_dimensions[get_column_letter(index)].width = width
    if table.header:
        sheet.freeze_panes = "A2"
        sheet.append(
            [
                # Headers often share their text with a field's lower-case name.
                text_cell(sheet, capfirst(str(column.header)), bold=True, wrap=True)
                for column in table.columns
            ]
        )
    kinds = [column.kind for column in table.columns]
    count = 0
    for row in table.rows:
        sheet.append(
            [xlsx_cell(sheet, value, kind) for value, kind in zip(row, kinds, strict=True)]
        )
        count += 1
        if progress is not None and count % PROGRESS_STEP == 0:
            progress(count, table.expected)
    if table.header and table.columns:
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    if table.total is not None:
        sheet.append(
            [
                xlsx_cell(sheet, value, kind, bold=True)
                for value, kind in zip(table.total, kinds, strict=True)
            ]
        )
    for validation in table.validations:
        sheet.data_validations.append(validation)
    if progress is not None:
        progress(count, max(table.expected, count))
    return count


def write_workbook(
    target: str | IO[bytes],
    *,
    title: Any,
    tables: Iterable[Table],
    progress: Progress | None = None,
) -> int:
    """Write the tables as the sheets of one workbook; return the number of data rows."""
    workbook = new_workbook(title)
    count = sum(add_table(workbook, table, progress) for table in tables)
    workbook.save(target)
    return count


def write_xlsx(
    target: str | IO[bytes],
    *,
    title: Any,
    headers: Sequence[Any],
    kinds: Sequence[str],
    rows: Iterable[Sequence[Any]],
    total: int = 0,
    progress: Progress | None = None,
) -> int:
    """Write the rows as a one-sheet workbook; return the number of data rows."""
    columns = [Column(header, kind) for header, kind in zip(headers, kinds, strict=True)]
    table = Table(title=title, columns=columns, rows=rows, expected=total)
    return write_workbook(target, title=title, tables=[table], progress=progress)


def columns_of(lists: Sequence[Sequence[Any]]) -> Iterable[list[Any]]:
    """Rows that hold each list in a column of its own (for a sheet of lists to choose from)."""
    for row in itertools.zip_longest(*lists):
        yield list(row)


# --- CSV -----------------------------------------------------------------------------------------


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
    text = plain_text(value)
    if runs_as_formula(text):
        # A leading apostrophe makes Excel and LibreOffice keep the cell as text.
        return "'" + text
    return text


def write_csv(
    stream: IO[str],
    *,
    headers: Sequence[Any],
    kinds: Sequence[str],
    rows: Iterable[Sequence[Any]],
    language: str,
    total: int = 0,
    progress: Progress | None = None,
) -> int:
    """Write the rows as CSV to a text stream opened with CSV_ENCODING and newline=""."""
    separator = str(get_format("DECIMAL_SEPARATOR", lang=language))
    writer = csv.writer(stream, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(
        [csv_value(capfirst(str(h)), TEXT, decimal_separator=separator) for h in headers]
    )
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
