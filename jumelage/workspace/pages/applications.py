"""A project's applications to funders and its contributors assigned, as the project page
shows them: each application with its decision, instalments and reports due, and for those who
write, the forms that record them in place. The projects app decides what may be recorded
(`projects.application_services`, `projects.result_services`); here it is only laid out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone

from jumelage.projects.models import Application, Instalment, Project, ProjectContributor, ReportDue
from jumelage.projects.result_selectors import contributors_assigned, contributors_to_assign
from jumelage.projects.selectors import usual_calls
from jumelage.workspace.forms.applications import (
    ApplicationForm,
    ContributorForm,
    DecisionForm,
    InstalmentForm,
    ReceivedForm,
    ReportForm,
    RowForm,
    SentForm,
)
from jumelage.workspace.selectors import Seat, project_applications

Forms = dict[str, RowForm]


@dataclass
class Row:
    """An instalment or a report due; `edit` is its form while it is changed, `mark` the
    form that records it received or sent while it is not."""

    row: Instalment | ReportDue
    key: str
    edit: RowForm | None = None
    mark: RowForm | None = None


@dataclass
class ApplicationBlock:
    application: Application
    instalments: list[Row]
    reports: list[Row]
    decision: DecisionForm | None = None
    add_instalment: InstalmentForm | None = None
    add_report: ReportForm | None = None
    # Which of the block's folded forms shows open (the one sent back with an error).
    open: str = ""


@dataclass
class ApplicationsSection:
    project: Project
    blocks: list[ApplicationBlock]
    may_write: bool
    add: ApplicationForm | None = None
    add_open: bool = False
    notice: str = ""
    alert: str = ""


def may_write_applications(place: Seat) -> bool:
    """Whether the seat records applications, decisions, instalments and reports (its role,
    read with the seat; the services ask again, afresh, on each write)."""
    return bool(place.user.is_superuser or place.role in Application.write_roles)


def _form(bound: Forms, key: str, form_class: type[RowForm], **kwargs: Any) -> Any:
    """The form sent back with what to fix, else a new one."""
    return bound.get(key) or form_class(**kwargs)


def applications_section(
    place: Seat,
    project: Project,
    applications: list[Application],
    *,
    bound: Forms | None = None,
    editing: str = "",
    notice: str = "",
    alert: str = "",
) -> ApplicationsSection:
    """The section from the applications the page read (with their calls, instalments and
    reports): for a writer, two queries more (the calls to choose from, the usual ones)."""
    bound = bound or {}
    writer = may_write_applications(place)
    blocks = []
    for application in applications:
        seen = {"_version": application.version}
        block = ApplicationBlock(application, instalments=[], reports=[])
        for instalment in application.instalments.all():
            row = Row(instalment, f"instalment-{instalment.pk}")
            if writer and editing == row.key:
                row.edit = _form(
                    bound,
                    row.key,
                    InstalmentForm,
                    application=application,
                    row=instalment,
                    initial=dict(seen),
                )
            if writer and instalment.received_on is None:
                row.mark = _form(
                    bound,
                    f"received-{instalment.pk}",
                    ReceivedForm,
                    row=instalment,
                    initial=dict(seen),
                )
            block.instalments.append(row)
        for report in application.reports.all():
            row = Row(report, f"report-{report.pk}")
            if writer and editing == row.key:
                row.edit = _form(
                    bound,
                    row.key,
                    ReportForm,
                    application=application,
                    row=report,
                    initial=dict(seen),
                )
            if writer and report.submitted_on is None:
                row.mark = _form(
                    bound, f"sent-{report.pk}", SentForm, row=report, initial=dict(seen)
                )
            block.reports.append(row)
        if writer:
            block.decision = _form(
                bound,
                f"decision-{application.pk}",
                DecisionForm,
                application=application,
                initial=dict(seen),
            )
            block.add_instalment = _form(
                bound,
                f"instalment-new-{application.pk}",
                InstalmentForm,
                application=application,
                initial=dict(seen),
            )
            block.add_report = _form(
                bound,
                f"report-new-{application.pk}",
                ReportForm,
                application=application,
                initial=dict(seen),
            )
            for name, key in (
                ("decision", f"decision-{application.pk}"),
                ("instalment", f"instalment-new-{application.pk}"),
                ("report", f"report-new-{application.pk}"),
            ):
                if key in bound:
                    block.open = name
        blocks.append(block)
    add: Any = None
    if writer:
        add = bound.get("application-new") or ApplicationForm(
            usual=usual_calls(project.authority_id, timezone.localdate())
        )
    return ApplicationsSection(
        project=project,
        blocks=blocks,
        may_write=writer,
        add=add,
        add_open="application-new" in bound,
        notice=notice,
        alert=alert,
    )


def fresh_section(place: Seat, project: Project, **kwargs: Any) -> ApplicationsSection:
    """The section read afresh (after a write, or to show a row's form)."""
    return applications_section(place, project, project_applications(project), **kwargs)


def application_of(place: Seat, project: Project, pk: int) -> Application:
    """An application of the project the user may read, or a 404."""
    return get_object_or_404(
        Application.objects.for_user(place.user).filter(project=project).select_related("call"),
        pk=pk,
    )


def instalment_of(application: Application, pk: int) -> Instalment:
    return get_object_or_404(Instalment.objects.filter(application=application), pk=pk)


def report_of(application: Application, pk: int) -> ReportDue:
    return get_object_or_404(ReportDue.objects.filter(application=application), pk=pk)


# --- Contributors assigned -------------------------------------------------------------------


@dataclass
class ContributorsSection:
    project: Project
    assigned: list[ProjectContributor]
    may_assign: bool
    form: ContributorForm | None = None
    notice: str = ""
    alert: str = ""
    errors: list[str] = field(default_factory=list)


def contributors_section(
    place: Seat,
    project: Project,
    *,
    form: ContributorForm | None = None,
    notice: str = "",
    alert: str = "",
) -> ContributorsSection:
    """Who reports the project's indicators besides the officers: one query, and one more
    for an officer (the contributors who may be assigned)."""
    may_assign = bool(place.user.is_superuser or place.role in ProjectContributor.write_roles)
    assigned = list(contributors_assigned(project))
    if may_assign and form is None:
        form = ContributorForm(
            candidates=list(contributors_to_assign(project)),
            initial={"_version": project.version},
        )
    return ContributorsSection(
        project=project,
        assigned=assigned,
        may_assign=may_assign,
        form=form if may_assign else None,
        notice=notice,
        alert=alert,
    )
