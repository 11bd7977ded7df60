"""Writes of the shared register: save and delete an entry, propose a correction, decide on it.

An entry (an authority, a funder, a call, a skill) serves every member authority: a change
shows on the pages and files of all who use it. So the change is written at once only by those
`selectors.may_change_directly` names; anyone else with a writing role proposes it, and the
reviewers (`selectors.may_review`) accept or refuse, the proposer being told. Every change,
proposal, decision and deletion is audited and expires the cached public pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jumelage.audit.models import AuditEntry
from jumelage.audit.services import audit_bulk, audit_record, diff, snapshot
from jumelage.core.models import SharedModel
from jumelage.core.tasks import enqueue_on_commit, send_email
from jumelage.register.models import Proposal
from jumelage.register.selectors import (
    is_curator,
    may_add_entries,
    may_change_directly,
    may_review,
    reviewers,
    writing_authorities,
)
from jumelage.tenancy.services import (
    Rule,
    concurrent_edit_error,
    expire_pages,
    lock_current,
    m2m_snapshot,
    record_write,
    rules_for,
    run_rules,
)

VERB_PROPOSED = gettext_noop("correction proposed")
VERB_ACCEPTED = gettext_noop("proposed correction accepted")
VERB_REFUSED = gettext_noop("proposed correction refused")
VERB_WITHDRAWN = gettext_noop("proposed correction withdrawn")
VERB_DELETED = gettext_noop("register entry deleted")
VERB_REFERENCE_SAVED = gettext_noop("reference data changed")
VERB_REFERENCE_DELETED = gettext_noop("reference data deleted")
VERB_REFERENCE_LOADED = gettext_noop("reference data loaded")


def _check_version(current: SharedModel, expected_version: int | None) -> None:
    # A change that does not say which version it saw is refused like a stale one (as
    # save_owned does): code that writes without a page passes the version it has just read.
    if current.version != expected_version:
        raise concurrent_edit_error()


def _acting_authority(user: Any, authority_id: int | None) -> int | None:
    """The member authority the user acts for: the one given (it must be theirs), else their
    only one with a writing role."""
    mine = writing_authorities(user) if getattr(user, "pk", None) else set()
    if authority_id is not None:
        if authority_id not in mine and not user.is_superuser:
            raise PermissionDenied(_("You may only act for an authority where you have a role."))
        return authority_id
    return next(iter(mine)) if len(mine) == 1 else None


def _write(
    instance: SharedModel,
    *,
    user: Any,
    creating: bool,
    current: SharedModel | None,
    rules: Iterable[Rule],
    m2m_values: Mapping[str, list[Any]],
    verb: str,
) -> SharedModel:
    before = None
    if current is not None:
        before = snapshot(current)
        before.update(m2m_snapshot(current, m2m_values))
    instance.full_clean()
    run_rules(instance, [*rules_for(instance), *rules])
    instance.version = 1 if creating else (current.version if current else 0) + 1
    instance.save()
    record_write(
        instance,
        user=user,
        creating=creating,
        before=before,
        m2m_values=m2m_values,
        authority_id=None,
        verb=verb,
    )
    return instance


@transaction.atomic
def save_shared(
    instance: SharedModel,
    *,
    user: Any,
    expected_version: int | None = None,
    authority_id: int | None = None,
    rules: Iterable[Rule] = (),
    m2m: Mapping[str, Iterable[Any]] | None = None,
    verb: str = "",
) -> SharedModel:
    """Add an entry, or change one the user may change directly (else PermissionDenied: the
    caller offers `propose_change` instead). `expected_version` is the version the editor saw
    (required to change an entry; None only to add one).
    `authority_id` is the member authority the user adds the entry for (recorded as
    `added_by`)."""
    m2m_values = {name: list(values) for name, values in (m2m or {}).items()}
    creating = (
        instance.pk is None or not type(instance)._base_manager.filter(pk=instance.pk).exists()
    )
    current = None
    if creating:
        if not may_add_entries(user):
            raise PermissionDenied(
                _("You may not add to the shared register. Ask an officer of your authority.")
            )
        if instance.added_by_id is None:
            instance.added_by_id = _acting_authority(user, authority_id)
    else:
        current = lock_current(instance)
        if not may_change_directly(user, current):
            raise PermissionDenied(
                _(
                    "Other authorities use this entry: only the register's curators change it. "
                    "Propose your correction instead; you will be told of their answer."
                )
            )
        _check_version(current, expected_version)
        instance.added_by_id = current.added_by_id  # not editable: who added it stays
    return _write(
        instance,
        user=user,
        creating=creating,
        current=current,
        rules=rules,
        m2m_values=m2m_values,
        verb=verb,
    )


@transaction.atomic
def delete_shared(instance: SharedModel, *, user: Any) -> None:
    """Delete an entry nobody uses (curators and the instance's administrators only)."""
    current = lock_current(instance)
    if not is_curator(user):
        raise PermissionDenied(
            _("Only the register's curators delete its entries. Propose a correction instead.")
        )
    before = snapshot(current)
    label = str(current)
    try:
        with transaction.atomic():
            current.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            _(
                "“%(entry)s” is still used by other records, so it cannot be deleted. Correct "
                "it instead, or change those records first."
            )
            % {"entry": label}
        ) from error
    current.pk = instance.pk
    audit_record(
        user=user,
        instance=current,
        action=AuditEntry.Action.DELETE,
        authority_id=None,
        changes=diff(before, None),
        verb=VERB_DELETED,
    )
    expire_pages(None)


