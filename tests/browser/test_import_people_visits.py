"""The demo's officer sends a workbook of people and visits, in French and in English: each
sheet's screen shows its kind and columns (axe-core finds no violation), and the clean rows of
the visits sheet go in."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser.test_public_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser


def workbook() -> bytes:
    from jumelage.reporting.tests.officer_files import xlsx

    return xlsx(
        {
            "Agents": [
                ["Agents volontaires", None, None, None, None, None],
                ["Nom", "Prénom", "Service", "Compétences", "Langues parlées", "Disponibilités"],
                ["Démo", "Claire", "État civil", "Archivage", "espagnol", "mars 2026"],
                ["Exemple", "Karim", "Petite enfance", "Petite enfance", "anglais", "03/2026"],
            ],
            "Visites": [
                ["Du", "Au", "Ville", "Objet", "Sens", "Participants", "Coût"],
                ["12 mai 2025", "15 mai 2025", "Holon", "Petite enfance", "accueil", None, None],
                ["02/10/2025", None, "Bruxelles", "Assises", "déplacement", "Karim Exemple", "450"],
                ["03/2026", None, "Holon", "Culture", "aller-retour", None, None],
            ],
        }
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_workbook_of_people_and_visits_is_mapped_and_its_clean_visits_go_in(
    page, demo, sign_in, language
):
    from jumelage.visits.models import Visit

    before = Visit.objects.filter(authority=demo).count()
    page.set_default_timeout(60_000)  # a loaded machine: the check runs inside the request
    sign_in("officer", "browser-tests-only")
    with translation.override(language):
        page.goto(reverse("workspace:imports", args=[demo.slug]))
    page.set_input_files(
        "#id_file",
        files=[
            {"name": "suivi.xlsx", "mimeType": "application/octet-stream", "buffer": workbook()}
        ],
    )
    page.click("form.ws-form button[type=submit]")
    page.wait_for_load_state()
    job = page.url.split("?")[0]
    failures = []

    # The people's sheet: its kind and its columns' fields.
    assert page.locator("#sheet-kind").input_value() == "people"
    assert page.locator("select[name='column-0']").input_value() == "last_name"
    assert page.locator("select[name='column-4']").input_value() == "languages"
    if violations := axe_violations(page):
        failures.append(f"{page.url}:\n{describe(violations)}")

    # The visits' sheet: two clean rows, one with a problem; the clean rows go in.
    page.goto(f"{job}?sheet=1")
    page.wait_for_load_state()
    assert page.locator("#sheet-kind").input_value() == "visits"
    assert page.locator("select[name='column-4']").input_value() == "direction"
    if violations := axe_violations(page):
        failures.append(f"{page.url}:\n{describe(violations)}")
    page.click("button:has-text('2')")  # import the 2 clean rows
    page.wait_for_load_state()
    if violations := axe_violations(page):
        failures.append(f"{page.url}:\n{describe(violations)}")

    assert not failures, "\n".join(failures)
    assert Visit.objects.filter(authority=demo).count() == before + 2
    brussels = Visit.objects.get(authority=demo, other_party="Bruxelles")
    assert [str(p) for p in brussels.participants.all()] == ["Karim Exemple"]
