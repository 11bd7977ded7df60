"""Exchange rates: the parities of the currencies fixed to the euro by law (no rate record
needed), and importing rates from a file: the ECB's historical reference rates, or a plain
`currency,date,rate` table. The whole file is checked before anything is written.

A rate is how many units of the currency one unit of the reporting currency buys, as the
European Central Bank publishes its euro reference rates (1 EUR = 1.0856 USD).
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from jumelage.core.models import ExchangeRate

ECB_SOURCE = "ECB euro foreign exchange reference rates"
SIMPLE_HEADER = ["currency", "date", "rate"]
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
# The ECB's full history since 1999 is under 2 MB: anything far larger is not a rate file.
MAX_FILE_BYTES = 50 * 1024 * 1024
RATE_PLACES = Decimal("1E-8")  # ExchangeRate.rate: 18 digits, 8 decimals
MAX_RATE = Decimal("1E10")
BATCH_SIZE = 500

Key = tuple[str, datetime.date]


# --- Currencies fixed to the euro ----------------------------------------------------------------


@dataclass(frozen=True)
class Peg:
    """A currency whose value in euros is fixed by law: `per_euro` units buy one euro, from
    `since` (and until `until`, when the currency gave way to the euro)."""

    per_euro: Decimal
    since: datetime.date
    until: datetime.date | None = None

    def applies(self, on: datetime.date) -> bool:
        return self.since <= on and (self.until is None or on <= self.until)


EURO_START = datetime.date(1999, 1, 1)
# The parities of currencies pegged to the euro; a conversion at any date from `since` on needs
# no rate record for them. Sources:
# - XOF, XAF (West and Central African CFA francs): 1 FRF = 100 CFA francs (Franco-African
#   monetary cooperation agreements) and 1 EUR = 6.55957 FRF (Council Regulation (EC)
#   No 2866/98), so 1 EUR = 655.957; Council Decision 98/683/EC of 23 November 1998 keeps the
#   parity with the euro.
# - KMF (Comorian franc): 1 FRF = 75 KMF, so 1 EUR = 491.96775; the same Decision 98/683/EC.
# - XPF (CFP franc, New Caledonia, French Polynesia, Wallis and Futuna): 1 000 XPF = 8.38 EUR
#   exactly, décret n° 98-1152 du 16 décembre 1998 and arrêté du 31 décembre 1998, now in the
#   Code monétaire et financier (art. D712-1); the IEOM publishes the same.
# - CVE (Cape Verde escudo): 1 EUR = 110.265 CVE, the parity of the Portugal-Cape Verde
#   exchange-rate cooperation agreement of 1998 (Council Decision 98/744/EC of 21 December 1998).
# - BAM (convertible mark of Bosnia and Herzegovina): 1 KM = 1 DEM by the Law on the Central
#   Bank of Bosnia and Herzegovina (1997), so 1 EUR = 1.95583 KM (Regulation (EC) No 2866/98).
# - STN (São Tomé and Príncipe dobra): 1 EUR = 24 500 STD under the 2009 economic cooperation
#   agreement with Portugal, and 1 STN = 1 000 STD since the redenomination of 1 January 2018,
#   so 1 EUR = 24.5 STN from that day.
# - BGN (Bulgarian lev): 1 EUR = 1.95583 BGN under the currency board (Law on the Bulgarian
#   National Bank, 1997; the ERM II central rate since 2020), replaced by the euro on 1 January
#   2026 at that very rate (Council Regulation (EU) 2025/1407 of 8 July 2025); a lev amount
#   dated later is still converted at the conversion rate, so the peg has no end here.
EURO_PEGS: dict[str, Peg] = {
    "XOF": Peg(Decimal("655.957"), EURO_START),
    "XAF": Peg(Decimal("655.957"), EURO_START),
    "KMF": Peg(Decimal("491.96775"), EURO_START),
    "XPF": Peg(Decimal(1000) / Decimal("8.38"), EURO_START),
    "CVE": Peg(Decimal("110.265"), EURO_START),
    "BAM": Peg(Decimal("1.95583"), EURO_START),
    "STN": Peg(Decimal("24.5"), datetime.date(2018, 1, 1)),
    "BGN": Peg(Decimal("1.95583"), EURO_START),
}


def fixed_rate(currency: str, on: datetime.date) -> Decimal | None:
    """The rate fixed by law between `currency` and the reporting currency on `on`: how many
    units of `currency` one unit of the reporting currency buys; None when the law fixes none
    (the rate is then read from the recorded rates)."""
    currency = currency.upper()
    reporting = settings.REPORTING_CURRENCY
    if reporting == "EUR":
        peg = EURO_PEGS.get(currency)
        return peg.per_euro if peg is not None and peg.applies(on) else None
    # A reporting currency fixed to the euro (an instance keeping its books in CFA francs).
    own = EURO_PEGS.get(reporting)
    if own is None or not own.applies(on):
        return None
    if currency == "EUR":
        return 1 / own.per_euro
    peg = EURO_PEGS.get(currency)
    return peg.per_euro / own.per_euro if peg is not None and peg.applies(on) else None


class RateFileError(Exception):
    """The file is not a rate file we can read; the message names the line."""


@dataclass
class RateFile:
    """The rates read from a file, keyed by (currency, date)."""

    rates: dict[Key, Decimal]
    source: str
    format: str  # "ecb" or "simple"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return _(
            "Exchange rates: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
        ) % {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def _shown(value: str) -> str:
    """A value from the file, safe to echo in a message: short, with no control character."""
    return "".join(c if c.isprintable() else "\ufffd" for c in value[:40])


def _error(line: int, message: str) -> RateFileError:
    return RateFileError(_("Line %(line)d: %(message)s") % {"line": line, "message": message})


def _date(line: int, value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise _error(
            line, _("“%(value)s” is not a date written as YYYY-MM-DD.") % {"value": _shown(value)}
        ) from None


def _rate(line: int, value: str, currency: str) -> Decimal:
    try:
        rate = Decimal(value)
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or rate <= 0 or rate >= MAX_RATE:
        raise _error(
            line,
            _("the rate of %(currency)s, “%(value)s”, is not a positive number such as 1.0856.")
            % {"currency": currency, "value": _shown(value)},
        )
    rounded = rate.quantize(RATE_PLACES)
    if rounded <= 0:
        raise _error(
            line,
            _("the rate of %(currency)s, “%(value)s”, rounds to zero at eight decimals.")
            % {"currency": currency, "value": _shown(value)},
        )
    return rounded


def _currency(line: int, value: str) -> str:
    code = value.strip().upper()
    if not CURRENCY_CODE.match(code):
        raise _error(
            line,
            _("“%(value)s” is not a three-letter ISO currency code such as USD.")
            % {"value": _shown(value)},
        )
    if code == settings.REPORTING_CURRENCY:
        raise _error(
            line,
            _("%(code)s is the reporting currency: it needs no rate.") % {"code": code},
        )
    return code


def _add(rates: dict[Key, Decimal], line: int, key: Key, rate: Decimal) -> None:
    if key in rates and rates[key] != rate:
        raise _error(
            line,
            _("%(currency)s has two different rates on %(date)s.")
            % {"currency": key[0], "date": key[1].isoformat()},
        )
    rates[key] = rate


def _read_ecb(rows: Iterator[list[str]], reader: Any, header: list[str]) -> dict[Key, Decimal]:
    if settings.REPORTING_CURRENCY != "EUR":
        raise RateFileError(
            _(
                "The ECB publishes rates against the euro, but the reporting currency is "
                "%(currency)s. Use a currency,date,rate file of rates against %(currency)s."
            )
            % {"currency": settings.REPORTING_CURRENCY}
        )
    # The ECB ends every line with a comma: an empty last column.
    width = len(header)
    while header and not header[-1].strip():
        header = header[:-1]
    currencies = [_currency(1, cell) for cell in header[1:]]
    if not currencies:
        raise _error(1, _("the header names no currency."))
    if len(set(currencies)) != len(currencies):
        raise _error(1, _("the header names a currency twice."))
    rates: dict[Key, Decimal] = {}
    for cells in rows:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            raise _error(
                line,
                _("expected %(expected)d columns, as in the header, found %(found)d.")
                % {"expected": width, "found": len(cells)},
            )
        day = _date(line, cells[0].strip())
        for currency, cell in zip(currencies, cells[1:], strict=False):
            value = cell.strip()
            if value in ("", "N/A"):
                continue  # no rate that day (a currency not yet, or no longer, quoted)
            _add(rates, line, (currency, day), _rate(line, value, currency))
    return rates


def _read_simple(rows: Iterator[list[str]], reader: Any) -> dict[Key, Decimal]:
    rates: dict[Key, Decimal] = {}
    for cells in rows:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(SIMPLE_HEADER):
            raise _error(
                line,
                _("expected 3 columns (currency,date,rate), found %(found)d.")
                % {"found": len(cells)},
            )
        currency = _currency(line, cells[0])
        day = _date(line, cells[1].strip())
        _add(rates, line, (currency, day), _rate(line, cells[2].strip(), currency))
    return rates


def read_rate_file(path: Path, *, source: str = "") -> RateFile:
    """Read and check a whole rate file; raise RateFileError naming the first bad line."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise RateFileError(
            _("The file %(file)s cannot be read (%(error)s).")
            % {"file": path.name, "error": error.strerror or error}
        ) from None
    if size > MAX_FILE_BYTES:
        raise RateFileError(
            _("The file %(file)s is too large for a rate file (over %(limit)d MB).")
            % {"file": path.name, "limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            rows = iter(reader)
            try:
                header = next(rows, None)
                if header is None:
                    raise RateFileError(_("The file %(file)s is empty.") % {"file": path.name})
                first = [cell.strip() for cell in header]
                if first and first[0] == "Date":
                    rates, file_format = _read_ecb(rows, reader, header), "ecb"
                elif [cell.lower() for cell in first] == SIMPLE_HEADER:
                    rates, file_format = _read_simple(rows, reader), "simple"
                else:
                    raise _error(
                        1,
                        _(
                            "the header is neither the ECB's (Date,USD,JPY,...) nor "
                            "currency,date,rate."
                        ),
                    )
            except csv.Error as error:
                raise _error(
                    reader.line_num, _("this is not valid CSV (%(error)s).") % {"error": error}
                ) from None
    except UnicodeDecodeError:
        raise RateFileError(
            _("The file %(file)s is not UTF-8 text: is it a CSV file?") % {"file": path.name}
        ) from None
    if not rates:
        raise RateFileError(_("The file %(file)s holds no rate.") % {"file": path.name})
    default_source = ECB_SOURCE if file_format == "ecb" else path.name
    return RateFile(rates=rates, source=(source or default_source)[:200], format=file_format)


@transaction.atomic
def import_rates(rate_file: RateFile) -> ImportResult:
    """Create the new rates and update the ones that differ, in one transaction."""
    rates = rate_file.rates
    if not rates:
        return ImportResult()
    days = [day for _currency, day in rates]
    existing = {
        (currency, day): (pk, rate, source)
        for pk, currency, day, rate, source in ExchangeRate.objects.filter(
            currency__in={currency for currency, _day in rates},
            date__range=(min(days), max(days)),
        ).values_list("pk", "currency", "date", "rate", "source")
    }
    result = ImportResult()
    to_create: list[ExchangeRate] = []
    to_update: list[ExchangeRate] = []
    for (currency, day), rate in sorted(rates.items()):
        current = existing.get((currency, day))
        if current is None:
            to_create.append(
                ExchangeRate(currency=currency, date=day, rate=rate, source=rate_file.source)
            )
        elif current[1] != rate or current[2] != rate_file.source:
            to_update.append(
                ExchangeRate(
                    pk=current[0], currency=currency, date=day, rate=rate, source=rate_file.source
                )
            )
        else:
            result.unchanged += 1
    ExchangeRate.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    ExchangeRate.objects.bulk_update(to_update, ["rate", "source"], batch_size=BATCH_SIZE)
    result.created, result.updated = len(to_create), len(to_update)
    return result
