"""Write audit entries. Called by the core write services, never by views."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from jumelage.audit.models import AuditEntry


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value, readable in the log."""
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The instance's concrete field values, by attribute name (foreign keys as ids)."""
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in {"created_at", "updated_at", "version"}:
            continue
        values[field.attname] = _plain(field.value_from_object(instance))
    return values


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    """Field -> [before, after] for the fields that changed."""
    before = before or {}
    after = after or {}
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def audit_record(
    *,
    user: Any,
    instance: models.Model,
    action: str,
    authority_id: int | None,
    changes: dict[str, Any] | None = None,
    verb: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        authority_id=authority_id,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        verb=verb,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes or {},
    )


def audit_bulk(
    *, user: Any, model: type[models.Model], summary: str, changes: dict[str, Any], verb: str
) -> AuditEntry:
    """One entry for a bulk write of many records (a reference data load), with its counts."""
    return AuditEntry.objects.create(
        authority_id=None,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=AuditEntry.Action.ACTION,
        verb=verb,
        model=model._meta.label_lower,
        object_id="*",
        object_repr=summary[:300],
        changes=changes,
    )
