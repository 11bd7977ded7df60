"""Read one cell of an import file into a Python value, or say in plain words what to fix.

Each parser takes a non-empty cell value (text from a CSV, or a number, date or text from a
workbook) and returns the value to store, or raises CellProblem with a clause that completes
"Row 7, column “Country”: ...". Names are matched without regard to case or accents. The
understanding of French values (dates, amounts, currencies, yes/no, SIREN, countries, towns)
is in values.py; the parsers named by the templates' columns are all reachable from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jumelage.core.values import (
    CellProblem,
    Countries,
    amount,
    boolean,
    currency,
    date,
    interface_languages,
    norm,
    period,
    phone,
    read_date,
    shown,
    siren,
    year,
)

__all__ = [
    "CellProblem",
    "Countries",
    "amount",
    "boolean",
    "currency",
    "date",
    "decimal",
    "interface_languages",
    "norm",
    "period",
    "phone",
    "read_date",
    "shown",
    "siren",
    "year",
]
LIST_SEPARATORS = re.compile(r"[;\n]+")
_SPACES = re.compile(r"[\s\u00a0\u202f']+")


# --- Formulas ------------------------------------------------------------------------------------

# A name (letters, digits, underscores, dots: HYPERLINK, _xlfn.WEBSERVICE) followed by "(":
# a function call. LibreOffice tolerates spaces before the bracket, so they are allowed here.
_FUNCTION_CALL = re.compile(r"[^\W\d](?:[\w.])*\s*\(")
# A reference to another sheet or file: a name or a quoted name glued to "!", then a cell or a
# name (Feuil1!A1, 'C:\[budget.xlsx]Feuil1'!B2, cmd|' /C calc'!A0).
_OTHER_SHEET = re.compile(r"[^\s!]!\$?\w")
_SIGNS = ("+", "-", "@")
_SHOWN_LENGTH = 40


def formula_refusal(text: str) -> str | None:
    """Why a text cell must be refused because a spreadsheet would run it, or None.

    OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection): a cell that
    starts with =, +, -, @, a tab or a carriage return is a formula to Excel and LibreOffice.
    What was imported is later exported and opened by others, so such a text is refused where
    it would run something; cells are read stripped, so a leading tab or line break is gone and
    what follows it is judged. The rule:

    - a text that starts with "=" is refused, always (a CSV cell "=..." is a formula; an XLSX
      cell holding a formula is refused by the reader already);
    - a text that starts with "+", "-" or "@" is refused when it calls a function (a name
      followed by "(": HYPERLINK(, WEBSERVICE(, SUM (), uses dynamic data exchange (a "|": the
      cmd|' /C calc'!A0 of the attacks) or refers to another sheet or file (a "!" glued to a
      name: Feuil1!A1);
    - anything else is data, and kept as typed: negative amounts ("-1 200,50", "-1200.5"),
      amounts in brackets ("(1 200)"), telephone numbers ("+33 1 42 04 96 77",
      "+33 (0)1 42 04 96 77"), a dash standing for "nothing" ("-"), a handle ("@mairie"), a
      sum of cells ("+A1+B1", at worst a wrong number when opened, never a call or a leak).

    A list typed with a leading "- " whose item holds a bracket after a word ("- Forages
    (phase 2)") is refused too: the message says to start it with "•" instead.
    """
    if text.startswith("="):
        sign = "="
    elif text.startswith(_SIGNS) and (
        "|" in text or _FUNCTION_CALL.search(text) or _OTHER_SHEET.search(text)
    ):
        sign = text[0]
    else:
        return None
    shown_text = text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 1] + "…"
    return _(
        "“%(value)s” starts like a spreadsheet formula, which would run when the file is "
        "opened; remove the “%(sign)s” at the start and type the text itself (start a list "
        "with “•”)."
    ) % {"value": shown_text, "sign": sign}


# --- Plain values --------------------------------------------------------------------------------


def text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        result = shown(value).strip()
        if len(result) > max_length:
            raise CellProblem(
                _(
                    "the text is %(length)s characters long, more than the %(max)s allowed; "
                    "shorten it."
                )
                % {"length": len(result), "max": max_length}
            )
        return result

    return parse


def integer(minimum: int | None = None, maximum: int | None = None) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            digits = _SPACES.sub("", value)
            if re.fullmatch(r"-?\d+", digits):
                number = int(digits)
        if number is None:
            raise CellProblem(
                _("“%(value)s” is not a whole number; write digits only, for example 12500.")
                % {"value": shown(value)}
            )
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise CellProblem(
                _("%(value)s is out of range; write a number between %(min)s and %(max)s.")
                % {"value": number, "min": minimum, "max": maximum}
            )
        return number

    return parse


def decimal(
    minimum: Decimal | None = None, maximum: Decimal | None = None
) -> Callable[[Any], Decimal]:
    """A number with decimals (44,0128 or 44.0128), within bounds."""

    def parse(value: Any) -> Decimal:
        try:
            found = amount(value)
        except CellProblem:
            found = None
        if found is None or found.currency is not None:
            raise CellProblem(
                _("“%(value)s” is not a number; write digits, for example 44,0128.")
                % {"value": shown(value)}
            )
        number = found.value
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise CellProblem(
                _("%(value)s is out of range; write a number between %(min)s and %(max)s.")
                % {"value": number, "min": minimum, "max": maximum}
            )
        return number

    return parse


def choice(
    choices: type[models.Choices], words: dict[str, str] | None = None
) -> Callable[[Any], str]:
    """A choice by its label, in French or English, or by its stored value, or by one of the
    officers' own `words` for it (as compared: "termine" for a completed project)."""

    def parse(value: Any) -> str:
        known: dict[str, str] = {norm(word): stored for word, stored in (words or {}).items()}
        for language in interface_languages():
            with translation.override(language):
                for stored, label in choices.choices:
                    known.setdefault(norm(label), stored)
        for stored, _label in choices.choices:
            known.setdefault(norm(stored), stored)
        found = known.get(norm(value))
        if found is None:
            raise CellProblem(
                _("“%(value)s” is not one of the choices; write one of: %(choices)s.")
                % {"value": shown(value), "choices": choice_labels(choices, joined=True)}
            )
        return found

    return parse


def choice_labels(choices: type[models.Choices], *, joined: bool = False) -> Any:
    labels = [str(label) for _stored, label in choices.choices]
    return ", ".join(labels) if joined else labels


def website(value: Any) -> str:
    address = text(200)(value)
    # As in the back office: an address typed without its scheme is https.
    return address if "://" in address else f"https://{address}"


def project_slug(value: Any) -> str:
    slug = shown(value).strip()
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", slug) or len(slug) > 120:
        raise CellProblem(
            _(
                "“%(value)s” cannot be a project's address; use only letters without accents, "
                "digits and hyphens, for example “%(example)s”."
            )
            % {"value": shown(value), "example": slugify(shown(value))[:120] or "forages-2026"}
        )
    return slug


# --- Reference data ------------------------------------------------------------------------------


class Themes:
    """Atlas themes by code, by name, or as "name (code)" the way the export writes them."""

    def __init__(self) -> None:
        from jumelage.core.models import AtlasTheme

        self.by_code: dict[str, Any] = {}
        self.by_name: dict[str, list[Any]] = {}
        for theme in AtlasTheme.objects.all():
            self.by_code[norm(theme.code)] = theme
            for name in (theme.name_fr, theme.name_en):
                self.by_name.setdefault(norm(name), [])
                if theme not in self.by_name[norm(name)]:
                    self.by_name[norm(name)].append(theme)

    def __call__(self, value: Any) -> Any:
        raw = shown(value).strip()
        bracket = re.fullmatch(r".*\(([^()]+)\)\s*", raw)
        for key in (raw, bracket.group(1) if bracket else None):
            if key and norm(key) in self.by_code:
                return self.by_code[norm(key)]
        named = self.by_name.get(norm(raw), [])
        if len(named) == 1:
            return named[0]
        example = next(iter(self.by_code.values()), None)
        raise CellProblem(
            _(
                "“%(value)s” is not a theme of the Atlas; write its code, for example "
                "%(example)s (the list is in the back office, under Atlas themes)."
            )
            % {"value": raw, "example": example.code if example is not None else "1.1.1"}
        )


def split_list(value: Any) -> list[str]:
    """Items of a list cell, separated by semicolons or line breaks."""
    return [item.strip() for item in LIST_SEPARATORS.split(shown(value)) if item.strip()]


_SHARE = re.compile(r"^(?P<name>.*?)\s*[:\s]\s*(?P<share>\d+(?:[.,]\d+)?)\s*%?$")


def country_shares(countries: Countries) -> Callable[[Any], list[tuple[str, Decimal | None]]]:
    """ "HT 80; RS 20" or "Haïti: 80 %; Serbie: 20 %" or "HT" -> [(code, percentage)]."""

    def parse(value: Any) -> list[tuple[str, Decimal | None]]:
        shares: list[tuple[str, Decimal | None]] = []
        for item in split_list(value):
            match = _SHARE.match(item)
            name, share = (match.group("name"), match.group("share")) if match else (item, None)
            percentage = Decimal(share.replace(",", ".")) if share else None
            shares.append((countries(name), percentage))
        return shares

    return parse
