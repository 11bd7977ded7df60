"""The user and membership pages of the back office, for administrators of two cities."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jumelage.accounts.models import Membership, Role, User
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.audit.models import AuditEntry

USERS = reverse("admin:accounts_user_changelist")
USER_ADD = reverse("admin:accounts_user_add")
MEMBERSHIPS = reverse("admin:accounts_membership_changelist")
MEMBERSHIP_ADD = reverse("admin:accounts_membership_add")


def user_url(user):
    return reverse("admin:accounts_user_change", args=(user.pk,))


def membership_url(membership):
    return reverse("admin:accounts_membership_change", args=(membership.pk,))


@pytest.fixture
def admin_b(city_b):
    user = UserFactory(username="admin_b")
    MembershipFactory(user=user, authority=city_b, role=Role.ADMIN)
    return user


@pytest.fixture
def as_admin_a(client, admin_a):
    client.force_login(admin_a)
    return client


def _membership(user, authority):
    return Membership.objects.get(user=user, authority=authority)


# --- Users --------------------------------------------------------------------------------


def test_an_admin_lists_only_the_members_of_their_city(as_admin_a, officer_a, officer_b):
    response = as_admin_a.get(USERS)
    assert response.status_code == 200
    names = {user.username for user in response.context["cl"].result_list}
    assert names == {"admin_a", "officer_a"}


def test_an_admin_cannot_open_another_citys_user(as_admin_a, officer_b):
    response = as_admin_a.get(user_url(officer_b))
    assert response.status_code == 302
    assert "officer_b" not in as_admin_a.get(response.url).content.decode()


def test_an_officer_has_no_user_pages(client, officer_a):
    client.force_login(officer_a)
    assert client.get(USERS).status_code == 403
    assert client.get(USER_ADD).status_code == 403


def test_a_posted_superuser_flag_is_ignored(as_admin_a, officer_a):
    response = as_admin_a.post(
        user_url(officer_a),
        {
            "username": "officer_a",
            "first_name": "Olga",
            "email": "officer_a@example.org",
            "language": "fr",
            "is_active": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302, response.content
    officer_a.refresh_from_db()
    assert officer_a.first_name == "Olga"
    assert not officer_a.is_superuser
    assert AuditEntry.objects.get(verb="user account changed").changes == {
        "first_name": ["", "Olga"]
    }


def test_an_account_shared_with_another_city_is_read_only(as_admin_a, officer_b, city_a):
    MembershipFactory(user=officer_b, authority=city_a, role=Role.VIEWER)
    response = as_admin_a.get(user_url(officer_b))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    # Its roles elsewhere stay hidden: only the administrator's authority shows.
    assert "Ville B" not in response.content.decode()
    password_url = reverse("admin:auth_user_password_change", args=(officer_b.pk,))
    response = as_admin_a.post(
        password_url, {"password1": "taken-Over-2024", "password2": "taken-Over-2024"}
    )
    assert response.status_code == 403
    officer_b.refresh_from_db()
    assert officer_b.check_password("pw")


def test_an_admin_invites_a_user_into_their_city(as_admin_a, city_a):
    response = as_admin_a.post(
        USER_ADD,
        {"username": "newcomer", "language": "fr", "authority": city_a.pk, "role": "officer"},
    )
    assert response.status_code == 302, response.content
    user = User.objects.get(username="newcomer")
    assert user.is_staff and not user.has_usable_password()
    assert _membership(user, city_a).role == Role.OFFICER
    assert response.url == user_url(user)


def test_inviting_into_another_city_is_refused(as_admin_a, city_b):
    response = as_admin_a.post(
        USER_ADD,
        {"username": "mole", "language": "fr", "authority": city_b.pk, "role": "admin"},
    )
    assert response.status_code == 200
    assert "authority" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="mole").exists()


def test_an_admin_sets_a_members_password_through_the_service(as_admin_a, officer_a, client):
    password_url = reverse("admin:auth_user_password_change", args=(officer_a.pk,))
    response = as_admin_a.post(
        password_url,
        {"usable_password": "true", "password1": "new-Sturdy-99", "password2": "new-Sturdy-99"},
    )
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password("new-Sturdy-99")
    assert AuditEntry.objects.filter(verb="password changed", object_id=str(officer_a.pk))


# --- Memberships --------------------------------------------------------------------------


def test_members_read_their_citys_memberships_only(client, viewer_a, officer_a, officer_b):
    client.force_login(viewer_a)
    response = client.get(MEMBERSHIPS)
    assert response.status_code == 200
    shown = {m.user.username for m in response.context["cl"].result_list}
    assert shown == {"viewer_a", "officer_a"}
    assert not response.context["has_add_permission"]
    assert client.get(MEMBERSHIP_ADD).status_code == 403


def test_an_admin_cannot_see_or_change_another_citys_membership(as_admin_a, admin_b, city_b):
    membership = _membership(admin_b, city_b)
    assert as_admin_a.get(membership_url(membership)).status_code == 302
    response = as_admin_a.post(membership_url(membership), {"role": "viewer"})
    assert response.status_code == 302
    delete_url = reverse("admin:accounts_membership_delete", args=(membership.pk,))
    as_admin_a.post(delete_url, {"post": "yes"})
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    names = {m.user.username for m in as_admin_a.get(MEMBERSHIPS).context["cl"].result_list}
    assert "admin_b" not in names


def test_a_tampered_authority_on_a_new_membership_is_refused(as_admin_a, officer_a, city_b):
    response = as_admin_a.post(
        MEMBERSHIP_ADD, {"user": officer_a.pk, "authority": city_b.pk, "role": "admin"}
    )
    assert response.status_code == 200
    assert "authority" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(authority=city_b).exists()


def test_a_tampered_authority_on_a_change_is_ignored(as_admin_a, viewer_a, city_a, city_b):
    membership = _membership(viewer_a, city_a)
    response = as_admin_a.post(
        membership_url(membership),
        {"user": viewer_a.pk, "authority": city_b.pk, "role": "officer"},
    )
    assert response.status_code == 302, response.content
    membership.refresh_from_db()
    assert (membership.authority_id, membership.role) == (city_a.pk, Role.OFFICER)


def test_an_admin_of_two_cities_gives_a_member_a_role_in_the_other(
    client, admin_a, officer_a, city_a, city_b
):
    MembershipFactory(user=admin_a, authority=city_b, role=Role.ADMIN)
    client.force_login(admin_a)
    response = client.post(
        MEMBERSHIP_ADD, {"user": officer_a.pk, "authority": city_b.pk, "role": "viewer"}
    )
    assert response.status_code == 302, response.content
    assert _membership(officer_a, city_b).role == Role.VIEWER
    assert AuditEntry.objects.get(verb="membership granted").authority_id == city_b.pk


def test_the_form_refuses_to_demote_the_last_admin(as_admin_a, admin_a, city_a):
    membership = _membership(admin_a, city_a)
    response = as_admin_a.post(
        membership_url(membership), {"user": admin_a.pk, "authority": city_a.pk, "role": "viewer"}
    )
    assert response.status_code == 200
    assert "last administrator" in str(response.context["adminform"].form.errors)
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_deleting_the_last_admin_is_refused_with_a_message(as_admin_a, admin_a, city_a):
    membership = _membership(admin_a, city_a)
    delete_url = reverse("admin:accounts_membership_delete", args=(membership.pk,))
    response = as_admin_a.post(delete_url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "last administrator" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- Query counts -------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [USERS, MEMBERSHIPS])
def test_the_lists_take_as_many_queries_for_10_rows_as_for_1(
    as_admin_a, django_assert_num_queries, url, city_a, city_b
):
    """Names of users and authorities come with the rows, not one query per row. The count is
    compared, not written down: the menu costs queries per registered page."""
    one = _queries(as_admin_a, url)
    for index in range(9):
        user = UserFactory(username=f"member{index}")
        MembershipFactory(user=user, authority=city_a, role=Role.VIEWER)
        MembershipFactory(user=user, authority=city_b, role=Role.VIEWER)
    with django_assert_num_queries(one):
        response = as_admin_a.get(url)
    assert len(response.context["cl"].result_list) == 10
