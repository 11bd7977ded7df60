"""Understand the values officers type in French (and English): dates, times of day, amounts,
currencies, yes/no, SIREN numbers and countries. The one place where typed text becomes a value:
the spreadsheet imports (reporting/spreadsheets/cells.py) and the workspace's form fields
(core/fields.py) both read through it; partner towns are matched in partners/matching.py.

Each parser takes a non-empty cell value (text from a CSV, or a number, date or text from a
workbook) and returns the value, or raises CellProblem with a clause that completes
"Row 7, column “Country”: ..." and says what to write instead. Libraries do the reading where
one exists: dateparser (dates in words), babel (numbers in a locale's format), python-stdnum
(SIREN and SIRET keys), rapidfuzz (near matches of names).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

_PUNCTUATION = str.maketrans(
    {"’": "'", "‘": "'", "–": "-", "—": "-", "\u00a0": " ", "\u202f": " "}  # noqa: RUF001
)
_SPACES = re.compile(r"[\s\u00a0\u202f']+")


class CellProblem(Exception):
    """What is wrong with a cell, as a clause: "“Allemange” is not a known country; ..."."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def norm(text: Any) -> str:
    """A name as compared: no accents, no case, single spaces, plain apostrophes and dashes."""
    text = unicodedata.normalize("NFKD", str(text).translate(_PUNCTUATION))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())


