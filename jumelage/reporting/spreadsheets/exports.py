"""The lists an officer exports, column by column, and the function that writes one.

Every list is read with a constant number of queries whatever its length: the records in one
streamed query (`iterator`), and each to-many part (a project's partnerships, a plan's lines) in
one more streamed query, ordered like the records, then merged row by row. So memory stays flat
and the query count does not grow with the rows (tested).

Access: with a user, only what `for_user` lets them read; with a member authority, only its
records. Headers, choice labels and yes/no are written in the language asked for.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils import translation
from django.utils.formats import get_format
from django.utils.functional import Promise, lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jumelage.actors.models import Actor, Person
from jumelage.agreements.models import Agreement
from jumelage.core.i18n import translate
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.projects.models import (
    ExpenseLine,
    FinancingPlan,
    Project,
    ProjectCountry,
    ResourceLine,
)
from jumelage.reporting.spreadsheets.writers import (
    AMOUNT,
    BOOLEAN,
    CSV_ENCODING,
    DATE,
    INTEGER,
    TEXT,
    Progress,
    write_csv,
    write_xlsx,
)
from jumelage.visits.models import Visit

XLSX, CSV = "xlsx", "csv"
FORMATS = (XLSX, CSV)
CHUNK = 2000


def _field_header(model: type[Model], name: str) -> str:
    return capfirst(str(getattr(model._meta.get_field(name), "verbose_name", name)))


field_header = lazy(_field_header, str)


@dataclass(frozen=True)
class Column:
    header: Promise | str
    value: Callable[[Any], Any]
    kind: str = TEXT


@dataclass(frozen=True)
class ExportList:
    name: str
    title: Promise
    description: Promise
    model: type[Model]
    columns: tuple[Column, ...]
    records: Callable[[QuerySet], Iterable[Any]]
    count: Callable[[QuerySet], int]
    base: Callable[[], QuerySet]

    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    def kinds(self) -> list[str]:
        return [column.kind for column in self.columns]


# --- Helpers -------------------------------------------------------------------------------------


def _order_under(prefix: str, ordering: Sequence[str]) -> list[str]:
    """The parents' ordering, read from their children: "-year" -> "-plan__year"."""
    return [
        f"-{prefix}__{name[1:]}" if name.startswith("-") else f"{prefix}__{name}"
        for name in ordering
    ]


class _Children:
    """Children streamed in their parents' order: take those of each parent in turn."""

    def __init__(self, rows: Iterable[Any], parent_id: str) -> None:
        self.rows = iter(rows)
        self.parent_id = parent_id
        self.pending = next(self.rows, None)

    def take(self, pk: int) -> list[Any]:
        found = []
        while self.pending is not None and getattr(self.pending, self.parent_id) == pk:
            found.append(self.pending)
            self.pending = next(self.rows, None)
        return found


def _number(value: Decimal) -> str:
    """80.00 -> "80", 33.50 -> "33,5" in French: for percentages inside a text cell."""
    return f"{value.normalize():f}".replace(".", str(get_format("DECIMAL_SEPARATOR")))


def _names(items: Iterable[str]) -> str:
    return "; ".join(item for item in items if item)


def _theme(theme: Any) -> str:
    return f"{theme.name} ({theme.code})" if theme is not None else ""


def _member(record: Any) -> str:
    return str(record.authority)


# --- Partnerships --------------------------------------------------------------------------------

PARTNERSHIP_ORDER = ("authority__id", "partner__name", "kind", "pk")


def _partnerships(parents: QuerySet) -> Iterator[Partnership]:
    return (
        parents.select_related("authority__authority", "partner__country", "main_theme")
        .order_by(*PARTNERSHIP_ORDER)
        .iterator(chunk_size=CHUNK)
    )


