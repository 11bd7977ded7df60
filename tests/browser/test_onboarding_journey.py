"""A new authority's first afternoon, in a real browser and only through it: from the invitation
link to its public page, a valid IATI file and its ODA declaration. The invitee chooses a
password, fills the service contact and the public page's introduction from the setup
checklist, sends the workbook they keep (title rows, French headers, "Weissenburg" for
Weißenburg in Bayern, "03/1998", "2024-2026", a total row), imports each sheet's clean rows,
places the partner towns from the gazetteer, then opens the public page, the IATI file (valid
against the IATI 2.03 schema) and the ODA declaration.

Every page action (a visit, a fill, a file chosen, a click) is counted: the count is the
measure of how long joining takes, written in the changelog; keep it small. axe-core checks
every page the journey passes through.

With ONBOARDING_SCREENSHOTS=1 the journey also rewrites docs/screenshots/onboarding-*.png, the
screenshots of the quick-start guides.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.browser.test_public_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "Jumelage-Weissenburg-1984"
STEPS = 28  # the journey's page actions: a change here is a change of the changelog's figure


def workbook() -> bytes:
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
            ],
        },
        merges={"Partenariats": ["A1:E1"]},
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
    from jumelage.projects.models import Project
    from jumelage.reporting.iati.reference import activity_schema

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
    journey.choose_file("#id_file", "suivi-relations-internationales.xlsx", workbook())
    journey.click("form.ws-form button[type=submit]")
    assert "?sheet" in page.url or "/import/" in page.url
    journey.shot("3-mapping")
    assert page.locator("select[name='column-0']").input_value() == "partner"
    journey.click("button:has-text('2')")  # "Importer les 2 lignes sans problème"
    journey.click("form[action$='/next/'] button")
    journey.shot("4-next-sheet")
    journey.click("form[action$='/write/'] button")
    journey.shot("5-imported")
    member = MemberAuthority.objects.get(slug="saint-nazaire")
    assert Partnership.objects.filter(authority=member).count() == 2
    assert Project.objects.filter(authority=member, slug="eau-kragujevac").exists()

    # The partner towns (and the authority itself) placed from the gazetteer.
    journey.click("a[href$='/demarrage/']")
    for _town in range(3):
        journey.click("#towns form button")
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
    assert "/reporting/oda/saint-nazaire/" in page.url
    journey.shot("9-oda-declaration")

    assert journey.steps == STEPS, journey.steps
    assert not journey.failures, "\n".join(journey.failures)
    assert refused_by_the_policy(page.context.new_page(), journey.checked) == []
    assert foreign_requests() == []
