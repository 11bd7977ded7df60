"""Agreements (twinning oaths, conventions...) and the council decisions that approve them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jumelage.core.i18n import TranslatedField
from jumelage.core.models import AmountField, CurrencyField
from jumelage.tenancy.models import OwnedModel, PublishableQuerySet


class CouncilDecision(OwnedModel):
    """A délibération: the council's approval, enforceable once transmitted to the prefect."""

    class Body(models.TextChoices):
        COUNCIL = "council", _("council (conseil municipal, départemental, régional)")
        STANDING_COMMITTEE = "standing_committee", _("standing committee (commission permanente)")
        BOARD = "board", _("board (bureau, conseil communautaire)")

    number = models.CharField(_("number"), max_length=50)
    date = models.DateField(_("date of the sitting"))
    body = models.CharField(_("body"), max_length=30, choices=Body, default=Body.COUNCIL)
    subject = models.TextField(_("what it approves"))
    transmitted_on = models.DateField(_("transmitted to the prefect on"), null=True, blank=True)
    enforceable_on = models.DateField(
        _("enforceable from"),
        null=True,
        blank=True,
        help_text=_("The day it became enforceable, after transmission to the prefect."),
    )
    is_special_mandate = models.BooleanField(
        _("grants a special mandate"),
        default=False,
        help_text=_(
            "A mandat spécial for an elected official's mission abroad (CGCT L2123-18 for a "
            "commune, L3123-19 for a département, L4135-19 for a région)."
        ),
    )

    class Meta:
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        ordering = ["authority", "-date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "number"],
                name="council_decision_number_unique",
                violation_error_message=_(
                    "Your authority already has a council decision with this number. "
                    "Check the number, or open the existing decision."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"


class Agreement(OwnedModel):
    """A written act of a partnership, with its legal steps."""

    class Kind(models.TextChoices):
        TWINNING_OATH = "twinning_oath", _("twinning oath")
        TWINNING_CHARTER = "twinning_charter", _("twinning charter")
        FRAMEWORK_CONVENTION = "framework_convention", _("framework convention")
        SPECIFIC_CONVENTION = "specific_convention", _("specific convention")
        FRIENDSHIP_PROTOCOL = "friendship_protocol", _("friendship protocol")
        LETTER_OF_INTENT = "letter_of_intent", _("letter of intent")
        COOPERATION_PROTOCOL = "cooperation_protocol", _("cooperation protocol")

    # Kinds that are conventions in the sense of CGCT L1115-1 (object and forecast amounts).
    CONVENTION_KINDS = (
        Kind.FRAMEWORK_CONVENTION,
        Kind.SPECIFIC_CONVENTION,
        Kind.COOPERATION_PROTOCOL,
    )

    class StateCase(models.TextChoices):
        # CGCT L1115-5 as written by loi n° 2016-1657 of 5 December 2016: no convention with a
        # foreign State "sauf dans les cas prévus par la loi" or to create a GECT, a GEC or a
        # GLCT (its signature authorised beforehand by the prefect of the region); and, al. 2,
        # conventions for territorial or regional cooperation whose signature the prefect
        # authorised beforehand, in three cases (1° to 3°).
        NONE = "", _("none: the partner is not a State")
        GROUPING = (
            "grouping",
            _(
                "to create a European grouping of territorial cooperation (GECT), a Euroregional "
                "cooperation grouping (GEC) or a local cross-border cooperation grouping (GLCT) "
                "(L1115-5, first paragraph)"
            ),
        )
        INTERNATIONAL_AGREEMENT = (
            "international_agreement",
            _(
                "territorial or regional cooperation implementing an earlier international "
                "agreement approved by the State (L1115-5, second paragraph, 1°)"
            ),
        )
        REGIONAL_PROGRAMME = (
            "regional_programme",
            _(
                "territorial or regional cooperation carrying out a regional cooperation programme "
                "of an international organisation, approved by France as a member (L1115-5, second "
                "paragraph, 2°)"
            ),
        )
        OTHER_GROUPING = (
            "other_grouping",
            _(
                "territorial or regional cooperation setting up another cross-border, regional or "
                "inter-territorial cooperation grouping (L1115-5, second paragraph, 3°)"
            ),
        )
        OTHER_LAW = "other_law", _("another case provided by law (give the text)")

    # The cases whose signature the prefect authorises beforehand (L1115-5).
    PREFECT_AUTHORISED_CASES = (
        StateCase.GROUPING,
        StateCase.INTERNATIONAL_AGREEMENT,
        StateCase.REGIONAL_PROGRAMME,
        StateCase.OTHER_GROUPING,
    )

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved by the council")
        SIGNED = "signed", _("signed")
        ENFORCEABLE = "enforceable", _("in force")
        EXPIRED = "expired", _("expired")
        TERMINATED = "terminated", _("terminated")

    partnership = models.ForeignKey(
        "partners.Partnership",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("partnership"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    title = TranslatedField(_("title"))
    object = models.TextField(
        _("object of the planned actions"),
        blank=True,
        help_text=_("Required for a convention (CGCT L1115-1)."),
    )
    forecast_commitment = AmountField(
        _("forecast financial commitments"),
        null=True,
        blank=True,
        help_text=_("Required for a convention (CGCT L1115-1)."),
    )
    currency = CurrencyField()
    signatories = models.TextField(_("signatories"), blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    council_decision = models.ForeignKey(
        CouncilDecision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("approving council decision"),
        help_text=_(
            "The délibération that approves this act; it must be enforceable before signing."
        ),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    transmitted_on = models.DateField(
        _("signed act transmitted to the prefect on"), null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    renews = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewals",
        verbose_name=_("renews"),
    )
    is_public = models.BooleanField(_("published"), default=False)
    state_case = models.CharField(
        _("case allowing an agreement with a foreign State"),
        max_length=30,
        choices=StateCase,
        default=StateCase.NONE,
        blank=True,
        help_text=_(
            "Only for an agreement with a foreign State: the case of CGCT L1115-5 that allows it."
        ),
    )
    prefect_authorised_on = models.DateField(
        _("signature authorised by the prefect on"),
        null=True,
        blank=True,
        help_text=_(
            "For an agreement with a foreign State: the date of the prefect's prior "
            "authorisation (CGCT L1115-5)."
        ),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        blank=True,
        help_text=_("For “another case provided by law”: the text that provides it."),
    )

    objects = PublishableQuerySet.as_manager()  # type: ignore[misc]  # ClassVar in the stubs

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["authority", "-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_period_order",
                violation_error_message=_(
                    "The agreement ends before it starts. "
                    "Give an end date on or after the start date."
                ),
            )
        ]

    def __str__(self) -> str:
        from jumelage.core.i18n import translate

        return translate(self.title) or f"{self.get_kind_display()} – {self.partnership}"  # noqa: RUF001

    @property
    def is_convention(self) -> bool:
        return self.kind in self.CONVENTION_KINDS


__all__ = ["Agreement", "CouncilDecision", "PublishableQuerySet"]
