"""Reads of the agreements app: the Atlas's year of first signature, agreements awaiting a step."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import F, Min, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from jumelage.agreements.models import Agreement
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.partners.selectors import of_published_member

# Statuses in which an act has been signed, with or without an end since.
SIGNED_STATUSES = (Agreement.Status.SIGNED, Agreement.Status.ENFORCEABLE)


def first_signature_year(partnership: Partnership) -> int | None:
    """The year the partnership's first act was signed (the Atlas sheet's "année de première
    signature"), or None if no signature is recorded. Uses the annotation of
    `with_first_signature_year` when the partnership comes from it (no query then)."""
    if hasattr(partnership, "first_signature_year"):
        return partnership.first_signature_year
    first = Agreement.objects.filter(
        partnership_id=partnership.pk, signed_on__isnull=False
    ).aggregate(first=Min("signed_on"))["first"]
    return first.year if first else None


def with_first_signature_year(partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """Annotate each partnership with `first_signature_year`, in the same query (for lists and
    the national Atlas export)."""
    return partnerships.annotate(first_signature_year=ExtractYear(Min("agreements__signed_on")))


def _agreements(user: Any, member: MemberAuthority | None) -> QuerySet[Agreement]:
    agreements = Agreement.objects.for_user(user)
    if member is not None:
        agreements = agreements.of_authority(member.pk)
    return agreements.select_related("partnership__partner__country", "council_decision")


def agreements_awaiting_signature(
    *, user: Any, member: MemberAuthority | None = None
) -> QuerySet[Agreement]:
    """Agreements approved by the council but not signed yet, oldest decision first."""
    return (
        _agreements(user, member)
        .filter(status=Agreement.Status.APPROVED, signed_on__isnull=True)
        .order_by("council_decision__date", "pk")
    )


def agreements_awaiting_transmission(
    *, user: Any, member: MemberAuthority | None = None
) -> QuerySet[Agreement]:
    """Agreements signed but whose signed act is not yet transmitted to the prefect (so not in
    force), oldest signature first."""
    return (
        _agreements(user, member)
        .filter(status=Agreement.Status.SIGNED, transmitted_on__isnull=True)
        .order_by("signed_on", "pk")
    )


# --- What an officer has to do next (the workspace's home) -----------------------------------


def agreements_awaiting_approval(
    *, user: Any, member: MemberAuthority | None = None
) -> QuerySet[Agreement]:
    """Draft agreements: no council decision approves them yet, and an act is signed only once
    the decision approving it is enforceable (CGCT L2131-1; TA Montpellier, 7 November 2002,
    n° 01-4224). Oldest first."""
    return (
        _agreements(user, member).filter(status=Agreement.Status.DRAFT).order_by("created_at", "pk")
    )


def _decision_enforceable(today: datetime.date) -> Q:
    return Q(council_decision__enforceable_on__isnull=False) & Q(
        council_decision__enforceable_on__lte=today
    )


def agreements_waiting_for_their_decision(
    *, user: Any, member: MemberAuthority | None = None, today: datetime.date | None = None
) -> QuerySet[Agreement]:
    """Agreements approved but not signed whose council decision is not enforceable yet (not
    transmitted to the prefect, or enforceable only later): they cannot be signed before it
    is. Oldest decision first."""
    today = today or timezone.localdate()
    return agreements_awaiting_signature(user=user, member=member).exclude(
        _decision_enforceable(today)
    )


def agreements_ready_to_sign(
    *, user: Any, member: MemberAuthority | None = None, today: datetime.date | None = None
) -> QuerySet[Agreement]:
    """Agreements approved but not signed whose council decision is enforceable: the mayor
    may sign them. Oldest decision first."""
    today = today or timezone.localdate()
    return agreements_awaiting_signature(user=user, member=member).filter(
        _decision_enforceable(today)
    )


# How long before its end an agreement in force is worth a reminder: a renewal goes before the
# council first, and councils sit about once a month.
EXPIRY_NOTICE_DAYS = 90


def agreements_expiring(
    *,
    user: Any,
    member: MemberAuthority | None = None,
    today: datetime.date | None = None,
    days: int = EXPIRY_NOTICE_DAYS,
) -> QuerySet[Agreement]:
    """Agreements in force that end within `days` days, or whose end has passed while they
    are still recorded as in force; soonest end first."""
    today = today or timezone.localdate()
    return (
        _in_force_with_an_end(user, member)
        .filter(ends_on__lte=today + datetime.timedelta(days=days))
        .order_by("ends_on", "pk")
    )


def _in_force_with_an_end(user: Any, member: MemberAuthority | None) -> QuerySet[Agreement]:
    # What "an agreement expires" means, for the home's reminder and the calendar alike.
    return _agreements(user, member).filter(
        status=Agreement.Status.ENFORCEABLE, ends_on__isnull=False
    )


def agreements_ending_between(
    *, user: Any, start: datetime.date, end: datetime.date, member: MemberAuthority | None = None
) -> QuerySet[Agreement]:
    """Agreements in force whose term falls between `start` and `end` (the calendar), of the
    user's authorities (of `member` only when given); soonest end first."""
    return (
        _in_force_with_an_end(user, member)
        .filter(ends_on__gte=start, ends_on__lte=end)
        .order_by("ends_on", "pk")
    )


# --- One partnership's acts (the workspace's partnership page) -------------------------------


def partnership_agreements(*, user: Any, partnership: Partnership) -> QuerySet[Agreement]:
    """The partnership's agreements the user may read, with their council decision, in the
    order they were made (signature, else creation)."""
    return (
        Agreement.objects.for_user(user)
        .filter(partnership_id=partnership.pk)
        .select_related("council_decision")
        .order_by(F("signed_on").asc(nulls_last=True), "created_at", "pk")
    )


def forecast_commitments_in_force(agreements: list[Agreement]) -> dict[str, Decimal]:
    """The forecast financial commitments (CGCT L1115-1) of the signed acts among
    `agreements` that are in force or signed, summed by currency (no query)."""
    totals: dict[str, Decimal] = {}
    for agreement in agreements:
        if agreement.status in SIGNED_STATUSES and agreement.forecast_commitment is not None:
            totals[agreement.currency] = (
                totals.get(agreement.currency, Decimal(0)) + agreement.forecast_commitment
            )
    return totals


# --- What is published -----------------------------------------------------------------------


def published_agreements(member: MemberAuthority | None = None) -> QuerySet[Agreement]:
    """Agreements marked published, of `member` (of every active member when None). A draft
    is never public, whatever its box says: it is not an act of the authority yet."""
    agreements = Agreement.objects.filter(is_public=True).exclude(status=Agreement.Status.DRAFT)
    return of_published_member(agreements, member)
