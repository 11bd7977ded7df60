"""Documents: an uploaded file is checked (type, size, a PDF that is one) before it is kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jumelage.content.models import Document
from jumelage.content.services import document_max_bytes, document_save
from jumelage.content.tests.factories import DocumentFactory

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _document(authority, name, content):
    return Document(
        authority=authority, title={"fr": "Convention"}, file=SimpleUploadedFile(name, content)
    )


@pytest.mark.parametrize("name", ["convention.pdf", "CONVENTION.PDF"])
def test_a_pdf_is_kept(contributor_a, city_a, name):
    document = _document(city_a, name, PDF)
    document_save(document=document, user=contributor_a, expected_version=document.version)
    stored = Document.objects.get(pk=document.pk)
    assert stored.file.read() == PDF


def test_other_accepted_types_are_kept_without_reading_them(contributor_a, city_a):
    document = _document(city_a, "budget.csv", b"poste;montant\nrepas;300\n")
    document_save(document=document, user=contributor_a, expected_version=document.version)
    assert Document.objects.filter(pk=document.pk).exists()


@pytest.mark.parametrize("name", ["virus.exe", "page.html", "sans-extension"])
def test_it_refuses_a_type_of_file_not_accepted(contributor_a, city_a, name):
    with pytest.raises(ValidationError) as error:
        document_save(
            document=_document(city_a, name, b"MZ"), user=contributor_a, expected_version=None
        )
    assert "file" in error.value.message_dict
    assert not Document.objects.exists()


def test_it_refuses_a_pdf_that_is_not_one(contributor_a, city_a, media_root):
    with pytest.raises(ValidationError) as error:
        document_save(
            document=_document(city_a, "rapport.pdf", b"<html>"),
            user=contributor_a,
            expected_version=None,
        )
    assert "file" in error.value.message_dict
    assert not Document.objects.exists()
    assert not any(media_root.rglob("*.pdf"))


def test_it_refuses_a_file_over_the_size_limit(contributor_a, city_a, settings):
    settings.DOCUMENT_MAX_BYTES = len(PDF) - 1
    with pytest.raises(ValidationError) as error:
        document_save(
            document=_document(city_a, "rapport.pdf", PDF),
            user=contributor_a,
            expected_version=None,
        )
    assert "file" in error.value.message_dict
    settings.DOCUMENT_MAX_BYTES = len(PDF)
    document_save(
        document=_document(city_a, "rapport.pdf", PDF), user=contributor_a, expected_version=None
    )
    assert Document.objects.count() == 1


def test_the_size_limit_is_twenty_megabytes_unless_set(settings):
    if hasattr(settings, "DOCUMENT_MAX_BYTES"):
        del settings.DOCUMENT_MAX_BYTES
    assert document_max_bytes() == 20 * 1024 * 1024


def test_a_stored_file_is_not_read_again_when_the_record_changes(contributor_a, city_a):
    document = _document(city_a, "convention.pdf", PDF)
    document_save(document=document, user=contributor_a, expected_version=document.version)
    document = Document.objects.get(pk=document.pk)
    document.file.storage.delete(document.file.name)  # even gone from the storage
    document.title = {"fr": "Convention signée"}
    document_save(document=document, user=contributor_a, expected_version=document.version)
    assert Document.objects.get(pk=document.pk).title == {"fr": "Convention signée"}


def test_a_document_needs_a_file_or_a_link(contributor_a, city_a):
    with pytest.raises(ValidationError):
        document_save(
            document=Document(authority=city_a, title={"fr": "Vide"}),
            user=contributor_a,
            expected_version=None,
        )
    assert not Document.objects.exists()


def test_viewers_and_other_authorities_cannot_write_documents(viewer_a, officer_b, city_a):
    document = DocumentFactory(authority=city_a, url="https://example.org/a.pdf")
    document.url = "https://example.org/hacked.pdf"
    for user in (viewer_a, officer_b):
        with pytest.raises(PermissionDenied):
            document_save(document=document, user=user, expected_version=document.version)
    assert Document.objects.get(pk=document.pk).url == "https://example.org/a.pdf"
