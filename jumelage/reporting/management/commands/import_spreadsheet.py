"""`manage.py import_spreadsheet FILE --kind <template> --user <username> [--authority <slug>]
[--dry-run]`: import a filled-in template (authorities, partnerships, actors, projects,
payments, people, visits).

The whole file is checked first; every problem is printed with its row and column and nothing
is written unless the file is clean. Then every row is written in one transaction, through the
apps' services, as the user given (their roles apply, and the audit log names them). Progress
goes to stderr; the last line is the summary.

Without --kind, any workbook is read as the officer keeps it (reading.py): each sheet's kind of
record and the field of each column are proposed (mapping.py, or the mapping the authority used
for a file of the same shape), printed with each row's problems, and one line per sheet ends
the output: `sheet "NAME": KIND, N rows ready, M rows with problems, S rows skipped`. With
--dry-run nothing is written; with --accept-proposed every sheet is imported with the proposed
mapping, all or nothing for the file, and the mappings are remembered for the authority.
Without --user, the first administrator of --authority is the one the import is made as."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.utils import get_column_letter

from jumelage.partners.models import MemberAuthority
from jumelage.reporting.spreadsheets.imports import IMPORTS, Outcome, check_table, import_table
from jumelage.reporting.spreadsheets.jobs import counts_sentence
from jumelage.reporting.spreadsheets.mapping import (
    KIND_LABELS,
    SheetProposal,
    propose,
    remember_mapping,
    remembered_mapping,
)
from jumelage.reporting.spreadsheets.progress import PROGRESS_EVERY, ProgressLine
from jumelage.reporting.spreadsheets.reading import (
    FileRefused,
    Table,
    read_table,
    read_workbook,
)


class _RollBack(Exception):
    pass


class Command(BaseCommand):
    help = "Check, then import, a filled-in spreadsheet template (XLSX or CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the XLSX or CSV file.")
        parser.add_argument(
            "--kind",
            choices=sorted(IMPORTS),
            help="Template. Without it, each sheet's kind and columns are proposed.",
        )
        parser.add_argument(
            "--user",
            help="Username of the person the import is made as (by default, the first "
            "administrator of --authority).",
        )
        parser.add_argument(
            "--authority", help="Slug of the member authority (all templates but authorities)."
        )
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--dry-run", action="store_true", help="Check the file and write nothing."
        )
        action.add_argument(
            "--accept-proposed",
            action="store_true",
            help="Without --kind: import every sheet with the proposed mapping.",
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
        member = self._member(options)
        user = self._user(options, member)
        if not options["kind"]:
            if member is None:
                raise CommandError(
                    _("Give the member authority the rows are for, with --authority <slug>.")
                )
            if not options["dry_run"] and not options["accept_proposed"]:
                raise CommandError(
                    _(
                        "Without --kind, say what to do: --dry-run to see the proposed "
                        "mapping and each row's problems, or --accept-proposed to import with it."
                    )
                )
            self._any_workbook(options, user=user, member=member)
            return
        kind = IMPORTS[options["kind"]]
        if kind.needs_member and member is None:
            raise CommandError(
                _("Give the member authority the rows are for, with --authority <slug>.")
            )
        self._template(options, kind=kind, user=user, member=member)

    def _user(self, options: dict[str, Any], member: MemberAuthority | None) -> Any:
        users = get_user_model().objects.filter(is_active=True)
        if options.get("user"):
            user = users.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(
                    _("No active user has the username “%(name)s”; check it in the back office.")
                    % {"name": options["user"]}
                )
            return user
        user = None
        if member is not None:
            from jumelage.accounts.models import Role

            user = (
                users.filter(memberships__authority=member, memberships__role=Role.ADMIN)
                .order_by("pk")
                .first()
            )
        if user is None:
            raise CommandError(
                _("Give the username the import is made as, with --user <username>.")
            )
        return user

    def _member(self, options: dict[str, Any]) -> MemberAuthority | None:
        member = None
        if options.get("authority"):
            member = MemberAuthority.objects.filter(slug=options["authority"]).first()
            if member is None:
                raise CommandError(
                    _("No member authority has the slug “%(slug)s”; check it in the back office.")
                    % {"slug": options["authority"]}
                )
        return member

    def _template(
        self, options: dict[str, Any], *, kind: Any, user: Any, member: MemberAuthority | None
    ) -> None:
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
                ngettext(
                    "%(count)s problem to fix; nothing was imported.",
                    "%(count)s problems to fix; nothing was imported.",
                    len(outcome.problems),
                )
                % {"count": len(outcome.problems)}
            )
        self.stdout.write(counts_sentence(outcome.counts, done=not options["dry_run"]))

    # --- Any workbook ---------------------------------------------------------------------------

    def _any_workbook(self, options: dict[str, Any], *, user: Any, member: MemberAuthority) -> None:
        try:
            workbook = read_workbook(options["file"])
        except FileNotFoundError as error:
            raise CommandError(
                _("There is no file at %(path)s.") % {"path": options["file"]}
            ) from error
        except FileRefused as refusal:
            raise CommandError(refusal.message) from refusal
        for name, reason in workbook.left_aside:
            self.stdout.write(
                _("sheet “%(sheet)s” left aside: %(reason)s.") % {"sheet": name, "reason": reason}
            )
        checked: list[tuple[Table, SheetProposal, Outcome | None]] = []
        for table in workbook.sheets:
            remembered = remembered_mapping(member, table.headers)
            if remembered is not None:
                proposal = propose(table, kind=remembered[0], remembered=remembered[1])
            else:
                proposal = propose(table)
            self._print_proposal(table, proposal)
            outcome = None
            if proposal.kind in IMPORTS:
                outcome = check_table(
                    IMPORTS[proposal.kind],
                    table,
                    user=user,
                    member=member,
                    mapping=proposal.mapping,
                )
                for note in outcome.notes:
                    self.stdout.write("  " + str(note))
                for problem in outcome.problems:
                    self.stdout.write("  " + str(problem))
            checked.append((table, proposal, outcome))
        written = False
        if options["accept_proposed"]:
            written = self._import_all(checked, user=user, member=member)
        for table, proposal, outcome in checked:
            self.stdout.write(self._summary(table, proposal, outcome))
        if options["accept_proposed"]:
            if not written:
                raise CommandError(
                    _(
                        "Nothing was imported: every sheet must be clean for the file to go in. "
                        "Fix the problems above, or remove the sheets that cannot be imported, "
                        "and run the command again."
                    )
                )
            self.stdout.write(_("The file was imported."))

    def _print_proposal(self, table: Table, proposal: SheetProposal) -> None:
        if proposal.kind is None:
            kind = _("not recognised")
        else:
            kind = str(KIND_LABELS.get(proposal.kind, proposal.kind))
        if proposal.remembered:
            self.stdout.write(
                _(
                    "sheet “%(sheet)s”: %(kind)s, headers on row %(row)s, as mapped for the "
                    "last file of this shape"
                )
                % {"sheet": table.sheet, "kind": kind, "row": table.header_row}
            )
        else:
            self.stdout.write(
                _("sheet “%(sheet)s”: %(kind)s, headers on row %(row)s")
                % {"sheet": table.sheet, "kind": kind, "row": table.header_row}
            )
        labels = {}
        if proposal.kind in IMPORTS:
            labels = {spec.key: str(spec.header) for spec in IMPORTS[proposal.kind].fields}
        for column in proposal.columns:
            if not column.header:
                continue
            target = labels.get(column.field or "", column.field) if column.field else None
            self.stdout.write(
                "  "
                + _("column %(letter)s “%(header)s”: %(field)s")
                % {
                    "letter": get_column_letter(column.index + 1),
                    "header": column.header,
                    "field": target or _("left out"),
                }
            )
        for skipped in table.skipped:
            self.stdout.write(
                "  "
                + _("row %(row)s skipped: %(reason)s")
                % {"row": skipped.row, "reason": skipped.reason}
            )
        if proposal.kind is not None and proposal.kind not in IMPORTS:
            self.stdout.write(
                "  "
                + _(
                    "%(kind)s cannot be imported from a spreadsheet yet: remove this sheet from "
                    "the file to import the others."
                )
                % {"kind": kind}
            )

    def _import_all(
        self,
        checked: list[tuple[Table, SheetProposal, Outcome | None]],
        *,
        user: Any,
        member: MemberAuthority,
    ) -> bool:
        """Every sheet in one transaction, or none."""
        if any(outcome is None or not outcome.clean for _t, _p, outcome in checked):
            return False
        try:
            with transaction.atomic():
                for table, proposal, _outcome in checked:
                    assert proposal.kind is not None  # checked above: an import exists
                    outcome = import_table(
                        IMPORTS[proposal.kind],
                        table,
                        user=user,
                        member=member,
                        mapping=proposal.mapping,
                    )
                    if not outcome.written:
                        for problem in outcome.problems:
                            self.stdout.write("  " + str(problem))
                        raise _RollBack
                    remember_mapping(
                        member=member, user=user, proposal=proposal, headers=table.headers
                    )
        except _RollBack:
            return False
        return True

    def _summary(self, table: Table, proposal: SheetProposal, outcome: Outcome | None) -> str:
        rows = {number for number, _cells in table.rows}
        if outcome is None:
            with_problems = rows
        elif any(problem.row is None for problem in outcome.problems):
            with_problems = rows  # a problem of the whole sheet (a missing column)
        else:
            with_problems = {p.row for p in outcome.problems if p.row is not None} & rows
        kind = (
            str(KIND_LABELS.get(proposal.kind, proposal.kind))
            if proposal.kind
            else _("not recognised")
        )
        return _(
            "sheet “%(sheet)s”: %(kind)s, %(ready)s rows ready, %(problems)s rows with problems, "
            "%(skipped)s rows skipped"
        ) % {
            "sheet": table.sheet,
            "kind": kind,
            "ready": len(rows) - len(with_problems),
            "problems": len(with_problems),
            "skipped": len(table.skipped),
        }
