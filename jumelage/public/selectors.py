"""Reads for the public website: published records of active member authorities only.

What is published is decided by each domain app's selectors (`published_partnerships`,
`published_projects`, `plans_in_force`, `published_news`...; docs/architecture.md, "What is
published"): this module only shapes what they return for the pages, and never restates their
rules. A record's link to a partnership or a project goes through `public_partnership` and
`public_project`, so that an unpublished one is never loaded.

Every function runs a fixed number of queries whatever the amount of data (related rows come
with select_related, prefetch_related or one grouped query), so that a page's query count does
not grow with the number of partnerships, projects or actors (pinned in tests/test_queries.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from jumelage.actors.models import Actor, Position, ProjectActor
from jumelage.actors.selectors import published_actor_roles, published_actors, published_positions
from jumelage.agreements.models import Agreement
from jumelage.agreements.selectors import published_agreements
from jumelage.content.models import Document, NewsItem
from jumelage.content.selectors import published_documents, published_news
from jumelage.core.models import Codelist, CodelistItem
from jumelage.networks.models import Network
from jumelage.networks.selectors import published_networks
from jumelage.partners.models import (
    Authority,
    Label,
    MemberAuthority,
    OpeningHours,
    Partnership,
    PartnershipTheme,
)
from jumelage.partners.selectors import (
    public_partnership,
    published_labels,
    published_member,
    published_members,
    published_partnerships,
)
from jumelage.projects.models import (
    Application,
    ExpenseLine,
    FinancingPlan,
    Funder,
    Project,
    ProjectCountry,
    ProjectSector,
    ResourceLine,
    Result,
)
from jumelage.projects.selectors import (
    PlanSummary,
    budget_plans,
    plans_in_force,
    plans_with_totals,
    public_project,
    published_projects,
    published_results,
    summary_of,
)
from jumelage.visits.models import Visit
from jumelage.visits.selectors import published_visits

# Projects shown as "current" under a cooperation.
CURRENT_STATUSES = (
    Project.Status.PREPARATION,
    Project.Status.FUNDING_SOUGHT,
    Project.Status.RUNNING,
)
# A co-funder is named publicly once its money is decided, not while it is only asked for.
DECIDED_RESOURCES = (ResourceLine.Status.GRANTED, ResourceLine.Status.RECEIVED)
DECIDED_APPLICATIONS = (Application.Decision.GRANTED, Application.Decision.PARTLY_GRANTED)
PROJECT_ORDER = (
    Project.Status.RUNNING,
    Project.Status.FUNDING_SOUGHT,
    Project.Status.PREPARATION,
    Project.Status.COMPLETED,
    Project.Status.EVALUATED,
    Project.Status.IDEA,
    Project.Status.CANCELLED,
)


# --- Member authorities -----------------------------------------------------------------------


def active_member(slug: str) -> MemberAuthority | None:
    """The active member authority at this address, with its directory entry: one query."""
    return published_member(slug)


def count_per_member(records: QuerySet[Any]) -> Coalesce:
    """The number of `records` (a domain selector's published ones) of each member authority,
    as a subquery to annotate member authorities with. COUNT(*), not of a column: PostgreSQL
    then counts from an index on the records' authority alone (the directory's page counts
    for its largest members: issue 12)."""
    rows = (
        records.filter(authority=OuterRef("pk"))
        .order_by()
        .values("authority")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows), Value(0))


def member_directory(query: str = "") -> QuerySet[MemberAuthority]:
    """Active member authorities by name, each with its counts of published twinnings,
    cooperations and projects (subqueries: one query for a page of them)."""
    members = published_members()
    query = query.strip()
    if query:
        members = members.filter(
            Q(authority__name__icontains=query)
            | Q(city__icontains=query)
            | Q(authority__region_name__icontains=query)
            | Q(slug__icontains=query)
        )
    current = published_partnerships().exclude(status=Partnership.Status.ENDED)
    return (
        members.select_related("authority__country")
        .annotate(
            twin_count=count_per_member(current.filter(kind=Partnership.Kind.TWINNING)),
            cooperation_count=count_per_member(current.filter(kind=Partnership.Kind.COOPERATION)),
            project_count=count_per_member(published_projects()),
        )
        .order_by("authority__name", "pk")
    )


def opening_hours(member: MemberAuthority) -> list[tuple[int, datetime.time, datetime.time]]:
    """The service's opening periods as (weekday, opens, closes), Monday first."""
    return list(
        OpeningHours.objects.filter(member_id=member.pk)
        .order_by("weekday", "opens")
        .values_list("weekday", "opens", "closes")
    )


