"""The partnership pages' forms: a partnership created or changed in the workspace, and the
next legal step of an act (approve, sign, transmit), the agreements app's own step forms
(`agreements.steps`) with their dates as officers write them."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.agreements.steps import Step, StepForm
from jumelage.core import values
from jumelage.core.fields import DayField, UsualFirstSelect
from jumelage.core.forms import OnDemandTranslatedWidget, TranslatedFormField
from jumelage.core.models import AtlasTheme, Country
from jumelage.partners.matching import Towns
from jumelage.partners.models import Authority, MemberAuthority, Partnership
from jumelage.partners.selectors import partner_languages
from jumelage.workspace.forms.calendar import link_errors
from jumelage.workspace.forms.projects import ThemeChoice


def step_form(
    step: Step,
    agreement: Agreement,
    data: Any = None,
    *,
    auto_id: str = "id_%s",
    decisions: list[CouncilDecision] | None = None,
) -> StepForm:
    """The step's form for `agreement`, carrying the version shown (a stale page is refused by
    the step service); its dates read "12/05/2026" or "12 mai 2026". `decisions`, read once for
    a page of several forms, are offered as the council decisions to choose from."""
    form = step.form(
        data,
        agreement=agreement,
        auto_id=auto_id,
        initial={"version": agreement.version, **step.initial(agreement)},
    )
    for name, field in list(form.fields.items()):
        if isinstance(field, forms.DateField):
            form.fields[name] = DayField(
                label=field.label, help_text=field.help_text, required=field.required
            )
    choice = form.fields.get("council_decision")
    if decisions is not None and isinstance(choice, forms.ModelChoiceField):
        # Shown from the list read once; a choice posted is still checked against the query.
        choice.choices = [("", choice.empty_label or ""), *((d.pk, str(d)) for d in decisions)]
    link_errors(form)
    return form


# --- A partnership, created or changed in the workspace ------------------------------------------

NEW_TOWN = "new"


class StartField(forms.Field):
    """When a partnership started, as officers know it: a year ("1998") or a day ("12/05/1998",
    "12 mai 1998"); a month ("03/1998") is read as its first day. Cleans to (year, day), one of
    them None."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> tuple[int | None, datetime.date | None] | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            found = values.read_date(value)
        except values.CellProblem as problem:
            raise forms.ValidationError(
                _(
                    "“%(value)s” is neither a year nor a date; write a year such as 1998, or a "
                    "date such as 12/05/1998."
                )
                % {"value": values.shown(value)},
                code="invalid",
            ) from problem
        if found.end is not None:
            raise forms.ValidationError(
                _(
                    "“%(value)s” is a period; write the year or the date the partnership started, "
                    "and its end in the next box."
                )
                % {"value": values.shown(value)},
                code="invalid",
            )
        if found.precision == values.YEAR:
            return found.start.year, None
        return None, found.start


def start_text(partnership: Partnership) -> str:
    if partnership.started_on:
        return partnership.started_on.strftime("%d/%m/%Y")
    return str(partnership.started_year or "")


