"""A partnership's acts written in the workspace: a council decision recorded and corrected, an
agreement recorded as it stands (its approval, signature and transmission taken as steps, all or
nothing) and its content corrected, through the agreements app's services (audited, with the
version shown: a stale page is refused, nothing written). Dates as officers write them; a date
that does not exist or a signature before the decision is enforceable is refused with a reason.
Another authority's officer gets a 404 and writes nothing; a viewer reads only. The timeline and
the home's to-dos lead to these forms, not to the admin; a to-do fixed there leaves the list."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.agreements.tests.factories import AgreementFactory, CouncilDecisionFactory
from jumelage.audit.models import AuditEntry
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(city_a):
    return PartnershipFactory(authority=city_a, partner=ForeignAuthorityFactory(name="Kragujevac"))


def page_url(member, partnership) -> str:
    return reverse("workspace:partnership", args=[member.slug, partnership.pk])


def decision_new_url(member, partnership) -> str:
    return reverse("workspace:decision_new", args=[member.slug, partnership.pk])


def decision_edit_url(member, partnership, decision) -> str:
    return reverse("workspace:decision_edit", args=[member.slug, partnership.pk, decision.pk])


def agreement_new_url(member, partnership) -> str:
    return reverse("workspace:agreement_new", args=[member.slug, partnership.pk])


def agreement_edit_url(member, partnership, agreement) -> str:
    return reverse("workspace:agreement_edit", args=[member.slug, partnership.pk, agreement.pk])


def decision_data(**changes) -> dict:
    data = {
        "number": "2025-042",
        "date": "12/05/2025",
        "body": "council",
        "subject": "Approuve la convention-cadre avec Kragujevac",
        "transmitted_on": "15/05/2025",
        "enforceable_on": "16/05/2025",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def agreement_data(**changes) -> dict:
    data = {
        "kind": "framework_convention",
        "title__fr": "Convention-cadre 2025-2027",
        "title__en": "",
        "object": "Écoles et état civil",
        "forecast_commitment": "30 000 €",
        "signatories": "Les deux maires",
        "starts_on": "01/06/2025",
        "ends_on": "31/05/2027",
        "council_decision": "",
        "signed_on": "",
        "transmitted_on": "",
        "state_case": "",
        "prefect_authorised_on": "",
        "legal_basis": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def decision_form_data(decision, **changes) -> dict:
    data = decision_data(
        number=decision.number,
        date=decision.date.strftime("%d/%m/%Y"),
        body=decision.body,
        subject=decision.subject,
        transmitted_on=decision.transmitted_on.strftime("%d/%m/%Y")
        if decision.transmitted_on
        else "",
        enforceable_on=decision.enforceable_on.strftime("%d/%m/%Y")
        if decision.enforceable_on
        else "",
        version=decision.version,
    )
    data.update(changes)
    return data


def agreement_form_data(agreement, **changes) -> dict:
    data = agreement_data(
        kind=agreement.kind,
        title__fr=agreement.title.get("fr", ""),
        object=agreement.object,
        forecast_commitment=str(agreement.forecast_commitment or ""),
        signatories=agreement.signatories,
        starts_on=agreement.starts_on.strftime("%d/%m/%Y") if agreement.starts_on else "",
        ends_on=agreement.ends_on.strftime("%d/%m/%Y") if agreement.ends_on else "",
        version=agreement.version,
    )
    for name in ("council_decision", "signed_on", "transmitted_on"):
        data.pop(name)
    data.update(changes)
    return data


# --- Council decisions ------------------------------------------------------------------------


def test_an_officer_records_a_council_decision_as_officers_write_it(
    client, officer_a, city_a, partnership
):
    client.force_login(officer_a)
    assert client.get(decision_new_url(city_a, partnership)).status_code == 200
    response = client.post(decision_new_url(city_a, partnership), decision_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == page_url(city_a, partnership) + "#steps-title"
    decision = CouncilDecision.objects.get(authority=city_a)
    assert decision.number == "2025-042"
    assert decision.date == datetime.date(2025, 5, 12)
    assert decision.enforceable_on == datetime.date(2025, 5, 16)
    assert decision.version == 1
    assert AuditEntry.objects.filter(
        verb="council decision saved", object_id=str(decision.pk)
    ).exists()


def test_an_officer_corrects_a_decision_and_records_its_enforceability(
    client, officer_a, city_a, partnership
):
    decision = CouncilDecisionFactory(authority=city_a, transmitted_on=None, enforceable_on=None)
    client.force_login(officer_a)
    url = decision_edit_url(city_a, partnership, decision)
    before = decision.version
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        decision_form_data(
            decision, transmitted_on="05/03/2026", enforceable_on="06/03/2026", number="D-7"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    decision.refresh_from_db()
    assert (decision.number, decision.enforceable_on) == ("D-7", datetime.date(2026, 3, 6))
    assert decision.version == before + 1
    assert AuditEntry.objects.filter(
        verb="council decision saved", object_id=str(decision.pk)
    ).exists()


def test_a_decision_page_opened_before_a_colleagues_change_is_refused(
    client, officer_a, city_a, partnership
):
    decision = CouncilDecisionFactory(authority=city_a)
    client.force_login(officer_a)
    seen = decision_form_data(decision)
    CouncilDecision.objects.filter(pk=decision.pk).update(version=decision.version + 1)
    response = client.post(
        decision_edit_url(city_a, partnership, decision), {**seen, "number": "CHANGED"}
    )
    assert response.status_code == 400
    assert "changed" in response.text.lower()
    decision.refresh_from_db()
    assert decision.number != "CHANGED"


def test_a_date_that_does_not_exist_is_refused_and_nothing_written(
    client, officer_a, city_a, partnership
):
    client.force_login(officer_a)
    response = client.post(decision_new_url(city_a, partnership), decision_data(date="31/02/2025"))
    assert response.status_code == 400
    assert "31/02/2025" in response.text
    assert 'aria-invalid="true"' in response.text
    assert not CouncilDecision.objects.exists()


def test_a_decision_enforceable_before_its_transmission_is_refused(
    client, officer_a, city_a, partnership
):
    client.force_login(officer_a)
    response = client.post(
        decision_new_url(city_a, partnership),
        decision_data(transmitted_on="20/05/2025", enforceable_on="16/05/2025"),
    )
    assert response.status_code == 400
    assert escape("cannot be enforceable before it was transmitted") in response.text
    assert not CouncilDecision.objects.exists()


def test_a_number_already_used_says_so(client, officer_a, city_a, partnership):
    CouncilDecisionFactory(authority=city_a, number="2025-042")
    client.force_login(officer_a)
    response = client.post(decision_new_url(city_a, partnership), decision_data())
    assert response.status_code == 400
    assert "already has a council decision with this number" in response.text
    assert CouncilDecision.objects.count() == 1


# --- Agreements -----------------------------------------------------------------------------


def test_an_officer_records_a_draft_agreement(client, officer_a, city_a, partnership):
    client.force_login(officer_a)
    assert client.get(agreement_new_url(city_a, partnership)).status_code == 200
    response = client.post(agreement_new_url(city_a, partnership), agreement_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = Agreement.objects.get(partnership=partnership)
    assert response["Location"] == page_url(city_a, partnership) + f"#agreement-{agreement.pk}"
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.forecast_commitment == Decimal("30000.00")
    assert agreement.currency == "EUR"
    assert agreement.ends_on == datetime.date(2027, 5, 31)
    assert AuditEntry.objects.filter(verb="agreement saved", object_id=str(agreement.pk)).exists()
    # Its next step waits on the partnership's page.
    page = client.get(page_url(city_a, partnership)).text
    assert escape("Record the council's approval") in page


def test_an_act_signed_years_ago_is_recorded_through_its_steps(
    client, officer_a, city_a, partnership
):
    decision = CouncilDecisionFactory(authority=city_a, number="2018-12")  # enforceable 05/03/2026
    client.force_login(officer_a)
    response = client.post(
        agreement_new_url(city_a, partnership),
        agreement_data(
            council_decision=decision.pk,
            signed_on="10/03/2026",
            transmitted_on="12/03/2026",
            starts_on="",
            ends_on="",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = Agreement.objects.get(partnership=partnership)
    assert agreement.status == Agreement.Status.ENFORCEABLE
    assert agreement.council_decision == decision
    verbs = set(
        AuditEntry.objects.filter(object_id=str(agreement.pk)).values_list("verb", flat=True)
    )
    assert {"agreement approved", "agreement signed", "agreement transmitted to the prefect"} <= (
        verbs
    )


def test_an_act_signed_before_its_decision_is_enforceable_is_refused_whole(
    client, officer_a, city_a, partnership
):
    decision = CouncilDecisionFactory(authority=city_a)  # enforceable on 5 March 2026
    client.force_login(officer_a)
    response = client.post(
        agreement_new_url(city_a, partnership),
        agreement_data(council_decision=decision.pk, signed_on="01/03/2026"),
    )
    assert response.status_code == 400
    assert "became enforceable only on" in response.text
    assert 'id="id_signed_on-error"' in response.text  # on the signature date's field
    assert 'class="ws-error-summary"' in response.text
    assert not Agreement.objects.exists()  # not even the draft
    assert not AuditEntry.objects.filter(model="agreements.agreement").exists()


def test_a_signature_without_its_decision_is_refused(client, officer_a, city_a, partnership):
    client.force_login(officer_a)
    response = client.post(
        agreement_new_url(city_a, partnership), agreement_data(signed_on="01/03/2025")
    )
    assert response.status_code == 400
    assert "Choose the council decision that approved this agreement" in response.text
    assert not Agreement.objects.exists()


def test_a_convention_without_its_forecast_amount_is_refused(
    client, officer_a, city_a, partnership
):
    client.force_login(officer_a)
    response = client.post(
        agreement_new_url(city_a, partnership), agreement_data(forecast_commitment="")
    )
    assert response.status_code == 400
    assert "CGCT L1115-1" in response.text
    assert not Agreement.objects.exists()


def test_the_approval_offers_only_the_authoritys_decisions(
    client, officer_a, city_a, city_b, partnership
):
    theirs = CouncilDecisionFactory(authority=city_b, number="THEIRS-1")
    client.force_login(officer_a)
    assert "THEIRS-1" not in client.get(agreement_new_url(city_a, partnership)).text
    response = client.post(
        agreement_new_url(city_a, partnership), agreement_data(council_decision=theirs.pk)
    )
    assert response.status_code == 400
    assert not Agreement.objects.exists()


def test_an_officer_corrects_an_agreement_its_status_unchanged(
    client, officer_a, city_a, partnership
):
    agreement = AgreementFactory(partnership=partnership, signed=True)
    client.force_login(officer_a)
    url = agreement_edit_url(city_a, partnership, agreement)
    page = client.get(url).text
    assert 'name="signed_on"' not in page and 'name="status"' not in page
    response = client.post(
        url,
        agreement_form_data(
            agreement, ends_on="31/12/2030", status="terminated", title__fr="Convention corrigée"
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement.refresh_from_db()
    assert agreement.ends_on == datetime.date(2030, 12, 31)
    assert agreement.title["fr"] == "Convention corrigée"
    assert agreement.status == Agreement.Status.SIGNED  # only the steps change it
    assert AuditEntry.objects.filter(verb="agreement saved", object_id=str(agreement.pk)).exists()


def test_an_agreement_page_opened_before_a_step_is_refused(client, officer_a, city_a, partnership):
    agreement = AgreementFactory(partnership=partnership, approved=True)
    client.force_login(officer_a)
    seen = agreement_form_data(agreement, title__fr="Changed")
    Agreement.objects.filter(pk=agreement.pk).update(version=agreement.version + 1)
    response = client.post(agreement_edit_url(city_a, partnership, agreement), seen)
    assert response.status_code == 400
    agreement.refresh_from_db()
    assert agreement.title["fr"] != "Changed"


def test_an_end_before_the_start_is_refused(client, officer_a, city_a, partnership):
    agreement = AgreementFactory(partnership=partnership)
    before = agreement.version
    client.force_login(officer_a)
    response = client.post(
        agreement_edit_url(city_a, partnership, agreement),
        agreement_form_data(agreement, starts_on="01/06/2025", ends_on="31/02/2025"),
    )
    assert response.status_code == 400
    assert "31/02/2025" in response.text
    response = client.post(
        agreement_edit_url(city_a, partnership, agreement),
        agreement_form_data(agreement, starts_on="01/06/2025", ends_on="01/01/2025"),
    )
    assert response.status_code == 400
    assert "ends before it starts" in response.text
    agreement.refresh_from_db()
    assert agreement.ends_on is None
    assert agreement.version == before


# --- Who may -----------------------------------------------------------------------------------


def test_another_authoritys_officer_finds_nothing_and_writes_nothing(
    client, officer_b, city_a, partnership
):
    decision = CouncilDecisionFactory(authority=city_a)
    agreement = AgreementFactory(partnership=partnership)
    client.force_login(officer_b)
    urls = [
        decision_new_url(city_a, partnership),
        decision_edit_url(city_a, partnership, decision),
        agreement_new_url(city_a, partnership),
        agreement_edit_url(city_a, partnership, agreement),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(urls[0], decision_data(number="B-1")).status_code == 404
    assert client.post(urls[1], decision_form_data(decision, number="B-2")).status_code == 404
    assert client.post(urls[2], agreement_data()).status_code == 404
    assert (
        client.post(urls[3], agreement_form_data(agreement, title__fr="Hacked")).status_code == 404
    )
    assert set(CouncilDecision.objects.values_list("number", flat=True)) == {decision.number}
    assert Agreement.objects.count() == 1
    agreement.refresh_from_db()
    assert agreement.title["fr"] != "Hacked"


def test_a_decision_of_another_authority_is_not_found_through_ones_own_partnership(
    client, officer_a, city_a, city_b, partnership
):
    theirs = CouncilDecisionFactory(authority=city_b)
    client.force_login(officer_a)
    assert client.get(decision_edit_url(city_a, partnership, theirs)).status_code == 404


def test_a_viewer_reads_the_acts_but_cannot_write_them(client, viewer_a, city_a, partnership):
    agreement = AgreementFactory(partnership=partnership, approved=True)
    decision = agreement.council_decision
    client.force_login(viewer_a)
    page = client.get(page_url(city_a, partnership)).text
    assert agreement.council_decision.number in page
    assert agreement_new_url(city_a, partnership) not in page
    assert agreement_edit_url(city_a, partnership, agreement) not in page
    assert f'href="#agreement-{agreement.pk}"' in page  # the timeline leads to the act's line
    urls = [
        decision_new_url(city_a, partnership),
        decision_edit_url(city_a, partnership, decision),
        agreement_new_url(city_a, partnership),
        agreement_edit_url(city_a, partnership, agreement),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(urls[0], decision_data(number="V-1")).status_code == 403
    assert client.post(urls[1], decision_form_data(decision, number="V-2")).status_code == 403
    assert client.post(urls[3], agreement_form_data(agreement, title__fr="V")).status_code == 403
    assert not CouncilDecision.objects.filter(number__startswith="V-").exists()
    agreement.refresh_from_db()
    assert agreement.title["fr"] != "V"


def test_a_contributor_cannot_record_an_act(client, contributor_a, city_a, partnership):
    client.force_login(contributor_a)
    assert client.post(agreement_new_url(city_a, partnership), agreement_data()).status_code == 403
    assert not Agreement.objects.exists()


# --- Links: the timeline and the home ----------------------------------------------------------


def test_the_timeline_leads_an_officer_to_the_acts_forms_not_the_admin(
    client, officer_a, city_a, partnership
):
    agreement = AgreementFactory(partnership=partnership, in_force=True)
    client.force_login(officer_a)
    response = client.get(page_url(city_a, partnership))
    urls = {event.url for event in response.context["page"].timeline}
    assert decision_edit_url(city_a, partnership, agreement.council_decision) in urls
    assert agreement_edit_url(city_a, partnership, agreement) in urls
    assert "/admin/agreements/" not in response.text
    assert agreement_new_url(city_a, partnership) in response.text
    assert decision_new_url(city_a, partnership) in response.text


def test_the_homes_to_do_leads_to_the_decision_form_and_leaves_once_fixed(
    client, officer_a, city_a, partnership
):
    decision = CouncilDecisionFactory(
        authority=city_a, number="DEL-41", transmitted_on=None, enforceable_on=None
    )
    AgreementFactory(partnership=partnership, approved=True, council_decision=decision)
    client.force_login(officer_a)
    home = reverse("workspace:home", args=[city_a.slug])
    todo = "Record when council decision DEL-41 became enforceable"
    page = client.get(home).text
    assert todo in page
    url = decision_edit_url(city_a, partnership, decision)
    assert f'href="{url}"' in page
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="enforceable_on"' in form.text
    response = client.post(
        url, decision_form_data(decision, transmitted_on="02/03/2026", enforceable_on="03/03/2026")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(home).text
    assert todo not in page
    assert "Sign “" in page  # its act may be signed now


def test_the_homes_expiring_act_leads_to_its_form(client, officer_a, city_a, partnership):
    from django.utils import timezone

    soon = timezone.localdate() + datetime.timedelta(days=30)
    agreement = AgreementFactory(partnership=partnership, in_force=True, ends_on=soon)
    client.force_login(officer_a)
    page = client.get(reverse("workspace:home", args=[city_a.slug])).text
    assert f'href="{agreement_edit_url(city_a, partnership, agreement)}"' in page


def test_french_addresses_and_wording_come_from_the_catalogue(
    client, officer_a, city_a, partnership, french
):
    client.force_login(officer_a)
    with translation.override("fr"):
        url = decision_new_url(city_a, partnership)
        title = translation.gettext("Record a council decision")
        assert title != "Record a council decision"
    assert url.startswith("/espace/")
    assert "/deliberations/" in url
    response = client.get(url)
    assert response.status_code == 200
    assert escape(title) in response.text


# --- Queries --------------------------------------------------------------------------------------


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_partnership_page_costs_the_same_with_more_acts(client, officer_a, city_a, partnership):
    AgreementFactory(partnership=partnership, in_force=True)
    AgreementFactory(partnership=partnership)
    client.force_login(officer_a)
    url = page_url(city_a, partnership)
    _count_queries(client, url)  # the session's first reads
    small = _count_queries(client, url)
    for n in range(8):
        AgreementFactory(partnership=partnership, in_force=True, title={"fr": f"Acte {n}"})
        AgreementFactory(partnership=partnership, approved=True, title={"fr": f"Projet {n}"})
        CouncilDecisionFactory(authority=city_a)
    assert _count_queries(client, url) == small


def test_the_agreement_form_costs_the_same_with_more_decisions(
    client, officer_a, city_a, partnership
):
    CouncilDecisionFactory(authority=city_a)
    client.force_login(officer_a)
    url = agreement_new_url(city_a, partnership)
    _count_queries(client, url)
    small = _count_queries(client, url)
    for _n in range(10):
        CouncilDecisionFactory(authority=city_a)
    assert _count_queries(client, url) == small
