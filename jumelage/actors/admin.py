"""Back office for local actors, people and skills; writes go through the core services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jumelage.actors.models import Actor, Mission, Person, Position, ProjectActor, Skill
from jumelage.actors.selectors import mission_in_kind_value
from jumelage.register.admin import RegisterEntryAdmin
from jumelage.tenancy.admin import OwnedInline, OwnedModelAdmin


class ProjectActorInline(OwnedInline):
    model = ProjectActor
    fields = ("project", "role", "description")
    verbose_name_plural = _("roles in projects")


@admin.register(Actor)
class ActorAdmin(OwnedModelAdmin):
    # Django 6 reads a URL typed without a scheme as https; say so now (and silence the warning).
    list_display = ("name", "kind", "city", "email", "is_public")
    list_filter = ("kind", "is_public")
    search_fields = ("name", "city", "email")
    filter_horizontal = ("partnerships",)
    inlines = [ProjectActorInline]
    fieldsets = (
        (None, {"fields": ("authority", "name", "kind", "description", "partnerships")}),
        (_("Contact"), {"fields": ("street", "postcode", "city", "website", "email", "phone")}),
        (_("Publication"), {"fields": ("is_public", "is_example", "_version")}),
    )


class PositionInline(OwnedInline):
    model = Position
    fields = ("title", "body", "network", "started_on", "ended_on", "is_public")


class MissionInline(OwnedInline):
    model = Mission
    fields = ("description", "project", "started_on", "ended_on", "days", "in_kind_value")
    readonly_fields = ("in_kind_value",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("person")

    @admin.display(description=_("in-kind value"))
    def in_kind_value(self, mission: Mission) -> Any:
        # None shows as the admin's "empty" mark: a new row, or a person without a daily cost.
        return mission_in_kind_value(mission) if mission.pk else None


@admin.register(Person)
class PersonAdmin(OwnedModelAdmin):
    # Six columns keep the list legible; department, e-mail and publication are searched or
    # filtered.
    list_display = ("last_name", "first_name", "kind", "title", "actor", "is_volunteer")
    list_display_links = ("last_name", "first_name")
    list_filter = ("kind", "is_volunteer", "is_public", "skills")
    search_fields = ("last_name", "first_name", "email", "title", "department", "actor__name")
    list_select_related = ("actor",)
    filter_horizontal = ("skills", "themes")
    inlines = [PositionInline, MissionInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "authority",
                    "kind",
                    "first_name",
                    "last_name",
                    "title",
                    "department",
                    "actor",
                )
            },
        ),
        (_("Contact"), {"fields": ("email", "phone")}),
        (
            _("Volunteering"),
            {"fields": ("is_volunteer", "skills", "themes", "availability", "daily_rate")},
        ),
        (_("Publication"), {"fields": ("is_public", "is_example", "_version")}),
    )


@admin.register(Skill)
class SkillAdmin(RegisterEntryAdmin):
    list_display = ("name",)
    search_fields = ("name",)
