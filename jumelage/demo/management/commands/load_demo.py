"""`manage.py load_demo`: the demonstration data, loaded once; a second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jumelage.accounts.models import User
from jumelage.demo import data
from jumelage.demo.services import DemoSummary, load_demo


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # A property: argparse needs a str, and a lazy one would be translated at import.
        return _(
            "Load the demonstration data: Suresnes, a fictional second authority and their "
            "users. Running it again creates only what is missing and changes nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo creates a superuser: with the well-known default password, only on a
        # development instance (settings refuse it in production when JUMELAGE_DEMO is set).
        if not settings.DEBUG and settings.DEMO_PASSWORD == "demo":
            raise CommandError(
                _(
                    "Refusing to load the demo with the default password on a production "
                    "instance (DEBUG is off). Set JUMELAGE_DEMO_PASSWORD to a password of your "
                    "own, then run the command again."
                )
            )
        summary = load_demo(stdout=self.stdout)
        self.report(summary)

    def report(self, summary: DemoSummary) -> None:
        if summary.total:
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext(
                        "Demo data loaded: %(count)d record created.",
                        "Demo data loaded: %(count)d records created.",
                        summary.total,
                    )
                    % {"count": summary.total}
                )
            )
            for model, count in sorted(
                summary.created.items(), key=lambda item: item[0]._meta.label
            ):
                self.stdout.write(
                    _("  %(records)s: %(count)d")
                    % {"records": model._meta.verbose_name_plural, "count": count}
                )
        else:
            self.stdout.write(_("Demo data already loaded: nothing was created or changed."))

        self.stdout.write("")
        self.stdout.write(_("Sign in to the back office with one of these accounts:"))
        usernames = [username for username, _slug, _role in data.USERS]
        users = User.objects.filter(username__in=usernames).prefetch_related(
            "memberships__authority__authority"
        )
        by_name = {user.username: user for user in users}
        for username in usernames:
            user = by_name.get(username)
            if user is None:
                continue
            roles = [
                _("%(role)s of %(authority)s")
                % {"role": membership.get_role_display(), "authority": membership.authority}
                for membership in user.memberships.all()
            ]
            if user.is_superuser:
                roles.insert(0, _("superuser"))
            self.stdout.write(
                _("  %(username)s: %(roles)s")
                % {"username": username, "roles": ", ".join(str(role) for role in roles)}
            )
        self.stdout.write(
            _(
                "Password: %(password)s (given to each account when the demo created it; a "
                "password changed since is kept)."
            )
            % {"password": settings.DEMO_PASSWORD}
        )
