"""An authority's page costs the same whatever the rest of the country holds (issue 12): its
co-funders are read from its own projects' plans and applications, in one query whose SQL is
bounded by the authority, with two authorities and another one's data growing."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jumelage.projects.models import Application, FinancingPlan, ResourceLine
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    CallFactory,
    FinancingPlanFactory,
    FunderFactory,
    ProjectFactory,
    ResourceLineFactory,
)
from jumelage.public.selectors import cofunders

pytestmark = pytest.mark.django_db


def funded_project(member, funder, *, through_application: bool = False):
    project = ProjectFactory(authority=member, is_public=True)
    if through_application:
        ApplicationFactory(
            project=project, call=CallFactory(funder=funder), decision=Application.Decision.GRANTED
        )
    else:
        plan = FinancingPlanFactory(project=project, status=FinancingPlan.Status.ADOPTED)
        ResourceLineFactory(
            plan=plan, funder=funder, is_own=False, status=ResourceLine.Status.GRANTED
        )
    return project


def test_cofunders_are_the_members_own_and_never_another_authoritys(city_a, city_b):
    ours, by_application, theirs = (
        FunderFactory(name="AFD"),
        FunderFactory(name="MEAE"),
        FunderFactory(name="Union européenne"),
    )
    funded_project(city_a, ours)
    funded_project(city_a, by_application, through_application=True)
    funded_project(city_b, theirs)
    assert [f.name for f in cofunders(city_a)] == ["AFD", "MEAE"]
    assert [f.name for f in cofunders(city_b)] == ["Union européenne"]


def test_cofunders_cost_one_query_bounded_by_the_member_however_many_others_fund(
    city_a, city_b, django_assert_num_queries
):
    funded_project(city_a, FunderFactory(name="AFD"))
    for index in range(2):
        funded_project(city_b, FunderFactory(name=f"Bailleur {index}"))
    with CaptureQueriesContext(connection) as small:
        cofunders(city_a)
    for index in range(2, 20):
        funded_project(city_b, FunderFactory(name=f"Bailleur {index}"))
    with django_assert_num_queries(1):
        cofunders(city_a)
    [query] = small.captured_queries
    sql = query["sql"]
    # Uncorrelated: the funders' ids come from the member's rows (its id in both subqueries),
    # never a test per funder across every plan of the country.
    assert '= ("projects_funder"."id")' not in sql  # no subquery correlated to each funder
    assert sql.count(f'"authority_id" = {city_a.pk}') >= 2


def _partner_towns(member, count: int) -> None:
    import random
    from decimal import Decimal

    from jumelage.core.models import Country
    from jumelage.core.tests.factories import CountryFactory
    from jumelage.partners.models import Authority, Partnership

    rng = random.Random(3)
    country: Country = CountryFactory(code="HT")
    partners = Authority.objects.bulk_create(
        Authority(
            name=f"Ville partenaire {i:04d}",
            kind=Authority.Kind.MUNICIPALITY,
            country=country,
            latitude=Decimal(f"{rng.uniform(-40, 60):.4f}"),
            longitude=Decimal(f"{rng.uniform(-100, 140):.4f}"),
        )
        for i in range(count)
    )
    Partnership.objects.bulk_create(
        Partnership(
            authority=member,
            partner=partner,
            kind=Partnership.Kind.TWINNING if i % 2 else Partnership.Kind.COOPERATION,
            summary={"fr": "Un partenariat parmi beaucoup."},
            is_public=True,
        )
        for i, partner in enumerate(partners)
    )


def test_the_partner_towns_are_listed_page_by_page_with_the_totals_on_each(
    client, city_a, monkeypatch
):
    from jumelage.public import views

    monkeypatch.setattr(views, "TOWNS_PAGE_SIZE", 3)
    _partner_towns(city_a, 7)
    first = client.get(f"/{city_a.slug}/").content.decode()
    last = client.get(f"/{city_a.slug}/?page=3").content.decode()

    def listed(html: str) -> list[str]:  # the town list, not the map (which shows them all)
        return re.findall(r'class="town-name"[^>]*>([^<]+)</a>', html)

    assert sorted(listed(first)) == [
        "Ville partenaire 0000",
        "Ville partenaire 0001",
        "Ville partenaire 0002",
    ]
    assert listed(last) == ["Ville partenaire 0006"]
    assert 'rel="next"' in first
    assert "<strong>3</strong>" in last  # the twin towns of every page, counted on each
    assert client.get(f"/{city_a.slug}/?page=4").status_code == 404


def test_a_city_with_a_thousand_partner_towns_gets_pages_under_100_kb_compressed(client, city_a):
    import gzip

    _partner_towns(city_a, 1000)
    for number in (1, 10):
        html = client.get(f"/{city_a.slug}/?page={number}").content
        assert len(gzip.compress(html)) < 100_000, number
