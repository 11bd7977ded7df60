"""Joining: an instance administrator invites a new authority in one form (or with
`invite_authority`); the link lets the invitee choose a password once, before it expires,
signs them in and opens the setup checklist."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from jumelage.accounts.models import Invitation, Membership, Role, User
from jumelage.accounts.tests.factories import UserFactory
from jumelage.core.tests.factories import CountryFactory
from jumelage.partners.models import Authority, MemberAuthority
from jumelage.partners.services import member_invite
from jumelage.partners.tests.factories import AuthorityFactory
from jumelage.tenancy.members.services import token_digest

pytestmark = pytest.mark.django_db
PASSWORD = "Cap-Haitien 1998 !"


@pytest.fixture
def operator(db):
    CountryFactory(code="FR")
    return UserFactory(username="operator", is_superuser=True, is_staff=True)


def invite(operator, **values):
    data = {"name": "Saint-Nazaire", "siren": "214401846", "email": "ri@example.org"}
    data.update(values)
    return member_invite(language="fr", by=operator, **data)


def test_the_command_prints_the_link_and_the_invitee_gets_it_by_email(operator):
    out = io.StringIO()
    call_command(
        "invite_authority",
        "--name",
        "Saint-Nazaire",
        "--siren",
        "214 401 846",
        "--email",
        "ri@example.org",
        "--language",
        "en",
        "--site-url",
        "https://jumelage.example.org",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "Saint-Nazaire is a member authority, at /saint-nazaire/."
    assert lines[1] == "Invitation for ri@example.org:"
    assert re.fullmatch(r"https://jumelage\.example\.org/en/admin/invitation/[\w-]{40,}/", lines[2])
    member = MemberAuthority.objects.get(slug="saint-nazaire")
    assert member.authority.siren == "214401846" and member.authority.country_id == "FR"
    user = User.objects.get(email="ri@example.org")
    assert Membership.objects.get(user=user).role == Role.ADMIN
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1 and lines[2] in mail.outbox[0].body
    token = lines[2].rstrip("/").rsplit("/", 1)[1]
    assert Invitation.objects.get().token_digest == token_digest(token)  # the token is not kept


def test_the_command_refuses_a_bad_siren_and_a_known_member(operator):
    with pytest.raises(CommandError, match="SIREN"):
        call_command("invite_authority", "--name", "X", "--siren", "123", "--email", "a@b.org")
    invite(operator)
    with pytest.raises(CommandError, match="already a member authority"):
        call_command(
            "invite_authority",
            "--name",
            "Saint-Nazaire",
            "--siren",
            "214401846",
            "--email",
            "other@example.org",
            "--language",
            "en",
        )
    assert MemberAuthority.objects.count() == 1


def test_an_existing_register_entry_is_used_not_duplicated(operator):
    entry = AuthorityFactory(name="Saint-Nazaire", siren="214401846", country_id="FR")
    member, _invitation, _token = invite(operator)
    assert member.authority == entry
    assert Authority.objects.filter(siren="214401846").count() == 1


def test_only_an_operator_invites(admin_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        member_invite(name="X", siren="214401846", email="a@b.org", language="fr", by=admin_a)


def test_the_admin_form_invites_in_one_step(client, operator):
    client.force_login(operator)
    url = reverse("admin:partners_memberauthority_invite")
    assert (
        client.get(reverse("admin:partners_memberauthority_changelist")).content.decode().count(url)
    )
    response = client.post(
        url,
        {
            "name": "Saint-Nazaire",
            "siren": "214 401 846",
            "email": "ri@example.org",
            "language": "fr",
        },
    )
    assert response.status_code == 200
    assert b"invitation-link" in response.content
    assert MemberAuthority.objects.filter(slug="saint-nazaire").exists()
    bad = client.post(
        url, {"name": "X", "siren": "214 401 847", "email": "x@example.org", "language": "fr"}
    )
    assert bad.status_code == 400
    assert MemberAuthority.objects.count() == 1


def test_an_officer_cannot_open_the_invitation_form(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("admin:partners_memberauthority_invite"))
    assert response.status_code == 403


def test_the_link_sets_the_password_signs_in_and_opens_the_checklist(client, operator):
    member, _invitation, token = invite(operator)
    url = reverse("invitation_accept", args=[token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    with translation.override("fr"):  # the invitee's language (fr)
        assert response["Location"] == reverse("workspace:setup", args=[member.slug])
    assert client.get(response["Location"]).status_code == 200
    user = User.objects.get(email="ri@example.org")
    assert user.check_password(PASSWORD)


def test_the_link_is_single_use(client, operator):
    _member, _invitation, token = invite(operator)
    url = reverse("invitation_accept", args=[token])
    client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    client.logout()
    again = client.post(
        url, {"new_password1": "Another one 2024 !", "new_password2": "Another one 2024 !"}
    )
    assert again.status_code == 410
    assert b"already been used" in again.content
    assert User.objects.get(email="ri@example.org").check_password(PASSWORD)


def test_an_expired_link_is_refused(client, operator):
    _member, invitation, token = invite(operator)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    url = reverse("invitation_accept", args=[token])
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 410
    assert b"has expired" in response.content
    assert not User.objects.get(email="ri@example.org").has_usable_password()


def test_an_unknown_link_is_refused(client, operator):
    response = client.get(reverse("invitation_accept", args=["not-a-token"]))
    assert response.status_code == 404
    assert b"not valid" in response.content


def test_a_weak_password_is_refused_and_the_link_stays_usable(client, operator):
    _member, _invitation, token = invite(operator)
    url = reverse("invitation_accept", args=[token])
    weak = client.post(url, {"new_password1": "1234", "new_password2": "1234"})
    assert weak.status_code == 400
    assert Invitation.objects.get().used_at is None


def test_the_email_is_in_the_invitees_language(operator):
    from django.utils.translation import gettext

    invite(operator)  # French
    _member, invitation, token = member_invite(
        name="Brest", siren="212900195", email="en@example.org", language="en", by=operator
    )
    from jumelage.tenancy.members.services import invitation_link, invitation_send

    first = Invitation.objects.get(user__email="ri@example.org")
    invitation_send(first, "https://x/a/")
    invitation_send(invitation, invitation_link(token, language="en", site_url="https://x"))
    french, english = mail.outbox[-2:]
    with translation.override("fr"):
        expected = gettext(
            "Your invitation to the international relations workspace of %(name)s"
        ) % {"name": "Saint-Nazaire"}
    assert french.subject == expected and expected.startswith("Votre invitation")
    assert english.subject == "Your invitation to the international relations workspace of Brest"
    assert "/en/admin/invitation/" in english.body
