"""The officer's workspace in a real browser: the morning check of the demo's officer (sign in,
land on the home, read the real to-dos, follow one to where it is fixed, fix it, see it gone),
axe-core on every workspace page in French and English at phone and desktop widths, reflow,
the skip link, and no request refused by the Content-Security-Policy or sent to another host."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.test_public_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser

HOME_FR = "/espace/suresnes/"
HOME_EN = "/en/workspace/suresnes/"
FINAL_REPORT = (
    "Envoyer le compte rendu final de « Appui à l'état civil de Cap-Haïtien (exemple) » à MEAE"
)


def watch_refusals(page: Any) -> list[str]:
    """What the browser refuses under the Content-Security-Policy (an inline style or script,
    another host), as it logs it on the console (conftest's `csp_violations`, for a page of
    a context made here)."""
    refused: list[str] = []

    def note(message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", note)
    return refused


def test_the_morning_check_leads_from_a_to_do_to_where_it_is_fixed(
    page, demo, sign_in, foreign_requests, csp_violations
):
    page.goto("/espace/")
    assert "/admin/login/?next=/espace/" in page.url  # signed out: to the sign-in page

    sign_in("officer", "browser-tests-only")
    assert page.url.endswith(HOME_FR), page.url  # a member lands on the workspace
    assert page.get_by_role("heading", level=1).text_content() == "Suresnes"
    todo = page.get_by_role("link", name=FINAL_REPORT)
    assert todo.is_visible()
    assert page.get_by_text(
        "Compléter les coordonnées du service : adresse électronique"
    ).is_visible()
    assert page.get_by_role("link", name="Fiches de l'Atlas").is_visible()

    todo.click()
    page.wait_for_load_state()
    # Where the report is recorded: its row on the project's page, sent in place (htmx).
    assert re.search(r"/espace/suresnes/projets/\d+/#report-\d+$", page.url), page.url
    today = timezone.localdate().strftime("%d/%m/%Y")
    row = page.locator(page.url.rsplit("/", 1)[-1])
    row.get_by_label("Envoyé le").fill(today)
    row.get_by_role("button", name=re.compile("^Enregistrer comme envoyé")).click()
    page.get_by_text("Le compte rendu est enregistré comme envoyé.").wait_for()
    # The last instalment, held until the final report, received the same way.
    last = page.locator("#applications tr[id^='instalment-']", has_text="Versement 3")
    last.get_by_label("Reçu le").fill(today)
    last.get_by_role("button", name=re.compile("^Enregistrer comme reçu")).click()
    page.get_by_text("Le versement est enregistré comme reçu.").wait_for()
    assert "reçu le" in (
        page.locator("#applications tr[id^='instalment-']", has_text="Versement 3").text_content()
        or ""
    )

    page.goto(HOME_FR)
    assert page.get_by_role("link", name=FINAL_REPORT).count() == 0  # fixed: gone from the list

    page.get_by_role("navigation", name="Menu de l'espace de travail").get_by_role(
        "link", name="Projets"
    ).click()
    page.get_by_role("link", name="Appui à l'état civil de Cap-Haïtien (exemple)").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=2, name="Plans de financement").is_visible()
    final = page.get_by_role("row", name=re.compile(r"^Compte rendu final .*envoyé le"))
    assert "/admin/" not in (page.locator("#applications").inner_html())
    assert final.is_visible()
    assert csp_violations == []
    assert foreign_requests() == []


def workspace_pages() -> list[str]:
    """Each workspace page of the demo's authority, in French then in English."""
    from jumelage.projects.models import Project

    project = Project.objects.get(slug="etat-civil-cap-haitien-exemple")
    plan = project.financing_plans.get()
    return [
        HOME_FR,
        "/espace/suresnes/projets/",
        f"/espace/suresnes/projets/{project.pk}/",
        f"/espace/suresnes/projets/{project.pk}/plans/{plan.pk}/",
        HOME_EN,
        "/en/workspace/suresnes/projects/",
        f"/en/workspace/suresnes/projects/{project.pk}/",
        f"/en/workspace/suresnes/projects/{project.pk}/plans/{plan.pk}/",
        "/espace/suresnes/demarrage/",
        "/espace/suresnes/import/",
        "/en/workspace/suresnes/setup/",
        "/en/workspace/suresnes/import/",
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_the_workspace_passes_axe_in_french_and_english(browser, live_server, demo, width):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    errors = watch_refusals(page)
    try:
        _sign_in(page, "officer")
        failures = []
        for path in workspace_pages():
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            assert page.locator("html").get_attribute("lang") == ("en" if "/en/" in path else "fr")
            assert page.get_by_role("heading", level=1).count() == 1
            violations = axe_violations(page)
            if violations:
                failures.append(f"{path} at {width}px:\n{describe(violations)}")
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        assert errors == []
    finally:
        context.close()


def _sign_in(page: Any, username: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "browser-tests-only")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert "/admin/login/" not in page.url


@pytest.mark.parametrize("width", [320, 640])
def test_the_workspace_reflows_without_horizontal_scrolling(browser, live_server, demo, width):
    # 640 CSS pixels is a 1280 px screen at 200 % zoom; 320 is WCAG 1.4.10's narrow width.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    try:
        _sign_in(page, "officer")
        for path in workspace_pages():
            page.goto(path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    finally:
        context.close()


def test_the_skip_link_is_first_and_moves_the_focus_to_the_content(page, demo, sign_in):
    sign_in("officer", "browser-tests-only")
    page.goto(HOME_FR)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    assert page.locator(".skip-link").first.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_the_workspace_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, "officer")
        page.goto(HOME_FR)
        assert page.get_by_role("link", name=FINAL_REPORT).is_visible()
        page.get_by_role("button", name="Se déconnecter").click()
        page.wait_for_load_state()
        assert "/admin/login/" in page.url  # signed out, back at the sign-in page
    finally:
        context.close()


@pytest.mark.parametrize(
    ("prefix", "words"),
    [("/espace/suresnes/projets/", "fr"), ("/en/workspace/suresnes/projects/", "en")],
)
def test_the_applications_forms_pass_axe_open_with_errors_and_a_row_changed(
    browser, live_server, demo, prefix, words
):
    from jumelage.projects.models import Project

    project = Project.objects.get(slug="etat-civil-cap-haitien-exemple")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    refused = watch_refusals(page)
    try:
        _sign_in(page, "officer")
        page.goto(f"{prefix}{project.pk}/")
        section = page.locator("#applications")
        for summary in section.locator("details > summary").all():
            summary.click()
        failures = []
        violations = axe_violations(page)
        if violations:
            failures.append(f"forms open:\n{describe(violations)}")
        # An instalment sent empty: the section comes back with the form open and its errors.
        adding = section.locator("details", has=page.locator("form[action$='/']")).nth(1)
        adding.locator("button[type=submit]").click()
        page.locator("#applications .ws-error").first.wait_for()
        assert page.locator("#applications [aria-invalid=true]").count() >= 1
        violations = axe_violations(page)
        if violations:
            failures.append(f"errors shown:\n{describe(violations)}")
        # A row changed in place.
        page.locator("#applications tr[id^='instalment-'] a[hx-get]").first.click()
        page.locator("#applications tr.ws-row-editing form").wait_for()
        violations = axe_violations(page)
        if violations:
            failures.append(f"a row changed:\n{describe(violations)}")
        assert not failures, f"axe-core ({words}):\n" + "\n".join(failures)
        assert refused == []
    finally:
        context.close()
