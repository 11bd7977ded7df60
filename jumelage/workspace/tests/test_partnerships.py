"""The workspace's partnership pages: the list, one partnership's timeline, key figures and Atlas
sheet, and the next legal step of its acts posted to the agreements' step service. Another
authority's partnerships are not found; a viewer sees no step button; a stale page is refused;
queries do not grow with the data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jumelage.actors.tests.factories import (
    ActorFactory,
    MissionFactory,
    PersonFactory,
    ProjectActorFactory,
)
from jumelage.agreements.models import Agreement
from jumelage.agreements.tests.factories import AgreementFactory, CouncilDecisionFactory
from jumelage.content.tests.factories import NewsItemFactory
from jumelage.partners.models import Partnership
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.projects.models import Project
from jumelage.projects.tests.factories import (
    ExpenseLineFactory,
    FinancingPlanFactory,
    FunderFactory,
    ProjectFactory,
    ResourceLineFactory,
)
from jumelage.visits.tests.factories import ParticipantFactory, VisitFactory

pytestmark = pytest.mark.django_db


def page_url(member, partnership) -> str:
    return reverse("workspace:partnership", args=[member.slug, partnership.pk])


def step_url(member, agreement) -> str:
    return reverse(
        "workspace:agreement_step", args=[member.slug, agreement.partnership_id, agreement.pk]
    )


def cap_haitien(member, n: int = 0) -> Partnership:
    """A partnership with one of each thing its page shows (`n` makes names unique)."""
    partnership = PartnershipFactory(
        authority=member,
        partner=ForeignAuthorityFactory(name=f"Cap-Haïtien {n}"),
        started_year=1998,
    )
    AgreementFactory(
        partnership=partnership,
        in_force=True,
        title={"en": f"Framework convention {n}"},
        forecast_commitment="30000.00",
    )
    AgreementFactory(partnership=partnership, title={"en": f"Renewal {n}"})  # a draft
    project: Project = ProjectFactory(
        authority=member,
        slug=f"civil-registry-{n}",
        title={"en": f"Civil registry {n}"},
        planned_start=datetime.date(2025, 1, 1),
    )
    project.partnerships.add(partnership)
    plan = FinancingPlanFactory(project=project, status="adopted")
    ExpenseLineFactory(plan=plan, amount="40000.00")
    ResourceLineFactory(plan=plan, amount="10000.00")
    ResourceLineFactory(
        plan=plan, is_own=False, funder=FunderFactory(), amount="30000.00", status="granted"
    )
    visit = VisitFactory(
        authority=member,
        partnership=partnership,
        title={"en": f"Mayors' visit {n}"},
        starts_on=datetime.date(2025, 6, 2),
        ends_on=datetime.date(2025, 6, 6),
    )
    ParticipantFactory(visit=visit, name="Guest one")
    ParticipantFactory(visit=visit, name="Guest two")
    NewsItemFactory(
        authority=member,
        partnership=partnership,
        title={"en": f"Schools twinned {n}"},
        published_on=datetime.date(2025, 9, 1),
    )
    actor = ActorFactory(authority=member)
    ProjectActorFactory(project=project, actor=actor)
    MissionFactory(person=PersonFactory(authority=member), project=project, days=Decimal("4"))
    return partnership


# --- Reading ----------------------------------------------------------------------------------


def test_the_list_shows_the_authoritys_partnerships_only(client, officer_a, city_a, city_b):
    cap_haitien(city_a)
    PartnershipFactory(authority=city_b, partner=ForeignAuthorityFactory(name="Other town"))
    client.force_login(officer_a)
    response = client.get(reverse("workspace:partnerships", args=[city_a.slug]))
    assert response.status_code == 200
    assert "Cap-Haïtien 0" in response.text
    assert "Other town" not in response.text


def test_the_page_gathers_the_timeline_in_date_order(client, officer_a, city_a):
    partnership = cap_haitien(city_a)
    client.force_login(officer_a)
    response = client.get(page_url(city_a, partnership))
    assert response.status_code == 200
    timeline = [event.what for event in response.context["page"].timeline]
    decision = Agreement.objects.get(title__en="Framework convention 0").council_decision
    assert timeline == [
        "The partnership begins: decentralised cooperation with Cap-Haïtien 0",
        "Project “Civil registry 0” starts",
        "Mayors' visit 0",
        "Schools twinned 0",
        f"Council decision {decision.number} approves “Framework convention 0”",
        "First signature: “Framework convention 0”",
        "“Framework convention 0” in force, transmitted to the prefect",
    ]
    days = [event.on for event in response.context["page"].timeline]
    assert days == sorted(days)


def test_the_key_figures_read_the_budgets_in_force_and_the_leverage(client, officer_a, city_a):
    partnership = cap_haitien(city_a)
    draft_plan = FinancingPlanFactory(
        project=partnership.projects.get(), status="draft", title="Draft"
    )
    ResourceLineFactory(plan=draft_plan, amount="99999.00")  # a draft is no budget
    client.force_login(officer_a)
    figures = client.get(page_url(city_a, partnership)).context["page"].figures
    assert figures.commitments == {"EUR": Decimal("30000.00")}  # the act in force only
    [budget] = figures.budgets
    assert budget.own_contribution == Decimal("10000.00")
    assert budget.external_cofinancing == Decimal("30000.00")
    assert budget.leverage == Decimal("3.00")  # PlanSummary's one definition
    assert (figures.projects, figures.visits, figures.delegates) == (1, 1, 2)
    assert (figures.people.actors, figures.people.volunteers) == (1, 1)


def test_the_page_shows_the_atlas_sheet(client, officer_a, city_a):
    partnership = cap_haitien(city_a)
    client.force_login(officer_a)
    response = client.get(page_url(city_a, partnership))
    page = response.context["page"]
    assert page.sheet.pk == partnership.pk
    assert page.sheet.first_signature_year == 2026
    assert page.sheet_gaps == ["theme"]
    assert "The sheet has no main Atlas theme." in response.text


def test_another_authoritys_partnership_is_not_found(client, officer_b, city_a, city_b):
    partnership = cap_haitien(city_a)
    agreement = partnership.agreements.get(status=Agreement.Status.DRAFT)
    client.force_login(officer_b)
    assert client.get(page_url(city_a, partnership)).status_code == 404
    # Nor through the other authority's own address.
    assert client.get(page_url(city_b, partnership)).status_code == 404
    assert client.get(step_url(city_b, agreement)).status_code == 404
    response = client.post(step_url(city_b, agreement), {"step": "approve", "version": 1})
    assert response.status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT


def test_the_menu_leads_to_the_partnerships(client, officer_a, city_a):
    client.force_login(officer_a)
    response = client.get(reverse("workspace:home", args=[city_a.slug]))
    assert reverse("workspace:partnerships", args=[city_a.slug]) in response.text
    assert reverse("admin:partners_partnership_changelist") not in response.text


def test_french_addresses_use_french_words(client, officer_a, city_a, french):
    partnership = cap_haitien(city_a)
    assert page_url(city_a, partnership) == f"/espace/ville-a/partenariats/{partnership.pk}/"


# --- The next legal step ------------------------------------------------------------------------


def test_an_officer_signs_an_approved_act_from_the_page(client, officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    client.force_login(officer_a)
    page = client.get(page_url(city_a, agreement.partnership))
    assert "Record the signature" in page.text
    response = client.post(
        step_url(city_a, agreement),
        {
            "step": "sign",
            "version": agreement.version,
            "signed_on": "10/03/2026",
            "signatories": "The mayor",
        },
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.signed_on == datetime.date(2026, 3, 10)
    followed = client.get(response.url)
    assert "Done: record the signature" in followed.text


def test_a_refused_step_says_why_and_writes_nothing(client, officer_a, city_a):
    decision = CouncilDecisionFactory(
        authority=city_a, enforceable_on=datetime.date(2026, 3, 20), transmitted_on=None
    )
    agreement = AgreementFactory(
        partnership__authority=city_a,
        status=Agreement.Status.APPROVED,
        council_decision=decision,
    )
    client.force_login(officer_a)
    response = client.post(
        step_url(city_a, agreement),
        {"step": "sign", "version": agreement.version, "signed_on": "10/03/2026"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert response.context["form"].errors
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.APPROVED
    assert agreement.signed_on is None


def test_a_date_that_cannot_be_read_is_a_form_error(client, officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    client.force_login(officer_a)
    response = client.post(
        step_url(city_a, agreement),
        {"step": "sign", "version": agreement.version, "signed_on": "31/02/2026"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "signed_on" in form.errors
    assert 'aria-invalid="true"' in response.text
    assert f'aria-describedby="{form["signed_on"].auto_id}-error"' in response.text
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.APPROVED


def test_a_stale_page_is_refused(client, officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    seen = agreement.version
    Agreement.objects.filter(pk=agreement.pk).update(version=seen + 1)  # someone else's edit
    client.force_login(officer_a)
    response = client.post(
        step_url(city_a, agreement), {"step": "sign", "version": seen, "signed_on": "10/03/2026"}
    )
    assert response.status_code == 200
    assert "Someone else changed this record" in response.text
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.APPROVED


def test_a_step_taken_meanwhile_refuses_the_form_of_the_old_step(client, officer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, signed=True)
    client.force_login(officer_a)
    response = client.post(
        step_url(city_a, agreement),
        {"step": "sign", "version": agreement.version, "signed_on": "10/03/2026"},
        follow=True,
    )
    assert "Someone else changed this record" in response.text
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED


def test_a_viewer_sees_no_step_button_and_cannot_post_one(client, viewer_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    client.force_login(viewer_a)
    page = client.get(page_url(city_a, agreement.partnership))
    assert page.status_code == 200
    assert step_url(city_a, agreement) not in page.text
    assert "An officer of the authority records it." in page.text
    response = client.post(
        step_url(city_a, agreement),
        {"step": "sign", "version": agreement.version, "signed_on": "10/03/2026"},
    )
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.APPROVED


def test_a_contributor_sees_no_step_button(client, contributor_a, city_a):
    agreement = AgreementFactory(partnership__authority=city_a, approved=True)
    client.force_login(contributor_a)
    page = client.get(page_url(city_a, agreement.partnership))
    assert step_url(city_a, agreement) not in page.text


def test_the_approval_offers_the_authoritys_own_decisions(client, officer_a, city_a, city_b):
    agreement = AgreementFactory(partnership__authority=city_a)
    own = CouncilDecisionFactory(authority=city_a, number="A-1")
    other = CouncilDecisionFactory(authority=city_b, number="B-1")
    client.force_login(officer_a)
    page = client.get(page_url(city_a, agreement.partnership))
    assert "A-1" in page.text and "B-1" not in page.text
    # A tampered form naming the other authority's decision is refused.
    response = client.post(
        step_url(city_a, agreement),
        {"step": "approve", "version": agreement.version, "council_decision": other.pk},
    )
    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.DRAFT
    client.post(
        step_url(city_a, agreement),
        {"step": "approve", "version": agreement.version, "council_decision": own.pk},
    )
    agreement.refresh_from_db()
    assert agreement.council_decision_id == own.pk


# --- Queries --------------------------------------------------------------------------------------


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_with_more_records(client, officer_a, city_a):
    partnership = cap_haitien(city_a)
    client.force_login(officer_a)
    url = page_url(city_a, partnership)
    _count_queries(client, url)  # the session's first reads
    small = _count_queries(client, url)
    for n in range(1, 10):
        AgreementFactory(partnership=partnership, approved=True, title={"en": f"More {n}"})
        VisitFactory(authority=city_a, partnership=partnership, starts_on=datetime.date(2025, n, 1))
        NewsItemFactory(authority=city_a, partnership=partnership)
        project = ProjectFactory(authority=city_a, slug=f"more-{n}")
        project.partnerships.add(partnership)
        FinancingPlanFactory(project=project, status="adopted")
    assert _count_queries(client, url) == small


def test_the_list_costs_the_same_queries_with_more_partnerships(client, officer_a, city_a):
    cap_haitien(city_a, 0)
    client.force_login(officer_a)
    url = reverse("workspace:partnerships", args=[city_a.slug])
    _count_queries(client, url)
    small = _count_queries(client, url)
    for n in range(1, 20):
        PartnershipFactory(authority=city_a, partner=ForeignAuthorityFactory(name=f"Town {n}"))
    assert _count_queries(client, url) == small
