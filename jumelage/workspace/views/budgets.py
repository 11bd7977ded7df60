"""The "1 % laws" budgets of the authority: the page of a year (each budget's ceiling, what it
commits, pays and uses, the payments taken on it), and a budget recorded, changed or removed
through projects.services (the version the page showed, the rules, the audit log)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jumelage.projects.models import ServiceBudget
from jumelage.projects.services import service_budget_delete, service_budget_save
from jumelage.tenancy.services import ConcurrentEditError
from jumelage.workspace import navigation
from jumelage.workspace.forms.budgets import ServiceBudgetForm
from jumelage.workspace.pages.budgets import (
    FIRST_YEAR,
    LAST_YEAR,
    budget_of,
    budgets_page,
    may_write_budgets,
)
from jumelage.workspace.selectors import Seat, seat
from jumelage.workspace.views.frame import render_page


def _year_url(place: Seat, year: int) -> str:
    return reverse("workspace:service_budgets", args=[place.member.slug, year])


def _writer(request: HttpRequest, slug: str) -> Seat:
    place = seat(request.user, slug)
    if not may_write_budgets(place):
        raise PermissionDenied(_("Your role lets you read the service budgets, not change them."))
    return place


@login_required
@require_GET
def budgets_current(request: HttpRequest, slug: str) -> HttpResponse:
    """The budgets of the current year."""
    place = seat(request.user, slug)
    return redirect(_year_url(place, timezone.localdate().year))


@login_required
@require_GET
def budgets(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    place = seat(request.user, slug)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(_("There are no service budgets for this year."))
    return render_page(
        request,
        "workspace/budgets/list.html",
        place,
        nav=navigation.PAYMENTS,
        title=_("1 %% laws budgets, %(year)s") % {"year": year},
        context={"budgets": budgets_page(place, year)},
    )


def _initial_year(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    if text.isdigit() and len(text) == 4 and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    return timezone.localdate().year


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Record a service budget, or change one: the year, the service, its resources and
    reference. A page opened before a colleague's change is refused with a message."""
    place = seat(request.user, slug)
    budget = budget_of(place, pk) if pk is not None else None
    if not may_write_budgets(place):
        raise PermissionDenied(_("Your role lets you read the service budgets, not change them."))
    title = (
        _("Change the %(budget)s budget") % {"budget": budget}
        if budget is not None
        else _("Record a service budget")
    )
    year = budget.year if budget is not None else _initial_year(request)
    initial: dict[str, object] | None = None
    if budget is None:
        initial = {"year": year}
        kind = request.GET.get("kind", "")
        if kind in ServiceBudget.Kind.values:
            initial["kind"] = kind
    form = ServiceBudgetForm(
        request.POST if request.method == "POST" else None,
        member=place.member,
        instance=budget,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = service_budget_save(
                    budget=form.fill(),
                    user=place.user,
                    expected_version=form.cleaned_data.get("version") if budget else None,
                )
            except ValidationError as error:
                form.refuse(error)
                status = 409 if isinstance(error, ConcurrentEditError) else 400
            else:
                messages.success(
                    request,
                    _("The %(budget)s budget is saved: its ceiling is 1 %% of its resources.")
                    % {"budget": saved},
                )
                return redirect(_year_url(place, saved.year) + f"#budget-{saved.pk}")
        else:
            status = 400
    return render_page(
        request,
        "workspace/budgets/edit.html",
        place,
        nav=navigation.PAYMENTS,
        title=title,
        context={"form": form, "budget": budget, "heading": title, "year": year},
        status=status,
    )


@login_required
@require_POST
def budget_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a budget; refused while payments are taken on it (the delete rule says how)."""
    place = _writer(request, slug)
    budget = budget_of(place, pk)
    back = _year_url(place, budget.year)
    name = str(budget)
    version_text = request.POST.get("version", "")
    version = int(version_text) if version_text.isdigit() and len(version_text) < 12 else None
    try:
        service_budget_delete(budget=budget, user=place.user, expected_version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back + f"#budget-{pk}")
    messages.success(request, _("The %(budget)s budget is removed.") % {"budget": name})
    return redirect(back)
