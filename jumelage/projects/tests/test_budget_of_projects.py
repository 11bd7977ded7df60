"""The budgets of several projects added up (a partnership's key figures): plans in force
only, one total per currency, the leverage read as on a single plan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jumelage.projects.models import Project
from jumelage.projects.selectors import budget_of_projects
from jumelage.projects.tests.factories import (
    FinancingPlanFactory,
    FunderFactory,
    ProjectFactory,
    ResourceLineFactory,
)

pytestmark = pytest.mark.django_db


def plan(project, status="adopted", currency="EUR", own="0.00", external="0.00"):
    financing = FinancingPlanFactory(project=project, status=status, currency=currency)
    ResourceLineFactory(plan=financing, amount=own)
    ResourceLineFactory(plan=financing, is_own=False, funder=FunderFactory(), amount=external)
    return financing


def test_plans_in_force_are_added_by_currency(city_a):
    first, second, third = (ProjectFactory(authority=city_a, slug=f"p{n}") for n in range(3))
    plan(first, own="10000.00", external="30000.00")
    plan(second, own="5000.00", external="5000.00")
    plan(second, status="draft", own="99999.00", external="99999.00")  # no budget
    plan(third, currency="XOF", own="1000000.00", external="0.00")
    euros, francs = budget_of_projects(Project.objects.filter(authority=city_a))
    assert (euros.currency, francs.currency) == ("EUR", "XOF")
    assert euros.own_contribution == Decimal("15000.00")
    assert euros.external_cofinancing == Decimal("35000.00")
    assert euros.leverage == Decimal("2.33")
    assert francs.leverage == Decimal("0.00")


def test_no_project_no_budget(city_a):
    assert budget_of_projects(Project.objects.none()) == []
