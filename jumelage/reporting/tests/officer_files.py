"""Officers' spreadsheets as they really are, built in memory for the tests (no tests here).

Each builder writes one format the way its usual program does: XLSX with openpyxl (merged
ranges, formulas with or without the value Excel would have saved), ODS with odfpy (spanned
cells as LibreOffice writes them, formulas with their value, repeated empty rows), CSV in UTF-8
or Windows-1252 with semicolons, commas or tabs. A sheet is a list of rows; a row, a list of
values (None for an empty cell).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

Rows = Sequence[Sequence[Any]]


def xlsx(
    sheets: Mapping[str, Rows],
    *,
    merges: Mapping[str, Sequence[str]] | None = None,
    formulas: Mapping[str, Mapping[str, tuple[str, Any]]] | None = None,
    hidden: Sequence[str] = (),
) -> bytes:
    """`merges`: {"Sheet": ["A1:E1"]}; `formulas`: {"Sheet": {"E9": ("SUM(E4:E8)", 4070.4)}},
    the value being what Excel saved with the formula (None: saved without a value, as
    openpyxl and some exporters do)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for reference in (merges or {}).get(name, ()):
            sheet.merge_cells(reference)
        for reference, (formula, _value) in (formulas or {}).get(name, {}).items():
            sheet[reference] = f"={formula}"
        if name in hidden:
            sheet.sheet_state = "hidden"
    stream = io.BytesIO()
    workbook.save(stream)
    return _with_saved_values(stream.getvalue(), workbook.sheetnames, formulas or {})


def _with_saved_values(
    content: bytes, names: list[str], formulas: Mapping[str, Mapping[str, tuple[str, Any]]]
) -> bytes:
    """openpyxl writes <f>..</f><v></v>; put in the value Excel would have saved."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
            if match:
                name = names[int(match.group(1)) - 1]
                for reference, (_formula, value) in formulas.get(name, {}).items():
                    if value is None:
                        continue
                    start = rb'(<c r="' + reference.encode() + rb'"[^>]*)>'
                    cell = start + rb"(<f>.*?</f>)<v\s*/?>(</v>)?"
                    kind = b"" if isinstance(value, int | float) else b' t="str"'
                    saved = b"<v>" + str(value).encode() + b"</v>"

                    def put(m: re.Match[bytes], k: bytes = kind, v: bytes = saved) -> bytes:
                        return m.group(1) + k + b">" + m.group(2) + v

                    data = re.sub(cell, put, data)
            target.writestr(item, data)
    return out.getvalue()


def ods(
    sheets: Mapping[str, Rows],
    *,
    spans: Mapping[str, Sequence[str]] | None = None,
    formulas: Mapping[str, Mapping[str, tuple[str, Any]]] | None = None,
    empty_rows_after: int = 0,
) -> bytes:
    """`spans`: {"Sheet": ["A1:E1"]} written as LibreOffice does (a spanned cell, then covered
    cells); `formulas`: {"Sheet": {"E9": ("of:=SUM([.E4:.E8])", 4070.4)}}; `empty_rows_after`:
    a repeated empty row below the data, as LibreOffice writes to the end of the sheet."""
    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        spanned: dict[tuple[int, int], tuple[int, int]] = {}
        covered: set[tuple[int, int]] = set()
        for reference in (spans or {}).get(name, ()):
            left, top, right, bottom = range_boundaries(reference)
            spanned[(top, left)] = (right - left + 1, bottom - top + 1)
            covered |= {
                (row, column)
                for row in range(top, bottom + 1)
                for column in range(left, right + 1)
                if (row, column) != (top, left)
            }
        sheet_formulas = {
            coordinate_to_tuple(reference): value
            for reference, value in (formulas or {}).get(name, {}).items()
        }
        width = max((len(row) for row in rows), default=0)
        for row_number, values in enumerate(rows, start=1):
            row = TableRow()
            for column, value in enumerate(list(values) + [None] * (width - len(values)), 1):
                if (row_number, column) in covered:
                    row.addElement(CoveredTableCell())
                    continue
                attributes: dict[str, Any] = {}
                if (row_number, column) in spanned:
                    across, down = spanned[(row_number, column)]
                    attributes.update(numbercolumnsspanned=across, numberrowsspanned=down)
                if (row_number, column) in sheet_formulas:
                    attributes["formula"], value = sheet_formulas[(row_number, column)]
                row.addElement(_ods_cell(value, attributes))
            table.addElement(row)
        if empty_rows_after:
            row = TableRow(numberrowsrepeated=empty_rows_after)
            row.addElement(TableCell(numbercolumnsrepeated=1024))
            table.addElement(row)
        document.spreadsheet.addElement(table)
    stream = io.BytesIO()
    document.write(stream)
    return stream.getvalue()


def _ods_cell(value: Any, attributes: dict[str, Any]) -> TableCell:
    if value is None:
        return TableCell(**attributes)
    if isinstance(value, bool):
        cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower(), **attributes)
    elif isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=value, **attributes)
    elif isinstance(value, datetime.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attributes)
    else:
        cell = TableCell(valuetype="string", **attributes)
    cell.addElement(P(text=str(value)))
    return cell


def csv_bytes(rows: Rows, *, encoding: str = "utf-8-sig", delimiter: str = ";") -> bytes:
    stream = io.StringIO()
    csv.writer(stream, delimiter=delimiter, lineterminator="\r\n").writerows(
        ["" if value is None else value for value in row] for row in rows
    )
    return stream.getvalue().encode(encoding)
