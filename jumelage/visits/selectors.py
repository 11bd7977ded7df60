"""Reads about visits: which are published, their cost, and what participants still lack to
travel."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jumelage.actors.models import Person
from jumelage.core.formats import long_date
from jumelage.core.money import Money
from jumelage.partners.models import Authority, MemberAuthority
from jumelage.partners.selectors import of_published_member
from jumelage.visits.models import Participant, Visit, VisitCost

# Statuses from which an outgoing delegation is committed to travel, or has travelled.
TRAVELLING_STATUSES = (Visit.Status.CONFIRMED, Visit.Status.DONE)

# The CGCT's article on the mandat spécial of each kind of authority's elected members:
# communes L2123-18, départements L3123-19, régions L4135-19; an EPCI's members come under
# L2123-18, which L5211-14 applies to them (see docs/legal-notes.md).
SPECIAL_MANDATE_ARTICLES: dict[str, str] = {
    Authority.Kind.MUNICIPALITY: "CGCT L2123-18",
    Authority.Kind.DEPARTMENT: "CGCT L3123-19",
    Authority.Kind.REGION: "CGCT L4135-19",
    Authority.Kind.INTERMUNICIPAL: "CGCT L2123-18, L5211-14",
}
ANY_SPECIAL_MANDATE_ARTICLE = "CGCT L2123-18, L3123-19, L4135-19"


def special_mandate_article(visit: Visit) -> str:
    """The article that requires the special mandate of the authority sending the visit.

    Read from the visit's authority when it came with the visit
    (`select_related("authority__authority")`), so that a list of visits costs no query per
    participant; else one query."""
    kind: str | None
    if Visit.authority.is_cached(visit) and MemberAuthority.authority.is_cached(visit.authority):
        kind = visit.authority.authority.kind
    else:
        kind = (
            Authority.objects.filter(membership_record__pk=visit.authority_id)
            .values_list("kind", flat=True)
            .first()
        )
    return SPECIAL_MANDATE_ARTICLES.get(kind or "", ANY_SPECIAL_MANDATE_ARTICLE)


def published_visits(member: MemberAuthority | None = None) -> QuerySet[Visit]:
    """Visits marked published, of `member` (of every active member when None). A cancelled
    visit is not shown: announcing a delegation that will not come would mislead. Its partner
    town and project show only when published: read them with
    `partners.selectors.public_partnership` and `projects.selectors.public_project`."""
    visits = Visit.objects.filter(is_public=True).exclude(status=Visit.Status.CANCELLED)
    return of_published_member(visits, member)


def visit_total_cost(visit: Visit) -> list[Money]:
    """The visit's costs summed by currency (amounts in different currencies are not added)."""
    rows = (
        VisitCost.objects.filter(visit_id=visit.pk)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by("currency")
    )
    return [Money(row["total"], row["currency"]) for row in rows]


def is_travelling(visit: Visit) -> bool:
    return visit.direction == Visit.Direction.OUTGOING and visit.status in TRAVELLING_STATUSES


def _is_elected(participant: Participant) -> bool:
    person = participant.person if participant.person_id else None
    return participant.role == Participant.Role.ELECTED or (
        person is not None and person.kind == Person.Kind.ELECTED
    )


def _is_staff(participant: Participant) -> bool:
    person = participant.person if participant.person_id else None
    return participant.role == Participant.Role.STAFF or (
        person is not None and person.kind == Person.Kind.STAFF
    )


def special_mandate_problem(participant: Participant, visit: Visit) -> str | None:
    """Why the chosen council decision is no special mandate for this visit, if it is not.

    Checked whatever the visit's status: choosing a decision that grants no mandate, or one of
    another authority, is a mistake to show at once.
    """
    decision = participant.special_mandate if participant.special_mandate_id else None
    if decision is None:
        return None
    if decision.authority_id != visit.authority_id:
        return _(
            "Council decision %(number)s belongs to another authority: choose a decision of "
            "the authority that sends the delegation."
        ) % {"number": decision.number}
    if not decision.is_special_mandate:
        return _(
            "Council decision %(number)s grants no special mandate: choose the decision that "
            "does, or tick “grants a special mandate” on it if it does."
        ) % {"number": decision.number}
    return None


def travel_paper_problems(participant: Participant, visit: Visit) -> dict[str, str]:
    """What a participant lacks to travel with this outgoing delegation, by form field.

    An elected official is reimbursed only under a special mandate voted by the council
    (mandat spécial: CGCT L2123-18 for a commune, L3123-19 for a département, L4135-19 for a
    région) and enforceable by the departure; a staff member needs a mission order. Empty when
    nothing is missing, or when the visit is not an outgoing one.

    A mandate enforceable on the day of departure is in time: a decision is enforceable from
    the day recorded (CGCT L2131-1), the same reading as the signature of an agreement
    (agreements.services.signature_follows_an_enforceable_council_decision).
    """
    problems: dict[str, str] = {}
    if visit.direction != Visit.Direction.OUTGOING:
        return problems
    name = str(participant) or _("a participant")
    if _is_elected(participant):
        decision = participant.special_mandate if participant.special_mandate_id else None
        wrong = special_mandate_problem(participant, visit)
        if wrong:
            problems["special_mandate"] = wrong
        elif decision is None:
            problems["special_mandate"] = _(
                "%(name)s is an elected official: choose the council decision that grants "
                "their special mandate (%(article)s)."
            ) % {"name": name, "article": special_mandate_article(visit)}
        elif decision.enforceable_on is None:
            problems["special_mandate"] = _(
                "The special mandate of %(name)s (decision %(number)s) is not enforceable yet: "
                "record the date it became enforceable on the council decision."
            ) % {"name": name, "number": decision.number}
        elif visit.starts_on is not None and decision.enforceable_on > visit.starts_on:
            problems["special_mandate"] = _(
                "The special mandate of %(name)s (decision %(number)s) is enforceable only from "
                "%(enforceable)s, after the departure on %(departure)s: choose a decision "
                "enforceable by the departure, or move the departure date."
            ) % {
                "name": name,
                "number": decision.number,
                "enforceable": long_date(decision.enforceable_on),
                "departure": long_date(visit.starts_on),
            }
    if _is_staff(participant) and not participant.mission_order.strip():
        problems["mission_order"] = _(
            "%(name)s is a staff member: give the reference of their mission order."
        ) % {"name": name}
    return problems


