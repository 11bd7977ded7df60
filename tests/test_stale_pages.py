"""No lost update in the back office: a page opened before a colleague's save is refused.

Each case opens the same change page twice (A and B), saves a change to one row on B, then
saves A as it was shown: A's rows are older than the stored ones, so A must be refused with the
usual message and B's change kept. Before versions covered rows, A silently put the old row
back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from jumelage.actors.tests.factories import (
    ActorFactory,
    MissionFactory,
    PersonFactory,
    PositionFactory,
    ProjectActorFactory,
)
from jumelage.audit.services import snapshot
from jumelage.networks.tests.factories import MeetingFactory, NetworkFactory, NetworkMemberFactory
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.projects.tests.admin_helpers import errors_of, form_data
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    ExpenseLineFactory,
    FinancingPlanFactory,
    IndicatorFactory,
    IndicatorPeriodFactory,
    InstalmentFactory,
    ProjectCountryFactory,
    ProjectFactory,
    ProjectSectorFactory,
    ReportDueFactory,
    ResourceLineFactory,
    ResultFactory,
)
from jumelage.visits.tests.factories import (
    HostingFactory,
    ParticipantFactory,
    ProgrammeItemFactory,
    VisitCostFactory,
    VisitFactory,
)

STALE = "Someone else changed this record while you were editing it."


@dataclass(frozen=True)
class Case:
    """A record with rows, the row B changes, and the boxes B types in."""

    make: Callable[[Any], tuple[Any, Any]]  # city -> (record shown on the page, row)
    changes: dict[str, str]  # field name -> value typed on page B
    others: dict[str, str] | None = None  # boxes of the row's siblings B changes too


def _plan_with(factory: Callable[..., Any], **values: Any) -> Callable[[Any], tuple[Any, Any]]:
    def make(city: Any) -> tuple[Any, Any]:
        plan = FinancingPlanFactory(project=ProjectFactory(authority=city))
        return plan, factory(plan=plan, **values)

    return make


def _of_project(factory: Callable[..., Any]) -> Callable[[Any], tuple[Any, Any]]:
    def make(city: Any) -> tuple[Any, Any]:
        project = ProjectFactory(authority=city)
        factory(project=project, percentage=50, **_second(factory))
        return project, factory(project=project, percentage=50)

    return make


def _second(factory: Callable[..., Any]) -> dict[str, Any]:
    from jumelage.core.tests.factories import CountryFactory

    if factory is ProjectSectorFactory:
        return {"code": "15110"}
    return {"country": CountryFactory(code="SN")}


def _of(parent_factory: Any, row_factory: Any, link: str) -> Callable[[Any], tuple[Any, Any]]:
    def make(city: Any) -> tuple[Any, Any]:
        parent = parent_factory(authority=city)
        return parent, row_factory(**{link: parent})

    return make


def _of_application(row_factory: Any) -> Callable[[Any], tuple[Any, Any]]:
    def make(city: Any) -> tuple[Any, Any]:
        application = ApplicationFactory(project=ProjectFactory(authority=city))
        return application, row_factory(application=application)

    return make


def _indicator_of_result(city: Any) -> tuple[Any, Any]:
    result = ResultFactory(project=ProjectFactory(authority=city))
    return result, IndicatorFactory(result=result)


def _period_of_indicator(city: Any) -> tuple[Any, Any]:
    indicator = IndicatorFactory(result=ResultFactory(project=ProjectFactory(authority=city)))
    return indicator, IndicatorPeriodFactory(indicator=indicator)


def _role_of_actor(city: Any) -> tuple[Any, Any]:
    actor = ActorFactory(authority=city)
    return actor, ProjectActorFactory(actor=actor, project=ProjectFactory(authority=city))


def _theme_of_partnership(city: Any) -> tuple[Any, Any]:
    from jumelage.core.tests.factories import AtlasThemeFactory
    from jumelage.partners.models import PartnershipTheme

    partnership = PartnershipFactory(authority=city)
    return partnership, PartnershipTheme.objects.create(
        partnership=partnership, theme=AtlasThemeFactory(), rank=1
    )


CASES = {
    "plan expense line": Case(_plan_with(ExpenseLineFactory), {"amount": "12345.00"}),
    "plan resource line": Case(_plan_with(ResourceLineFactory), {"amount": "12345.00"}),
    "project sector": Case(
        _of_project(ProjectSectorFactory), {"percentage": "60"}, {"percentage": "40"}
    ),
    "project country": Case(
        _of_project(ProjectCountryFactory), {"percentage": "70"}, {"percentage": "30"}
    ),
    "application instalment": Case(
        _of_application(InstalmentFactory), {"condition": "final report"}
    ),
    "application report": Case(_of_application(ReportDueFactory), {"due_on": "2027-06-30"}),
    "result indicator": Case(_indicator_of_result, {"baseline_year": "2024"}),
    "indicator period": Case(_period_of_indicator, {"comment": "halfway there"}),
    "visit participant": Case(
        _of(VisitFactory, ParticipantFactory, "visit"), {"mission_order": "OM-2026-12"}
    ),
    "visit programme": Case(
        _of(VisitFactory, ProgrammeItemFactory, "visit"), {"place": "Town hall"}
    ),
    "visit hosting": Case(_of(VisitFactory, HostingFactory, "visit"), {"host": "Famille Roy"}),
    "visit cost": Case(_of(VisitFactory, VisitCostFactory, "visit"), {"paid_by": "the city"}),
    "actor role in a project": Case(_role_of_actor, {"description": "trains the staff"}),
    "person position": Case(_of(PersonFactory, PositionFactory, "person"), {"body": "CUF"}),
    "person mission": Case(_of(PersonFactory, MissionFactory, "person"), {"days": "7.0"}),
    "network member": Case(
        _of(NetworkFactory, NetworkMemberFactory, "network"), {"activity": "water, Cap-Haïtien"}
    ),
    "network meeting": Case(_of(NetworkFactory, MeetingFactory, "network"), {"notes": "minutes"}),
    "partnership theme": Case(_theme_of_partnership, {"rank": "2"}),
}


def _change_url(obj: Any) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _row_prefix(page: Any, row: Any) -> str:
    """The prefix of the row's boxes on the page, e.g. `expenses-0`."""
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.model is not type(row):
            continue
        for index, form in enumerate(formset.forms):
            if form.instance.pk == row.pk:
                return f"{formset.prefix}-{index}"
    raise AssertionError(f"{row!r} is not on the page")


