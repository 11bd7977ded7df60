"""Reads of the agreements app: the Atlas's year of first signature, agreements awaiting a step."""

from __future__ import annotations

from typing import Any

from django.db.models import Min, QuerySet
from django.db.models.functions import ExtractYear

from jumelage.agreements.models import Agreement
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.partners.selectors import of_published_member


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


# --- What is published -----------------------------------------------------------------------


def published_agreements(member: MemberAuthority | None = None) -> QuerySet[Agreement]:
    """Agreements marked published, of `member` (of every active member when None). A draft
    is never public, whatever its box says: it is not an act of the authority yet."""
    agreements = Agreement.objects.filter(is_public=True).exclude(status=Agreement.Status.DRAFT)
    return of_published_member(agreements, member)
