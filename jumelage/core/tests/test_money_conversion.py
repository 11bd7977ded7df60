"""Conversion into the reporting currency at the value date: exchange_rate, to_reporting_currency
and RateBook."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jumelage.core.selectors import (
    MissingExchangeRate,
    RateBook,
    exchange_rate,
    to_reporting_currency,
)
from jumelage.core.tests.factories import ExchangeRateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are asserted in English, the source language, whatever catalogs exist."""
    with translation.override("en"):
        yield


@pytest.fixture
def usd_rates():
    # Friday 1 March and Monday 4 March 2024: the ECB publishes nothing at weekends.
    ExchangeRateFactory(currency="USD", date=date(2024, 3, 1), rate=Decimal("1.0800"))
    ExchangeRateFactory(currency="USD", date=date(2024, 3, 4), rate=Decimal("1.0900"))
    ExchangeRateFactory(currency="USD", date=date(2024, 3, 5), rate=Decimal("2.0000"))


def test_it_uses_the_latest_rate_on_or_before_the_value_date(usd_rates):
    assert exchange_rate("USD", date(2024, 3, 1)) == Decimal("1.08")
    assert exchange_rate("USD", date(2024, 3, 3)) == Decimal("1.08")  # Sunday: Friday's rate
    assert exchange_rate("USD", date(2024, 3, 4)) == Decimal("1.09")
    assert exchange_rate("usd", datetime(2024, 3, 4, 23, 59)) == Decimal("1.09")


def test_it_converts_at_the_value_date_and_rounds_to_the_cent(usd_rates):
    assert to_reporting_currency(Decimal("108.00"), "USD", date(2024, 3, 2)) == Decimal("100.00")
    assert to_reporting_currency(Decimal("109.00"), "USD", date(2024, 3, 4)) == Decimal("100.00")
    assert to_reporting_currency("100", "USD", date(2024, 3, 4)) == Decimal("91.74")
    assert to_reporting_currency(Decimal("0.01"), "USD", date(2024, 3, 5)) == Decimal("0.01")


def test_the_reporting_currency_converts_to_itself_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert to_reporting_currency(Decimal("1234.50"), "EUR", date(2024, 3, 1)) == Decimal(
            "1234.50"
        )
        assert exchange_rate("EUR", date(1990, 1, 1)) == Decimal(1)


def test_another_reporting_currency_is_honoured(settings, usd_rates):
    settings.REPORTING_CURRENCY = "USD"
    assert to_reporting_currency(Decimal("10"), "USD", date(2000, 1, 1)) == Decimal("10.00")
    with pytest.raises(MissingExchangeRate):
        to_reporting_currency(Decimal("10"), "EUR", date(2024, 3, 1))


def test_a_missing_rate_raises_a_validation_error_saying_what_to_do(usd_rates):
    with pytest.raises(MissingExchangeRate) as raised:
        to_reporting_currency(Decimal("100"), "USD", date(2024, 2, 29))
    error = raised.value
    assert isinstance(error, ValidationError)
    assert (error.currency, error.on) == ("USD", date(2024, 2, 29))
    (message,) = error.messages
    assert "There is no exchange rate for USD on or before 02/29/2024" in message
    # What the officer can do themselves, where: not "ask an administrator".
    assert "An officer of the authority can record the rate" in message
    assert "“To fix” in the ODA declaration" in message
    with translation.override("fr"):
        (message,) = MissingExchangeRate("USD", date(2024, 2, 29)).messages
    assert "Un chargé de mission de la collectivité peut enregistrer le taux" in message
    assert "« À corriger » dans la déclaration APD" in message


def test_a_currency_without_any_rate_raises(usd_rates):
    with pytest.raises(MissingExchangeRate, match="GHS"):
        exchange_rate("GHS", date(2024, 3, 4))


def test_it_refuses_a_float_amount(usd_rates):
    with pytest.raises(TypeError):
        to_reporting_currency(108.0, "USD", date(2024, 3, 4))


def test_a_rate_book_reads_its_currencies_once_and_converts_like_the_selector(
    usd_rates, django_assert_num_queries
):
    ExchangeRateFactory(currency="XOF", date=date(2024, 1, 2), rate=Decimal("655.957"))
    with django_assert_num_queries(1):
        book = RateBook({"USD", "XOF", "EUR"})
    amounts = [
        (Decimal("108.00"), "USD", date(2024, 3, 2)),
        (Decimal("109.00"), "USD", date(2024, 3, 4)),
        (Decimal("100.00"), "USD", date(2024, 3, 31)),
        (Decimal("655957"), "XOF", date(2024, 6, 30)),
        (Decimal("12.34"), "EUR", date(2024, 6, 30)),
    ]
    with django_assert_num_queries(0):
        converted = [book.to_reporting_currency(*amount) for amount in amounts]
    assert converted == [Decimal(v) for v in ("100.00", "100.00", "50.00", "1000.00", "12.34")]
    assert converted == [to_reporting_currency(*amount) for amount in amounts]


def test_a_rate_book_raises_for_a_date_before_the_first_rate(usd_rates):
    book = RateBook(["USD"])
    with pytest.raises(MissingExchangeRate, match="USD"):
        book.rate("USD", date(2024, 2, 29))


def test_a_rate_book_reads_a_currency_it_was_not_given_on_first_use(
    usd_rates, django_assert_num_queries
):
    book = RateBook([])
    with django_assert_num_queries(1):
        assert book.rate("USD", date(2024, 3, 4)) == Decimal("1.09")
        assert book.rate("USD", date(2024, 3, 1)) == Decimal("1.08")


def test_a_rate_book_bounded_in_time_ignores_later_rates_and_refuses_later_dates(usd_rates):
    book = RateBook(["USD"], until=date(2024, 3, 4))
    assert book.rate("USD", date(2024, 3, 4)) == Decimal("1.09")
    with pytest.raises(ValueError, match="no rates after 2024-03-04"):
        book.rate("USD", date(2024, 3, 5))


def test_the_book_gives_euros_whatever_the_reporting_currency(settings, django_assert_num_queries):
    """The e-APD and legal thresholds are in euros: with the dollar as reporting currency, an
    amount in pounds goes through the dollar's rates of the euro and of the pound."""
    settings.REPORTING_CURRENCY = "USD"
    ExchangeRateFactory(currency="EUR", date=date(2024, 3, 1), rate=Decimal("0.5"))
    ExchangeRateFactory(currency="GBP", date=date(2024, 3, 1), rate=Decimal("0.4"))
    book = RateBook({"EUR", "GBP"})
    with django_assert_num_queries(0):
        # 100 GBP = 250 USD = 125 EUR
        assert book.to_euros(Decimal("100"), "GBP", date(2024, 3, 4)) == Decimal("125.00")
        assert book.to_euros("12.345", "EUR", date(2024, 3, 4)) == Decimal("12.35")


def test_the_book_gives_euros_through_the_reporting_rates_when_it_is_the_euro(usd_rates):
    book = RateBook({"USD"})
    assert book.to_euros(Decimal("108.00"), "USD", date(2024, 3, 2)) == Decimal("100.00")
