"""A file imported again: the activities stored already with the same content are known by
their hash and not read again (no parse of their parts, no schema, codelist or rule check),
nothing is written for them, and the result says so, with the warnings recorded for them."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jumelage.reporting.iati import reader
from jumelage.reporting.models import ExternalActivity
from jumelage.reporting.services import import_iati_file
from jumelage.reporting.tests.test_iati_import import _activities

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
TABLES = ("reporting_external", "reporting_iatiorganisation")


def _import(data: bytes, **options):
    return import_iati_file(io.BytesIO(data), file_name="test.xml", **options)


def _writes(context: CaptureQueriesContext) -> list[str]:
    """The statements that wrote to the imported activities' tables."""
    return [
        q["sql"]
        for q in context.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and any(table in q["sql"] for table in TABLES)
    ]


@pytest.fixture
def reads(monkeypatch):
    """The activities the reader read in full (their parts and checks)."""
    seen: list[str] = []
    real = reader.ActivityFileReader._read_parts

    def counting(self, activity, identity):
        seen.append(identity.identifier)
        return real(self, activity, identity)

    monkeypatch.setattr(reader.ActivityFileReader, "_read_parts", counting)
    return seen


def test_an_unchanged_file_is_not_read_again_and_writes_nothing(reads):
    data = (DATA / "afd_like.xml").read_bytes()
    first = _import(data)
    assert len(reads) == 3
    reads.clear()
    stored = list(ExternalActivity.objects.order_by("pk").values())
    with CaptureQueriesContext(connection) as context:
        again = _import(data)
    assert reads == []
    assert _writes(context) == []
    assert list(ExternalActivity.objects.order_by("pk").values()) == stored
    assert (again.activities, again.created, again.updated, again.unchanged) == (3, 0, 0, 3)
    assert "3 unchanged (nothing written)" in again.summary()
    # The same warnings as the first import: those recorded with each activity.
    assert again.warnings == first.warnings


def test_only_the_changed_activity_is_read_and_written(reads):
    data = (DATA / "afd_like.xml").read_bytes()
    _import(data)
    reads.clear()
    changed = data.replace("Gestion des déchets".encode(), "Collecte des déchets".encode())
    result = _import(changed)
    assert len(reads) == 1
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    titles = [a.title.get("fr", "") for a in ExternalActivity.objects.all()]
    assert len([t for t in titles if "Collecte" in t]) == 1


def test_the_reader_reads_every_activity_when_no_one_asks_what_is_stored(reads):
    data = (DATA / "afd_like.xml").read_bytes()
    _import(data)
    reads.clear()
    parsed = list(
        reader.ActivityFileReader(
            io.BytesIO(data), max_bytes=10**7, today=datetime.date(2026, 6, 30)
        )
    )
    assert len(parsed) == len(reads) == 3
    assert not any(p.unchanged for p in parsed)


def test_a_reimport_runs_as_many_queries_for_ten_activities_as_for_two():
    def queries(count: int) -> int:
        ExternalActivity.objects.all().delete()
        data = _activities(count)
        _import(data, batch_size=10)
        with CaptureQueriesContext(connection) as context:
            result = _import(data, batch_size=10)
        assert result.unchanged == count
        return len(context.captured_queries)

    assert queries(2) == queries(10)


def test_an_activity_that_kept_the_most_warnings_is_read_again(reads, monkeypatch):
    from jumelage.reporting import services

    data = (DATA / "afd_like.xml").read_bytes()
    first = _import(data)
    monkeypatch.setattr(services, "KEPT_ACTIVITY_WARNINGS", 1)  # as if each had kept them all
    reads.clear()
    again = _import(data)
    noisy = {a.iati_identifier for a in ExternalActivity.objects.all() if a.warnings}
    assert noisy
    assert set(reads) == noisy
    assert again.warnings == first.warnings
    assert again.unchanged == 3  # read, but the same content: still nothing written
