"""Writes of a project's results: the indicator values a contributor reports (submit) and an
officer approves or refuses. Approving is what publishes a value: it becomes the period's
`actual_value`, which the public page and the IATI file read (`selectors.published_results`).

Akvo RSR's results framework works the same way (an update is pending until approved); the rule
of who reports and who approves is `tenancy.access` (`may_report`, `may_approve`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jumelage.accounts.models import Membership, Role
from jumelage.projects.models import (
    Indicator,
    IndicatorPeriod,
    IndicatorUpdate,
    Project,
    ProjectContributor,
)
from jumelage.projects.result_selectors import assigned_user_ids
from jumelage.tenancy.access import may_approve, may_report
from jumelage.tenancy.services import (
    delete_owned,
    lock_current,
    one_edit,
    register_rule,
    save_owned,
)


def _refuse_unless_reporter(user: Any, period: IndicatorPeriod) -> None:
    project = period.indicator.result.project
    if not may_report(user, project.authority_id, assigned_user_ids(project.pk), fresh=True):
        raise PermissionDenied(
            _(
                "Only the authority's officers and the contributors assigned to this project "
                "report its indicators. Ask an officer to assign you to the project."
            )
        )


def _refuse_unless_approver(user: Any, update: IndicatorUpdate) -> None:
    authority_id = update.owning_authority_id()
    if may_approve(user, authority_id, submitted_by_id=update.submitted_by_id, fresh=True):
        return
    if may_approve(user, authority_id, fresh=True):
        # Four eyes (tenancy.access.may_approve): one's own value goes to a colleague.
        raise PermissionDenied(
            _(
                "You reported this value yourself: another officer or administrator of the "
                "authority approves or refuses it."
            )
        )
    raise PermissionDenied(
        _("Only an officer or an administrator of the authority approves reported values.")
    )


@register_rule(IndicatorUpdate)
def update_comes_from_a_reporter(update: IndicatorUpdate) -> None:
    # Whoever writes the row, a submission names someone who may report on the project.
    if update.status != IndicatorUpdate.Status.SUBMITTED or update.submitted_by_id is None:
        return
    project = update.period.indicator.result.project
    if not may_report(
        update.submitted_by, project.authority_id, assigned_user_ids(project.pk), fresh=True
    ):
        raise ValidationError(
            _("Only the officers and the contributors assigned to the project report its values.")
        )


@register_rule(IndicatorUpdate)
def update_has_a_value(update: IndicatorUpdate) -> None:
    indicator = update.period.indicator
    if indicator.measure == Indicator.Measure.QUALITATIVE:
        if update.value is None and not update.comment.strip():
            raise ValidationError(
                {"comment": _("Describe what was achieved over the period.")}, code="required"
            )
    elif update.value is None:
        raise ValidationError(
            {"value": _("Give the value reached over the period, as a number.")}, code="required"
        )


def indicator_update_submit(
    *,
    period: IndicatorPeriod,
    user: Any,
    value: Decimal | None,
    comment: str = "",
    expected_version: int | None,
) -> IndicatorUpdate:
    """Report the value reached over a period; it waits for an officer's approval.

    `expected_version` is the indicator's version on the page the value was typed on: a page
    opened before another change to the indicator (a value approved meanwhile) is refused.
    """
    with one_edit():
        current = IndicatorPeriod._base_manager.select_related("indicator__result__project").get(
            pk=period.pk
        )
        _refuse_unless_reporter(user, current)
        waiting = IndicatorUpdate.objects.filter(
            period=current, status=IndicatorUpdate.Status.SUBMITTED
        ).exists()
        if waiting:
            raise ValidationError(
                _(
                    "A value for this period is already waiting for approval. Ask an officer "
                    "to approve or refuse it before reporting another."
                ),
                code="already_waiting",
            )
        update = IndicatorUpdate(
            period=current,
            value=value,
            comment=(comment or "").strip(),
            submitted_by=user,
            submitted_at=timezone.now(),
        )
        return save_owned(
            update,
            user=user,
            expected_version=expected_version,
            verb=gettext_noop("indicator value submitted"),
        )


def _waiting(update: IndicatorUpdate, user: Any) -> IndicatorUpdate:
    current = lock_current(update)
    _refuse_unless_approver(user, current)
    if current.status != IndicatorUpdate.Status.SUBMITTED:
        raise ValidationError(
            _("This value was already %(status)s. Reload the page to see it.")
            % {"status": current.get_status_display()},
            code="already_decided",
        )
    return current


def indicator_update_approve(
    *, update: IndicatorUpdate, user: Any, expected_version: int | None
) -> IndicatorUpdate:
    """Approve a reported value: it becomes the period's published value (with its comment,
    when one was given). `expected_version` is the indicator's, as seen on the page."""
    with one_edit():
        current = _waiting(update, user)
        current.status = IndicatorUpdate.Status.APPROVED
        current.decided_by = user
        current.decided_at = timezone.now()
        save_owned(
            current,
            user=user,
            expected_version=expected_version,
            verb=gettext_noop("indicator value approved"),
        )
        period = lock_current(current.period)
        period.actual_value = current.value
        if current.comment:
            period.comment = current.comment
        save_owned(
            period,
            user=user,
            expected_version=expected_version,
            verb=gettext_noop("indicator value published"),
        )
        return current


