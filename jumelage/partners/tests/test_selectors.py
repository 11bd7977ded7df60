"""Reads: a member authority's partnerships, twin towns and cooperations."""

from jumelage.core.tests.factories import CountryFactory
from jumelage.partners.models import Partnership
from jumelage.partners.selectors import cooperations, partnership_list, twin_towns
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory


def _partner(name, code):
    return ForeignAuthorityFactory(name=name, country=CountryFactory(code=code))


def test_partnerships_come_with_partner_and_country_in_one_query(
    officer_a, city_a, django_assert_num_queries
):
    for name, code in [("Hackney", "GB"), ("Holon", "IL"), ("Villach", "AT")]:
        PartnershipFactory(authority=city_a, partner=_partner(name, code))
    with django_assert_num_queries(1):
        rows = [
            (p.partner.name, p.partner.country.code)
            for p in partnership_list(member=city_a, user=officer_a)
        ]
    assert rows == [("Hackney", "GB"), ("Holon", "IL"), ("Villach", "AT")]


def test_partnerships_are_only_those_the_user_may_read(officer_b, city_a):
    PartnershipFactory(authority=city_a)
    assert list(partnership_list(member=city_a, user=officer_b)) == []


def test_without_a_user_only_published_partnerships_are_listed(city_a):
    published = PartnershipFactory(authority=city_a, is_public=True)
    PartnershipFactory(authority=city_a, is_public=False)
    assert list(partnership_list(member=city_a)) == [published]


def test_twin_towns_and_cooperations_are_the_current_partnerships_of_each_kind(officer_a, city_a):
    # Suresnes and Kragujevac: a twinning and a cooperation with the same partner.
    kragujevac = _partner("Kragujevac", "RS")
    twinning = PartnershipFactory(
        authority=city_a, partner=kragujevac, kind=Partnership.Kind.TWINNING
    )
    cooperation = PartnershipFactory(
        authority=city_a, partner=kragujevac, kind=Partnership.Kind.COOPERATION
    )
    ended = PartnershipFactory(
        authority=city_a,
        partner=_partner("Ancienne", "DE"),
        kind=Partnership.Kind.TWINNING,
        status=Partnership.Status.ENDED,
    )
    assert list(twin_towns(member=city_a, user=officer_a)) == [twinning]
    assert list(cooperations(member=city_a, user=officer_a)) == [cooperation]
    assert set(twin_towns(member=city_a, user=officer_a, include_ended=True)) == {twinning, ended}
