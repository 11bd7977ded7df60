"""Exports, import checks and imports of spreadsheets, and imports of IATI activity files, run
as background jobs, with a progress bar the page polls.

Design: the view saves the uploaded file to the "jobs" storage (settings.STORAGES), records a
SpreadsheetJob and hands the task `run_job(job_pk)` to the queue (Django's tasks API,
jumelage.core.tasks) once its transaction commits. A worker (`manage.py worker`, on any host)
runs it: progress goes to the shared cache every 50 to 100 rows, a heartbeat every few seconds,
the outcome to the job row; the page polls a small fragment with htmx (every second) and shows a
<progress> element with its text. Every process reads the same database, cache and storage, so
the job may be started through one server, run by a worker on another host, and followed
through a third.

Surviving a restart:
- a job waiting in the queue when the worker stops waits there (a row of the database, or a
  Redis list) and runs when a worker starts again;
- a job running when its worker dies (killed, out of memory, host lost) is abandoned: its
  heartbeat stops. The workers' recovery (every 30 seconds, and as a worker starts), or the
  job's page when someone looks at it, sees that (at once when the dead process was on the same
  host, else after settings.TASKS_STALE_AFTER seconds) and enqueues the job again, up to
  MAX_ATTEMPTS runs in all; after that the job is marked failed, with a message.
- running a job again is safe for each kind: a check only reads; an export writes its file
  again; an import (of a spreadsheet, of an IATI file) writes its rows and marks its job done in
  one transaction, so an import that died wrote nothing, and one that committed is done and
  never run again. Each run claims the
  job by its attempt number, and the final write checks the attempt is still the job's: a run
  wrongly thought dead (a process frozen longer than TASKS_STALE_AFTER) rolls its import back
  rather than writing twice.

Limits: on SQLite an import holds the write lock until it commits (other writes wait up to the
20-second timeout of settings.py); the database queue's worker runs one job at a time (start
more workers for more at once). Files (uploads, exports) are deleted with their job after
KEEP_JOBS.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db.models import F
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from jumelage.core.tasks import Heartbeat, enqueue_on_commit, is_abandoned, stale_after
from jumelage.reporting.models import SpreadsheetJob
from jumelage.reporting.services import ImportRefused, ImportResult, import_iati_file
from jumelage.reporting.spreadsheets import workbook
from jumelage.reporting.spreadsheets.exports import EXPORTS, write_export
from jumelage.reporting.spreadsheets.imports import IMPORTS, Outcome, check_table, import_table
from jumelage.reporting.spreadsheets.imports.base import MAX_KEPT_PROBLEMS
from jumelage.reporting.spreadsheets.reading import FileRefused, read_table, read_workbook

logger = logging.getLogger(__name__)

KEEP_JOBS = datetime.timedelta(days=7)
PROGRESS_TIMEOUT = 24 * 3600
MAX_ATTEMPTS = 3

CHECKING, WRITING, EXPORTING, READING_IATI = "checking", "writing", "exporting", "reading_iati"

Status = SpreadsheetJob.Status


class TakenOver(Exception):
    """Another run has claimed the job since this one started: this one's work is dropped."""


# --- Files ------------------------------------------------------------------------------------


def storage() -> Storage:
    """Where uploads and exports live: STORAGES["jobs"], shared by every process."""
    return storages["jobs"]


def new_file_name(suffix: str) -> str:
    return f"{uuid.uuid4().hex}.{suffix}"


@contextlib.contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """A path on this host to read the stored file from: the file itself on a folder storage,
    else a temporary copy (an S3-compatible storage)."""
    try:
        yield Path(storage().path(name))
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as copy:
        with storage().open(name, "rb") as stored:
            for chunk in iter(lambda: stored.read(1024 * 1024), b""):
                copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def delete_file(name: str) -> None:
    if name:
        storage().delete(name)


# --- Progress and heartbeat ---------------------------------------------------------------------


def _key(job_pk: int) -> str:
    return f"spreadsheet-job:{job_pk}"


def _alive_key(job_pk: int) -> str:
    return f"spreadsheet-job-alive:{job_pk}"


def set_progress(job_pk: int, done: int, total: int, phase: str) -> None:
    cache.set(
        _key(job_pk),
        {"done": done, "total": max(total, done), "phase": phase, "at": time.time()},
        PROGRESS_TIMEOUT,
    )


def progress_of(job: SpreadsheetJob) -> dict[str, Any]:
    """Where a job is: from the cache while it runs, from the job row once it has ended."""
    if job.is_finished:
        return {"done": job.done, "total": job.total, "phase": ""}
    found = cache.get(_key(job.pk)) or {}
    return {
        "done": found.get("done", 0),
        "total": found.get("total", 0),
        "phase": found.get("phase", ""),
        "at": found.get("at"),
    }


