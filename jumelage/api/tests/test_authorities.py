"""/api/v1/authorities and /api/v1/authorities/{slug}: active member authorities only, with
counts of their published records only."""

import pytest

from jumelage.api.tests.conftest import get
from jumelage.core.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db


def test_it_lists_the_active_member_authorities_by_name(client, world):
    response = get(client, "/api/v1/authorities")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = response.json()
    assert data["count"] == 2
    assert [item["slug"] for item in data["items"]] == ["ville-a", "ville-b"]


def test_an_authority_reads_with_its_published_counts_and_public_page(client, world):
    item = get(client, "/api/v1/authorities").json()["items"][0]

    assert item == {
        "slug": "ville-a",
        "name": "Ville A",
        "country": "FR",
        "kind": "municipality",
        "website": "https://www.ville-a.example/",
        "url": "http://testserver/ville-a/",
        # The twinning and the ended cooperation; not the unpublished twinning.
        "partnership_count": 2,
        "project_count": 1,
        "is_demo": False,
    }


def test_an_inactive_member_authority_is_never_listed(client, world):
    slugs = [item["slug"] for item in get(client, "/api/v1/authorities").json()["items"]]

    assert "ville-c" not in slugs


def test_it_filters_by_country_in_either_case(client, world):
    world.city_b.authority.country = CountryFactory(code="BE")
    world.city_b.authority.save()

    def slugs(country):
        response = get(client, "/api/v1/authorities", country=country)
        return [item["slug"] for item in response.json()["items"]]

    assert slugs("FR") == ["ville-a"]
    assert slugs("be") == ["ville-b"]
    assert slugs("DE") == []


def test_it_searches_the_names(client, world):
    response = get(client, "/api/v1/authorities", q="ville b")

    assert [item["slug"] for item in response.json()["items"]] == ["ville-b"]


def test_one_authority_reads_as_in_the_list(client, world):
    response = get(client, "/api/v1/authorities/ville-a")

    assert response.status_code == 200
    assert response.json() == get(client, "/api/v1/authorities").json()["items"][0]


def test_an_inactive_authority_is_not_found(client, world):
    response = get(client, "/api/v1/authorities/ville-c")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "No active member authority publishes data at the address “ville-c”. "
        "The list of addresses is at /api/v1/authorities."
    }


@pytest.mark.parametrize("slug", ["nowhere", "ville%20a", "%00", "ville-a%00"])
def test_an_unknown_address_is_not_found(client, world, slug):
    response = get(client, f"/api/v1/authorities/{slug}")

    assert response.status_code == 404
    assert "No active member authority publishes data" in response.json()["detail"]
