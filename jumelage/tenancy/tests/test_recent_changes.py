"""An authority's changes, for its workspace's home and history: its own records' entries and
those of the shared register's entries it uses, newest first, read as two short questions
merged (never a walk through the rest of the country's log)."""

import datetime

import pytest
from django.utils import timezone

from jumelage.accounts.tests.factories import UserFactory
from jumelage.audit.models import AuditEntry
from jumelage.audit.tests.factories import AuditEntryFactory
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.tenancy.history.selectors import authority_history, recent_changes


def test_the_latest_changes_of_the_authority_come_newest_first(
    city_a, city_b, officer_a, django_assert_num_queries
):
    entries = [AuditEntryFactory(authority=city_a) for _ in range(4)]
    AuditEntryFactory(authority=city_b)
    # The register entries the authority uses, its own entries, those of the register.
    with django_assert_num_queries(3):
        found = recent_changes(user=officer_a, member=city_a, limit=3)
        assert [entry.user.username for entry in found]  # users read in the same query
    assert found == entries[:0:-1]


def test_another_authoritys_changes_are_never_read(city_a, city_b, officer_b):
    AuditEntryFactory(authority=city_a)
    assert recent_changes(user=officer_b, member=city_a) == []


def test_the_history_of_records_gathers_their_entries_in_one_query(
    city_a, city_b, officer_a, officer_b, django_assert_num_queries
):
    from jumelage.projects.tests.factories import ProjectFactory, TransactionFactory
    from jumelage.tenancy.history.selectors import history_of

    project = ProjectFactory(authority=city_a)
    payment = TransactionFactory(project=project)
    own = AuditEntryFactory(authority=city_a, model="projects.project", object_id=str(project.pk))
    part = AuditEntryFactory(
        authority=city_a, model="projects.transaction", object_id=str(payment.pk)
    )
    AuditEntryFactory(authority=city_a, model="projects.project", object_id=str(project.pk + 1))
    with django_assert_num_queries(1):
        found = history_of(user=officer_a, records=[project, payment])
    assert found == [part, own]
    assert history_of(user=officer_b, records=[project, payment]) == []


# --- The register's entries among the authority's own ---------------------------------------


def at(minutes: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=1) + datetime.timedelta(minutes=minutes)


def entry(minutes, **fields):
    made = AuditEntryFactory(**fields)
    AuditEntry.objects.filter(pk=made.pk).update(at=at(minutes))
    return AuditEntry.objects.get(pk=made.pk)


def town_change(town, minutes):
    """A change of a town of the shared register (no authority: the register's own)."""
    return entry(
        minutes,
        authority=None,
        model="partners.authority",
        object_id=str(town.pk),
        object_repr=town.name,
    )


@pytest.fixture
def towns(city_a, city_b):
    """Villach, A's twin town; Kragujevac, B's."""
    villach = ForeignAuthorityFactory(name="Villach")
    kragujevac = ForeignAuthorityFactory(name="Kragujevac")
    PartnershipFactory(authority=city_a, partner=villach)
    PartnershipFactory(authority=city_b, partner=kragujevac)
    return villach, kragujevac


def test_the_register_entries_an_authority_uses_come_among_its_own_newest_first(
    city_a, city_b, officer_a, officer_b, towns
):
    villach, kragujevac = towns
    first = entry(1, authority=city_a)
    villach_change = town_change(villach, 2)
    latest = entry(3, authority=city_a)
    kragujevac_change = town_change(kragujevac, 4)  # the newest, of a town A does not use
    b_own = entry(5, authority=city_b)

    assert authority_history(user=officer_a, member=city_a, limit=10) == [
        latest,
        villach_change,
        first,
    ]
    assert authority_history(user=officer_b, member=city_b, limit=10) == [
        b_own,
        kragujevac_change,
    ]


def test_a_member_of_another_authority_reads_nothing_of_its_history(
    city_a, city_b, officer_b, towns
):
    villach, kragujevac = towns
    entry(1, authority=city_a)
    town_change(villach, 2)
    town_change(kragujevac, 3)  # used by B, but this is A's history
    assert authority_history(user=officer_b, member=city_a, limit=10) == []


def test_pages_of_both_reads_follow_one_another_without_gap_or_repeat(
    city_a, officer_a, towns, django_assert_num_queries
):
    villach, _kragujevac = towns
    made = [
        town_change(villach, minutes) if minutes % 3 == 0 else entry(minutes, authority=city_a)
        for minutes in range(1, 12)
    ]
    # Two entries at the same instant, one of each read: the id breaks the tie.
    AuditEntry.objects.filter(pk=made[5].pk).update(at=at(7))
    expected = sorted(
        AuditEntry.objects.filter(pk__in=[m.pk for m in made]),
        key=lambda e: (e.at, e.pk),
        reverse=True,
    )
    seen: list[AuditEntry] = []
    before = None
    while True:
        with django_assert_num_queries(3):
            page = authority_history(user=officer_a, member=city_a, limit=4, before=before)
        seen += page
        if len(page) < 4:
            break
        before = (page[-1].at, page[-1].pk)
    assert seen == expected


