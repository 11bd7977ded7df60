"""Writes for networks, their members and meetings, and the rules every write of them runs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jumelage.networks.models import Meeting, Network, NetworkMember
from jumelage.tenancy.services import register_rule, save_owned

# --- Rules ----------------------------------------------------------------------------------


@register_rule(NetworkMember)
def member_is_an_authority_or_an_actor(member: NetworkMember) -> None:
    # A row of the "who does what where" table names one member (domain guide §3, networks);
    # the database constraint refuses neither, this refuses both.
    if member.authority_member_id is not None and member.actor_id is not None:
        raise ValidationError(
            _(
                "Choose either an authority or an actor for this member, not both: add one "
                "member for each."
            )
        )


# --- Writes ---------------------------------------------------------------------------------


def network_save(
    *,
    network: Network,
    user: Any,
    countries: Iterable[Any] | None = None,
    expected_version: int | None,
) -> Network:
    m2m = {"countries": countries} if countries is not None else None
    return save_owned(network, user=user, m2m=m2m, expected_version=expected_version)


# A network's members and meetings are checked against the network's version the editor saw,
# and move it on.


def network_member_save(
    *, member: NetworkMember, user: Any, expected_version: int | None
) -> NetworkMember:
    return save_owned(member, user=user, expected_version=expected_version)


def meeting_save(*, meeting: Meeting, user: Any, expected_version: int | None) -> Meeting:
    return save_owned(meeting, user=user, expected_version=expected_version)
