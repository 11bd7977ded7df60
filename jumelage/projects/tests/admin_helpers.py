"""Helpers for admin tests: post a change form back as a browser would, with edits."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jumelage.core.forms import TranslatedWidget


def admin_url(model: str, action: str, *args: Any) -> str:
    return reverse(f"admin:projects_{model}_{action}", args=args)


def _add_form(data: dict[str, Any], form: Any) -> None:
    for bound in form:
        name = bound.html_name
        value = bound.value()
        if isinstance(bound.field.widget, TranslatedWidget):
            data[f"{name}__fr"] = ""
            for code, text in (value or {}).items():
                data[f"{name}__{code}"] = text
        elif value is None:
            data[name] = ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(value)


def form_data(response: Any) -> dict[str, Any]:
    """The data a browser would post back from an admin change page, unchanged."""
    data: dict[str, Any] = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    return data


def errors_of(response: Any) -> list[str]:
    """Every error shown on a re-displayed admin form (form, inline rows, inline sets)."""
    messages: list[str] = []
    if response.context is None or "adminform" not in response.context:
        return messages
    form = response.context["adminform"].form
    for errors in form.errors.values():
        messages.extend(errors)
    for inline in response.context["inline_admin_formsets"]:
        messages.extend(inline.formset.non_form_errors())
        for form_errors in inline.formset.errors:
            for errors in form_errors.values():
                messages.extend(errors)
    return [str(message) for message in messages]
