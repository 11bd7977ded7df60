"""`manage.py invite_authority --name NAME --siren SIREN --email EMAIL [--language fr|en]
[--by USERNAME] [--site-url URL]`: make a French authority a member and invite its first
administrator, as the admin's "Invite a new authority" form does; prints the invitation link
(valid once, for two weeks) and e-mails it to the invitee."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from jumelage.core import values
from jumelage.partners.services import member_invite
from jumelage.tenancy.members.services import invitation_link, invitation_send


class Command(BaseCommand):
    help = "Invite a new member authority and print its first administrator's invitation link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="Name of the authority.")
        parser.add_argument("--siren", required=True, help="Its SIREN (nine digits).")
        parser.add_argument("--email", required=True, help="E-mail of its first administrator.")
        parser.add_argument("--language", default="fr", choices=["fr", "en"])
        parser.add_argument(
            "--by", help="Username of the site administrator inviting (by default the first)."
        )
        parser.add_argument(
            "--site-url", default=settings.SITE_URL, help="The site's address, for the link."
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
            siren = values.siren(options["siren"])
        except values.CellProblem as problem:
            raise CommandError(_("SIREN: %(problem)s") % {"problem": problem.message}) from None
        try:
            member, invitation, token = member_invite(
                name=options["name"],
                siren=siren,
                email=options["email"],
                language=options["language"],
                by=user,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        link = invitation_link(token, language=options["language"], site_url=options["site_url"])
        invitation_send(invitation, link)
        self.stdout.write(
            _("%(name)s is a member authority, at /%(slug)s/.")
            % {"name": member, "slug": member.slug}
        )
        self.stdout.write(_("Invitation for %(email)s:") % {"email": options["email"]})
        self.stdout.write(link)