# --- Starting -----------------------------------------------------------------------------------


def start(job: SpreadsheetJob) -> None:
    """Hand the job to the queue once the current transaction commits."""
    # After a database restore a new job may get the number of a job of the abandoned data,
    # whose progress may still be in the cache.
    cache.delete(_key(job.pk))
    cache.delete(_alive_key(job.pk))
    enqueue_on_commit(run_job, job.pk, then=lambda result: _remember_task(job.pk, result.id))


def _remember_task(job_pk: int, task_id: str) -> None:
    SpreadsheetJob.objects.filter(pk=job_pk).update(task_id=str(task_id)[:64])


@task()
def run_job(job_pk: int) -> None:
    """The queue's task: run the spreadsheet job (see `run`)."""
    run(job_pk)


# --- Recovery -----------------------------------------------------------------------------------


def _lost_in_queue(job: SpreadsheetJob, since: float) -> bool:
    """A job still waiting whose task the queue no longer holds (it could not be handed over,
    or Redis was emptied)."""
    if time.time() - since <= stale_after():
        return False  # handed over on commit: give it time
    if not job.task_id:
        return True
    backend = run_job.get_backend()
    if not backend.supports_get_result:
        return False
    try:
        result = run_job.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return True
    return result.status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL)


def recover_if_abandoned(job: SpreadsheetJob) -> SpreadsheetJob:
    """Enqueue the job again if its run was abandoned (or its task lost), or fail it after
    MAX_ATTEMPTS runs; return it as it now is."""
    if job.is_finished:
        return job
    since = (job.started_at or job.created_at or timezone.now()).timestamp()
    if job.status == Status.RUNNING:
        if not is_abandoned(cache.get(_alive_key(job.pk)), since):
            return job
    elif not _lost_in_queue(job, since):
        return job
    current = SpreadsheetJob.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts)
    if job.attempts >= MAX_ATTEMPTS:
        message = ngettext(
            "This job was interrupted %(count)s time, because the server running it stopped; "
            "nothing was imported. Start it again, and tell the site's administrators if it "
            "happens again.",
            "This job was interrupted %(count)s times, because the server running it stopped; "
            "nothing was imported. Start it again, and tell the site's administrators if it "
            "happens again.",
            job.attempts,
        ) % {"count": job.attempts}
        current.update(status=Status.FAILED, message=message, finished_at=timezone.now())
    elif current.update(status=Status.PENDING, task_id=""):
        # Only the one process whose update matched enqueues it again.
        logger.warning("Spreadsheet job %s was abandoned; it is enqueued again.", job.pk)
        start(job)
    job.refresh_from_db()
    return job


def recover_abandoned() -> int:
    """The recovery the workers run (registered in ReportingConfig.ready): every unfinished
    job whose run was abandoned is enqueued again (or failed). Returns how many."""
    found = 0
    unfinished = SpreadsheetJob.objects.filter(status__in=[Status.PENDING, Status.RUNNING])
    for job in unfinished:
        before = (job.status, job.attempts, job.task_id)
        after = recover_if_abandoned(job)
        found += (after.status, after.attempts, after.task_id) != before
    return found


# --- Running ------------------------------------------------------------------------------------


