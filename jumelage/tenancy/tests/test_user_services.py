"""Inviting users and changing accounts: who may, what is logged, what never is."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from jumelage.accounts.models import Membership, Role, User
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.audit.models import AuditEntry
from jumelage.tenancy.members.services import (
    membership_change_role,
    user_invite,
    user_set_password,
    user_update,
)


def test_an_admin_invites_a_staff_user_without_a_password(admin_a, city_a):
    user = user_invite(
        authority=city_a, role=Role.OFFICER, by=admin_a, username="new", email="n@example.org"
    )
    assert user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.OFFICER
    verbs = set(AuditEntry.objects.filter(authority=city_a).values_list("verb", flat=True))
    assert verbs == {"user invited", "membership granted"}


def test_an_invited_user_with_a_password_can_sign_in(admin_a, city_a, client):
    user_invite(
        authority=city_a, role=Role.VIEWER, by=admin_a, username="new", password="sturdy-Kiwi-42"
    )
    # django-axes checks every sign-in against its lockout, which needs the request.
    assert client.login(request=HttpRequest(), username="new", password="sturdy-Kiwi-42")


def test_the_audit_log_never_holds_a_password_hash(admin_a, city_a):
    user = user_invite(
        authority=city_a, role=Role.VIEWER, by=admin_a, username="new", password="sturdy-Kiwi-42"
    )
    user_set_password(user=user, password="another-Lemon-77", by=admin_a)
    for changes in AuditEntry.objects.values_list("changes", flat=True):
        assert "password" not in changes
        assert "pbkdf2" not in str(changes)


def test_it_refuses_a_weak_password_and_writes_nothing(admin_a, city_a):
    with pytest.raises(ValidationError):
        user_invite(authority=city_a, role=Role.VIEWER, by=admin_a, username="new", password="123")
    assert not User.objects.filter(username="new").exists()
    assert not AuditEntry.objects.exists()


def test_an_officer_cannot_invite(officer_a, city_a):
    with pytest.raises(PermissionDenied):
        user_invite(authority=city_a, role=Role.VIEWER, by=officer_a, username="new")
    assert not User.objects.filter(username="new").exists()


def test_an_admin_of_one_city_cannot_invite_into_another(admin_a, city_b):
    with pytest.raises(PermissionDenied):
        user_invite(authority=city_b, role=Role.ADMIN, by=admin_a, username="mole")
    assert not User.objects.filter(username="mole").exists()


def test_an_admin_changes_a_members_account_and_it_is_logged(admin_a, officer_a, city_a):
    officer_a.email = "officer@ville-a.fr"
    user_update(user=officer_a, by=admin_a)
    entry = AuditEntry.objects.get(verb="user account changed")
    assert entry.changes == {"email": ["officer_a@example.org", "officer@ville-a.fr"]}
    assert entry.authority_id == city_a.pk


def test_an_admin_cannot_make_a_superuser(admin_a, officer_a):
    officer_a.is_superuser = True
    with pytest.raises(PermissionDenied, match="Only an administrator of the instance"):
        user_update(user=officer_a, by=admin_a)
    officer_a.refresh_from_db()
    assert not officer_a.is_superuser


def test_an_admin_cannot_make_a_national_reports_reader_but_a_superuser_can(admin_a, officer_a):
    """The flag opens every authority's ODA: the instance decides, not one authority."""
    officer_a.reads_national_reports = True
    with pytest.raises(PermissionDenied, match="Only an administrator of the instance"):
        user_update(user=officer_a, by=admin_a)
    officer_a.refresh_from_db()
    assert not officer_a.reads_national_reports
    officer_a.reads_national_reports = True
    user_update(user=officer_a, by=UserFactory(username="root", is_superuser=True))
    officer_a.refresh_from_db()
    assert officer_a.reads_national_reports


def test_an_admin_cannot_change_an_account_that_is_also_in_another_city(admin_a, officer_b, city_a):
    """Else the administrator of one city could take over another city's account."""
    MembershipFactory(user=officer_b, authority=city_a, role=Role.VIEWER)
    officer_b.email = "stolen@example.org"
    with pytest.raises(PermissionDenied, match="You may not change this account"):
        user_update(user=officer_b, by=admin_a)
    with pytest.raises(PermissionDenied):
        user_set_password(user=officer_b, password="taken-Over-2024", by=admin_a)
    officer_b.refresh_from_db()
    assert officer_b.email == "officer_b@example.org"
    assert officer_b.check_password("pw")


def test_nobody_but_a_superuser_changes_a_superuser(admin_a, city_a):
    root = UserFactory(username="root", is_superuser=True)
    MembershipFactory(user=root, authority=city_a, role=Role.VIEWER)
    root.first_name = "Mallory"
    with pytest.raises(PermissionDenied):
        user_update(user=root, by=admin_a)


def test_an_admin_cannot_deactivate_the_last_admin(admin_a, city_a):
    account = User.objects.get(pk=admin_a.pk)  # as the form edits it
    account.is_active = False
    with pytest.raises(ValidationError, match="last administrator of Ville A"):
        user_update(user=account, by=admin_a)
    admin_a.refresh_from_db()
    assert admin_a.is_active


def test_an_inactive_admin_does_not_count_as_the_remaining_one(admin_a, officer_a, city_a):
    Membership.objects.filter(user=officer_a).update(role=Role.ADMIN)
    User.objects.filter(pk=officer_a.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="last administrator"):
        membership_change_role(
            membership=Membership.objects.get(user=admin_a), role=Role.VIEWER, by=admin_a
        )


def test_a_superuser_invites_a_national_reader_of_no_authority_and_it_is_logged(db):
    from jumelage.tenancy.access import may_read_national_reports
    from jumelage.tenancy.members.services import national_reader_invite

    root = UserFactory(username="root", is_superuser=True)
    reader = national_reader_invite(by=root, username="ministry", email="apd@example.org")
    assert may_read_national_reports(reader)
    assert reader.is_staff and not reader.is_superuser and not reader.has_usable_password()
    assert not Membership.objects.filter(user=reader).exists()
    entry = AuditEntry.objects.get(verb="national reports reader invited")
    assert entry.user == root and entry.authority_id is None
    assert "password" not in entry.changes


def test_an_authority_admin_cannot_invite_a_national_reader(admin_a):
    from jumelage.tenancy.members.services import national_reader_invite

    with pytest.raises(PermissionDenied):
        national_reader_invite(by=admin_a, username="ministry", email="apd@example.org")
    assert not User.objects.filter(username="ministry").exists()


def test_the_command_invites_a_national_reader_and_refuses_a_taken_username(db, officer_a):
    import io

    from django.core.management import CommandError, call_command

    UserFactory(username="root", is_superuser=True)
    out = io.StringIO()
    call_command("invite_national_reader", username="ministry", email="apd@example.org", stdout=out)
    assert User.objects.get(username="ministry").reads_national_reports
    assert "/reporting/national/oda/" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("invite_national_reader", username="officer_a", email="x@example.org")
    officer_a.refresh_from_db()
    assert not officer_a.reads_national_reports
