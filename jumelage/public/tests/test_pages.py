"""Every kind of public page answers, in French and English; unpublished records answer 404;
no page sets a cookie or loads anything from another site."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from jumelage.content.tests.factories import NewsItemFactory
from jumelage.projects.tests.factories import ExpenseLineFactory, FinancingPlanFactory
from jumelage.public.links import partner_url
from jumelage.public.tests.conftest import project
from jumelage.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def public_urls(world) -> list[str]:
    member = world.member
    slug = member.slug
    return [
        reverse("public:home"),
        reverse("public:accessibility"),
        reverse("public:authority", args=[slug]),
        partner_url(member, world.kragujevac),
        reverse("public:projects", args=[slug]),
        reverse("public:project", args=[slug, world.project.slug]),
        reverse("public:news", args=[slug]),
        reverse("public:news_item", args=[slug, world.news.slug]),
        reverse("public:visits", args=[slug]),
        reverse("public:contact", args=[slug]),
        reverse("public:embed_twin_towns", args=[slug]),
        reverse("public:embed_projects", args=[slug]),
    ]


def other_urls(world) -> list[str]:
    slug = world.member.slug
    return [
        reverse("public:news_rss", args=[slug]),
        reverse("public:news_atom", args=[slug]),
        reverse("public:map_svg", args=[slug]),
        reverse("public:embed_twin_towns_json", args=[slug]),
        reverse("public:embed_projects_json", args=[slug]),
        reverse("public:sitemap"),
        reverse("public:sitemap_section", args=["pages"]),
        reverse("public:robots"),
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_answers_in_both_languages_with_its_lang(client, world, language):
    from django.utils import translation

    with translation.override(language):
        urls = public_urls(world)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in response.content.decode(), url
        assert url.startswith("/en/") == (language == "en"), url


def test_the_french_home_is_at_the_root_of_the_site(client, world):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr"' in response.content.decode()


def test_no_page_sets_a_cookie_even_on_a_second_visit(client, world):
    for url in public_urls(world) + other_urls(world):
        for _visit in range(2):  # the second one is served from the cache
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Set-Cookie" not in response.headers, url
            assert not response.cookies, url
    assert not client.cookies


def test_no_page_loads_a_resource_from_another_site(client, world):
    for url in public_urls(world):
        html = client.get(url).content.decode()
        resources = re.findall(r'<(?:script|img|iframe|source)[^>]* src="([^"]+)"', html)
        resources += re.findall(
            r'<link[^>]* rel="(?:stylesheet|icon|preload)"[^>]* href="([^"]+)"', html
        )
        assert resources, url
        assert all(resource.startswith("/") for resource in resources), (url, resources)
        assert "@import" not in html and "url(http" not in html, url


@pytest.mark.parametrize(
    "path",
    [
        "/ville-a/projets/projet-cache/",
        "/ville-a/actualites/brouillon/",
        "/en/ville-a/projects/projet-cache/",
        "/ville-a/projets/does-not-exist/",
        "/ville-a/actualites/does-not-exist/",
        # Ids too long for the database are no address, not a server error.
        "/ville-a/partenaires/999999999999999999999-nowhere/",
        "/documents/999999999999999999999/file.pdf",
    ],
)
def test_unpublished_or_unknown_records_answer_404(client, world, path):
    assert client.get(path).status_code == 404


def test_a_partner_with_only_unpublished_partnerships_answers_404(client, world):
    hidden = world.hidden_partnership.partner
    assert client.get(partner_url(world.member, hidden)).status_code == 404


def test_another_authoritys_project_is_not_found_under_this_authority(client, world, city_b):
    assert client.get("/ville-b/projets/etat-civil/").status_code == 404


def test_a_partner_page_gathers_twinning_and_cooperation_and_names_itself_canonically(
    client, world
):
    url = partner_url(world.member, world.kragujevac)
    html = client.get(url.replace("kragujevac", "old-name")).content.decode()

    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    assert "Крагујевац" in html
    assert html.count('class="badge"') >= 2  # twinning and cooperation
    assert '<div class="prose" lang="sr"><p>Братимљење од 1970.</p></div>' in html


def test_the_project_page_shows_financing_with_the_leverage_effect(client, world):
    html = client.get("/en/ville-a/projects/etat-civil/").content.decode()

    assert "€40,000" in html  # total cost
    assert "€10,000" in html and "€30,000" in html
    assert "× 3" in html  # noqa: RUF001 - 30 000 from co-funders for 10 000 own
    assert "75%" in html  # the funder's share
    assert "Agence française de développement" in html
    assert "Collège Jean Macé" in html
    assert "Rapport 2025" in html
    assert "A successful training" in html
    # The description exists only in Haitian Creole.
    assert '<div class="prose" lang="ht"><p>Deskripsyon pwojè a.</p></div>' in html


def test_the_project_page_counts_the_plan_in_force_only(client, world):
    # A 2025 plan, its adopted revision, and a draft of the next revision: 12 000, not 22 000
    # nor 27 000 (projects.selectors.plans_in_force).
    item = project(world.member, slug="revise", title={"en": "Revised"})
    for status, amount in (("adopted", "10000"), ("adopted", "12000"), ("draft", "5000")):
        plan = FinancingPlanFactory(project=item, status=status, year=2025)
        ExpenseLineFactory(plan=plan, amount=Decimal(amount))
    html = client.get("/en/ville-a/projects/revise/").content.decode()

    assert "€12,000" in html
    assert "€22,000" not in html and "€27,000" not in html


def test_news_and_visits_link_to_their_project_and_partner_town_only_when_published(client, world):
    item = "/en/ville-a/news/formation/"  # about a published project and partnership
    html = client.get(item).content.decode()
    assert "Civil registration support" in html and "Cap-Haïtien" in html
    NewsItemFactory(
        authority=world.member,
        slug="linked",
        title={"en": "Linked"},
        project=world.hidden_project,
        partnership=world.hidden_partnership,
        is_public=True,
    )
    VisitFactory(
        authority=world.member,
        title={"en": "A visit"},
        partnership=world.cap_haitien,
        project=world.project,
        is_public=True,
    )
    html = client.get("/en/ville-a/news/linked/").content.decode()
    assert "Secret project" not in html and "Geheimstadt" not in html
    assert "Project:" not in html and "Partner town:" not in html
    visits = client.get("/en/ville-a/visits/").content.decode()
    assert "Cap-Haïtien" in visits and "Civil registration support" in visits


def test_the_project_page_in_french_writes_amounts_the_french_way(client, world):
    html = client.get("/ville-a/projets/etat-civil/").content.decode()
    assert "40\xa0000\xa0€" in html
    assert "75\xa0%" in html


def test_a_news_item_of_the_first_of_the_month_is_dated_1er_in_french(client, world):
    NewsItemFactory(
        authority=world.member,
        slug="premier",
        title={"fr": "Le premier juin", "en": "The first of June"},
        published_on=datetime.date(2025, 6, 1),
        is_public=True,
    )
    when = '<time datetime="2025-06-01">'  # the machine date stays as it was
    item = client.get("/ville-a/actualites/premier/").content.decode()
    assert f"{when}1er juin 2025</time>" in item
    assert f"{when}1er juin 2025</time>" in client.get("/ville-a/actualites/").content.decode()
    english = client.get("/en/ville-a/news/premier/").content.decode()
    assert f"{when}June 1, 2025</time>" in english
    # The other days are written as numbers.
    assert "21 mars 2025</time>" in client.get("/ville-a/actualites/formation/").content.decode()


def test_lists_are_paginated_and_a_page_beyond_the_last_answers_404(client, world):
    assert client.get("/ville-a/actualites/?page=1").status_code == 200
    assert client.get("/ville-a/actualites/?page=2").status_code == 404
    assert client.get("/ville-a/actualites/?page=abc").status_code == 404


def test_the_home_page_lists_active_members_and_finds_them_by_name(client, world, city_b):
    html = client.get("/en/").content.decode()
    assert "Ville A" in html and "Ville B" in html
    assert "1 twin town" in html

    html = client.get("/en/?q=ville+b").content.decode()
    assert "Ville B" in html and ">Ville A<" not in html

    city_b.is_active = False
    city_b.save()
    from django.core.cache import cache

    cache.clear()
    assert "Ville B" not in client.get("/en/").content.decode()


def test_only_the_embeddable_blocks_may_be_framed(client, world):
    assert "X-Frame-Options" not in client.get("/ville-a/embed/twin-towns/").headers
    assert "X-Frame-Options" not in client.get("/ville-a/embed/projects/").headers
    assert client.get("/ville-a/").headers["X-Frame-Options"] == "DENY"
    assert client.get("/ville-a/contact/").headers["X-Frame-Options"] == "DENY"


def test_the_twin_towns_json_lists_published_twinnings_with_their_language(client, world):
    response = client.get("/en/ville-a/embed/twin-towns.json")
    data = json.loads(response.content)

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert data["language"] == "en"
    assert [town["name"] for town in data["twin_towns"]] == ["Kragujevac"]
    town = data["twin_towns"][0]
    assert town["local_name"] == "Крагујевац" and town["local_name_language"] == "sr"
    assert town["country"] == {"code": "RS", "name": "Serbia"}
    assert town["since"] == 1970
    assert town["also_decentralised_cooperation"] is True


def test_the_projects_json_lists_published_projects_only(client, world):
    data = json.loads(client.get("/ville-a/embed/projects.json").content)

    assert [p["slug"] for p in data["projects"]] == ["etat-civil"]
    assert data["projects"][0]["title"] == {"text": "Appui à l'état civil", "lang": "fr"}
    assert data["projects"][0]["url"] == "http://testserver/ville-a/projets/etat-civil/"


def test_the_feeds_carry_published_news_only(client, world):
    rss = client.get("/ville-a/news/feed.rss").content.decode()
    atom = client.get("/en/ville-a/news/feed.atom").content.decode()

    assert "Une formation réussie" in rss and "Brouillon secret" not in rss
    assert "<language>fr</language>" in rss
    assert "A successful training" in atom and "Brouillon secret" not in atom
    assert "http://testserver/en/ville-a/news/formation/" in atom


def test_the_sitemap_lists_each_public_address_in_both_languages(client, world):
    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-projects.xml" in index

    projects = client.get("/sitemap-projects.xml").content.decode()
    assert "<loc>http://testserver/ville-a/projets/etat-civil/</loc>" in projects
    assert 'hreflang="en" href="http://testserver/en/ville-a/projects/etat-civil/"' in projects
    assert "projet-cache" not in projects

    partners = client.get("/sitemap-partners.xml").content.decode()
    assert "kragujevac" in partners and "geheimstadt" not in partners
    news = client.get("/sitemap-news.xml").content.decode()
    assert "/ville-a/actualites/formation/" in news and "brouillon" not in news
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_the_map_svg_stands_alone(client, world):
    response = client.get("/ville-a/map.svg")
    svg = response.content.decode()
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert svg.startswith('<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns=')
    assert "Kragujevac" in svg and "Geheimstadt" not in svg
