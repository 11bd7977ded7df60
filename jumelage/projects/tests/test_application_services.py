"""Applications to funders written through their services: added, decided, instalments and
reports due added, received and sent; each audited, refused from a stale page, another
authority's user and a viewer refused; contributors assigned to a project; four eyes on one's
own indicator value."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jumelage.accounts.models import Role
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.audit.models import AuditEntry
from jumelage.projects.application_services import (
    application_add,
    application_decide,
    instalment_received,
    instalment_save,
    report_due_save,
    report_sent,
)
from jumelage.projects.models import Application, Instalment, Project, ProjectContributor, ReportDue
from jumelage.projects.result_selectors import may_report_on, updates_to_approve
from jumelage.projects.result_services import (
    indicator_update_approve,
    indicator_update_submit,
    project_contributor_assign,
    project_contributor_remove,
)
from jumelage.projects.tests.factories import (
    CallFactory,
    IndicatorFactory,
    IndicatorPeriodFactory,
    InstalmentFactory,
    ProjectFactory,
    ReportDueFactory,
    ResultFactory,
)
from jumelage.tenancy.access import may_approve
from jumelage.tenancy.services import ConcurrentEditError

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 5, 12)


def _version(application: Application) -> int:
    return Application.objects.get(pk=application.pk).version


@pytest.fixture
def application(city_a, officer_a):
    return application_add(
        project=ProjectFactory(authority=city_a),
        call=CallFactory(),
        amount_requested=Decimal("30000.00"),
        currency="EUR",
        submitted_on=DAY,
        user=officer_a,
    )


def test_an_officer_adds_an_application_which_is_submitted_once_it_has_a_day(city_a, officer_a):
    project = ProjectFactory(authority=city_a)
    call = CallFactory()
    sent = application_add(
        project=project,
        call=call,
        amount_requested=Decimal("3870.40"),
        currency="EUR",
        submitted_on=DAY,
        user=officer_a,
    )
    draft = application_add(
        project=project,
        call=call,
        amount_requested=Decimal("100"),
        currency="",
        submitted_on=None,
        user=officer_a,
    )
    assert sent.decision == Application.Decision.SUBMITTED and sent.version == 1
    assert draft.decision == Application.Decision.DRAFT and draft.currency == project.currency
    assert AuditEntry.objects.filter(verb="application to a funder added").count() == 2


def test_a_viewer_and_another_authoritys_officer_cannot_add_or_decide(
    city_a, viewer_a, officer_b, application
):
    for user in (viewer_a, officer_b):
        with pytest.raises(PermissionDenied):
            application_add(
                project=application.project,
                call=application.call,
                amount_requested=Decimal("1"),
                currency="EUR",
                submitted_on=None,
                user=user,
            )
        with pytest.raises(PermissionDenied):
            application_decide(
                application=application,
                decision="refused",
                decided_on=DAY,
                amount_granted=None,
                user=user,
                expected_version=_version(application),
            )
    assert Application.objects.count() == 1
    assert Application.objects.get().decision == Application.Decision.SUBMITTED


def test_a_grant_is_recorded_with_its_amount_and_day(officer_a, application):
    decided = application_decide(
        application=application,
        decision="granted",
        decided_on=DAY + datetime.timedelta(days=30),
        amount_granted=Decimal("25000"),
        user=officer_a,
        expected_version=_version(application),
    )
    stored = Application.objects.get()
    assert stored.decision == "granted" and stored.amount_granted == Decimal("25000")
    assert stored.version == decided.version == 2
    assert AuditEntry.objects.filter(verb="funder's decision recorded").exists()


@pytest.mark.parametrize(
    ("decision", "decided_on", "amount", "field"),
    [
        ("granted", None, Decimal("1"), "decided_on"),
        ("granted", DAY, None, "amount_granted"),
        ("refused", DAY, Decimal("1"), "amount_granted"),
        ("granted", DAY - datetime.timedelta(days=1), Decimal("1"), "decided_on"),
        ("granted", timezone.localdate() + datetime.timedelta(days=2), Decimal("1"), "decided_on"),
        ("draft", DAY, None, "decision"),
    ],
)
def test_an_incomplete_or_impossible_decision_writes_nothing(
    officer_a, application, decision, decided_on, amount, field
):
    with pytest.raises(ValidationError) as refused:
        application_decide(
            application=application,
            decision=decision,
            decided_on=decided_on,
            amount_granted=amount,
            user=officer_a,
            expected_version=_version(application),
        )
    assert field in refused.value.message_dict
    stored = Application.objects.get()
    assert stored.decision == "submitted" and stored.version == 1


def test_a_decision_from_a_stale_page_is_refused(officer_a, admin_a, application):
    seen = _version(application)
    application_decide(
        application=application,
        decision="refused",
        decided_on=DAY,
        amount_granted=None,
        user=admin_a,
        expected_version=seen,
    )
    with pytest.raises(ConcurrentEditError):
        application_decide(
            application=application,
            decision="granted",
            decided_on=DAY,
            amount_granted=Decimal("5"),
            user=officer_a,
            expected_version=seen,
        )
    assert Application.objects.get().decision == "refused"


def test_instalments_and_reports_are_rows_of_the_application(officer_a, application):
    instalment = instalment_save(
        instalment=Instalment(application=application, rank=1, amount=Decimal("20000")),
        user=officer_a,
        expected_version=1,
    )
    report = report_due_save(
        report=ReportDue(application=application, kind="final", due_on=DAY),
        user=officer_a,
        expected_version=2,
    )
    assert _version(application) == 3
    instalment_received(instalment=instalment, received_on=DAY, user=officer_a, expected_version=3)
    report_sent(report=report, submitted_on=DAY, user=officer_a, expected_version=4)
    assert Instalment.objects.get().received_on == DAY
    assert ReportDue.objects.get().submitted_on == DAY
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"instalment received", "report sent to the funder"} <= verbs


def test_a_row_from_a_stale_page_or_a_bad_day_writes_nothing(officer_a, application):
    instalment = InstalmentFactory(application=application, rank=1)
    report = ReportDueFactory(application=application, due_on=DAY)
    with pytest.raises(ConcurrentEditError):
        instalment_received(
            instalment=instalment, received_on=DAY, user=officer_a, expected_version=0
        )
    with pytest.raises(ValidationError):
        instalment_received(
            instalment=instalment, received_on=None, user=officer_a, expected_version=1
        )
    with pytest.raises(ValidationError):
        report_sent(
            report=report,
            submitted_on=timezone.localdate() + datetime.timedelta(days=1),
            user=officer_a,
            expected_version=1,
        )
    with pytest.raises(ValidationError):
        instalment_save(
            instalment=Instalment(application=application, rank=2, amount=Decimal("-5")),
            user=officer_a,
            expected_version=1,
        )
    assert Instalment.objects.get().received_on is None
    assert ReportDue.objects.get().submitted_on is None
    assert Instalment.objects.count() == 1 and _version(application) == 1


def test_another_authoritys_officer_cannot_mark_a_row(officer_b, viewer_a, application):
    instalment = InstalmentFactory(application=application)
    for user in (officer_b, viewer_a):
        with pytest.raises(PermissionDenied):
            instalment_received(
                instalment=instalment, received_on=DAY, user=user, expected_version=1
            )
    assert Instalment.objects.get().received_on is None


# --- Contributors assigned ----------------------------------------------------------------


def test_an_officer_assigns_a_contributor_who_may_then_report(city_a, officer_a, contributor_a):
    project = ProjectFactory(authority=city_a)
    seen = project.version
    assert not may_report_on(contributor_a, project)
    assignment = project_contributor_assign(
        project=project, contributor=contributor_a, user=officer_a, expected_version=seen
    )
    assert Project.objects.get(pk=project.pk).version == seen + 1
    contributor_a.__dict__.pop("_jumelage_roles", None)
    assert may_report_on(contributor_a, project)
    assert AuditEntry.objects.filter(verb="contributor assigned to the project").exists()
    with pytest.raises(ValidationError):  # twice
        project_contributor_assign(
            project=project, contributor=contributor_a, user=officer_a, expected_version=seen + 1
        )
    project_contributor_remove(assignment=assignment, user=officer_a, expected_version=seen + 1)
    assert not ProjectContributor.objects.exists()


def test_only_a_contributor_of_the_same_authority_is_assigned(city_a, city_b, officer_a, viewer_a):
    project = ProjectFactory(authority=city_a)
    other = UserFactory()
    MembershipFactory(user=other, authority=city_b, role=Role.CONTRIBUTOR)
    for person in (viewer_a, other):
        with pytest.raises(ValidationError):
            project_contributor_assign(
                project=project,
                contributor=person,
                user=officer_a,
                expected_version=project.version,
            )
    assert not ProjectContributor.objects.exists()


def test_a_viewer_another_authority_and_a_stale_page_cannot_assign(
    city_a, officer_a, viewer_a, officer_b, contributor_a
):
    project = ProjectFactory(authority=city_a)
    for user in (viewer_a, officer_b, contributor_a):
        with pytest.raises(PermissionDenied):
            project_contributor_assign(
                project=project,
                contributor=contributor_a,
                user=user,
                expected_version=project.version,
            )
    with pytest.raises(ConcurrentEditError):
        project_contributor_assign(
            project=project,
            contributor=contributor_a,
            user=officer_a,
            expected_version=project.version + 1,
        )
    assert not ProjectContributor.objects.exists()


# --- Four eyes on one's own value ----------------------------------------------------------


def _period(authority):
    project = ProjectFactory(authority=authority)
    indicator = IndicatorFactory(result=ResultFactory(project=project))
    return IndicatorPeriodFactory(indicator=indicator, actual_value=None)


def _submit(period, user):
    return indicator_update_submit(
        period=period,
        user=user,
        value=Decimal("14"),
        expected_version=period.indicator.__class__.objects.get(pk=period.indicator_id).version,
    )


def test_an_officer_does_not_approve_their_own_value_when_a_colleague_can(
    city_a, officer_a, admin_a
):
    period = _period(city_a)
    update = _submit(period, officer_a)
    seen = period.indicator.__class__.objects.get(pk=period.indicator_id).version
    assert not may_approve(officer_a, city_a.pk, submitted_by_id=officer_a.pk, fresh=True)
    assert may_approve(admin_a, city_a.pk, submitted_by_id=officer_a.pk, fresh=True)
    assert not updates_to_approve(user=officer_a, member=city_a).exists()
    assert list(updates_to_approve(user=admin_a, member=city_a)) == [update]
    with pytest.raises(PermissionDenied) as refused:
        indicator_update_approve(update=update, user=officer_a, expected_version=seen)
    assert "another officer" in str(refused.value)
    indicator_update_approve(update=update, user=admin_a, expected_version=seen)
    period.refresh_from_db()
    assert period.actual_value == Decimal("14")


def test_the_only_officer_of_an_authority_approves_their_own_value(city_a, officer_a):
    period = _period(city_a)
    update = _submit(period, officer_a)
    seen = period.indicator.__class__.objects.get(pk=period.indicator_id).version
    assert list(updates_to_approve(user=officer_a, member=city_a)) == [update]
    indicator_update_approve(update=update, user=officer_a, expected_version=seen)
    period.refresh_from_db()
    assert period.actual_value == Decimal("14")


def test_an_inactive_colleague_does_not_count_as_a_second_pair_of_eyes(city_a, officer_a, admin_a):
    admin_a.is_active = False
    admin_a.save()
    assert may_approve(officer_a, city_a.pk, submitted_by_id=officer_a.pk, fresh=True)
