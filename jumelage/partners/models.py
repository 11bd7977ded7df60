"""The directory of authorities, the member authorities (tenants) and their partnerships."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jumelage.core.i18n import TranslatedField, translate
from jumelage.core.models import AtlasTheme, Country, SharedModel, TimeStampedModel
from jumelage.tenancy.models import OwnedChildModel, OwnedModel, OwnedQuerySet, PublishableQuerySet

siren_validator = RegexValidator(r"^\d{9}$", _("A SIREN number has nine digits."))
insee_validator = RegexValidator(
    r"^(\d{5}|2[AB]\d{3})$", _("An INSEE code has five characters, e.g. 92073 or 2A004.")
)
wikidata_validator = RegexValidator(r"^Q\d+$", _("A Wikidata id looks like Q12345."))
iati_org_validator = RegexValidator(
    # The agency's part may hold an underscore (BE-BCE_KBO); core.iati.clean_org_id is the full
    # check, which the directory's services run before writing an authority's own id.
    r"^[A-Za-z]{2,}-[A-Za-z0-9_]+(-[A-Za-z0-9._-]+)?$",
    _("An IATI organisation id looks like FR-RCS-217600691 (agency prefix, then the number)."),
)


class Authority(SharedModel):
    """Any local authority, French or foreign: a shared directory entry."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality (commune)")
        INTERMUNICIPAL = "intermunicipal", _("inter-municipal body (EPCI)")
        DEPARTMENT = "department", _("département or county")
        REGION = "region", _("region or province")
        STATE = "state", _("State (national government)")
        OTHER = "other", _("other public body")

    name = models.CharField(_("name"), max_length=200)
    local_name = models.CharField(
        _("name in its own language"), max_length=200, blank=True, help_text=_("e.g. Крагујевац")
    )
    local_name_language = models.CharField(_("language of that name"), max_length=8, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MUNICIPALITY)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="authorities", verbose_name=_("country")
    )
    region_name = models.CharField(_("region or state"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, validators=[siren_validator], db_index=True
    )
    insee_code = models.CharField(
        _("INSEE code"), max_length=5, blank=True, validators=[insee_validator]
    )
    iati_org_id = models.CharField(
        _("IATI organisation id"),
        max_length=100,
        blank=True,
        validators=[iati_org_validator],
        db_index=True,
    )
    wikidata_id = models.CharField(
        _("Wikidata id"), max_length=20, blank=True, validators=[wikidata_validator]
    )
    website = models.URLField(_("website"), blank=True)
    is_recognised_by_france = models.BooleanField(
        _("recognised by France"),
        default=True,
        # Conseil d'État, 13 May 2024, n° 474652: no act of any kind with an entity that
        # France does not recognise.
        help_text=_("Untick for an entity France does not recognise: no act can be made with it."),
    )

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["country", "name"], name="authority_country_name_idx"),
            # The public directory lists member authorities by name, 30 a page: read in this
            # order, not sorted whole on each page (issue 12).
            models.Index(fields=["name"], name="authority_name_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["siren"],
                condition=~models.Q(siren=""),
                name="authority_siren_unique",
                violation_error_message=_(
                    "Another authority of the directory already has this SIREN number. "
                    "Search the directory and use that entry instead of adding a new one."
                ),
            ),
            models.UniqueConstraint(
                fields=["iati_org_id"],
                condition=~models.Q(iati_org_id=""),
                name="authority_iati_org_id_unique",
                violation_error_message=_(
                    "Another authority of the directory already has this IATI organisation id. "
                    "Search the directory and use that entry instead of adding a new one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_id})"

    def identity_of(self) -> int | None:
        member = MemberAuthority.objects.filter(authority_id=self.pk).values_list("pk", flat=True)
        return member.first() if self.pk else None

    @classmethod
    def identities_of(cls, pks: list[int]) -> dict[int, int]:
        rows = MemberAuthority.objects.filter(authority_id__in=pks).values_list(
            "authority_id", "pk"
        )
        return dict(rows)

    def default_iati_org_id(self) -> str:
        """FR-RCS-<SIREN> for a French authority (IATI GUIDE §6), else the stored id."""
        if self.iati_org_id:
            return self.iati_org_id
        if self.country_id == "FR" and self.siren:
            return f"FR-RCS-{self.siren}"
        return ""


# The time zones of France's territories, where member authorities are (IANA names).
SERVICE_TIME_ZONES = [
    ("Europe/Paris", _("Metropolitan France")),
    ("America/Guadeloupe", _("Guadeloupe, Saint-Barthélemy, Saint-Martin")),
    ("America/Martinique", _("Martinique")),
    ("America/Cayenne", _("French Guiana")),
    ("Indian/Reunion", _("La Réunion")),
    ("Indian/Mayotte", _("Mayotte")),
    ("America/Miquelon", _("Saint-Pierre-et-Miquelon")),
    ("Pacific/Noumea", _("New Caledonia")),
    ("Pacific/Tahiti", _("French Polynesia (Tahiti)")),
    ("Pacific/Wallis", _("Wallis and Futuna")),
]


class MemberAuthorityManager(models.Manager.from_queryset(OwnedQuerySet)):  # type: ignore[misc]
    """Always with the directory entry: a member authority is shown by its authority's name."""

    def get_queryset(self) -> OwnedQuerySet:
        return super().get_queryset().select_related("authority")


class MemberAuthority(TimeStampedModel):
    """An authority that uses the platform: it owns its data, its staff and its public pages."""

    authority = models.OneToOneField(
        Authority,
        on_delete=models.PROTECT,
        related_name="membership_record",
        verbose_name=_("authority"),
    )
    slug = models.SlugField(_("address on the site"), max_length=80, unique=True)
    service_name = models.CharField(
        _("service name"),
        max_length=200,
        default="",
        blank=True,
        help_text=_("e.g. Actions internationales"),
    )
    street = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=SERVICE_TIME_ZONES,
        default="Europe/Paris",
        help_text=_("The service's local time: its opening hours are read in it."),
    )
    introduction = TranslatedField(_("introduction"))
    goals = TranslatedField(_("goals"))
    is_active = models.BooleanField(_("active"), default=True)
    # The settings page and its opening hours are one edit: a stale page is refused.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    is_demo = models.BooleanField(
        _("demonstration authority"),
        default=False,
        help_text=_("Loaded by the demo; its invented records are marked as examples."),
    )

    # Lists, filters and choice fields print member authorities by name: one query, not one
    # per row.
    objects = MemberAuthorityManager()

    class Meta:
        verbose_name = _("member authority")
        verbose_name_plural = _("member authorities")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.authority.name if self.authority_id else self.slug

    def owning_authority_id(self) -> int | None:
        return self.pk

    authority_path = "pk"
    write_roles = ("admin",)