PARTNERSHIPS = ExportList(
    name="partnerships",
    title=_("Partnerships"),
    description=_("Each partnership with its partner, kind, status, dates and main theme."),
    model=Partnership,
    base=lambda: Partnership.objects.all(),
    count=lambda parents: parents.count(),
    records=_partnerships,
    columns=(
        Column(_("ID"), lambda p: p.pk, INTEGER),
        Column(field_header(Partnership, "authority"), _member),
        Column(field_header(Partnership, "partner"), lambda p: p.partner.name),
        Column(_("Partner's country"), lambda p: p.partner.country.name),
        Column(field_header(Partnership, "kind"), lambda p: p.get_kind_display()),
        Column(field_header(Partnership, "status"), lambda p: p.get_status_display()),
        Column(field_header(Partnership, "title"), lambda p: translate(p.title)),
        Column(field_header(Partnership, "started_year"), lambda p: p.started_year, INTEGER),
        Column(field_header(Partnership, "started_on"), lambda p: p.started_on, DATE),
        Column(field_header(Partnership, "ended_on"), lambda p: p.ended_on, DATE),
        Column(field_header(Partnership, "main_theme"), lambda p: _theme(p.main_theme)),
        Column(field_header(Partnership, "is_public"), lambda p: p.is_public, BOOLEAN),
    ),
)


# --- Agreements ----------------------------------------------------------------------------------


def _partnership_name(partnership: Partnership | None) -> str:
    if partnership is None:
        return ""
    return f"{partnership.partner.name} – {partnership.get_kind_display()}"  # noqa: RUF001


def _agreements(parents: QuerySet) -> Iterator[Agreement]:
    return (
        parents.select_related("authority__authority", "partnership__partner", "council_decision")
        .order_by("authority__id", "partnership__partner__name", "-signed_on", "pk")
        .iterator(chunk_size=CHUNK)
    )


def _decision(agreement: Agreement, name: str) -> Any:
    decision = agreement.council_decision
    return getattr(decision, name) if decision is not None else None


AGREEMENTS = ExportList(
    name="agreements",
    title=_("Agreements"),
    description=_("Twinning oaths, charters and conventions, with their legal steps."),
    model=Agreement,
    base=lambda: Agreement.objects.all(),
    count=lambda parents: parents.count(),
    records=_agreements,
    columns=(
        Column(_("ID"), lambda a: a.pk, INTEGER),
        Column(field_header(Agreement, "authority"), _member),
        Column(field_header(Agreement, "partnership"), lambda a: _partnership_name(a.partnership)),
        Column(field_header(Agreement, "kind"), lambda a: a.get_kind_display()),
        Column(field_header(Agreement, "title"), lambda a: translate(a.title)),
        Column(field_header(Agreement, "status"), lambda a: a.get_status_display()),
        Column(field_header(Agreement, "object"), lambda a: a.object),
        Column(
            field_header(Agreement, "forecast_commitment"),
            lambda a: a.forecast_commitment,
            AMOUNT,
        ),
        Column(field_header(Agreement, "currency"), lambda a: a.currency),
        Column(field_header(Agreement, "signatories"), lambda a: a.signatories),
        Column(field_header(Agreement, "starts_on"), lambda a: a.starts_on, DATE),
        Column(field_header(Agreement, "ends_on"), lambda a: a.ends_on, DATE),
        Column(_("Council decision"), lambda a: _decision(a, "number")),
        Column(_("Date of the council decision"), lambda a: _decision(a, "date"), DATE),
        Column(field_header(Agreement, "signed_on"), lambda a: a.signed_on, DATE),
        Column(field_header(Agreement, "transmitted_on"), lambda a: a.transmitted_on, DATE),
        Column(field_header(Agreement, "is_public"), lambda a: a.is_public, BOOLEAN),
    ),
)


# --- Projects ------------------------------------------------------------------------------------

PROJECT_ORDER = ("authority__id", "slug", "pk")


