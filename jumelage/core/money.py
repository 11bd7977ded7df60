"""Money: a Decimal amount with its ISO 4217 currency, and conversion at the value date."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")

currency_validator = RegexValidator(
    r"^[A-Z]{3}$", _("Give the currency as its three-letter ISO code, for example EUR.")
)


def AmountField(verbose_name=None, **kwargs) -> models.DecimalField:
    """Amounts up to a thousand billion, to the cent."""
    kwargs.setdefault("max_digits", 15)
    kwargs.setdefault("decimal_places", 2)
    return models.DecimalField(verbose_name, **kwargs)


def CurrencyField(verbose_name=None, **kwargs) -> models.CharField:
    kwargs.setdefault("max_length", 3)
    kwargs.setdefault("default", "EUR")
    kwargs.setdefault("validators", [currency_validator])
    return models.CharField(verbose_name or _("currency"), **kwargs)


def PercentageField(verbose_name=None, **kwargs) -> models.DecimalField:
    kwargs.setdefault("max_digits", 5)
    kwargs.setdefault("decimal_places", 2)
    return models.DecimalField(verbose_name or _("percentage"), **kwargs)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = "EUR"

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"Cannot add {self.currency} and {other.currency}")
        return Money(self.amount + other.amount, self.currency)

    def rounded(self) -> Money:
        return Money(self.amount.quantize(CENT, rounding=ROUND_HALF_UP), self.currency)

    def __str__(self) -> str:
        return f"{self.amount:.2f} {self.currency}"


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """A ratio to two decimals, or None where the denominator is zero."""
    if not denominator:
        return None
    return (numerator / denominator).quantize(CENT, rounding=ROUND_HALF_UP)