# --- Proposals --------------------------------------------------------------------------------


def _plain_changes(
    current: SharedModel, proposed: SharedModel, m2m: Mapping[str, list[Any]]
) -> dict[str, list[Any]]:
    before = snapshot(current)
    before.update(m2m_snapshot(current, m2m))
    after = snapshot(proposed)
    after.update(
        {name: sorted(str(getattr(v, "pk", v)) for v in vals) for name, vals in m2m.items()}
    )
    return diff(before, after)


@transaction.atomic
def propose_change(
    entry: SharedModel,
    *,
    user: Any,
    values: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    expected_version: int | None,
    note: str = "",
    authority_id: int | None = None,
    link: str = "",
) -> Proposal:
    """Record a correction of an entry the user may not change directly.

    The proposed values are checked now (a proposal that could never be saved is refused with
    the field's message), and the reviewers are told by e-mail.
    """
    current = lock_current(entry)
    if not may_add_entries(user):
        raise PermissionDenied(
            _("You may not propose corrections to the register. Ask an officer of your authority.")
        )
    _check_version(current, expected_version)
    proposed = type(current)._base_manager.get(pk=current.pk)
    editable = {f.name: f for f in current._meta.concrete_fields if f.editable}
    for name, value in values.items():
        if name not in editable:
            raise ValidationError(_("“%(field)s” cannot be changed.") % {"field": name})
        setattr(proposed, name, value)
    proposed.full_clean()
    run_rules(proposed, rules_for(proposed))
    m2m_values = {name: list(vals) for name, vals in (m2m or {}).items()}
    changes = _plain_changes(current, proposed, m2m_values)
    if not changes:
        raise ValidationError(_("Your proposal changes nothing. Change a field, then send it."))
    identity = current.identity_of()
    proposal = Proposal.objects.create(
        entry_type=ContentType.objects.get_for_model(current),
        entry_id=current.pk,
        entry_repr=str(current)[:300],
        identity_of_id=identity,
        authority_id=_acting_authority(user, authority_id),
        proposed_by=user,
        base_version=current.version,
        changes=changes,
        note=note,
    )
    audit_record(
        user=user,
        instance=current,
        action=AuditEntry.Action.ACTION,
        authority_id=proposal.authority_id,
        changes=changes,
        verb=VERB_PROPOSED,
    )
    people = list(reviewers(current))
    transaction.on_commit(lambda: _tell_reviewers(proposal, people, link))
    return proposal


