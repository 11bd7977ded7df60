"""An IATI file sent from the spreadsheets page is imported by the worker as a job: its progress
shown, its outcome on the job page, the rows and the job's mark written together."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jumelage.reporting.models import ExternalActivity, ImportRun, SpreadsheetJob
from jumelage.reporting.spreadsheets import jobs

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def work_dir(settings, tmp_path):
    settings.SPREADSHEET_WORK_DIR = tmp_path / "work"


def send(client, authority, content: bytes, name: str = "afd.xml"):
    return client.post(
        reverse("reporting:spreadsheet_iati_import"),
        {"authority": authority.pk, "file": SimpleUploadedFile(name, content)},
    )


def test_an_officer_imports_an_iati_file_as_a_job(client, city_a, officer_a):
    client.force_login(officer_a)
    answer = send(client, city_a, (DATA / "afd_like.xml").read_bytes())
    job = SpreadsheetJob.objects.get()
    assert answer["Location"] == reverse("reporting:spreadsheet_job", args=[job.pk])
    assert (job.kind, job.status, job.attempts) == ("iati_import", "done", 1)
    assert job.message == (
        "Imported 3 activities: 3 created, 0 updated, 6 warnings (listed on the IATI imports page)."
    )
    assert ExternalActivity.objects.count() == 3
    assert ImportRun.objects.get().authority == city_a
    assert not jobs.storage().exists(job.upload_path)  # the upload is not kept
    page = client.get(answer["Location"]).content.decode()
    assert "Imported 3 activities" in page


def test_a_viewer_may_not_import_into_the_shared_table(client, city_a, viewer_a):
    client.force_login(viewer_a)
    answer = send(client, city_a, (DATA / "afd_like.xml").read_bytes())
    assert answer.status_code == 400
    assert "You may not import into the shared directory" in answer.content.decode()
    assert not SpreadsheetJob.objects.exists()


def test_an_officer_may_not_import_for_another_authority(client, city_b, officer_a):
    client.force_login(officer_a)
    assert send(client, city_b, (DATA / "afd_like.xml").read_bytes()).status_code == 400
    assert not SpreadsheetJob.objects.exists()


def test_a_file_that_is_not_iati_fails_its_job_with_the_reason(client, city_a, officer_a):
    client.force_login(officer_a)
    send(client, city_a, b"<html><body>not IATI</body></html>", name="page.xml")
    job = SpreadsheetJob.objects.get()
    assert job.status == "failed"
    assert job.message and "iati-activities" in job.message
    assert not ExternalActivity.objects.exists()


def test_an_import_taken_over_by_another_run_writes_nothing(client, city_a, officer_a, monkeypatch):
    """The job is marked done inside the import's transaction: a run that finds the job is no
    longer its own (another run claimed it) rolls its rows back."""
    real_finish = jobs._finish

    def taken_over(job, attempt, **kwargs):
        SpreadsheetJob.objects.filter(pk=job.pk).update(attempts=attempt + 1)
        real_finish(job, attempt, **kwargs)

    monkeypatch.setattr(jobs, "_finish", taken_over)
    client.force_login(officer_a)
    send(client, city_a, (DATA / "afd_like.xml").read_bytes())
    job = SpreadsheetJob.objects.get()
    # Not marked done by this run (the other run's claim, made here on the same connection,
    # is rolled back with the rows), and nothing imported.
    assert job.status == "running"
    assert not ExternalActivity.objects.exists()
    assert not ImportRun.objects.exists()


def test_the_same_file_sent_again_says_so_and_writes_nothing(client, city_a, officer_a):
    client.force_login(officer_a)
    data = (DATA / "afd_like.xml").read_bytes()
    send(client, city_a, data)
    stored = list(ExternalActivity.objects.order_by("pk").values())
    send(client, city_a, data, name="afd-again.xml")
    _first, again = SpreadsheetJob.objects.order_by("pk")
    assert again.status == "done"
    assert again.message.startswith("The same file was imported on ")
    assert "its 3 activities are stored as it left them: nothing was read again or written. " in (
        again.message
    )
    assert again.message.endswith("6 warnings (listed on the IATI imports page).")
    assert list(ExternalActivity.objects.order_by("pk").values()) == stored
    runs = list(ImportRun.objects.order_by("pk"))
    assert runs[1].same_as == runs[0] and runs[1].file_name == "afd-again.xml"
