"""Planning a visit with its delegation (`visit_plan`) and the visits of a period
(`visits_between`): one edit, every row's rules, the other authority's records refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.agreements.tests.factories import CouncilDecisionFactory
from jumelage.audit.models import AuditEntry
from jumelage.visits.models import Participant, Visit
from jumelage.visits.selectors import visits_between
from jumelage.visits.services import visit_plan
from jumelage.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def new_visit(member, **changes) -> Visit:
    values = {
        "direction": Visit.Direction.OUTGOING,
        "title": {"en": "Delegation"},
        "starts_on": datetime.date(2099, 5, 12),
        "ends_on": datetime.date(2099, 5, 19),
    }
    return Visit(authority=member, **{**values, **changes})


def test_the_visit_and_its_delegation_are_written_together(officer_a, city_a):
    visit = visit_plan(
        visit=new_visit(city_a),
        participants=[Participant(name="A guest"), Participant(name="Another guest")],
        user=officer_a,
    )
    assert visit.version == 1
    assert sorted(p.name for p in visit.participants.all()) == ["A guest", "Another guest"]
    assert AuditEntry.objects.filter(verb="visit planned", object_id=str(visit.pk)).exists()


def test_one_refused_participant_writes_nothing(officer_a, city_a, city_b):
    theirs = CouncilDecisionFactory(authority=city_b, is_special_mandate=True)
    with pytest.raises(ValidationError):
        visit_plan(
            visit=new_visit(city_a),
            participants=[
                Participant(name="A guest"),
                Participant(name="Mayor", role="elected", special_mandate=theirs),
            ],
            user=officer_a,
        )
    assert not Visit.objects.exists()
    assert not Participant.objects.exists()


def test_a_visit_that_ends_before_it_starts_is_refused_in_words(officer_a, city_a):
    with pytest.raises(ValidationError) as refusal:
        visit_plan(
            visit=new_visit(city_a, ends_on=datetime.date(2099, 5, 1)),
            participants=[],
            user=officer_a,
        )
    assert "The visit ends before it starts" in str(refusal.value)


def test_a_viewer_may_not_plan(viewer_a, city_a):
    with pytest.raises(PermissionDenied):
        visit_plan(visit=new_visit(city_a), participants=[], user=viewer_a)
    assert not Visit.objects.exists()


def test_the_visits_of_a_period_are_those_under_way_in_it(officer_a, city_a, city_b):
    may = (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))
    over = VisitFactory(
        authority=city_a, starts_on=datetime.date(2026, 4, 28), ends_on=datetime.date(2026, 5, 2)
    )
    one_day = VisitFactory(authority=city_a, starts_on=datetime.date(2026, 5, 9), ends_on=None)
    VisitFactory(authority=city_a, starts_on=datetime.date(2026, 4, 1), ends_on=None)
    VisitFactory(authority=city_a, starts_on=datetime.date(2026, 6, 1), ends_on=None)
    VisitFactory(authority=city_a, status=Visit.Status.CANCELLED)
    VisitFactory(authority=city_b)
    found = visits_between(user=officer_a, start=may[0], end=may[1])
    assert list(found) == [over, one_day]
