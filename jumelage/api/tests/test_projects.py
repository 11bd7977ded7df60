"""/api/v1/authorities/{slug}/projects and /api/v1/projects: published projects of active
members only, with their places and sectors but nothing the public pages do not show."""

import datetime

import pytest

from jumelage.api.tests.conftest import get, published_project
from jumelage.projects.models import Project
from jumelage.projects.tests.factories import FinancingPlanFactory, ResourceLineFactory

pytestmark = pytest.mark.django_db

PROJECT_FIELDS = {
    "slug",
    "authority",
    "title",
    "summary",
    "status",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "recipient_countries",
    "sectors",
    "url",
    "is_example",
}


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


# --- One authority's projects -------------------------------------------------------------------


def test_a_project_reads_with_its_texts_places_sectors_and_public_page(client, world):
    response = get(client, "/api/v1/authorities/ville-a/projects")

    assert response.json()["count"] == 1
    assert response.json()["items"] == [
        {
            "slug": "etat-civil",
            "authority": {"slug": "ville-a", "name": "Ville A"},
            # Every language written, the empty Haitian Creole title left out.
            "title": {"fr": "Appui à l'état civil", "en": "Civil registration support"},
            "summary": {"fr": "Former les officiers d'état civil."},
            "status": "running",
            "planned_start": "2025-01-01",
            "planned_end": "2027-12-31",
            "actual_start": "2025-02-01",
            "actual_end": None,
            "recipient_countries": [
                {"country": "HT", "percentage": 60.0},
                {"country": "BF", "percentage": 40.0},
            ],
            "sectors": [{"code": "15112", "percentage": 100.0}],
            "url": "http://testserver/ville-a/projets/etat-civil/",
            "is_example": False,
        }
    ]


def test_no_amount_or_other_private_field_is_given(client, world):
    plan = FinancingPlanFactory(project=world.project_a, status="adopted")
    ResourceLineFactory(plan=plan, amount="12345.67", label="Secret grant")

    response = get(client, "/api/v1/authorities/ville-a/projects")

    assert set(response.json()["items"][0]) == PROJECT_FIELDS
    assert "12345" not in response.content.decode()
    assert "Secret grant" not in response.content.decode()


def test_the_projects_come_in_the_order_of_the_public_list(client, world):
    published_project(world.city_a, "idee", {}, {}, status=Project.Status.IDEA)
    published_project(world.city_a, "fini", {}, {}, status=Project.Status.COMPLETED)

    response = get(client, "/api/v1/authorities/ville-a/projects")

    assert slugs(response) == ["etat-civil", "fini", "idee"]


def test_an_unpublished_project_never_appears(client, world):
    for url in ("/api/v1/authorities/ville-a/projects", "/api/v1/projects"):
        response = get(client, url)
        assert "projet-cache" not in slugs(response)
        assert "Projet confidentiel" not in response.content.decode()


def test_another_authoritys_projects_do_not_appear(client, world):
    assert slugs(get(client, "/api/v1/authorities/ville-a/projects")) == ["etat-civil"]
    assert slugs(get(client, "/api/v1/authorities/ville-b/projects")) == ["eau"]


def test_the_projects_of_an_inactive_authority_are_not_found(client, world):
    response = get(client, "/api/v1/authorities/ville-c/projects")

    assert response.status_code == 404
    assert "Écoles" not in response.content.decode()


# --- The national search ------------------------------------------------------------------------


def test_the_national_search_lists_every_active_members_published_projects(client, world):
    response = get(client, "/api/v1/projects")

    assert response.json()["count"] == 2
    assert sorted(slugs(response)) == ["eau", "etat-civil"]
    by_slug = {item["slug"]: item for item in response.json()["items"]}
    assert by_slug["eau"]["authority"] == {"slug": "ville-b", "name": "Ville B"}
    assert by_slug["eau"]["url"] == "http://testserver/ville-b/projets/eau/"
    assert set(by_slug["eau"]) == PROJECT_FIELDS


def test_the_national_search_never_shows_an_inactive_members_projects(client, world):
    for params in ({}, {"country": "HT"}, {"sector": "15112"}, {"status": "running"}):
        assert "ecoles" not in slugs(get(client, "/api/v1/projects", **params)), params


def test_the_national_search_is_ordered_by_authority_then_latest_planned_start(client, world):
    published_project(world.city_a, "plus-tard", {}, {}, planned_start=datetime.date(2026, 1, 1))

    response = get(client, "/api/v1/projects")

    assert slugs(response) == ["plus-tard", "etat-civil", "eau"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "HT"}, ["etat-civil"]),
        ({"country": "bf"}, ["etat-civil", "eau"]),
        ({"country": "RS"}, []),
        ({"sector": "15112"}, ["etat-civil"]),
        ({"sector": "140"}, ["eau"]),
        ({"sector": "14030"}, ["eau"]),
        ({"status": "completed"}, ["eau"]),
        ({"country": "BF", "status": "running"}, ["etat-civil"]),
        ({"country": "BF", "sector": "14030"}, ["eau"]),
    ],
)
def test_the_national_search_filters(client, world, params, expected):
    assert slugs(get(client, "/api/v1/projects", **params)) == expected


def test_a_project_in_several_countries_is_listed_once(client, world):
    response = get(client, "/api/v1/projects", country="HT")

    assert response.json()["count"] == 1


def test_invented_demo_records_are_marked_as_such(client, world):
    world.project_a.is_example = True
    world.project_a.save()
    items = get(client, "/api/v1/projects").json()["items"]
    marked = {item["slug"]: item["is_example"] for item in items}
    assert marked[world.project_a.slug] is True
    assert not any(flag for slug, flag in marked.items() if slug != world.project_a.slug)
