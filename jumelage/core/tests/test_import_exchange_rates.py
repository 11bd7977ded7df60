"""`manage.py import_exchange_rates FILE`: the ECB's historical file or a currency,date,rate
table, imported idempotently; a wrong or hostile file writes nothing."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from jumelage.core.exchange_rates import ECB_SOURCE
from jumelage.core.models import ExchangeRate
from jumelage.core.selectors import to_reporting_currency
from jumelage.core.tests.factories import ExchangeRateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are asserted in English, the source language, whatever catalogs exist."""
    with translation.override("en"):
        yield


# The shape of eurofxref-hist.csv: newest first, a comma at the end of every line, N/A where a
# currency was not quoted (the Cyprus pound after the euro, the lira before 2005).
ECB_FILE = (
    "Date,USD,JPY,CYP,TRY,\n"
    "2024-03-04,1.0854,162.68,N/A,34.3006,\n"
    "2024-03-01,1.0826,162.63,N/A,34.0926,\n"
    "2004-12-31,1.3621,139.65,0.5822,N/A,\n"
)


def run(path, **options):
    out = StringIO()
    call_command("import_exchange_rates", str(path), stdout=out, **options)
    return out.getvalue()


def write(tmp_path, content, name="rates.csv"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def rows():
    return sorted(ExchangeRate.objects.values_list("currency", "date", "rate", "source"))


def test_it_imports_the_ecb_file_skipping_the_missing_rates(tmp_path):
    output = run(write(tmp_path, ECB_FILE, "eurofxref-hist.csv"))
    assert "Exchange rates: 9 created, 0 updated, 0 unchanged." in output
    usd = ExchangeRate.objects.get(currency="USD", date=date(2024, 3, 1))
    assert (usd.rate, usd.source) == (Decimal("1.0826"), ECB_SOURCE)
    assert not ExchangeRate.objects.filter(currency="CYP", date=date(2024, 3, 1)).exists()
    assert ExchangeRate.objects.get(currency="CYP").rate == Decimal("0.5822")
    assert to_reporting_currency(Decimal("1082.60"), "USD", date(2024, 3, 3)) == Decimal("1000.00")


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write(tmp_path, ECB_FILE)
    run(path)
    before = rows()
    assert "0 created, 0 updated, 9 unchanged." in run(path)
    assert rows() == before


def test_a_new_rate_for_a_stored_day_updates_it(tmp_path):
    ExchangeRateFactory(currency="USD", date=date(2024, 3, 1), rate=Decimal("1.5"))
    output = run(write(tmp_path, ECB_FILE))
    assert "8 created, 1 updated, 0 unchanged." in output
    assert ExchangeRate.objects.get(currency="USD", date=date(2024, 3, 1)).rate == Decimal("1.0826")


def test_it_imports_a_simple_currency_date_rate_table(tmp_path):
    path = write(tmp_path, "currency,date,rate\nXOF,2024-03-01,655.957\nhtg,2024-03-01,143.5\n")
    assert "2 created" in run(path, source="BCEAO and BRH")
    assert rows() == [
        ("HTG", date(2024, 3, 1), Decimal("143.5"), "BCEAO and BRH"),
        ("XOF", date(2024, 3, 1), Decimal("655.957"), "BCEAO and BRH"),
    ]
    assert "0 created, 0 updated, 2 unchanged." in run(path, source="BCEAO and BRH")


def test_the_help_documents_both_formats(capsys):
    with pytest.raises(SystemExit):
        call_command("import_exchange_rates", "--help")
    help_text = capsys.readouterr().out
    assert "eurofxref-hist.csv" in help_text
    assert "     currency,date,rate\n" in help_text
    assert "     Date,USD,JPY,BGN,...\n" in help_text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "Date,USD,JPY,\n2024-03-04,1.0854,162.68,\n2024-03-01,1.08.26,162.63,\n",
            "Line 3: the rate of USD, “1.08.26”, is not a positive number",
        ),
        (
            "Date,USD,JPY,\n2024-03-04,1.0854,162.68,\n2024-03-01,-1.0826,162.63,\n",
            "Line 3: the rate of USD, “-1.0826”, is not a positive number",
        ),
        (
            "Date,USD,JPY,\n2024-03-04,1.0854,162.68,\n2024-03-01,NaN,162.63,\n",
            "Line 3: the rate of USD, “NaN”",
        ),
        (
            "Date,USD,JPY,\n2024-03-04,1.0854,162.68,\n01/03/2024,1.0826,162.63,\n",
            "Line 3: “01/03/2024” is not a date written as YYYY-MM-DD",
        ),
        (
            "Date,USD,JPY,\n2024-03-04,1.0854,162.68,\n2024-03-01,1.0826,\n",
            "Line 3: expected 4 columns, as in the header, found 3",
        ),
        ("Date,USD,dollars,\n2024-03-04,1.0854,162.68,\n", "Line 1: “dollars” is not a three"),
        ("Date,USD,EUR,\n2024-03-04,1.0854,1,\n", "Line 1: EUR is the reporting currency"),
        ("Date,USD,USD,\n2024-03-04,1.0854,1.0854,\n", "Line 1: the header names a currency twice"),
        ("Datum;USD;JPY\n2024-03-04;1,0854;162,68\n", "Line 1: the header is neither"),
        ("currency,date,rate\nUSD,2024-03-04,1.08\nUSD,2024-03-04,1.09\n", "Line 3: USD has two"),
        ("currency,date,rate\nUSD,2024-03-04\n", "Line 2: expected 3 columns"),
        ("currency,date,rate\nUSD,2024-03-04,=1+1\n", "Line 2: the rate of USD, “=1+1”"),
        ("currency,date,rate\n", "holds no rate"),
        ("", "is empty"),
        ("currency,date,rate\nUSD,2024-03-04,1.08\x00\n", "Line 2: the rate of USD, “1.08\ufffd”"),
        ("currency,date,rate\nUSD,2024-03-04," + "9" * 200_000, "Line 2: this is not valid CSV"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "is not UTF-8 text"),
    ],
)
def test_a_wrong_or_hostile_file_is_refused_naming_the_line_and_writes_nothing(
    tmp_path, content, message
):
    ExchangeRateFactory(currency="USD", date=date(2024, 3, 4), rate=Decimal("1.5"))
    before = rows()
    with pytest.raises(CommandError, match="Nothing was imported") as raised:
        run(write(tmp_path, content))
    assert message in str(raised.value)
    assert rows() == before


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run(tmp_path / "nowhere.csv")


def test_the_ecb_file_is_refused_when_the_reporting_currency_is_not_the_euro(settings, tmp_path):
    settings.REPORTING_CURRENCY = "USD"
    with pytest.raises(CommandError, match="The ECB publishes rates against the euro"):
        run(write(tmp_path, ECB_FILE))
    assert not ExchangeRate.objects.exists()
