"""Back office for networks, their members and meetings; writes go through the core services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jumelage.networks.models import Meeting, Network, NetworkMember
from jumelage.tenancy.admin import OwnedInline, OwnedModelAdmin


class NetworkMemberInline(OwnedInline):
    model = NetworkMember
    fields = ("authority_member", "actor", "role", "activity", "since")
    # The directory holds thousands of authorities at the national scale: no drop-down list.
    raw_id_fields = ("authority_member",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("authority_member__country", "actor")


class MeetingInline(OwnedInline):
    model = Meeting
    fields = ("date", "title", "place", "notes")


@admin.register(Network)
class NetworkAdmin(OwnedModelAdmin):
    # Django 6 reads a URL typed without a scheme as https; say so now (and silence the warning).
    list_display = ("name", "kind", "member_count", "founded_year", "is_animator", "is_public")
    list_filter = ("kind", "is_animator", "is_public")
    search_fields = ("name",)
    filter_horizontal = ("countries",)
    inlines = [NetworkMemberInline, MeetingInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "authority",
                    "name",
                    "kind",
                    "countries",
                    "description",
                    "website",
                    "founded_year",
                    "is_animator",
                )
            },
        ),
        (_("Publication"), {"fields": ("is_public", "is_example", "_version")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_member_count=Count("members"))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, network: Any) -> int:
        return network._member_count
