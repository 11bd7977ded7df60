"""The audit log pages: who reads which entries, nothing writable, readable changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jumelage.accounts.tests.factories import UserFactory
from jumelage.audit.models import AuditEntry
from jumelage.audit.tests.factories import AuditEntryFactory

LOG = reverse("admin:audit_auditentry_changelist")


def entry_url(entry):
    return reverse("admin:audit_auditentry_change", args=(entry.pk,))


def shown(client, url=LOG):
    response = client.get(url)
    assert response.status_code == 200
    return {entry.object_repr for entry in response.context["cl"].result_list}


@pytest.fixture
def entries(city_a, city_b):
    return {
        "a": AuditEntryFactory(authority=city_a, object_repr="Hackney"),
        "b": AuditEntryFactory(authority=city_b, object_repr="Villach"),
        "shared": AuditEntryFactory(
            authority=None, model="partners.authority", object_repr="Holon"
        ),
    }


def test_a_member_reads_their_authoritys_entries_only(client, viewer_a, entries):
    client.force_login(viewer_a)
    assert shown(client) == {"Hackney"}
    assert client.get(entry_url(entries["a"])).status_code == 200
    assert client.get(entry_url(entries["b"])).status_code == 302
    assert client.get(entry_url(entries["shared"])).status_code == 302


def test_the_other_city_reads_its_own(client, officer_b, entries):
    client.force_login(officer_b)
    assert shown(client) == {"Villach"}


def test_shared_directory_entries_are_for_superusers(client, entries):
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert shown(client) == {"Hackney", "Villach", "Holon"}


def test_a_user_of_no_authority_reads_nothing(client, outsider, entries):
    client.force_login(outsider)
    assert client.get(LOG).status_code == 403


def test_nobody_adds_changes_or_deletes_an_entry(client, entries):
    client.force_login(UserFactory(username="root", is_superuser=True))
    entry = entries["a"]
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    client.post(entry_url(entry), {"object_repr": "Forged", "action": "delete"})
    delete_url = reverse("admin:audit_auditentry_delete", args=(entry.pk,))
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.object_repr == "Hackney"
    assert AuditEntry.objects.count() == 3


def test_the_changes_read_as_a_before_and_after_table(client, officer_a, city_a):
    entry = AuditEntryFactory(
        authority=city_a,
        changes={"status": ["active", "dormant"], "is_public": [False, True], "partner_id": [3, 4]},
    )
    client.force_login(officer_a)
    page = client.get(entry_url(entry)).content.decode()  # in English, as the test runs
    assert "<th>status</th><td>active</td><td>dormant</td>" in page
    assert "<th>published</th><td>no</td><td>yes</td>" in page
    assert "<th>partner authority</th><td>#3</td><td>#4</td>" in page


def test_filters_and_search_narrow_the_list(client, officer_a, city_a):
    AuditEntryFactory(authority=city_a, action="create", object_repr="Kragujevac")
    AuditEntryFactory(authority=city_a, model="projects.project", object_repr="Cap-Haïtien")
    client.force_login(officer_a)
    assert shown(client, f"{LOG}?action=create") == {"Kragujevac"}
    assert shown(client, f"{LOG}?model=projects.project") == {"Cap-Haïtien"}
    assert shown(client, f"{LOG}?q=Krag") == {"Kragujevac"}


def _log_queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LOG).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["officer_a", "superuser"])
def test_the_list_takes_as_many_queries_for_10_entries_as_for_1(
    request, client, django_assert_num_queries, persona, city_a, city_b
):
    """Users, authorities and record types are read with the entries, not one per row.

    The count is compared, not written down: the menu beside the list costs a few queries
    per registered admin page, and other apps add pages.
    """
    if persona == "superuser":
        user = UserFactory(username="root", is_superuser=True)
    else:
        user = request.getfixturevalue(persona)
    client.force_login(user)
    AuditEntryFactory(authority=city_a)
    one = _log_queries(client)
    for index in range(9):
        AuditEntryFactory(
            authority=city_a if index % 2 else city_b,
            model="projects.project" if index % 3 else "partners.partnership",
            user=UserFactory(),
        )
    cache.clear()  # a superuser's record types are kept a minute: read them again
    with django_assert_num_queries(one):
        response = client.get(LOG)
    expected = 10 if persona == "superuser" else 5
    assert len(response.context["cl"].result_list) == expected


def test_a_superusers_list_reads_the_whole_logs_record_types_once_a_minute(client, city_a):
    client.force_login(UserFactory(username="root", is_superuser=True))
    AuditEntryFactory(authority=city_a, model="partners.partnership")
    first = _log_queries(client)
    assert _log_queries(client) == first - 1  # the types kept, not read again
    cache.clear()
    assert _log_queries(client) == first
