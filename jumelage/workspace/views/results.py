"""A project's results: a period's value reported by a contributor, the values waiting for an
officer's approval, approved or refused there."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jumelage.projects.result_services import (
    indicator_update_approve,
    indicator_update_refuse,
    indicator_update_submit,
)
from jumelage.tenancy.services import ConcurrentEditError
from jumelage.workspace import navigation
from jumelage.workspace.forms.results import PeriodValueForm, RefusalForm, VersionedForm
from jumelage.workspace.pages.results import approvals_page, period_page, waiting_update
from jumelage.workspace.selectors import Seat, seat
from jumelage.workspace.views.frame import render_page

# The model's field names that a form names otherwise.
FIELD_NAMES = {"refusal_reason": "reason"}


def _add_errors(form: VersionedForm, error: ValidationError) -> None:
    """A service's refusal on the form: on its field when the form has it, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = FIELD_NAMES.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def period_value(request: HttpRequest, slug: str, pk: int, period_pk: int) -> HttpResponse:
    """Report the value reached over a period (one thing per page: it works on a phone and
    without JavaScript)."""
    place = seat(request.user, slug)
    page = period_page(place, pk, period_pk)
    if not page.may_report:
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = PeriodValueForm(request.POST)
        if form.is_valid():
            try:
                indicator_update_submit(
                    period=page.period,
                    user=request.user,
                    value=form.cleaned_data["value"],
                    comment=form.cleaned_data["comment"],
                    expected_version=form.expected_version(),
                )
            except ConcurrentEditError as error:
                form.add_error(None, str(error.message))
                status = 409
            except ValidationError as error:
                _add_errors(form, error)
                status = 400
            else:
                messages.success(
                    request,
                    _("Value sent: an officer approves it before it is published."),
                )
                url = reverse("workspace:project", args=[place.member.slug, page.project.pk])
                return redirect(f"{url}#results-title")
        else:
            status = 400
    else:
        form = PeriodValueForm(initial={"_version": page.indicator.version})
    return render_page(
        request,
        "workspace/results/period_value.html",
        place,
        nav=navigation.PROJECTS,
        title=_("Report a value"),
        context={"page": page, "project": page.project, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def approvals(request: HttpRequest, slug: str) -> HttpResponse:
    """The values reported in the authority's projects that wait for approval."""
    place = seat(request.user, slug)
    return _approvals(request, place)


def _approvals(
    request: HttpRequest,
    place: Seat,
    bound: dict[int, RefusalForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = approvals_page(place, bound)
    if not page.may_approve:
        raise PermissionDenied
    return render_page(
        request,
        "workspace/results/approvals.html",
        place,
        nav=navigation.PROJECTS,
        title=_("Values to approve"),
        context={"page": page},
        status=status,
    )


def _back_to_approvals(slug: str) -> HttpResponse:
    return redirect("workspace:approvals", slug=slug)


@login_required
@require_POST
def approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = seat(request.user, slug)
    update = waiting_update(place, pk)
    form = VersionedForm(request.POST)
    form.is_valid()
    try:
        indicator_update_approve(
            update=update, user=request.user, expected_version=form.expected_version()
        )
    except (ConcurrentEditError, ValidationError) as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Value approved: it is now the published value of “%(indicator)s”.")
            % {"indicator": update.period.indicator},
        )
    return _back_to_approvals(place.member.slug)


@login_required
@require_POST
def refuse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = seat(request.user, slug)
    update = waiting_update(place, pk)
    form = RefusalForm(request.POST, prefix_id=f"refuse{update.pk}")
    if not form.is_valid():
        return _approvals(request, place, {update.pk: form}, status=400)
    try:
        indicator_update_refuse(
            update=update,
            user=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.expected_version(),
        )
    except ConcurrentEditError as error:
        messages.error(request, " ".join(error.messages))
    except ValidationError as error:
        _add_errors(form, error)
        return _approvals(request, place, {update.pk: form}, status=400)
    else:
        messages.success(
            request,
            _("Value refused: the contributor sees your reason on the project's page."),
        )
    return _back_to_approvals(place.member.slug)
