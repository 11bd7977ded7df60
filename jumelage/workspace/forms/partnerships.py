"""The partnership page's form: the next legal step of an act (approve, sign, transmit), the
agreements app's own step forms (`agreements.steps`) with their dates as officers write them."""

from __future__ import annotations

from typing import Any

from django import forms

from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.agreements.steps import Step, StepForm
from jumelage.core.fields import DayField
from jumelage.workspace.forms.calendar import link_errors


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
