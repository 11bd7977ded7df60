"""A project's applications to funders recorded on its workspace page: an application added
(the usual calls first, amounts in French), the funder's decision, instalments added, changed
and received, reports due added and sent, in place with htmx or as plain posts; the home's
to-dos link to the row and leave once it is recorded. And the contributors assigned to a
project. Another authority's officer gets a 404, a viewer reads only, a stale page and bad
input write nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from jumelage.accounts.models import Role
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.audit.models import AuditEntry
from jumelage.projects.models import Application, Instalment, ProjectContributor, ReportDue
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    CallFactory,
    FunderFactory,
    InstalmentFactory,
    ProjectContributorFactory,
    ProjectFactory,
    ReportDueFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate()


def _url(project, *words: str) -> str:
    return f"/en/workspace/ville-a/projects/{project.pk}/" + "".join(f"{w}/" for w in words)


@pytest.fixture
def application(city_a):
    project = ProjectFactory(authority=city_a, title={"en": "Water"})
    call = CallFactory(funder=FunderFactory(name="Ministère", acronym="MEAE"), title="PACT3")
    application = ApplicationFactory(
        project=project,
        call=call,
        amount_requested=Decimal("30000"),
        decision="submitted",
        submitted_on=datetime.date(2025, 3, 1),
        version=1,
    )
    return application


@pytest.fixture
def instalment(application):
    return InstalmentFactory(
        application=application,
        rank=1,
        amount=Decimal("20000"),
        due_on=TODAY + datetime.timedelta(days=10),
    )


@pytest.fixture
def report(application):
    return ReportDueFactory(
        application=application, kind="final", due_on=TODAY + datetime.timedelta(days=20)
    )


def _french(name: str, *args) -> str:
    with translation.override("fr"):
        return reverse(name, args=args)


def _version(application) -> int:
    return Application.objects.get(pk=application.pk).version


# --- Reading -------------------------------------------------------------------------------


def test_the_section_offers_the_forms_to_an_officer_and_no_back_office_link(
    client, officer_a, application, instalment, report
):
    client.force_login(officer_a)
    page = client.get(_url(application.project)).content.decode()
    assert "MEAE – PACT3" in page  # noqa: RUF001
    assert "Record as received" in page and "Record as sent" in page
    assert "Record the funder's decision" in page and "Add an application to a funder" in page
    assert f'id="instalment-{instalment.pk}"' in page and f'id="report-{report.pk}"' in page
    assert "/admin/projects/application/" not in page


def test_a_viewer_reads_the_applications_but_is_offered_no_form_and_cannot_post(
    client, viewer_a, application, instalment
):
    client.force_login(viewer_a)
    page = client.get(_url(application.project)).content.decode()
    assert "Instalment 1" in page and "not received yet" in page
    assert "Record as received" not in page and "Add an application" not in page
    response = client.post(
        _url(
            application.project,
            "applications",
            str(application.pk),
            "instalments",
            str(instalment.pk),
            "received",
        ),
        {"received_on": "12/05/2025", "_version": "1"},
    )
    assert response.status_code == 403
    assert Instalment.objects.get().received_on is None


def test_another_authoritys_officer_finds_nothing_and_writes_nothing(
    client, officer_b, application, instalment
):
    client.force_login(officer_b)
    project = application.project
    for url in (
        _url(project),
        _url(project, "applications"),
        _url(project, "applications", str(application.pk), "instalments", str(instalment.pk)),
    ):
        assert client.get(url, **HTMX).status_code == 404
    received = _url(
        project, "applications", str(application.pk), "instalments", str(instalment.pk), "received"
    )
    assert client.post(received, {"received_on": "12/05/2025", "_version": "1"}).status_code == 404
    # Under its own authority's address, another's project does not exist either.
    own = received.replace("ville-a", "ville-b")
    assert client.post(own, {"received_on": "12/05/2025", "_version": "1"}).status_code == 404
    assert Instalment.objects.get().received_on is None


# --- Writing -------------------------------------------------------------------------------


def test_an_officer_adds_an_application_with_an_amount_written_in_french(
    client, officer_a, application
):
    client.force_login(officer_a)
    project = application.project
    call = CallFactory(funder=application.call.funder, title="FICOL", closes_on=TODAY)
    response = client.post(
        _french("workspace:applications", "ville-a", project.pk),
        {"call": call.pk, "amount_requested": "3 870,40 €", "submitted_on": "12/05/2025"},
    )
    assert response.status_code == 302
    added = Application.objects.get(call=call)
    assert added.amount_requested == Decimal("3870.40") and added.currency == "EUR"
    assert added.submitted_on == datetime.date(2025, 5, 12) and added.decision == "submitted"
    assert AuditEntry.objects.filter(verb="application to a funder added").exists()


def test_the_usual_calls_come_first(client, officer_a, application):
    CallFactory(funder=application.call.funder, title="Open call", closes_on=TODAY)
    CallFactory(title="Stranger's call", closes_on=TODAY)
    client.force_login(officer_a)
    page = client.get(_url(application.project)).content.decode()
    usual = page.index('<optgroup label="Usual choices">')
    everything = page.index('<optgroup label="All, in order">')
    assert usual < page.index("Open call") < everything
    assert page.index("Stranger&#x27;s call") > everything


def test_an_officer_records_a_grant_with_htmx(client, officer_a, application):
    client.force_login(officer_a)
    response = client.post(
        _url(application.project, "applications", str(application.pk), "decision"),
        {
            "decision": "granted",
            "decided_on": "15/06/2025",
            "amount_granted": "25 000 €",
            "_version": _version(application),
        },
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<section") and "The decision is recorded." in body
    stored = Application.objects.get()
    assert stored.decision == "granted" and stored.amount_granted == Decimal("25000")
    assert stored.decided_on == datetime.date(2025, 6, 15)


def test_an_instalment_is_added_changed_and_received(client, officer_a, application):
    client.force_login(officer_a)
    project = application.project
    base = _url(project, "applications", str(application.pk), "instalments")
    response = client.post(
        base,
        {"rank": "1", "amount": "12 000,50", "due_on": "30/06/2026", "_version": "1"},
        **HTMX,
    )
    assert "The instalment is added." in response.content.decode()
    instalment = Instalment.objects.get()
    assert instalment.amount == Decimal("12000.50")
    form = client.get(f"{base}{instalment.pk}/", **HTMX).content.decode()
    assert 'value="12 000,50"' in form or 'value="12,000.50"' in form
    client.post(
        f"{base}{instalment.pk}/",
        {
            "rank": "1",
            "amount": "13 000",
            "due_on": "30/06/2026",
            "condition": "after the report",
            "_version": _version(application),
        },
        **HTMX,
    )
    response = client.post(
        f"{base}{instalment.pk}/received/",
        {"received_on": "02/07/2025", "_version": _version(application)},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#instalment-{instalment.pk}")
    instalment.refresh_from_db()
    assert instalment.amount == Decimal("13000") and instalment.condition == "after the report"
    assert instalment.received_on == datetime.date(2025, 7, 2)
    page = client.get(_url(project)).content.decode()
    row = page[page.index(f'<tr id="instalment-{instalment.pk}">') :]
    row = row[: row.index("</tr>")]
    assert "received on" in row and "Record as received" not in row


def test_a_report_is_added_and_sent(client, officer_a, application):
    client.force_login(officer_a)
    base = _url(application.project, "applications", str(application.pk), "reports")
    client.post(base, {"kind": "interim", "due_on": "31/03/2026", "_version": "1"}, **HTMX)
    report = ReportDue.objects.get()
    assert report.due_on == datetime.date(2026, 3, 31)
    response = client.post(
        f"{base}{report.pk}/sent/",
        {"submitted_on": "01/03/2025", "_version": _version(application)},
        **HTMX,
    )
    assert "The report is recorded as sent." in response.content.decode()
    report.refresh_from_db()
    assert report.submitted_on == datetime.date(2025, 3, 1)
    assert AuditEntry.objects.filter(verb="report sent to the funder").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("received_on", "12/13/2025"), ("received_on", "")],
)
def test_a_day_that_cannot_be_read_writes_nothing_and_says_why(
    client, officer_a, application, instalment, field, value
):
    client.force_login(officer_a)
    url = _url(
        application.project,
        "applications",
        str(application.pk),
        "instalments",
        str(instalment.pk),
        "received",
    )
    response = client.post(url, {field: value, "_version": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'aria-invalid="true"' in body and "Nothing was recorded" in body
    assert Instalment.objects.get().received_on is None and _version(application) == 1


def test_a_negative_amount_writes_nothing_and_says_why(client, officer_a, application):
    client.force_login(officer_a)
    url = _url(application.project, "applications", str(application.pk), "instalments")
    response = client.post(url, {"rank": "2", "amount": "-5 000", "_version": "1"}, **HTMX)
    assert response.status_code == 200  # htmx swaps the section with the message
    body = response.content.decode()
    with translation.override("en"):
        assert gettext("Write a positive amount.") in body
    assert not Instalment.objects.exists() and _version(application) == 1


def test_the_french_message_comes_from_the_catalogue(client, officer_a, application):
    client.force_login(officer_a)
    url = _french(
        "workspace:application_decision", "ville-a", application.project.pk, application.pk
    )
    response = client.post(
        url, {"decision": "granted", "decided_on": "12/05/2025", "_version": "1"}
    )
    assert response.status_code == 400
    with translation.override("fr"):
        assert gettext("Give the amount granted, e.g. 30 000 €.") in response.content.decode()
    assert Application.objects.get().decision == "submitted"


def test_a_stale_page_is_refused_and_writes_nothing(client, officer_a, application, instalment):
    client.force_login(officer_a)
    url = _url(
        application.project,
        "applications",
        str(application.pk),
        "instalments",
        str(instalment.pk),
        "received",
    )
    Application.objects.filter(pk=application.pk).update(version=2)  # a colleague's change
    response = client.post(url, {"received_on": "12/05/2025", "_version": "1"})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    assert Instalment.objects.get().received_on is None


# --- The home's to-dos ---------------------------------------------------------------------


def test_the_homes_todos_link_to_the_row_and_leave_once_recorded(
    client, officer_a, application, instalment, report
):
    client.force_login(officer_a)
    project_page = f"/en/workspace/ville-a/projects/{application.project.pk}/"
    home = client.get("/en/workspace/ville-a/").content.decode()
    assert f'href="{project_page}#instalment-{instalment.pk}"' in home
    assert f'href="{project_page}#report-{report.pk}"' in home
    base = _url(application.project, "applications", str(application.pk))
    client.post(
        f"{base}instalments/{instalment.pk}/received/",
        {"received_on": TODAY.strftime("%d/%m/%Y"), "_version": "1"},
    )
    client.post(
        f"{base}reports/{report.pk}/sent/",
        {"submitted_on": TODAY.strftime("%d/%m/%Y"), "_version": "2"},
    )
    home = client.get("/en/workspace/ville-a/").content.decode()
    assert f"#instalment-{instalment.pk}" not in home and f"#report-{report.pk}" not in home


# --- Contributors assigned -------------------------------------------------------------------


def test_an_officer_assigns_a_contributor_who_may_then_report(
    client, officer_a, contributor_a, city_a
):
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    page = client.get(_url(project)).content.decode()
    assert "Contributors assigned" in page and "contributor_a" in page  # offered
    response = client.post(
        _url(project, "contributors"),
        {"user": contributor_a.pk, "_version": project.version},
        **HTMX,
    )
    assert "may now report this project" in response.content.decode()
    assignment = ProjectContributor.objects.get()
    client.force_login(contributor_a)
    page = client.get(_url(project)).content.decode()
    assert "Remove" not in page and "Assign to the project" not in page
    client.force_login(officer_a)
    version = type(project).objects.get(pk=project.pk).version
    response = client.post(
        _url(project, "contributors", str(assignment.pk), "remove"), {"_version": version}
    )
    assert response.status_code == 302 and not ProjectContributor.objects.exists()


def test_a_contributor_not_assigned_is_not_offered_to_report(client, contributor_a, city_a):
    from jumelage.projects.tests.factories import (
        IndicatorFactory,
        IndicatorPeriodFactory,
        ResultFactory,
    )

    mine, other = ProjectFactory(authority=city_a), ProjectFactory(authority=city_a)
    for project in (mine, other):
        IndicatorPeriodFactory(indicator=IndicatorFactory(result=ResultFactory(project=project)))
    ProjectContributorFactory(project=mine, user=contributor_a)
    client.force_login(contributor_a)
    assert "Report the value" in client.get(_url(mine)).content.decode()
    assert "Report the value" not in client.get(_url(other)).content.decode()


def test_only_the_authoritys_contributors_are_assigned_and_viewers_cannot(
    client, officer_a, viewer_a, officer_b, city_a, city_b
):
    project = ProjectFactory(authority=city_a)
    stranger = UserFactory()
    MembershipFactory(user=stranger, authority=city_b, role=Role.CONTRIBUTOR)
    client.force_login(officer_a)
    response = client.post(
        _url(project, "contributors"), {"user": stranger.pk, "_version": project.version}
    )
    assert response.status_code == 400  # not among the choices
    client.force_login(viewer_a)
    response = client.post(
        _url(project, "contributors"), {"user": viewer_a.pk, "_version": project.version}
    )
    assert response.status_code == 403
    client.force_login(officer_b)
    response = client.post(
        _url(project, "contributors"), {"user": stranger.pk, "_version": project.version}
    )
    assert response.status_code == 404
    assert not ProjectContributor.objects.exists()


# --- Queries -------------------------------------------------------------------------------


def _grow(project, n: int) -> None:
    for i in range(n):
        application = ApplicationFactory(project=project, call=CallFactory(closes_on=TODAY))
        InstalmentFactory(application=application, rank=1)
        InstalmentFactory(application=application, rank=2, received_on=TODAY)
        ReportDueFactory(application=application, due_on=TODAY)
        contributor = UserFactory()
        MembershipFactory(user=contributor, authority=project.authority, role=Role.CONTRIBUTOR)
        if i % 2:
            ProjectContributorFactory(project=project, user=contributor)


@pytest.mark.parametrize("who", ["officer_a", "viewer_a"])
def test_the_project_page_costs_the_same_queries_with_more_applications_and_contributors(
    client, city_a, who, request, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    project = ProjectFactory(authority=city_a)
    _grow(project, 1)
    client.force_login(user)
    url = _url(project)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(project, 4)
    with django_assert_num_queries(len(small)):
        page = client.get(url).content.decode()
    assert page.count("Instalment 1") >= 5
    # The officer's page reads 5 more: the calls and the usual ones, who may be assigned, the
    # partner towns' languages (the document form's title) and the IATI document categories.
    assert len(small) == {"officer_a": 27, "viewer_a": 22}[who]


# --- Four eyes on one's own value ------------------------------------------------------------


def test_an_officers_own_value_waits_for_a_colleague(client, city_a, officer_a, admin_a):
    from jumelage.projects.tests.factories import (
        IndicatorFactory,
        IndicatorPeriodFactory,
        IndicatorUpdateFactory,
        ResultFactory,
    )

    project = ProjectFactory(authority=city_a)
    period = IndicatorPeriodFactory(
        indicator=IndicatorFactory(result=ResultFactory(project=project), title={"en": "Wells"})
    )
    update = IndicatorUpdateFactory(period=period, submitted_by=officer_a)
    approve = f"/en/workspace/ville-a/values-to-approve/{update.pk}/approve/"
    client.force_login(officer_a)
    assert "Wells" not in client.get("/en/workspace/ville-a/values-to-approve/").content.decode()
    response = client.post(approve, {"_version": period.indicator.version})
    assert response.status_code == 403
    client.force_login(admin_a)
    assert "Wells" in client.get("/en/workspace/ville-a/values-to-approve/").content.decode()
    response = client.post(approve, {"_version": period.indicator.version})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == "approved" and update.decided_by == admin_a


def test_without_javascript_a_row_is_changed_in_the_whole_page(
    client, officer_a, application, instalment
):
    client.force_login(officer_a)
    url = _url(
        application.project, "applications", str(application.pk), "instalments", str(instalment.pk)
    )
    page = client.get(url).content.decode()
    assert "<h1>" in page and "Save the instalment" in page
    response = client.post(url, {"rank": "1", "amount": "abc", "_version": _version(application)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<h1>" in body and "Save the instalment" in body and 'aria-invalid="true"' in body
    assert Instalment.objects.get().amount == Decimal("20000")
