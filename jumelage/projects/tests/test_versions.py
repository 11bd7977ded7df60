"""No lost update on projects: one version per record (a plan, a transaction, a result, an
indicator), checked on every save of the record or of any of its rows, moved on by each."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from jumelage.audit.models import AuditEntry
from jumelage.projects.models import ExpenseLine, FinancingPlan, IndicatorPeriod, Transaction
from jumelage.projects.services import financing_plan_save_lines
from jumelage.projects.tests.admin_helpers import errors_of, form_data
from jumelage.projects.tests.factories import (
    ExpenseLineFactory,
    FinancingPlanFactory,
    IndicatorFactory,
    IndicatorPeriodFactory,
    ProjectFactory,
    ResourceLineFactory,
    ResultFactory,
    TransactionFactory,
)
from jumelage.tenancy.services import ConcurrentEditError, delete_owned, save_owned

STALE = "Someone else changed this record while you were editing it."


@pytest.fixture
def plan(city_a):
    plan = FinancingPlanFactory(project=ProjectFactory(authority=city_a), title="Plan 2026")
    ExpenseLineFactory(plan=plan, label="Formation", amount="1000.00")
    ResourceLineFactory(plan=plan, amount="1000.00")
    return plan


# --- Plan lines --------------------------------------------------------------------------------


def test_changing_only_the_lines_of_a_plan_moves_its_version_on(plan, officer_a):
    line = plan.expenses.get()
    financing_plan_save_lines(
        plan=plan,
        user=officer_a,
        expenses=[{"id": line.pk, "amount": Decimal("1500.00")}],
        resources=list(plan.resources.all()),
        expected_version=0,
    )
    assert FinancingPlan.objects.get(pk=plan.pk).version == 1


def test_a_line_saved_from_a_stale_page_is_refused_and_writes_nothing(plan, officer_a):
    line = plan.expenses.get()
    line.amount = Decimal("1200.00")
    save_owned(line, user=officer_a, expected_version=0)  # a colleague: the plan is at 1
    stale = ExpenseLine.objects.get(pk=line.pk)
    stale.amount = Decimal("900.00")
    entries = AuditEntry.objects.count()

    with pytest.raises(ConcurrentEditError, match=STALE):
        save_owned(stale, user=officer_a, expected_version=0)
    with pytest.raises(ConcurrentEditError, match=STALE):
        save_owned(
            ExpenseLine(plan=plan, label="Mission", amount="5.00"),
            user=officer_a,
            expected_version=0,
        )
    with pytest.raises(ConcurrentEditError, match=STALE):
        delete_owned(stale, user=officer_a, expected_version=0)

    assert ExpenseLine.objects.get(pk=line.pk).amount == Decimal("1200.00")
    assert plan.expenses.count() == 1
    assert AuditEntry.objects.count() == entries
    assert FinancingPlan.objects.get(pk=plan.pk).version == 1


def test_a_stale_save_of_the_lines_puts_no_old_amount_back(plan, officer_a):
    line = plan.expenses.get()
    seen = plan.version
    financing_plan_save_lines(
        plan=FinancingPlan.objects.get(pk=plan.pk),
        user=officer_a,
        expenses=[{"id": line.pk, "amount": Decimal("1500.00")}],
        resources=[{"is_own": True, "amount": Decimal("1500.00")}],
        expected_version=seen,
    )
    with pytest.raises(ConcurrentEditError):
        financing_plan_save_lines(
            plan=plan,
            user=officer_a,
            expenses=[{"id": line.pk, "amount": Decimal("1000.00")}],
            resources=[{"is_own": True, "amount": Decimal("1000.00")}],
            expected_version=seen,
        )
    assert ExpenseLine.objects.get(pk=line.pk).amount == Decimal("1500.00")


def test_a_plan_saved_without_the_version_it_was_read_at_is_refused(plan, officer_a):
    plan.title = "Plan révisé"
    with pytest.raises(ConcurrentEditError, match=STALE):
        financing_plan_save_lines(
            plan=plan,
            user=officer_a,
            expenses=list(plan.expenses.all()),
            resources=list(plan.resources.all()),
            expected_version=None,
        )
    assert FinancingPlan.objects.get(pk=plan.pk).title == "Plan 2026"


def _plan_url(plan):
    return reverse("admin:projects_financingplan_change", args=[plan.pk])


def test_the_title_saved_from_a_page_opened_before_a_change_of_lines_is_refused(
    client, officer_a, plan
):
    """Page A is opened; page B changes an amount and saves; page A saves a new title. A is
    refused with the usual message, and B's amount stays (it used to be put back silently)."""
    client.force_login(officer_a)
    page_a = form_data(client.get(_plan_url(plan)))
    page_b = form_data(client.get(_plan_url(plan)))
    page_b["expenses-0-amount"] = "2500.00"
    page_b["resources-0-amount"] = "2500.00"
    response = client.post(_plan_url(plan), page_b)
    assert response.status_code == 302, errors_of(response)

    page_a["title"] = "Plan 2026, révisé"
    response = client.post(_plan_url(plan), page_a, follow=True)

    assert STALE in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Plan 2026"
    assert plan.expenses.get().amount == Decimal("2500.00")
    assert plan.resources.get().amount == Decimal("2500.00")


