"""A new authority's first afternoon, in a real browser and only through it: from the invitation
link to its public page, a valid IATI file and its ODA declaration. The invitee chooses a
password, fills the service contact and the public page's introduction from the setup
checklist, sends the workbook they keep (title rows, French headers, "Weissenburg" for
Weißenburg in Bayern, "03/1998", "2024-2026", a total row, and the year's mandats: a membership
fee without project, "45 000 000 FCFA" with the euros the treasury paid, staff time given in
kind), imports each sheet's clean rows, places the partner towns from the gazetteer, then opens
the public page, the IATI file (valid against the IATI 2.03 schema) and the ODA declaration,
whose total is the euros the mandats sheet says were paid for the projects.

Every page action (a visit, a fill, a file chosen, a click) is counted: the count is the
measure of how long joining takes, written in the changelog; keep it small. axe-core checks
every page the journey passes through.

With ONBOARDING_SCREENSHOTS=1 the journey also rewrites docs/screenshots/onboarding-*.png, the
screenshots of the quick-start guides.
"""

from __future__ import annotations

import io
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.browser.test_public_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "Jumelage-Weissenburg-1984"
STEPS = 28  # the journey's page actions: a change here is a change of the changelog's figure


# The payments of the year to declare, as the officer copies them from the treasury's list of
# mandats: (order no., budget line, day, beneficiary, amount as written, currency, euros paid,
# country, project, nature, ODA category, in kind). Only money paid from own funds with a
# project and an ODA category counts in the declaration: the membership fee (no category) and
# the staff time given in kind are left out, each with its reason.
PAYMENTS: list[tuple[Any, ...]] = [
    (
        "2026-0412",
        "65748 - 048",
        "12/03",
        "Mairie de Dogbo",
        "45 000 000 FCFA",
        "FCFA",
        Decimal("68602.06"),  # what the treasury paid: 45 000 000 / 655,957
        "Bénin",
        "Forages à Dogbo",
        None,
        "1",
        "non",
    ),
    (
        "2026-0533",
        "65748 - 048",
        "04/06",
        "Ville de Kragujevac",
        "12 500,00 €",
        "EUR",
        Decimal("12500.00"),
        "Serbie",
        "Eau potable à Kragujevac",
        None,
        "1",
        None,
    ),
    (
        "2026-0101",
        "6281",
        "15/01",
        "Cités Unies France",
        "1 850,00 €",
        "EUR",
        Decimal("1850.00"),
        None,
        None,
        "Cotisation",
        None,
        None,
    ),
    (
        None,
        None,
        "20/09",
        "Agents du service des eaux",
        "2 400,00 €",
        "EUR",
        None,
        "Serbie",
        "Eau potable à Kragujevac",
        None,
        None,
        "oui",
    ),
]
PAYMENT_HEADERS = [
    "N° de mandat",
    "Imputation",
    "Date du mandat",
    "Bénéficiaire",
    "Montant",
    "Devise",
    "Montant payé en euros",
    "Pays",
    "Projet",
    "Nature de la dépense",
    "Catégorie APD",
    "En nature",
]


def euros(value: Decimal | None) -> str | None:
    """As the officer types it: 68 602,06 €."""
    if value is None:
        return None
    whole, cents = f"{value:.2f}".split(".")
    return f"{int(whole):,}".replace(",", " ") + f",{cents} €"


def payments_sheet(year: int) -> tuple[list[list[Any]], Decimal]:
    """The sheet of the year's mandats (a title row, a total row), and what the declaration
    should count from it: the euros paid of the rows with a project and an ODA category, not
    given in kind."""
    rows: list[list[Any]] = [[f"Mandats de coopération {year}"], PAYMENT_HEADERS]
    counted = Decimal(0)
    for order, line, day, to, amount, currency, paid, *rest in PAYMENTS:
        _country, project, _nature, category, in_kind = rest
        rows.append([order, line, f"{day}/{year}", to, amount, currency, euros(paid), *rest])
        if project and category and in_kind != "oui":
            counted += paid
    paid_in_all = sum((row[6] for row in PAYMENTS if row[6] is not None), Decimal(0))
    rows.append(["Total", None, None, None, None, None, euros(paid_in_all)])
    return rows, counted


