"""`manage.py oda_declaration --authority <slug> --year N --output FILE.xlsx|.csv`: write a
member authority's ODA declaration for the flows of calendar year N (declared in N+1), list what
to fix, and end with a summary line.

The file is in the site's language (settings.LANGUAGE_CODE): French headers on a French
instance. The CSV is UTF-8 with a byte-order mark and semicolons, as French Excel reads it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from jumelage.core.selectors import OdaListMissing
from jumelage.reporting.oda import export
from jumelage.reporting.oda.commands import member_or_error, output_or_error, write_atomically
from jumelage.reporting.oda.selectors import describe, oda_declaration, oda_years


class Command(BaseCommand):
    help = (
        "Write a member authority's ODA declaration (e-APD) for the flows of a calendar year, "
        "as XLSX or CSV (UTF-8 with BOM, semicolon-separated for French Excel)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--authority", required=True, help="Slug of the member authority.")
        parser.add_argument(
            "--year",
            required=True,
            type=int,
            help="Calendar year of the flows (the year before the declaration).",
        )
        parser.add_argument(
            "--output", required=True, help="Path of the file to write, ending in .xlsx or .csv."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(**options)

    def _handle(self, **options: Any) -> None:
        member = member_or_error(options["authority"])
        output, extension = output_or_error(options["output"], export.FORMATS)
        year = options["year"]
        try:
            declaration = oda_declaration(member, year)
        except OdaListMissing as error:
            loaded = ", ".join(str(y) for y in sorted(oda_years()))
            message = " ".join(error.messages)
            if loaded:
                message += " " + _("Years loaded: %(years)s.") % {"years": loaded}
            raise CommandError(message) from None

        if extension == export.XLSX:
            write_atomically(output, lambda stream: export.write_xlsx(declaration, stream))
        else:
            write_atomically(
                output, lambda stream: export.write_csv(declaration, stream), text=True
            )

        for warning in declaration.warnings:
            item = warning.item
            self.stdout.write(
                _("To fix, transaction %(pk)d of %(date)s (%(project)s): %(message)s")
                % {
                    "pk": item.pk,
                    "date": item.date.isoformat(),
                    "project": item.project_title,
                    "message": warning.message,
                }
            )
        self.stdout.write(
            _("%(summary)s File written to %(path)s.")
            % {"summary": describe(declaration), "path": output}
        )
