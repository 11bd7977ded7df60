"""Reads about local actors and people: which of them are published, who can help on a theme
(and the one-box search of the volunteers' directory), what a mission's time is worth, what an
actor did in which project."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from jumelage.actors.models import Actor, Mission, Person, Position, ProjectActor
from jumelage.core.money import CENT
from jumelage.core.values import norm
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


# --- Who works with a partnership (the workspace's partnership page) -------------------------


@dataclass(frozen=True)
class PeopleInvolved:
    """How many people a partnership mobilises, as the user may read them."""

    actors: int  # local actors linked to it, or to one of its projects
    volunteers: int  # staff members who gave time to its projects (missions)
    days: Decimal  # the days they gave


def people_involved(*, user: Any, partnership: Any) -> PeopleInvolved:
    """The local actors and staff volunteers working with `partnership` (two queries)."""
    actors = (
        Actor.objects.for_user(user)
        .filter(
            Q(partnerships__pk=partnership.pk)
            | Q(project_roles__project__partnerships__pk=partnership.pk)
        )
        .values("pk")
        .distinct()
        .count()
    )
    missions = (
        Mission.objects.for_user(user)
        .filter(project__partnerships__pk=partnership.pk)
        .aggregate(people=Count("person", distinct=True), days=Sum("days"))
    )
    return PeopleInvolved(
        actors=actors, volunteers=missions["people"] or 0, days=missions["days"] or Decimal(0)
    )


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


# --- Who can help: the volunteers' directory, searched in one box ----------------------------

# Words of a language, French and English (and the language's own name), as a skill names it:
# a volunteer "speaks Spanish" when one of their skills is the language ("Espagnol").
LANGUAGES: dict[str, tuple[str, ...]] = {
    "ar": ("arabe", "arabic"),
    "de": ("allemand", "german", "deutsch"),
    "en": ("anglais", "english"),
    "es": ("espagnol", "spanish", "espanol", "castillan"),
    "fr": ("francais", "french"),
    "he": ("hebreu", "hebrew"),
    "ht": ("creole", "creole haitien", "haitian creole", "kreyol"),
    "it": ("italien", "italian", "italiano"),
    "pt": ("portugais", "portuguese", "portugues"),
    "ru": ("russe", "russian"),
    "sr": ("serbe", "serbian", "srpski"),
    "zh": ("chinois", "chinese", "mandarin"),
}

MONTHS: dict[str, int] = {
    **{
        name: number
        for number, names in enumerate(
            (
                ("janvier", "january", "jan"),
                ("fevrier", "february", "feb", "fev"),
                ("mars", "march"),
                ("avril", "april", "apr", "avr"),
                ("mai", "may"),
                ("juin", "june"),
                ("juillet", "july", "juil"),
                ("aout", "august", "aug"),
                ("septembre", "september", "sep"),
                ("octobre", "october", "oct"),
                ("novembre", "november", "nov"),
                ("decembre", "december", "dec"),
            ),
            start=1,
        )
        for name in names
    }
}

# Availability that holds every month ("one day a month", "all year round").
EVERY_MONTH = (
    "a month",
    "per month",
    "every month",
    "each month",
    "all year",
    "any time",
    "anytime",
    "par mois",
    "chaque mois",
    "tous les mois",
    "toute l'annee",
    "toute l annee",
    "a tout moment",
    "n'importe quand",
)
_SPEAKS = re.compile(
    r"^(?:who |qui )?(?:speaks?|speaking|parle|parlant|parlent|langue|language)\s+"
)
_AVAILABLE = re.compile(
    r"^(?:available|availability|free|disponibles?|dispo|disponibilite)\s*"
    r"(?:in|on|from|en|au mois de|au|a partir de|des|pour)?\s*"
)
_SEPARATORS = re.compile(r"\s*(?:,|;|\+|\band\b|\bet\b|\bwith\b|\bavec\b)\s*")
# "mars à juin", and "1 mars 2026 à 30 juin 2026" (a year after the first month, a day before
# the second, as imports write them).
_MONTH_RANGE = re.compile(
    r"([a-z]+)(?:\s+\d{4})?\s*(?:-|–|to|a|au|until|jusqu'en|jusqu'a)\s*"  # noqa: RUF001
    r"(?:\d{1,2}(?:er)?\s+)?([a-z]+)"
)


def _language_of(word: str) -> str | None:
    for code, names in LANGUAGES.items():
        if word in names:
            return code
    return None


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    """Every language's name in French and English (babel's CLDR names), as compared, to its
    code; the words of LANGUAGES first."""
    from babel import Locale

    found = {name: code for code, names in LANGUAGES.items() for name in names}
    for locale in ("fr", "en"):
        for code, name in Locale.parse(locale).languages.items():
            if "_" not in code:
                found.setdefault(norm(name), code)
    return found


def language_code(text: str) -> str | None:
    """The code of a language named in French or English ("espagnol", "Spanish" -> "es"), or
    its code itself ("es"); None when no language has that name."""
    key = norm(text).strip(" .")
    names = _language_names()
    if key in names:
        return names[key]
    return key if key in names.values() and len(key) in (2, 3) else None


def language_skill_names(code: str) -> set[str]:
    """The names (as compared) a skill may give a language: a volunteer speaks it when one of
    their skills is so named (see `search_volunteers`)."""
    found = set(LANGUAGES.get(code, ()))
    found.update(name for name, named in _language_names().items() if named == code)
    return found


def language_skill_name(code: str) -> str:
    """The name of the skill a new language is recorded under: its French name, capitalised
    ("Espagnol"), as the shared register names skills."""
    from babel import Locale

    name = Locale.parse("fr").languages.get(code) or code
    return name[:1].upper() + name[1:]


def _month_of(word: str) -> int | None:
    return MONTHS.get(word.rstrip("."))


def availability_months(text: str) -> set[int]:
    """The months an availability names: "mars à juin 2026" is March to June, "March, May" two
    months; "one day a month" or "toute l'année" every month; no month named, none."""
    folded = norm(text)
    if any(phrase in folded for phrase in EVERY_MONTH):
        return set(range(1, 13))
    months: set[int] = set()
    for first, last in _MONTH_RANGE.findall(folded):
        start, end = _month_of(first), _month_of(last)
        if start and end:
            span = (
                range(start, end + 1) if start <= end else [*range(start, 13), *range(1, end + 1)]
            )
            months.update(span)
    for word in re.findall(r"[a-z]+\.?", folded):
        month = _month_of(word)
        if month and len(word.rstrip(".")) >= 3:
            months.add(month)
    return months


@dataclass
class VolunteerSearch:
    """What a one-box search asks: words for skills or themes, languages spoken, a month."""

    text: str = ""
    terms: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    month: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.terms or self.languages or self.month)


def parse_volunteer_search(text: str) -> VolunteerSearch:
    """Read "water, speaks Spanish, available in March" (or "eau, parle espagnol, disponible
    en mars"): comma-separated pieces, each a skill or theme word, a language, or a month."""
    search = VolunteerSearch(text=(text or "").strip())
    for piece in _SEPARATORS.split(norm(text)):
        piece = piece.strip(" .")
        if not piece:
            continue
        speaks = _SPEAKS.match(piece)
        language = _language_of(piece[speaks.end() :] if speaks else piece)
        if language:
            search.languages.append(language)
            continue
        available = _AVAILABLE.match(piece)
        rest = piece[available.end() :] if available else piece
        month = _month_of(rest.split(" ")[0]) if rest else None
        if month and (available or len(rest.split()) <= 2):
            search.month = month
            continue
        search.terms.append(piece[speaks.end() :] if speaks else piece)
    return search


def _matches(person: Person, search: VolunteerSearch) -> bool:
    skills = [norm(skill.name) for skill in person.skills.all()]
    themes = [norm(f"{t.name_fr} {t.name_en}") for t in person.themes.all()]
    about = [*skills, *themes, norm(person.department)]
    for term in search.terms:
        if not any(term in text for text in about):
            return False
    for code in search.languages:
        if not any(skill in LANGUAGES[code] for skill in skills):
            return False
    return not (search.month and search.month not in availability_months(person.availability))


def search_volunteers(authority: Any, text: str) -> tuple[VolunteerSearch, list[Person]]:
    """The authority's volunteers who match a one-box search (every piece must match): a word
    in a skill, a theme (French or English name) or the department; a language among the
    skills; a month the availability covers. Three queries, whatever the number of people."""
    search = parse_volunteer_search(text)
    people = list(volunteers(authority))
    return search, [person for person in people if _matches(person, search)]


# --- Local actors: what they did in which project ------------------------------------------


def actors_overview(authority: Any) -> QuerySet[Actor]:
    """The authority's local actors with how many project roles and people each has (one
    query), by name."""
    return (
        Actor.objects.of_authority(getattr(authority, "pk", authority))
        .annotate(
            role_count=Count("project_roles", distinct=True),
            people_count=Count("people", distinct=True),
        )
        .order_by("name", "pk")
    )


def actor_roles(actor: Actor) -> QuerySet[ProjectActor]:
    """What an actor did in which project, latest project first."""
    return (
        ProjectActor.objects.filter(actor=actor)
        .select_related("project")
        .order_by(F("project__planned_start").desc(nulls_last=True), "project__pk", "role")
    )


@dataclass(frozen=True)
class MissionValue:
    """A mission with what its time is worth in kind (None while the daily cost is unknown)."""

    mission: Mission
    value: Decimal | None


def missions_valued(person: Person) -> list[MissionValue]:
    """A volunteer's missions, latest first, each valued in kind (`mission_in_kind_value`)."""
    missions = (
        Mission.objects.filter(person=person)
        .select_related("project", "person")
        .order_by(F("started_on").desc(nulls_last=True), "-pk")
    )
    return [MissionValue(mission, mission_in_kind_value(mission)) for mission in missions]
