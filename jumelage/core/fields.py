"""Form fields that take what officers type, in their habits: "3 870,40 €", "45 000 000 FCFA",
"12/05/2025", "12 mai 2025", "14h30", a SIREN with spaces. Each reads through `core.values` (the
one place where typed text becomes a value, shared with the spreadsheet imports) and shows the
stored value back in the reader's format, so that a form sent again unchanged reads the same.

A value that cannot be read is a form error saying what to write instead, never a guess.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jumelage.core import values


class AmountInput(forms.TextInput):
    """A text box for an amount: a phone shows its number pad; a stored amount shows grouped
    in the reader's format (3 870,40)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            places = 0 if Decimal(value) == Decimal(value).to_integral() else 2
            text = number_format(
                Decimal(value), decimal_pos=places, use_l10n=True, force_grouping=True
            )
            if places == 0 and "," in text and get_format("DECIMAL_SEPARATOR") == ".":
                # In English "4,000" would read back as four with three decimals (a comma
                # alone is the French decimal mark): a whole amount shows its cents, 4,000.00.
                text = number_format(
                    Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True
                )
            return text
        return super().format_value(value)


class AmountField(forms.Field):
    """An amount as written: "3 870,40", "3 870,40 €", "1.234,56", "(1 200)".

    Cleans to a Decimal. When the text names a currency ("45 000 000 FCFA", "1 200 $"), it must be
    kept in `named_currency`, for the form to compare with its currency field or take from it.
    "FCFA" is XOF or XAF by the country: a form that knows the country sets `country` (an ISO
    code) before cleaning; without it, the officer is asked to write XOF or XAF.
    """

    widget = AmountInput
    default_error_messages = {
        "negative": _("Write a positive amount."),
        "too_many_places": _("Write at most %(places)s decimals."),
    }

    def __init__(
        self,
        *,
        allow_negative: bool = False,
        decimal_places: int = 2,
        max_digits: int = 15,
        **kwargs: Any,
    ) -> None:
        self.allow_negative = allow_negative
        self.decimal_places = decimal_places
        self.max_digits = max_digits
        self.named_currency: str | None = None
        self.country: str | None = None
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        self.named_currency = None
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, Decimal):
            return value
        try:
            found = values.amount(value, self.country)
        except values.CellProblem as problem:
            raise ValidationError(problem.message, code="invalid") from None
        self.named_currency = found.currency
        return found.value

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if value < 0 and not self.allow_negative:
            raise ValidationError(self.error_messages["negative"], code="negative")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            raise ValidationError(
                self.error_messages["too_many_places"],
                code="too_many_places",
                params={"places": self.decimal_places},
            )
        digits = len(value.quantize(Decimal(1).scaleb(-self.decimal_places)).as_tuple().digits)
        if digits > self.max_digits:
            raise ValidationError(_("This amount is too large."), code="max_digits")


class DayInput(forms.TextInput):
    """A text box for a day, shown as 12/05/2025 (or 05/12/2025 in English): officers type dates,
    a browser's date picker hides the format and reads badly with a screen reader."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "placeholder": _("dd/mm/yyyy"), **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return super().format_value(value)


class DayField(forms.Field):
    """A day as written: "12/05/2025", "12/05/25", "12 mai 2025", "2025-05-12"."""

    widget = DayInput

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return values.date(value)
        except values.CellProblem as problem:
            raise ValidationError(problem.message, code="invalid") from None


class TimeInput(forms.TextInput):
    """A text box for a time of day, shown as 14h30 in French and 14:30 in English."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "placeholder": _("hh:mm"), **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.time):
            french = (get_language() or "fr").split("-")[0] == "fr"
            return value.strftime("%Hh%M" if french else "%H:%M")
        return super().format_value(value)


class TimeOfDayField(forms.Field):
    """A time of day as written: "14h30", "14 h", "14:30", "2:30 pm"."""

    widget = TimeInput

    def to_python(self, value: Any) -> datetime.time | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return values.time_of_day(value)
        except values.CellProblem as problem:
            raise ValidationError(problem.message, code="invalid") from None


