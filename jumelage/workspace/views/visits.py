"""Visits in the workspace: the list (coming, then past) and a visit's page, where the visit,
its delegation with their travel papers, its programme, hosting and costs are changed in place
(rows added, changed, removed).

With htmx each form swaps the page's body (`#visit-body`) with the message of what was done or
what to fix; without JavaScript the same views answer a post with a redirect to the visit's
page, or the page with the form to correct. Every write goes through the visits app's
services with the visit's version the page showed: a stale page writes nothing and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jumelage.tenancy.services import ConcurrentEditError
from jumelage.visits.models import Hosting, Participant, ProgrammeItem, Visit, VisitCost
from jumelage.visits.services import (
    hosting_remove,
    hosting_save,
    participant_remove,
    participant_save,
    programme_item_remove,
    programme_item_save,
    visit_cost_remove,
    visit_cost_save,
    visit_save,
    visit_set_status,
)
from jumelage.workspace import navigation
from jumelage.workspace.forms.applications import RowForm
from jumelage.workspace.forms.visits import (
    CostForm,
    HostingForm,
    ParticipantForm,
    ProgrammeItemForm,
    RemoveForm,
    StatusForm,
    VisitForm,
)
from jumelage.workspace.pages.visits import (
    decisions_of,
    may_write_visits,
    partnerships_of,
    people_of,
    visit_list,
    visit_of,
    visit_page,
)
from jumelage.workspace.selectors import Seat, seat
from jumelage.workspace.views.frame import render_page


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _writer(place: Seat) -> None:
    if not may_write_visits(place):
        raise PermissionDenied(_("Your role lets you read the visits, not change them."))


def _url(place: Seat, visit: Visit, anchor: str = "") -> str:
    url = reverse("workspace:visit", args=[place.member.slug, visit.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_GET
def visits(request: HttpRequest, slug: str) -> HttpResponse:
    """The authority's visits: coming ones soonest first, then past ones."""
    place = seat(request.user, slug)
    listing = visit_list(place, today=timezone.localdate())
    return render_page(
        request,
        "workspace/visits/list.html",
        place,
        nav=navigation.CALENDAR,
        title=_("Visits"),
        context={"visits": listing, "may_plan_visit": may_write_visits(place)},
    )


def _respond(
    request: HttpRequest,
    place: Seat,
    visit: Visit,
    *,
    status: int = 200,
    bound: dict[str, RowForm] | None = None,
    editing: str = "",
    notice: str = "",
    alert: str = "",
) -> HttpResponse:
    """The visit's body alone for htmx, else its whole page."""
    page = visit_page(place, visit, bound=bound, editing=editing, notice=notice, alert=alert)
    context = {"page": page, "visit": visit, "member": place.member}
    if _is_htmx(request):
        # htmx swaps only a successful answer: a refusal comes as 200, its message inside.
        return render(request, "workspace/visits/_body.html", context)
    return render_page(
        request,
        "workspace/visits/visit.html",
        place,
        nav=navigation.CALENDAR,
        title=str(visit),
        context=context,
        status=status,
    )


@login_required
@require_GET
def visit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A visit's page; `?edit=participant-3` (or programme-5, hosting-1, cost-2, visit_edit)
    opens that row's form."""
    place = seat(request.user, slug)
    found = visit_of(place, pk)
    editing = request.GET.get("edit", "")[:40] if may_write_visits(place) else ""
    return _respond(request, place, found, editing=editing)


