"""sitemap.xml: an index, then one sitemap per kind of page, each address in French and English
(with hreflang alternates). Published records of active member authorities only.

Rendered with the project's own templates, so `django.contrib.sitemaps` need not be installed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import slugify

from jumelage.content.selectors import published_news
from jumelage.partners.selectors import published_members, published_partnerships
from jumelage.projects.selectors import published_projects

MEMBER_PAGES = ("authority", "projects", "news", "visits", "contact")


class _Base(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 5000


class PagesSitemap(_Base):
    """The home page, the accessibility page and each active member's own pages."""

    def items(self) -> list[tuple[str, tuple[Any, ...]]]:
        slugs = published_members().order_by("slug")
        pages: list[tuple[str, tuple[Any, ...]]] = [("home", ()), ("accessibility", ())]
        for slug in slugs.values_list("slug", flat=True):
            pages.extend((name, (slug,)) for name in MEMBER_PAGES)
        return pages

    def location(self, item: tuple[str, tuple[Any, ...]]) -> str:
        name, args = item
        return reverse(f"public:{name}", args=args)


class PartnersSitemap(_Base):
    def items(self) -> QuerySet:
        return (
            published_partnerships()
            .values("authority__slug", "partner_id", "partner__name")
            .distinct()
            .order_by("authority__slug", "partner_id")
        )

    def location(self, item: dict[str, Any]) -> str:
        name = slugify(item["partner__name"]) or "partner"
        return reverse("public:partner", args=[item["authority__slug"], item["partner_id"], name])


class ProjectsSitemap(_Base):
    def items(self) -> QuerySet:
        return (
            published_projects()
            .values("authority__slug", "slug", "updated_at")
            .order_by("authority__slug", "slug")
        )

    def location(self, item: dict[str, Any]) -> str:
        return reverse("public:project", args=[item["authority__slug"], item["slug"]])

    def lastmod(self, item: dict[str, Any]) -> Any:
        return item["updated_at"]


class NewsSitemap(_Base):
    def items(self) -> QuerySet:
        return (
            published_news()
            .values("authority__slug", "slug", "updated_at")
            .order_by("authority__slug", "-published_on", "slug")
        )

    def location(self, item: dict[str, Any]) -> str:
        return reverse("public:news_item", args=[item["authority__slug"], item["slug"]])

    def lastmod(self, item: dict[str, Any]) -> Any:
        return item["updated_at"]


SITEMAPS = {
    "pages": PagesSitemap,
    "partners": PartnersSitemap,
    "projects": ProjectsSitemap,
    "news": NewsSitemap,
}
