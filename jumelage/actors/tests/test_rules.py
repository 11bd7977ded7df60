"""Rules every write of actors and people runs, whoever writes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jumelage.actors.models import Mission, Person, Position
from jumelage.actors.services import (
    actor_save,
    mission_save,
    person_save,
    position_save,
)
from jumelage.actors.tests.factories import (
    ActorFactory,
    MissionFactory,
    PersonFactory,
    SkillFactory,
)
from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import AtlasThemeFactory
from jumelage.partners.tests.factories import PartnershipFactory


def test_a_staff_members_mission_is_saved_and_logged(officer_a, city_a):
    person = PersonFactory(authority=city_a, kind=Person.Kind.STAFF)
    mission = Mission(person=person, description="Appui à l'état civil", days=3)
    mission_save(mission=mission, user=officer_a, expected_version=person.version)
    assert Mission.objects.filter(pk=mission.pk).exists()
    assert AuditEntry.objects.filter(model="actors.mission", object_id=str(mission.pk)).exists()


@pytest.mark.parametrize("kind", [Person.Kind.ELECTED, Person.Kind.CONTACT])
def test_it_refuses_a_mission_for_someone_who_is_not_staff(officer_a, city_a, kind):
    person = PersonFactory(authority=city_a, kind=kind)
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="Only a staff member can go on a mission"),
    ):
        mission_save(
            mission=Mission(person=person, description="Visite", days=2),
            user=officer_a,
            expected_version=person.version,
        )
    assert not Mission.objects.exists()


def test_it_refuses_to_make_a_person_with_missions_anything_but_staff(officer_a, city_a):
    mission = MissionFactory(person=PersonFactory(authority=city_a, kind=Person.Kind.STAFF))
    person = mission.person
    person.kind = Person.Kind.CONTACT
    with pytest.raises(ValidationError) as error:
        person_save(person=person, user=officer_a, expected_version=person.version)
    assert "kind" in error.value.message_dict
    person.refresh_from_db()
    assert person.kind == Person.Kind.STAFF


def test_a_person_without_missions_may_change_kind(officer_a, city_a):
    person = PersonFactory(authority=city_a, kind=Person.Kind.STAFF)
    person.kind = Person.Kind.ELECTED
    person_save(person=person, user=officer_a, expected_version=person.version)
    person.refresh_from_db()
    assert person.kind == Person.Kind.ELECTED


def test_it_refuses_a_position_that_ends_before_it_starts(officer_a, city_a):
    person = PersonFactory(authority=city_a, kind=Person.Kind.ELECTED)
    position = Position(
        person=person,
        title="Président",
        body="Groupe pays Haïti de Cités Unies France",
        started_on=datetime.date(2014, 7, 1),
        ended_on=datetime.date(2014, 6, 30),
    )
    with pytest.raises(ValidationError) as error:
        position_save(position=position, user=officer_a, expected_version=person.version)
    assert "ended_on" in error.value.message_dict
    assert not Position.objects.exists()


def test_a_position_may_end_the_day_it_starts_or_stay_open(officer_a, city_a):
    person = PersonFactory(authority=city_a, kind=Person.Kind.ELECTED)
    day = datetime.date(2014, 7, 1)
    position_save(
        position=Position(
            person=person, title="Délégué", body="CNCD", started_on=day, ended_on=day
        ),
        user=officer_a,
        expected_version=person.version,
    )
    position_save(
        position=Position(
            person=person, title="Secrétaire général", body="Cités Unies France", started_on=day
        ),
        user=officer_a,
        expected_version=person.version,
    )
    assert Position.objects.filter(person=person).count() == 2


def test_it_refuses_a_mission_that_ends_before_it_starts(officer_a, city_a):
    person = PersonFactory(authority=city_a, kind=Person.Kind.STAFF)
    mission = Mission(
        person=person,
        description="Formation",
        started_on=datetime.date(2026, 3, 10),
        ended_on=datetime.date(2026, 3, 1),
    )
    with pytest.raises(ValidationError) as error:
        mission_save(mission=mission, user=officer_a, expected_version=person.version)
    assert "ended_on" in error.value.message_dict


def test_person_save_sets_skills_and_themes(officer_a, city_a):
    skill = SkillFactory(name="Eau et assainissement")
    theme = AtlasThemeFactory()
    person = PersonFactory.build(authority=city_a, is_volunteer=True)
    person_save(
        person=person, user=officer_a, skills=[skill], themes=[theme], expected_version=None
    )
    assert list(person.skills.all()) == [skill]
    assert list(person.themes.all()) == [theme]


def test_it_refuses_a_person_in_another_authoritys_organisation(officer_a, city_a, city_b):
    person = PersonFactory.build(authority=city_a, actor=ActorFactory(authority=city_b))
    with pytest.raises(ValidationError) as error:
        person_save(person=person, user=officer_a, expected_version=None)
    assert "actor" in error.value.message_dict
    assert not Person.objects.filter(authority=city_a).exists()


def test_it_refuses_linking_an_actor_to_another_authoritys_partnership(officer_a, city_a, city_b):
    actor = ActorFactory(authority=city_a)
    with pytest.raises(ValidationError):
        actor_save(
            actor=actor,
            user=officer_a,
            partnerships=[PartnershipFactory(authority=city_b)],
            expected_version=actor.version,
        )
    assert not actor.partnerships.exists()


def test_an_officer_of_another_authority_cannot_change_people(officer_b, city_a):
    person = PersonFactory(authority=city_a, last_name="Dupont")
    person.last_name = "Changed"
    with pytest.raises(PermissionDenied):
        person_save(person=person, user=officer_b, expected_version=person.version)
    with pytest.raises(PermissionDenied):
        mission_save(
            mission=Mission(person=person, description="x", days=1),
            user=officer_b,
            expected_version=person.version,
        )
    person.refresh_from_db()
    assert person.last_name == "Dupont"
    assert not Mission.objects.exists()


def test_a_contributor_cannot_change_people(contributor_a, city_a):
    with pytest.raises(PermissionDenied):
        person_save(
            person=PersonFactory.build(authority=city_a), user=contributor_a, expected_version=None
        )
    assert not Person.objects.exists()
