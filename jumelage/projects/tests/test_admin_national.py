"""The back office's national lists, as an instance administrator reads them: what each page
costs does not grow with the number of authorities or their records (issue 12), and the
authority filter is typed rather than listing every authority of the country."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jumelage.accounts.tests.factories import UserFactory
from jumelage.core.tests.factories import AtlasThemeFactory
from jumelage.partners.tests.factories import MemberAuthorityFactory
from jumelage.projects.models import Transaction
from jumelage.projects.selectors import transaction_years
from jumelage.projects.tests.admin_helpers import admin_url
from jumelage.projects.tests.factories import ProjectFactory, TransactionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def _country_grows(city_a) -> None:
    """More authorities, each with a project of its own theme and payments in other years."""
    for n in range(3):
        member = MemberAuthorityFactory(authority__name=f"Commune {n}")
        project = ProjectFactory(authority=member, atlas_theme=AtlasThemeFactory())
        TransactionFactory(project=project, date=datetime.date(2019 - n, 3, 1))


@pytest.mark.parametrize("model", ["project", "transaction"])
def test_a_national_list_costs_the_same_queries_whatever_the_country_holds(
    client, root, city_a, city_b, model, django_assert_num_queries
):
    TransactionFactory(project=ProjectFactory(authority=city_a), date=datetime.date(2025, 1, 2))
    url = admin_url(model, "changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _country_grows(city_a)
    with django_assert_num_queries(len(small)):
        response = client.get(url)
    # Session and user, the count (on PostgreSQL the planner's estimate first: core.counting)
    # and the page; the themes (projects), or the transaction types (their codelist, then the
    # codes used: the codelist is not loaded here) and the years: none reads the authorities.
    estimate = connection.vendor == "postgresql"
    assert len(small) == {"project": 5, "transaction": 7}[model] + estimate
    page = response.content.decode()
    assert "Commune 1" not in page  # the authority filter lists no authority...
    assert 'name="authority"' in page  # ...it is typed


def test_the_typed_authority_filter_takes_an_address_or_a_number(client, root, city_a, city_b):
    mine = ProjectFactory(authority=city_a, slug="mine")
    ProjectFactory(authority=city_b, slug="theirs")
    url = admin_url("project", "changelist")

    def listed(value: str) -> list[str]:
        response = client.get(url, {"authority": value})
        assert response.status_code == 200
        return sorted(p.slug for p in response.context["cl"].result_list)

    assert listed(city_a.slug) == ["mine"]
    assert listed(city_a.slug.upper()) == ["mine"]
    assert listed(str(city_b.pk)) == ["theirs"]
    assert listed("no-such-town") == []
    assert listed("9" * 30) == []  # too long for an id: nothing, not an error
    assert listed("") == ["mine", "theirs"]
    page = client.get(url, {"authority": city_a.slug}).content.decode()
    assert f">{mine.authority}</a>" in page  # the authority chosen, by its name


def test_an_officer_still_picks_among_their_authorities(client, city_a, city_b, officer_a):
    from jumelage.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=officer_a, authority=city_b, role="officer")
    client.force_login(officer_a)
    page = client.get(admin_url("project", "changelist")).content.decode()
    assert f">{city_a}</a>" in page and f">{city_b}</a>" in page
    assert 'name="authority"' not in page


def test_the_years_of_transactions_are_those_with_transactions(city_a, city_b):
    for day in (datetime.date(2021, 5, 1), datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)):
        TransactionFactory(project=ProjectFactory(authority=city_a), date=day)
    TransactionFactory(project=ProjectFactory(authority=city_b), date=datetime.date(2019, 7, 7))
    assert transaction_years(Transaction.objects.all()) == [2024, 2021, 2019]
    assert transaction_years(Transaction.objects.filter(authority=city_a)) == [2024, 2021]
    assert transaction_years(Transaction.objects.filter(authority=city_b).none()) == []
    assert transaction_years(Transaction.objects.filter(pk__in=[])) == []
