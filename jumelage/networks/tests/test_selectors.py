"""Who does what where in a network."""

from jumelage.actors.models import Actor
from jumelage.actors.tests.factories import ActorFactory
from jumelage.core.tests.factories import CountryFactory
from jumelage.networks.selectors import who_does_what_where
from jumelage.networks.tests.factories import NetworkFactory, NetworkMemberFactory
from jumelage.partners.tests.factories import AuthorityFactory


def test_it_lists_who_does_what_where_sorted_by_name(city_a):
    network = NetworkFactory(authority=city_a)
    haiti = CountryFactory(code="HT", name_fr="Haïti", name_en="Haiti")
    cap = AuthorityFactory(name="Cap-Haïtien", country=haiti, region_name="Nord")
    NetworkMemberFactory(
        network=network,
        authority_member=cap,
        role="partenaire",
        activity="état civil, Cap-Haïtien",
        since=1998,
    )
    hospital = ActorFactory(
        authority=city_a, name="Hôpital Foch", kind=Actor.Kind.HOSPITAL, city="Suresnes"
    )
    NetworkMemberFactory(
        network=network,
        authority_member=None,
        actor=hospital,
        activity="formation des soignants, Cap-Haïtien",
    )
    NetworkMemberFactory(network=NetworkFactory(authority=city_a))  # another network

    rows = who_does_what_where(network)

    assert [row.who for row in rows] == ["Cap-Haïtien", "Hôpital Foch"]
    cap_row, hospital_row = rows
    assert cap_row.is_authority and cap_row.country == haiti.name and cap_row.place == "Nord"
    assert (cap_row.role, cap_row.activity, cap_row.since) == (
        "partenaire",
        "état civil, Cap-Haïtien",
        1998,
    )
    assert not hospital_row.is_authority
    assert hospital_row.place == "Suresnes"
    assert hospital_row.country == city_a.authority.country.name
    assert hospital_row.activity == "formation des soignants, Cap-Haïtien"


def test_it_runs_one_query_whatever_the_number_of_members(city_a, django_assert_num_queries):
    network = NetworkFactory(authority=city_a)
    for index in range(5):
        NetworkMemberFactory(network=network)
        NetworkMemberFactory(
            network=network,
            authority_member=None,
            actor=ActorFactory(authority=city_a, name=f"Acteur {index}"),
        )
    network = type(network).objects.get(pk=network.pk)
    with django_assert_num_queries(1):
        rows = who_does_what_where(network)
        assert all(row.country for row in rows)
    assert len(rows) == 10
