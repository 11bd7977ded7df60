"""Writes for news items and documents, and the rules every write of them runs."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jumelage.content.models import DOCUMENT_EXTENSIONS, Document, NewsItem
from jumelage.core.models import Codelist
from jumelage.projects.services import check_codes
from jumelage.tenancy.services import delete_owned, register_rule, save_owned

DEFAULT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def document_max_bytes() -> int:
    return getattr(settings, "DOCUMENT_MAX_BYTES", DEFAULT_DOCUMENT_MAX_BYTES)


# --- News -----------------------------------------------------------------------------------


def news_slug_from_title(
    *, authority_id: int | None, title: dict[str, str] | None, exclude_pk: int | None = None
) -> str:
    """An address for a news item made from its French title (else its first title), unique
    among the authority's news: "visite-a-cap-haitien", then "visite-a-cap-haitien-2"...

    Empty when the title gives no letter to make one from.
    """
    title = title or {}
    text = title.get("fr") or next((text for text in title.values() if text), "")
    max_length = NewsItem._meta.get_field("slug").max_length or 0
    base = slugify(text)[: max_length - len("-99")].strip("-")
    if not base:
        return ""
    taken = set(
        NewsItem._base_manager.filter(authority_id=authority_id, slug__startswith=base)
        .exclude(pk=exclude_pk)  # type: ignore[misc]  # pk=None is valid: IS NULL
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@register_rule(NewsItem)
def news_item_has_an_address(news_item: NewsItem) -> None:
    # The public page of a news item is found by its address, unique in the authority.
    if not news_item.slug:
        raise ValidationError(
            {"slug": _("Give the news item a title in French, or write its address on the site.")}
        )


def news_item_save(*, news_item: NewsItem, user: Any, expected_version: int | None) -> NewsItem:
    """Save a news item; an empty address is made from the French title."""
    if not news_item.slug:
        news_item.slug = news_slug_from_title(
            authority_id=news_item.authority_id, title=news_item.title, exclude_pk=news_item.pk
        )
    return save_owned(news_item, user=user, expected_version=expected_version)


# --- Documents ------------------------------------------------------------------------------


def _starts_with(file: Any, prefix: bytes) -> bool:
    position = file.tell()
    file.seek(0)
    try:
        return file.read(len(prefix)) == prefix
    finally:
        file.seek(position)


@register_rule(Document)
def document_file_is_acceptable(document: Document) -> None:
    # Uploaded files are published and sent to funders: only the usual document types, of a
    # size the server keeps (DOCUMENT_MAX_BYTES), and a PDF that really is one.
    if not document.file:
        return
    name = os.path.basename(document.file.name or "")
    extension = os.path.splitext(name)[1].lstrip(".").lower()
    if extension not in DOCUMENT_EXTENSIONS:
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” is not a kind of file you can attach here: attach a file of one "
                    "of these types instead: %(allowed)s."
                )
                % {"name": name, "allowed": ", ".join(DOCUMENT_EXTENSIONS)}
            }
        )
    if getattr(document.file, "_committed", True):
        return  # already stored: its size and content were checked when it was uploaded
    limit = document_max_bytes()
    if document.file.size > limit:
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” weighs %(size)s, more than the %(limit)s allowed: compress or "
                    "split it, or give a link to it instead."
                )
                % {
                    "name": name,
                    "size": filesizeformat(document.file.size),
                    "limit": filesizeformat(limit),
                }
            }
        )
    if extension == "pdf" and not _starts_with(document.file.file, b"%PDF"):
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” is named as a PDF but is not one: export it again as a PDF, or "
                    "attach it with the extension of its real type."
                )
                % {"name": name}
            }
        )


@register_rule(Document)
def document_category_in_its_list(document: Document) -> None:
    # IATI GUIDE §5.1: document-link/category/@code is a code of the DocumentCategory list;
    # the IATI file states it, and funders and the public read it. A withdrawn code stays
    # valid on a document that already has it.
    stored = (
        Document._base_manager.filter(pk=document.pk).values("category").first()
        if document.pk
        else None
    )
    check_codes(
        [("category", Codelist.DOCUMENT_CATEGORY, (document.category or "").strip())],
        stored=stored,
    )


def document_save(*, document: Document, user: Any, expected_version: int | None) -> Document:
    return save_owned(document, user=user, expected_version=expected_version)


@transaction.atomic
def document_delete(*, document: Document, user: Any, expected_version: int | None) -> None:
    """Delete a document (a stale `expected_version` deletes nothing) and, once the deletion is
    committed, its stored file: an uploaded file is never left behind without its record."""
    name = document.file.name if document.file else ""
    storage = document.file.storage
    delete_owned(document, user=user, expected_version=expected_version)
    if name:
        transaction.on_commit(lambda: storage.delete(name))
