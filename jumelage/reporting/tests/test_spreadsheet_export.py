"""Spreadsheet exports: real dates and numbers, French headers, one authority's rows only, a
constant number of queries, text that never becomes a formula."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jumelage.actors.tests.factories import ActorFactory
from jumelage.reporting.spreadsheets.exports import CSV, EXPORTS, XLSX, write_export
from jumelage.reporting.tests.test_spreadsheet_support import fill, french


def export_xlsx(name, **scope):
    stream = io.BytesIO()
    write_export(EXPORTS[name], stream, file_format=XLSX, language="fr", **scope)
    stream.seek(0)
    return load_workbook(stream).active


def export_csv(name, **scope):
    stream = io.BytesIO()
    write_export(EXPORTS[name], stream, file_format=CSV, language="fr", **scope)
    return stream.getvalue()


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def column(sheet, header):
    rows = rows_of(sheet)
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


@pytest.fixture
def data(city_a, city_b):
    fill(city_a, 2, prefix="A")
    fill(city_b, 1, prefix="B")


def test_the_partnerships_export_opens_with_french_headers_and_real_dates(data, officer_a):
    with french():
        sheet = export_xlsx("partnerships", user=officer_a)
    assert rows_of(sheet)[0] == [
        "ID",
        "Collectivité membre",
        "Collectivité partenaire",
        "Pays du partenaire",
        "Type",
        "Statut",
        "Titre",
        "Début (année)",
        "Début (date)",
        "Fin le",
        "Thème principal de l'Atlas",
        "Publié",
    ]
    assert column(sheet, "Collectivité partenaire") == ["Partenaire A0", "Partenaire A1"]
    assert column(sheet, "Type") == ["jumelage", "jumelage"]
    assert column(sheet, "Pays du partenaire") == ["Haïti", "Haïti"]
    assert column(sheet, "Publié") == ["non", "non"]
    started = sheet.cell(row=2, column=9)
    assert started.is_date
    assert started.value == datetime.datetime(1998, 6, 15)
    assert column(sheet, "Début (année)") == [1998, 1998]


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_export_opens_with_french_headers(data, officer_a, name):
    with french():
        sheet = export_xlsx(name, user=officer_a)
    headers = rows_of(sheet)[0]
    assert headers[0] in ("ID", "ID du plan")
    assert headers[1] == "Collectivité membre"
    assert len(rows_of(sheet)) > 1


def test_amounts_are_numbers_with_a_number_format(data, officer_a):
    with french():
        plans = export_xlsx("financing_plans", user=officer_a)
        agreements = export_xlsx("agreements", user=officer_a)
        people = export_xlsx("people", user=officer_a)
    amounts = column(plans, "Montant")
    assert sorted(amounts[:3]) == [2345.67, 10000, 12345.67]
    header = rows_of(plans)[0]
    cell = plans.cell(row=2, column=header.index("Montant") + 1)
    assert isinstance(cell.value, int | float)
    assert cell.number_format == "#,##0.00"
    assert column(agreements, "Engagements financiers prévisionnels") == [30000, 30000]
    assert column(agreements, "Signé le")[0] == datetime.datetime(2018, 7, 2)
    assert column(people, "Coût journalier pour la valorisation") == [350, 350]


def test_a_financing_plan_has_one_row_per_line(data, officer_a):
    sheet = export_xlsx("financing_plans", user=officer_a)
    rows = rows_of(sheet)[1:]
    assert len(rows) == 6  # two plans, each with one expense and two resource lines
    assert {row[0] for row in rows} == {rows[0][0], rows[3][0]}


def test_projects_list_their_countries_and_partnerships(data, officer_a):
    with french():
        sheet = export_xlsx("projects", user=officer_a)
    headers = rows_of(sheet)[0]
    first = rows_of(sheet)[1]
    assert first[headers.index("Pays bénéficiaires")] == "HT 80 %; RS 20 %"
    assert first[headers.index("Partenariats")] == "Partenaire A0"
    assert first[headers.index("Début prévu")] == datetime.datetime(2025, 1, 1)


def test_the_csv_parses_with_semicolons_and_a_byte_order_mark(data, officer_a):
    with french():
        content = export_csv("financing_plans", user=officer_a)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["ID du plan", "Collectivité membre"]
    amounts = [row[rows[0].index("Montant")] for row in rows[1:]]
    assert "12345,67" in amounts  # a decimal comma for French Excel, no grouping
    assert Decimal(amounts[0].replace(",", ".")) > 0


def test_csv_dates_are_iso_dates(data, officer_a):
    content = export_csv("partnerships", user=officer_a).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[1][8] == "1998-06-15"


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_officer_b_never_exports_a_row_of_city_a(data, officer_b, name):
    sheet = export_xlsx(name, user=officer_b)
    members = {row[1] for row in rows_of(sheet)[1:]}
    assert members == {"Ville B"}
    content = export_csv(name, user=officer_b).decode("utf-8-sig")
    assert "Ville A" not in content
    assert "A0" not in content


def test_an_authority_asked_for_limits_the_rows_to_it(data, city_a, city_b):
    sheet = export_xlsx("actors", member=city_b)
    assert [row[2] for row in rows_of(sheet)[1:]] == ["Collège B0"]


def test_text_that_looks_like_a_formula_stays_text(city_a, officer_a):
    ActorFactory(authority=city_a, name='=HYPERLINK("http://evil.example","x")', city="+33 1")
    sheet = export_xlsx("actors", user=officer_a)
    cell = sheet.cell(row=2, column=3)
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")
    content = export_csv("actors", user=officer_a).decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(content.splitlines()[1]), delimiter=";"))
    assert row[2] == '\'=HYPERLINK("http://evil.example","x")'
    assert row[7] == "'+33 1"


# Queries: the count, the records, then one streamed query per to-many part.
QUERIES = {
    "partnerships": 2,
    "agreements": 2,
    "projects": 4,
    "financing_plans": 6,
    "actors": 3,
    "people": 3,
    "visits": 2,
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_an_export_takes_the_same_number_of_queries_for_1_or_10_rows(
    city_a, city_b, officer_a, name
):
    fill(city_a, 1, prefix="A")

    def count_queries() -> int:
        officer_a._jumelage_roles = None  # no cached roles: count the same work each time
        with CaptureQueriesContext(connection) as queries:
            export_xlsx(name, user=officer_a)
        return len(queries)

    one = count_queries()
    fill(city_a, 9, prefix="M")
    assert count_queries() == one == QUERIES[name]
