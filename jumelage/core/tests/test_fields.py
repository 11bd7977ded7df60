"""The workspace's form fields take what officers type and show values back in their format."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from jumelage.core.fields import (
    AmountField,
    AmountInput,
    DayField,
    PercentField,
    SirenField,
    UsualFirstSelect,
)


class Payment(forms.Form):
    amount = AmountField()
    day = DayField(required=False)
    siren = SirenField(required=False)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("3 870,40 €", Decimal("3870.40")),
        ("3\u202f870,40", Decimal("3870.40")),
        ("1.234,56", Decimal("1234.56")),
        ("45 000 000 XOF", Decimal("45000000")),
        ("1,234.56", Decimal("1234.56")),
    ],
)
def test_amounts_as_written(typed: str, stored: Decimal) -> None:
    form = Payment({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == stored


def test_the_currency_named_in_the_amount_is_kept() -> None:
    field = AmountField()
    assert field.clean("1 200 $") == Decimal("1200")
    assert field.named_currency == "USD"
    assert field.clean("1 200") == Decimal("1200")
    assert field.named_currency is None


def test_fcfa_is_read_by_the_country() -> None:
    field = AmountField()
    with pytest.raises(forms.ValidationError, match="XOF"):
        field.clean("45 000 000 FCFA")
    field.country = "SN"
    assert field.clean("45 000 000 FCFA") == Decimal("45000000")
    assert field.named_currency == "XOF"
    field.country = "CM"
    field.clean("45 000 000 FCFA")
    assert field.named_currency == "XAF"


@pytest.mark.parametrize("typed", ["trois mille", "12,3,4", "(1 200"])
def test_an_unreadable_amount_says_what_to_write(typed: str) -> None:
    with translation.override("fr"):
        form = Payment({"amount": typed})
        assert not form.is_valid()
        assert "3 870,40" in form.errors["amount"][0]


def test_negative_and_too_precise_amounts_are_refused() -> None:
    assert not Payment({"amount": "-5"}).is_valid()
    assert not Payment({"amount": "12,345"}).is_valid()  # three decimals, not a group
    assert Payment({"amount": "12,34"}).is_valid()


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("12/05/2025", datetime.date(2025, 5, 12)),
        ("12 mai 2025", datetime.date(2025, 5, 12)),
        ("2025-05-12", datetime.date(2025, 5, 12)),
    ],
)
def test_days_as_written(typed: str, day: datetime.date) -> None:
    form = Payment({"amount": "1", "day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == day


def test_a_period_is_not_a_day() -> None:
    form = Payment({"amount": "1", "day": "2019-2022"})
    assert not form.is_valid()


def test_siren_with_spaces_and_its_key() -> None:
    form = Payment({"amount": "1", "siren": "219 200 730"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["siren"] == "219200730"
    assert not Payment({"amount": "1", "siren": "219 200 731"}).is_valid()


def test_values_are_shown_back_in_the_readers_format() -> None:
    form = Payment(
        initial={
            "amount": Decimal("3870.40"),
            "day": datetime.date(2025, 5, 12),
            "siren": "219200730",
        }
    )
    with translation.override("fr"):
        html = str(form)
    assert "3\u202f870,40" in html or "3 870,40" in html or "3\xa0870,40" in html
    assert "12/05/2025" in html
    assert "219 200 730" in html


@pytest.mark.parametrize(("language", "whole"), [("en", "4,000.00"), ("fr", "4\u202f000")])
def test_a_whole_amount_shown_back_reads_the_same_when_sent_again(
    language: str, whole: str
) -> None:
    # "4,000" in English would read back as 4.000 (a comma alone is the French decimal mark).
    with translation.override(language):
        shown = AmountInput().format_value(Decimal("4000"))
        assert shown is not None
        assert shown.replace("\xa0", "\u202f") == whole
        assert AmountField().clean(shown) == Decimal("4000")
        assert AmountField().clean(AmountInput().format_value(Decimal("1405"))) == 1405


class Place(forms.Form):
    country = forms.ChoiceField(
        choices=[("", "---"), ("DE", "Germany"), ("HT", "Haiti"), ("RS", "Serbia")],
        widget=UsualFirstSelect(usual=["RS", "HT"]),
    )


def test_usual_choices_come_first_then_all_in_order() -> None:
    html = str(Place(initial={"country": "HT"})["country"])
    usual, everything = html.split("<optgroup")[1:3]
    assert usual.index('"RS"') < usual.index('"HT"') and '"DE"' not in usual
    assert everything.index('"DE"') < everything.index('"HT"') < everything.index('"RS"')
    assert html.count("selected") == 1 and 'value="HT" selected' in usual
    assert "data-search-select" in html


def test_a_usual_choice_is_sent_as_any_other() -> None:
    form = Place({"country": "RS"})
    assert form.is_valid() and form.cleaned_data["country"] == "RS"


class Share(forms.Form):
    share = PercentField(required=False)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("33,3", "33.3"), ("33,3 %", "33.3"), ("33.3%", "33.3"), ("100", "100"), ("0,25", "0.25")],
)
def test_a_percentage_reads_as_officers_write_it(typed: str, value: str) -> None:
    form = Share({"share": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["share"] == Decimal(value)


@pytest.mark.parametrize("typed", ["beaucoup", "120", "-5", "33,333"])
def test_a_percentage_that_cannot_be_read_or_is_out_of_range_is_refused(typed: str) -> None:
    form = Share({"share": typed})
    assert not form.is_valid()
    assert form.errors["share"]


def test_a_stored_percentage_shows_in_the_readers_format() -> None:
    with translation.override("fr"):
        assert 'value="33,3"' in str(Share(initial={"share": Decimal("33.30")})["share"])
