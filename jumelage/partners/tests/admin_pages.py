"""Helpers for back-office tests: URLs in English, the data a change form would post, and the
number of queries a page runs."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from jumelage.core.forms import TranslatedFormField


def admin_url(model: Any, view: str, *args: Any) -> str:
    """The back office's URL of a model's view ("changelist", "add", "change"), in English so
    that Django's own messages can be matched."""
    opts = model._meta
    with translation.override("en"):
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def _posted(field: forms.Field, value: Any) -> Any:
    if isinstance(field, forms.JSONField):
        return json.dumps(value if value is not None else {})
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if isinstance(field, forms.FileField):
        return None  # a file input left alone posts nothing; the stored file stays
    if value is None:
        return ""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [getattr(v, "pk", v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return getattr(value, "pk", value)


def _form_values(form: forms.BaseForm) -> dict[str, Any]:
    values = {}
    for name, field in form.fields.items():
        if isinstance(field, TranslatedFormField):  # one box per language
            for code, text in (form[name].value() or {}).items():
                values[f"{form.add_prefix(name)}__{code}"] = text
            values.setdefault(f"{form.add_prefix(name)}__fr", "")
            continue
        posted = _posted(field, form[name].value())
        if posted is not None:
            values[form.add_prefix(name)] = posted
    return values


def change_form_data(response: Any) -> dict[str, Any]:
    """What the change form shown in `response` posts back unchanged (inlines included)."""
    data = _form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_values(formset.management_form))
        for form in formset.forms:
            data.update(_form_values(form))
    return data


def count_queries(client: Any, url: str) -> int:
    """The number of queries one GET of `url` runs (after a first GET to warm caches)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
