"""Reads on reference data: exchange rates and conversion into the reporting currency, and the
OECD DAC list of ODA recipients."""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jumelage.core.exchange_rates import fixed_rate
from jumelage.core.models import Country, ExchangeRate, OdaEligibility
from jumelage.core.money import CENT

# --- Exchange rates ----------------------------------------------------------------------------


class MissingExchangeRate(ValidationError):
    """No rate of the currency on or before the value date: the amount cannot be converted."""

    def __init__(self, currency: str, on: datetime.date) -> None:
        self.currency = currency
        self.on = on
        super().__init__(
            _(
                "There is no exchange rate for %(currency)s on or before %(date)s, so the amount "
                "cannot be converted into %(reporting)s. An officer of the authority can record "
                "the rate with its source, or give the euro amount the treasury paid, from the "
                "payment's line: in the workspace's payments or under “To fix” in the ODA "
                "declaration."
            ),
            code="missing_exchange_rate",
            params={
                "currency": currency,
                "date": date_format(on, "SHORT_DATE_FORMAT"),
                "reporting": settings.REPORTING_CURRENCY,
            },
        )


def _day(on: datetime.date) -> datetime.date:
    # A datetime is a date too; the rate of its calendar day is the one that applies.
    return on.date() if isinstance(on, datetime.datetime) else on


def _decimal(amount: Decimal | int | str) -> Decimal:
    if isinstance(amount, float):
        # A float already lost the cents (0.1 + 0.2): money comes as Decimal, int or str.
        raise TypeError("Pass money as Decimal, int or str, not float.")
    return amount if isinstance(amount, Decimal) else Decimal(amount)


def _convert(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)


def exchange_rate(currency: str, on: datetime.date) -> Decimal:
    """How many units of `currency` one unit of the reporting currency bought on `on`: the
    latest rate published on or before that day (the ECB publishes none on weekends)."""
    currency = currency.upper()
    if currency == settings.REPORTING_CURRENCY:
        return Decimal(1)
    day = _day(on)
    fixed = fixed_rate(currency, day)
    if fixed is not None:
        return fixed  # a currency fixed to the euro by law (core.exchange_rates.EURO_PEGS)
    rate = (
        ExchangeRate.objects.filter(currency=currency, date__lte=day)
        .order_by("-date")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        raise MissingExchangeRate(currency, day)
    return rate


def to_reporting_currency(amount: Decimal | int | str, currency: str, on: datetime.date) -> Decimal:
    """The amount in the reporting currency at the value date, rounded to the cent."""
    value = _decimal(amount)
    if currency.upper() == settings.REPORTING_CURRENCY:
        return value.quantize(CENT, rounding=ROUND_HALF_UP)
    return _convert(value, exchange_rate(currency, on))


class RateBook:
    """The rates of a set of currencies, read in one query, to convert many amounts.

    Usage: `book = RateBook({"USD", "XOF"})`, then `book.to_reporting_currency(amount, "USD",
    value_date)` for each amount, with no further query.

    `until` leaves out the rates published after that day (they are never needed for amounts
    dated before it). A currency that was not named is read on first use, in one more query.
    """

    def __init__(self, currencies: Iterable[str], *, until: datetime.date | None = None) -> None:
        self.until = _day(until) if until is not None else None
        self._dates: dict[str, list[datetime.date]] = {}
        self._rates: dict[str, list[Decimal]] = {}
        self._load({c.upper() for c in currencies} - {settings.REPORTING_CURRENCY})

    def _load(self, currencies: set[str]) -> None:
        if not currencies:
            return
        for currency in currencies:
            self._dates[currency], self._rates[currency] = [], []
        rows = ExchangeRate.objects.filter(currency__in=currencies)
        if self.until is not None:
            rows = rows.filter(date__lte=self.until)
        for currency, day, rate in rows.order_by("currency", "date").values_list(
            "currency", "date", "rate"
        ):
            self._dates[currency].append(day)
            self._rates[currency].append(rate)

    def rate(self, currency: str, on: datetime.date) -> Decimal:
        """Like `exchange_rate`, from the preloaded rates."""
        currency = currency.upper()
        if currency == settings.REPORTING_CURRENCY:
            return Decimal(1)
        day = _day(on)
        if self.until is not None and day > self.until:
            raise ValueError(f"This book holds no rates after {self.until}; asked for {day}.")
        fixed = fixed_rate(currency, day)
        if fixed is not None:
            return fixed
        if currency not in self._dates:
            self._load({currency})
        index = bisect_right(self._dates[currency], day)
        if index == 0:
            raise MissingExchangeRate(currency, day)
        return self._rates[currency][index - 1]

    def to_reporting_currency(
        self, amount: Decimal | int | str, currency: str, on: datetime.date
    ) -> Decimal:
        """Like the function `to_reporting_currency`, without a query."""
        value = _decimal(amount)
        if currency.upper() == settings.REPORTING_CURRENCY:
            return value.quantize(CENT, rounding=ROUND_HALF_UP)
        return _convert(value, self.rate(currency, on))

    def to_euros(self, amount: Decimal | int | str, currency: str, on: datetime.date) -> Decimal:
        """The amount in euros at `on` without a query (legal thresholds and the e-APD are in
        euros whatever the reporting currency: through that currency's rates when it is not
        the euro)."""
        value = _decimal(amount)
        if currency.upper() == "EUR":
            return value.quantize(CENT, rounding=ROUND_HALF_UP)
        if settings.REPORTING_CURRENCY == "EUR":
            return self.to_reporting_currency(value, currency, on)
        return (value * self.rate("EUR", on) / self.rate(currency, on)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )


# --- The OECD DAC list of ODA recipients ------------------------------------------------------


class OdaListMissing(ValidationError):
    """The DAC list for a year is not loaded: eligibility cannot be told for that year."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _(
                "The OECD DAC list of ODA recipients for %(year)s flows is not loaded, so ODA "
                "eligibility cannot be checked for that year. Add the year to "
                "jumelage/core/reference/oda_recipients.csv from the OECD's published list, then "
                "run manage.py load_reference."
            ),
            code="oda_list_missing",
            params={"year": year},
        )


def _check_year_loaded(year: int) -> None:
    if not OdaEligibility.objects.filter(year=year).exists():
        raise OdaListMissing(year)


def oda_income_group(country_code: str, year: int) -> str | None:
    """The country's group on the DAC list for flows of `year` (an OdaIncomeGroup value), or
    None if it is not an ODA recipient that year. Raises OdaListMissing for a year not loaded."""
    group = (
        OdaEligibility.objects.filter(country_id=country_code.upper(), year=year)
        .values_list("income_group", flat=True)
        .first()
    )
    if group is None:
        _check_year_loaded(year)
    return group


def is_oda_eligible(country_code: str, year: int) -> bool:
    """Whether the country is on the DAC list of ODA recipients for flows of `year`.

    Raises OdaListMissing when no list is loaded for that year, rather than answer "no" for
    every country (the ODA declaration would then silently drop everything).
    """
    return oda_income_group(country_code, year) is not None


def oda_eligible_countries(year: int) -> QuerySet[Country]:
    """The countries on the DAC list of ODA recipients for flows of `year`."""
    _check_year_loaded(year)
    return Country.objects.filter(oda_eligibility__year=year)
