"""The IATI check kept for the workspace's home: run by the queue after a write, never in the
officer's request; the home shows the last result (with its time while a new one is made), in
a number of queries that does not depend on how many projects the authority publishes."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from jumelage.core.cache import bump
from jumelage.core.tests.factories import CountryFactory, OdaEligibilityFactory
from jumelage.reporting.iati.checks import (
    data_key,
    from_json,
    keep,
    last_check,
    refresh_check,
    to_json,
)
from jumelage.reporting.iati.export import ExportReport, check_export
from jumelage.reporting.models import IatiCheck
from jumelage.reporting.tests.factories import full_project

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"


@pytest.fixture(autouse=True)
def oecd_lists():
    """The OECD's lists of the years the projects run: their flows can be said to be ODA."""
    for year in (2025, 2026):
        OdaEligibilityFactory(country=CountryFactory(code="HT"), year=year)
        OdaEligibilityFactory(country=CountryFactory(code="RS"), year=year, income_group="UMIC")


@pytest.fixture
def queue(settings, monkeypatch):
    """The database queue, as `make run` has it, with no worker running until the test runs
    one."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return settings


def broken_project(member):
    project = full_project(member, title={"en": "No sector"})
    project.sectors.all().delete()
    return project


def test_the_result_goes_to_json_and_back_as_it_was(city_a):
    full_project(city_a)
    broken_project(city_a)
    report = check_export(city_a, base_url=BASE, today=timezone.localdate())
    assert report.exported == 1 and len(report.excluded) == 1

    again = from_json(to_json(report))

    assert again == report
    assert again.excluded[0].problems and all(
        isinstance(p, str) for p in again.excluded[0].problems
    )


def test_without_a_worker_the_check_waits_in_the_queue_and_the_home_says_so(
    client, city_a, officer_a, queue
):
    broken_project(city_a)
    client.force_login(officer_a)

    page = client.get("/en/workspace/ville-a/").content.decode()

    assert "Being checked" in page
    assert "Your published projects are being checked" in page
    assert "Complete “No sector” for the IATI file" not in page  # not known yet
    assert DBTaskResult.objects.count() == 1
    client.get("/en/workspace/ville-a/")
    assert DBTaskResult.objects.count() == 1  # asked once for the same data

    call_command("worker", batch=True, verbosity=0)

    page = client.get("/en/workspace/ville-a/").content.decode()
    assert "Complete “No sector” for the IATI file" in page
    assert "Being checked" not in page
    check = IatiCheck.objects.get()
    assert (check.authority_id, check.language) == (city_a.pk, "en")


def test_after_a_write_the_home_shows_the_last_result_with_its_time_and_checks_again(
    client, city_a, officer_a, queue
):
    broken = broken_project(city_a)
    client.force_login(officer_a)
    client.get("/en/workspace/ville-a/")
    call_command("worker", batch=True, verbosity=0)
    checked_at = IatiCheck.objects.get().checked_at

    broken.sectors.create(vocabulary="1", code="15150", percentage=100)
    bump(city_a.pk)  # what every service does once its write commits
    page = client.get("/en/workspace/ville-a/").content.decode()

    # The last result, said to be older than the latest changes.
    assert "Complete “No sector” for the IATI file" in page
    local = timezone.localtime(checked_at)
    assert f"Checked on {local:%m/%d/%Y} at" in page
    assert "your latest changes are being checked." in page
    assert DBTaskResult.objects.count() == 2

    call_command("worker", batch=True, verbosity=0)

    page = client.get("/en/workspace/ville-a/").content.decode()
    assert "Complete “No sector”" not in page
    assert "your latest changes are being checked" not in page
    assert "1 published project." in page and "Up to date" in page


def test_a_queue_that_runs_tasks_at_once_shows_the_new_result_in_the_same_visit(
    client, city_a, officer_a
):
    # The tests' queue (conftest) runs each task when it is asked for, as a shell would.
    broken_project(city_a)
    client.force_login(officer_a)
    page = client.get("/en/workspace/ville-a/").content.decode()
    assert "Complete “No sector” for the IATI file" in page
    assert "Being checked" not in page


def test_the_home_reads_the_kept_check_in_the_same_queries_whatever_the_size(
    client, city_a, officer_a, queue
):
    client.force_login(officer_a)
    url = "/en/workspace/ville-a/"

    def cold_visit() -> int:
        call_command("worker", batch=True, verbosity=0)  # the result is kept
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    full_project(city_a)
    client.get(url)
    small = cold_visit()
    for _ in range(5):
        full_project(city_a)
        broken_project(city_a)
    bump(city_a.pk)
    client.get(url)
    assert cold_visit() == small
    assert "5 left out" in client.get(url).content.decode()


def test_each_authority_sees_its_own_check(client, city_a, city_b, officer_a, officer_b):
    broken_project(city_a)
    full_project(city_b)
    client.force_login(officer_b)
    page = client.get("/en/workspace/ville-b/").content.decode()
    assert "No sector" not in page
    assert "1 published project." in page
    client.force_login(officer_a)
    assert "Complete “No sector”" in client.get("/en/workspace/ville-a/").content.decode()
    assert IatiCheck.objects.filter(authority=city_b).count() == 1


def test_the_check_page_keeps_what_it_found_for_the_home(client, city_a, officer_a, queue):
    broken_project(city_a)
    client.force_login(officer_a)
    page = client.get(reverse("reporting:iati_check", args=["ville-a"]))
    assert page.status_code == 200 and "No sector" in page.content.decode()

    home = client.get("/en/workspace/ville-a/").content.decode()

    assert "Complete “No sector” for the IATI file" in home
    assert DBTaskResult.objects.count() == 0  # nothing left to check


def test_a_result_kept_for_other_data_is_not_current(city_a, queue):
    report = check_export(city_a, base_url=BASE, today=timezone.localdate())
    keep(
        city_a.pk,
        report,
        key=data_key(city_a.pk, timezone.localdate()),
        language="en",
        base_url=BASE,
    )
    assert last_check(city_a, base_url=BASE, today=timezone.localdate()).current
    # Another day, another language or another site address: not this result.
    assert not last_check(
        city_a, base_url=BASE, today=timezone.localdate() + datetime.timedelta(days=1)
    ).current
    assert (
        last_check(city_a, base_url="http://elsewhere/", today=timezone.localdate()).report is None
    )


def test_the_task_checks_the_data_as_it_is_when_it_runs(city_a):
    broken = broken_project(city_a)
    broken.sectors.create(vocabulary="1", code="15150", percentage=100)
    refresh_check.call(city_a.pk, "en", BASE, timezone.localdate().isoformat())
    last = last_check(city_a, base_url=BASE, today=timezone.localdate())
    assert last.current and last.report is not None
    assert (last.report.exported, last.report.excluded) == (1, [])


def test_a_removed_authority_is_not_checked(city_a):
    pk = city_a.pk
    refresh_check.call(pk + 1000, "en", BASE, timezone.localdate().isoformat())
    assert not IatiCheck.objects.exists()


def test_a_task_finds_the_data_already_checked_and_does_nothing(city_a, monkeypatch):
    from jumelage.reporting.iati import checks

    broken_project(city_a)
    today = timezone.localdate().isoformat()
    refresh_check.call(city_a.pk, "en", BASE, today)
    runs = []
    monkeypatch.setattr(
        checks, "check_export", lambda *a, **k: runs.append(1) or ExportReport(authority="A")
    )
    # Two visits after one write asked twice (their markers expired): the second task finds
    # the first one's result current.
    refresh_check.call(city_a.pk, "en", BASE, today)
    assert runs == []
    bump(city_a.pk)
    refresh_check.call(city_a.pk, "en", BASE, today)
    assert runs == [1]  # data changed since: checked again
