"""A visit's page in a real browser: the demo's officer plans an outgoing delegation, opens it
from the month, adds a staff member without a mission order (the page says what is missing and
why), records the order in place, and the page shows the delegation in order; then a cost, an
item of the programme typed the French way ("14h30") and a host family. Then axe-core on the
visit's page (every form open, a row's form open, a cost and a programme item refused) and the
list of visits, in French and English, at phone and desktop widths, with no request refused by
the Content-Security-Policy."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import _sign_in, watch_refusals

pytestmark = pytest.mark.browser

TITLE = "Mission à Cap-Haïtien"


def test_a_participant_missing_a_mission_order_is_recorded_in_place(
    page, demo, sign_in, foreign_requests, csp_violations
):
    from jumelage.visits.models import Hosting, Participant, ProgrammeItem, Visit

    sign_in("officer", "browser-tests-only")
    page.goto("/espace/suresnes/calendrier/planifier-une-visite/")
    start = timezone.localdate() + datetime.timedelta(days=40)
    page.get_by_label("Titre").fill(TITLE)
    page.locator("input[name=direction][value=outgoing]").check()
    page.get_by_label("Premier jour").fill(start.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Planifier la visite").click()
    page.wait_for_load_state()
    visit = Visit.objects.get(title__fr=TITLE)

    # From the month, the visit opens its page in the workspace (not the back office).
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/espace/suresnes/visites/{visit.pk}/"), page.url
    assert page.get_by_role("heading", level=1, name=TITLE).is_visible()

    page.get_by_text("Ajouter un participant").click()
    page.locator("#participant_new-name").fill("Camille Martin")
    page.locator("#participant_new-role").select_option("staff")
    page.get_by_role("button", name="Ajouter le participant").click()
    page.get_by_text("Le participant est ajouté.").wait_for()
    row = page.locator("tr", has_text="Camille Martin")
    assert row.get_by_text("manquant").is_visible()
    assert row.get_by_text("indiquez la référence de son", exact=False).is_visible()
    assert Participant.objects.get(visit=visit).mission_order == ""

    row.get_by_role("link", name="Enregistrer les pièces").click()
    page.locator("[id^=participant-][id$=-mission_order]").fill("OM-2026-14")
    page.get_by_role("button", name="Enregistrer le participant").click()
    page.get_by_text("Le participant est enregistré.").wait_for()
    assert page.locator("tr", has_text="Camille Martin").get_by_text("en règle").is_visible()
    assert Participant.objects.get(visit=visit).mission_order == "OM-2026-14"

    # A cost in French format, shown back formatted.
    page.get_by_text("Ajouter un frais").click()
    page.locator("#cost_new-label").fill("Billets d'avion")
    page.locator("#cost_new-amount").fill("3 870,40 €")
    page.get_by_role("button", name="Ajouter le frais").click()
    page.get_by_text("Le frais est ajouté.").wait_for()
    assert page.locator("#costs").get_by_text("3\u202f870,40\u00a0€").first.is_visible()

    # The programme: the day and time as an officer writes them, in place.
    page.get_by_text("Ajouter au programme").click()
    page.locator("#programme_new-date").fill(start.strftime("%d/%m/%Y"))
    page.locator("#programme_new-time").fill("14h30")
    page.locator("#programme_new-place").fill("Mairie de Cap-Haïtien")
    page.locator("#programme_new-description").fill("Rencontre avec le maire")
    page.get_by_role("button", name="Ajouter l'étape").click()
    page.get_by_text("L'étape est ajoutée au programme.").wait_for()
    assert page.locator("#programme tr", has_text="Rencontre avec le maire").is_visible()
    item = ProgrammeItem.objects.get(visit=visit)
    assert (item.date, item.time) == (start, datetime.time(14, 30))

    # A host family, then removed.
    page.get_by_text("Ajouter un hébergeur").click()
    page.locator("#hosting_new-host").fill("Famille Joseph")
    page.locator("#hosting_new-guests").fill("2")
    page.get_by_role("button", name="Ajouter l'hébergeur").click()
    page.get_by_text("L'hébergeur est ajouté.").wait_for()
    host = page.locator("#hosting tr", has_text="Famille Joseph")
    assert host.get_by_text("famille d'accueil").is_visible()
    host.get_by_role("button", name="Retirer").click()
    page.get_by_text("Famille Joseph n'héberge plus la délégation.").wait_for()
    assert not Hosting.objects.filter(visit=visit).exists()
    assert csp_violations == []
    assert foreign_requests() == []


def _pages() -> list[str]:
    from jumelage.visits.models import Hosting, Participant, ProgrammeItem, Visit

    visit = (
        Visit.objects.filter(authority__slug="suresnes", direction="outgoing")
        .order_by("pk")
        .first()
    )
    assert visit is not None
    if not visit.participants.exists():
        Participant.objects.create(visit=visit, name="Camille Martin", role="staff")
    item = visit.programme.order_by("pk").first()
    if item is None:
        item = ProgrammeItem.objects.create(
            visit=visit, date=visit.starts_on, description="Rencontre avec le maire"
        )
    hosting = visit.hostings.order_by("pk").first()
    if hosting is None:
        hosting = Hosting.objects.create(visit=visit, host="Famille Joseph")
    return [
        "/espace/suresnes/visites/",
        f"/espace/suresnes/visites/{visit.pk}/",
        f"/espace/suresnes/visites/{visit.pk}/?edit=visit_edit",
        f"/espace/suresnes/visites/{visit.pk}/?edit=programme-{item.pk}",
        f"/espace/suresnes/visites/{visit.pk}/?edit=hosting-{hosting.pk}",
        "/en/workspace/suresnes/visits/",
        f"/en/workspace/suresnes/visits/{visit.pk}/",
    ]


def _check(page: Any, path: str, width: int, failures: list[str]) -> None:
    english = "/en/" in page.url
    assert page.locator("html").get_attribute("lang") == ("en" if english else "fr"), path
    assert page.get_by_role("heading", level=1).count() == 1, path
    violations = axe_violations(page)
    if violations:
        failures.append(f"{path} at {width}px:\n{describe(violations)}")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_visit_pages_pass_axe(browser, live_server, demo, width):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    errors = watch_refusals(page)
    try:
        _sign_in(page, "officer")
        failures: list[str] = []
        paths = _pages()
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            _check(page, path, width, failures)
        # Every form open, then a cost refused with its message.
        page.goto(paths[1])
        for summary in page.locator("details > summary").all():
            summary.click()
        _check(page, "the visit with its forms open", width, failures)
        page.locator("#cost_new-label").fill("Taxi")
        page.locator("#cost_new-amount").fill("-30")
        page.get_by_role("button", name="Ajouter le frais").click()
        page.get_by_text("Rien n'a été enregistré", exact=False).first.wait_for()
        _check(page, "a cost refused", width, failures)
        # A programme item dated outside the visit: the message on the day's field.
        page.goto(paths[1])
        page.get_by_text("Ajouter au programme").click()
        page.locator("#programme_new-date").fill("01/01/2000")
        page.locator("#programme_new-description").fill("Dîner")
        page.get_by_role("button", name="Ajouter l'étape").click()
        page.locator("#programme_new-date_error").wait_for()
        assert page.locator("#programme_new-date").get_attribute("aria-invalid") == "true"
        _check(page, "a programme item refused", width, failures)
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert errors == []
    finally:
        context.close()
