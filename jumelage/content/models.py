"""News items and documents, attached to a project, a partnership or an agreement."""

from __future__ import annotations

import posixpath
from typing import cast

from django.db import models
from django.utils.translation import gettext_lazy as _

from jumelage.core.i18n import TranslatedField, translate
from jumelage.tenancy.models import CONTENT_WRITE_ROLES, OwnedModel, PublishableQuerySet

DOCUMENT_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "jpg", "jpeg", "png", "txt", "csv"]


class NewsItem(OwnedModel):
    slug = models.SlugField(
        _("address on the site"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty to make it from the French title."),
    )
    title = TranslatedField(_("title"))
    body = TranslatedField(_("text"))
    published_on = models.DateField(_("date"))
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
        verbose_name=_("project"),
    )
    partnership = models.ForeignKey(
        "partners.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
        verbose_name=_("partnership"),
    )
    is_public = models.BooleanField(_("published"), default=False)

    objects = PublishableQuerySet.as_manager()  # type: ignore[misc]  # ClassVar in the stubs
    write_roles = CONTENT_WRITE_ROLES

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["authority", "-published_on", "-id"]
        # A member's latest news in this order (its public page shows three, its news page
        # ten): read from the index, not a sort of all its news (issue 12).
        indexes = [
            models.Index(fields=["authority", "-published_on", "-id"], name="news_latest_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "slug"],
                name="news_slug_unique",
                violation_error_message=_(
                    "Another news item of this authority already has this address: choose "
                    "another one, or leave it empty to make one from the title."
                ),
            )
        ]

    def __str__(self) -> str:
        return translate(self.title) or self.slug


class Document(OwnedModel):
    title = TranslatedField(_("title"))
    file = models.FileField(
        _("file"),
        upload_to="documents/%Y/",
        blank=True,
        # Checked by the rule `document_file_is_acceptable` (content.services): extension, size
        # and content, with one message saying what to do.
        help_text=_("PDF, office document, image, text or CSV file."),
    )
    url = models.URLField(_("link"), blank=True)
    category = models.CharField(
        _("IATI document category"), max_length=4, blank=True, default="A01"
    )
    language = models.CharField(_("language"), max_length=8, default="fr")
    date = models.DateField(_("date"), null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("project"),
    )
    partnership = models.ForeignKey(
        "partners.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("partnership"),
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("agreement"),
    )
    council_decision = models.ForeignKey(
        "agreements.CouncilDecision",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("council decision"),
    )
    is_public = models.BooleanField(_("published"), default=False)

    objects = PublishableQuerySet.as_manager()  # type: ignore[misc]  # ClassVar in the stubs
    write_roles = CONTENT_WRITE_ROLES

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["authority", "-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(url=""),
                name="document_has_file_or_url",
                violation_error_message=_("Attach a file or give a link."),
            )
        ]

    def __str__(self) -> str:
        # A document has a file or a link (constraint above), so the file has a name here.
        return translate(self.title) or self.url or cast(str, self.file.name)

    def file_url(self) -> str:
        """Where the uploaded file is downloaded: a view that checks who may read it."""
        from django.urls import reverse

        return reverse(
            "content:document_file", args=[self.pk, posixpath.basename(self.file.name or "")]
        )
