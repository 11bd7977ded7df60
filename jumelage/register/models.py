"""Proposed corrections to entries of the shared register, and the curators' decisions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from jumelage.core.models import TimeStampedModel


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ProposalQuerySet:
        """What a user may read: curators and superusers every proposal; others those made
        from their authorities (they are also told by e-mail) and those about the identity of
        an authority they administer."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser or user.is_curator:
            return self
        from jumelage.accounts.models import Membership, Role

        mine = Membership.objects.filter(user_id=user.pk).values("authority_id")
        administered = Membership.objects.filter(user_id=user.pk, role=Role.ADMIN).values(
            "authority_id"
        )
        return self.filter(
            models.Q(authority_id__in=mine)
            | models.Q(proposed_by_id=user.pk)
            | models.Q(identity_of_id__in=administered)
        )


class Proposal(TimeStampedModel):
    """A correction of a register entry proposed by a member who may not change it directly.

    `changes` maps each field (attribute name; many-to-many fields by name, as lists of ids) to
    [value when proposed, value proposed], as the audit log records changes.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    entry_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("entry type")
    )
    entry_id = models.PositiveBigIntegerField(_("entry id"))
    entry_repr = models.CharField(_("entry"), max_length=300)
    # Set when the entry is a member authority's own directory entry: its administrators, not
    # the curators, decide (and only they read it besides the proposer).
    identity_of = models.ForeignKey(
        "partners.MemberAuthority",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("identity of"),
    )
    authority = models.ForeignKey(
        "partners.MemberAuthority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed for"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    base_version = models.PositiveIntegerField(_("version of the entry seen"))
    changes = models.JSONField(_("changes"), default=dict)
    note = models.TextField(
        _("why, and the source"),
        blank=True,
        help_text=_("e.g. the town's official website, a letter from the partner."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("answer"), blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposed correction")
        verbose_name_plural = _("proposed corrections")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["entry_type", "entry_id"], name="proposal_entry_idx"),
        ]

    def __str__(self) -> str:
        return str(_("Correction of %(entry)s")) % {"entry": self.entry_repr}

    def entry_model(self) -> type[models.Model]:
        model = self.entry_type.model_class()
        assert model is not None
        return model
