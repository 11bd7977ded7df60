"""Writes on users and memberships: invite a user, grant, change and revoke roles.

Only an administrator of the authority (or a superuser) manages its members. An authority
always keeps at least one administrator, so that somebody can still manage it. Every write is
atomic and recorded in the audit log under the authority concerned.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jumelage.accounts.models import CalendarFeed, Invitation, Membership, Role, User
from jumelage.audit.models import AuditEntry
from jumelage.audit.services import audit_record, diff, snapshot
from jumelage.tenancy.access import is_active_user
from jumelage.tenancy.members.selectors import (
    administered_authorities,
    calendar_secret_digest,
    is_authority_admin,
    new_calendar_secret,
)
from jumelage.tenancy.members.selectors import user_manageable_by as _user_manageable_by

# Verbs are stored untranslated and translated when shown (the audit admin calls gettext).
VERB_MEMBERSHIP_GRANTED = gettext_noop("membership granted")
VERB_ROLE_CHANGED = gettext_noop("role changed")
VERB_MEMBERSHIP_REVOKED = gettext_noop("membership revoked")
VERB_USER_INVITED = gettext_noop("user invited")
VERB_NATIONAL_READER_INVITED = gettext_noop("national reports reader invited")
VERB_USER_CHANGED = gettext_noop("user account changed")
VERB_PASSWORD_CHANGED = gettext_noop("password changed")

# Never copied into the audit log: a password hash is a secret, a login time is noise.
_USER_FIELDS_NOT_LOGGED = {"password", "last_login"}
# Only a superuser changes these: they open the whole instance, not one authority.
_SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "is_curator", "reads_national_reports")


def _check_can_manage(by: Any, authority: Any) -> None:
    if not is_authority_admin(by, authority):
        raise PermissionDenied(
            _(
                "Only an administrator of %(authority)s may manage its members. "
                "Ask one of its administrators."
            )
            % {"authority": authority}
        )


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("“%(role)s” is not a role; choose one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(str(label) for label in Role.labels)}
            }
        )


def _check_keeps_an_admin(membership: Membership, *, lock: bool = True) -> None:
    """Refuse to remove the last administrator of an authority.

    The administrator rows are locked first: two administrators demoting each other at the
    same moment would otherwise both see "one other administrator left" and leave none.
    """
    if membership.role != Role.ADMIN:
        return
    # Only an administrator who can still sign in counts.
    admins = Membership.objects.filter(
        authority_id=membership.authority_id, role=Role.ADMIN, user__is_active=True
    )
    if lock:
        admins = admins.select_for_update()
    others = list(admins.exclude(pk=membership.pk).values_list("pk", flat=True))
    if not others:
        raise ValidationError(
            _(
                "%(user)s is the last administrator of %(authority)s. Make another member "
                "an administrator first, so that someone can still manage its members."
            )
            % {"user": membership.user, "authority": membership.authority},
            code="last_admin",
        )


def check_keeps_an_admin(membership: Membership, new_role: str | None) -> None:
    """For forms, before any write: would changing `membership` to `new_role` (None: removing
    it) leave its authority without an administrator? Raises the service's error if so.
    The services check again, under a lock, when they write."""
    if membership.pk is None or new_role == Role.ADMIN:
        return
    current = Membership.objects.select_related("user", "authority__authority").get(
        pk=membership.pk
    )
    _check_keeps_an_admin(current, lock=False)


def _create(
    instance: Any,
    *,
    by: Any,
    authority_id: int | None,
    verb: str,
    values: Callable[[Any], dict[str, Any]] = snapshot,
) -> None:
    """Check and save a new record, and log its creation with what `values` keeps of it."""
    instance.full_clean()
    instance.save()
    audit_record(
        user=by,
        instance=instance,
        action=AuditEntry.Action.CREATE,
        authority_id=authority_id,
        changes=diff(None, values(instance)),
        verb=verb,
    )


def _lock(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("user", "authority__authority")
        .get(pk=membership.pk)
    )


@transaction.atomic
def membership_grant(*, authority: Any, user_to_add: User, role: str, by: Any) -> Membership:
    """Give `user_to_add` a role in `authority`."""
    _check_can_manage(by, authority)
    _check_role(role)
    existing = Membership.objects.filter(user_id=user_to_add.pk, authority_id=authority.pk)
    if existing.exists():
        raise ValidationError(
            _(
                "%(user)s is already a member of %(authority)s. Change their role on their "
                "membership instead."
            )
            % {"user": user_to_add, "authority": authority},
            code="already_member",
        )
    membership = Membership(user=user_to_add, authority=authority, role=role)
    _create(membership, by=by, authority_id=authority.pk, verb=VERB_MEMBERSHIP_GRANTED)
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, by: Any) -> Membership:
    """Change a member's role; the last administrator keeps theirs."""
    current = _lock(membership)
    _check_can_manage(by, current.authority)
    _check_role(role)
    if current.role == role:
        return current
    if role != Role.ADMIN:
        _check_keeps_an_admin(current)
    before = snapshot(current)
    current.role = role
    current.full_clean()
    current.save(update_fields=["role", "updated_at"])
    audit_record(
        user=by,
        instance=current,
        action=AuditEntry.Action.UPDATE,
        authority_id=current.authority_id,
        changes=diff(before, snapshot(current)),
        verb=VERB_ROLE_CHANGED,
    )
    membership.role = current.role
    return current


