"""Public website URLs, mounted inside i18n_patterns: French without a prefix, English under
/en/. Fixed addresses come before `<slug>/`, which takes any member authority's address."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from jumelage.public import feeds, views
from jumelage.public.sitemaps import SITEMAPS

app_name = "public"

member = "<slug:slug>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
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
        member + "partners/<int:partner_id>-<slug:name>/",
        views.partner,
        name="partner",
    ),
    path(member + "projects/", views.project_list, name="projects"),
    path(member + "projects/<slug:project_slug>/", views.project, name="project"),
    path(member + "news/", views.news_list, name="news"),
    path(member + "news/feed.rss", feeds.NewsRssFeed(), name="news_rss"),
    path(member + "news/feed.atom", feeds.NewsAtomFeed(), name="news_atom"),
    path(member + "news/<slug:news_slug>/", views.news_item, name="news_item"),
    path(member + "visits/", views.visits, name="visits"),
    path(member + "contact/", views.contact, name="contact"),
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