def _projects(parents: QuerySet) -> Iterator[Project]:
    links = _Children(
        Project.partnerships.through.objects.filter(project__in=parents)
        .select_related("partnership__partner")
        .order_by(*_order_under("project", PROJECT_ORDER), "partnership__partner__name", "pk")
        .iterator(chunk_size=CHUNK),
        "project_id",
    )
    countries = _Children(
        ProjectCountry.objects.filter(project__in=parents)
        .order_by(*_order_under("project", PROJECT_ORDER), "-percentage", "country_id")
        .iterator(chunk_size=CHUNK),
        "project_id",
    )
    rows = parents.select_related("authority__authority", "atlas_theme").order_by(*PROJECT_ORDER)
    for project in rows.iterator(chunk_size=CHUNK):
        project.export_partnerships = [link.partnership for link in links.take(project.pk)]
        project.export_countries = countries.take(project.pk)
        yield project


def _countries_text(project: Project) -> str:
    rows = project.export_countries  # type: ignore[attr-defined]
    if len(rows) == 1 and rows[0].percentage == 100:
        return rows[0].country_id
    return _names(f"{row.country_id} {_number(row.percentage)} %" for row in rows)


PROJECTS = ExportList(
    name="projects",
    title=_("Projects"),
    description=_("Each project with its status, dates, theme, countries and partnerships."),
    model=Project,
    base=lambda: Project.objects.all(),
    count=lambda parents: parents.count(),
    records=_projects,
    columns=(
        Column(_("ID"), lambda p: p.pk, INTEGER),
        Column(field_header(Project, "authority"), _member),
        Column(field_header(Project, "slug"), lambda p: p.slug),
        Column(field_header(Project, "title"), lambda p: translate(p.title)),
        Column(field_header(Project, "status"), lambda p: p.get_status_display()),
        Column(field_header(Project, "planned_start"), lambda p: p.planned_start, DATE),
        Column(field_header(Project, "planned_end"), lambda p: p.planned_end, DATE),
        Column(field_header(Project, "actual_start"), lambda p: p.actual_start, DATE),
        Column(field_header(Project, "actual_end"), lambda p: p.actual_end, DATE),
        Column(field_header(Project, "places"), lambda p: p.places),
        Column(field_header(Project, "atlas_theme"), lambda p: _theme(p.atlas_theme)),
        Column(field_header(Project, "currency"), lambda p: p.currency),
        Column(_("Recipient countries"), _countries_text),
        Column(
            field_header(Project, "partnerships"),
            lambda p: _names(link.partner.name for link in p.export_partnerships),
        ),
        Column(field_header(Project, "iati_identifier"), lambda p: p.iati_identifier),
        Column(field_header(Project, "is_public"), lambda p: p.is_public, BOOLEAN),
    ),
)


# --- Financing plans, one row per line -----------------------------------------------------------

PLAN_ORDER = ("project__authority__id", "project__slug", "year", "pk")


@dataclass
class PlanRow:
    plan: FinancingPlan
    kind: str  # "expense", "resource" or "" for a plan without lines
    line: ExpenseLine | ResourceLine | None


def _plan_lines(parents: QuerySet) -> Iterator[PlanRow]:
    expenses = _Children(
        ExpenseLine.objects.filter(plan__in=parents)
        .order_by(*_order_under("plan", PLAN_ORDER), "pk")
        .iterator(chunk_size=CHUNK),
        "plan_id",
    )
    resources = _Children(
        ResourceLine.objects.filter(plan__in=parents)
        .select_related("funder")
        .order_by(*_order_under("plan", PLAN_ORDER), "-is_own", "pk")
        .iterator(chunk_size=CHUNK),
        "plan_id",
    )
    plans = parents.select_related("project__authority__authority").order_by(*PLAN_ORDER)
    for plan in plans.iterator(chunk_size=CHUNK):
        lines = [PlanRow(plan, "expense", line) for line in expenses.take(plan.pk)]
        lines += [PlanRow(plan, "resource", line) for line in resources.take(plan.pk)]
        yield from lines or [PlanRow(plan, "", None)]


