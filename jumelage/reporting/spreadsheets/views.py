"""Back-office pages of the spreadsheets: the page listing exports and imports, each job's page
with its progress bar (an htmx-polled fragment), the downloads. Thin: the work is in exports,
imports and jobs; access comes from the user's memberships, each job is its owner's only."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jumelage.core.tasks import stale_after
from jumelage.reporting.iati.reader import too_big_message
from jumelage.reporting.models import SpreadsheetJob
from jumelage.reporting.services import max_import_bytes
from jumelage.reporting.spreadsheets import jobs
from jumelage.reporting.spreadsheets.exports import CSV, EXPORTS, XLSX, export_file_name
from jumelage.reporting.spreadsheets.forms import ExportForm, IatiImportForm, ImportForm
from jumelage.reporting.spreadsheets.imports import IMPORTS
from jumelage.reporting.spreadsheets.reading import max_bytes, too_big
from jumelage.reporting.spreadsheets.template_files import (
    template_file_name,
    write_template_csv,
    write_template_xlsx,
)
from jumelage.tenancy.admin import is_member

CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}
RECENT_JOBS = 10
# Room for the form's other fields around the file, in a multipart request.
UPLOAD_OVERHEAD = 64 * 1024


def member_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Staff who belong to a member authority (or superusers): everyone else is refused."""

    @staff_member_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_member(request.user):
            raise PermissionDenied(_("Only the members of an authority use its spreadsheets."))
        return view(request, *args, **kwargs)

    return wrapped


def _language() -> str:
    return (translation.get_language() or "fr").split("-")[0]


def _index(
    request: HttpRequest,
    *,
    export_form: ExportForm | None = None,
    import_form: ImportForm | None = None,
    import_error: str = "",
    iati_form: IatiImportForm | None = None,
    iati_error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        **admin.site.each_context(request),
        "title": _("Spreadsheets"),
        "exports": list(EXPORTS.values()),
        "imports": list(IMPORTS.values()),
        "export_form": export_form or ExportForm(user=user),
        "import_form": import_form or ImportForm(user=user),
        "import_error": import_error,
        "iati_form": iati_form or IatiImportForm(user=user),
        "iati_error": iati_error,
        "jobs": [
            (job, _subject(job))
            for job in SpreadsheetJob.objects.of_owner(user).select_related("authority__authority")[
                :RECENT_JOBS
            ]
        ],
        "formats": [XLSX, CSV],
    }
    return render(request, "reporting/spreadsheets/index.html", context, status=status)


@member_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


@member_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST, user=request.user)
    if not form.is_valid():
        return _index(request, export_form=form, status=400)
    jobs.purge_old_jobs(request.user)
    job = SpreadsheetJob.objects.create(
        owner=request.user,  # type: ignore[misc]  # signed in: member_required
        authority=form.cleaned_data["authority"],
        kind=SpreadsheetJob.Kind.EXPORT,
        list_name=form.cleaned_data["list_name"],
        file_format=form.cleaned_data["file_format"],
        language=_language(),
    )
    jobs.start(job)
    return redirect("reporting:spreadsheet_job", pk=job.pk)


