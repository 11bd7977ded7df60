"""A finding on an IATI activity (error or warning, with what to fix), and the small readers
of XML values the checks share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    message: str
    rule: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        return self.message


def parse_date(value: str | None) -> datetime.date | None:
    """An xsd:date (possibly with a time zone, or a datetime from a sloppy file) as a date."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def parse_datetime(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def parse_decimal(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        return None
    return number if number.is_finite() else None


# The children are found by lxml's own tag matching (`iterchildren(tag)`, the same elements as
# `find(tag)` for a plain tag: no namespace, no comment), without ElementPath's Python steps:
# these run for every transaction and period of every activity checked.


def narrative_texts(element: etree._Element | None) -> list[str]:
    if element is None:
        return []
    return [text for n in element.iterchildren("narrative") if (text := (n.text or "").strip())]


def iso_date(element: etree._Element, tag: str) -> datetime.date | None:
    """The iso-date of the element's first child of that tag (a plain tag, not a path)."""
    child = next(element.iterchildren(tag), None)
    return parse_date(child.get("iso-date")) if child is not None else None


def first_text(element: etree._Element, tag: str) -> str:
    texts = narrative_texts(next(element.iterchildren(tag), None))
    return texts[0] if texts else ""