class OpeningHours(OwnedChildModel):
    """One opening period of the service on one weekday (several per day for a lunch break)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    member = models.ForeignKey(
        MemberAuthority,
        on_delete=models.CASCADE,
        related_name="opening_hours",
        verbose_name=_("member authority"),
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    authority_path = "member"
    parent_field = "member"
    # Part of the member authority's settings, which only its administrators change.
    write_roles = ("admin",)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["member", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")),
                name="opening_hours_order",
                violation_error_message=_(
                    "The closing time comes before the opening time. "
                    "Give a closing time later than the opening time."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"  # noqa: RUF001

    def owning_authority_id(self) -> int | None:
        return self.member_id


class Label(OwnedModel):
    """A label (e.g. the Ministry's PACT2) or a seat in a national or international body."""

    class Kind(models.TextChoices):
        LABEL = "label", _("label")
        MEMBERSHIP = "membership", _("membership of a body")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.LABEL)
    name = models.CharField(_("name"), max_length=200)
    granted_by = models.CharField(_("granted by"), max_length=200, blank=True)
    description = TranslatedField(_("description"))
    started_year = models.PositiveSmallIntegerField(_("from (year)"), null=True, blank=True)
    ended_year = models.PositiveSmallIntegerField(_("until (year)"), null=True, blank=True)
    is_public = models.BooleanField(_("published"), default=True)

    objects = PublishableQuerySet.as_manager()  # type: ignore[misc]  # ClassVar in the stubs

    class Meta:
        verbose_name = _("label or membership")
        verbose_name_plural = _("labels and memberships")
        ordering = ["authority", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class Partnership(OwnedModel):
    """A member authority's relation with a foreign authority."""

    class Kind(models.TextChoices):
        TWINNING = "twinning", _("twinning")
        COOPERATION = "cooperation", _("decentralised cooperation")
        FRIENDSHIP = "friendship", _("friendship pact")
        ONE_OFF = "one_off", _("one-off action")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        DORMANT = "dormant", _("dormant")
        ENDED = "ended", _("ended")

    partner = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("partner authority"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    title = TranslatedField(
        _("title"), help_text=_("As on the Atlas sheet; the partner's name if empty.")
    )
    started_year = models.PositiveSmallIntegerField(
        _("started (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    started_on = models.DateField(_("started (date)"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    main_theme = models.ForeignKey(
        AtlasTheme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("main Atlas theme"),
    )
    summary = TranslatedField(_("summary"))
    history = TranslatedField(_("history"))
    context = TranslatedField(_("context"))
    is_public = models.BooleanField(_("published"), default=False)

    objects = PublishableQuerySet.as_manager()  # type: ignore[misc]  # ClassVar in the stubs
    # Its name falls back to the partner's: choice lists read both in one query.
    choice_select_related = ("partner",)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["authority", "partner__name", "kind"]
        indexes = [
            # What the public directory counts for each member (its current twinnings and
            # cooperations: `partners.selectors.partnership_is_published`), from the index
            # alone (issue 12).
            models.Index(
                fields=["authority", "kind", "status"],
                condition=models.Q(is_public=True),
                name="partnership_published_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "partner", "kind"],
                name="partnership_unique_kind",
                violation_error_message=_(
                    "Your authority already has a partnership of this kind with this partner. "
                    "Open that partnership instead of adding a new one."
                ),
            )
        ]

    def __str__(self) -> str:
        return translate(self.title) or f"{self.partner.name} – {self.get_kind_display()}"  # noqa: RUF001

    @property
    def start_year(self) -> int | None:
        return self.started_on.year if self.started_on else self.started_year


class PartnershipTheme(OwnedChildModel):
    """A ranked secondary Atlas theme of a partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="secondary_themes"
    )
    theme = models.ForeignKey(AtlasTheme, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)

    authority_path = "partnership__authority"
    parent_field = "partnership"

    class Meta:
        verbose_name = _("secondary theme")
        verbose_name_plural = _("secondary themes")
        ordering = ["partnership", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "theme"], name="partnership_theme_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.theme}"
