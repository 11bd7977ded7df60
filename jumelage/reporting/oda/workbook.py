"""Writing tables as XLSX sheets and as CSV, the way a French office opens them.

XLSX: amounts are numbers with a number format, dates are dates, headers are bold and frozen.
Excel and LibreOffice show the built-in formats used here in the reader's own conventions
(decimal comma and day/month/year in French).

CSV: UTF-8 with a byte-order mark, or Excel reads the accents as Latin-1; semicolons between
fields, because French Excel reads the comma as the decimal separator and would not split the
columns on it; numbers with the active language's decimal separator and no grouping (1234,56 in
French), so that Excel reads them as numbers; dates in ISO 8601 (2025-06-30), which Excel and
LibreOffice read as dates in every language.

Text from the database that starts like a formula (=, +, -, @) is written so that it stays text:
a cell must never run what an officer or a partner typed.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.utils.formats import number_format
from django.utils.text import capfirst
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

TEXT, INTEGER, MONEY, DATE = "text", "integer", "money", "date"

# Built-in formats (ids 3, 4 and 14): the spreadsheet shows them in the reader's conventions.
NUMBER_FORMATS = {INTEGER: "#,##0", MONEY: "#,##0.00", DATE: "mm-dd-yy"}
WIDTHS = {TEXT: 30, INTEGER: 12, MONEY: 16, DATE: 12}

CSV_DELIMITER = ";"
CSV_ENCODING = "utf-8-sig"  # UTF-8 with the byte-order mark Excel needs
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: int | None = None


Row = Sequence[Any]


def sheet_title(title: str) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return _SHEET_TITLE_FORBIDDEN.sub(" ", str(title))[:31].strip() or "Sheet"


def new_workbook(title: str) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = str(title)
    workbook.properties.creator = "Jumelage"
    return workbook


def _write_cell(sheet: Worksheet, row: int, column: int, value: Any, kind: str) -> None:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value is None or value == "":
        sheet.cell(row=row, column=column)
        return
    cell = sheet.cell(row=row, column=column, value=value if kind != TEXT else str(value))
    if kind == TEXT:
        # openpyxl stores a string that starts with "=" as a formula: keep it text.
        cell.data_type = "s"
    elif kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[kind]


def add_sheet(
    workbook: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Row],
    *,
    total: Row | None = None,
) -> Worksheet:
    """A sheet with a bold, frozen header row and a filter; `total` is a last, bold row."""
    sheet = workbook.create_sheet(sheet_title(title))
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        # Headers often share their text with a field's lower-case name.
        cell = sheet.cell(row=1, column=index, value=capfirst(str(column.header)))
        cell.data_type = "s"
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        width = column.width or WIDTHS.get(column.kind, 20)
        sheet.column_dimensions[get_column_letter(index)].width = width
    line = 1
    for row in rows:
        line += 1
        for index, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            _write_cell(sheet, line, index, value, column.kind)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{line}"
    if total is not None:
        line += 1
        for index, (column, value) in enumerate(zip(columns, total, strict=True), start=1):
            _write_cell(sheet, line, index, value, column.kind)
            sheet.cell(row=line, column=index).font = bold
    return sheet


def save_workbook(workbook: Workbook, stream: IO[bytes]) -> None:
    workbook.save(stream)


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if kind in (MONEY, INTEGER) and isinstance(value, Decimal | int):
        places = 2 if kind == MONEY else 0
        return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=False)
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_csv(stream: IO[str], columns: Sequence[Column], rows: Iterable[Row]) -> None:
    """Write the table to a text stream opened with encoding CSV_ENCODING and newline=""."""
    writer = csv.writer(stream, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([capfirst(str(column.header)) for column in columns])
    for row in rows:
        writer.writerow(
            [_csv_value(value, column.kind) for column, value in zip(columns, row, strict=True)]
        )
