"""A partnership created and published in the workspace, in a real browser: the demo's officer
adds a partnership with a town the directory lacks (asked, then added on confirmation), ticks it
on the list, publishes it, and finds it on the public page; axe-core on the partnership pages
(the form empty, with errors and with the town question; the list; a partnership's page; the
setup checklist) in French and English; nothing refused by the Content-Security-Policy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import _sign_in, watch_refusals

pytestmark = pytest.mark.browser


def test_an_officer_creates_a_partnership_publishes_it_and_sees_it_on_the_public_page(
    page, demo, sign_in, foreign_requests, csp_violations
):
    from jumelage.partners.models import Authority, Partnership
    from jumelage.partners.selectors import published_partnerships

    sign_in("officer", "browser-tests-only")
    page.goto("/espace/suresnes/partenariats/")
    page.get_by_role("link", name="Ajouter un partenariat").click()
    page.wait_for_load_state()
    page.get_by_label("Ville partenaire", exact=True).fill("Gorée")
    page.locator("select[name=partner_country]").select_option(label="Sénégal")
    page.locator("select[name=kind]").select_option("cooperation")
    page.locator("input[name=started]").fill("12/05/2019")
    page.locator("input[name=title__fr]").fill("Coopération avec Gorée")
    page.locator("textarea[name=summary__fr]").fill("Patrimoine et écoles, depuis 2019.")
    page.get_by_role("button", name="Ajouter le partenariat").click()
    page.wait_for_load_state()

    # The directory lacks the town: asked, not guessed; nothing written yet.
    assert page.locator("legend", has_text="De quelle ville s'agit-il ?").is_visible()
    assert not Authority.objects.filter(name="Gorée").exists()
    page.get_by_label("Aucune de celles-ci", exact=False).check()
    page.get_by_role("button", name="Ajouter le partenariat").click()
    page.wait_for_load_state()
    partnership = Partnership.objects.get(partner__name="Gorée")
    assert page.url.endswith(f"/espace/suresnes/partenariats/{partnership.pk}/"), page.url
    assert not partnership.is_public
    assert page.get_by_role("heading", level=1, name="Coopération avec Gorée").is_visible()

    # Published from the list, with the other partnerships' boxes left unticked.
    page.goto("/espace/suresnes/partenariats/")
    page.get_by_label("Choisir Gorée", exact=False).check()
    page.get_by_role("button", name="Publier les partenariats cochés").click()
    page.wait_for_load_state()
    assert page.get_by_text("Publié : Gorée.", exact=False).is_visible()
    assert partnership in published_partnerships(demo)

    page.goto("/suresnes/")
    assert "Gorée" in page.content()
    assert csp_violations == []
    assert foreign_requests() == []


def _pages(partnership_pk: int) -> list[tuple[str, str]]:
    pages = []
    for prefix, words in (
        ("/espace/suresnes/", ("partenariats", "nouveau", "modifier", "demarrage")),
        ("/en/workspace/suresnes/", ("partnerships", "new", "edit", "setup")),
    ):
        partnerships, new, edit, setup = words
        pages += [
            (f"{prefix}{partnerships}/", ""),
            (f"{prefix}{partnerships}/{new}/", ""),
            (f"{prefix}{partnerships}/{new}/", "errors"),
            (f"{prefix}{partnerships}/{new}/", "question"),
            (f"{prefix}{partnerships}/{partnership_pk}/", ""),
            (f"{prefix}{partnerships}/{partnership_pk}/{edit}/", ""),
            (f"{prefix}{setup}/", ""),
        ]
    return pages


def _do(page: Any, action: str) -> None:
    if action == "errors":
        page.locator("input[name=started]").fill("32/13/2025")
        page.locator("form.ws-partnership-form button[type=submit]").click()
        page.wait_for_load_state()
        page.locator(".ws-error-summary").wait_for()
    elif action == "question":
        page.locator("input[name=partner_name]").fill("Weissenburg")
        page.locator("select[name=partner_country]").select_option("DE")
        page.locator("select[name=kind]").select_option("twinning")
        page.locator("form.ws-partnership-form button[type=submit]").click()
        page.wait_for_load_state()
        page.locator("input[name=partner_choice]").first.wait_for()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_partnership_pages_pass_axe_in_french_and_english(browser, live_server, demo, width):
    from jumelage.partners.models import Partnership
    from jumelage.partners.tests.factories import AuthorityFactory

    AuthorityFactory(name="Weißenburg in Bayern", country_id="DE")
    partnership = Partnership.objects.filter(authority=demo).order_by("pk").first()
    assert partnership is not None
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    refused = watch_refusals(page)
    try:
        _sign_in(page, "officer")
        failures = []
        for path, action in _pages(partnership.pk):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            _do(page, action)
            assert page.get_by_role("heading", level=1).count() == 1, path
            violations = axe_violations(page)
            if violations:
                failures.append(
                    f"{path} ({action or 'as opened'}) at {width}px:\n{describe(violations)}"
                )
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        assert refused == []
    finally:
        context.close()
