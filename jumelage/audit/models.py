"""The audit log: who changed what, when, with the values before and after."""

from __future__ import annotations

from typing import Any, Self

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from jumelage.core.models import OwnedQuerySet, SharedModel


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


class AuditQuerySet(OwnedQuerySet):
    """`for_user`: a member reads the entries of their authorities, and the history of the
    shared register's entries their authorities use (a change there shows on their pages).
    Curators read the whole register's history."""

    def for_user(self, user: Any) -> Self:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        from jumelage.accounts.models import Membership

        mine = Membership.objects.filter(user_id=user.pk).values("authority_id")
        visible = models.Q(authority_id__in=mine)
        for model in apps.get_models():
            if not issubclass(model, SharedModel):
                continue
            of_model = models.Q(authority__isnull=True, model=model._meta.label_lower)
            if user.is_curator:
                visible |= of_model
                continue
            for entries in _used_entries(model, mine):
                visible |= of_model & models.Q(object_id__in=entries)
        return self.filter(visible)


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        ACTION = "action", _("action")

    authority = models.ForeignKey(
        "partners.MemberAuthority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("member authority"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action)
    verb = models.CharField(
        _("what was done"), max_length=100, blank=True, help_text=_("e.g. agreement signed")
    )
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()
    authority_path = "authority"

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"
