"""The calendar's form: plan a visit (partnership, dates as officers write them, delegation,
purpose). It builds the visit and its participants; `visits.services.visit_plan` writes them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jumelage.actors.models import Person
from jumelage.core.fields import DayField
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.visits.models import Participant, Visit


def link_errors(form: forms.Form) -> None:
    """Tie each field to its hint and its error (aria-describedby, aria-invalid), so that a
    screen reader reads them with the field (WCAG 3.3.1, RGAA 11.10). The template gives the
    hint the id `<field id>-hint` and the error `<field id>-error`."""
    for name, field in form.fields.items():
        bound = form[name]
        ids = []
        if field.help_text:
            ids.append(f"{bound.auto_id}-hint")
        if form.is_bound and bound.errors:
            ids.append(f"{bound.auto_id}-error")
            field.widget.attrs["aria-invalid"] = "true"
        if ids and not isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            field.widget.attrs["aria-describedby"] = " ".join(ids)


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        kind = obj.get_kind_display()
        return f"{obj} ({obj.title or kind})" if obj.title else f"{obj} ({kind})"


class PartnershipChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.partner.name} – {obj.get_kind_display()}"  # noqa: RUF001


class VisitPlanForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("As your colleagues will recognise it, e.g. “Delegation to Cap-Haïtien”."),
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Visit.Direction.choices,
        initial=Visit.Direction.OUTGOING,
        widget=forms.RadioSelect,
    )
    partnership = PartnershipChoice(
        label=_("Partnership"),
        queryset=Partnership.objects.none(),
        required=False,
        empty_label=_("None (another party)"),
    )
    starts_on = DayField(label=_("First day"), help_text=_("For example 12/05/2026."))
    ends_on = DayField(
        label=_("Last day"),
        required=False,
        help_text=_("Leave empty for a one-day visit."),
    )
    members = PersonChoice(
        label=_("Members of the delegation"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Elected officials and staff of the authority. An elected official travels under "
            "a special mandate of the council, a staff member under a mission order."
        ),
    )
    guests = forms.CharField(
        label=_("Other participants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name per line (guests, local actors)."),
    )
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, member: MemberAuthority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["partnership"].queryset = (  # type: ignore[attr-defined]
            Partnership.objects.for_user(user)
            .of_authority(member.pk)
            .select_related("partner")
            .order_by("partner__name", "kind")
        )
        self.fields["members"].queryset = (  # type: ignore[attr-defined]
            Person.objects.for_user(user)
            .of_authority(member.pk)
            .filter(kind__in=(Person.Kind.ELECTED, Person.Kind.STAFF))
            .order_by("kind", "last_name", "first_name")
        )

    def guest_names(self) -> list[str]:
        lines = self.cleaned_data.get("guests", "").splitlines()
        return [line.strip()[:200] for line in lines if line.strip()]

    def build(self) -> tuple[Visit, list[Participant]]:
        """The visit and its participants as typed, not saved."""
        data = self.cleaned_data
        language = (get_language() or "fr").split("-")[0]
        purpose = data.get("purpose", "").strip()
        visit = Visit(
            authority=self.member,
            direction=data["direction"],
            title={language: data["title"].strip()},
            purpose={language: purpose} if purpose else {},
            partnership=data.get("partnership"),
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            status=Visit.Status.PLANNED,
        )
        participants = [
            Participant(
                person=person,
                role=Participant.Role.ELECTED
                if person.kind == Person.Kind.ELECTED
                else Participant.Role.STAFF,
            )
            for person in data.get("members", [])
        ]
        participants += [
            Participant(name=name, role=Participant.Role.GUEST) for name in self.guest_names()
        ]
        return visit, participants
