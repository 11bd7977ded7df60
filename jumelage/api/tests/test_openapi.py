"""The OpenAPI document describes every endpoint and field; the docs page loads nothing from
another host (it is off); the codes the API promises are the models' codes."""

import json
from typing import Any, get_args

import pytest

from jumelage.api import schemas
from jumelage.partners.models import Authority, Partnership
from jumelage.projects.models import Project

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/authorities",
    "/api/v1/authorities/{slug}",
    "/api/v1/authorities/{slug}/partnerships",
    "/api/v1/authorities/{slug}/projects",
    "/api/v1/projects",
}


@pytest.fixture
def document(client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_the_openapi_document_lists_every_endpoint_read_only(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Jumelage open data"
    assert set(document["paths"]) == PATHS
    assert {method for path in document["paths"].values() for method in path} == {"get"}


def test_every_operation_and_parameter_is_described(document):
    for path, methods in document["paths"].items():
        operation = methods["get"]
        assert operation["summary"] and operation["description"], path
        for parameter in operation["parameters"]:
            assert parameter.get("description"), (path, parameter["name"])


def test_every_field_of_every_answer_is_described(document):
    for name, schema in document["components"]["schemas"].items():
        for field, spec in schema.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field}"


def test_the_docs_page_is_off_so_nothing_loads_from_a_cdn(client):
    # Without "ninja" in INSTALLED_APPS, ninja's Swagger page loads its scripts from a CDN.
    assert client.get("/api/v1/docs").status_code == 404


@pytest.mark.parametrize(
    ("promised", "choices"),
    [
        (schemas.AuthorityKind, Authority.Kind),
        (schemas.PartnershipKind, Partnership.Kind),
        (schemas.PartnershipStatus, Partnership.Status),
        (schemas.ProjectStatus, Project.Status),
    ],
)
def test_the_codes_written_in_the_schemas_are_the_models(promised, choices):
    assert list(get_args(promised)) == list(choices.values)
