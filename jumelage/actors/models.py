"""Local actors (schools, hospitals, clubs...) and people (staff volunteers, elected officials,
contacts), with their roles in projects and positions in networks and bodies."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jumelage.core.i18n import TranslatedField
from jumelage.core.models import AmountField, AtlasTheme, SharedModel
from jumelage.tenancy.models import OwnedChildModel, OwnedModel, PublishableQuerySet


class Skill(SharedModel):
    """A skill a staff volunteer offers (shared vocabulary: water, urban planning, French...)."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Actor(OwnedModel):
    """A local organisation mobilised in the authority's international action."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("school")
        UNIVERSITY = "university", _("university or institute")
        HOSPITAL = "hospital", _("hospital or health body")
        SERVICE_CLUB = "service_club", _("service club")
        ASSOCIATION = "association", _("association")
        TWINNING_COMMITTEE = "twinning_committee", _("twinning committee")
        DIASPORA = "diaspora", _("diaspora association")
        COMPANY = "company", _("company")
        PUBLIC_BODY = "public_body", _("public body")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind, default=Kind.ASSOCIATION)
    description = TranslatedField(_("description"))
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    partnerships = models.ManyToManyField(
        "partners.Partnership", blank=True, related_name="actors", verbose_name=_("partnerships")
    )
    is_public = models.BooleanField(_("published"), default=True)

    objects = PublishableQuerySet.as_manager()  # type: ignore[misc]  # ClassVar in the stubs

    class Meta:
        verbose_name = _("local actor")
        verbose_name_plural = _("local actors")
        ordering = ["authority", "name"]
        indexes = [models.Index(fields=["authority", "name"], name="actor_authority_name_idx")]

    def __str__(self) -> str:
        return self.name


class ProjectActor(OwnedChildModel):
    """An actor's role in a project."""

    class Role(models.TextChoices):
        PARTNER = "partner", _("partner")
        IMPLEMENTER = "implementer", _("implementer")
        EXPERT = "expert", _("expertise")
        HOST = "host", _("host")
        FUNDER = "funder", _("co-funder")
        PARTICIPANT = "participant", _("participant")

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="actor_roles",
        verbose_name=_("project"),
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="project_roles", verbose_name=_("actor")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.PARTNER)
    description = models.CharField(_("what they do"), max_length=300, blank=True)

    authority_path = "project__authority"
    parent_field = "project"
    # Edited on the actor's page: the actor's version covers it.
    record_field = "actor"

    class Meta:
        verbose_name = _("actor in a project")
        verbose_name_plural = _("actors in the project")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "actor", "role"], name="project_actor_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor} – {self.get_role_display()}"  # noqa: RUF001


class Person(OwnedModel):
    """A staff member, an elected official or a contact."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("staff member")
        ELECTED = "elected", _("elected official")
        CONTACT = "contact", _("contact")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.CONTACT)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    title = models.CharField(
        _("function"), max_length=200, blank=True, help_text=_("e.g. Mayor, head of service")
    )
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    actor = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("organisation"),
    )
    is_volunteer = models.BooleanField(_("volunteers for international work"), default=False)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="people", verbose_name=_("skills")
    )
    themes = models.ManyToManyField(
        AtlasTheme, blank=True, related_name="+", verbose_name=_("themes")
    )
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    daily_rate = AmountField(
        _("daily cost for in-kind valuation"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    is_public = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the public pages (officials).")
    )

    objects = PublishableQuerySet.as_manager()  # type: ignore[misc]  # ClassVar in the stubs

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["authority", "last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Position(OwnedChildModel):
    """A mandate or a seat held by a person (e.g. chair of a country group)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("person")
    )
    title = models.CharField(_("position"), max_length=200)
    body = models.CharField(_("body"), max_length=200)
    network = models.ForeignKey(
        "networks.Network",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("network"),
    )
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    is_public = models.BooleanField(_("published"), default=True)

    authority_path = "person__authority"
    parent_field = "person"

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["person", "-started_on"]

    def __str__(self) -> str:
        return f"{self.title}, {self.body}"


class Mission(OwnedChildModel):
    """Time a staff volunteer gives to a project; valued in kind in the financing plan."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="missions", verbose_name=_("person")
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="missions",
        verbose_name=_("project"),
    )
    description = models.CharField(_("what was done"), max_length=300)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    days = models.DecimalField(
        _("days given"),
        max_digits=6,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    # The in-kind lines that value this time in financing plans: in each plan at most one
    # expense line (the staff cost) and one own resource line (the authority's contribution),
    # so that valuing the mission again updates them instead of adding more.
    expense_lines = models.ManyToManyField(
        "projects.ExpenseLine",
        blank=True,
        related_name="missions",
        verbose_name=_("valued in expense lines"),
    )
    resource_lines = models.ManyToManyField(
        "projects.ResourceLine",
        blank=True,
        related_name="missions",
        verbose_name=_("valued in resource lines"),
    )

    authority_path = "person__authority"
    parent_field = "person"

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["person", "-started_on"]

    def __str__(self) -> str:
        return self.description


__all__ = ["Actor", "Mission", "Person", "Position", "ProjectActor", "Skill", "TranslatedField"]
