"""A file imported again: the activities stored already with the same content are known by
their hash and not read again (no parse of their parts, no schema, codelist or rule check),
nothing is written for them, and the result says so, with the warnings recorded for them.

These tests import the file again as a publisher regenerates it (`_again`: other bytes, the
same activities), so that it is read; the very same bytes are not read at all
(test_iati_same_file.py)."""

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


def _again(data: bytes) -> bytes:
    """The file as its publisher regenerates it: the same activities, other bytes."""
    return data + b"\n<!-- fetched again -->\n"


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
        again = _import(_again(data))
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
            result = _import(_again(data), batch_size=10)
        assert result.unchanged == count
        return len(context.captured_queries)

    assert queries(2) == queries(10)


def test_an_activity_that_kept_the_most_warnings_is_read_again(reads, monkeypatch):
    from jumelage.reporting import services

    data = (DATA / "afd_like.xml").read_bytes()
    first = _import(data)
    monkeypatch.setattr(services, "KEPT_ACTIVITY_WARNINGS", 1)  # as if each had kept them all
    reads.clear()
    again = _import(_again(data))
    noisy = {a.iati_identifier for a in ExternalActivity.objects.all() if a.warnings}
    assert noisy
    assert set(reads) == noisy
    assert again.warnings == first.warnings
    assert again.unchanged == 3  # read, but the same content: still nothing written


def _statements(context: CaptureQueriesContext) -> list[str]:
    """The statements sent, without the transaction's own (BEGIN, SAVEPOINT, COMMIT...)."""
    return [
        q["sql"]
        for q in context.captured_queries
        if not q["sql"].lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT"))
    ]


@pytest.mark.parametrize("count", [3, 25])
def test_an_unchanged_reimport_asks_once_a_batch_and_writes_only_its_run_and_audit_entry(count):
    from jumelage.audit.models import AuditEntry
    from jumelage.reporting.models import ImportRun

    data = _activities(count)
    _import(data, batch_size=10)
    with CaptureQueriesContext(connection) as context:
        result = _import(_again(data), batch_size=10)
    assert result.unchanged == count
    statements = _statements(context)
    # On PostgreSQL the import first takes its lock (one import at a time), once.
    locks = [s for s in statements if "pg_advisory_xact_lock" in s]
    assert len(locks) == (1 if connection.vendor == "postgresql" else 0)
    statements = [s for s in statements if s not in locks]
    batches = -(-count // 10)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # Whether this very file was imported already (it was not: other bytes), then the
    # reader's question of each batch, whose rows the write then uses.
    assert "reporting_importrun" in reads[0]
    assert len(reads) == 1 + batches
    # The run is written once, with its counts, and audited once: nothing else.
    writes = [s for s in statements if s not in reads]
    assert len(writes) == 2
    assert "reporting_importrun" in writes[0] and writes[0].lstrip().upper().startswith("INSERT")
    assert "audit_auditentry" in writes[1]
    run = ImportRun.objects.order_by("pk").last()
    assert (run.activities, run.created, run.updated) == (count, 0, 0)
    assert AuditEntry.objects.filter(object_id=str(run.pk)).count() == 1


def test_a_first_import_writes_its_run_before_its_activities_and_updates_it_once():
    with CaptureQueriesContext(connection) as context:
        result = _import(_activities(4))
    runs = [s for s in _statements(context) if "reporting_importrun" in s]
    # Whether this very file was imported already, then the run written once and updated.
    assert [s.lstrip().split()[0].upper() for s in runs] == ["SELECT", "INSERT", "UPDATE"]
    assert set(ExternalActivity.objects.values_list("last_import", flat=True)) == {result.run.pk}


def test_rows_found_by_the_readers_question_are_updated_across_batches_and_duplicates():
    """The write uses the stored rows the reader's question of each batch found: with
    batches that split the file unevenly and an activity repeated in a later batch, each
    changed activity is updated in place (same key), the others left alone."""
    data = _activities(7)
    _import(data, batch_size=3)
    before = dict(ExternalActivity.objects.values_list("iati_identifier", "pk"))
    repeated = data.replace(
        b"</iati-activities>",
        b"<iati-activity><iati-identifier>XM-DAC-1-0</iati-identifier></iati-activity>"
        b"</iati-activities>",
    )
    changed = repeated.replace(b"Activity 1<", b"Activity one<").replace(
        b"Activity 5<", b"Activity five<"
    )
    result = _import(changed, batch_size=3)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 5)
    assert "XM-DAC-1-0: The activity appears more than once in the file" in " ".join(
        result.warnings
    )
    after = dict(ExternalActivity.objects.values_list("iati_identifier", "pk"))
    assert after == before
    titles = dict(ExternalActivity.objects.values_list("iati_identifier", "title"))
    assert titles["XM-DAC-1-1"] == {"en": "Activity one"}
    assert titles["XM-DAC-1-5"] == {"en": "Activity five"}
    assert titles["XM-DAC-1-0"] == {"en": "Activity 0"}  # its repeat was not imported


def test_whitespace_inside_an_activity_counts_as_a_change_and_the_same_bytes_do_not(reads):
    data = _activities(2)
    _import(data)
    reads.clear()
    assert _import(data).unchanged == 2
    assert reads == []
    spaced = data.replace(b"<title><narrative>Activity 1", b"<title>\n <narrative>Activity 1")
    result = _import(spaced)
    assert reads == ["XM-DAC-1-1"]  # read again, and written again with the same values
    assert (result.updated, result.unchanged) == (1, 1)
