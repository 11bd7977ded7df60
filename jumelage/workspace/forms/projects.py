"""The project's form: summary and publishing (titles in French and, on demand, other languages;
dates and percentages as officers write them; countries and sectors with the authority's usual
ones first; objectives and SDG targets; ODA purpose and IATI identifier). It builds the project
and its lists; `projects.services.project_save` writes them, and the preview shows them without
writing anything."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jumelage.core.fields import DayField, PercentField, UsualFirstSelect
from jumelage.core.forms import OnDemandTranslatedWidget, TranslatedFormField
from jumelage.core.models import AtlasTheme, Codelist, CodelistItem, Country
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.partners.selectors import partner_languages
from jumelage.projects.fields import SdgTargetsField
from jumelage.projects.models import Project, ProjectSector
from jumelage.projects.selectors import usual_atlas_themes, usual_countries, usual_sectors
from jumelage.projects.validators import validate_country_percentages, validate_sector_percentages
from jumelage.reporting.iati.export import activity_identifier
from jumelage.workspace.forms.calendar import link_errors

# Rows offered for countries and sectors beyond those recorded (more after each save).
EXTRA_ROWS = 2

TRANSLATED = ("title", "summary", "description", "objectives")
# Written as the form shows them (the translated ones above apart).
PLAIN = (
    "slug",
    "status",
    "places",
    "atlas_theme",
    "is_public",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "sdg_targets",
    "iati_identifier",
    "oda_purpose",
)


class ThemeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name()


class PartnershipChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.partner.name} – {obj.get_kind_display()}"  # noqa: RUF001


class ProjectForm(forms.Form):
    title = TranslatedFormField(
        label=_("Title"),
        multiline=False,
        help_text=_("In French; other languages on demand, below the box."),
    )
    summary = TranslatedFormField(
        label=_("Summary"),
        required=False,
        help_text=_(
            "Two or three sentences for citizens: what the project does, where, with whom. "
            "Shown at the top of the public page and in the IATI file."
        ),
    )
    description = TranslatedFormField(label=_("Description"), required=False)
    slug = forms.SlugField(
        label=_("Address on the public site"),
        max_length=120,
        required=False,
        help_text=_("Letters, digits and hyphens. Left empty, it is made from the title."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
    planned_start = DayField(
        label=_("Planned start"), required=False, help_text=_("e.g. 12/05/2025")
    )
    planned_end = DayField(label=_("Planned end"), required=False)
    actual_start = DayField(label=_("Actual start"), required=False)
    actual_end = DayField(label=_("Actual end"), required=False)
    partnerships = PartnershipChoice(
        label=_("Partnerships"),
        queryset=Partnership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    places = forms.CharField(
        label=_("Places"),
        max_length=300,
        required=False,
        help_text=_("Towns or districts where the project takes place, as citizens know them."),
    )
    atlas_theme = ThemeChoice(
        label=capfirst(_("Atlas theme")),
        queryset=AtlasTheme.objects.none(),
        required=False,
        empty_label="—",
        widget=UsualFirstSelect,
        help_text=_("The theme of the national Atlas of decentralised cooperation."),
    )
    objectives = TranslatedFormField(
        label=_("Objectives"),
        required=False,
        help_text=_(
            "What the project means to change, in a few sentences. Shown on the public page "
            "and written in the IATI file as the project's objectives."
        ),
    )
    sdg_targets = SdgTargetsField(
        label=capfirst(_("SDG targets")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "The targets of the UN Sustainable Development Goals the project works towards, "
            "for example 6.1 (drinking water) or 16.6 (accountable institutions). Separate "
            "them with commas or spaces, or write one per line. Shown on the public page and "
            "written in the IATI file."
        ),
    )
    oda_purpose = forms.ChoiceField(
        label=_("Main objective, for the ODA declaration"),
        required=False,
        widget=forms.RadioSelect,
        choices=[(value, capfirst(label)) for value, label in Project.OdaPurpose.choices],
        help_text=_(
            "Each year your authority declares its official development assistance (ODA) to "
            "the Ministry. Only a project whose main objective is the development of the "
            "recipient country counts: a school exchange or a cultural visit does not, "
            "whatever the country. If its main objective is something else, its payments are "
            "left out of the declaration. Not checked, the payments of a twinning's project "
            "wait for your answer and are left out; those of other projects are counted."
        ),
    )
    iati_identifier = forms.CharField(
        label=capfirst(_("IATI identifier")),
        max_length=150,
        required=False,
    )
    is_public = forms.BooleanField(
        label=_("Publish this project"),
        required=False,
        help_text=_(
            "Published, the project has its page on your public site, enters your IATI file "
            "(the open data that funders and the Ministry read) and the open-data API. "
            "Unpublished, only the members of your authority see it."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        user: Any,
        member: MemberAuthority,
        instance: Project | None = None,
        **kwargs: Any,
    ) -> None:
        self.member = member
        self.instance = instance if instance is not None else Project(authority=member)
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(instance)
        super().__init__(*args, **kwargs)
        self.identifier_warnings: list[str] = []
        self.fields["iati_identifier"].help_text = identifier_help(member, self.instance)
        offered = ["en", *partner_languages(member)]
        for name in TRANSLATED:
            field = cast(TranslatedFormField, self.fields[name])
            field.widget = OnDemandTranslatedWidget(multiline=name != "title", offered=offered)
        partnerships = cast(forms.ModelMultipleChoiceField, self.fields["partnerships"])
        partnerships.queryset = (
            Partnership.objects.for_user(user)
            .of_authority(member.pk)
            .select_related("partner")
            .order_by("partner__name", "kind")
        )
        themes = cast(forms.ModelChoiceField, self.fields["atlas_theme"])
        # Every level: the Atlas accepts a theme that stops at its first or second level (a
        # sheet's lower levels are then empty), and an import may have set one; offering only
        # the third level would empty such a project's theme on its next save.
        themes.queryset = AtlasTheme.objects.select_related("parent__parent").order_by("code")
        cast(UsualFirstSelect, themes.widget).usual = usual_atlas_themes(member.pk)
        stored = instance if instance is not None and instance.pk else None
        self.countries = CountryRows(
            self.data or None,
            prefix="countries",
            initial=[
                {"country": row.country_id, "percentage": row.percentage}
                for row in (stored.countries.all() if stored else [])
            ],
            member=member,
        )
        self.sectors = SectorRows(
            self.data or None,
            prefix="sectors",
            initial=[
                {"code": row.code, "percentage": row.percentage}
                for row in (stored.sectors.all() if stored else [])
                if row.vocabulary == ProjectSector.Vocabulary.DAC_5
            ],
            member=member,
        )
        if not self.is_bound:  # a bound form links its errors too, once checked (is_valid)
            self.link()

    def is_valid(self) -> bool:
        valid = super().is_valid()
        lists = self.countries.is_valid() & self.sectors.is_valid()
        self.link()
        return valid and lists

    def warn_identifier(self, warnings: Iterable[str]) -> None:
        """Show beside the identifier's box what the IATI file's check says of it as last
        saved (`pages.projects.publishing`)."""
        self.identifier_warnings = list(warnings)
        self.link()

    def link(self) -> None:
        """Each box tied to its hint and error (`link_errors`), and the identifier's box to
        the IATI file's warning on it too."""
        link_errors(self)
        if self.identifier_warnings:
            bound = self["iati_identifier"]
            attrs = self.fields["iati_identifier"].widget.attrs
            ids = [attrs.get("aria-describedby", ""), f"{bound.auto_id}-warning"]
            attrs["aria-describedby"] = " ".join(i for i in ids if i)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("slug") and data.get("title"):
            title = data["title"]
            data["slug"] = slugify(title.get("fr") or next(iter(title.values()), ""))[:120]
        return data

    def country_rows(self) -> list[dict[str, Any]]:
        return [row for row in self.countries.rows() if row]

    def sector_rows(self) -> list[dict[str, Any]]:
        return [row for row in self.sectors.rows() if row]

    def fill(self) -> Project:
        """The project with the values typed (not saved: the service validates and writes it,
        the preview only shows it)."""
        project = self.instance
        data = self.cleaned_data
        project.authority = self.member
        for name in (*TRANSLATED, *PLAIN):
            setattr(project, name, data.get(name))
        project.places = data.get("places") or ""
        project.slug = data.get("slug") or ""
        project.sdg_targets = data.get("sdg_targets") or []
        project.iati_identifier = data.get("iati_identifier") or ""
        project.oda_purpose = data.get("oda_purpose") or Project.OdaPurpose.NOT_CHECKED
        return project


