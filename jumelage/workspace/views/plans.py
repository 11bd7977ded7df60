"""The financing plan editor: create a plan for a project, change its lines in place (htmx:
a row becomes a form, the saved editor comes back with its checks), submit or adopt it.

Every write goes through `projects.services` (save_owned for a line, with the plan's version;
`financing_plan_set_status` for a step); every page works as plain form posts without
JavaScript. A stale page is refused with a message and the editor shown afresh.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jumelage.projects.models import FinancingPlan
from jumelage.projects.services import financing_plan_set_status
from jumelage.tenancy.services import ConcurrentEditError, delete_owned, save_owned
from jumelage.workspace import navigation
from jumelage.workspace.forms.plans import LINE_FORMS, PlanForm, StatusForm
from jumelage.workspace.pages.plans import (
    LINE_MODELS,
    PlanEditor,
    line_of,
    may_edit_plans,
    plan_editor,
    plan_of,
    project_of,
)
from jumelage.workspace.selectors import Seat, seat
from jumelage.workspace.views.frame import render_page


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _plan_url(place: Seat, plan: FinancingPlan) -> str:
    return reverse("workspace:plan", args=[place.member.slug, plan.project_id, plan.pk])


def _attach(form: BaseForm, error: ValidationError) -> None:
    """A service's refusal on the form: on its field when the form has it, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for item in errors:
                form.add_error(target, item.messages)
    else:
        form.add_error(None, error.messages)
    if hasattr(form, "mark_errors"):
        form.mark_errors()


def _editable(place: Seat) -> None:
    if not may_edit_plans(place):
        raise PermissionDenied(
            _("You may read this plan but not change it. Ask an officer of the authority.")
        )


def _show(
    request: HttpRequest,
    place: Seat,
    editor: PlanEditor,
    *,
    status: int = 200,
    notice: str = "",
    alert: str = "",
) -> HttpResponse:
    """The editor: the whole page, or only the editor for htmx (swapped in place)."""
    plan = editor.plan
    if editor.may_edit:
        version = {"_version": plan.version}
        editor.forms.setdefault("plan", PlanForm(instance=plan, prefix_id="plan", initial=version))
        for kind, model in LINE_MODELS.items():
            editor.forms.setdefault(
                f"add_{kind}",
                LINE_FORMS[kind](
                    instance=model(plan=plan), prefix_id=f"{kind}-new", initial=version
                ),
            )
    context = {"editor": editor, "plan": editor.plan, "project": editor.project}
    context |= {"notice": notice, "alert": alert}
    if _is_htmx(request):
        context |= {"workspace": place, "member": place.member}
        return render(request, "workspace/plans/_editor.html", context, status=status)
    return render_page(
        request,
        "workspace/plans/plan.html",
        place,
        nav=navigation.PROJECTS,
        title=_plan_title(editor.plan),
        context=context,
        status=status,
    )


def _plan_title(plan: FinancingPlan) -> str:
    title = plan.title or _("Financing plan")
    return f"{title} ({plan.year})" if plan.year else title


def _done(request: HttpRequest, place: Seat, plan: FinancingPlan, notice: str) -> HttpResponse:
    """After a write: the editor afresh (htmx), or back to the plan's page (post, redirect)."""
    if _is_htmx(request):
        plan = plan_of(place, plan.project_id, plan.pk)
        return _show(request, place, plan_editor(place, plan), notice=notice)
    messages.success(request, notice)
    return HttpResponseRedirect(_plan_url(place, plan))


def _stale(
    request: HttpRequest, place: Seat, plan: FinancingPlan, error: Exception
) -> HttpResponse:
    # htmx swaps only a success: the refusal comes back as the editor afresh, with its message.
    fresh = plan_of(place, plan.project_id, plan.pk)
    status = 200 if _is_htmx(request) else 409
    return _show(request, place, plan_editor(place, fresh), status=status, alert=str(error))


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A new plan for the project: its title, year and the call it is for."""
    place = seat(request.user, slug)
    project = project_of(place, pk)
    _editable(place)
    plan = FinancingPlan(project=project, currency=project.currency)
    form = PlanForm(request.POST or None, instance=plan)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                save_owned(form.instance, user=request.user, expected_version=None)
            except ValidationError as error:
                _attach(form, error)
            else:
                messages.success(request, _("Plan created: add its expense and resource lines."))
                return HttpResponseRedirect(_plan_url(place, form.instance))
        status = 400
    return render_page(
        request,
        "workspace/plans/new.html",
        place,
        nav=navigation.PROJECTS,
        title=_("New financing plan"),
        context={"form": form, "project": project},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, slug: str, pk: int, plan_pk: int) -> HttpResponse:
    """The plan's editor; a post changes its head (title, year, call)."""
    place = seat(request.user, slug)
    found = plan_of(place, pk, plan_pk)
    if request.method == "GET":
        return _show(request, place, plan_editor(place, found))
    _editable(place)
    form = PlanForm(request.POST, instance=found, prefix_id="plan")
    if form.is_valid():
        try:
            save_owned(form.instance, user=request.user, expected_version=form.seen_version)
        except ConcurrentEditError as error:
            return _stale(request, place, found, error)
        except ValidationError as error:
            _attach(form, error)
        else:
            return _done(request, place, found, _("Plan saved."))
    editor = plan_editor(place, plan_of(place, pk, plan_pk))
    editor.forms["plan"] = form
    return _show(request, place, editor, status=200 if _is_htmx(request) else 400)


