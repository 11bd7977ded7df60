"""Reads of the audit log for pages other than the admin's list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
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


def history_of(*, user: Any, records: Iterable[models.Model], limit: int = 50) -> list[AuditEntry]:
    """The changes the user may read of these records (a project and its parts: plans,
    payments, results...), newest first, with the users who made them. One query, whatever
    the number of records: their ids are grouped by record type."""
    ids: dict[str, set[str]] = defaultdict(set)
    for record in records:
        if record.pk is not None:
            ids[record._meta.label_lower].add(str(record.pk))
    if not ids:
        return []
    condition = Q()
    for label, pks in ids.items():
        condition |= Q(model=label, object_id__in=sorted(pks))
    entries = (
        AuditEntry.objects.for_user(user)
        .filter(condition)
        .select_related("user")
        .order_by("-at", "-id")
    )
    return list(entries[:limit])
