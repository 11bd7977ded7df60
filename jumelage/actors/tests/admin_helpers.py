"""Helpers for back-office tests: send a change form back as the page shows it, count queries.

Used by the tests of actors, visits, networks and content.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.forms import FileField
from django.test.utils import CaptureQueriesContext


def form_data(response: Any) -> dict[str, Any]:
    """The POST data of an admin add or change page as rendered: the main form, then each
    inline's management form and rows. A test changes what it needs, then posts it."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data: dict[str, Any] = {}
    for form in forms:
        for name, field in form.fields.items():
            if isinstance(field, FileField):
                continue
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is None:
                data[key] = ""
            elif isinstance(value, dict):  # multilingual text: one box per language
                data.update({f"{key}__{code}": text for code, text in value.items()})
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)
    return data


def add_inline_row(data: dict[str, Any], prefix: str, **fields: Any) -> None:
    """Add a row to an inline of `form_data`, e.g. prefix "participants"."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value


def assert_constant_queries(
    client: Any, url: str, add_rows: Callable[[int], Any], django_assert_num_queries: Any
) -> Any:
    """The page runs as many queries with ten rows as with one: `add_rows(n)` adds n rows
    (the first row must exist already). Returns the ten-row page."""
    client.get(url)  # warm the caches (content types, session) out of the count
    with CaptureQueriesContext(connection) as one_row:
        response = client.get(url)
    assert response.status_code == 200
    add_rows(9)
    with django_assert_num_queries(len(one_row)):
        response = client.get(url)
    assert response.status_code == 200
    return response
