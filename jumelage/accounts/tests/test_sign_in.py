"""Signing in leads to the back office in the user's preferred language."""

from __future__ import annotations

from django.test import Client


def _sign_in(address: str, user, password: str = "pw"):
    return Client().post(address, {"username": user.username, "password": password})


def test_an_english_speaker_signing_in_at_the_french_address_goes_on_in_english(officer_a):
    officer_a.language = "en"
    officer_a.save()
    response = _sign_in("/admin/login/?next=/admin/projects/project/%3Fstatus%3D2", officer_a)
    assert response.status_code == 302
    assert response["Location"] == "/en/admin/projects/project/?status=2"


def test_a_french_speaker_signing_in_at_the_english_address_goes_on_in_french(officer_a):
    response = _sign_in("/en/admin/login/?next=/en/admin/", officer_a)
    assert response["Location"] == "/admin/"


def test_the_address_is_kept_when_it_is_already_in_the_users_language(officer_a):
    assert _sign_in("/admin/login/?next=/admin/", officer_a)["Location"] == "/admin/"


def test_a_wrong_password_shows_the_form_again(officer_a):
    response = _sign_in("/en/admin/login/?next=/en/admin/", officer_a, password="wrong")
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