@transaction.atomic
def membership_revoke(*, membership: Membership, by: Any) -> None:
    """Remove a user from an authority; the user account stays (others may use it)."""
    current = _lock(membership)
    _check_can_manage(by, current.authority)
    _check_keeps_an_admin(current)
    audit_record(
        user=by,
        instance=current,
        action=AuditEntry.Action.DELETE,
        authority_id=current.authority_id,
        changes=diff(snapshot(current), None),
        verb=VERB_MEMBERSHIP_REVOKED,
    )
    current.delete()


def _user_snapshot(user: User) -> dict[str, Any]:
    values = snapshot(user)
    for name in _USER_FIELDS_NOT_LOGGED:
        values.pop(name, None)
    return values


def _audit_authority_id(user: User, by: Any) -> int | None:
    """The authority under which a change to an account is logged: the first one of the
    account's authorities that the author administers (any of them, for a superuser)."""
    memberships = Membership.objects.filter(user_id=user.pk)
    if not by.is_superuser:
        memberships = memberships.filter(authority_id__in=administered_authorities(by).values("pk"))
    return memberships.order_by("authority_id").values_list("authority_id", flat=True).first()


@transaction.atomic
def user_invite(
    *,
    authority: Any,
    role: str,
    by: Any,
    username: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "fr",
    password: str | None = None,
) -> User:
    """Create a user who can sign in to the back office, with a role in `authority`.

    Without a password the account has an unusable one: someone who may manage the account
    sets one later, or the person sets it with "forgotten password" on the sign-in page.
    """
    _check_can_manage(by, authority)
    _check_role(role)
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        language=language,
        is_staff=True,
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password1": error.messages}) from error
        user.set_password(password)
    else:
        user.set_unusable_password()
    _create(user, by=by, authority_id=authority.pk, verb=VERB_USER_INVITED, values=_user_snapshot)
    membership_grant(authority=authority, user_to_add=user, role=role, by=by)
    return user


