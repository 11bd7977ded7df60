"""The steps of an agreement and of a council decision: each checks its own condition, writes
through the one write path with its verb in the audit log, and writes nothing when refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.agreements.services import (
    agreement_approve,
    agreement_renew,
    agreement_save,
    agreement_sign,
    agreement_terminate,
    agreement_transmit,
    council_decision_mark_enforceable,
    council_decision_mark_transmitted,
    council_decision_save,
)
from jumelage.agreements.tests.factories import AgreementFactory, CouncilDecisionFactory
from jumelage.audit.models import AuditEntry
from jumelage.partners.models import Authority
from jumelage.tenancy.services import ConcurrentEditError


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def verbs_of(instance):
    return list(
        AuditEntry.objects.filter(model=instance._meta.label_lower, object_id=str(instance.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


# --- Council decisions ----------------------------------------------------------------------


def test_a_council_decision_goes_from_recorded_to_transmitted_to_enforceable(officer_a, city_a):
    decision = CouncilDecision(
        authority=city_a, number="2026-042", date=datetime.date(2026, 3, 1), subject="Convention"
    )
    council_decision_save(decision=decision, user=officer_a, expected_version=decision.version)
    council_decision_mark_transmitted(
        decision=decision, user=officer_a, transmitted_on=datetime.date(2026, 3, 4)
    )
    council_decision_mark_enforceable(
        decision=decision, user=officer_a, enforceable_on=datetime.date(2026, 3, 5)
    )
    stored = CouncilDecision.objects.get(pk=decision.pk)
    assert stored.transmitted_on == datetime.date(2026, 3, 4)
    assert stored.enforceable_on == datetime.date(2026, 3, 5)
    assert stored.version == 3
    assert verbs_of(decision) == [
        "council decision saved",
        "council decision transmitted to the prefect",
        "council decision enforceable",
    ]


def test_it_refuses_to_mark_a_decision_enforceable_before_its_transmission(officer_a, city_a):
    decision = CouncilDecisionFactory(authority=city_a, transmitted_on=None, enforceable_on=None)
    with pytest.raises(ValidationError, match="Give the date of transmission first"):
        council_decision_mark_enforceable(
            decision=decision, user=officer_a, enforceable_on=datetime.date(2026, 3, 5)
        )
    assert CouncilDecision.objects.get(pk=decision.pk).enforceable_on is None
    assert verbs_of(decision) == []


def test_it_refuses_to_mark_a_decision_transmitted_twice(officer_a, city_a):
    decision = CouncilDecisionFactory(authority=city_a)
    with pytest.raises(ValidationError, match="already recorded as transmitted"):
        council_decision_mark_transmitted(
            decision=decision, user=officer_a, transmitted_on=datetime.date(2026, 3, 8)
        )
    assert CouncilDecision.objects.get(pk=decision.pk).transmitted_on == datetime.date(2026, 3, 5)


def test_it_refuses_a_transmission_date_in_the_future(officer_a, city_a):
    decision = CouncilDecisionFactory(authority=city_a, transmitted_on=None, enforceable_on=None)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        council_decision_mark_transmitted(
            decision=decision, user=officer_a, transmitted_on=tomorrow
        )
    assert CouncilDecision.objects.get(pk=decision.pk).transmitted_on is None


def test_another_authoritys_officer_cannot_mark_a_decision_transmitted(officer_b, city_a):
    decision = CouncilDecisionFactory(authority=city_a, transmitted_on=None, enforceable_on=None)
    with pytest.raises(PermissionDenied):
        council_decision_mark_transmitted(
            decision=decision, user=officer_b, transmitted_on=datetime.date(2026, 3, 4)
        )
    assert CouncilDecision.objects.get(pk=decision.pk).transmitted_on is None


# --- Agreements: the whole way, then each step's refusal ------------------------------------


def test_an_agreement_goes_from_draft_to_in_force_then_is_renewed(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, starts_on=datetime.date(2026, 4, 1))
    decision = CouncilDecisionFactory(authority=city_a)

    agreement_approve(agreement=agreement, user=officer_a, council_decision=decision)
    assert agreement.status == Agreement.Status.APPROVED
    assert agreement.council_decision == decision

    agreement_sign(
        agreement=agreement,
        user=officer_a,
        signed_on=datetime.date(2026, 3, 6),
        signatories="Maire",
    )
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.signatories == "Maire"

    agreement_transmit(
        agreement=agreement, user=officer_a, transmitted_on=datetime.date(2026, 3, 9)
    )
    assert agreement.status == Agreement.Status.ENFORCEABLE
    assert agreement.version == 3

    renewal = agreement_renew(agreement=agreement, user=officer_a)
    assert renewal.pk != agreement.pk
    assert renewal.renews == agreement
    assert renewal.status == Agreement.Status.DRAFT
    assert renewal.partnership_id == agreement.partnership_id
    assert renewal.object == agreement.object
    assert renewal.signed_on is None and renewal.council_decision is None

    assert verbs_of(agreement) == [
        "agreement approved",
        "agreement signed",
        "agreement transmitted to the prefect",
    ]
    assert verbs_of(renewal) == ["agreement renewed"]


def test_it_refuses_to_approve_an_agreement_that_is_not_a_draft(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, signed=True)
    other = CouncilDecisionFactory(authority=city_a)
    with pytest.raises(ValidationError, match="Only a draft agreement can be approved"):
        agreement_approve(agreement=agreement, user=officer_a, council_decision=other)
    assert Agreement.objects.get(pk=agreement.pk).council_decision != other


def test_it_refuses_to_approve_with_another_authoritys_decision(officer_a, city_a, city_b):
    agreement = AgreementFactory(partnership__authority=city_a)
    with pytest.raises(ValidationError, match="belongs to another authority"):
        agreement_approve(
            agreement=agreement,
            user=officer_a,
            council_decision=CouncilDecisionFactory(authority=city_b),
        )
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.DRAFT
    assert verbs_of(agreement) == []


def test_it_refuses_to_sign_a_draft(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a)
    with pytest.raises(ValidationError, match="Have the council approve it first"):
        agreement_sign(agreement=agreement, user=officer_a, signed_on=datetime.date(2026, 3, 6))
    assert Agreement.objects.get(pk=agreement.pk).signed_on is None


def test_it_refuses_a_signature_date_in_the_future(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        agreement_sign(agreement=agreement, user=officer_a, signed_on=tomorrow)
    assert Agreement.objects.get(pk=agreement.pk).signed_on is None


def test_it_refuses_to_transmit_an_unsigned_agreement(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    with pytest.raises(ValidationError, match="Record its signature first"):
        agreement_transmit(
            agreement=agreement, user=officer_a, transmitted_on=datetime.date(2026, 3, 9)
        )
    assert Agreement.objects.get(pk=agreement.pk).transmitted_on is None


def test_it_terminates_an_agreement_in_force(officer_a, city_a):
    agreement = AgreementFactory(
        partnership__authority=city_a, in_force=True, ends_on=datetime.date(2029, 12, 31)
    )
    agreement_terminate(agreement=agreement, user=officer_a, ended_on=datetime.date(2026, 9, 30))
    stored = Agreement.objects.get(pk=agreement.pk)
    assert stored.status == Agreement.Status.TERMINATED
    assert stored.ends_on == datetime.date(2026, 9, 30)
    assert verbs_of(agreement) == ["agreement terminated"]


def test_it_records_the_end_of_an_act_with_an_entity_no_longer_recognised(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, in_force=True)
    Authority.objects.filter(pk=agreement.partnership.partner_id).update(
        is_recognised_by_france=False
    )
    agreement_terminate(agreement=agreement, user=officer_a, ended_on=datetime.date(2026, 9, 30))
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.TERMINATED


def test_it_refuses_to_terminate_a_draft(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a)
    with pytest.raises(ValidationError, match="A draft can simply be deleted"):
        agreement_terminate(
            agreement=agreement, user=officer_a, ended_on=datetime.date(2026, 9, 30)
        )
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.DRAFT


def test_it_refuses_to_terminate_before_the_signature(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, in_force=True)
    with pytest.raises(ValidationError, match="cannot end before it was signed"):
        agreement_terminate(agreement=agreement, user=officer_a, ended_on=datetime.date(2026, 3, 1))
    stored = Agreement.objects.get(pk=agreement.pk)
    assert stored.status == Agreement.Status.ENFORCEABLE
    assert stored.ends_on is None


def test_it_refuses_to_renew_a_draft(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a)
    with pytest.raises(ValidationError, match="Only an agreement that was signed can be renewed"):
        agreement_renew(agreement=agreement, user=officer_a)
    assert Agreement.objects.count() == 1


def test_it_refuses_to_renew_an_agreement_twice(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, in_force=True)
    agreement_renew(agreement=agreement, user=officer_a)
    with pytest.raises(ValidationError, match="already renewed"):
        agreement_renew(agreement=agreement, user=officer_a)
    assert Agreement.objects.count() == 2


def test_it_refuses_a_renewal_of_an_agreement_of_another_partnership(officer_a, city_a):
    old = AgreementFactory(partnership__authority=city_a, in_force=True)
    other = AgreementFactory(partnership__authority=city_a)
    other.renews = old
    with pytest.raises(ValidationError, match="belongs to another partnership"):
        agreement_save(agreement=other, user=officer_a, expected_version=other.version)
    assert Agreement.objects.get(pk=other.pk).renews is None


def test_a_step_refuses_a_copy_read_before_a_colleagues_change(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    stale = Agreement.objects.get(pk=agreement.pk)
    agreement_sign(agreement=agreement, user=officer_a, signed_on=datetime.date(2026, 3, 6))
    with pytest.raises(ConcurrentEditError):
        agreement_transmit(
            agreement=stale, user=officer_a, transmitted_on=datetime.date(2026, 3, 9)
        )
    assert Agreement.objects.get(pk=agreement.pk).transmitted_on is None


def test_steps_are_refused_to_viewers_contributors_and_other_authorities(
    viewer_a, contributor_a, officer_b, city_a
):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    for user in (viewer_a, contributor_a, officer_b):
        with pytest.raises(PermissionDenied):
            agreement_sign(agreement=agreement, user=user, signed_on=datetime.date(2026, 3, 6))
    assert Agreement.objects.get(pk=agreement.pk).signed_on is None
    assert not AuditEntry.objects.exists()
