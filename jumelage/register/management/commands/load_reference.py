"""`manage.py load_reference`: load the reference data files (run by `make run`, idempotent);
a load that changes something is audited and expires the cached pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jumelage.core.reference_data import REFERENCE_DIR, ReferenceDataError, load_reference
from jumelage.register.services import reference_loaded


class Command(BaseCommand):
    help = (
        "Load the reference data from jumelage/core/reference: the IATI codelists, the "
        "countries (French and English names), the OECD DAC list of ODA recipients and the "
        "Atlas themes. Only what differs is written; a malformed file writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=REFERENCE_DIR,
            help=gettext("Read the files from this directory instead (same layout)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = load_reference(options["directory"])
        except ReferenceDataError as error:
            raise CommandError(
                _("Nothing was loaded: %(error)s Correct the file and run the command again.")
                % {"error": error}
            ) from error
        for result in results:
            line = result.summary()
            if result.model is not None:
                reference_loaded(
                    model=result.model,
                    summary=line,
                    counts={
                        "created": result.created,
                        "updated": result.updated,
                        "deleted": result.deleted,
                    },
                )
            self.stdout.write(self.style.SUCCESS(line) if result.changed else line)
