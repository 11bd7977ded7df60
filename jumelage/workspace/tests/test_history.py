"""The authority's history page: its audit entries newest first, a page at a time by keyset,
filtered by kind of record, each naming its record and linking to its workspace page when it
has one. Another authority's entries never show and its history is a 404; a viewer reads it;
the page costs the same queries whatever the size of the audit log."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from jumelage.audit.models import AuditEntry
from jumelage.audit.tests.factories import AuditEntryFactory
from jumelage.core.formats import long_date
from jumelage.projects.models import Project
from jumelage.projects.tests.factories import ProjectFactory
from jumelage.workspace.pages.history import PER_PAGE
from jumelage.workspace.selectors import payment_url

pytestmark = pytest.mark.django_db

URL = "/en/workspace/ville-a/history/"


def entries(member, count, **fields):
    made = AuditEntryFactory.create_batch(count, authority=member, **fields)
    # Distinct times, one minute apart, the last made the newest.
    start = timezone.now() - datetime.timedelta(days=1)
    for n, entry in enumerate(made):
        AuditEntry.objects.filter(pk=entry.pk).update(at=start + datetime.timedelta(minutes=n))
    return made


def read(client, user, url=URL) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def older_link(page: str) -> str | None:
    found = re.search(r'href="([^"]*before=[^"]*)">Older changes', page)
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_history_lists_the_authoritys_changes_newest_first(client, city_a, city_b, officer_a):
    project = ProjectFactory(authority=city_a)
    entries(city_a, 1, model="projects.project", object_id=str(project.pk), object_repr="Wells")
    entries(city_a, 1, model="projects.transaction", object_id="41", object_repr="Payment 41")
    entries(city_a, 1, model="agreements.agreement", object_id="7", object_repr="Charter")
    AuditEntryFactory(authority=city_b, object_repr="Secret of city B")

    page = read(client, officer_a)

    assert "Secret of city B" not in page
    assert page.index("Charter") < page.index("Payment 41") < page.index("Wells")
    assert f'<a href="{reverse("workspace:project", args=[city_a.slug, project.pk])}">Wells' in page
    assert f'<a href="{payment_url(city_a, 41)}">Payment 41' in page
    assert '<a href="/en/admin/agreements/agreement/7/change/">Charter' in page  # no page yet


def test_a_deleted_record_is_named_without_a_link(client, city_a, officer_a):
    entries(
        city_a,
        1,
        model="projects.project",
        object_id="9",
        object_repr="Gone",
        action=AuditEntry.Action.DELETE,
    )
    page = read(client, officer_a)
    assert "Gone" in page and '">Gone<' not in page


def test_the_home_links_to_the_history(client, city_a, officer_a):
    entries(city_a, 1)
    home = read(client, officer_a, "/en/workspace/ville-a/")
    assert f'href="{URL}">See the whole history' in home
    assert "/admin/audit/" not in home


def test_another_authoritys_history_is_a_404_and_a_viewer_reads_it(
    client, city_a, officer_b, viewer_a, outsider
):
    entries(city_a, 1, object_repr="Ours")
    for user in (officer_b, outsider):
        client.force_login(user)
        assert client.get(URL).status_code == 404
    assert "Ours" in read(client, viewer_a)


def test_pages_follow_one_another_by_keyset_without_gap_or_repeat(client, city_a, officer_a):
    total = PER_PAGE * 2 + 7
    made = entries(city_a, total)
    # Two entries at the same instant, on each side of a page's end: the id breaks the tie.
    same = AuditEntry.objects.get(pk=made[total - PER_PAGE].pk).at
    AuditEntry.objects.filter(pk=made[total - PER_PAGE - 1].pk).update(at=same)
    client.force_login(officer_a)
    seen: list[str] = []
    url: str | None = URL
    pages = 0
    while url:
        page = read(client, officer_a, url)
        seen += re.findall(r"Partenariat \d+", page)
        url = older_link(page)
        pages += 1
        if pages > 1:
            assert "Newest changes" in page
    assert pages == 3
    assert len(seen) == total and len(set(seen)) == total
    assert seen[0] == made[-1].object_repr and seen[-1] == made[0].object_repr


@pytest.mark.parametrize("cursor", ["nonsense", "2026-01-01_x", "2026-01-01T10:00:00_5", "_"])
def test_a_cursor_that_cannot_be_read_shows_the_newest_page(client, city_a, officer_a, cursor):
    entries(city_a, 3)
    page = read(client, officer_a, f"{URL}?before={cursor}")
    assert len(re.findall(r"Partenariat \d+", page)) == 3


def test_the_filter_shows_one_kind_of_record(client, city_a, officer_a):
    entries(city_a, 2, model="projects.project", object_repr="A project")
    entries(city_a, 2, model="partners.partnership", object_repr="A partnership")
    page = read(client, officer_a, f"{URL}?kind=projects.project")
    assert "A project" in page and "A partnership" not in page
    assert '<option value="projects.project" selected>' in page
    # A kind the filter does not offer shows everything.
    page = read(client, officer_a, f"{URL}?kind=auth.user")
    assert "A project" in page and "A partnership" in page


def test_the_filter_keeps_to_its_kind_across_pages(client, city_a, officer_a):
    entries(city_a, PER_PAGE + 2, model="projects.project")
    entries(city_a, 3, model="partners.partnership", object_repr="Other kind")
    page = read(client, officer_a, f"{URL}?kind=projects.project")
    link = older_link(page)
    assert link is not None and "kind=projects.project" in link
    older = read(client, officer_a, link)
    assert "Other kind" not in older
    assert len(re.findall(r"Partenariat \d+", older)) == 2


def test_an_entry_names_its_record_in_french(client, city_a, officer_a):
    project = ProjectFactory(authority=city_a)
    (entry,) = entries(city_a, 1, model="projects.project", object_id=str(project.pk))
    client.force_login(officer_a)
    with translation.override("fr"):
        page = client.get(reverse("workspace:history", args=[city_a.slug])).content.decode()
        kind = str(Project._meta.verbose_name)
        when = long_date(AuditEntry.objects.get(pk=entry.pk).at, "DATETIME_FORMAT")
    assert f"({kind})" in page
    assert when in page


def test_a_change_made_just_before_midnight_utc_is_dated_on_its_local_day(
    client, city_a, officer_a, settings
):
    settings.TIME_ZONE = "Europe/Paris"
    (entry,) = entries(city_a, 1)
    # 23:30 UTC on 31 December 2025 is 00:30 on 1 January 2026 in Paris.
    at = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)
    AuditEntry.objects.filter(pk=entry.pk).update(at=at)
    client.force_login(officer_a)
    with translation.override("fr"):
        page = client.get(reverse("workspace:history", args=[city_a.slug])).content.decode()
    assert "1er janvier 2026 00:30" in page
    assert "31 décembre 2025" not in page
    assert "Jan. 1, 2026, 12:30 a.m." in read(client, officer_a)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_history_costs_the_same_queries_whatever_its_size(
    client, city_a, city_b, officer_a, django_assert_num_queries
):
    client.force_login(officer_a)
    client.get(URL)
    entries(city_a, 3)
    small = queries(client, URL)
    entries(city_a, PER_PAGE * 3)
    entries(city_b, 20)
    with django_assert_num_queries(small):
        page = client.get(URL)
    assert older_link(page.content.decode())
    # Pinned: the session and user, the seat (2), the menu's national-reports rule, the
    # register entries the authority uses, its own entries and theirs with their users (never a
    # count). A new query shows here.
    assert small == 7, small
