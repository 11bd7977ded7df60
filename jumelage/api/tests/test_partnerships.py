"""/api/v1/authorities/{slug}/partnerships: the published partnerships of one active member."""

import pytest

from jumelage.api.tests.conftest import get

pytestmark = pytest.mark.django_db


def test_it_lists_the_published_partnerships_by_partner_name(client, world):
    response = get(client, "/api/v1/authorities/ville-a/partnerships")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [item["partner"]["name"] for item in data["items"]] == ["Cap-Haïtien", "Kragujevac"]


def test_a_partnership_reads_with_its_partner_and_public_page(client, world):
    items = get(client, "/api/v1/authorities/ville-a/partnerships").json()["items"]

    assert items[0] == {
        "id": world.ended_a.pk,
        "partner": {"name": "Cap-Haïtien", "country": "HT"},
        "kind": "cooperation",
        "status": "ended",
        "start_year": 1998,
        "ended_on": "2020-06-30",
        # The public page's address in French, the site's language without a prefix.
        "url": f"http://testserver/ville-a/partenaires/{world.ended_a.partner_id}-cap-haitien/",
    }
    partner_id = world.twinning_a.partner_id
    assert items[1]["url"] == f"http://testserver/ville-a/partenaires/{partner_id}-kragujevac/"
    assert items[1]["ended_on"] is None


def test_an_unpublished_partnership_never_appears(client, world):
    response = get(client, "/api/v1/authorities/ville-a/partnerships")

    assert "Geheimstadt" not in response.content.decode()
    assert world.hidden_partnership_a.pk not in [item["id"] for item in response.json()["items"]]


def test_another_authoritys_partnerships_do_not_appear(client, world):
    a = get(client, "/api/v1/authorities/ville-a/partnerships").json()["items"]
    b = get(client, "/api/v1/authorities/ville-b/partnerships").json()["items"]

    assert "Ouahigouya" not in [item["partner"]["name"] for item in a]
    assert [item["partner"]["name"] for item in b] == ["Ouahigouya"]


def test_the_partnerships_of_an_inactive_authority_are_not_found(client, world):
    response = get(client, "/api/v1/authorities/ville-c/partnerships")

    assert response.status_code == 404
    assert "ville-c" in response.json()["detail"]
    assert "Tübingen" not in response.content.decode()
