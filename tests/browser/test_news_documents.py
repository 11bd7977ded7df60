"""News and documents in a real browser: the demo's officer writes a news item from the home
page, publishes it and finds it on the public news; uploads a document on a project's page, sees
a hostile file refused, then removes the document. Then axe-core on the news list, the news form
and the project's documents (with a refused upload), in French and English."""

from __future__ import annotations

import datetime

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import _sign_in, watch_refusals

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "Retour de la délégation de Kragujevac"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_officer_writes_and_publishes_news_and_files_a_document(
    page, demo, media, sign_in, foreign_requests, csp_violations, tmp_path
):
    from jumelage.content.models import Document, NewsItem
    from jumelage.projects.models import Project

    sign_in("officer", "browser-tests-only")
    page.goto("/espace/suresnes/")
    page.get_by_role("link", name="Ajouter une actualité").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="Nouvelle actualité").is_visible()
    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("Texte").fill("La délégation est rentrée.\n\nElle a visité trois écoles.")
    page.get_by_label("Date").fill(datetime.date.today().strftime("%d/%m/%Y"))
    page.get_by_label("Publier cette actualité").check()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state()
    item = NewsItem.objects.get(title__fr=TITLE)
    assert item.is_public
    assert page.url.endswith("/espace/suresnes/actualites/"), page.url
    row = page.get_by_role("row").filter(has_text=TITLE)
    assert row.locator(".ws-tag-success").is_visible()  # on the public site now
    page.get_by_role("link", name="Voir les actualités publiques").click()
    page.wait_for_load_state()
    assert page.get_by_text(TITLE).first.is_visible()

    project = Project.objects.filter(authority=demo).order_by("pk").first()
    page.goto(f"/espace/suresnes/projets/{project.pk}/")
    documents = page.locator("#documents")
    hostile = tmp_path / "rapport.pdf"
    hostile.write_bytes(b"<html><script>alert(1)</script></html>")
    count = Document.objects.count()
    documents.get_by_label("Titre").fill("Rapport")
    documents.get_by_label("Fichier").set_input_files(str(hostile))
    documents.get_by_role("button", name="Ajouter le document").click()
    page.wait_for_load_state()
    assert page.get_by_text("n'est pas un PDF", exact=False).first.is_visible()
    assert Document.objects.count() == count

    good = tmp_path / "bilan.pdf"
    good.write_bytes(PDF)
    documents = page.locator("#documents")
    documents.get_by_label("Titre").fill("Bilan de l'année")
    documents.get_by_label("Fichier").set_input_files(str(good))
    documents.get_by_label("Publier ce document").check()
    kind = documents.get_by_label("Type de document")
    assert kind.input_value() == "A01"
    kind.select_option(label="A08 – Résultats et extrants")  # noqa: RUF001 - IATI's French name
    documents.get_by_role("button", name="Ajouter le document").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").get_by_text("est ajouté", exact=False).is_visible()
    document = Document.objects.get(title__fr="Bilan de l'année")
    assert document.project == project and document.file.read() == PDF
    assert document.category == "A08"
    page.locator("#documents").get_by_role("button", name="Retirer (Bilan de l'année)").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").get_by_text("est retiré", exact=False).is_visible()
    assert not Document.objects.filter(pk=document.pk).exists()
    assert csp_violations == []
    assert foreign_requests() == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_news_and_document_pages_pass_axe_in_french_and_english(
    browser, live_server, demo, media, width, tmp_path
):
    from jumelage.content.models import NewsItem
    from jumelage.partners.models import Partnership
    from jumelage.projects.models import Project

    project = Project.objects.filter(authority=demo).order_by("pk").first()
    partnership = Partnership.objects.filter(authority=demo).order_by("pk").first()
    item = NewsItem.objects.filter(authority=demo).first()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    errors = watch_refusals(page)
    hostile = tmp_path / "page.pdf"
    hostile.write_bytes(b"<html></html>")
    try:
        _sign_in(page, "officer")
        failures = []
        paths = [
            "/espace/suresnes/actualites/",
            "/espace/suresnes/actualites/nouveau/",
            "/en/workspace/suresnes/news/",
            "/en/workspace/suresnes/news/new/",
            f"/espace/suresnes/projets/{project.pk}/",
            f"/en/workspace/suresnes/projects/{project.pk}/",
            f"/espace/suresnes/partenariats/{partnership.pk}/",
            f"/en/workspace/suresnes/partnerships/{partnership.pk}/",
        ]
        if item is not None:
            paths += [
                f"/espace/suresnes/actualites/{item.pk}/",
                f"/en/workspace/suresnes/news/{item.pk}/",
            ]
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            if "/news/new/" in path or "/nouveau/" in path:
                # The form in error, as an officer who forgot the title sees it.
                page.locator("form.ws-form button[type=submit]").first.click()
                page.wait_for_load_state()
            if page.locator("#documents input[type=file]").count():  # a project, a partnership
                documents = page.locator("#documents")
                documents.locator("input[type=file]").set_input_files(str(hostile))
                documents.locator("button[type=submit]").last.click()
                page.wait_for_load_state()
                assert page.locator("#documents .ws-error-message").count() >= 1, path
            for summary in page.locator("details.translated-field__others > summary").all():
                summary.click()
            violations = axe_violations(page)
            if violations:
                failures.append(f"{path} at {width}px:\n{describe(violations)}")
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        assert errors == []
    finally:
        context.close()
