"""The old back-office addresses of the "1 %" laws page: they lead to the workspace's page
(`workspace:service_budgets`), for the authority's members only."""

from __future__ import annotations

import datetime

from django.urls import reverse

from jumelage.projects.tests.factories import ServiceBudgetFactory


def page_url(slug: str = "ville-a", year: int = 2025) -> str:
    return reverse("reporting:budget_ceilings", args=[slug, year])


def test_the_old_page_leads_to_the_workspaces_page_of_the_year(client, officer_a, city_a):
    ServiceBudgetFactory(authority=city_a, year=2025)
    client.force_login(officer_a)
    response = client.get(page_url())
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:service_budgets", args=["ville-a", 2025])
    assert client.get(response["Location"]).status_code == 200


def test_the_old_page_is_a_404_for_another_authority_and_a_user_of_none(
    client, officer_b, outsider, city_a
):
    for user in (officer_b, outsider):
        client.force_login(user)
        assert client.get(page_url()).status_code == 404
        current = reverse("reporting:budget_ceilings_current", args=["ville-a"])
        assert client.get(current).status_code == 404


def test_the_old_page_sends_an_anonymous_visitor_to_sign_in(client, city_a):
    response = client.get(page_url())
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_authoritys_address_alone_leads_to_this_years_page(client, officer_a, city_a):
    client.force_login(officer_a)
    response = client.get(reverse("reporting:budget_ceilings_current", args=["ville-a"]))
    year = datetime.date.today().year
    assert response["Location"] == reverse("workspace:service_budgets", args=["ville-a", year])


def test_a_year_outside_the_range_is_a_404(client, officer_a, city_a):
    client.force_login(officer_a)
    assert client.get(page_url(year=1900)).status_code == 404


def test_the_dashboard_links_to_the_workspaces_page(client, officer_a, city_a):
    client.force_login(officer_a)
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("workspace:service_budgets_current", args=["ville-a"]) in page


def test_the_service_budgets_list_links_to_the_workspaces_page(client, officer_a, city_a):
    budget = ServiceBudgetFactory(authority=city_a, year=2025)
    client.force_login(officer_a)
    page = client.get(reverse("admin:projects_servicebudget_changelist")).content.decode()
    url = reverse("workspace:service_budgets", args=["ville-a", 2025])
    assert f'href="{url}#budget-{budget.pk}"' in page
