"""Valuing a staff volunteer's mission in kind in a project's financing plan."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.actors.models import Person
from jumelage.actors.services import mission_value_in_plan
from jumelage.actors.tests.factories import MissionFactory, PersonFactory
from jumelage.projects.models import ExpenseLine, FinancingPlan, ResourceLine
from jumelage.projects.tests.factories import (
    ExpenseLineFactory,
    FinancingPlanFactory,
    ProjectFactory,
    ResourceLineFactory,
)


@pytest.fixture
def project(city_a):
    return ProjectFactory(authority=city_a)


@pytest.fixture
def mission(city_a, project):
    person = PersonFactory(
        authority=city_a,
        kind=Person.Kind.STAFF,
        first_name="Camille",
        last_name="Martin",
        daily_rate=Decimal("200.00"),
    )
    return MissionFactory(
        person=person,
        project=project,
        days=Decimal("5"),
        description="Appui à l'état civil",
        started_on=datetime.date(2026, 3, 2),
    )


def test_it_adds_the_time_as_an_own_in_kind_resource_and_its_staff_expense(
    officer_a, mission, project
):
    plan = FinancingPlanFactory(project=project)
    line = mission_value_in_plan(mission=mission, plan=plan, user=officer_a)

    line.refresh_from_db()
    assert (line.plan_id, line.is_own, line.in_kind, line.funder_id) == (plan.pk, True, True, None)
    assert line.amount == Decimal("1000.00")
    assert line.year == 2026
    assert "Camille Martin" in line.label
    expense = ExpenseLine.objects.get(plan=plan)
    assert (expense.in_kind, expense.category, expense.amount) == (
        True,
        ExpenseLine.Category.STAFF,
        Decimal("1000.00"),
    )
    assert list(mission.resource_lines.all()) == [line]
    assert list(mission.expense_lines.all()) == [expense]


def test_valuing_again_updates_the_same_lines(officer_a, mission, project):
    plan = FinancingPlanFactory(project=project)
    first = mission_value_in_plan(mission=mission, plan=plan, user=officer_a)
    mission.days = Decimal("7.5")
    mission.save()

    again = mission_value_in_plan(mission=mission, plan=plan, user=officer_a)

    assert again.pk == first.pk
    assert ResourceLine.objects.filter(plan=plan).count() == 1
    assert ExpenseLine.objects.filter(plan=plan).count() == 1
    assert ResourceLine.objects.get(plan=plan).amount == Decimal("1500.00")
    assert ExpenseLine.objects.get(plan=plan).amount == Decimal("1500.00")


def test_a_mission_is_valued_once_in_each_plan_of_its_project(officer_a, mission, project):
    whole = FinancingPlanFactory(project=project)
    yearly = FinancingPlanFactory(project=project, year=2026)
    mission_value_in_plan(mission=mission, plan=whole, user=officer_a)
    mission_value_in_plan(mission=mission, plan=yearly, user=officer_a)
    mission_value_in_plan(mission=mission, plan=whole, user=officer_a)
    assert mission.resource_lines.count() == 2
    assert mission.expense_lines.count() == 2


def test_a_submitted_plan_stays_balanced(officer_a, mission, project):
    plan = FinancingPlanFactory(project=project, status=FinancingPlan.Status.SUBMITTED)
    ExpenseLineFactory(plan=plan, amount=Decimal("10000.00"))
    ResourceLineFactory(plan=plan, amount=Decimal("10000.00"))
    version = plan.version

    mission_value_in_plan(mission=mission, plan=plan, user=officer_a)

    plan.refresh_from_db()
    assert plan.version == version + 1
    assert sum(line.amount for line in plan.expenses.all()) == Decimal("11000.00")
    assert sum(line.amount for line in plan.resources.all()) == Decimal("11000.00")


def test_it_refuses_a_plan_of_another_project_and_writes_nothing(officer_a, city_a, mission):
    plan = FinancingPlanFactory(project=ProjectFactory(authority=city_a))
    with pytest.raises(ValidationError):
        mission_value_in_plan(mission=mission, plan=plan, user=officer_a)
    assert not ResourceLine.objects.exists()
    assert not ExpenseLine.objects.exists()


def test_it_refuses_a_mission_without_a_project(officer_a, mission, project):
    mission.project = None
    mission.save()
    with pytest.raises(ValidationError):
        mission_value_in_plan(
            mission=mission, plan=FinancingPlanFactory(project=project), user=officer_a
        )
    assert not ResourceLine.objects.exists()


def test_it_refuses_a_person_without_a_daily_cost(officer_a, mission, project):
    Person.objects.filter(pk=mission.person_id).update(daily_rate=None)
    with pytest.raises(ValidationError):
        mission_value_in_plan(
            mission=mission, plan=FinancingPlanFactory(project=project), user=officer_a
        )
    assert not ResourceLine.objects.exists()


def test_it_refuses_a_plan_in_another_currency(officer_a, mission, project):
    plan = FinancingPlanFactory(project=project, currency="HTG")
    with pytest.raises(ValidationError):
        mission_value_in_plan(mission=mission, plan=plan, user=officer_a)
    assert not ResourceLine.objects.exists()


def test_an_officer_of_another_authority_cannot_value_the_mission(officer_b, mission, project):
    plan = FinancingPlanFactory(project=project)
    with pytest.raises(PermissionDenied):
        mission_value_in_plan(mission=mission, plan=plan, user=officer_b)
    assert not ResourceLine.objects.exists()
    assert not mission.resource_lines.exists()


def test_a_viewer_cannot_value_the_mission(viewer_a, mission, project):
    with pytest.raises(PermissionDenied):
        mission_value_in_plan(
            mission=mission, plan=FinancingPlanFactory(project=project), user=viewer_a
        )
    assert not ResourceLine.objects.exists()
