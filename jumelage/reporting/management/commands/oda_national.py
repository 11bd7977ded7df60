"""`manage.py oda_national --year N [--output FILE.csv]`: every member authority's counted ODA
for the flows of calendar year N, for a national body (one SQL aggregation over the instance,
seconds even with 5 000 authorities). One line per authority, largest first, then the total.

The CSV is UTF-8 with a byte-order mark and semicolons, as French Excel reads it; without
--output it is written to the standard output.
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from jumelage.reporting.oda.commands import write_atomically
from jumelage.reporting.oda.selectors import NationalRow, national_declaration


def write_csv(rows: list[NationalRow], stream: IO[str]) -> None:
    writer = csv.writer(stream, delimiter=";")
    writer.writerow([_("Authority"), _("Address on the site"), _("ODA in euros"), _("Lines")])
    for row in rows:
        writer.writerow([row.name, row.slug, str(row.total).replace(".", ","), row.lines])
    total = sum((row.total for row in rows), Decimal(0))
    writer.writerow([_("Total"), "", str(total).replace(".", ","), sum(r.lines for r in rows)])


class Command(BaseCommand):
    help = "Write every member authority's counted ODA for the flows of a year (national view)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, type=int, help="Calendar year of the flows.")
        parser.add_argument("--output", help="Path of the CSV file (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            rows = national_declaration(options["year"])
            if options.get("output"):
                write_atomically(
                    Path(options["output"]).resolve(),
                    lambda stream: write_csv(rows, stream),
                    text=True,
                )
            else:
                write_csv(rows, sys.stdout)
