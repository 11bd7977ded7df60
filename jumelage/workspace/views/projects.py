"""The authority's projects: the list and one project's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jumelage.workspace import navigation
from jumelage.workspace.pages.results import results_section
from jumelage.workspace.selectors import PROJECTS_PER_PAGE, project_list, project_page, seat
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
    """One project: summary and publishing, money, payments, results, actors, documents,
    history."""
    place = seat(request.user, slug)
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
        },
    )
