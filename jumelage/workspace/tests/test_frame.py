"""The workspace's frame: its addresses in French and English, signing in and out, who lands
where, the header and menu, and nothing inline that a strict Content-Security-Policy refuses."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jumelage.accounts.models import Role
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.partners.tests.factories import AuthorityFactory, MemberAuthorityFactory

pytestmark = pytest.mark.django_db


def _sign_in(address: str, user, password: str = "pw"):
    return Client().post(address, {"username": user.username, "password": password})


def test_the_workspace_is_at_espace_in_french_and_workspace_in_english(city_a):
    with translation.override("fr"):
        assert reverse("workspace:home", args=[city_a.slug]) == "/espace/ville-a/"
    with translation.override("en"):
        assert reverse("workspace:home", args=[city_a.slug]) == "/en/workspace/ville-a/"


def test_signed_out_the_workspace_leads_to_the_sign_in_page_and_back(officer_a):
    response = Client().get("/espace/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/espace/"

    signed_in = _sign_in(response["Location"], officer_a)
    assert signed_in["Location"] == "/espace/"


def test_signed_out_the_english_workspace_leads_to_the_english_sign_in_page(officer_a):
    response = Client().get("/en/workspace/ville-a/")
    assert response["Location"] == "/en/admin/login/?next=/en/workspace/ville-a/"


def test_a_member_signing_in_without_asking_for_a_page_lands_on_the_workspace(viewer_a):
    assert _sign_in("/admin/login/", viewer_a)["Location"] == "/espace/"


def test_an_english_speaker_lands_on_the_english_workspace(officer_a):
    officer_a.language = "en"
    officer_a.save()
    assert _sign_in("/admin/login/", officer_a)["Location"] == "/en/workspace/"


def test_a_superuser_signing_in_keeps_the_back_office(db):
    superuser = UserFactory(username="root", is_superuser=True)
    assert _sign_in("/admin/login/", superuser)["Location"] == "/admin/"


def test_a_page_asked_for_before_signing_in_is_still_where_the_sign_in_leads(officer_a):
    response = _sign_in("/admin/login/?next=/admin/projects/project/", officer_a)
    assert response["Location"] == "/admin/projects/project/"


def test_the_start_opens_the_users_only_authority(client, officer_a):
    client.force_login(officer_a)
    assert client.get("/espace/")["Location"] == "/espace/ville-a/"


def test_the_start_opens_the_authority_opened_last(client, officer_a, city_a, city_b):
    MembershipFactory(user=officer_a, authority=city_b, role=Role.VIEWER)
    client.force_login(officer_a)
    assert client.get("/espace/")["Location"] == "/espace/ville-a/"  # first by name

    client.get("/espace/ville-b/")
    assert client.get("/espace/")["Location"] == "/espace/ville-b/"


def test_a_user_of_no_authority_is_told_to_ask_for_a_membership(client, outsider):
    client.force_login(outsider)
    response = client.get("/en/workspace/")
    assert response.status_code == 403
    assert "Ask the administrator of your authority to add you" in response.content.decode()


def test_a_superuser_of_no_authority_is_sent_to_the_back_office(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get("/espace/")["Location"] == "/admin/"


def test_a_member_of_another_authority_gets_not_found(client, officer_b, city_a):
    client.force_login(officer_b)
    assert client.get("/espace/ville-a/").status_code == 404
    assert client.get("/en/workspace/ville-a/").status_code == 404


def test_an_unknown_authority_is_not_found(client, officer_a):
    client.force_login(officer_a)
    assert client.get("/espace/nowhere/").status_code == 404


def test_the_header_names_the_authority_the_user_and_offers_to_sign_out(client, officer_a):
    officer_a.first_name, officer_a.last_name = "Camille", "Martin"
    officer_a.save()
    client.force_login(officer_a)
    page = client.get("/en/workspace/ville-a/").content.decode()

    assert '<span class="ws-brand-name">Ville A</span>' in page
    assert "Camille Martin" in page
    assert "(officer)" in page
    assert 'action="/en/admin/logout/"' in page
    assert 'name="next" value="/en/workspace/"' in page
    assert 'href="/en/ville-a/"' in page  # the authority's public page
    assert "Change authority" not in page  # one authority: no switcher


def test_signing_out_returns_to_the_sign_in_page(client, officer_a):
    client.force_login(officer_a)
    response = client.post("/admin/logout/", {"next": "/espace/"})
    assert response["Location"] == "/espace/"
    assert client.get("/espace/")["Location"] == "/admin/login/?next=/espace/"


def test_a_member_of_several_authorities_can_switch_between_them(client, officer_a, city_b):
    third = MemberAuthorityFactory(slug="ville-c", authority=AuthorityFactory(name="Ville C"))
    MembershipFactory(user=officer_a, authority=city_b, role=Role.VIEWER)
    MembershipFactory(user=officer_a, authority=third, role=Role.ADMIN)
    client.force_login(officer_a)
    page = client.get("/en/workspace/ville-b/").content.decode()

    assert "Change authority" in page
    assert 'href="/en/workspace/ville-a/">Ville A</a>' in page
    assert 'href="/en/workspace/ville-c/">Ville C</a>' in page
    assert "(viewer)" in page  # the role in the authority shown


def test_the_menu_offers_each_area_and_marks_the_current_one(client, officer_a):
    client.force_login(officer_a)
    page = client.get("/en/workspace/ville-a/").content.decode()

    for label in (
        "Home",
        "Partnerships",
        "Projects",
        "Payments",
        "Calendar and visits",
        "People and actors",
        "Reports",
        "Administration",
    ):
        assert f">{label}<" in page, label
    assert '<a href="/en/workspace/ville-a/" aria-current="page">Home</a>' in page
    assert 'href="/en/admin/projects/transaction/"' in page
    assert "In the back office" in page
    assert 'href="/en/workspace/ville-a/reports/"' in page  # the reports area, in the workspace


def test_the_french_page_is_in_french(client, officer_a, french):
    client.force_login(officer_a)
    page = client.get("/espace/ville-a/").content.decode()
    assert '<html lang="fr"' in page
    assert "Se déconnecter" in page
    assert 'href="/en/workspace/ville-a/"' in page  # the same page in English


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def test_no_page_holds_inline_script_style_or_event_handler(client, officer_a, outsider):
    client.force_login(officer_a)
    pages = [client.get("/espace/ville-a/"), client.get("/en/workspace/ville-a/")]
    client.force_login(outsider)
    pages.append(client.get("/espace/"))
    for response in pages:
        page = response.content.decode()
        assert not INLINE_SCRIPT.search(page)
        assert "style=" not in page
        assert "<style" not in page
        assert not INLINE_HANDLER.search(page)


def test_no_member_authority_may_take_the_workspaces_address():
    from jumelage.partners.services import site_addresses

    assert {"espace", "workspace"} <= site_addresses()
