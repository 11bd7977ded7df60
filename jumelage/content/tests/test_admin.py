"""The back office of news and documents: constant queries, contributors write, two
authorities."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jumelage.actors.tests.admin_helpers import assert_constant_queries, form_data
from jumelage.content.models import Document, NewsItem
from jumelage.content.tests.factories import DocumentFactory, NewsItemFactory
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.projects.tests.factories import ProjectFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_news_list_runs_the_same_queries_for_ten_rows_as_for_one(
    client, officer_a, city_a, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            NewsItemFactory(
                authority=city_a,
                project=ProjectFactory(authority=city_a),
                partnership=PartnershipFactory(authority=city_a, title={}),
            )

    add(1)
    client.force_login(officer_a)
    response = assert_constant_queries(
        client, reverse("admin:content_newsitem_changelist"), add, django_assert_num_queries
    )
    assert response.context["cl"].result_count == 10


def test_the_document_list_runs_the_same_queries_for_ten_rows_as_for_one(
    client, officer_a, city_a, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            DocumentFactory(authority=city_a, project=ProjectFactory(authority=city_a))

    add(1)
    client.force_login(officer_a)
    response = assert_constant_queries(
        client, reverse("admin:content_document_changelist"), add, django_assert_num_queries
    )
    assert response.context["cl"].result_count == 10


def test_a_contributor_writes_a_news_item_whose_address_comes_from_its_title(
    client, contributor_a, city_a
):
    client.force_login(contributor_a)
    url = reverse("admin:content_newsitem_add")
    data = form_data(client.get(url))
    data.update(
        title__fr="Semaine de la solidarité internationale",
        slug="",
        published_on="2026-11-15",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert (item.authority, item.slug) == (city_a, "semaine-de-la-solidarite-internationale")

    change_url = reverse("admin:content_newsitem_change", args=[item.pk])
    data = form_data(client.get(change_url))
    data["body__fr"] = "Programme de la semaine."
    assert client.post(change_url, data).status_code == 302
    assert NewsItem.objects.get().body == {"fr": "Programme de la semaine."}


def test_a_contributor_uploads_a_document_and_a_bad_file_is_refused(client, contributor_a, city_a):
    client.force_login(contributor_a)
    url = reverse("admin:content_document_add")
    data = form_data(client.get(url))
    data.update(title__fr="Rapport", date="2026-06-30")

    refused = client.post(url, {**data, "file": SimpleUploadedFile("rapport.pdf", b"not a pdf")})
    assert refused.status_code == 200
    assert "file" in refused.context["adminform"].form.errors
    assert not Document.objects.exists()

    kept = client.post(url, {**data, "file": SimpleUploadedFile("rapport.pdf", b"%PDF-1.4\n")})
    assert kept.status_code == 302
    assert Document.objects.get().file.name.endswith(".pdf")


def test_an_officer_of_another_authority_never_lists_opens_or_changes_its_content(
    client, officer_a, officer_b, city_a, city_b
):
    news_a = NewsItemFactory(authority=city_a, title={"fr": "Nouvelle de A"})
    document_a = DocumentFactory(authority=city_a, title={"fr": "Document de A"})
    NewsItemFactory(authority=city_b, title={"fr": "Nouvelle de B"})
    DocumentFactory(authority=city_b, title={"fr": "Document de B"})
    news_url = reverse("admin:content_newsitem_change", args=[news_a.pk])
    document_url = reverse("admin:content_document_change", args=[document_a.pk])
    client.force_login(officer_a)
    news_data = form_data(client.get(news_url))
    document_data = form_data(client.get(document_url))
    news_data["title__fr"] = document_data["title__fr"] = "Hacked"

    client.force_login(officer_b)
    news = client.get(reverse("admin:content_newsitem_changelist")).content.decode()
    documents = client.get(reverse("admin:content_document_changelist")).content.decode()
    assert "Nouvelle de B" in news and "Nouvelle de A" not in news
    assert "Document de B" in documents and "Document de A" not in documents
    for url, data in ((news_url, news_data), (document_url, document_data)):
        assert client.get(url).status_code == 302
        client.post(url, data)
    assert NewsItem.objects.get(pk=news_a.pk).title == {"fr": "Nouvelle de A"}
    assert Document.objects.get(pk=document_a.pk).title == {"fr": "Document de A"}


def test_an_officer_cannot_attach_another_authoritys_project(client, officer_b, city_a):
    project_a = ProjectFactory(authority=city_a)
    client.force_login(officer_b)
    url = reverse("admin:content_newsitem_add")
    data = form_data(client.get(url))
    data.update(
        title__fr="Nouvelle", published_on=str(datetime.date(2026, 1, 1)), project=str(project_a.pk)
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "project" in response.context["adminform"].form.errors
    assert not NewsItem.objects.exists()


def test_a_viewer_reads_news_but_cannot_change_it(client, officer_a, viewer_a, city_a):
    item = NewsItemFactory(authority=city_a, title={"fr": "Original"})
    url = reverse("admin:content_newsitem_change", args=[item.pk])
    client.force_login(officer_a)
    data = form_data(client.get(url))
    data["title__fr"] = "Changed"

    client.force_login(viewer_a)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    assert NewsItem.objects.get(pk=item.pk).title == {"fr": "Original"}
