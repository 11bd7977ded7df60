"""`manage.py atlas_export --authority <slug> --output FILE.xlsx`: write the Atlas sheets of a
member authority's partnerships, a row each, with headers in the site's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from jumelage.reporting.atlas import export
from jumelage.reporting.atlas.selectors import atlas_sheets
from jumelage.reporting.oda.commands import (
    member_or_error,
    output_or_error,
    write_atomically,
)


class Command(BaseCommand):
    help = "Write the Atlas sheets of a member authority's partnerships as an XLSX table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--authority", required=True, help="Slug of the member authority.")
        parser.add_argument("--output", required=True, help="Path of the .xlsx file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            member = member_or_error(options["authority"])
            output, _extension = output_or_error(options["output"], ("xlsx",))
            sheets = atlas_sheets(member)
            write_atomically(output, lambda stream: export.write_xlsx(member, sheets, stream))
            self.stdout.write(
                _("%(count)d Atlas sheets of %(authority)s written to %(path)s.")
                % {"count": len(sheets), "authority": member, "path": output}
            )
