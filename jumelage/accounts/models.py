"""Users and their memberships of member authorities, each with a role (`Role`). What a
role allows is decided above, in `jumelage.tenancy.access`."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from jumelage.core.models import TimeStampedModel


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    OFFICER = "officer", _("officer")
    CONTRIBUTOR = "contributor", _("contributor")
    VIEWER = "viewer", _("viewer")


class User(AbstractUser):
    """A person who signs in. What they may see comes from their memberships."""

    language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=[("fr", _("French")), ("en", _("English"))],
        default="fr",
    )
    # An instance-wide role, not a membership: the shared register (partner towns, funders,
    # calls, skills) serves every member authority, so its curators answer to the instance.
    is_curator = models.BooleanField(
        _("register curator"),
        default=False,
        help_text=_(
            "May change the shared register's entries directly and decides on the corrections "
            "other members propose."
        ),
    )

    # Also instance-wide: a national body (a ministry's service, a national association of
    # authorities) reads reports over every member authority without being a member of each.
    # Decided in `jumelage.tenancy.access.may_read_national_reports`.
    reads_national_reports = models.BooleanField(
        _("national reports reader"),
        default=False,
        help_text=_(
            "May read the instance-wide reports (the ODA of every member authority) without "
            "being a member of each authority."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Membership(TimeStampedModel):
    """A user's role in one member authority. Written only by
    `jumelage.tenancy.members.services`."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    authority = models.ForeignKey(
        "partners.MemberAuthority",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("member authority"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.VIEWER)

    # Read by the access rule (`jumelage.tenancy`, which scopes memberships as owned records
    # with `tenancy.models.owned`): memberships belong to their authority, and only its
    # administrators change them.
    authority_path = "authority"
    write_roles: tuple[str, ...] = (Role.ADMIN,)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "authority"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} \u2013 {self.authority} ({self.get_role_display()})"

    def owning_authority_id(self) -> int | None:
        return self.authority_id


class CalendarFeed(TimeStampedModel):
    """A user's personal calendar address (iCalendar): whoever holds it reads the user's
    deadlines and visits without signing in, so only a digest of its secret is stored (the
    address is shown once, when made); making a new one or stopping it revokes the old one."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("user")
    )
    # SHA-256 of the secret, in hex: a leaked database gives no working address.
    secret_digest = models.CharField(_("digest of the secret"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return str(self.user)


class Invitation(TimeStampedModel):
    """A single-use link that lets the first administrator of a new member authority choose a
    password and sign in. Only a digest of the token is kept: the link is shown once, when the
    invitation is made (and sent by e-mail); a copy of the database cannot be used to sign in.
    Written only by `jumelage.tenancy.members.services` (invitation_create, invitation_accept)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("user")
    )
    authority = models.ForeignKey(
        "partners.MemberAuthority",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("member authority"),
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    invited_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user.email} \u2013 {self.authority}"