def test_a_fresh_page_saves_the_title_and_the_lines_in_one_version(client, officer_a, plan):
    client.force_login(officer_a)
    page = form_data(client.get(_plan_url(plan)))
    page["title"] = "Plan 2026, révisé"
    page["expenses-0-amount"] = "2500.00"
    page["resources-0-amount"] = "2500.00"
    response = client.post(_plan_url(plan), page)
    assert response.status_code == 302, errors_of(response)
    plan.refresh_from_db()
    assert (plan.title, plan.version) == ("Plan 2026, révisé", 1)
    assert plan.expenses.get().amount == Decimal("2500.00")


# --- Transactions, results, indicators: records of their own ----------------------------------


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (
            lambda city: TransactionFactory(project=ProjectFactory(authority=city)),
            "description",
            "x",
        ),
        (lambda city: ResultFactory(project=ProjectFactory(authority=city)), "type", "2"),
        (
            lambda city: IndicatorFactory(
                result=ResultFactory(project=ProjectFactory(authority=city))
            ),
            "baseline_year",
            2024,
        ),
    ],
    ids=["transaction", "result", "indicator"],
)
def test_a_record_saved_from_a_stale_page_is_refused_and_writes_nothing(
    officer_a, city_a, make, field, value
):
    record = make(city_a)
    model = type(record)
    colleague = model.objects.get(pk=record.pk)
    setattr(colleague, field, value)
    save_owned(colleague, user=officer_a, expected_version=0)
    assert model.objects.get(pk=record.pk).version == 1
    stale = model.objects.get(pk=record.pk)
    setattr(stale, field, getattr(record, field))  # what page A still shows

    with pytest.raises(ConcurrentEditError, match=STALE):
        save_owned(stale, user=officer_a, expected_version=0)

    assert getattr(model.objects.get(pk=record.pk), field) == value


def test_a_transaction_page_opened_before_a_colleagues_save_is_refused(client, officer_a, city_a):
    transaction = TransactionFactory(project=ProjectFactory(authority=city_a), amount="5000.00")
    url = reverse("admin:projects_transaction_change", args=[transaction.pk])
    client.force_login(officer_a)
    page_a = form_data(client.get(url))
    page_b = form_data(client.get(url))
    page_b["amount"] = "6000.00"
    response = client.post(url, page_b)
    assert response.status_code == 302, errors_of(response)

    page_a["description"] = "Versement à la mairie de Cap-Haïtien"
    response = client.post(url, page_a, follow=True)

    assert STALE in response.content.decode()
    transaction = Transaction.objects.get(pk=transaction.pk)
    assert transaction.amount == Decimal("6000.00")
    assert transaction.description == ""


# --- Indicator periods -----------------------------------------------------------------------


def test_an_indicator_period_saved_from_a_stale_page_is_refused_and_writes_nothing(
    officer_a, city_a
):
    indicator = IndicatorFactory(result=ResultFactory(project=ProjectFactory(authority=city_a)))
    period = IndicatorPeriodFactory(indicator=indicator, actual_value=None)
    colleague = IndicatorPeriod.objects.get(pk=period.pk)
    colleague.actual_value = Decimal("12")
    save_owned(colleague, user=officer_a, expected_version=indicator.version)
    assert type(indicator).objects.get(pk=indicator.pk).version == 1

    period.comment = "Objectif atteint"
    with pytest.raises(ConcurrentEditError, match=STALE):
        save_owned(period, user=officer_a, expected_version=0)
    with pytest.raises(ConcurrentEditError, match=STALE):
        delete_owned(period, user=officer_a, expected_version=0)

    stored = IndicatorPeriod.objects.get(pk=period.pk)
    assert (stored.actual_value, stored.comment) == (Decimal("12"), "")


# --- Concurrent saves, for real: threads, one connection each (PostgreSQL) -------------------


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_stale_saves_of_a_plan_leave_exactly_one_accepted(officer_a, city_a):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite locks the whole database for each write, so saves cannot run at once; "
            "CI runs this test on PostgreSQL."
        )
    plan = FinancingPlanFactory(project=ProjectFactory(authority=city_a))
    line = ExpenseLineFactory(plan=plan, amount="1000.00")
    seen = plan.version
    start = threading.Barrier(10)
    outcomes: list[str] = []

    def save(amount: int) -> None:
        try:
            start.wait()
            financing_plan_save_lines(
                plan=FinancingPlan.objects.get(pk=plan.pk),
                user=officer_a,
                expenses=[{"id": line.pk, "amount": Decimal(amount)}],
                resources=[],
                expected_version=seen,  # all ten pages were opened at the same version
            )
            outcomes.append("accepted")
        except ConcurrentEditError:
            outcomes.append("refused")
        except Exception as error:  # reported by the assertion below, not swallowed
            outcomes.append(repr(error))
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=save, args=(2000 + n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted"] + ["refused"] * 9
    plan.refresh_from_db()
    assert plan.version == seen + 1
    assert ExpenseLine.objects.get(pk=line.pk).amount != Decimal("1000.00")
