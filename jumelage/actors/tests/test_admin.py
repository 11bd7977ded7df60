"""The back office of actors, people and skills: constant queries, and who sees and changes what."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jumelage.actors.models import Mission, Person
from jumelage.actors.tests.admin_helpers import add_inline_row, assert_constant_queries, form_data
from jumelage.actors.tests.factories import (
    ActorFactory,
    PersonFactory,
    PositionFactory,
    SkillFactory,
)
from jumelage.projects.tests.factories import ProjectFactory

# --- Lists keep a constant number of queries -------------------------------------------------


def test_the_actor_list_runs_the_same_queries_for_ten_rows_as_for_one(
    client, officer_a, city_a, django_assert_num_queries
):
    ActorFactory(authority=city_a)
    client.force_login(officer_a)
    response = assert_constant_queries(
        client,
        reverse("admin:actors_actor_changelist"),
        lambda n: ActorFactory.create_batch(n, authority=city_a),
        django_assert_num_queries,
    )
    assert response.context["cl"].result_count == 10


def test_the_people_list_runs_the_same_queries_for_ten_rows_as_for_one(
    client, officer_a, city_a, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            PersonFactory(authority=city_a, actor=ActorFactory(authority=city_a))

    add(1)
    client.force_login(officer_a)
    response = assert_constant_queries(
        client, reverse("admin:actors_person_changelist"), add, django_assert_num_queries
    )
    assert response.context["cl"].result_count == 10


def test_the_skill_list_runs_the_same_queries_for_ten_rows_as_for_one(
    client, officer_a, django_assert_num_queries
):
    SkillFactory()
    client.force_login(officer_a)
    assert_constant_queries(
        client,
        reverse("admin:actors_skill_changelist"),
        lambda n: SkillFactory.create_batch(n),
        django_assert_num_queries,
    )


# --- Writing through the back office ---------------------------------------------------------


def test_an_officer_adds_a_mission_to_a_staff_member(client, officer_a, city_a):
    person = PersonFactory(authority=city_a, kind=Person.Kind.STAFF, daily_rate=Decimal("150"))
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    url = reverse("admin:actors_person_change", args=[person.pk])
    data = form_data(client.get(url))
    add_inline_row(
        data, "missions", description="Formation des agents", project=project.pk, days="3"
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert Mission.objects.get(person=person).days == Decimal("3")


def test_the_back_office_refuses_a_mission_for_a_contact_and_writes_nothing(
    client, officer_a, city_a
):
    person = PersonFactory(authority=city_a, kind=Person.Kind.CONTACT, last_name="Dupont")
    client.force_login(officer_a)
    url = reverse("admin:actors_person_change", args=[person.pk])
    data = form_data(client.get(url))
    data["last_name"] = "Changed"
    add_inline_row(data, "missions", description="Visite", days="2")
    response = client.post(url, data)
    assert response.status_code == 200
    mission_form = response.context["inline_admin_formsets"][1].formset.forms[0]
    assert mission_form.non_field_errors()  # shown on the row, which has no person field
    person.refresh_from_db()
    assert person.last_name == "Dupont"
    assert not Mission.objects.exists()


def test_an_officer_saves_skills_and_themes_of_a_person(client, officer_a, city_a):
    person = PersonFactory(authority=city_a, kind=Person.Kind.STAFF)
    skill = SkillFactory(name="Assainissement")
    client.force_login(officer_a)
    url = reverse("admin:actors_person_change", args=[person.pk])
    data = form_data(client.get(url))
    data["skills"] = [str(skill.pk)]
    data["is_volunteer"] = "on"
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.is_volunteer
    assert list(person.skills.all()) == [skill]


# --- Two authorities -------------------------------------------------------------------------


@pytest.fixture
def people_of_both(city_a, city_b):
    return (
        PersonFactory(authority=city_a, last_name="Arnaud-de-A"),
        PersonFactory(authority=city_b, last_name="Berthier-de-B"),
    )


def test_an_officer_of_another_authority_never_lists_its_actors_or_people(
    client, officer_b, city_a, city_b, people_of_both
):
    ActorFactory(authority=city_a, name="Collège Jean Macé")
    ActorFactory(authority=city_b, name="Club de B")
    client.force_login(officer_b)
    people = client.get(reverse("admin:actors_person_changelist")).content.decode()
    actors = client.get(reverse("admin:actors_actor_changelist")).content.decode()
    assert "Berthier-de-B" in people and "Arnaud-de-A" not in people
    assert "Club de B" in actors and "Collège Jean Macé" not in actors


def test_an_officer_of_another_authority_cannot_open_or_post_its_records(
    client, officer_a, officer_b, city_a, people_of_both
):
    person_a, _person_b = people_of_both
    actor_a = ActorFactory(authority=city_a, name="Hôpital Foch")
    client.force_login(officer_a)
    person_url = reverse("admin:actors_person_change", args=[person_a.pk])
    actor_url = reverse("admin:actors_actor_change", args=[actor_a.pk])
    person_data = form_data(client.get(person_url))
    actor_data = form_data(client.get(actor_url))
    person_data["last_name"] = "Hacked"
    actor_data["name"] = "Hacked"

    client.force_login(officer_b)
    for url, data in ((person_url, person_data), (actor_url, actor_data)):
        assert client.get(url).status_code == 302  # "does not exist", back to the index
        client.post(url, data)
    person_a.refresh_from_db()
    actor_a.refresh_from_db()
    assert person_a.last_name == "Arnaud-de-A"
    assert actor_a.name == "Hôpital Foch"


def test_an_officer_cannot_add_a_person_to_another_authority(client, officer_b, city_a):
    client.force_login(officer_b)
    url = reverse("admin:actors_person_add")
    data = form_data(client.get(url))
    data.update(authority=str(city_a.pk), last_name="Intrus")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "authority" in response.context["adminform"].form.errors
    assert not Person.objects.filter(last_name="Intrus").exists()


def test_tampered_ids_of_another_authority_are_refused_in_forms_and_inlines(
    client, officer_b, city_a, city_b
):
    actor_a = ActorFactory(authority=city_a)
    project_a = ProjectFactory(authority=city_a)
    person_b = PersonFactory(authority=city_b, kind=Person.Kind.STAFF, last_name="Berthier")
    client.force_login(officer_b)
    url = reverse("admin:actors_person_change", args=[person_b.pk])

    data = form_data(client.get(url))
    data["actor"] = str(actor_a.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "actor" in response.context["adminform"].form.errors

    data = form_data(client.get(url))
    add_inline_row(data, "missions", description="Mission", project=project_a.pk, days="1")
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Mission.objects.exists()

    person_b.refresh_from_db()
    assert person_b.actor_id is None


def test_an_inline_row_of_another_authoritys_record_cannot_be_changed(
    client, officer_b, city_a, city_b
):
    position_a = PositionFactory(person=PersonFactory(authority=city_a), title="Président")
    person_b = PersonFactory(authority=city_b)
    client.force_login(officer_b)
    url = reverse("admin:actors_person_change", args=[person_b.pk])
    data = form_data(client.get(url))
    add_inline_row(
        data, "positions", id=str(position_a.pk), title="Hacked", body="x", person=str(person_b.pk)
    )
    client.post(url, data)
    position_a.refresh_from_db()
    assert position_a.title == "Président"
    assert position_a.person.authority_id == city_a.pk


def test_a_viewer_reads_people_but_cannot_change_them(client, viewer_a, officer_a, city_a):
    person = PersonFactory(authority=city_a, last_name="Dupont")
    client.force_login(officer_a)
    url = reverse("admin:actors_person_change", args=[person.pk])
    data = form_data(client.get(url))
    data["last_name"] = "Changed"

    client.force_login(viewer_a)
    assert client.get(reverse("admin:actors_person_changelist")).status_code == 200
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.post(url, data).status_code == 403
    assert client.get(reverse("admin:actors_person_add")).status_code == 403
    person.refresh_from_db()
    assert person.last_name == "Dupont"


def test_a_contributor_cannot_change_people_or_actors(client, contributor_a, officer_a, city_a):
    person = PersonFactory(authority=city_a, last_name="Dupont")
    actor = ActorFactory(authority=city_a, name="Lycée Louis Blériot")
    person_url = reverse("admin:actors_person_change", args=[person.pk])
    actor_url = reverse("admin:actors_actor_change", args=[actor.pk])
    client.force_login(officer_a)
    person_data = form_data(client.get(person_url))
    actor_data = form_data(client.get(actor_url))
    person_data["last_name"] = "Changed"
    actor_data["name"] = "Changed"

    client.force_login(contributor_a)
    assert client.post(person_url, person_data).status_code == 403
    assert client.post(actor_url, actor_data).status_code == 403
    assert client.post(reverse("admin:actors_person_add"), person_data).status_code == 403
    person.refresh_from_db()
    actor.refresh_from_db()
    assert (person.last_name, actor.name) == ("Dupont", "Lycée Louis Blériot")
    assert Person.objects.count() == 1
