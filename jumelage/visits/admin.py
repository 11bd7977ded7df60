"""Back office for visits and delegations; writes go through the core services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jumelage.projects.selectors import format_amount
from jumelage.tenancy.admin import OwnedInline, OwnedModelAdmin
from jumelage.visits.models import Hosting, Participant, ProgrammeItem, Visit, VisitCost
from jumelage.visits.selectors import visit_total_cost


class ParticipantInline(OwnedInline):
    model = Participant
    fields = ("person", "name", "role", "special_mandate", "mission_order")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "special_mandate":
            # Only decisions that grant a special mandate are worth offering.
            field.queryset = field.queryset.filter(is_special_mandate=True)
        return field


class ProgrammeItemInline(OwnedInline):
    model = ProgrammeItem
    fields = ("date", "time", "place", "description")


class HostingInline(OwnedInline):
    model = Hosting
    fields = ("host", "is_family", "guests", "nights")


class VisitCostInline(OwnedInline):
    model = VisitCost
    fields = ("label", "amount", "currency", "paid_by")


@admin.register(Visit)
class VisitAdmin(OwnedModelAdmin):
    list_display = ("__str__", "direction", "status", "starts_on", "with_whom", "is_public")
    list_filter = ("direction", "status", "is_public")
    search_fields = ("title", "other_party", "purpose", "partnership__partner__name")
    list_select_related = ("partnership__partner",)
    inlines = [ParticipantInline, ProgrammeItemInline, HostingInline, VisitCostInline]
    readonly_fields = ("total_cost",)
    fieldsets = (
        (None, {"fields": ("authority", "direction", "status", "title", "starts_on", "ends_on")}),
        (
            _("With whom, why"),
            {"fields": ("partnership", "other_party", "project", "theme", "purpose")},
        ),
        (_("Outcomes"), {"fields": ("outcomes", "total_cost")}),
        (_("Publication"), {"fields": ("is_public", "is_example", "_version")}),
    )

    @admin.display(description=_("with whom"), ordering="partnership__partner__name")
    def with_whom(self, visit: Visit) -> str | None:
        if visit.partnership is not None:
            return visit.partnership.partner.name
        return visit.other_party or None

    @admin.display(description=_("total cost"))
    def total_cost(self, visit: Visit) -> str | None:
        totals = visit_total_cost(visit) if visit.pk else []
        return ", ".join(format_amount(t.amount, t.currency) for t in totals) or None
