"""A project's budget is made of its plans in force, one rule read by the public page, the IATI
file and the application checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jumelage.projects.models import FinancingPlan
from jumelage.projects.selectors import (
    budget_plans,
    financing_plan_summary,
    plan_for_application,
    plans_in_force,
)
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    ExpenseLineFactory,
    FinancingPlanFactory,
    ProjectFactory,
    ResourceLineFactory,
)

pytestmark = pytest.mark.django_db

ADOPTED, SUBMITTED, DRAFT = (
    FinancingPlan.Status.ADOPTED,
    FinancingPlan.Status.SUBMITTED,
    FinancingPlan.Status.DRAFT,
)


def plan(project, status, expenses="10000", *, year=None, application=None):
    made = FinancingPlanFactory(project=project, status=status, year=year)
    ExpenseLineFactory(plan=made, amount=Decimal(expenses))
    if application is not None:
        ResourceLineFactory(
            plan=made, is_own=False, funder=application.call.funder, amount=Decimal(expenses),
            application=application,
        )  # fmt: skip
    return made


def total(project) -> Decimal:
    return sum(
        (financing_plan_summary(p).total_expenses for p in budget_plans(project)), Decimal(0)
    )


def test_a_draft_revision_does_not_count_with_the_adopted_plan(city_a):
    project = ProjectFactory(authority=city_a)
    adopted = plan(project, ADOPTED, "10000")
    plan(project, DRAFT, "12000")
    assert list(budget_plans(project)) == [adopted]
    assert total(project) == Decimal("10000")


def test_drafts_and_submitted_plans_are_no_budget(city_a):
    project = ProjectFactory(authority=city_a)
    plan(project, DRAFT)
    plan(project, SUBMITTED, year=2025)
    assert list(budget_plans(project)) == []


def test_an_adopted_revision_replaces_the_plan_it_revises(city_a):
    project = ProjectFactory(authority=city_a)
    plan(project, ADOPTED, "10000", year=2025)
    revision = plan(project, ADOPTED, "12000", year=2025)
    other_year = plan(project, ADOPTED, "3000", year=2026)
    assert set(budget_plans(project)) == {revision, other_year}
    assert total(project) == Decimal("15000")


def test_an_adopted_whole_project_plan_leaves_yearly_plans_out(city_a):
    # The yearly plans detail the same money: adding them would count it twice.
    project = ProjectFactory(authority=city_a)
    plan(project, ADOPTED, "4000", year=2025)
    whole = plan(project, ADOPTED, "9000")
    plan(project, ADOPTED, "5000", year=2026)
    assert list(budget_plans(project)) == [whole]


def test_the_plans_in_force_of_many_projects_come_in_one_query(
    city_a, city_b, django_assert_num_queries
):
    first, second = ProjectFactory(authority=city_a), ProjectFactory(authority=city_b)
    kept = [plan(first, ADOPTED, year=2025), plan(second, ADOPTED)]
    plan(first, DRAFT, year=2025)
    plan(second, DRAFT)
    with django_assert_num_queries(1):
        assert set(plans_in_force()) == set(kept)


# --- The plan an application is checked against -------------------------------------------


def test_an_application_is_checked_against_the_adopted_revision_not_the_plan_it_replaced(city_a):
    project = ProjectFactory(authority=city_a)
    application = ApplicationFactory(project=project)
    plan(project, ADOPTED, "10000")
    revision = plan(project, ADOPTED, "12000")
    assert plan_for_application(application) == revision


def test_an_earlier_draft_does_not_stand_in_for_the_plan_in_force(city_a):
    project = ProjectFactory(authority=city_a)
    application = ApplicationFactory(project=project)
    plan(project, DRAFT, "22000")
    adopted = plan(project, ADOPTED, "10000")
    assert plan_for_application(application) == adopted


def test_of_two_plans_counting_the_application_the_one_in_force_is_read(city_a):
    project = ProjectFactory(authority=city_a)
    application = ApplicationFactory(project=project)
    adopted = plan(project, ADOPTED, "10000", application=application)
    plan(project, DRAFT, "12000", application=application)
    assert plan_for_application(application) == adopted


def test_a_plan_written_for_a_new_application_is_read_for_it(city_a):
    # A draft revision that counts the new application, while the adopted plan does not.
    project = ProjectFactory(authority=city_a)
    application = ApplicationFactory(project=project)
    plan(project, ADOPTED, "10000")
    revision = plan(project, DRAFT, "12000", application=application)
    assert plan_for_application(application) == revision


def test_before_any_plan_is_adopted_the_latest_whole_project_plan_is_read(city_a):
    project = ProjectFactory(authority=city_a)
    application = ApplicationFactory(project=project)
    plan(project, DRAFT, year=2025)
    plan(project, DRAFT)
    latest = plan(project, SUBMITTED)
    assert plan_for_application(application) == latest
    other = ProjectFactory(authority=city_a)
    plan(other, DRAFT, year=2025)
    plan(other, DRAFT, year=2026)
    assert plan_for_application(ApplicationFactory(project=other)) is None