# --- Partnerships -----------------------------------------------------------------------------


@dataclass
class PartnerTown:
    """A foreign authority and the member's published partnerships with it."""

    partner: Authority
    partnerships: list[Partnership] = field(default_factory=list)

    def of_kind(self, kind: str) -> Partnership | None:
        return next((p for p in self.partnerships if p.kind == kind), None)

    @property
    def twinning(self) -> Partnership | None:
        return self.of_kind(Partnership.Kind.TWINNING)

    @property
    def cooperation(self) -> Partnership | None:
        return self.of_kind(Partnership.Kind.COOPERATION)

    @property
    def since(self) -> int | None:
        years = [p.start_year for p in self.partnerships if p.start_year]
        return min(years) if years else None


def _partnerships(member: MemberAuthority) -> QuerySet[Partnership]:
    return (
        published_partnerships(member)
        .select_related("partner__country", "main_theme")
        .prefetch_related(
            Prefetch(
                "secondary_themes",
                queryset=PartnershipTheme.objects.select_related("theme").order_by("rank"),
                to_attr="ranked_themes",
            )
        )
    )


def current_partnerships(member: MemberAuthority) -> list[Partnership]:
    """Published partnerships that have not ended, with partner, country and themes (two
    queries)."""
    return list(
        _partnerships(member)
        .exclude(status=Partnership.Status.ENDED)
        .order_by("partner__name", "kind")
    )


def with_current_projects(member: MemberAuthority, partnerships: list[Partnership]) -> None:
    """Give each of `partnerships` (those a page shows) its current published projects,
    `current_projects`, in one query (none without partnerships).
    Only those shown: a city with hundreds of cooperations reads a page's worth, not all of
    their projects (issue 12)."""
    projects = (
        published_projects(member)
        .filter(status__in=CURRENT_STATUSES)
        .order_by(F("planned_start").desc(nulls_last=True), "pk")
    )
    prefetch_related_objects(
        partnerships, Prefetch("projects", queryset=projects, to_attr="current_projects")
    )


def partner_towns(partnerships: list[Partnership]) -> list[PartnerTown]:
    """Partnerships grouped by partner authority (Kragujevac: twinning and cooperation)."""
    towns: dict[int, PartnerTown] = {}
    for partnership in partnerships:
        town = towns.setdefault(partnership.partner_id, PartnerTown(partnership.partner))
        town.partnerships.append(partnership)
    return sorted(towns.values(), key=lambda town: town.partner.name.casefold())


def partner_town(member: MemberAuthority, partner_id: int) -> PartnerTown | None:
    """The partner and every published partnership with it (ended ones too), or None."""
    partnerships = list(_partnerships(member).filter(partner_id=partner_id).order_by("kind", "pk"))
    if not partnerships:
        return None
    return PartnerTown(partnerships[0].partner, partnerships)


# --- The authority page's blocks -------------------------------------------------------------


def cofunders(member: MemberAuthority) -> list[Funder]:
    """Funders whose money for a published project of the member is decided: a granted or
    received resource line of its budget (the plans in force), or a granted application.

    One query that starts from the member's projects: the funders' ids are two uncorrelated
    subqueries (read once, from the member's own rows), never a test per funder across every
    plan and application of the country."""
    projects = published_projects(member).values("pk")
    decided_lines = ResourceLine.objects.filter(
        plan__in=plans_in_force(FinancingPlan.objects.filter(project__in=projects)),
        status__in=DECIDED_RESOURCES,
        funder__isnull=False,
    ).values("funder_id")
    granted = Application.objects.filter(
        project__in=projects, decision__in=DECIDED_APPLICATIONS
    ).values("call__funder_id")
    return list(Funder.objects.filter(Q(pk__in=decided_lines) | Q(pk__in=granted)).order_by("name"))


def networks(member: MemberAuthority) -> list[Network]:
    return list(published_networks(member).order_by("-is_animator", "name"))


@dataclass
class PublicPerson:
    name: str
    function: str
    positions: list[Position]


