"""Forms of a project's results: a period's value reported, a reported value refused."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jumelage.core.fields import AmountField


class QuantityField(AmountField):
    """A quantity as typed ("1 234,5", "14"): read as an amount is, with its own message."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Write a number, for example 14 or 1 234,5."), code="invalid"
            ) from None


class VersionedForm(forms.Form):
    """Carries the version of the record the page showed (`_version`), for the service to
    refuse a stale page."""

    _version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("_version")


class PeriodValueForm(VersionedForm):
    """The value reached over a period, as typed: "1 234,5", "35", "35 %"."""

    value = QuantityField(
        label=_("Value reached"),
        required=False,
        decimal_places=4,
        max_digits=18,
        help_text=_("A number, e.g. 14 or 1 234,5."),
        error_messages={"negative": _("Write a number of zero or more.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done, or why the value differs from the target (optional)."),
    )

    def __init__(self, *args: Any, prefix_id: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if prefix_id:
            self.auto_id = f"id_{prefix_id}_%s"

    def clean_value(self) -> Any:
        value = self.cleaned_data.get("value")
        if self.fields["value"].named_currency:  # type: ignore[attr-defined]
            raise forms.ValidationError(_("Write the number only, without a currency."))
        return value


class RefusalForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why is it refused?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The contributor reads it and reports again."),
        error_messages={
            "required": _("Say why the value is refused, so that it can be corrected.")
        },
    )

    def __init__(self, *args: Any, prefix_id: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if prefix_id:
            self.auto_id = f"id_{prefix_id}_%s"
