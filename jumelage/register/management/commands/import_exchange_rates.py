"""`manage.py import_exchange_rates FILE`: load exchange rates from a CSV file, idempotently."""

from __future__ import annotations

from argparse import RawDescriptionHelpFormatter
from pathlib import Path
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jumelage.core.exchange_rates import RateFileError, import_rates, read_rate_file
from jumelage.core.models import ExchangeRate
from jumelage.register.services import reference_loaded


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Keep the line breaks of the format description."""


class Command(BaseCommand):
    help = (
        "Import exchange rates from a CSV file. A rate is how many units of a currency one unit\n"
        "of the reporting currency (settings.REPORTING_CURRENCY) buys on a date.\n"
        "\n"
        "Two formats are read, told apart by their header:\n"
        "\n"
        "1. The European Central Bank's historical reference rates, eurofxref-hist.csv (unzip\n"
        "   eurofxref-hist.zip from www.ecb.europa.eu first). Rates against the euro, so only\n"
        "   when the reporting currency is EUR:\n"
        "     Date,USD,JPY,BGN,...\n"
        "     2024-03-01,1.0826,162.5,1.9558,...\n"
        "   Dates as YYYY-MM-DD; N/A or an empty cell where a currency has no rate that day.\n"
        "\n"
        "2. A simple table, one rate per line:\n"
        "     currency,date,rate\n"
        "     XOF,2024-03-01,655.957\n"
        "\n"
        "Files are UTF-8. A rate already stored for the same currency and date is updated if\n"
        "it differs, so running the command twice changes nothing. The whole file is checked\n"
        "first: on any error (the line is named) nothing is written."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _HelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=gettext("The CSV file to import."))
        parser.add_argument(
            "--source",
            default="",
            help=gettext(
                "Where the rates come from, stored with each rate (default: the ECB, or the "
                "file name for a currency,date,rate file)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rate_file = read_rate_file(options["file"], source=options["source"])
        except RateFileError as error:
            raise CommandError(
                _("Nothing was imported from %(file)s. %(error)s")
                % {"file": options["file"], "error": error}
            ) from error
        result = import_rates(rate_file)
        reference_loaded(
            model=ExchangeRate,
            summary=result.summary(),
            counts={"created": result.created, "updated": result.updated},
        )
        self.stdout.write(result.summary())
