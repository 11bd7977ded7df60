"""Who reads which entries of the audit log (`entries_for`, for every page and the back
office), and the reads of the history pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

from jumelage.audit.models import AuditEntry
from jumelage.core.models import SharedModel
from jumelage.tenancy.access import is_active_user, readable_authority_ids


def _used_entries(model: type[SharedModel], authorities: Any) -> list[models.QuerySet]:
    """Ids (as text, like `object_id`) of the register entries of `model` that these member
    authorities use or added."""
    found = [
        model._base_manager.filter(added_by__in=authorities)
        .annotate(entry=Cast("pk", models.CharField()))
        .values("entry")
    ]
    for related, field, path in model.usage_relations():
        found.append(
            related._base_manager.filter(**{f"{path}__in": authorities})  # type: ignore[attr-defined]
            .annotate(entry=Cast(field, models.CharField()))
            .values("entry")
        )
    return found


def entries_for(user: Any) -> models.QuerySet[AuditEntry]:
    """The entries a user may read: a member reads those of their authorities, and the history
    of the shared register's entries their authorities use (a change there shows on their
    pages). Curators read the whole register's history; superusers everything."""
    entries = AuditEntry.objects.all()
    if not is_active_user(user):
        return entries.none()
    if user.is_superuser:
        return entries
    mine = readable_authority_ids(user)
    visible = models.Q(authority_id__in=mine)
    for model in apps.get_models():
        if not issubclass(model, SharedModel):
            continue
        of_model = models.Q(authority__isnull=True, model=model._meta.label_lower)
        if user.is_curator:
            visible |= of_model
            continue
        for entries_used in _used_entries(model, mine):
            visible |= of_model & models.Q(object_id__in=entries_used)
    return entries.filter(visible)


def recent_changes(*, user: Any, member: Any, limit: int = 10) -> list[AuditEntry]:
    """The latest changes the user may read that concern the member authority: its own
    records, and the shared register's entries it uses (a partner town, a funder, whose
    change shows on its pages). One query, with the users who made them."""
    entries = (
        entries_for(user)
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
    entries = entries_for(user).filter(condition).select_related("user").order_by("-at", "-id")
    return list(entries[:limit])