@login_required
@require_POST
def plan_status(request: HttpRequest, slug: str, pk: int, plan_pk: int) -> HttpResponse:
    """Submit, adopt or set back to draft: refused, with its reasons, while a blocking check
    fails (`projects.services`)."""
    place = seat(request.user, slug)
    found = plan_of(place, pk, plan_pk)
    _editable(place)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _show(
            request,
            place,
            plan_editor(place, found),
            status=200 if _is_htmx(request) else 400,
            alert=_("Choose draft, submitted or adopted."),
        )
    wanted = form.cleaned_data["status"]
    try:
        financing_plan_set_status(
            plan=found,
            status=wanted,
            user=request.user,
            expected_version=form.cleaned_data["_version"],
        )
    except ConcurrentEditError as error:
        return _stale(request, place, found, error)
    except ValidationError as error:
        fresh = plan_of(place, pk, plan_pk)
        alert = " ".join(error.messages)
        return _show(
            request,
            place,
            plan_editor(place, fresh),
            status=200 if _is_htmx(request) else 400,
            alert=alert,
        )
    notices = {
        FinancingPlan.Status.DRAFT: _("The plan is a draft again."),
        FinancingPlan.Status.SUBMITTED: _("Plan submitted."),
        FinancingPlan.Status.ADOPTED: _("Plan adopted."),
    }
    return _done(request, place, found, notices[FinancingPlan.Status(wanted)])


def _line_form(kind: str, request: HttpRequest | None, line: Any, plan: FinancingPlan) -> Any:
    prefix_id = f"{kind}-{line.pk or 'new'}"
    data = request.POST if request is not None else None
    initial = {"_version": plan.version}
    return LINE_FORMS[kind](data, instance=line, prefix_id=prefix_id, initial=initial)


def _line_refused(
    request: HttpRequest, place: Seat, plan: FinancingPlan, kind: str, line: Any, form: Any
) -> HttpResponse:
    """The line's form again with what to fix: in place (htmx), or in the whole page."""
    fresh = plan_of(place, plan.project_id, plan.pk)
    editor = plan_editor(place, fresh)
    if line.pk is None:
        editor.forms[f"add_{kind}"] = form
    else:
        editor.editing = (kind, line.pk)
        editor.forms["line"] = form
    if _is_htmx(request):
        target = f"#{kind}-{line.pk}" if line.pk else f"#add-{kind}"
        template = "workspace/plans/_line_edit.html" if line.pk else "workspace/plans/_add.html"
        context = {
            "editor": editor,
            "plan": fresh,
            "project": fresh.project,
            "kind": kind,
            "line": line,
            "form": form,
            "member": place.member,
            "open": True,
        }
        response = render(request, template, context)
        response["HX-Retarget"] = target
        response["HX-Reswap"] = "outerHTML"
        return response
    return _show(request, place, editor, status=400)


def _save_line(
    request: HttpRequest, place: Seat, plan: FinancingPlan, kind: str, line: Any
) -> HttpResponse:
    _editable(place)
    form = _line_form(kind, request, line, plan)
    if not form.is_valid():
        return _line_refused(request, place, plan, kind, line, form)
    adding = line.pk is None
    try:
        save_owned(form.instance, user=request.user, expected_version=form.seen_version)
    except ConcurrentEditError as error:
        return _stale(request, place, plan, error)
    except ValidationError as error:
        _attach(form, error)
        if adding:
            form.instance.pk = None
        return _line_refused(request, place, plan, kind, line, form)
    return _done(request, place, plan, _("Line added.") if adding else _("Line saved."))


@login_required
@require_POST
def line_add(request: HttpRequest, slug: str, pk: int, plan_pk: int, kind: str) -> HttpResponse:
    place = seat(request.user, slug)
    found = plan_of(place, pk, plan_pk)
    line = LINE_MODELS[kind](plan=found)
    return _save_line(request, place, found, kind, line)


@login_required
@require_http_methods(["GET", "POST"])
def line(
    request: HttpRequest, slug: str, pk: int, plan_pk: int, kind: str, line_pk: int
) -> HttpResponse:
    """GET: the line as a form, in place (htmx) or in the whole page; POST: save it."""
    place = seat(request.user, slug)
    found = plan_of(place, pk, plan_pk)
    current = line_of(found, kind, line_pk)
    if request.method == "POST":
        return _save_line(request, place, found, kind, current)
    _editable(place)
    form = _line_form(kind, None, current, found)
    if _is_htmx(request):
        context = {
            "plan": found,
            "project": found.project,
            "kind": kind,
            "line": current,
            "form": form,
            "member": place.member,
        }
        return render(request, "workspace/plans/_line_edit.html", context)
    editor = plan_editor(place, found)
    editor.editing = (kind, current.pk)
    editor.forms["line"] = form
    return _show(request, place, editor)


@login_required
@require_POST
def line_delete(
    request: HttpRequest, slug: str, pk: int, plan_pk: int, kind: str, line_pk: int
) -> HttpResponse:
    place = seat(request.user, slug)
    found = plan_of(place, pk, plan_pk)
    current = line_of(found, kind, line_pk)
    _editable(place)
    version = request.POST.get("_version", "")
    seen = int(version) if version.isdigit() else None
    try:
        delete_owned(current, user=request.user, expected_version=seen)
    except ConcurrentEditError as error:
        return _stale(request, place, found, error)
    except ValidationError as error:
        fresh = plan_of(place, pk, plan_pk)
        return _show(
            request,
            place,
            plan_editor(place, fresh),
            status=200 if _is_htmx(request) else 400,
            alert=" ".join(error.messages),
        )
    return _done(request, place, found, _("Line removed."))