def identifier_help(member: MemberAuthority, project: Project) -> str:
    """The identifier's hint, with the authority's IATI organisation id and what the file
    writes when the box is left empty (`reporting.iati.export.activity_identifier`)."""
    org_id = member.authority.default_iati_org_id()
    if not org_id:
        return gettext(
            "The project's identifier in your IATI file: your authority's IATI organisation "
            "id, a hyphen, then the project's own code. Your authority has no organisation id "
            "yet (its SIREN number in the directory gives one). Left empty, the file makes one "
            "from that id and the project's address on the public site."
        )
    if project.slug:
        empty = gettext("Left empty, the file uses %(identifier)s.") % {
            "identifier": activity_identifier(org_id, Project(slug=project.slug))
        }
    else:
        empty = gettext(
            "Left empty, the file uses %(org_id)s, a hyphen and the project's address on the "
            "public site."
        ) % {"org_id": org_id}
    return " ".join(
        (
            gettext(
                "The project's identifier in your IATI file: your authority's IATI "
                "organisation id, %(org_id)s, a hyphen, then the project's own code, for "
                "example %(org_id)s-2025-WATER."
            )
            % {"org_id": org_id},
            empty,
            gettext(
                "That one changes with the address, while funders follow a project by its "
                "identifier: once the file is published, give it one of your own and keep it."
            ),
        )
    )


