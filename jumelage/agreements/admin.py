"""Back office of the agreements app: council decisions and agreements. Saves go through the
app's services; the legal rules show as form errors (OwnedAdminForm runs them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jumelage.agreements import services
from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.core.admin import OwnedModelAdmin


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
        (None, {"fields": ["is_example", "_version"]}),
    ]

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

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.agreement_save(
            agreement=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("_version") if change else None,
        )
