"""Reads of the audit log for pages other than the admin's list."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from jumelage.audit.models import AuditEntry


def recent_changes(*, user: Any, member: Any, limit: int = 10) -> list[AuditEntry]:
    """The latest changes the user may read that concern the member authority: its own
    records, and the shared register's entries it uses (a partner town, a funder, whose
    change shows on its pages). One query, with the users who made them."""
    entries = (
        AuditEntry.objects.for_user(user)
        .filter(Q(authority_id=member.pk) | Q(authority__isnull=True))
        .select_related("user")
        .order_by("-at", "-id")
    )
    return list(entries[:limit])
