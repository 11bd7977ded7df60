"""Networks of authorities and actors around a country, a region or a theme."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jumelage.core.i18n import TranslatedField
from jumelage.tenancy.models import OwnedChildModel, OwnedModel, PublishableQuerySet


class Network(OwnedModel):
    """A network, kept by the member authority that animates or follows it."""

    class Kind(models.TextChoices):
        COUNTRY_GROUP = "country_group", _("country group")
        PLATFORM = "platform", _("platform of actors")
        THEMATIC = "thematic", _("thematic network")
        ASSOCIATION = "association", _("association of authorities")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.COUNTRY_GROUP)
    countries = models.ManyToManyField(
        "core.Country", blank=True, related_name="+", verbose_name=_("countries")
    )
    description = TranslatedField(_("description"))
    website = models.URLField(_("website"), blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded (year)"), null=True, blank=True)
    is_animator = models.BooleanField(
        _("we animate it"), default=False, help_text=_("The member authority runs this network.")
    )
    is_public = models.BooleanField(_("published"), default=True)

    objects = PublishableQuerySet.as_manager()  # type: ignore[misc]  # ClassVar in the stubs

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["authority", "name"]

    def __str__(self) -> str:
        return self.name


class NetworkMember(OwnedChildModel):
    """An authority or an actor in a network, with what they do where."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    authority_member = models.ForeignKey(
        "partners.Authority",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("authority"),
    )
    actor = models.ForeignKey(
        "actors.Actor",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="networks",
        verbose_name=_("actor"),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    activity = models.CharField(_("what they do, where"), max_length=300, blank=True)
    since = models.PositiveSmallIntegerField(_("since (year)"), null=True, blank=True)

    authority_path = "network__authority"
    parent_field = "network"

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(authority_member__isnull=False) | models.Q(actor__isnull=False),
                name="network_member_is_someone",
                violation_error_message=_("Choose the member authority or actor."),
            )
        ]

    def __str__(self) -> str:
        return str(self.authority_member or self.actor)


class Meeting(OwnedChildModel):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)

    authority_path = "network__authority"
    parent_field = "network"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["network", "-date"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"
