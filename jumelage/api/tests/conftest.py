"""A small published world for the API: two active member authorities and an inactive one, each
with published records, and an unpublished record of each kind next to the published ones."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from jumelage.core.tests.factories import CountryFactory
from jumelage.partners.models import Partnership
from jumelage.partners.tests.factories import (
    AuthorityFactory,
    MemberAuthorityFactory,
    PartnershipFactory,
)
from jumelage.projects.models import Project
from jumelage.projects.tests.factories import (
    ProjectCountryFactory,
    ProjectFactory,
    ProjectSectorFactory,
)


def town(name: str, code: str) -> Any:
    return AuthorityFactory(name=name, country=CountryFactory(code=code))


def published_project(
    member: Any, slug: str, places: dict[str, str], sectors: dict[str, str], **fields: Any
) -> Any:
    """A project with its recipient countries and sectors, each {code: percentage}."""
    item = ProjectFactory(authority=member, slug=slug, **{"is_public": True, **fields})
    for code, percentage in places.items():
        ProjectCountryFactory(
            project=item, country=CountryFactory(code=code), percentage=Decimal(percentage)
        )
    for code, percentage in sectors.items():
        ProjectSectorFactory(project=item, code=code, percentage=Decimal(percentage))
    return item


@dataclass
class World:
    city_a: Any
    city_b: Any
    city_c: Any  # inactive
    twinning_a: Partnership
    ended_a: Partnership
    hidden_partnership_a: Partnership
    partnership_b: Partnership
    partnership_c: Partnership
    project_a: Project
    hidden_project_a: Project
    project_b: Project
    project_c: Project


@pytest.fixture
def world(city_a: Any, city_b: Any) -> World:
    city_a.authority.website = "https://www.ville-a.example/"
    city_a.authority.save()
    city_c = MemberAuthorityFactory(
        slug="ville-c", is_active=False, authority=AuthorityFactory(name="Ville C")
    )
    twinning_a = PartnershipFactory(
        authority=city_a,
        partner=town("Kragujevac", "RS"),
        kind=Partnership.Kind.TWINNING,
        started_year=1970,
        is_public=True,
    )
    ended_a = PartnershipFactory(
        authority=city_a,
        partner=town("Cap-Haïtien", "HT"),
        kind=Partnership.Kind.COOPERATION,
        status=Partnership.Status.ENDED,
        started_year=1998,
        ended_on=datetime.date(2020, 6, 30),
        is_public=True,
    )
    hidden_partnership_a = PartnershipFactory(
        authority=city_a,
        partner=town("Geheimstadt", "DE"),
        kind=Partnership.Kind.TWINNING,
        is_public=False,
    )
    partnership_b = PartnershipFactory(
        authority=city_b, partner=town("Ouahigouya", "BF"), is_public=True
    )
    partnership_c = PartnershipFactory(
        authority=city_c, partner=town("Tübingen", "DE"), is_public=True
    )
    project_a = published_project(
        city_a,
        "etat-civil",
        {"HT": "60", "BF": "40"},
        {"15112": "100"},
        title={"fr": "Appui à l'état civil", "en": "Civil registration support", "ht": ""},
        summary={"fr": "Former les officiers d'état civil."},
        status=Project.Status.RUNNING,
        actual_start=datetime.date(2025, 2, 1),
    )
    hidden_project_a = published_project(
        city_a,
        "projet-cache",
        {"HT": "100"},
        {"15112": "100"},
        title={"fr": "Projet confidentiel"},
        is_public=False,
    )
    project_b = published_project(
        city_b,
        "eau",
        {"BF": "100"},
        {"14030": "100"},
        title={"fr": "L'eau à Ouahigouya"},
        status=Project.Status.COMPLETED,
    )
    project_c = published_project(
        city_c, "ecoles", {"HT": "100"}, {"15112": "100"}, title={"fr": "Écoles"}
    )
    return World(
        city_a=city_a,
        city_b=city_b,
        city_c=city_c,
        twinning_a=twinning_a,
        ended_a=ended_a,
        hidden_partnership_a=hidden_partnership_a,
        partnership_b=partnership_b,
        partnership_c=partnership_c,
        project_a=project_a,
        hidden_project_a=hidden_project_a,
        project_b=project_b,
        project_c=project_c,
    )


def get(client: Any, url: str, **params: Any) -> Any:
    """A GET of the API in English, the source language of its messages."""
    return client.get(url, params, headers={"accept-language": "en"})
