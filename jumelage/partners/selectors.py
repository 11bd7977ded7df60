"""Reads of the partners app: a member authority's partnerships, twin towns and cooperations."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jumelage.partners.models import Authority, MemberAuthority, Partnership


def partnership_list(
    *, member: MemberAuthority, user: Any = None, include_ended: bool = True
) -> QuerySet[Partnership]:
    """A member authority's partnerships, each with its partner and the partner's country.

    With a user: the partnerships that user may read. Without one (public pages): the
    published ones only. Partner and country come in the same query.
    """
    partnerships = Partnership.objects.of_authority(member.pk)
    partnerships = partnerships.published() if user is None else partnerships.for_user(user)
    if not include_ended:
        partnerships = partnerships.exclude(status=Partnership.Status.ENDED)
    return partnerships.select_related("partner__country").order_by("partner__name", "kind")


def twin_towns(
    *, member: MemberAuthority, user: Any = None, include_ended: bool = False
) -> QuerySet[Partnership]:
    """The member authority's twinnings (current ones unless `include_ended`)."""
    return partnership_list(member=member, user=user, include_ended=include_ended).filter(
        kind=Partnership.Kind.TWINNING
    )


def cooperations(
    *, member: MemberAuthority, user: Any = None, include_ended: bool = False
) -> QuerySet[Partnership]:
    """The member authority's decentralised cooperations (current ones unless `include_ended`)."""
    return partnership_list(member=member, user=user, include_ended=include_ended).filter(
        kind=Partnership.Kind.COOPERATION
    )


# --- Gaps of the public page (the workspace's home) ------------------------------------------


def _unplaced(authority: Authority) -> bool:
    return authority.latitude is None or authority.longitude is None


def towns_missing_from_the_map(*, member: MemberAuthority, user: Any) -> list[Authority]:
    """The member itself and the partner towns of its published, current partnerships whose
    position is unknown: the public map cannot place them (one query)."""
    towns = [member.authority] if _unplaced(member.authority) else []
    partnerships = (
        partnership_list(member=member, user=user, include_ended=False)
        .filter(is_public=True)
        .filter(Q(partner__latitude__isnull=True) | Q(partner__longitude__isnull=True))
    )
    seen: set[int] = set()
    for partnership in partnerships:
        if partnership.partner_id not in seen:
            seen.add(partnership.partner_id)
            towns.append(partnership.partner)
    return towns


# The ways to reach the service that its public contact page shows, in the order it shows them.
CONTACT_EMAIL, CONTACT_PHONE, CONTACT_ADDRESS = "email", "phone", "address"


def service_contact_gaps(member: MemberAuthority) -> list[str]:
    """The ways to reach the service that its public contact page lacks (no query):
    `CONTACT_EMAIL`, `CONTACT_PHONE`, `CONTACT_ADDRESS` (a street and a town)."""
    gaps = []
    if not member.email.strip():
        gaps.append(CONTACT_EMAIL)
    if not member.phone.strip():
        gaps.append(CONTACT_PHONE)
    if not (member.street.strip() and member.city.strip()):
        gaps.append(CONTACT_ADDRESS)
    return gaps