def shown(value: Any) -> str:
    """A cell value as quoted back to the reader."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def interface_languages() -> list[str]:
    current = (translation.get_language() or "fr").split("-")[0]
    return list(dict.fromkeys([current, "fr", "en"]))


# --- Dates ---------------------------------------------------------------------------------------

DAY, MONTH, YEAR = "day", "month", "year"
# Excel counts days from 30 December 1899 (its 1900 leap-year bug folded in); serials between
# these bounds are 1950 to 2100, the dates a file of this trade holds.
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_SERIALS = (18_264, 73_051)
_YEAR = re.compile(r"(19|20)\d{2}")
_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})\s*(?:-|/|à|a|au|to)\s*((?:19|20)?\d{2})")
_DATE_RANGE = re.compile(r"(?:du|de|from)?\s*(.+?)\s+(?:-|au|à|a|to|until)\s+(.+)")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{4})")


@dataclass(frozen=True)
class DateValue:
    """A date as the officer meant it: 12/05/1984 (a day), 03/1998 (a month), 1998 (a year),
    or 2019-2022 (from the start of the first to the end of the second)."""

    start: datetime.date
    end: datetime.date | None = None
    precision: str = DAY


def _not_a_date(value: Any) -> CellProblem:
    return CellProblem(
        _(
            "“%(value)s” is not a date; write it as day/month/year, for example 31/12/2025, or "
            "use a date cell."
        )
        % {"value": shown(value)}
    )


def _full_year(digits: str) -> int:
    """84 is 1984 and 12 is 2012: a two-digit year is the nearest to today (pivot ten years
    ahead), as spreadsheets do."""
    number = int(digits)
    if len(digits) == 4:
        return number
    pivot = (datetime.date.today().year + 10) % 100
    return 2000 + number if number <= pivot else 1900 + number


def _year_end(value: datetime.date, precision: str) -> datetime.date:
    if precision == YEAR:
        return datetime.date(value.year, 12, 31)
    if precision == MONTH:
        following = (value.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return following - datetime.timedelta(days=1)
    return value


def read_date(value: Any) -> DateValue:
    """Any date an officer writes: a date cell, an Excel serial number, 12/05/1984, 12/05/84,
    12 mai 1984, 1er mars 2020, 03/1998 and mai 1998 (a month), 1998 (a year), and ranges:
    2019-2022, 01/2019 - 06/2020, du 12/05/2019 au 30/06/2020."""
    if isinstance(value, datetime.datetime):
        return DateValue(value.date())
    if isinstance(value, datetime.date):
        return DateValue(value)
    if isinstance(value, bool):
        raise _not_a_date(value)
    if isinstance(value, int | float):
        if _SERIALS[0] <= value <= _SERIALS[1]:
            return DateValue(_EXCEL_EPOCH + datetime.timedelta(days=int(value)))
        if (isinstance(value, int) or value.is_integer()) and 1900 <= value <= 2100:
            return DateValue(datetime.date(int(value), 1, 1), precision=YEAR)
        raise _not_a_date(value)
    text = " ".join(str(value).translate(_PUNCTUATION).split())
    found = _read_date_text(text.casefold())
    if found is None:
        raise _not_a_date(value)
    return found


@lru_cache(maxsize=4096)
def _read_date_text(text: str) -> DateValue | None:
    if _YEAR.fullmatch(text):
        return DateValue(datetime.date(int(text), 1, 1), precision=YEAR)
    match = _YEAR_RANGE.fullmatch(text)
    if match:
        first = int(match.group(1))
        second = match.group(2)
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if last >= first:
            return DateValue(
                datetime.date(first, 1, 1), datetime.date(last, 12, 31), precision=YEAR
            )
        return None
    single = _one_date(text)
    if single is not None:
        return single
    match = _DATE_RANGE.fullmatch(text)
    if match:
        start, end = _one_date(match.group(1)), _one_date(match.group(2))
        if start is not None and end is not None and end.start >= start.start:
            return DateValue(start.start, _year_end(end.start, end.precision), start.precision)
    return None


def _one_date(text: str) -> DateValue | None:
    try:
        if _YEAR.fullmatch(text):
            return DateValue(datetime.date(int(text), 1, 1), precision=YEAR)
        match = _ISO.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return DateValue(datetime.date(year, month, day))
        match = _NUMERIC.fullmatch(text)
        if match:
            # Day first, as France writes dates.
            day, month = int(match.group(1)), int(match.group(2))
            return DateValue(datetime.date(_full_year(match.group(3)), month, day))
        match = _MONTH_YEAR.fullmatch(text)
        if match:
            return DateValue(
                datetime.date(int(match.group(2)), int(match.group(1)), 1), precision=MONTH
            )
    except ValueError:
        return None  # 31/02/2024, 13/1998: not a date
    if not re.search(r"[a-z]", text):
        return None
    return _date_in_words(text)


def _date_in_words(text: str) -> DateValue | None:
    """12 mai 1984, 1er mars 2020, mai 1998, 15 June 2020: dateparser, French first."""
    parsed = _date_parser().get_date_data(text)
    if parsed is None or parsed.date_obj is None:
        return None
    precision = {"day": DAY, "month": MONTH, "year": YEAR}.get(parsed.period or "day", DAY)
    found = parsed.date_obj.date()
    if precision != DAY:
        found = found.replace(day=1)
    if precision == YEAR:
        found = found.replace(month=1)
    return DateValue(found, precision=precision)


@lru_cache(maxsize=1)
def _date_parser() -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["fr", "en"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            # "12 mai" without its year is not guessed: the officer is asked for it.
            "REQUIRE_PARTS": ["year"],
            "STRICT_PARSING": False,
        },
    )


def date(value: Any) -> datetime.date:
    """A single day; a month or a year alone gives its first day (03/1998: 1 March 1998)."""
    found = read_date(value)
    if found.end is not None:
        raise CellProblem(
            _(
                "“%(value)s” is a period, where one date is expected; write a single date, for "
                "example %(start)s."
            )
            % {"value": shown(value), "start": found.start.strftime("%d/%m/%Y")}
        )
    return found.start


def period(value: Any) -> tuple[datetime.date, datetime.date | None]:
    """A start and an end: 2019-2022 is 1 January 2019 to 31 December 2022; a single date is a
    start without an end."""
    found = read_date(value)
    if found.end is None and found.precision != DAY:
        return found.start, None
    return found.start, found.end


def year(value: Any) -> int:
    """A year, or the year of a date (03/1998, 12 mai 1984)."""
    found = read_date(value)
    if found.end is not None and found.end.year != found.start.year:
        raise CellProblem(
            _("“%(value)s” is several years, where one is expected; write one year, e.g. %(year)s.")
            % {"value": shown(value), "year": found.start.year}
        )
    if not 1900 <= found.start.year <= 2100:
        raise _not_a_date(value)
    return found.start.year


# "14h30", "14 h 30", "14h", "14:30", "14.30", "9:05:00", "2:30 pm": hours first, then minutes.
_TIME = re.compile(
    r"^(?P<hours>\d{1,2})\s*(?:(?:h|:|\.)\s*(?P<minutes>\d{2})?(?::\d{2})?)?"
    r"\s*(?P<half>am|pm|a\.m\.|p\.m\.)?$"
)


def time_of_day(value: Any) -> datetime.time:
    """A time of day as written: "14h30", "14 h", "14:30", "2:30 pm" (hours and minutes)."""
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    text = " ".join(str(value).translate(_PUNCTUATION).casefold().split())
    found = _TIME.match(text)
    if found is not None:
        hours, minutes = int(found["hours"]), int(found["minutes"] or 0)
        half = (found["half"] or "").replace(".", "")
        if half and 1 <= hours <= 12:
            hours = hours % 12 + (12 if half == "pm" else 0)
        elif half:
            hours = 99  # "14h pm" is no time
        if hours <= 23 and minutes <= 59:
            return datetime.time(hours, minutes)
    raise CellProblem(
        _("“%(value)s” is not a time of day; write hours and minutes, for example 14h30 or 14:30.")
        % {"value": shown(value)}
    )


# --- Amounts and currencies ----------------------------------------------------------------------

# Countries of the two CFA francs (BCEAO's UEMOA: XOF; BEAC's CEMAC: XAF). Officers write "FCFA"
# for both; the partner's country says which.
WEST_AFRICAN_CFA = frozenset({"BJ", "BF", "CI", "GW", "ML", "NE", "SN", "TG"})
CENTRAL_AFRICAN_CFA = frozenset({"CM", "CF", "TD", "CG", "GQ", "GA"})
# "$" is the US dollar unless the country has a dollar of its own.
_DOLLARS = {"CA": "CAD", "AU": "AUD", "NZ": "NZD", "HK": "HKD", "SG": "SGD", "TW": "TWD"}
_DINARS = {"RS": "RSD", "TN": "TND", "DZ": "DZD", "JO": "JOD", "IQ": "IQD", "LY": "LYD"}
_DINARS.update({"KW": "KWD", "BH": "BHD", "MK": "MKD"})
_DIRHAMS = {"MA": "MAD", "AE": "AED"}
_LEI = {"RO": "RON", "MD": "MDL"}
_YEN_YUAN = {"JP": "JPY", "CN": "CNY"}
# Words and symbols, as compared (norm), for a currency that needs no country.
_CURRENCY_WORDS = {
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "e": "EUR",
    "xof": "XOF",
    "xaf": "XAF",
    "gourde": "HTG",
    "gourdes": "HTG",
    "htg": "HTG",
    "£": "GBP",
    "livre sterling": "GBP",
    "livres sterling": "GBP",
    "gbp": "GBP",
    "chf": "CHF",
    "francs suisses": "CHF",
    "franc suisse": "CHF",
    "usd": "USD",
    "us$": "USD",
    "dollars us": "USD",
    "dollars americains": "USD",
    "₪": "ILS",
    "shekel": "ILS",
    "shekels": "ILS",
    "ils": "ILS",
    "nis": "ILS",
    "rsd": "RSD",
    "kmf": "KMF",
    "franc comorien": "KMF",
    "francs comoriens": "KMF",
    "xpf": "XPF",
    "franc cfp": "XPF",
    "francs cfp": "XPF",
    "f cfp": "XPF",
    "cve": "CVE",
    "escudo": "CVE",
    "escudos": "CVE",
    "bam": "BAM",
    "km": "BAM",
    "mark convertible": "BAM",
    "marks convertibles": "BAM",
    "stn": "STN",
    "dobra": "STN",
    "dobras": "STN",
    "mga": "MGA",
    "ariary": "MGA",
    "ar": "MGA",
    "gnf": "GNF",
    "francs guineens": "GNF",
    "fg": "GNF",
    "mru": "MRU",
    "ouguiya": "MRU",
    "ouguiyas": "MRU",
    "um": "MRU",
    "zl": "PLN",
    "zloty": "PLN",
    "zlotys": "PLN",
    "pln": "PLN",
    "kc": "CZK",
    "czk": "CZK",
    "ft": "HUF",
    "forint": "HUF",
    "forints": "HUF",
    "huf": "HUF",
    "r$": "BRL",
    "real": "BRL",
    "reais": "BRL",
    "lev": "BGN",
    "leva": "BGN",
    "bgn": "BGN",
    "uah": "UAH",
    "hryvnia": "UAH",
    "hryvnias": "UAH",
    "lbp": "LBP",
    "livres libanaises": "LBP",
    "vnd": "VND",
    "dong": "VND",
    "dongs": "VND",
}
_BY_COUNTRY = {
    "fcfa": "CFA",
    "f cfa": "CFA",
    "cfa": "CFA",
    "francs cfa": "CFA",
    "franc cfa": "CFA",
    "frs cfa": "CFA",
    "$": "DOLLAR",
    "dollar": "DOLLAR",
    "dollars": "DOLLAR",
    "dinar": "DINAR",
    "dinars": "DINAR",
    "din": "DINAR",
    "dh": "DIRHAM",
    "dhs": "DIRHAM",
    "dirham": "DIRHAM",
    "dirhams": "DIRHAM",
    "lei": "LEU",
    "leu": "LEU",
    "¥": "YEN",
    "yen": "YEN",
    "yuan": "YEN",
    "rmb": "YEN",
}


def currency_of(word: Any, country: str | None = None) -> str | None:
    """The ISO code of a currency as officers write it: €, EUR, euros; FCFA as XOF or XAF by the
    partner's country; gourdes (HTG); $ (USD unless the country has its own dollar); dinars
    (RSD in Serbia)... None when the word names no currency."""
    key = norm(word).strip(" .")
    if re.fullmatch(r"[a-z]{3}", key) and key.upper() in _iso_codes():
        return key.upper()
    if key in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[key]
    family = _BY_COUNTRY.get(key)
    if family is None:
        return None
    country = (country or "").upper()
    if family == "CFA":
        if country in CENTRAL_AFRICAN_CFA:
            return "XAF"
        return "XOF" if country in WEST_AFRICAN_CFA else "CFA"
    if family == "DOLLAR":
        return _DOLLARS.get(country, "USD")
    table = {"DINAR": _DINARS, "DIRHAM": _DIRHAMS, "LEU": _LEI, "YEN": _YEN_YUAN}[family]
    return table.get(country)


@lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


def currency(value: Any, country: str | None = None) -> str:
    code = currency_of(value, country)
    if code == "CFA":
        raise CellProblem(
            _(
                "“%(value)s” may be the West African (XOF) or the Central African (XAF) CFA "
                "franc; write XOF or XAF, or give the partner's country."
            )
            % {"value": shown(value)}
        )
    if code is None:
        raise CellProblem(
            _(
                "“%(value)s” is not a currency we know; write its three-letter code, for "
                "example EUR, XOF or HTG."
            )
            % {"value": shown(value)}
        )
    return code


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str | None = None  # None: the cell names none


_AMOUNT = re.compile(
    r"(?P<before>[^\d\s(+-]*)\s*(?P<sign>[-+]?)\s*(?P<open>\(?)\s*"
    r"(?P<number>\d[\d\s.,']*)\s*(?P<close>\)?)\s*(?P<trail>-?)\s*(?P<after>.*)"
)


def amount(value: Any, country: str | None = None) -> Amount:
    """3 870,40 €; 1.234,56; 1 234,56; 1,234.56; 45 000 000 FCFA; (1 200) and -1 200 (negative);
    or a number cell. The currency, when the cell names one, comes with it."""
    if isinstance(value, bool):
        raise _not_an_amount(value)
    if isinstance(value, int):
        return Amount(Decimal(value))
    if isinstance(value, float):
        return Amount(Decimal(repr(value)))
    text = " ".join(str(value).translate(_PUNCTUATION).split())
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise _not_an_amount(value)
    number = _decimal(match.group("number").strip())
    if number is None or bool(match.group("open")) != bool(match.group("close")):
        raise _not_an_amount(value)
    negative = match.group("sign") == "-" or bool(match.group("open")) or bool(match.group("trail"))
    word = (match.group("before") or match.group("after") or "").strip()
    if match.group("before") and match.group("after"):
        raise _not_an_amount(value)
    code = None
    if word:
        code = currency_of(word, country)
        if code is None:
            raise _not_an_amount(value)
        if code == "CFA":
            currency(word, country)  # says to write XOF or XAF
    return Amount(-number if negative else number, code)


def _not_an_amount(value: Any) -> CellProblem:
    return CellProblem(
        _("“%(value)s” is not an amount; write a number, for example 3 870,40 or 3 870,40 €.")
        % {"value": shown(value)}
    )


def _decimal(text: str) -> Decimal | None:
    """A number in French (1 234,56), German-style (1.234,56) or English (1,234.56) format, by
    babel's parsing: the last of "," and "." is the decimal mark; a single "." followed by
    three digits groups thousands (1.500 is fifteen hundred, as French officers type it)."""
    from babel.numbers import NumberFormatError, parse_decimal

    compact = text.replace("'", " ").strip()
    spaced = re.sub(r"\s+", "\u202f", compact)  # CLDR's French group separator
    if "," in compact and "." in compact:
        locale = "de_DE" if compact.rfind(",") > compact.rfind(".") else "en_US"
        spaced = spaced.replace("\u202f", "")
    elif "." in compact and re.fullmatch(r"\d{1,3}(\.\d{3})+", compact.replace(" ", "")):
        locale, spaced = "de_DE", spaced.replace("\u202f", "")
    elif "." in compact:
        locale, spaced = "en_US", spaced.replace("\u202f", "")
    else:
        locale = "fr_FR"
    try:
        return parse_decimal(spaced, locale=locale, strict=True)
    except (NumberFormatError, InvalidOperation):
        return None


def percentage(value: Any) -> Decimal:
    """33,3; 33,3 %; 33.3%; 100: a share as officers write it, in French or English format."""
    if isinstance(value, bool):
        raise _not_a_percentage(value)
    if isinstance(value, int | Decimal):
        return Decimal(value)
    text = " ".join(str(value).translate(_PUNCTUATION).split())
    number = _decimal(text.removesuffix("%").strip()) if text else None
    if number is None:
        raise _not_a_percentage(value)
    return number


def _not_a_percentage(value: Any) -> CellProblem:
    return CellProblem(
        _("“%(value)s” is not a percentage; write a number, for example 33,3 or 50 %%.")
        % {"value": shown(value)}
    )


# --- Yes and no ----------------------------------------------------------------------------------

_TRUE = {"oui", "yes", "y", "o", "vrai", "true", "1", "x", "✓", "✔", "ok"}
_FALSE = {"non", "no", "n", "faux", "false", "0", "-"}


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = norm(value)
    truthy, falsy = set(_TRUE), set(_FALSE)
    for language in interface_languages():
        with translation.override(language):
            truthy.add(norm(_("yes")))
            falsy.add(norm(_("no")))
    if key in truthy:
        return True
    if key in falsy:
        return False
    raise CellProblem(
        _("“%(value)s” is neither yes nor no; write “%(yes)s” or “%(no)s”.")
        % {"value": shown(value), "yes": _("yes"), "no": _("no")}
    )


# --- SIREN ---------------------------------------------------------------------------------------


def siren(value: Any) -> str:
    """Nine digits, spaces allowed, with a valid key (python-stdnum: the Luhn check INSEE uses);
    a SIRET (fourteen digits) gives its SIREN."""
    from stdnum import exceptions
    from stdnum.fr import siren as stdnum_siren
    from stdnum.fr import siret as stdnum_siret

    if isinstance(value, int | float) and not isinstance(value, bool):
        raw = shown(value).zfill(9)
    else:
        raw = _SPACES.sub("", str(value)).replace(".", "").replace("-", "")
    try:
        if len(raw) == 14:
            return str(stdnum_siret.validate(raw))[:9]
        return str(stdnum_siren.validate(raw))
    except exceptions.InvalidChecksum:
        raise CellProblem(
            _(
                "“%(value)s” is not a valid SIREN number: its last digit does not match the "
                "others; check it on annuaire-entreprises.data.gouv.fr."
            )
            % {"value": shown(value)}
        ) from None
    except exceptions.ValidationError:
        raise CellProblem(
            _("“%(value)s” is not a SIREN number; a SIREN has nine digits.")
            % {"value": shown(value)}
        ) from None


# --- Telephone numbers ---------------------------------------------------------------------------

_PHONE_CHARS = re.compile(r"[\d\s\u00a0\u202f.\-/()+]+")


def phone(value: Any) -> str:
    """A telephone number as officers write it: "01 42 04 96 77", "01.42.04.96.77",
    "0142049677", "+33 1 42 04 96 77", "+33 (0)1 42 04 96 77". A French number of ten digits is
    written in pairs; a number a spreadsheet stored as a number lost its leading 0 (142049677)
    and gets it back; an international number is kept as typed, spaces tidied. Text that is no
    number ("voir l'accueil") is refused."""
    if isinstance(value, bool):
        raise _not_a_phone(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise _not_a_phone(value)
        digits = str(int(value))
        if len(digits) == 9 and digits[0] != "0":
            digits = "0" + digits  # a French number the spreadsheet read as a number
        text = digits
    else:
        text = " ".join(str(value).translate(_PUNCTUATION).split())
    if not _PHONE_CHARS.fullmatch(text) or text.count("+") > 1 or "+" in text[1:]:
        raise _not_a_phone(value)
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        if not 7 <= len(digits) <= 15:  # ITU-T E.164: at most 15 digits
            raise _not_a_phone(value)
        return "+" + " ".join(re.sub(r"[^\d()]+", " ", text[1:]).split())
    if len(digits) == 10 and digits.startswith("0"):
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    if not 3 <= len(digits) <= 15:
        raise _not_a_phone(value)
    return " ".join(re.sub(r"[^\d]+", " ", text).split())


def _not_a_phone(value: Any) -> CellProblem:
    return CellProblem(
        _(
            "“%(value)s” is not a telephone number; write its digits, for example "
            "01 42 04 96 77 or +33 1 42 04 96 77."
        )
        % {"value": shown(value)}
    )


# --- Countries -----------------------------------------------------------------------------------

# Names officers use that are neither the French nor the English name of the Country table:
# short and old names, local spellings, frequent slips.
COUNTRY_VARIANTS = {
    "angleterre": "GB",
    "grande-bretagne": "GB",
    "grande bretagne": "GB",
    "royaume uni": "GB",
    "uk": "GB",
    "ecosse": "GB",
    "pays de galles": "GB",
    "england": "GB",
    "great britain": "GB",
    "usa": "US",
    "etats unis": "US",
    "etats-unis d'amerique": "US",
    "deutschland": "DE",
    "rfa": "DE",
    "osterreich": "AT",
    "oesterreich": "AT",
    "espana": "ES",
    "italia": "IT",
    "polska": "PL",
    "nederland": "NL",
    "hollande": "NL",
    "belgie": "BE",
    "schweiz": "CH",
    "suisse romande": "CH",
    "portugal": "PT",
    "srbija": "RS",
    "србија": "RS",
    "bosnie": "BA",
    "bosnie herzegovine": "BA",
    "macedoine": "MK",
    "macedoine du nord": "MK",
    "republique tcheque": "CZ",
    "tchequie": "CZ",
    "cesko": "CZ",
    "romania": "RO",
    "moldavie": "MD",
    "moldova": "MD",
    "ukraina": "UA",
    "україна": "UA",
    "russie": "RU",
    "armenie": "AM",
    "hayastan": "AM",
    "georgie": "GE",
    "ellada": "GR",
    "ελλαδα": "GR",
    "bulgaria": "BG",
    "българия": "BG",
    "israel": "IL",
    "palestine": "PS",
    "territoires palestiniens": "PS",
    "liban": "LB",
    "maroc": "MA",
    "tunisie": "TN",
    "algerie": "DZ",
    "haiti": "HT",
    "ayiti": "HT",
    "cote d'ivoire": "CI",
    "cote divoire": "CI",
    "ivory coast": "CI",
    "rci": "CI",
    "senegal": "SN",
    "burkina": "BF",
    "guinee conakry": "GN",
    "guinee-conakry": "GN",
    "congo brazzaville": "CG",
    "congo-brazzaville": "CG",
    "rdc": "CD",
    "congo kinshasa": "CD",
    "congo-kinshasa": "CD",
    "republique democratique du congo": "CD",
    "centrafrique": "CF",
    "rca": "CF",
    "cap vert": "CV",
    "cap-vert": "CV",
    "cabo verde": "CV",
    "sao tome": "ST",
    "sao tome et principe": "ST",
    "comores": "KM",
    "madagasikara": "MG",
    "viet nam": "VN",
    "vietnam": "VN",
    "coree du sud": "KR",
    "coree": "KR",
    "chine": "CN",
    "japon": "JP",
    "nihon": "JP",
    "inde": "IN",
    "bresil": "BR",
    "brasil": "BR",
    "mexique": "MX",
    "quebec": "CA",
}


class Countries:
    """Countries by ISO code, by French or English name, or by a usual variant, read once per
    import; a near miss is answered with the country it probably is."""

    def __init__(self) -> None:
        from jumelage.core.models import Country

        self.by_key: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.display: dict[str, str] = {}
        language = (translation.get_language() or "fr").split("-")[0]
        for code, name_fr, name_en in Country.objects.values_list("code", "name_fr", "name_en"):
            self.by_key[norm(code)] = code
            for name in (name_fr, name_en):
                self.by_key.setdefault(norm(name), code)
                self.names.setdefault(norm(name), code)
            self.display[code] = name_en if language == "en" else name_fr
        for variant, code in COUNTRY_VARIANTS.items():
            if code in self.display:
                self.by_key.setdefault(norm(variant), code)
                self.names.setdefault(norm(variant), code)

    def find(self, value: Any) -> str | None:
        raw = shown(value).strip()
        code = self.by_key.get(norm(raw)) or self.by_key.get(norm(raw).replace("-", " "))
        if code is None:
            # "Allemagne (DE)": the code in brackets, as the export writes some names.
            bracket = re.fullmatch(r".*\(([A-Za-z]{2})\)", raw)
            code = self.by_key.get(norm(bracket.group(1))) if bracket else None
        return code

    def __call__(self, value: Any) -> str:
        from rapidfuzz import fuzz, process

        code = self.find(value)
        if code is not None:
            return code
        raw = shown(value).strip()
        close = process.extractOne(norm(raw), list(self.names), scorer=fuzz.ratio, score_cutoff=75)
        if close:
            guess = self.names[close[0]]
            raise CellProblem(
                _(
                    "“%(value)s” is not a known country; write its name or its ISO code "
                    "(%(code)s for %(name)s)."
                )
                % {"value": raw, "code": guess, "name": self.display.get(guess, guess)}
            )
        raise CellProblem(
            _(
                "“%(value)s” is not a known country; write its name or its two-letter ISO "
                "code, for example DE for Germany."
            )
            % {"value": raw}
        )
