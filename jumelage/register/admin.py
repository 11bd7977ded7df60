"""The shared register in the back office: entries (authorities, funders, calls, skills), the
proposed corrections with their decision buttons, and the reference data (countries,
codelists, the ODA list, Atlas themes, exchange rates). Every write goes through
`jumelage.register.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jumelage.core.models import (
    AtlasTheme,
    Codelist,
    CodelistItem,
    Country,
    ExchangeRate,
    OdaEligibility,
)
from jumelage.register.models import Proposal
from jumelage.register.selectors import (
    is_curator,
    may_add_entries,
    may_change_directly,
    may_review,
)
from jumelage.register.services import (
    delete_shared,
    proposal_accept,
    proposal_refuse,
    proposal_withdraw,
    propose_change,
    reference_delete,
    reference_save,
    save_shared,
)
from jumelage.tenancy.admin import is_member, refusals_as_messages
from jumelage.tenancy.history.admin import changes_table


class RegisterEntryForm(forms.ModelForm):
    """`_version` carries the version the editor saw (a stale save is refused); `proposal_note`
    is asked when the change will be a proposal."""

    _version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    proposal_note = forms.CharField(
        label=_("Why, and the source"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Other authorities use this entry: your change goes to the register's curators as "
            "a proposal. Say where the correct value comes from (the town's website, a letter)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["_version"].initial = self.instance.version
            self.fields["_version"].required = True
            self.fields["_version"].error_messages["required"] = gettext(
                "This page is missing the version of the entry. Reload it, then make your "
                "change again."
            )


class RegisterEntryAdmin(admin.ModelAdmin):
    """A register entry: every member reads it; who changes it directly is decided by
    `may_change_directly`, others send a proposal from the same form; curators delete."""

    form = RegisterEntryForm
    list_per_page = 50
    show_full_result_count = False
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_member(request.user) or is_curator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_add_entries(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Anyone who may add may also propose a correction, from the same form.
        return may_add_entries(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_curator(request.user)

    def _direct(self, request: HttpRequest, obj: Any) -> bool:
        cached = getattr(request, "_register_direct", None)
        if cached is None or cached[0] != obj.pk:
            cached = (obj.pk, may_change_directly(request.user, obj))
            request._register_direct = cached  # type: ignore[attr-defined]
        return cached[1]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = [f for f in super().get_fields(request, obj) if f != "proposal_note"]
        if obj is not None and not self._direct(request, obj):
            fields.append("proposal_note")
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), "history_link"]

    def _history_url(self, object_id: Any) -> str:
        url = reverse("admin:audit_auditentry_changelist")
        return f"{url}?{urlencode({'model': self.model._meta.label_lower, 'object_id': object_id})}"

    @admin.display(description=_("history"))
    def history_link(self, obj: Any) -> str:
        if obj is None or obj.pk is None:
            return "\u2014"
        return format_html(
            '<a href="{}">{}</a>', self._history_url(obj.pk), gettext("Every change of this entry")
        )

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        # The audit log is the history (Django's own log is not written): the "History" button
        # leads there, filtered on this entry.
        return HttpResponseRedirect(self._history_url(object_id))

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if (
            request.method == "GET"
            and obj is not None
            and may_add_entries(request.user)
            and not self._direct(request, obj)
        ):
            self.message_user(
                request,
                gettext(
                    "Other authorities use this entry, so a change you make here is sent "
                    "to the register's curators as a proposal. You will be told of their "
                    "answer by e-mail."
                ),
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # Adding and changing: a refusal at write time (a stale page, a rule) is a message.
        return refusals_as_messages(self, request, super().changeform_view, *args, **kwargs)

    def _m2m(self, form: Any) -> dict[str, Any]:
        names = [f.name for f in self.model._meta.many_to_many if f.name in form.cleaned_data]
        return {name: form.cleaned_data[name] for name in names}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change or self._direct(request, obj):
            self.save_entry(
                request,
                obj,
                expected_version=form.cleaned_data.get("_version") if change else None,
                m2m=self._m2m(form),
            )
            return
        m2m = self._m2m(form)
        concrete = {f.name for f in self.model._meta.concrete_fields}
        values = {name: form.cleaned_data[name] for name in form.changed_data if name in concrete}
        changed_m2m = {name: m2m[name] for name in form.changed_data if name in m2m}
        proposal = propose_change(
            obj,
            user=request.user,
            values=values,
            m2m=changed_m2m,
            note=form.cleaned_data.get("proposal_note", ""),
            expected_version=form.cleaned_data.get("_version"),
        )
        request._register_proposal = proposal  # type: ignore[attr-defined]

    def save_entry(
        self, request: HttpRequest, obj: Any, *, expected_version: int | None, m2m: dict
    ) -> None:
        """The direct write; an entry kind with its own service overrides this."""
        save_shared(obj, user=request.user, expected_version=expected_version, m2m=m2m)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        proposal = getattr(request, "_register_proposal", None)
        if proposal is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            gettext(
                "Your correction of “%(entry)s” was sent to the register's curators. It shows "
                "here once accepted; you will be told of their answer by e-mail."
            )
            % {"entry": proposal.entry_repr},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:register_proposal_change", args=[proposal.pk]))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        delete_shared(obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for obj in queryset:
            delete_shared(obj, user=request.user)

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # An entry still in use is kept, with a message saying why.
        return refusals_as_messages(self, request, super().delete_view, *args, **kwargs)


class DecisionForm(forms.Form):
    decision_note = forms.CharField(
        label=_("Answer to the proposer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to refuse: the proposer reads it."),
    )


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("entry_repr", "entry_kind", "status", "proposed_by", "authority", "created_at")
    list_filter = ("status",)
    search_fields = ("entry_repr",)
    list_select_related = ("entry_type", "proposed_by", "authority__authority")
    list_per_page = 50
    show_full_result_count = False
    change_form_template = "admin/register/proposal/change_form.html"
    fields = (
        "entry_link",
        "status",
        "proposed_by",
        "authority",
        "created_at",
        "note",
        "changes_shown",
        "decided_by",
        "decided_at",
        "decision_note",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return Proposal.objects.visible_to(request.user).select_related(
            "entry_type", "proposed_by", "decided_by", "authority__authority"
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_member(request.user) or is_curator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # proposals are made from the entry's own page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # decisions go through the buttons below, not the form

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("kind of entry"))
    def entry_kind(self, obj: Proposal) -> str:
        return str(obj.entry_model()._meta.verbose_name)

    @admin.display(description=_("entry"))
    def entry_link(self, obj: Proposal) -> str:
        info = (obj.entry_type.app_label, obj.entry_type.model)
        url = reverse("admin:{}_{}_change".format(*info), args=[obj.entry_id])
        return format_html('<a href="{}">{}</a>', url, obj.entry_repr)

    @admin.display(description=_("proposed changes"))
    def changes_shown(self, obj: Proposal) -> str:
        return changes_table(obj.entry_model(), obj.changes)

    def _entry(self, obj: Proposal) -> Any:
        return obj.entry_model()._base_manager.filter(pk=obj.entry_id).first()

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        proposal = self.get_object(request, object_id)
        if proposal is None:
            return super().change_view(request, object_id, form_url, extra_context)
        entry = self._entry(proposal)
        pending = proposal.status == Proposal.Status.PENDING
        can_decide = pending and entry is not None and may_review(request.user, entry)
        can_withdraw = pending and proposal.proposed_by_id == request.user.pk
        decision = DecisionForm(request.POST or None)
        if request.method == "POST" and (can_decide or can_withdraw) and decision.is_valid():
            link = request.build_absolute_uri(request.path)
            note = decision.cleaned_data["decision_note"]
            try:
                if "_accept" in request.POST and can_decide:
                    proposal_accept(proposal, user=request.user, note=note, link=link)
                    done = gettext("The correction is accepted and written to the register.")
                elif "_refuse" in request.POST and can_decide:
                    proposal_refuse(proposal, user=request.user, note=note, link=link)
                    done = gettext("The correction is refused; the proposer is told why.")
                elif "_withdraw" in request.POST and can_withdraw:
                    proposal_withdraw(proposal, user=request.user)
                    done = gettext("Your proposal is withdrawn.")
                else:
                    raise PermissionDenied(gettext("You may not decide on this proposal."))
            except (ValidationError, PermissionDenied) as error:
                text = error.messages if isinstance(error, ValidationError) else [str(error)]
                for message in text:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(request, done, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        context = {
            **(extra_context or {}),
            "decision_form": decision if (can_decide or can_withdraw) else None,
            "can_decide": can_decide,
            "can_withdraw": can_withdraw,
        }
        return super().change_view(request, object_id, form_url, context)


class ReferenceAdmin(admin.ModelAdmin):
    """Shared reference data (countries, codelists...): readable by members, changed by the
    instance's administrators (superusers) only, mostly by reloading the files."""

    list_per_page = 100
    show_full_result_count = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        reference_save(obj, user=request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        reference_delete(obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for obj in queryset:
            reference_delete(obj, user=request.user)


# --- Reference data (loaded by `manage.py load_reference` and `import_exchange_rates`) -----------


class CodelistFilter(admin.SimpleListFilter):
    """The codelists the application loads, named, without a query for the distinct values."""

    title = _("codelist")
    parameter_name = "codelist"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(Codelist.choices)

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.filter(codelist=self.value()) if self.value() else queryset


@admin.register(Country)
class CountryAdmin(ReferenceAdmin):
    list_display = ("code", "name_fr", "name_en", "is_eu_member")
    list_filter = ("is_eu_member",)
    search_fields = ("code", "name_fr", "name_en")


@admin.register(CodelistItem)
class CodelistItemAdmin(ReferenceAdmin):
    list_display = ("codelist", "code", "name_en", "name_fr", "category", "is_active")
    list_display_links = ("codelist", "code")
    list_filter = (CodelistFilter, "is_active")
    search_fields = ("code", "name_en", "name_fr")


@admin.register(OdaEligibility)
class OdaEligibilityAdmin(ReferenceAdmin):
    list_display = ("country", "year", "income_group")
    list_filter = ("year", "income_group")
    list_select_related = ("country",)
    search_fields = ("country__code", "country__name_fr", "country__name_en")
    autocomplete_fields = ("country",)


@admin.register(AtlasTheme)
class AtlasThemeAdmin(ReferenceAdmin):
    list_display = ("code", "full_name", "level")
    list_filter = ("level",)
    search_fields = ("code", "name_fr", "name_en")
    # A theme's full name walks up to two parents: select them with the row.
    list_select_related = ("parent", "parent__parent")
    autocomplete_fields = ("parent",)

    @admin.display(description=_("full name"), ordering="code")
    def full_name(self, obj: AtlasTheme) -> str:
        return obj.full_name()


@admin.register(ExchangeRate)
class ExchangeRateAdmin(ReferenceAdmin):
    list_display = ("currency", "date", "rate", "source")
    list_filter = ("currency",)
    search_fields = ("currency",)
    date_hierarchy = "date"
