"""Financing plans: the summary (totals, shares, leverage), the balance rule, the bulk write."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.audit.models import AuditEntry
from jumelage.projects.models import ExpenseLine, FinancingPlan, ResourceLine
from jumelage.projects.selectors import financing_plan_summary, plans_with_totals, summary_of
from jumelage.projects.services import financing_plan_save_lines
from jumelage.projects.tests.factories import (
    ExpenseLineFactory,
    FinancingPlanFactory,
    FunderFactory,
    ProjectFactory,
    ResourceLineFactory,
)
from jumelage.tenancy.services import ConcurrentEditError, save_owned


@pytest.fixture
def plan(city_a):
    return FinancingPlanFactory(project=ProjectFactory(authority=city_a))


def _fill(plan, *, expenses, resources):
    for amount, in_kind in expenses:
        ExpenseLineFactory(plan=plan, amount=amount, in_kind=in_kind)
    funder = FunderFactory(name="MEAE")
    for amount, is_own, in_kind, status in resources:
        ResourceLineFactory(
            plan=plan,
            amount=amount,
            is_own=is_own,
            funder=None if is_own else funder,
            in_kind=in_kind,
            status=status,
        )


def test_the_summary_gives_totals_shares_and_leverage(plan):
    _fill(
        plan,
        expenses=[("80000.00", False), ("20000.00", True)],
        resources=[
            ("10000.00", True, False, "granted"),
            ("10000.00", True, True, "granted"),
            ("50000.00", False, False, "requested"),
            ("30000.00", False, False, "granted"),
            ("99999.00", False, False, "refused"),
        ],
    )
    summary = financing_plan_summary(plan)
    assert summary.total_expenses == Decimal("100000.00")
    assert summary.expenses_cash == Decimal("80000.00")
    assert summary.expenses_in_kind == Decimal("20000.00")
    # A refused resource finances nothing: it is kept apart.
    assert summary.total_resources == Decimal("100000.00")
    assert summary.refused == Decimal("99999.00")
    assert summary.own_contribution == Decimal("20000.00")
    assert summary.own_in_kind == Decimal("10000.00")
    assert summary.external_cofinancing == Decimal("80000.00")
    assert summary.resources_cash == Decimal("90000.00")
    assert summary.resources_in_kind == Decimal("10000.00")
    assert summary.leverage == Decimal("4.00")
    assert summary.own_share == Decimal("20.00")
    assert summary.in_kind_share == Decimal("10.00")
    assert summary.own_in_kind_share == Decimal("50.00")
    assert summary.balanced
    assert summary.gap == 0


def test_the_summary_shows_the_gap_of_an_unbalanced_plan(plan):
    _fill(plan, expenses=[("1000.00", False)], resources=[("400.00", True, False, "planned")])
    summary = financing_plan_summary(plan)
    assert not summary.balanced
    assert summary.gap == Decimal("600.00")
    assert summary.leverage == Decimal("0.00")


def test_the_summary_has_no_leverage_without_own_money(plan):
    _fill(plan, expenses=[("1000.00", False)], resources=[("1000.00", False, False, "granted")])
    assert financing_plan_summary(plan).leverage is None
    assert financing_plan_summary(FinancingPlan(project=plan.project)).total_expenses == 0


def test_the_summary_takes_one_query_whatever_the_number_of_lines(plan, django_assert_num_queries):
    _fill(
        plan, expenses=[("10.00", False)] * 20, resources=[("10.00", True, False, "planned")] * 20
    )
    with django_assert_num_queries(1):
        summary = financing_plan_summary(plan)
    assert summary.total_expenses == Decimal("200.00")


def test_plans_with_totals_summarises_a_list_in_one_query(city_a, django_assert_num_queries):
    for amount in ("100.00", "200.00", "300.00"):
        plan = FinancingPlanFactory(project=ProjectFactory(authority=city_a))
        _fill(plan, expenses=[(amount, False)], resources=[(amount, True, False, "planned")])
    with django_assert_num_queries(1):
        totals = sorted(summary_of(p).total_expenses for p in plans_with_totals())
    assert totals == [Decimal("100.00"), Decimal("200.00"), Decimal("300.00")]


# --- The balance rule ------------------------------------------------------------------------


@pytest.mark.usefixtures("french")
def test_it_refuses_to_submit_an_unbalanced_plan_giving_both_totals_and_the_gap(plan, officer_a):
    _fill(plan, expenses=[("1000.00", False)], resources=[("400.00", True, False, "planned")])
    plan.status = FinancingPlan.Status.SUBMITTED
    with pytest.raises(ValidationError) as refused:
        save_owned(plan, user=officer_a, expected_version=plan.version)
    message = " ".join(refused.value.message_dict["status"])
    # Amounts as the reader writes them (French by default).
    assert "1\u00a0000,00 EUR" in message
    assert "400,00 EUR" in message
    assert "600,00 EUR" in message
    plan.refresh_from_db()
    assert plan.status == FinancingPlan.Status.DRAFT


def test_it_refuses_to_adopt_an_empty_plan(plan, officer_a):
    plan.status = FinancingPlan.Status.ADOPTED
    with pytest.raises(ValidationError, match="without lines"):
        save_owned(plan, user=officer_a, expected_version=plan.version)


def test_it_submits_a_balanced_plan(plan, officer_a):
    _fill(plan, expenses=[("1000.00", False)], resources=[("1000.00", True, False, "planned")])
    plan.status = FinancingPlan.Status.SUBMITTED
    save_owned(plan, user=officer_a, expected_version=plan.version)
    plan.refresh_from_db()
    assert plan.status == FinancingPlan.Status.SUBMITTED


def test_a_draft_plan_may_be_unbalanced(plan, officer_a):
    save_owned(
        ExpenseLine(plan=plan, label="Mission", amount="500.00"),
        user=officer_a,
        expected_version=plan.version,
    )
    assert plan.expenses.count() == 1


def test_it_refuses_a_line_change_that_unbalances_a_submitted_plan(plan, officer_a):
    _fill(plan, expenses=[("1000.00", False)], resources=[("1000.00", True, False, "planned")])
    plan.status = FinancingPlan.Status.SUBMITTED
    save_owned(plan, user=officer_a, expected_version=plan.version)
    line = plan.expenses.get()
    line.amount = Decimal("1200.00")
    with pytest.raises(ValidationError, match="must stay balanced"):
        save_owned(line, user=officer_a, expected_version=plan.version)
    with pytest.raises(ValidationError, match="must stay balanced"):
        save_owned(
            ExpenseLine(plan=plan, label="More", amount="1.00"),
            user=officer_a,
            expected_version=plan.version,
        )
    line.refresh_from_db()
    assert line.amount == Decimal("1000.00")


def test_it_refuses_moving_a_line_to_another_plan(plan, officer_a):
    line = ExpenseLineFactory(plan=plan)
    other = FinancingPlanFactory(project=plan.project)
    line.plan = other
    with pytest.raises(ValidationError, match="cannot be moved"):
        save_owned(line, user=officer_a, expected_version=plan.version)


# --- The bulk write --------------------------------------------------------------------------


def test_save_lines_replaces_the_lines_and_records_each_change(plan, officer_a):
    kept = ExpenseLineFactory(plan=plan, label="Formation", amount="100.00")
    dropped = ExpenseLineFactory(plan=plan, label="Ancienne", amount="50.00")
    funder = FunderFactory(name="AFD")
    summary = financing_plan_save_lines(
        plan=plan,
        user=officer_a,
        expenses=[
            {"id": kept.pk, "amount": Decimal("300.00")},
            {"label": "Mission", "category": "travel", "amount": Decimal("700.00")},
        ],
        resources=[
            {"is_own": True, "amount": Decimal("200.00"), "in_kind": True},
            {"funder": funder, "amount": Decimal("800.00"), "status": "requested"},
        ],
        expected_version=plan.version,
    )
    assert summary.total_expenses == Decimal("1000.00")
    assert summary.balanced
    assert summary.leverage == Decimal("4.00")
    assert not ExpenseLine.objects.filter(pk=dropped.pk).exists()
    assert sorted(plan.expenses.values_list("label", flat=True)) == ["Formation", "Mission"]
    actions = sorted(
        AuditEntry.objects.filter(model__endswith="line").values_list("action", flat=True)
    )
    assert actions == ["create", "create", "create", "delete", "update"]


def test_save_lines_submits_a_plan_and_balances_it_in_one_go(plan, officer_a):
    ExpenseLineFactory(plan=plan, amount="1000.00")
    ResourceLineFactory(plan=plan, amount="400.00")
    plan.status = FinancingPlan.Status.SUBMITTED
    financing_plan_save_lines(
        plan=plan,
        user=officer_a,
        expenses=list(plan.expenses.all()),
        resources=[*plan.resources.all(), {"is_own": True, "amount": Decimal("600.00")}],
        expected_version=plan.version,
    )
    plan.refresh_from_db()
    assert plan.status == FinancingPlan.Status.SUBMITTED
    assert plan.version == 1


def test_save_lines_changes_both_sides_of_a_submitted_plan_together(plan, officer_a):
    expense = ExpenseLineFactory(plan=plan, amount="1000.00")
    resource = ResourceLineFactory(plan=plan, amount="1000.00")
    plan.status = FinancingPlan.Status.SUBMITTED
    save_owned(plan, user=officer_a, expected_version=plan.version)
    financing_plan_save_lines(
        plan=plan,
        user=officer_a,
        expenses=[{"id": expense.pk, "amount": Decimal("1500.00")}],
        resources=[{"id": resource.pk, "amount": Decimal("1500.00")}],
        expected_version=plan.version,
    )
    assert financing_plan_summary(plan).total_resources == Decimal("1500.00")


@pytest.mark.usefixtures("french")
def test_save_lines_writes_nothing_when_a_submitted_plan_would_not_balance(plan, officer_a):
    expense = ExpenseLineFactory(plan=plan, amount="1000.00")
    resource = ResourceLineFactory(plan=plan, amount="1000.00")
    plan.status = FinancingPlan.Status.SUBMITTED
    save_owned(plan, user=officer_a, expected_version=plan.version)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="400,00 EUR"):
        financing_plan_save_lines(
            plan=plan,
            user=officer_a,
            expenses=[{"id": expense.pk, "amount": Decimal("1400.00")}],
            resources=[{"id": resource.pk}],
            expected_version=plan.version,
        )
    expense.refresh_from_db()
    assert expense.amount == Decimal("1000.00")
    assert AuditEntry.objects.count() == entries


def test_save_lines_refuses_a_line_of_another_plan_and_writes_nothing(plan, officer_a):
    other_line = ExpenseLineFactory(plan=FinancingPlanFactory(project=plan.project))
    with pytest.raises(ValidationError, match="not a line of this plan"):
        financing_plan_save_lines(
            plan=plan,
            user=officer_a,
            expenses=[{"label": "New", "amount": "10.00"}, {"id": other_line.pk, "amount": "1"}],
            resources=[],
            expected_version=plan.version,
        )
    with pytest.raises(ValidationError, match="not a line of this plan"):
        financing_plan_save_lines(
            plan=plan,
            user=officer_a,
            expenses=[other_line],
            resources=[],
            expected_version=plan.version,
        )
    other_line.refresh_from_db()
    assert other_line.amount == Decimal("10000.00")
    assert not plan.expenses.exists()


def test_save_lines_says_which_line_is_wrong(plan, officer_a):
    with pytest.raises(ValidationError, match="Resource line 1"):
        financing_plan_save_lines(
            plan=plan,
            user=officer_a,
            expenses=[],
            resources=[{"amount": "10.00"}],
            expected_version=plan.version,
        )
    assert not ResourceLine.objects.exists()


def test_save_lines_refuses_a_stale_page(plan, officer_a):
    plan.title = "Plan 2026"
    save_owned(plan, user=officer_a, expected_version=plan.version)
    with pytest.raises(ConcurrentEditError):
        financing_plan_save_lines(
            plan=plan,
            user=officer_a,
            expenses=[{"label": "New", "amount": "10.00"}],
            resources=[],
            expected_version=0,
        )
    assert not plan.expenses.exists()


def test_save_lines_refuses_another_authority_and_a_contributor(plan, officer_b, contributor_a):
    for user in (officer_b, contributor_a):
        with pytest.raises(PermissionDenied):
            financing_plan_save_lines(
                plan=plan,
                user=user,
                expenses=[{"label": "X", "amount": "1.00"}],
                resources=[],
                expected_version=plan.version,
            )
    assert not plan.expenses.exists()


def test_save_lines_creates_a_plan_with_its_lines(city_a, officer_a):
    plan = FinancingPlan(project=ProjectFactory(authority=city_a), status="adopted")
    financing_plan_save_lines(
        plan=plan,
        user=officer_a,
        expenses=[{"label": "Travaux", "amount": "5000.00"}],
        resources=[{"is_own": True, "amount": "5000.00"}],
        expected_version=None,
    )
    assert FinancingPlan.objects.get(pk=plan.pk).status == "adopted"


def test_deleting_a_line_of_an_adopted_plan_is_refused_when_it_unbalances_it(officer_a, city_a):
    from jumelage.tenancy.services import delete_owned

    plan = FinancingPlanFactory(project=ProjectFactory(authority=city_a), status="adopted")
    line = ExpenseLineFactory(plan=plan, amount="10000.00")
    ResourceLineFactory(plan=plan, amount="10000.00")
    with pytest.raises(ValidationError, match="balance"):
        delete_owned(line, user=officer_a, expected_version=plan.version)
    assert ExpenseLine.objects.filter(pk=line.pk).exists()
    assert not AuditEntry.objects.filter(action="delete").exists()
