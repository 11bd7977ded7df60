"""A contributor reports an indicator's value; an officer approves it (it becomes the published
value) or refuses it with a reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.audit.models import AuditEntry
from jumelage.projects.models import Indicator, IndicatorPeriod, IndicatorUpdate
from jumelage.projects.result_selectors import (
    latest_updates,
    may_report_on,
    projects_reported_by,
    updates_to_approve,
)
from jumelage.projects.result_services import (
    indicator_update_approve,
    indicator_update_refuse,
    indicator_update_submit,
)
from jumelage.projects.tests.factories import (
    IndicatorFactory,
    IndicatorPeriodFactory,
    ProjectContributorFactory,
    ProjectFactory,
    ResultFactory,
)
from jumelage.tenancy.services import ConcurrentEditError, save_owned


def _period(authority, **kwargs):
    project = ProjectFactory(authority=authority)
    indicator = IndicatorFactory(result=ResultFactory(project=project), **kwargs)
    return IndicatorPeriodFactory(indicator=indicator, actual_value=None)


def _version(period):
    return Indicator.objects.get(pk=period.indicator_id).version


def _submit(period, user, value="14", comment=""):
    return indicator_update_submit(
        period=period,
        user=user,
        value=Decimal(value) if value is not None else None,
        comment=comment,
        expected_version=_version(period),
    )


@pytest.fixture
def period(city_a, contributor_a):
    period = _period(city_a)
    ProjectContributorFactory(project=period.indicator.result.project, user=contributor_a)
    return period


def test_an_assigned_contributor_submits_a_value_that_waits_and_is_not_published(
    period, contributor_a
):
    update = _submit(period, contributor_a, "14", "Deux sessions de formation")

    assert update.status == IndicatorUpdate.Status.SUBMITTED
    assert update.submitted_by == contributor_a
    assert IndicatorPeriod.objects.get(pk=period.pk).actual_value is None
    entry = AuditEntry.objects.filter(model="projects.indicatorupdate").get()
    assert entry.verb == "indicator value submitted"
    assert entry.user == contributor_a


def test_an_officer_approves_and_the_value_becomes_the_published_one(
    period, contributor_a, officer_a
):
    update = _submit(period, contributor_a, "14", "Deux sessions")

    indicator_update_approve(update=update, user=officer_a, expected_version=_version(period))

    stored = IndicatorPeriod.objects.get(pk=period.pk)
    assert (stored.actual_value, stored.comment) == (Decimal("14"), "Deux sessions")
    update.refresh_from_db()
    assert (update.status, update.decided_by) == (IndicatorUpdate.Status.APPROVED, officer_a)
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"indicator value approved", "indicator value published"} <= verbs


def test_a_refusal_says_why_and_leaves_the_published_value_alone(period, contributor_a, officer_a):
    period.actual_value = Decimal("10")
    save_owned(period, user=officer_a, expected_version=_version(period))
    update = _submit(period, contributor_a, "140")

    with pytest.raises(ValidationError) as error:
        indicator_update_refuse(
            update=update, user=officer_a, reason="  ", expected_version=_version(period)
        )
    assert "refusal_reason" in error.value.message_dict
    indicator_update_refuse(
        update=update,
        user=officer_a,
        reason="140 is the number of pupils, not of registrars.",
        expected_version=_version(period),
    )

    update.refresh_from_db()
    assert update.status == IndicatorUpdate.Status.REFUSED
    assert update.refusal_reason == "140 is the number of pupils, not of registrars."
    assert IndicatorPeriod.objects.get(pk=period.pk).actual_value == Decimal("10")
    assert latest_updates([period.pk])[period.pk] == update


def test_a_contributor_not_assigned_to_the_project_may_not_submit(city_a, contributor_a):
    period = _period(city_a)
    with pytest.raises(PermissionDenied):
        _submit(period, contributor_a)
    assert not IndicatorUpdate.objects.exists()
    assert not may_report_on(contributor_a, period.indicator.result.project)


def test_viewers_and_other_authorities_may_not_submit(period, viewer_a, officer_b, outsider):
    for user in (viewer_a, officer_b, outsider):
        with pytest.raises(PermissionDenied):
            _submit(period, user)
    assert not IndicatorUpdate.objects.exists()


def test_only_officers_of_the_authority_approve(period, contributor_a, viewer_a, officer_b):
    update = _submit(period, contributor_a)
    for user in (contributor_a, viewer_a, officer_b):
        with pytest.raises(PermissionDenied):
            indicator_update_approve(update=update, user=user, expected_version=_version(period))
        with pytest.raises(PermissionDenied):
            indicator_update_refuse(
                update=update, user=user, reason="Non", expected_version=_version(period)
            )
    update.refresh_from_db()
    assert update.status == IndicatorUpdate.Status.SUBMITTED
    assert IndicatorPeriod.objects.get(pk=period.pk).actual_value is None


def test_an_approval_from_a_stale_page_is_refused(period, contributor_a, officer_a, admin_a):
    update = _submit(period, contributor_a)
    seen = _version(period)
    indicator_update_refuse(update=update, user=admin_a, reason="Faux", expected_version=seen)

    with pytest.raises((ConcurrentEditError, ValidationError)):
        indicator_update_approve(update=update, user=officer_a, expected_version=seen)
    assert IndicatorPeriod.objects.get(pk=period.pk).actual_value is None


def test_a_submission_from_a_stale_page_is_refused(period, contributor_a, officer_a):
    seen = _version(period)
    period.target_value = Decimal("25")
    save_owned(period, user=officer_a, expected_version=seen)

    with pytest.raises(ConcurrentEditError):
        indicator_update_submit(
            period=period, user=contributor_a, value=Decimal("3"), expected_version=seen
        )
    assert not IndicatorUpdate.objects.exists()


def test_a_decided_update_cannot_be_decided_again(period, contributor_a, officer_a):
    update = _submit(period, contributor_a)
    indicator_update_approve(update=update, user=officer_a, expected_version=_version(period))
    with pytest.raises(ValidationError, match="already approved"):
        indicator_update_refuse(
            update=update, user=officer_a, reason="Non", expected_version=_version(period)
        )


def test_one_value_waits_at_a_time_for_a_period(period, contributor_a):
    _submit(period, contributor_a)
    with pytest.raises(ValidationError, match="already waiting"):
        _submit(period, contributor_a, "15")
    assert IndicatorUpdate.objects.count() == 1


def test_a_number_is_required_unless_the_indicator_is_qualitative(city_a, officer_a):
    period = _period(city_a)
    with pytest.raises(ValidationError) as error:
        _submit(period, officer_a, None)
    assert "value" in error.value.message_dict

    qualitative = _period(city_a, measure=Indicator.Measure.QUALITATIVE)
    with pytest.raises(ValidationError) as error:
        _submit(qualitative, officer_a, None, "")
    assert "comment" in error.value.message_dict
    update = _submit(qualitative, officer_a, None, "Le registre est tenu à jour.")
    assert update.value is None


def test_a_contributor_may_not_write_the_published_value_directly(period, contributor_a):
    period.actual_value = Decimal("99")
    with pytest.raises(PermissionDenied):
        save_owned(period, user=contributor_a, expected_version=_version(period))


def test_updates_to_approve_are_the_authoritys_waiting_ones_for_its_officers(
    period, contributor_a, officer_a, officer_b, city_a, city_b
):
    waiting = _submit(period, contributor_a)
    other = _period(city_b)
    _submit(other, officer_b)

    assert list(updates_to_approve(user=officer_a, member=city_a)) == [waiting]
    assert not updates_to_approve(user=contributor_a, member=city_a).exists()
    assert not updates_to_approve(user=officer_b, member=city_a).exists()


def test_projects_reported_by_a_contributor_are_those_assigned(
    period, city_a, contributor_a, officer_a
):
    other = ProjectFactory(authority=city_a)
    project = period.indicator.result.project
    projects = project.__class__.objects.filter(pk__in=[project.pk, other.pk])
    assert set(projects_reported_by(contributor_a, projects)) == {project}
    assert set(projects_reported_by(officer_a, projects)) == {project, other}
