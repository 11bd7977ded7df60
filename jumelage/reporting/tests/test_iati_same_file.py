"""The very same file imported again (publishers' files are fetched again and again, most often
unchanged): when every activity the earlier import kept is still stored with the content it
had, its result is repeated without reading the file; otherwise the file is read as usual."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jumelage.audit.models import AuditEntry
from jumelage.partners.tests.factories import MemberAuthorityFactory
from jumelage.reporting import services
from jumelage.reporting.iati import reader
from jumelage.reporting.models import ExternalActivity, ImportRun
from jumelage.reporting.services import import_iati_file
from jumelage.reporting.tests.test_iati_import import _activities

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.fixture
def member():
    return MemberAuthorityFactory()


@pytest.fixture
def reads(monkeypatch):
    """How many times the reader went through a file."""
    seen: list[int] = []
    real = reader.ActivityFileReader.__iter__

    def counting(self):
        seen.append(1)
        return real(self)

    monkeypatch.setattr(reader.ActivityFileReader, "__iter__", counting)
    return seen


def _import(data: bytes, member, **options):
    return import_iati_file(io.BytesIO(data), authority=member, file_name="afd.xml", **options)


def test_the_same_file_again_is_not_read_and_gives_the_same_result(member, reads):
    data = (DATA / "afd_like.xml").read_bytes()
    first = _import(data, member)
    stored = list(ExternalActivity.objects.order_by("pk").values())
    progress: list[int] = []
    again = _import(data, member, progress=progress.append)
    assert len(reads) == 1  # the first import only
    assert again.same_as == first.run
    assert (again.activities, again.created, again.updated, again.unchanged) == (3, 0, 0, 3)
    assert again.warnings == first.warnings and again.warnings
    assert progress == [3]
    assert list(ExternalActivity.objects.order_by("pk").values()) == stored
    run = again.run
    assert (run.file_sha256, run.activities, run.created, run.updated) == (
        first.run.file_sha256,
        3,
        0,
        0,
    )
    assert (run.warning_count, run.warnings, run.same_as) == (
        first.run.warning_count,
        first.run.warnings,
        first.run,
    )
    entry = AuditEntry.objects.get(object_id=str(run.pk))
    assert entry.changes["same_as"] == first.run.pk
    # A third time: the same result, still named after the import that read the file.
    third = _import(data, member)
    assert len(reads) == 1
    assert third.same_as == again.run and third.run.same_as == first.run


def test_the_same_file_again_asks_a_fixed_number_of_questions_a_batch(member):
    def statements(count: int) -> list[str]:
        data = _activities(count)
        _import(data, member)
        with CaptureQueriesContext(connection) as context:
            assert _import(data, member).same_as is not None
        return [
            q["sql"]
            for q in context.captured_queries
            if not q["sql"].lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT"))
            and "pg_advisory_xact_lock" not in q["sql"]
        ]

    batches = -(-450 // services.BATCH_SIZE)
    many = statements(450)
    # The earlier run, the stored contents a batch at a time, the run written and audited.
    assert len(many) == 1 + batches + 2
    assert "reporting_importrun" in many[0]
    assert all("reporting_externalactivity" in s for s in many[1 : 1 + batches])
    assert many[-2].lstrip().upper().startswith("INSERT") and "reporting_importrun" in many[-2]
    assert "audit_auditentry" in many[-1]
    assert len(statements(3)) == 1 + 1 + 2


def test_an_activity_changed_by_another_file_since_makes_it_read_and_written_back(member, reads):
    data = _activities(3)
    _import(data, member)
    other = data.replace(b"Activity 1<", b"Activity one<")
    assert _import(other, member).updated == 1
    again = _import(data, member)
    assert again.same_as is None
    assert (len(reads), again.updated, again.unchanged) == (3, 1, 2)
    assert ExternalActivity.objects.get(iati_identifier="XM-DAC-1-1").title == {"en": "Activity 1"}


def test_an_activity_deleted_since_makes_it_read_and_created_again(member, reads):
    data = _activities(3)
    _import(data, member)
    ExternalActivity.objects.filter(iati_identifier="XM-DAC-1-2").delete()  # as a superuser may
    again = _import(data, member)
    assert again.same_as is None
    assert (len(reads), again.created, again.unchanged) == (2, 1, 2)
    assert ExternalActivity.objects.count() == 3


def test_another_authoritys_import_of_the_same_file_is_not_used(member, reads):
    other = MemberAuthorityFactory()
    data = _activities(3)
    _import(data, other)
    mine = _import(data, member)
    assert mine.same_as is None and len(reads) == 2
    assert mine.unchanged == 3  # read, found stored: nothing written
    assert mine.run.same_as is None


def test_a_row_refused_while_writing_keeps_the_file_from_being_repeated(member, reads, monkeypatch):
    """A row refused while writing gives its warning only when written: the next import of
    the file must read it again (and try to store it again)."""
    data = _activities(3)
    real = services._clean

    def refusing(instance, *, relations=()):
        if isinstance(instance, ExternalActivity) and instance.iati_identifier == "XM-DAC-1-1":
            from django.core.exceptions import ValidationError

            raise ValidationError("refused for the test")
        real(instance, relations=relations)

    monkeypatch.setattr(services, "_clean", refusing)
    first = _import(data, member)
    assert first.created == 2 and first.run.stored_digest == ""
    monkeypatch.setattr(services, "_clean", real)
    again = _import(data, member)
    assert again.same_as is None and len(reads) == 2
    assert again.created == 1


def test_an_import_with_more_warnings_than_kept_is_not_repeated(member, reads, monkeypatch):
    monkeypatch.setattr(services, "KEPT_WARNINGS", 1)
    data = (DATA / "afd_like.xml").read_bytes()
    first = _import(data, member)
    assert first.run.warning_count > 1 and first.run.stored_digest == ""
    again = _import(data, member)
    assert again.same_as is None and len(reads) == 2
    assert again.warnings == first.warnings


def test_a_new_reader_reads_the_same_file_again(member, reads, monkeypatch):
    data = _activities(2)
    _import(data, member)
    monkeypatch.setattr(services, "READER", "jumelage-iati-reader-next")
    assert _import(data, member).same_as is None
    assert len(reads) == 2


def test_a_stream_that_cannot_be_rewound_is_read_and_its_result_kept_for_the_next(member, reads):
    class OneWay(io.BytesIO):
        def seekable(self) -> bool:
            return False

    data = _activities(2)
    first = import_iati_file(OneWay(data), authority=member)
    assert first.run.stored_digest
    again = import_iati_file(OneWay(data), authority=member)
    assert again.same_as is None and len(reads) == 2
    assert _import(data, member).same_as == again.run
    assert len(reads) == 2


def test_the_checks_before_reading_still_refuse_the_same_file(member):
    data = _activities(2)
    _import(data, member)
    with pytest.raises(services.ImportRefused):
        _import(data, member, max_bytes=10)
    assert ImportRun.objects.count() == 1


def test_the_same_root_around_another_default_language_is_read_again(member, reads):
    """The activity's fingerprint holds what the root says of it: narratives without a
    language take the root's."""
    body = b"""<iati-activity default-currency="EUR"><iati-identifier>XM-DAC-1-9</iati-identifier>
<title><narrative>Titre</narrative></title></iati-activity>"""
    french = b'<iati-activities version="2.03" xml:lang="fr">' + body + b"</iati-activities>"
    english = b'<iati-activities version="2.03" xml:lang="en">' + body + b"</iati-activities>"
    _import(french, member)
    result = _import(english, member)
    assert result.updated == 1
    assert ExternalActivity.objects.get().title == {"en": "Titre"}
