"""Answers are compressed only when they hold no secret (BREACH): the public pages and the API
for anonymous visitors, never the back office."""

from __future__ import annotations

import gzip

from django.test import Client

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_a_public_page_is_compressed_for_an_anonymous_visitor(client, city_a):
    answer = client.get(f"/en/{city_a.slug}/", **GZIP)
    assert answer.status_code == 200
    assert answer["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in answer["Vary"]
    assert b"Ville A" in gzip.decompress(answer.content)


def test_the_api_is_compressed_for_an_anonymous_visitor(client, city_a):
    answer = client.get("/api/v1/openapi.json", **GZIP)
    assert answer["Content-Encoding"] == "gzip"


def test_a_page_with_a_csrf_token_is_not_compressed(client, db):
    answer = client.get("/en/admin/login/", **GZIP)
    assert answer.status_code == 200
    assert "csrfmiddlewaretoken" in answer.content.decode()
    assert not answer.has_header("Content-Encoding")


def test_nothing_is_compressed_for_a_signed_in_user(officer_a, city_a):
    client = Client()
    client.force_login(officer_a)
    for url in (f"/en/{city_a.slug}/", "/en/admin/"):
        answer = client.get(url, **GZIP)
        assert answer.status_code == 200, url
        assert not answer.has_header("Content-Encoding"), url


def test_an_answer_setting_a_cookie_is_not_compressed(client, db):
    answer = client.post("/i18n/setlang/", {"language": "en", "next": "/en/"}, **GZIP)
    assert not answer.has_header("Content-Encoding")
