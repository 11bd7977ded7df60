"""Delegation visits and missions, incoming and outgoing."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jumelage.core.i18n import TranslatedField, translate
from jumelage.core.models import AmountField, CurrencyField
from jumelage.tenancy.models import OwnedChildModel, OwnedModel, PublishableQuerySet


class Visit(OwnedModel):
    class Direction(models.TextChoices):
        INCOMING = "incoming", _("incoming (we host)")
        OUTGOING = "outgoing", _("outgoing (we travel)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CONFIRMED = "confirmed", _("confirmed")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    direction = models.CharField(_("direction"), max_length=10, choices=Direction)
    title = TranslatedField(_("title"))
    partnership = models.ForeignKey(
        "partners.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("partnership"),
    )
    other_party = models.CharField(
        _("visiting or visited party"),
        max_length=200,
        blank=True,
        help_text=_("When not a partner authority, e.g. a delegation from French Polynesia."),
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("project"),
    )
    purpose = TranslatedField(_("purpose"))
    theme = models.ForeignKey(
        "core.AtlasTheme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("theme"),
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    outcomes = TranslatedField(_("outcomes"))
    is_public = models.BooleanField(_("published"), default=False)

    objects = PublishableQuerySet.as_manager()  # type: ignore[misc]  # ClassVar in the stubs

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["authority", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="visit_dates_order",
            )
        ]

    def __str__(self) -> str:
        return translate(self.title) or f"{self.get_direction_display()} {self.starts_on or ''}"


class Participant(OwnedChildModel):
    class Role(models.TextChoices):
        ELECTED = "elected", _("elected official")
        STAFF = "staff", _("staff member")
        ACTOR = "actor", _("local actor")
        GUEST = "guest", _("guest")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "actors.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.GUEST)
    special_mandate = models.ForeignKey(
        "agreements.CouncilDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("special mandate (council decision)"),
        help_text=_(
            "An elected official travelling abroad needs a mandat spécial (CGCT L2123-18 for a "
            "commune, L3123-19 for a département, L4135-19 for a région)."
        ),
    )
    mission_order = models.CharField(
        _("mission order"),
        max_length=100,
        blank=True,
        help_text=_("Reference of the staff member's mission order."),
    )

    authority_path = "visit__authority"
    parent_field = "visit"

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["visit", "role", "name"]

    def __str__(self) -> str:
        return str(self.person) if self.person_id else self.name


class ProgrammeItem(OwnedChildModel):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="programme")
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.CharField(_("what"), max_length=300)

    authority_path = "visit__authority"
    parent_field = "visit"

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")
        ordering = ["visit", "date", "time"]

    def __str__(self) -> str:
        return f"{self.date} {self.description}"


class Hosting(OwnedChildModel):
    """Who hosts the guests (a host family, a hotel...)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="hostings")
    host = models.CharField(_("host"), max_length=200)
    is_family = models.BooleanField(_("host family"), default=True)
    guests = models.PositiveSmallIntegerField(_("guests"), default=1)
    nights = models.PositiveSmallIntegerField(_("nights"), default=1)

    authority_path = "visit__authority"
    parent_field = "visit"

    class Meta:
        verbose_name = _("hosting")
        verbose_name_plural = _("hosting")

    def __str__(self) -> str:
        return self.host


class VisitCost(OwnedChildModel):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="costs")
    label = models.CharField(_("label"), max_length=200)
    amount = AmountField(_("amount"), validators=[MinValueValidator(0)])
    currency = CurrencyField()
    paid_by = models.CharField(_("paid by"), max_length=200, blank=True)

    authority_path = "visit__authority"
    parent_field = "visit"

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")

    def __str__(self) -> str:
        return f"{self.label}: {self.amount} {self.currency}"
