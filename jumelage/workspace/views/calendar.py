"""The calendar and visits: the month's deadlines and visits, planning a visit, and the
personal iCalendar feed (its secret address, and the feed itself, read without a session)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from jumelage.tenancy.access import may_write
from jumelage.tenancy.members.selectors import calendar_feed_of, calendar_feed_owner, memberships_of
from jumelage.tenancy.members.services import calendar_feed_renew, calendar_feed_revoke
from jumelage.visits.models import Visit
from jumelage.visits.selectors import visit_travel_paper_problems
from jumelage.visits.services import visit_plan
from jumelage.workspace import navigation
from jumelage.workspace.forms.calendar import VisitPlanForm, link_errors
from jumelage.workspace.ical import feed_calendar
from jumelage.workspace.pages.calendar import feed_items, month_page
from jumelage.workspace.selectors import seat
from jumelage.workspace.views.frame import render_page

# The new secret, kept in the session until its page shows it once.
NEW_FEED_SECRET = "workspace_calendar_secret"


@login_required
@require_GET
def month(
    request: HttpRequest, slug: str, year: int | None = None, month: int | None = None
) -> HttpResponse:
    """The month's deadlines and visits, day by day; this month without a date."""
    place = seat(request.user, slug)
    today = timezone.localdate()
    if year is None or month is None:
        year, month = today.year, today.month
    if not (1 <= month <= 12 and 1 < year < 9999):
        raise Http404
    page = month_page(user=place.user, member=place.member, year=year, month=month, today=today)
    return render_page(
        request,
        "workspace/calendar/month.html",
        place,
        nav=navigation.CALENDAR,
        title=_("Calendar: %(month)s") % {"month": page.title},
        context={
            "month": page,
            "today": today,
            "may_plan_visit": may_write(place.user, place.member.pk, Visit.write_roles),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_visit(request: HttpRequest, slug: str) -> HttpResponse:
    """Plan a visit: partnership, dates, delegation, purpose. Written by the visits service;
    the papers the delegation still lacks go to the home's to-do list."""
    place = seat(request.user, slug)
    if not may_write(place.user, place.member.pk, Visit.write_roles):
        raise PermissionDenied(_("Your role lets you read the calendar, not plan visits."))
    initial = {}
    wanted = request.GET.get("partnership", "")
    if wanted.isdigit() and len(wanted) < 19:
        initial["partnership"] = int(wanted)
    form = VisitPlanForm(
        request.POST or None, user=place.user, member=place.member, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        visit, participants = form.build()
        try:
            visit = visit_plan(visit=visit, participants=participants, user=place.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("“%(visit)s” is planned.") % {"visit": visit})
            if visit_travel_paper_problems(visit):
                messages.warning(
                    request,
                    _(
                        "Some members of the delegation still lack their travel papers: the "
                        "home's to-do list shows what to give."
                    ),
                )
            assert visit.starts_on is not None  # required by the form
            return redirect(
                "workspace:calendar_month",
                slug=place.member.slug,
                year=visit.starts_on.year,
                month=visit.starts_on.month,
            )
    link_errors(form)
    return render_page(
        request,
        "workspace/calendar/plan_visit.html",
        place,
        nav=navigation.CALENDAR,
        title=_("Plan a visit"),
        context={"form": form},
    )


def _add_errors(form: VisitPlanForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def feed_url(request: HttpRequest, secret: str) -> str:
    return request.build_absolute_uri(reverse("workspace:calendar_feed", args=[secret]))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def subscription(request: HttpRequest, slug: str) -> HttpResponse:
    """The user's personal calendar address: make one (shown once), make a new one (the old
    one stops), or stop it."""
    place = seat(request.user, slug)
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            calendar_feed_revoke(user=place.user)
            messages.success(request, _("Your calendar address no longer works."))
        else:
            request.session[NEW_FEED_SECRET] = calendar_feed_renew(user=place.user)
        return redirect("workspace:calendar_subscription", slug=place.member.slug)
    secret = request.session.pop(NEW_FEED_SECRET, None)
    return render_page(
        request,
        "workspace/calendar/subscription.html",
        place,
        nav=navigation.CALENDAR,
        title=_("Your calendar address"),
        context={
            "feed": calendar_feed_of(place.user),
            "address": feed_url(request, secret) if secret else "",
        },
    )


@never_cache
@require_GET
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The iCalendar feed of a secret address: no session, the secret is the key. Only the
    items of the address owner's authorities; a revoked or unknown address is not found."""
    user = calendar_feed_owner(secret)
    if user is None:
        raise Http404
    members = [m.authority for m in memberships_of(user)]
    today = timezone.localdate()
    items = feed_items(user=user, members=members, today=today)
    body = feed_calendar(
        items,
        name=_("Jumelage: deadlines and visits"),
        base_url=request.build_absolute_uri("/"),
        stamp=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="jumelage.ics"'
    # The address is a secret: never sent on as a referrer, never kept by a shared cache.
    response["Referrer-Policy"] = "no-referrer"
    return response
