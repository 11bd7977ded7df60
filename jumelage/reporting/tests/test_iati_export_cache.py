"""The IATI file written chunk by chunk, and kept in the cache for the public address: the
same bytes and the same report as the activity-by-activity writer it replaced, whether the
chunks are built or read back; a write through the services makes them be built again."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.cache import cache
from django.utils import timezone
from lxml import etree

from jumelage.core.cache import bump
from jumelage.projects.models import Project
from jumelage.reporting.iati import export
from jumelage.reporting.iati.export import (
    ExportReport,
    iter_activities_xml,
    valid_activities,
    write_activities,
)
from jumelage.reporting.iati.reference import IATI_VERSION
from jumelage.reporting.tests.factories import full_project

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 30, 9, 15, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 6, 30)
BASE = "https://jumelage.example.org/"


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch):
    monkeypatch.setattr(export.timezone, "now", lambda: NOW)


def reference_file(member) -> tuple[bytes, ExportReport]:
    """The file as the export wrote it before chunks: each valid activity written by xmlfile
    as it came (the code of that version, kept here as the reference)."""
    report = ExportReport(authority=member.authority.name)
    activities = valid_activities(member, report, base_url=BASE, today=TODAY)
    first = next(activities, None)
    out = io.BytesIO()
    if first is None:
        return b"", report
    generated = timezone.now().astimezone(datetime.UTC).replace(microsecond=0).isoformat()
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(
            "iati-activities", {"version": IATI_VERSION, "generated-datetime": generated}
        ):
            xf.write("\n")
            for activity in [first, *activities]:
                xf.write(activity, pretty_print=True)
                xf.flush()
    return out.getvalue(), report


def chunked_file(member, **options) -> tuple[bytes, ExportReport]:
    report = ExportReport(authority=member.authority.name)
    data = b"".join(iter_activities_xml(member, report, base_url=BASE, today=TODAY, **options))
    return data, report


@pytest.fixture
def projects(city_a):
    """Five projects: three valid, one broken (left out), one reusing an identifier."""
    made = [full_project(city_a) for _ in range(2)]
    made.append(full_project(city_a, iati_identifier="FR-RCS-123456789-EAU"))
    broken = full_project(city_a)
    broken.sectors.all().delete()
    full_project(city_a, iati_identifier="FR-RCS-123456789-EAU")  # across chunks of 1 and 2
    return made


@pytest.mark.parametrize("chunk_size", [1, 2, 200])
@pytest.mark.parametrize("cached", [False, True])
def test_the_file_has_the_bytes_and_report_of_the_writer_it_replaced(
    city_a, projects, chunk_size, cached
):
    expected, expected_report = reference_file(city_a)
    assert expected.count(b"<iati-activity") == 3
    for _ in range(2):  # built, then (cached) read back
        data, report = chunked_file(city_a, chunk_size=chunk_size, cached=cached)
        assert data == expected
        assert report == expected_report
        assert report.exported == 3
        assert len(report.excluded) == 2


def test_write_activities_writes_the_same_file(city_a, projects):
    expected, expected_report = reference_file(city_a)
    out = io.BytesIO()
    report = write_activities(city_a, out, base_url=BASE, today=TODAY)
    assert out.getvalue() == expected
    assert report == expected_report


def test_a_file_read_back_from_the_cache_runs_no_query(city_a, projects, django_assert_num_queries):
    chunked_file(city_a, cached=True)
    with django_assert_num_queries(0):
        data, _report = chunked_file(city_a, cached=True)
    assert data.count(b"<iati-activity") == 3


def test_a_file_not_kept_in_the_cache_runs_the_export_queries_once_a_chunk(
    city_a, projects, django_assert_num_queries
):
    # The ODA lists, the member's page generations, then a chunk: its projects and the
    # prefetches (sectors, countries, transactions, plans, expense and resource lines,
    # results, indicators, periods, documents, actor roles, partnerships).
    with django_assert_num_queries(15):
        chunked_file(city_a, cached=True)


def test_a_write_through_the_services_makes_the_file_be_built_again(city_a, projects):
    before, _report = chunked_file(city_a, cached=True)
    Project.objects.filter(pk=projects[1].pk).update(title={"fr": "Eau potable"})
    assert chunked_file(city_a, cached=True)[0] == before  # written around the services
    bump(city_a.pk)  # what the services do once a write of Ville A has committed
    after, _report = chunked_file(city_a, cached=True)
    assert b"Eau potable" in after
    assert after == reference_file(city_a)[0]


def test_a_write_of_the_directory_makes_the_file_be_built_again(city_a, projects):
    chunked_file(city_a, cached=True)
    city_a.authority.name = "Ville A renommée"
    city_a.authority.save()
    bump()  # the directory's generation: names of authorities, reference data
    assert b"Ville A renomm" in chunked_file(city_a, cached=True)[0]


def test_another_authoritys_write_leaves_the_file_in_the_cache(
    city_a, city_b, projects, django_assert_num_queries
):
    chunked_file(city_a, cached=True)
    bump(city_b.pk)
    with django_assert_num_queries(0):
        chunked_file(city_a, cached=True)


def test_the_chunks_of_another_day_are_not_read(city_a, projects):
    chunked_file(city_a, cached=True)
    report = ExportReport(authority=city_a.authority.name)
    later = b"".join(
        iter_activities_xml(
            city_a, report, base_url=BASE, today=TODAY + datetime.timedelta(days=1), cached=True
        )
    )
    assert later  # built for that day, not read from the cache of the day before
    assert report.exported == 3


def test_a_chunk_gone_from_the_cache_is_built_again_in_its_place(city_a, projects):
    expected, _report = reference_file(city_a)
    chunked_file(city_a, chunk_size=1, cached=True)
    keys = [k for k in cache._cache if ":iati-export:" in k]  # the test's in-memory cache
    gone = keys[len(keys) // 2].split(":", 2)[-1]  # without the backend's version prefix
    assert cache.get(gone) is not None
    cache.delete(gone)
    assert chunked_file(city_a, chunk_size=1, cached=True)[0] == expected


def test_nothing_is_written_when_no_activity_is_valid(city_a):
    broken = full_project(city_a)
    broken.sectors.all().delete()
    for cached in (False, True, True):
        data, report = chunked_file(city_a, cached=cached)
        assert data == b""
        assert len(report.excluded) == 1


@pytest.mark.parametrize("cached", [False, True])
def test_memory_stays_flat_when_the_file_grows_by_whole_chunks(city_a, cached):
    """The peak is one chunk's worth, whatever the number of chunks (here chunks of 2: two
    chunks, then six; the first chunk of a file also pays for reading the reference lists)."""
    import tracemalloc

    def peak() -> int:
        chunked_file(city_a, chunk_size=2, cached=cached)  # built (and kept, when cached)
        tracemalloc.start()
        try:
            for _piece in iter_activities_xml(
                city_a, base_url=BASE, today=TODAY, chunk_size=2, cached=cached
            ):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    for _ in range(4):
        full_project(city_a)
    small = peak()
    for _ in range(8):
        full_project(city_a)
    bump(city_a.pk)
    large = peak()
    assert large < 1.5 * small
