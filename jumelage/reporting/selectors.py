"""Reads for the reports: what an IATI export holds, and the imported activities by country.

Each selector runs a fixed number of queries, whatever the number of projects or activities.
"""

from __future__ import annotations

from django.db.models import Max, Prefetch, QuerySet

from jumelage.actors.models import ProjectActor
from jumelage.content.models import Document
from jumelage.core.models import OdaEligibility
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.projects.models import FinancingPlan, Indicator, Project, ResourceLine, Result
from jumelage.reporting.models import ExternalActivity


def iati_member(slug: str) -> MemberAuthority | None:
    """The active member authority whose IATI file is public at /iati/<slug>/activities.xml."""
    return MemberAuthority.objects.filter(slug=slug, is_active=True).first()


def published_projects(member: MemberAuthority) -> QuerySet[Project]:
    """A member authority's published projects with everything an IATI activity shows.

    Read it with `.iterator(chunk_size=...)`: each chunk runs the same dozen prefetch queries,
    so the count of queries grows with chunks, not with projects. Only published documents and
    published local actors are taken: a public project must not leak a private record.
    """
    resources = ResourceLine.objects.select_related("funder__authority")
    plans = FinancingPlan.objects.prefetch_related(
        "expenses", Prefetch("resources", queryset=resources)
    )
    indicators = Indicator.objects.prefetch_related("periods")
    results = Result.objects.prefetch_related(Prefetch("indicators", queryset=indicators))
    return (
        Project.objects.published()
        .filter(authority=member)
        .select_related("authority__authority")
        .prefetch_related(
            "sectors",
            "countries",
            "transactions",
            Prefetch("financing_plans", queryset=plans),
            Prefetch("results", queryset=results),
            Prefetch("documents", queryset=Document.objects.published().order_by("pk")),
            Prefetch(
                "actor_roles",
                queryset=ProjectActor.objects.filter(actor__is_public=True)
                .select_related("actor")
                .order_by("pk"),
            ),
            Prefetch("partnerships", queryset=Partnership.objects.select_related("partner")),
        )
        .order_by("pk")
    )


def oda_recipient_codes() -> frozenset[str]:
    """Countries on the latest loaded OECD DAC list of ODA recipients (empty if none loaded)."""
    latest = OdaEligibility.objects.aggregate(year=Max("year"))["year"]
    if latest is None:
        return frozenset()
    return frozenset(
        OdaEligibility.objects.filter(year=latest).values_list("country_id", flat=True)
    )


def external_activities_in_country(country_code: str) -> QuerySet[ExternalActivity]:
    """Who else works in a country: imported activities with their organisations and sectors."""
    return (
        ExternalActivity.objects.filter(countries__country_code=country_code.upper())
        .select_related("reporting_org")
        .prefetch_related("participations__organisation", "sectors", "countries")
        .distinct()
        .order_by("-planned_start", "iati_identifier")
    )
