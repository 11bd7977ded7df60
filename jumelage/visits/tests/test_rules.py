"""An outgoing delegation travels with its papers: a special mandate for each elected official
(CGCT L2123-18), a mission order for each staff member."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.accounts.models import Role
from jumelage.accounts.tests.factories import MembershipFactory
from jumelage.actors.models import Person
from jumelage.actors.tests.factories import PersonFactory
from jumelage.agreements.tests.factories import CouncilDecisionFactory
from jumelage.visits.models import Participant, Visit
from jumelage.visits.services import participant_save, visit_save, visit_set_status
from jumelage.visits.tests.factories import ParticipantFactory, VisitFactory

DEPARTURE = datetime.date(2026, 5, 4)


@pytest.fixture
def visit(city_a):
    return VisitFactory(
        authority=city_a,
        direction=Visit.Direction.OUTGOING,
        starts_on=DEPARTURE,
        ends_on=DEPARTURE + datetime.timedelta(days=6),
    )


@pytest.fixture
def mayor(city_a):
    return PersonFactory(
        authority=city_a, kind=Person.Kind.ELECTED, first_name="Christian", last_name="Dupuy"
    )


def _mandate(authority, *, enforceable_on=DEPARTURE - datetime.timedelta(days=20), **fields):
    fields.setdefault("is_special_mandate", True)
    return CouncilDecisionFactory(authority=authority, enforceable_on=enforceable_on, **fields)


def _elected(visit, person, mandate=None):
    return ParticipantFactory(
        visit=visit, person=person, name="", role=Participant.Role.ELECTED, special_mandate=mandate
    )


def _status(visit):
    return Visit.objects.get(pk=visit.pk).status


def test_it_refuses_to_confirm_while_an_elected_official_has_no_special_mandate(
    officer_a, visit, mayor
):
    _elected(visit, mayor)
    with pytest.raises(ValidationError) as error:
        visit_set_status(
            visit=visit,
            status=Visit.Status.CONFIRMED,
            user=officer_a,
            expected_version=visit.version,
        )
    assert "status" in error.value.message_dict
    assert _status(visit) == Visit.Status.PLANNED


@pytest.mark.parametrize("status", [Visit.Status.CONFIRMED, Visit.Status.DONE])
def test_it_confirms_or_closes_once_the_mandate_is_enforceable_by_the_departure(
    officer_a, city_a, visit, mayor, status
):
    _elected(visit, mayor, _mandate(city_a))
    visit_set_status(visit=visit, status=status, user=officer_a, expected_version=visit.version)
    assert _status(visit) == status


def test_a_mandate_enforceable_on_the_departure_day_is_in_time(officer_a, city_a, visit, mayor):
    # A decision is enforceable from the day recorded (CGCT L2131-1): the same reading as an
    # agreement signed the day its decision became enforceable (agreements/tests/test_rules).
    _elected(visit, mayor, _mandate(city_a, enforceable_on=DEPARTURE))
    visit_set_status(
        visit=visit, status=Visit.Status.CONFIRMED, user=officer_a, expected_version=visit.version
    )
    assert _status(visit) == Visit.Status.CONFIRMED


@pytest.mark.parametrize(
    "enforceable_on", [DEPARTURE + datetime.timedelta(days=1), None], ids=["late", "not-yet"]
)
def test_it_refuses_to_mark_done_with_a_mandate_not_enforceable_by_the_departure(
    officer_a, city_a, visit, mayor, enforceable_on
):
    _elected(visit, mayor, _mandate(city_a, enforceable_on=enforceable_on))
    with pytest.raises(ValidationError):
        visit_set_status(
            visit=visit, status=Visit.Status.DONE, user=officer_a, expected_version=visit.version
        )
    assert _status(visit) == Visit.Status.PLANNED


def test_an_elected_person_is_checked_whatever_role_they_travel_in(officer_a, visit, mayor):
    ParticipantFactory(visit=visit, person=mayor, role=Participant.Role.GUEST)
    with pytest.raises(ValidationError):
        visit_set_status(
            visit=visit,
            status=Visit.Status.CONFIRMED,
            user=officer_a,
            expected_version=visit.version,
        )


def test_it_refuses_to_confirm_while_a_staff_member_has_no_mission_order(officer_a, city_a, visit):
    agent = PersonFactory(authority=city_a, kind=Person.Kind.STAFF)
    participant = ParticipantFactory(visit=visit, person=agent, role=Participant.Role.STAFF)
    with pytest.raises(ValidationError) as error:
        visit_set_status(
            visit=visit,
            status=Visit.Status.CONFIRMED,
            user=officer_a,
            expected_version=visit.version,
        )
    assert "status" in error.value.message_dict

    participant.mission_order = "OM-2026-014"
    participant_save(
        participant=participant, user=officer_a, expected_version=participant.visit.version
    )
    visit_set_status(
        visit=visit, status=Visit.Status.CONFIRMED, user=officer_a, expected_version=visit.version
    )
    assert _status(visit) == Visit.Status.CONFIRMED


def test_an_incoming_delegation_needs_no_mandate(officer_a, city_a, mayor):
    visit = VisitFactory(authority=city_a, direction=Visit.Direction.INCOMING)
    _elected(visit, mayor)
    visit_set_status(
        visit=visit, status=Visit.Status.CONFIRMED, user=officer_a, expected_version=visit.version
    )
    assert _status(visit) == Visit.Status.CONFIRMED


def test_it_refuses_an_elected_official_without_mandate_added_to_a_confirmed_visit(
    officer_a, visit, mayor
):
    visit_set_status(
        visit=visit, status=Visit.Status.CONFIRMED, user=officer_a, expected_version=visit.version
    )
    participant = Participant(visit=visit, person=mayor, role=Participant.Role.ELECTED)
    with pytest.raises(ValidationError) as error:
        participant_save(
            participant=participant, user=officer_a, expected_version=participant.visit.version
        )
    assert "special_mandate" in error.value.message_dict
    assert not Participant.objects.exists()


def test_it_refuses_to_drop_the_mission_order_of_a_confirmed_visits_staff(officer_a, city_a, visit):
    agent = PersonFactory(authority=city_a, kind=Person.Kind.STAFF)
    participant = ParticipantFactory(
        visit=visit, person=agent, role=Participant.Role.STAFF, mission_order="OM-1"
    )
    visit_set_status(
        visit=visit, status=Visit.Status.CONFIRMED, user=officer_a, expected_version=visit.version
    )
    participant.mission_order = " "
    with pytest.raises(ValidationError) as error:
        participant_save(
            participant=participant, user=officer_a, expected_version=participant.visit.version
        )
    assert "mission_order" in error.value.message_dict
    assert Participant.objects.get(pk=participant.pk).mission_order == "OM-1"


def test_it_refuses_to_move_a_confirmed_departure_before_the_mandate_is_enforceable(
    officer_a, city_a, visit, mayor
):
    _elected(visit, mayor, _mandate(city_a, enforceable_on=DEPARTURE - datetime.timedelta(days=1)))
    visit_set_status(
        visit=visit, status=Visit.Status.CONFIRMED, user=officer_a, expected_version=visit.version
    )
    visit.starts_on = DEPARTURE - datetime.timedelta(days=2)
    with pytest.raises(ValidationError):
        visit_save(visit=visit, user=officer_a, expected_version=visit.version)
    assert Visit.objects.get(pk=visit.pk).starts_on == DEPARTURE


def test_it_refuses_a_council_decision_that_grants_no_special_mandate(
    officer_a, city_a, visit, mayor
):
    decision = _mandate(city_a, is_special_mandate=False)
    participant = Participant(
        visit=visit, person=mayor, role=Participant.Role.ELECTED, special_mandate=decision
    )
    with pytest.raises(ValidationError) as error:
        participant_save(
            participant=participant, user=officer_a, expected_version=participant.visit.version
        )
    assert "special_mandate" in error.value.message_dict
    assert not Participant.objects.exists()


def test_it_refuses_a_special_mandate_of_another_authority(officer_a, city_a, city_b, visit, mayor):
    participant = Participant(
        visit=visit, person=mayor, role=Participant.Role.ELECTED, special_mandate=_mandate(city_b)
    )
    with pytest.raises(ValidationError) as error:
        participant_save(
            participant=participant, user=officer_a, expected_version=participant.visit.version
        )
    assert "special_mandate" in error.value.message_dict
    assert not Participant.objects.exists()


def test_it_refuses_a_participant_with_neither_person_nor_name(officer_a, visit):
    with pytest.raises(ValidationError) as error:
        participant_save(
            participant=Participant(visit=visit, name="  "),
            user=officer_a,
            expected_version=visit.version,
        )
    assert "name" in error.value.message_dict


def test_it_refuses_another_authoritys_person_as_participant(officer_b, city_a, city_b):
    visit_b = VisitFactory(authority=city_b)
    person_a = PersonFactory(authority=city_a)
    with pytest.raises(ValidationError) as error:
        participant_save(
            participant=Participant(visit=visit_b, person=person_a),
            user=officer_b,
            expected_version=visit_b.version,
        )
    assert "person" in error.value.message_dict
    assert not Participant.objects.exists()


def test_a_member_of_both_authorities_cannot_mix_their_people(officer_a, city_a, city_b):
    MembershipFactory(user=officer_a, authority=city_b, role=Role.OFFICER)
    visit_b = VisitFactory(authority=city_b)
    with pytest.raises(ValidationError):
        participant_save(
            participant=Participant(visit=visit_b, person=PersonFactory(authority=city_a)),
            user=officer_a,
            expected_version=visit_b.version,
        )
    assert not Participant.objects.exists()


def test_an_officer_of_another_authority_cannot_confirm_the_visit(officer_b, visit):
    with pytest.raises(PermissionDenied):
        visit_set_status(
            visit=visit,
            status=Visit.Status.CANCELLED,
            user=officer_b,
            expected_version=visit.version,
        )
    with pytest.raises(PermissionDenied):
        participant_save(
            participant=Participant(visit=visit, name="Intrus"),
            user=officer_b,
            expected_version=visit.version,
        )
    assert _status(visit) == Visit.Status.PLANNED
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("kind", "article"),
    [
        ("municipality", "(CGCT L2123-18)"),
        ("department", "(CGCT L3123-19)"),
        ("region", "(CGCT L4135-19)"),
        ("intermunicipal", "(CGCT L2123-18, L5211-14)"),
    ],
)
def test_the_missing_mandate_cites_the_article_of_the_authoritys_kind(
    officer_a, city_a, visit, mayor, kind, article
):
    # Communes L2123-18, départements L3123-19, régions L4135-19.
    city_a.authority.kind = kind
    city_a.authority.save()
    _elected(visit, mayor)
    with pytest.raises(ValidationError) as error:
        visit_set_status(
            visit=visit,
            status=Visit.Status.CONFIRMED,
            user=officer_a,
            expected_version=visit.version,
        )
    [message] = error.value.message_dict["status"]
    assert message.endswith(f"their special mandate {article}.")
