"""The international relations page of a member authority, from its published data."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from django.urls import reverse

from jumelage.partners.tests.factories import MemberAuthorityFactory

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_it_shows_the_twin_towns_cooperations_and_the_service(client, world):
    html = get(client, "/ville-a/")

    assert "Kragujevac" in html
    assert "Cap-Haïtien" in html
    assert "22 rue des Carrières" in html
    assert 'href="tel:+33142049677"' in html
    assert "01 42 04 96 77" in html
    assert "mailto:international@ville-a.example" in html
    assert "09:00" in html and "17:00" in html
    assert "Ville A et le monde." in html
    assert "Développement local durable." in html
    assert "Collège Jean Macé" in html
    assert "Groupe pays Haïti" in html
    assert "Président" in html
    assert "PACT2" in html
    assert "Une délégation chinoise" in html
    assert "Agence française de développement" in html  # a co-funder of a published project
    assert "2007-147" in html and "L1115-1" in html


def test_it_never_shows_unpublished_records(client, world):
    html = get(client, "/ville-a/")

    for secret in (
        "Geheimstadt",
        "Projet confidentiel",
        "Brouillon secret",
        "Visite privée",
        "Association discrète",
        "Poste secret",
        "Ancien poste",
        "Label retiré",
        "Bailleur secret",
    ):
        assert secret not in html, secret


def test_an_unknown_or_inactive_authority_answers_404(client, world):
    assert client.get("/nowhere/").status_code == 404
    world.member.is_active = False
    world.member.save()
    assert client.get("/ville-a/").status_code == 404
    assert client.get("/ville-a/contact/").status_code == 404
    assert client.get("/ville-a/embed/twin-towns.json").status_code == 404


def test_the_breadcrumb_leads_home_and_to_the_city_through_its_website(client, world):
    html = get(client, "/ville-a/")
    breadcrumb = html[
        html.index('class="breadcrumb"') : html.index("</nav>", html.index('class="breadcrumb"'))
    ]

    assert breadcrumb.count('href="https://www.ville-a.example/"') == 2
    assert 'aria-current="page"' in breadcrumb


def test_without_a_website_the_breadcrumb_starts_at_the_platform_home(client, city_b):
    html = get(client, "/ville-b/")
    breadcrumb = html[html.index('class="breadcrumb"') :]

    assert f'href="{reverse("public:home")}"' in breadcrumb


def test_the_page_has_one_h1_and_headings_in_order(client, world):
    html = get(client, "/ville-a/")
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]

    assert levels.count(1) == 1
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


def test_foreign_language_names_and_texts_carry_their_lang(client, world):
    html = get(client, "/en/ville-a/")

    assert '<span class="local-name" lang="sr">(Крагујевац)</span>' in html
    # No English summary: the French one is shown, marked as French.
    assert '<div class="prose" lang="fr"><p>Coopération avec Kragujevac.</p></div>' in html
    # Names typed in the back office (the instance's language) are marked too.
    assert '<span lang="fr">Président</span>' in html


def test_the_service_is_described_in_json_ld(client, world):
    html = get(client, "/ville-a/")
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(raw.group(1))

    assert data["@type"] == "GovernmentOrganization"
    assert data["contactPoint"]["@type"] == "ContactPoint"
    assert data["contactPoint"]["telephone"] == "+33142049677"
    assert data["address"]["postalCode"] == "92150"
    hours = data["location"]["openingHoursSpecification"]
    assert {"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Friday",
            "opens": "13:30", "closes": "17:00"} in hours  # fmt: skip
    assert len(hours) == 10


def test_open_graph_and_twitter_tags_describe_the_page(client, world):
    html = get(client, "/en/ville-a/")

    assert '<meta property="og:title" content="International relations – Ville A">' in html  # noqa: RUF001
    assert '<meta property="og:url" content="http://testserver/en/ville-a/">' in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/ville-a/">' in html


def test_the_share_links_are_plain_addresses_of_this_page(client, world):
    html = get(client, "/ville-a/")
    page = "http%3A%2F%2Ftestserver%2Fville-a%2F"

    assert f"https://www.facebook.com/sharer/sharer.php?u={page}" in html
    assert f"https://www.linkedin.com/sharing/share-offsite/?url={page}" in html
    assert f"https://twitter.com/intent/tweet?url={page}" in html
    assert "mailto:?subject=" in html and f"body={page}" in html
    assert 'href="http://testserver/ville-a/" data-copy-link' in html
    assert "<script" not in html.replace(
        '<script src="/static/public/js/site.js" defer></script>', ""
    ).replace('<script type="application/ld+json">', "")


def test_a_change_in_the_back_office_shows_at_once(
    client, world, django_capture_on_commit_callbacks
):
    from jumelage.accounts.tests.factories import UserFactory
    from jumelage.tenancy.services import save_owned

    assert "twinned since 1970" in get(client, "/en/ville-a/")  # now cached
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    world.twinning.started_year = 1975
    world.cap_haitien.is_public = False
    with django_capture_on_commit_callbacks(execute=True):
        save_owned(world.twinning, user=admin, expected_version=world.twinning.version)
        save_owned(world.cap_haitien, user=admin, expected_version=world.cap_haitien.version)

    html = get(client, "/en/ville-a/")
    assert "twinned since 1975" in html
    assert "Cap-Haïtien" not in html


def test_a_member_without_data_still_has_a_page(client, db):
    MemberAuthorityFactory(slug="vide")
    html = get(client, "/en/vide/")
    assert "No partnership is published yet." in html


def test_each_page_has_a_title_naming_the_page_and_the_authority(client, world):
    assert "<title>International relations – Ville A</title>" in get(client, "/en/ville-a/")  # noqa: RUF001
    assert "<title>Projects – International relations – Ville A</title>" in get(  # noqa: RUF001
        client, "/en/ville-a/projects/"
    )