def run(job_pk: int) -> None:
    """Claim the job (it must be waiting), run it, record its outcome."""
    claimed = SpreadsheetJob.objects.filter(pk=job_pk, status=Status.PENDING).update(
        status=Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return  # finished, or run by another worker
    job = SpreadsheetJob.objects.select_related("owner", "authority__authority").get(pk=job_pk)
    attempt = job.attempts
    with Heartbeat(_alive_key(job.pk)), translation.override(job.language):
        try:
            if job.kind == SpreadsheetJob.Kind.EXPORT:
                _run_export(job)
            elif job.kind == SpreadsheetJob.Kind.IATI_IMPORT:
                _run_iati_import(job, attempt)
            elif job.list_name == workbook.WORKBOOK:
                if job.kind == SpreadsheetJob.Kind.CHECK:
                    _run_workbook_check(job)
                else:
                    _run_workbook_import(job, attempt)
            else:
                _run_import(job, attempt, write=job.kind == SpreadsheetJob.Kind.IMPORT)
            marked = job.finished_at is not None
        except TakenOver:
            logger.warning("Spreadsheet job %s was taken over by another run.", job.pk)
            return
        except (FileRefused, ImportRefused) as refusal:
            job.status, job.message, marked = Status.FAILED, str(refusal.message), False
        except PermissionDenied as refusal:
            job.status, job.message, marked = Status.FAILED, str(refusal), False
        except Exception:
            logger.exception("Spreadsheet job %s failed", job.pk)
            job.status, marked = Status.FAILED, False
            job.message = _(
                "The job stopped on an unexpected error; nothing was imported. Try again, and "
                "tell the site's administrators if it happens again."
            )
        try:
            _finish(job, attempt, marked=marked)
        except TakenOver:
            logger.warning("Spreadsheet job %s was taken over by another run.", job.pk)
            return
    cache.delete(_key(job.pk))


OUTCOME_FIELDS = (
    "status",
    "message",
    "done",
    "total",
    "problems",
    "problem_count",
    "counts",
    "result_path",
    "finished_at",
    "sheets",
)


def _finish(job: SpreadsheetJob, attempt: int, *, marked: bool = False) -> None:
    """Record the outcome, if the job is still this run's (else raise TakenOver). `marked`: an
    import already marked its job done in its own transaction; only the details are added."""
    job.finished_at = job.finished_at if marked else timezone.now()
    fields = {name: getattr(job, name) for name in OUTCOME_FIELDS}
    status = Status.DONE if marked else Status.RUNNING
    mine = SpreadsheetJob.objects.filter(pk=job.pk, status=status, attempts=attempt)
    if not mine.update(**fields):
        raise TakenOver


def _run_export(job: SpreadsheetJob) -> None:
    export = EXPORTS[job.list_name]

    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total
        set_progress(job.pk, done, total, EXPORTING)

    with tempfile.TemporaryFile() as stream:
        count = write_export(
            export,
            stream,
            file_format=job.file_format,
            language=job.language,
            user=job.owner,
            member=job.authority,
            progress=progress,
        )
        stream.seek(0)
        # The file of an earlier, interrupted run is replaced.
        delete_file(job.result_path)
        job.result_path = storage().save(new_file_name(job.file_format), File(stream))
    job.done = job.total = count
    job.status = Status.DONE
    job.message = ngettext("%(count)s row exported.", "%(count)s rows exported.", count) % {
        "count": count
    }


def _run_import(job: SpreadsheetJob, attempt: int, *, write: bool) -> None:
    kind = IMPORTS[job.list_name]
    with local_copy(job.upload_path) as path:
        table = read_table(path)
    total = len(table.rows)

    def checking(done: int, total: int) -> None:
        job.done, job.total = done, total
        set_progress(job.pk, done, total, CHECKING)

    if not write:
        outcome = check_table(kind, table, user=job.owner, member=job.authority, progress=checking)
        _record(job, outcome, total=total, write=False)
        return

    def writing(done: int, to_write: int) -> None:
        set_progress(job.pk, done, to_write, WRITING)
        if done == to_write and job.finished_at is None:
            # The last row is written and the import's transaction is still open: the job is
            # marked done in it, so that the rows and the mark commit together or not at all
            # (the counts are added just after the commit).
            job.status, job.message = Status.DONE, _("Imported.")
            job.done = job.total = total
            _finish(job, attempt)

    try:
        outcome = import_table(
            kind,
            table,
            user=job.owner,
            member=job.authority,
            progress=writing,
            check_progress=checking,
        )
    except BaseException:
        job.finished_at = None  # the mark was rolled back with the rows
        raise
    if not outcome.written:
        job.finished_at = None  # refused while writing: rolled back, mark included
    _record(job, outcome, total=total, write=True)
    if outcome.written:
        delete_file(job.upload_path)


def _run_workbook_check(job: SpreadsheetJob) -> None:
    """Read an officer's own workbook, propose (or apply the officer's) mapping of each sheet
    and check every row; the page then shows each sheet (workbook.py). Writes no record."""
    with local_copy(job.upload_path) as path:
        read = read_workbook(path)

    def checking(done: int, total: int) -> None:
        job.done, job.total = done, total
        set_progress(job.pk, done, total, CHECKING)

    job.sheets = workbook.check_workbook(
        read.sheets, user=job.owner, member=job.authority, given=job.sheets, progress=checking
    )
    job.status = Status.DONE
    job.done = job.total = len(read.sheets)
    job.problem_count = sum(sheet["problem_count"] for sheet in job.sheets)
    job.problems = [
        _("sheet “%(sheet)s” left aside: %(reason)s.") % {"sheet": name, "reason": reason}
        for name, reason in read.left_aside
    ]
    job.message = ngettext("%(count)s sheet read.", "%(count)s sheets read.", len(read.sheets)) % {
        "count": len(read.sheets)
    }


def _run_workbook_import(job: SpreadsheetJob, attempt: int) -> None:
    """Import the clean rows of one sheet (job.sheets[0], as the officer confirmed it), in one
    transaction that also marks the job done."""
    sheet = job.sheets[0]
    with local_copy(job.upload_path) as path:
        read = read_workbook(path)
    table = next((t for t in read.sheets if t.sheet == sheet["name"]), None)
    if table is None:
        raise FileRefused(
            _("The sheet “%(sheet)s” is no longer in the file.") % {"sheet": sheet["name"]}
        )

    def writing(done: int, to_write: int) -> None:
        set_progress(job.pk, done, to_write, WRITING)
        if done == to_write and job.finished_at is None:
            job.status, job.message = Status.DONE, _("Imported.")
            job.done = job.total = to_write
            _finish(job, attempt)

    try:
        outcome = workbook.import_sheet(
            table, sheet, user=job.owner, member=job.authority, progress=writing
        )
    except BaseException:
        job.finished_at = None
        raise
    if not outcome.written:
        job.finished_at = None
        job.status = Status.FAILED
        job.problem_count = len(outcome.problems)
        job.problems = [str(p) for p in outcome.problems[:MAX_KEPT_PROBLEMS]]
        job.message = _("Nothing was imported: fix the problems of the sheet first.")
        return
    job.status = Status.DONE
    job.counts = outcome.counts
    job.done = job.total = len(outcome.planned)
    job.message = counts_sentence(outcome.counts, done=True)


def _run_iati_import(job: SpreadsheetJob, attempt: int) -> None:
    """Import the IATI file in one transaction, and mark the job done inside it."""

    def progress(activities: int) -> None:
        job.done = activities
        set_progress(job.pk, activities, 0, READING_IATI)

    def mark_done(result: ImportResult) -> None:
        job.status = Status.DONE
        job.done = job.total = result.activities
        job.counts = {"created": result.created, "updated": result.updated}
        values = {
            "activities": result.activities,
            "created": result.created,
            "updated": result.updated,
            "warnings": len(result.warnings),
        }
        if result.same_as is not None:
            job.message = _(
                "The same file was imported on %(when)s and its %(activities)s activities are "
                "stored as it left them: nothing was read again or written. %(warnings)s "
                "warnings (listed on the IATI imports page)."
            ) % {
                **values,
                "when": formats.date_format(
                    timezone.localtime(result.same_as.at), "SHORT_DATETIME_FORMAT"
                ),
            }
        else:
            job.message = (
                _(
                    "Imported %(activities)s activities: %(created)s created, %(updated)s updated, "
                    "%(warnings)s warnings (listed on the IATI imports page)."
                )
                % values
            )
        _finish(job, attempt)

    with local_copy(job.upload_path) as path:
        try:
            import_iati_file(
                path,
                authority=job.authority,
                user=job.owner,
                file_name=job.upload_name,
                progress=progress,
                before_commit=mark_done,
            )
        except BaseException:
            job.finished_at = None  # the mark was rolled back with the rows
            raise
    delete_file(job.upload_path)


def _record(job: SpreadsheetJob, outcome: Outcome, *, total: int, write: bool) -> None:
    job.status = Status.DONE
    job.done = job.total = total
    job.problem_count = len(outcome.problems)
    job.problems = [str(problem) for problem in outcome.problems[:MAX_KEPT_PROBLEMS]]
    job.counts = outcome.counts
    if outcome.problems:
        job.message = ngettext(
            "%(count)s problem to fix; nothing was imported.",
            "%(count)s problems to fix; nothing was imported.",
            len(outcome.problems),
        ) % {"count": len(outcome.problems)}
    else:
        job.message = counts_sentence(outcome.counts, done=write)


def counts_sentence(counts: dict[str, int], *, done: bool) -> str:
    """What an import did (`done`) or would do, each count in agreement with its number
    ("1 fiche créée, 3 inchangées"): one sentence for the workspace and the command."""
    created, updated, unchanged = counts["create"], counts["update"], counts["unchanged"]
    if done:
        return _("Imported: %(created)s, %(updated)s, %(unchanged)s.") % {
            "created": npgettext("import result", "%(count)s created", "%(count)s created", created)
            % {"count": created},
            "updated": npgettext("import result", "%(count)s updated", "%(count)s updated", updated)
            % {"count": updated},
            "unchanged": npgettext(
                "import result", "%(count)s unchanged", "%(count)s unchanged", unchanged
            )
            % {"count": unchanged},
        }
    return _("The file is clean: importing it will %(create)s, %(update)s and %(leave)s.") % {
        "create": npgettext("import plan", "create %(count)s", "create %(count)s", created)
        % {"count": created},
        "update": npgettext("import plan", "update %(count)s", "update %(count)s", updated)
        % {"count": updated},
        "leave": npgettext(
            "import plan",
            "leave %(count)s unchanged",
            "leave %(count)s unchanged",
            unchanged,
        )
        % {"count": unchanged},
    }


def purge_old_jobs(owner: Any) -> None:
    """Delete the owner's jobs older than KEEP_JOBS, with their files."""
    old = SpreadsheetJob.objects.filter(
        owner_id=owner.pk, created_at__lt=timezone.now() - KEEP_JOBS
    ).exclude(status=Status.RUNNING)
    for job in old:
        delete_file(job.upload_path)
        delete_file(job.result_path)
    old.delete()
