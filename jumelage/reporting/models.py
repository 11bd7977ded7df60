"""Activities imported from other publishers' IATI files, kept apart from the members' own
projects: they show who else works where. One import run is recorded per file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jumelage.core.i18n import TranslatedField, translate
from jumelage.core.models import TimeStampedModel
from jumelage.core.money import AmountField, CurrencyField, PercentageField
from jumelage.tenancy.models import OwnedModel, OwnedQuerySet


class IatiOrganisation(TimeStampedModel):
    """An organisation named in imported IATI files, keyed by its IATI identifier (`ref`).

    Why a directory of its own rather than projects.Funder or partners.Authority: an imported
    file names ministries, agencies, NGOs, companies and multilaterals by the thousand. Putting
    them into Funder would flood the list officers pick co-funders from (and Funder.name is
    unique, which two publishers spelling one name differently would break); Authority needs a
    country and a kind that a file does not give, and holds local authorities only. Here the
    IATI identifier is the one key, so an organisation is never duplicated across files or
    runs; a selector can still match `ref` with Funder.iati_org_id or Authority.iati_org_id.
    Organisations that a file names without an identifier cannot be matched safely, so they are
    not added here: their name stays on the participation.
    """

    ref = models.CharField(_("IATI organisation id"), max_length=200, unique=True)
    name = TranslatedField(_("name"))
    type = models.CharField(_("IATI organisation type"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("IATI organisation")
        verbose_name_plural = _("IATI organisations")
        ordering = ["ref"]

    def __str__(self) -> str:
        name = translate(self.name)
        return f"{name} ({self.ref})" if name else self.ref


class ImportRun(models.Model):
    """One IATI file imported: for which member authority, by whom, and what it changed."""

    authority = models.ForeignKey(
        "partners.MemberAuthority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("for member authority"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    file_name = models.CharField(_("file"), max_length=300)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    iati_version = models.CharField(_("IATI version"), max_length=10, blank=True)
    activities = models.PositiveIntegerField(_("activities read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    warnings = models.JSONField(
        _("first warnings"), default=list, blank=True, help_text=_("At most the first 500.")
    )
    # What lets a later import of the same file repeat this one's result without reading the
    # file (reporting.services, "The same file again"). Set only when that result can be
    # repeated exactly: every warning kept, none raised while writing.
    reader = models.CharField(_("read by"), max_length=40, blank=True, editable=False)
    manifest = models.BinaryField(
        _("activities found"),
        blank=True,
        default=b"",
        editable=False,
        help_text=_("The identifiers of the file's activities, compressed."),
    )
    stored_digest = models.CharField(
        _("fingerprint of what it stored"), max_length=64, blank=True, editable=False
    )
    same_as = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("same file as"),
        help_text=_(
            "The earlier import of the same file whose result this one repeated, "
            "without reading the file again."
        ),
    )

    # Seen by the members of the authority it was made for (an import made without one, from
    # the command line, by superusers only).
    objects = OwnedQuerySet.as_manager()
    authority_path = "authority"

    class Meta:
        verbose_name = _("IATI import")
        verbose_name_plural = _("IATI imports")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["file_sha256", "-id"], name="reporting_run_file_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.at:%Y-%m-%d %H:%M})" if self.at else self.file_name


class ExternalActivity(TimeStampedModel):
    """An activity of another publisher, matched across imports by its IATI identifier."""

    iati_identifier = models.CharField(_("IATI identifier"), max_length=300, unique=True)
    reporting_org = models.ForeignKey(
        IatiOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_activities",
        verbose_name=_("reporting organisation"),
    )
    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"))
    status = models.CharField(_("IATI activity status"), max_length=2, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    currency = CurrencyField(
        _("currency of the totals"), blank=True, help_text=_("The activity's default currency.")
    )
    budget_total = AmountField(_("budget"), max_digits=22, null=True, blank=True)
    incoming_total = AmountField(_("incoming funds"), max_digits=22, null=True, blank=True)
    commitment_total = AmountField(_("commitments"), max_digits=22, null=True, blank=True)
    disbursement_total = AmountField(_("disbursements"), max_digits=22, null=True, blank=True)
    expenditure_total = AmountField(_("expenditure"), max_digits=22, null=True, blank=True)
    last_updated = models.DateTimeField(_("last updated by the publisher"), null=True, blank=True)
    iati_version = models.CharField(_("IATI version"), max_length=10, blank=True)
    content_hash = models.CharField(
        _("fingerprint"), max_length=64, help_text=_("Of the activity's XML: unchanged, no write.")
    )
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    last_import = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities_written",
        verbose_name=_("last written by"),
    )

    class Meta:
        verbose_name = _("imported IATI activity")
        verbose_name_plural = _("imported IATI activities")
        ordering = ["iati_identifier"]

    def __str__(self) -> str:
        return translate(self.title) or self.iati_identifier


class ExternalParticipation(models.Model):
    """An organisation taking part in an imported activity, in an IATI role."""

    activity = models.ForeignKey(
        ExternalActivity, on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        IatiOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    name = TranslatedField(_("name as given"), help_text=_("When the file gives no identifier."))
    role = models.CharField(_("IATI role"), max_length=2, blank=True)
    type = models.CharField(_("IATI organisation type"), max_length=4, blank=True)
    their_activity_id = models.CharField(_("their activity id"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        ordering = ["activity", "role", "id"]

    def __str__(self) -> str:
        return str(self.organisation) if self.organisation_id else translate(self.name)


class ExternalSector(models.Model):
    activity = models.ForeignKey(ExternalActivity, on_delete=models.CASCADE, related_name="sectors")
    vocabulary = models.CharField(_("vocabulary"), max_length=3, default="1")
    code = models.CharField(_("code"), max_length=100)
    percentage = PercentageField(null=True, blank=True, max_digits=7, decimal_places=4)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["activity", "vocabulary", "code"]

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"


class ExternalCountry(models.Model):
    activity = models.ForeignKey(
        ExternalActivity, on_delete=models.CASCADE, related_name="countries"
    )
    # A code, not a link to core.Country: IATI's country list is open (complete="0").
    country_code = models.CharField(_("country code"), max_length=3, db_index=True)
    percentage = PercentageField(null=True, blank=True, max_digits=7, decimal_places=4)

    class Meta:
        verbose_name = _("recipient country")
        verbose_name_plural = _("recipient countries")
        ordering = ["activity", "country_code"]

    def __str__(self) -> str:
        return self.country_code


class ExternalRegion(models.Model):
    activity = models.ForeignKey(ExternalActivity, on_delete=models.CASCADE, related_name="regions")
    vocabulary = models.CharField(_("vocabulary"), max_length=3, default="1")
    code = models.CharField(_("code"), max_length=20)
    percentage = PercentageField(null=True, blank=True, max_digits=7, decimal_places=4)

    class Meta:
        verbose_name = _("recipient region")
        verbose_name_plural = _("recipient regions")
        ordering = ["activity", "vocabulary", "code"]

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"


# --- Spreadsheet exports and imports (jumelage.reporting.spreadsheets) -----------------------


class SpreadsheetJobQuerySet(models.QuerySet):
    def of_owner(self, user: object) -> SpreadsheetJobQuerySet:
        """A job is its owner's only: nobody else sees its progress, errors or file."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:  # type: ignore[attr-defined]
            return self.none()
        return self.filter(owner_id=user.pk)  # type: ignore[attr-defined]


