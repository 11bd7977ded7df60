"""Lists are paginated and bounded; a bad parameter gets a 422 answer saying what to write,
never a server error."""

import pytest

from jumelage.api.tests.conftest import get

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/authorities",
    "/api/v1/authorities/ville-a/partnerships",
    "/api/v1/authorities/ville-a/projects",
    "/api/v1/projects",
]


# --- Pagination ---------------------------------------------------------------------------------


def test_a_list_gives_its_count_page_and_page_size(client, world):
    data = get(client, "/api/v1/authorities").json()

    assert (data["count"], data["page"], data["page_size"]) == (2, 1, 50)


def test_pages_follow_each_other_without_overlap(client, world):
    first = get(client, "/api/v1/authorities", page_size=1).json()
    second = get(client, "/api/v1/authorities", page_size=1, page=2).json()
    after = get(client, "/api/v1/authorities", page_size=1, page=3).json()

    assert [item["slug"] for item in first["items"]] == ["ville-a"]
    assert [item["slug"] for item in second["items"]] == ["ville-b"]
    assert after == {"count": 2, "page": 3, "page_size": 1, "items": []}


def test_a_huge_page_number_gives_an_empty_page(client, world):
    response = get(client, "/api/v1/projects", page=10**30)

    assert response.status_code == 200
    assert response.json()["items"] == []


def test_the_largest_page_size_is_accepted(client, world):
    response = get(client, "/api/v1/projects", page_size=100)

    assert response.status_code == 200
    assert response.json()["page_size"] == 100


# --- Bad parameters -----------------------------------------------------------------------------


PAGE = "Write the page number as a whole number from 1, for example page=2."
PAGE_SIZE = "Write the page size as a whole number from 1 to 100, for example page_size=50."
COUNTRY = "Write the country as its two-letter ISO 3166 code, for example country=FR or country=HT."
SECTOR = (
    "Write the sector as a 5-digit OECD DAC purpose code, for example sector=15112, or a 3-digit "
    "sector category, for example sector=151."
)
STATUS = (
    "Write the status as one of: idea, preparation, funding_sought, running, completed, "
    "evaluated, cancelled."
)
SEARCH = "Write the search as plain text of at most 100 characters."


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"page": "abc"}, "page", PAGE),
        ({"page": "0"}, "page", PAGE),
        ({"page": "-1"}, "page", PAGE),
        ({"page": "1.5"}, "page", PAGE),
        ({"page_size": "10000"}, "page_size", PAGE_SIZE),
        ({"page_size": "0"}, "page_size", PAGE_SIZE),
        ({"page_size": "all"}, "page_size", PAGE_SIZE),
    ],
)
def test_a_bad_page_is_refused_with_what_to_write(client, world, url, params, field, message):
    response = get(client, url, **params)

    assert response.status_code == 422
    assert response.json() == {"detail": message, "errors": [{"field": field, "message": message}]}


@pytest.mark.parametrize(
    ("url", "params", "field", "message"),
    [
        ("/api/v1/authorities", {"country": "FRANCE"}, "country", COUNTRY),
        ("/api/v1/authorities", {"country": "F1"}, "country", COUNTRY),
        ("/api/v1/authorities", {"q": "x" * 101}, "q", SEARCH),
        ("/api/v1/authorities", {"q": "ville\x00a"}, "q", SEARCH),
        ("/api/v1/projects", {"country": "Haïti"}, "country", COUNTRY),
        ("/api/v1/projects", {"sector": "1511"}, "sector", SECTOR),
        ("/api/v1/projects", {"sector": "education"}, "sector", SECTOR),
        ("/api/v1/projects", {"status": "done"}, "status", STATUS),
        ("/api/v1/projects", {"status": "RUNNING"}, "status", STATUS),
    ],
)
def test_a_bad_filter_is_refused_with_what_to_write(client, world, url, params, field, message):
    response = get(client, url, **params)

    assert response.status_code == 422
    assert response.json() == {"detail": message, "errors": [{"field": field, "message": message}]}


def test_every_bad_parameter_is_named_at_once(client, world):
    response = get(client, "/api/v1/projects", country="FRANCE", page="abc", sector="x")

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {error["field"] for error in errors} == {"country", "page", "sector"}
    for error in errors:
        assert error["message"] in response.json()["detail"]


def test_the_messages_follow_the_readers_language(client, world):
    english = client.get("/api/v1/projects?page=abc", headers={"accept-language": "en"})
    french = client.get("/api/v1/projects?page=abc", headers={"accept-language": "fr"})
    default = client.get("/api/v1/projects?page=abc")
    missing = client.get("/api/v1/authorities/nowhere", headers={"accept-language": "en"})

    assert english["Content-Language"] == "en"
    assert french["Content-Language"] == "fr"
    assert default["Content-Language"] == "fr"
    assert missing["Content-Language"] == "en"


def test_the_api_only_reads(client, world):
    response = client.post("/api/v1/projects", {})

    assert response.status_code == 405


def test_any_site_may_read_the_api(client, world):
    assert get(client, "/api/v1/projects")["Access-Control-Allow-Origin"] == "*"
    assert get(client, "/api/v1/authorities/nowhere")["Access-Control-Allow-Origin"] == "*"
    assert get(client, "/api/v1/projects", page=0)["Access-Control-Allow-Origin"] == "*"


def test_an_empty_filter_means_any(client, world):
    response = get(client, "/api/v1/projects", country="", sector="", status="")

    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_an_unforeseen_parameter_error_still_reads_as_a_sentence():
    from jumelage.api.api import _field_message

    message = _field_message("slug", {"msg": "Input is too short"})

    assert message == "The parameter “slug” cannot be read (Input is too short): correct it."


def test_an_address_that_is_no_endpoint_gets_a_json_404_saying_what_to_do(client, world):
    slash = client.get("/api/v1/projects/", headers={"accept-language": "en"})
    assert slash.status_code == 404
    assert slash["Content-Type"].startswith("application/json")
    assert slash.json()["detail"] == (
        "There is nothing at /api/v1/projects/. The endpoints are listed in "
        "/api/v1/openapi.json. API addresses take no final slash: try /api/v1/projects."
    )
    other = client.get("/api/v2/whatever")
    assert other.status_code == 404 and other["Content-Language"] == "fr"
    assert other.json()["detail"].startswith("Il n'y a rien à /api/v2/whatever.")
