"""Import a spreadsheet as the officer keeps it (workspace/<slug>/import/): upload, then for
each sheet one screen with the proposed mapping and the dry run, then the import of the clean
rows and the rows with problems to download, fix and send back.

The work runs on the queue as spreadsheet jobs (reporting.spreadsheets.jobs and workbook): the
pages start them and follow their progress (htmx polling). A job is its owner's, in the
authority of the address: another authority's or another person's job is a 404.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jumelage.partners.matching import town_key
from jumelage.partners.models import Authority
from jumelage.partners.services import partner_town_add
from jumelage.reporting.models import SpreadsheetJob
from jumelage.reporting.spreadsheets import jobs
from jumelage.reporting.spreadsheets.imports import IMPORTS
from jumelage.reporting.spreadsheets.reading import FileRefused, max_bytes, read_workbook, too_big
from jumelage.reporting.spreadsheets.workbook import WORKBOOK, write_rows_to_fix
from jumelage.workspace import navigation
from jumelage.workspace.forms.imports import UploadForm
from jumelage.workspace.selectors import Seat, seat
from jumelage.workspace.views.frame import render_page

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_OVERHEAD = 64 * 1024
RECENT = 5
NEW_TOWN = "new"


def _writer(request: HttpRequest, slug: str) -> Seat:
    place = seat(request.user, slug)
    if not place.may_write:
        raise PermissionDenied(_("Your role does not allow imports into this authority."))
    return place


def _job(place: Seat, pk: int) -> SpreadsheetJob:
    """The user's own workbook job in this authority, or 404."""
    job = get_object_or_404(
        SpreadsheetJob.objects.of_owner(place.user).filter(
            authority=place.member, list_name=WORKBOOK
        ),
        pk=pk,
    )
    return jobs.recover_if_abandoned(job)


def _language() -> str:
    return (translation.get_language() or "fr").split("-")[0]


def _start(
    place: Seat, *, kind: str, upload_name: str, upload_path: str, sheets: list, source: Any = None
) -> SpreadsheetJob:
    job = SpreadsheetJob.objects.create(
        owner=place.user,
        authority=place.member,
        kind=kind,
        list_name=WORKBOOK,
        language=_language(),
        upload_name=upload_name,
        upload_path=upload_path,
        sheets=sheets,
        source=source,
    )
    jobs.start(job)
    return job


@login_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest, slug: str) -> HttpResponse:
    """The upload form, and the user's recent imports in this authority."""
    place = seat(request.user, slug)
    form = UploadForm()
    status = 200
    if request.method == "POST":
        place = _writer(request, slug)
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
        if announced > max_bytes() + UPLOAD_OVERHEAD:
            form = UploadForm()
            form.add_error(None, too_big(announced).message)
            status = 413
        else:
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                name = jobs.storage().save(jobs.new_file_name("upload"), upload)
                jobs.purge_old_jobs(request.user)
                job = _start(
                    place,
                    kind=SpreadsheetJob.Kind.CHECK,
                    upload_name=upload.name[:255],
                    upload_path=name,
                    sheets=[],
                )
                return redirect("workspace:import_job", slug=slug, pk=job.pk)
            status = 400
    recent = SpreadsheetJob.objects.of_owner(request.user).filter(
        authority=place.member, list_name=WORKBOOK, kind=SpreadsheetJob.Kind.CHECK
    )[:RECENT]
    return render_page(
        request,
        "workspace/imports/index.html",
        place,
        nav=navigation.IMPORTS,
        title=_("Import a spreadsheet"),
        context={"form": form, "recent": recent},
        status=status,
    )


def _fields(kind: str) -> list[tuple[str, str]]:
    found = IMPORTS.get(kind)
    return [(spec.key, str(spec.header)) for spec in found.fields] if found else []


