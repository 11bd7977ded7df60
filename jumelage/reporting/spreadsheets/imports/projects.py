"""A member authority's projects: one row per project."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jumelage.audit.services import snapshot
from jumelage.projects.models import Project, ProjectCountry, ProjectSector
from jumelage.projects.services import project_set_countries, project_set_sectors
from jumelage.projects.validators import (
    validate_country_percentages,
    validate_sector_percentages,
)
from jumelage.reporting.spreadsheets.exports import field_header
from jumelage.reporting.spreadsheets.imports.base import (
    Context,
    Field,
    ImportKind,
    Planned,
    RowProblems,
)
from jumelage.tenancy.services import save_owned, user_can_write

# --- Projects ------------------------------------------------------------------------------------


class ProjectImport(ImportKind):
    name = "projects"
    title = gettext_lazy("Projects")
    description = gettext_lazy(
        "Your authority's projects, with their dates, theme, countries and partnerships."
    )
    what = gettext_lazy("project")
    existing_rows = gettext_lazy(
        "A project your authority already has at the same address (slug) is updated: filled "
        "cells replace what is stored, empty cells leave it unchanged; a list of countries or "
        "partnerships replaces the project's. A row identical to what is stored is skipped."
    )
    fields = (
        Field(
            "slug",
            field_header(Project, "slug"),
            "project_slug",
            gettext_lazy(
                "A short name that identifies the project: letters without accents, digits and "
                "hyphens."
            ),
            "forages-cap-haitien",
            required=True,
        ),
        Field(
            "title_fr",
            gettext_lazy("Title (French)"),
            "text",
            gettext_lazy("Required for a new project (or the English title)."),
            "Forages au Cap-Haïtien",
            model_field="title",
            args=(300,),
        ),
        Field(
            "title_en",
            gettext_lazy("Title (English)"),
            "text",
            "",
            "Boreholes in Cap-Haïtien",
            args=(300,),
        ),
        Field(
            "summary_fr",
            gettext_lazy("Summary (French)"),
            "text",
            "",
            model_field="summary",
            args=(5000,),
        ),
        Field(
            "status",
            field_header(Project, "status"),
            "choice",
            gettext_lazy("One of the list; an idea if empty."),
            choices=Project.Status,
        ),
        Field("planned_start", field_header(Project, "planned_start"), "date", ""),
        Field("planned_end", field_header(Project, "planned_end"), "date", ""),
        Field("actual_start", field_header(Project, "actual_start"), "date", ""),
        Field("actual_end", field_header(Project, "actual_end"), "date", ""),
        Field(
            "period",
            gettext_lazy("Period"),
            "period",
            gettext_lazy("Instead of the planned start and end: 2019-2022, or 01/2019 - 06/2020."),
            "2019-2022",
        ),
        Field("places", field_header(Project, "places"), "text", "", args=(300,)),
        Field(
            "atlas_theme",
            field_header(Project, "atlas_theme"),
            "theme",
            gettext_lazy("The code of an Atlas theme (listed in the back office)."),
        ),
        Field(
            "currency",
            field_header(Project, "currency"),
            "currency",
            gettext_lazy("Three capital letters; EUR if empty."),
            "EUR",
        ),
        Field(
            "countries",
            gettext_lazy("Recipient countries"),
            "country_shares",
            gettext_lazy(
                "Countries (names or ISO codes) separated by semicolons, each with its "
                "percentage when there are several: HT 80; RS 20. They replace the project's."
            ),
            "HT",
        ),
        Field(
            "sectors",
            gettext_lazy("Sectors (CRS purpose codes)"),
            "sector_shares",
            gettext_lazy(
                "OECD CRS purpose codes (5 digits, a name after the code is ignored) separated "
                "by semicolons, each with its percentage when there are several: 14030 60; "
                "15112 40. They replace the project's; the IATI file needs at least one."
            ),
            "14030",
        ),
        Field(
            "partnerships",
            field_header(Project, "partnerships"),
            "partnerships",
            gettext_lazy(
                "Partners' names, or numbers from the ID column of the partnerships export, "
                "separated by semicolons. They replace the project's partnerships."
            ),
            "Cap-Haïtien",
        ),
        Field(
            "is_public",
            field_header(Project, "is_public"),
            "boolean",
            gettext_lazy("Yes to show it on your public pages; no if empty."),
        ),
    )
    plain = (
        "status",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "places",
        "atlas_theme",
        "currency",
        "is_public",
    )

    def may_write(self, ctx: Context) -> str | None:
        if ctx.member is None:
            return _("Choose the member authority the projects are for.")
        if user_can_write(ctx.user, Project(authority=ctx.member)):
            return None
        return _(
            "You may not change the projects of %(authority)s. Ask its administrator for a "
            "role that lets you edit them."
        ) % {"authority": ctx.member}

    def prepare(self, ctx: Context, rows: list[tuple[int, dict[str, Any]]]) -> None:
        slugs = [values["slug"] for _row, values in rows if values.get("slug")]
        projects = Project.objects.of_authority(ctx.member.pk).filter(slug__in=slugs)  # type: ignore[union-attr]
        self.existing = {project.slug: project for project in projects}
        self.links: dict[int, set[int]] = {}
        links = Project.partnerships.through.objects.filter(project__in=projects)
        for project_id, partnership_id in links.values_list("project_id", "partnership_id"):
            self.links.setdefault(project_id, set()).add(partnership_id)
        self.sectors: dict[int, dict[str, Decimal]] = {}
        dac = ProjectSector.objects.filter(
            project__in=projects, vocabulary=ProjectSector.Vocabulary.DAC_5
        )
        for project_id, code, share in dac.values_list("project_id", "code", "percentage"):
            self.sectors.setdefault(project_id, {})[code] = share
        self.countries: dict[int, dict[str, Decimal]] = {}
        shares = ProjectCountry.objects.filter(project__in=projects)
        for project_id, code, share in shares.values_list("project_id", "country_id", "percentage"):
            self.countries.setdefault(project_id, {})[code] = share

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return values.get("slug")

    def plan(self, row: int, values: dict[str, Any], ctx: Context) -> Planned:
        if "period" in values:
            start, end = values.pop("period")
            values.setdefault("planned_start", start)
            if end is not None:
                values.setdefault("planned_end", end)
        countries = values.get("countries")
        if countries is not None:
            try:
                validate_country_percentages(countries)
            except ValidationError as error:
                raise RowProblems(
                    [self.problem(row, "countries", message) for message in error.messages]
                ) from error
        sectors = values.get("sectors")
        if sectors is not None:
            try:
                validate_sector_percentages(
                    [(ProjectSector.Vocabulary.DAC_5, code, share) for code, share in sectors]
                )
            except ValidationError as error:
                raise RowProblems(
                    [self.problem(row, "sectors", message) for message in error.messages]
                ) from error
        m2m = {"partnerships": values["partnerships"]} if "partnerships" in values else {}
        existing = self.existing.get(values["slug"])
        if existing is None:
            if not values.get("title_fr") and not values.get("title_en"):
                raise RowProblems(
                    [
                        self.problem(
                            row,
                            "title_fr",
                            _("a new project needs a title; write it in French or in English."),
                        )
                    ]
                )
            instance = Project(authority=ctx.member, slug=values["slug"])
            stored = None
        else:
            instance = Project.objects.get(pk=existing.pk)
            stored = snapshot(instance)
        self.set_values(instance, values, self.plain)
        for key, attribute in (
            ("title_fr", "title"),
            ("title_en", "title"),
            ("summary_fr", "summary"),
        ):
            self.set_text(instance, values, attribute, key)
        if stored is None:
            planned = self.outcome(row, instance, None, m2m=m2m, countries=countries)
        else:
            planned = self.outcome(
                row,
                instance,
                stored,
                m2m=m2m,
                stored_m2m={"partnerships": self.links.get(instance.pk, set())},
                countries=countries,
                stored_countries=self.countries.get(instance.pk, {}),
            )
        if sectors is not None:
            wanted = {code: share if share is not None else Decimal(100) for code, share in sectors}
            if stored is None or wanted != self.sectors.get(instance.pk, {}):
                planned.sectors = sectors
                if planned.action == "unchanged":
                    planned.action = "update"
        return planned

    def write(self, planned: Planned, ctx: Context) -> None:
        project = planned.instance
        # Checked against the version read when the row was planned: a project changed since
        # (by a colleague, during the import) refuses the import rather than being overwritten.
        if planned.record_changed:
            project = save_owned(
                project,
                user=ctx.user,
                expected_version=project.version,
                m2m=planned.m2m or None,
                verb=gettext_noop("project imported from a spreadsheet"),
            )
        if planned.sectors is not None:
            project_set_sectors(
                project=project,
                user=ctx.user,
                sectors=[{"code": code, "percentage": share} for code, share in planned.sectors],
                expected_version=project.version,
            )
            project.refresh_from_db(fields=["version"])
        if planned.countries is not None:
            project_set_countries(
                project=project,
                user=ctx.user,
                countries=[
                    {"country": code, "percentage": share} for code, share in planned.countries
                ],
                expected_version=project.version,
            )
