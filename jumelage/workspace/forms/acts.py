"""The acts of a partnership written in the workspace: a council decision (délibération) recorded
or corrected, an agreement recorded as it stands (its approval, signature and transmission taken
as steps) or its content corrected. Dates and amounts as officers write them ("12/05/2025",
"30 000 €"); the agreements app's services check the law and write."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.core.fields import AmountField, DayField
from jumelage.core.forms import TranslatedFormField
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.workspace.forms.calendar import link_errors

DAY_HINT = _("e.g. 12/05/2025")


class CouncilDecisionForm(forms.Form):
    """A council decision of the authority: number, sitting, body, what it approves, and the
    dates it was transmitted to the prefect and became enforceable (CGCT L2131-1)."""

    number = forms.CharField(
        label=_("Number"), max_length=50, help_text=_("As in the register, e.g. 2025-042.")
    )
    date = DayField(label=_("Date of the sitting"), help_text=DAY_HINT)
    body = forms.ChoiceField(label=_("Body"), choices=CouncilDecision.Body.choices)
    subject = forms.CharField(
        label=_("What it approves"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Its object as voted, e.g. “approves the framework convention with …”."),
    )
    transmitted_on = DayField(
        label=_("Transmitted to the prefect on"),
        required=False,
        help_text=_("Empty until it is sent for the legality review."),
    )
    enforceable_on = DayField(
        label=_("Enforceable from"),
        required=False,
        help_text=_(
            "Once transmitted (and published): an act it approves is signed only from this day."
        ),
    )
    is_special_mandate = forms.BooleanField(
        label=_("Grants a special mandate"),
        required=False,
        help_text=_("A mandat spécial for an elected official's mission abroad."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        member: MemberAuthority,
        instance: CouncilDecision | None = None,
    ) -> None:
        self.member = member
        self.instance = instance
        initial: dict[str, Any] = {"body": CouncilDecision.Body.COUNCIL}
        if instance is not None:
            initial = {
                name: getattr(instance, name)
                for name in (
                    "number",
                    "date",
                    "body",
                    "subject",
                    "transmitted_on",
                    "enforceable_on",
                    "is_special_mandate",
                    "version",
                )
            }
        super().__init__(data, initial=initial)
        link_errors(self)

    def build(self) -> CouncilDecision:
        data = self.cleaned_data
        decision = self.instance or CouncilDecision(authority=self.member)
        decision.number = data["number"].strip()
        decision.date = data["date"]
        decision.body = data["body"]
        decision.subject = data["subject"].strip()
        decision.transmitted_on = data.get("transmitted_on")
        decision.enforceable_on = data.get("enforceable_on")
        decision.is_special_mandate = data.get("is_special_mandate", False)
        return decision


class DecisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        subject = obj.subject if len(obj.subject) <= 80 else f"{obj.subject[:79]}…"
        return f"{obj} – {subject}"  # noqa: RUF001


# The content of an act, changed by its form; its status and legal dates change by the steps.
CONTENT_FIELDS = (
    "kind",
    "title",
    "object",
    "forecast_commitment",
    "signatories",
    "starts_on",
    "ends_on",
    "is_public",
    "state_case",
    "prefect_authorised_on",
    "legal_basis",
)
# Asked only when an act is recorded: afterwards the step buttons record them.
RECORDED_FIELDS = ("council_decision", "signed_on", "transmitted_on")


class AgreementForm(forms.Form):
    """An act of the partnership. A new one is recorded as it stands (the decision that
    approved it, its signature and its transmission, if they happened); an existing one has its
    content corrected, its status and legal dates changing only through the step buttons."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    title = TranslatedFormField(
        label=_("Title"), multiline=False, help_text=_("E.g. “Framework convention 2025-2027”.")
    )
    object = forms.CharField(
        label=_("Object of the planned actions"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a convention (CGCT L1115-1)."),
    )
    forecast_commitment = AmountField(
        label=_("Forecast financial commitments"),
        required=False,
        help_text=_(
            "Required for a convention (CGCT L1115-1): as written, e.g. 30 000 €, or 0 if none."
        ),
    )
    signatories = forms.CharField(
        label=_("Signatories"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The parties' signatories, e.g. the two mayors."),
    )
    starts_on = DayField(label=_("From"), required=False, help_text=DAY_HINT)
    ends_on = DayField(label=_("Until"), required=False, help_text=DAY_HINT)
    council_decision = DecisionChoice(
        label=_("Council decision that approved it"),
        queryset=CouncilDecision.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Empty while the council has not voted: the page's button records it later."),
    )
    signed_on = DayField(
        label=_("Signed on"),
        required=False,
        help_text=_("Only for an act already signed, once its council decision was enforceable."),
    )
    transmitted_on = DayField(
        label=_("Signed act transmitted to the prefect on"),
        required=False,
        help_text=_("Only for a signed act already sent: it is in force from this day."),
    )
    is_public = forms.BooleanField(
        label=_("Published"),
        required=False,
        help_text=_("A signed act published appears on your public page; a draft never does."),
    )
    state_case = forms.ChoiceField(
        label=_("Case allowing an agreement with a foreign State"),
        required=False,
        choices=Agreement.StateCase.choices,
        help_text=_("Only if the partner is a State (CGCT L1115-5); otherwise leave “none”."),
    )
    prefect_authorised_on = DayField(
        label=_("Signature authorised by the prefect on"),
        required=False,
        help_text=_("For an agreement with a foreign State, in the cases that need it."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        max_length=300,
        help_text=_("For “another case provided by law”: the text that provides it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    translated = ("title",)

    def __init__(
        self,
        data: Any = None,
        *,
        partnership: Partnership,
        instance: Agreement | None = None,
        decisions: Any = None,
    ) -> None:
        self.partnership = partnership
        self.instance = instance
        initial: dict[str, Any] = {"kind": Agreement.Kind.FRAMEWORK_CONVENTION}
        if instance is not None:
            initial = {name: getattr(instance, name) for name in CONTENT_FIELDS}
            initial["title"] = instance.title or {}
            initial["version"] = instance.version
        super().__init__(data, initial=initial)
        amount = cast(AmountField, self.fields["forecast_commitment"])
        amount.country = partnership.partner.country_id  # "FCFA" read as XOF or XAF
        if instance is not None:
            for name in RECORDED_FIELDS:
                del self.fields[name]
        else:
            choice = cast(forms.ModelChoiceField, self.fields["council_decision"])
            choice.queryset = decisions if decisions is not None else CouncilDecision.objects.none()
        link_errors(self)

    @property
    def recording(self) -> bool:
        return self.instance is None

    def currency(self) -> str:
        """The currency the amount was written in, else the act's (euros for a new one)."""
        named = cast(AmountField, self.fields["forecast_commitment"]).named_currency
        return named or (self.instance.currency if self.instance is not None else "EUR")

    def build(self) -> Agreement:
        data = self.cleaned_data
        agreement = self.instance or Agreement(
            authority_id=self.partnership.authority_id, partnership=self.partnership
        )
        for name in CONTENT_FIELDS:
            if name in ("title",):
                continue
            value = data.get(name)
            if name in ("object", "signatories", "legal_basis", "state_case"):
                value = (value or "").strip()
            setattr(agreement, name, value)
        agreement.title = data.get("title") or {}
        agreement.is_public = data.get("is_public", False)
        agreement.currency = self.currency()
        return agreement


def add_refusal(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the field it names when the form shows it, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
    else:
        for name, messages in error.message_dict.items():
            target = name if name != NON_FIELD_ERRORS and name in form.fields else None
            form.add_error(target, messages)
    link_errors(form)
