"""Who may do what with an entry of the shared register (one definition, used by the
services, the admin pages and the imports)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from jumelage.accounts.models import Role
from jumelage.core.models import SharedModel
from jumelage.tenancy.access import is_active_user, writable_authority_ids
from jumelage.tenancy.models import WRITE_ROLES


def writing_authorities(user: Any) -> set[int]:
    """The member authorities where the user holds a writing role (tenancy.access)."""
    return {row["authority_id"] for row in writable_authority_ids(user, WRITE_ROLES)}


def may_add_entries(user: Any) -> bool:
    """Anyone with a writing role in some authority may add a partner town, a funder, a call
    or a skill: a new entry changes nobody else's pages."""
    if not is_active_user(user):
        return False
    return bool(user.is_superuser or user.is_curator or writing_authorities(user))


def is_curator(user: Any) -> bool:
    return bool(is_active_user(user) and (user.is_superuser or user.is_curator))


def may_review(user: Any, entry: SharedModel) -> bool:
    """Who decides on a correction of this entry: the administrators of the member authority
    whose identity it is; for every other entry, the register's curators."""
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    identity = entry.identity_of()
    if identity is not None:
        from jumelage.accounts.models import Membership

        return Membership.objects.filter(
            user_id=user.pk, authority_id=identity, role=Role.ADMIN
        ).exists()
    return bool(user.is_curator)


def may_change_directly(user: Any, entry: SharedModel) -> bool:
    """Whether the user's change of this entry is written at once, or becomes a proposal.

    - A member authority's own entry (its name, SIREN, IATI organisation id head its IATI
      file): its administrators only.
    - An entry that only the user's authorities use (or added, while nobody else uses it):
      their officers, so that a town corrects the partner town it alone works with.
    - Any other entry (used by other authorities): the curators.
    """
    if not is_active_user(user):
        return False
    if entry.pk is None:
        return may_add_entries(user)
    if entry.identity_of() is not None:
        return may_review(user, entry)
    if user.is_superuser or user.is_curator:
        return True
    users = entry.used_by()
    if entry.added_by_id is not None:
        users.add(entry.added_by_id)
    return bool(users) and users <= writing_authorities(user)


def may_change_directly_each(user: Any, entries: Sequence[SharedModel]) -> dict[int, bool]:
    """`may_change_directly` for several entries of one model, in a fixed number of queries
    (one per relation that uses the model, and three more), for a page listing entries with a
    button each. The same rule as `may_change_directly`."""
    from jumelage.accounts.models import Membership

    if not entries:
        return {}
    if not is_active_user(user):
        return {entry.pk: False for entry in entries}
    model = type(entries[0])
    pks = [entry.pk for entry in entries]
    identities = model.identities_of(pks)
    administered = set(
        Membership.objects.filter(user_id=user.pk, role=Role.ADMIN).values_list(
            "authority_id", flat=True
        )
    )
    curator = bool(user.is_superuser or user.is_curator)
    mine = writing_authorities(user) if not curator else set()
    users: dict[int, set[int]] = {pk: set() for pk in pks}
    if not curator:
        for related, field, path in model.usage_relations():
            rows = (
                related._base_manager.filter(**{f"{field}__in": pks})  # type: ignore[attr-defined]
                .values_list(field, path)
                .distinct()
            )
            for entry_id, authority_id in rows:
                if authority_id is not None:
                    users[entry_id].add(authority_id)
    found = {}
    for entry in entries:
        identity = identities.get(entry.pk)
        if identity is not None:
            found[entry.pk] = bool(user.is_superuser or identity in administered)
        elif curator:
            found[entry.pk] = True
        else:
            used = users[entry.pk] | ({entry.added_by_id} if entry.added_by_id else set())
            found[entry.pk] = bool(used) and used <= mine
    return found


def reviewers(entry: SharedModel) -> models.QuerySet:
    """The people told of a new proposal: those who may decide on it."""
    from jumelage.accounts.models import User

    active = User.objects.filter(is_active=True)
    identity = entry.identity_of()
    if identity is not None:
        return active.filter(memberships__authority_id=identity, memberships__role=Role.ADMIN)
    curators = active.filter(is_curator=True)
    return curators if curators.exists() else active.filter(is_superuser=True)