@member_required
@require_POST
def import_check(request: HttpRequest) -> HttpResponse:
    # Refuse an oversized upload from its announced length, before Django stores it.
    announced = int(request.META.get("CONTENT_LENGTH") or 0)
    if announced > max_bytes() + UPLOAD_OVERHEAD:
        return _index(request, import_error=too_big(announced).message, status=413)
    form = ImportForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _index(request, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    name = jobs.storage().save(jobs.new_file_name("upload"), upload)
    jobs.purge_old_jobs(request.user)
    job = SpreadsheetJob.objects.create(
        owner=request.user,  # type: ignore[misc]  # signed in: member_required
        authority=form.cleaned_data["authority"],
        kind=SpreadsheetJob.Kind.CHECK,
        list_name=form.cleaned_data["kind"],
        language=_language(),
        upload_name=upload.name[:255],
        upload_path=name,
    )
    jobs.start(job)
    return redirect("reporting:spreadsheet_job", pk=job.pk)


@member_required
@require_POST
def iati_import_start(request: HttpRequest) -> HttpResponse:
    """An IATI activity file, imported by the worker (it may take minutes for a national file)."""
    announced = int(request.META.get("CONTENT_LENGTH") or 0)
    if announced > max_import_bytes() + UPLOAD_OVERHEAD:
        message = too_big_message(max_import_bytes(), announced)
        return _index(request, iati_error=message, status=413)
    form = IatiImportForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _index(request, iati_form=form, status=400)
    upload = form.cleaned_data["file"]
    name = jobs.storage().save(jobs.new_file_name("xml"), upload)
    jobs.purge_old_jobs(request.user)
    job = SpreadsheetJob.objects.create(
        owner=request.user,  # type: ignore[misc]  # signed in: member_required
        authority=form.cleaned_data["authority"],
        kind=SpreadsheetJob.Kind.IATI_IMPORT,
        list_name="iati",
        language=_language(),
        upload_name=upload.name[:255],
        upload_path=name,
    )
    jobs.start(job)
    return redirect("reporting:spreadsheet_job", pk=job.pk)


def _own_job(request: HttpRequest, pk: int) -> SpreadsheetJob:
    """The user's own job, or 404: nobody learns whether another user's job exists."""
    job = get_object_or_404(
        SpreadsheetJob.objects.of_owner(request.user).select_related("authority__authority"),
        pk=pk,
    )
    return jobs.recover_if_abandoned(job)


@member_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    checked = _own_job(request, pk)
    if not (
        checked.kind == SpreadsheetJob.Kind.CHECK
        and checked.status == SpreadsheetJob.Status.DONE
        and checked.problem_count == 0
        and jobs.storage().exists(checked.upload_path)
    ):
        raise Http404(_("This file cannot be imported: check it again first."))
    job = SpreadsheetJob.objects.create(
        owner=request.user,  # type: ignore[misc]  # signed in: member_required
        authority=checked.authority,
        kind=SpreadsheetJob.Kind.IMPORT,
        list_name=checked.list_name,
        language=_language(),
        upload_name=checked.upload_name,
        upload_path=checked.upload_path,
        source=checked,
    )
    jobs.start(job)
    return redirect("reporting:spreadsheet_job", pk=job.pk)


def _subject(job: SpreadsheetJob) -> Any:
    """The list or template a job is about, by its title."""
    if job.kind == SpreadsheetJob.Kind.IATI_IMPORT:
        return _("IATI activity file")
    known = EXPORTS if job.kind == SpreadsheetJob.Kind.EXPORT else IMPORTS
    found = known.get(job.list_name)
    return found.title if found is not None else job.list_name


def _job_context(job: SpreadsheetJob) -> dict[str, Any]:
    progress = jobs.progress_of(job)
    total = progress["total"]
    phases = {
        jobs.CHECKING: _("Checking the rows"),
        jobs.WRITING: _("Writing the rows"),
        jobs.EXPORTING: _("Writing the file"),
        jobs.READING_IATI: _("Importing the activities"),
    }
    return {
        "job": job,
        "subject": _subject(job),
        "done": progress["done"],
        "total": total,
        "percent": int(progress["done"] * 100 / total) if total else 0,
        "phase": phases.get(progress["phase"], _("Waiting to start")),
        # Waiting longer than a worker takes to notice a job: no worker may be running.
        "waiting_long": job.status == SpreadsheetJob.Status.PENDING
        and (timezone.now() - job.created_at).total_seconds() > stale_after(),
        "hidden_problems": max(0, job.problem_count - len(job.problems)),
    }


@member_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    context = _job_context(job)
    title = _("%(kind)s: %(subject)s") % {
        "kind": job.get_kind_display(),
        "subject": context["subject"],
    }
    return render(
        request,
        "reporting/spreadsheets/job.html",
        {**admin.site.each_context(request), "title": capfirst(title), **context},
    )


@member_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the job page polls (htmx), with the outcome once finished."""
    job = _own_job(request, pk)
    return render(request, "reporting/spreadsheets/_progress.html", _job_context(job))


@member_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _own_job(request, pk)
    name = job.result_path
    if job.kind != SpreadsheetJob.Kind.EXPORT or not name or not jobs.storage().exists(name):
        raise Http404(_("This export has no file any more: export the list again."))
    export = EXPORTS[job.list_name]
    with translation.override(job.language):
        filename = export_file_name(export, job.authority, job.file_format)
    return FileResponse(
        jobs.storage().open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES[job.file_format],
    )


@member_required
@require_GET
def template_download(request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
    template = IMPORTS.get(kind)
    if template is None or file_format not in CONTENT_TYPES:
        raise Http404(_("There is no such template."))
    stream = io.BytesIO()
    writer = write_template_xlsx if file_format == XLSX else write_template_csv
    writer(template, stream, language=_language())
    response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES[file_format])
    filename = template_file_name(template, file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
