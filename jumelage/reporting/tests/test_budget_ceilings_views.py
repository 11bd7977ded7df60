"""The back-office page of the "1 %" laws: each service budget of a year with its ceiling and
what it gives, for the authority's staff only."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jumelage.projects.tests.factories import (
    ProjectFactory,
    ServiceBudgetFactory,
    TransactionFactory,
)


def page_url(slug: str = "ville-a", year: int = 2025) -> str:
    return reverse("reporting:budget_ceilings", args=[slug, year])


def budget_with_money(city, amount="2500.00", **fields):
    budget = ServiceBudgetFactory(authority=city, year=2025, **fields)
    TransactionFactory(
        project=ProjectFactory(authority=city, title={"fr": "Eau à Cap-Haïtien"}),
        service_budget=budget,
        amount=amount,
        date=datetime.date(2025, 5, 1),
        description="Forage",
    )
    return budget


def test_the_page_shows_each_budget_with_its_ceiling_and_use(client, officer_a, city_a):
    budget_with_money(city_a, kind="water", resources="1000000.00")
    ServiceBudgetFactory(authority=city_a, year=2025, kind="waste", resources="250000.00")
    client.force_login(officer_a)
    response = client.get(page_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Drinking water" in page and "Household waste" in page
    assert "1,000,000.00" in page and "10,000.00" in page  # resources and ceiling
    assert "2,500.00" in page and "7,500.00" in page  # used and left
    assert "2,500.00" in page and "Forage" in page and "Eau à Cap-Haïtien" in page
    assert "CGCT L1115-1-1 and following" in page


def test_the_page_is_a_404_for_another_authority_and_a_user_of_none(
    client, officer_b, outsider, city_a
):
    budget_with_money(city_a)
    for user in (officer_b, outsider):
        client.force_login(user)
        assert client.get(page_url()).status_code == 404


def test_another_authoritys_budgets_never_show(client, officer_a, city_a, city_b):
    budget_with_money(city_b, amount="7777.77")
    client.force_login(officer_a)
    page = client.get(page_url()).content.decode()
    assert "7,777.77" not in page
    assert "No service budget is recorded for 2025." in page


def test_the_page_sends_an_anonymous_visitor_to_sign_in(client, city_a):
    response = client.get(page_url())
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_authoritys_address_alone_leads_to_this_years_page(client, officer_a, city_a):
    client.force_login(officer_a)
    response = client.get(reverse("reporting:budget_ceilings_current", args=["ville-a"]))
    year = datetime.date.today().year
    assert response["Location"] == page_url(year=year)


def test_a_year_outside_the_range_is_a_404(client, officer_a, city_a):
    client.force_login(officer_a)
    assert client.get(page_url(year=1900)).status_code == 404


def test_the_page_runs_the_same_queries_for_one_and_five_budgets(client, officer_a, city_a):
    budget_with_money(city_a, kind="water")
    client.force_login(officer_a)
    with CaptureQueriesContext(connection) as one:
        assert client.get(page_url()).status_code == 200
    for kind in ("sanitation", "energy", "waste", "mobility"):
        budget_with_money(city_a, kind=kind)
    with CaptureQueriesContext(connection) as five:
        response = client.get(page_url())
    assert len(response.context["uses"]) == 5
    assert len(five) == len(one)


def test_the_dashboard_links_to_the_ceilings(client, officer_a, city_a):
    client.force_login(officer_a)
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("reporting:budget_ceilings_current", args=["ville-a"]) in page
