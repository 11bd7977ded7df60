"""Planning a visit in a real browser: the demo's officer opens a partnership, plans a visit
(dates in French, the delegation, the partnership), sees it in the month view, and the home's
to-do asks for the special mandate and the mission order it lacks. Then axe-core on every
partnership and calendar page, in French and English, at phone and desktop widths, with no
request refused by the Content-Security-Policy."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import _sign_in, watch_refusals

pytestmark = pytest.mark.browser

TITLE = "Délégation à Cap-Haïtien"


def cap_haitien() -> Any:
    from jumelage.partners.models import Partnership

    return Partnership.objects.get(
        authority__slug="suresnes", partner__name="Cap-Haïtien", kind="cooperation"
    )


def test_planning_a_visit_from_a_partnership_reaches_the_month_and_the_home(
    page, demo, sign_in, foreign_requests, csp_violations
):
    from jumelage.visits.models import Visit

    partnership = cap_haitien()
    sign_in("officer", "browser-tests-only")
    page.get_by_role("navigation", name="Menu de l'espace de travail").get_by_role(
        "link", name="Partenariats"
    ).click()
    page.get_by_role("link", name="Cap-Haïtien").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/espace/suresnes/partenariats/{partnership.pk}/")
    assert page.get_by_role("heading", level=2, name="Chronologie").is_visible()
    assert page.get_by_role("heading", level=2, name="Chiffres clés").is_visible()
    assert page.get_by_role("heading", level=2, name="Fiche de l'Atlas").is_visible()

    page.get_by_role("link", name="Planifier une visite").click()
    page.wait_for_load_state()
    # The partnership comes chosen from its page.
    assert page.get_by_label("Partenariat").input_value() == str(partnership.pk)

    start = timezone.localdate() + datetime.timedelta(days=45)
    end = start + datetime.timedelta(days=6)
    page.get_by_label("Titre").fill(TITLE)
    page.locator("input[name=direction][value=outgoing]").check()
    page.get_by_label("Premier jour").fill(start.strftime("%d/%m/%Y"))
    page.get_by_label("Dernier jour").fill("le jour de la fête")  # not a date
    page.get_by_label("Jean-Louis Testud", exact=False).check()
    page.get_by_label("Objet").fill("Formation des officiers d'état civil.")
    page.get_by_role("button", name="Planifier la visite").click()
    page.wait_for_load_state()
    # Refused, with a message tied to the field, and nothing written.
    assert page.get_by_role("heading", name="Il y a un problème").is_visible()
    last_day = page.get_by_label("Dernier jour")
    assert last_day.get_attribute("aria-invalid") == "true"
    assert Visit.objects.filter(title__fr=TITLE).count() == 0

    last_day.fill(end.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Planifier la visite").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/espace/suresnes/calendrier/{start.year}/{start.month}/"), page.url
    messages = page.get_by_role("status")
    assert messages.get_by_text("est planifiée", exact=False).is_visible()
    assert messages.get_by_text("pièces de déplacement", exact=False).is_visible()
    day = page.locator(f"#day-{start.isoformat()}")
    assert day.is_visible()
    visit_line = page.locator(".ws-day").filter(has=day).get_by_text(TITLE)
    assert visit_line.is_visible()

    page.get_by_role("link", name="Accueil").first.click()
    page.wait_for_load_state()
    todo = page.get_by_role("link", name=f"Pièces de déplacement pour «\u00a0{TITLE}\u00a0»")
    if todo.count() == 0:  # the catalogue's quotes may carry plain spaces
        todo = page.get_by_role("link", name=f"Pièces de déplacement pour « {TITLE} »")
    assert todo.is_visible()
    assert page.get_by_text("mandat spécial", exact=False).first.is_visible()
    assert csp_violations == []
    assert foreign_requests() == []


def calendar_pages() -> list[str]:
    """Each partnership and calendar page of the demo's authority, in French then English."""
    from jumelage.agreements.models import Agreement

    partnership = cap_haitien()
    today = timezone.localdate()
    pages = [
        "/espace/suresnes/partenariats/",
        f"/espace/suresnes/partenariats/{partnership.pk}/",
        "/espace/suresnes/calendrier/",
        f"/espace/suresnes/calendrier/{today.year}/{today.month}/",
        "/espace/suresnes/calendrier/planifier-une-visite/",
        "/espace/suresnes/calendrier/abonnement/",
        "/en/workspace/suresnes/partnerships/",
        f"/en/workspace/suresnes/partnerships/{partnership.pk}/",
        "/en/workspace/suresnes/calendar/",
        "/en/workspace/suresnes/calendar/plan-a-visit/",
        "/en/workspace/suresnes/calendar/subscription/",
    ]
    waiting = Agreement.objects.filter(
        authority__slug="suresnes", status__in=["draft", "approved", "signed"]
    ).first()
    if waiting is not None:
        pages.append(
            f"/espace/suresnes/partenariats/{waiting.partnership_id}/actes/{waiting.pk}/etape/"
        )
    return pages


def _check(page: Any, path: str, width: int, failures: list[str]) -> None:
    english = "/en/" in page.url
    assert page.locator("html").get_attribute("lang") == ("en" if english else "fr"), path
    assert page.get_by_role("heading", level=1).count() == 1, path
    violations = axe_violations(page)
    if violations:
        failures.append(f"{path} at {width}px:\n{describe(violations)}")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_partnership_and_calendar_pages_pass_axe(browser, live_server, demo, width):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    errors = watch_refusals(page)
    try:
        _sign_in(page, "officer")
        failures: list[str] = []
        for path in calendar_pages():
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            _check(page, path, width, failures)
        # A form sent back with its errors, and the page showing a new calendar address.
        page.goto("/espace/suresnes/calendrier/planifier-une-visite/")
        page.get_by_label("Premier jour").fill("31/02/2026")
        page.get_by_role("button", name="Planifier la visite").click()
        page.wait_for_load_state()
        _check(page, "the visit form with errors", width, failures)
        page.goto("/en/workspace/suresnes/calendar/subscription/")
        page.get_by_role("button", name="Make my address").click()
        page.wait_for_load_state()
        assert page.locator("#feed-address").input_value().endswith(".ics")
        _check(page, "the new calendar address", width, failures)
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert errors == []
    finally:
        context.close()


def test_the_calendar_feed_answers_a_calendar_program(browser, live_server, demo):
    """The address shown is one a calendar program can read without a session."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    try:
        _sign_in(page, "officer")
        page.goto("/espace/suresnes/calendrier/abonnement/")
        page.get_by_role("button", name="Créer mon adresse").click()
        page.wait_for_load_state()
        address = page.locator("#feed-address").input_value()
    finally:
        context.close()
    anonymous = browser.new_context()
    try:
        response = anonymous.request.get(address)
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/calendar")
        assert "BEGIN:VCALENDAR" in response.text()
    finally:
        anonymous.close()