def _sibling_prefix(page: Any, row: Any) -> str:
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.model is not type(row):
            continue
        for index, form in enumerate(formset.forms):
            if form.instance.pk not in (None, row.pk):
                return f"{formset.prefix}-{index}"
    raise AssertionError(f"no other {type(row).__name__} on the page")


@pytest.fixture
def officer(client, officer_a):
    client.force_login(officer_a)
    return officer_a


@pytest.mark.parametrize("name", CASES)
def test_a_stale_page_never_puts_back_a_row_changed_since(client, officer, city_a, name):
    case = CASES[name]
    record, row = case.make(city_a)
    url = _change_url(record)
    page_a = form_data(client.get(url))
    page = client.get(url)
    page_b = form_data(page)
    prefix = _row_prefix(page, row)
    for field, value in case.changes.items():
        page_b[f"{prefix}-{field}"] = value
    for field, value in (case.others or {}).items():
        page_b[f"{_sibling_prefix(page, row)}-{field}"] = value
    before = snapshot(type(row).objects.get(pk=row.pk))
    response = client.post(url, page_b)
    assert response.status_code == 302, errors_of(response)
    after_b = snapshot(type(row).objects.get(pk=row.pk))
    assert after_b != before, "page B should have changed the row"

    response = client.post(url, page_a, follow=True)  # page A saves what it showed

    assert snapshot(type(row).objects.get(pk=row.pk)) == after_b
    assert STALE in response.content.decode()


def test_a_stale_page_never_puts_back_the_record_changed_on_its_own_page(client, officer, city_a):
    """An indicator has its own page and is a row of its result's page: a save on one
    refuses the other, opened before."""
    result, indicator = _indicator_of_result(city_a)
    result_page = form_data(client.get(_change_url(result)))
    indicator_page = form_data(client.get(_change_url(indicator)))
    indicator_page["baseline_year"] = "2024"
    response = client.post(_change_url(indicator), indicator_page)
    assert response.status_code == 302, errors_of(response)

    response = client.post(_change_url(result), result_page, follow=True)

    indicator.refresh_from_db()
    assert indicator.baseline_year == 2024
    assert STALE in response.content.decode()


@pytest.mark.parametrize("name", ["plan expense line", "visit participant", "indicator period"])
def test_a_page_posted_without_its_version_is_refused(client, officer, city_a, name):
    case = CASES[name]
    record, row = case.make(city_a)
    url = _change_url(record)
    page = client.get(url)
    data = form_data(page)
    del data["_version"]
    for field, value in case.changes.items():
        data[f"{_row_prefix(page, row)}-{field}"] = value
    before = snapshot(type(row).objects.get(pk=row.pk))

    response = client.post(url, data, follow=True)

    assert snapshot(type(row).objects.get(pk=row.pk)) == before
    assert STALE in response.content.decode()
