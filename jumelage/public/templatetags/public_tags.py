"""Template helpers of the public site: multilingual text with its `lang`, money, numbers and
long dates in the reader's language, the language switch and the share links."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from django import template
from django.conf import settings
from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from jumelage.core import formats
from jumelage.core.html import text_to_html
from jumelage.core.i18n import pick, translate
from jumelage.public import map as public_map
from jumelage.public.links import partner_url as _partner_url

register = template.Library()


def in_language(text: str, lang: str, *, element: str = "span") -> SafeString:
    """Text marked with its language when it is not the page's (WCAG 3.1.2)."""
    if not text:
        return mark_safe("")
    attributes = formats.lang_attributes(lang)
    if not attributes:
        return escape(text)
    return mark_safe(f"<{element}{attributes}>{escape(text)}</{element}>")


@register.simple_tag
def tr(value: dict[str, str] | None, block: bool = False, words: int = 0) -> SafeString:
    """A multilingual field in the reader's language, else another, with its `lang`.

    `block=True` for long texts: paragraphs in a div. `words` cuts the text to an excerpt.
    """
    text, lang = pick(value)
    if not text:
        return mark_safe("")
    if words:
        text = Truncator(text).words(words)
    if not block:
        return in_language(text, lang)
    return mark_safe(
        f'<div class="prose"{formats.lang_attributes(lang)}>{text_to_html(text)}</div>'
    )


@register.filter
def text(value: dict[str, str] | None) -> str:
    """A multilingual field as plain text (for <title>, meta tags and attributes)."""
    return translate(value)


@register.filter
def inlang(value: str) -> SafeString:
    """A single-language text stored in the instance's language (names of bodies, functions,
    labels typed in the back office): marked as such on pages in another language."""
    return in_language(str(value or ""), settings.LANGUAGE_CODE)


@register.simple_tag
def foreign(text: str, lang: str) -> SafeString:
    return in_language(text, lang)


@register.simple_tag
def town_name(authority: Any) -> SafeString:
    """The partner's name, and its own name in its own language when it differs:
    Kragujevac (<span lang="sr">Крагујевац</span>)."""
    name = escape(authority.name)
    local = (authority.local_name or "").strip()
    if not local or local == authority.name:
        return name
    lang = authority.local_name_language or ""
    direction = ' dir="rtl"' if lang.split("-")[0] in formats.RTL_LANGUAGES else ""
    attributes = f' lang="{escape(lang)}"{direction}' if lang else ""
    return mark_safe(f'{name} <span class="local-name"{attributes}>({escape(local)})</span>')


@register.filter
def money(amount: Decimal | None, currency: str = "EUR") -> str:
    """An amount in whole units, grouped as the reader's language does: 60 000 € / €60,000."""
    return formats.money(amount, currency, places=0)


@register.filter(expects_localtime=True)
def long_date(value: datetime.date | None, format: str = "DATE_FORMAT") -> str:
    """A date written out in the reader's language, "1er janvier 2026" in French; a format's
    name or string as for `date` ("DATETIME_FORMAT", "l j F Y")."""
    return formats.long_date(value, format)


@register.filter
def decimal(value: Decimal | None, places: int = 2) -> str:
    """A number in the reader's language, without useless trailing zeros (14, 35,5)."""
    if value is None:
        return ""
    value = Decimal(value).quantize(Decimal(1).scaleb(-int(places)))
    normalised = value.normalize()
    digits = max(0, -normalised.as_tuple().exponent)  # type: ignore[operator]
    return number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True)


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """Each interface language, with the address of this same page in it."""
    return formats.language_links(context["request"].get_full_path())


@register.simple_tag
def share_links(url: str, title: str) -> list[dict[str, str]]:
    """Plain share addresses (no third-party script: nothing loads until someone clicks)."""
    encoded = quote(url, safe="")
    return [
        {
            "key": "email",
            "name": _("E-mail"),
            "label": _("Share by e-mail"),
            "href": "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote),
        },
        {
            "key": "facebook",
            "name": "Facebook",
            "label": _("Share on Facebook"),
            "href": f"https://www.facebook.com/sharer/sharer.php?u={encoded}",
        },
        {
            "key": "x",
            "name": "X",
            "label": _("Share on X (formerly Twitter)"),
            "href": "https://twitter.com/intent/tweet?"
            + urlencode({"url": url, "text": title}, quote_via=quote),
        },
        {
            "key": "linkedin",
            "name": "LinkedIn",
            "label": _("Share on LinkedIn"),
            "href": f"https://www.linkedin.com/sharing/share-offsite/?url={encoded}",
        },
    ]


@register.simple_tag
def legend_icon(kind: str) -> SafeString:
    return public_map.legend_icon(kind)


@register.filter
def legend_label(kind: str) -> str:
    return public_map.legend_label(kind)


@register.simple_tag
def external_link(url: str, label: str) -> SafeString:
    return format_html('<a href="{}" rel="external">{}</a>', url, label)


@register.simple_tag
def partner_url(member: Any, authority: Any) -> str:
    return _partner_url(member, authority)


@register.filter
def file_format(document: Any) -> str:
    """The format of a document's file or link, for its link text (PDF, ODT...), if known."""
    from urllib.parse import urlsplit

    from jumelage.content.models import DOCUMENT_EXTENSIONS

    name = document.file.name if document.file else urlsplit(document.url or "").path
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension.upper() if extension in DOCUMENT_EXTENSIONS else ""


@register.filter
def percent(value: Decimal | None, places: int = 0) -> str:
    """A percentage as the reader's language writes it: 30 % in French, 30% in English."""
    if value is None:
        return ""
    return formats.with_percent_sign(decimal(value, places))
