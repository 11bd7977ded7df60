"""The one write path: every form, admin page, API call, import and command saves through here.

`save_owned` and `delete_owned` check that the user may write in the owning authority, refuse a
stale edit, validate, write atomically and record the change in the audit log. Domain services
(e.g. `agreement_sign`) check their rules first, then call these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from jumelage.audit.models import AuditEntry
from jumelage.audit.services import audit_record, diff, snapshot
from jumelage.core import cache as page_cache

if TYPE_CHECKING:
    from jumelage.core.models import OwnedChildModel, OwnedModel

M = TypeVar("M", bound=models.Model)

Rule = Callable[[Any], None]


class ConcurrentEditError(ValidationError):
    """The record changed since the form was opened."""


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
    """Whether the user holds a writing role in the authority that owns the record."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    authority_id = instance.owning_authority_id()  # type: ignore[attr-defined]
    if authority_id is None:
        return False
    from jumelage.accounts.models import Membership

    return Membership.objects.filter(
        user_id=user.pk,
        authority_id=authority_id,
        role__in=cast("type[OwnedModel | OwnedChildModel]", type(instance)).write_roles,
    ).exists()


def check_can_write(user: Any, instance: models.Model) -> None:
    if not user_can_write(user, instance):
        raise PermissionDenied(
            _("You may not change records of this authority. Ask its administrator for a role.")
        )


def _lock_current(instance: M) -> M:
    return type(instance)._base_manager.select_for_update().get(pk=instance.pk)


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
    rules: Iterable[Rule] = (),
    expected_version: int | None = None,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    verb: str = "",
    exclude: Iterable[str] | None = None,
) -> M:
    """Validate and save an owned record (or a part of one), and log the change.

    The model's registered rules run on every save, then any extra `rules` given.

    `expected_version` is the version the editor saw: if the record changed since, nothing is
    written and a ConcurrentEditError says so. `m2m` sets many-to-many fields after the save.
    """
    check_can_write(user, instance)
    m2m_values = {name: list(values) for name, values in (m2m or {}).items()}
    before = None
    current_version: int | None = None
    creating = (
        instance.pk is None or not type(instance)._base_manager.filter(pk=instance.pk).exists()
    )
    if not creating:
        current = _lock_current(instance)
        check_can_write(user, current)
        if current.owning_authority_id() != instance.owning_authority_id():  # type: ignore[attr-defined]
            raise PermissionDenied(_("A record cannot be moved to another authority."))
        current_version = getattr(current, "version", None)
        if (
            expected_version is not None
            and current_version is not None
            and current_version != expected_version
        ):
            raise ConcurrentEditError(
                _(
                    "Someone else changed this record while you were editing it. "
                    "Reload the page to see their change, then make yours again."
                ),
                code="concurrent_edit",
            )
        before = snapshot(current)
        before.update(_m2m_snapshot(current, m2m_values))
    instance.full_clean(exclude=list(exclude) if exclude else None)
    check_same_authority(instance)
    for name, values in m2m_values.items():
        check_same_authority_m2m(instance, name, values)
    run_rules(instance, [*rules_for(instance), *rules])
    if not creating and not verb and before == _full_snapshot(instance, m2m_values):
        return instance  # nothing changed: no write, no version, no empty log entry
    if hasattr(instance, "version"):
        instance.version = 1 if creating else (current_version or 0) + 1
    instance.save()
    for name, values in m2m_values.items():
        getattr(instance, name).set(values)
    after = snapshot(instance)
    after.update(_m2m_snapshot(instance, m2m_values))
    audit_record(
        user=user,
        instance=instance,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        authority_id=instance.owning_authority_id(),  # type: ignore[attr-defined]
        changes=diff(before, after),
        verb=verb,
    )
    _expire_pages(instance.owning_authority_id())  # type: ignore[attr-defined]
    return instance


def _full_snapshot(instance: models.Model, m2m_values: Mapping[str, list[Any]]) -> dict:
    values = snapshot(instance)
    values.update(
        {name: sorted(str(getattr(v, "pk", v)) for v in vals) for name, vals in m2m_values.items()}
    )
    return values


def _expire_pages(authority_id: int | None) -> None:
    """Once the write is committed, cached public pages of that authority (or, for the shared
    directory, of every authority) are no longer served."""
    transaction.on_commit(lambda: page_cache.bump(authority_id))


def _m2m_snapshot(instance: models.Model, m2m: Mapping[str, Iterable[Any]] | None) -> dict:
    if not m2m or instance.pk is None:
        return {}
    return {
        name: sorted(str(pk) for pk in getattr(instance, name).values_list("pk", flat=True))
        for name in m2m
    }


@transaction.atomic
def delete_owned(instance: models.Model, *, user: Any, verb: str = "") -> None:
    check_can_write(user, instance)
    run_rules(
        instance,
        [rule for klass in type(instance).__mro__ for rule in _DELETE_RULES.get(klass, [])],  # type: ignore[call-overload]
    )
    authority_id = instance.owning_authority_id()  # type: ignore[attr-defined]
    before = snapshot(instance)
    audit_record(
        user=user,
        instance=instance,
        action=AuditEntry.Action.DELETE,
        authority_id=authority_id,
        changes=diff(before, None),
        verb=verb,
    )
    instance.delete()
    _expire_pages(authority_id)
