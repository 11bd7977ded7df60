"""Forms of the financing plan editor: the plan's head (title, year, call) and its lines.

Amounts are typed as officers write them (`core.fields.AmountField`: "3 870,40 €"); the
forms only read the page, the services validate and write (`projects.services`). Each form
carries the plan's version (`_version`): a line is a row of its plan, covered by its version.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jumelage.core.fields import AmountField
from jumelage.projects.models import Call, ExpenseLine, FinancingPlan, Funder, ResourceLine


class VersionForm(forms.ModelForm):
    """A form of the plan's page: it sends the version of the plan the page showed."""

    _version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, prefix_id: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels are headings of their fields, no colon
        super().__init__(*args, **kwargs)
        # Each row's form has its own ids, so that labels and errors point at its fields.
        if prefix_id:
            self.auto_id = f"{prefix_id}-%s"

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_errors()

    def mark_errors(self) -> None:
        """Link each field in error to its message, for screen readers (RGAA 11.10)."""
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            described = f"{bound.auto_id}-error"
            if self.fields[name].help_text:
                described += f" {bound.auto_id}_helptext"
            self.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": described}
            )

    @property
    def seen_version(self) -> int | None:
        value = self.cleaned_data.get("_version") if hasattr(self, "cleaned_data") else None
        return value if isinstance(value, int) else None


class PlanForm(VersionForm):
    """A plan's head: what it is called, its year (or the whole project), the call it is for."""

    class Meta:
        model = FinancingPlan
        fields = ["title", "year", "call"]
        labels = {"year": _("Year (empty for the whole project)")}
        help_texts = {
            "year": _("Empty for the whole project; give each line its year then."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        calls = self.fields["call"]
        calls.queryset = Call.objects.select_related("funder").order_by(  # type: ignore[attr-defined]
            "-year", "funder__name", "title"
        )
        calls.label_from_instance = _call_label  # type: ignore[attr-defined]
        calls.empty_label = _("No call: a plan of our own")  # type: ignore[attr-defined]


def _call_label(call: Call) -> str:
    funder = call.funder.acronym or call.funder.name
    return f"{funder} – {call.title} ({call.year})"  # noqa: RUF001


class ExpenseLineForm(VersionForm):
    amount = AmountField(label=_("Amount"))

    class Meta:
        model = ExpenseLine
        fields = ["label", "category", "year", "amount", "in_kind"]


class ResourceLineForm(VersionForm):
    amount = AmountField(label=_("Amount"))

    class Meta:
        model = ResourceLine
        fields = ["label", "funder", "is_own", "year", "amount", "in_kind", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        funders = self.fields["funder"]
        funders.queryset = Funder.objects.order_by("name")  # type: ignore[attr-defined]
        funders.empty_label = _("None (own contribution)")  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    """A step of the plan (submit, adopt, back to draft), with the version the page showed."""

    _version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(choices=FinancingPlan.Status.choices)


LINE_FORMS: dict[str, type[VersionForm]] = {
    "expenses": ExpenseLineForm,
    "resources": ResourceLineForm,
}
