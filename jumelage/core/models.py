"""Shared bases (records owned by a member authority) and reference data loaded from files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self, cast

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jumelage.core.money import AmountField, CurrencyField

if TYPE_CHECKING:
    from jumelage.accounts.models import User


# --- Ownership and access -------------------------------------------------------------------


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    OFFICER = "officer", _("officer")
    CONTRIBUTOR = "contributor", _("contributor")
    VIEWER = "viewer", _("viewer")


WRITE_ROLES = (Role.ADMIN, Role.OFFICER)
CONTENT_WRITE_ROLES = (Role.ADMIN, Role.OFFICER, Role.CONTRIBUTOR)


class OwnedQuerySet(models.QuerySet):
    """Access rules live here: what a user may read or write among owned records (the rule
    itself is `accounts.access`)."""

    def _authority_lookup(self) -> str:
        return cast("type[OwnedModel | OwnedChildModel]", self.model).authority_path

    def of_authority(self, authority_id: int) -> Self:
        return self.filter(**{self._authority_lookup(): authority_id})

    def for_user(self, user: User | Any) -> Self:
        """The records a user may read: those of the authorities they are a member of."""
        from jumelage.accounts.access import is_active_user, readable_authority_ids

        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(**{f"{self._authority_lookup()}__in": readable_authority_ids(user)})

    def writable_by(self, user: User | Any) -> Self:
        """The records a user may change, by their role in the owning authority."""
        from jumelage.accounts.access import is_active_user, writable_authority_ids

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


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class SharedModel(TimeStampedModel):
    """An entry of the shared register (an authority, a funder, a call, a skill): read by every
    member authority, written only through `jumelage.register.services`, which decides who may
    change it directly and who proposes a correction.

    `version` grows by one on each write, as on owned records. `added_by` is the member
    authority whose user added the entry: while no other authority uses it, that authority may
    still correct it.
    """

    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    added_by = models.ForeignKey(
        "partners.MemberAuthority",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        abstract = True

    def identity_of(self) -> int | None:
        """The member authority this entry is the identity of (its own directory entry), if
        any: only that member's administrators change it."""
        return None

    @classmethod
    def identities_of(cls, pks: list[int]) -> dict[int, int]:
        """`identity_of` for several entries at once (entry → member authority), one query."""
        return {}

    @classmethod
    def usage_relations(cls) -> list[tuple[type[models.Model], str, str]]:
        """Owned records that point at entries of this model: (model, field, authority path).

        Read from the models' relations, so a new owned model that links to the register is
        counted without being listed here.
        """
        found = []
        for relation in cls._meta.related_objects:
            related = relation.related_model
            path = getattr(related, "authority_path", "")
            if not path or related is None or isinstance(related, str):
                continue
            found.append((related, relation.field.name, path))
        return found

    def used_by(self) -> set[int]:
        """The member authorities whose records use this entry, and the one it is the identity
        of. One query per relation, whatever the size of the instance."""
        if self.pk is None:
            return set()
        users: set[int] = set()
        for related, field, path in self.usage_relations():
            users.update(
                related._base_manager.filter(**{field: self.pk})  # type: ignore[attr-defined]
                .values_list(path, flat=True)
                .distinct()
            )
        identity = self.identity_of()
        if identity is not None:
            users.add(identity)
        users.discard(None)  # type: ignore[arg-type]
        return users


