"""Projects, their financing plans, funders and calls, applications, transactions and results."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jumelage.core import formats
from jumelage.core.i18n import TranslatedField, translate
from jumelage.core.models import AmountField, AtlasTheme, Country, CurrencyField, SharedModel
from jumelage.core.money import PercentageField
from jumelage.tenancy.models import (
    CONTENT_WRITE_ROLES,
    WRITE_ROLES,
    OwnedChildModel,
    OwnedModel,
    PublishableQuerySet,
)

percent_validators = [MinValueValidator(0), MaxValueValidator(100)]


class Funder(SharedModel):
    """An organisation that co-finances projects (EU, MEAE, AFD...): a shared directory entry."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    iati_org_type = models.CharField(
        _("IATI organisation type"),
        max_length=4,
        blank=True,
        help_text=_(
            "Code of the IATI OrganisationType list, e.g. 10 government, 11 local government."
        ),
    )
    iati_org_id = models.CharField(_("IATI organisation id"), max_length=100, blank=True)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
    )
    authority = models.OneToOneField(
        "partners.Authority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funder",
        verbose_name=_("as an authority"),
        help_text=_("When the funder is itself a local authority."),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Call(SharedModel):
    """A funder's call for projects. Its rules change yearly: kept here, never in code."""

    funder = models.ForeignKey(
        Funder, on_delete=models.PROTECT, related_name="calls", verbose_name=_("funder")
    )
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    url = models.URLField(_("web page"), blank=True)
    eligible_countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("eligible countries")
    )
    eligible_themes = models.ManyToManyField(
        AtlasTheme, blank=True, related_name="+", verbose_name=_("eligible themes")
    )
    max_rate_ldc = PercentageField(
        _("maximum co-financing, least developed countries (%)"),
        null=True,
        blank=True,
        validators=percent_validators,
    )
    max_rate_oda = PercentageField(
        _("maximum co-financing, other ODA countries (%)"),
        null=True,
        blank=True,
        validators=percent_validators,
    )
    max_rate_non_oda = PercentageField(
        _("maximum co-financing, non-ODA countries (%)"),
        null=True,
        blank=True,
        validators=percent_validators,
    )
    max_rate_multi_country = PercentageField(
        _("maximum co-financing, multi-country project (%)"),
        null=True,
        blank=True,
        validators=percent_validators,
    )

    class ShareCounts(models.TextChoices):
        # Whose resource lines make up the "own share" a call asks for: funders word it
        # differently (the MEAE asks the French authorities for 10 %, the AFD's FICOL asks the
        # authorities and their partners for 30 %), so the call says which it is.
        OWN = "own", _("the member authority's own contribution only")
        FRENCH_AUTHORITIES = (
            "french_authorities",
            _(
                "the French local authorities (the member authority and French authorities "
                "co-funding the project)"
            ),
        )
        AUTHORITIES_AND_PARTNERS = (
            "authorities_and_partners",
            _(
                "the local authorities and their partners (French authorities and the project's "
                "partner authorities)"
            ),
        )

    min_own_share = PercentageField(
        _("minimum own share of the authorities (%)"),
        null=True,
        blank=True,
        validators=percent_validators,
    )
    max_in_kind_of_own_share = PercentageField(
        _("maximum in-kind part of the own share (%)"),
        null=True,
        blank=True,
        validators=percent_validators,
    )
    own_share_counts = models.CharField(
        _("the own share counts"),
        max_length=30,
        choices=ShareCounts,
        default=ShareCounts.OWN,
        help_text=_(
            "Whose resource lines make up the minimum share and its in-kind part, as the "
            "call's rules word it."
        ),
    )
    min_amount = AmountField(_("minimum grant"), null=True, blank=True)
    max_amount = AmountField(_("maximum grant"), null=True, blank=True)
    currency = CurrencyField()
    cash_only = models.BooleanField(_("pays cash only"), default=False)
    final_instalment_percent = PercentageField(
        _("final instalment after the final report (%)"),
        null=True,
        blank=True,
        validators=percent_validators,
    )
    requirements = models.TextField(_("other requirements"), blank=True)

    class Meta:
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        ordering = ["-year", "funder__name", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Project(OwnedModel):
    """A cooperation action: what is done, where, with whom, with what money and results."""

    class Status(models.TextChoices):
        IDEA = "idea", _("idea")
        PREPARATION = "preparation", _("in preparation")
        FUNDING_SOUGHT = "funding_sought", _("funding sought")
        RUNNING = "running", _("running")
        COMPLETED = "completed", _("completed")
        EVALUATED = "evaluated", _("evaluated")
        CANCELLED = "cancelled", _("cancelled")

    # IATI ActivityStatus code for each status (GUIDE §4).
    IATI_STATUS = {
        Status.IDEA: "1",
        Status.PREPARATION: "1",
        Status.FUNDING_SOUGHT: "1",
        Status.RUNNING: "2",
        Status.COMPLETED: "3",
        Status.EVALUATED: "4",
        Status.CANCELLED: "5",
    }

    slug = models.SlugField(_("address on the site"), max_length=120)
    title = TranslatedField(_("title"))
    summary = TranslatedField(_("summary"))
    description = TranslatedField(_("description"))
    objectives = TranslatedField(_("objectives"))
    partnerships = models.ManyToManyField(
        "partners.Partnership", blank=True, related_name="projects", verbose_name=_("partnerships")
    )
    places = models.CharField(_("places"), max_length=300, blank=True)
    atlas_theme = models.ForeignKey(
        AtlasTheme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Atlas theme"),
    )
    sdg_targets = models.JSONField(
        _("SDG targets"),
        default=list,
        blank=True,
        help_text=_("Codes of the UN SDG targets, e.g. 6.1, 16.6."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.IDEA)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    currency = CurrencyField(_("currency"))

    class OdaPurpose(models.TextChoices):
        # The OECD definition of ODA: each transaction "is administered with the promotion of
        # the economic development and welfare of developing countries as its main objective"
        # (IATI FlowType 10, from the DAC directives). A school trip or a cultural exchange
        # of a twinning is not, whatever country it goes to.
        NOT_CHECKED = "", _("not checked")
        DEVELOPMENT = (
            "development",
            _(
                "its main objective is the economic development and welfare of the recipient "
                "country"
            ),
        )
        OTHER = "other", _("its main objective is something else (not ODA)")

    iati_identifier = models.CharField(_("IATI identifier"), max_length=150, blank=True)
    is_public = models.BooleanField(_("published"), default=False)
    oda_purpose = models.CharField(
        _("ODA purpose"),
        max_length=20,
        choices=OdaPurpose,
        default=OdaPurpose.NOT_CHECKED,
        blank=True,
        help_text=_(
            "Whether the project's main objective is the development of the recipient country, "
            "the test of official development assistance. The ODA declaration asks for it on "
            "the projects of a twinning and leaves out a project marked “something else”."
        ),
    )

    objects = PublishableQuerySet.as_manager()  # type: ignore[misc]  # ClassVar in the stubs
    write_roles = CONTENT_WRITE_ROLES

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        # authority_id, not authority: ordering by the foreign key would join the member
        # authorities to sort by their slug, a sort of the whole table on a national list.
        ordering = ["authority_id", "-planned_start", "id"]
        indexes = [
            models.Index(
                fields=["authority", "-planned_start", "id"], name="project_list_order_idx"
            ),
            # A member's published projects (`projects.selectors.project_is_published`), which
            # the public directory counts for each member from the index alone (issue 12).
            models.Index(
                fields=["authority"],
                condition=models.Q(is_public=True),
                name="project_published_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "slug"],
                name="project_slug_unique",
                violation_error_message=_(
                    "Your authority already has a project at this address: choose another one."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="project_planned_dates_order",
                violation_error_message=_(
                    "The planned end is before the planned start: correct one of the dates."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(actual_end__isnull=True)
                | models.Q(actual_start__isnull=True)
                | models.Q(actual_end__gte=models.F("actual_start")),
                name="project_actual_dates_order",
                violation_error_message=_(
                    "The actual end is before the actual start: correct one of the dates."
                ),
            ),
        ]

    def __str__(self) -> str:
        return translate(self.title) or self.slug


class ProjectSector(OwnedChildModel):
    """A sector of a project in an IATI sector vocabulary (CRS purpose code), with its share.

    Percentages add up to 100 within each vocabulary (IATI rule 2.1.2), so the vocabulary is
    stored with the code.
    """

    class Vocabulary(models.TextChoices):
        # IATI SectorVocabulary codes; each maps to the codelist its codes come from.
        DAC_5 = "1", _("OECD DAC CRS purpose code (5 digits)")
        DAC_3 = "2", _("OECD DAC CRS sector category (3 digits)")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sectors")
    vocabulary = models.CharField(
        _("vocabulary"), max_length=3, choices=Vocabulary, default=Vocabulary.DAC_5
    )
    code = models.CharField(_("CRS purpose code"), max_length=5)
    percentage = PercentageField(validators=percent_validators, default=100)

    authority_path = "project__authority"
    parent_field = "project"

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "vocabulary", "code"],
                name="project_sector_unique",
                violation_error_message=_(
                    "This sector is already listed for the project: change its percentage "
                    "instead of adding it again."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.percentage} %)"


class ProjectCountry(OwnedChildModel):
    """A recipient country of a project, with its share."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="countries")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    percentage = PercentageField(validators=percent_validators, default=100)

    authority_path = "project__authority"
    parent_field = "project"

    class Meta:
        verbose_name = _("recipient country")
        verbose_name_plural = _("recipient countries")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "country"],
                name="project_country_unique",
                violation_error_message=_(
                    "This country is already listed for the project: change its percentage "
                    "instead of adding it again."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.country_id} ({self.percentage} %)"


class FinancingPlan(OwnedChildModel):
    """A project's budget: expense lines and resource lines that must balance."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        ADOPTED = "adopted", _("adopted")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="financing_plans", verbose_name=_("project")
    )
    title = models.CharField(_("title"), max_length=200, default="", blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Empty for the whole project.")
    )
    currency = CurrencyField()
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.DRAFT)
    call = models.ForeignKey(
        Call,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="financing_plans",
        verbose_name=_("call for projects"),
        help_text=_(
            "The call this plan is written for: its caps, minimum own share, in-kind limit "
            "and grant bounds are checked on the plan, and a plan that breaks one cannot be "
            "submitted or adopted."
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    authority_path = "project__authority"
    parent_field = "project"

    class Meta:
        verbose_name = _("financing plan")
        verbose_name_plural = _("financing plans")
        ordering = ["project", "year"]

    def __str__(self) -> str:
        year = f" {self.year}" if self.year else ""
        return f"{self.project}{year}"


class ExpenseLine(OwnedChildModel):
    class Category(models.TextChoices):
        STAFF = "staff", _("staff")
        TRAVEL = "travel", _("travel and missions")
        EQUIPMENT = "equipment", _("equipment and works")
        SERVICES = "services", _("services and studies")
        TRAINING = "training", _("training")
        COMMUNICATION = "communication", _("communication and events")
        OVERHEADS = "overheads", _("overheads")
        OTHER = "other", _("other")

    plan = models.ForeignKey(FinancingPlan, on_delete=models.CASCADE, related_name="expenses")
    label = models.CharField(_("label"), max_length=200)
    category = models.CharField(
        _("category"), max_length=20, choices=Category, default=Category.OTHER
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    amount = AmountField(_("amount"), validators=[MinValueValidator(0)])
    in_kind = models.BooleanField(
        _("in kind"), default=False, help_text=_("Valued contribution (e.g. staff time), not cash.")
    )

    authority_path = "plan__project__authority"
    parent_field = "plan"

    class Meta:
        verbose_name = _("expense line")
        verbose_name_plural = _("expense lines")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return _("%(label)s: %(amount)s") % {
            "label": self.label,
            "amount": formats.grouped(self.amount),
        }


class ResourceLine(OwnedChildModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        REQUESTED = "requested", _("requested")
        GRANTED = "granted", _("granted")
        RECEIVED = "received", _("received")
        REFUSED = "refused", _("refused")

    plan = models.ForeignKey(FinancingPlan, on_delete=models.CASCADE, related_name="resources")
    label = models.CharField(_("label"), max_length=200, blank=True)
    funder = models.ForeignKey(
        Funder,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resource_lines",
        verbose_name=_("funder"),
    )
    is_own = models.BooleanField(
        _("own contribution"),
        default=False,
        help_text=_("Money or in-kind value from the member authority itself."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    amount = AmountField(_("amount"), validators=[MinValueValidator(0)])
    in_kind = models.BooleanField(_("in kind"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    application = models.ForeignKey(
        "Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("application"),
    )

    authority_path = "plan__project__authority"
    parent_field = "plan"

    class Meta:
        verbose_name = _("resource line")
        verbose_name_plural = _("resource lines")
        ordering = ["plan", "-is_own", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_own=True) | models.Q(funder__isnull=False),
                name="resource_line_has_source",
                violation_error_message=_(
                    "Give the funder of this resource, or tick “own contribution”."
                ),
            )
        ]

    def __str__(self) -> str:
        return _("%(label)s: %(amount)s") % {
            "label": self.label or self.funder or _("own contribution"),
            "amount": formats.grouped(self.amount),
        }


class Application(OwnedChildModel):
    """A project's request to a call for projects."""

    class Decision(models.TextChoices):
        DRAFT = "draft", _("being written")
        SUBMITTED = "submitted", _("submitted")
        GRANTED = "granted", _("granted")
        PARTLY_GRANTED = "partly_granted", _("partly granted")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="applications")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    amount_requested = AmountField(_("amount requested"), validators=[MinValueValidator(0)])
    currency = CurrencyField()
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision, default=Decision.DRAFT
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    amount_granted = AmountField(
        _("amount granted"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    authority_path = "project__authority"
    parent_field = "project"

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["project", "-submitted_on", "id"]

    def __str__(self) -> str:
        return f"{self.project} → {self.call}"


class Instalment(OwnedChildModel):
    """A tranche of a granted application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="instalments"
    )
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)
    amount = AmountField(_("amount"), validators=[MinValueValidator(0)])
    due_on = models.DateField(_("due on"), null=True, blank=True)
    condition = models.CharField(_("condition"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)

    authority_path = "application__project__authority"
    parent_field = "application"

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["application", "rank"]

    def __str__(self) -> str:
        return _("Instalment %(rank)s: %(amount)s") % {
            "rank": self.rank,
            "amount": formats.grouped(self.amount),
        }


class ReportDue(OwnedChildModel):
    """A report owed to a funder (technical and financial report)."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("interim report")
        FINAL = "final", _("final report")
        FINANCIAL = "financial", _("financial report")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.INTERIM)
    due_on = models.DateField(_("due on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)

    authority_path = "application__project__authority"
    parent_field = "application"

    class Meta:
        verbose_name = _("report due")
        verbose_name_plural = _("reports due")
        ordering = ["application", "due_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"


class Transaction(OwnedModel):
    """Money that moved (or is committed): IATI transaction types, with CRS dimensions.

    A payment of the authority's ledger: most belong to a project; a membership fee or a
    contribution to a network belongs to the authority (and perhaps a partnership) with no
    project (`nature`). The authority is on the payment itself, so that one without a project
    is owned too. A payment in a foreign currency may carry the euro amount the public
    accountant actually paid (`amount_eur`, the amount of the mandat): the files in euros use
    it instead of converting at a rate.
    """

    class Nature(models.TextChoices):
        PROJECT = "project", _("a payment of a project")
        MEMBERSHIP_FEE = "membership_fee", _("a membership fee")
        NETWORK_CONTRIBUTION = "network_contribution", _("a contribution to a network")

    class OdaCategory(models.IntegerChoices):
        # The e-APD categories (CGCT L1115-6), domain guide §4.
        PROJECTS = 1, _("1 – cooperation projects")  # noqa: RUF001
        NGO_GRANTS = 2, _("2 – grants to associations and NGOs for development")  # noqa: RUF001
        AWARENESS = 3, _("3 – awareness and global-citizenship education in France")  # noqa: RUF001
        REFUGEES = 4, _("4 – aid to refugees, including in France")  # noqa: RUF001
        STUDENTS = 5, _("5 – support to students from ODA countries")  # noqa: RUF001
        STAFF = 6, _("6 – staff and follow-up costs")  # noqa: RUF001
        MULTILATERAL = 7, _("7 – contributions to multilateral bodies")  # noqa: RUF001
        FACECO = 8, _("8 – contributions to FACECO")  # noqa: RUF001

    project = models.ForeignKey(
        Project,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="transactions",
        verbose_name=_("project"),
    )
    nature = models.CharField(
        _("what it pays"),
        max_length=30,
        choices=Nature,
        default=Nature.PROJECT,
        help_text=_("A payment without a project is a membership fee or a network contribution."),
    )
    partnership = models.ForeignKey(
        "partners.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("partnership"),
    )
    order_number = models.CharField(
        _("payment order number"),
        max_length=40,
        blank=True,
        help_text=_("The number of the mandat issued to the public accountant."),
    )
    budget_line = models.CharField(
        _("budget line"),
        max_length=60,
        blank=True,
        help_text=_("The imputation of the mandat, e.g. 65748 - 048."),
    )
    transaction_type = models.CharField(
        _("type"), max_length=2, help_text=_("IATI TransactionType code, e.g. 3 disbursement.")
    )
    date = models.DateField(_("date"))
    value_date = models.DateField(
        _("value date"),
        null=True,
        blank=True,
        help_text=_("For the exchange rate; the date if empty."),
    )
    amount = AmountField(_("amount"))
    currency = CurrencyField()
    amount_eur = AmountField(
        _("euro amount paid"),
        null=True,
        blank=True,
        help_text=_(
            "For an amount in another currency: the euros the treasury actually paid (the "
            "amount of the mandat). The ODA declaration and the IATI file use it instead of a "
            "rate."
        ),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    provider_org_id = models.CharField(_("provider IATI id"), max_length=100, blank=True)
    receiver = models.CharField(_("receiver"), max_length=200, blank=True)
    receiver_org_id = models.CharField(_("receiver IATI id"), max_length=100, blank=True)
    from_own_funds = models.BooleanField(
        _("from own funds"),
        default=True,
        help_text=_("Paid from the authority's own budget (counts in the ODA declaration)."),
    )
    in_kind = models.BooleanField(_("in kind"), default=False)
    is_subsidy = models.BooleanField(
        _("subsidy"), default=False, help_text=_("A grant paid to another body.")
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transactions",
        verbose_name=_("agreement"),
    )
    oda_category = models.PositiveSmallIntegerField(
        _("ODA category"), choices=OdaCategory, null=True, blank=True
    )
    recipient_country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recipient country"),
    )
    sector_code = models.CharField(_("CRS purpose code"), max_length=5, blank=True)
    channel_code = models.CharField(_("CRS channel"), max_length=5, blank=True)
    flow_type = models.CharField(_("flow type"), max_length=3, blank=True, default="10")
    finance_type = models.CharField(_("finance type"), max_length=4, blank=True, default="110")
    aid_type = models.CharField(_("aid type"), max_length=4, blank=True, default="C01")
    service_budget = models.ForeignKey(
        "ServiceBudget",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transactions",
        verbose_name=_("taken on the service budget"),
        help_text=_(
            "For money taken on a water, sanitation, energy, waste or mobility budget under the "
            "“1 %” laws (CGCT L1115-1-1 and following): the budget of the transaction's year."
        ),
    )

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        # authority_id, not authority: ordering by the foreign key would join the authorities to
        # sort by their own ordering, a sort of the whole table on a national list; the list
        # index gives this order without a sort, the ledger index an authority's newest first.
        ordering = ["authority_id", "date", "id"]
        indexes = [
            models.Index(fields=["date"], name="transaction_date_idx"),
            models.Index(fields=["authority", "-date", "-id"], name="transaction_ledger_idx"),
            models.Index(fields=["authority", "date", "id"], name="transaction_list_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(nature="project", project__isnull=False)
                    | (~models.Q(nature="project") & models.Q(project__isnull=True))
                ),
                name="transaction_project_or_nature",
                violation_error_message=_(
                    "A payment of a project names its project; a membership fee or a network "
                    "contribution names none."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(amount_eur__isnull=True) | models.Q(amount_eur__gte=0),
                name="transaction_amount_eur_positive",
                violation_error_message=_("Write a positive euro amount."),
            ),
        ]

    def __str__(self) -> str:
        return f"{formats.day(self.date)} – {formats.money(self.amount, self.currency)}"  # noqa: RUF001

    @property
    def rate_date(self):
        return self.value_date or self.date


class ServiceBudget(OwnedModel):
    """The resources of one public-service budget of a year, the base of the "1 %" it may give
    to international action in its own sector.

    CGCT L1115-1-1: the bodies in charge of drinking water and sanitation, or of electricity and
    gas distribution, may fund cooperation, emergency aid and solidarity actions in the same
    sector "dans la limite de 1 % des ressources qui sont affectées aux budgets de ces
    services"; the same for household waste (the "1 % déchets" of loi n° 2014-773 of 7 July
    2014) and for mobility (L1115-3, resources counted without the versement mobilité).
    Each budget has its own ceiling: see docs/legal-notes.md for what the texts leave open.
    """

    class Kind(models.TextChoices):
        WATER = "water", _("drinking water")
        SANITATION = "sanitation", _("sanitation")
        ENERGY = "energy", _("electricity and gas distribution")
        WASTE = "waste", _("household waste")
        MOBILITY = "mobility", _("mobility")

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("service"), max_length=20, choices=Kind)
    resources = AmountField(
        _("resources of the budget"),
        validators=[MinValueValidator(0)],
        help_text=_(
            "The resources assigned to this service's budget for the year, in euros (for "
            "mobility, without the versement mobilité). Its ceiling is a hundredth of them."
        ),
    )
    reference = models.CharField(
        _("budget reference"),
        max_length=200,
        blank=True,
        help_text=_("e.g. budget annexe de l'eau 2025, compte administratif or budget voted."),
    )

    class Meta:
        verbose_name = _("service budget (1 % laws)")
        verbose_name_plural = _("service budgets (1 % laws)")
        ordering = ["authority_id", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year", "kind"],
                name="service_budget_unique",
                violation_error_message=_(
                    "Your authority already has this service's budget for this year: open it "
                    "and change its resources instead."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"


class Result(OwnedChildModel):
    class Type(models.TextChoices):
        # IATI ResultType codes.
        OUTPUT = "1", _("output")
        OUTCOME = "2", _("outcome")
        IMPACT = "3", _("impact")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="results")
    type = models.CharField(_("type"), max_length=1, choices=Type, default=Type.OUTPUT)
    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"))
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    authority_path = "project__authority"
    parent_field = "project"
    write_roles = CONTENT_WRITE_ROLES

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return translate(self.title) or str(_("result"))


class Indicator(OwnedChildModel):
    class Measure(models.TextChoices):
        # IATI IndicatorMeasure codes.
        UNIT = "1", _("unit")
        PERCENTAGE = "2", _("percentage")
        NOMINAL = "3", _("nominal")
        ORDINAL = "4", _("ordinal")
        QUALITATIVE = "5", _("qualitative")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    title = TranslatedField(_("title"))
    measure = models.CharField(_("measure"), max_length=1, choices=Measure, default=Measure.UNIT)
    ascending = models.BooleanField(_("higher is better"), default=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    authority_path = "result__project__authority"
    parent_field = "result"
    write_roles = CONTENT_WRITE_ROLES

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["result", "id"]

    def __str__(self) -> str:
        return translate(self.title) or str(_("indicator"))


class IndicatorPeriod(OwnedChildModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    target_value = models.DecimalField(
        _("target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    actual_value = models.DecimalField(
        _("actual"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)

    authority_path = "indicator__result__project__authority"
    parent_field = "indicator"
    # The actual value is what is published (public page, IATI file): officers write it, or
    # approve a contributor's update (IndicatorUpdate) that writes it.
    write_roles = WRITE_ROLES

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["indicator", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="indicator_period_order",
                violation_error_message=_("A period must end on or after the day it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{formats.day(self.starts_on)} – {formats.day(self.ends_on)}"  # noqa: RUF001


class ProjectContributor(OwnedChildModel):
    """A contributor of the authority assigned to a project: they report its indicators'
    values (`tenancy.access.may_report`). Officers assign them; the project's version covers
    the assignment."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="contributors", verbose_name=_("project")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="project_assignments",
        verbose_name=_("contributor"),
    )

    authority_path = "project__authority"
    parent_field = "project"

    class Meta:
        verbose_name = _("contributor assigned")
        verbose_name_plural = _("contributors assigned")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="project_contributor_unique")
        ]

    def __str__(self) -> str:
        return str(self.user)


class IndicatorUpdate(OwnedChildModel):
    """A value reported for an indicator's period: a contributor submits it, an officer
    approves it (it becomes the period's published value, `IndicatorPeriod.actual_value`) or
    refuses it with a reason. The indicator's version covers it, as it covers the periods."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    period = models.ForeignKey(
        IndicatorPeriod, on_delete=models.CASCADE, related_name="updates", verbose_name=_("period")
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # Set by the step services only (projects.services.indicator_update_*).
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.SUBMITTED, editable=False
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True, editable=False)

    authority_path = "period__indicator__result__project__authority"
    parent_field = "period"
    write_roles = CONTENT_WRITE_ROLES

    class Meta:
        verbose_name = _("indicator update")
        verbose_name_plural = _("indicator updates")
        ordering = ["period", "-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "period"], name="indicator_update_status_idx")]

    def __str__(self) -> str:
        return f"{self.period.indicator} ({self.period})"
