"""Back office of the agreements app: council decisions and agreements. Saves go through the
app's services; the legal rules show as form errors (OwnedAdminForm runs them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jumelage.agreements import services, steps
from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.tenancy.admin import OwnedModelAdmin


@admin.register(CouncilDecision)
class CouncilDecisionAdmin(OwnedModelAdmin):
    list_display = ["number", "date", "body", "short_subject", "transmitted_on", "enforceable_on"]
    list_filter = ["body", "is_special_mandate"]
    search_fields = ["number", "subject"]
    date_hierarchy = "date"

    @admin.display(description=_("what it approves"))
    def short_subject(self, obj: CouncilDecision) -> str:
        subject = obj.subject or ""
        return subject if len(subject) <= 80 else f"{subject[:79]}…"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.council_decision_save(
            decision=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("_version") if change else None,
        )


@admin.register(Agreement)
class AgreementAdmin(OwnedModelAdmin):
    list_display = ["__str__", "partnership_display", "kind", "status", "signed_on"]
    list_filter = ["status", "kind", "partnership__kind"]
    list_select_related = ["partnership__partner"]
    search_fields = ["partnership__partner__name", "object", "signatories"]
    fieldsets = [
        (None, {"fields": ["authority", "partnership", "kind", "title", "is_public"]}),
        (
            _("Content (required for a convention)"),
            {"fields": ["object", "forecast_commitment", "currency", "signatories"]},
        ),
        (
            _("Legal steps"),
            {
                "fields": [
                    "status",
                    "council_decision",
                    "signed_on",
                    "transmitted_on",
                    "starts_on",
                    "ends_on",
                    "renews",
                ]
            },
        ),
        (
            _("With a foreign State or its bodies (CGCT L1115-5)"),
            {
                "fields": ["state_case", "prefect_authorised_on", "legal_basis"],
                "classes": ["collapse"],
            },
        ),
        (None, {"fields": ["is_example", "_version"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Once recorded, only the step button changes them (services.STEP_FIELDS).
            readonly += [field for field in services.STEP_FIELDS if field not in readonly]
        return readonly

    @admin.display(description=_("partnership"), ordering="partnership__partner__name")
    def partnership_display(self, obj: Agreement) -> str:
        return str(obj.partnership)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # Choices print the partner's name: fetch it with them, not once per choice.
        if db_field.name == "partnership":
            field.queryset = field.queryset.select_related("partner")
        elif db_field.name == "renews":
            field.queryset = field.queryset.select_related("partnership__partner")
        return field

    # --- The legal steps: one button on the change page, one small form each ---------------

    def get_urls(self) -> list[Any]:
        step = path(
            "<path:object_id>/step/",
            self.admin_site.admin_view(self.step_view),
            name="agreements_agreement_step",
        )
        return [step, *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Read here, not taken from the form's instance: a refused save leaves the posted
        # status on that instance, and the button must follow the stored one.
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_change_permission(request, obj):
            extra_context = {**(extra_context or {}), "next_step": steps.next_step(obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        agreement = self.get_object(request, object_id)  # None for another authority's
        if agreement is None:
            raise Http404(gettext("No agreement with this id among yours."))
        if not self.has_change_permission(request, agreement):
            raise PermissionDenied
        change_url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
        step = steps.next_step(agreement)
        if step is None:
            messages.info(
                request,
                gettext("An agreement that is %(status)s has no further step.")
                % {"status": agreement.get_status_display()},
            )
            return redirect(change_url)
        if request.method == "POST":
            form = step.form(request.POST, agreement=agreement)
            done = steps.take_step(form, request.user)
            if done is not None:
                messages.success(
                    request,
                    gettext("“%(agreement)s” is now %(status)s.")
                    % {"agreement": done, "status": done.get_status_display()},
                )
                return redirect(change_url)
        else:
            form = step.form(
                agreement=agreement,
                initial={"version": agreement.version, **step.initial(agreement)},
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": agreement,
            "title": step.label,
            "step": step,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/agreements/agreement/step.html", context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.agreement_save(
            agreement=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("_version") if change else None,
        )
