"""The officer's list of projects: counts and totals in one query, own authorities only."""

import datetime
from decimal import Decimal

from jumelage.projects.models import Project
from jumelage.projects.selectors import projects_overview
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    ExpenseLineFactory,
    FinancingPlanFactory,
    ProjectFactory,
    ReportDueFactory,
    ResourceLineFactory,
    TransactionFactory,
)

TODAY = datetime.date(2026, 6, 1)


def _busy_project(authority):
    project = ProjectFactory(authority=authority)
    balanced = FinancingPlanFactory(project=project)
    ExpenseLineFactory(plan=balanced, amount="100.00")
    ResourceLineFactory(plan=balanced, amount="100.00")
    unbalanced = FinancingPlanFactory(project=project, year=2026)
    ExpenseLineFactory(plan=unbalanced, amount="100.00")
    granted = ApplicationFactory(
        project=project, amount_requested="1000.00", amount_granted="800.00", decision="granted"
    )
    ApplicationFactory(project=project, amount_requested="500.00", decision="submitted")
    ApplicationFactory(project=project, amount_requested="900.00", currency="USD")
    ReportDueFactory(application=granted, due_on=datetime.date(2026, 5, 1))
    ReportDueFactory(application=granted, due_on=datetime.date(2026, 7, 1))
    TransactionFactory(project=project, transaction_type="3", amount="300.00")
    TransactionFactory(project=project, transaction_type="4", amount="200.00")
    TransactionFactory(project=project, transaction_type="2", amount="5000.00")
    TransactionFactory(project=project, transaction_type="3", amount="50.00", currency="USD")
    return project


def test_the_overview_counts_and_sums_what_an_officer_follows(city_a, officer_a):
    project = _busy_project(city_a)
    row = projects_overview(user=officer_a, today=TODAY).get(pk=project.pk)
    assert row.plan_count == 2
    assert row.unbalanced_plan_count == 1
    assert row.application_count == 3
    assert row.pending_application_count == 2
    assert row.amount_requested == Decimal("1500.00")  # the USD request is counted apart
    assert row.amount_granted == Decimal("800.00")
    assert row.transaction_count == 4
    assert row.amount_spent == Decimal("500.00")  # disbursements and expenditure, in EUR
    assert row.other_currency_rows == 2
    assert row.next_report_due == datetime.date(2026, 5, 1)
    assert row.late_report_count == 1


def test_the_overview_of_a_quiet_project_has_zeros(city_a, officer_a):
    project = ProjectFactory(authority=city_a)
    row = projects_overview(user=officer_a, today=TODAY).get(pk=project.pk)
    assert (row.plan_count, row.amount_spent, row.next_report_due) == (0, Decimal(0), None)


def test_the_overview_takes_one_query_for_any_number_of_projects(
    city_a, officer_a, django_assert_num_queries
):
    for _ in range(5):
        _busy_project(city_a)
    with django_assert_num_queries(1):
        rows = list(projects_overview(user=officer_a, today=TODAY))
        names = [str(row.authority) for row in rows]
    assert len(rows) == 5
    assert set(names) == {"Ville A"}


def test_the_overview_shows_only_the_users_authorities(city_a, city_b, officer_a, officer_b):
    mine = _busy_project(city_a)
    theirs = _busy_project(city_b)
    assert list(projects_overview(user=officer_a).values_list("pk", flat=True)) == [mine.pk]
    assert list(projects_overview(user=officer_b).values_list("pk", flat=True)) == [theirs.pk]
    assert Project.objects.count() == 2


def test_a_reimbursement_counts_as_money_spent(city_a, officer_a):
    # IATI TransactionType 7: "a type of disbursement that covers funds that have already been
    # spent by the recipient".
    project = ProjectFactory(authority=city_a)
    TransactionFactory(project=project, transaction_type="3", amount="100.00")
    TransactionFactory(project=project, transaction_type="7", amount="25.00")
    row = projects_overview(user=officer_a, today=TODAY).get(pk=project.pk)
    assert row.amount_spent == Decimal("125.00")
