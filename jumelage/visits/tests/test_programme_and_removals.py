"""A visit's programme stays within its days (the rule of every write, the admin's included),
and a visit's rows are removed through services that check the visit's version, write
atomically and leave an audit entry."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jumelage.audit.models import AuditEntry
from jumelage.tenancy.services import ConcurrentEditError
from jumelage.visits.models import Hosting, ProgrammeItem, Visit, VisitCost
from jumelage.visits.selectors import programme_date_problem
from jumelage.visits.services import (
    hosting_remove,
    programme_item_remove,
    programme_item_save,
    visit_cost_remove,
    visit_save,
)
from jumelage.visits.tests.factories import (
    HostingFactory,
    ProgrammeItemFactory,
    VisitCostFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
STALE = "Someone else changed this record while you were editing it."


@pytest.fixture
def visit(city_a):
    return VisitFactory(authority=city_a, starts_on=D(2026, 5, 4), ends_on=D(2026, 5, 6))


@pytest.mark.parametrize("day", [D(2026, 5, 4), D(2026, 5, 5), D(2026, 5, 6)])
def test_an_item_on_a_day_of_the_visit_is_recorded(officer_a, visit, day):
    item = ProgrammeItem(visit=visit, date=day, description="Visit of the media library")
    programme_item_save(item=item, user=officer_a, expected_version=visit.version)
    assert ProgrammeItem.objects.get().date == day


@pytest.mark.parametrize("day", [D(2026, 5, 3), D(2026, 5, 7), D(2025, 5, 5)])
def test_an_item_outside_the_visits_days_is_refused_on_its_date_and_writes_nothing(
    officer_a, visit, day
):
    item = ProgrammeItem(visit=visit, date=day, description="Dinner")
    with pytest.raises(ValidationError) as refused:
        programme_item_save(item=item, user=officer_a, expected_version=visit.version)
    assert list(refused.value.message_dict) == ["date"]
    assert "outside the visit, from May 4, 2026 to May 6, 2026" in refused.value.messages[0]
    assert not ProgrammeItem.objects.exists()
    assert Visit.objects.get(pk=visit.pk).version == 0


def test_a_one_day_visit_takes_items_of_its_day_only(city_a, officer_a):
    visit = VisitFactory(authority=city_a, starts_on=D(2026, 5, 4), ends_on=None)
    assert programme_date_problem(D(2026, 5, 4), visit) is None
    problem = programme_date_problem(D(2026, 5, 5), visit)
    assert problem is not None and "is not the day of the visit (May 4, 2026)" in problem
    with pytest.raises(ValidationError):
        programme_item_save(
            item=ProgrammeItem(visit=visit, date=D(2026, 5, 5), description="Dinner"),
            user=officer_a,
            expected_version=visit.version,
        )


def test_a_visit_not_dated_yet_takes_any_day(city_a, officer_a):
    visit = VisitFactory(authority=city_a, starts_on=None, ends_on=None)
    item = ProgrammeItem(visit=visit, date=D(2030, 1, 1), description="Arrival")
    programme_item_save(item=item, user=officer_a, expected_version=visit.version)
    assert ProgrammeItem.objects.filter(visit=visit).exists()


def test_the_refusal_reads_in_french(officer_a, visit):
    with translation.override("fr"):
        problem = programme_date_problem(D(2026, 5, 9), visit)
    assert problem is not None
    assert "4 mai 2026" in problem and "9 mai 2026" in problem


def test_the_french_refusal_writes_the_first_of_the_month_1er(city_a):
    visit = VisitFactory(authority=city_a, starts_on=D(2026, 6, 1), ends_on=D(2026, 6, 3))
    with translation.override("fr"):
        problem = programme_date_problem(D(2026, 7, 1), visit)
    assert problem is not None
    assert "1er juillet 2026" in problem and "du 1er juin 2026 au 3 juin 2026" in problem


def test_moving_the_visit_is_not_refused_for_the_items_left_outside(officer_a, visit):
    """A postponed visit's programme is moved item by item afterwards: the visit's new dates
    are recorded, and the page marks the items they no longer cover."""
    ProgrammeItemFactory(visit=visit, date=D(2026, 5, 5))
    visit.starts_on, visit.ends_on = D(2026, 6, 1), D(2026, 6, 3)
    visit_save(visit=visit, user=officer_a, expected_version=0)
    assert Visit.objects.get(pk=visit.pk).starts_on == D(2026, 6, 1)
    assert programme_date_problem(D(2026, 5, 5), visit) is not None


@pytest.mark.parametrize(
    ("factory", "remove", "keyword", "model", "verb"),
    [
        (ProgrammeItemFactory, programme_item_remove, "item", ProgrammeItem, "programme item"),
        (HostingFactory, hosting_remove, "hosting", Hosting, "host"),
        (VisitCostFactory, visit_cost_remove, "cost", VisitCost, "cost"),
    ],
    ids=["programme item", "hosting", "cost"],
)
def test_a_row_is_removed_with_the_visits_version_and_audited(
    officer_a, officer_b, viewer_a, visit, factory, remove, keyword, model, verb
):
    row = factory(visit=visit)
    pk = row.pk
    entries = AuditEntry.objects.count()

    # A stale page, another authority's officer and a viewer remove nothing.
    with pytest.raises(ConcurrentEditError, match=STALE):
        remove(**{keyword: model.objects.get(pk=pk)}, user=officer_a, expected_version=3)
    with pytest.raises(ConcurrentEditError, match=STALE):
        remove(**{keyword: model.objects.get(pk=pk)}, user=officer_a, expected_version=None)
    for stranger in (officer_b, viewer_a):
        with pytest.raises(PermissionDenied):
            remove(**{keyword: model.objects.get(pk=pk)}, user=stranger, expected_version=0)
    assert model.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.count() == entries

    remove(**{keyword: row}, user=officer_a, expected_version=0)

    assert not model.objects.filter(pk=pk).exists()
    assert Visit.objects.get(pk=visit.pk).version == 1
    entry = AuditEntry.objects.get(object_id=str(pk), action=AuditEntry.Action.DELETE)
    assert entry.verb == f"{verb} removed"
    assert entry.authority_id == visit.authority_id