def _sheet_context(job: SpreadsheetJob, index: int) -> dict[str, Any]:
    sheets = job.sheets or []
    if not sheets:
        return {"sheet": None}
    if not 0 <= index < len(sheets):
        raise Http404(_("This file has no such sheet."))
    sheet = sheets[index]
    kinds = [(name, str(kind.title)) for name, kind in IMPORTS.items()]
    return {
        "sheet": sheet,
        "index": index,
        "sheets": sheets,
        "kinds": kinds,
        "fields": _fields(sheet["kind"]),
        "other_rows": len(sheet["problem_rows"]),
    }


def _progress_context(job: SpreadsheetJob) -> dict[str, Any]:
    progress = jobs.progress_of(job)
    total = progress["total"]
    return {
        "job": job,
        "done": progress["done"],
        "total": total,
        "percent": int(progress["done"] * 100 / total) if total else 0,
    }


@login_required
@require_GET
def import_job(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A job's page: its progress while it runs; then, for a check, the screen of one sheet
    (?sheet=N); for an import, what was written."""
    place = seat(request.user, slug)
    job = _job(place, pk)
    try:
        index = int(request.GET.get("sheet", "0"))
    except ValueError:
        index = 0
    context: dict[str, Any] = {**_progress_context(job), "may_write": place.may_write}
    if job.is_finished and job.kind == SpreadsheetJob.Kind.CHECK:
        context.update(_sheet_context(job, index))
    if job.kind == SpreadsheetJob.Kind.IMPORT and job.source_id:
        source = job.source
        names = [sheet["name"] for sheet in source.sheets] if source else []
        done = job.sheets[0]["name"] if job.sheets else ""
        context["more_sheets"] = len(names) > 1
        # After the last sheet the button goes back to the first, checked again.
        context["last_sheet"] = bool(names) and done == names[-1]
    title = _("Import of %(file)s") % {"file": job.upload_name}
    return render_page(
        request,
        "workspace/imports/job.html",
        place,
        nav=navigation.IMPORTS,
        title=title,
        context=context,
    )


@login_required
@require_GET
def import_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The fragment the job page polls; once the job has ended the page reloads itself."""
    place = seat(request.user, slug)
    job = _job(place, pk)
    response = render(request, "workspace/imports/_progress.html", _progress_context(job))
    if job.is_finished:
        response["HX-Refresh"] = "true"
    return response


def _finished_check(place: Seat, pk: int) -> SpreadsheetJob:
    job = _job(place, pk)
    if job.kind != SpreadsheetJob.Kind.CHECK or job.status != SpreadsheetJob.Status.DONE:
        raise Http404(_("This file has not been read yet."))
    if not jobs.storage().exists(job.upload_path):
        raise Http404(_("This file is no longer kept: send it again."))
    return job


def _sheet_index(request: HttpRequest, job: SpreadsheetJob) -> int:
    try:
        index = int(request.POST.get("sheet", ""))
    except ValueError:
        raise Http404(_("This file has no such sheet.")) from None
    if not 0 <= index < len(job.sheets):
        raise Http404(_("This file has no such sheet."))
    return index


@login_required
@require_POST
def import_recheck(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The officer's mapping of a sheet (and choices of towns): the dry run runs again with
    it. A town to add to the directory is added now, through the register."""
    place = _writer(request, slug)
    job = _finished_check(place, pk)
    index = _sheet_index(request, job)
    sheets = [dict(sheet) for sheet in job.sheets]
    sheet = sheets[index]
    kind = request.POST.get("kind", sheet["kind"])
    if kind not in IMPORTS:
        kind = sheet["kind"]
    known = {key for key, _label in _fields(kind)}
    columns = []
    for column in sheet["columns"]:
        field = request.POST.get(f"column-{column['index']}", column["field"])
        columns.append({**column, "field": field if field in known else ""})
    choices = dict(sheet.get("choices") or {})
    for town in sheet.get("towns", []):
        key = town_key(town["name"])
        chosen = request.POST.get(f"town-{key}")
        if not chosen:
            continue
        if chosen == NEW_TOWN:
            added = _add_town(request, place, town)
            if added is None:
                return redirect(_sheet_url(slug, job.pk, index))
            choices[key] = added.pk
        elif chosen.isdigit():
            choices[key] = int(chosen)
    sheet.update(kind=kind, columns=columns, choices=choices, given=True)
    new = _start(
        place,
        kind=SpreadsheetJob.Kind.CHECK,
        upload_name=job.upload_name,
        upload_path=job.upload_path,
        sheets=sheets,
    )
    return redirect(_sheet_url(slug, new.pk, index))


def _add_town(request: HttpRequest, place: Seat, town: dict[str, Any]) -> Authority | None:
    """A partner town the directory lacks, added on the officer's confirmation."""
    if not town.get("country"):
        messages.error(
            request,
            _(
                "To add “%(name)s” to the directory, give its country in a column of the "
                "sheet, then send the file again."
            )
            % {"name": town["name"]},
        )
        return None
    try:
        entry = partner_town_add(
            name=town["name"],
            country_id=town["country"],
            user=request.user,
            authority_id=place.member.pk,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    except PermissionDenied as error:
        messages.error(request, str(error))
        return None
    messages.success(request, _("“%(name)s” was added to the directory.") % {"name": town["name"]})
    return entry


def _sheet_url(slug: str, pk: int, index: int) -> str:
    from django.urls import reverse

    return reverse("workspace:import_job", args=[slug, pk]) + f"?sheet={index}"


@login_required
@require_POST
def import_start(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Import the clean rows of a sheet, with the mapping the dry run used."""
    place = _writer(request, slug)
    job = _finished_check(place, pk)
    index = _sheet_index(request, job)
    sheet = job.sheets[index]
    if not sheet["importable"] or sheet["whole_sheet"] or not sheet["ready"]:
        messages.error(request, _("This sheet has no clean row to import; fix it first."))
        return redirect(_sheet_url(slug, job.pk, index))
    new = _start(
        place,
        kind=SpreadsheetJob.Kind.IMPORT,
        upload_name=job.upload_name,
        upload_path=job.upload_path,
        sheets=[sheet],
        source=job,
    )
    return redirect("workspace:import_job", slug=slug, pk=new.pk)


@login_required
@require_GET
def import_rows_to_fix(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The rows of a sheet that have problems, as an XLSX with a first column saying what to
    fix: to correct and send back."""
    place = seat(request.user, slug)
    job = _finished_check(place, pk)
    try:
        index = int(request.GET.get("sheet", "0"))
    except ValueError:
        index = -1
    if not 0 <= index < len(job.sheets):
        raise Http404(_("This file has no such sheet."))
    sheet = job.sheets[index]
    try:
        with jobs.local_copy(job.upload_path) as path:
            read = read_workbook(path)
    except FileRefused as refusal:
        raise Http404(refusal.message) from refusal
    table = next((t for t in read.sheets if t.sheet == sheet["name"]), None)
    if table is None:
        raise Http404(_("This file has no such sheet."))
    stream = io.BytesIO()
    write_rows_to_fix(stream, table, sheet)
    response = HttpResponse(stream.getvalue(), content_type=XLSX_TYPE)
    stem = job.upload_name.rsplit(".", 1)[0] or "import"
    filename = _("%(file)s - rows to fix.xlsx") % {"file": stem}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_POST
def import_continue(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """After a sheet's import, the file's sheets checked again (a project row may name a
    partnership just imported), opening the next sheet."""
    place = _writer(request, slug)
    job = _job(place, pk)
    source = job.source
    if job.kind != SpreadsheetJob.Kind.IMPORT or not job.is_finished or source is None:
        raise Http404(_("This import has not finished yet."))
    names = [sheet["name"] for sheet in source.sheets]
    done = job.sheets[0]["name"] if job.sheets else ""
    following = (names.index(done) + 1) % len(names) if done in names else 0
    new = _start(
        place,
        kind=SpreadsheetJob.Kind.CHECK,
        upload_name=source.upload_name,
        upload_path=source.upload_path,
        sheets=[sheet for sheet in source.sheets if sheet.get("given")],
    )
    return redirect(_sheet_url(slug, new.pk, following))
