"""Granting, changing and revoking roles: who may, the last administrator, the audit log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.accounts.models import Membership, Role
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.audit.models import AuditEntry
from jumelage.tenancy.members.services import (
    membership_change_role,
    membership_grant,
    membership_revoke,
)


@pytest.fixture
def admin_b(city_b):
    user = UserFactory(username="admin_b")
    MembershipFactory(user=user, authority=city_b, role=Role.ADMIN)
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


def test_an_admin_grants_a_role_and_it_is_logged_under_the_authority(admin_a, city_a):
    newcomer = UserFactory(username="newcomer")
    membership = membership_grant(
        authority=city_a, user_to_add=newcomer, role=Role.OFFICER, by=admin_a
    )
    assert membership.role == Role.OFFICER
    entry = AuditEntry.objects.get(model="accounts.membership", object_id=str(membership.pk))
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.authority_id == city_a.pk
    assert entry.user == admin_a
    assert entry.verb == "membership granted"
    assert entry.changes["role"] == [None, "officer"]


@pytest.mark.parametrize("persona", ["officer_a", "viewer_a", "contributor_a", "outsider"])
def test_only_an_admin_of_the_authority_may_grant(request, persona, city_a):
    by = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied, match="Only an administrator of Ville A"):
        membership_grant(authority=city_a, user_to_add=UserFactory(), role=Role.ADMIN, by=by)
    assert not AuditEntry.objects.exists()


def test_an_admin_of_one_city_cannot_grant_in_another(admin_a, city_b):
    target = UserFactory(username="target")
    with pytest.raises(PermissionDenied):
        membership_grant(authority=city_b, user_to_add=target, role=Role.ADMIN, by=admin_a)
    assert not Membership.objects.filter(user=target).exists()


def test_a_superuser_grants_in_any_authority(superuser, city_b):
    membership = membership_grant(
        authority=city_b, user_to_add=UserFactory(), role=Role.ADMIN, by=superuser
    )
    assert membership.authority == city_b


def test_it_refuses_an_unknown_role_and_a_second_membership(admin_a, officer_a, city_a):
    with pytest.raises(ValidationError, match="is not a role"):
        membership_grant(authority=city_a, user_to_add=UserFactory(), role="mayor", by=admin_a)
    with pytest.raises(ValidationError, match="already a member"):
        membership_grant(authority=city_a, user_to_add=officer_a, role=Role.VIEWER, by=admin_a)


def test_an_admin_changes_a_role_and_the_change_is_logged(admin_a, officer_a, city_a):
    membership = Membership.objects.get(user=officer_a, authority=city_a)
    membership_change_role(membership=membership, role=Role.VIEWER, by=admin_a)
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert entry.changes == {"role": ["officer", "viewer"]}
    assert entry.authority_id == city_a.pk


def test_an_officer_cannot_promote_themselves(officer_a, city_a):
    membership = Membership.objects.get(user=officer_a, authority=city_a)
    with pytest.raises(PermissionDenied):
        membership_change_role(membership=membership, role=Role.ADMIN, by=officer_a)
    membership.refresh_from_db()
    assert membership.role == Role.OFFICER


def test_it_refuses_to_demote_the_last_admin(admin_a, city_a):
    membership = Membership.objects.get(user=admin_a, authority=city_a)
    with pytest.raises(ValidationError, match="last administrator of Ville A"):
        membership_change_role(membership=membership, role=Role.OFFICER, by=admin_a)
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_an_admin_may_step_down_when_another_admin_remains(admin_a, officer_a, city_a):
    other = Membership.objects.get(user=officer_a, authority=city_a)
    membership_change_role(membership=other, role=Role.ADMIN, by=admin_a)
    mine = Membership.objects.get(user=admin_a, authority=city_a)
    membership_change_role(membership=mine, role=Role.VIEWER, by=admin_a)
    assert Membership.objects.get(pk=mine.pk).role == Role.VIEWER


def test_it_refuses_to_revoke_the_last_admin_even_for_a_superuser(admin_a, superuser, city_a):
    membership = Membership.objects.get(user=admin_a, authority=city_a)
    with pytest.raises(ValidationError, match="last administrator"):
        membership_revoke(membership=membership, by=superuser)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_admin_revokes_a_member_and_keeps_the_account(admin_a, viewer_a, city_a):
    membership = Membership.objects.get(user=viewer_a, authority=city_a)
    membership_revoke(membership=membership, by=admin_a)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    viewer_a.refresh_from_db()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert entry.verb == "membership revoked"
    assert entry.authority_id == city_a.pk
    assert entry.changes["role"] == ["viewer", None]


def test_an_admin_of_one_city_cannot_revoke_or_change_in_another(admin_a, officer_b, city_b):
    membership = Membership.objects.get(user=officer_b, authority=city_b)
    with pytest.raises(PermissionDenied):
        membership_revoke(membership=membership, by=admin_a)
    with pytest.raises(PermissionDenied):
        membership_change_role(membership=membership, role=Role.VIEWER, by=admin_a)
    membership.refresh_from_db()
    assert membership.role == Role.OFFICER
    assert not AuditEntry.objects.exists()


def test_a_tampered_authority_on_the_membership_is_not_trusted(admin_a, admin_b, city_a, city_b):
    """The service reads the authority from the database, not from the object it is given."""
    membership = Membership.objects.get(user=admin_b, authority=city_b)
    membership.authority = city_a
    with pytest.raises(PermissionDenied):
        membership_change_role(membership=membership, role=Role.VIEWER, by=admin_a)
    assert Membership.objects.get(user=admin_b).role == Role.ADMIN
