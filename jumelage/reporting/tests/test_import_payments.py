"""An officer's payments workbook (title rows, French headers, a total row, "45 000 000 FCFA"
read by the partner's country, "3 870,40 €", a membership fee without project), in XLSX and in
a Latin-1 CSV, through `import_spreadsheet` and the import machinery: the stored payments, the
same file twice, an unknown project, two authorities, an in-kind column, and two imports of one
file at once (the second records nothing twice)."""

from __future__ import annotations

import datetime
import io
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from jumelage.core.tests.factories import all_countries
from jumelage.projects.models import Transaction
from jumelage.projects.services import payment_save
from jumelage.projects.tests.factories import ProjectCountryFactory, ProjectFactory
from jumelage.reporting.spreadsheets.imports import IMPORTS, import_table
from jumelage.reporting.spreadsheets.imports import payments as payments_import
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


# --- In kind -------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["En nature", "Valorisation", "Apport en nature"])
def test_an_in_kind_column_is_mapped_and_its_yes_no_words_stored(
    tmp_path, city_a, admin_a, projects, header
):
    rows = [[*row, None] for row in PAYMENTS]
    rows[2][-1] = header
    rows[3][-1] = "x"
    rows[4][-1] = "non"
    path = write(tmp_path, rows, "xlsx")
    table = read_workbook(path).sheets[0]
    assert propose(table, kind="payments").mapping[9] == "in_kind"

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    assert sorted(Transaction.objects.values_list("order_number", "in_kind")) == [
        ("2025-0412", True),
        ("2025-0533", False),
    ]

    # The file sent again with the fee now in kind: the stored payment is corrected.
    rows[4][-1] = "oui"
    out, error = run(write(tmp_path, rows, "xlsx"), "--accept-proposed", "--language", "en")
    assert error == "", out
    assert sorted(Transaction.objects.values_list("order_number", "in_kind")) == [
        ("2025-0412", True),
        ("2025-0533", True),
    ]
    assert Transaction.objects.count() == 2


def test_an_in_kind_cell_neither_yes_nor_no_is_reported_with_its_cell(
    tmp_path, city_a, admin_a, projects
):
    rows = [[*row, None] for row in PAYMENTS]
    rows[2][-1] = "En nature"
    rows[3][-1] = "oui"
    rows[4][-1] = "peut-être"
    path = write(tmp_path, rows, "xlsx")

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error.startswith("Nothing was imported")
    assert "Row 5, column “En nature”: “peut-être” is neither yes nor no" in out
    assert not Transaction.objects.exists()


# --- Two imports of one file at once -------------------------------------------------------------


def _import(path, user, member, **kwargs: Any):
    table = read_workbook(path).sheets[0]
    return import_table(
        IMPORTS["payments"],
        table,
        user=user,
        member=member,
        mapping=propose(table, kind="payments").mapping,
        **kwargs,
    )


def test_an_import_whose_rows_were_recorded_while_it_was_checked_records_nothing_twice(
    tmp_path, city_a, admin_a, projects
):
    """The second import read the ledger before the first wrote: what it writes is decided
    again under the ledger's lock, so the payments are recorded once."""
    path = write(tmp_path, PAYMENTS, "xlsx")
    meanwhile: list[Any] = []

    def checked(done: int, total: int) -> None:
        if done == total and not meanwhile:  # this import has planned its rows: the other runs
            meanwhile.append(_import(path, admin_a, city_a))

    outcome = _import(path, admin_a, city_a, check_progress=checked)

    assert meanwhile[0].written and meanwhile[0].counts["create"] == 2
    assert outcome.written and outcome.counts == {"create": 0, "update": 0, "unchanged": 2}
    assert sorted(Transaction.objects.values_list("order_number", "version")) == [
        ("2025-0412", 1),
        ("2025-0533", 1),
    ]