def _plan_row_count(parents: QuerySet) -> int:
    lines = ExpenseLine.objects.filter(plan__in=parents).count()
    lines += ResourceLine.objects.filter(plan__in=parents).count()
    empty = parents.filter(
        ~Exists(ExpenseLine.objects.filter(plan=OuterRef("pk"))),
        ~Exists(ResourceLine.objects.filter(plan=OuterRef("pk"))),
    ).count()
    return lines + empty


def _line(row: PlanRow, name: str) -> Any:
    return getattr(row.line, name, None) if row.line is not None else None


def _line_kind(row: PlanRow) -> str:
    if row.kind == "expense":
        return str(_("expense"))
    if row.kind == "resource":
        return str(_("resource"))
    return ""


def _funder(row: PlanRow) -> str:
    if row.kind != "resource":
        return ""
    line: ResourceLine = row.line  # type: ignore[assignment]
    if line.funder is not None:
        return str(line.funder)
    return str(_("own contribution")) if line.is_own else ""


FINANCING_PLANS = ExportList(
    name="financing_plans",
    title=_("Financing plans"),
    description=_(
        "One row per expense or resource line of each plan, with the plan and its project."
    ),
    model=FinancingPlan,
    base=lambda: FinancingPlan.objects.all(),
    count=_plan_row_count,
    records=_plan_lines,
    columns=(
        Column(_("Plan ID"), lambda r: r.plan.pk, INTEGER),
        Column(field_header(Project, "authority"), lambda r: str(r.plan.project.authority)),
        Column(field_header(FinancingPlan, "project"), lambda r: translate(r.plan.project.title)),
        Column(field_header(Project, "slug"), lambda r: r.plan.project.slug),
        Column(_("Plan"), lambda r: r.plan.title),
        Column(_("Plan year"), lambda r: r.plan.year, INTEGER),
        Column(_("Plan status"), lambda r: r.plan.get_status_display()),
        Column(field_header(FinancingPlan, "currency"), lambda r: r.plan.currency),
        Column(_("Line"), _line_kind),
        Column(field_header(ExpenseLine, "label"), lambda r: _line(r, "label")),
        Column(
            field_header(ExpenseLine, "category"),
            lambda r: r.line.get_category_display() if r.kind == "expense" else "",
        ),
        Column(field_header(ResourceLine, "funder"), _funder),
        Column(
            field_header(ResourceLine, "is_own"),
            lambda r: r.line.is_own if r.kind == "resource" else None,
            BOOLEAN,
        ),
        Column(_("Line year"), lambda r: _line(r, "year"), INTEGER),
        Column(field_header(ExpenseLine, "amount"), lambda r: _line(r, "amount"), AMOUNT),
        Column(field_header(ExpenseLine, "in_kind"), lambda r: _line(r, "in_kind"), BOOLEAN),
        Column(
            _("Line status"),
            lambda r: r.line.get_status_display() if r.kind == "resource" else "",
        ),
    ),
)


# --- Actors and people ---------------------------------------------------------------------------

ACTOR_ORDER = ("authority__id", "name", "pk")


def _actors(parents: QuerySet) -> Iterator[Actor]:
    links = _Children(
        Actor.partnerships.through.objects.filter(actor__in=parents)
        .select_related("partnership__partner")
        .order_by(*_order_under("actor", ACTOR_ORDER), "partnership__partner__name", "pk")
        .iterator(chunk_size=CHUNK),
        "actor_id",
    )
    rows = parents.select_related("authority__authority").order_by(*ACTOR_ORDER)
    for actor in rows.iterator(chunk_size=CHUNK):
        actor.export_partnerships = [link.partnership for link in links.take(actor.pk)]
        yield actor


