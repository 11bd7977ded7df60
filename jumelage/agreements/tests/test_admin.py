"""The back office of the agreements app: constant queries per list, legal refusals shown on the
form, and access by role and authority (tampered forms included)."""

import datetime

import pytest
from django.urls import reverse

from jumelage.accounts.tests.factories import UserFactory
from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.agreements.tests.factories import AgreementFactory, CouncilDecisionFactory
from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import CountryFactory
from jumelage.partners.tests.admin_pages import admin_url, change_form_data, count_queries
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory

COUNTRIES = ["GB", "DE", "IL", "RS", "AT", "ES", "HT", "IT", "PT", "BE"]


def _partnership(authority, i):
    partner = ForeignAuthorityFactory(
        name=f"Partner {i}", country=CountryFactory(code=COUNTRIES[i])
    )
    return PartnershipFactory(authority=authority, partner=partner)


@pytest.fixture
def superuser(db):
    return UserFactory(username="operator", is_superuser=True)


# --- Lists run a constant number of queries -------------------------------------------------


def test_the_agreement_list_runs_as_many_queries_for_ten_rows_as_for_one(
    client, officer_a, city_a, django_assert_num_queries
):
    client.force_login(officer_a)
    url = admin_url(Agreement, "changelist")
    AgreementFactory(partnership=_partnership(city_a, 0), title={})
    one_row = count_queries(client, url)
    for i in range(1, 10):
        AgreementFactory(partnership=_partnership(city_a, i), title={}, signed=True)
    with django_assert_num_queries(one_row):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 10
    assert "Partner 9" in response.content.decode()


def test_the_agreement_list_of_an_operator_stays_constant_across_authorities(
    client, superuser, django_assert_num_queries
):
    client.force_login(superuser)
    url = admin_url(Agreement, "changelist")
    AgreementFactory(title={})
    one_row = count_queries(client, url)
    for _ in range(9):
        AgreementFactory(title={})  # each of another member authority
    with django_assert_num_queries(one_row):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 10


def test_the_council_decision_list_runs_as_many_queries_for_ten_rows_as_for_one(
    client, officer_a, city_a, django_assert_num_queries
):
    client.force_login(officer_a)
    url = admin_url(CouncilDecision, "changelist")
    CouncilDecisionFactory(authority=city_a)
    one_row = count_queries(client, url)
    for _ in range(9):
        CouncilDecisionFactory(authority=city_a)
    with django_assert_num_queries(one_row):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 10


# --- Legal refusals show on the form, and nothing is written --------------------------------


def test_the_change_form_cannot_set_the_status_or_the_signature(client, officer_a, city_a):
    # Only the step button changes them (the step checks the legal rules and the date); a
    # posted status or signature date is ignored by the form, as a read-only field's is.
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    url = admin_url(Agreement, "change", agreement.pk)
    client.force_login(officer_a)
    page = client.get(url)
    assert 'name="signed_on"' not in page.content.decode()
    data = change_form_data(page)
    data.update({"status": Agreement.Status.SIGNED, "signed_on": "2099-03-05"})
    response = client.post(url, data)
    assert response.status_code == 302
    stored = Agreement.objects.get(pk=agreement.pk)
    assert (stored.status, stored.signed_on) == (Agreement.Status.APPROVED, None)