def test_a_correction_made_meanwhile_by_the_same_file_is_not_written_again(
    tmp_path, city_a, admin_a, projects
):
    path = write(tmp_path, PAYMENTS, "xlsx")
    _import(path, admin_a, city_a)
    rows = [row[:] for row in PAYMENTS]
    rows[3][6] = "68 602,00 €"  # the euros paid, corrected
    corrected = write(tmp_path, rows, "xlsx")
    meanwhile: list[Any] = []

    def checked(done: int, total: int) -> None:
        if done == total and not meanwhile:
            meanwhile.append(_import(corrected, admin_a, city_a))

    outcome = _import(corrected, admin_a, city_a, check_progress=checked)

    assert meanwhile[0].counts["update"] == 1
    assert outcome.written and outcome.counts["update"] == 0
    payment = Transaction.objects.get(order_number="2025-0412")
    assert (payment.amount_eur, payment.version) == (Decimal("68602.00"), 2)


def test_another_correction_made_meanwhile_refuses_the_import_and_is_kept(
    tmp_path, city_a, admin_a, projects
):
    _import(write(tmp_path, PAYMENTS, "xlsx"), admin_a, city_a)
    rows = [row[:] for row in PAYMENTS]
    rows[3][6] = "68 602,00 €"
    corrected = write(tmp_path, rows, "xlsx")

    def checked(done: int, total: int) -> None:
        if done == total:  # a colleague corrects the same payment otherwise, in the ledger
            payment = Transaction.objects.get(order_number="2025-0412")
            payment.amount_eur = Decimal("68000.00")
            payment_save(payment=payment, user=admin_a, expected_version=payment.version)

    outcome = _import(corrected, admin_a, city_a, check_progress=checked)

    assert not outcome.written
    assert [problem.row for problem in outcome.problems] == [4]
    payment = Transaction.objects.get(order_number="2025-0412")
    assert (payment.amount_eur, payment.version) == (Decimal("68000.00"), 2)


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_at_once_record_each_payment_once(
    tmp_path, city_a, admin_a, projects
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite locks the whole database for each write, so imports cannot write at once; "
            "CI runs this test on PostgreSQL."
        )
    path = write(tmp_path, PAYMENTS, "xlsx")
    both_checked = threading.Barrier(2, timeout=60)
    outcomes: list[Any] = []

    def checked(done: int, total: int) -> None:
        if done == total:
            both_checked.wait()  # both have planned two new rows before either writes

    def run_import() -> None:
        try:
            outcomes.append(_import(path, admin_a, city_a, check_progress=checked))
        except Exception as error:  # reported by the assertion below, not swallowed
            outcomes.append(repr(error))
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run_import) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(o.counts["create"] for o in outcomes) == [0, 2], outcomes
    assert all(o.written for o in outcomes)
    assert sorted(Transaction.objects.values_list("order_number", flat=True)) == [
        "2025-0412",
        "2025-0533",
    ]


WITHOUT_NATURE_COLUMN = ["Date", "N° mandat", "Tiers", "Objet", "Montant", "Projet"]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_without_a_nature_column_the_payment_s_object_says_it_is_a_fee_or_a_contribution(
    tmp_path, city_a, admin_a, projects, file_format
):
    """An officer's sheet has no nature column: "Cotisation 2025" in the object column of a
    row without a project is a membership fee, "Contribution au réseau" a network
    contribution; a row naming neither is refused with its cell and nothing written."""
    rows: list[list[Any]] = [
        ["Mandats émis - exercice 2025", None, None, None, None, None],
        WITHOUT_NATURE_COLUMN,
        ["12/06/2025", "2025-0588", "Cités Unies France", "Cotisation 2025", "1 250,00 €", None],
        ["14/06/2025", "2025-0590", "Réseau X", "Contribution au réseau X", "300 €", None],
        ["15/06/2025", "2025-0591", "Mairie de Dogbo", "Formation des contributeurs", "90 €", None],
    ]
    path = write(tmp_path, rows, file_format)
    table = read_workbook(path).sheets[0]
    mapping = propose(table, kind="payments").mapping

    outcome = import_table(
        IMPORTS["payments"],
        table,
        user=admin_a,
        member=city_a,
        mapping=mapping,
        clean_rows_only=True,
    )

    assert sorted(Transaction.objects.values_list("order_number", "nature", "amount")) == [
        ("2025-0588", Transaction.Nature.MEMBERSHIP_FEE, Decimal("1250.00")),
        ("2025-0590", Transaction.Nature.NETWORK_CONTRIBUTION, Decimal("300.00")),
    ]
    (problem,) = outcome.problems
    assert problem.row == 5
    with translation.override("en"):
        assert "membership fee" in problem.message


