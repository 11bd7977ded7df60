"""The spreadsheets page, its jobs with their progress fragment, the downloads, the templates,
and the export actions of the changelists."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.management.commands import db_worker
from openpyxl import load_workbook

from jumelage.actors.models import Actor
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.reporting.models import SpreadsheetJob
from jumelage.reporting.spreadsheets import jobs
from jumelage.reporting.tests.test_spreadsheet_support import fill, french, xlsx_file


@pytest.fixture(autouse=True)
def work_dir(settings, tmp_path):
    """Jobs run at once, in the request (the root conftest); their files go to a folder of the
    test's own."""
    settings.SPREADSHEET_WORK_DIR = tmp_path / "work"


def job_of(user, **fields) -> SpreadsheetJob:
    return SpreadsheetJob.objects.create(
        owner=user,
        kind=fields.pop("kind", SpreadsheetJob.Kind.EXPORT),
        list_name=fields.pop("list_name", "partnerships"),
        file_format=fields.pop("file_format", "xlsx"),
        **fields,
    )


# --- The page ---------------------------------------------------------------------------------


def test_the_page_lists_every_export_and_import_for_a_member(client, officer_a):
    client.force_login(officer_a)
    page = client.get(reverse("reporting:spreadsheets"))
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("partnerships.xlsx", "financing_plans.csv", "visits.xlsx"):
        assert f'value="{name}"' in text
    for kind in ("authorities", "partnerships", "actors", "projects"):
        assert reverse("reporting:spreadsheet_template", args=[kind, "xlsx"]) in text


def test_the_page_is_refused_to_a_user_of_no_authority(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("reporting:spreadsheets")).status_code == 403


def test_the_page_asks_an_anonymous_visitor_to_sign_in(client, db):
    page = client.get(reverse("reporting:spreadsheets"))
    assert page.status_code == 302
    assert reverse("admin:login") in page["Location"]


# --- Exports as jobs --------------------------------------------------------------------------


