"""Imported IATI activities and organisations, and the import runs: read-only in the back office.

They are written only by the import (`import_iati`), which validates and audits each file;
members read them to see who else works where, superusers may delete.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jumelage.core.i18n import translate
from jumelage.reporting.models import (
    ExternalActivity,
    ExternalCountry,
    ExternalParticipation,
    ExternalSector,
    IatiOrganisation,
    ImportRun,
)
from jumelage.reporting.spreadsheets.admin import register_export_actions
from jumelage.tenancy.admin import is_member


class ReadOnlyAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_member(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ParticipationInline(ReadOnlyInline):
    model = ExternalParticipation
    fields = readonly_fields = ("role", "organisation", "name_shown", "type", "their_activity_id")

    @admin.display(description=_("name as given"))
    def name_shown(self, obj: ExternalParticipation) -> str:
        return translate(obj.name)


class SectorInline(ReadOnlyInline):
    model = ExternalSector
    fields = readonly_fields = ("vocabulary", "code", "percentage")


class CountryInline(ReadOnlyInline):
    model = ExternalCountry
    fields = readonly_fields = ("country_code", "percentage")


@admin.register(ExternalActivity)
class ExternalActivityAdmin(ReadOnlyAdmin):
    list_display = ["iati_identifier", "title_shown", "reporting_org", "status", "planned_start"]
    list_filter = ["status"]
    list_select_related = ["reporting_org"]
    search_fields = ["iati_identifier", "reporting_org__ref", "countries__country_code"]
    exclude = ["title", "description"]
    readonly_fields = ["title_shown", "description_shown"]
    inlines = [ParticipationInline, SectorInline, CountryInline]

    @admin.display(description=_("title"))
    def title_shown(self, obj: ExternalActivity) -> str:
        return translate(obj.title)

    @admin.display(description=_("description"))
    def description_shown(self, obj: ExternalActivity) -> str:
        return translate(obj.description)


@admin.register(IatiOrganisation)
class IatiOrganisationAdmin(ReadOnlyAdmin):
    list_display = ["ref", "name_shown", "type"]
    search_fields = ["ref"]
    exclude = ["name"]
    readonly_fields = ["name_shown"]

    @admin.display(description=_("name"))
    def name_shown(self, obj: IatiOrganisation) -> str:
        return translate(obj.name)


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = [
        "file_name",
        "at",
        "authority",
        "activities",
        "created",
        "updated",
        "warning_count",
    ]
    list_select_related = ["authority__authority"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportRun]:
        return super().get_queryset(request).for_user(request.user)  # type: ignore[attr-defined]


# The export actions join the changelists of the exported lists. The admin modules are
# loaded in the order of INSTALLED_APPS, and reporting comes after the apps it exports.
register_export_actions()
