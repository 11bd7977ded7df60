"""The ODA declaration's files, XLSX and CSV, and `manage.py oda_declaration`."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from jumelage.reporting.oda import export
from jumelage.reporting.oda.selectors import oda_declaration
from jumelage.reporting.tests.oda_dataset import (
    EXPECTED_BY_CATEGORY,
    EXPECTED_BY_COUNTRY,
    EXPECTED_TOTAL,
    YEAR,
    declaration_dataset,
    disbursement,
    french_catalogue,
    reference_data,
)

FRENCH = {
    "By category": "Par catégorie",
    "By country": "Par pays",
    "Transactions counted": "Opérations comptées",
    "Left out": "Écartées",
    "To fix": "À corriger",
    "ODA category": "Catégorie APD",
    "Amount in euros": "Montant en euros",
    "Transaction no.": "N° d'opération",
    "Date": "Date",
    "Value date": "Date de valeur",
    "Reason": "Motif",
    "Status": "Statut",
    "counted": "comptée",
}


@pytest.fixture
def dataset(city_a, city_b):
    return declaration_dataset(city_a, city_b)


@pytest.fixture
def french(settings, tmp_path):
    french_catalogue(settings, tmp_path, FRENCH)
    with translation.override("fr"):
        yield


def headers(sheet):
    return [cell.value for cell in next(sheet.iter_rows(max_row=1))]


def rows_by_header(sheet):
    names = headers(sheet)
    return [
        dict(zip(names, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


def read_csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_xlsx_opens_with_a_sheet_per_view_and_french_headers(city_a, dataset, french):
    book = load_workbook(io.BytesIO(export.xlsx_bytes(oda_declaration(city_a, YEAR))))
    assert book.sheetnames == [
        "Par catégorie",
        "Par pays",
        "CRS lines",  # not in the test's catalogue: the English source
        "Opérations comptées",
        "Écartées",
        "À corriger",
    ]
    assert headers(book["Par catégorie"])[1] == "Catégorie APD"
    assert headers(book["Par catégorie"])[-1] == "Montant en euros"
    assert headers(book["Opérations comptées"])[:3] == ["N° d'opération", "Date", "Date de valeur"]
    assert headers(book["Écartées"])[-1] == "Motif"


def test_the_xlsx_totals_are_numbers_that_match_the_hand_worked_sums(city_a, dataset):
    book = load_workbook(io.BytesIO(export.xlsx_bytes(oda_declaration(city_a, YEAR))))
    sheet = book["By category"]
    body = list(sheet.iter_rows(min_row=2, values_only=True))
    amounts = {int(row[0]): row[3] for row in body[:-1]}
    assert all(isinstance(amount, int | float) for amount in amounts.values())
    assert {k: Decimal(str(v)).quantize(Decimal("0.01")) for k, v in amounts.items()} == (
        EXPECTED_BY_CATEGORY
    )
    assert body[-1][1] == "Total"
    assert Decimal(str(body[-1][3])).quantize(Decimal("0.01")) == EXPECTED_TOTAL
    assert sheet.cell(row=2, column=4).number_format == "#,##0.00"
    countries = {
        row["Country code"] or "": Decimal(str(row["Amount in euros"])).quantize(Decimal("0.01"))
        for row in rows_by_header(book["By country"])[:-1]
    }
    assert countries == EXPECTED_BY_COUNTRY


def test_the_xlsx_dates_are_dates_and_amounts_numbers_in_the_transactions_sheet(city_a, dataset):
    book = load_workbook(io.BytesIO(export.xlsx_bytes(oda_declaration(city_a, YEAR))))
    rows = {row["Transaction no."]: row for row in rows_by_header(book["Transactions counted"])}
    usd = rows[dataset["haiti_ngo"].pk]
    assert usd["Date"] == datetime.datetime(YEAR, 7, 1)  # openpyxl reads dates as datetimes
    assert usd["Value date"] == datetime.datetime(YEAR, 6, 2)
    assert usd["Amount"] == 1125
    assert usd["Currency"] == "USD"
    assert usd["Amount in euros"] == 1000
    assert book["Transactions counted"].cell(row=2, column=2).is_date


def test_the_xlsx_lists_the_left_out_and_the_warnings_with_their_reasons(city_a, dataset):
    book = load_workbook(io.BytesIO(export.xlsx_bytes(oda_declaration(city_a, YEAR))))
    left_out = {row["Transaction no."]: row["Reason"] for row in rows_by_header(book["Left out"])}
    assert "Germany is not on the OECD DAC list" in left_out[dataset["germany"].pk]
    to_fix = {row["Transaction no."]: row for row in rows_by_header(book["To fix"])}
    assert to_fix[dataset["no_rate"].pk]["Counted"] == "no"
    assert "There is no exchange rate for GHS" in to_fix[dataset["no_rate"].pk]["What to fix"]


def test_text_that_looks_like_a_formula_stays_text(city_a):
    reference_data()
    disbursement(city_a, description='=HYPERLINK("http://evil.example","x")')
    declaration = oda_declaration(city_a, YEAR)
    book = load_workbook(io.BytesIO(export.xlsx_bytes(declaration)))
    cell = book["Transactions counted"]["E2"]
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")
    [row] = read_csv(export.csv_bytes(declaration))
    assert row["Description"].startswith("'=HYPERLINK")


def test_the_csv_has_a_bom_semicolons_and_every_disbursement_with_its_status(city_a, dataset):
    rows = read_csv(export.csv_bytes(oda_declaration(city_a, YEAR)))
    statuses = {int(row["Transaction no."]): row["Status"] for row in rows}
    assert statuses[dataset["haiti_eur"].pk] == "counted"
    assert statuses[dataset["spain"].pk] == "left out"
    assert statuses[dataset["no_category"].pk] == "to fix"
    assert dataset["city_b"].pk not in statuses
    counted = [row for row in rows if row["Status"] == "counted"]
    assert sum(Decimal(row["Amount in euros"]) for row in counted) == EXPECTED_TOTAL
    usd = next(row for row in rows if int(row["Transaction no."]) == dataset["haiti_ngo"].pk)
    assert usd["Date"] == "2025-07-01"
    assert usd["Value date"] == "2025-06-02"


def test_the_csv_writes_decimal_commas_in_french_so_that_excel_reads_numbers(
    city_a, dataset, french
):
    rows = read_csv(export.csv_bytes(oda_declaration(city_a, YEAR)))
    assert "Statut" in rows[0]
    staff = next(r for r in rows if int(r["N° d'opération"]) == dataset["serbia_staff"].pk)
    assert staff["Montant en euros"] == "95,24"
    assert staff["Statut"] == "comptée"
    big = next(r for r in rows if int(r["N° d'opération"]) == dataset["haiti_eur"].pk)
    assert big["Montant en euros"] == "10000,00"  # no grouping: Excel reads it as a number


# --- The command -------------------------------------------------------------------------------


@pytest.fixture
def english_site(settings):
    """The command speaks the site's language: English here, to read its messages."""
    settings.LANGUAGE_CODE = "en"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("oda_declaration", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_the_xlsx_in_the_sites_language(city_a, dataset, settings, tmp_path):
    french_catalogue(settings, tmp_path, FRENCH)
    settings.LANGUAGE_CODE = "fr"
    output = tmp_path / "apd.xlsx"
    out = run("--authority", "ville-a", "--year", str(YEAR), "--output", str(output))
    book = load_workbook(output)
    assert book.sheetnames[0] == "Par catégorie"
    assert out.splitlines()[-1].endswith(f"File written to {output}.")


def test_the_command_writes_a_csv_and_lists_what_to_fix(city_a, dataset, english_site, tmp_path):
    output = tmp_path / "apd.csv"
    out = run("--authority", "ville-a", "--year", str(YEAR), "--output", str(output))
    rows = read_csv(output.read_bytes())
    assert len([row for row in rows if row["Status"] == "counted"]) == 8
    assert f"To fix, transaction {dataset['no_rate'].pk} of 2025-02-10" in out
    assert out.splitlines()[-1].startswith(
        "ODA declaration of Ville A for 2025 flows: 23,195.24 EUR in 8 disbursements; "
        "3 left out as not ODA, 4 to fix."  # each line once: 3 until fixed, 1 with a wrong flag
    )


def test_the_command_refuses_an_unknown_authority(db, english_site, tmp_path):
    with pytest.raises(CommandError, match="No member authority has the slug “nowhere”"):
        run("--authority", "nowhere", "--year", str(YEAR), "--output", str(tmp_path / "a.xlsx"))


def test_the_command_refuses_a_year_whose_dac_list_is_not_loaded(city_a, english_site, tmp_path):
    reference_data()
    output = tmp_path / "a.xlsx"
    with pytest.raises(CommandError) as raised:
        run("--authority", "ville-a", "--year", "1999", "--output", str(output))
    message = str(raised.value)
    assert "The OECD DAC list of ODA recipients for 1999 flows is not loaded" in message
    assert "Years loaded: 2025." in message
    assert not output.exists()


def test_the_command_refuses_another_file_type(city_a, english_site, tmp_path):
    reference_data()
    with pytest.raises(CommandError, match=r"one of these extensions: \.xlsx, \.csv"):
        run("--authority", "ville-a", "--year", str(YEAR), "--output", str(tmp_path / "a.pdf"))


def test_the_command_refuses_a_folder_that_does_not_exist(city_a, english_site, tmp_path):
    reference_data()
    output = tmp_path / "missing" / "a.xlsx"
    with pytest.raises(CommandError, match="does not exist; create it"):
        run("--authority", "ville-a", "--year", str(YEAR), "--output", str(output))
