"""Walk every back-office write for each persona of two authorities and the register's curator:
nobody changes or deletes what another authority owns, nor a register entry they may not change.

Generic like the admin walk: every registered model, a record of city_a (or a register entry
that only city_a uses), the change form posted back with a text changed, then the delete
confirmation posted; the stored row must be as it was for everyone who may not write it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.admin.utils import quote
from django.core.validators import RegexValidator
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch

from jumelage.accounts.tests.factories import UserFactory
from jumelage.core.i18n import TranslatedField
from jumelage.core.models import SharedModel
from jumelage.partners.tests.admin_pages import admin_url, change_form_data
from tests.test_admin_walk import factory_for, is_owned, make_owned_by, registered_models

# Who may write a city_a record, by kind: everyone else must leave it as it was.
OUTSIDERS_OF_OWNED = ("viewer_a", "officer_b", "curator")
OUTSIDERS_OF_SHARED = ("viewer_a", "officer_b")


def stored(obj: models.Model) -> dict[str, Any] | None:
    return type(obj)._base_manager.filter(pk=obj.pk).values().first()


def tampered(model: type[models.Model], data: dict[str, Any]) -> dict[str, Any] | None:
    """The form's data with one value changed, as an attacker would post it; None when the
    form shows no field this can change (the walk then says so)."""
    changed = dict(data)
    for field in model._meta.concrete_fields:
        if not field.editable or field.choices:
            continue
        if any(isinstance(check, RegexValidator) for check in field.validators):
            continue  # a SIREN, an INSEE code: "X" appended would be refused anyway
        translated = f"{field.name}__fr"
        if isinstance(field, TranslatedField) and translated in changed:
            changed[translated] = f"{changed[translated]} X"
            return changed
        if field.is_relation or field.name not in changed:
            continue
        if isinstance(field, models.CharField):
            changed[field.name] = f"{changed[field.name]}X"[: field.max_length]
            return changed
        if isinstance(field, models.IntegerField) and str(changed[field.name]).isdigit():
            changed[field.name] = str(int(changed[field.name]) + 1)
            return changed
        if isinstance(field, models.DecimalField) and changed[field.name] not in ("", None):
            changed[field.name] = str(Decimal(str(changed[field.name])) + 1)
            return changed
    return None


@pytest.fixture
def clients(admin_a, officer_a, viewer_a, officer_b, db) -> dict[str, Client]:
    curator = UserFactory(username="curator", is_curator=True)
    found = {}
    for name, user in {
        "admin_a": admin_a,
        "officer_a": officer_a,
        "viewer_a": viewer_a,
        "officer_b": officer_b,
        "curator": curator,
    }.items():
        found[name] = Client()
        found[name].force_login(user)
    return found


def record_of_city_a(model: type[models.Model], city_a: Any) -> models.Model | None:
    factory = factory_for(model)
    if factory is None:
        return None
    if issubclass(model, SharedModel):
        return factory(added_by=city_a)  # used by city_a alone: its officers may correct it
    if is_owned(model):
        return make_owned_by(model, factory, city_a)
    return None  # reference data, users: covered by their own tests


def test_nobody_changes_or_deletes_what_they_may_not_write(clients, city_a):
    problems = []
    walked = []
    unchangeable: list[str] = []
    for model in registered_models():
        try:
            obj = record_of_city_a(model, city_a)
        except Exception as error:  # a factory that cannot make one is reported, not skipped
            problems.append(f"{model._meta.label}: no record of city_a: {error!r}")
            continue
        if obj is None:
            continue
        try:
            change = admin_url(model, "change", quote(obj.pk))
            delete = admin_url(model, "delete", quote(obj.pk))
        except NoReverseMatch:
            continue
        page = clients["admin_a"].get(change)
        if page.status_code != 200 or "adminform" not in (page.context or {}):
            continue  # admin_a cannot open it either (e.g. the audit log): nothing to post
        data = tampered(model, change_form_data(page))
        if data is None:
            unchangeable.append(model._meta.label)
            continue
        outsiders = OUTSIDERS_OF_SHARED if issubclass(model, SharedModel) else OUTSIDERS_OF_OWNED
        if tuple(getattr(model, "write_roles", ())) == ("admin",):
            outsiders = ("officer_a", *outsiders)  # the authority's administrators' only
        before = stored(obj)
        walked.append(model._meta.label)
        for name in outsiders:
            client = clients[name]
            for url, posted in ((change, data), (delete, {"post": "yes"})):
                try:
                    response = client.post(url, posted)
                except Exception as error:  # a server error is a finding, not a crash
                    problems.append(f"{name} POST {url}: {type(error).__name__}: {error}")
                    continue
                if response.status_code >= 500:
                    problems.append(f"{name} POST {url}: {response.status_code}")
            if stored(obj) != before:
                problems.append(f"{name} changed {model._meta.label} #{obj.pk} of city_a")
            if stored(obj) is None:
                problems.append(f"{name} deleted {model._meta.label} #{obj.pk} of city_a")
                break
    print("Walked:", ", ".join(walked))
    print("No field to change on the form:", ", ".join(unchangeable) or "none")
    assert {"partners.Authority", "projects.Call", "projects.Project"} <= set(walked)
    assert not problems, "\n".join(problems)


def test_the_walk_would_see_a_write(clients, city_a):
    """Guards the walk: officer_a's own post of the same tampered data does change the record."""
    from jumelage.partners.models import Partnership

    obj = record_of_city_a(Partnership, city_a)
    assert obj is not None
    change = admin_url(Partnership, "change", quote(obj.pk))
    data = tampered(Partnership, change_form_data(clients["officer_a"].get(change)))
    assert data is not None
    before = stored(obj)
    clients["officer_a"].post(change, data)
    assert stored(obj) != before
