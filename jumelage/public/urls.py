"""Public website URLs, mounted inside i18n_patterns: French without a prefix, English under
/en/. Fixed addresses come before `<slug>/`, which takes any member authority's address.

The words of the pages' addresses are translated (/suresnes/projets/ in French,
/en/suresnes/projects/ in English); technical addresses (embeds, feeds, the map, the sitemap)
are the same in both languages, since other sites and feed readers keep them."""

from typing import Any

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jumelage.public import feeds, views
from jumelage.public.sitemaps import SITEMAPS

app_name = "public"

member = "<slug:slug>/"


def page(words: Any) -> Any:
    """`<slug>/` then translated words of an address (a lazy string, read per language)."""
    return format_lazy("{}{}", member, words)


urlpatterns = [
    path("", views.home, name="home"),
    path(_("accessibility/"), views.accessibility, name="accessibility"),
    path("robots.txt", views.robots, name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {
            "sitemaps": SITEMAPS,
            "template_name": "public/sitemap_index.xml",
            "sitemap_url_name": "public:sitemap_section",
        },
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS, "template_name": "public/sitemap.xml"},
        name="sitemap_section",
    ),
    path(member, views.authority, name="authority"),
    path(
        page(format_lazy("{}<id:partner_id>-<slug:name>/", _("partners/"))),
        views.partner,
        name="partner",
    ),
    path(page(_("projects/")), views.project_list, name="projects"),
    path(
        page(format_lazy("{}<slug:project_slug>/", _("projects/"))), views.project, name="project"
    ),
    path(page(_("news/")), views.news_list, name="news"),
    path(member + "news/feed.rss", feeds.NewsRssFeed(), name="news_rss"),
    path(member + "news/feed.atom", feeds.NewsAtomFeed(), name="news_atom"),
    path(page(format_lazy("{}<slug:news_slug>/", _("news/"))), views.news_item, name="news_item"),
    path(page(_("visits/")), views.visits, name="visits"),
    path(page(_("contact/")), views.contact, name="contact"),
    path(member + "map.svg", views.map_svg, name="map_svg"),
    path(member + "embed/twin-towns/", views.embed_twin_towns, name="embed_twin_towns"),
    path(
        member + "embed/twin-towns.json",
        views.embed_twin_towns_json,
        name="embed_twin_towns_json",
    ),
    path(member + "embed/projects/", views.embed_projects, name="embed_projects"),
    path(member + "embed/projects.json", views.embed_projects_json, name="embed_projects_json"),
]
