"""The financing plan editor of the workspace: create a plan for a call, change its lines in
place (htmx or plain posts), see the checks, submit; another authority's plans are not found,
a viewer or a contributor reads only, a stale page and bad input write nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jumelage.core.tests.factories import CountryFactory, OdaEligibilityFactory
from jumelage.projects.models import ExpenseLine, FinancingPlan, ResourceLine
from jumelage.projects.tests.factories import (
    CallFactory,
    ExpenseLineFactory,
    FinancingPlanFactory,
    FunderFactory,
    ProjectCountryFactory,
    ProjectFactory,
    ResourceLineFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def meae_call(db):
    return CallFactory(
        funder=FunderFactory(name="Ministère de l'Europe", acronym="MEAE"),
        title="Appel Haïti",
        year=2026,
        max_rate_ldc=70,
        min_own_share=10,
        max_in_kind_of_own_share=50,
    )


@pytest.fixture
def project(city_a):
    project = ProjectFactory(
        authority=city_a,
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
    )
    ProjectCountryFactory(project=project, country=CountryFactory(code="HT"))
    OdaEligibilityFactory(country_id="HT", year=2026, income_group="LDC")
    return project


@pytest.fixture
def plan(project, meae_call):
    plan = FinancingPlanFactory(project=project, call=meae_call, title="Plan Haïti")
    ExpenseLineFactory(plan=plan, label="Pumps", amount="100000.00")
    ResourceLineFactory(plan=plan, is_own=True, amount="20000.00")
    ResourceLineFactory(plan=plan, is_own=False, funder=meae_call.funder, amount="80000.00")
    return plan


def url(plan, tail=""):
    return f"/en/workspace/ville-a/projects/{plan.project_id}/plans/{plan.pk}/{tail}"


def test_an_officer_creates_a_plan_for_a_call(client, officer_a, project, meae_call):
    client.force_login(officer_a)
    page = client.get(f"/en/workspace/ville-a/projects/{project.pk}/plans/new/")
    assert page.status_code == 200 and "MEAE – Appel Haïti (2026)" in page.content.decode()  # noqa: RUF001
    response = client.post(
        f"/en/workspace/ville-a/projects/{project.pk}/plans/new/",
        {"title": "Budget", "year": "", "call": meae_call.pk},
    )
    plan = FinancingPlan.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == url(plan)
    assert plan.call == meae_call and plan.status == "draft" and plan.currency == "EUR"


def test_the_editor_shows_the_checks_with_their_figures(client, officer_a, plan):
    client.force_login(officer_a)
    page = client.get(url(plan)).content.decode()
    assert "The plan cannot be submitted or adopted yet:" in page
    assert "The amount asked of MEAE in this plan (80,000.00 EUR)" in page
    assert "70.00%" in page or "70%" in page  # the cap for a least developed country
    assert 'id="expenses-' in page and "Pumps" in page


def test_a_line_is_changed_in_place_and_the_checks_follow(client, officer_a, plan):
    client.force_login(officer_a)
    grant = plan.resources.get(is_own=False)
    edit = client.get(url(plan, f"resources/{grant.pk}/"), **HTMX)
    assert edit.status_code == 200
    row = edit.content.decode()
    assert row.lstrip().startswith(f'<tr id="resources-{grant.pk}"')
    assert f'name="_version" value="{plan.version}"' in row

    response = client.post(
        url(plan, f"resources/{grant.pk}/"),
        {
            "_version": plan.version,
            "label": "Subvention",
            "funder": grant.funder_id,
            "year": "",
            "amount": "70 000,00 €",
            "status": "requested",
        },
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="plan-editor"')
    assert "Line saved." in body
    grant.refresh_from_db()
    assert grant.amount == Decimal("70000.00") and grant.label == "Subvention"
    assert "The amount asked of MEAE" not in body  # the cap passes now
    assert "€10,000.00 missing" in body  # but the plan is short of 10 000


def test_submitting_over_the_cap_is_refused_with_its_reason(client, officer_a, plan):
    client.force_login(officer_a)
    response = client.post(url(plan, "status/"), {"_version": plan.version, "status": "submitted"})
    assert response.status_code == 400
    assert "at most 70.00 %" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_adding_and_removing_lines_without_javascript(client, officer_a, plan):
    client.force_login(officer_a)
    response = client.post(
        url(plan, "expenses/new/"),
        {"_version": plan.version, "label": "Training", "category": "training", "amount": "1 200"},
    )
    assert response.status_code == 302
    line = ExpenseLine.objects.get(label="Training")
    assert line.amount == Decimal("1200.00")
    plan.refresh_from_db()
    response = client.post(url(plan, f"expenses/{line.pk}/delete/"), {"_version": plan.version})
    assert response.status_code == 302
    assert not ExpenseLine.objects.filter(pk=line.pk).exists()


def test_a_stale_page_is_refused_and_writes_nothing(client, officer_a, plan):
    client.force_login(officer_a)
    seen = plan.version
    line = plan.expenses.get()
    client.post(
        url(plan, f"expenses/{line.pk}/"),
        {"_version": seen, "label": "Pumps", "category": "equipment", "amount": "90000"},
    )
    response = client.post(
        url(plan, f"expenses/{line.pk}/"),
        {"_version": seen, "label": "Wells", "category": "equipment", "amount": "50000"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    line.refresh_from_db()
    assert line.label == "Pumps" and line.amount == Decimal("90000.00")


@pytest.mark.parametrize(
    "amount, message",
    [("douze", "amount"), ("-5", "Write a positive amount."), ("", "This field is required.")],
)
def test_bad_input_is_shown_on_its_field_and_writes_nothing(
    client, officer_a, plan, amount, message
):
    client.force_login(officer_a)
    line = plan.expenses.get()
    before = plan.version
    response = client.post(
        url(plan, f"expenses/{line.pk}/"),
        {"_version": plan.version, "label": "Pumps", "category": "equipment", "amount": amount},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#expenses-{line.pk}"
    body = response.content.decode()
    assert message in body and 'aria-invalid="true"' in body
    assert f'aria-describedby="expenses-{line.pk}-amount-error"' in body
    plan.refresh_from_db()
    assert plan.version == before
    # Without JavaScript: the whole page with the row as a form, and a 400.
    plain = client.post(
        url(plan, f"expenses/{line.pk}/"),
        {"_version": plan.version, "label": "", "category": "equipment", "amount": "1"},
    )
    assert plain.status_code == 400 and "There is a problem:" in plain.content.decode()


def test_a_line_year_outside_a_yearly_plan_is_refused_on_its_field(client, officer_a, project):
    plan = FinancingPlanFactory(project=project, year=2026)
    client.force_login(officer_a)
    response = client.post(
        url(plan, "expenses/new/"),
        {
            "_version": plan.version,
            "label": "Trip",
            "category": "travel",
            "amount": "900",
            "year": "2025",
        },
        **HTMX,
    )
    assert response["HX-Retarget"] == "#add-expenses"
    assert "This plan is the budget of 2026" in response.content.decode()
    assert not ExpenseLine.objects.filter(plan=plan).exists()


def test_another_authoritys_plan_is_not_found_nor_changed(client, officer_b, plan):
    client.force_login(officer_b)
    line = plan.expenses.get()
    assert client.get(url(plan)).status_code == 404
    response = client.post(
        url(plan, f"expenses/{line.pk}/"),
        {"_version": plan.version, "label": "X", "category": "other", "amount": "1"},
    )
    assert response.status_code == 404
    other = f"/en/workspace/ville-b/projects/{plan.project_id}/plans/{plan.pk}/"
    assert client.get(other).status_code == 404
    line.refresh_from_db()
    assert line.label == "Pumps"


@pytest.mark.parametrize("who", ["viewer_a", "contributor_a"])
def test_a_viewer_or_contributor_reads_the_plan_but_may_not_change_it(client, request, plan, who):
    client.force_login(request.getfixturevalue(who))
    page = client.get(url(plan)).content.decode()
    assert "Pumps" in page and "Submit to the funder" not in page and "Add an expense" not in page
    line = plan.expenses.get()
    response = client.post(
        url(plan, f"expenses/{line.pk}/"),
        {"_version": plan.version, "label": "X", "category": "other", "amount": "1"},
    )
    assert response.status_code == 403
    assert client.post(url(plan, "status/"), {"status": "adopted"}).status_code == 403
    line.refresh_from_db()
    assert line.label == "Pumps"


def test_the_project_page_links_its_plans_and_offers_a_new_one(client, officer_a, plan):
    client.force_login(officer_a)
    page = client.get(f"/en/workspace/ville-a/projects/{plan.project_id}/").content.decode()
    assert f'href="{url(plan)}"' in page
    assert f"/en/workspace/ville-a/projects/{plan.project_id}/plans/new/" in page


def test_the_editor_costs_the_same_queries_whatever_the_lines(client, officer_a, plan):
    client.force_login(officer_a)
    client.get("/en/workspace/ville-a/")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(plan)).status_code == 200
        return len(captured)

    ExpenseLineFactory(plan=plan, amount="1.00")
    few = count()
    for _n in range(20):
        ExpenseLineFactory(plan=plan, amount="1.00", year=2026)
        ResourceLineFactory(plan=plan, is_own=False, funder=FunderFactory(), amount="1.00")
    assert count() == few
    assert ResourceLine.objects.filter(plan=plan).count() == 22


def test_the_plans_head_changes_with_its_version_and_a_stale_one_is_refused(
    client, officer_a, plan
):
    client.force_login(officer_a)
    seen = plan.version
    response = client.post(url(plan), {"_version": seen, "title": "Budget 2026", "year": "2026"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Budget 2026" and plan.year == 2026 and plan.call_id is None
    stale = client.post(url(plan), {"_version": seen, "title": "Other", "year": ""})
    assert stale.status_code == 409 and "Someone else changed this record" in stale.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Budget 2026"


def test_without_javascript_a_line_opens_as_a_form_in_the_whole_page(client, officer_a, plan):
    client.force_login(officer_a)
    line = plan.expenses.get()
    page = client.get(url(plan, f"expenses/{line.pk}/")).content.decode()
    assert "<h1>" in page and 'class="ws-row-editing"' in page
    # Shown grouped, with the cents in English: "100,000" would read back as a hundred.
    assert 'value="100,000.00"' in page
