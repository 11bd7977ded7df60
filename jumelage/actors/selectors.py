"""Reads about local actors and people: who can help on a theme, what a mission's time is worth."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from jumelage.actors.models import Mission, Person
from jumelage.core.money import CENT


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
