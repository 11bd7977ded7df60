"""Reads for the open-data API: published records of active member authorities only.

What is published comes from the domain apps' selectors (`published_partnerships`,
`published_projects`; docs/architecture.md, "What is published"), never restated here; lists
follow the public website's selectors, so that the API and the pages show the same records in
the same order. Each function returns a queryset whose page runs a fixed number of queries
whatever the number of rows (subqueries and prefetches, pinned in tests/test_queries.py).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.partners.selectors import published_partnerships
from jumelage.projects.models import Project, ProjectCountry, ProjectSector
from jumelage.projects.selectors import published_projects
from jumelage.public import selectors as public


def authorities(*, query: str = "", country: str = "") -> QuerySet[MemberAuthority]:
    """Active member authorities by name (the public home page's list and search), each with
    its counts of published partnerships (ended ones too) and published projects."""
    members = public.member_directory(query).annotate(
        partnership_count=public.count_per_member(published_partnerships())
    )
    if country:
        members = members.filter(authority__country_id=country)
    return members


def authority(slug: str) -> MemberAuthority | None:
    """The active member authority at this address, with its counts: one query."""
    return authorities().filter(slug=slug).first()


def partnerships(member: MemberAuthority) -> QuerySet[Partnership]:
    """The member's published partnerships, ended ones too (as on its partner pages), by
    partner name then kind."""
    return (
        published_partnerships(member)
        # The member (for the partner page's address) and the partner with its country.
        .select_related("authority", "partner")
        .order_by("partner__name", "kind", "pk")
    )


def _with_places(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Projects with their member authority, recipient countries and sectors (two queries
    for a page of projects, whatever its length)."""
    return projects.select_related("authority__authority").prefetch_related(
        Prefetch(
            "countries",
            queryset=ProjectCountry.objects.order_by("-percentage", "country_id"),
            to_attr="recipient_countries",
        ),
        Prefetch(
            "sectors",
            queryset=ProjectSector.objects.order_by("-percentage", "code"),
            to_attr="dac_sectors",
        ),
    )


def projects(member: MemberAuthority) -> QuerySet[Project]:
    """The member's published projects in the order of its public list (running ones first)."""
    # The public list prefetches partner towns for its cards; the API does not show them, so
    # that prefetch is dropped rather than run for nothing.
    return _with_places(public.projects(member).prefetch_related(None))


def national_projects(
    *, country: str = "", sector: str = "", status: str = ""
) -> QuerySet[Project]:
    """Published projects of every active member authority, by authority then latest planned
    start (the order of the `project_list_order_idx` index).

    `country` is a recipient country's ISO code; `sector` a 5-digit DAC CRS purpose code, or a
    3-digit DAC category that also finds every purpose code under it.
    """
    found = published_projects()
    if country:
        found = found.filter(
            Exists(ProjectCountry.objects.filter(project=OuterRef("pk"), country_id=country))
        )
    if sector:
        codes = Q(code=sector) if len(sector) == 5 else Q(code__startswith=sector)
        found = found.filter(Exists(ProjectSector.objects.filter(codes, project=OuterRef("pk"))))
    if status:
        found = found.filter(status=status)
    return _with_places(found.order_by("authority_id", "-planned_start", "id"))
