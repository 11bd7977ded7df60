"""Back office for news items and documents; writes go through the core services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jumelage.content.models import Document, NewsItem
from jumelage.content.services import news_item_save, news_slug_from_title
from jumelage.tenancy.admin import OwnedAdminForm, OwnedModelAdmin


class NewsItemAdminForm(OwnedAdminForm):
    """Fills an empty address from the French title before the rules run, so that the editor
    sees the address the item gets. (The admin's prepopulating script cannot read the title:
    it is a set of boxes, one per language, not one input.)"""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("slug") and "slug" in self.fields:
            authority = cleaned.get("authority") or getattr(self.instance, "authority", None)
            cleaned["slug"] = news_slug_from_title(
                authority_id=getattr(authority, "pk", None),
                title=cleaned.get("title"),
                exclude_pk=self.instance.pk,
            )
        return cleaned


@admin.register(NewsItem)
class NewsItemAdmin(OwnedModelAdmin):
    form = NewsItemAdminForm
    list_display = ("__str__", "published_on", "project", "partnership", "is_public")
    list_filter = ("is_public",)
    search_fields = ("title", "slug", "body")
    list_select_related = ("project", "partnership__partner")
    date_hierarchy = "published_on"
    fields = (
        "authority",
        "title",
        "slug",
        "published_on",
        "body",
        "project",
        "partnership",
        "is_public",
        "is_example",
        "_version",
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        news_item_save(
            news_item=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("_version") if change else None,
        )


@admin.register(Document)
class DocumentAdmin(OwnedModelAdmin):
    # Django 6 reads a URL typed without a scheme as https; say so now (and silence the warning).
    list_display = ("__str__", "date", "category", "language", "project", "is_public")
    list_filter = ("is_public", "language", "category")
    search_fields = ("title", "url", "file")
    list_select_related = ("project",)
    fields = (
        "authority",
        "title",
        "file",
        "url",
        "category",
        "language",
        "date",
        "project",
        "partnership",
        "agreement",
        "council_decision",
        "is_public",
        "is_example",
        "_version",
    )
