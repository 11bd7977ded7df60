"""Thin views of the workspace: each finds the user's seat in the authority named by the address
(a 404 for an authority they are not a member of), asks the selectors, renders."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jumelage.accounts.selectors import memberships_of
from jumelage.workspace import navigation
from jumelage.workspace.selectors import (
    PROJECTS_PER_PAGE,
    Seat,
    home_page,
    project_list,
    project_page,
    seat,
)

# The authority last opened, to open it again from /espace/ when the user has several.
LAST_AUTHORITY = "workspace_authority"


def _render(
    request: HttpRequest,
    template: str,
    place: Seat,
    *,
    nav: str,
    title: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    base = {
        "workspace": place,
        "member": place.member,
        "authority": place.member.authority,
        "menu": navigation.menu(place.member),
        "nav": nav,
        "page_title": title,
    }
    return render(request, template, {**base, **(context or {})}, status=status)


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """/espace/: the workspace of the authority opened last, else of the first one."""
    memberships = list(memberships_of(request.user))
    if not memberships:
        if request.user.is_superuser:
            return redirect("admin:index")  # an instance administrator's place
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
    return _render(
        request,
        "workspace/home.html",
        place,
        nav=navigation.HOME,
        title=_("Home"),
        context={"home": page, "today": today},
    )


@login_required
@require_GET
def projects(request: HttpRequest, slug: str) -> HttpResponse:
    """The authority's projects, with their state, reports and money."""
    place = seat(request.user, slug)
    paginator = Paginator(project_list(place), PROJECTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return _render(
        request,
        "workspace/projects.html",
        place,
        nav=navigation.PROJECTS,
        title=_("Projects"),
        context={"page": page, "projects": page.object_list},
    )


@login_required
@require_GET
def project(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One project, read only: summary and publishing, money, payments, results, actors,
    documents, history."""
    place = seat(request.user, slug)
    page = project_page(place, pk)
    return _render(
        request,
        "workspace/project.html",
        place,
        nav=navigation.PROJECTS,
        title=str(page.project),
        context={"page": page, "project": page.project},
    )
