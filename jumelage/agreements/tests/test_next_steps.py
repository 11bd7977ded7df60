"""Reads of what an agreement waits for: the council's approval, its decision becoming
enforceable, the signature, the transmission, a renewal before it ends."""

import datetime

from jumelage.agreements.selectors import (
    agreements_awaiting_approval,
    agreements_expiring,
    agreements_ready_to_sign,
    agreements_waiting_for_their_decision,
)
from jumelage.agreements.tests.factories import AgreementFactory, CouncilDecisionFactory
from jumelage.partners.tests.factories import PartnershipFactory

TODAY = datetime.date(2026, 6, 1)


def test_drafts_await_the_councils_approval(city_a, officer_a):
    draft = AgreementFactory(partnership=PartnershipFactory(authority=city_a))
    AgreementFactory(partnership=PartnershipFactory(authority=city_a), approved=True)
    assert list(agreements_awaiting_approval(user=officer_a, member=city_a)) == [draft]


def test_an_approved_act_waits_while_its_decision_is_not_enforceable(city_a, officer_a):
    partnership = PartnershipFactory(authority=city_a)
    pending = CouncilDecisionFactory(authority=city_a, transmitted_on=None, enforceable_on=None)
    later = CouncilDecisionFactory(authority=city_a, enforceable_on=datetime.date(2026, 6, 15))
    ready = CouncilDecisionFactory(authority=city_a, enforceable_on=datetime.date(2026, 5, 2))
    waiting = AgreementFactory(partnership=partnership, approved=True, council_decision=pending)
    not_yet = AgreementFactory(partnership=partnership, approved=True, council_decision=later)
    signable = AgreementFactory(partnership=partnership, approved=True, council_decision=ready)

    assert set(
        agreements_waiting_for_their_decision(user=officer_a, member=city_a, today=TODAY)
    ) == {waiting, not_yet}
    assert list(agreements_ready_to_sign(user=officer_a, member=city_a, today=TODAY)) == [signable]


def test_acts_in_force_ending_within_three_months_or_past_their_end_are_expiring(city_a, officer_a):
    partnership = PartnershipFactory(authority=city_a)
    soon = AgreementFactory(
        partnership=partnership, in_force=True, ends_on=datetime.date(2026, 8, 1)
    )
    past = AgreementFactory(
        partnership=partnership, in_force=True, ends_on=datetime.date(2026, 5, 1)
    )
    AgreementFactory(partnership=partnership, in_force=True, ends_on=datetime.date(2027, 6, 1))
    AgreementFactory(partnership=partnership, in_force=True)  # no end
    expired = AgreementFactory(
        partnership=partnership, in_force=True, ends_on=datetime.date(2026, 5, 1)
    )
    expired.status = expired.Status.EXPIRED
    expired.save()

    assert list(agreements_expiring(user=officer_a, member=city_a, today=TODAY)) == [past, soon]


def test_another_authoritys_agreements_are_never_read(city_a, city_b, officer_b):
    AgreementFactory(partnership=PartnershipFactory(authority=city_a))
    AgreementFactory(partnership=PartnershipFactory(authority=city_a), approved=True)
    assert not agreements_awaiting_approval(user=officer_b, member=city_a).exists()
    assert not agreements_ready_to_sign(user=officer_b, member=city_a, today=TODAY).exists()
    assert not agreements_awaiting_approval(user=officer_b).exists()
