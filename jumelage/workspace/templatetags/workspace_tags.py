"""Template helpers of the workspace: multilingual text with its `lang`, amounts as the reader's
language writes them (3 870,40 € in French), the language switch."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

from jumelage.core.i18n import pick

register = template.Library()

RTL_LANGUAGES = {"ar", "he", "fa", "ur", "yi"}


def _current() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@register.simple_tag
def tr(value: dict[str, str] | None) -> SafeString:
    """A multilingual field in the reader's language, else another one marked with its `lang`
    (WCAG 3.1.2), so that a screen reader reads a Serbian title as Serbian."""
    text, lang = pick(value)
    if not text:
        return mark_safe("")
    if not lang or lang.split("-")[0] == _current():
        return escape(text)
    direction = "rtl" if lang.split("-")[0] in RTL_LANGUAGES else "ltr"
    return format_html('<span lang="{}" dir="{}">{}</span>', lang, direction, text)


@register.filter
def money(amount: Decimal | None, currency: str = "EUR") -> str:
    """An amount with its cents, grouped as the reader's language does: 3 870,40 € in French,
    €3,870.40 in English; other currencies by their code (45 000 000,00 XOF)."""
    if amount is None:
        return ""
    number = number_format(
        Decimal(amount).quantize(Decimal("0.01")), decimal_pos=2, use_l10n=True, force_grouping=True
    )
    currency = (currency or "").upper()
    if currency == "EUR":
        return f"{number}\u00a0€" if _current() == "fr" else f"€{number}"
    return f"{number}\u00a0{currency}"


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """Each interface language, with the address of this same page in it."""
    path = context["request"].get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"].capitalize(),
                "url": translate_url(path, code),
                "current": code == _current(),
            }
        )
    return links


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
    text = number_format(Decimal(value).normalize(), use_l10n=True)
    return f"{text}\u00a0%" if _current() == "fr" else f"{text}%"


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
