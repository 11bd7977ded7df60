"""The one write path: every form, admin page, API call, import and command saves through here.

`save_owned` and `delete_owned` check that the user may write in the owning authority, refuse a
stale edit, validate, write atomically and record the change in the audit log. Domain services
(e.g. `agreement_sign`) check their rules first, then call these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jumelage.audit.models import AuditEntry
from jumelage.audit.services import audit_record, diff, snapshot
from jumelage.core import cache as page_cache
from jumelage.tenancy.access import may_write
from jumelage.tenancy.models import OwnedChildModel, OwnedModel

M = TypeVar("M", bound=models.Model)

Rule = Callable[[Any], None]


class ConcurrentEditError(ValidationError):
    """The record changed since the form was opened."""


def concurrent_edit_error() -> ConcurrentEditError:
    """The usual refusal of a stale page (or of a page that does not say what it saw)."""
    return ConcurrentEditError(
        _(
            "Someone else changed this record while you were editing it. "
            "Reload the page to see their change, then make yours again."
        ),
        code="concurrent_edit",
    )


# Rules per model, registered by each app's services module (imported in AppConfig.ready):
# every write of that model through save_owned runs them, whoever calls it.
_RULES: dict[type[models.Model], list[Rule]] = {}


def register_rule(model: type[models.Model]) -> Callable[[Rule], Rule]:
    """Decorator: run this rule on every save of `model` (and of its subclasses)."""

    def decorator(rule: Rule) -> Rule:
        _RULES.setdefault(model, []).append(rule)
        return rule

    return decorator


_DELETE_RULES: dict[type[models.Model], list[Rule]] = {}


def register_delete_rule(model: type[models.Model]) -> Callable[[Rule], Rule]:
    """Decorator: run this check before every delete of `model` through delete_owned."""

    def decorator(rule: Rule) -> Rule:
        _DELETE_RULES.setdefault(model, []).append(rule)
        return rule

    return decorator


def rules_for(instance: models.Model) -> list[Rule]:
    found: list[Rule] = []
    for klass in type(instance).__mro__:
        found.extend(_RULES.get(klass, []))  # type: ignore[call-overload]
    return found


def check_same_authority(instance: models.Model) -> None:
    """Refuse a link from one authority's record to another authority's record.

    Forms offer only the user's own records, but a tampered form, an API call or an import
    could name any id: this is the guard that holds whoever writes.
    """
    own = instance.owning_authority_id()  # type: ignore[attr-defined]
    for field in instance._meta.concrete_fields:
        if not field.is_relation or field.name == "authority":
            continue
        target_model = field.related_model
        if target_model is None or not hasattr(target_model, "owning_authority_id"):
            continue
        target_id = getattr(instance, field.attname)
        if target_id is None:
            continue
        if field.name == getattr(instance, "parent_field", None):
            continue  # the parent is what the authority is read from
        target = target_model._base_manager.filter(pk=target_id).first()
        if target is None or target.owning_authority_id() != own:
            raise ValidationError(
                {
                    field.name: _(
                        "Choose a record of the same authority; this one belongs to another "
                        "authority or does not exist."
                    )
                }
            )


def check_same_authority_m2m(instance: models.Model, name: str, values: Iterable[Any]) -> None:
    own = instance.owning_authority_id()  # type: ignore[attr-defined]
    for value in values:
        if hasattr(value, "owning_authority_id") and value.owning_authority_id() != own:
            raise ValidationError({name: _("Choose records of the same authority only.")})


def user_can_write(user: Any, instance: models.Model) -> bool:
    """Whether the user holds a writing role in the authority that owns the record, read
    afresh (tenancy.access, the one rule)."""
    return may_write(
        user,
        instance.owning_authority_id(),  # type: ignore[attr-defined]
        cast("type[OwnedModel | OwnedChildModel]", type(instance)).write_roles,
        fresh=True,
    )


def check_can_write(user: Any, instance: models.Model) -> None:
    if not user_can_write(user, instance):
        raise PermissionDenied(
            _("You may not change records of this authority. Ask its administrator for a role.")
        )


def lock_current(instance: M) -> M:
    return type(instance)._base_manager.select_for_update().get(pk=instance.pk)


# --- Versions: one per record, covering its rows --------------------------------------------
#
# A record (a project, a financing plan, a visit...) counts its versions; its rows (plan lines,
# participants, indicator periods...) do not: every write of a row checks the version of its
# record, under a lock of the record's row, and moves it on. So a page opened before any change
# to the record or to one of its rows is refused instead of silently putting old values back.


def counts_versions(model: type[models.Model]) -> bool:
    return any(field.name == "version" for field in model._meta.concrete_fields)


@dataclass(frozen=True)
class _Record:
    """The record whose version covers a write: the instance itself, or the record it is a
    row of."""

    model: type[models.Model]
    pk: Any
    is_self: bool

    @property
    def key(self) -> tuple[str, str]:
        return self.model._meta.concrete_model._meta.label_lower, str(self.pk)  # type: ignore[union-attr]


def _record_of(instance: models.Model) -> _Record | None:
    """The record whose version covers `instance`: itself when it counts versions, else the
    record it is edited with (`record_field`, else its parent), up to one that counts them.
    None for a record that counts none (a member authority and its opening hours)."""
    model = type(instance)
    if counts_versions(model):
        return _Record(model, instance.pk, is_self=True)
    name = getattr(instance, "record_field", "") or getattr(instance, "parent_field", "")
    if not name:
        return None
    field = model._meta.get_field(name)
    related = cast("type[models.Model]", field.related_model)
    pk = getattr(instance, field.attname)  # type: ignore[union-attr]
    if pk is None:
        return None  # a row without its record: validation refuses it
    if counts_versions(related):
        return _Record(related, pk, is_self=False)
    parent = related._base_manager.get(pk=pk)
    found = _record_of(parent)
    return None if found is None else _Record(found.model, found.pk, is_self=False)


@dataclass
class _Checked:
    """A record's version as checked (`seen`) and as this edit leaves it (`now`)."""

    seen: int | None
    now: int

    @property
    def moved_on(self) -> bool:
        return self.seen is None or self.now > self.seen


