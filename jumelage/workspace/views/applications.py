"""A project's applications to funders, recorded in place on its page: an application added,
the funder's decision, instalments added, changed and received, reports due added, changed and
sent; and the contributors assigned to the project.

With htmx each form swaps the section it belongs to (`#applications`, `#contributors`), with
the message of what was done or what to fix; without JavaScript the same views answer a post
with a redirect to the project's page, or the page with the form to correct. Every write goes
through the projects app's services, with the version the page showed: a stale page writes
nothing and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jumelage.projects.application_services import (
    application_add,
    application_decide,
    instalment_received,
    instalment_save,
    report_due_save,
    report_sent,
)
from jumelage.projects.models import Instalment, Project, ProjectContributor, ReportDue
from jumelage.projects.result_selectors import contributors_to_assign
from jumelage.projects.result_services import (
    project_contributor_assign,
    project_contributor_remove,
)
from jumelage.projects.selectors import usual_calls
from jumelage.tenancy.services import ConcurrentEditError
from jumelage.workspace.forms.applications import (
    ApplicationForm,
    ContributorForm,
    DecisionForm,
    InstalmentForm,
    ReceivedForm,
    ReportForm,
    RowForm,
    SentForm,
)
from jumelage.workspace.pages.applications import (
    application_of,
    applications_section,
    contributors_section,
    fresh_section,
    instalment_of,
    may_write_applications,
    report_of,
)
from jumelage.workspace.selectors import ProjectPage, Seat, seat
from jumelage.workspace.views.projects import project_response


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _project(place: Seat, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.for_user(place.user).of_authority(place.member.pk), pk=pk
    )


def _writer(place: Seat) -> None:
    if not may_write_applications(place):
        raise PermissionDenied(
            _("You may read the applications but not record them. Ask an officer.")
        )


def _project_url(place: Seat, project: Project, anchor: str) -> str:
    return reverse("workspace:project", args=[place.member.slug, project.pk]) + f"#{anchor}"


def _section(
    request: HttpRequest,
    place: Seat,
    project: Project,
    *,
    status: int = 200,
    bound: dict[str, RowForm] | None = None,
    editing: str = "",
    notice: str = "",
    alert: str = "",
) -> HttpResponse:
    """The applications' section: alone for htmx, else within the project's page."""
    kwargs: dict[str, Any] = {"bound": bound, "editing": editing, "notice": notice}
    kwargs["alert"] = alert
    if _is_htmx(request):
        section = fresh_section(place, project, **kwargs)
        context = {"applications": section, "project": project, "member": place.member}
        return render(request, "workspace/project/_applications.html", context)

    def build(page: ProjectPage) -> Any:
        return applications_section(place, page.project, page.applications, **kwargs)

    return project_response(request, place, project.pk, applications=build, status=status)


def _done(
    request: HttpRequest, place: Seat, project: Project, notice: str, anchor: str
) -> HttpResponse:
    if _is_htmx(request):
        return _section(request, place, project, notice=notice)
    messages.success(request, notice)
    return redirect(_project_url(place, project, anchor))


def _write(
    request: HttpRequest,
    place: Seat,
    project: Project,
    form: RowForm,
    write: Callable[[], Any],
    *,
    notice: str,
    anchor: str,
    editing: str = "",
) -> HttpResponse:
    """Run the write once the form reads well; answer with what was done or what to fix."""
    if form.is_valid():
        try:
            write()
        except ConcurrentEditError as error:
            return _section(request, place, project, status=409, alert=str(error.message))
        except ValidationError as error:
            form.refuse(error)
        else:
            return _done(request, place, project, notice, anchor)
    return _section(
        request,
        place,
        project,
        status=400,
        bound={form.key: form},
        editing=editing,
        alert=_("Nothing was recorded: correct what is shown below."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def applications(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET: the section (htmx puts it back when a change is cancelled); POST: a new
    application to a call."""
    place = seat(request.user, slug)
    project = _project(place, pk)
    if request.method == "GET":
        if not _is_htmx(request):
            return redirect(_project_url(place, project, "applications"))
        return _section(request, place, project)
    _writer(place)
    form = ApplicationForm(
        request.POST, usual=usual_calls(project.authority_id, timezone.localdate())
    )

    def write() -> Any:
        data = form.cleaned_data
        return application_add(
            project=project,
            call=data["call"],
            amount_requested=data["amount_requested"],
            currency=form.currency(),
            submitted_on=data["submitted_on"],
            notes=data["notes"],
            user=request.user,
        )

    return _write(
        request,
        place,
        project,
        form,
        write,
        notice=_("The application is added."),
        anchor="applications",
    )