ACTORS = ExportList(
    name="actors",
    title=_("Local actors"),
    description=_("Schools, hospitals, clubs and associations, with their contact details."),
    model=Actor,
    base=lambda: Actor.objects.all(),
    count=lambda parents: parents.count(),
    records=_actors,
    columns=(
        Column(_("ID"), lambda a: a.pk, INTEGER),
        Column(field_header(Actor, "authority"), _member),
        Column(field_header(Actor, "name"), lambda a: a.name),
        Column(field_header(Actor, "kind"), lambda a: a.get_kind_display()),
        Column(field_header(Actor, "description"), lambda a: translate(a.description)),
        Column(field_header(Actor, "street"), lambda a: a.street),
        Column(field_header(Actor, "postcode"), lambda a: a.postcode),
        Column(field_header(Actor, "city"), lambda a: a.city),
        Column(field_header(Actor, "website"), lambda a: a.website),
        Column(field_header(Actor, "email"), lambda a: a.email),
        Column(field_header(Actor, "phone"), lambda a: a.phone),
        Column(
            field_header(Actor, "partnerships"),
            lambda a: _names(link.partner.name for link in a.export_partnerships),
        ),
        Column(field_header(Actor, "is_public"), lambda a: a.is_public, BOOLEAN),
    ),
)

PERSON_ORDER = ("authority__id", "last_name", "first_name", "pk")


def _people(parents: QuerySet) -> Iterator[Person]:
    skills = _Children(
        Person.skills.through.objects.filter(person__in=parents)
        .select_related("skill")
        .order_by(*_order_under("person", PERSON_ORDER), "skill__name", "pk")
        .iterator(chunk_size=CHUNK),
        "person_id",
    )
    rows = parents.select_related("authority__authority", "actor").order_by(*PERSON_ORDER)
    for person in rows.iterator(chunk_size=CHUNK):
        person.export_skills = [link.skill.name for link in skills.take(person.pk)]
        yield person


PEOPLE = ExportList(
    name="people",
    title=_("People"),
    description=_("Staff members, elected officials and contacts, with volunteers' skills."),
    model=Person,
    base=lambda: Person.objects.all(),
    count=lambda parents: parents.count(),
    records=_people,
    columns=(
        Column(_("ID"), lambda p: p.pk, INTEGER),
        Column(field_header(Person, "authority"), _member),
        Column(field_header(Person, "last_name"), lambda p: p.last_name),
        Column(field_header(Person, "first_name"), lambda p: p.first_name),
        Column(field_header(Person, "kind"), lambda p: p.get_kind_display()),
        Column(field_header(Person, "title"), lambda p: p.title),
        Column(field_header(Person, "department"), lambda p: p.department),
        Column(field_header(Person, "email"), lambda p: p.email),
        Column(field_header(Person, "phone"), lambda p: p.phone),
        Column(field_header(Person, "actor"), lambda p: p.actor.name if p.actor else ""),
        Column(field_header(Person, "is_volunteer"), lambda p: p.is_volunteer, BOOLEAN),
        Column(field_header(Person, "skills"), lambda p: _names(p.export_skills)),
        Column(field_header(Person, "availability"), lambda p: p.availability),
        Column(field_header(Person, "daily_rate"), lambda p: p.daily_rate, AMOUNT),
        Column(field_header(Person, "is_public"), lambda p: p.is_public, BOOLEAN),
    ),
)


# --- Visits --------------------------------------------------------------------------------------


def _visits(parents: QuerySet) -> Iterator[Visit]:
    return (
        parents.select_related("authority__authority", "partnership__partner", "project", "theme")
        .order_by("authority__id", "-starts_on", "pk")
        .iterator(chunk_size=CHUNK)
    )