def test_without_a_category_column_a_project_s_new_payments_are_cooperation_projects(
    tmp_path, city_a, admin_a, projects
):
    """Most officers' sheets say nothing of ODA categories: a project's new payment is recorded
    in category 1 (said once in the notes), a membership fee is left without one, and a
    category the officer changes afterwards in the ledger survives the same file sent again."""
    path = write(tmp_path, PAYMENTS, "xlsx")
    table = read_workbook(path).sheets[0]
    mapping = propose(table, kind="payments").mapping

    outcome = import_table(IMPORTS["payments"], table, user=admin_a, member=city_a, mapping=mapping)

    assert outcome.written
    categories = dict(Transaction.objects.values_list("order_number", "oda_category"))
    assert categories == {"2025-0412": Transaction.OdaCategory.PROJECTS, "2025-0533": None}
    (note,) = [n for n in outcome.notes if "category" in n.message]
    assert note.row is None  # one note for the sheet, not one a row

    dogbo = Transaction.objects.get(order_number="2025-0412")
    dogbo.oda_category = Transaction.OdaCategory.NGO_GRANTS
    payment_save(payment=dogbo, user=admin_a, expected_version=dogbo.version)
    again = import_table(
        IMPORTS["payments"],
        read_workbook(path).sheets[0],
        user=admin_a,
        member=city_a,
        mapping=mapping,
    )
    assert again.counts["unchanged"] == 2
    dogbo.refresh_from_db()
    assert dogbo.oda_category == Transaction.OdaCategory.NGO_GRANTS


def test_a_category_column_is_read_and_no_default_is_given(tmp_path, city_a, admin_a, projects):
    rows = [[*row, None] for row in PAYMENTS]
    rows[2][-1] = "Catégorie APD"
    rows[3][-1] = "2"
    path = write(tmp_path, rows, "xlsx")
    table = read_workbook(path).sheets[0]
    outcome = import_table(
        IMPORTS["payments"],
        table,
        user=admin_a,
        member=city_a,
        mapping=propose(table, kind="payments").mapping,
    )
    assert outcome.written
    assert dict(Transaction.objects.values_list("order_number", "oda_category")) == {
        "2025-0412": Transaction.OdaCategory.NGO_GRANTS,
        "2025-0533": None,
    }
    assert not [n for n in outcome.notes if "category" in n.message]


FEE, NETWORK = Transaction.Nature.MEMBERSHIP_FEE, Transaction.Nature.NETWORK_CONTRIBUTION


@pytest.mark.parametrize(
    ("description", "nature"),
    [
        ("Cotisation 2025", FEE),
        ("COTISATIONS annuelles", FEE),
        ("Adhésion CUF", FEE),
        ("Adhésions 2024-2025", FEE),
        ("Membership AIMF", FEE),
        ("Contribution au réseau X", NETWORK),
        ("Contributions réseau", NETWORK),
        ("Cotisation et contribution", FEE),  # a fee first, as an officer reads it
        ("Contribution-cotisation", FEE),
        ("Formation des contributeurs", None),
        ("Mission à Dogbo", None),
        ("", None),
        (None, None),
    ],
)
def test_the_object_of_a_payment_without_a_project_names_its_nature_by_whole_words(
    description, nature
):
    assert payments_import.nature_in_words(description) == nature