class SpreadsheetJob(models.Model):
    """One spreadsheet export, import check (dry run) or import, or one IATI file import, with
    its progress.

    Run by the task queue's worker (see spreadsheets.jobs: how it survives a restart); the live
    progress and the heartbeat are kept in the shared cache, the outcome here. Files (the
    upload, the export) live in the "jobs" storage, served to the owner only.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("export")
        CHECK = "check", _("import check")
        IMPORT = "import", _("import")
        IATI_IMPORT = "iati_import", _("IATI import")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("owner"),
    )
    authority = models.ForeignKey(
        "partners.MemberAuthority",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member authority"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    list_name = models.CharField(_("list"), max_length=40)
    file_format = models.CharField(_("format"), max_length=4, blank=True)
    language = models.CharField(_("language"), max_length=8, default="fr")
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    message = models.TextField(_("message"), blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("number of problems"), default=0)
    counts = models.JSONField(_("rows by outcome"), default=dict, blank=True)
    # A workspace import of a whole workbook: per sheet, its mapping, check and rows to fix
    # (reporting.spreadsheets.workbook).
    sheets = models.JSONField(_("sheets"), default=list, blank=True)
    upload_name = models.CharField(_("file sent"), max_length=255, blank=True)
    upload_path = models.CharField(max_length=255, blank=True, editable=False)
    result_path = models.CharField(max_length=255, blank=True, editable=False)
    source = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Runs started: a run abandoned by a worker that died is started again (spreadsheets.jobs).
    attempts = models.PositiveSmallIntegerField(_("runs started"), default=0)
    # The queue's id of the task that runs it (django-tasks), to tell whether it is still there.
    task_id = models.CharField(max_length=64, blank=True, editable=False)

    objects = SpreadsheetJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("spreadsheet job")
        verbose_name_plural = _("spreadsheet jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.list_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ColumnMapping(OwnedModel):
    """How a member authority's files of one shape map to an import: the officer's headers
    (as compared) to the fields of a kind of record, remembered when a file is imported and
    offered for the next file with the same headers, whatever their order."""

    signature = models.CharField(_("signature of the headers"), max_length=64)
    kind = models.CharField(_("kind of record"), max_length=40)
    headers = models.JSONField(_("headers"), default=list)
    # {header as compared: field key, or "" for a column left out}
    mapping = models.JSONField(_("mapping"), default=dict)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "signature"], name="column_mapping_unique_per_shape"
            )
        ]

    def __str__(self) -> str:
        # The kinds are declared with the imports, which read these models: named here late.
        from jumelage.reporting.spreadsheets.imports import IMPORTS

        kind = IMPORTS.get(self.kind)
        return f"{kind.title if kind else self.kind}: {', '.join(self.headers)[:80]}"


class IatiCheck(models.Model):
    """The last run of the IATI export's checks for a member authority, in one language and for
    one site address (the export's links): what the workspace's home shows. The checks build and
    validate every published project's activity (seconds for a city with thousands), so they run
    in the task queue after a write (reporting.iati.checks), never in the officer's request.

    `data_key` names the authority's data the checks read (its page generations and the day);
    a result whose key is no longer current is shown as the last one, with its time, while the
    queue checks again."""

    authority = models.ForeignKey(
        "partners.MemberAuthority",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member authority"),
    )
    language = models.CharField(_("language"), max_length=10)
    base_url = models.CharField(_("site address"), max_length=300, blank=True)
    data_key = models.CharField(_("data checked"), max_length=300)
    report = models.JSONField(_("result"), default=dict)
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        verbose_name = _("IATI check")
        verbose_name_plural = _("IATI checks")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "language", "base_url"], name="iati_check_one_per_reader"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority_id} {self.language} {self.checked_at:%Y-%m-%d %H:%M}"
