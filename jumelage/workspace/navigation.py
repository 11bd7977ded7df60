"""The workspace's left menu: one entry per area of the job. An area the workspace has no page
for yet opens the back office's page (Django's admin), marked as such."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from jumelage.partners.models import MemberAuthority
from jumelage.tenancy.access import may_read_national_reports

HOME = "home"
SETUP = "setup"
SETTINGS = "settings"
IMPORTS = "imports"
PARTNERSHIPS = "partnerships"
PROJECTS = "projects"
NEWS = "news"
PAYMENTS = "payments"
CALENDAR = "calendar"
PEOPLE = "people"
REPORTS = "reports"
ADMINISTRATION = "administration"
NATIONAL = "national"


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str
    url: str
    in_back_office: bool


def _admin(name: str, *args: object) -> str:
    try:
        return reverse(f"admin:{name}", args=args)
    except NoReverseMatch:  # an admin page not registered on this instance
        return ""


def menu(member: MemberAuthority, user: Any = None) -> list[MenuItem]:
    """The areas, in the order of an officer's work; for the readers of national reports, the
    national view of every authority's ODA too."""
    items = [
        MenuItem(HOME, _("Home"), reverse("workspace:home", args=[member.slug]), False),
        MenuItem(
            PARTNERSHIPS,
            _("Partnerships"),
            reverse("workspace:partnerships", args=[member.slug]),
            False,
        ),
        MenuItem(PROJECTS, _("Projects"), reverse("workspace:projects", args=[member.slug]), False),
        MenuItem(NEWS, _("News"), reverse("workspace:news", args=[member.slug]), False),
        MenuItem(
            IMPORTS,
            _("Import a spreadsheet"),
            reverse("workspace:imports", args=[member.slug]),
            False,
        ),
        MenuItem(PAYMENTS, _("Payments"), reverse("workspace:payments", args=[member.slug]), False),
        MenuItem(
            CALENDAR,
            _("Calendar and visits"),
            reverse("workspace:calendar", args=[member.slug]),
            False,
        ),
        MenuItem(
            PEOPLE, _("People and actors"), reverse("workspace:people", args=[member.slug]), False
        ),
        MenuItem(REPORTS, _("Reports"), reverse("workspace:reports", args=[member.slug]), False),
        MenuItem(SETTINGS, _("Settings"), reverse("workspace:settings", args=[member.slug]), False),
        MenuItem(ADMINISTRATION, _("Administration"), _admin("index"), True),
    ]
    if may_read_national_reports(user):
        items.append(
            MenuItem(
                NATIONAL,
                _("ODA of every member authority"),
                reverse("reporting:oda_national_current"),
                True,
            )
        )
    return [item for item in items if item.url]