def test_the_kind_filter_applies_to_both_reads(city_a, officer_a, towns):
    villach, _kragujevac = towns
    town = town_change(villach, 1)
    project = entry(2, authority=city_a, model="projects.project")
    entry(3, authority=city_a, model="partners.partnership")
    assert authority_history(
        user=officer_a, member=city_a, limit=10, kind="partners.authority"
    ) == [town]
    assert authority_history(user=officer_a, member=city_a, limit=10, kind="projects.project") == [
        project
    ]


def test_curators_read_the_whole_register_and_superusers_everything(city_a, towns):
    villach, kragujevac = towns
    own = entry(1, authority=city_a)
    first = town_change(villach, 2)
    second = town_change(kragujevac, 3)
    curator = UserFactory(is_curator=True)
    assert authority_history(user=curator, member=city_a, limit=10) == [second, first]
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert authority_history(user=superuser, member=city_a, limit=10) == [second, first, own]
    inactive = UserFactory(is_curator=True, is_active=False)
    assert authority_history(user=inactive, member=city_a, limit=10) == []


# --- The back office's list: the same rule, in its indexed shape ----------------------------


def test_the_back_office_list_reads_exactly_the_entries_the_rule_gives(
    city_a, city_b, officer_a, officer_b, towns
):
    from jumelage.projects.tests.factories import (
        FunderFactory,
        ProjectFactory,
        ResourceLineFactory,
    )
    from jumelage.tenancy.history.selectors import entries_for, readable_entry_ids

    villach, kragujevac = towns
    line = ResourceLineFactory(
        plan__project=ProjectFactory(authority=city_a), funder=FunderFactory(), is_own=False
    )
    funder_change = entry(1, authority=None, model="projects.funder", object_id=str(line.funder_id))
    villach_change = town_change(villach, 2)
    kragujevac_change = town_change(kragujevac, 3)
    unused = town_change(ForeignAuthorityFactory(name="Nobody's"), 4)
    own_a, own_b = entry(5, authority=city_a), entry(6, authority=city_b)
    curator = UserFactory(is_curator=True)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    users = [officer_a, officer_b, curator, superuser, UserFactory(), UserFactory(is_active=False)]

    def listed(user):
        ids = readable_entry_ids(user)
        return set(
            AuditEntry.objects.all() if ids is None else AuditEntry.objects.filter(pk__in=ids)
        )

    for user in users:
        assert listed(user) == set(entries_for(user)), user
    assert {funder_change, villach_change, own_a} <= listed(officer_a)
    assert not {kragujevac_change, unused, own_b} & listed(officer_a)
    assert unused in listed(curator) and own_a not in listed(curator)


def test_an_authoritys_history_is_the_rules_entries_of_it_and_of_the_register(
    city_a, city_b, officer_a, officer_b, towns
):
    """For a member of one authority, a curator and a superuser, `authority_history` gives
    what `entries_for` gives of this authority and of the register, in the same order."""
    from django.db.models import Q

    from jumelage.tenancy.history.selectors import entries_for

    villach, kragujevac = towns
    for minutes, made in enumerate(
        [
            lambda: entry(0, authority=city_a),
            lambda: town_change(villach, 0),
            lambda: town_change(kragujevac, 0),
            lambda: entry(0, authority=city_b),
            lambda: entry(0, authority=None, model="accounts.user"),  # not the register's
        ]
        * 2
    ):
        AuditEntry.objects.filter(pk=made().pk).update(at=at(minutes))
    curator = UserFactory(is_curator=True)
    superuser = UserFactory(is_superuser=True, is_staff=True)

    def expected(user, member):
        # A member reads an authority's history only as its member: another's shows nothing,
        # not even the register entries the reader's own authority uses.
        outsider = not user.memberships.filter(authority=member).exists()
        if outsider and not (user.is_superuser or user.is_curator):
            return []
        rule = entries_for(user).filter(Q(authority_id=member.pk) | Q(authority__isnull=True))
        return list(rule.order_by("-at", "-id"))

    for user in (officer_a, officer_b, curator, superuser):
        for member in (city_a, city_b):
            found = authority_history(user=user, member=member, limit=100)
            assert found == expected(user, member), (user, member)
    assert len(authority_history(user=officer_a, member=city_a, limit=100)) == 4
