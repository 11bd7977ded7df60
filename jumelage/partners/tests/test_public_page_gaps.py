"""Reads of what the public page misses: towns the map cannot place, contact details."""

from decimal import Decimal

from jumelage.partners.models import Partnership
from jumelage.partners.selectors import (
    CONTACT_ADDRESS,
    CONTACT_EMAIL,
    CONTACT_PHONE,
    service_contact_gaps,
    towns_missing_from_the_map,
)
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory


def _placed(name: str):
    return ForeignAuthorityFactory(name=name, latitude=Decimal("19.75"), longitude=Decimal("-72.2"))


def test_the_map_misses_the_published_current_partners_without_a_position(city_a, officer_a):
    city_a.authority.latitude, city_a.authority.longitude = Decimal("48.87"), Decimal("2.22")
    city_a.authority.save()
    unplaced = ForeignAuthorityFactory(name="Cap-Haïtien")
    for kind in (Partnership.Kind.TWINNING, Partnership.Kind.COOPERATION):
        PartnershipFactory(authority=city_a, partner=unplaced, kind=kind, is_public=True)
    PartnershipFactory(authority=city_a, partner=_placed("Kragujevac"), is_public=True)
    PartnershipFactory(authority=city_a, partner=ForeignAuthorityFactory(), is_public=False)
    PartnershipFactory(
        authority=city_a,
        partner=ForeignAuthorityFactory(),
        is_public=True,
        status=Partnership.Status.ENDED,
    )

    assert towns_missing_from_the_map(member=city_a, user=officer_a) == [unplaced]


def test_the_member_itself_without_a_position_comes_first(city_a, officer_a):
    unplaced = ForeignAuthorityFactory(name="Holon")
    PartnershipFactory(authority=city_a, partner=unplaced, is_public=True)
    assert towns_missing_from_the_map(member=city_a, user=officer_a) == [
        city_a.authority,
        unplaced,
    ]


def test_another_authoritys_partners_are_never_read(city_a, city_b, officer_b):
    PartnershipFactory(authority=city_a, partner=ForeignAuthorityFactory(), is_public=True)
    assert towns_missing_from_the_map(member=city_a, user=officer_b) == [city_a.authority]


def test_contact_gaps_name_each_missing_way_to_reach_the_service(city_a):
    assert service_contact_gaps(city_a) == [CONTACT_EMAIL, CONTACT_PHONE, CONTACT_ADDRESS]
    city_a.email, city_a.phone = "ri@ville-a.fr", " "
    city_a.street, city_a.city = "1 place de la Mairie", "Ville A"
    assert service_contact_gaps(city_a) == [CONTACT_PHONE]
    city_a.phone = "01 02 03 04 05"
    assert service_contact_gaps(city_a) == []
