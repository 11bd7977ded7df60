"""A member authority's projects: one row per project."""

from __future__ import annotations

import re
from collections.abc import Hashable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jumelage.audit.services import snapshot
from jumelage.projects.models import (
    FinancingPlan,
    Funder,
    Project,
    ProjectCountry,
    ProjectSector,
)
from jumelage.projects.selectors import format_amount
from jumelage.projects.services import project_set_countries, project_set_sectors
from jumelage.projects.validators import (
    validate_country_percentages,
    validate_sector_percentages,
)
from jumelage.reporting.spreadsheets import cells
from jumelage.reporting.spreadsheets.cells import CellProblem, norm
from jumelage.reporting.spreadsheets.exports import field_header
from jumelage.reporting.spreadsheets.imports.base import (
    Context,
    Field,
    ImportKind,
    Planned,
    Problem,
    RowProblems,
)
from jumelage.reporting.spreadsheets.imports.project_budget import (
    BudgetPlan,
    Funders,
    budget_plan,
    import_titles,
    read_amount,
    read_amounts,
    read_cofunders,
    stored_lines,
    write_budget,
)
from jumelage.reporting.spreadsheets.imports.sectors import shown_suggestions
from jumelage.tenancy.services import save_owned, user_can_write

SLUG_LENGTH = 120  # Project.slug's max_length
# Officers' own words for a project's status, besides the labels of the list.
STATUS_WORDS = {
    "terminé": Project.Status.COMPLETED,
    "fini": Project.Status.COMPLETED,
    "clos": Project.Status.COMPLETED,
    "clôturé": Project.Status.COMPLETED,
    "réalisé": Project.Status.COMPLETED,
    "à l'étude": Project.Status.PREPARATION,
    "en projet": Project.Status.PREPARATION,
    "en montage": Project.Status.PREPARATION,
    "abandonné": Project.Status.CANCELLED,
    "en recherche de financement": Project.Status.FUNDING_SOUGHT,
    "finished": Project.Status.COMPLETED,
}
BUDGET_KEYS = ("budget_total", "budget_years", "cofunders", "cofunding")
ZERO = Decimal(0)

# --- Projects ------------------------------------------------------------------------------------