def initial_of(project: Project) -> dict[str, Any]:
    return {
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "slug": project.slug,
        "status": project.status,
        "planned_start": project.planned_start,
        "planned_end": project.planned_end,
        "actual_start": project.actual_start,
        "actual_end": project.actual_end,
        "partnerships": [p.pk for p in project.partnerships.all()] if project.pk else [],
        "places": project.places,
        "atlas_theme": project.atlas_theme_id,
        "objectives": project.objectives,
        "sdg_targets": project.sdg_targets,
        "oda_purpose": project.oda_purpose,
        "iati_identifier": project.iati_identifier,
        "is_public": project.is_public,
        "version": project.version,
    }


class CountryRow(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False, widget=UsualFirstSelect)
    percentage = PercentField(label=_("Share (%)"), required=False)

    def __init__(self, *args: Any, choices: Any = (), usual: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["country"])
        field.choices = choices
        cast(UsualFirstSelect, field.widget).usual = usual


class SectorRow(forms.Form):
    code = forms.ChoiceField(
        label=_("Sector (CRS purpose code)"), required=False, widget=UsualFirstSelect
    )
    percentage = PercentField(label=_("Share (%)"), required=False)

    def __init__(self, *args: Any, choices: Any = (), usual: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["code"])
        field.choices = choices
        cast(UsualFirstSelect, field.widget).usual = usual


class _Rows(forms.BaseFormSet):
    """Rows of (code, percentage) with one list of choices for all rows (read once): an empty
    row is ignored; the split is checked whole by the projects' own validator
    (`projects.validators`), the one the service runs again."""

    key = ""

    def __init__(self, *args: Any, member: MemberAuthority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self._choices: list[tuple[str, str]] | None = None
        self._usual: list[Any] | None = None

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        if self._choices is None:
            self._choices, self._usual = self.choices_and_usual()
        return {"choices": self._choices, "usual": self._usual}

    def choices_and_usual(self) -> tuple[list[tuple[str, str]], list[Any]]:
        raise NotImplementedError

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {}) or {}
            if data.get(self.key):
                rows.append(data)
        return rows

    def clean(self) -> None:
        if any(self.errors):
            return
        try:
            self.check_split(self.rows())
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def check_split(self, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError


class _CountryRows(_Rows):
    key = "country"

    def choices_and_usual(self) -> tuple[list[tuple[str, str]], list[Any]]:
        countries = Country.objects.order_by("name_fr")
        return [("", "—"), *((c.code, str(c.name)) for c in countries)], usual_countries(
            self.member.pk
        )

    def check_split(self, rows: list[dict[str, Any]]) -> None:
        validate_country_percentages([(row["country"], _share(row, len(rows))) for row in rows])


class _SectorRows(_Rows):
    key = "code"

    def choices_and_usual(self) -> tuple[list[tuple[str, str]], list[Any]]:
        # Current codes, and a withdrawn one the project already has (valid historically).
        stored = [row.get("code") for row in (self.initial or []) if row.get("code")]
        items = CodelistItem.objects.filter(codelist=Codelist.SECTOR).filter(
            Q(is_active=True) | Q(code__in=stored)
        )
        return [("", "—"), *((item.code, str(item)) for item in items)], usual_sectors(
            self.member.pk
        )

    def check_split(self, rows: list[dict[str, Any]]) -> None:
        validate_sector_percentages(
            [(ProjectSector.Vocabulary.DAC_5, row["code"], _share(row, len(rows))) for row in rows]
        )


def _share(row: dict[str, Any], count: int) -> Decimal | None:
    """A single row without a percentage counts for 100 % (IATI rules 2.1.4 and 3.1.4)."""
    value = row.get("percentage")
    if value is None and count == 1:
        return Decimal(100)
    return value


CountryRows = cast(
    type[_CountryRows],
    forms.formset_factory(CountryRow, formset=_CountryRows, extra=EXTRA_ROWS),
)
SectorRows = cast(
    type[_SectorRows],
    forms.formset_factory(SectorRow, formset=_SectorRows, extra=EXTRA_ROWS),
)