def positions_held(member: MemberAuthority, today: datetime.date | None = None) -> list:
    """Published people and their current published positions (one query), by person."""
    today = today or timezone.localdate()
    positions = (
        published_positions(member)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("person", "network")
        .order_by("person_id", "pk")
    )
    people: dict[int, PublicPerson] = {}
    for position in positions:
        person = position.person
        entry = people.setdefault(person.pk, PublicPerson(str(person), person.title, []))
        entry.positions.append(position)
    return list(people.values())


def actors(member: MemberAuthority) -> list[Actor]:
    """The member's published actors by name, each with its `kind_label`: Django's
    `get_kind_display` builds the dict of choices again on every call (0.3 ms each, 0.2 s for
    a city's 750 actors on a loaded machine); the labels stay lazy, shown in the page's
    language."""
    labels = dict(Actor.Kind.choices)
    found = list(published_actors(member).order_by("name", "pk"))
    for actor in found:
        actor.kind_label = labels.get(actor.kind, actor.kind)  # type: ignore[attr-defined]
    return found


def _visits(member: MemberAuthority) -> QuerySet[Visit]:
    """Published visits, each with its partnership and project when those are published
    (`visit.public_partnership`, `visit.public_project`), never the others."""
    return (
        published_visits(member)
        .annotate(public_partnership=public_partnership(), public_project=public_project())
        # The stubs know model fields only, not FilteredRelation aliases.
        .select_related(  # type: ignore[misc]
            "public_partnership__partner__country", "theme", "public_project"
        )
        .order_by(F("starts_on").desc(nulls_last=True), "-pk")
    )


def delegations_hosted(member: MemberAuthority, limit: int = 6) -> list[Visit]:
    return list(_visits(member).filter(direction=Visit.Direction.INCOMING)[:limit])


def visits(member: MemberAuthority) -> QuerySet[Visit]:
    """Published visits, incoming and outgoing, latest first (paginate it)."""
    return _visits(member)


def labels(member: MemberAuthority) -> list[Label]:
    return list(
        published_labels(member).order_by("kind", F("ended_year").desc(nulls_first=True), "name")
    )


def news(member: MemberAuthority, today: datetime.date | None = None) -> QuerySet[NewsItem]:
    """Published news, latest first, each with its project and partner town when those are
    published (`item.public_project`, `item.public_partnership`), never the others."""
    return (
        published_news(member, today=today)
        .annotate(public_project=public_project(), public_partnership=public_partnership())
        .select_related("public_project", "public_partnership__partner")  # type: ignore[misc]
        .order_by("-published_on", "-pk")
    )


def news_item(member: MemberAuthority, slug: str) -> NewsItem | None:
    return news(member).filter(slug=slug).first()


def project_count(member: MemberAuthority) -> int:
    return published_projects(member).count()


def projects(member: MemberAuthority) -> QuerySet[Project]:
    """Published projects, running ones first, with their theme; partner towns prefetched
    (published partnerships only)."""
    # Running work first, then what is being prepared, then what is done.
    rank = Case(
        *(When(status=status, then=Value(i)) for i, status in enumerate(PROJECT_ORDER)),
        default=Value(len(PROJECT_ORDER)),
    )
    return (
        published_projects(member)
        .select_related("atlas_theme")
        .annotate(status_rank=rank)
        .prefetch_related(
            Prefetch(
                "partnerships",
                queryset=published_partnerships(member)
                .select_related("partner__country")
                .order_by("partner__name", "kind"),
                to_attr="public_partnerships",
            )
        )
        .order_by("status_rank", F("planned_start").desc(nulls_last=True), "pk")
    )


# --- A partner town's page --------------------------------------------------------------------


@dataclass
class PartnerPage:
    town: PartnerTown
    projects: list[Project]
    agreements: list[Agreement]
    actors: list[Actor]
    visits: list[Visit]
    news: list[NewsItem]
    documents: list[Document]


