"""The forms of news items and documents: a news item (title and text in French and, on demand,
other languages; its date as officers write it; the partnership or project it is about; published
or not), a document of a project or partnership (a file or a link), and the removal of a
document. They build the record; `content.services` validates and writes it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jumelage.content.models import Document, NewsItem
from jumelage.content.selectors import document_categories
from jumelage.core.fields import DayField
from jumelage.core.forms import (
    BoundedModelChoiceField,
    OnDemandTranslatedWidget,
    TranslatedFormField,
)
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.partners.selectors import partner_languages
from jumelage.projects.models import Project
from jumelage.workspace.forms.calendar import link_errors


class PartnershipChoice(BoundedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.partner.name} – {obj.get_kind_display()}"  # noqa: RUF001


class ProjectChoice(BoundedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class NewsForm(forms.Form):
    title = TranslatedFormField(
        label=_("Title"),
        multiline=False,
        help_text=_("In French; other languages on demand, below the box."),
    )
    body = TranslatedFormField(
        label=_("Text"),
        required=False,
        help_text=_(
            "Plain text: a blank line starts a new paragraph. Any HTML you type is shown as "
            "typed, never run."
        ),
    )
    published_on = DayField(
        label=_("Date"),
        help_text=_("e.g. 12/05/2025. A published item dated later waits for its day."),
    )
    partnership = PartnershipChoice(
        label=_("Partnership"), queryset=Partnership.objects.none(), required=False
    )
    project = ProjectChoice(label=_("Project"), queryset=Project.objects.none(), required=False)
    is_public = forms.BooleanField(
        label=_("Publish this news item"),
        required=False,
        help_text=_(
            "Published, it shows on your authority's public page, in its news and in the news "
            "feeds (RSS and Atom) from its date on; it names its partnership or project only "
            "when they are published too. Unpublished, only the members of your authority see it."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        user: Any,
        member: MemberAuthority,
        instance: NewsItem | None = None,
        **kwargs: Any,
    ) -> None:
        self.member = member
        self.instance = instance if instance is not None else NewsItem(authority=member)
        initial = dict(kwargs.pop("initial", None) or {})
        if instance is not None:
            initial = {
                "title": instance.title,
                "body": instance.body,
                "published_on": instance.published_on,
                "partnership": instance.partnership_id,
                "project": instance.project_id,
                "is_public": instance.is_public,
                "version": instance.version,
            }
        initial.setdefault("published_on", timezone.localdate())
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        offered = ["en", *partner_languages(member)]
        for name in ("title", "body"):
            field = cast(TranslatedFormField, self.fields[name])
            field.widget = OnDemandTranslatedWidget(multiline=name == "body", offered=offered)
        cast(forms.ModelChoiceField, self.fields["partnership"]).queryset = (
            Partnership.objects.for_user(user)
            .of_authority(member.pk)
            .select_related("partner")
            .order_by("partner__name", "kind")
        )
        cast(forms.ModelChoiceField, self.fields["project"]).queryset = (
            Project.objects.for_user(user).of_authority(member.pk).order_by("-pk")
        )

    def is_valid(self) -> bool:
        valid = super().is_valid()
        link_errors(self)
        return valid

    def fill(self) -> NewsItem:
        """The news item with the values typed (not saved: `content.services` writes it)."""
        item = self.instance
        data = self.cleaned_data
        item.authority = self.member
        for name in ("title", "body", "published_on", "partnership", "project", "is_public"):
            setattr(item, name, data.get(name))
        item.body = data.get("body") or {}
        return item


# A document's IATI category when none is chosen (the model's default, as the IATI file's).
DEFAULT_CATEGORY = cast(str, Document._meta.get_field("category").get_default())


class DocumentForm(forms.Form):
    """A new document of a project or partnership: a file (checked by the content app's rule,
    `content.services.document_file_is_acceptable`) or a link."""

    title = TranslatedFormField(
        label=_("Title"),
        multiline=False,
        help_text=_("In French; other languages on demand, below the box."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, office document, image, text or CSV file, up to %(limit)s."),
    )
    url = forms.URLField(
        label=_("Or a link"),
        required=False,
        assume_scheme="https",
        help_text=_("The address of a document already online, instead of a file."),
    )
    date = DayField(label=_("Date"), required=False, help_text=_("e.g. 12/05/2025"))
    # A text field shown as a select of the IATI list once loaded: the content service checks
    # the code (a code not in the list is answered with the list's name, nothing written).
    category = forms.CharField(
        label=_("Kind of document"),
        required=False,
        max_length=4,
        help_text=_(
            "What funders and the public see this document as in your IATI file, e.g. a "
            "budget (A05), results (A08), a contract (A11)."
        ),
    )
    is_public = forms.BooleanField(
        label=_("Publish this document"),
        required=False,
        help_text=_(
            "Published, it is listed on the public page of its project or partnership (once "
            "that page is published) and in the IATI file; unpublished, only the members of "
            "your authority see it."
        ),
    )

    def __init__(self, *args: Any, member: MemberAuthority, limit: str = "", **kwargs: Any):
        kwargs.setdefault("auto_id", "id_document_%s")
        super().__init__(*args, **kwargs)
        self.member = member
        field = self.fields["file"]
        field.help_text = str(field.help_text) % {"limit": limit}
        title = cast(TranslatedFormField, self.fields["title"])
        title.widget = OnDemandTranslatedWidget(
            multiline=False, offered=["en", *partner_languages(member)]
        )
        self.fields["category"].initial = DEFAULT_CATEGORY
        categories = document_categories()  # one query; a text box when the list is not loaded
        if categories:
            self.fields["category"].widget = forms.Select(choices=categories)
        if not self.is_bound:
            link_errors(self)  # the hints tied to their fields (is_valid ties the errors)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        link_errors(self)
        return valid

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(
                _("Attach a file or give a link, one of the two."), code="file_or_link"
            )
        return data

    def fill(self, **parent: Any) -> Document:
        data = self.cleaned_data
        return Document(
            authority=self.member,
            title=data["title"],
            file=data.get("file") or "",
            url=data.get("url") or "",
            date=data.get("date"),
            category=(data.get("category") or DEFAULT_CATEGORY).strip().upper(),
            is_public=bool(data.get("is_public")),
            **parent,
        )


class RemoveForm(forms.Form):
    """The version of the document the page showed: a stale page removes nothing."""

    version = forms.IntegerField(widget=forms.HiddenInput)
