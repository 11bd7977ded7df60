"""The authority's projects: the list, one project's page, its form (new or changed) and the
preview of its public page."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jumelage.projects.models import ProjectSector
from jumelage.projects.services import project_save
from jumelage.public.views import project_preview as public_project_preview
from jumelage.tenancy.services import ConcurrentEditError
from jumelage.workspace import navigation
from jumelage.workspace.forms.projects import ProjectForm
from jumelage.workspace.pages.applications import (
    ApplicationsSection,
    ContributorsSection,
    applications_section,
    contributors_section,
)
from jumelage.workspace.pages.news import PROJECT, DocumentsSection, owner_documents
from jumelage.workspace.pages.projects import (
    may_edit,
    preview_page,
    project_to_edit,
    publishing,
    saved_identifier_problems,
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
        context={
            "page": page,
            "projects": page.object_list,
            "may_add": may_edit(place),
        },
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
    documents: DocumentsSection | None = None,
    status: int = 200,
) -> HttpResponse:
    """The project's page; a form sent without JavaScript that needs correcting comes back in
    it (`applications`, `contributors`, `documents`: the section as the view built it)."""
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
            "documents": documents
            or owner_documents(place, PROJECT, page.project.pk, documents=page.documents),
            "may_edit": may_edit(place),
        },
        status=status,
    )


def _may_edit(place: Seat) -> None:
    """The form is for those who may write all it writes (`pages.projects.may_edit`); the
    service asks again on each write."""
    if not may_edit(place):
        raise PermissionDenied(_("Your role lets you read the projects, not change them."))


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Create a project, or change its summary and publishing: titles and texts, objectives,
    dates, status, partnerships, countries and sectors with their shares, Atlas theme, SDG
    targets, places, ODA purpose, IATI identifier, published or not. Written by
    `projects.services.project_save` with the version the page showed; an identifier the IATI
    file's check would refuse is saved with a warning (the rule is the file's)."""
    place = seat(request.user, slug)
    project = project_to_edit(place, pk) if pk is not None else None
    _may_edit(place)
    base_url = request.build_absolute_uri("/")
    form = ProjectForm(
        request.POST if request.method == "POST" else None,
        user=place.user,
        member=place.member,
        instance=project,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            kept = [
                sector
                for sector in (project.sectors.all() if project is not None else [])
                if sector.vocabulary != ProjectSector.Vocabulary.DAC_5
            ]
            try:
                saved = project_save(
                    project=form.fill(),
                    user=place.user,
                    expected_version=form.cleaned_data.get("version") if project else None,
                    partnerships=form.cleaned_data.get("partnerships") or [],
                    countries=form.country_rows(),
                    sectors=[*form.sector_rows(), *kept],
                )
            except ValidationError as error:
                add_errors(form, error)
                status = 409 if isinstance(error, ConcurrentEditError) else 400
            else:
                messages.success(request, _("“%(project)s” is saved.") % {"project": saved})
                for problem in saved_identifier_problems(place, saved, base_url=base_url):
                    messages.warning(
                        request,
                        _("%(problem)s Until then, the IATI file leaves the project out.")
                        % {"problem": problem},
                    )
                return redirect("workspace:project", slug=place.member.slug, pk=saved.pk)
        else:
            status = 400
    title = str(project) if project is not None else _("New project")
    published = publishing(place, project, base_url=base_url, today=timezone.localdate())
    if published is not None:
        form.warn_identifier(published.identifier_problems)
    return render_page(
        request,
        "workspace/projects/edit.html",
        place,
        nav=navigation.PROJECTS,
        title=title,
        context={
            "form": form,
            "project": project,
            "publishing": published,
        },
        status=status,
    )


@login_required
@require_POST
def project_preview(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """The public page as the form's values would show it, without saving anything."""
    place = seat(request.user, slug)
    project = project_to_edit(place, pk) if pk is not None else None
    _may_edit(place)
    form = ProjectForm(request.POST, user=place.user, member=place.member, instance=project)
    if not form.is_valid():
        return render_page(
            request,
            "workspace/projects/edit.html",
            place,
            nav=navigation.PROJECTS,
            title=str(project) if project is not None else _("New project"),
            context={"form": form, "project": project, "publishing": None, "preview_failed": True},
            status=400,
        )
    return public_project_preview(request, preview_page(form))


def add_errors(form: ProjectForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)