def partner_page(member: MemberAuthority, partner_id: int) -> PartnerPage | None:
    town = partner_town(member, partner_id)
    if town is None:
        return None
    ids = [p.pk for p in town.partnerships]
    return PartnerPage(
        town=town,
        projects=list(projects(member).filter(partnerships__in=ids).distinct()),
        agreements=list(
            published_agreements(member)
            .filter(partnership_id__in=ids)
            .order_by(F("signed_on").desc(nulls_last=True), "-pk")
        ),
        actors=list(
            published_actors(member).filter(partnerships__in=ids).distinct().order_by("name", "pk")
        ),
        visits=list(_visits(member).filter(partnership_id__in=ids)[:20]),
        news=list(news(member).filter(partnership_id__in=ids)[:5]),
        documents=list(
            published_documents(member)
            .filter(partnership_id__in=ids)
            .order_by(F("date").desc(nulls_last=True), "-pk")
        ),
    )


# --- A project's page -------------------------------------------------------------------------


@dataclass
class FundingShare:
    name: str
    is_own: bool
    amount: Decimal
    share: Decimal | None
    decided: bool


@dataclass
class Financing:
    summary: PlanSummary
    resources: list[FundingShare]
    expenses: list[tuple[str, Decimal, Decimal | None]]  # (category label, amount, share)


@dataclass
class ProjectPage:
    project: Project
    partnerships: list[Partnership]
    countries: list[Any]
    sectors: list[tuple[str, str, str]]  # (code, name, language of the name)
    goals: list[dict[str, Any]]  # SDG goals, each with its targets
    actor_roles: list[ProjectActor]
    financing: Financing | None
    results: list[Result]
    news: list[NewsItem]
    documents: list[Document]
    visits: list[Visit] = field(default_factory=list)


def published_project(member: MemberAuthority, slug: str) -> Project | None:
    return (
        published_projects(member)
        .select_related("atlas_theme__parent__parent")
        .filter(slug=slug)
        .first()
    )


def _codelist_names(
    sector_codes: list[str], goal_codes: list[str], target_codes: list[str]
) -> dict[tuple[str, str], tuple[str, str]]:
    """Names of codes in the reader's language (IATI gives French for some lists only):
    (codelist, code) -> (name, language of the name). One query."""
    from django.utils.translation import get_language

    wanted = Q(codelist=Codelist.SECTOR, code__in=sector_codes)
    wanted |= Q(codelist=Codelist.SECTOR_CATEGORY, code__in=[c[:3] for c in sector_codes])
    wanted |= Q(codelist=Codelist.SDG_GOAL, code__in=goal_codes)
    wanted |= Q(codelist=Codelist.SDG_TARGET, code__in=target_codes)
    french = (get_language() or "fr").startswith("fr")
    names = {}
    for item in CodelistItem.objects.filter(wanted):
        if french and item.name_fr:
            names[item.codelist, item.code] = (item.name_fr, "fr")
        else:
            names[item.codelist, item.code] = (item.name_en, "en")
    return names


def _financing(project: Project) -> Financing | None:
    """The project's budget (`projects.selectors.budget_plans`: its plans in force): a
    whole-project plan, or yearly plans added up (those in the project's currency: amounts in
    different currencies are not added)."""
    plans = list(plans_with_totals(budget_plans(project)).order_by("-pk"))
    chosen = [plan for plan in plans if plan.year is None or plan.currency == project.currency]
    if not chosen:
        return None
    summaries = [summary_of(plan) for plan in chosen]
    totals = {
        name: sum((getattr(s, name) for s in summaries), Decimal(0))
        for name in (
            "total_expenses", "expenses_cash", "expenses_in_kind", "total_resources",
            "resources_cash", "resources_in_kind", "own_contribution", "own_cash",
            "own_in_kind", "external_cofinancing", "refused",
        )
    }  # fmt: skip
    summary = PlanSummary(currency=chosen[0].currency, **totals)
    if summary.is_empty:
        return None
    ids = [plan.pk for plan in chosen]
    resource_rows = (
        ResourceLine.objects.filter(plan_id__in=ids)
        .exclude(status=ResourceLine.Status.REFUSED)
        .values("is_own", "funder__name", "funder__acronym")
        .annotate(
            total=Sum("amount"),
            decided=Count("pk", filter=Q(status__in=DECIDED_RESOURCES)),
            lines=Count("pk"),
        )
        .order_by("-is_own", "-total")
    )
    whole_cost = summary.total_expenses or summary.total_resources

    def share(amount: Decimal) -> Decimal | None:
        return (amount * 100 / whole_cost).quantize(Decimal("1")) if whole_cost else None

    resources = [
        FundingShare(
            name=row["funder__name"] or "",
            is_own=row["is_own"],
            amount=row["total"],
            share=share(row["total"]),
            decided=row["decided"] == row["lines"],
        )
        for row in resource_rows
    ]
    categories = dict(ExpenseLine.Category.choices)
    expenses = [
        (str(categories.get(row["category"], row["category"])), row["total"], share(row["total"]))
        for row in ExpenseLine.objects.filter(plan_id__in=ids)
        .values("category")
        .annotate(total=Sum("amount"))
        .order_by("-total")
    ]
    return Financing(summary=summary, resources=resources, expenses=expenses)


