"""Writing a project in a real browser: the demo's officer creates a project from the projects
list, adds the partner's language on demand, previews the public page (nothing is saved),
publishes it and finds it on the public site. Then axe-core on the form, the preview and the
published page, in French and English, with no request refused by the Content-Security-Policy."""

from __future__ import annotations

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import _sign_in, watch_refusals

pytestmark = pytest.mark.browser

TITLE = "Bibliothèque jeunesse de Kragujevac"
TITLE_SR = "Библиотека за децу у Крагујевцу"  # noqa: RUF001 - Serbian, in Cyrillic


def test_an_officer_creates_previews_and_publishes_a_project(
    page, demo, sign_in, foreign_requests, csp_violations
):
    from jumelage.projects.models import Project

    sign_in("officer", "browser-tests-only")
    page.get_by_role("navigation", name="Menu de l'espace de travail").get_by_role(
        "link", name="Projets"
    ).click()
    page.get_by_role("link", name="Nouveau projet").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="Nouveau projet").is_visible()

    page.get_by_label("Titre").fill(TITLE)
    # The partner's language on demand: folded until asked for, then a box of its own.
    serbian = page.locator("#id_title__sr")
    assert not serbian.is_visible()
    page.locator(".translated-field", has=page.locator("#id_title__fr")).get_by_text(
        "Ajouter une langue"
    ).click()
    serbian.fill(TITLE_SR)
    page.get_by_label("Résumé").fill("Des livres et des ateliers de lecture pour les enfants.")
    page.get_by_label("Début prévu").fill("12/05/2025")
    page.get_by_label("Fin prévue").fill("31/12/2026")
    page.get_by_label("Kragujevac", exact=False).first.check()
    page.locator("select[name='countries-0-country']").select_option("RS")
    page.locator("select[name='sectors-0-code']").select_option("16061")
    page.locator("input[name='sectors-0-percentage']").fill("66,7")
    page.locator("select[name='sectors-1-code']").select_option("15112")
    page.locator("input[name='sectors-1-percentage']").fill("33,3")
    # Objectives, SDG targets (French commas, as officers type them), the ODA purpose and the
    # IATI identifier: no detour through the back office.
    page.locator("#id_objectives__fr").fill("Que chaque enfant du quartier lise.")
    page.get_by_label("Cibles des ODD").fill("4,6 ; 4,a")
    page.get_by_role("group", name="Objectif principal, pour la déclaration d'APD").get_by_label(
        "Son objectif principal est autre (hors APD)"
    ).check()
    org_id = demo.authority.default_iati_org_id()
    page.get_by_label("Identifiant IATI").fill(f"{org_id}-BIB-2025")
    page.get_by_label("Publier ce projet").check()

    # The preview opens in a new tab, as citizens would see the page; nothing is written.
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Aperçu de la page publique").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.get_by_role("heading", level=1).text_content() == TITLE
    assert preview.get_by_text("Aperçu – pas encore publié").is_visible()  # noqa: RUF001
    assert preview.locator("meta[name=robots]").get_attribute("content") == "noindex, nofollow"
    assert preview.get_by_text("Kragujevac").first.is_visible()
    violations = axe_violations(preview)
    assert not violations, describe(violations)
    preview.close()
    assert not Project.objects.filter(title__fr=TITLE).exists()

    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state()
    project = Project.objects.get(title__fr=TITLE)
    assert project.title["sr"] == TITLE_SR and project.is_public
    assert project.objectives == {"fr": "Que chaque enfant du quartier lise."}
    assert project.sdg_targets == ["4.6", "4.a"]
    assert project.oda_purpose == Project.OdaPurpose.OTHER
    assert project.iati_identifier == f"{org_id}-BIB-2025"
    assert page.url.endswith(f"/espace/suresnes/projets/{project.pk}/"), page.url
    assert page.get_by_role("status").get_by_text("est enregistré", exact=False).is_visible()

    page.get_by_role("link", name="Modifier le résumé et la publication").click()
    page.wait_for_load_state()
    assert page.get_by_text("Sur le site public", exact=True).is_visible()
    # The Serbian title is filled: shown open, not folded.
    assert page.locator("#id_title__sr").is_visible()
    page.get_by_role("link", name="Voir sa page publique").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/suresnes/projets/{project.slug}/"), page.url
    assert page.get_by_role("heading", level=1).text_content() == TITLE
    assert page.get_by_text("Aperçu").count() == 0
    assert csp_violations == []
    assert foreign_requests() == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_project_form_and_preview_pass_axe_in_french_and_english(
    browser, live_server, demo, width
):
    from jumelage.projects.models import Project

    project = Project.objects.get(slug="etat-civil-cap-haitien-exemple")
    # An identifier the IATI file refuses: its warning beside the box is checked too.
    Project.objects.filter(pk=project.pk).update(iati_identifier="CAP-HAITIEN")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    errors = watch_refusals(page)
    try:
        _sign_in(page, "officer")
        failures = []
        for path, button in (
            ("/espace/suresnes/projets/nouveau/", "Aperçu de la page publique"),
            (f"/espace/suresnes/projets/{project.pk}/modifier/", "Aperçu de la page publique"),
            ("/en/workspace/suresnes/projects/new/", "Preview the public page"),
            (f"/en/workspace/suresnes/projects/{project.pk}/edit/", "Preview the public page"),
        ):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            if "new" not in path and "nouveau" not in path:
                assert page.locator("#id_iati_identifier-warning").is_visible(), path
            assert page.locator("html").get_attribute("lang") == ("en" if "/en/" in path else "fr")
            # Every language offered, open, as an officer would unfold them.
            for summary in page.locator("details.translated-field__others > summary").all():
                summary.click()
            violations = axe_violations(page)
            if violations:
                failures.append(f"{path} at {width}px:\n{describe(violations)}")
            if "new" in path or "nouveau" in path:
                page.locator("#id_title__fr").fill("Essai")
            with page.context.expect_page() as opened:
                page.get_by_role("button", name=button).click()
            preview = opened.value
            preview.wait_for_load_state()
            violations = axe_violations(preview)
            if violations:
                failures.append(f"preview of {path} at {width}px:\n{describe(violations)}")
            preview.close()
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        assert errors == []
    finally:
        context.close()
