"""Reads of the coming outgoing delegations whose participants lack a paper to travel."""

import datetime

from jumelage.actors.models import Person
from jumelage.actors.tests.factories import PersonFactory
from jumelage.agreements.tests.factories import CouncilDecisionFactory
from jumelage.visits.models import Participant, Visit
from jumelage.visits.selectors import coming_visits_missing_papers
from jumelage.visits.tests.factories import ParticipantFactory, VisitFactory

TODAY = datetime.date(2026, 6, 1)


def _outgoing(member, starts_on, **values):
    return VisitFactory(
        authority=member,
        direction=Visit.Direction.OUTGOING,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=5),
        **values,
    )


def test_coming_delegations_list_the_participants_without_their_papers(city_a, officer_a):
    later = _outgoing(city_a, datetime.date(2026, 9, 1))
    sooner = _outgoing(city_a, datetime.date(2026, 7, 1), status=Visit.Status.CONFIRMED)
    mayor = PersonFactory(authority=city_a, kind=Person.Kind.ELECTED)
    ParticipantFactory(visit=sooner, person=mayor, role=Participant.Role.ELECTED)
    ParticipantFactory(visit=later, role=Participant.Role.STAFF, name="Camille")
    mandate = CouncilDecisionFactory(authority=city_a, is_special_mandate=True)
    ParticipantFactory(visit=later, role=Participant.Role.ELECTED, special_mandate=mandate)

    found = coming_visits_missing_papers(user=officer_a, member=city_a, today=TODAY)

    assert [visit for visit, _lacking in found] == [sooner, later]
    assert list(found[0][1][0][1]) == ["special_mandate"]
    assert list(found[1][1][0][1]) == ["mission_order"]
    assert len(found[1][1]) == 1  # the official with a mandate lacks nothing


def test_past_cancelled_incoming_and_complete_delegations_are_left_out(city_a, officer_a):
    past = _outgoing(city_a, datetime.date(2026, 5, 1))
    cancelled = _outgoing(city_a, datetime.date(2026, 7, 1), status=Visit.Status.CANCELLED)
    incoming = VisitFactory(
        authority=city_a, starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2026, 7, 2)
    )
    complete = _outgoing(city_a, datetime.date(2026, 7, 1))
    for visit in (past, cancelled, incoming):
        ParticipantFactory(visit=visit, role=Participant.Role.STAFF)
    ParticipantFactory(visit=complete, role=Participant.Role.STAFF, mission_order="OM-12")
    assert coming_visits_missing_papers(user=officer_a, member=city_a, today=TODAY) == []


def test_the_reading_costs_two_queries_whatever_the_number_of_visits(
    city_a, officer_a, django_assert_num_queries
):
    for month in (7, 8, 9):
        visit = _outgoing(city_a, datetime.date(2026, month, 1))
        ParticipantFactory(visit=visit, role=Participant.Role.STAFF)
        ParticipantFactory(visit=visit, person=PersonFactory(authority=city_a))
        ParticipantFactory(visit=visit, role=Participant.Role.ELECTED)  # names its article
    with django_assert_num_queries(2):
        assert len(coming_visits_missing_papers(user=officer_a, member=city_a, today=TODAY)) == 3


def test_another_authoritys_visits_are_never_read(city_a, city_b, officer_b):
    visit = _outgoing(city_a, datetime.date(2026, 7, 1))
    ParticipantFactory(visit=visit, role=Participant.Role.STAFF)
    assert coming_visits_missing_papers(user=officer_b, member=city_a, today=TODAY) == []
