"""Reads about local actors and people: which of them are published, who can help on a theme,
what a mission's time is worth."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet

from jumelage.actors.models import Actor, Mission, Person, Position, ProjectActor
from jumelage.core.money import CENT
from jumelage.partners.models import MemberAuthority
from jumelage.partners.selectors import of_published_member
from jumelage.projects.selectors import published_projects

# --- What is published -----------------------------------------------------------------------


def published_actors(member: MemberAuthority | None = None) -> QuerySet[Actor]:
    """Local actors marked published, of `member` (of every active member when None)."""
    return of_published_member(Actor.objects.filter(is_public=True), member)


def published_actor_roles(member: MemberAuthority | None = None) -> QuerySet[ProjectActor]:
    """The roles of published actors in published projects (a project's public actors)."""
    return ProjectActor.objects.filter(
        actor__in=published_actors(member),
        project__in=published_projects(member),
        # An actor takes part in its own authority's projects only.
        actor__authority_id=F("project__authority_id"),
    )


def published_people(member: MemberAuthority | None = None) -> QuerySet[Person]:
    """People marked published (officials shown on the public pages)."""
    return of_published_member(Person.objects.filter(is_public=True), member)


def published_positions(member: MemberAuthority | None = None) -> QuerySet[Position]:
    """Positions marked published, held by published people: a published position of an
    unpublished person stays private with its holder."""
    return Position.objects.filter(is_public=True, person__in=published_people(member))


def volunteers(authority: Any, theme: Any = None, skill: Any = None) -> QuerySet[Person]:
    """The authority's staff who volunteer for international work, optionally on a theme or
    with a skill.

    Atlas themes form a three-level tree: someone who offers a broad theme can help on its
    sub-themes, and someone who offers a precise sub-theme can help on the broader one, so a
    theme matches the volunteers of its whole branch (itself, its ancestors, its descendants).
    `authority`, `theme` and `skill` are instances or primary keys.
    """
    people = Person.objects.of_authority(getattr(authority, "pk", authority)).filter(
        kind=Person.Kind.STAFF, is_volunteer=True
    )
    if theme is not None:
        people = people.filter(
            Q(themes=theme)
            | Q(themes__parent=theme)
            | Q(themes__parent__parent=theme)
            | Q(themes__children=theme)
            | Q(themes__children__children=theme)
        )
    if skill is not None:
        people = people.filter(skills=skill)
    return (
        people.distinct()
        .prefetch_related("skills", "themes")
        .order_by("last_name", "first_name", "pk")
    )


def mission_in_kind_value(mission: Mission) -> Decimal | None:
    """Days given times the person's daily cost, to the cent; None while the daily cost is unknown.

    The daily cost is in the reporting currency (settings.REPORTING_CURRENCY).
    """
    rate = mission.person.daily_rate
    if rate is None:
        return None
    return (Decimal(mission.days) * rate).quantize(CENT)


def missions_of_year(member: Any, year: int) -> QuerySet[Mission]:
    """The missions the member's staff volunteers gave in the year (begun in it, or undated at
    the start and ended in it), with the person and project (one query), soonest first."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        Mission.objects.filter(person__authority_id=getattr(member, "pk", member))
        .filter(
            Q(started_on__gte=start, started_on__lte=end)
            | Q(started_on__isnull=True, ended_on__gte=start, ended_on__lte=end)
        )
        .select_related("person", "project")
        .order_by("started_on", "pk")
    )
