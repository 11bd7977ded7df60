"""Results in the workspace: a contributor reports a period's value, an officer approves or
refuses it on the values to approve, the home lists them; roles, two authorities, stale pages,
bad input, queries pinned."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from jumelage.projects.models import Indicator, IndicatorPeriod, IndicatorUpdate
from jumelage.projects.result_services import indicator_update_submit
from jumelage.projects.tests.factories import (
    IndicatorFactory,
    IndicatorPeriodFactory,
    ProjectContributorFactory,
    ProjectFactory,
    ResultFactory,
)

pytestmark = pytest.mark.django_db


def _period(member, n: int = 0):
    project = ProjectFactory(
        authority=member, slug=f"etat-civil-{n}", title={"en": f"Registry {n}"}
    )
    result = ResultFactory(project=project, title={"en": f"Registrars trained {n}"})
    indicator = IndicatorFactory(result=result, title={"en": f"Number of registrars {n}"})
    return IndicatorPeriodFactory(indicator=indicator, target_value=20, actual_value=None)


def _url(period, member="ville-a"):
    project = period.indicator.result.project
    return f"/en/workspace/{member}/projects/{project.pk}/periods/{period.pk}/"


def _version(period):
    return Indicator.objects.get(pk=period.indicator_id).version


def _submit(period, user, value="14"):
    return indicator_update_submit(
        period=period, user=user, value=Decimal(value), expected_version=_version(period)
    )


@pytest.fixture
def period(city_a, contributor_a):
    period = _period(city_a)
    ProjectContributorFactory(project=period.indicator.result.project, user=contributor_a)
    return period


def test_an_assigned_contributor_reports_a_value_in_french_habits(client, period, contributor_a):
    client.force_login(contributor_a)
    project_url = f"/en/workspace/ville-a/projects/{period.indicator.result.project.pk}/"
    assert "Report the value" in client.get(project_url).content.decode()

    response = client.post(
        _url(period),
        {"value": "1 234,5", "comment": "Trois sessions", "_version": _version(period)},
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Value sent: an officer approves it before it is published." in page
    assert "waiting for approval" in page
    update = IndicatorUpdate.objects.get()
    assert (update.value, update.comment, update.submitted_by) == (
        Decimal("1234.5"),
        "Trois sessions",
        contributor_a,
    )
    assert IndicatorPeriod.objects.get(pk=period.pk).actual_value is None


def test_bad_input_says_what_to_fix_and_writes_nothing(client, period, contributor_a):
    client.force_login(contributor_a)
    for value in ("beaucoup", "", "12 €"):
        response = client.post(_url(period), {"value": value, "_version": _version(period)})
        assert response.status_code == 400, value
        page = response.content.decode()
        assert "There is a problem" in page
        assert 'aria-invalid="true"' in page
    assert not IndicatorUpdate.objects.exists()


def test_a_value_sent_from_a_stale_page_is_refused(client, period, contributor_a, officer_a):
    client.force_login(contributor_a)
    seen = _version(period)
    period.target_value = Decimal("25")
    from jumelage.tenancy.services import save_owned

    save_owned(period, user=officer_a, expected_version=seen)

    response = client.post(_url(period), {"value": "14", "_version": seen})

    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    assert not IndicatorUpdate.objects.exists()


def test_who_may_report(client, city_a, period, viewer_a, officer_b, contributor_a):
    unassigned = _period(city_a, 1)
    client.force_login(contributor_a)
    assert client.get(_url(unassigned)).status_code == 403
    assert client.post(_url(unassigned), {"value": "3", "_version": 0}).status_code == 403
    client.force_login(viewer_a)
    assert client.get(_url(period)).status_code == 403
    client.force_login(officer_b)
    assert client.get(_url(period)).status_code == 404
    assert client.get(_url(period, "ville-b")).status_code == 404
    assert not IndicatorUpdate.objects.exists()


def test_the_officer_sees_the_value_on_the_home_and_approves_it(
    client, period, contributor_a, officer_a
):
    update = _submit(period, contributor_a, "14")
    client.force_login(officer_a)

    home = client.get("/en/workspace/ville-a/").content.decode()
    assert "1 indicator update to approve" in home
    page = client.get("/en/workspace/ville-a/values-to-approve/").content.decode()
    assert "Number of registrars 0" in page and "contributor_a" in page

    response = client.post(
        f"/en/workspace/ville-a/values-to-approve/{update.pk}/approve/",
        {"_version": _version(period)},
        follow=True,
    )

    assert "it is now the published value" in response.content.decode()
    assert IndicatorPeriod.objects.get(pk=period.pk).actual_value == Decimal("14")
    assert (
        "indicator update to approve" not in client.get("/en/workspace/ville-a/").content.decode()
    )


def test_a_refusal_needs_a_reason_and_the_contributor_reads_it(
    client, period, contributor_a, officer_a
):
    update = _submit(period, contributor_a, "140")
    client.force_login(officer_a)
    url = f"/en/workspace/ville-a/values-to-approve/{update.pk}/refuse/"

    response = client.post(url, {"reason": " ", "_version": _version(period)})
    assert response.status_code == 400
    assert "Say why the value is refused" in response.content.decode()
    client.post(url, {"reason": "140 counts pupils.", "_version": _version(period)})

    client.force_login(contributor_a)
    project_url = f"/en/workspace/ville-a/projects/{period.indicator.result.project.pk}/"
    page = client.get(project_url).content.decode()
    assert "Refused because: 140 counts pupils." in page
    update.refresh_from_db()
    assert update.status == IndicatorUpdate.Status.REFUSED


def test_an_approval_from_a_stale_page_is_refused_with_a_message(
    client, period, contributor_a, officer_a
):
    update = _submit(period, contributor_a)
    client.force_login(officer_a)
    response = client.post(
        f"/en/workspace/ville-a/values-to-approve/{update.pk}/approve/",
        {"_version": _version(period) - 1},
        follow=True,
    )
    assert "Someone else changed this record" in response.content.decode()
    assert IndicatorPeriod.objects.get(pk=period.pk).actual_value is None


def test_only_officers_approve_and_only_their_authoritys(
    client, period, contributor_a, viewer_a, officer_b
):
    update = _submit(period, contributor_a)
    approve = f"/en/workspace/ville-a/values-to-approve/{update.pk}/approve/"
    for user, status in ((contributor_a, 403), (viewer_a, 403)):
        client.force_login(user)
        assert client.get("/en/workspace/ville-a/values-to-approve/").status_code == status
        assert client.post(approve, {"_version": _version(period)}).status_code == status
    client.force_login(officer_b)
    assert client.post(approve, {"_version": _version(period)}).status_code == 404
    other = f"/en/workspace/ville-b/values-to-approve/{update.pk}/approve/"
    assert client.post(other, {"_version": _version(period)}).status_code == 404
    assert IndicatorUpdate.objects.get().status == IndicatorUpdate.Status.SUBMITTED


def test_the_values_to_approve_cost_the_same_queries_for_2_and_20(
    client, city_a, officer_a, officer_b, city_b, django_assert_num_queries
):
    client.force_login(officer_a)
    url = "/en/workspace/ville-a/values-to-approve/"
    _submit(_period(city_b, 99), officer_b, "7")  # another authority's: never shown

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert "Number of registrars 99" not in response.content.decode()
        return len(captured)

    for n in range(2):
        _submit(_period(city_a, n), officer_a)
    small = count()
    for n in range(2, 20):
        _submit(_period(city_a, n), officer_a)
    with django_assert_num_queries(small):
        client.get(url)
    assert small == 6, small  # session, user, seat (2), roles, the values with their records


def test_the_french_page_reads_the_catalogue(client, period, contributor_a, french):
    client.force_login(contributor_a)
    project = period.indicator.result.project
    page = client.get(f"/espace/ville-a/projets/{project.pk}/").content.decode()
    assert gettext("Results and indicators") in page
    assert gettext("Report the value") in page
