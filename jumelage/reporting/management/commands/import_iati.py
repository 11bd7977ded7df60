"""`manage.py import_iati FILE [--authority <slug>]`: import another publisher's IATI activity
file. Warnings come first; the last line is always the summary:
`imported N activities: C created, U updated, W warnings`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jumelage.partners.models import MemberAuthority
from jumelage.reporting.services import ImportRefused, import_iati_file

SHOWN_WARNINGS = 200


class Command(BaseCommand):
    help = "Import an IATI 2.0x activity file (other publishers' activities, kept apart)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the IATI activity XML file.")
        parser.add_argument(
            "--authority", help="Slug of the member authority the import is made for."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        authority = None
        if options.get("authority"):
            authority = MemberAuthority.objects.filter(slug=options["authority"]).first()
            if authority is None:
                raise CommandError(
                    _("No member authority has the slug “%(slug)s”; check it in the back office.")
                    % {"slug": options["authority"]}
                )
        try:
            result = import_iati_file(options["file"], authority=authority)
        except ImportRefused as refusal:
            raise CommandError(refusal.message) from refusal
        if options["verbosity"] >= 1:
            for warning in result.warnings[:SHOWN_WARNINGS]:
                self.stdout.write(_("warning: %(warning)s") % {"warning": warning})
            hidden = len(result.warnings) - SHOWN_WARNINGS
            if hidden > 0:
                self.stdout.write(
                    _(
                        "warning: %(count)s more warnings are kept with the import, in the "
                        "back office."
                    )
                    % {"count": hidden}
                )
        self.stdout.write(result.summary())
