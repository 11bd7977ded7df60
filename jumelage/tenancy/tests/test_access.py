"""The one "may write" rule (tenancy.access), as every page, queryset and service asks it."""

from jumelage.accounts.models import Membership, Role
from jumelage.accounts.tests.factories import UserFactory
from jumelage.partners.models import Partnership
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.tenancy.access import (
    may_read_national_reports,
    may_write,
    may_write_somewhere,
    roles_of,
)
from jumelage.tenancy.models import CONTENT_WRITE_ROLES, WRITE_ROLES


def test_a_role_writes_only_in_its_own_authority(
    officer_a, viewer_a, contributor_a, city_a, city_b
):
    assert may_write(officer_a, city_a.pk, WRITE_ROLES)
    assert not may_write(officer_a, city_b.pk, WRITE_ROLES)
    assert not may_write(viewer_a, city_a.pk, CONTENT_WRITE_ROLES)
    assert not may_write(contributor_a, city_a.pk, WRITE_ROLES)
    assert may_write(contributor_a, city_a.pk, CONTENT_WRITE_ROLES)
    assert not may_write(officer_a, None, WRITE_ROLES)


def test_a_superuser_writes_everywhere_and_an_inactive_user_nowhere(city_a, officer_a):
    assert may_write(UserFactory(username="root", is_superuser=True), city_a.pk, WRITE_ROLES)
    officer_a.is_active = False
    assert not may_write(officer_a, city_a.pk, WRITE_ROLES)
    assert not may_write_somewhere(officer_a, WRITE_ROLES)


def test_the_write_path_reads_roles_afresh_the_pages_once(officer_a, city_a):
    assert roles_of(officer_a) == {city_a.pk: Role.OFFICER}
    Membership.objects.filter(user=officer_a).update(role=Role.VIEWER)
    assert may_write(officer_a, city_a.pk, WRITE_ROLES)  # this request's menus
    assert not may_write(officer_a, city_a.pk, WRITE_ROLES, fresh=True)  # a write


def test_querysets_follow_the_same_rule(officer_a, viewer_a, city_a, city_b):
    mine = PartnershipFactory(authority=city_a)
    PartnershipFactory(authority=city_b)
    assert list(Partnership.objects.writable_by(officer_a)) == [mine]
    assert list(Partnership.objects.writable_by(viewer_a)) == []
    assert list(Partnership.objects.for_user(viewer_a)) == [mine]


def test_national_reports_are_for_superusers_and_marked_readers_only(
    admin_a, officer_a, officer_b, city_a
):
    from django.contrib.auth.models import AnonymousUser

    reader = UserFactory(username="ministry", reads_national_reports=True)
    assert may_read_national_reports(reader)  # a member of no authority
    assert may_read_national_reports(UserFactory(username="root", is_superuser=True))
    # A member of both authorities, even their administrator, is no national reader.
    Membership.objects.create(user=admin_a, authority=officer_b.memberships.get().authority)
    for user in (admin_a, officer_a, AnonymousUser()):
        assert not may_read_national_reports(user)
    reader.is_active = False
    assert not may_read_national_reports(reader)