def project_page(member: MemberAuthority, slug: str) -> ProjectPage | None:
    project = published_project(member, slug)
    if project is None:
        return None
    return project_page_of(member, project)


def project_page_of(
    member: MemberAuthority,
    project: Project,
    *,
    partnership_ids: list[int] | None = None,
    countries: list[ProjectCountry] | None = None,
    sectors: list[ProjectSector] | None = None,
) -> ProjectPage:
    """A project's public page. The workspace's preview gives a project not saved (or saved
    with other values) and its lists as typed: what of them is public is decided as for the
    page itself (published partnerships only); the parts the form does not edit (actors,
    results, budget, news, documents, visits) are those already published."""
    partnerships_shown = published_partnerships(member)
    if partnership_ids is None:
        partnerships_shown = partnerships_shown.filter(projects=project)
    else:
        partnerships_shown = partnerships_shown.filter(pk__in=partnership_ids)
    partnerships = list(
        partnerships_shown.select_related("partner__country").order_by("partner__name", "kind")
    )
    if countries is None:
        countries = list(
            ProjectCountry.objects.filter(project_id=project.pk)
            .select_related("country")
            .order_by("-percentage", "country__code")
        )
    else:
        countries = sorted(countries, key=lambda c: (-(c.percentage or 0), c.country_id))
    if sectors is None:
        sector_codes = list(
            ProjectSector.objects.filter(project_id=project.pk)
            .order_by("-percentage", "code")
            .values_list("code", flat=True)
        )
    else:
        ordered = sorted(sectors, key=lambda s: (-(s.percentage or 0), s.code))
        sector_codes = [sector.code for sector in ordered]
    targets = [str(code) for code in (project.sdg_targets or [])]
    goal_codes = sorted(
        {t.split(".")[0] for t in targets}, key=lambda c: int(c) if c.isdigit() else 99
    )
    names = _codelist_names(sector_codes, goal_codes, targets)
    sector_names = []
    for code in sector_codes:
        name, lang = names.get((Codelist.SECTOR, code)) or names.get(
            (Codelist.SECTOR_CATEGORY, code[:3]), ("", "")
        )
        sector_names.append((code, name, lang))
    goals = []
    for goal in goal_codes:
        name, lang = names.get((Codelist.SDG_GOAL, goal), ("", ""))
        goals.append(
            {
                "code": goal,
                "name": name,
                "lang": lang,
                "targets": [
                    {
                        "code": target,
                        "name": names.get((Codelist.SDG_TARGET, target), ("", ""))[0],
                        "lang": names.get((Codelist.SDG_TARGET, target), ("", ""))[1],
                    }
                    for target in targets
                    if target.split(".")[0] == goal
                ],
            }
        )
    if project.pk is None:  # a new project, previewed: nothing of it is recorded yet
        return ProjectPage(
            project=project,
            partnerships=partnerships,
            countries=countries,
            sectors=sector_names,
            goals=goals,
            actor_roles=[],
            financing=None,
            results=[],
            news=[],
            documents=[],
        )
    actor_roles = list(
        published_actor_roles(member)
        .filter(project_id=project.pk)
        .select_related("actor")
        .order_by("actor__name", "role")
    )
    results = list(published_results(member).filter(project_id=project.pk))
    return ProjectPage(
        project=project,
        partnerships=partnerships,
        countries=countries,
        sectors=sector_names,
        goals=goals,
        actor_roles=actor_roles,
        financing=_financing(project),
        results=results,
        news=list(news(member).filter(project_id=project.pk)[:5]),
        documents=list(
            published_documents(member)
            .filter(project_id=project.pk)
            .order_by(F("date").desc(nulls_last=True), "-pk")
        ),
        visits=list(_visits(member).filter(project_id=project.pk)[:10]),
    )
