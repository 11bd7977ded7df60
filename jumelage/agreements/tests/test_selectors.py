"""Reads: the Atlas's year of first signature, and the agreements awaiting a step."""

import datetime

from jumelage.agreements.models import Agreement
from jumelage.agreements.selectors import (
    agreements_awaiting_signature,
    agreements_awaiting_transmission,
    first_signature_year,
    with_first_signature_year,
)
from jumelage.agreements.tests.factories import AgreementFactory
from jumelage.partners.models import Partnership
from jumelage.partners.tests.factories import PartnershipFactory


def test_first_signature_year_is_the_year_of_the_oldest_signed_act(city_a):
    # Suresnes and Cap-Haïtien: protocol signed in 1998, renewed in July 2018.
    partnership = PartnershipFactory(authority=city_a)
    AgreementFactory(partnership=partnership, signed=True, signed_on=datetime.date(2018, 7, 5))
    AgreementFactory(partnership=partnership, signed=True, signed_on=datetime.date(1998, 5, 2))
    AgreementFactory(partnership=partnership)  # a draft, not signed
    assert first_signature_year(partnership) == 1998


def test_first_signature_year_is_none_when_nothing_was_signed(city_a):
    partnership = PartnershipFactory(authority=city_a)
    AgreementFactory(partnership=partnership, approved=True)
    assert first_signature_year(partnership) is None


def test_first_signature_years_of_a_list_come_in_one_query(city_a, django_assert_num_queries):
    signed = PartnershipFactory(authority=city_a)
    AgreementFactory(partnership=signed, signed=True, signed_on=datetime.date(2004, 1, 9))
    AgreementFactory(partnership=signed, signed=True, signed_on=datetime.date(2011, 1, 9))
    unsigned = PartnershipFactory(authority=city_a)
    with django_assert_num_queries(1):
        years = {
            p.pk: first_signature_year(p)
            for p in with_first_signature_year(Partnership.objects.all())
        }
    assert years == {signed.pk: 2004, unsigned.pk: None}


def test_agreements_awaiting_a_step_are_the_approved_unsigned_and_the_signed_untransmitted(
    officer_a, officer_b, city_a, city_b, django_assert_num_queries
):
    approved = AgreementFactory(partnership__authority=city_a, approved=True)
    signed = AgreementFactory(partnership__authority=city_a, signed=True)
    AgreementFactory(partnership__authority=city_a)  # draft
    AgreementFactory(partnership__authority=city_a, in_force=True)
    AgreementFactory(partnership__authority=city_b, approved=True)  # another authority's

    with django_assert_num_queries(1):
        awaiting_signature = list(agreements_awaiting_signature(user=officer_a))
        shown = [
            (a.partnership.partner.country.code, a.council_decision.number)
            for a in awaiting_signature
        ]
    assert awaiting_signature == [approved]
    assert shown == [("HT", approved.council_decision.number)]
    assert list(agreements_awaiting_transmission(user=officer_a)) == [signed]
    assert list(agreements_awaiting_transmission(user=officer_a, member=city_b)) == []
    assert [a.authority_id for a in agreements_awaiting_signature(user=officer_b)] == [city_b.pk]
    assert Agreement.objects.count() == 5
