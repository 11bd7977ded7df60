"""The lists are answered from the cache until a write through the services changes what they
show: the same bytes, no query; errors are never kept."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from jumelage.api.tests.conftest import get
from jumelage.tenancy.services import save_owned

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/authorities",
    "/api/v1/authorities/ville-a/partnerships",
    "/api/v1/authorities/ville-a/projects",
    "/api/v1/projects",
    "/api/v1/projects?country=HT&page_size=10",
]


@pytest.mark.parametrize("url", LISTS)
def test_a_list_read_again_answers_the_same_bytes_without_a_query(
    client, world, url, django_assert_num_queries
):
    first = get(client, url)
    with django_assert_num_queries(0):
        again = get(client, url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json; charset=utf-8"
    assert again["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url", LISTS)
def test_a_cached_answer_is_the_one_built_anew(client, world, url):
    cached = get(client, url)
    cached = get(client, url)
    cache.clear()
    assert get(client, url).content == cached.content


def _rename(project: Any, user: Any, title: str, capture: Any) -> None:
    project.refresh_from_db()
    project.title = {"fr": title}
    with capture(execute=True):  # the generations change once the write has committed
        save_owned(project, user=user, expected_version=project.version)


def test_a_write_of_the_member_shows_at_once_in_its_lists_and_the_national_ones(
    client, world, admin_a, django_capture_on_commit_callbacks
):
    for url in LISTS:
        get(client, url)
    _rename(world.project_a, admin_a, "Titre corrigé", django_capture_on_commit_callbacks)
    assert "Titre corrigé" in get(client, "/api/v1/authorities/ville-a/projects").text
    assert "Titre corrigé" in get(client, "/api/v1/projects").text


def test_another_members_write_leaves_a_members_list_cached(
    client, world, officer_b, django_capture_on_commit_callbacks, django_assert_num_queries
):
    get(client, "/api/v1/authorities/ville-a/projects")
    _rename(world.project_b, officer_b, "Eau potable", django_capture_on_commit_callbacks)
    with django_assert_num_queries(0):
        get(client, "/api/v1/authorities/ville-a/projects")
    assert "Eau potable" in get(client, "/api/v1/projects").text  # national: built again


def test_errors_are_not_kept(client, world):
    assert get(client, "/api/v1/authorities/nulle-part/projects").status_code == 404
    assert get(client, "/api/v1/authorities/nulle-part/projects").status_code == 404
    assert get(client, "/api/v1/projects", page_size="1000").status_code == 422
    assert get(client, "/api/v1/projects", page_size="1000").status_code == 422
    # An inactive member answers 404 every time, cached list or not.
    assert get(client, "/api/v1/authorities/ville-c/projects").status_code == 404
    assert get(client, "/api/v1/authorities/ville-c/projects").status_code == 404


def test_an_error_answer_is_in_the_readers_language_though_the_list_is_cached(client, world):
    get(client, "/api/v1/projects")
    french = client.get(
        "/api/v1/projects", {"page_size": "1000"}, headers={"accept-language": "fr"}
    )
    english = get(client, "/api/v1/projects", page_size="1000")
    assert french.status_code == english.status_code == 422
    assert french.json()["detail"] != english.json()["detail"]


def test_each_host_gets_answers_with_its_own_addresses(world, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    first = Client(HTTP_HOST="a.example").get("/api/v1/authorities/ville-a/projects")
    second = Client(HTTP_HOST="b.example").get("/api/v1/authorities/ville-a/projects")
    assert "http://a.example/" in first.text
    assert "http://b.example/" in second.text


def test_a_slug_given_to_another_member_answers_the_new_members_lists(
    client, world, django_capture_on_commit_callbacks
):
    from jumelage.core.cache import bump
    from jumelage.partners.models import MemberAuthority

    assert "etat-civil" in get(client, "/api/v1/authorities/ville-a/projects").text
    # Ville A and Ville B swap addresses, through the register (each write expires the pages).
    MemberAuthority.objects.filter(pk=world.city_a.pk).update(slug="tmp")
    MemberAuthority.objects.filter(pk=world.city_b.pk).update(slug="ville-a")
    MemberAuthority.objects.filter(pk=world.city_a.pk).update(slug="ville-b")
    bump(world.city_a.pk)
    bump(world.city_b.pk)
    text = get(client, "/api/v1/authorities/ville-a/projects").text
    assert "eau" in text
    assert "etat-civil" not in text
