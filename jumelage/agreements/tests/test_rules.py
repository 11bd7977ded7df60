"""The legal rules on agreements and council decisions, checked on every write.

Each rule has an accepted case and a refused case; a refusal writes nothing (no change, no
audit entry).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.agreements.services import (
    agreement_approve,
    agreement_save,
    agreement_sign,
    agreement_transmit,
    council_decision_save,
)
from jumelage.agreements.tests.factories import AgreementFactory, CouncilDecisionFactory
from jumelage.audit.models import AuditEntry
from jumelage.partners.models import Authority, Partnership
from jumelage.partners.services import partnership_save
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory

MARCH = {day: datetime.date(2026, 3, day) for day in range(1, 32)}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def audit_entries_of(instance):
    return AuditEntry.objects.filter(model=instance._meta.label_lower, object_id=str(instance.pk))


def messages_of(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict.get(field, []))


def recorded(city, **fields):
    """An agreement recorded as it stands (creating is the one write that may set its status
    and legal dates; after that only the steps change them): unsaved, with a saved decision."""
    fields.setdefault("partnership", PartnershipFactory(authority=city))
    if fields.pop("approved", False):
        fields.setdefault("council_decision", CouncilDecisionFactory(authority=city))
        fields.setdefault("status", Agreement.Status.APPROVED)
    return AgreementFactory.build(**fields)


# --- a. Signature only after the council decision became enforceable -------------------------


def test_it_accepts_a_signature_the_day_after_the_decision_became_enforceable(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    assert agreement.council_decision.enforceable_on == MARCH[5]
    agreement_sign(agreement=agreement, user=officer_a, signed_on=MARCH[6])
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.signed_on == MARCH[6]
    assert list(audit_entries_of(agreement).values_list("verb", flat=True)) == ["agreement signed"]


def test_it_accepts_a_signature_the_day_the_decision_became_enforceable(officer_a, city_a):
    # CGCT L2131-1: a decision is enforceable once transmitted and published; recorded as
    # enforceable on 5 March, it is enforceable that day, so the act may be signed that day.
    # (The visits' special mandate reads the same day the same way: visits/tests.)
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    agreement_sign(agreement=agreement, user=officer_a, signed_on=MARCH[5])
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == (Agreement.Status.SIGNED, MARCH[5])


def test_it_refuses_a_signature_the_day_before_the_decision_became_enforceable(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    with pytest.raises(ValidationError) as refused:
        agreement_sign(agreement=agreement, user=officer_a, signed_on=MARCH[4])
    message = messages_of(refused.value, "signed_on")
    assert "became enforceable only on 03/05/2026 (CGCT L2131-1" in message
    assert "227419" not in message and "29 July 2002" not in message
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.APPROVED
    assert agreement.signed_on is None
    assert not audit_entries_of(agreement).exists()


def test_it_refuses_a_signature_before_the_decision_became_enforceable(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    with pytest.raises(ValidationError) as refused:
        agreement_sign(agreement=agreement, user=officer_a, signed_on=MARCH[2])
    assert "became enforceable only on" in messages_of(refused.value, "signed_on")
    assert Agreement.objects.get(pk=agreement.pk).signed_on is None


def test_it_refuses_to_record_an_agreement_signed_before_its_decision_was_enforceable(
    officer_a, city_a
):
    agreement = recorded(city_a, approved=True, status=Agreement.Status.SIGNED, signed_on=MARCH[2])
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "became enforceable only on" in messages_of(refused.value, "signed_on")
    assert not Agreement.objects.exists()


def test_it_refuses_a_signature_when_the_decision_has_no_enforceable_date(officer_a, city_a):
    decision = CouncilDecisionFactory(authority=city_a, transmitted_on=None, enforceable_on=None)
    agreement = AgreementFactory(
        partnership__authority=city_a, status=Agreement.Status.APPROVED, council_decision=decision
    )
    with pytest.raises(ValidationError) as refused:
        agreement_sign(agreement=agreement, user=officer_a, signed_on=MARCH[20])
    assert f"council decision {decision.number} is not enforceable yet" in messages_of(
        refused.value, "council_decision"
    )
    agreement.refresh_from_db()
    assert agreement.signed_on is None
    assert not audit_entries_of(agreement).exists()


def test_it_refuses_a_signature_date_without_an_approving_decision(officer_a, city_a):
    agreement = AgreementFactory.build(
        partnership=PartnershipFactory(authority=city_a), signed_on=MARCH[20]
    )
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "Link the council decision that approved" in messages_of(
        refused.value, "council_decision"
    )
    assert not Agreement.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_refuses_the_signed_status_without_a_signature_date(officer_a, city_a):
    agreement = recorded(city_a, approved=True, status=Agreement.Status.SIGNED)
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "Give the date the agreement was signed" in messages_of(refused.value, "signed_on")
    assert not Agreement.objects.exists()


# --- b. A convention states its object and forecast commitments -----------------------------


def test_it_accepts_a_convention_with_its_object_and_a_zero_forecast(officer_a, city_a):
    agreement = AgreementFactory.build(
        partnership=PartnershipFactory(authority=city_a), forecast_commitment=0
    )
    agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert Agreement.objects.filter(pk=agreement.pk, forecast_commitment=0).exists()


def test_it_refuses_a_convention_without_object_or_forecast_commitments(officer_a, city_a):
    agreement = AgreementFactory.build(
        partnership=PartnershipFactory(authority=city_a),
        kind=Agreement.Kind.SPECIFIC_CONVENTION,
        object="  ",
        forecast_commitment=None,
    )
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "must state the object of the planned actions" in messages_of(refused.value, "object")
    assert "forecast amount of the financial commitments" in messages_of(
        refused.value, "forecast_commitment"
    )
    assert not Agreement.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_does_not_ask_a_twinning_oath_for_an_object_or_amount(officer_a, city_a):
    agreement = AgreementFactory.build(
        partnership=PartnershipFactory(authority=city_a, kind=Partnership.Kind.TWINNING),
        kind=Agreement.Kind.TWINNING_OATH,
        object="",
        forecast_commitment=None,
    )
    agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert Agreement.objects.filter(pk=agreement.pk).exists()


# --- c. No act with a foreign State or an entity France does not recognise -------------------


def test_it_refuses_an_agreement_with_a_foreign_state_in_no_case_of_the_law(officer_a, city_a):
    state = ForeignAuthorityFactory(name="République d'Haïti", kind=Authority.Kind.STATE)
    agreement = AgreementFactory.build(
        partnership=PartnershipFactory(authority=city_a, partner=state)
    )
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "may make an agreement with a foreign State only in the cases" in messages_of(
        refused.value, "partnership"
    )
    assert not Agreement.objects.exists()
    assert not AuditEntry.objects.exists()


def state_agreement(city, **fields):
    state = ForeignAuthorityFactory(name="Royaume d'Espagne", kind=Authority.Kind.STATE)
    return AgreementFactory.build(
        partnership=PartnershipFactory(authority=city, partner=state), **fields
    )


@pytest.mark.parametrize(
    "case", ["grouping", "international_agreement", "regional_programme", "other_grouping"]
)
def test_it_accepts_an_agreement_with_a_state_in_a_case_of_l1115_5_authorised_by_the_prefect(
    officer_a, city_a, case
):
    # CGCT L1115-5 since loi n° 2016-1657: a GECT, GEC or GLCT, or the three cases of its second
    # paragraph, each signed with the prefect's prior authorisation.
    agreement = state_agreement(
        city_a, state_case=case, prefect_authorised_on=MARCH[1], signed_on=MARCH[6]
    )
    agreement.council_decision = CouncilDecisionFactory(authority=city_a)
    agreement.status = Agreement.Status.SIGNED
    agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert Agreement.objects.get(pk=agreement.pk).state_case == case


def test_a_draft_with_a_state_may_wait_for_the_prefects_authorisation(officer_a, city_a):
    agreement = state_agreement(city_a, state_case="grouping")
    agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_it_refuses_to_sign_with_a_state_without_the_prefects_prior_authorisation(
    officer_a, city_a
):
    agreement = state_agreement(city_a, state_case="grouping")
    agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    agreement_approve(
        agreement=agreement,
        user=officer_a,
        council_decision=CouncilDecisionFactory(authority=city_a),
    )
    with pytest.raises(ValidationError) as refused:
        agreement_sign(agreement=agreement, user=officer_a, signed_on=MARCH[6])
    assert "the prefect authorises the signature beforehand" in messages_of(
        refused.value, "prefect_authorised_on"
    )
    agreement.prefect_authorised_on = MARCH[7]  # after the signature: not "beforehand"
    agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    with pytest.raises(ValidationError) as refused:
        agreement_sign(agreement=agreement, user=officer_a, signed_on=MARCH[6])
    assert "comes after the signature" in messages_of(refused.value, "prefect_authorised_on")
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.APPROVED


def test_another_case_provided_by_law_needs_its_text(officer_a, city_a):
    agreement = state_agreement(city_a, state_case="other_law")
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "Give the text of the law" in messages_of(refused.value, "legal_basis")
    agreement.legal_basis = "The law that provides this case (article and date)"
    agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_the_refusal_of_a_state_names_the_cases_the_law_provides(officer_a, city_a):
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=state_agreement(city_a), user=officer_a, expected_version=None)
    message = messages_of(refused.value, "partnership")
    assert "only in the cases the law provides (CGCT L1115-5)" in message
    assert "GECT" in message and "prefect" in message


def test_an_unrecognised_entity_stays_refused_whatever_the_case_given(officer_a, city_a):
    entity = ForeignAuthorityFactory(kind=Authority.Kind.STATE, is_recognised_by_france=False)
    agreement = AgreementFactory.build(
        partnership=PartnershipFactory(authority=city_a, partner=entity),
        state_case="other_law",
        legal_basis="any",
    )
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "France does not recognise" in messages_of(refused.value, "partnership")


def test_a_case_of_l1115_5_on_an_agreement_with_a_local_authority_is_refused(officer_a, city_a):
    agreement = AgreementFactory.build(
        partnership=PartnershipFactory(authority=city_a), state_case="grouping"
    )
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "is not a State" in messages_of(refused.value, "state_case")


def test_it_accepts_an_agreement_with_a_foreign_local_authority(officer_a, city_a):
    agreement = AgreementFactory.build(partnership=PartnershipFactory(authority=city_a))
    agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_it_refuses_an_agreement_with_an_entity_france_does_not_recognise(officer_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    Authority.objects.filter(pk=partnership.partner_id).update(is_recognised_by_france=False)
    agreement = AgreementFactory.build(partnership=partnership)
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "France does not recognise" in messages_of(refused.value, "partnership")
    assert not Agreement.objects.exists()


def test_it_refuses_a_partnership_with_an_entity_france_does_not_recognise(officer_a, city_a):
    partner = ForeignAuthorityFactory(is_recognised_by_france=False)
    partnership = Partnership(authority=city_a, partner=partner, kind=Partnership.Kind.TWINNING)
    with pytest.raises(ValidationError) as refused:
        partnership_save(
            partnership=partnership, user=officer_a, expected_version=partnership.version
        )
    assert "France does not recognise" in messages_of(refused.value, "partner")
    assert not Partnership.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_lets_a_partnership_with_an_unrecognised_entity_be_ended(officer_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    Authority.objects.filter(pk=partnership.partner_id).update(is_recognised_by_france=False)
    partnership.status = Partnership.Status.ENDED
    partnership_save(partnership=partnership, user=officer_a, expected_version=partnership.version)
    assert Partnership.objects.get(pk=partnership.pk).status == Partnership.Status.ENDED


# --- d. The approving council decision belongs to the same authority ------------------------


def test_it_refuses_a_council_decision_of_another_authority(officer_a, city_a, city_b):
    decision_b = CouncilDecisionFactory(authority=city_b)
    agreement = AgreementFactory(partnership__authority=city_a)
    with pytest.raises(ValidationError) as refused:
        agreement_approve(agreement=agreement, user=officer_a, council_decision=decision_b)
    assert "belongs to another authority" in messages_of(refused.value, "council_decision")
    stored = Agreement.objects.get(pk=agreement.pk)
    assert stored.council_decision_id is None
    assert stored.status == Agreement.Status.DRAFT
    assert not audit_entries_of(agreement).exists()


def test_it_accepts_a_council_decision_of_the_same_authority(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a)
    decision = CouncilDecisionFactory(authority=city_a)
    agreement_approve(agreement=agreement, user=officer_a, council_decision=decision)
    assert Agreement.objects.get(pk=agreement.pk).council_decision_id is not None


def test_it_refuses_the_approved_status_without_a_council_decision(officer_a, city_a):
    agreement = recorded(city_a, status=Agreement.Status.APPROVED)
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "before marking it approved" in messages_of(refused.value, "council_decision")
    assert not Agreement.objects.exists()


# --- e. Dates: the period, and "in force" after signature and transmission ------------------


def test_it_refuses_an_agreement_that_ends_before_it_starts(officer_a, city_a):
    agreement = AgreementFactory.build(
        partnership=PartnershipFactory(authority=city_a),
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "The agreement ends before it starts" in " ".join(refused.value.messages)
    assert not Agreement.objects.exists()


def test_it_accepts_an_agreement_that_ends_after_it_starts(officer_a, city_a):
    agreement = AgreementFactory.build(
        partnership=PartnershipFactory(authority=city_a),
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2028, 12, 31),
    )
    agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_it_refuses_in_force_without_a_transmission_date(officer_a, city_a):
    agreement = recorded(
        city_a, approved=True, status=Agreement.Status.ENFORCEABLE, signed_on=MARCH[10]
    )
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "in force only once the signed act is transmitted" in messages_of(
        refused.value, "transmitted_on"
    )
    assert not Agreement.objects.exists()


# --- Status and legal dates change only through the steps; legal facts are never in the future


def test_a_form_cannot_change_the_status_or_legal_dates_of_a_recorded_agreement(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    agreement.signed_on = datetime.date.today() + datetime.timedelta(days=30)
    agreement.status = Agreement.Status.SIGNED
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "change through the steps" in messages_of(refused.value, "signed_on")
    stored = Agreement.objects.get(pk=agreement.pk)
    assert (stored.status, stored.signed_on) == (Agreement.Status.APPROVED, None)


def test_a_future_signature_is_refused_however_it_is_written(officer_a, city_a):
    future = datetime.date.today() + datetime.timedelta(days=1)
    agreement = recorded(city_a, approved=True, status=Agreement.Status.SIGNED, signed_on=future)
    with pytest.raises(ValidationError) as refused:
        agreement_save(agreement=agreement, user=officer_a, expected_version=agreement.version)
    assert "cannot be in the future" in messages_of(refused.value, "signed_on")
    approved = AgreementFactory(partnership__authority=city_a, approved=True)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        agreement_sign(agreement=approved, user=officer_a, signed_on=future)
    assert not Agreement.objects.filter(signed_on=future).exists()


def test_a_council_decision_edited_with_a_future_enforceable_date_is_refused(officer_a, city_a):
    decision = CouncilDecisionFactory(authority=city_a)
    decision.enforceable_on = datetime.date.today() + datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as refused:
        council_decision_save(decision=decision, user=officer_a, expected_version=decision.version)
    assert "cannot be in the future" in messages_of(refused.value, "enforceable_on")
    assert CouncilDecision.objects.get(pk=decision.pk).enforceable_on == MARCH[5]


def test_it_refuses_a_transmission_before_the_signature(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, signed=True)
    with pytest.raises(ValidationError) as refused:
        agreement_transmit(agreement=agreement, user=officer_a, transmitted_on=MARCH[9])
    assert "before it was signed" in messages_of(refused.value, "transmitted_on")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.transmitted_on is None
    assert not audit_entries_of(agreement).exists()


def test_it_accepts_a_transmission_on_the_day_of_signature(officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, signed=True)
    agreement_transmit(agreement=agreement, user=officer_a, transmitted_on=agreement.signed_on)
    assert agreement.status == Agreement.Status.ENFORCEABLE
    assert agreement.transmitted_on == MARCH[10]


# --- Council decisions: transmitted after the sitting, enforceable once transmitted ----------


def test_it_refuses_a_decision_enforceable_before_its_transmission(officer_a, city_a):
    decision = CouncilDecision(
        authority=city_a,
        number="2026-100",
        date=MARCH[1],
        subject="Convention",
        transmitted_on=MARCH[5],
        enforceable_on=MARCH[4],
    )
    with pytest.raises(ValidationError) as refused:
        council_decision_save(decision=decision, user=officer_a, expected_version=decision.version)
    assert "cannot be enforceable before it was transmitted" in messages_of(
        refused.value, "enforceable_on"
    )
    assert not CouncilDecision.objects.exists()


def test_it_refuses_a_decision_transmitted_before_its_sitting(officer_a, city_a):
    decision = CouncilDecision(
        authority=city_a,
        number="2026-101",
        date=MARCH[10],
        subject="Convention",
        transmitted_on=MARCH[9],
    )
    with pytest.raises(ValidationError) as refused:
        council_decision_save(decision=decision, user=officer_a, expected_version=decision.version)
    assert "before the sitting" in messages_of(refused.value, "transmitted_on")
    assert not CouncilDecision.objects.exists()


def test_it_refuses_a_decision_enforceable_without_transmission(officer_a, city_a):
    decision = CouncilDecision(
        authority=city_a,
        number="2026-102",
        date=MARCH[1],
        subject="Convention",
        enforceable_on=MARCH[5],
    )
    with pytest.raises(ValidationError) as refused:
        council_decision_save(decision=decision, user=officer_a, expected_version=decision.version)
    assert "Give the date of transmission first" in messages_of(refused.value, "enforceable_on")
    assert not CouncilDecision.objects.exists()


def test_it_refuses_a_second_decision_with_the_same_number(officer_a, city_a):
    CouncilDecisionFactory(authority=city_a, number="2026-001")
    decision = CouncilDecision(authority=city_a, number="2026-001", date=MARCH[1], subject="Autre")
    with pytest.raises(ValidationError) as refused:
        council_decision_save(decision=decision, user=officer_a, expected_version=decision.version)
    assert "already has a council decision with this number" in " ".join(refused.value.messages)
    assert CouncilDecision.objects.count() == 1