class OwnedModel(TimeStampedModel):
    """A record that belongs to one member authority (the tenant).

    `version` grows by one on each write through a service, so that a form sent from a stale
    page is refused instead of silently overwriting a colleague's change.
    `is_example` marks invented demo records, so that nobody mistakes them for facts.
    """

    authority = models.ForeignKey(
        "partners.MemberAuthority",
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
    page of the record opened before is refused (see core.services.save_owned).
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


# --- Reference data (shared by every authority, loaded from files) --------------------------


class NamedReference(models.Model):
    """A reference item with its French and English names."""

    name_fr = models.CharField(_("name in French"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class Country(NamedReference):
    """ISO 3166-1 country (plus Kosovo, XK, as IATI uses it)."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    is_eu_member = models.BooleanField(_("member of the European Union"), default=False)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_fr"]


class OdaIncomeGroup(models.TextChoices):
    LDC = "LDC", _("least developed country")
    LIC = "LIC", _("other low-income country")
    LMIC = "LMIC", _("lower middle-income country or territory")
    UMIC = "UMIC", _("upper middle-income country or territory")


class OdaEligibility(models.Model):
    """A country on the OECD DAC list of ODA recipients for a year of flows."""

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="oda_eligibility", verbose_name=_("country")
    )
    year = models.PositiveSmallIntegerField(_("year of flows"))
    income_group = models.CharField(_("income group"), max_length=4, choices=OdaIncomeGroup)

    class Meta:
        verbose_name = _("ODA eligibility")
        verbose_name_plural = _("ODA eligibility")
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="oda_eligibility_unique")
        ]
        ordering = ["-year", "country"]

    def __str__(self) -> str:
        return f"{self.country_id} {self.year} {self.income_group}"


class Codelist(models.TextChoices):
    """IATI codelists the application uses as choices (files in reference/iati/codelists)."""

    SECTOR = "Sector", _("DAC 5-digit sector (CRS purpose code)")
    SECTOR_CATEGORY = "SectorCategory", _("DAC 3-digit sector")
    SDG_GOAL = "UNSDG-Goals", _("SDG goal")
    SDG_TARGET = "UNSDG-Targets", _("SDG target")
    ORGANISATION_TYPE = "OrganisationType", _("organisation type")
    ORGANISATION_ROLE = "OrganisationRole", _("organisation role")
    TRANSACTION_TYPE = "TransactionType", _("transaction type")
    FLOW_TYPE = "FlowType", _("flow type")
    FINANCE_TYPE = "FinanceType", _("finance type")
    AID_TYPE = "AidType", _("aid type")
    CRS_CHANNEL = "CRSChannelCode", _("CRS channel")
    CURRENCY = "Currency", _("currency")
    LANGUAGE = "Language", _("language")
    ACTIVITY_STATUS = "ActivityStatus", _("activity status")
    RESULT_TYPE = "ResultType", _("result type")
    INDICATOR_MEASURE = "IndicatorMeasure", _("indicator measure")
    DOCUMENT_CATEGORY = "DocumentCategory", _("document category")
    FILE_FORMAT = "FileFormat", _("file format")
    TIED_STATUS = "TiedStatus", _("tied status")
    COLLABORATION_TYPE = "CollaborationType", _("collaboration type")


class CodelistItem(models.Model):
    """One code of an IATI codelist, with its names in French (where IATI has one) and English."""

    codelist = models.CharField(_("codelist"), max_length=60, db_index=True)
    # FileFormat codes are IANA media types of up to 84 characters, and the names of some SDG
    # targets run to 670: the columns fit the longest value of the IATI files, with room.
    code = models.CharField(_("code"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=1000)
    name_fr = models.CharField(_("name in French"), max_length=1000, blank=True)
    category = models.CharField(_("category"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("codelist item")
        verbose_name_plural = _("codelist items")
        constraints = [
            models.UniqueConstraint(fields=["codelist", "code"], name="codelist_item_unique")
        ]
        ordering = ["codelist", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"  # noqa: RUF001 - an en dash, on purpose

    @property
    def name(self) -> str:
        if (get_language() or "fr").startswith("fr") and self.name_fr:
            return self.name_fr
        return self.name_en


class AtlasTheme(NamedReference):
    """A theme of the national Atlas of decentralised cooperation, in a three-level tree."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent theme"),
    )
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        verbose_name = _("Atlas theme")
        verbose_name_plural = _("Atlas themes")
        ordering = ["code"]

    def path(self) -> list[AtlasTheme]:
        """This theme and its ancestors, from the top (at most three, so no query loop)."""
        chain = [self]
        node = self
        while node.parent_id is not None:
            node = node.parent  # type: ignore[assignment]
            chain.insert(0, node)
        return chain

    def full_name(self) -> str:
        return " › ".join(theme.name for theme in self.path())  # noqa: RUF001


class ExchangeRate(models.Model):
    """How many units of `currency` one unit of the reporting currency buys, on a date."""

    currency = CurrencyField(_("currency"), default="")
    date = models.DateField(_("date"))
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="exchange_rate_unique"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
        ]
        ordering = ["currency", "-date"]

    def __str__(self) -> str:
        return f"1 {settings.REPORTING_CURRENCY} = {self.rate} {self.currency} ({self.date})"


class PageGeneration(models.Model):
    """The generation of an authority's public pages, or of the shared directory's: a token
    (time, then random digits) replaced after every committed write, that the keys of cached
    pages hold. Kept in the database so that a restored database brings back its own
    generations: see core/cache.py."""

    scope = models.CharField(primary_key=True, max_length=40)  # an authority's id, or "directory"
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.scope}: {self.token}"


__all__ = ["AmountField", "CurrencyField"]
