"""People and actors as the workspace shows them: who can help (the volunteers' directory and
its one-box search), the local actors and what they did in which project, a volunteer's
missions valued in kind, a network's "who does what where". Every decision is the actors' or
the networks' domain (their `selectors.py`); here pages are only gathered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from jumelage.actors.models import Actor, Person, ProjectActor
from jumelage.actors.selectors import (
    MissionValue,
    VolunteerSearch,
    actor_roles,
    actors_overview,
    missions_valued,
    search_volunteers,
)
from jumelage.networks.models import Network
from jumelage.networks.selectors import WhoDoesWhatWhere, who_does_what_where
from jumelage.workspace.selectors import Seat


@dataclass
class PeoplePage:
    search: VolunteerSearch
    volunteers: list[Person]
    networks: list[Any]  # networks annotated with their member_count


def people_page(place: Seat, text: str) -> PeoplePage:
    """The volunteers who match the search (all of them without one), and the authority's
    networks (each links to its "who does what where")."""
    search, people = search_volunteers(place.member, text)
    networks = list(
        Network.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .annotate(member_count=Count("members"))
        .order_by("name", "pk")
    )
    return PeoplePage(search=search, volunteers=people, networks=networks)


def actor_list(place: Seat) -> QuerySet[Actor]:
    """The authority's local actors, with how many projects and people each has."""
    return actors_overview(place.member).filter(
        pk__in=Actor.objects.for_user(place.user).values("pk")
    )


@dataclass
class ActorPage:
    actor: Actor
    roles: list[ProjectActor]
    people: list[Person]


def actor_page(place: Seat, pk: int) -> ActorPage:
    """An actor of the authority: what it did in which project, its people; else a 404."""
    actor = get_object_or_404(
        Actor.objects.for_user(place.user).of_authority(place.member.pk), pk=pk
    )
    return ActorPage(
        actor=actor,
        roles=list(actor_roles(actor)),
        people=list(actor.people.order_by("last_name", "first_name", "pk")),
    )


@dataclass
class PersonPage:
    person: Person
    missions: list[MissionValue]

    @property
    def days(self) -> Any:
        return sum((item.mission.days for item in self.missions), 0)

    @property
    def value(self) -> Any:
        values = [item.value for item in self.missions if item.value is not None]
        return sum(values, 0) if values else None


def person_page(place: Seat, pk: int) -> PersonPage:
    """A person of the authority with their missions valued in kind; else a 404."""
    person = get_object_or_404(
        Person.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .select_related("actor")
        .prefetch_related("skills", "themes"),
        pk=pk,
    )
    return PersonPage(person=person, missions=missions_valued(person))


@dataclass
class NetworkPage:
    network: Network
    rows: list[WhoDoesWhatWhere]


def network_page(place: Seat, pk: int) -> NetworkPage:
    """A network the authority keeps, with who does what where in it; else a 404."""
    network = get_object_or_404(
        Network.objects.for_user(place.user).of_authority(place.member.pk), pk=pk
    )
    return NetworkPage(network=network, rows=who_does_what_where(network))
