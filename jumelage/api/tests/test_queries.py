"""Every list runs the same number of queries for ten rows as for one (pinned numbers), when
it is not in the cache; from the cache, none (test_answers_cache.py)."""

from typing import Any

import pytest
from django.core.cache import cache

from jumelage.api.tests.conftest import get, published_project, town
from jumelage.partners.tests.factories import (
    AuthorityFactory,
    MemberAuthorityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


def member_with_records(n: int) -> Any:
    """An active member with a published partnership and a project in two countries and
    two sectors."""
    member = MemberAuthorityFactory(slug=f"membre-{n}", authority=AuthorityFactory(name=f"M {n}"))
    add_records(member, n)
    return member


def add_records(member: Any, n: int) -> None:
    PartnershipFactory(authority=member, partner=town(f"Partner {n}", "DE"), is_public=True)
    published_project(
        member, f"projet-{n}", {"HT": "50", "BF": "50"}, {"15112": "70", "14030": "30"}
    )


def assert_constant(client, django_assert_num_queries, url, queries, grow) -> None:
    """`queries` for a list of one row, and again once `grow` has made it ten rows."""
    with django_assert_num_queries(queries):
        response = get(client, url)
    assert response.json()["count"] == 1
    grow()
    # The factories write around the services, which would expire the cached answer
    # (test_answers_cache.py): empty the cache so that the list is read again.
    cache.clear()
    with django_assert_num_queries(queries):
        response = get(client, url)
    assert len(response.json()["items"]) == 10


def test_the_authority_list_runs_two_queries(client, django_assert_num_queries):
    # The count, then the page with the counts of each authority as subqueries.
    member_with_records(0)
    grow = lambda: [member_with_records(n) for n in range(1, 10)]  # noqa: E731
    assert_constant(client, django_assert_num_queries, "/api/v1/authorities", 2, grow)


def test_an_authority_runs_one_query(client, django_assert_num_queries):
    member_with_records(0)
    with django_assert_num_queries(1):
        assert get(client, "/api/v1/authorities/membre-0").status_code == 200


def test_the_partnership_list_runs_four_queries(client, django_assert_num_queries):
    # The member, its page generations (the cache keeps the answer under them), the count,
    # the page with each partner.
    member = member_with_records(0)
    grow = lambda: [add_records(member, n) for n in range(1, 10)]  # noqa: E731
    url = "/api/v1/authorities/membre-0/partnerships"
    assert_constant(client, django_assert_num_queries, url, 4, grow)


def test_an_authoritys_project_list_runs_six_queries(client, django_assert_num_queries):
    # The member, its page generations, the count, the page, its projects' countries, their
    # sectors.
    member = member_with_records(0)
    grow = lambda: [add_records(member, n) for n in range(1, 10)]  # noqa: E731
    url = "/api/v1/authorities/membre-0/projects"
    assert_constant(client, django_assert_num_queries, url, 6, grow)


def test_the_national_project_list_runs_four_queries(client, django_assert_num_queries):
    # The count, the page with each project's authority, the countries, the sectors.
    member_with_records(0)
    grow = lambda: [member_with_records(n) for n in range(1, 10)]  # noqa: E731
    assert_constant(client, django_assert_num_queries, "/api/v1/projects", 4, grow)
    # The same with every filter on.
    with django_assert_num_queries(4):
        response = get(client, "/api/v1/projects", country="HT", sector="151", status="running")
    assert len(response.json()["items"]) == 10
