"""Template helpers of the payments ledger's forms."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def described_widget(field: forms.BoundField) -> SafeString:
    """The field's widget tied to its hint and its errors (aria-describedby, WCAG 3.3.1), with
    the ids the ledger's templates give them."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    ids += [f"{field.auto_id}-error-{n}" for n in range(1, len(field.errors) + 1)]
    attrs: dict[str, str | bool] = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
