"""The back office of networks: constant queries, who sees and changes what."""

from django.urls import reverse

from jumelage.actors.tests.admin_helpers import add_inline_row, assert_constant_queries, form_data
from jumelage.actors.tests.factories import ActorFactory
from jumelage.core.tests.factories import CountryFactory
from jumelage.networks.models import Network, NetworkMember
from jumelage.networks.tests.factories import MeetingFactory, NetworkFactory, NetworkMemberFactory


def test_the_network_list_runs_the_same_queries_for_ten_rows_as_for_one(
    client, officer_a, city_a, django_assert_num_queries
):
    haiti = CountryFactory(code="HT")

    def add(n):
        for _ in range(n):
            network = NetworkFactory(authority=city_a)
            network.countries.add(haiti)
            NetworkMemberFactory.create_batch(2, network=network)
            MeetingFactory(network=network)

    add(1)
    client.force_login(officer_a)
    response = assert_constant_queries(
        client, reverse("admin:networks_network_changelist"), add, django_assert_num_queries
    )
    assert [network._member_count for network in response.context["cl"].result_list] == [2] * 10


def test_an_officer_adds_a_member_and_a_meeting(client, officer_a, city_a):
    network = NetworkFactory(authority=city_a)
    actor = ActorFactory(authority=city_a)
    client.force_login(officer_a)
    url = reverse("admin:networks_network_change", args=[network.pk])
    data = form_data(client.get(url))
    add_inline_row(data, "members", actor=str(actor.pk), activity="santé, Cap-Haïtien")
    add_inline_row(data, "meetings", date="2026-02-01", title="Réunion du groupe pays")
    assert client.post(url, data).status_code == 302
    assert network.members.get().actor == actor
    assert network.meetings.get().title == "Réunion du groupe pays"


def test_an_officer_of_another_authority_never_lists_opens_or_changes_its_networks(
    client, officer_a, officer_b, city_a, city_b
):
    network_a = NetworkFactory(authority=city_a, name="Groupe pays Haïti")
    NetworkFactory(authority=city_b, name="Réseau de B")
    url = reverse("admin:networks_network_change", args=[network_a.pk])
    client.force_login(officer_a)
    data = form_data(client.get(url))
    data["name"] = "Hacked"

    client.force_login(officer_b)
    listing = client.get(reverse("admin:networks_network_changelist")).content.decode()
    assert "Réseau de B" in listing and "Groupe pays Haïti" not in listing
    assert client.get(url).status_code == 302
    client.post(url, data)
    assert Network.objects.get(pk=network_a.pk).name == "Groupe pays Haïti"


def test_another_authoritys_actor_as_member_is_refused(client, officer_b, city_a, city_b):
    network_b = NetworkFactory(authority=city_b)
    actor_a = ActorFactory(authority=city_a)
    client.force_login(officer_b)
    url = reverse("admin:networks_network_change", args=[network_b.pk])
    data = form_data(client.get(url))
    add_inline_row(data, "members", actor=str(actor_a.pk), activity="x")
    response = client.post(url, data)
    assert response.status_code == 200
    assert not NetworkMember.objects.exists()


def test_a_viewer_reads_networks_but_cannot_change_them(client, officer_a, viewer_a, city_a):
    network = NetworkFactory(authority=city_a, name="Plateforme")
    url = reverse("admin:networks_network_change", args=[network.pk])
    client.force_login(officer_a)
    data = form_data(client.get(url))
    data["name"] = "Changed"

    client.force_login(viewer_a)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    assert Network.objects.get(pk=network.pk).name == "Plateforme"
