"""Reads of the workspace's pages: they gather what the domain apps' selectors compute and put
it in the order a page shows it. Whether something is a to-do is the domain's decision (the
apps' `selectors.py`); here it is only collected, worded for the page and sorted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from jumelage.accounts.models import Membership
from jumelage.accounts.selectors import memberships_of
from jumelage.core.models import CONTENT_WRITE_ROLES, WRITE_ROLES
from jumelage.partners.models import MemberAuthority


@dataclass
class Seat:
    """The signed-in user in one member authority: the authority, their role in it, and every
    authority they are a member of (for the switcher)."""

    member: MemberAuthority
    user: Any
    role: str | None  # None for a superuser who is not a member of this authority
    memberships: list[Membership] = field(default_factory=list)

    @property
    def may_write(self) -> bool:
        """May change the authority's records (the services check it again on each write)."""
        return self.user.is_superuser or self.role in WRITE_ROLES

    @property
    def may_write_content(self) -> bool:
        """May write news and documents (contributors too)."""
        return self.user.is_superuser or self.role in CONTENT_WRITE_ROLES

    @property
    def role_label(self) -> str:
        if self.role is None:
            return _("instance administrator")
        return str(Membership(role=self.role).get_role_display())

    @property
    def others(self) -> list[MemberAuthority]:
        """The user's other authorities, for the switcher."""
        return [m.authority for m in self.memberships if m.authority_id != self.member.pk]


def seat(user: Any, slug: str) -> Seat:
    """The user's seat in the authority at `slug`, or a 404: an authority the user may not read
    does not exist for them (`MemberAuthority.objects.for_user`, the rule of every page).
    Two queries: the authority, the user's memberships."""
    member = get_object_or_404(MemberAuthority.objects.for_user(user), slug=slug)
    memberships = list(memberships_of(user))
    role = next((m.role for m in memberships if m.authority_id == member.pk), None)
    if role is None and not user.is_superuser:
        raise Http404  # for_user already said no; kept in case the two rules ever differ
    return Seat(member=member, user=user, role=role, memberships=memberships)