class PercentInput(forms.TextInput):
    """A text box for a share, shown in the reader's format (33,3)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            number = Decimal(value).normalize()
            places = max(0, -number.as_tuple().exponent)  # type: ignore[operator]
            return number_format(number, decimal_pos=places, use_l10n=True)
        return super().format_value(value)


class PercentField(forms.Field):
    """A percentage as written: "33,3", "33,3 %", "33.3%". Cleans to a Decimal of 0 to 100
    with at most two decimals (as PercentageField stores it)."""

    widget = PercentInput

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return values.percentage(value)
        except values.CellProblem as problem:
            raise ValidationError(problem.message, code="invalid") from None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if not Decimal(0) <= value <= Decimal(100):
            raise ValidationError(_("Write a percentage between 0 and 100."), code="range")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > 2:
            raise ValidationError(_("Write at most 2 decimals."), code="too_many_places")


class SirenInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        text = super().format_value(value)
        if text and text.isdigit() and len(text) == 9:
            return f"{text[:3]} {text[3:6]} {text[6:]}"
        return text


class SirenField(forms.Field):
    """A SIREN as written: "217 600 691", "217600691", or a SIRET (its first nine digits);
    checked with its key. Cleans to nine digits."""

    widget = SirenInput

    def to_python(self, value: Any) -> str:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return ""
        try:
            return values.siren(value)
        except values.CellProblem as problem:
            raise ValidationError(problem.message, code="invalid") from None


class IatiOrgIdField(forms.CharField):
    """An organisation's IATI id as typed ("fr-rcs-217 600 691"): spaces dropped, the prefix
    spelt as IATI's list does, checked as IATI defines it (core.iati.clean_org_id)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def to_python(self, value: Any) -> str:
        from jumelage.core.iati import clean_org_id

        return clean_org_id(super().to_python(value) or "")


class UsualFirstSelect(forms.Select):
    """A long code list (countries, DAC sectors, categories) with the usual choices first, in
    their own group, then every choice in order. The usual ones are a list of values given by the
    form (an authority's most used, or a list every officer starts from).

    A search box above the list (`core/js/search-select.js`, marked by `data-search-select`)
    filters the options as the officer types a word of a label or a code; without JavaScript the
    list works as a plain select, where typing a label's first letters moves to it.
    """

    def __init__(
        self, attrs: dict[str, Any] | None = None, choices: Any = (), usual: Any = ()
    ) -> None:
        search = {"data-search-select": "", "data-search-label": _("Search the list")}
        super().__init__({**search, **(attrs or {})}, choices)
        self.usual = list(usual)

    def optgroups(self, name: str, value: Any, attrs: dict[str, Any] | None = None) -> Any:
        groups = super().optgroups(name, value, attrs)
        if not self.usual:
            return groups
        wanted = {str(code) for code in self.usual}
        options = [option for _group, options, _index in groups for option in options]
        blank = [o for o in options if o["value"] in ("", None)]
        first = sorted(
            (o for o in options if str(o["value"]) in wanted),
            key=lambda o: [str(code) for code in self.usual].index(str(o["value"])),
        )
        rest = [o for o in options if o["value"] not in ("", None)]
        shown_selected = any(o["selected"] for o in first)
        usual_options = [dict(o, attrs=dict(o["attrs"])) for o in first]
        if shown_selected:
            # Selected once, in the usual group: a select shows one selected option.
            for option in rest:
                if option["selected"]:
                    option["selected"] = False
                    option["attrs"] = {k: v for k, v in option["attrs"].items() if k != "selected"}
        result: list[tuple[str | None, list[dict[str, Any]], int]] = []
        if blank:
            result.append((None, blank, 0))
        result.append((str(_("Usual choices")), usual_options, 1))
        result.append((str(_("All, in order")), rest, 2))
        return result
