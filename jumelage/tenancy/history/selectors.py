"""Who reads which entries of the audit log (`entries_for`, for every page and the back
office), and the reads of the history pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, Value
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
            related._base_manager.filter(  # type: ignore[attr-defined]
                **{f"{path}__in": authorities, f"{field}__isnull": False}
            )
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


def _shared_models() -> list[type[SharedModel]]:
    return [model for model in apps.get_models() if issubclass(model, SharedModel)]


def used_register_entries(authorities: Any) -> dict[str, list[str]]:
    """The register's entries these member authorities (ids, or a subquery of them) use or
    added (`_used_entries`, the rule `entries_for` applies too), by record type:
    {"partners.authority": ["12", ...]}. One query (a UNION of the relations: each entry once
    however many records use it), whatever the size of the instance."""
    parts = [
        used.order_by()
        .annotate(label=Value(model._meta.label_lower, models.CharField()))
        .values_list("label", "entry")
        for model in _shared_models()
        for used in _used_entries(model, authorities)
    ]
    found: dict[str, set[str]] = defaultdict(set)
    if parts:
        for label, entry in parts[0].union(*parts[1:]):
            found[label].add(entry)
    return {label: sorted(ids) for label, ids in found.items()}


def authority_history(
    *,
    user: Any,
    member: Any,
    limit: int,
    before: tuple[Any, int] | None = None,
    kind: str = "",
) -> list[AuditEntry]:
    """The changes the user may read that concern the member authority, newest first: its own
    records' entries and those of the shared register's entries it uses (a partner town, a
    funder, whose change shows on its pages); `limit` of them, older than `before` (the time
    and id of the last one shown), of one record type when `kind` is given.

    Read as two short questions merged here, each on its own index, never walking the rest of
    the country's log (a history read newest first across the whole log crosses every other
    authority's recent entries before reaching this one's): the authority's entries on
    (authority, at, id), the register's on (model, object_id) for the entries it uses, listed
    first (one more query). Who reads what is `entries_for`'s rule: a member reads its own
    authorities' entries and the register entries they use; curators the whole register's
    history; superusers everything. At most three queries, with the users who made them."""
    if not is_active_user(user):
        return []
    if before is not None:
        at, pk = before
        older = Q(at__lt=at) | Q(at=at, id__lt=pk)
    else:
        older = Q()
    if kind:
        older &= Q(model=kind)
    ordered = AuditEntry.objects.filter(older).select_related("user").order_by("-at", "-id")
    # The member, if the user may read its records (a subquery: no question of its own).
    member_if_readable = readable_authority_ids(user).filter(authority_id=member.pk)
    own = ordered.filter(authority_id=member.pk)
    if not user.is_superuser:
        own = own.filter(authority_id__in=member_if_readable)
    of_register = ordered.filter(authority__isnull=True)
    register: models.QuerySet[AuditEntry] | None = of_register
    if user.is_curator and not user.is_superuser:
        register = of_register.filter(model__in=[m._meta.label_lower for m in _shared_models()])
    elif not user.is_superuser:
        condition = Q()
        for label, ids in used_register_entries(member_if_readable).items():
            if not kind or kind == label:
                condition |= Q(model=label, object_id__in=ids)
        register = of_register.filter(condition) if condition else None
    found = list(own[:limit])
    if register is not None:
        found += register[:limit]
    return sorted(found, key=lambda entry: (entry.at, entry.pk), reverse=True)[:limit]


def readable_entry_ids(user: Any) -> models.QuerySet | None:
    """The ids of the entries `entries_for(user)` gives, as one subquery a list can filter on
    (`pk__in`), or None when that is every entry (a superuser). The same rule in the shape the
    planner can follow along the indexes: a UNION of the user's authorities' entries
    (`authority`, at, id) and, for each relation of `_used_entries`, the register entries
    used through it (`model`, `object_id`); a curator's register part is every register
    entry. `entries_for`'s OR of these makes PostgreSQL walk the whole log for a list sorted
    by time: the back office's audit log, sorted and counted, costs what the user's own
    entries cost with this one. Tested equal to `entries_for` for members, curators and
    superusers."""
    if not is_active_user(user):
        return AuditEntry.objects.none().values("pk")
    if user.is_superuser:
        return None
    mine = readable_authority_ids(user)
    parts = [AuditEntry.objects.filter(authority_id__in=mine).order_by().values("pk")]
    for model in _shared_models():
        of_model = AuditEntry.objects.filter(
            authority__isnull=True, model=model._meta.label_lower
        ).order_by()
        if user.is_curator:
            parts.append(of_model.values("pk"))
            continue
        parts += [
            of_model.filter(object_id__in=entries_used).values("pk")
            for entries_used in _used_entries(model, mine)
        ]
    return parts[0].union(*parts[1:])


def recent_changes(*, user: Any, member: Any, limit: int = 10) -> list[AuditEntry]:
    """The latest changes the user may read that concern the member authority: its own
    records, and the shared register's entries it uses (`authority_history`)."""
    return authority_history(user=user, member=member, limit=limit)


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
