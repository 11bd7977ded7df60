"""The latest changes of an authority, for its workspace's home."""

from jumelage.audit.selectors import recent_changes
from jumelage.audit.tests.factories import AuditEntryFactory


def test_the_latest_changes_of_the_authority_come_newest_first(
    city_a, city_b, officer_a, django_assert_num_queries
):
    entries = [AuditEntryFactory(authority=city_a) for _ in range(4)]
    AuditEntryFactory(authority=city_b)
    with django_assert_num_queries(1):
        found = recent_changes(user=officer_a, member=city_a, limit=3)
        assert [entry.user.username for entry in found]  # users read in the same query
    assert found == entries[:0:-1]


def test_another_authoritys_changes_are_never_read(city_a, city_b, officer_b):
    AuditEntryFactory(authority=city_a)
    assert recent_changes(user=officer_b, member=city_a) == []
