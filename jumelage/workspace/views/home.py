"""The start of the workspace and its home page: what to do, the year's files, recent changes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jumelage.tenancy.access import may_read_national_reports
from jumelage.tenancy.members.selectors import memberships_of
from jumelage.workspace import navigation
from jumelage.workspace.pages.setup import setup_left
from jumelage.workspace.selectors import home_page, seat
from jumelage.workspace.views.frame import LAST_AUTHORITY, render_page


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """/espace/: the workspace of the authority opened last, else of the first one."""
    memberships = list(memberships_of(request.user))
    if not memberships:
        if request.user.is_superuser:
            return redirect("admin:index")  # an instance administrator's place
        if may_read_national_reports(request.user):
            return redirect("reporting:oda_national_current")  # a national body's reader
        return render(request, "workspace/no_authority.html", status=403)
    slugs = [m.authority.slug for m in memberships]
    last = request.session.get(LAST_AUTHORITY)
    return redirect("workspace:home", slug=last if last in slugs else slugs[0])


@login_required
@require_GET
def home(request: HttpRequest, slug: str) -> HttpResponse:
    """What to do, the year's files, recent changes."""
    place = seat(request.user, slug)
    if request.session.get(LAST_AUTHORITY) != place.member.slug:
        request.session[LAST_AUTHORITY] = place.member.slug
    today = timezone.localdate()
    page = home_page(place, today=today, base_url=request.build_absolute_uri("/"))
    return render_page(
        request,
        "workspace/home.html",
        place,
        nav=navigation.HOME,
        title=_("Home"),
        context={"home": page, "today": today, "setup_left": setup_left(place.member)},
    )
