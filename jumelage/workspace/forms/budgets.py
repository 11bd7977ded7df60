"""The form of a service budget of the "1 %" laws: the year, the service, its resources as an
officer writes them ("120 000,50", "120 000 €") and the budget's reference. The values go to
projects.services.service_budget_save, which decides what may be recorded."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jumelage.core.fields import AmountField
from jumelage.partners.models import MemberAuthority
from jumelage.projects.models import ServiceBudget
from jumelage.workspace.forms.base import WorkspaceForm
from jumelage.workspace.pages.budgets import FIRST_YEAR, LAST_YEAR


class ServiceBudgetForm(WorkspaceForm):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("The year of the budget, e.g. 2025."),
        error_messages={
            "invalid": _("Write the year in four digits, e.g. 2025."),
            "min_value": _("Write a year from 1990 to 2100."),
            "max_value": _("Write a year from 1990 to 2100."),
        },
    )
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceBudget.Kind.choices)
    resources = AmountField(
        label=_("Resources of the budget, in euros"),
        help_text=_(
            "The resources assigned to this service's budget for the year, e.g. 120 000,50 € "
            "(for mobility, without the versement mobilité). Its ceiling is a hundredth of them."
        ),
    )
    reference = forms.CharField(
        label=_("Budget reference"),
        max_length=200,
        required=False,
        help_text=_("e.g. budget annexe de l'eau 2025, compte administratif or budget voted."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, member: MemberAuthority, instance: ServiceBudget | None, **kwargs: Any
    ) -> None:
        self.member = member
        self.instance = instance
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "year": instance.year,
                "kind": instance.kind,
                "resources": instance.resources,
                "reference": instance.reference,
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_helptext"

    def clean_resources(self) -> Any:
        value = self.cleaned_data.get("resources")
        named = cast(AmountField, self.fields["resources"]).named_currency
        if named and named != "EUR":
            raise forms.ValidationError(
                _(
                    "A French budget is voted in euros: write the resources in euros, e.g. "
                    "120 000,50 €."
                ),
                code="currency",
            )
        return value

    def fill(self) -> ServiceBudget:
        """The budget with the values typed (the service validates and writes it)."""
        budget = self.instance if self.instance is not None else ServiceBudget()
        data = self.cleaned_data
        budget.authority_id = self.member.pk
        budget.year = data["year"]
        budget.kind = data["kind"]
        budget.resources = data["resources"]
        budget.reference = data.get("reference") or ""
        return budget
