"""Walk every page of the back office as each persona: no server error, no leak between cities.

Generic on purpose: it covers whatever is registered in `django.contrib.admin.site` when it
runs. A record is made with the model's factory, found by convention as `<Model>Factory` in
`<app>/tests/factories.py`; a registered model without one fails the walk unless it is listed
in MODELS_WITHOUT_FACTORY, so that nothing is skipped silently.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse

PERSONAS = ("officer_a", "viewer_a", "officer_b")
# A persona may be sent to sign in, or refused, but never meet a server error.
ACCEPTABLE = {200, 302, 403}
# What a user of another city may get for a city_a record: never the record itself.
NOT_SHOWN = {302, 403, 404}

# Registered models with no factory. Keep it short: each one is a page the walk only opens
# empty. A new model registered without a factory fails `test_every_registered_model_...`.
MODELS_WITHOUT_FACTORY: set[str] = set()


def registered_models() -> list[type[models.Model]]:
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


def factory_for(model: type[models.Model]) -> Any:
    app = apps.get_app_config(model._meta.app_label)
    module_name = f"{app.name}.tests.factories"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is not None and module_name.startswith(error.name):
            return None  # the app has no factories module (e.g. django.contrib)
        raise  # a factories module that fails to import is a bug, not a missing factory
    return getattr(module, f"{model.__name__}Factory", None)


def admin_url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def get(client: Client, url: str) -> tuple[int | None, str]:
    """The status, or the exception a server error would have been."""
    try:
        response = client.get(url)
    except Exception as error:
        return None, f"{type(error).__name__}: {error}"
    return response.status_code, ""


def owning_authority_id(obj: models.Model) -> int | None:
    if hasattr(obj, "owning_authority_id"):
        return obj.owning_authority_id()
    return getattr(obj, "authority_id", None)


def is_owned(model: type[models.Model]) -> bool:
    """Owned by one member authority (as opposed to shared directory or reference data)."""
    return hasattr(model, "owning_authority_id") or any(
        field.name == "authority"
        and field.is_relation
        and field.related_model._meta.label == "partners.MemberAuthority"
        for field in model._meta.concrete_fields
    )


def make_owned_by(model: type[models.Model], factory: Any, authority: Any) -> models.Model:
    """A record of `model` owned by `authority`, through the model's path to its owner
    (e.g. `plan__project__authority`), which factory_boy passes down its sub-factories."""
    if model._meta.label == "partners.MemberAuthority":
        return authority
    path = getattr(model, "authority_path", "authority") or "authority"
    return factory(**{path: authority})


@pytest.fixture
def personas(officer_a, viewer_a, officer_b) -> dict[str, Any]:
    return {"officer_a": officer_a, "viewer_a": viewer_a, "officer_b": officer_b}


def _clients(personas: dict[str, Any]) -> dict[str, Client]:
    clients = {}
    for name, user in personas.items():
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def test_the_walk_covers_the_registered_pages():
    """Guards the walk itself: if nothing were registered it would pass on nothing."""
    labels = {model._meta.label for model in registered_models()}
    assert {"accounts.User", "accounts.Membership", "audit.AuditEntry"} <= labels


def test_every_registered_model_has_a_factory_or_is_listed():
    missing = {model._meta.label for model in registered_models() if factory_for(model) is None}
    print("Registered models without a factory:", sorted(missing) or "none")
    assert missing == MODELS_WITHOUT_FACTORY, (
        "Add a <Model>Factory to <app>/tests/factories.py for each new model registered in "
        "the admin (or list it in MODELS_WITHOUT_FACTORY if it truly cannot have one)."
    )


def test_every_list_and_add_page_answers_each_persona(personas):
    clients = _clients(personas)
    problems = []
    for model in registered_models():
        for view in ("changelist", "add"):
            try:
                url = admin_url(model, view)
            except NoReverseMatch:
                continue  # an admin without that view (e.g. no add page) is fine
            for name, client in clients.items():
                status, error = get(client, url)
                if status not in ACCEPTABLE:
                    problems.append(f"{name} GET {url}: {status} {error}")
    assert not problems, "\n".join(problems)


def test_a_city_a_record_opens_for_its_members_and_never_for_city_b(personas, city_a):
    clients = _clients(personas)
    problems = []
    checked = []
    for model in registered_models():
        factory = factory_for(model)
        if factory is None:
            continue  # listed in MODELS_WITHOUT_FACTORY, checked above
        label = model._meta.label
        if not is_owned(model):
            # Shared directory or reference data: anyone may or may not read it, by role,
            # but nobody meets a server error.
            obj = factory()
            url = admin_url(model, "change", quote(obj.pk))
            for name, client in clients.items():
                status, error = get(client, url)
                if status not in ACCEPTABLE:
                    problems.append(f"{name} GET {label} {url}: {status} {error}")
            continue
        try:
            obj = make_owned_by(model, factory, city_a)
        except Exception as error:
            problems.append(f"{label}: its factory cannot make a record of city_a: {error!r}")
            continue
        if owning_authority_id(obj) != city_a.pk:
            problems.append(f"{label}: the record made for city_a belongs to another authority")
            continue
        checked.append(label)
        url = admin_url(model, "change", quote(obj.pk))
        for name in ("officer_a", "viewer_a"):
            status, error = get(clients[name], url)
            if status != 200:
                problems.append(f"{name} GET {label} {url}: {status}, expected 200 {error}")
        status, error = get(clients["officer_b"], url)
        if status not in NOT_SHOWN:
            problems.append(f"officer_b GET {label} {url}: {status}, expected none of it {error}")
        response = clients["officer_b"].get(admin_url(model, "changelist"))
        listed = (
            {row.pk for row in response.context["cl"].result_list}
            if response.status_code == 200 and "cl" in (response.context or {})
            else set()
        )
        if obj.pk in listed:
            problems.append(f"officer_b sees {label} #{obj.pk} of city_a in the list")
    print("Owned models checked:", ", ".join(checked))
    assert checked, "no owned model was checked: the walk would prove nothing"
    assert not problems, "\n".join(problems)
