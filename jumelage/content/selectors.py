"""Reads of the content app: which news items and documents are published."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from jumelage.agreements.selectors import published_agreements
from jumelage.content.models import Document, NewsItem
from jumelage.core.models import Codelist, CodelistItem
from jumelage.partners.models import MemberAuthority
from jumelage.partners.selectors import (
    of_published_member,
    public_partnership,
    published_partnerships,
)
from jumelage.projects.selectors import public_project, published_projects


def published_news(
    member: MemberAuthority | None = None, *, today: datetime.date | None = None
) -> QuerySet[NewsItem]:
    """News items marked published, dated today or earlier (a dated item waits for its day),
    that have an address on the site, of `member` (of every active member when None).

    A news item is published on its own: one about an unpublished project stays public, but
    its links must not name that project (read them with `projects.selectors.public_project`
    and `partners.selectors.public_partnership`)."""
    today = today or timezone.localdate()
    news = NewsItem.objects.filter(is_public=True, published_on__lte=today).exclude(slug="")
    return of_published_member(news, member)


def published_documents(member: MemberAuthority | None = None) -> QuerySet[Document]:
    """Documents marked published whose project, partnership and agreement (those it is filed
    under) are published too: a document of an unpublished project is that project's, and
    stays private with it, whatever its own box says."""
    documents = Document.objects.filter(
        Q(project__isnull=True) | Q(project__in=published_projects(member)),
        Q(partnership__isnull=True) | Q(partnership__in=published_partnerships(member)),
        Q(agreement__isnull=True) | Q(agreement__in=published_agreements(member)),
        is_public=True,
    )
    return of_published_member(documents, member)


def published_news_of_year(member: MemberAuthority, year: int) -> QuerySet[NewsItem]:
    """The member's published news dated in the year (`published_news`), latest first, with
    the partnership and project they are about (a partnership or project is named only when
    it is published: read `public_partnership` / `public_project`)."""
    return (
        published_news(member)
        .filter(published_on__year=year)
        .annotate(public_partnership=public_partnership(), public_project=public_project())
        .select_related("public_partnership__partner", "public_project")  # type: ignore[misc]
        .order_by("-published_on", "-pk")
    )


# The IATI DocumentCategory codes of activity documents ("A"): the "B" codes are for an
# organisation's own documents (annual report, strategy), which no project or partnership files.
ACTIVITY_DOCUMENTS = "A"


def document_categories(*, keep: str = "") -> list[tuple[str, str]]:
    """(code, "code - name") of the current IATI document categories of an activity, names in
    the reader's language, and `keep` (a category a document already has) even if withdrawn or
    of another group. One query; empty when the list is not loaded."""
    condition = Q(codelist=Codelist.DOCUMENT_CATEGORY, category=ACTIVITY_DOCUMENTS, is_active=True)
    if keep:
        condition |= Q(codelist=Codelist.DOCUMENT_CATEGORY, code=keep)
    return [
        (item.code, str(item)) for item in CodelistItem.objects.filter(condition).order_by("code")
    ]
