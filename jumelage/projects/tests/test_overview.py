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
    # Disbursements and expenditure in euros; the USD payment has no rate yet.
    assert (row.euros_spent, row.spent_without_euros) == (Decimal("500.00"), 1)
    assert row.other_currency_rows == 1  # the USD request
    assert row.next_report_due == datetime.date(2026, 5, 1)
    assert row.late_report_count == 1


def test_the_overview_of_a_quiet_project_has_zeros(city_a, officer_a):
    project = ProjectFactory(authority=city_a)
    row = projects_overview(user=officer_a, today=TODAY).get(pk=project.pk)
    assert (row.plan_count, row.euros_spent, row.next_report_due) == (0, Decimal(0), None)


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
    assert row.euros_spent == Decimal("125.00")


def test_the_money_spent_is_in_euros_the_treasury_paid_first_then_by_parity_then_by_rate(
    city_a, officer_a
):
    """What the list shows as spent follows `euros_paid` (projects.selectors): the euros paid
    when recorded, XOF at its fixed parity, USD at the rate of its value date; a payment in a
    currency without a rate is counted apart, not added as if it were euros."""
    from jumelage.core.tests.factories import ExchangeRateFactory
    from jumelage.projects.selectors import paid_in_euros

    ExchangeRateFactory(currency="USD", date=datetime.date(2025, 3, 1), rate=Decimal("1.25"))
    project = ProjectFactory(authority=city_a)
    payments = [
        TransactionFactory(
            project=project, amount="45000000.00", currency="XOF", amount_eur="68602.06"
        ),
        TransactionFactory(project=project, amount="6559570.00", currency="XOF"),
        TransactionFactory(
            project=project, amount="100.00", currency="USD", date=datetime.date(2025, 3, 4)
        ),
        TransactionFactory(project=project, amount="3870.40", currency="EUR"),
    ]
    TransactionFactory(project=project, amount="15000000.00", currency="GNF")

    row = projects_overview(user=officer_a, today=TODAY).get(pk=project.pk)

    for tx in payments:
        tx.refresh_from_db()
    expected = sum(paid_in_euros(tx) for tx in payments)
    assert expected == Decimal("68602.06") + Decimal("10000.00") + Decimal("80.00") + Decimal(
        "3870.40"
    )
    assert (row.euros_spent, row.spent_without_euros) == (expected, 1)


def test_each_project_s_euros_spent_and_payments_without_euros_are_its_own(
    city_a, city_b, officer_a
):
    """Projects side by side: one paid in CFA francs (fixed parity), one in dollars without a
    rate, one in euros, one without payments; another authority's payments count nowhere."""
    paid_in = {}
    for currency, amount in [("XOF", "6559570.00"), ("USD", "100.00"), ("EUR", "3870.40")]:
        paid_in[currency] = ProjectFactory(authority=city_a)
        TransactionFactory(project=paid_in[currency], amount=amount, currency=currency)
    unpaid = ProjectFactory(authority=city_a)
    TransactionFactory(project=ProjectFactory(authority=city_b), amount="50.00", currency="EUR")

    rows = {row.pk: row for row in projects_overview(user=officer_a, today=TODAY)}

    assert {pk: (row.euros_spent, row.spent_without_euros) for pk, row in rows.items()} == {
        paid_in["XOF"].pk: (Decimal("10000.00"), 0),
        paid_in["USD"].pk: (Decimal(0), 1),
        paid_in["EUR"].pk: (Decimal("3870.40"), 0),
        unpaid.pk: (Decimal(0), 0),
    }
