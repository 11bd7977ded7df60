"""Shared bases (time stamps, entries of the shared register) and reference data loaded from
files. Records owned by a member authority inherit `jumelage.tenancy.models`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jumelage.core.money import AmountField, CurrencyField

# --- Bases ---------------------------------------------------------------------------------


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