@login_required
@require_POST
def decision(request: HttpRequest, slug: str, pk: int, application_pk: int) -> HttpResponse:
    """The funder's decision on an application."""
    place = seat(request.user, slug)
    project = _project(place, pk)
    application = application_of(place, project, application_pk)
    _writer(place)
    form = DecisionForm(request.POST, application=application)

    def write() -> Any:
        data = form.cleaned_data
        return application_decide(
            application=application,
            decision=data["decision"],
            decided_on=data["decided_on"],
            amount_granted=data["amount_granted"],
            user=request.user,
            expected_version=form.seen_version(),
        )

    return _write(
        request,
        place,
        project,
        form,
        write,
        notice=_("The decision is recorded."),
        anchor=f"application-{application.pk}",
    )


def _row_view(kind: str) -> Callable[..., HttpResponse]:
    """Add (no `row_pk`) or change an instalment or a report due; GET shows the row's form."""
    form_class: Any = InstalmentForm if kind == "instalment" else ReportForm
    find: Any = instalment_of if kind == "instalment" else report_of

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(
        request: HttpRequest, slug: str, pk: int, application_pk: int, row_pk: int | None = None
    ) -> HttpResponse:
        place = seat(request.user, slug)
        project = _project(place, pk)
        application = application_of(place, project, application_pk)
        row = find(application, row_pk) if row_pk is not None else None
        _writer(place)
        if request.method == "GET":
            if row is None:
                return redirect(_project_url(place, project, f"application-{application.pk}"))
            return _section(request, place, project, editing=f"{kind}-{row.pk}")
        form = form_class(request.POST, application=application, row=row)

        def write() -> Any:
            data = form.cleaned_data
            if kind == "instalment":
                instalment = row or Instalment(application=application)
                for name in ("rank", "amount", "due_on", "condition"):
                    setattr(instalment, name, data[name])
                return instalment_save(
                    instalment=instalment,
                    user=request.user,
                    expected_version=form.seen_version(),
                )
            report = row or ReportDue(application=application)
            report.kind, report.due_on = data["kind"], data["due_on"]
            return report_due_save(
                report=report, user=request.user, expected_version=form.seen_version()
            )

        if kind == "instalment":
            notice = _("The instalment is saved.") if row else _("The instalment is added.")
        else:
            notice = _("The report due is saved.") if row else _("The report due is added.")
        return _write(
            request,
            place,
            project,
            form,
            write,
            notice=notice,
            anchor=f"{kind}-{row.pk}" if row else f"application-{application.pk}",
            editing=f"{kind}-{row.pk}" if row else "",
        )

    return view


instalment = _row_view("instalment")
report = _row_view("report")


@login_required
@require_POST
def received(
    request: HttpRequest, slug: str, pk: int, application_pk: int, row_pk: int
) -> HttpResponse:
    """The day an instalment was received."""
    place = seat(request.user, slug)
    project = _project(place, pk)
    row = instalment_of(application_of(place, project, application_pk), row_pk)
    _writer(place)
    form = ReceivedForm(request.POST, row=row)
    return _write(
        request,
        place,
        project,
        form,
        lambda: instalment_received(
            instalment=row,
            received_on=form.cleaned_data["received_on"],
            user=request.user,
            expected_version=form.seen_version(),
        ),
        notice=_("The instalment is recorded as received."),
        anchor=f"instalment-{row.pk}",
    )


