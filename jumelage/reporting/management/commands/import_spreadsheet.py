"""`manage.py import_spreadsheet FILE --kind <template> --user <username> [--authority <slug>]
[--dry-run]`: import a filled-in template (authorities, partnerships, actors, projects).

The whole file is checked first; every problem is printed with its row and column and nothing
is written unless the file is clean. Then every row is written in one transaction, through the
apps' services, as the user given (their roles apply, and the audit log names them). Progress
goes to stderr; the last line is the summary."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from jumelage.partners.models import MemberAuthority
from jumelage.reporting.spreadsheets.imports import IMPORTS, check_table, import_table
from jumelage.reporting.spreadsheets.progress import PROGRESS_EVERY, ProgressLine
from jumelage.reporting.spreadsheets.reading import FileRefused, read_table


class Command(BaseCommand):
    help = "Check, then import, a filled-in spreadsheet template (XLSX or CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the XLSX or CSV file.")
        parser.add_argument("--kind", required=True, choices=sorted(IMPORTS), help="Template.")
        parser.add_argument(
            "--user", required=True, help="Username of the person the import is made as."
        )
        parser.add_argument(
            "--authority", help="Slug of the member authority (all templates but authorities)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and write nothing."
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the messages and of the headers expected (both are accepted).",
        )
        parser.add_argument("--progress-every", type=int, default=PROGRESS_EVERY)

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        kind = IMPORTS[options["kind"]]
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None or not user.is_active:
            raise CommandError(
                _("No active user has the username “%(name)s”; check it in the back office.")
                % {"name": options["user"]}
            )
        member = None
        if options.get("authority"):
            member = MemberAuthority.objects.filter(slug=options["authority"]).first()
            if member is None:
                raise CommandError(
                    _("No member authority has the slug “%(slug)s”; check it in the back office.")
                    % {"slug": options["authority"]}
                )
        elif kind.needs_member:
            raise CommandError(
                _("Give the member authority the rows are for, with --authority <slug>.")
            )
        try:
            table = read_table(options["file"])
        except FileNotFoundError as error:
            raise CommandError(
                _("There is no file at %(path)s.") % {"path": options["file"]}
            ) from error
        except FileRefused as refusal:
            raise CommandError(refusal.message) from refusal
        every = options["progress_every"]
        checking = ProgressLine(self.stderr, _("checking"), every)
        if options["dry_run"]:
            outcome = check_table(kind, table, user=user, member=member, progress=checking)
        else:
            writing = ProgressLine(self.stderr, _("writing"), every)
            outcome = import_table(
                kind,
                table,
                user=user,
                member=member,
                progress=writing,
                check_progress=checking,
            )
        for problem in outcome.problems:
            self.stdout.write(str(problem))
        if outcome.problems:
            raise CommandError(
                _("%(count)s problems to fix; nothing was imported.")
                % {"count": len(outcome.problems)}
            )
        counts = {
            "created": outcome.counts["create"],
            "updated": outcome.counts["update"],
            "unchanged": outcome.counts["unchanged"],
        }
        if options["dry_run"]:
            self.stdout.write(
                _(
                    "The file is clean: importing it will create %(created)s, update "
                    "%(updated)s and leave %(unchanged)s unchanged."
                )
                % counts
            )
        else:
            self.stdout.write(
                _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % counts
            )
