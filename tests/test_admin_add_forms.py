"""Every add form with rows: the record left empty and a row filled answers with form errors.

Generic on purpose: it walks whatever admin page of `django.contrib.admin.site` has inlines
when it runs, one inline at a time. A row of a record that is itself a part of another (a line
of a plan, a period of an indicator) once reached for the record's owner before the record had
one, and the page was a server error instead of the form's errors.
"""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from jumelage.core.forms import TranslatedWidget
from jumelage.projects.tests.admin_helpers import errors_of


def _inline_cases() -> list[tuple[str, str]]:
    cases = []
    for model, model_admin in admin.site._registry.items():
        for inline in model_admin.inlines:
            cases.append((model._meta.label, inline.model._meta.label))
    return sorted(cases)


CASES = _inline_cases()


def _a_value(bound: Any) -> Any:
    """A valid value for a field of a new row, whatever its kind."""
    field = bound.field
    if isinstance(field, forms.ModelChoiceField):
        choice = field.queryset.first()
        return "" if choice is None else str(choice.pk)
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        values = [str(value) for value, _label in field.choices if value not in ("", None)]
        return values[0] if values else ""
    if isinstance(field, forms.DateField):
        return "2026-01-01"
    if isinstance(field, forms.TimeField):
        return "09:00"
    if isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        return "1"
    if isinstance(field, forms.URLField):
        return "https://example.org"
    if isinstance(field, forms.EmailField):
        return "x@example.org"
    return "x"


def _filled_row(form: Any, index: int) -> dict[str, Any]:
    """The fields of one new row as a browser posts them, each box that matters filled in,
    so that the row is valid on its own."""
    data: dict[str, Any] = {}
    for bound in form:
        name = bound.html_name.replace("__prefix__", str(index))
        value = bound.value()
        if isinstance(bound.field.widget, TranslatedWidget):
            data[f"{name}__fr"] = "x"
        elif bound.is_hidden:
            data[name] = "" if value is None else str(value)
        elif isinstance(bound.field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value in (None, ""):
            data[name] = _a_value(bound)
        else:
            data[name] = str(value)
    return data


def test_the_walk_covers_the_add_forms_with_rows():
    """Guards the walk itself: the admin pages with rows are the ones the bug was about."""
    assert ("projects.FinancingPlan", "projects.ExpenseLine") in CASES
    assert ("visits.Visit", "visits.Participant") in CASES


@pytest.mark.parametrize(("record", "row"), CASES)
def test_an_empty_record_with_a_filled_row_shows_form_errors(db, record, row):
    from django.apps import apps

    from jumelage.accounts.tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    model = apps.get_model(record)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    page = client.get(url)
    if page.status_code == 403:
        pytest.skip(f"{record} has no add page (read-only in the back office)")
    assert page.status_code == 200
    data: dict[str, Any] = {}
    filled = False
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        rows = 1 if formset.model._meta.label == row else 0
        management = formset.management_form
        data[management["TOTAL_FORMS"].html_name] = str(rows)
        data[management["INITIAL_FORMS"].html_name] = "0"
        data[management["MIN_NUM_FORMS"].html_name] = "0"
        data[management["MAX_NUM_FORMS"].html_name] = "1000"
        if rows:
            data.update(_filled_row(formset.empty_form, 0))
            filled = True
    assert filled, f"no inline of {row} on the add page of {record}"
    response = client.post(url, data)  # a server error would raise here
    assert response.status_code == 200
    assert errors_of(response), "the empty record should have been refused with form errors"
