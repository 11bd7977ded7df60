"""A project's results as the workspace shows them: indicators, targets, periods with their
published value and the latest reported one; the values waiting for an officer's approval.
Who may report and approve is the domain's decision (`projects.result_selectors`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404

from jumelage.projects.models import (
    Indicator,
    IndicatorPeriod,
    IndicatorUpdate,
    Project,
    Result,
)
from jumelage.projects.result_selectors import latest_updates, may_report_on, updates_to_approve
from jumelage.tenancy.access import may_approve
from jumelage.workspace.forms.results import RefusalForm
from jumelage.workspace.selectors import Seat


@dataclass
class PeriodRow:
    period: IndicatorPeriod
    latest: IndicatorUpdate | None

    @property
    def waiting(self) -> bool:
        return self.latest is not None and self.latest.status == IndicatorUpdate.Status.SUBMITTED

    @property
    def refused(self) -> bool:
        return self.latest is not None and self.latest.status == IndicatorUpdate.Status.REFUSED


@dataclass
class IndicatorBlock:
    indicator: Indicator
    periods: list[PeriodRow]


@dataclass
class ResultBlock:
    result: Result
    indicators: list[IndicatorBlock]


@dataclass
class ResultsSection:
    results: list[ResultBlock]
    may_report: bool
    may_approve: bool
    waiting: int = 0


def results_section(place: Seat, project: Project, results: list[Result]) -> ResultsSection:
    """The results section of a project's page, from the results the page already read (with
    their indicators and periods): one query for the latest reports, one for the roles."""
    periods = [
        period
        for result in results
        for indicator in result.indicators.all()
        for period in indicator.periods.all()
    ]
    latest = latest_updates([period.pk for period in periods]) if periods else {}
    blocks = [
        ResultBlock(
            result,
            [
                IndicatorBlock(
                    indicator,
                    [
                        PeriodRow(period, latest.get(period.pk))
                        for period in indicator.periods.all()
                    ],
                )
                for indicator in result.indicators.all()
            ],
        )
        for result in results
    ]
    # The values this user approves (a colleague approves the user's own, may_approve).
    waiting = sum(
        1
        for update in latest.values()
        if update.status == "submitted"
        and may_approve(place.user, project.authority_id, submitted_by_id=update.submitted_by_id)
    )
    return ResultsSection(
        results=blocks,
        may_report=may_report_on(place.user, project),
        may_approve=may_approve(place.user, project.authority_id),
        waiting=waiting,
    )


@dataclass
class PeriodPage:
    project: Project
    period: IndicatorPeriod
    indicator: Indicator
    latest: IndicatorUpdate | None
    may_report: bool


def period_page(place: Seat, project_pk: int, period_pk: int) -> PeriodPage:
    """A period of one of the authority's projects, for reporting its value; a 404 for a
    project or period the user may not read."""
    project = get_object_or_404(
        Project.objects.for_user(place.user).of_authority(place.member.pk), pk=project_pk
    )
    period = get_object_or_404(
        IndicatorPeriod.objects.for_user(place.user)
        .filter(indicator__result__project=project)
        .select_related("indicator__result"),
        pk=period_pk,
    )
    return PeriodPage(
        project=project,
        period=period,
        indicator=period.indicator,
        latest=latest_updates([period.pk]).get(period.pk),
        may_report=may_report_on(place.user, project),
    )


@dataclass
class Approval:
    update: IndicatorUpdate
    form: RefusalForm


@dataclass
class ApprovalsPage:
    approvals: list[Approval] = field(default_factory=list)
    may_approve: bool = False


def approvals_page(place: Seat, bound: dict[int, RefusalForm] | None = None) -> ApprovalsPage:
    """The values reported in the authority's projects that wait for approval, oldest first,
    each with its refusal form (the one posted, when it came back with an error)."""
    bound = bound or {}
    updates = list(
        updates_to_approve(user=place.user, member=place.member).select_related(
            "period__indicator__result__project"
        )
    )
    return ApprovalsPage(
        approvals=[
            Approval(
                update,
                bound.get(update.pk)
                or RefusalForm(
                    initial={"_version": update.period.indicator.version},
                    prefix_id=f"refuse{update.pk}",
                ),
            )
            for update in updates
        ],
        may_approve=may_approve(place.user, place.member.pk),
    )


def waiting_update(place: Seat, pk: int) -> IndicatorUpdate:
    """A value waiting in the authority's projects, readable by the user; else a 404."""
    return get_object_or_404(
        IndicatorUpdate.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .select_related("period__indicator__result__project"),
        pk=pk,
    )
