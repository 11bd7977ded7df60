"""People and actors in the workspace: the volunteers' directory and its one-box search, the
local actors and an actor's page, a person's missions valued in kind, a network's who does what
where. Two authorities; queries pinned at two sizes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from jumelage.actors.tests.factories import (
    ActorFactory,
    MissionFactory,
    PersonFactory,
    ProjectActorFactory,
    SkillFactory,
)
from jumelage.networks.tests.factories import NetworkFactory, NetworkMemberFactory
from jumelage.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _volunteer(member, name, skills=("Eau potable", "Espagnol"), availability="mars à juin"):
    person = PersonFactory(
        authority=member,
        last_name=name,
        kind="staff",
        is_volunteer=True,
        availability=availability,
        daily_rate="250.00",
    )
    person.skills.set([SkillFactory(name=skill) for skill in skills])
    return person


def _actor(member, n):
    actor = ActorFactory(authority=member, name=f"Collège {n}", city="Suresnes")
    project = ProjectFactory(authority=member, slug=f"ecoles-{n}", title={"en": f"Schools {n}"})
    ProjectActorFactory(project=project, actor=actor, role="implementer", description=f"Cours {n}")
    PersonFactory(authority=member, last_name=f"Prof{n}", kind="contact", actor=actor)
    return actor


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_menu_opens_people_and_actors_in_the_workspace(client, city_a, viewer_a):
    client.force_login(viewer_a)
    page = client.get("/en/workspace/ville-a/").content.decode()
    assert 'href="/en/workspace/ville-a/people/"' in page


def test_the_search_finds_who_can_help_and_only_in_the_authority(client, city_a, city_b, viewer_a):
    _volunteer(city_a, "Rivière")
    _volunteer(city_a, "Sansespagnol", skills=("Eau potable",))
    _volunteer(city_a, "Enseptembre", availability="septembre")
    _volunteer(city_b, "Ailleurs")
    client.force_login(viewer_a)

    page = client.get(
        "/en/workspace/ville-a/people/", {"q": "eau, speaks Spanish, available in March"}
    ).content.decode()

    assert "Rivière" in page
    assert "Sansespagnol" not in page and "Enseptembre" not in page and "Ailleurs" not in page
    assert "1 volunteer matches the whole search." in page
    assert "March" in page and "Spanish" in page
    everyone = client.get("/en/workspace/ville-a/people/").content.decode()
    assert "Sansespagnol" in everyone and "Ailleurs" not in everyone


def test_a_long_or_odd_search_is_no_error(client, city_a, viewer_a):
    client.force_login(viewer_a)
    for q in ("x" * 5000, ",,,;", "<script>", "parle"):
        response = client.get("/en/workspace/ville-a/people/", {"q": q})
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("</header>")[1]


def test_an_actors_page_says_what_it_did_in_which_project(client, city_a, viewer_a):
    actor = _actor(city_a, 1)
    client.force_login(viewer_a)
    page = client.get(f"/en/workspace/ville-a/actors/{actor.pk}/").content.decode()
    assert "Schools 1" in page and "implementer" in page and "Cours 1" in page
    assert "Prof1" in page
    listing = client.get("/en/workspace/ville-a/actors/").content.decode()
    assert "Collège 1" in listing


def test_a_persons_missions_are_valued_in_kind(client, city_a, viewer_a, french):
    person = _volunteer(city_a, "Rivière")
    project = ProjectFactory(authority=city_a, title={"fr": "Eau pour les écoles"})
    MissionFactory(person=person, project=project, description="Audit du réseau", days=4)
    client.force_login(viewer_a)
    page = client.get(f"/espace/ville-a/{gettext('people/')}{person.pk}/").content.decode()
    assert "Audit du réseau" in page and "Eau pour les écoles" in page
    assert "1\xa0000,00\xa0€" in page  # 4 days at 250,00 €
    assert gettext("Missions valued in kind") in page


def test_a_networks_who_does_what_where(client, city_a, viewer_a):
    network = NetworkFactory(authority=city_a, name="Groupe pays Haïti")
    NetworkMemberFactory(
        network=network,
        authority_member=None,
        actor=_actor(city_a, 2),
        role="membre",
        activity="Eau à Limonade",
    )
    client.force_login(viewer_a)
    people = client.get("/en/workspace/ville-a/people/").content.decode()
    assert "Groupe pays Haïti" in people
    page = client.get(f"/en/workspace/ville-a/networks/{network.pk}/").content.decode()
    assert "Collège 2" in page and "Eau à Limonade" in page


def test_another_authoritys_people_actors_and_networks_are_not_found(
    client, city_a, city_b, officer_b, viewer_a
):
    person = _volunteer(city_a, "Rivière")
    actor = _actor(city_a, 1)
    network = NetworkFactory(authority=city_a)
    client.force_login(officer_b)
    for url in (
        f"/en/workspace/ville-b/people/{person.pk}/",
        f"/en/workspace/ville-b/actors/{actor.pk}/",
        f"/en/workspace/ville-b/networks/{network.pk}/",
        f"/en/workspace/ville-a/people/{person.pk}/",
        "/en/workspace/ville-a/people/",
        "/en/workspace/ville-a/actors/",
    ):
        assert client.get(url).status_code == 404, url
    assert "Rivière" not in client.get("/en/workspace/ville-b/people/").content.decode()
    assert "Collège 1" not in client.get("/en/workspace/ville-b/actors/").content.decode()


def test_the_people_pages_cost_the_same_queries_for_2_and_20_records(
    client, city_a, viewer_a, django_assert_num_queries
):
    client.force_login(viewer_a)
    network = NetworkFactory(authority=city_a)
    person = _volunteer(city_a, "Rivière")
    actor = _actor(city_a, 0)

    def build(start, end):
        for n in range(start, end):
            _volunteer(city_a, f"V{n}")
            NetworkMemberFactory(
                network=network, authority_member=None, actor=_actor(city_a, n + 100)
            )
            ProjectActorFactory(
                project=ProjectFactory(authority=city_a, slug=f"more-{n}"), actor=actor
            )
            MissionFactory(person=person, project=ProjectFactory(authority=city_a, slug=f"m-{n}"))

    urls = [
        "/en/workspace/ville-a/people/?q=eau%2C+espagnol%2C+mars",
        "/en/workspace/ville-a/people/",
        "/en/workspace/ville-a/actors/",
        f"/en/workspace/ville-a/actors/{actor.pk}/",
        f"/en/workspace/ville-a/people/{person.pk}/",
        f"/en/workspace/ville-a/networks/{network.pk}/",
    ]
    build(0, 2)
    small = {url: _queries(client, url) for url in urls}
    build(2, 20)
    for url in urls:
        with django_assert_num_queries(small[url]):
            client.get(url)
    # Session and user, the seat (2), then: volunteers with skills and themes (3) and the
    # networks (1); the actors (1) and their count (1); an actor, its roles, its people (3); a
    # person with skills and themes (3) and missions (1); a network and its rows (2).
    assert list(small.values()) == [8, 8, 6, 7, 8, 6], small
