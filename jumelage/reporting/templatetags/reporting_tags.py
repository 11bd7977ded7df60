"""Template helpers of the reports' pages: long dates in the reader's language."""

from __future__ import annotations

import datetime

from django import template

from jumelage.core import formats

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value: datetime.date | None, format: str = "DATE_FORMAT") -> str:
    """A date written out in the reader's language, "1er janvier 2026" in French; a format's
    name or string as for `date`."""
    return formats.long_date(value, format)
