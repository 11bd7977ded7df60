"""Forms of a visit's page: the visit itself (what, when, partnership, direction), its status,
a participant and the papers they travel with (special mandate, mission order), an item of
the programme, a host, a cost.

They read what officers type (core.fields: "3 870,40 €", "12/05/2026", "14h30") and hand the
values to the visits app's services, which decide what may be recorded (the papers' rules, the
programme's days among them). Each carries the version of the visit the page showed
(`_version`): a visit's rows are checked against it.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jumelage.actors.models import Person
from jumelage.agreements.models import CouncilDecision
from jumelage.core.fields import AmountField, DayField, TimeOfDayField
from jumelage.core.i18n import translate
from jumelage.partners.models import Partnership
from jumelage.visits.models import Hosting, Participant, ProgrammeItem, Visit, VisitCost
from jumelage.workspace.forms.applications import RowForm
from jumelage.workspace.forms.calendar import PartnershipChoice


def _language() -> str:
    return (get_language() or "fr").split("-")[0]


class VisitForm(RowForm):
    """What the visit is and when: the fields an officer changes (its status has its own step)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    direction = forms.ChoiceField(label=_("Direction"), choices=Visit.Direction.choices)
    partnership = PartnershipChoice(
        label=_("Partnership"),
        queryset=Partnership.objects.none(),
        required=False,
        empty_label=_("None (another party)"),
    )
    other_party = forms.CharField(
        label=_("Visiting or visited party"),
        max_length=200,
        required=False,
        help_text=_("When not a partner authority, e.g. a delegation from French Polynesia."),
    )
    starts_on = DayField(label=_("First day"), help_text=_("For example 12/05/2026."))
    ends_on = DayField(
        label=_("Last day"), required=False, help_text=_("Leave empty for a one-day visit.")
    )
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcomes = forms.CharField(
        label=_("Outcomes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, visit: Visit, partnerships: Any, **kwargs: Any) -> None:
        super().__init__(*args, key="visit_edit", **kwargs)
        self.visit = visit
        cast(forms.ModelChoiceField, self.fields["partnership"]).queryset = partnerships
        if not self.is_bound:
            self.initial.update(
                {
                    "_version": visit.version,
                    "title": translate(visit.title),
                    "direction": visit.direction,
                    "partnership": visit.partnership_id,
                    "other_party": visit.other_party,
                    "starts_on": visit.starts_on,
                    "ends_on": visit.ends_on,
                    "purpose": translate(visit.purpose),
                    "outcomes": translate(visit.outcomes),
                }
            )

    def apply(self) -> Visit:
        """The visit with the values typed, not saved; texts in the reader's language."""
        data, visit, language = self.cleaned_data, self.visit, _language()
        for name in ("title", "purpose", "outcomes"):
            texts = dict(getattr(visit, name) or {})
            value = data[name].strip()
            if value:
                texts[language] = value
            else:
                texts.pop(language, None)
            setattr(visit, name, texts)
        for name in ("direction", "partnership", "other_party", "starts_on", "ends_on"):
            setattr(visit, name, data.get(name))
        visit.other_party = visit.other_party or ""
        return visit


class StatusForm(RowForm):
    status = forms.ChoiceField(label=_("Status"), choices=Visit.Status.choices)

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, key="visit_status", **kwargs)
        if not self.is_bound:
            self.initial.update({"_version": visit.version, "status": visit.status})


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.get_kind_display()})"


class DecisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        decision = cast(CouncilDecision, obj)
        return f"{decision.number} – {decision.date:%d/%m/%Y} – {decision.subject[:60]}"  # noqa: RUF001


