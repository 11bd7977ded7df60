"""`manage.py export_list <list> --authority <slug> --output FILE.xlsx|.csv`: write one of the
lists an officer uses (partnerships, agreements, projects, financing plans, actors, people,
visits) for a member authority. Progress goes to stderr; the last line says what was written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jumelage.partners.models import MemberAuthority
from jumelage.reporting.spreadsheets.exports import EXPORTS, FORMATS, write_export
from jumelage.reporting.spreadsheets.progress import PROGRESS_EVERY, ProgressLine


class Command(BaseCommand):
    help = "Write a list of a member authority as an XLSX or CSV spreadsheet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("list", choices=sorted(EXPORTS), help="The list to export.")
        parser.add_argument("--authority", required=True, help="Slug of the member authority.")
        parser.add_argument(
            "--output", required=True, help="Path of the file to write, ending in .xlsx or .csv."
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the headers and labels (default: the site's).",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=PROGRESS_EVERY,
            help="Write a progress line on stderr every this many rows.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        member = MemberAuthority.objects.filter(slug=options["authority"]).first()
        if member is None:
            raise CommandError(
                _("No member authority has the slug “%(slug)s”; check it in the back office.")
                % {"slug": options["authority"]}
            )
        output = Path(options["output"])
        file_format = output.suffix.lower().lstrip(".")
        if file_format not in FORMATS:
            raise CommandError(
                _("Name the output file .xlsx or .csv (not “%(name)s”).") % {"name": output.name}
            )
        if not output.parent.is_dir():
            raise CommandError(
                _("The folder %(folder)s does not exist; create it or choose another path.")
                % {"folder": output.parent}
            )
        export = EXPORTS[options["list"]]
        progress = ProgressLine(self.stderr, export.name, options["progress_every"])
        # Write beside the target, then rename: a failed export never leaves half a file.
        handle, temporary = tempfile.mkstemp(dir=output.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                count = write_export(
                    export,
                    stream,
                    file_format=file_format,
                    language=options["language"],
                    member=member,
                    progress=progress,
                )
            os.replace(temporary, output)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        self.stdout.write(
            _("%(count)s rows of %(list)s written to %(path)s")
            % {"count": count, "list": export.name, "path": output}
        )