@transaction.atomic
def national_reader_invite(
    *,
    by: Any,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "fr",
) -> User:
    """Create the account of a national body's reader: it signs in to the back office, reads
    the instance-wide reports (`tenancy.access.may_read_national_reports`) and is a member of
    no authority. An instance administrator only. The password is unusable: the reader sets it
    with "forgotten password" on the sign-in page, from `email`."""
    if not (is_active_user(by) and by.is_superuser):
        raise PermissionDenied(
            _("Only an administrator of the instance may invite a reader of national reports.")
        )
    if not email:
        raise ValidationError(
            {"email": _("Give the reader's e-mail address: it is where they choose a password.")}
        )
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        language=language,
        is_staff=True,
        reads_national_reports=True,
    )
    user.set_unusable_password()
    _create(
        user, by=by, authority_id=None, verb=VERB_NATIONAL_READER_INVITED, values=_user_snapshot
    )
    return user


def _check_can_manage_user(user: User, by: Any) -> None:
    if not _user_manageable_by(user, by):
        raise PermissionDenied(
            _(
                "You may not change this account: it is also a member of an authority you do "
                "not administer. Ask an administrator of the instance."
            )
        )


@transaction.atomic
def user_update(*, user: User, by: Any) -> User:
    """Save changes to an account (names, e-mail, language, active), checked and logged.

    The password is changed with `user_set_password`, never here.
    """
    current = User.objects.select_for_update().get(pk=user.pk)
    _check_can_manage_user(current, by)
    if not by.is_superuser:
        for name in _SUPERUSER_ONLY_FIELDS:
            if getattr(user, name) != getattr(current, name):
                raise PermissionDenied(
                    _(
                        "Only an administrator of the instance may change who is a "
                        "superuser or who may sign in to the back office."
                    )
                )
    if current.is_active and not user.is_active:
        # Deactivating an account removes its administrator from each of its authorities.
        for membership in Membership.objects.filter(
            user_id=current.pk, role=Role.ADMIN
        ).select_related("user", "authority__authority"):
            _check_keeps_an_admin(membership)
    user.password = current.password
    user.full_clean()
    user.save()
    changes = diff(_user_snapshot(current), _user_snapshot(user))
    if changes:
        audit_record(
            user=by,
            instance=user,
            action=AuditEntry.Action.UPDATE,
            authority_id=_audit_authority_id(user, by),
            changes=changes,
            verb=VERB_USER_CHANGED,
        )
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str | None, by: Any) -> User:
    """Set a new password (None: sign-in by password disabled), and log that it changed."""
    current = User.objects.select_for_update().get(pk=user.pk)
    _check_can_manage_user(current, by)
    if password:
        validate_password(password, current)
        current.set_password(password)
    else:
        current.set_unusable_password()
    current.save(update_fields=["password"])
    audit_record(
        user=by,
        instance=current,
        action=AuditEntry.Action.ACTION,
        authority_id=_audit_authority_id(current, by),
        verb=VERB_PASSWORD_CHANGED,
    )
    user.password = current.password
    return current


# --- The personal calendar address ----------------------------------------------------------

VERB_CALENDAR_ADDRESS_MADE = gettext_noop("calendar address made")
VERB_CALENDAR_ADDRESS_STOPPED = gettext_noop("calendar address stopped")


@transaction.atomic
def calendar_feed_renew(*, user: User) -> str:
    """Give the user a new secret calendar address and return its secret (shown once: only
    its digest is kept). The previous address, if any, stops working at once."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to get a calendar address."))
    secret = new_calendar_secret()
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"secret_digest": calendar_secret_digest(secret)}
    )
    audit_record(
        user=user,
        instance=user,
        action=AuditEntry.Action.ACTION,
        authority_id=None,
        verb=VERB_CALENDAR_ADDRESS_MADE,
    )
    return secret


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    """Stop the user's calendar address: it answers "not found" from now on."""
    deleted, _kinds = CalendarFeed.objects.filter(user_id=user.pk).delete()
    if deleted:
        audit_record(
            user=user,
            instance=user,
            action=AuditEntry.Action.ACTION,
            authority_id=None,
            verb=VERB_CALENDAR_ADDRESS_STOPPED,
        )


# --- Invitations ----------------------------------------------------------------------------------