def _write(
    request: HttpRequest,
    place: Seat,
    visit: Visit,
    form: RowForm,
    write: Callable[[], Any],
    *,
    notice: str | Callable[[], str],
    anchor: str,
) -> HttpResponse:
    """Run the write once the form reads well; answer with what was done or what to fix."""
    if form.is_valid():
        try:
            write()
        except ConcurrentEditError as error:
            fresh = visit_of(place, visit.pk)
            return _respond(request, place, fresh, status=409, alert=str(error.message))
        except ValidationError as error:
            form.refuse(error)
        else:
            fresh = visit_of(place, visit.pk)
            text = notice() if callable(notice) else notice
            if _is_htmx(request):
                return _respond(request, place, fresh, notice=text)
            messages.success(request, text)
            return redirect(_url(place, fresh, anchor))
    # What the form could not take: the visit as stored, the form as typed, nothing written.
    alert = _("Nothing was recorded: correct what is shown below.")
    if isinstance(form, RemoveForm):  # no field to show the reason by: say it at the top
        alert = " ".join(str(error) for error in form.non_field_errors()) or alert
    return _respond(
        request,
        place,
        visit_of(place, visit.pk),
        status=400,
        bound={form.key: form},
        alert=alert,
    )


def _remove(
    request: HttpRequest,
    slug: str,
    pk: int,
    row_pk: int,
    model: type[Any],
    *,
    key: str,
    remove: Callable[[Any, Any, int | None], None],
    notice: Callable[[Any], str],
    anchor: str,
) -> HttpResponse:
    """Take a row (`model`, of this visit) off the visit, with the visit's version the page
    showed: `remove(row, user, version)` is the visits app's service, `notice(row)` what was
    done, `key` the form's key with the row's id after it."""
    place = seat(request.user, slug)
    _writer(place)
    found = visit_of(place, pk)
    row = get_object_or_404(model, pk=row_pk, visit_id=found.pk)
    form = RemoveForm(request.POST, visit=found, key=f"{key}{row.pk}")

    def write() -> Any:
        remove(row, place.user, form.seen_version())

    return _write(request, place, found, form, write, notice=notice(row), anchor=anchor)


@login_required
@require_POST
def visit_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = seat(request.user, slug)
    _writer(place)
    found = visit_of(place, pk)
    form = VisitForm(request.POST, visit=found, partnerships=partnerships_of(place))

    def write() -> Any:
        return visit_save(visit=form.apply(), user=place.user, expected_version=form.seen_version())

    return _write(
        request, place, found, form, write, notice=_("The visit is saved."), anchor="visit"
    )


@login_required
@require_POST
def visit_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = seat(request.user, slug)
    _writer(place)
    found = visit_of(place, pk)
    form = StatusForm(request.POST, visit=found)

    def write() -> Any:
        return visit_set_status(
            visit=found,
            status=form.cleaned_data["status"],
            user=place.user,
            expected_version=form.seen_version(),
        )

    return _write(
        request,
        place,
        found,
        form,
        write,
        notice=lambda: _("The visit is now %(status)s.") % {"status": found.get_status_display()},
        anchor="visit",
    )


@login_required
@require_http_methods(["POST"])
def participant(
    request: HttpRequest, slug: str, pk: int, row_pk: int | None = None
) -> HttpResponse:
    """A new member of the delegation, or one changed (their papers recorded)."""
    place = seat(request.user, slug)
    _writer(place)
    found = visit_of(place, pk)
    row = None
    if row_pk is not None:
        row = get_object_or_404(
            Participant.objects.select_related("person", "special_mandate"),
            pk=row_pk,
            visit_id=found.pk,
        )
    form = ParticipantForm(
        request.POST,
        visit=found,
        people=people_of(place),
        decisions=decisions_of(place),
        row=row,
    )

    def write() -> Any:
        return participant_save(
            participant=form.apply(), user=place.user, expected_version=form.seen_version()
        )

    notice = _("The participant is added.") if row is None else _("The participant is saved.")
    return _write(request, place, found, form, write, notice=notice, anchor="participants")


@login_required
@require_POST
def participant_delete(request: HttpRequest, slug: str, pk: int, row_pk: int) -> HttpResponse:
    return _remove(
        request,
        slug,
        pk,
        row_pk,
        Participant,
        key="remove-",
        remove=lambda row, user, version: participant_remove(
            participant=row, user=user, expected_version=version
        ),
        notice=lambda row: _("%(name)s no longer takes part.") % {"name": row},
        anchor="participants",
    )


