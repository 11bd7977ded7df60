"""Records owned by a member authority (the tenant): their bases, and the querysets that apply
the access rule (`jumelage.tenancy.access`) to them.

The tenant model is `partners.MemberAuthority`, named by its label (`TENANT_MODEL`), as Django
names the user model: a foreign key to it is a dependency on a table, resolved by the app
registry, not an import of the domain app that defines it.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self, cast

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from jumelage.accounts.models import Role, User
from jumelage.core.models import TimeStampedModel
from jumelage.tenancy.access import is_active_user, readable_authority_ids, writable_authority_ids

TENANT_MODEL = "partners.MemberAuthority"


def tenant_model() -> Any:
    """The member authority model (`partners.MemberAuthority`), read from the app registry."""
    return apps.get_model(TENANT_MODEL)


WRITE_ROLES = (Role.ADMIN, Role.OFFICER)
CONTENT_WRITE_ROLES = (Role.ADMIN, Role.OFFICER, Role.CONTRIBUTOR)


class OwnedQuerySet(models.QuerySet):
    """Access rules live here: what a user may read or write among owned records (the rule
    itself is `tenancy.access`)."""

    def _authority_lookup(self) -> str:
        return cast("type[OwnedModel | OwnedChildModel]", self.model).authority_path

    def of_authority(self, authority_id: int) -> Self:
        return self.filter(**{self._authority_lookup(): authority_id})

    def for_user(self, user: User | Any) -> Self:
        """The records a user may read: those of the authorities they are a member of."""
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(**{f"{self._authority_lookup()}__in": readable_authority_ids(user)})

    def writable_by(self, user: User | Any) -> Self:
        """The records a user may change, by their role in the owning authority."""
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        roles = cast("type[OwnedModel | OwnedChildModel]", self.model).write_roles
        return self.filter(
            **{f"{self._authority_lookup()}__in": writable_authority_ids(user, roles)}
        )


class PublishableQuerySet(OwnedQuerySet):
    def published(self) -> Self:
        return self.filter(is_public=True)


class OwnedModel(TimeStampedModel):
    """A record that belongs to one member authority (the tenant).

    `version` grows by one on each write through a service, so that a form sent from a stale
    page is refused instead of silently overwriting a colleague's change.
    `is_example` marks invented demo records, so that nobody mistakes them for facts.
    """

    authority = models.ForeignKey(
        TENANT_MODEL,
        verbose_name=_("member authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Invented for the demonstration; not a fact about the authority."),
    )

    objects = OwnedQuerySet.as_manager()

    # Path from this model to its owning member authority, for querysets and audit.
    authority_path: ClassVar[str] = "authority"
    write_roles: ClassVar[tuple[str, ...]] = WRITE_ROLES

    class Meta:
        abstract = True

    def owning_authority_id(self) -> int | None:
        return self.authority_id


class OwnedChildModel(TimeStampedModel):
    """A part of an owned record (a plan line, a participant): owned through its parent.

    A part that has its own page (a financing plan, a transaction, a result) counts its own
    `version`. A row edited on its record's page (a plan line, a participant) has none: its
    record's version covers it, and every write of the row moves that version on, so that a
    page of the record opened before is refused (see tenancy.services.save_owned).
    """

    objects = OwnedQuerySet.as_manager()

    authority_path: ClassVar[str] = ""  # e.g. "plan__project__authority"; set by each subclass
    parent_field: ClassVar[str] = ""  # e.g. "plan"; the owned record this part belongs to
    # The record on whose page this row is edited, when it is not the parent (an actor's roles
    # in projects belong to the projects but are edited on the actor's page).
    record_field: ClassVar[str] = ""
    write_roles: ClassVar[tuple[str, ...]] = WRITE_ROLES

    class Meta:
        abstract = True

    def parent(self) -> Any:
        """The record this part belongs to; None while it has none (a row typed on the add
        page of a record that is not valid yet)."""
        try:
            return getattr(self, self.parent_field)
        except ObjectDoesNotExist:
            return None

    def owning_authority_id(self) -> int | None:
        parent = self.parent()
        return parent.owning_authority_id() if parent is not None else None


def owned(queryset: models.QuerySet) -> OwnedQuerySet:
    """`queryset` as an `OwnedQuerySet`, to apply the access rule: as it is, for owned records;
    converted, for memberships, which live below this layer (in `accounts`, with a plain
    manager) and name their `authority_path` and `write_roles` as owned records do."""
    if isinstance(queryset, OwnedQuerySet):
        return queryset
    return OwnedQuerySet(model=queryset.model, query=queryset.query, using=queryset.db)