def indicator_update_refuse(
    *, update: IndicatorUpdate, user: Any, reason: str, expected_version: int | None
) -> IndicatorUpdate:
    """Refuse a reported value, saying why: the contributor reads the reason and reports
    again; the published value does not change."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"refusal_reason": _("Say why the value is refused, so that it can be corrected.")},
            code="required",
        )
    with one_edit():
        current = _waiting(update, user)
        current.status = IndicatorUpdate.Status.REFUSED
        current.decided_by = user
        current.decided_at = timezone.now()
        current.refusal_reason = reason
        return save_owned(
            current,
            user=user,
            expected_version=expected_version,
            verb=gettext_noop("indicator value refused"),
        )


# --- Contributors assigned to a project ------------------------------------------------------


@register_rule(ProjectContributor)
def contributor_of_the_same_authority(assignment: ProjectContributor) -> None:
    # Whoever writes the row (the workspace, the back office, the demo): an assignment names a
    # contributor of the project's own authority, the role `may_report` lets report.
    authority_id = assignment.owning_authority_id()
    is_contributor = Membership.objects.filter(
        authority_id=authority_id,
        user_id=assignment.user_id,
        role=Role.CONTRIBUTOR,
        user__is_active=True,
    ).exists()
    if not is_contributor:
        raise ValidationError(
            {
                "user": _(
                    "Choose a contributor of the project's authority. Officers and "
                    "administrators report on every project without being assigned."
                )
            },
            code="not_a_contributor",
        )


def project_contributor_assign(
    *, project: Project, contributor: Any, user: Any, expected_version: int | None
) -> ProjectContributor:
    """Assign a contributor of the authority to the project: they may then report its
    indicators' values. `expected_version` is the project's, as the page showed it."""
    if ProjectContributor.objects.filter(project=project, user=contributor).exists():
        raise ValidationError(
            {"user": _("This contributor is already assigned to the project.")},
            code="already_assigned",
        )
    return save_owned(
        ProjectContributor(project=project, user=contributor),
        user=user,
        expected_version=expected_version,
        verb=gettext_noop("contributor assigned to the project"),
    )


def project_contributor_remove(
    *, assignment: ProjectContributor, user: Any, expected_version: int | None
) -> None:
    """Withdraw a contributor from the project: the values they reported stay, they report no
    more. `expected_version` is the project's."""
    delete_owned(
        assignment,
        user=user,
        expected_version=expected_version,
        verb=gettext_noop("contributor withdrawn from the project"),
    )
