"""The workspace's project pages, read only: the list of the authority's projects, and one
project with its publishing state, money, payments, applications, results, actors, documents
and history. Another authority's projects are not found; queries do not grow with the data."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jumelage.actors.tests.factories import (
    ActorFactory,
    MissionFactory,
    PersonFactory,
    ProjectActorFactory,
)
from jumelage.audit.tests.factories import AuditEntryFactory
from jumelage.content.tests.factories import DocumentFactory
from jumelage.core.tests.factories import CodelistItemFactory, ExchangeRateFactory
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.projects.models import Project
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    CallFactory,
    ExpenseLineFactory,
    FinancingPlanFactory,
    FunderFactory,
    IndicatorFactory,
    IndicatorPeriodFactory,
    InstalmentFactory,
    ProjectFactory,
    ReportDueFactory,
    ResourceLineFactory,
    ResultFactory,
    TransactionFactory,
)

pytestmark = pytest.mark.django_db


def call_funder():
    return FunderFactory(name="Ministère", acronym="MEAE")


def filled_project(member, n: int = 0) -> Project:
    """A project with one of each part its page shows."""
    project: Project = ProjectFactory(
        authority=member,
        slug=f"water-{n}",
        title={"en": f"Water {n}", "fr": f"Eau {n}"},
        summary={"en": "Drinking water for the schools."},
        is_public=True,
    )
    project.partnerships.add(
        PartnershipFactory(authority=member, partner=ForeignAuthorityFactory(name=f"Town {n}"))
    )
    plan = FinancingPlanFactory(project=project, status="adopted", title=f"Plan {n}")
    ExpenseLineFactory(plan=plan, amount="40000.00")
    ResourceLineFactory(plan=plan, amount="10000.00")
    ResourceLineFactory(
        plan=plan, is_own=False, funder=call_funder(), amount="30000.00", status="granted"
    )
    TransactionFactory(
        project=project,
        date=datetime.date(2025, 5, 12),
        amount="3870.40",
        description=f"Pumps {n}",
        receiver="Commune de Cap-Haïtien",
    )
    call = CallFactory(funder=call_funder(), title="Call")
    application = ApplicationFactory(project=project, call=call, amount_requested="30000.00")
    InstalmentFactory(application=application, rank=1, due_on=datetime.date(2026, 6, 30))
    ReportDueFactory(application=application, kind="final", due_on=datetime.date(2027, 3, 31))
    indicator = IndicatorFactory(
        result=ResultFactory(project=project, title={"en": f"Schools served {n}"}),
        title={"en": "Number of schools"},
    )
    IndicatorPeriodFactory(indicator=indicator, target_value=20, actual_value=14)
    ProjectActorFactory(project=project, actor=ActorFactory(authority=member, name=f"Club {n}"))
    MissionFactory(
        person=PersonFactory(authority=member), project=project, days="2.5", description="Survey"
    )
    DocumentFactory(authority=member, project=project, title={"en": f"Report {n}"})
    AuditEntryFactory(
        authority=member,
        model="projects.project",
        object_id=str(project.pk),
        object_repr=f"Water {n}",
        verb="project published",
    )
    return project


def test_the_list_shows_the_authoritys_projects_and_links_each_page(
    client, city_a, city_b, officer_a
):
    mine = filled_project(city_a)
    ProjectFactory(authority=city_b, title={"en": "Secret of B"})
    client.force_login(officer_a)
    page = client.get("/en/workspace/ville-a/projects/").content.decode()
    assert f'href="/en/workspace/ville-a/projects/{mine.pk}/">Water 0</a>' in page
    assert "Secret of B" not in page
    assert '<a href="/en/workspace/ville-a/projects/" aria-current="page">Projects</a>' in page


def test_the_project_page_shows_each_part_of_the_project(client, city_a, officer_a):
    CodelistItemFactory(codelist="TransactionType", code="3", name_en="Disbursement")
    project = filled_project(city_a)
    client.force_login(officer_a)
    page = client.get(f"/en/workspace/ville-a/projects/{project.pk}/").content.decode()

    assert "<h1>Water 0</h1>" in page
    assert 'href="/en/ville-a/projects/water-0/"' in page  # its public page
    assert "Drinking water for the schools." in page
    assert "Town 0" in page
    assert "Plan 0" in page and "€40,000.00" in page and "25%" in page and "3.00" in page
    assert "balanced" in page
    assert "Disbursement" in page and "€3,870.40" in page and "Pumps 0" in page
    assert "Requested €30,000.00; being written." in page
    assert '<th scope="row">Final report</th>' in page and "not sent yet" in page
    assert '<th scope="row">Instalment 1</th>' in page and "not received yet" in page
    assert "Schools served 0" in page and "Number of schools" in page
    assert "Club 0" in page and "Survey (days given: 2.5)" in page
    assert "Report 0" in page
    assert "Project published:" in page
    assert f'href="/en/workspace/ville-a/projects/{project.pk}/edit/"' in page


def test_an_unpublished_project_says_so_and_offers_no_public_page(client, city_a, officer_a):
    project = ProjectFactory(authority=city_a, slug="secret", is_public=False)
    client.force_login(officer_a)
    page = client.get(f"/en/workspace/ville-a/projects/{project.pk}/").content.decode()
    assert "Only the members of the authority see it." in page
    assert "/en/ville-a/projects/secret/" not in page


def test_a_viewer_reads_the_project_but_is_not_offered_to_edit(client, city_a, viewer_a):
    project = filled_project(city_a)
    client.force_login(viewer_a)
    page = client.get(f"/en/workspace/ville-a/projects/{project.pk}/").content.decode()
    assert "Water 0" in page
    assert "Edit the summary and publishing" not in page


def test_another_authoritys_project_is_not_found(client, city_a, city_b, officer_b):
    project = filled_project(city_a)
    other = ProjectFactory(authority=city_b)
    client.force_login(officer_b)
    assert client.get(f"/en/workspace/ville-a/projects/{project.pk}/").status_code == 404
    assert client.get("/en/workspace/ville-a/projects/").status_code == 404
    # Under its own authority's address, a project of another authority does not exist either.
    assert client.get(f"/en/workspace/ville-b/projects/{project.pk}/").status_code == 404
    assert client.get(f"/en/workspace/ville-b/projects/{other.pk}/").status_code == 200


def test_an_oversized_project_id_is_not_found(client, city_a, officer_a):
    client.force_login(officer_a)
    assert client.get(f"/en/workspace/ville-a/projects/{'9' * 30}/").status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_project_pages_cost_the_same_queries_whatever_the_data(
    client, city_a, officer_a, django_assert_num_queries
):
    client.force_login(officer_a)
    project = filled_project(city_a)
    url = f"/en/workspace/ville-a/projects/{project.pk}/"
    client.get("/en/workspace/ville-a/")  # the session learns the authority opened last
    one_page, one_list = _queries(client, url), _queries(client, "/en/workspace/ville-a/projects/")

    for n in range(1, 4):
        filled_project(city_a, n)
        # More of each part on the same project.
        TransactionFactory(project=project, amount="10.00")
        DocumentFactory(authority=city_a, project=project)
        ProjectActorFactory(project=project, actor=ActorFactory(authority=city_a))
        ResultFactory(project=project)
        ApplicationFactory(project=project)
        FinancingPlanFactory(project=project)

    # Pinned: session and user, the seat (2), the project with its sectors, countries and
    # partnerships (4), whether it is published, plans and those in force (2), payments and
    # their type names (2), applications with instalments and reports (3), results with
    # indicators and periods (3), the latest reported values and the user's roles (2),
    # actors, missions, documents and which of them are published (2), history; for an
    # officer, the calls to apply to and the usual ones (2), the contributors assigned and
    # those to assign (2), the partner towns' languages (the document form's title) and the
    # IATI document categories (its kind of document, one query for the whole list).
    with django_assert_num_queries(one_page):
        client.get(url)
    assert one_page == 32
    with django_assert_num_queries(one_list):
        client.get("/en/workspace/ville-a/projects/")
    assert one_list == 7  # and the user's roles, for the "New project" button


def test_a_project_page_costs_no_more_queries_than_a_full_one_whatever_its_shape(
    client, city_a, officer_a
):
    """A project with every part, paid partly in dollars, runs the most queries (the
    exchange rates, each part's prefetch); a bare one runs fewer (Django runs no prefetch for
    no rows), one paid in dollars without other parts too. The bound is what is pinned: no
    shape costs more than the full project, whatever its rows."""
    ExchangeRateFactory(currency="USD", date=datetime.date(2025, 1, 2), rate="1.04")
    client.force_login(officer_a)
    client.get("/en/workspace/ville-a/")  # the session learns the authority opened last
    bare = ProjectFactory(authority=city_a, slug="bare", is_public=False)
    full = filled_project(city_a)
    TransactionFactory(project=full, currency="USD", amount="100.00", amount_eur=None)
    in_dollars = ProjectFactory(authority=city_a, slug="dollars")
    TransactionFactory(project=in_dollars, currency="USD", amount="100.00", amount_eur=None)
    counts = {
        project.slug: _queries(client, f"/en/workspace/ville-a/projects/{project.pk}/")
        for project in (bare, full, in_dollars)
    }
    assert counts[full.slug] == 33  # the 32 above and the exchange rates
    assert counts["bare"] < counts[full.slug] and counts["dollars"] < counts[full.slug]
    # More rows of every kind cost nothing more.
    for _ in range(3):
        TransactionFactory(project=full, currency="USD", amount="50.00", amount_eur=None)
    assert _queries(client, f"/en/workspace/ville-a/projects/{full.pk}/") == counts[full.slug]
