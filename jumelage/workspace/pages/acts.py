"""The acts of a partnership as their forms need them: the authority's council decisions and
the partnership's agreements the user may read (another authority's are not found), and whether
the user may write them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.partners.models import Partnership
from jumelage.tenancy.access import may_write
from jumelage.workspace.selectors import Seat


def may_write_acts(place: Seat) -> bool:
    """May record and correct the authority's council decisions and agreements (the services
    check it again on each write)."""
    roles = set(Agreement.write_roles) & set(CouncilDecision.write_roles)
    return may_write(place.user, place.member.pk, roles)


def authority_decisions(place: Seat) -> QuerySet[CouncilDecision]:
    """The authority's council decisions the user may read, latest sitting first."""
    return (
        CouncilDecision.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .order_by("-date", "-pk")
    )


def readable_decision(place: Seat, pk: int) -> CouncilDecision:
    """One of the authority's council decisions, or a 404."""
    return get_object_or_404(authority_decisions(place), pk=pk)


def readable_agreement(place: Seat, partnership: Partnership, pk: int) -> Agreement:
    """One of the partnership's agreements the user may read, or a 404."""
    agreements = (
        Agreement.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .filter(partnership_id=partnership.pk)
        .select_related("council_decision", "partnership__partner")
    )
    return get_object_or_404(agreements, pk=pk)
