"""An authority's page costs the same whatever the rest of the country holds (issue 12): its
co-funders are read from its own projects' plans and applications, in one query whose SQL is
bounded by the authority, with two authorities and another one's data growing."""

from __future__ import annotations

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
