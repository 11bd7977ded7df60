"""`manage.py invite_national_reader --username NAME --email EMAIL [--first-name ..]
[--last-name ..] [--language fr|en] [--by USERNAME]`: create the account of a national body's
reader (the instance-wide reports, no authority's records), as an instance administrator; the
reader chooses a password with "forgotten password" on the sign-in page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from jumelage.tenancy.members.services import national_reader_invite


class Command(BaseCommand):
    help = "Create the account of a reader of national reports (member of no authority)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="The reader's username.")
        parser.add_argument("--email", required=True, help="The reader's e-mail address.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--language", default="fr", choices=["fr", "en"])
        parser.add_argument(
            "--by", help="Username of the site administrator inviting (by default the first)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        admins = get_user_model().objects.filter(is_active=True, is_superuser=True)
        by = admins.filter(username=options["by"]) if options["by"] else admins.order_by("pk")
        user = by.first()
        if user is None:
            raise CommandError(
                _("No active site administrator to invite as; create one with createsuperuser.")
            )
        try:
            reader = national_reader_invite(
                by=user,
                username=options["username"],
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                language=options["language"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _(
                "%(username)s reads the national reports. They choose a password with "
                "“forgotten password” at %(url)s, then find the ODA of every authority at %(page)s."
            )
            % {
                "username": reader.get_username(),
                "url": settings.SITE_URL.rstrip("/") + reverse("admin_password_reset"),
                "page": settings.SITE_URL.rstrip("/") + reverse("reporting:oda_national_current"),
            }
        )
