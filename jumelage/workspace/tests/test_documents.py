"""Documents of a project or partnership in the workspace: added (a file checked by the content
app's rule, or a link) and removed through `content.services` with the version the page showed.
Another authority's officer finds nothing, a viewer reads only, a hostile upload is refused with
nothing written, and public documents are those `content.selectors` publishes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from jumelage.audit.models import AuditEntry
from jumelage.content.models import Document
from jumelage.content.selectors import published_documents
from jumelage.content.tests.factories import DocumentFactory
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.projects.tests.factories import ProjectFactory
from jumelage.tenancy.access import may_write

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def page_url(owner, kind="projects") -> str:
    return f"/en/workspace/ville-a/{kind}/{owner.pk}/"


def add_url(owner, kind="projects") -> str:
    return f"{page_url(owner, kind)}documents/"


def remove_url(owner, document, kind="projects") -> str:
    return f"{page_url(owner, kind)}documents/{document.pk}/remove/"


def upload(name="rapport.pdf", content=PDF, **overrides):
    data = {"title__fr": "Rapport final", "date": "12/05/2025", "url": ""}
    if name:
        data["file"] = SimpleUploadedFile(name, content)
    data.update(overrides)
    return data


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()]


def test_an_officer_uploads_a_pdf_to_a_project(client, city_a, officer_a, media_root):
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    response = client.post(add_url(project), upload(is_public="on"))
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(project)}#documents-title"
    document = Document.objects.get()
    assert (document.project, document.authority) == (project, city_a)
    assert document.title == {"fr": "Rapport final"}
    assert str(document.date) == "2025-05-12"
    assert document.is_public
    assert document.file.read() == PDF
    assert AuditEntry.objects.filter(object_id=str(document.pk), action="create").exists()
    page = client.get(page_url(project)).content.decode()
    assert document.file_url() in page
    assert remove_url(project, document) in page


def test_a_link_can_be_given_instead_of_a_file(client, city_a, officer_a):
    partnership = PartnershipFactory(authority=city_a)
    client.force_login(officer_a)
    response = client.post(
        add_url(partnership, "partnerships"),
        upload(name=None, url="https://example.org/convention.pdf"),
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.partnership == partnership
    assert document.url == "https://example.org/convention.pdf"
    page = client.get(page_url(partnership, "partnerships")).content.decode()
    assert 'href="https://example.org/convention.pdf"' in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        # An HTML page named as a PDF: the content app's rule reads its first bytes.
        (upload("rapport.pdf", b"<html><script>alert(1)</script></html>"), "file"),
        (upload("page.html", b"<html></html>"), "file"),
        (upload("virus.exe", b"MZ"), "file"),
        (upload("sans-extension", b"texte"), "file"),
        (upload(name=None), None),  # neither a file nor a link
        (upload(url="https://example.org/a.pdf"), None),  # both
        (upload(title__fr=""), "title"),
        (upload(date="31/02/2025"), "date"),
        (upload(name=None, url="javascript:alert(1)"), "url"),
    ],
)
def test_bad_input_is_refused_clearly_and_writes_nothing(
    client, city_a, officer_a, media_root, data, field
):
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    response = client.post(add_url(project), data)
    assert response.status_code == 400
    form = response.context["documents"].form
    assert form.errors[field or "__all__"]
    assert "There is a problem" in response.content.decode()
    assert not Document.objects.exists()
    assert not stored_files(media_root)
    assert not AuditEntry.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, city_a, officer_a, media_root, settings):
    settings.DOCUMENT_MAX_BYTES = len(PDF) - 1
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    response = client.post(add_url(project), upload())
    assert response.status_code == 400
    assert "compress or split it" in response.content.decode()
    assert not Document.objects.exists()
    assert not stored_files(media_root)


def test_the_refusal_reads_in_french(client, city_a, officer_a):
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    response = client.post(
        f"/espace/ville-a/projets/{project.pk}/documents/", upload("page.pdf", b"<html>")
    )
    assert response.status_code == 400
    with translation.override("fr"):
        expected = gettext(
            "“%(name)s” is named as a PDF but is not one: export it again as a PDF, or "
            "attach it with the extension of its real type."
        ) % {"name": "page.pdf"}
    assert escape(expected) in response.content.decode()


def test_an_officer_removes_a_document_and_its_file(
    client, city_a, officer_a, media_root, django_capture_on_commit_callbacks
):
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    client.post(add_url(project), upload())
    document = Document.objects.get()
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove_url(project, document), {"version": document.version})
    assert response.status_code == 302
    assert not stored_files(media_root)
    assert not Document.objects.exists()
    assert AuditEntry.objects.filter(object_id=str(document.pk), action="delete").exists()


def test_a_stale_page_removes_nothing(client, city_a, officer_a):
    project = ProjectFactory(authority=city_a)
    document = DocumentFactory(authority=city_a, project=project, version=3)
    client.force_login(officer_a)
    response = client.post(remove_url(project, document), {"version": 2})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()
    response = client.post(remove_url(project, document), {})
    assert response.status_code == 400
    assert Document.objects.filter(pk=document.pk).exists()


def test_another_authoritys_officer_finds_nothing(client, city_a, city_b, officer_b):
    project = ProjectFactory(authority=city_a)
    partnership = PartnershipFactory(authority=city_a)
    document = DocumentFactory(authority=city_a, project=project)
    client.force_login(officer_b)
    assert client.post(add_url(project), upload()).status_code == 404
    assert client.post(add_url(partnership, "partnerships"), upload()).status_code == 404
    assert client.post(remove_url(project, document), {"version": 0}).status_code == 404
    # Under its own authority's address, city A's project does not exist either.
    own = f"/en/workspace/ville-b/projects/{project.pk}/documents/"
    assert client.post(own, upload()).status_code == 404
    # Nor is city A's document found under a project of city B.
    mine = ProjectFactory(authority=city_b)
    other = f"/en/workspace/ville-b/projects/{mine.pk}/documents/{document.pk}/remove/"
    assert client.post(other, {"version": 0}).status_code == 404
    assert Document.objects.count() == 1


def test_a_viewer_reads_the_documents_only(client, city_a, viewer_a):
    project = ProjectFactory(authority=city_a)
    document = DocumentFactory(authority=city_a, project=project, title={"fr": "Bilan"})
    client.force_login(viewer_a)
    page = client.get(page_url(project)).content.decode()
    assert "Bilan" in page
    assert add_url(project) not in page
    assert remove_url(project, document) not in page
    assert client.post(add_url(project), upload()).status_code == 403
    assert client.post(remove_url(project, document), {"version": 0}).status_code == 403
    assert Document.objects.count() == 1


def test_a_contributor_files_documents_as_the_access_rule_says(client, city_a, contributor_a):
    project = ProjectFactory(authority=city_a)
    assert may_write(contributor_a, city_a.pk, Document.write_roles)
    client.force_login(contributor_a)
    assert client.post(add_url(project), upload()).status_code == 302
    document = Document.objects.get()
    assert (
        client.post(remove_url(project, document), {"version": document.version}).status_code == 302
    )
    assert not Document.objects.exists()


def test_public_documents_are_those_the_content_app_publishes(client, city_a, officer_a):
    project = ProjectFactory(authority=city_a, is_public=True, slug="eau")
    hidden_project = ProjectFactory(authority=city_a, is_public=False, slug="cache")
    client.force_login(officer_a)
    client.post(
        add_url(project), upload(name=None, url="https://example.org/p.pdf", is_public="on")
    )
    client.post(add_url(project), upload(name=None, url="https://example.org/d.pdf"))
    client.post(
        add_url(hidden_project), upload(name=None, url="https://example.org/h.pdf", is_public="on")
    )
    shown = Document.objects.get(url="https://example.org/p.pdf")
    assert list(published_documents(city_a)) == [shown]
    public = client.get(reverse("public:project", args=[city_a.slug, "eau"])).content.decode()
    assert "https://example.org/p.pdf" in public
    assert "https://example.org/d.pdf" not in public
    # The workspace says which one the public site shows, and why the other waits.
    page = client.get(page_url(hidden_project)).content.decode()
    assert "published once its page is" in page


def test_an_uploaded_file_gets_a_safe_name_inside_the_documents_folder(
    client, city_a, officer_a, media_root
):
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    response = client.post(add_url(project), upload("../../rapport final<1>.pdf"))
    assert response.status_code == 302
    (path,) = stored_files(media_root)
    assert path.resolve().is_relative_to((media_root / "documents").resolve())
    assert "<" not in path.name and " " not in path.name


def test_the_partnership_page_costs_the_same_queries_whatever_the_documents(
    client, city_a, officer_a, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partnership = PartnershipFactory(authority=city_a)
    DocumentFactory(authority=city_a, partnership=partnership, is_public=True)
    client.force_login(officer_a)
    client.get("/en/workspace/ville-a/")
    with CaptureQueriesContext(connection) as one:
        assert client.get(page_url(partnership, "partnerships")).status_code == 200
    for n in range(4):
        DocumentFactory(authority=city_a, partnership=partnership, is_public=n % 2 == 0)
    with django_assert_num_queries(len(one)):
        client.get(page_url(partnership, "partnerships"))


# --- The IATI document category ------------------------------------------------------------------


@pytest.fixture
def categories(db):
    from jumelage.core.models import Codelist
    from jumelage.core.tests.factories import CodelistItemFactory

    rows = [
        ("A01", "A", "Pre- and post-project impact appraisal", "Évaluation de l'incidence", True),
        ("A05", "A", "Budget", "Budget", True),
        ("A08", "A", "Results, outcomes and outputs", "Résultats et extrants", True),
        ("A13", "A", "A withdrawn category", "", False),
        ("B01", "B", "Annual report", "Rapport annuel", True),
    ]
    for code, group, name_en, name_fr, active in rows:
        CodelistItemFactory(
            codelist=Codelist.DOCUMENT_CATEGORY,
            code=code,
            category=group,
            name_en=name_en,
            name_fr=name_fr,
            is_active=active,
        )


def category_select(page: str) -> str:
    start = page.index('name="category"')
    return page[start : page.index("</select>", start)]


def test_the_form_offers_the_activity_categories_in_french(client, city_a, officer_a, categories):
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    with translation.override("fr"):
        page = client.get(f"/espace/ville-a/projets/{project.pk}/").content.decode()
        label = gettext("Kind of document")
    select = category_select(page)
    assert f">{label}" in page
    assert "A08 – Résultats et extrants" in select  # noqa: RUF001
    assert 'value="A01" selected' in select
    assert 'value="B01"' not in select and 'value="A13"' not in select  # organisation, withdrawn
    assert 'aria-describedby="id_document_category-hint"' in page[page.index("<select") - 400 :]


def test_an_officer_files_a_document_under_its_iati_category(client, city_a, officer_a, categories):
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    data = upload(name="", url="https://example.org/resultats.pdf", category="a08")
    assert client.post(add_url(project), data).status_code == 302
    document = Document.objects.get()
    assert document.category == "A08"
    entry = AuditEntry.objects.get(object_id=str(document.pk))
    assert entry.changes["category"][1] == "A08"


@pytest.mark.parametrize(
    ("code", "message"),
    [("Z99", "is not a code of the IATI list"), ("A13", "has been withdrawn")],
)
def test_a_bad_category_is_answered_on_its_field_and_writes_nothing(
    client, city_a, officer_a, categories, media_root, code, message
):
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    response = client.post(add_url(project), upload(category=code))
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    select = category_select(page)
    assert 'aria-invalid="true"' in select and "id_document_category-error" in select
    assert not Document.objects.exists() and not stored_files(media_root)


def test_another_authoritys_officer_files_no_category(
    client, city_a, city_b, officer_b, categories
):
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_b)
    data = upload(name="", url="https://example.org/r.pdf", category="A08")
    assert client.post(add_url(project), data).status_code == 404
    assert (
        client.post(f"/en/workspace/ville-b/projects/{project.pk}/documents/", data).status_code
        == 404
    )
    assert not Document.objects.exists()


def test_the_iati_file_states_the_category_chosen(client, city_a, officer_a, categories):
    import io

    from lxml import etree

    from jumelage.reporting.iati.export import write_activities
    from jumelage.reporting.iati.reference import safe_parser
    from jumelage.reporting.tests.factories import full_project

    project = full_project(city_a)
    client.force_login(officer_a)
    data = upload(name="", url="https://example.org/budget.pdf", category="A05", is_public="on")
    assert client.post(add_url(project), data).status_code == 302
    output = io.BytesIO()
    write_activities(city_a, output)
    root = etree.fromstring(output.getvalue(), safe_parser())
    links = {
        link.get("url"): link.find("category").get("code") for link in root.iter("document-link")
    }
    assert links["https://example.org/budget.pdf"] == "A05"