def _lock_pending(proposal: Proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != Proposal.Status.PENDING:
        raise ValidationError(
            _("This proposal was already answered (%(status)s). Reload the page.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _entry_of(proposal: Proposal) -> SharedModel:
    model = proposal.entry_model()
    entry = model._base_manager.select_for_update().filter(pk=proposal.entry_id).first()
    if entry is None:
        raise ValidationError(_("The entry of this proposal no longer exists. Refuse it."))
    return entry  # type: ignore[return-value]


@transaction.atomic
def proposal_accept(proposal: Proposal, *, user: Any, note: str = "", link: str = "") -> Proposal:
    """Apply the proposed values to the entry, if it has not changed on those fields since."""
    proposal = _lock_pending(proposal)
    entry = _entry_of(proposal)
    if not may_review(user, entry):
        raise PermissionDenied(_("Only the register's curators decide on this proposal."))
    current_values = snapshot(entry)
    m2m_names = [
        name for name in proposal.changes if name in {f.name for f in entry._meta.many_to_many}
    ]
    current_values.update(m2m_snapshot(entry, {name: [] for name in m2m_names}))
    fields = {f.attname: f for f in entry._meta.concrete_fields}
    m2m_values: dict[str, list[Any]] = {}
    current = type(entry)._base_manager.get(pk=entry.pk)
    for name, (was, wanted) in proposal.changes.items():
        if current_values.get(name) != was:
            raise ValidationError(
                _(
                    "“%(entry)s” changed since this proposal was made (%(field)s). Refuse it "
                    "and ask for a new one made from the entry as it is now."
                )
                % {"entry": entry, "field": name}
            )
        if name in m2m_names:
            m2m_values[name] = list(wanted or [])
        else:
            setattr(entry, name, fields[name].to_python(wanted))
    _write(
        entry,
        user=user,
        creating=False,
        current=current,
        rules=(),
        m2m_values=m2m_values,
        verb=VERB_ACCEPTED,
    )
    return _decide(proposal, user, Proposal.Status.ACCEPTED, note, link)


@transaction.atomic
def proposal_refuse(proposal: Proposal, *, user: Any, note: str, link: str = "") -> Proposal:
    proposal = _lock_pending(proposal)
    entry = proposal.entry_model()._base_manager.filter(pk=proposal.entry_id).first()
    # An entry deleted since: the curators close its proposals.
    allowed = may_review(user, entry) if isinstance(entry, SharedModel) else is_curator(user)
    if not allowed:
        raise PermissionDenied(_("Only the register's curators decide on this proposal."))
    if not note.strip():
        raise ValidationError(
            {"decision_note": _("Say why you refuse it: the proposer will read your answer.")}
        )
    return _decide(proposal, user, Proposal.Status.REFUSED, note, link)


@transaction.atomic
def proposal_withdraw(proposal: Proposal, *, user: Any) -> Proposal:
    proposal = _lock_pending(proposal)
    if proposal.proposed_by_id != user.pk:
        raise PermissionDenied(_("Only the person who proposed it may withdraw it."))
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.decided_at = timezone.now()
    proposal.save()
    _audit_decision(proposal, user, VERB_WITHDRAWN)
    return proposal


def _audit_decision(proposal: Proposal, user: Any, verb: str) -> None:
    audit_record(
        user=user,
        instance=proposal,
        action=AuditEntry.Action.ACTION,
        authority_id=proposal.authority_id,
        changes={"status": [Proposal.Status.PENDING.value, proposal.status]},
        verb=verb,
    )


def _decide(proposal: Proposal, user: Any, status: str, note: str, link: str) -> Proposal:
    proposal.status = status
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save()
    verb = VERB_ACCEPTED if status == Proposal.Status.ACCEPTED else VERB_REFUSED
    _audit_decision(proposal, user, verb)
    transaction.on_commit(lambda: _tell_proposer(proposal, link))
    return proposal


# --- Telling people ---------------------------------------------------------------------------


def _send(user: Any, subject: str, body: str) -> None:
    """Hand the message to the e-mail task (core.tasks.send_email): the worker sends it, and
    tries again when the mail server does not take it; the decision never waits for it."""
    if user is None or not user.email:
        return
    enqueue_on_commit(send_email, str(subject), str(body), [user.email])


def _tell_reviewers(proposal: Proposal, people: list[Any], link: str) -> None:
    for person in people:
        with translation.override(person.language or "fr"):
            subject = _("Jumelage: a correction of %(entry)s is proposed") % {
                "entry": proposal.entry_repr
            }
            body = _(
                "%(who)s proposes a correction of “%(entry)s” in the shared register.\n\n"
                "Their note: %(note)s\n\nAccept or refuse it: %(link)s"
            ) % {
                "who": proposal.proposed_by,
                "entry": proposal.entry_repr,
                "note": proposal.note or "\u2014",
                "link": link or _("the “Proposed corrections” page of the back office"),
            }
        _send(person, subject, body)


def _tell_proposer(proposal: Proposal, link: str) -> None:
    person = proposal.proposed_by
    if person is None:
        return
    with translation.override(person.language or "fr"):
        if proposal.status == Proposal.Status.ACCEPTED:
            subject = _("Jumelage: your correction of %(entry)s was accepted")
        else:
            subject = _("Jumelage: your correction of %(entry)s was refused")
        subject = subject % {"entry": proposal.entry_repr}
        body = _("Answer from %(who)s: %(note)s\n\nSee the proposal: %(link)s") % {
            "who": proposal.decided_by,
            "note": proposal.decision_note or "\u2014",
            "link": link or _("the “Proposed corrections” page of the back office"),
        }
    _send(person, subject, body)


# --- Reference data (countries, codelists, the ODA list, Atlas themes, exchange rates) -------


def _check_operator(user: Any) -> None:
    # Reference data changes every authority's files (a rate, a country's ODA status): the
    # instance's administrators change it, mostly by reloading the files.
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser):
        raise PermissionDenied(
            _("Only the operators of this site change the reference data. Ask them.")
        )


@transaction.atomic
def reference_save(instance: models.Model, *, user: Any) -> models.Model:
    """Correct or add one reference record by hand: validated, audited, pages expired."""
    _check_operator(user)
    current = type(instance)._base_manager.filter(pk=instance.pk).first() if instance.pk else None
    before = snapshot(current) if current is not None else None
    instance.full_clean()
    instance.save()
    audit_record(
        user=user,
        instance=instance,
        action=AuditEntry.Action.UPDATE if current is not None else AuditEntry.Action.CREATE,
        authority_id=None,
        changes=diff(before, snapshot(instance)),
        verb=VERB_REFERENCE_SAVED,
    )
    expire_pages(None)
    return instance


@transaction.atomic
def reference_delete(instance: models.Model, *, user: Any) -> None:
    _check_operator(user)
    before = snapshot(instance)
    pk = instance.pk
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as error:
        raise ValidationError(
            _("“%(entry)s” is still used by other records, so it cannot be deleted.")
            % {"entry": instance}
        ) from error
    instance.pk = pk
    audit_record(
        user=user,
        instance=instance,
        action=AuditEntry.Action.DELETE,
        authority_id=None,
        changes=diff(before, None),
        verb=VERB_REFERENCE_DELETED,
    )
    expire_pages(None)


def reference_loaded(
    *, model: type[models.Model], summary: str, counts: Mapping[str, int], user: Any = None
) -> None:
    """Record a load of reference data files (one audit entry per kind that changed) and
    expire the cached pages, which show country names, ODA status and amounts in euros."""
    if not any(counts.get(key) for key in ("created", "updated", "deleted")):
        return
    audit_bulk(
        user=user,
        model=model,
        summary=summary,
        changes=dict(counts),
        verb=VERB_REFERENCE_LOADED,
    )
    expire_pages(None)
