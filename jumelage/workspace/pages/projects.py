"""The project's form pages: the project to edit (or a new one), what publishing it means for it
(public page, IATI file, API: decided by `projects.selectors.published_projects` and the IATI
export's own checks, `reporting.iati.export.project_problems`), and the preview of its public
page built from the form's values (`public.selectors.project_page_of`), which writes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse

from jumelage.core.models import Country
from jumelage.partners.models import Partnership
from jumelage.projects.models import Project, ProjectCountry, ProjectSector
from jumelage.projects.selectors import published_projects
from jumelage.public.selectors import ProjectPage, project_page_of
from jumelage.reporting.iati.export import project_problems
from jumelage.reporting.iati.problems import Problem
from jumelage.reporting.iati.rules import IDENTIFIER_RULES
from jumelage.tenancy.access import may_write
from jumelage.workspace.forms.projects import ProjectForm
from jumelage.workspace.selectors import Seat

# What the form writes: the project, and its rows of countries and sectors.
FORM_MODELS = (Project, ProjectCountry, ProjectSector)


def may_edit(place: Seat) -> bool:
    """Whether the user may write everything the form writes, by the roles each model names
    (`write_roles`, asked of tenancy.access): a contributor may change a project's texts in
    the back office but not its countries and sectors, so the form is for officers and
    administrators."""
    return all(may_write(place.user, place.member.pk, model.write_roles) for model in FORM_MODELS)


def project_to_edit(place: Seat, pk: int) -> Project:
    """A project of the seat's authority with what its form shows; a 404 for a project the user
    may not read (another authority's). Four queries."""
    projects = (
        Project.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .select_related("atlas_theme__parent__parent")
        .prefetch_related(
            "sectors",
            Prefetch("countries", queryset=ProjectCountry.objects.select_related("country")),
            Prefetch("partnerships", queryset=Partnership.objects.only("pk")),
        )
    )
    return get_object_or_404(projects, pk=pk)


@dataclass
class Publishing:
    """Whether the project is on the public page (and the API) and in the IATI file, and why
    not, for the project as last saved."""

    is_public: bool
    public_url: str
    iati_problems: list[str] = field(default_factory=list)
    # Those of the IATI identifier, also shown beside its box as a warning (the rule is the
    # IATI file's, `reporting.iati.rules`: the projects' service does not repeat it).
    identifier_problems: list[str] = field(default_factory=list)

    @property
    def in_iati(self) -> bool:
        return self.is_public and not self.iati_problems


def publishing(
    place: Seat, project: Project | None, *, base_url: str = "", today: datetime.date
) -> Publishing | None:
    """The publishing state of a saved project (None for a new one)."""
    if project is None or project.pk is None:
        return None
    member = place.member
    public = published_projects(member).filter(pk=project.pk).exists()
    problems = project_problems(member, project.pk, base_url=base_url, today=today)
    return Publishing(
        is_public=public,
        public_url=reverse("public:project", args=[member.slug, project.slug]) if public else "",
        iati_problems=[problem.message for problem in problems],
        identifier_problems=identifier_problems(problems),
    )


def identifier_problems(problems: list[Problem]) -> list[str]:
    return [problem.message for problem in problems if problem.rule in IDENTIFIER_RULES]


def saved_identifier_problems(place: Seat, project: Project, *, base_url: str) -> list[str]:
    """What the IATI file's check says of a project's identifier just saved (none when the
    officer left it empty: the file then makes one that passes)."""
    if not project.iati_identifier:
        return []
    problems = project_problems(place.member, project.pk, base_url=base_url)
    return identifier_problems(problems)


def preview_page(form: ProjectForm) -> ProjectPage:
    """The public page of the project as the form's values would show it. Nothing is saved:
    the project and its rows stay in memory."""
    project = form.fill()
    rows = form.country_rows()
    named = Country.objects.in_bulk([row["country"] for row in rows])
    countries = [
        ProjectCountry(
            project=project,
            country=named[row["country"]],
            percentage=row.get("percentage") or 100,
        )
        for row in rows
        if row["country"] in named
    ]
    sectors = [
        ProjectSector(project=project, code=row["code"], percentage=row.get("percentage") or 100)
        for row in form.sector_rows()
    ]
    partnership_ids = [p.pk for p in form.cleaned_data.get("partnerships") or []]
    return project_page_of(
        form.member,
        project,
        partnership_ids=partnership_ids,
        countries=countries,
        sectors=sectors,
    )
