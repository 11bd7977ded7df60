"""The setup checklist of a new member authority: what is done, what is left, in the order of
a first afternoon (service contact, public page, first import, what the public page shows,
partner towns on the map), then the links to what it leads to (the public page, the IATI file,
the ODA declaration)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from jumelage.accounts.models import Membership, Role
from jumelage.partners.gazetteer import Position, position_of
from jumelage.partners.models import Authority, MemberAuthority, Partnership
from jumelage.partners.selectors import partnerships_present, service_contact_gaps
from jumelage.projects.models import Project
from jumelage.register.selectors import may_change_directly_each
from jumelage.tenancy.access import may_write
from jumelage.workspace.pages.partnerships import may_write_partnerships, unpublished_rows
from jumelage.workspace.selectors import Seat

CONTACT, PUBLIC_PAGE, TOWNS, IMPORT, PUBLISH = (
    "contact",
    "public-page",
    "towns",
    "import",
    "publish",
)


@dataclass
class SetupTask:
    key: str
    name: str
    hint: str
    done: bool
    can_start: bool = True

    @property
    def status(self) -> str:
        if self.done:
            return _("Done")
        return _("To do") if self.can_start else _("Cannot start yet")

    @property
    def tone(self) -> str:
        return "success" if self.done else ("info" if self.can_start else "")


@dataclass
class TownToPlace:
    town: Authority
    position: Position | None
    directly: bool  # written at once, or proposed to the register's reviewers


@dataclass
class SetupPage:
    tasks: list[SetupTask]
    towns: list[TownToPlace] = field(default_factory=list)
    # The partnerships the public page does not show yet, and whether the user may publish.
    unpublished: list[Partnership] = field(default_factory=list)
    may_publish: bool = False
    partnered: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def placeable(self) -> list[TownToPlace]:
        """The towns the gazetteer has a position for (the "place them all" button's)."""
        return [item for item in self.towns if item.position is not None]

    @property
    def done(self) -> int:
        return sum(task.done for task in self.tasks)

    @property
    def complete(self) -> bool:
        return all(task.done for task in self.tasks)


def towns_without_position(member: MemberAuthority) -> list[Authority]:
    """The member's own town and the partner towns of its partnerships (published or not)
    whose position is unknown (one query for the partners)."""
    towns = []
    own = member.authority
    if own.latitude is None or own.longitude is None:
        towns.append(own)
    partners = (
        Authority.objects.filter(
            pk__in=Partnership.objects.of_authority(member.pk).values("partner_id")
        )
        .filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
        .select_related("country")
        .order_by("name")
    )
    return [*towns, *partners]


def checklist(place: Seat) -> SetupPage:
    member = place.member
    partnered, shown = partnerships_present(member)
    imported = partnered or Project.objects.filter(authority=member).exists()
    missing = towns_without_position(member)
    tasks = [
        SetupTask(
            CONTACT,
            _("Service contact"),
            _("How the public reaches your service: address, phone, e-mail."),
            not service_contact_gaps(member),
        ),
        SetupTask(
            PUBLIC_PAGE,
            _("Public page"),
            _("A few lines introducing your international relations, in French."),
            bool((member.introduction or {}).get("fr", "").strip()),
        ),
        SetupTask(
            IMPORT,
            _("First import"),
            _("Your partnerships and projects from the spreadsheet you keep."),
            imported,
        ),
        SetupTask(
            PUBLISH,
            _("Choose what your public page shows"),
            _(
                "A partnership imported or added is not published until you say so: publish "
                "those the public may see."
            ),
            shown,
            can_start=partnered,
        ),
        SetupTask(
            TOWNS,
            _("Partner towns on the map"),
            _("The position of each town, proposed from a gazetteer: one click each."),
            partnered and not missing,
            can_start=partnered,
        ),
    ]
    directly = may_change_directly_each(place.user, missing)
    towns = [
        TownToPlace(town, position_of(town.name, town.country_id), directly[town.pk])
        for town in missing
    ]
    links = [
        (_("Your public page"), reverse("public:authority", args=[member.slug])),
        (_("Your IATI file and its check"), reverse("reporting:iati_check", args=[member.slug])),
        (
            _("Your ODA declaration"),
            reverse("reporting:oda_declaration_current", args=[member.slug]),
        ),
    ]
    return SetupPage(
        tasks=tasks,
        towns=towns,
        unpublished=list(unpublished_rows(place)) if partnered else [],
        may_publish=may_write_partnerships(place),
        partnered=partnered,
        links=links,
    )


def setup_left(member: MemberAuthority) -> int:
    """How many setup tasks are left (for the home's to-do); 0 once set up."""
    partnered, shown = partnerships_present(member)
    left = 0
    left += bool(service_contact_gaps(member))
    left += not (member.introduction or {}).get("fr", "").strip()
    left += not (partnered or Project.objects.filter(authority=member).exists())
    left += not shown
    left += not partnered or bool(towns_without_position(member))
    return left


def lookup(place: Seat, town_id: Any) -> Authority | None:
    """A town the checklist offers (one without a position), else None."""
    return next(
        (town for town in towns_without_position(place.member) if str(town.pk) == str(town_id)),
        None,
    )


def may_change_settings(place: Seat) -> bool:
    """Whether the user may change the authority's own settings (its administrators)."""
    return may_write(place.user, place.member.pk, MemberAuthority.write_roles)


def administrators_of(place: Seat) -> list[str]:
    """The names of the authority's administrators, for those who may not change its settings
    (one query)."""
    memberships = (
        Membership.objects.filter(authority=place.member, role=Role.ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    )
    return [m.user.get_full_name() or m.user.get_username() for m in memberships]
