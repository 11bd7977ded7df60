"""The latest changes of an authority, for its workspace's home."""

from jumelage.audit.tests.factories import AuditEntryFactory
from jumelage.tenancy.history.selectors import recent_changes


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
