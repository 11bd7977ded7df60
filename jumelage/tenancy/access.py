"""The one rule of who may read and write a member authority's records.

A user may read the records of the authorities they are a member of, and write those of the
authorities where their role is one of the record's `write_roles`; an instance superuser may
do everything; an inactive or anonymous user nothing. Querysets (`for_user`, `writable_by`),
the write path (`tenancy.services.check_can_write`), the back office's buttons and the register
all ask here. Who reads across every authority at once (a national body) is decided here too:
`may_read_national_reports`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from jumelage.accounts.models import Membership


def is_active_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def roles_of(user: Any, *, fresh: bool = False) -> dict[int, str]:
    """The user's role in each of their authorities.

    Read once per request and kept on the user object, for what the pages show (menus,
    buttons); the write path asks for `fresh` roles, so a role withdrawn a moment ago is not
    used to write.
    """
    cached = None if fresh else getattr(user, "_jumelage_roles", None)
    if cached is None:
        cached = dict(
            Membership.objects.filter(user_id=user.pk).values_list("authority_id", "role")
        )
        user._jumelage_roles = cached
    return cached


def may_write(
    user: Any, authority_id: int | None, roles: Iterable[str], *, fresh: bool = False
) -> bool:
    """Whether the user may write a record of `authority_id` that `roles` may write."""
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    if authority_id is None:
        return False
    return roles_of(user, fresh=fresh).get(authority_id) in tuple(roles)


def may_report(
    user: Any, authority_id: int | None, assigned_user_ids: Iterable[int], *, fresh: bool = False
) -> bool:
    """Whether the user may report a project's indicator values (submit an update): its
    authority's officers and administrators, and the contributors assigned to the project
    (`assigned_user_ids`); a contributor of the authority who is not assigned may not."""
    from jumelage.accounts.models import Role
    from jumelage.tenancy.models import WRITE_ROLES

    if may_write(user, authority_id, WRITE_ROLES, fresh=fresh):
        return True
    if not is_active_user(user) or authority_id is None:
        return False
    role = roles_of(user, fresh=fresh).get(authority_id)
    return role == Role.CONTRIBUTOR and user.pk in set(assigned_user_ids)


def may_approve(user: Any, authority_id: int | None, *, fresh: bool = False) -> bool:
    """Whether the user may approve or refuse what contributors report (indicator updates):
    the authority's officers and administrators."""
    from jumelage.tenancy.models import WRITE_ROLES

    return may_write(user, authority_id, WRITE_ROLES, fresh=fresh)


def may_write_somewhere(user: Any, roles: Iterable[str]) -> bool:
    """Whether the user may write such records in at least one authority (an add button)."""
    if not is_active_user(user):
        return False
    wanted = tuple(roles)
    return bool(user.is_superuser or any(role in wanted for role in roles_of(user).values()))


def may_read_national_reports(user: Any) -> bool:
    """Whether the user may read the instance-wide reports (every member authority's ODA at
    once): the instance's administrators (superusers), and the readers of a national body whom
    an administrator marked "national reports reader" (`User.reads_national_reports`). Being a
    member of many authorities is not enough: the view shows authorities they do not belong to."""
    if not is_active_user(user):
        return False
    return bool(user.is_superuser or getattr(user, "reads_national_reports", False))


def readable_authority_ids(user: Any) -> models.QuerySet:
    """The ids of the authorities whose records the user may read, as a subquery."""
    return Membership.objects.filter(user_id=user.pk).values("authority_id")


def writable_authority_ids(user: Any, roles: Iterable[str]) -> models.QuerySet:
    """The ids of the authorities where the user may write records that `roles` may write,
    as a subquery (superusers are handled by the caller: every authority)."""
    return Membership.objects.filter(user_id=user.pk, role__in=tuple(roles)).values("authority_id")
