"""A subsidy above 23 000 € needs a signed convention (circular of 24 May 2018)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jumelage.agreements.models import Agreement
from jumelage.agreements.tests.factories import AgreementFactory
from jumelage.core.tests.factories import ExchangeRateFactory
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.projects.models import Transaction
from jumelage.projects.tests.factories import ProjectFactory
from jumelage.tenancy.services import save_owned


@pytest.fixture
def project(city_a):
    return ProjectFactory(authority=city_a)


def _subsidy(project, amount, currency="EUR", **fields):
    fields.setdefault("date", datetime.date(2025, 6, 2))
    fields.setdefault("transaction_type", "3")
    return Transaction(
        project=project, amount=Decimal(amount), currency=currency, is_subsidy=True, **fields
    )


def _agreement(city_a, **fields):
    return AgreementFactory(partnership=PartnershipFactory(authority=city_a), **fields)


def test_a_subsidy_of_23000_euros_or_less_needs_no_convention(project, officer_a):
    save_owned(_subsidy(project, "23000.00"), user=officer_a, expected_version=None)
    assert Transaction.objects.count() == 1


@pytest.mark.usefixtures("french")
def test_a_subsidy_above_23000_euros_without_convention_is_refused(project, officer_a):
    with pytest.raises(ValidationError) as refused:
        save_owned(_subsidy(project, "23000.01"), user=officer_a, expected_version=None)
    message = refused.value.message_dict["agreement"][0]
    assert "24 mai 2018" in message  # the circular, named in the message
    assert "23\u00a0000,01 EUR" in message
    assert not Transaction.objects.exists()


def test_a_payment_that_is_not_a_subsidy_needs_no_convention(project, officer_a):
    transaction = _subsidy(project, "90000.00")
    transaction.is_subsidy = False
    save_owned(transaction, user=officer_a, expected_version=transaction.version)


def test_a_signed_or_in_force_convention_allows_a_large_subsidy(project, officer_a, city_a):
    for traits in ({"signed": True}, {"in_force": True}):
        convention = _agreement(city_a, **traits)
        save_owned(
            _subsidy(project, "50000.00", agreement=convention),
            user=officer_a,
            expected_version=None,
        )
    assert Transaction.objects.count() == 2


def test_a_draft_convention_does_not_allow_a_large_subsidy(project, officer_a, city_a):
    draft = _agreement(city_a)
    with pytest.raises(ValidationError, match="signed or in force"):
        save_owned(
            _subsidy(project, "50000.00", agreement=draft), user=officer_a, expected_version=None
        )


def test_a_twinning_oath_is_not_a_convention(project, officer_a, city_a):
    oath = _agreement(city_a, kind=Agreement.Kind.TWINNING_OATH, signed=True)
    with pytest.raises(ValidationError, match="twinning oath"):
        save_owned(
            _subsidy(project, "50000.00", agreement=oath), user=officer_a, expected_version=None
        )


def test_a_foreign_currency_subsidy_is_compared_in_euros_at_the_value_date(project, officer_a):
    # 1 EUR = 1.25 USD on the value date: 28 000 USD is 22 400 EUR, under the threshold...
    ExchangeRateFactory(currency="USD", date=datetime.date(2025, 6, 1), rate="1.25")
    save_owned(
        _subsidy(project, "28000.00", "USD", value_date=datetime.date(2025, 6, 1)),
        user=officer_a,
        expected_version=None,
    )
    # ...but at 1.10 (the rate of the transaction date), 28 000 USD is 25 454.55 EUR.
    ExchangeRateFactory(currency="USD", date=datetime.date(2025, 6, 2), rate="1.10")
    with pytest.raises(ValidationError, match="needs a convention"):
        save_owned(_subsidy(project, "28000.00", "USD"), user=officer_a, expected_version=None)


def test_a_foreign_currency_subsidy_without_rate_says_to_add_one(project, officer_a):
    with pytest.raises(ValidationError) as refused:
        save_owned(_subsidy(project, "100.00", "GHS"), user=officer_a, expected_version=None)
    assert "no exchange rate for GHS" in refused.value.message_dict["value_date"][0]


def test_a_convention_of_another_authority_is_refused(project, officer_a, city_b):
    theirs = _agreement(city_b, signed=True)
    with pytest.raises(ValidationError):
        save_owned(
            _subsidy(project, "50000.00", agreement=theirs), user=officer_a, expected_version=None
        )
    assert not Transaction.objects.exists()


# --- The yearly amount per beneficiary (décret n° 2001-495 of 6 June 2001, art. 1) -----------


def _to(project, amount, receiver="Association des Amis du Cap", **fields):
    fields.setdefault("date", datetime.date(2025, 3, 1))
    return _subsidy(project, amount, receiver=receiver, **fields)


def test_payments_to_one_beneficiary_in_a_year_add_up_to_the_threshold(project, officer_a):
    save_owned(_to(project, "15000.00"), user=officer_a, expected_version=None)
    save_owned(
        _to(project, "8000.00", date=datetime.date(2025, 9, 1)),
        user=officer_a,
        expected_version=None,
    )
    with pytest.raises(ValidationError) as refused:
        save_owned(
            _to(
                project,
                "0.01",
                receiver=" association des amis du cap ",
                date=datetime.date(2025, 12, 1),
            ),
            user=officer_a,
            expected_version=None,
        )
    message = refused.value.message_dict["agreement"][0]
    assert (
        "The subsidies to association des amis du cap add up to more than 23,000.00 EUR" in message
    )
    assert "0.01 EUR, 23,000.01 EUR in 2025 with the other payments" in message
    assert Transaction.objects.count() == 2


def test_another_year_another_beneficiary_or_another_kind_of_payment_do_not_add_up(
    project, officer_a, city_b, officer_b
):
    save_owned(_to(project, "20000.00"), user=officer_a, expected_version=None)
    save_owned(
        _to(project, "20000.00", date=datetime.date(2026, 1, 5)),
        user=officer_a,
        expected_version=None,
    )
    save_owned(
        _to(project, "20000.00", receiver="Lycée de Kragujevac"),
        user=officer_a,
        expected_version=None,
    )
    save_owned(
        _to(project, "20000.00", transaction_type="2"), user=officer_a, expected_version=None
    )  # a commitment
    # Another authority's subsidies to the same association are its own.
    theirs = ProjectFactory(authority=city_b)
    save_owned(_to(theirs, "20000.00"), user=officer_b, expected_version=None)
    assert Transaction.objects.count() == 5


def test_a_beneficiary_with_an_iati_id_is_recognised_under_any_name(project, officer_a):
    save_owned(
        _to(project, "20000.00", receiver_org_id="HT-XX-123"), user=officer_a, expected_version=None
    )
    with pytest.raises(ValidationError, match="add up to more than"):
        save_owned(
            _to(project, "5000.00", receiver="AAC", receiver_org_id="ht-xx-123"),
            user=officer_a,
            expected_version=None,
        )


def test_editing_a_payment_does_not_count_it_twice(project, officer_a):
    payment = _to(project, "20000.00")
    save_owned(payment, user=officer_a, expected_version=payment.version)
    payment.amount = Decimal("22000.00")
    save_owned(payment, user=officer_a, expected_version=payment.version)
    assert Transaction.objects.get().amount == Decimal("22000.00")


def test_a_signed_convention_allows_the_payment_that_crosses_the_yearly_threshold(
    project, officer_a, city_a
):
    save_owned(_to(project, "20000.00"), user=officer_a, expected_version=None)
    convention = _agreement(city_a, signed=True)
    save_owned(_to(project, "5000.00", agreement=convention), user=officer_a, expected_version=None)
    draft = _agreement(city_a)
    with pytest.raises(ValidationError) as refused:
        save_owned(_to(project, "5000.00", agreement=draft), user=officer_a, expected_version=None)
    assert (
        "5,000.00 EUR, 30,000.00 EUR in 2025 with the other payments"
        in (refused.value.message_dict["agreement"][0])
    )
