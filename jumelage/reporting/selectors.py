"""Reads for the reports: what an IATI export holds, and the imported activities by country.

Each selector runs a fixed number of queries, whatever the number of projects or activities.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from jumelage.actors.selectors import published_actor_roles
from jumelage.content.selectors import published_documents
from jumelage.core.models import OdaEligibility
from jumelage.partners.models import MemberAuthority
from jumelage.partners.selectors import published_member, published_partnerships
from jumelage.projects.models import Project, ResourceLine
from jumelage.projects.selectors import plans_in_force, published_projects, published_results
from jumelage.reporting.models import ExternalActivity


def iati_member(slug: str) -> MemberAuthority | None:
    """The active member authority whose IATI file is public at /iati/<slug>/activities.xml."""
    return published_member(slug)


def iati_projects(
    member: MemberAuthority, projects: QuerySet[Project] | None = None
) -> QuerySet[Project]:
    """A member authority's published projects with everything an IATI activity shows
    (`projects`: other projects of the member instead, for the check of one project before
    it is published; what of their parts is public is decided the same way).

    What is public comes from the domain apps (docs/architecture.md, "What is published"):
    the project's published partnerships (`public_partnerships`), the roles of its published
    actors (`public_actor_roles`), its published documents (`public_documents`) and its
    budget, the plans in force (`budget_plans`); each under a name of its own, so that the
    export never reads an unfiltered relation.

    Read it with `.iterator(chunk_size=...)`: each chunk runs the same dozen prefetch queries,
    so the count of queries grows with chunks, not with projects.
    """
    resources = ResourceLine.objects.select_related("funder__authority")
    plans = (
        plans_in_force()
        .prefetch_related("expenses", Prefetch("resources", queryset=resources))
        .order_by("pk")
    )
    # Only approved values are published (projects.selectors.published_results).
    results = published_results(member)
    if projects is None:
        projects = published_projects(member)
    return (
        projects.filter(authority=member)
        .select_related("authority__authority")
        .prefetch_related(
            "sectors",
            "countries",
            "transactions",
            Prefetch("financing_plans", queryset=plans, to_attr="budget_plans"),
            Prefetch("results", queryset=results),
            Prefetch(
                "documents",
                queryset=published_documents(member).order_by("pk"),
                to_attr="public_documents",
            ),
            Prefetch(
                "actor_roles",
                queryset=published_actor_roles(member).select_related("actor").order_by("pk"),
                to_attr="public_actor_roles",
            ),
            Prefetch(
                "partnerships",
                queryset=published_partnerships(member).select_related("partner").order_by("pk"),
                to_attr="public_partnerships",
            ),
        )
        .order_by("pk")
    )


def oda_recipients_by_year() -> dict[int, frozenset[str]]:
    """The OECD DAC lists of ODA recipients loaded, by year of flows: {year: country codes}.

    A flow is ODA only if its recipient is on the list of the year of that flow (a country
    may graduate); a year missing here has no list loaded, so nothing can be said of it.
    """
    lists: dict[int, set[str]] = {}
    for year, country in OdaEligibility.objects.order_by().values_list("year", "country_id"):
        lists.setdefault(year, set()).add(country)
    return {year: frozenset(codes) for year, codes in lists.items()}


def external_activities_in_country(country_code: str) -> QuerySet[ExternalActivity]:
    """Who else works in a country: imported activities with their organisations and sectors."""
    return (
        ExternalActivity.objects.filter(countries__country_code=country_code.upper())
        .select_related("reporting_org")
        .prefetch_related("participations__organisation", "sectors", "countries")
        .distinct()
        .order_by("-planned_start", "iati_identifier")
    )