def test_an_agreement_signed_long_ago_is_recorded_on_the_add_page(client, officer_a, city_a):
    decision = CouncilDecisionFactory(authority=city_a)
    partnership = PartnershipFactory(authority=city_a)
    client.force_login(officer_a)
    url = admin_url(Agreement, "add")
    data = change_form_data(client.get(url))
    data.update(
        {
            "authority": city_a.pk,
            "partnership": partnership.pk,
            "kind": Agreement.Kind.FRAMEWORK_CONVENTION,
            "object": "Gouvernance locale",
            "forecast_commitment": "10000",
            "currency": "EUR",
            "status": Agreement.Status.SIGNED,
            "council_decision": decision.pk,
            "signed_on": "2026-03-04",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "became enforceable only on" in " ".join(errors["signed_on"])
    data["signed_on"] = "2026-03-05"  # the day it became enforceable (CGCT L2131-1)
    assert client.post(url, data).status_code == 302
    stored = Agreement.objects.get()
    assert (stored.status, stored.signed_on) == (Agreement.Status.SIGNED, datetime.date(2026, 3, 5))
    assert AuditEntry.objects.get().verb == "agreement saved"


def test_a_convention_without_its_object_is_a_form_error(client, officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a)
    url = admin_url(Agreement, "change", agreement.pk)
    client.force_login(officer_a)
    data = change_form_data(client.get(url))
    data["object"] = ""
    response = client.post(url, data)
    assert response.status_code == 200
    assert "must state the object" in " ".join(response.context["adminform"].form.errors["object"])
    assert Agreement.objects.get(pk=agreement.pk).object != ""


# --- Another authority's officer gets nothing -----------------------------------------------


def test_another_authoritys_officer_does_not_see_its_agreements_or_decisions(
    client, officer_b, city_a
):
    AgreementFactory(
        partnership__authority=city_a,
        partnership__partner__name="Kragujevac",
        object="Secret object",
    )
    CouncilDecisionFactory(authority=city_a, number="SUR-2026-017")
    client.force_login(officer_b)
    agreements = client.get(admin_url(Agreement, "changelist"))
    assert list(agreements.context["cl"].result_list) == []
    assert "Kragujevac" not in agreements.content.decode()
    decisions = client.get(admin_url(CouncilDecision, "changelist"))
    assert list(decisions.context["cl"].result_list) == []
    assert "SUR-2026-017" not in decisions.content.decode()


def test_another_authoritys_officer_cannot_open_or_change_its_agreement(
    client, officer_a, officer_b, city_a
):
    agreement = AgreementFactory(partnership__authority=city_a, object="Secret object")
    url = admin_url(Agreement, "change", agreement.pk)
    client.force_login(officer_a)
    data = change_form_data(client.get(url))
    data["object"] = "Changed by someone else"

    client.force_login(officer_b)
    page = client.get(url)
    assert page.status_code in (302, 404)
    assert "Secret object" not in page.content.decode()
    assert client.post(url, data).status_code in (302, 404)
    assert Agreement.objects.get(pk=agreement.pk).object == "Secret object"
    assert not AuditEntry.objects.exists()


def test_a_tampered_form_naming_another_authoritys_partnership_is_refused(
    client, officer_b, city_a, city_b
):
    theirs = PartnershipFactory(authority=city_a)
    client.force_login(officer_b)
    response = client.post(
        admin_url(Agreement, "add"),
        {
            "authority": city_b.pk,
            "partnership": theirs.pk,  # city_a's, typed into city_b's form
            "kind": Agreement.Kind.TWINNING_CHARTER,
            "title__fr": "Charte",
            "currency": "EUR",
            "status": Agreement.Status.DRAFT,
        },
    )
    assert response.status_code == 200
    assert "partnership" in response.context["adminform"].form.errors
    assert not Agreement.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_tampered_form_naming_another_authoritys_decision_is_refused(
    client, officer_b, city_a, city_b
):
    mine = AgreementFactory(partnership__authority=city_b)
    theirs = CouncilDecisionFactory(authority=city_a)
    client.force_login(officer_b)
    response = client.post(
        reverse("admin:agreements_agreement_step", args=[mine.pk]),
        {"version": mine.version, "council_decision": theirs.pk},
    )
    assert response.status_code == 200
    assert "council_decision" in response.context["form"].errors
    assert Agreement.objects.get(pk=mine.pk).council_decision_id is None


# --- Roles within the authority ---------------------------------------------------------------


def test_a_viewer_sees_an_agreement_but_cannot_change_it(client, viewer_a, officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, object="Gouvernance locale")
    url = admin_url(Agreement, "change", agreement.pk)
    client.force_login(officer_a)
    data = change_form_data(client.get(url))
    data["object"] = "Changed"

    client.force_login(viewer_a)
    page = client.get(url)
    assert page.status_code == 200
    assert "Gouvernance locale" in page.content.decode()
    assert page.context["has_change_permission"] is False
    assert client.post(url, data).status_code == 403
    assert Agreement.objects.get(pk=agreement.pk).object == "Gouvernance locale"


def test_a_contributor_cannot_change_or_add_an_agreement(client, contributor_a, officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a)
    url = admin_url(Agreement, "change", agreement.pk)
    client.force_login(officer_a)
    data = change_form_data(client.get(url))
    data["object"] = "Changed"

    client.force_login(contributor_a)
    assert client.post(url, data).status_code == 403
    assert client.get(admin_url(Agreement, "add")).status_code == 403
    assert client.get(admin_url(CouncilDecision, "add")).status_code == 403
    assert Agreement.objects.get(pk=agreement.pk).object != "Changed"


def test_the_agreement_form_lists_partnerships_without_a_query_per_choice(
    client, officer_a, city_a, django_assert_num_queries
):
    client.force_login(officer_a)
    url = admin_url(Agreement, "add")
    AgreementFactory(partnership=_partnership(city_a, 0), title={}, signed=True)
    one_choice = count_queries(client, url)
    for i in range(1, 10):
        AgreementFactory(partnership=_partnership(city_a, i), title={}, signed=True)
    with django_assert_num_queries(one_choice):
        response = client.get(url)
    assert "Partner 9" in response.content.decode()
