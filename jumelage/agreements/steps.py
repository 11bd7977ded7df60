"""The legal steps of an agreement, offered in the back office as one form per step.

Which step comes next depends on the agreement's status: a draft is approved by a council
decision, an approved act is signed, a signed act is transmitted to the prefect (it is in force
from then), an act in force may be terminated. Each form calls its service in
`agreements.services`, which checks the legal rules and writes (audited, atomic); a refusal comes
back as form errors and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jumelage.agreements import services
from jumelage.agreements.models import Agreement, CouncilDecision

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StepForm(forms.Form):
    # The agreement's version when the form was shown: a step taken meanwhile refuses this one.
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement

    def take(self, user: Any) -> Agreement:
        raise NotImplementedError


class ApproveForm(StepForm):
    council_decision = forms.ModelChoiceField(
        label=_("Council decision"),
        queryset=CouncilDecision.objects.none(),
        help_text=_("The decision of the council that approves this act."),
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, agreement=agreement, **kwargs)
        field = self.fields["council_decision"]
        # The agreement's own authority's decisions only, latest first.
        field.queryset = CouncilDecision.objects.filter(  # type: ignore[attr-defined]
            authority_id=agreement.authority_id
        ).order_by("-date", "-id")

    def take(self, user: Any) -> Agreement:
        return services.agreement_approve(
            agreement=self.agreement,
            user=user,
            council_decision=self.cleaned_data["council_decision"],
        )


class SignForm(StepForm):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE_INPUT)
    signatories = forms.CharField(label=_("Signatories"), max_length=500, required=False)

    def take(self, user: Any) -> Agreement:
        return services.agreement_sign(
            agreement=self.agreement,
            user=user,
            signed_on=self.cleaned_data["signed_on"],
            signatories=self.cleaned_data["signatories"],
        )


class TransmitForm(StepForm):
    transmitted_on = forms.DateField(
        label=_("Transmitted to the prefect on"),
        widget=DATE_INPUT,
        help_text=_("The act is in force from this day."),
    )

    def take(self, user: Any) -> Agreement:
        return services.agreement_transmit(
            agreement=self.agreement,
            user=user,
            transmitted_on=self.cleaned_data["transmitted_on"],
        )


class TerminateForm(StepForm):
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE_INPUT)

    def take(self, user: Any) -> Agreement:
        return services.agreement_terminate(
            agreement=self.agreement, user=user, ended_on=self.cleaned_data["ends_on"]
        )


@dataclass(frozen=True)
class Step:
    name: str
    label: Any  # a lazy translation
    form: type[StepForm]
    initial: Callable[[Agreement], dict[str, Any]]


def _nothing(_agreement: Agreement) -> dict[str, Any]:
    return {}


STEPS = {
    Agreement.Status.DRAFT: Step(
        "approve", _("Record the council's approval"), ApproveForm, _nothing
    ),
    Agreement.Status.APPROVED: Step(
        "sign",
        _("Record the signature"),
        SignForm,
        lambda a: {"signatories": a.signatories, "signed_on": timezone.localdate()},
    ),
    Agreement.Status.SIGNED: Step(
        "transmit",
        _("Record the transmission to the prefect"),
        TransmitForm,
        lambda a: {"transmitted_on": timezone.localdate()},
    ),
    Agreement.Status.ENFORCEABLE: Step(
        "terminate",
        _("Terminate before its term"),
        TerminateForm,
        lambda a: {"ends_on": timezone.localdate()},
    ),
}


def next_step(agreement: Agreement) -> Step | None:
    return STEPS.get(agreement.status)  # type: ignore[call-overload]


# The legal path of an act, in order: the council approves it, the mayor signs it, the signed
# act goes to the prefect (CGCT L1115-1, L2131-1). Terminating is a choice, never a step due.
LEGAL_PATH = ("approve", "sign", "transmit")


def next_legal_step(agreement: Agreement) -> Step | None:
    """The step the act waits for on its legal path, or None once it is in force (or ended)."""
    step = next_step(agreement)
    return step if step is not None and step.name in LEGAL_PATH else None


def take_step(form: StepForm, user: Any) -> Agreement | None:
    """Take the step if the form and the rules allow it; else the reasons go on the form."""
    if not form.is_valid():
        return None
    agreement = form.agreement
    agreement.version = form.cleaned_data["version"]
    try:
        return form.take(user)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error.messages)
        return None
