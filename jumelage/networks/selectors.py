"""Reads about networks: which are published, and the "who does what where" table of their
members."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from jumelage.networks.models import Network, NetworkMember
from jumelage.partners.models import MemberAuthority
from jumelage.partners.selectors import of_published_member


def published_networks(member: MemberAuthority | None = None) -> QuerySet[Network]:
    """Networks marked published, of `member` (of every active member when None)."""
    return of_published_member(Network.objects.filter(is_public=True), member)


@dataclass(frozen=True)
class WhoDoesWhatWhere:
    """One row of a network's 3W table (as in humanitarian coordination)."""

    member: NetworkMember
    who: str
    is_authority: bool
    kind: str
    country: str
    place: str
    role: str
    activity: str
    since: int | None


def who_does_what_where(network: Network) -> list[WhoDoesWhatWhere]:
    """The network's members, each with what they do and where, sorted by name: one query."""
    members = NetworkMember.objects.filter(network_id=network.pk).select_related(
        "authority_member__country", "actor__authority__authority__country"
    )
    rows = []
    for member in members:
        authority, actor = member.authority_member, member.actor
        if authority is not None:
            rows.append(
                WhoDoesWhatWhere(
                    member=member,
                    who=authority.name,
                    is_authority=True,
                    kind=authority.get_kind_display(),
                    country=authority.country.name,
                    place=authority.region_name,
                    role=member.role,
                    activity=member.activity,
                    since=member.since,
                )
            )
        elif actor is not None:
            rows.append(
                WhoDoesWhatWhere(
                    member=member,
                    who=actor.name,
                    is_authority=False,
                    kind=actor.get_kind_display(),
                    # An actor is local to the member authority that records it.
                    country=actor.authority.authority.country.name,
                    place=actor.city,
                    role=member.role,
                    activity=member.activity,
                    since=member.since,
                )
            )
    rows.sort(key=lambda row: (row.who.casefold(), row.member.pk))
    return rows
