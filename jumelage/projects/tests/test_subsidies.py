"""A subsidy above 23 000 € needs a signed convention (circular of 24 May 2018)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jumelage.agreements.models import Agreement
from jumelage.agreements.tests.factories import AgreementFactory
from jumelage.core.services import save_owned
from jumelage.core.tests.factories import ExchangeRateFactory
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.projects.models import Transaction
from jumelage.projects.tests.factories import ProjectFactory


@pytest.fixture
def project(city_a):
    return ProjectFactory(authority=city_a)


def _subsidy(project, amount, currency="EUR", **fields):
    return Transaction(
        project=project,
        transaction_type="3",
        date=datetime.date(2025, 6, 2),
        amount=Decimal(amount),
        currency=currency,
        is_subsidy=True,
        **fields,
    )


def _agreement(city_a, **fields):
    return AgreementFactory(partnership=PartnershipFactory(authority=city_a), **fields)


def test_a_subsidy_of_23000_euros_or_less_needs_no_convention(project, officer_a):
    save_owned(_subsidy(project, "23000.00"), user=officer_a)
    assert Transaction.objects.count() == 1


@pytest.mark.usefixtures("french")
def test_a_subsidy_above_23000_euros_without_convention_is_refused(project, officer_a):
    with pytest.raises(ValidationError) as refused:
        save_owned(_subsidy(project, "23000.01"), user=officer_a)
    message = refused.value.message_dict["agreement"][0]
    assert "24 mai 2018" in message  # the circular, named in the message
    assert "23\u00a0000,01 EUR" in message
    assert not Transaction.objects.exists()


def test_a_payment_that_is_not_a_subsidy_needs_no_convention(project, officer_a):
    transaction = _subsidy(project, "90000.00")
    transaction.is_subsidy = False
    save_owned(transaction, user=officer_a)


def test_a_signed_or_in_force_convention_allows_a_large_subsidy(project, officer_a, city_a):
    for traits in ({"signed": True}, {"in_force": True}):
        convention = _agreement(city_a, **traits)
        save_owned(_subsidy(project, "50000.00", agreement=convention), user=officer_a)
    assert Transaction.objects.count() == 2


def test_a_draft_convention_does_not_allow_a_large_subsidy(project, officer_a, city_a):
    draft = _agreement(city_a)
    with pytest.raises(ValidationError, match="signed or in force"):
        save_owned(_subsidy(project, "50000.00", agreement=draft), user=officer_a)


def test_a_twinning_oath_is_not_a_convention(project, officer_a, city_a):
    oath = _agreement(city_a, kind=Agreement.Kind.TWINNING_OATH, signed=True)
    with pytest.raises(ValidationError, match="twinning oath"):
        save_owned(_subsidy(project, "50000.00", agreement=oath), user=officer_a)


def test_a_foreign_currency_subsidy_is_compared_in_euros_at_the_value_date(project, officer_a):
    # 1 EUR = 1.25 USD on the value date: 28 000 USD is 22 400 EUR, under the threshold...
    ExchangeRateFactory(currency="USD", date=datetime.date(2025, 6, 1), rate="1.25")
    save_owned(
        _subsidy(project, "28000.00", "USD", value_date=datetime.date(2025, 6, 1)),
        user=officer_a,
    )
    # ...but at 1.10 (the rate of the transaction date), 28 000 USD is 25 454.55 EUR.
    ExchangeRateFactory(currency="USD", date=datetime.date(2025, 6, 2), rate="1.10")
    with pytest.raises(ValidationError, match="needs a convention"):
        save_owned(_subsidy(project, "28000.00", "USD"), user=officer_a)


def test_a_foreign_currency_subsidy_without_rate_says_to_add_one(project, officer_a):
    with pytest.raises(ValidationError) as refused:
        save_owned(_subsidy(project, "100.00", "XOF"), user=officer_a)
    assert "no exchange rate for XOF" in refused.value.message_dict["value_date"][0]


def test_a_convention_of_another_authority_is_refused(project, officer_a, city_b):
    theirs = _agreement(city_b, signed=True)
    with pytest.raises(ValidationError):
        save_owned(_subsidy(project, "50000.00", agreement=theirs), user=officer_a)
    assert not Transaction.objects.exists()
