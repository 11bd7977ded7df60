"""Back office of projects: funders and calls, projects with their sectors and countries,
financing plans, applications, transactions, results and indicators.

Writes go through the services: plan lines through `financing_plan_save_lines`, sectors and
countries through `project_set_sectors` / `project_set_countries`, the rest through
`save_owned`. Whole-set checks (a plan's balance, percentages adding up to 100) run in the
inline formsets' `clean`, so the refusal shows on the page with what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from jumelage.accounts.models import Role
from jumelage.core.i18n import translate
from jumelage.core.models import Codelist, CodelistItem
from jumelage.projects import services
from jumelage.projects.fields import SdgTargetsField
from jumelage.projects.models import (
    Application,
    Call,
    ExpenseLine,
    FinancingPlan,
    Funder,
    Indicator,
    IndicatorPeriod,
    IndicatorUpdate,
    Instalment,
    Project,
    ProjectContributor,
    ProjectCountry,
    ProjectSector,
    ReportDue,
    ResourceLine,
    Result,
    ServiceBudget,
    Transaction,
)
from jumelage.projects.selectors import (
    application_checks,
    codelist_choices,
    financing_plan_summary,
    format_amount,
    format_number,
    plans_with_totals,
    summary_from_lines,
    summary_of,
    transaction_years,
)
from jumelage.projects.service_budgets import shown_ceiling
from jumelage.projects.validators import validate_country_percentages, validate_sector_percentages
from jumelage.register.admin import RegisterEntryAdmin
from jumelage.tenancy.admin import (
    OwnedAdminForm,
    OwnedInline,
    OwnedModelAdmin,
    ParentScopedFormSet,
    writable_authorities,
)

# --- Shared pieces ---------------------------------------------------------------------------


class ChildInline(OwnedInline):
    """An inline whose rows may need a stronger role than their parent: a contributor edits a
    project's text, but its sectors (which feed the ODA declaration) are for officers."""

    # OwnedInline checks the rows' own write roles, and refuses tampered row ids.


def kept_forms(formset: Any) -> list[Any]:
    """The forms of a validated formset that stay: not deleted, and not empty extra rows."""
    kept = []
    for form in formset.forms:
        if not getattr(form, "cleaned_data", None):
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        kept.append(form)
    return kept


def mark_saved(formset: Any) -> None:
    """Fill what `formset.save()` would have, for the admin's change message. Call it before
    the service writes: afterwards every row looks already saved."""
    formset.new_objects = [f.instance for f in kept_forms(formset) if f.instance.pk is None]
    formset.changed_objects = [
        (f.instance, f.changed_data)
        for f in kept_forms(formset)
        if f.instance.pk is not None and f.has_changed()
    ]
    formset.deleted_objects = [f.instance for f in formset.deleted_forms if f.instance.pk]


def formset_changed(formset: Any) -> bool:
    return bool(formset.deleted_forms) or any(form.has_changed() for form in formset.forms)


def transaction_type_names() -> dict[str, Subquery]:
    """Annotations with the name of a transaction's type (no query per row on a list page)."""
    items = CodelistItem.objects.filter(
        codelist=Codelist.TRANSACTION_TYPE, code=OuterRef("transaction_type")
    )
    return {
        "type_name_en": Subquery(items.values("name_en")[:1]),
        "type_name_fr": Subquery(items.values("name_fr")[:1]),
    }


def projects_writable_for(request: HttpRequest, model: type[models.Model]) -> models.QuerySet:
    """The projects to which the user may attach a `model` record (by that model's roles:
    a contributor edits a project's text, not its plans or transactions)."""
    authorities = writable_authorities(request.user, model.write_roles)  # type: ignore[attr-defined]
    return Project.objects.filter(authority__in=authorities)


# --- Funders and calls (shared directory) ----------------------------------------------------


@admin.register(Funder)
class FunderAdmin(RegisterEntryAdmin):
    list_display = ["name", "acronym", "iati_org_type", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "acronym", "iati_org_id"]
    autocomplete_fields = ["country", "authority"]