class ParticipantForm(RowForm):
    """A member of the delegation: a person of the directory or a name, their role, and their
    papers (an elected official's special mandate, a staff member's mission order)."""

    person = PersonChoice(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Someone not in the directory"),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("When the person is not in the directory."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Participant.Role.choices)
    special_mandate = DecisionChoice(
        label=_("Special mandate (council decision)"),
        queryset=CouncilDecision.objects.none(),
        required=False,
        empty_label=_("None yet"),
        help_text=_("For an elected official who travels: the decision that grants the mandate."),
    )
    mission_order = forms.CharField(
        label=_("Mission order"),
        max_length=100,
        required=False,
        help_text=_("For a staff member who travels: the reference of the mission order."),
    )

    def __init__(
        self,
        *args: Any,
        visit: Visit,
        people: Any,
        decisions: Any,
        row: Participant | None = None,
        **kwargs: Any,
    ) -> None:
        key = f"participant-{row.pk}" if row is not None else "participant_new"
        super().__init__(*args, key=key, **kwargs)
        self.visit, self.row = visit, row
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people
        cast(forms.ModelChoiceField, self.fields["special_mandate"]).queryset = decisions
        if not self.is_bound:
            self.initial["_version"] = visit.version
            if row is not None:
                self.initial.update(
                    {
                        "person": row.person_id,
                        "name": row.name,
                        "role": row.role,
                        "special_mandate": row.special_mandate_id,
                        "mission_order": row.mission_order,
                    }
                )

    def apply(self) -> Participant:
        data = self.cleaned_data
        participant = self.row or Participant(visit=self.visit)
        participant.visit = self.visit
        participant.person = data.get("person")
        participant.name = data.get("name", "").strip()
        participant.role = data["role"]
        participant.special_mandate = data.get("special_mandate")
        participant.mission_order = data.get("mission_order", "").strip()
        return participant


class RemoveForm(RowForm):
    """Only the version the page showed: removing a row of a visit changed since is refused."""

    def __init__(self, *args: Any, visit: Visit, key: str, **kwargs: Any) -> None:
        super().__init__(*args, key=key, **kwargs)
        if not self.is_bound:
            self.initial["_version"] = visit.version


class CostForm(RowForm):
    """A cost of the visit: what, how much as written ("1 250,50 €"), who pays."""

    label = forms.CharField(
        label=_("What"), max_length=200, help_text=_("e.g. plane tickets, hotel, interpreter")
    )
    amount = AmountField(label=_("Amount"), help_text=_("As written, e.g. 1 250,50 €"))
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        required=False,
        help_text=_("Three letters, e.g. EUR; empty for euros or the currency written."),
    )
    paid_by = forms.CharField(label=_("Paid by"), max_length=200, required=False)

    def __init__(
        self, *args: Any, visit: Visit, row: VisitCost | None = None, **kwargs: Any
    ) -> None:
        key = f"cost-{row.pk}" if row is not None else "cost_new"
        super().__init__(*args, key=key, **kwargs)
        self.visit, self.row = visit, row
        if not self.is_bound:
            self.initial["_version"] = visit.version
            if row is not None:
                for name in ("label", "amount", "currency", "paid_by"):
                    self.initial[name] = getattr(row, name)

    def clean_currency(self) -> str:
        typed = self.cleaned_data.get("currency", "").strip().upper()
        named = cast(AmountField, self.fields["amount"]).named_currency or ""
        if typed and named and typed != named:
            raise forms.ValidationError(
                _("The amount is written in %(named)s but the currency says %(typed)s.")
                % {"named": named, "typed": typed},
                code="currency",
            )
        if typed and not (len(typed) == 3 and typed.isalpha()):
            raise forms.ValidationError(
                _("Write the currency as three letters, e.g. EUR."), code="currency"
            )
        return typed or named or "EUR"

    def apply(self) -> VisitCost:
        data = self.cleaned_data
        cost = self.row or VisitCost(visit=self.visit)
        cost.visit = self.visit
        cost.label = data["label"].strip()
        cost.amount = data["amount"]
        cost.currency = data["currency"]
        cost.paid_by = data.get("paid_by", "").strip()
        return cost


class ProgrammeItemForm(RowForm):
    """An item of the programme: the day and time as written ("12/05/2026", "14h30"), the
    place, what the delegation does. The day must be one of the visit's (the visits app's rule
    says so on the field)."""

    date = DayField(label=_("Day"), help_text=_("For example 12/05/2026."))
    time = TimeOfDayField(
        label=_("Time"), required=False, help_text=_("For example 14h30; empty for the whole day.")
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("e.g. town hall, media library"),
    )
    description = forms.CharField(
        label=_("What is planned"), max_length=300, help_text=_("e.g. meeting with the mayor")
    )

    def __init__(
        self, *args: Any, visit: Visit, row: ProgrammeItem | None = None, **kwargs: Any
    ) -> None:
        key = f"programme-{row.pk}" if row is not None else "programme_new"
        super().__init__(*args, key=key, **kwargs)
        self.visit, self.row = visit, row
        if not self.is_bound:
            self.initial["_version"] = visit.version
            if row is not None:
                for name in ("date", "time", "place", "description"):
                    self.initial[name] = getattr(row, name)

    def apply(self) -> ProgrammeItem:
        data = self.cleaned_data
        item = self.row or ProgrammeItem(visit=self.visit)
        item.visit = self.visit
        item.date = data["date"]
        item.time = data.get("time")
        item.place = data.get("place", "").strip()
        item.description = data["description"].strip()
        return item


class HostingForm(RowForm):
    """Who hosts members of the delegation: a host family or a hotel, how many guests, for how
    many nights."""

    host = forms.CharField(
        label=_("Host (family or hotel)"),
        max_length=200,
        help_text=_("e.g. the Durand family, Hôtel de la Gare"),
    )
    is_family = forms.BooleanField(
        label=_("A host family"),
        required=False,
        help_text=_("Untick for a hotel or another paid place to stay."),
    )
    guests = forms.IntegerField(
        label=_("Number of guests"),
        min_value=1,
        max_value=500,
        error_messages={
            "invalid": _("Write the number of guests in figures, e.g. 2."),
            "min_value": _("Write at least one guest."),
            "max_value": _("Write at most 500 guests; split a larger group between hosts."),
        },
    )
    nights = forms.IntegerField(
        label=_("Number of nights"),
        min_value=0,
        max_value=365,
        help_text=_("0 for a host who receives the guests for the day only."),
        error_messages={
            "invalid": _("Write the number of nights in figures, e.g. 3."),
            "min_value": _("The number of nights cannot be negative."),
            "max_value": _("Write at most 365 nights."),
        },
    )

    def __init__(self, *args: Any, visit: Visit, row: Hosting | None = None, **kwargs: Any) -> None:
        key = f"hosting-{row.pk}" if row is not None else "hosting_new"
        super().__init__(*args, key=key, **kwargs)
        self.visit, self.row = visit, row
        if not self.is_bound:
            self.initial["_version"] = visit.version
            if row is not None:
                for name in ("host", "is_family", "guests", "nights"):
                    self.initial[name] = getattr(row, name)
            else:
                self.initial.update({"is_family": True, "guests": 1, "nights": 1})

    def apply(self) -> Hosting:
        data = self.cleaned_data
        hosting = self.row or Hosting(visit=self.visit)
        hosting.visit = self.visit
        hosting.host = data["host"].strip()
        hosting.is_family = bool(data.get("is_family"))
        hosting.guests = data["guests"]
        hosting.nights = data["nights"]
        return hosting
