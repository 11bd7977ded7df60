"""The history and settings pages in a real browser: axe-core finds no violation in French and
English, at phone and desktop widths, for an administrator (the forms, one sent back with its
errors, and the identifiers sent back with theirs) and a viewer (the settings read only); the
history's filter and its older page; the contact to-do of the home leads to the settings page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import _sign_in, watch_refusals

pytestmark = pytest.mark.browser

PAGES = (
    "/espace/suresnes/historique/",
    "/espace/suresnes/historique/?kind=projects.project",
    "/espace/suresnes/parametres/",
    "/en/workspace/suresnes/history/",
    "/en/workspace/suresnes/settings/",
)


def _check(page: Any, label: str, width: int, failures: list[str]) -> None:
    assert page.get_by_role("heading", level=1).count() == 1, label
    violations = axe_violations(page)
    if violations:
        failures.append(f"{label} at {width}px:\n{describe(violations)}")


@pytest.mark.parametrize(("username", "width"), [("admin", 390), ("admin", 1280), ("viewer", 390)])
def test_the_history_and_settings_pages_pass_axe(browser, live_server, demo, username, width):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    errors = watch_refusals(page)
    try:
        _sign_in(page, username)
        failures: list[str] = []
        for path in PAGES:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            assert page.locator("html").get_attribute("lang") == ("en" if "/en/" in path else "fr")
            _check(page, path, width, failures)
        if username == "admin":
            # The contact form sent back with its errors.
            page.goto("/espace/suresnes/parametres/")
            page.get_by_label("Courriel").fill("pas une adresse")
            page.get_by_role("button", name="Enregistrer le contact").click()
            page.wait_for_load_state()
            assert page.locator("[aria-invalid=true]").count() >= 1
            _check(page, "the settings with an error", width, failures)
            # The identifiers sent back with an IATI id IATI would refuse.
            page.goto("/espace/suresnes/parametres/#identifiers")
            page.get_by_label("Identifiant d'organisation IATI").fill("FR-SIRET-1")
            page.get_by_role("button", name="Enregistrer les identifiants").click()
            page.wait_for_load_state()
            field = page.get_by_label("Identifiant d'organisation IATI")
            assert field.get_attribute("aria-invalid") == "true"
            assert page.get_by_text("agence d'enregistrement de la liste IATI").is_visible()
            _check(page, "the identifiers with an error", width, failures)
        else:
            page.goto("/espace/suresnes/parametres/")
            assert page.get_by_text("Un administrateur de la collectivité modifie").is_visible()
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        assert errors == []
    finally:
        context.close()


def test_the_history_filters_by_kind_and_the_home_leads_there(page, demo, sign_in):
    sign_in("officer", "browser-tests-only")
    page.goto("/espace/suresnes/")
    page.get_by_role("link", name="Voir tout l'historique").click()
    page.wait_for_load_state()
    assert page.url.endswith("/espace/suresnes/historique/"), page.url
    page.get_by_label("Type de fiche").select_option("projects.project")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    assert "kind=projects.project" in page.url
    kinds = page.locator(".ws-change .ws-note").all_text_contents()
    assert kinds and all(kind == "(projet)" for kind in kinds), kinds
