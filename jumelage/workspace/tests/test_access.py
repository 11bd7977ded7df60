"""Roles on the workspace: a member never sees another authority's records, viewers read only;
and the home costs the same number of queries whatever the amount of data behind it."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jumelage.accounts.models import Role
from jumelage.accounts.tests.factories import MembershipFactory
from jumelage.agreements.tests.factories import AgreementFactory, CouncilDecisionFactory
from jumelage.audit.tests.factories import AuditEntryFactory
from jumelage.core.tests.factories import CountryFactory, OdaEligibilityFactory
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.projects.models import Project
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    CallFactory,
    InstalmentFactory,
    ProjectCountryFactory,
    ProjectFactory,
    ReportDueFactory,
    TransactionFactory,
)
from jumelage.reporting.tests.factories import full_project
from jumelage.visits.models import Participant, Visit
from jumelage.visits.tests.factories import ParticipantFactory, VisitFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def add_todos(member, count: int, *, label: str = "A") -> None:
    """`count` more records of every kind the home lists, all of them to-dos."""
    year = timezone.localdate().year - 1
    OdaEligibilityFactory(year=year)
    for n in range(count):
        tag = f"{label}{n}"
        partnership = PartnershipFactory(
            authority=member,
            partner=ForeignAuthorityFactory(name=f"Town {tag}"),
            is_public=True,
        )
        AgreementFactory(partnership=partnership, title={"en": f"Draft {tag}"})
        undecided = CouncilDecisionFactory(authority=member, enforceable_on=None)
        AgreementFactory(partnership=partnership, approved=True, council_decision=undecided)
        AgreementFactory(partnership=partnership, approved=True, title={"en": f"Ready {tag}"})
        AgreementFactory(partnership=partnership, signed=True, title={"en": f"Signed {tag}"})
        AgreementFactory(partnership=partnership, in_force=True, ends_on=days(30))
        project = ProjectFactory(
            authority=member, is_public=True, summary={}, title={"en": f"Project {tag}"}
        )
        full_project(member)
        application = ApplicationFactory(project=project)
        ReportDueFactory(application=application, due_on=days(10))
        InstalmentFactory(application=application, due_on=days(-2))
        TransactionFactory(project=project, date=datetime.date(year, 3, 1), oda_category=None)
        TransactionFactory(project=project, date=datetime.date(year, 4, 1))
        visit = VisitFactory(
            authority=member,
            direction=Visit.Direction.OUTGOING,
            status=Visit.Status.CONFIRMED,
            starts_on=days(20),
            ends_on=days(25),
        )
        ParticipantFactory(visit=visit, role=Participant.Role.STAFF)
        ParticipantFactory(visit=visit, role=Participant.Role.ELECTED)
        AuditEntryFactory(authority=member, object_repr=f"Change {tag}")
        seeking = ProjectFactory(
            authority=member, status=Project.Status.FUNDING_SOUGHT, title={"en": f"Seeking {tag}"}
        )
        ProjectCountryFactory(project=seeking, country=CountryFactory(code="HT"))
        CallFactory(title=f"Call {tag}", opens_on=days(-10), closes_on=days(40))


def test_a_member_of_another_authority_sees_nothing_of_it(client, city_a, city_b, officer_b):
    add_todos(city_a, 2, label="A")
    client.force_login(officer_b)

    assert client.get("/en/workspace/ville-a/").status_code == 404
    page = client.get("/en/workspace/ville-b/").content.decode()
    for secret in ("Town A", "Draft A", "Ready A", "Signed A", "Project A", "Change A"):
        assert secret not in page, secret


def test_a_member_of_two_authorities_sees_each_apart(client, city_a, city_b, viewer_a):
    add_todos(city_a, 1, label="A")
    add_todos(city_b, 1, label="B")
    MembershipFactory(user=viewer_a, authority=city_b, role=Role.OFFICER)
    client.force_login(viewer_a)

    page_b = client.get("/en/workspace/ville-b/").content.decode()
    assert "Draft B0" in page_b and "Change B0" in page_b
    assert "Draft A0" not in page_b and "Change A0" not in page_b
    page_a = client.get("/en/workspace/ville-a/").content.decode()
    assert "Draft A0" in page_a and "Draft B0" not in page_a


@pytest.mark.parametrize(
    ("role", "payment", "news"),
    [
        (Role.VIEWER, False, False),
        (Role.CONTRIBUTOR, False, True),
        (Role.OFFICER, True, True),
        (Role.ADMIN, True, True),
    ],
)
def test_only_those_who_may_write_are_offered_to_add(client, city_a, role, payment, news):
    user = MembershipFactory(authority=city_a, role=role).user
    client.force_login(user)
    page = client.get("/en/workspace/ville-a/").content.decode()
    assert ("Add a payment" in page) is payment
    assert ("Add news" in page) is news


def test_a_viewer_reads_the_same_list_as_an_officer(client, city_a, viewer_a, officer_a):
    add_todos(city_a, 1)
    client.force_login(viewer_a)
    seen_by_viewer = client.get("/en/workspace/ville-a/").content.decode()
    assert "Have the council approve “Draft A0”" in seen_by_viewer
    assert "(viewer)" in seen_by_viewer


def queries(client, url: str) -> int:
    cache.clear()  # count a first visit (the IATI check's result is read from its row)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_home_costs_the_same_queries_whatever_the_data(
    client, city_a, officer_a, settings, django_assert_num_queries
):
    settings.ODA_DECLARATION_WINDOW = ("01-01", "12-31")  # open: every kind of line shows
    client.force_login(officer_a)
    url = "/en/workspace/ville-a/"
    client.get(url)  # the session learns the authority opened last

    add_todos(city_a, 1)
    small = queries(client, url)
    add_todos(city_a, 4, label="B")
    page = client.get(url).content.decode()
    assert "Ready B3" in page and "Town B3" in page  # the new records are read
    assert "Apply to “Call B3”" in page
    assert queries(client, url) == small
    cache.clear()
    with django_assert_num_queries(small):
        client.get(url)
    # Pinned: the session and user, the seat (2), the ODA declaration (its lines, then its
    # projects' titles once), the IATI check kept by the queue (its row), five agreement lists,
    # reports, instalments, visits (2), the public page gaps, the Atlas sheets counted, the recent
    # changes (3: the register entries the authority uses, its own entries, theirs), the calls
    # that fit (calls, their countries and themes, projects, their countries
    # and applications), the user's roles and the indicator values to approve (2), the setup
    # steps left (2), whether any project is published. A new query shows here.
    assert small == 36, small


def test_a_cached_iati_check_saves_its_queries(client, city_a, officer_a):
    full_project(city_a)
    client.force_login(officer_a)
    url = "/en/workspace/ville-a/"
    client.get(url)
    first = queries(client, url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert len(captured) < first
