"""Template helpers of the workspace: multilingual text with its `lang`, amounts and long dates as
the reader's language writes them (3 870,40 €, 1er janvier 2026 in French), the language
switch."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jumelage.core import formats
from jumelage.core.i18n import pick

register = template.Library()


@register.simple_tag
def tr(value: dict[str, str] | None) -> SafeString:
    """A multilingual field in the reader's language, else another one marked with its `lang`
    (WCAG 3.1.2), so that a screen reader reads a Serbian title as Serbian."""
    text, lang = pick(value)
    if not text:
        return mark_safe("")
    attributes = formats.lang_attributes(lang)
    if not attributes:
        return escape(text)
    return mark_safe(f"<span{attributes}>{escape(text)}</span>")


@register.filter
def money(amount: Decimal | None, currency: str = "EUR") -> str:
    """An amount with its cents: 3 870,40 € in French, €3,870.40 in English."""
    return formats.money(amount, currency, places=2)


@register.filter(expects_localtime=True)
def long_date(value: datetime.date | None, format: str = "DATE_FORMAT") -> str:
    """A date (or a moment, in local time) written out in the reader's language: "1er janvier
    2026", "lundi 1er juin 2026" in French; a format's name or string as for `date`
    ("DATETIME_FORMAT", "l j F Y")."""
    return formats.long_date(value, format)


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """Each interface language, with the address of this same page in it."""
    return formats.language_links(context["request"].get_full_path())


@register.filter
def number(value: Decimal | None, places: int = 2) -> str:
    """A number in the reader's language (1,5 in French), or a dash when there is none (a
    leverage without own money)."""
    if value is None:
        return "–"  # noqa: RUF001 - a dash, on purpose
    return number_format(
        Decimal(value), decimal_pos=int(places), use_l10n=True, force_grouping=True
    )


@register.filter
def percent(value: Decimal | None) -> str:
    """A percentage as the reader's language writes it: 30,5 % in French, 30.5% in English."""
    if value is None:
        return "–"  # noqa: RUF001
    return formats.with_percent_sign(number_format(Decimal(value).normalize(), use_l10n=True))


@register.filter
def lookup(mapping: dict[str, str], key: Any) -> str:
    """`mapping[key]`, or the key itself (a code without a known name)."""
    return mapping.get(str(key), str(key))


@register.filter
def quantity(value: Decimal | None) -> str:
    """A quantity without useless zeros, in the reader's language (10, 2,5)."""
    if value is None:
        return "–"  # noqa: RUF001
    return number_format(Decimal(value).normalize(), use_l10n=True, force_grouping=True)


@register.filter
def whole_money(amount: Decimal | None, currency: str = "EUR") -> str:
    """An amount rounded to the unit, as a council's report writes it: 12 000 € in French."""
    return formats.money(amount, currency, places=0)


@register.filter
def month_name(number: int | None) -> str:
    """A month's name in the reader's language (3: mars, March)."""
    from django.utils.dates import MONTHS

    return str(MONTHS.get(number or 0, ""))


@register.filter
def language_name(code: str) -> str:
    """A language's name in the reader's language ("es": espagnol, Spanish)."""
    from django.utils.translation import get_language_info

    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