def test_an_export_runs_as_a_job_and_its_file_is_downloaded(client, city_a, officer_a):
    fill(city_a, 2)
    client.force_login(officer_a)
    answer = client.post(reverse("reporting:spreadsheet_export"), {"export": "projects.xlsx"})
    job = SpreadsheetJob.objects.get()
    assert answer["Location"] == reverse("reporting:spreadsheet_job", args=[job.pk])
    assert (job.status, job.done, job.total, job.owner) == ("done", 2, 2, officer_a)

    page = client.get(answer["Location"])
    assert reverse("reporting:spreadsheet_job_download", args=[job.pk]) in page.content.decode()
    download = client.get(reverse("reporting:spreadsheet_job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="projects-all-')
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 3


def test_an_export_for_an_authority_the_user_does_not_belong_to_is_refused(
    client, city_a, city_b, officer_b
):
    client.force_login(officer_b)
    answer = client.post(
        reverse("reporting:spreadsheet_export"),
        {"export": "projects.csv", "authority": city_a.pk},
    )
    assert answer.status_code == 400
    assert not SpreadsheetJob.objects.exists()


def test_the_progress_fragment_answers_its_owner_and_404_for_another_user(
    client, officer_a, officer_b
):
    job = job_of(officer_a, status=SpreadsheetJob.Status.RUNNING, started_at=timezone.now())
    jobs.set_progress(job.pk, 3, 10, jobs.EXPORTING)
    url = reverse("reporting:spreadsheet_job_progress", args=[job.pk])

    client.force_login(officer_a)
    fragment = client.get(url).content.decode()
    assert '<progress id="job-progress-bar" max="10" value="3">30 %</progress>' in fragment
    assert "3 of 10 rows (30 %)" in fragment
    assert f'hx-get="{url}"' in fragment  # it keeps polling while the job runs

    client.force_login(officer_b)
    assert client.get(url).status_code == 404
    assert client.get(reverse("reporting:spreadsheet_job", args=[job.pk])).status_code == 404
    download = reverse("reporting:spreadsheet_job_download", args=[job.pk])
    assert client.get(download).status_code == 404


def test_a_finished_jobs_fragment_stops_polling(client, officer_a):
    job = job_of(officer_a, status=SpreadsheetJob.Status.DONE, message="2 rows exported.")
    client.force_login(officer_a)
    fragment = client.get(reverse("reporting:spreadsheet_job_progress", args=[job.pk]))
    assert "hx-get" not in fragment.content.decode()
    assert "2 rows exported." in fragment.content.decode()


def test_a_job_whose_worker_died_is_run_again_when_its_page_is_seen(client, city_a, officer_a):
    fill(city_a, 1)
    started = timezone.now() - datetime.timedelta(hours=1)
    job = job_of(
        officer_a,
        authority=city_a,
        list_name="visits",
        language="en",
        status=SpreadsheetJob.Status.RUNNING,
        started_at=started,
        attempts=1,
    )
    client.force_login(officer_a)
    page = client.get(reverse("reporting:spreadsheet_job", args=[job.pk]))
    assert "1 row exported." in page.content.decode()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.total) == ("done", 2, 1)


def test_a_job_still_beating_is_left_running(client, officer_a):
    started = timezone.now() - datetime.timedelta(hours=1)
    job = job_of(officer_a, status=SpreadsheetJob.Status.RUNNING, started_at=started, attempts=1)
    with jobs.Heartbeat(jobs._alive_key(job.pk)):
        client.force_login(officer_a)
        client.get(reverse("reporting:spreadsheet_job", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)


def test_a_job_interrupted_three_times_is_failed_with_a_message(client, officer_a):
    started = timezone.now() - datetime.timedelta(hours=1)
    job = job_of(officer_a, status=SpreadsheetJob.Status.RUNNING, started_at=started, attempts=3)
    client.force_login(officer_a)
    page = client.get(reverse("reporting:spreadsheet_job", args=[job.pk]))
    assert "This job was interrupted 3 times" in page.content.decode()
    job.refresh_from_db()
    assert job.status == SpreadsheetJob.Status.FAILED


def test_the_job_page_loads_htmx_from_our_own_static_files(client, officer_a):
    job = job_of(officer_a)
    client.force_login(officer_a)
    page = client.get(reverse("reporting:spreadsheet_job", args=[job.pk])).content.decode()
    assert 'src="/static/reporting/htmx.min.js"' in page
    assert "<noscript>" in page  # without JavaScript, the page refreshes itself


# --- Imports as jobs --------------------------------------------------------------------------


def upload(content: bytes, name: str = "acteurs.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_clean_file_is_checked_then_imported_after_confirmation(client, city_a, officer_a):
    client.force_login(officer_a)
    content = xlsx_file([["Name", "Kind"], ["Club Rotary", "service club"]])
    answer = client.post(
        reverse("reporting:spreadsheet_import"),
        {"kind": "actors", "authority": city_a.pk, "file": upload(content)},
    )
    check = SpreadsheetJob.objects.get()
    assert (check.kind, check.status, check.problem_count) == ("check", "done", 0)
    assert not Actor.objects.exists()
    page = client.get(answer["Location"]).content.decode()
    assert "importing it will create 1, update 0 and leave 0 unchanged" in page
    confirm = reverse("reporting:spreadsheet_job_import", args=[check.pk])
    assert confirm in page

    answer = client.post(confirm)
    imported = SpreadsheetJob.objects.get(kind="import")
    assert imported.message == "Imported: 1 created, 0 updated, 0 unchanged."
    assert Actor.objects.get().kind == "service_club"
    assert not jobs.storage().exists(imported.upload_path)  # the upload is not kept


def test_a_dirty_file_lists_its_problems_on_the_job_page_and_cannot_be_confirmed(
    client, city_a, officer_a
):
    client.force_login(officer_a)
    content = xlsx_file([["Name", "Kind"], ["Club", "club de foot"]])
    answer = client.post(
        reverse("reporting:spreadsheet_import"),
        {"kind": "actors", "authority": city_a.pk, "file": upload(content)},
    )
    page = client.get(answer["Location"]).content.decode()
    assert "Row 2, column “Kind”: “club de foot” is not one of the choices" in page
    check = SpreadsheetJob.objects.get()
    assert (
        client.post(reverse("reporting:spreadsheet_job_import", args=[check.pk])).status_code == 404
    )
    assert not Actor.objects.exists()


def test_another_users_check_cannot_be_confirmed(client, city_a, officer_a, admin_a):
    client.force_login(officer_a)
    content = xlsx_file([["Name"], ["Club"]])
    client.post(
        reverse("reporting:spreadsheet_import"),
        {"kind": "actors", "authority": city_a.pk, "file": upload(content)},
    )
    check = SpreadsheetJob.objects.get()
    client.force_login(admin_a)
    assert (
        client.post(reverse("reporting:spreadsheet_job_import", args=[check.pk])).status_code == 404
    )
    assert not Actor.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_on_its_job_page(client, city_a, officer_a):
    client.force_login(officer_a)
    answer = client.post(
        reverse("reporting:spreadsheet_import"),
        {"kind": "actors", "authority": city_a.pk, "file": upload(b"%PDF-1.4", "a.xlsx")},
    )
    job = SpreadsheetJob.objects.get()
    assert job.status == SpreadsheetJob.Status.FAILED
    assert "This file is not a spreadsheet." in client.get(answer["Location"]).content.decode()


def test_an_oversize_upload_is_refused_before_it_is_stored(client, city_a, officer_a, settings):
    settings.SPREADSHEET_IMPORT_MAX_BYTES = 2000
    client.force_login(officer_a)
    answer = client.post(
        reverse("reporting:spreadsheet_import"),
        {"kind": "actors", "authority": city_a.pk, "file": upload(bytes(200_000))},
    )
    assert answer.status_code == 413
    assert "more than the" in answer.content.decode()
    assert not SpreadsheetJob.objects.exists()


def test_an_import_needs_the_member_authority_it_is_for(client, city_a, officer_a):
    client.force_login(officer_a)
    answer = client.post(
        reverse("reporting:spreadsheet_import"),
        {"kind": "actors", "file": upload(xlsx_file([["Name"], ["Club"]]))},
    )
    assert answer.status_code == 400
    assert "Choose the member authority the rows of this file are for." in answer.content.decode()


# --- Templates --------------------------------------------------------------------------------


def test_the_template_has_french_headers_lists_to_choose_from_and_instructions(client, officer_a):
    client.force_login(officer_a)
    with french(), translation.override("fr"):
        answer = client.get(
            reverse("reporting:spreadsheet_template", args=["partnerships", "xlsx"])
        )
    workbook = load_workbook(io.BytesIO(answer.content))
    data = workbook.worksheets[0]
    headers = [cell.value for cell in data[1]]
    assert headers[:4] == [
        "Collectivité partenaire",
        "Pays du partenaire",
        "SIREN du partenaire",
        "Type",
    ]
    lists = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation}
    assert lists["D2:D10001"].endswith("!$B$2:$B$5")  # the four kinds of partnership
    hidden = workbook.worksheets[1]
    assert hidden.sheet_state == "hidden"
    assert [hidden.cell(row=r, column=2).value for r in range(2, 6)] == [
        "jumelage",
        "coopération décentralisée",
        "pacte d'amitié",
        "action ponctuelle",
    ]
    notes = workbook.worksheets[2]
    text = " ".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert "is updated" in text or "est mis" in text


def test_the_csv_template_is_the_header_line(client, officer_a):
    client.force_login(officer_a)
    answer = client.get(reverse("reporting:spreadsheet_template", args=["actors", "csv"]))
    assert answer.content.startswith(b"\xef\xbb\xbf")
    assert answer.content.decode("utf-8-sig").splitlines()[0].startswith("Name;Kind;")


def test_an_unknown_template_is_not_found(client, officer_a):
    client.force_login(officer_a)
    url = reverse("reporting:spreadsheet_template", args=["networks", "xlsx"])
    assert client.get(url).status_code == 404


# --- Export actions on the changelists --------------------------------------------------------


def test_the_changelist_exports_the_selected_rows(client, city_a, city_b, officer_a):
    chosen = PartnershipFactory(authority=city_a)
    PartnershipFactory(authority=city_a)
    theirs = PartnershipFactory(authority=city_b)
    client.force_login(officer_a)
    answer = client.post(
        reverse("admin:partners_partnership_changelist"),
        {"action": "export_selected_xlsx", "_selected_action": [chosen.pk, theirs.pk]},
    )
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [chosen.pk]


def test_every_exported_list_offers_the_export_actions(client, officer_a):
    client.force_login(officer_a)
    for changelist in (
        "partners_partnership",
        "agreements_agreement",
        "projects_project",
        "projects_financingplan",
        "actors_actor",
        "actors_person",
        "visits_visit",
    ):
        page = client.get(reverse(f"admin:{changelist}_changelist")).content.decode()
        assert 'value="export_selected_csv"' in page, changelist


def test_outside_the_tests_a_job_waits_in_the_queue_for_the_worker(
    client, city_a, officer_a, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker runs in the test: it must not close the test's connection between tasks.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS_ENQUEUE_ON_COMMIT = True
    fill(city_a, 1)
    client.force_login(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:spreadsheet_export"), {"export": "visits.csv"})
    job = SpreadsheetJob.objects.get()
    assert (job.status, job.total) == ("pending", 0)
    assert job.task_id  # the queue's task, to tell later whether it is still there

    call_command("worker", batch=True, verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.total, job.attempts) == ("done", 1, 1)
    with jobs.storage().open(job.result_path, "rb") as exported:
        assert exported.read().startswith(b"\xef\xbb\xbf")


def test_a_job_waiting_long_says_the_worker_may_be_stopped(client, officer_a, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = job_of(officer_a)
    jobs.start(job)  # in the queue, and no worker takes it
    url = reverse("reporting:spreadsheet_job_progress", args=[job.pk])
    client.force_login(officer_a)
    assert "may be stopped" not in client.get(url).content.decode()
    SpreadsheetJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert "may be stopped" in client.get(url).content.decode()
    job.refresh_from_db()
    assert job.status == "pending"  # its task is still in the queue: not enqueued again
