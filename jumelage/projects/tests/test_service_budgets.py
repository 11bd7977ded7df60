"""The "1 %" laws: money a water, sanitation, energy, waste or mobility budget gives to
international action, within 1 % of that budget's resources, each budget and year apart."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jumelage.core.tests.factories import ExchangeRateFactory
from jumelage.projects.models import ServiceBudget, Transaction
from jumelage.projects.service_budgets import service_budgets_of_year
from jumelage.projects.tests.factories import (
    ProjectFactory,
    ServiceBudgetFactory,
    TransactionFactory,
)
from jumelage.tenancy.services import delete_owned, save_owned


@pytest.fixture
def water(city_a):
    # 1 % of 1 000 000.00 = 10 000.00
    return ServiceBudgetFactory(authority=city_a, year=2025, kind="water", resources="1000000.00")


@pytest.fixture
def project(city_a):
    return ProjectFactory(authority=city_a)


def take(user, project, budget, amount, *, kind="3", **fields):
    tx = Transaction(
        project=project,
        authority=project.authority,
        transaction_type=kind,
        date=fields.pop("date", datetime.date(2025, 5, 1)),
        amount=Decimal(amount),
        service_budget=budget,
        sector_code="14030",
        **fields,
    )
    return save_owned(tx, user=user, expected_version=tx.version)


def test_up_to_one_percent_of_the_budget_is_accepted_a_cent_more_is_refused(
    officer_a, project, water
):
    take(officer_a, project, water, "9999.99")
    take(officer_a, project, water, "0.01")  # exactly 10 000.00: equal passes
    with pytest.raises(ValidationError) as refused:
        take(officer_a, project, water, "0.01")
    message = refused.value.message_dict["service_budget"][0]
    assert "at most 1 % of its resources (1,000,000.00 EUR), that is 10,000.00 EUR" in message
    assert "it would give 10,000.01 EUR" in message
    assert Transaction.objects.filter(service_budget=water).count() == 2


def test_each_budget_has_its_own_ceiling(officer_a, project, water, city_a):
    sanitation = ServiceBudgetFactory(
        authority=city_a, year=2025, kind="sanitation", resources="500000.00"
    )
    take(officer_a, project, water, "10000.00")
    take(officer_a, project, sanitation, "5000.00")
    with pytest.raises(ValidationError):
        take(officer_a, project, sanitation, "0.01")


def test_a_payment_against_a_commitment_does_not_use_the_budget_twice(officer_a, project, water):
    take(officer_a, project, water, "8000.00", kind="2")  # commitment
    take(officer_a, project, water, "5000.00")  # paid against it
    take(officer_a, project, water, "3000.00", kind="7")  # a reimbursement, the rest of it
    [use] = service_budgets_of_year(water.authority_id, 2025)
    assert (use.committed, use.paid, use.used) == (
        Decimal("8000.00"),
        Decimal("8000.00"),
        Decimal("8000.00"),
    )
    # Payments beyond the commitment use the budget too.
    other = ProjectFactory(authority=project.authority)
    take(officer_a, other, water, "2000.00")
    with pytest.raises(ValidationError):
        take(officer_a, project, water, "2000.01")


def test_a_transaction_changed_is_counted_once_with_its_new_amount(officer_a, project, water):
    tx = take(officer_a, project, water, "9000.00")
    tx.amount = Decimal("10000.00")
    save_owned(tx, user=officer_a, expected_version=tx.version)
    tx.amount = Decimal("10000.01")
    with pytest.raises(ValidationError):
        save_owned(tx, user=officer_a, expected_version=tx.version)


def test_the_budget_must_be_of_the_transactions_year(officer_a, project, water):
    with pytest.raises(ValidationError) as refused:
        take(officer_a, project, water, "10.00", date=datetime.date(2026, 1, 2))
    assert "dated 2026 but the budget chosen is that of 2025" in str(refused.value)


def test_only_commitments_and_payments_are_taken_on_a_budget(officer_a, project, water):
    with pytest.raises(ValidationError, match="Only a commitment or a payment"):
        take(officer_a, project, water, "10.00", kind="1")


def test_amounts_in_another_currency_count_in_euros_at_their_date(officer_a, project, water):
    ExchangeRateFactory(currency="USD", date=datetime.date(2025, 1, 2), rate="1.25")
    take(officer_a, project, water, "12500.00", currency="USD")  # 10 000.00 EUR
    with pytest.raises(ValidationError):
        take(officer_a, project, water, "0.01")
    with pytest.raises(ValidationError, match="no exchange rate for GHS"):
        take(officer_a, project, water, "1.00", currency="GHS")


def test_a_budget_of_another_authority_is_refused(officer_b, city_b, water):
    other_project = ProjectFactory(authority=city_b)
    with pytest.raises(ValidationError) as refused:
        take(officer_b, other_project, water, "10.00")
    assert "service_budget" in refused.value.message_dict


def test_the_page_data_list_each_budget_with_its_ceiling_and_use_in_three_queries(
    officer_a, project, water, city_a, city_b, django_assert_num_queries
):
    ServiceBudgetFactory(authority=city_a, year=2025, kind="mobility", resources="123456.78")
    ServiceBudgetFactory(authority=city_a, year=2024, kind="water")
    ServiceBudgetFactory(authority=city_b, year=2025, kind="water")
    take(officer_a, project, water, "2500.00")
    ExchangeRateFactory(currency="USD", date=datetime.date(2025, 1, 2), rate="1.25")
    take(officer_a, project, water, "1250.00", currency="USD")
    with django_assert_num_queries(3):
        uses = service_budgets_of_year(city_a.pk, 2025)
    assert [(u.budget.kind, u.ceiling, u.used, u.left, u.is_over) for u in uses] == [
        ("mobility", Decimal("1234.56"), Decimal("0.00"), Decimal("1234.56"), False),
        ("water", Decimal("10000.00"), Decimal("3500.00"), Decimal("6500.00"), False),
    ]


def test_lowered_resources_show_the_budget_over_its_ceiling(officer_a, project, water):
    # The resources may be corrected (the compte administratif replaces the budget voted):
    # the save is accepted, and the page shows the overrun instead of hiding it.
    take(officer_a, project, water, "10000.00")
    water.resources = Decimal("900000.00")
    save_owned(water, user=officer_a, expected_version=water.version)
    [use] = service_budgets_of_year(water.authority_id, 2025)
    assert use.is_over and use.left == Decimal("-1000.00")


def test_a_budget_with_transactions_cannot_be_deleted(officer_a, project, water):
    take(officer_a, project, water, "10.00")
    with pytest.raises(ValidationError, match="1 transaction is taken on this budget"):
        delete_owned(water, user=officer_a, expected_version=water.version)
    assert ServiceBudget.objects.filter(pk=water.pk).exists()


def test_one_budget_per_service_and_year(officer_a, water, city_a):
    with pytest.raises(ValidationError, match="already has this service's budget"):
        save_owned(
            ServiceBudget(authority=city_a, year=2025, kind="water", resources=1),
            user=officer_a,
            expected_version=None,
        )


def test_a_transaction_on_no_budget_is_not_limited(officer_a, project, water):
    TransactionFactory(project=project, amount="50000.00")
    [use] = service_budgets_of_year(water.authority_id, 2025)
    assert use.used == Decimal("0.00")


# --- The services of the workspace's page ------------------------------------------------------


def test_two_pages_recording_the_same_budget_at_once_get_the_constraints_message(
    officer_a, water, city_a, monkeypatch
):
    # The check before the write passed for both (simulated: the model's check skipped), the
    # database's unique constraint stops the second: the same message, not a server error.
    from jumelage.projects.services import service_budget_save

    monkeypatch.setattr(ServiceBudget, "validate_constraints", lambda self, exclude=None: None)
    twin = ServiceBudget(authority=city_a, year=2025, kind="water", resources=Decimal(1))
    with pytest.raises(ValidationError, match="already has this service's budget"):
        service_budget_save(budget=twin, user=officer_a, expected_version=None)
    assert ServiceBudget.objects.filter(authority=city_a).count() == 1


def test_the_budget_services_refuse_a_viewer(viewer_a, water):
    from django.core.exceptions import PermissionDenied

    from jumelage.projects.services import service_budget_delete, service_budget_save

    water.resources = Decimal(5)
    with pytest.raises(PermissionDenied):
        service_budget_save(budget=water, user=viewer_a, expected_version=water.version)
    with pytest.raises(PermissionDenied):
        service_budget_delete(budget=water, user=viewer_a, expected_version=water.version)
    water.refresh_from_db()
    assert water.resources == Decimal("1000000.00")
