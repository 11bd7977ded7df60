"""Test data for the ODA declaration and the Atlas: a year of transactions of two authorities
whose totals are worked out by hand below, and a French catalogue written on the fly (the
project's .po files come later; the tests only need to see that headers follow the language).
"""

from __future__ import annotations

import array
import datetime
import struct
from decimal import Decimal
from pathlib import Path
from typing import Any

from jumelage.core.tests.factories import CountryFactory, ExchangeRateFactory, OdaEligibilityFactory
from jumelage.partners.models import MemberAuthority
from jumelage.projects.models import Transaction
from jumelage.projects.tests.factories import ProjectFactory, TransactionFactory

YEAR = 2025
Category = Transaction.OdaCategory

# --- What the declaration of city_a for 2025 must say, worked out by hand ---------------------
#
# USD: 1 EUR = 1.05 USD from 3 March 2025, 1.125 USD from 2 June 2025.
#   haiti_usd   5 355.00 USD on 5 March (rate of 3 March): 5355 / 1.05  = 5 100.00 EUR
#   haiti_ngo   1 125.00 USD paid 1 July, value date 2 June:  1125 / 1.125 = 1 000.00 EUR
#   serbia_staff  100.00 USD on 4 March: 100 / 1.05 = 95.238... = 95.24 EUR (to the cent)
#
# category 1: haiti_eur 10 000.00 + haiti_usd 5 100.00                 = 15 100.00
# category 2: serbia_ngo 3 000.00 + haiti_ngo 1 000.00                  =  4 000.00
# category 3: awareness 1 500.00 + awareness_in_france 500.00          =  2 000.00
# category 6: staff 2 000.00 + serbia_staff 95.24                        =  2 095.24
# total                                                                   = 23 195.24
#
# Haiti:  10 000.00 + 5 100.00 + 1 000.00 = 16 100.00
# Serbia:  3 000.00 + 95.24               =  3 095.24
# no country in particular: 1 500.00 + 500.00 (France, category 3) + 2 000.00 = 4 000.00
EXPECTED_BY_CATEGORY = {
    1: Decimal("15100.00"),
    2: Decimal("4000.00"),
    3: Decimal("2000.00"),
    4: Decimal("0.00"),
    5: Decimal("0.00"),
    6: Decimal("2095.24"),
    7: Decimal("0.00"),
    8: Decimal("0.00"),
}
EXPECTED_BY_COUNTRY = {
    "HT": Decimal("16100.00"),
    "RS": Decimal("3095.24"),
    "": Decimal("4000.00"),
}
EXPECTED_TOTAL = Decimal("23195.24")
COUNTED = {
    "haiti_eur",
    "haiti_usd",
    "serbia_ngo",
    "haiti_ngo",
    "awareness",
    "awareness_in_france",
    "staff",
    "serbia_staff",
}


def reference_data(year: int = YEAR) -> dict[str, Any]:
    """Haiti and Serbia on the DAC list of `year`; Germany, Spain and France not; USD rates."""
    countries = {
        code: CountryFactory(code=code, name_en=name, name_fr=name)
        for code, name in [
            ("HT", "Haiti"),
            ("RS", "Serbia"),
            ("DE", "Germany"),
            ("ES", "Spain"),
            ("FR", "France"),
        ]
    }
    OdaEligibilityFactory(country=countries["HT"], year=year, income_group="LDC")
    OdaEligibilityFactory(country=countries["RS"], year=year, income_group="UMIC")
    ExchangeRateFactory(currency="USD", date=datetime.date(year, 3, 3), rate="1.05")
    ExchangeRateFactory(currency="USD", date=datetime.date(year, 6, 2), rate="1.125")
    return countries


def disbursement(member: MemberAuthority, **fields: Any) -> Transaction:
    """An own-fund cash disbursement of `member` in 2025 with complete CRS data."""
    fields.setdefault("project", ProjectFactory(authority=member))
    fields.setdefault("channel_code", "12000")
    fields.setdefault("date", datetime.date(YEAR, 2, 10))
    return TransactionFactory(**fields)


