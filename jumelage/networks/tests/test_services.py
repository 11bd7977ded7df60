"""Writing networks and their members, and the rules every write runs."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.actors.tests.factories import ActorFactory
from jumelage.core.tests.factories import CountryFactory
from jumelage.networks.models import Meeting, Network, NetworkMember
from jumelage.networks.services import meeting_save, network_member_save, network_save
from jumelage.networks.tests.factories import NetworkFactory
from jumelage.partners.tests.factories import ForeignAuthorityFactory


def test_an_officer_saves_a_network_with_its_countries(officer_a, city_a):
    haiti = CountryFactory(code="HT")
    network = Network(
        authority=city_a, name="Groupe pays Haïti de Cités Unies France", founded_year=2008
    )
    network_save(
        network=network, user=officer_a, countries=[haiti], expected_version=network.version
    )
    assert list(network.countries.all()) == [haiti]
    assert network.version == 1


def test_a_member_is_an_authority_or_an_actor(officer_a, city_a):
    network = NetworkFactory(authority=city_a)
    network_member_save(
        member=NetworkMember(network=network, authority_member=ForeignAuthorityFactory()),
        user=officer_a,
        expected_version=network.version,
    )
    network_member_save(
        member=NetworkMember(network=network, actor=ActorFactory(authority=city_a)),
        user=officer_a,
        expected_version=network.version,
    )
    assert network.members.count() == 2


def test_it_refuses_a_member_that_is_nobody(officer_a, city_a):
    network = NetworkFactory(authority=city_a)
    with pytest.raises(ValidationError):
        network_member_save(
            member=NetworkMember(network=network, role="x"),
            user=officer_a,
            expected_version=network.version,
        )
    assert not NetworkMember.objects.exists()


def test_it_refuses_a_member_that_is_both_an_authority_and_an_actor(officer_a, city_a):
    network = NetworkFactory(authority=city_a)
    member = NetworkMember(
        network=network,
        authority_member=ForeignAuthorityFactory(),
        actor=ActorFactory(authority=city_a),
    )
    with pytest.raises(ValidationError):
        network_member_save(member=member, user=officer_a, expected_version=network.version)
    assert not NetworkMember.objects.exists()


def test_it_refuses_another_authoritys_actor_as_member(officer_b, city_a, city_b):
    network_b = NetworkFactory(authority=city_b)
    member = NetworkMember(network=network_b, actor=ActorFactory(authority=city_a))
    with pytest.raises(ValidationError) as error:
        network_member_save(member=member, user=officer_b, expected_version=network_b.version)
    assert "actor" in error.value.message_dict
    assert not NetworkMember.objects.exists()


def test_an_officer_of_another_authority_cannot_change_the_network(officer_b, city_a):
    network = NetworkFactory(authority=city_a, name="Plateforme Nord-Haïti")
    network.name = "Hacked"
    with pytest.raises(PermissionDenied):
        network_save(network=network, user=officer_b, expected_version=network.version)
    with pytest.raises(PermissionDenied):
        meeting_save(
            meeting=Meeting(network=network, date="2026-02-01", title="Réunion"),
            user=officer_b,
            expected_version=network.version,
        )
    assert Network.objects.get(pk=network.pk).name == "Plateforme Nord-Haïti"
    assert not Meeting.objects.exists()
