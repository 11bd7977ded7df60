"""A financing plan checked against its call (caps by country class, own share, in-kind limit,
grant bounds) and the project's years; a plan that fails a blocking check is refused when it
is submitted or adopted, by whatever path."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jumelage.core.tests.factories import CountryFactory, OdaEligibilityFactory
from jumelage.projects.models import FinancingPlan
from jumelage.projects.selectors import plan_checks, plan_years
from jumelage.projects.services import financing_plan_save_lines, financing_plan_set_status
from jumelage.projects.tests.factories import (
    CallFactory,
    ExpenseLineFactory,
    FinancingPlanFactory,
    FunderFactory,
    ProjectCountryFactory,
    ProjectFactory,
    ResourceLineFactory,
)
from jumelage.tenancy.services import save_owned

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def meae(db):
    return FunderFactory(name="Ministère de l'Europe et des Affaires étrangères", acronym="MEAE")


@pytest.fixture
def meae_call(meae):
    return CallFactory(
        funder=meae,
        year=2026,
        max_rate_ldc=70,
        max_rate_oda=50,
        max_rate_non_oda=30,
        min_own_share=10,
        max_in_kind_of_own_share=50,
        cash_only=True,
    )


@pytest.fixture
def ficol(db):
    return CallFactory(
        funder=FunderFactory(name="Agence française de développement", acronym="AFD"),
        year=2026,
        min_amount="200000.00",
        max_amount="1500000.00",
        min_own_share=30,
    )


@pytest.fixture
def haiti_project(city_a):
    project = ProjectFactory(
        authority=city_a,
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
    )
    ProjectCountryFactory(project=project, country=CountryFactory(code="HT"))
    OdaEligibilityFactory(country_id="HT", year=2026, income_group="LDC")
    return project


def _plan(project, call, *, expenses, own, grant, own_in_kind="0", status="draft"):
    plan = FinancingPlanFactory(project=project, call=call, status=status)
    ExpenseLineFactory(plan=plan, amount=expenses)
    ResourceLineFactory(plan=plan, is_own=True, amount=own)
    if Decimal(own_in_kind):
        ResourceLineFactory(plan=plan, is_own=True, in_kind=True, amount=own_in_kind)
    ResourceLineFactory(plan=plan, is_own=False, funder=call.funder, amount=grant)
    return plan


def _codes(plan):
    return [check.code for check in plan_checks(plan, today=TODAY).checks]


def test_a_plan_within_the_calls_rules_passes(haiti_project, meae_call):
    plan = _plan(haiti_project, meae_call, expenses="100000.00", own="30000.00", grant="70000.00")
    assert _codes(plan) == []


def test_the_cap_of_the_country_class_blocks_with_its_figures(haiti_project, meae_call):
    plan = _plan(haiti_project, meae_call, expenses="100000.00", own="20000.00", grant="80000.00")
    checks = plan_checks(plan, today=TODAY)
    assert [c.code for c in checks.blocking] == ["above_cap"]
    message = checks.blocking[0].message
    assert "The amount asked of MEAE in this plan (80,000.00 EUR)" in message
    assert "at most 70.00 % for a least developed country" in message
    assert "70,000.00 EUR" in message and "10,000.00 EUR" in message
    assert checks.terms is not None and checks.terms.cap == Decimal(70)


def test_the_cap_follows_the_class_of_the_projects_country(city_a, meae_call):
    serbian = ProjectFactory(authority=city_a, planned_start=None, planned_end=None)
    ProjectCountryFactory(project=serbian, country=CountryFactory(code="RS"))
    OdaEligibilityFactory(country_id="RS", year=2026, income_group="UMIC")
    plan = _plan(serbian, meae_call, expenses="100000.00", own="40000.00", grant="60000.00")
    assert _codes(plan) == ["above_cap"]  # 60 % > 50 % for another ODA country


def test_own_share_and_its_in_kind_part(haiti_project, meae_call):
    low = _plan(haiti_project, meae_call, expenses="100000.00", own="5000.00", grant="70000.00")
    ResourceLineFactory(plan=low, is_own=False, funder=FunderFactory(), amount="25000.00")
    assert _codes(low) == ["own_share_low"]
    in_kind = _plan(
        haiti_project,
        meae_call,
        expenses="100000.00",
        own="4000.00",
        own_in_kind="6000.00",
        grant="70000.00",
    )
    ResourceLineFactory(plan=in_kind, is_own=False, funder=FunderFactory(), amount="20000.00")
    assert _codes(in_kind) == ["in_kind_high"]


def test_a_cash_only_call_refuses_its_grant_in_kind(haiti_project, meae_call):
    plan = _plan(haiti_project, meae_call, expenses="100000.00", own="30000.00", grant="60000.00")
    ResourceLineFactory(
        plan=plan, is_own=False, funder=meae_call.funder, amount="10000.00", in_kind=True
    )
    assert _codes(plan) == ["cash_only"]


def test_ficol_bounds(haiti_project, ficol):
    small = _plan(haiti_project, ficol, expenses="200000.00", own="60000.00", grant="140000.00")
    assert _codes(small) == ["below_min_amount"]
    big = _plan(haiti_project, ficol, expenses="3000000.00", own="1000000.00", grant="2000000.00")
    assert _codes(big) == ["above_max_amount"]


def test_a_multi_year_plan_without_years_blocks_and_with_years_splits(city_a, officer_a):
    project = ProjectFactory(
        authority=city_a,
        planned_start=datetime.date(2025, 3, 1),
        planned_end=datetime.date(2027, 6, 30),
    )
    plan = FinancingPlanFactory(project=project)
    ExpenseLineFactory(plan=plan, amount="90000.00")
    ResourceLineFactory(plan=plan, is_own=True, amount="90000.00")
    checks = plan_checks(plan)
    assert [c.code for c in checks.blocking] == ["years_missing"]
    assert "from 2025 to 2027" in checks.blocking[0].message
    with pytest.raises(ValidationError, match="no year"):
        financing_plan_set_status(
            plan=plan, status="adopted", user=officer_a, expected_version=plan.version
        )

    plan.expenses.update(year=2025, amount="30000.00")
    ExpenseLineFactory(plan=plan, amount="30000.00", year=2026)
    ExpenseLineFactory(plan=plan, amount="30000.00", year=2031)
    years = plan_years(plan)
    assert [(row.year, row.expenses) for row in years] == [
        (2025, Decimal("30000.00")),
        (2026, Decimal("30000.00")),
        (2031, Decimal("30000.00")),
        (None, Decimal("0.00")),
    ][: len(years)]
    assert [c.code for c in plan_checks(plan).checks] == ["year_outside"]  # a warning


def test_submitting_a_plan_over_the_cap_is_refused_then_accepted_once_fixed(
    haiti_project, meae_call, officer_a
):
    plan = _plan(haiti_project, meae_call, expenses="100000.00", own="20000.00", grant="80000.00")
    with pytest.raises(ValidationError) as refused:
        financing_plan_set_status(
            plan=plan, status="submitted", user=officer_a, expected_version=plan.version
        )
    assert "at most 70.00 %" in " ".join(refused.value.messages)
    assert FinancingPlan.objects.get(pk=plan.pk).status == "draft"

    grant = plan.resources.get(is_own=False)
    grant.amount = Decimal("70000.00")
    save_owned(grant, user=officer_a, expected_version=plan.version)
    own = plan.resources.get(is_own=True)
    own.amount = Decimal("30000.00")
    plan.refresh_from_db()
    save_owned(own, user=officer_a, expected_version=plan.version)
    plan.refresh_from_db()
    financing_plan_set_status(
        plan=plan, status="submitted", user=officer_a, expected_version=plan.version
    )
    assert FinancingPlan.objects.get(pk=plan.pk).status == "submitted"


def test_save_lines_refuses_adopting_over_the_cap_and_writes_nothing(
    haiti_project, meae_call, officer_a
):
    plan = FinancingPlanFactory(project=haiti_project, call=meae_call)
    plan.status = "adopted"
    with pytest.raises(ValidationError, match=r"at most 70\.00 %"):
        financing_plan_save_lines(
            plan=plan,
            user=officer_a,
            expenses=[{"label": "Pumps", "amount": "100000.00"}],
            resources=[
                {"is_own": True, "amount": "10000.00"},
                {"funder": meae_call.funder, "amount": "90000.00"},
            ],
            expected_version=plan.version,
        )
    stored = FinancingPlan.objects.get(pk=plan.pk)
    assert stored.status == "draft" and not stored.expenses.exists()


def test_a_plan_in_force_is_not_refused_for_a_later_change_of_its_calls_rules(
    haiti_project, meae_call, officer_a
):
    plan = _plan(haiti_project, meae_call, expenses="100000.00", own="30000.00", grant="70000.00")
    financing_plan_set_status(
        plan=plan, status="adopted", user=officer_a, expected_version=plan.version
    )
    meae_call.max_rate_ldc = 50
    meae_call.save()
    plan.title = "Plan voted in council"
    save_owned(plan, user=officer_a, expected_version=plan.version)  # no refusal
    assert "above_cap" in _codes(plan)  # still shown on the page


def test_a_line_of_a_yearly_plan_carries_its_year(haiti_project, officer_a):
    plan = FinancingPlanFactory(project=haiti_project, year=2026)
    line = ExpenseLineFactory.build(plan=plan, amount="100.00", year=2025, label="Trip")
    with pytest.raises(ValidationError, match="budget of 2026"):
        save_owned(line, user=officer_a, expected_version=plan.version)


def test_the_checks_cost_the_same_queries_whatever_the_lines(
    haiti_project, meae_call, django_assert_num_queries
):
    plan = _plan(haiti_project, meae_call, expenses="100000.00", own="30000.00", grant="70000.00")
    with django_assert_num_queries(13) as captured:
        plan_checks(plan, today=TODAY)
    for _n in range(20):
        ExpenseLineFactory(plan=plan, amount="10.00", year=2026)
        ResourceLineFactory(
            plan=plan, is_own=False, funder=meae_call.funder, amount="10.00", year=2026
        )
    with django_assert_num_queries(len(captured)):
        plan_checks(plan, today=TODAY)
