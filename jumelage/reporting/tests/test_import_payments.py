"""An officer's payments workbook (title rows, French headers, a total row, "45 000 000 FCFA"
read by the partner's country, "3 870,40 €", a membership fee without project), in XLSX and in
a Latin-1 CSV, through `import_spreadsheet` and the import machinery: the stored payments, the
same file twice, an unknown project, two authorities."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from jumelage.core.tests.factories import all_countries
from jumelage.projects.models import Transaction
from jumelage.projects.tests.factories import ProjectCountryFactory, ProjectFactory
from jumelage.reporting.spreadsheets.imports import IMPORTS, import_table
from jumelage.reporting.spreadsheets.mapping import propose
from jumelage.reporting.spreadsheets.reading import read_workbook
from jumelage.reporting.tests.officer_files import csv_bytes, xlsx

HEADERS = [
    "Date du mandat",
    "N° de mandat",
    "Imputation",
    "Bénéficiaire",
    "Montant",
    "Pays",
    "Euros payés",
    "Projet",
    "Nature",
]
PAYMENTS: list[list[Any]] = [
    ["Ville A : mandats de coopération 2025", None, None, None, None, None, None, None, None],
    [None] * 9,
    HEADERS,
    [
        "12/05/2025",
        "2025-0412",
        "65748 - 048",
        "Mairie de Dogbo",
        "45 000 000 FCFA",
        "Bénin",
        "68 602,06 €",
        "Forages à Dogbo",
        None,
    ],
    [
        "03/06/2025",
        "2025-0533",
        "6281",
        "Cités Unies France",
        "3 870,40 €",
        None,
        None,
        None,
        "Cotisation",
    ],
    ["Total", None, None, None, None, None, None, None, None],
]


@pytest.fixture
def projects(db, city_a, city_b):
    all_countries()
    dogbo = ProjectFactory(authority=city_a, slug="forages-dogbo", title={"fr": "Forages à Dogbo"})
    ProjectCountryFactory(project=dogbo, country_id="BJ", percentage=100)
    other = ProjectFactory(authority=city_b, slug="ecoles-kara", title={"fr": "Écoles de Kara"})
    return {"dogbo": dogbo, "other": other}


def run(path, *args: str, authority: str = "ville-a") -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_spreadsheet", str(path), "--authority", authority, *args, stdout=out, stderr=err
        )
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), ""


def write(tmp_path, rows: list[list[Any]], file_format: str) -> Any:
    path = tmp_path / f"mandats.{file_format}"
    if file_format == "xlsx":
        path.write_bytes(xlsx({"Mandats": rows}, merges={"Mandats": ["A1:I1"]}))
    else:
        path.write_bytes(csv_bytes(rows, encoding="cp1252"))
    return path


def stored(member) -> list[tuple[Any, ...]]:
    return sorted(
        Transaction.objects.filter(authority=member).values_list(
            "date",
            "order_number",
            "budget_line",
            "receiver",
            "amount",
            "currency",
            "amount_eur",
            "recipient_country_id",
            "project__slug",
            "nature",
        )
    )


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_officer_workbook_goes_in_with_the_values_understood_and_twice_changes_nothing(
    tmp_path, city_a, city_b, admin_a, projects, file_format
):
    path = write(tmp_path, PAYMENTS, file_format)

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    assert "payments, 2 rows ready, 0 rows with problems" in out
    assert stored(city_a) == [
        (
            datetime.date(2025, 5, 12),
            "2025-0412",
            "65748 - 048",
            "Mairie de Dogbo",
            Decimal("45000000.00"),
            "XOF",
            Decimal("68602.06"),
            "BJ",
            "forages-dogbo",
            "project",
        ),
        (
            datetime.date(2025, 6, 3),
            "2025-0533",
            "6281",
            "Cités Unies France",
            Decimal("3870.40"),
            "EUR",
            None,
            None,
            None,
            "membership_fee",
        ),
    ]
    assert not Transaction.objects.filter(authority=city_b).exists()
    versions = sorted(Transaction.objects.values_list("pk", "version"))

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    assert sorted(Transaction.objects.values_list("pk", "version")) == versions


def test_a_dry_run_prints_one_line_for_the_sheet_in_french(tmp_path, city_a, admin_a, projects):
    path = write(tmp_path, PAYMENTS, "xlsx")

    out, error = run(path, "--dry-run")

    assert error == ""
    with translation.override("fr"):
        label = str(IMPORTS["payments"].title).lower()
    assert label == "paiements"
    assert (
        "feuille « Mandats » : paiements, 2 lignes prêtes, 0 lignes avec des problèmes, "
        "1 lignes ignorées"
    ) in out.splitlines()
    assert not Transaction.objects.exists()


def test_an_unknown_project_is_reported_with_its_cell_and_nothing_is_written(
    tmp_path, city_a, admin_a, projects
):
    rows = [row[:] for row in PAYMENTS]
    rows[3][7] = "Forages à Kandi"
    path = write(tmp_path, rows, "xlsx")

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error.startswith("Nothing was imported")
    assert "Row 4, column “Projet”: your authority has no project “Forages à Kandi”" in out
    assert not Transaction.objects.exists()

    # The workspace's "import the clean rows" writes the membership fee only.
    table = read_workbook(path).sheets[0]
    outcome = import_table(
        IMPORTS["payments"],
        table,
        user=admin_a,
        member=city_a,
        mapping=propose(table, kind="payments").mapping,
        clean_rows_only=True,
    )
    assert outcome.written
    assert [p.row for p in outcome.problems] == [4]
    assert list(Transaction.objects.values_list("order_number", flat=True)) == ["2025-0533"]


def test_another_authority_s_project_is_not_found_and_its_payments_are_untouched(
    tmp_path, city_a, city_b, admin_a, projects
):
    kept = Transaction.objects.create(
        authority=city_b,
        project=projects["other"],
        transaction_type="3",
        date=datetime.date(2025, 5, 12),
        amount=Decimal("45000000"),
        currency="XOF",
        order_number="2025-0412",
        receiver="Mairie de Dogbo",
    )
    rows = [row[:] for row in PAYMENTS]
    rows[3][7] = "Écoles de Kara"
    path = write(tmp_path, rows, "xlsx")

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert "Row 4, column “Projet”: your authority has no project “Écoles de Kara”" in out
    assert error.startswith("Nothing was imported")

    # The same payment for A's own project: recorded for A, B's identical payment left alone.
    path = write(tmp_path, PAYMENTS, "xlsx")
    out, error = run(path, "--accept-proposed", "--language", "en")
    assert error == "", out
    assert Transaction.objects.filter(authority=city_a).count() == 2
    kept_now = Transaction.objects.get(pk=kept.pk)
    assert (kept_now.version, kept_now.project_id, kept_now.amount_eur) == (
        kept.version,
        projects["other"].pk,
        None,
    )
