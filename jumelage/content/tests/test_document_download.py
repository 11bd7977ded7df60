"""Uploaded documents are downloaded through a view that checks who may read them."""

import pytest
from django.core.files.base import ContentFile

from jumelage.content.tests.factories import DocumentFactory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def uploaded(authority, *, is_public, name="rapport.pdf"):
    return DocumentFactory(
        authority=authority, url="", is_public=is_public, file=ContentFile(b"%PDF-1.4 demo", name)
    )


def test_a_published_document_is_downloaded_by_anybody(client, media, city_a):
    document = uploaded(city_a, is_public=True)
    response = client.get(document.file_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_unpublished_document_is_only_for_the_members_of_its_authority(
    client, media, city_a, officer_a, officer_b
):
    document = uploaded(city_a, is_public=False)
    assert client.get(document.file_url()).status_code == 404
    client.force_login(officer_b)
    assert client.get(document.file_url()).status_code == 404
    client.force_login(officer_a)
    response = client.get(document.file_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_document_of_an_unpublished_project_or_member_is_not_public(
    client, media, city_a, city_b, officer_a
):
    # Its own box says published, but it belongs to an unpublished project: private with it.
    from jumelage.projects.tests.factories import ProjectFactory

    document = uploaded(city_a, is_public=True)
    document.project = ProjectFactory(authority=city_a, is_public=False)
    document.save()
    assert client.get(document.file_url()).status_code == 404
    client.force_login(officer_a)
    assert client.get(document.file_url())["Cache-Control"] == "private, no-store"
    client.logout()
    # A member that left the platform publishes nothing.
    city_b.is_active = False
    city_b.save()
    assert client.get(uploaded(city_b, is_public=True).file_url()).status_code == 404


def test_a_file_a_browser_should_not_open_in_place_is_a_download(client, media, city_a):
    document = uploaded(city_a, is_public=True, name="budget.xlsx")
    response = client.get(document.file_url())
    assert response["Content-Disposition"].startswith("attachment")


def test_the_media_folder_is_not_served(client, media, city_a):
    document = uploaded(city_a, is_public=False)
    assert client.get("/media/" + document.file.name).status_code == 404