class ProjectImport(ImportKind):
    name = "projects"
    title = gettext_lazy("Projects")
    description = gettext_lazy(
        "Your authority's projects, with their dates, theme, countries and partnerships."
    )
    what = gettext_lazy("project")
    existing_rows = gettext_lazy(
        "A project your authority already has at the same address (slug), or with the same "
        "title when the file gives no address, is updated: filled cells replace what is "
        "stored, empty cells leave it unchanged; a list of countries or partnerships replaces "
        "the project's, a budget the plan the import made. A row identical to what is stored "
        "is skipped."
    )
    fields = (
        Field(
            "slug",
            field_header(Project, "slug"),
            "project_slug",
            gettext_lazy(
                "A short name that identifies the project: letters without accents, digits and "
                "hyphens. Optional: without it, a project is found by its title, and a new one "
                "gets an address made from its title."
            ),
            "forages-cap-haitien",
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
            args=(STATUS_WORDS,),
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
            "raw",
            gettext_lazy(
                "The code or name of an Atlas theme (listed in the back office). A name that is "
                "also the name of a CRS purpose code sets the project's sector too."
            ),
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
                "OECD CRS purpose codes (5 digits, a name after the code is ignored) or their "
                "names in French or English, separated by semicolons, each with its percentage "
                "when there are several: 14030 60; 15112 40. They replace the project's; the "
                "IATI file needs at least one."
            ),
            "14030",
        ),
        Field(
            "budget_total",
            gettext_lazy("Total budget"),
            "raw",
            gettext_lazy(
                "The project's whole cost, in its currency: 120 000 €. Written as a financing "
                "plan with the co-funders, the authority's own share making up the rest."
            ),
            "120 000",
        ),
        Field(
            "budget_years",
            gettext_lazy("Budget of a year"),
            "raw",
            gettext_lazy(
                "One column per year, named with its year: “Budget 2025”, “Budget 2026”. Each "
                "year's amount becomes an expense line of that year in the financing plan."
            ),
            "45 000",
            header_pattern=r"(?:budget|cout|montant|depenses?)(?: \w+)?(?: en)? (?:19|20)\d\d",
        ),
        Field(
            "cofunders",
            gettext_lazy("Co-funders"),
            "raw",
            gettext_lazy(
                "Funders as the register of funders names them, separated by semicolons, each "
                "with its amount if you like: AFD 60 000 €; Région 20 000 €."
            ),
            "AFD 60 000",
        ),
        Field(
            "cofunding",
            gettext_lazy("Co-funding amounts"),
            "raw",
            gettext_lazy(
                "The co-funders' amounts, in the same order, separated by semicolons, when the "
                "co-funders column gives only their names."
            ),
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
        # Every project of the authority, a few columns each (tens to hundreds): a row without
        # its address is found by its title, and a new project's address must be free.
        projects = list(
            Project.objects.of_authority(ctx.member.pk).only("pk", "slug", "title")  # type: ignore[union-attr]
        )
        self.existing = {project.slug: project for project in projects}
        self.by_title: dict[str, list[Project]] = {}
        for project in projects:
            for title in set((project.title or {}).values()):
                if isinstance(title, str) and norm(title):
                    named = self.by_title.setdefault(norm(title), [])
                    if project not in named:
                        named.append(project)
        self.taken = set(self.existing)
        self.new_titles: dict[str, str] = {}
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
        # Financing plans: the import's own (found again by its title), and whether a project
        # has plans made by hand, which the import never touches.
        self.plans: dict[int, FinancingPlan] = {}
        self.hand_made: set[int] = set()
        self.plan_lines: dict[int, dict[str, list[tuple[Any, ...]]]] = {}
        if any(key in v for _r, v in rows for key in BUDGET_KEYS):
            titles = import_titles()
            plans = list(
                FinancingPlan.objects.filter(project__in=projects).only(
                    "pk", "project_id", "title", "year", "status", "currency", "version"
                )
            )
            for plan in plans:
                if plan.title in titles and plan.year is None:
                    self.plans.setdefault(plan.project_id, plan)
                else:
                    self.hand_made.add(plan.project_id)
            self.plan_lines = stored_lines(list(self.plans.values()))
        self.funders: Funders | None = None
        self.themes: cells.Themes | None = None

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return None  # known once the project is found or its address made: see plan()

    # --- finding the project ---

    def titles_of(self, values: dict[str, Any]) -> list[str]:
        return [values[key] for key in ("title_fr", "title_en") if values.get(key)]

    def find(self, row: int, values: dict[str, Any]) -> tuple[Project | None, str]:
        """The project the row is about (None: a new one) and its address: by the address
        when the row gives one, else by its title, else a new address made from the title."""
        if values.get("slug"):
            return self.existing.get(values["slug"]), values["slug"]
        titles = self.titles_of(values)
        if not titles:
            raise RowProblems(
                [
                    Problem(
                        _(
                            "the row has neither a title nor an address (slug); write the "
                            "project's title, in French or in English."
                        ),
                        row=row,
                    )
                ]
            )
        found: list[Project] = []
        for title in titles:
            for project in self.by_title.get(norm(title), []):
                if project not in found:
                    found.append(project)
        if len(found) > 1:
            raise RowProblems(
                [
                    self.problem(
                        row,
                        "title_fr" if values.get("title_fr") else "title_en",
                        _(
                            "your authority has several projects called “%(title)s” (at the "
                            "addresses %(slugs)s); add a column with the address (slug) to say "
                            "which one."
                        )
                        % {"title": titles[0], "slugs": ", ".join(p.slug for p in found)},
                    )
                ]
            )
        if found:
            return found[0], found[0].slug
        # A title two rows of the file give: the same new project (refused as a duplicate row).
        for title in titles:
            if norm(title) in self.new_titles:
                return None, self.new_titles[norm(title)]
        slug = self.new_slug(titles[0])
        for title in titles:
            self.new_titles[norm(title)] = slug
        return None, slug

    def new_slug(self, title: str) -> str:
        """An address made from the title, free within the authority: -2, -3... if needed."""
        base = slugify(title)[:SLUG_LENGTH].strip("-") or "projet"
        slug, number = base, 1
        while slug in self.taken:
            number += 1
            suffix = f"-{number}"
            slug = base[: SLUG_LENGTH - len(suffix)].strip("-") + suffix
        return slug

    # --- reading the theme, the sectors and the budget ---

    def theme_and_sector(
        self, row: int, raw: Any, ctx: Context, *, sectors_given: bool
    ) -> tuple[Any, list[tuple[str, Decimal | None]] | None]:
        """The Atlas theme of the cell, and the CRS sector of the same name when the sheet has
        no sectors column ("Eau et assainissement" is both): both are set when both match."""
        if self.themes is None:
            self.themes = cells.Themes()
        text = cells.shown(raw).strip()
        theme, refusal = None, None
        try:
            theme = self.themes(raw)
        except CellProblem as problem:
            theme = self.theme_by_words(text)
            refusal = problem.message
            if theme is not None:
                ctx.notes.append(
                    self.problem(
                        row,
                        "atlas_theme",
                        _("“%(value)s” read as the Atlas theme %(code)s “%(name)s”.")
                        % {"value": text, "code": theme.code, "name": theme.name},
                    )
                )
        sector: list[tuple[str, Decimal | None]] | None = None
        found = None
        if not sectors_given:
            names = ctx.sector_names()
            found = names.match(text) if names.loaded else None
            if found is not None and found.code is not None:
                sector = [(found.code, None)]
            elif found is not None and found.category is not None and theme is not None:
                ctx.notes.append(
                    self.problem(
                        row,
                        "atlas_theme",
                        _(
                            "“%(value)s” is also a DAC sector (%(category)s), but not a CRS "
                            "purpose code: choose the project's code, for example %(codes)s."
                        )
                        % {
                            "value": text,
                            "category": found.category,
                            "codes": shown_suggestions(found.suggestions),
                        },
                    )
                )
        if theme is None and sector is None:
            if found is not None and found.category is not None:
                refusal = _(
                    "“%(value)s” is a DAC sector (%(category)s), neither an Atlas theme nor a "
                    "CRS purpose code: write the Atlas theme here, and the project's CRS "
                    "purpose code in a sectors column, for example %(codes)s."
                ) % {
                    "value": text,
                    "category": found.category,
                    "codes": shown_suggestions(found.suggestions),
                }
            raise RowProblems([self.problem(row, "atlas_theme", refusal or "")])
        if theme is None and sector is not None:
            ctx.notes.append(
                self.problem(
                    row,
                    "atlas_theme",
                    _(
                        "“%(value)s” is not an Atlas theme: read as the CRS purpose code "
                        "%(code)s; choose the project's Atlas theme on its page."
                    )
                    % {"value": text, "code": sector[0][0]},
                )
            )
        return theme, sector

    def theme_by_words(self, text: str) -> Any:
        """The one Atlas theme whose name holds every word of the cell ("Gouvernance" for
        "Gouvernance locale et appui institutionnel"), or None."""
        words = set(norm(text).replace(",", " ").split())
        if not words or self.themes is None:
            return None
        found = {
            theme.pk: theme
            for name, themes in self.themes.by_name.items()
            if words <= set(name.replace(",", " ").split())
            for theme in themes
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def budget(
        self, row: int, values: dict[str, Any], instance: Project, ctx: Context
    ) -> BudgetPlan | None:
        """The financing plan the row's budget and co-funders ask for; None when the row gives
        none, or when the project has a plan made by hand (said in a note)."""
        if not any(key in values for key in BUDGET_KEYS):
            return None
        currency = instance.currency or "EUR"
        problems: list[Problem] = []
        total: Decimal | None = None
        if "budget_total" in values:
            try:
                total = read_amount(values["budget_total"], currency)
            except CellProblem as problem:
                problems.append(self.problem(row, "budget_total", problem.message))
        years: list[tuple[int, Decimal]] = []
        for header, raw in values.get("budget_years", []):
            found_years = re.findall(r"(?:19|20)\d\d", header)
            if not found_years:
                problems.append(
                    Problem(
                        _(
                            "the column's name gives no year; name each budget column with "
                            "its year, for example “Budget 2025”."
                        ),
                        row=row,
                        column=header,
                    )
                )
                continue
            year = int(found_years[-1])
            try:
                years.append((year, read_amount(raw, currency)))
            except CellProblem as problem:
                problems.append(Problem(problem.message, row=row, column=header))
                continue
            if [y for y, _a in years].count(year) > 1:
                problems.append(
                    Problem(
                        _("two columns give the budget of %(year)s; keep one.") % {"year": year},
                        row=row,
                        column=header,
                    )
                )
        if years and total is not None:
            by_year = sum((amount for _year, amount in years), ZERO)
            if by_year != total:
                problems.append(
                    self.problem(
                        row,
                        "budget_total",
                        _(
                            "the budgets of the years add up to %(years)s, not to the total "
                            "%(total)s; correct one of them, or leave the total empty."
                        )
                        % {
                            "years": format_amount(by_year, currency),
                            "total": format_amount(total, currency),
                        },
                    )
                )
        named: list[tuple[str, Decimal | None]] = []
        if "cofunders" in values:
            try:
                named = read_cofunders(values["cofunders"], currency)
            except CellProblem as problem:
                problems.append(self.problem(row, "cofunders", problem.message))
        if "cofunding" in values:
            try:
                amounts = read_amounts(values["cofunding"], currency)
            except CellProblem as problem:
                problems.append(self.problem(row, "cofunding", problem.message))
                amounts = []
            if amounts and len(amounts) != len(named):
                problems.append(
                    self.problem(
                        row,
                        "cofunding",
                        _(
                            "%(amounts)s amounts for %(funders)s co-funders; give one amount per "
                            "co-funder, in the same order, separated by semicolons."
                        )
                        % {"amounts": len(amounts), "funders": len(named)},
                    )
                )
            elif amounts:
                names = [name for name, _given in named]
                named = list(zip(names, amounts, strict=True))
        cofunders: list[tuple[Funder, Decimal | None]] = []
        for name, share in named:
            funder = self.funder(row, name, ctx, problems)
            if funder is not None:
                if any(f.pk == funder.pk for f, _s in cofunders):
                    problems.append(
                        self.problem(
                            row,
                            "cofunders",
                            _("%(funder)s is named twice; give it once, with its whole amount.")
                            % {"funder": funder},
                        )
                    )
                cofunders.append((funder, share))
        if problems:
            raise RowProblems(problems)
        if instance.pk is not None and instance.pk in self.hand_made:
            ctx.notes.append(
                self.problem(
                    row,
                    self.budget_column(values),
                    _(
                        "the project already has a financing plan made by hand: the budget of "
                        "the file is not written; compare it with the plan on the project's page."
                    ),
                )
            )
            return None
        plan = budget_plan(
            project=instance,
            total=total,
            years=years,
            cofunders=cofunders,
            existing=self.plans.get(instance.pk) if instance.pk else None,
        )
        for note in plan.notes:
            ctx.notes.append(self.problem(row, self.budget_column(values), note))
        if plan.existing is not None and plan.same_as(
            plan.existing, self.plan_lines.get(plan.existing.pk, {})
        ):
            return None  # the same plan: nothing to write
        return plan

    def budget_column(self, values: dict[str, Any]) -> str:
        return next(
            (key for key in ("budget_total", "cofunders", "cofunding") if key in values),
            "budget_years",
        )

    def funder(self, row: int, name: str, ctx: Context, problems: list[Problem]) -> Funder | None:
        if self.funders is None:
            self.funders = Funders()
        funder, exact, suggestions = self.funders.match(name)
        if funder is not None:
            if not exact:
                ctx.notes.append(
                    self.problem(
                        row,
                        "cofunders",
                        _("“%(name)s” read as “%(entry)s”, from the register of funders.")
                        % {"name": name, "entry": funder},
                    )
                )
            return funder
        if suggestions:
            message = _(
                "no funder called “%(name)s” is in the register of funders; did you mean "
                "%(names)s? Write the name as the register has it."
            ) % {"name": name, "names": ", ".join(f"“{f}”" for f in suggestions[:3])}
        else:
            message = _(
                "no funder called “%(name)s” is in the register of funders; check the spelling, "
                "or ask for the funder to be added to the register first."
            ) % {"name": name}
        problems.append(self.problem(row, "cofunders", message))
        return None

    # --- a row ---

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
        if "atlas_theme" in values:
            theme, named_sector = self.theme_and_sector(
                row, values.pop("atlas_theme"), ctx, sectors_given=sectors is not None
            )
            if theme is not None:
                values["atlas_theme"] = theme
            if named_sector is not None:
                sectors = named_sector
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
        existing, slug = self.find(row, values)
        if existing is None:
            if not self.titles_of(values):
                raise RowProblems(
                    [
                        self.problem(
                            row,
                            "title_fr",
                            _("a new project needs a title; write it in French or in English."),
                        )
                    ]
                )
            instance = Project(authority=ctx.member, slug=slug)
            stored = None
            if not values.get("slug"):
                self.taken.add(slug)
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
        budget = self.budget(row, values, instance, ctx)
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
        planned.key = slug
        if sectors is not None:
            wanted = {code: share if share is not None else Decimal(100) for code, share in sectors}
            if stored is None or wanted != self.sectors.get(instance.pk, {}):
                planned.sectors = sectors
                if planned.action == "unchanged":
                    planned.action = "update"
        if budget is not None:
            planned.extra["budget"] = budget
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
        budget = planned.extra.get("budget")
        if budget is not None:
            write_budget(budget, project=project, user=ctx.user)