def workbook(year: int) -> bytes:
    """The officer's own tracking workbook, as kept in a town hall."""
    from jumelage.reporting.tests.officer_files import xlsx

    return xlsx(
        {
            "Partenariats": [
                ["Ville de Saint-Nazaire : relations internationales", None, None, None, None],
                [None, None, None, None, None],
                ["Ville partenaire", "Pays", "Type", "Depuis", "Publié"],
                ["Weissenburg", "Allemagne", "Jumelage", "12 mai 1984", "oui"],
                ["Kragujevac", "Serbie", "Coopération décentralisée", "03/1998", "oui"],
                ["Total", None, None, None, None],
            ],
            "Projets": [
                [
                    "Intitulé du projet",
                    "Identifiant",
                    "Pays",
                    "Période",
                    "Résumé",
                    "Partenaires",
                    "Code CRS",
                    "Publié",
                ],
                [
                    "Eau potable à Kragujevac",
                    "eau-kragujevac",
                    "Serbie",
                    "2024-2026",
                    "Forages et formation des agents du service des eaux de Kragujevac.",
                    "Kragujevac",
                    "14030",
                    "oui",
                ],
                [
                    "Forages à Dogbo",
                    "forages-dogbo",
                    "Bénin",
                    f"{year}-{year + 1}",
                    "Trois forages équipés de pompes solaires à Dogbo.",
                    None,
                    "14030",
                    "oui",
                ],
            ],
            "Mandats": payments_sheet(year)[0],
        },
        merges={"Partenariats": ["A1:E1"], "Mandats": [f"A1:{chr(64 + len(PAYMENT_HEADERS))}1"]},
    )


