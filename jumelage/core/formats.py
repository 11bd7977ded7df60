"""How the faces write things in the reader's language: amounts (3 870,40 € in French, €3,870.40
in English), percentages (30 % / 30%), long dates ("1er janvier 2026" / "Jan. 1, 2026"), the
`lang` of a text in another language, the language switch. One place for the public site's and
the workspace's template tags."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.formats import date_format, get_format, number_format
from django.utils.html import escape
from django.utils.translation import get_language, get_language_info

# Scripts written right to left: a text in one of these languages gets dir="rtl".
RTL_LANGUAGES = {"ar", "he", "fa", "ur", "yi"}


def current_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def lang_attributes(lang: str) -> str:
    """` lang="sr"` (and ` dir="rtl"` where it applies) for a text not in the page's language
    (WCAG 3.1.2); nothing for the page's own."""
    if not lang or lang.split("-")[0] == current_language():
        return ""
    direction = ' dir="rtl"' if lang.split("-")[0] in RTL_LANGUAGES else ""
    return f' lang="{escape(lang)}"{direction}'


def money(amount: Decimal | None, currency: str = "EUR", *, places: int = 2) -> str:
    """An amount grouped as the reader's language does, the euro sign where it writes it;
    other currencies by their code (45 000 000,00 XOF)."""
    if amount is None:
        return ""
    number = grouped(amount, places=places)
    currency = (currency or "").upper()
    if currency == "EUR":
        return f"{number}\u00a0€" if current_language() == "fr" else f"€{number}"
    return f"{number}\u00a0{currency}"


def grouped(amount: Decimal | None, *, places: int = 2) -> str:
    """A number grouped as the reader's language does (3 870,40 in French), without a currency:
    for a line whose currency is its record's."""
    if amount is None:
        return ""
    step = Decimal(1).scaleb(-places)
    return number_format(
        Decimal(amount).quantize(step), decimal_pos=places, use_l10n=True, force_grouping=True
    )


def day(value: datetime.date | None) -> str:
    """A day as the reader's language writes it in short (12/05/2025 in French)."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def long_date(value: datetime.date | None, format: str = "DATE_FORMAT") -> str:
    """A day (or a moment, in local time) written out as the reader's language does:
    "1er janvier 2026", "lundi 1er juin 2026", "2 janvier 2026" in French, Django's own form
    in English. `format` is a Django format's name or string, as for the `date` filter
    ("DATETIME_FORMAT", "l j F Y"); an empty value (or anything but a date, as with the
    `date` filter) gives an empty text.

    French writes the first day of a month as an ordinal, "1er" (Imprimerie nationale's
    typographic rules, service-public.fr), in plain text so that it copies and reads aloud as
    written; the other days are cardinals.
    """
    if not isinstance(value, datetime.date):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    pattern = get_format(format)  # a format's name, else the format itself
    if value.day == 1 and current_language() == "fr":
        pattern = _first_day_as_ordinal(pattern)
    return date_format(value, pattern)


def _first_day_as_ordinal(pattern: str) -> str:
    """The format with its day of the month (`j`, not an escaped "\\j") followed by a literal
    "er"."""
    written = []
    escaped = False
    for char in pattern:
        written.append(char)
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "j":
            written.append("\\e\\r")
    return "".join(written)


def with_percent_sign(number: str) -> str:
    """30,5 % in French (a narrow no-break space before the sign), 30.5% in English."""
    return f"{number}\u00a0%" if current_language() == "fr" else f"{number}%"


def language_links(path: str) -> list[dict[str, Any]]:
    """Each interface language, with the address of this same page in it."""
    current = current_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"].capitalize(),
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return links
