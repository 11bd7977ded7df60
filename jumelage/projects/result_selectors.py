"""Reads of a project's results for the people who report and approve them: who may report on
which project, the values waiting for approval, the latest report of each period. What the
public sees of results is `selectors.published_results`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, Q

from jumelage.accounts.models import Role
from jumelage.projects.models import IndicatorUpdate, Project, ProjectContributor
from jumelage.tenancy.access import approvable_by, may_approve, may_report, roles_of


def assigned_user_ids(project_id: int) -> list[int]:
    """The contributors assigned to a project (their user ids)."""
    return list(
        ProjectContributor.objects.filter(project_id=project_id).values_list("user_id", flat=True)
    )


def may_report_on(user: Any, project: Project) -> bool:
    """Whether the user may report the project's indicator values (the page's buttons; the
    service asks again with fresh roles). Reads the assignments only for a contributor."""
    if may_approve(user, project.authority_id):
        return True
    if roles_of(user).get(project.authority_id) != Role.CONTRIBUTOR:
        return False
    return may_report(user, project.authority_id, assigned_user_ids(project.pk))


def projects_reported_by(user: Any, projects: models.QuerySet[Project]) -> models.QuerySet[Project]:
    """Among `projects`, those the user may report on: all of them for an officer or an
    administrator, the assigned ones for a contributor."""
    if getattr(user, "is_superuser", False):
        return projects
    writers = roles_of(user)
    assigned = ProjectContributor.objects.filter(project=OuterRef("pk"), user_id=user.pk)
    officer_in = [a for a, role in writers.items() if role in (Role.ADMIN, Role.OFFICER)]
    contributor_in = [a for a, role in writers.items() if role == Role.CONTRIBUTOR]
    return projects.filter(
        Q(authority_id__in=officer_in) | (Q(authority_id__in=contributor_in) & Exists(assigned))
    )


def updates_to_approve(*, user: Any, member: Any) -> models.QuerySet[IndicatorUpdate]:
    """The values reported in the member authority's projects that wait for the user's
    approval, oldest first (nothing for those who do not approve; not their own values when a
    colleague approves them, `tenancy.access.may_approve`)."""
    if not may_approve(user, member.pk):
        return IndicatorUpdate.objects.none()
    return (
        IndicatorUpdate.objects.for_user(user)
        .of_authority(member.pk)
        .filter(approvable_by(user, member.pk), status=IndicatorUpdate.Status.SUBMITTED)
        .select_related("period__indicator__result__project", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def latest_updates(period_ids: list[int]) -> dict[int, IndicatorUpdate]:
    """The latest report of each period (waiting, approved or refused), in one query."""
    latest: dict[int, IndicatorUpdate] = {}
    updates = (
        IndicatorUpdate.objects.filter(period_id__in=period_ids)
        .select_related("submitted_by", "decided_by")
        .order_by("period_id", "-submitted_at", "-pk")
    )
    for update in updates:
        latest.setdefault(update.period_id, update)
    return latest


def contributors_assigned(project: Project) -> models.QuerySet[ProjectContributor]:
    """The contributors assigned to a project, with their accounts, by name."""
    return (
        ProjectContributor.objects.filter(project=project)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "pk")
    )


def contributors_to_assign(project: Project) -> models.QuerySet[Any]:
    """The active contributors of the project's authority not yet assigned to it, by name:
    the only people an assignment may name (`result_services.contributor_of_the_same_
    authority`)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__authority_id=project.authority_id,
            memberships__role=Role.CONTRIBUTOR,
        )
        .exclude(project_assignments__project=project)
        .order_by("last_name", "first_name", "username", "pk")
    )