class Journey:
    """The page, with every action counted and axe-core run on every page reached."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.steps = 0
        self.checked: list[str] = []
        self.failures: list[str] = []

    def _arrived(self) -> None:
        self.page.wait_for_load_state()
        path = self.page.url
        if path in self.checked:
            return
        self.checked.append(path)
        violations = axe_violations(self.page)
        if violations:
            self.failures.append(f"{path}:\n{describe(violations)}")

    def goto(self, url: str) -> None:
        self.steps += 1
        response = self.page.goto(url)
        assert response is not None and response.status == 200, (url, response and response.status)
        self._arrived()

    def fill(self, selector: str, value: str) -> None:
        self.steps += 1
        self.page.fill(selector, value)

    def choose_file(self, selector: str, name: str, content: bytes) -> None:
        self.steps += 1
        self.page.set_input_files(
            selector,
            files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}],
        )

    def click(self, selector: str) -> None:
        self.steps += 1
        self.page.click(selector)
        self._arrived()

    def shot(self, name: str) -> None:
        if os.environ.get("ONBOARDING_SCREENSHOTS"):
            SCREENSHOTS.mkdir(exist_ok=True)
            self.page.screenshot(path=str(SCREENSHOTS / f"onboarding-{name}.png"), full_page=True)


@pytest.fixture
def invitation(transactional_db: Any, live_server: Any) -> str:
    """A new authority invited by the instance's administrator (the command's own path), and
    two partner towns other members already put in the directory."""
    from django.core.management import call_command

    from jumelage.accounts.tests.factories import UserFactory
    from jumelage.partners.tests.factories import AuthorityFactory

    call_command("load_reference", stdout=io.StringIO())
    UserFactory(username="operator", is_superuser=True, is_staff=True)
    AuthorityFactory(name="Weißenburg in Bayern", country_id="DE")
    AuthorityFactory(name="Kragujevac", country_id="RS")
    out = io.StringIO()
    call_command(
        "invite_authority",
        "--name",
        "Saint-Nazaire",
        "--siren",
        "214 401 846",
        "--email",
        "ri@saint-nazaire.example.org",
        "--site-url",
        live_server.url,
        stdout=out,
    )
    return out.getvalue().splitlines()[-1]


def refused_by_the_policy(page: Any, urls: list[str]) -> list[str]:
    """What the Content-Security-Policy refuses on these pages, visited again without axe-core
    (whose own checks apply inline styles on some pages of the back office's frame)."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    for url in urls:
        page.goto(url)
        page.wait_for_load_state()
    return refused


def test_from_the_invitation_to_the_public_page_the_iati_file_and_the_declaration(
    page, invitation, foreign_requests
):
    from jumelage.partners.models import Authority, MemberAuthority, Partnership
    from jumelage.projects.models import Project, Transaction
    from jumelage.reporting.iati.reference import activity_schema
    from jumelage.reporting.oda.window import declaration_window

    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_default_timeout(60_000)  # a loaded machine: the import runs inside the request
    journey = Journey(page)

    # The invitation: a password, and the invitee is signed in on the setup checklist.
    journey.goto(invitation)
    journey.shot("1-invitation")
    journey.fill("#id_new_password1", PASSWORD)
    journey.fill("#id_new_password2", PASSWORD)
    journey.click("input[type=submit]")
    assert page.url.endswith("/espace/saint-nazaire/demarrage/"), page.url
    journey.shot("2-checklist")

    # The service contact and the public page's introduction.
    journey.fill("#id_street", "Hôtel de Ville, place François Blancho")
    journey.fill("#id_postcode", "44600")
    journey.fill("#id_city", "Saint-Nazaire")
    journey.fill("#id_phone", "02 40 00 40 00")
    journey.fill("#id_email", "ri@saint-nazaire.example.org")
    journey.click("#contact button[type=submit]")
    journey.fill("#id_introduction", "Saint-Nazaire est jumelée avec Weißenburg depuis 1984.")
    journey.click("#public-page button[type=submit]")

    # The workbook as the officer keeps it: each sheet's mapping and dry run, then its import.
    journey.click("#import a.ws-button")
    year = declaration_window().year  # the flows declared in the coming window
    journey.choose_file("#id_file", "suivi-relations-internationales.xlsx", workbook(year))
    journey.click("form.ws-form button[type=submit]")
    assert "?sheet" in page.url or "/import/" in page.url
    journey.shot("3-mapping")
    assert page.locator("select[name='column-0']").input_value() == "partner"
    journey.click("button:has-text('2')")  # "Importer les 2 lignes sans problème"
    journey.click("form[action$='/next/'] button")
    journey.shot("4-next-sheet")
    journey.click("form[action$='/write/'] button")
    member = MemberAuthority.objects.get(slug="saint-nazaire")
    assert Partnership.objects.filter(authority=member).count() == 2
    assert set(Project.objects.filter(authority=member).values_list("slug", flat=True)) == {
        "eau-kragujevac",
        "forages-dogbo",
    }
    # The mandats, now that their projects exist: the fee without project, FCFA as XOF in
    # Benin, the euros the treasury paid, the staff time given in kind.
    journey.click("form[action$='/next/'] button")
    journey.shot("4b-payments")
    journey.click("form[action$='/write/'] button")
    journey.shot("5-imported")
    assert sorted(
        Transaction.objects.filter(authority=member).values_list(
            "order_number", "amount", "currency", "amount_eur", "project__slug", "nature", "in_kind"
        )
    ) == [
        ("", Decimal("2400.00"), "EUR", None, "eau-kragujevac", "project", True),
        ("2026-0101", Decimal("1850.00"), "EUR", Decimal("1850.00"), None, "membership_fee", False),
        (
            "2026-0412",
            Decimal("45000000.00"),
            "XOF",
            Decimal("68602.06"),
            "forages-dogbo",
            "project",
            False,
        ),
        (
            "2026-0533",
            Decimal("12500.00"),
            "EUR",
            Decimal("12500.00"),
            "eau-kragujevac",
            "project",
            False,
        ),
    ]

    # The partner towns (and the authority itself) placed from the gazetteer.
    journey.click("a[href$='/demarrage/']")
    journey.click("#towns .ws-place-all button")  # every town at once
    assert not Authority.objects.filter(
        pk__in=Partnership.objects.filter(authority=member).values("partner"),
        latitude__isnull=True,
    ).exists()
    journey.shot("6-checklist-done")
    assert page.locator(".ws-tag-success").count() == 5  # the workbook publishes its rows

    # What it leads to: the public page, the IATI file, the ODA declaration.
    journey.click("a[href='/saint-nazaire/']")
    assert "Weißenburg" in page.content()
    journey.shot("7-public-page")
    journey.goto("/espace/saint-nazaire/demarrage/")
    journey.click("a[href='/reporting/iati/saint-nazaire/']")
    journey.shot("8-iati-check")
    journey.steps += 1  # following the link to the file
    link = page.locator("a[href$='/activities.xml']").first.get_attribute("href")
    response = page.request.get(link)
    assert response.status == 200
    document = etree.fromstring(response.body())
    schema = activity_schema()
    assert schema.validate(document), schema.error_log
    assert document.findtext("iati-activity/iati-identifier") == "FR-RCS-214401846-eau-kragujevac"
    journey.goto("/espace/saint-nazaire/demarrage/")
    journey.click("a[href^='/reporting/oda/saint-nazaire/']")
    assert page.url.endswith(f"/reporting/oda/saint-nazaire/{year}/"), page.url
    journey.shot("9-oda-declaration")
    # The declaration counts what the sheet says was paid from own funds, in euros.
    shown = page.locator("tfoot strong").first.inner_text()  # the total, in French
    assert Decimal("".join(shown.split()).replace(",", ".")) == payments_sheet(year)[1]

    assert journey.steps == STEPS, journey.steps
    assert not journey.failures, "\n".join(journey.failures)
    assert refused_by_the_policy(page.context.new_page(), journey.checked) == []
    assert foreign_requests() == []
