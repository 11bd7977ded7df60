"""The authority's projects: the list and one project's page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jumelage.workspace import navigation
from jumelage.workspace.pages.applications import (
    ApplicationsSection,
    ContributorsSection,
    applications_section,
    contributors_section,
)
from jumelage.workspace.pages.results import results_section
from jumelage.workspace.selectors import (
    PROJECTS_PER_PAGE,
    ProjectPage,
    Seat,
    project_list,
    project_page,
    seat,
)
from jumelage.workspace.views.frame import render_page


@login_required
@require_GET
def projects(request: HttpRequest, slug: str) -> HttpResponse:
    """The authority's projects, with their state, reports and money."""
    place = seat(request.user, slug)
    paginator = Paginator(project_list(place), PROJECTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render_page(
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
    """One project: summary and publishing, money, payments, applications, results,
    contributors, actors, documents, history."""
    return project_response(request, seat(request.user, slug), pk)


def project_response(
    request: HttpRequest,
    place: Seat,
    pk: int,
    *,
    applications: Callable[[ProjectPage], ApplicationsSection] | None = None,
    contributors: Callable[[ProjectPage], ContributorsSection] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The project's page; a form sent without JavaScript that needs correcting comes back in
    it (`applications`, `contributors`: the section as the view built it)."""
    page = project_page(place, pk)
    return render_page(
        request,
        "workspace/project.html",
        place,
        nav=navigation.PROJECTS,
        title=str(page.project),
        context={
            "page": page,
            "project": page.project,
            "results": results_section(place, page.project, page.results),
            "applications": applications(page)
            if applications
            else applications_section(place, page.project, page.applications),
            "contributors": contributors(page)
            if contributors
            else contributors_section(place, page.project),
        },
        status=status,
    )
