"""Currencies fixed to the euro convert at their legal parity, at any date, with no rate
recorded; a floating currency still needs its rate."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from jumelage.core.selectors import MissingExchangeRate, RateBook, exchange_rate
from jumelage.projects.selectors import in_currency, to_euros

DAY = datetime.date(2023, 5, 12)

IN_EUROS = [
    # (amount, currency, date, euros)
    ("45000000", "XOF", DAY, "68602.06"),  # 45 000 000 FCFA paid in Senegal
    ("45000000", "XAF", DAY, "68602.06"),  # ... or in Cameroon
    ("655957", "XOF", datetime.date(1999, 1, 4), "1000.00"),
    ("1000000", "XPF", DAY, "8380.00"),  # 1 000 XPF = 8.38 EUR exactly
    ("491967.75", "KMF", DAY, "1000.00"),
    ("110265", "CVE", DAY, "1000.00"),
    ("1955.83", "BAM", DAY, "1000.00"),
    ("24500", "STN", datetime.date(2019, 3, 1), "1000.00"),
    ("1955.83", "BGN", datetime.date(2025, 12, 31), "1000.00"),
    ("1955.83", "BGN", datetime.date(2026, 2, 1), "1000.00"),  # the conversion rate stays
]


@pytest.mark.django_db
@pytest.mark.parametrize(("amount", "currency", "on", "euros"), IN_EUROS)
def test_a_currency_fixed_to_the_euro_converts_without_a_rate_record(amount, currency, on, euros):
    assert to_euros(Decimal(amount), currency, on) == Decimal(euros)
    assert RateBook({currency}).to_reporting_currency(Decimal(amount), currency, on) == Decimal(
        euros
    )


@pytest.mark.django_db
def test_euros_convert_into_a_pegged_currency_and_one_pegged_currency_into_another():
    assert in_currency(Decimal("1000"), "EUR", "XOF", DAY) == Decimal("655957.00")
    assert in_currency(Decimal("655957"), "XOF", "XAF", DAY) == Decimal("655957.00")
    assert exchange_rate("xof", DAY) == Decimal("655.957")


@pytest.mark.django_db
def test_a_peg_applies_only_from_its_start_and_a_floating_currency_needs_its_rate():
    with pytest.raises(MissingExchangeRate):
        to_euros(Decimal("24500"), "STN", datetime.date(2017, 12, 31))  # the old dobra's time
    with pytest.raises(MissingExchangeRate):
        to_euros(Decimal("12000"), "HTG", DAY)
    with pytest.raises(MissingExchangeRate):
        RateBook({"RSD"}).to_reporting_currency(Decimal("30000"), "RSD", DAY)


@pytest.mark.django_db
def test_a_reporting_currency_fixed_to_the_euro_converts_euros_at_the_parity(settings):
    settings.REPORTING_CURRENCY = "XOF"
    assert exchange_rate("EUR", DAY) == 1 / Decimal("655.957")
    assert to_euros(Decimal("655957"), "XOF", DAY) == Decimal("1000.00")
