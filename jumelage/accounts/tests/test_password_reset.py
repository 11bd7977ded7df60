"""A forgotten password is reset from the sign-in page, by a link sent by e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client


@pytest.fixture(autouse=True)
def _mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _reset_link(message) -> str:
    match = re.search(r"https?://testserver(/\S+/password_reset/\S+/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_sign_in_page_offers_to_reset_a_forgotten_password(db):
    page = Client().get("/en/admin/login/")
    assert 'href="/en/admin/password_reset/"' in page.content.decode()


def test_a_link_sent_by_e_mail_sets_a_new_password(officer_a):
    client = Client()
    sent = client.post("/en/admin/password_reset/", {"email": "OFFICER_A@example.org"})
    assert sent.status_code == 302 and sent["Location"] == "/en/admin/password_reset/sent/"
    page = client.get(sent["Location"]).content.decode()
    assert "Jumelage" in page and "nav-sidebar" not in page
    [message] = mail.outbox
    assert message.to == ["officer_a@example.org"]
    assert "officer_a" in message.body  # the user name, which people forget too

    form = client.get(_reset_link(message), follow=True)
    assert "Enter new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-Long-new-passphrase-42", "new_password2": "a-Long-new-passphrase-42"},
    )
    assert done["Location"] == "/en/admin/password_reset/complete/"
    officer_a.refresh_from_db()
    assert officer_a.check_password("a-Long-new-passphrase-42")
    # The link works once only.
    again = client.get(_reset_link(message), follow=True)
    assert "The password reset link was invalid" in again.content.decode()


def test_an_unknown_address_sends_nothing_and_says_the_same(db):
    client = Client()
    response = client.post("/en/admin/password_reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/en/admin/password_reset/sent/"
    assert mail.outbox == []


def test_an_inactive_account_gets_no_link(officer_a):
    officer_a.is_active = False
    officer_a.save()
    Client().post("/en/admin/password_reset/", {"email": "officer_a@example.org"})
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_with_the_reason(officer_a):
    client = Client()
    client.post("/en/admin/password_reset/", {"email": "officer_a@example.org"})
    form = client.get(_reset_link(mail.outbox[0]), follow=True)
    refused = client.post(
        form.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert refused.status_code == 200
    assert "This password is too common." in refused.content.decode()
    officer_a.refresh_from_db()
    assert officer_a.check_password("pw")


def test_the_e_mail_is_in_french_for_a_request_in_french(officer_a):
    Client().post("/admin/password_reset/", {"email": "officer_a@example.org"})
    [message] = mail.outbox
    assert message.subject == "Réinitialisation du mot de passe sur Jumelage"
    assert "/admin/password_reset/" in message.body and "/en/" not in message.body


def test_an_account_invited_without_a_password_sets_its_first_one(city_a, admin_a):
    from jumelage.tenancy.members.services import user_invite

    invited = user_invite(
        authority=city_a, role="officer", by=admin_a, username="new", email="new@example.org"
    )
    assert not invited.has_usable_password()
    client = Client()
    client.post("/en/admin/password_reset/", {"email": "new@example.org"})
    form = client.get(_reset_link(mail.outbox[0]), follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "first-Passphrase-2026", "new_password2": "first-Passphrase-2026"},
    )
    invited.refresh_from_db()
    assert invited.check_password("first-Passphrase-2026")


def _ask(email: str, address: str = "203.0.113.9", path: str = "/en/admin/password_reset/"):
    return Client(REMOTE_ADDR=address).post(path, {"email": email})


def _answer(rf, email: str):
    """The view's answer to a request, as the server gets it before sending it."""
    from jumelage.accounts.views import PasswordResetView

    request = rf.post("/en/admin/password_reset/", {"email": email})
    request._dont_enforce_csrf_checks = True
    return PasswordResetView.as_view()(request)


def test_the_e_mail_leaves_only_once_the_answer_has_been_sent(officer_a, rf):
    """Django's own view sends the e-mail before answering, so a known address answers later
    than an unknown one. Here the answer is complete first."""
    response = _answer(rf, "officer_a@example.org")
    assert response.status_code == 302
    assert mail.outbox == []
    response.close()  # the server has sent the answer
    [message] = mail.outbox
    assert message.to == ["officer_a@example.org"]


def test_a_known_and_an_unknown_address_get_the_same_answer_with_the_same_work(
    officer_a, rf, django_assert_num_queries
):
    answers = []
    for email in ("officer_a@example.org", "nobody@example.org"):
        with django_assert_num_queries(0):  # no look-up before the answer
            response = _answer(rf, email)
        answers.append((response.status_code, response["Location"], response.content))
        response.close()
    assert answers[0] == answers[1]
    assert len(mail.outbox) == 1


def test_requests_for_one_address_are_limited_with_a_message(officer_a):
    for number in range(5):
        assert _ask("officer_a@example.org", f"203.0.113.{number}").status_code == 302
    refused = _ask("OFFICER_A@example.org", "203.0.113.99")
    assert refused.status_code == 429
    content = refused.content.decode()
    assert "Too many password reset requests were made for this address or from your" in content
    assert re.search(r"Wait \d+ minutes?, then ask again", content)
    assert len(mail.outbox) == 5


def test_an_unknown_address_is_limited_like_a_known_one(db):
    for number in range(5):
        assert _ask("nobody@example.org", f"203.0.113.{number}").status_code == 302
    assert _ask("nobody@example.org", "203.0.113.99").status_code == 429


def test_requests_from_one_client_are_limited_whatever_the_address(officer_a):
    for number in range(20):
        assert _ask(f"someone-{number}@example.org").status_code == 302
    assert _ask("officer_a@example.org").status_code == 429
    assert mail.outbox == []
    assert _ask("officer_a@example.org", "198.51.100.1").status_code == 302


def test_the_limit_message_is_in_french_at_the_french_address(db, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "1/h"
    _ask("nobody@example.org", path="/admin/password_reset/")
    refused = _ask("nobody@example.org", path="/admin/password_reset/")
    assert "Trop de demandes de réinitialisation" in refused.content.decode()
