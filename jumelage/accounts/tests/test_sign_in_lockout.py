"""Guessing passwords: 60 wrong passwords lock the account (and the address they came from) for
a while, with a page that says when to try again and how to reset the password."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.test import Client

LOCKED = "Too many failed sign-in attempts"
WRONG = "Please enter the correct username and password"
ATTACKER = "203.0.113.66"
ELSEWHERE = "198.51.100.7"


@pytest.fixture(autouse=True)
def _mail_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def attempt(username: str, password: str, address: str = ATTACKER, path: str = "/en/admin/login/"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(path + "?next=/en/admin/", {"username": username, "password": password})
    return response, client


def fail(times: int, username: str, address: str = ATTACKER) -> None:
    for _ in range(times):
        response, _client = attempt(username, "wrong-guess", address)
        assert response.status_code == 200 and WRONG in response.content.decode()


def test_sixty_wrong_passwords_lock_the_account_even_for_the_right_password(officer_a):
    fail(59, "officer_a")
    sixtieth, _client = attempt("officer_a", "wrong-guess")
    assert sixtieth.status_code == 429
    assert LOCKED in sixtieth.content.decode()

    # The right password, even from another network, does not sign in.
    right, client = attempt("officer_a", "pw", ELSEWHERE)
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_when_to_try_again_and_how_to_reset_the_password(officer_a, settings):
    settings.AXES_FAILURE_LIMIT = 3
    fail(2, "officer_a")
    page, _client = attempt("officer_a", "wrong-guess")
    content = page.content.decode()
    assert "signing in is blocked for 30 minutes, even with the right password" in content
    assert re.search(r"Try again after \d", content)
    assert 'href="/en/admin/password_reset/"' in content
    assert 'id="header"' in content  # in the back office's frame
    assert "nav-sidebar" not in content


def test_the_lockout_page_is_in_french_at_the_french_address(officer_a, settings):
    settings.AXES_FAILURE_LIMIT = 1
    page, _client = attempt("officer_a", "wrong-guess", path="/admin/login/")
    assert page.status_code == 429
    assert "la connexion est bloquée pendant 30 minutes" in page.content.decode()


def test_the_account_signs_in_again_after_the_cool_off(officer_a):
    fail(59, "officer_a")
    attempt("officer_a", "wrong-guess")
    assert attempt("officer_a", "pw")[0].status_code == 429

    from axes.models import AccessAttempt

    # Half an hour passes without any attempt.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=31))
    response, client = attempt("officer_a", "pw")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer_a.pk)


def test_failures_from_one_address_lock_that_address_for_every_account(officer_a, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for number in range(5):  # a different user name each time
        attempt(f"guess-{number}", "wrong-guess")
    assert attempt("officer_a", "pw")[0].status_code == 429
    assert attempt("officer_a", "pw", ELSEWHERE)[0].status_code == 302


def test_a_locked_account_leaves_the_others_free(officer_a, officer_b, settings):
    settings.AXES_FAILURE_LIMIT = 3
    fail(3 - 1, "officer_a")
    attempt("officer_a", "wrong-guess")
    assert attempt("officer_b", "pw", ELSEWHERE)[0].status_code == 302
    assert attempt("officer_a", "pw", ELSEWHERE)[0].status_code == 429


def test_a_new_password_set_by_e_mail_lifts_the_lock_on_the_account(officer_a, settings):
    settings.AXES_FAILURE_LIMIT = 3
    fail(2, "officer_a")
    attempt("officer_a", "wrong-guess")
    assert attempt("officer_a", "pw", ELSEWHERE)[0].status_code == 429

    client = Client(REMOTE_ADDR=ELSEWHERE)
    client.post("/en/admin/password_reset/", {"email": "officer_a@example.org"})
    link = re.search(r"https?://testserver(/\S+/password_reset/\S+/\S+/)", mail.outbox[0].body)
    assert link
    form = client.get(link.group(1), follow=True)
    new = "a-Long-new-passphrase-42"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})

    assert attempt("officer_a", new, ELSEWHERE)[0].status_code == 302


def test_an_operator_unlocks_an_account_with_axes_command(officer_a, settings):
    settings.AXES_FAILURE_LIMIT = 3
    fail(2, "officer_a")
    attempt("officer_a", "wrong-guess")
    call_command("axes_reset_username", "officer_a", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert attempt("officer_a", "pw", ELSEWHERE)[0].status_code == 302