@admin.register(Call)
class CallAdmin(RegisterEntryAdmin):
    list_display = ["title", "funder", "year", "opens_on", "closes_on"]
    list_filter = ["year", ("funder", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["funder"]
    search_fields = ["title", "funder__name", "funder__acronym"]
    filter_horizontal = ["eligible_countries", "eligible_themes"]
    autocomplete_fields = ["funder"]
    fieldsets = [
        (None, {"fields": ["funder", "title", "year", "opens_on", "closes_on", "url"]}),
        (_("Eligibility"), {"fields": ["eligible_countries", "eligible_themes"]}),
        (
            _("Co-financing rules (as published for this call)"),
            {
                "fields": [
                    "max_rate_ldc",
                    "max_rate_oda",
                    "max_rate_non_oda",
                    "max_rate_multi_country",
                    "min_own_share",
                    "max_in_kind_of_own_share",
                    "own_share_counts",
                    "min_amount",
                    "max_amount",
                    "currency",
                    "cash_only",
                    "final_instalment_percent",
                    "requirements",
                ]
            },
        ),
    ]


# --- Projects --------------------------------------------------------------------------------


class ProjectAdminForm(OwnedAdminForm):
    sdg_targets = SdgTargetsField(
        label=_("SDG targets"),
        required=False,
        help_text=_("Codes of the UN SDG targets, separated by commas, e.g. 6.1, 16.6."),
    )

    class Meta:
        model = Project
        fields = "__all__"


class SectorFormSet(ParentScopedFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        validate_sector_percentages(
            (
                form.cleaned_data.get("vocabulary") or ProjectSector.Vocabulary.DAC_5,
                form.cleaned_data.get("code"),
                form.cleaned_data.get("percentage"),
            )
            for form in kept_forms(self)
        )


class CountryFormSet(ParentScopedFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        validate_country_percentages(
            (
                getattr(form.cleaned_data.get("country"), "pk", ""),
                form.cleaned_data.get("percentage"),
            )
            for form in kept_forms(self)
        )


class ProjectSectorInline(ChildInline):
    model = ProjectSector
    formset = SectorFormSet
    fields = ["vocabulary", "code", "percentage"]
    extra = 1

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        # Codes to choose from when the IATI lists are loaded (read once for every row).
        groups = [
            (ProjectSector.Vocabulary.DAC_5.label, codelist_choices(Codelist.SECTOR)),
            (ProjectSector.Vocabulary.DAC_3.label, codelist_choices(Codelist.SECTOR_CATEGORY)),
        ]
        groups = [(label, choices) for label, choices in groups if choices]
        if groups:
            kwargs.setdefault("widgets", {})["code"] = forms.Select(
                choices=[("", "---------"), *groups]
            )
        return super().get_formset(request, obj, **kwargs)


class ProjectCountryInline(ChildInline):
    model = ProjectCountry
    formset = CountryFormSet
    fields = ["country", "percentage"]
    autocomplete_fields = ["country"]
    extra = 1


class ProjectContributorInline(ChildInline):
    """The contributors who report the project's indicators (officers assign them)."""

    model = ProjectContributor
    fields = ["user"]
    extra = 0

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            # The contributors of the authorities where the user assigns people.
            authorities = writable_authorities(request.user, ProjectContributor.write_roles)
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(
                    memberships__authority__in=authorities,
                    memberships__role=Role.CONTRIBUTOR,
                )
                .distinct()
                .order_by("last_name", "first_name", "username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Project)
class ProjectAdmin(OwnedModelAdmin):
    form = ProjectAdminForm
    list_display = ["title_display", "status", "planned_start", "planned_end", "is_public"]
    list_filter = ["status", "is_public", ("atlas_theme", admin.RelatedOnlyFieldListFilter)]
    # A title is JSON ({"fr": ..., "en": ...}): search each language's text, not the JSON
    # itself, since SQLite stores "é" as "\u00e9" there and "fr" would match every title.
    search_fields = [f"title__{code}" for code, _name in settings.CONTENT_LANGUAGES] + ["slug"]
    inlines = [ProjectSectorInline, ProjectCountryInline, ProjectContributorInline]
    filter_horizontal = ["partnerships"]
    fieldsets = [
        (None, {"fields": ["authority", "title", "slug", "status", "is_public"]}),
        (_("Description"), {"fields": ["summary", "description", "objectives", "places"]}),
        (_("Partners and themes"), {"fields": ["partnerships", "atlas_theme", "sdg_targets"]}),
        (
            _("Dates"),
            {"fields": ["planned_start", "planned_end", "actual_start", "actual_end"]},
        ),
        (_("ODA declaration"), {"fields": ["oda_purpose"]}),
        (None, {"fields": ["currency", "iati_identifier", "is_example", "_version"]}),
    ]

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = super().get_list_filter(request)
        if not request.user.is_superuser:
            return filters
        # Nationally, the themes some project uses cost a DISTINCT over every project on each
        # page (issue 12): an instance administrator gets the whole list of themes instead.
        return [
            ("atlas_theme", admin.RelatedFieldListFilter)
            if item == ("atlas_theme", admin.RelatedOnlyFieldListFilter)
            else item
            for item in filters
        ]

    @admin.display(description=_("title"), ordering="slug")
    def title_display(self, obj: Project) -> str:
        return translate(obj.title) or obj.slug

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "partnerships":
            # A partnership's name is its partner's: read it with the choices.
            field.queryset = field.queryset.select_related("partner")
        return field

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        project = form.instance
        if formset.model is ProjectSector:
            mark_saved(formset)
            if formset_changed(formset):
                services.project_set_sectors(
                    project=project,
                    user=request.user,
                    sectors=[f.cleaned_data for f in kept_forms(formset)],
                    expected_version=self.seen_version(form, change),
                )
        elif formset.model is ProjectCountry:
            mark_saved(formset)
            if formset_changed(formset):
                services.project_set_countries(
                    project=project,
                    user=request.user,
                    countries=[f.cleaned_data for f in kept_forms(formset)],
                    expected_version=self.seen_version(form, change),
                )
        else:
            super().save_formset(request, form, formset, change)


# --- Financing plans -------------------------------------------------------------------------


class PlanAdminForm(OwnedAdminForm):
    """The plan's balance is checked on the lines being posted (by the line formsets), not on
    the stored ones: an officer may fix the lines and submit the plan in one save."""

    def _post_clean(self) -> None:
        with services.plan_balance_checked_at_end():
            super()._post_clean()


class PlanLineForm(OwnedAdminForm):
    def _post_clean(self) -> None:
        with services.plan_balance_checked_at_end():
            super()._post_clean()


class PlanLineFormSet(ParentScopedFormSet):
    """Checks the balance of the plan as posted (expenses and resources together)."""

    plan_formsets: list[Any] = []

    def clean(self) -> None:
        super().clean()
        if self.model is not ResourceLine:
            return  # checked once, with the resources
        plan = self.instance
        if plan.status not in services.LOCKED_PLAN_STATUSES:
            return
        siblings = [fs for fs in self.plan_formsets if fs.model is ExpenseLine]
        if any(self.errors) or any(not fs.is_valid() for fs in siblings):
            return
        if siblings:
            expenses = [form.instance for form in kept_forms(siblings[0])]
        else:
            expenses = list(plan.expenses.all()) if plan.pk else []
        resources = [form.instance for form in kept_forms(self)]
        summary = summary_from_lines(plan, expenses=expenses, resources=resources)
        try:
            services.check_plan_balance(summary, status=plan.status)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class ExpenseLineInline(ChildInline):
    model = ExpenseLine
    form = PlanLineForm
    formset = PlanLineFormSet
    fields = ["label", "category", "year", "amount", "in_kind"]
    extra = 1


class ResourceLineInline(ChildInline):
    model = ResourceLine
    form = PlanLineForm
    formset = PlanLineFormSet
    fields = ["label", "funder", "is_own", "year", "amount", "in_kind", "status", "application"]
    autocomplete_fields = ["funder"]
    extra = 1

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("application")
        if field is not None:
            # Only the applications of this plan's project, with what their names print.
            project_id = obj.project_id if obj is not None else None
            field.queryset = Application.objects.filter(project_id=project_id).select_related(  # type: ignore[attr-defined, misc]
                "project", "call"
            )
        return formset


def summary_table(summary: Any) -> str:
    def money(amount: Any) -> str:
        return format_amount(amount, summary.currency)

    def share(value: Any) -> str:
        return format_number(value) if value is None else f"{format_number(value)} %"

    balance: StrOrPromise
    if summary.balanced:
        balance = _("balanced")
    elif summary.gap > 0:
        balance = _("%(gap)s of resources missing") % {"gap": money(summary.gap)}
    else:
        balance = _("%(gap)s more resources than expenses") % {"gap": money(-summary.gap)}
    rows = [
        (_("Total expenses"), money(summary.total_expenses)),
        (_("of which in kind"), money(summary.expenses_in_kind)),
        (_("Total resources"), money(summary.total_resources)),
        (_("Own contribution"), money(summary.own_contribution)),
        (_("of which in kind"), money(summary.own_in_kind)),
        (_("External co-financing"), money(summary.external_cofinancing)),
        (_("Resources in cash"), money(summary.resources_cash)),
        (_("Resources in kind"), money(summary.resources_in_kind)),
        (_("Leverage effect (external ÷ own)"), format_number(summary.leverage)),
        (_("Own share of the total cost"), share(summary.own_share)),
        (_("In-kind share of the total cost"), share(summary.in_kind_share)),
        (_("Balance"), balance),
    ]
    if summary.refused:
        rows.append((_("Refused (not counted)"), money(summary.refused)))
    return format_html(
        "<table><tbody>{}</tbody></table>",
        format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td></tr>", rows),
    )


@admin.register(FinancingPlan)
class FinancingPlanAdmin(OwnedModelAdmin):
    form = PlanAdminForm
    list_display = [
        "__str__",
        "year",
        "status",
        "expenses_display",
        "resources_display",
        "leverage_display",
        "balanced_display",
    ]
    list_filter = ["status", "year"]
    list_select_related = ["project"]
    search_fields = [f"project__title__{code}" for code, _name in settings.CONTENT_LANGUAGES]
    inlines = [ExpenseLineInline, ResourceLineInline]
    readonly_fields = ["summary_display"]
    fields = [
        "project",
        "title",
        "year",
        "call",
        "currency",
        "status",
        "summary_display",
        "_version",
    ]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return plans_with_totals(super().get_queryset(request))

    @admin.display(description=_("expenses"), ordering="sum_expenses")
    def expenses_display(self, obj: FinancingPlan) -> str:
        return format_amount(obj.sum_expenses, obj.currency)  # type: ignore[attr-defined]

    @admin.display(description=_("resources"), ordering="sum_resources")
    def resources_display(self, obj: FinancingPlan) -> str:
        return format_amount(obj.sum_resources, obj.currency)  # type: ignore[attr-defined]

    @admin.display(description=_("leverage"))
    def leverage_display(self, obj: FinancingPlan) -> str:
        return format_number(summary_of(obj).leverage)

    @admin.display(description=_("balanced"), boolean=True)
    def balanced_display(self, obj: FinancingPlan) -> bool:
        return summary_of(obj).balanced

    @admin.display(description=_("summary"))
    def summary_display(self, obj: FinancingPlan) -> str:
        if obj is None or obj.pk is None:
            return _("The summary shows once the plan is saved.")
        return summary_table(financing_plan_summary(obj))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "project":
            field.queryset = projects_writable_for(request, FinancingPlan)
        return field

    def _create_formsets(self, request: HttpRequest, obj: Any, change: bool) -> Any:
        formsets, inline_instances = super()._create_formsets(request, obj, change)  # type: ignore[misc]
        for formset in formsets:
            formset.plan_formsets = formsets
        return formsets, inline_instances

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        pass  # the plan is written with its lines, in one transaction, in save_related

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        plan = form.instance
        by_model = {formset.model: formset for formset in formsets}

        def lines(model: type[models.Model], related: str) -> list[Any]:
            formset = by_model.get(model)
            if formset is None:
                return list(getattr(plan, related).all()) if plan.pk else []
            return [f.instance for f in kept_forms(formset)]

        expenses = lines(ExpenseLine, "expenses")
        resources = lines(ResourceLine, "resources")
        for formset in formsets:
            mark_saved(formset)
        services.financing_plan_save_lines(
            plan=plan,
            user=request.user,
            expenses=expenses,
            resources=resources,
            expected_version=self.seen_version(form, change),
        )


# --- Applications ----------------------------------------------------------------------------


class InstalmentInline(ChildInline):
    model = Instalment
    fields = ["rank", "amount", "due_on", "condition", "received_on"]


class ReportDueInline(ChildInline):
    model = ReportDue
    fields = ["kind", "due_on", "submitted_on"]


@admin.register(Application)
class ApplicationAdmin(OwnedModelAdmin):
    list_display = [
        "project_display",
        "call",
        "amount_requested",
        "currency",
        "decision",
        "submitted_on",
        "amount_granted",
    ]
    list_filter = ["decision", "call__year", ("call__funder", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["project", "call"]
    search_fields = [f"project__title__{code}" for code, _name in settings.CONTENT_LANGUAGES] + [
        "call__title"
    ]
    inlines = [InstalmentInline, ReportDueInline]
    readonly_fields = ["checks_display"]
    fields = [
        "project",
        "call",
        "amount_requested",
        "currency",
        "submitted_on",
        "decision",
        "decided_on",
        "amount_granted",
        "notes",
        "checks_display",
        "_version",
    ]

    @admin.display(description=_("project"), ordering="project__slug")
    def project_display(self, obj: Application) -> str:
        return str(obj.project)

    @admin.display(description=_("checks against the call's rules"))
    def checks_display(self, obj: Application) -> StrOrPromise:
        if obj is None or obj.pk is None:
            return _("The checks show once the application is saved.")
        checks = application_checks(obj)
        if not checks:
            return _("Nothing to report.")
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((c.message,) for c in checks))
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "project":
            field.queryset = projects_writable_for(request, Application)
        return field


# --- Transactions ----------------------------------------------------------------------------


class TransactionAdminForm(OwnedAdminForm):
    """Codes as choices from the IATI lists when they are loaded, as text otherwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, codelist in services.TRANSACTION_CODES.items():
            if name not in self.fields:
                continue
            choices = codelist_choices(codelist)
            if not choices:
                continue
            current = getattr(self.instance, name, "")
            if current and current not in {code for code, _label in choices}:
                choices.append((current, current))  # a withdrawn code kept on an old record
            field = self.fields[name]
            field.widget = forms.Select(choices=[("", "---------"), *choices])

    class Meta:
        model = Transaction
        fields = "__all__"


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = transaction_years(model_admin.get_queryset(request))
        return [(str(year), str(year)) for year in years]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.filter(date__year=self.value()) if self.value() else queryset


class TransactionTypeFilter(admin.SimpleListFilter):
    title = _("type")
    parameter_name = "type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        choices = codelist_choices(Codelist.TRANSACTION_TYPE)
        if choices:
            return choices
        codes = (
            model_admin.get_queryset(request)
            .order_by("transaction_type")
            .values_list("transaction_type", flat=True)
            .distinct()
        )
        return [(code, code) for code in codes]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.filter(transaction_type=self.value()) if self.value() else queryset


@admin.register(Transaction)
class TransactionAdmin(OwnedModelAdmin):
    form = TransactionAdminForm
    list_display = [
        "date",
        "project_display",
        "type_display",
        "amount",
        "currency",
        "oda_category",
        "recipient_country",
        "is_subsidy",
    ]
    list_filter = [TransactionTypeFilter, YearFilter, "oda_category", "is_subsidy"]
    list_select_related = ["project", "recipient_country"]
    search_fields = ["description", "provider", "receiver", "order_number"]
    autocomplete_fields = ["recipient_country"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "authority",
                    "project",
                    "nature",
                    "partnership",
                    "transaction_type",
                    "date",
                    "value_date",
                    "description",
                    "order_number",
                    "budget_line",
                ]
            },
        ),
        (
            _("Amount"),
            {"fields": ["amount", "currency", "amount_eur", "in_kind", "from_own_funds"]},
        ),
        (_("Subsidy"), {"fields": ["is_subsidy", "agreement"]}),
        (_("Budget (1 % laws)"), {"fields": ["service_budget"]}),
        (
            _("Provider and receiver"),
            {"fields": ["provider", "provider_org_id", "receiver", "receiver_org_id"]},
        ),
        (
            _("ODA declaration and CRS"),
            {
                "fields": [
                    "oda_category",
                    "recipient_country",
                    "sector_code",
                    "channel_code",
                    "flow_type",
                    "finance_type",
                    "aid_type",
                ]
            },
        ),
        (None, {"fields": ["_version"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).annotate(**transaction_type_names())

    @admin.display(description=_("project"), ordering="project__slug")
    def project_display(self, obj: Transaction) -> str:
        return str(obj.project) if obj.project_id else str(obj.get_nature_display())

    @admin.display(description=_("type"), ordering="transaction_type")
    def type_display(self, obj: Transaction) -> str:
        french = (get_language() or "").startswith("fr")
        name = (obj.type_name_fr if french else "") or obj.type_name_en  # type: ignore[attr-defined]
        return f"{obj.transaction_type} – {name}" if name else obj.transaction_type  # noqa: RUF001

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "project":
            field.queryset = projects_writable_for(request, Transaction)
        elif db_field.name == "partnership":
            field.queryset = field.queryset.select_related("partner")
        elif db_field.name == "agreement":
            field.queryset = field.queryset.select_related("partnership__partner")
        return field


# --- Service budgets (the "1 %" laws) ---------------------------------------------------------


@admin.register(ServiceBudget)
class ServiceBudgetAdmin(OwnedModelAdmin):
    """For rare corrections: officers record and follow the budgets in the workspace's page
    "1 % laws budgets" (`workspace:service_budgets`), linked from each row."""

    list_display = ["kind", "year", "resources", "ceiling_display", "reference", "page_link"]
    list_filter = ["year", "kind"]
    list_select_related = ["authority"]
    search_fields = ["reference"]
    fields = ["authority", "year", "kind", "resources", "reference", "is_example", "_version"]

    @admin.display(description=_("ceiling (1 %)"))
    def ceiling_display(self, obj: ServiceBudget) -> str:
        return format_amount(shown_ceiling(obj.resources), "EUR")

    @admin.display(description=_("in the workspace"))
    def page_link(self, obj: ServiceBudget) -> str:
        # By name: the workspace's page of the budget's year, with its payments.
        url = reverse("workspace:service_budgets", args=[obj.authority.slug, obj.year])
        return format_html('<a href="{}#budget-{}">{}</a>', url, obj.pk, _("1 % laws budgets"))


# --- Results ---------------------------------------------------------------------------------


class IndicatorInline(ChildInline):
    model = Indicator
    fields = ["title", "measure", "ascending", "baseline_year", "baseline_value"]
    show_change_link = True


class IndicatorPeriodInline(ChildInline):
    model = IndicatorPeriod
    fields = ["starts_on", "ends_on", "target_value", "actual_value", "comment"]


@admin.register(Result)
class ResultAdmin(OwnedModelAdmin):
    list_display = ["title_display", "project_display", "type"]
    list_filter = ["type"]
    list_select_related = ["project"]
    search_fields = [f"title__{code}" for code, _name in settings.CONTENT_LANGUAGES]
    inlines = [IndicatorInline]
    fields = ["project", "type", "title", "description", "_version"]

    @admin.display(description=_("title"))
    def title_display(self, obj: Result) -> str:
        return str(obj)

    @admin.display(description=_("project"), ordering="project__slug")
    def project_display(self, obj: Result) -> str:
        return str(obj.project)


@admin.register(Indicator)
class IndicatorAdmin(OwnedModelAdmin):
    list_display = ["title_display", "result_display", "measure", "baseline_value"]
    list_filter = ["measure"]
    list_select_related = ["result__project"]
    search_fields = [f"title__{code}" for code, _name in settings.CONTENT_LANGUAGES]
    inlines = [IndicatorPeriodInline]
    fields = [
        "result",
        "title",
        "measure",
        "ascending",
        "baseline_year",
        "baseline_value",
        "_version",
    ]

    @admin.display(description=_("title"))
    def title_display(self, obj: Indicator) -> str:
        return str(obj)

    @admin.display(description=_("result"))
    def result_display(self, obj: Indicator) -> str:
        return f"{obj.result.project} › {obj.result}"  # noqa: RUF001

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "result":
            field.queryset = field.queryset.select_related("project")
        return field


UPDATE_FIELDS = (
    "period",
    "value",
    "comment",
    "status",
    "submitted_by",
    "submitted_at",
    "decided_by",
    "decided_at",
    "refusal_reason",
)


@admin.register(IndicatorUpdate)
class IndicatorUpdateAdmin(OwnedModelAdmin):
    """The values contributors reported and what became of them, read only: they are
    submitted, approved and refused in the workspace (projects.result_services), where the
    approval's rules hold (four eyes on one's own value, tenancy.access.may_approve)."""

    list_display = [
        "period",
        "project_display",
        "value",
        "status",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status"]
    list_select_related = [
        "period__indicator__result__project",
        "submitted_by",
        "decided_by",
    ]
    date_hierarchy = "submitted_at"
    fields = UPDATE_FIELDS
    readonly_fields = UPDATE_FIELDS
    actions = None

    @admin.display(description=_("project"))
    def project_display(self, obj: IndicatorUpdate) -> str:
        return str(obj.period.indicator.result.project)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