@login_required
@require_POST
def cost(request: HttpRequest, slug: str, pk: int, row_pk: int | None = None) -> HttpResponse:
    """A new cost of the visit, or one changed."""
    place = seat(request.user, slug)
    _writer(place)
    found = visit_of(place, pk)
    row = None
    if row_pk is not None:
        row = get_object_or_404(VisitCost, pk=row_pk, visit_id=found.pk)
    form = CostForm(request.POST, visit=found, row=row)

    def write() -> Any:
        return visit_cost_save(
            cost=form.apply(), user=place.user, expected_version=form.seen_version()
        )

    notice = _("The cost is added.") if row is None else _("The cost is saved.")
    return _write(request, place, found, form, write, notice=notice, anchor="costs")


@login_required
@require_POST
def cost_delete(request: HttpRequest, slug: str, pk: int, row_pk: int) -> HttpResponse:
    return _remove(
        request,
        slug,
        pk,
        row_pk,
        VisitCost,
        key="remove-cost-",
        remove=lambda row, user, version: visit_cost_remove(
            cost=row, user=user, expected_version=version
        ),
        notice=lambda row: _("The cost “%(label)s” is removed.") % {"label": row.label},
        anchor="costs",
    )


@login_required
@require_POST
def programme_item(
    request: HttpRequest, slug: str, pk: int, row_pk: int | None = None
) -> HttpResponse:
    """A new item of the programme, or one changed (its day one of the visit's)."""
    place = seat(request.user, slug)
    _writer(place)
    found = visit_of(place, pk)
    row = None
    if row_pk is not None:
        row = get_object_or_404(ProgrammeItem, pk=row_pk, visit_id=found.pk)
    form = ProgrammeItemForm(request.POST, visit=found, row=row)

    def write() -> Any:
        return programme_item_save(
            item=form.apply(), user=place.user, expected_version=form.seen_version()
        )

    notice = _("The programme item is added.") if row is None else _("The programme item is saved.")
    return _write(request, place, found, form, write, notice=notice, anchor="programme")


@login_required
@require_POST
def programme_item_delete(request: HttpRequest, slug: str, pk: int, row_pk: int) -> HttpResponse:
    return _remove(
        request,
        slug,
        pk,
        row_pk,
        ProgrammeItem,
        key="remove-programme-",
        remove=lambda row, user, version: programme_item_remove(
            item=row, user=user, expected_version=version
        ),
        notice=lambda row: _("“%(what)s” is off the programme.") % {"what": row.description},
        anchor="programme",
    )


@login_required
@require_POST
def hosting(request: HttpRequest, slug: str, pk: int, row_pk: int | None = None) -> HttpResponse:
    """A new host of the delegation (a family, a hotel), or one changed."""
    place = seat(request.user, slug)
    _writer(place)
    found = visit_of(place, pk)
    row = None
    if row_pk is not None:
        row = get_object_or_404(Hosting, pk=row_pk, visit_id=found.pk)
    form = HostingForm(request.POST, visit=found, row=row)

    def write() -> Any:
        return hosting_save(
            hosting=form.apply(), user=place.user, expected_version=form.seen_version()
        )

    notice = _("The host is added.") if row is None else _("The host is saved.")
    return _write(request, place, found, form, write, notice=notice, anchor="hosting")


@login_required
@require_POST
def hosting_delete(request: HttpRequest, slug: str, pk: int, row_pk: int) -> HttpResponse:
    return _remove(
        request,
        slug,
        pk,
        row_pk,
        Hosting,
        key="remove-hosting-",
        remove=lambda row, user, version: hosting_remove(
            hosting=row, user=user, expected_version=version
        ),
        notice=lambda row: _("%(host)s no longer hosts the delegation.") % {"host": row.host},
        anchor="hosting",
    )
