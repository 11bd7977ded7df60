"""URL converters for ids and years that a database can hold.

Django's `int` converter takes any number of digits; a 21-digit id then overflows SQLite's
integer (and a 5-digit year Python's dates): a server error instead of a plain 404. `<id:pk>`
takes up to 18 digits (below the largest 64-bit integer), `<year:year>` four. Registered when
the `core` app is ready, before any URLconf is read. `too_long_for_an_id` serves the other
places where an id is typed (list filters, form choices).
"""

from __future__ import annotations

from django.urls import register_converter

MAX_ID_DIGITS = 18


def too_long_for_an_id(value: object) -> bool:
    """Digits, but more than any stored id can have."""
    text = str(value).strip()
    return text.isdigit() and len(text) > MAX_ID_DIGITS


class IdConverter:
    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


def register() -> None:
    register_converter(IdConverter, "id")
    register_converter(YearConverter, "year")
