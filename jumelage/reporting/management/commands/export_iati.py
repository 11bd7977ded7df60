"""`manage.py export_iati --authority <slug> --output FILE`: write a member authority's IATI
activity file, then list the projects left out with what to fix, and a summary line."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jumelage.partners.models import MemberAuthority
from jumelage.reporting.iati.export import write_activities


class Command(BaseCommand):
    help = "Write the IATI 2.03 activity file of a member authority's published projects."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--authority", required=True, help="Slug of the member authority.")
        parser.add_argument("--output", required=True, help="Path of the XML file to write.")
        parser.add_argument(
            "--base-url",
            default="",
            help="The site's address (e.g. https://jumelage.example.org/), to link uploaded "
            "documents.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        member = MemberAuthority.objects.filter(slug=options["authority"]).first()
        if member is None:
            raise CommandError(
                _("No member authority has the slug “%(slug)s”; check it in the back office.")
                % {"slug": options["authority"]}
            )
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(
                _("The folder %(folder)s does not exist; create it or choose another path.")
                % {"folder": output.parent}
            )
        # Write beside the target, then rename: a failed export never leaves half a file.
        handle, temporary = tempfile.mkstemp(dir=output.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                report = write_activities(member, stream, base_url=options["base_url"])
            if report.exported:
                os.replace(temporary, output)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)

        for item in report.excluded:
            self.stdout.write(
                _("Left out: %(title)s (%(slug)s)") % {"title": item.title, "slug": item.slug}
            )
            for problem in item.problems:
                self.stdout.write(f"  - {problem}")
        for title, message in report.warnings:
            self.stdout.write(
                _("Advice for %(title)s: %(message)s") % {"title": title, "message": message}
            )
        if report.refused:
            raise CommandError(report.refused)
        if not report.exported:
            raise CommandError(
                _(
                    "No published project of %(authority)s could be exported, so no file was "
                    "written; fix the problems listed above, or publish a project."
                )
                % {"authority": report.authority}
            )
        self.stdout.write(
            _("%(summary)s; file written to %(path)s")
            % {"summary": report.summary(), "path": output}
        )