VERB_INVITATION_SENT = gettext_noop("invitation sent")
VERB_INVITATION_ACCEPTED = gettext_noop("invitation accepted")
INVITATION_DAYS = 14  # long enough for a town hall's holidays, short enough to be no standing key


def token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256 (a token is 32 random bytes, no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, user: User, authority: Any, by: Any) -> tuple[Invitation, str]:
    """A single-use invitation for `user` to join `authority`, valid INVITATION_DAYS days.
    Returns it with its token (shown once: only its digest is kept)."""
    _check_can_manage(by, authority)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        authority=authority,
        token_digest=token_digest(token),
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
        invited_by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        user=by,
        instance=user,
        action=AuditEntry.Action.ACTION,
        authority_id=authority.pk,
        changes={},
        verb=VERB_INVITATION_SENT,
    )
    return invitation, token


def invitation_refusal(invitation: Invitation | None) -> str | None:
    """Why this invitation's link cannot be used (None: it can)."""
    if invitation is None:
        return _(
            "This invitation link is not valid. Check that you copied the whole link from the "
            "e-mail, or ask the site's administrators for a new invitation."
        )
    if invitation.used_at is not None:
        return _(
            "This invitation has already been used: sign in with the password chosen then, or "
            "use “Forgotten your password?” on the sign-in page."
        )
    if invitation.expires_at <= timezone.now() or not invitation.user.is_active:
        return _(
            "This invitation has expired. Ask the site's administrators for a new one; it is "
            "valid for %(days)s days."
        ) % {"days": INVITATION_DAYS}
    return None


def invitation_of(token: str) -> Invitation | None:
    """The invitation of a token as given in a link (used or not), or None."""
    return (
        Invitation.objects.select_related("user", "authority__authority")
        .filter(token_digest=token_digest(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> Invitation:
    """The invitee chooses a password: once, before the expiry. Raises ValidationError with a
    message saying what to do otherwise (the invitation stays usable after a refused
    password)."""
    found = invitation_of(token)
    if found is not None:
        found = (
            Invitation.objects.select_for_update()
            .select_related("user", "authority__authority")
            .get(pk=found.pk)
        )
    refusal = invitation_refusal(found)
    if refusal:
        raise ValidationError(refusal)
    assert found is not None
    user = found.user
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.messages}) from error
    user.set_password(password)
    user.save(update_fields=["password"])
    found.used_at = timezone.now()
    found.save(update_fields=["used_at", "updated_at"])
    audit_record(
        user=user,
        instance=user,
        action=AuditEntry.Action.ACTION,
        authority_id=found.authority_id,
        changes={},
        verb=VERB_INVITATION_ACCEPTED,
    )
    return found


def invitation_link(token: str, *, language: str, site_url: str) -> str:
    """The invitation's address, in the invitee's language (/admin/... or /en/admin/...)."""
    from django.urls import reverse

    with translation.override(language):
        path = reverse("invitation_accept", args=[token])
    return site_url.rstrip("/") + path


def invitation_send(invitation: Invitation, link: str) -> None:
    """E-mail the link to the invitee, in their language, once the invitation is committed."""
    from jumelage.core.tasks import enqueue_on_commit, send_email

    user = invitation.user
    with translation.override(user.language or "fr"):
        subject = _("Your invitation to the international relations workspace of %(name)s") % {
            "name": invitation.authority
        }
        body = _(
            "Hello,\n\nYou are invited to run the international relations workspace of "
            "%(name)s: partnerships, projects, payments, the public page, the IATI file and "
            "the ODA declaration.\n\nOpen this link to choose your password; it can be used "
            "once, until %(expires)s:\n%(link)s\n\nA checklist then guides you through the "
            "first steps.\n"
        ) % {
            "name": invitation.authority,
            "expires": date_format(timezone.localtime(invitation.expires_at), "SHORT_DATE_FORMAT"),
            "link": link,
        }
    enqueue_on_commit(send_email, subject, body, [user.email])
