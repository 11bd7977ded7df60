"""Reads of the partners app: a member authority's partnerships, twin towns and cooperations."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jumelage.partners.models import MemberAuthority, Partnership


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