class PartnerCountryField(forms.ModelChoiceField):
    """A country by its name in the reader's language, sent as its ISO code."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PartnershipForm(forms.Form):
    """A partnership of the authority: its partner town, found in the directory as officers
    write it (a near match or a choice between namesakes is asked, never guessed; a town the
    directory lacks is added on confirmation), kind, status, dates, texts and whether it is
    published. `build()` gives the partnership to save through the partners' services."""

    partner_name = forms.CharField(
        label=_("Partner town"),
        max_length=200,
        help_text=_("Its name as you write it; the directory's entry is found for you."),
    )
    partner_country = PartnerCountryField(
        label=_("Country of the partner town"),
        queryset=Country.objects.none(),
        to_field_name="code",
        empty_label="—",
        widget=UsualFirstSelect,
    )
    # Its choices are set once the name is read (`_find_partner`), which checks the answer.
    partner_choice = forms.CharField(
        label=_("Which town do you mean?"),
        required=False,
        widget=forms.RadioSelect,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Partnership.Kind.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=Partnership.Status.choices, initial=Partnership.Status.ACTIVE
    )
    started = StartField(
        label=_("Started"),
        required=False,
        help_text=_("A year, e.g. 1998, or the date of the first signature, e.g. 12/05/1998."),
    )
    ended_on = DayField(
        label=_("Ended on"), required=False, help_text=_("Only for an ended partnership.")
    )
    title = TranslatedFormField(
        label=_("Title"),
        required=False,
        multiline=False,
        help_text=_("As on the Atlas sheet; your public page shows the partner's name if empty."),
    )
    summary = TranslatedFormField(
        label=_("Description"),
        required=False,
        help_text=_("A few lines for your public page: what you do together, since when."),
    )
    main_theme = ThemeChoice(
        label=_("Main Atlas theme"),
        queryset=AtlasTheme.objects.none(),
        required=False,
        widget=UsualFirstSelect(),
        help_text=_(
            "The theme of the partnership's sheet in the national Atlas of decentralised "
            "cooperation; a theme may stop at its first or second level."
        ),
    )
    is_public = forms.BooleanField(
        label=_("Published"),
        required=False,
        help_text=_(
            "Published, the partnership appears on your public page (the list of partner "
            "towns, its own page, the map), in the open-data API and feeds, and names the "
            "partner town in your IATI file. Unpublished, only your colleagues see it here. "
            "The Atlas sheet lists every partnership, published or not."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    translated = ("title", "summary")

    def __init__(
        self,
        data: Any = None,
        *,
        member: MemberAuthority,
        instance: Partnership | None = None,
        usual: list[str] | None = None,
    ) -> None:
        self.member = member
        self.instance = instance
        initial: dict[str, Any] = {}
        if instance is not None:
            initial = {
                "partner_name": instance.partner.name,
                "partner_country": instance.partner.country_id,
                "kind": instance.kind,
                "status": instance.status,
                "started": start_text(instance),
                "ended_on": instance.ended_on,
                "title": instance.title or {},
                "summary": instance.summary or {},
                "main_theme": instance.main_theme_id,
                "is_public": instance.is_public,
                "version": instance.version,
            }
        super().__init__(data, initial=initial)
        countries = cast(forms.ModelChoiceField, self.fields["partner_country"])
        countries.queryset = Country.objects.order_by("name_fr")
        cast(UsualFirstSelect, countries.widget).usual = usual or []
        # French shown; English and the partner towns' languages on demand (as a project's).
        offered = ["en", *partner_languages(member)]
        for name in self.translated:
            self.fields[name].widget = OnDemandTranslatedWidget(
                multiline=name == "summary", offered=offered
            )
        themes = cast(forms.ModelChoiceField, self.fields["main_theme"])
        themes.queryset = AtlasTheme.objects.select_related("parent__parent").order_by("code")
        self.partner: Authority | None = None
        self.new_town = False

    @property
    def asks_partner(self) -> bool:
        """A choice of town is asked (a near match, namesakes, or a town to add)."""
        return bool(cast(forms.RadioSelect, self.fields["partner_choice"].widget).choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, country = data.get("partner_name"), data.get("partner_country")
        if name and country is not None:
            self._find_partner(name.strip(), country)
        return data

    def _find_partner(self, name: str, country: Country) -> None:
        match = Towns({country.code}).match(name, country.code)
        offered = [a for a in (match.authority, *match.suggestions) if a is not None]
        if match.exact and match.authority is not None:
            self.partner = match.authority
            return
        field = self.fields["partner_choice"]
        field.required = True  # shown as a question to answer (checked here, not by the field)
        cast(forms.RadioSelect, field.widget).choices = [
            *((str(a.pk), f"{a.name} ({country.name})") for a in offered[:6]),
            (
                NEW_TOWN,
                _("None of these: add “%(name)s” (%(country)s) to the directory")
                % {"name": name, "country": country.name},
            ),
        ]
        chosen = self.data.get("partner_choice", "")
        if chosen == NEW_TOWN:
            self.new_town = True
            return
        found = next((a for a in offered if str(a.pk) == chosen), None)
        if found is not None:
            self.partner = found
            return
        if match.authority is not None:
            field.initial = str(match.authority.pk)  # the near match that stands out
        if offered:
            message = _(
                "The directory has no town called “%(name)s” in %(country)s, but has close "
                "names. Choose the one you mean, or add “%(name)s” to the directory."
            )
        else:
            message = _(
                "The directory has no town called “%(name)s” in %(country)s. Check the spelling "
                "and the country, or confirm below to add it to the directory."
            )
        self.add_error("partner_choice", message % {"name": name, "country": country.name})

    def build(self) -> Partnership:
        """The partnership with the form's values (its partner unless a town is to be added)."""
        data = self.cleaned_data
        partnership = self.instance or Partnership(authority=self.member)
        if self.partner is not None:
            partnership.partner = self.partner
        year, day = data.get("started") or (None, None)
        partnership.kind = data["kind"]
        partnership.status = data["status"]
        partnership.started_year = year
        partnership.started_on = day
        partnership.ended_on = data.get("ended_on")
        partnership.title = data.get("title") or {}
        partnership.summary = data.get("summary") or {}
        partnership.main_theme = data.get("main_theme")
        partnership.is_public = data.get("is_public", False)
        return partnership


# The service's refusals, on the form's field that holds the value.
MODEL_TO_FORM = {
    "partner": "partner_name",
    "started_year": "started",
    "started_on": "started",
    "ended_on": "ended_on",
    "kind": "kind",
    "status": "status",
    "title": "title",
    "summary": "summary",
    "main_theme": "main_theme",
    "is_public": "is_public",
}


def add_refusal(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the fields it names, the rest at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        target = MODEL_TO_FORM.get(name) if name != NON_FIELD_ERRORS else None
        form.add_error(target, messages)