def visit_travel_paper_problems(visit: Visit) -> list[tuple[Participant, dict[str, str]]]:
    """The stored participants of a visit who lack a paper to travel, with what they lack."""
    if visit.pk is None or visit.direction != Visit.Direction.OUTGOING:
        return []
    participants = Participant.objects.filter(visit_id=visit.pk).select_related(
        "person", "special_mandate"
    )
    found = []
    for participant in participants:
        problems = travel_paper_problems(participant, visit)
        if problems:
            found.append((participant, problems))
    return found


def visit_days(visit: Visit) -> tuple[datetime.date, datetime.date] | None:
    """The visit's first and last day (a visit without a last day lasts one day), or None
    while it is not dated."""
    if visit.starts_on is None:
        return None
    return visit.starts_on, visit.ends_on or visit.starts_on


def programme_date_problem(day: datetime.date, visit: Visit) -> str | None:
    """Why a programme item on `day` does not fit the visit's dates, if it does not: the
    programme is what the delegation does during the visit, so a day before its first or after
    its last is a typing mistake (or the visit's dates are to be changed first)."""
    days = visit_days(visit)
    if days is None or days[0] <= day <= days[1]:
        return None
    first, last = days
    if first == last:
        return _(
            "%(day)s is not the day of the visit (%(first)s): give the visit's day, or change "
            "the visit's dates first."
        ) % {"day": long_date(day), "first": long_date(first)}
    return _(
        "%(day)s is outside the visit, from %(first)s to %(last)s: give a day of the visit, or "
        "change the visit's dates first."
    ) % {"day": long_date(day), "first": long_date(first), "last": long_date(last)}


def coming_visits_missing_papers(
    *, user: Any, member: Any, today: datetime.date | None = None
) -> list[tuple[Visit, list[tuple[Participant, dict[str, str]]]]]:
    """Outgoing delegations planned or confirmed from today on whose participants lack a
    paper to travel (`travel_paper_problems`), soonest departure first, each with those
    participants and what they lack. Two queries, whatever the number of visits."""
    today = today or timezone.localdate()
    participants = Participant.objects.select_related("person", "special_mandate").order_by("pk")
    visits = (
        Visit.objects.for_user(user)
        .of_authority(member.pk)
        .select_related("authority__authority")  # the article of the special mandate
        .filter(
            direction=Visit.Direction.OUTGOING,
            status__in=(Visit.Status.PLANNED, Visit.Status.CONFIRMED),
            starts_on__gte=today,
        )
        .prefetch_related(Prefetch("participants", queryset=participants))
        .order_by(F("starts_on").asc(), "pk")
    )
    found = []
    for visit in visits:
        lacking = []
        for participant in visit.participants.all():
            problems = travel_paper_problems(participant, visit)
            if problems:
                lacking.append((participant, problems))
        if lacking:
            found.append((visit, lacking))
    return found


# --- The calendar ------------------------------------------------------------------------------


def visits_between(
    *, user: Any, start: datetime.date, end: datetime.date, member: Any = None
) -> QuerySet[Visit]:
    """Visits of the user's authorities (of `member` only when given) under way at some time
    between `start` and `end`, cancelled ones left out; a visit without an end lasts its first
    day. Earliest first, with their partnership and partner town (one query)."""
    visits = Visit.objects.for_user(user)
    if member is not None:
        visits = visits.of_authority(member.pk)
    return (
        visits.exclude(status=Visit.Status.CANCELLED)
        .filter(starts_on__isnull=False, starts_on__lte=end)
        .filter(Q(ends_on__gte=start) | Q(ends_on__isnull=True, starts_on__gte=start))
        .select_related("partnership__partner")
        .order_by("starts_on", "pk")
    )


def partnership_visits(*, user: Any, partnership: Any) -> QuerySet[Visit]:
    """The partnership's visits the user may read, with how many took part (one query)."""
    return (
        Visit.objects.for_user(user)
        .filter(partnership_id=partnership.pk)
        .annotate(participant_count=Count("participants"))
        .order_by(F("starts_on").asc(nulls_last=True), "pk")
    )


def visits_of_year(member: MemberAuthority, year: int) -> QuerySet[Visit]:
    """The member's visits that began in the year (or, undated at the start, ended in it),
    cancelled ones left out, soonest first, with their partner town and number of
    participants (one query)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        Visit.objects.filter(authority=member)
        .exclude(status=Visit.Status.CANCELLED)
        .filter(
            Q(starts_on__gte=start, starts_on__lte=end)
            | Q(starts_on__isnull=True, ends_on__gte=start, ends_on__lte=end)
        )
        .select_related("partnership__partner__country")
        .annotate(participant_count=Count("participants"))
        .order_by("starts_on", "ends_on", "pk")
    )