@login_required
@require_POST
def sent(
    request: HttpRequest, slug: str, pk: int, application_pk: int, row_pk: int
) -> HttpResponse:
    """The day a report was sent to the funder."""
    place = seat(request.user, slug)
    project = _project(place, pk)
    row = report_of(application_of(place, project, application_pk), row_pk)
    _writer(place)
    form = SentForm(request.POST, row=row)
    return _write(
        request,
        place,
        project,
        form,
        lambda: report_sent(
            report=row,
            submitted_on=form.cleaned_data["submitted_on"],
            user=request.user,
            expected_version=form.seen_version(),
        ),
        notice=_("The report is recorded as sent."),
        anchor=f"report-{row.pk}",
    )


# --- Contributors assigned -------------------------------------------------------------------


def _contributors(
    request: HttpRequest,
    place: Seat,
    project: Project,
    *,
    status: int = 200,
    form: ContributorForm | None = None,
    notice: str = "",
    alert: str = "",
) -> HttpResponse:
    if _is_htmx(request):
        fresh = Project.objects.get(pk=project.pk)
        section = contributors_section(place, fresh, form=form, notice=notice, alert=alert)
        context = {"contributors": section, "project": fresh, "member": place.member}
        return render(request, "workspace/project/_contributors.html", context)
    if status == 200:
        messages.success(request, notice)
        return redirect(_project_url(place, project, "contributors"))

    def build(page: ProjectPage) -> Any:
        return contributors_section(place, page.project, form=form, alert=alert)

    return project_response(request, place, project.pk, contributors=build, status=status)


def _assigner(place: Seat) -> None:
    if not (place.user.is_superuser or place.role in ProjectContributor.write_roles):
        raise PermissionDenied(_("Only an officer or an administrator assigns contributors."))


@login_required
@require_POST
def contributor_assign(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Assign a contributor of the authority to the project."""
    place = seat(request.user, slug)
    project = _project(place, pk)
    _assigner(place)
    form = ContributorForm(request.POST, candidates=list(contributors_to_assign(project)))
    if form.is_valid():
        person = get_object_or_404(get_user_model(), pk=form.cleaned_data["user"])
        try:
            project_contributor_assign(
                project=project,
                contributor=person,
                user=request.user,
                expected_version=form.seen_version(),
            )
        except ConcurrentEditError as error:
            return _contributors(request, place, project, status=409, alert=str(error.message))
        except ValidationError as error:
            form.refuse(error)
        else:
            name = person.get_full_name() or person.username
            notice = _("%(name)s may now report this project's indicators.") % {"name": name}
            return _contributors(request, place, project, notice=notice)
    return _contributors(
        request,
        place,
        project,
        status=400,
        form=form,
        alert=_("Nothing was recorded: correct what is shown below."),
    )


@login_required
@require_POST
def contributor_remove(
    request: HttpRequest, slug: str, pk: int, assignment_pk: int
) -> HttpResponse:
    """Withdraw a contributor from the project."""
    place = seat(request.user, slug)
    project = _project(place, pk)
    assignment = get_object_or_404(
        ProjectContributor.objects.filter(project=project).select_related("user"),
        pk=assignment_pk,
    )
    _assigner(place)
    version = request.POST.get("_version", "")
    try:
        project_contributor_remove(
            assignment=assignment,
            user=request.user,
            expected_version=int(version) if version.isdigit() else None,
        )
    except ValidationError as error:
        status = 409 if isinstance(error, ConcurrentEditError) else 400
        return _contributors(request, place, project, status=status, alert=" ".join(error.messages))
    person = assignment.user
    name = person.get_full_name() or person.username
    notice = _("%(name)s no longer reports on this project.") % {"name": name}
    return _contributors(request, place, project, notice=notice)
