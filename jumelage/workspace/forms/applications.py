"""Forms of a project's applications to funders (an application, the funder's decision, an
instalment and the day it is received, a report due and the day it is sent) and of its
contributors assigned.

They read what officers type (core.fields: "3 870,40 €", "12/05/2025") and hand the values to
the projects app's services, which decide what may be recorded. Each carries the version of
the record the page showed (`_version`): the application's for itself and its rows, the
project's for its contributors.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jumelage.core.fields import AmountField, DayField, UsualFirstSelect
from jumelage.projects.models import Application, Call, ReportDue
from jumelage.workspace.forms.base import WorkspaceForm

DECISIONS = [
    (Application.Decision.GRANTED.value, Application.Decision.GRANTED.label),
    (Application.Decision.PARTLY_GRANTED.value, Application.Decision.PARTLY_GRANTED.label),
    (Application.Decision.REFUSED.value, Application.Decision.REFUSED.label),
    (Application.Decision.WITHDRAWN.value, Application.Decision.WITHDRAWN.label),
    (Application.Decision.SUBMITTED.value, _("submitted, no decision yet")),
]


class RowForm(WorkspaceForm):
    """A form of the applications' section: its own ids (several on one page), the version
    the page showed, labels without a colon."""

    _version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, key: str, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.key = key
        self.auto_id = f"{key}-%s"

    def seen_version(self) -> int | None:
        value = self.cleaned_data.get("_version") if hasattr(self, "cleaned_data") else None
        return value if isinstance(value, int) else None


class CallChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        call = cast(Call, obj)
        funder = call.funder.acronym or call.funder.name
        return f"{funder} – {call.title} ({call.year})"  # noqa: RUF001


class ApplicationForm(RowForm):
    """A new application: the call (the usual ones first), the amount asked as written."""

    call = CallChoice(
        label=_("Call for projects"),
        queryset=Call.objects.none(),
        empty_label="—",
        widget=UsualFirstSelect,
        help_text=_("The calls of the funders you already work with come first."),
    )
    amount_requested = AmountField(
        label=_("Amount requested"), help_text=_("As written, e.g. 30 000 € or 3 870,40")
    )
    submitted_on = DayField(
        label=_("Submitted on"),
        required=False,
        help_text=_("e.g. 12/05/2025; empty while the application is being written."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, usual: list[int], **kwargs: Any) -> None:
        super().__init__(*args, key="application-new", **kwargs)
        calls = cast(forms.ModelChoiceField, self.fields["call"])
        calls.queryset = Call.objects.select_related("funder").order_by(
            "-year", "funder__name", "title", "pk"
        )
        cast(UsualFirstSelect, calls.widget).usual = usual

    def currency(self) -> str:
        """The currency the amount was written in ("30 000 €"), or "" for the project's."""
        return cast(AmountField, self.fields["amount_requested"]).named_currency or ""


class DecisionForm(RowForm):
    """The funder's decision: granted (in full or partly), refused, withdrawn."""

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    decided_on = DayField(label=_("Decided on"), required=False, help_text=_("e.g. 12/05/2025"))
    amount_granted = AmountField(
        label=_("Amount granted"),
        required=False,
        help_text=_("For a grant, as written, e.g. 25 000 €"),
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, key=f"decision-{application.pk}", **kwargs)
        self.application = application
        if not self.is_bound:
            decision = application.decision
            self.initial.setdefault(
                "decision", decision if decision in dict(DECISIONS) else "granted"
            )
            self.initial.setdefault("decided_on", application.decided_on)
            self.initial.setdefault("amount_granted", application.amount_granted)

    def clean_amount_granted(self) -> Any:
        return _in_currency(self, "amount_granted", self.application.currency)


def _in_currency(form: RowForm, name: str, currency: str) -> Any:
    """The amount typed, refused when it names another currency than the application's."""
    value = form.cleaned_data.get(name)
    named = cast(AmountField, form.fields[name]).named_currency
    if value is not None and named and named != currency:
        raise forms.ValidationError(
            _("The application is in %(currency)s; write the amount in %(currency)s.")
            % {"currency": currency},
            code="currency",
        )
    return value


class InstalmentForm(RowForm):
    """An instalment of a grant: its rank, amount, day due and condition."""

    rank = forms.IntegerField(label=_("Rank"), min_value=1, max_value=99)
    amount = AmountField(label=_("Amount"), help_text=_("As written, e.g. 12 000 €"))
    due_on = DayField(label=_("Due on"), required=False, help_text=_("e.g. 12/05/2025"))
    condition = forms.CharField(
        label=_("Condition"),
        required=False,
        max_length=200,
        help_text=_("e.g. after the final report"),
    )

    def __init__(self, *args: Any, application: Application, row: Any = None, **kwargs: Any):
        key = f"instalment-{row.pk}" if row is not None else f"instalment-new-{application.pk}"
        super().__init__(*args, key=key, **kwargs)
        self.application = application
        if row is not None and not self.is_bound:
            for name in ("rank", "amount", "due_on", "condition"):
                self.initial.setdefault(name, getattr(row, name))
        elif not self.is_bound:
            self.initial.setdefault("rank", len(application.instalments.all()) + 1)

    def clean_amount(self) -> Any:
        return _in_currency(self, "amount", self.application.currency)


class ReceivedForm(RowForm):
    received_on = DayField(label=_("Received on"), help_text=_("e.g. 12/05/2025"))

    def __init__(self, *args: Any, row: Any, **kwargs: Any) -> None:
        super().__init__(*args, key=f"received-{row.pk}", **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_on", timezone.localdate())


class ReportForm(RowForm):
    """A report owed to the funder: its kind and day due."""

    kind = forms.ChoiceField(label=_("Report"), choices=ReportDue.Kind.choices)
    due_on = DayField(label=_("Due on"), help_text=_("e.g. 31/03/2027"))

    def __init__(self, *args: Any, application: Application, row: Any = None, **kwargs: Any):
        key = f"report-{row.pk}" if row is not None else f"report-new-{application.pk}"
        super().__init__(*args, key=key, **kwargs)
        if row is not None and not self.is_bound:
            self.initial.setdefault("kind", row.kind)
            self.initial.setdefault("due_on", row.due_on)


class SentForm(RowForm):
    submitted_on = DayField(label=_("Sent on"), help_text=_("e.g. 12/05/2025"))

    def __init__(self, *args: Any, row: Any, **kwargs: Any) -> None:
        super().__init__(*args, key=f"sent-{row.pk}", **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submitted_on", timezone.localdate())


class ContributorForm(RowForm):
    """A contributor of the authority to assign to the project."""

    user = forms.TypedChoiceField(label=_("Contributor"), coerce=int)

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, key="contributor-new", **kwargs)
        cast(forms.ChoiceField, self.fields["user"]).choices = [
            ("", "—"),
            *((person.pk, person.get_full_name() or person.username) for person in candidates),
        ]