def declaration_dataset(city_a: MemberAuthority, city_b: MemberAuthority) -> dict[str, Any]:
    """The transactions of the totals above, and the ones that must never count."""
    c = reference_data()
    haiti = ProjectFactory(authority=city_a, title={"fr": "Cap-Haïtien état civil"})
    serbia = ProjectFactory(authority=city_a, title={"fr": "Kragujevac eau"})
    germany = ProjectFactory(authority=city_a, title={"fr": "Jumelage Hann. Münden"})

    def tx(project, **fields):
        return disbursement(city_a, project=project, **fields)

    t = {
        # Counted.
        "haiti_eur": tx(haiti, amount="10000.00", recipient_country=c["HT"]),
        "haiti_usd": tx(
            haiti,
            amount="5355.00",
            currency="USD",
            date=datetime.date(YEAR, 3, 5),
            recipient_country=c["HT"],
        ),
        "serbia_ngo": tx(
            serbia,
            transaction_type="4",
            amount="3000.00",
            oda_category=Category.NGO_GRANTS,
            recipient_country=c["RS"],
        ),
        "haiti_ngo": tx(
            haiti,
            amount="1125.00",
            currency="USD",
            date=datetime.date(YEAR, 7, 1),
            value_date=datetime.date(YEAR, 6, 2),
            oda_category=Category.NGO_GRANTS,
            recipient_country=c["HT"],
        ),
        "awareness": tx(
            haiti, amount="1500.00", oda_category=Category.AWARENESS, recipient_country=None
        ),
        "awareness_in_france": tx(
            haiti, amount="500.00", oda_category=Category.AWARENESS, recipient_country=c["FR"]
        ),
        "staff": tx(serbia, amount="2000.00", oda_category=Category.STAFF, recipient_country=None),
        "serbia_staff": tx(
            serbia,
            amount="100.00",
            currency="USD",
            date=datetime.date(YEAR, 3, 4),
            oda_category=Category.STAFF,
            recipient_country=c["RS"],
        ),
        # Left out: not ODA countries, in kind.
        "germany": tx(germany, amount="7000.00", recipient_country=c["DE"]),
        "spain": tx(germany, amount="4000.00", recipient_country=c["ES"]),
        "in_kind": tx(
            haiti, amount="900.00", in_kind=True, oda_category=None, recipient_country=c["HT"]
        ),
        # To fix, not left out: co-funders' money that carries an ODA category (which is it?).
        "co_funded": tx(serbia, amount="8000.00", from_own_funds=False, recipient_country=c["RS"]),
        # Never read: another year, a commitment.
        "last_year": tx(haiti, amount="600.00", date=datetime.date(YEAR - 1, 12, 31)),
        "next_year": tx(haiti, amount="650.00", date=datetime.date(YEAR + 1, 1, 1)),
        "commitment": tx(haiti, amount="700.00", transaction_type="2"),
        # To fix: no category, no country where one is needed, no rate for GHS.
        "no_category": tx(haiti, amount="450.00", oda_category=None, recipient_country=c["HT"]),
        "no_country": tx(haiti, amount="300.00", recipient_country=None),
        "no_rate": tx(
            serbia,
            amount="1000.00",
            currency="GHS",
            oda_category=Category.NGO_GRANTS,
            recipient_country=c["RS"],
        ),
        # Another authority's money, to Haiti, in the same year.
        "city_b": disbursement(city_b, amount="99999.00", recipient_country=c["HT"]),
    }
    return t


# --- A French catalogue written for the test ---------------------------------------------------


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """Write a GNU .mo catalogue (the format msgfmt produces) of `messages`."""
    catalogue = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    keys = sorted(key.encode() for key in catalogue)
    values = {key.encode(): value.encode() for key, value in catalogue.items()}
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(values[key])))
        ids += key + b"\0"
        strs += values[key] + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_offsets: list[int] = []
    value_offsets: list[int] = []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_offsets += [id_length, id_offset + key_start]
        value_offsets += [str_length, str_offset + value_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + array.array("i", key_offsets + value_offsets).tobytes() + ids + strs)


def french_catalogue(settings: Any, tmp_path: Path, messages: dict[str, str]) -> None:
    """Make `messages` the French translations for the rest of the test (through the
    `settings` fixture, which resets Django's translation caches on change and at the end)."""
    locale = tmp_path / "locale"
    write_mo(locale / "fr" / "LC_MESSAGES" / "django.mo", messages)
    settings.LOCALE_PATHS = [locale]