VISITS = ExportList(
    name="visits",
    title=_("Visits"),
    description=_("Incoming and outgoing delegations, with their dates, partner and purpose."),
    model=Visit,
    base=lambda: Visit.objects.all(),
    count=lambda parents: parents.count(),
    records=_visits,
    columns=(
        Column(_("ID"), lambda v: v.pk, INTEGER),
        Column(field_header(Visit, "authority"), _member),
        Column(field_header(Visit, "title"), lambda v: translate(v.title)),
        Column(field_header(Visit, "direction"), lambda v: v.get_direction_display()),
        Column(field_header(Visit, "status"), lambda v: v.get_status_display()),
        Column(field_header(Visit, "starts_on"), lambda v: v.starts_on, DATE),
        Column(field_header(Visit, "ends_on"), lambda v: v.ends_on, DATE),
        Column(field_header(Visit, "partnership"), lambda v: _partnership_name(v.partnership)),
        Column(field_header(Visit, "other_party"), lambda v: v.other_party),
        Column(
            field_header(Visit, "project"),
            lambda v: (translate(v.project.title) or v.project.slug) if v.project else "",
        ),
        Column(field_header(Visit, "theme"), lambda v: _theme(v.theme)),
        Column(field_header(Visit, "purpose"), lambda v: translate(v.purpose)),
        Column(field_header(Visit, "outcomes"), lambda v: translate(v.outcomes)),
        Column(field_header(Visit, "is_public"), lambda v: v.is_public, BOOLEAN),
    ),
)


EXPORTS: dict[str, ExportList] = {
    export.name: export
    for export in (PARTNERSHIPS, AGREEMENTS, PROJECTS, FINANCING_PLANS, ACTORS, PEOPLE, VISITS)
}


def export_for_model(model: type[Model]) -> ExportList | None:
    return next((e for e in EXPORTS.values() if e.model is model), None)


# --- Writing -------------------------------------------------------------------------------------


def scoped(
    export: ExportList,
    *,
    user: Any = None,
    member: MemberAuthority | None = None,
    pks: Iterable[int] | QuerySet | None = None,
) -> QuerySet:
    """The records of the list that the user may read, of the member authority if given."""
    records = export.base()
    if user is not None:
        records = records.for_user(user)  # type: ignore[attr-defined]
    if member is not None:
        records = records.of_authority(member.pk)  # type: ignore[attr-defined]
    if pks is not None:
        # A queryset stays a subquery: "select all" on a long changelist sends no id list.
        records = records.filter(pk__in=pks if isinstance(pks, QuerySet) else list(pks))
    return records


def write_export(
    export: ExportList,
    stream: IO[bytes],
    *,
    file_format: str,
    language: str,
    user: Any = None,
    member: MemberAuthority | None = None,
    pks: Iterable[int] | QuerySet | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the list to a binary stream as XLSX or CSV; return the number of rows written."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown spreadsheet format {file_format!r}.")
    parents = scoped(export, user=user, member=member, pks=pks)
    with translation.override(language):
        total = export.count(parents)
        headers = export.headers()
        kinds = export.kinds()
        rows = (
            [column.value(record) for column in export.columns]
            for record in export.records(parents)
        )
        if progress is not None:
            progress(0, total)
        if file_format == XLSX:
            return write_xlsx(
                stream,
                title=str(export.title),
                headers=headers,
                kinds=kinds,
                rows=rows,
                total=total,
                progress=progress,
            )
        text = io.TextIOWrapper(stream, encoding=CSV_ENCODING, newline="")
        try:
            return write_csv(
                text,
                headers=headers,
                kinds=kinds,
                rows=rows,
                language=language,
                total=total,
                progress=progress,
            )
        finally:
            text.flush()
            text.detach()


def export_file_name(export: ExportList, member: MemberAuthority | None, file_format: str) -> str:
    """e.g. "partenariats-ville-a-2026-06-30.xlsx" (the title in the active language)."""
    from django.utils import timezone
    from django.utils.text import slugify

    who = member.slug if member is not None else "all"
    return f"{slugify(str(export.title))}-{who}-{timezone.localdate():%Y-%m-%d}.{file_format}"