# The records one edit has checked and moved on (see `one_edit`); None outside an edit.
_edit: ContextVar[dict[tuple[str, str], _Checked] | None] = ContextVar("edit", default=None)


@contextmanager
def one_edit() -> Iterator[None]:
    """One edit of a record and its rows (one page, or one service that writes several rows),
    atomically: each record's version is checked once against the version the editor saw and
    moved on once, however many of its rows are written. Nested edits are part of the outer
    one."""
    if _edit.get() is not None:
        yield
        return
    token = _edit.set({})
    try:
        with transaction.atomic():
            yield
    finally:
        _edit.reset(token)


def _check_version(record: _Record, expected: int | None, current: int | None = None) -> _Checked:
    """Refuse the write unless the record is at the version the editor saw; lock its row.

    `expected` None (a page without its version) is refused like a stale one: a write that
    cannot say what it saw could overwrite anything.
    """
    edit = _edit.get()
    if edit is not None and record.key in edit:
        checked = edit[record.key]
        if expected not in (checked.seen, checked.now):
            raise concurrent_edit_error()
        return checked
    if current is None:
        current = (
            record.model._base_manager.select_for_update()
            .filter(pk=record.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is None:  # the record was deleted meanwhile
            raise concurrent_edit_error()
    if expected is None or expected != current:
        raise concurrent_edit_error()
    checked = _Checked(seen=current, now=current)
    if edit is not None:
        edit[record.key] = checked
    return checked


def _created(record: _Record) -> None:
    """A new record starts at version 1; the rows written with it in the same edit need no
    version (the page of a new record has none)."""
    edit = _edit.get()
    if edit is not None:
        edit[record.key] = _Checked(seen=None, now=1)


def _move_on(record: _Record, checked: _Checked) -> int:
    """The record's next version, once per edit; a record moved on for one of its rows is
    written here (the record itself writes its version with its own fields)."""
    if not checked.moved_on:
        checked.now = cast(int, checked.seen) + 1
        if not record.is_self:
            values: dict[str, Any] = {"version": checked.now}
            if any(f.name == "updated_at" for f in record.model._meta.concrete_fields):
                values["updated_at"] = timezone.now()
            record.model._base_manager.filter(pk=record.pk).update(**values)
    return checked.now


def _keep_up(instance: models.Model, record: _Record, version: int) -> None:
    """Bring the caller's copy of the record (cached on the row) to the version written."""
    name = getattr(instance, "record_field", "") or getattr(instance, "parent_field", "")
    field = instance._meta.get_field(name) if name else None
    if field is not None and field.is_cached(instance):  # type: ignore[union-attr]
        cached = field.get_cached_value(instance)  # type: ignore[union-attr]
        if cached is not None and type(cached) is record.model and cached.pk == record.pk:
            cached.version = version  # type: ignore[attr-defined]


def locked_version(instance: models.Model) -> int | None:
    """The current version of the record that covers `instance` (itself, or the record it is
    a row of), read under a lock; None for a new record.

    For writes that no page was opened for (imports, the demo, commands, step services): they
    say so by passing the version they have just read, under the lock that keeps it until their
    transaction ends (call it inside that transaction).
    """
    record = _record_of(instance)
    if record is None or record.pk is None:
        return None
    return (
        record.model._base_manager.select_for_update()
        .filter(pk=record.pk)
        .values_list("version", flat=True)
        .first()
    )


def run_rules(instance: Any, rules: Iterable[Rule]) -> None:
    """Run each rule; gather every refusal into one ValidationError."""
    errors: list[ValidationError] = []
    for rule in rules:
        try:
            rule(instance)
        except ValidationError as error:
            errors.append(error)
    if errors:
        merged: dict[str, list[Any]] = {}
        plain: list[Any] = []
        for refusal in errors:
            if hasattr(refusal, "error_dict"):
                for field, messages in refusal.error_dict.items():
                    merged.setdefault(field, []).extend(messages)
            else:
                plain.extend(refusal.error_list)
        if merged:
            if plain:
                merged.setdefault("__all__", []).extend(plain)
            raise ValidationError(merged)
        raise ValidationError(plain)


@transaction.atomic
def save_owned(
    instance: M,
    *,
    user: Any,
    expected_version: int | None,
    rules: Iterable[Rule] = (),
    m2m: Mapping[str, Iterable[Any]] | None = None,
    verb: str = "",
    exclude: Iterable[str] | None = None,
) -> M:
    """Validate and save an owned record (or a row of one), and log the change.

    The model's registered rules run on every save, then any extra `rules` given.

    `expected_version` is the version the editor saw of the record: of the instance itself, or
    for a row (a plan line, a participant) of the record it is a row of. If the record changed
    since, nothing is written and a ConcurrentEditError says so; None is refused the same way,
    except for a new record (not a new row of an existing record), which has no version yet.
    Writing a row moves its record's version on. Code that writes without a page passes the
    version it has just read (`locked_version`). `m2m` sets many-to-many fields after the save.
    """
    check_can_write(user, instance)
    m2m_values = {name: list(values) for name, values in (m2m or {}).items()}
    before = None
    creating = (
        instance.pk is None or not type(instance)._base_manager.filter(pk=instance.pk).exists()
    )
    record = _record_of(instance)
    checked: _Checked | None = None
    if record is not None and not record.is_self:
        # The record's row is locked before the row's: the same order everywhere, no deadlock.
        checked = _check_version(record, expected_version)
    if not creating:
        current = lock_current(instance)
        check_can_write(user, current)
        if current.owning_authority_id() != instance.owning_authority_id():  # type: ignore[attr-defined]
            raise PermissionDenied(_("A record cannot be moved to another authority."))
        if record is not None and record.is_self:
            checked = _check_version(record, expected_version, current=current.version)  # type: ignore[attr-defined]
        before = snapshot(current)
        before.update(m2m_snapshot(current, m2m_values))
    instance.full_clean(exclude=list(exclude) if exclude else None)
    check_same_authority(instance)
    for name, values in m2m_values.items():
        check_same_authority_m2m(instance, name, values)
    run_rules(instance, [*rules_for(instance), *rules])
    if not creating and before == _full_snapshot(instance, m2m_values):
        if record is not None and record.is_self and checked is not None:
            instance.version = checked.now  # type: ignore[attr-defined]
        return instance  # nothing changed: no write, no version, no empty log entry
    if record is not None and record.is_self:
        instance.version = 1 if creating else _move_on(record, cast(_Checked, checked))  # type: ignore[attr-defined]
    instance.save()
    if record is not None and record.is_self and creating:
        _created(_Record(record.model, instance.pk, is_self=True))
    if record is not None and not record.is_self:
        _keep_up(instance, record, _move_on(record, cast(_Checked, checked)))
    record_write(
        instance,
        user=user,
        creating=creating,
        before=before,
        m2m_values=m2m_values,
        authority_id=instance.owning_authority_id(),  # type: ignore[attr-defined]
        verb=verb,
    )
    return instance


def record_write(
    instance: models.Model,
    *,
    user: Any,
    creating: bool,
    before: dict[str, Any] | None,
    m2m_values: Mapping[str, list[Any]],
    authority_id: int | None,
    verb: str,
) -> None:
    """The tail of every write of a record once it is saved (owned records here, the shared
    register's in register.services): set its many-to-many fields, record the audit entry
    (None: the shared directory), and expire the pages that show it once committed."""
    for name, values in m2m_values.items():
        getattr(instance, name).set(values)
    after = snapshot(instance)
    after.update(m2m_snapshot(instance, m2m_values))
    audit_record(
        user=user,
        instance=instance,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        authority_id=authority_id,
        changes=diff(before, after),
        verb=verb,
    )
    expire_pages(authority_id)


def _full_snapshot(instance: models.Model, m2m_values: Mapping[str, list[Any]]) -> dict:
    values = snapshot(instance)
    values.update(
        {name: sorted(str(getattr(v, "pk", v)) for v in vals) for name, vals in m2m_values.items()}
    )
    return values


def expire_pages(authority_id: int | None) -> None:
    """Once the write is committed, cached public pages of that authority (or, for the shared
    directory, of every authority) are no longer served."""
    transaction.on_commit(lambda: page_cache.bump(authority_id))


def m2m_snapshot(instance: models.Model, m2m: Mapping[str, Iterable[Any]] | None) -> dict:
    if not m2m or instance.pk is None:
        return {}
    return {
        name: sorted(str(pk) for pk in getattr(instance, name).values_list("pk", flat=True))
        for name in m2m
    }


@transaction.atomic
def delete_owned(
    instance: models.Model, *, user: Any, expected_version: int | None, verb: str = ""
) -> None:
    """Delete an owned record (or a row of one) and log it.

    `expected_version` is the version the editor saw of the record (of the record the row
    belongs to, for a row), as for `save_owned`: a stale one deletes nothing. Deleting a row
    moves its record's version on.
    """
    # The caller's copy is not trusted: who owns the record is read from the database (a
    # tampered or stale copy could name the user's own authority), as save_owned does.
    stored = type(instance)._base_manager.filter(pk=instance.pk).first()
    if stored is None:
        raise ValidationError(
            _("This record was deleted meanwhile. Reload the page."), code="already_deleted"
        )
    check_can_write(user, stored)
    record = _record_of(stored)
    checked = _check_version(record, expected_version) if record is not None else None
    current = lock_current(stored)  # the record's row first, then this one: no deadlock
    check_can_write(user, current)
    run_rules(
        current,
        [rule for klass in type(current).__mro__ for rule in _DELETE_RULES.get(klass, [])],  # type: ignore[call-overload]
    )
    authority_id = current.owning_authority_id()  # type: ignore[attr-defined]
    before = snapshot(current)
    audit_record(
        user=user,
        instance=current,
        action=AuditEntry.Action.DELETE,
        authority_id=authority_id,
        changes=diff(before, None),
        verb=verb,
    )
    current.delete()
    instance.pk = None  # as Django's delete() leaves the object it deleted
    if record is not None and not record.is_self:
        _keep_up(instance, record, _move_on(record, cast(_Checked, checked)))
    expire_pages(authority_id)
