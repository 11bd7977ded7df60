"""The payments import in the workspace, in a real browser: the demo's officer sends the list of
mandats they keep (a title row, French headers, a total row, a membership fee without project,
staff time given in kind, two rows with problems), checks the field proposed for each column,
reads each problem with its cell, imports the clean rows and downloads the others to fix.
axe-core on the upload, mapping and result pages in French and English."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import watch_refusals

pytestmark = pytest.mark.browser

PROJECT_SLUG = "etat-civil-cap-haitien-exemple"
HEADERS = [
    "Date du mandat",
    "N° de mandat",
    "Imputation",
    "Bénéficiaire",
    "Montant",
    "Devise",
    "Montant payé en euros",
    "Pays",
    "Projet",
    "Nature",
    "Catégorie APD",
    "En nature",
]
# The field each header should be proposed for.
FIELDS = [
    "date",
    "order_number",
    "budget_line",
    "beneficiary",
    "amount",
    "currency",
    "euro_value",
    "country",
    "project",
    "nature",
    "category",
    "in_kind",
]
# The sheet's data rows (3 to 7, the numbers the problems give), cells separated by "|".
DATA = f"""
12/05/2025 | PJ-2025-0412 | 65748 - 048 | Mairie de Cap-Haïtien | 3 870,40 € | EUR | | Haïti | {PROJECT_SLUG} | | 1 | non
03/06/2025 | PJ-2025-0533 | 6281 | Cités Unies France | 1 200 € | EUR | | | | Cotisation | |
20/09/2025 | | | Agents de l'état civil | 2 400,00 € | EUR | | Haïti | {PROJECT_SLUG} | | | x
32/05/2025 | PJ-2025-0601 | 65748 | Mairie de Cap-Haïtien | 500 € | EUR | | Haïti | {PROJECT_SLUG} | | 1 |
14/06/2025 | PJ-2025-0602 | 65748 | Mairie de Kandi | 800 € | EUR | | Bénin | Forages à Kandi | | 1 |
"""  # noqa: E501
ROWS: list[list[Any]] = [
    ["Ville de Suresnes : mandats de coopération 2025"],
    HEADERS,
    *([cell.strip() or None for cell in line.split("|")] for line in DATA.strip().splitlines()),
    ["Total", None, None, None, "8 770,40 €"],
]


def workbook() -> bytes:
    from jumelage.reporting.tests.officer_files import xlsx

    return xlsx({"Mandats": ROWS}, merges={"Mandats": ["A1:L1"]})


def french(text: str) -> str:
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("fr"):
        return gettext(text)


def test_an_officer_imports_the_clean_payments_and_downloads_the_others(browser, live_server, demo):
    from openpyxl import load_workbook

    from jumelage.projects.models import Transaction

    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(60_000)  # a loaded machine: the check runs as a job
    refused = watch_refusals(page)
    failures: list[str] = []

    def check(path: str | None = None) -> None:
        if path is not None:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
        page.wait_for_load_state()
        violations = axe_violations(page)
        if violations:
            failures.append(f"{page.url}:\n{describe(violations)}")

    before = set(Transaction.objects.values_list("pk", flat=True))
    try:
        page.goto("/admin/login/")
        page.fill("#id_username", "officer")
        page.fill("#id_password", "browser-tests-only")
        page.click("input[type=submit]")
        page.wait_for_load_state()
        check("/en/workspace/suresnes/import/")
        check("/espace/suresnes/import/")

        page.set_input_files(
            "#id_file",
            files=[
                {
                    "name": "mandats-2025.xlsx",
                    "mimeType": "application/octet-stream",
                    "buffer": workbook(),
                }
            ],
        )
        page.click("form.ws-form button[type=submit]")
        page.locator("select[name='column-0']").wait_for()
        check()

        # The mapping screen: each header in the officer's words has its field.
        proposed = [
            page.locator(f"select[name='column-{index}']").input_value()
            for index in range(len(HEADERS))
        ]
        assert proposed == FIELDS

        # The dry run: three rows ready, each problem with its row and its column.
        problems = page.locator("section[aria-labelledby='result-title'] tbody tr")
        cells = [
            [cell.strip() for cell in problems.nth(n).locator("td").all_inner_texts()]
            for n in range(problems.count())
        ]
        assert [(row, column) for row, column, _message in cells] == [
            ("6", "Date du mandat"),
            ("7", "Projet"),
        ], cells
        assert "Forages à Kandi" in cells[1][2]
        job_url = page.url
        check(job_url.replace("/espace/suresnes/", "/en/workspace/suresnes/"))
        page.goto(job_url)

        # The rows with problems, downloaded to fix: a first column says what to fix.
        with page.expect_download() as download:
            page.click("a[href*='/rows-to-fix/']")
        sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert table[0] == [french("Problems to fix"), *HEADERS]
        assert [(row[2], row[4]) for row in table[1:]] == [
            ("PJ-2025-0601", "Mairie de Cap-Haïtien"),
            ("PJ-2025-0602", "Mairie de Kandi"),
        ]
        assert table[1][0].startswith("Date du mandat") and "Projet" in table[2][0]

        # The clean rows imported: stored as the sheet says.
        page.click("form[action$='/write/'] button")
        page.locator(".ws-alert-success").wait_for()
        check()
        check(page.url.replace("/espace/suresnes/", "/en/workspace/suresnes/"))
        imported = Transaction.objects.exclude(pk__in=before)
        assert sorted(
            imported.values_list(
                "date",
                "order_number",
                "budget_line",
                "receiver",
                "amount",
                "currency",
                "recipient_country_id",
                "project__slug",
                "nature",
                "oda_category",
                "in_kind",
            ),
            key=lambda row: row[0],
        ) == [
            (
                datetime.date(2025, 5, 12),
                "PJ-2025-0412",
                "65748 - 048",
                "Mairie de Cap-Haïtien",
                Decimal("3870.40"),
                "EUR",
                "HT",
                PROJECT_SLUG,
                "project",
                1,
                False,
            ),
            (
                datetime.date(2025, 6, 3),
                "PJ-2025-0533",
                "6281",
                "Cités Unies France",
                Decimal("1200.00"),
                "EUR",
                None,
                None,
                "membership_fee",
                None,
                False,
            ),
            (
                datetime.date(2025, 9, 20),
                "",
                "",
                "Agents de l'état civil",
                Decimal("2400.00"),
                "EUR",
                "HT",
                PROJECT_SLUG,
                "project",
                None,
                True,
            ),
        ]
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        assert refused == []
    finally:
        context.close()
