"""`manage.py oda_national --year N [--output FILE.csv]`: every member authority's counted ODA
for the flows of calendar year N, for a national body (one SQL aggregation over the instance,
seconds even with 5 000 authorities). One line per authority, largest first, then the total:
the CSV the national page offers (`reporting.oda.export.write_national_csv`).

The CSV is UTF-8 with a byte-order mark and semicolons, as French Excel reads it; without
--output it is written to the standard output.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from jumelage.reporting.oda.commands import write_atomically
from jumelage.reporting.oda.export import write_national_csv
from jumelage.reporting.oda.selectors import national_declaration


class Command(BaseCommand):
    help = "Write every member authority's counted ODA for the flows of a year (national view)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, type=int, help="Calendar year of the flows.")
        parser.add_argument("--output", help="Path of the CSV file (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            national = national_declaration(options["year"])
            if options.get("output"):
                write_atomically(
                    Path(options["output"]).resolve(),
                    lambda stream: write_national_csv(national, stream),
                    text=True,
                )
            else:
                write_national_csv(national, sys.stdout)
