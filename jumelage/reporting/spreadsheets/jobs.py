"""Exports, import checks and imports run as jobs, with a progress bar the page polls.

Design: the view records a SpreadsheetJob and starts it in a background thread of the web
process, once the request's transaction has committed; the thread reports its progress to the
shared cache (every 50 to 100 rows) and its outcome to the job row; the page polls a small
fragment with htmx (every second) and shows a <progress> element with its text. No extra service
(no queue, no worker) is needed, which is why it was chosen.

Limits of that design, to know before running a national instance on it:
- the thread lives in the web process: if the process stops (a restart, a deployment, a worker
  recycled by gunicorn's max-requests or timeout), the job stops with it. The import is one
  transaction, so a stopped import has written nothing; the job is then shown as interrupted
  once its progress is older than STALE_AFTER, and can be started again;
- each running job holds a thread and a database connection of the web process; jobs are not
  queued, so many at once compete with the pages for them (the size and row limits of the
  reading module bound each job);
- progress is read from the cache: with the file cache (the default) or Redis every process
  sees it; with a per-process memory cache, another process would show no progress until the
  job ends;
- on SQLite an import holds the write lock until it commits: other writes wait (up to the
  20-second timeout of settings.py) while a large file is written;
- files (uploads and exports) are kept in settings.SPREADSHEET_WORK_DIR, outside MEDIA_ROOT so
  that they are never served publicly, and deleted with their job after KEEP_JOBS.

To move to a real queue (Celery, RQ, Django's tasks), call `run(job_pk)` from the worker instead
of `start`. Tests set settings.SPREADSHEET_JOBS_INLINE = True: the job then runs at once, in the
request, synchronously.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jumelage.reporting.models import SpreadsheetJob
from jumelage.reporting.spreadsheets.exports import EXPORTS, write_export
from jumelage.reporting.spreadsheets.imports import IMPORTS, Outcome, check_table, import_table
from jumelage.reporting.spreadsheets.imports.base import MAX_KEPT_PROBLEMS
from jumelage.reporting.spreadsheets.reading import FileRefused, read_table

logger = logging.getLogger(__name__)

STALE_AFTER = datetime.timedelta(minutes=10)
KEEP_JOBS = datetime.timedelta(days=7)
PROGRESS_TIMEOUT = 24 * 3600

CHECKING, WRITING, EXPORTING = "checking", "writing", "exporting"


def work_dir() -> Path:
    folder = Path(
        getattr(settings, "SPREADSHEET_WORK_DIR", None)
        or settings.BASE_DIR / "var" / "spreadsheets"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def work_path(name: str) -> Path:
    """A file of the work folder, by the name stored on a job (never a path from outside)."""
    return work_dir() / Path(name).name


def new_file_name(suffix: str) -> str:
    return f"{uuid.uuid4().hex}.{suffix}"


# --- Progress ---------------------------------------------------------------------------------


def _key(job_pk: int) -> str:
    return f"spreadsheet-job:{job_pk}"


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


def mark_if_stale(job: SpreadsheetJob) -> SpreadsheetJob:
    """A job whose progress stopped moving was interrupted (the process stopped): say so."""
    if job.is_finished:
        return job
    at = progress_of(job).get("at")
    last = (
        datetime.datetime.fromtimestamp(at, tz=datetime.UTC)
        if at
        else (job.started_at or job.created_at)
    )
    if last is not None and timezone.now() - last > STALE_AFTER:
        job.status = SpreadsheetJob.Status.FAILED
        job.message = _(
            "This job was interrupted, probably because the server restarted; nothing was "
            "imported. Start it again."
        )
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
    return job


# --- Starting and running ---------------------------------------------------------------------


def start(job: SpreadsheetJob) -> None:
    """Run the job in a background thread once the current transaction commits (or at once,
    in the request, when settings.SPREADSHEET_JOBS_INLINE is set, as in the tests)."""
    # After a database restore a new job may get the number of a job of the abandoned data,
    # whose progress may still be in the cache.
    cache.delete(_key(job.pk))
    if getattr(settings, "SPREADSHEET_JOBS_INLINE", False):
        run(job.pk)
        return
    transaction.on_commit(
        lambda: threading.Thread(
            target=_thread_main, args=(job.pk,), name=f"spreadsheet-job-{job.pk}", daemon=True
        ).start()
    )


def _thread_main(job_pk: int) -> None:
    close_old_connections()
    try:
        run(job_pk)
    finally:
        connections.close_all()


def run(job_pk: int) -> None:
    job = SpreadsheetJob.objects.select_related("owner", "authority__authority").get(pk=job_pk)
    if job.status != SpreadsheetJob.Status.PENDING:
        return
    job.status = SpreadsheetJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    with translation.override(job.language):
        try:
            if job.kind == SpreadsheetJob.Kind.EXPORT:
                _run_export(job)
            else:
                _run_import(job, write=job.kind == SpreadsheetJob.Kind.IMPORT)
        except FileRefused as refusal:
            job.status = SpreadsheetJob.Status.FAILED
            job.message = refusal.message
        except Exception:
            logger.exception("Spreadsheet job %s failed", job.pk)
            job.status = SpreadsheetJob.Status.FAILED
            job.message = _(
                "The job stopped on an unexpected error; nothing was imported. Try again, and "
                "tell the site's administrators if it happens again."
            )
    job.finished_at = timezone.now()
    job.save()
    cache.delete(_key(job.pk))


def _run_export(job: SpreadsheetJob) -> None:
    export = EXPORTS[job.list_name]
    name = new_file_name(job.file_format)

    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total
        set_progress(job.pk, done, total, EXPORTING)

    with work_path(name).open("wb") as stream:
        count = write_export(
            export,
            stream,
            file_format=job.file_format,
            language=job.language,
            user=job.owner,
            member=job.authority,
            progress=progress,
        )
    job.result_path = name
    job.done = job.total = count
    job.status = SpreadsheetJob.Status.DONE
    job.message = ngettext("%(count)s row exported.", "%(count)s rows exported.", count) % {
        "count": count
    }


def _run_import(job: SpreadsheetJob, *, write: bool) -> None:
    kind = IMPORTS[job.list_name]
    table = read_table(work_path(job.upload_path))
    total = len(table.rows)

    def checking(done: int, total: int) -> None:
        job.done, job.total = done, total
        set_progress(job.pk, done, total, CHECKING)

    def writing(done: int, total: int) -> None:
        set_progress(job.pk, done, total, WRITING)

    if write:
        outcome = import_table(
            kind,
            table,
            user=job.owner,
            member=job.authority,
            progress=writing,
            check_progress=checking,
        )
    else:
        outcome = check_table(kind, table, user=job.owner, member=job.authority, progress=checking)
    _record(job, outcome, total=total, write=write)
    if write and outcome.written:
        work_path(job.upload_path).unlink(missing_ok=True)


def _record(job: SpreadsheetJob, outcome: Outcome, *, total: int, write: bool) -> None:
    job.status = SpreadsheetJob.Status.DONE
    job.done = job.total = total
    job.problem_count = len(outcome.problems)
    job.problems = [str(problem) for problem in outcome.problems[:MAX_KEPT_PROBLEMS]]
    job.counts = outcome.counts
    counts = {
        "created": outcome.counts["create"],
        "updated": outcome.counts["update"],
        "unchanged": outcome.counts["unchanged"],
    }
    if outcome.problems:
        job.message = ngettext(
            "%(count)s problem to fix; nothing was imported.",
            "%(count)s problems to fix; nothing was imported.",
            len(outcome.problems),
        ) % {"count": len(outcome.problems)}
    elif write:
        job.message = (
            _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % counts
        )
    else:
        job.message = (
            _(
                "The file is clean: importing it will create %(created)s, update %(updated)s "
                "and leave %(unchanged)s unchanged."
            )
            % counts
        )


def purge_old_jobs(owner: Any) -> None:
    """Delete the owner's jobs older than KEEP_JOBS, with their files."""
    old = SpreadsheetJob.objects.filter(
        owner_id=owner.pk, created_at__lt=timezone.now() - KEEP_JOBS
    ).exclude(status=SpreadsheetJob.Status.RUNNING)
    for job in old:
        for name in (job.upload_path, job.result_path):
            if name:
                work_path(name).unlink(missing_ok=True)
    old.delete()
