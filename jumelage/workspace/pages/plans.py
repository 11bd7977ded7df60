"""The financing plan editor's page: a plan of a project, its lines, and what the domain checks
on it (`projects.selectors.plan_checks`: totals, years, the call's rules). Read here, written
through `projects.services`; what blocks a submission is the domain's decision, shown as is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.shortcuts import get_object_or_404

from jumelage.projects.models import ExpenseLine, FinancingPlan, Project, ResourceLine
from jumelage.projects.selectors import Check, PlanChecks, plan_checks
from jumelage.tenancy.access import may_write
from jumelage.workspace.selectors import Seat

LINE_MODELS: dict[str, type[ExpenseLine] | type[ResourceLine]] = {
    "expenses": ExpenseLine,
    "resources": ResourceLine,
}


def project_of(place: Seat, pk: int) -> Project:
    """A project of the seat's authority the user may read, or a 404."""
    projects = Project.objects.for_user(place.user).of_authority(place.member.pk)
    return get_object_or_404(projects, pk=pk)


def plan_of(place: Seat, project_pk: int, pk: int) -> FinancingPlan:
    """A plan of that project, or a 404 (another authority's plan does not exist here)."""
    plans = (
        FinancingPlan.objects.for_user(place.user)
        .filter(project__authority_id=place.member.pk, project_id=project_pk)
        .select_related("project", "call__funder")
    )
    return get_object_or_404(plans, pk=pk)


def line_of(plan: FinancingPlan, kind: str, pk: int) -> ExpenseLine | ResourceLine:
    """A line of the plan, or a 404."""
    line: ExpenseLine | ResourceLine
    if kind == "resources":
        line = get_object_or_404(
            ResourceLine.objects.filter(plan_id=plan.pk).select_related("funder"), pk=pk
        )
    else:
        line = get_object_or_404(ExpenseLine.objects.filter(plan_id=plan.pk), pk=pk)
    line.plan = plan  # the plan read once, for the rules and the version
    return line


def may_edit_plans(place: Seat) -> bool:
    """Whether the user may change the authority's plans (tenancy.access, the one rule: the
    plans' write roles, read once per request; the services ask again on each write)."""
    return may_write(place.user, place.member.pk, FinancingPlan.write_roles)


@dataclass
class PlanEditor:
    project: Project
    plan: FinancingPlan
    expenses: list[ExpenseLine]
    resources: list[ResourceLine]
    checks: PlanChecks
    may_edit: bool
    # The row being edited (kind, id) and its form, or the add forms with their errors.
    editing: tuple[str, int] | None = None
    forms: dict[str, Any] = field(default_factory=dict)

    @property
    def warnings(self) -> list[Check]:
        """What to look at without blocking (a missing ODA list, years outside the project)."""
        return [check for check in self.checks.checks if not check.blocking]


def plan_editor(place: Seat, plan: FinancingPlan) -> PlanEditor:
    """The editor of one plan, in a fixed number of queries whatever its lines."""
    expenses = list(ExpenseLine.objects.filter(plan_id=plan.pk).order_by("year", "pk"))
    resources = list(
        ResourceLine.objects.filter(plan_id=plan.pk)
        .select_related("funder")
        .order_by("-is_own", "year", "pk")
    )
    return PlanEditor(
        project=plan.project,
        plan=plan,
        expenses=expenses,
        resources=resources,
        checks=plan_checks(plan),
        may_edit=may_edit_plans(place),
    )
