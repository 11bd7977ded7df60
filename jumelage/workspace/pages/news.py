"""The news and documents pages: the authority's news items with where each one shows (on the
public site, waiting for its date, or not published: `content.selectors.published_news`
decides), the item to edit, and a project's or partnership's documents with whether each is on
the public site (`content.selectors.published_documents`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from jumelage.content.models import Document, NewsItem
from jumelage.content.selectors import published_documents, published_news
from jumelage.content.services import document_max_bytes
from jumelage.tenancy.access import may_write
from jumelage.workspace.forms.news import DocumentForm
from jumelage.workspace.selectors import Seat

NEWS_PER_PAGE = 50

PUBLIC, WAITING, PRIVATE = "public", "waiting", "private"

# What documents are filed under on the workspace's pages.
PROJECT, PARTNERSHIP = "project", "partnership"


def may_write_news(place: Seat) -> bool:
    """Whether the user may write news items and documents (`write_roles`, asked of
    tenancy.access): contributors may, as in the back office."""
    return may_write(place.user, place.member.pk, NewsItem.write_roles)


def may_write_documents(place: Seat) -> bool:
    return may_write(place.user, place.member.pk, Document.write_roles)


def news_of(place: Seat) -> QuerySet[NewsItem]:
    """The authority's news items the user may read, latest first, with what they are about."""
    return (
        NewsItem.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .select_related("project", "partnership__partner")
        .order_by("-published_on", "-pk")
    )


@dataclass(frozen=True)
class NewsRow:
    item: NewsItem
    state: str  # PUBLIC, WAITING (published, dated later) or PRIVATE


def news_rows(place: Seat, items: list[NewsItem]) -> list[NewsRow]:
    """The items with where each shows; one query, whatever the number of items."""
    shown = set(
        published_news(place.member)
        .filter(pk__in=[item.pk for item in items])
        .values_list("pk", flat=True)
    )
    return [
        NewsRow(
            item,
            PUBLIC if item.pk in shown else WAITING if item.is_public else PRIVATE,
        )
        for item in items
    ]


def news_to_edit(place: Seat, pk: int) -> NewsItem:
    """A news item of the seat's authority, or a 404 (another authority's)."""
    return get_object_or_404(
        NewsItem.objects.for_user(place.user).of_authority(place.member.pk), pk=pk
    )


@dataclass
class DocumentsSection:
    """The documents of a project or partnership, their removal buttons and the form to add
    one (for those who may write them)."""

    documents: list[Document]
    public_ids: set[int]
    add_url: str
    remove_name: str  # the URL name of a removal: (authority's slug, owner's id, document's id)
    owner_args: tuple[str, int]
    may_write: bool
    form: DocumentForm | None = None
    error: str = ""

    def rows(self) -> list[tuple[Document, bool, str]]:
        """Each document, whether it is on the public site, and its removal address."""
        return [
            (
                document,
                document.pk in self.public_ids,
                reverse(self.remove_name, args=[*self.owner_args, document.pk]),
            )
            for document in self.documents
        ]


def documents_of(**owner: Any) -> list[Document]:
    """The documents filed under a project or partnership (`project=...`), latest first."""
    return list(Document.objects.filter(**owner).order_by(F("date").desc(nulls_last=True), "pk"))


def documents_section(
    place: Seat,
    *,
    documents: list[Document],
    add_url: str,
    remove_name: str,
    owner_pk: int,
    form: DocumentForm | None = None,
    error: str = "",
) -> DocumentsSection:
    """One query (none without documents): which of the documents are published."""
    rows = documents
    public = set(
        published_documents(place.member)
        .filter(pk__in=[d.pk for d in rows])
        .values_list("pk", flat=True)
    )
    writer = may_write_documents(place)
    if writer and form is None:
        form = new_document_form(place)
    return DocumentsSection(
        documents=rows,
        public_ids=public,
        add_url=add_url,
        remove_name=remove_name,
        owner_args=(place.member.slug, owner_pk),
        may_write=writer,
        form=form if writer else None,
        error=error,
    )


def new_document_form(place: Seat, data: Any = None, files: Any = None) -> DocumentForm:
    return DocumentForm(
        data, files, member=place.member, limit=filesizeformat(document_max_bytes())
    )


def owner_documents(
    place: Seat, kind: str, pk: int, *, documents: list[Document] | None = None, **kwargs: Any
) -> DocumentsSection:
    """The documents section of a project's or partnership's page (`kind`, PROJECT or
    PARTNERSHIP); `documents` when the page has read them already; `form`, `error`: as the
    view left them."""
    return documents_section(
        place,
        documents=documents if documents is not None else documents_of(**{f"{kind}_id": pk}),
        add_url=reverse(f"workspace:{kind}_document_add", args=[place.member.slug, pk]),
        remove_name=f"workspace:{kind}_document_remove",
        owner_pk=pk,
        **kwargs,
    )
