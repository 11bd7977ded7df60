"""The legal steps of an agreement in the back office: one button on the agreement's page for
its next step, a small form, the service behind it (rules, audit), refusals as form errors."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from jumelage.agreements.models import Agreement
from jumelage.agreements.tests.factories import AgreementFactory, CouncilDecisionFactory
from jumelage.audit.models import AuditEntry
from jumelage.partners.tests.admin_pages import admin_url


def step_url(agreement: Agreement) -> str:
    with translation.override("en"):
        return reverse("admin:agreements_agreement_step", args=[agreement.pk])


@pytest.fixture
def signed_in(client, officer_a):
    client.force_login(officer_a)
    return client


def test_the_agreement_page_offers_its_next_step(signed_in, city_a):
    draft = AgreementFactory(partnership__authority=city_a)
    page = signed_in.get(admin_url(Agreement, "change", draft.pk)).content.decode()
    assert f'href="{step_url(draft)}">Record the council&#x27;s approval</a>' in page


def test_a_draft_is_approved_by_a_decision_of_its_own_authority_only(signed_in, city_a, city_b):
    draft = AgreementFactory(partnership__authority=city_a)
    ours = CouncilDecisionFactory(authority=city_a, number="2026-014")
    theirs = CouncilDecisionFactory(authority=city_b, number="2026-099")
    form = signed_in.get(step_url(draft))
    choices = [str(d) for d in form.context["form"].fields["council_decision"].queryset]
    assert choices == [str(ours)]
    # A tampered form naming another authority's decision is refused, nothing written.
    refused = signed_in.post(
        step_url(draft), {"version": draft.version, "council_decision": theirs.pk}
    )
    assert refused.status_code == 200
    assert "Select a valid choice" in " ".join(refused.context["form"].errors["council_decision"])
    assert Agreement.objects.get(pk=draft.pk).status == Agreement.Status.DRAFT
    done = signed_in.post(
        step_url(draft), {"version": draft.version, "council_decision": ours.pk}, follow=True
    )
    assert done.redirect_chain == [(admin_url(Agreement, "change", draft.pk), 302)]
    assert "is now approved by the council." in done.content.decode()
    stored = Agreement.objects.get(pk=draft.pk)
    assert (stored.status, stored.council_decision) == (Agreement.Status.APPROVED, ours)
    assert AuditEntry.objects.get().verb == "agreement approved"


def test_a_signature_breaking_the_rule_of_the_enforceable_decision_is_a_form_error(
    signed_in, city_a
):
    approved = AgreementFactory(partnership__authority=city_a, approved=True)  # enforceable 5 March
    response = signed_in.post(
        step_url(approved), {"version": approved.version, "signed_on": "2026-03-04"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "became enforceable only on" in " ".join(errors["signed_on"])
    assert Agreement.objects.get(pk=approved.pk).status == Agreement.Status.APPROVED
    assert not AuditEntry.objects.exists()


def test_signature_then_transmission_put_the_act_in_force(signed_in, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    signed_in.post(
        step_url(agreement),
        {"version": agreement.version, "signed_on": "2026-03-10", "signatories": "The mayor"},
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signatories) == (Agreement.Status.SIGNED, "The mayor")
    form = signed_in.get(step_url(agreement)).context["form"]
    assert "transmitted_on" in form.fields
    signed_in.post(
        step_url(agreement), {"version": agreement.version, "transmitted_on": "2026-03-12"}
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.transmitted_on) == (
        Agreement.Status.ENFORCEABLE,
        datetime.date(2026, 3, 12),
    )
    assert list(AuditEntry.objects.order_by("id").values_list("verb", flat=True)) == [
        "agreement signed",
        "agreement transmitted to the prefect",
    ]


def test_a_future_date_is_refused_with_what_to_do(signed_in, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, signed=True)
    response = signed_in.post(
        step_url(agreement), {"version": agreement.version, "transmitted_on": "2999-01-01"}
    )
    assert "cannot be in the future" in " ".join(response.context["form"].errors["transmitted_on"])


def test_a_step_taken_meanwhile_in_another_tab_refuses_the_stale_form(signed_in, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    stale = agreement.version
    signed_in.post(step_url(agreement), {"version": stale, "signed_on": "2026-03-10"})
    response = signed_in.post(
        step_url(agreement), {"version": stale, "transmitted_on": "2026-03-12"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.SIGNED


def test_a_malformed_date_or_a_missing_field_says_what_to_fix(signed_in, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    response = signed_in.post(
        step_url(agreement), {"version": agreement.version, "signed_on": "10/13/2026x"}
    )
    assert "Enter a valid date." in response.context["form"].errors["signed_on"]
    response = signed_in.post(step_url(agreement), {"signed_on": "2026-03-10"})
    assert "version" in response.context["form"].errors
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.APPROVED


def test_an_ended_agreement_has_no_step(signed_in, city_a):
    ended = AgreementFactory(partnership__authority=city_a, status=Agreement.Status.EXPIRED)
    page = signed_in.get(admin_url(Agreement, "change", ended.pk)).content.decode()
    assert "/step/" not in page
    response = signed_in.get(step_url(ended), follow=True)
    assert "has no further step" in response.content.decode()


def test_another_authority_or_a_viewer_cannot_take_a_step(client, city_a, officer_b, viewer_a):
    draft = AgreementFactory(partnership__authority=city_a)
    decision = CouncilDecisionFactory(authority=city_a)
    client.force_login(officer_b)
    assert (
        client.post(
            step_url(draft), {"version": draft.version, "council_decision": decision.pk}
        ).status_code
        == 404
    )
    client.force_login(viewer_a)
    assert client.get(step_url(draft)).status_code == 403
    page = client.get(admin_url(Agreement, "change", draft.pk)).content.decode()
    assert "/step/" not in page
    assert Agreement.objects.get(pk=draft.pk).status == Agreement.Status.DRAFT
