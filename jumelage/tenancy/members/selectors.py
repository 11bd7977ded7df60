"""Reads about users and memberships: who administers which authority, who may see whom."""

from __future__ import annotations

from typing import Any

from django.db import models

from jumelage.accounts.models import Membership, Role, User
from jumelage.tenancy.access import is_active_user
from jumelage.tenancy.models import tenant_model


def administered_authorities(user: Any) -> models.QuerySet:
    """The member authorities where the user may manage members: those where they are an
    administrator (every one, for a superuser)."""
    MemberAuthority = tenant_model()
    if not is_active_user(user):
        return MemberAuthority.objects.none()
    if user.is_superuser:
        return MemberAuthority.objects.all()
    return MemberAuthority.objects.filter(
        pk__in=Membership.objects.filter(user_id=user.pk, role=Role.ADMIN).values("authority_id")
    )


def is_authority_admin(user: Any, authority: Any = None) -> bool:
    """Whether the user administers `authority` (or, without one, any authority)."""
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    memberships = Membership.objects.filter(user_id=user.pk, role=Role.ADMIN)
    if authority is not None:
        memberships = memberships.filter(authority_id=getattr(authority, "pk", authority))
    return memberships.exists()


def users_visible_to(user: Any) -> models.QuerySet:
    """The users an authority administrator sees: the members of the authorities they
    administer (every user, for a superuser)."""
    if not is_active_user(user):
        return User.objects.none()
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(
        pk__in=Membership.objects.filter(
            authority_id__in=administered_authorities(user).values("pk")
        ).values("user_id")
    )


def user_manageable_by(user: User, by: Any) -> bool:
    """Whether `by` may change `user`'s account (names, e-mail, password, active).

    An authority administrator may change an account only if every membership of that
    account is in an authority they administer: otherwise the administrator of one city
    could take over (by its password) the account of another city's administrator.
    Nobody but a superuser changes a superuser.
    """
    if not is_active_user(by):
        return False
    if by.is_superuser:
        return True
    if user.is_superuser or user.pk is None:
        return False
    memberships = Membership.objects.filter(user_id=user.pk)
    administered = administered_authorities(by).values("pk")
    return memberships.exists() and not memberships.exclude(authority_id__in=administered).exists()


def memberships_of(user: Any) -> models.QuerySet:
    """The user's memberships with their authority's directory entry, by authority name (one
    query): the workspace's authority switcher and the user's role in each authority."""
    if not is_active_user(user):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user_id=user.pk)
        .select_related("authority__authority")
        .order_by("authority__authority__name", "authority__slug")
    )
