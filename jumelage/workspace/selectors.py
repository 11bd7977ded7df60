"""Reads of the workspace's pages: they gather what the domain apps' selectors compute and put
it in the order a page shows it. Whether something is a to-do is the domain's decision (the
apps' `selectors.py`); here it is only collected, worded for the page and sorted.

The year's files (ODA declaration, IATI file, Atlas sheets) are computed by the reporting app,
where the file formats and their checks live: the workspace reads its results, as the admin's
reporting panel does, and writes nothing there.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jumelage.accounts.models import Membership, Role
from jumelage.actors.models import Mission, ProjectActor
from jumelage.agreements.selectors import (
    agreements_awaiting_approval,
    agreements_awaiting_transmission,
    agreements_expiring,
    agreements_ready_to_sign,
    agreements_waiting_for_their_decision,
)
from jumelage.audit.models import AuditEntry
from jumelage.content.models import Document
from jumelage.core import formats
from jumelage.core.selectors import OdaListMissing
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.partners.selectors import (
    CONTACT_ADDRESS,
    CONTACT_EMAIL,
    CONTACT_PHONE,
    service_contact_gaps,
    towns_missing_from_the_map,
)
from jumelage.projects.models import (
    Application,
    FinancingPlan,
    Indicator,
    IndicatorPeriod,
    Instalment,
    Project,
    ProjectCountry,
    ReportDue,
    Result,
    Transaction,
)
from jumelage.projects.payments import LedgerLine, ledger_lines
from jumelage.projects.result_selectors import updates_to_approve
from jumelage.projects.selectors import (
    PlanSummary,
    calls_that_fit,
    instalments_due,
    plans_in_force,
    plans_with_totals,
    projects_none_published,
    projects_overview,
    published_projects,
    published_projects_without_summary,
    reports_due,
    summary_of,
)
from jumelage.reporting.atlas.selectors import atlas_completeness
from jumelage.reporting.iati.checks import last_check
from jumelage.reporting.oda.selectors import (
    ACTION_PURPOSE,
    ACTION_RATE,
    OdaWarning,
    oda_declaration,
)
from jumelage.reporting.oda.window import DeclarationWindow, declaration_window
from jumelage.tenancy.history.selectors import history_of, recent_changes
from jumelage.tenancy.members.selectors import memberships_of
from jumelage.tenancy.models import CONTENT_WRITE_ROLES, WRITE_ROLES
from jumelage.visits.selectors import coming_visits_missing_papers
from jumelage.workspace.templatetags.workspace_tags import money


@dataclass
class Seat:
    """The signed-in user in one member authority: the authority, their role in it, and every
    authority they are a member of (for the switcher)."""

    member: MemberAuthority
    user: Any
    role: str | None  # None for a superuser who is not a member of this authority
    memberships: list[Membership] = field(default_factory=list)

    @property
    def may_write(self) -> bool:
        """May change the authority's records (the services check it again on each write)."""
        return self.user.is_superuser or self.role in WRITE_ROLES

    @property
    def may_write_content(self) -> bool:
        """May write news and documents (contributors too)."""
        return self.user.is_superuser or self.role in CONTENT_WRITE_ROLES

    @property
    def role_label(self) -> str:
        if self.role is None:
            return _("instance administrator")
        return str(Membership(role=self.role).get_role_display())

    @property
    def others(self) -> list[MemberAuthority]:
        """The user's other authorities, for the switcher."""
        return [m.authority for m in self.memberships if m.authority_id != self.member.pk]


def seat(user: Any, slug: str) -> Seat:
    """The user's seat in the authority at `slug`, or a 404: an authority the user may not read
    does not exist for them (`MemberAuthority.objects.for_user`, the rule of every page).
    Two queries: the authority, the user's memberships."""
    member = get_object_or_404(MemberAuthority.objects.for_user(user), slug=slug)
    memberships = list(memberships_of(user))
    role = next((m.role for m in memberships if m.authority_id == member.pk), None)
    if role is None and not user.is_superuser:
        raise Http404  # for_user already said no; kept in case the two rules ever differ
    return Seat(member=member, user=user, role=role, memberships=memberships)


# --- Links -----------------------------------------------------------------------------------


def admin_url(name: str, *args: object) -> str:
    """The back office's page for a record ("" when this instance's admin has none)."""
    try:
        return reverse(f"admin:{name}", args=args)
    except NoReverseMatch:
        return ""


def visit_url(slug: str, visit_id: int) -> str:
    """A visit's page in the workspace: its delegation, papers, programme and costs."""
    return reverse("workspace:visit", args=[slug, visit_id])


def project_url(member: MemberAuthority, project_id: int) -> str:
    """Where a project's summary, countries, sectors and publishing are fixed: its form."""
    return reverse("workspace:project_edit", args=[member.slug, project_id])


def _project_page(member: MemberAuthority, project_id: int) -> str:
    """A project's workspace page, where its applications, instalments and reports are
    recorded (each row carries an anchor: `#instalment-<id>`, `#report-<id>`)."""
    return reverse("workspace:project", args=[member.slug, project_id])


# The query that opens a payment form's section of CRS codes (views.payments.payment_edit).
ODA_DETAILS_ANCHOR = "oda"


def payment_url(member: MemberAuthority, payment_id: int, *, codes: bool = False) -> str:
    """Where a payment is fixed (its date, amount, country, ODA category, euros paid, and with
    `codes` its CRS codes, their section opened): its line of the ledger opened in edit mode
    (the line's form as a page; the ledger swaps it in place with htmx). The one definition the
    home, the history and the ODA to-dos link to."""
    url = reverse("workspace:payment_edit", args=[member.slug, payment_id])
    return f"{url}?open={ODA_DETAILS_ANCHOR}" if codes else url


def settings_url(member: MemberAuthority, section: str = "contact") -> str:
    """Where the authority's own settings are fixed: its settings page (`contact`, the service
    contact; `public-page`, the public page's introduction and address; `identifiers`, the
    SIREN and IATI organisation id of its directory entry)."""
    return f"{reverse('workspace:settings', args=[member.slug])}#{section}"


def town_position_url(member: MemberAuthority) -> str:
    """Where a town of the map is placed: the setup page's list of towns without a position,
    with the gazetteer's proposal (or a position typed) and the shared register's rules."""
    return f"{reverse('workspace:setup', args=[member.slug])}#towns"


def next_step_url(member: MemberAuthority, agreement: Any) -> str:
    """Where an act's next legal step is taken: its partnership's page, at the step's button."""
    page = reverse("workspace:partnership", args=[member.slug, agreement.partnership_id])
    return f"{page}#steps-title"


def decision_url(member: MemberAuthority, partnership_id: int, decision_id: int) -> str:
    """Where a council decision is corrected (its enforceability recorded): its form, reached
    from one of the partnerships whose acts it approves."""
    return reverse("workspace:decision_edit", args=[member.slug, partnership_id, decision_id])


def agreement_url(member: MemberAuthority, agreement: Any) -> str:
    """Where an act's content (its end date, its amounts) is corrected: its form."""
    return reverse(
        "workspace:agreement_edit", args=[member.slug, agreement.partnership_id, agreement.pk]
    )


def _date(value: datetime.date | None) -> str:
    return formats.long_date(value)


# --- To do -----------------------------------------------------------------------------------

OVERDUE, THIS_WEEK, THIS_MONTH, LATER, UNDATED = "overdue", "week", "month", "later", "undated"
URGENCIES = (OVERDUE, THIS_WEEK, THIS_MONTH, LATER, UNDATED)


def _urgency_titles() -> dict[str, str]:
    return {
        OVERDUE: _("Overdue"),
        THIS_WEEK: _("This week"),
        THIS_MONTH: _("This month"),
        LATER: _("Later"),
        UNDATED: _("When you can"),
    }


@dataclass(frozen=True)
class ToDo:
    """One line of the home's list: what to do, by when, why it matters, where it is fixed."""

    what: str
    why: str
    url: str = ""
    due: datetime.date | None = None
    # For a line without a deadline: since when it waits (the oldest comes first).
    since: datetime.date | None = None
    detail: str = ""

    def urgency(self, today: datetime.date) -> str:
        if self.due is None:
            return UNDATED
        if self.due < today:
            return OVERDUE
        if self.due <= today + datetime.timedelta(days=7):
            return THIS_WEEK
        if self.due <= today + datetime.timedelta(days=31):
            return THIS_MONTH
        return LATER


@dataclass
class ToDoGroup:
    key: str
    title: str
    items: list[ToDo]


def group_todos(todos: list[ToDo], today: datetime.date) -> list[ToDoGroup]:
    """The lines grouped by urgency (overdue, this week, this month, later, then those without
    a deadline), soonest first in each group; empty groups left out."""
    titles = _urgency_titles()
    groups = {key: ToDoGroup(key, titles[key], []) for key in URGENCIES}
    for todo in todos:
        groups[todo.urgency(today)].items.append(todo)
    for group in groups.values():
        group.items.sort(key=lambda t: (t.due or t.since or datetime.date.max, t.what))
    return [group for group in groups.values() if group.items]


# How far ahead reports and instalments show: the "later" group looks a season ahead.
HORIZON_DAYS = 183
# Lines of one kind shown one by one before the rest is summed up in one line.
MAX_LINES = 5


def _agreement_todos(user: Any, member: MemberAuthority, today: datetime.date) -> list[ToDo]:
    todos = []
    for agreement in agreements_awaiting_approval(user=user, member=member):
        todos.append(
            ToDo(
                what=_("Have the council approve “%(agreement)s”") % {"agreement": agreement},
                why=_("An act is signed only once a council decision approving it is enforceable."),
                url=next_step_url(member, agreement),
                since=agreement.created_at.date(),
            )
        )
    for agreement in agreements_waiting_for_their_decision(user=user, member=member, today=today):
        decision = agreement.council_decision
        if decision is None:
            continue
        todos.append(
            ToDo(
                what=_("Record when council decision %(number)s became enforceable")
                % {"number": decision.number},
                why=_(
                    "“%(agreement)s” waits for it: an act signed before its decision is "
                    "enforceable can be annulled."
                )
                % {"agreement": agreement},
                url=decision_url(member, agreement.partnership_id, decision.pk),
                since=decision.date,
            )
        )
    for agreement in agreements_ready_to_sign(user=user, member=member, today=today):
        decision = agreement.council_decision
        todos.append(
            ToDo(
                what=_("Sign “%(agreement)s”") % {"agreement": agreement},
                why=_("Its council decision has been enforceable since %(date)s.")
                % {"date": _date(decision.enforceable_on if decision else None)},
                url=next_step_url(member, agreement),
                since=decision.enforceable_on if decision else None,
            )
        )
    for agreement in agreements_awaiting_transmission(user=user, member=member):
        todos.append(
            ToDo(
                what=_("Transmit the signed “%(agreement)s” to the prefect")
                % {"agreement": agreement},
                why=_("A signed act comes into force only once it is transmitted to the prefect."),
                url=next_step_url(member, agreement),
                since=agreement.signed_on,
            )
        )
    for agreement in agreements_expiring(user=user, member=member, today=today):
        todos.append(
            ToDo(
                what=_("“%(agreement)s” ends on %(date)s")
                % {"agreement": agreement, "date": _date(agreement.ends_on)},
                why=_(
                    "Renew it in time, or let it end on purpose: a renewal goes before the "
                    "council first."
                ),
                url=agreement_url(member, agreement),
                due=agreement.ends_on,
            )
        )
    return todos


def _funder_name(application: Any) -> str:
    funder = application.call.funder
    return funder.acronym or funder.name


def _money_todos(user: Any, member: MemberAuthority, today: datetime.date) -> list[ToDo]:
    todos = []
    reports = reports_due(user=user, days=HORIZON_DAYS, today=today).filter(
        application__project__authority_id=member.pk
    )
    for report in reports:
        application = report.application
        final = report.kind == ReportDue.Kind.FINAL
        todos.append(
            ToDo(
                what=_("Send the %(kind)s of “%(project)s” to %(funder)s")
                % {
                    "kind": report.get_kind_display(),
                    "project": application.project,
                    "funder": _funder_name(application),
                },
                why=_("Funders usually hold back the end of a grant until the final report.")
                if final
                else _("Funders ask for the reports due before they pay or grant again."),
                url=f"{_project_page(member, application.project_id)}#report-{report.pk}",
                due=report.due_on,
            )
        )
    instalments = instalments_due(user=user, days=HORIZON_DAYS, today=today).filter(
        application__project__authority_id=member.pk
    )
    for instalment in instalments:
        application = instalment.application
        todos.append(
            ToDo(
                what=_("Instalment %(rank)s from %(funder)s for “%(project)s”: %(amount)s")
                % {
                    "rank": instalment.rank,
                    "funder": _funder_name(application),
                    "project": application.project,
                    "amount": money(instalment.amount, application.currency),
                },
                why=_(
                    "Money the project counts on: check that it has arrived, then record the "
                    "date received."
                ),
                url=f"{_project_page(member, application.project_id)}#instalment-{instalment.pk}",
                due=instalment.due_on,
            )
        )
    return todos


def _call_todos(user: Any, member: MemberAuthority, today: datetime.date) -> list[ToDo]:
    """Funders' calls closing soon that fit a project still seeking money (the fit is the
    projects app's decision: `calls_that_fit`)."""
    todos = []
    for fit in calls_that_fit(user=user, authority_id=member.pk, today=today):
        call = fit.call
        funder = call.funder.acronym or call.funder.name
        first = fit.projects[0]
        others = len(fit.projects) - 1
        todos.append(
            ToDo(
                what=_("Apply to “%(call)s” (%(funder)s) for “%(project)s”")
                % {"call": call.title, "funder": funder, "project": first},
                why=(
                    ngettext(
                        "The call closes on %(date)s; it also fits %(count)s other project.",
                        "The call closes on %(date)s; it also fits %(count)s other projects.",
                        others,
                    )
                    if others
                    else _("The call closes on %(date)s and fits the project's country and theme.")
                )
                % {"date": _date(call.closes_on), "count": others},
                url=reverse("workspace:project", args=[member.slug, first.pk]),
                due=call.closes_on,
            )
        )
    return todos


def _contact_labels() -> dict[str, str]:
    return {
        CONTACT_EMAIL: _("e-mail address"),
        CONTACT_PHONE: _("phone number"),
        CONTACT_ADDRESS: _("postal address"),
    }


def _public_page_todos(place: Seat) -> list[ToDo]:
    member, user = place.member, place.user
    todos = []
    for town in towns_missing_from_the_map(member=member, user=user):
        own = town.pk == member.authority_id
        todos.append(
            ToDo(
                what=_("Give the position of %(town)s on the map") % {"town": town.name},
                why=_("Without it, your public map cannot show your own town.")
                if own
                else _("Without it, your public map leaves this partner town out."),
                url=town_position_url(member),
            )
        )
    unpublished = projects_none_published(user=user, member=member)
    if unpublished:
        todos.append(
            ToDo(
                what=ngettext(
                    "Publish your project",
                    "Publish your %(count)s projects, or those the public may see",
                    unpublished,
                )
                % {"count": unpublished},
                why=_(
                    "None is published: your public page shows no project and your IATI file "
                    "is empty. Each project's form says what publishing shows."
                ),
                url=reverse("workspace:projects", args=[member.slug]),
            )
        )
    for project in published_projects_without_summary(user=user, member=member):
        todos.append(
            ToDo(
                what=_("Write a summary of “%(project)s”") % {"project": project},
                why=_(
                    "It is published without one: its public page and the IATI file show no "
                    "description."
                ),
                url=project_url(member, project.pk),
            )
        )
    gaps = service_contact_gaps(member)
    if gaps:
        labels = _contact_labels()
        todos.append(
            ToDo(
                what=_("Complete the service's contact details: %(missing)s")
                % {"missing": ", ".join(labels[gap] for gap in gaps)},
                why=_("Your public contact page shows only the details given."),
                url=settings_url(member),
                detail=""
                if place.role in (Role.ADMIN, None)
                else _("An administrator of the authority changes them."),
            )
        )
    return todos


def _visit_todos(user: Any, member: MemberAuthority, today: datetime.date) -> list[ToDo]:
    todos = []
    for visit, lacking in coming_visits_missing_papers(user=user, member=member, today=today):
        messages = [message for _p, problems in lacking for message in problems.values()]
        todos.append(
            ToDo(
                what=_("Travel papers for “%(visit)s”") % {"visit": visit},
                why=_(
                    "Elected officials travel under a special mandate of the council, staff "
                    "under a mission order."
                ),
                url=visit_url(member.slug, visit.pk),
                due=visit.starts_on,
                detail=" ".join(messages[:3]) + (" …" if len(messages) > 3 else ""),
            )
        )
    return todos


def _result_todos(user: Any, member: MemberAuthority) -> list[ToDo]:
    """One line for the indicator values waiting for approval (for those who approve them)."""
    waiting = list(
        updates_to_approve(user=user, member=member).values_list("submitted_at", flat=True)
    )
    if not waiting:
        return []
    count = len(waiting)
    return [
        ToDo(
            what=ngettext(
                "%(count)s indicator update to approve",
                "%(count)s indicator updates to approve",
                count,
            )
            % {"count": count},
            why=_(
                "Contributors reported these values; they are published on the public page "
                "and in the IATI file only once approved."
            ),
            url=reverse("workspace:approvals", args=[member.slug]),
            since=min(waiting).date(),
        )
    ]


# --- The year's files: the ODA declaration, the IATI file, the Atlas sheets ------------------

# GOV.UK's task list states, with DSFR's tag colours.
TONE_ERROR, TONE_WARNING, TONE_SUCCESS, TONE_NEUTRAL = "error", "warning", "success", ""


@dataclass(frozen=True)
class FileTask:
    """One file of the year in the task list: its name, link, a hint and its state."""

    name: str
    url: str
    hint: str
    status: str
    tone: str = TONE_NEUTRAL


# The declaration is worth a line of its own once the window is this close.
ODA_NOTICE_DAYS = 30


def _oda_fix_url(member: MemberAuthority, item: Any, warnings: list[OdaWarning]) -> str:
    """Where a payment of the declaration is fixed: the rate form when it lacks a rate (the
    ledger's line also takes the euro amount paid); its line of the ledger when its category or
    country is missing or contradicts it (`payment_url`); its project's form when the project's
    main objective is to confirm (the ODA purpose); else (only its CRS codes missing) its line
    of the ledger with the section of codes opened."""
    if any(warning.action == ACTION_RATE for warning in warnings):
        query = urlencode(
            {
                "currency": item.currency,
                "date": item.rate_date.isoformat(),
                "next": reverse("workspace:payments", args=[member.slug]),
            }
        )
        return f"{reverse('workspace:rate', args=[member.slug])}?{query}"
    if any(not warning.counted and warning.action != ACTION_PURPOSE for warning in warnings):
        return payment_url(member, item.pk)
    if item.project_id and any(warning.action == ACTION_PURPOSE for warning in warnings):
        edit = reverse("workspace:project_edit", args=[member.slug, item.project_id])
        return f"{edit}#id_oda_purpose_0"
    if any(warning.action == ACTION_PURPOSE for warning in warnings):
        return admin_url("projects_transaction_change", item.pk) or payment_url(member, item.pk)
    return payment_url(member, item.pk, codes=True)


def _oda(member: MemberAuthority, window: DeclarationWindow) -> tuple[list[ToDo], FileTask]:
    year = window.year
    url = reverse("reporting:oda_declaration", args=[member.slug, year])
    name = _("ODA declaration of %(year)s flows") % {"year": year}
    if window.is_open:
        period = _("Open until %(date)s.") % {"date": _date(window.closes)}
    else:
        period = _("Opens on %(date)s.") % {"date": _date(window.opens)}
    todos = []
    near = window.is_open or window.days_to_open <= ODA_NOTICE_DAYS
    if near:
        todos.append(
            ToDo(
                what=_("Make the ODA declaration of %(year)s flows") % {"year": year},
                why=_(
                    "The law asks for it each year (CGCT L1115-6), and the Ministry's calls "
                    "for projects require it."
                ),
                url=url,
                due=window.closes,
            )
        )
    try:
        declaration = oda_declaration(member, year)
    except OdaListMissing:
        if near:
            todos.append(
                ToDo(
                    what=_("Load the OECD list of ODA recipients for %(year)s") % {"year": year},
                    why=_("Without it the ODA declaration of %(year)s flows cannot be checked.")
                    % {"year": year},
                    url=url,
                    due=window.closes,
                    detail=_("Ask the instance administrator to load the reference data."),
                )
            )
        hint = _("The OECD list of ODA recipients for %(year)s is not loaded.") % {"year": year}
        return todos, FileTask(name, url, f"{period} {hint}", _("Cannot start yet"))

    by_payment: dict[int, list[OdaWarning]] = {}
    for warning in declaration.warnings:
        by_payment.setdefault(warning.item.pk, []).append(warning)
    lines = list(by_payment.values())
    for warnings in lines[:MAX_LINES]:
        item = warnings[0].item
        left_out = any(not warning.counted for warning in warnings)
        todos.append(
            ToDo(
                what=_("Fix the payment of %(amount)s on %(date)s (%(project)s)")
                % {
                    "amount": money(item.amount, item.currency),
                    "date": _date(item.date),
                    "project": item.project_title,
                },
                why=(
                    _("Left out of the ODA declaration of %(year)s flows until it is fixed.")
                    if left_out
                    else _(
                        "Counted in the ODA declaration of %(year)s flows, but the OECD "
                        "reporting needs its codes."
                    )
                )
                % {"year": year},
                url=_oda_fix_url(member, item, warnings),
                due=window.closes,
                detail=" ".join(warning.message for warning in warnings),
            )
        )
    if len(lines) > MAX_LINES:
        more = len(lines) - MAX_LINES
        todos.append(
            ToDo(
                what=ngettext(
                    "%(count)s more payment to fix in the ODA declaration",
                    "%(count)s more payments to fix in the ODA declaration",
                    more,
                )
                % {"count": more},
                why=_("The declaration page lists each of them with what to fix."),
                url=url,
                due=window.closes,
            )
        )

    counted = len(declaration.counted)
    figures = ngettext("%(count)s payment counted", "%(count)s payments counted", counted) % {
        "count": counted
    }
    if lines:
        figures += ", " + ngettext("%(count)s to fix", "%(count)s to fix", len(lines)) % {
            "count": len(lines)
        }
        status, tone = _("To fix"), TONE_ERROR if window.is_open else TONE_WARNING
    elif not counted:
        status, tone = _("Nothing counted yet"), TONE_NEUTRAL
    else:
        status, tone = _("Ready to declare"), TONE_SUCCESS
    return todos, FileTask(name, url, f"{period} {figures}.", status, tone)


def _iati(
    member: MemberAuthority, base_url: str, today: datetime.date
) -> tuple[list[ToDo], FileTask]:
    # The checks run in the task queue after a write (reporting.iati.checks): the home shows
    # the last result, with its time while a new check is under way.
    last = last_check(member, base_url=base_url, today=today)
    url = reverse("reporting:iati_check", args=[member.slug])
    name = _("IATI file")
    why = _("Left out of your IATI file, which funders and the public read.")
    todos: list[ToDo] = []
    report = last.report
    if report is None:
        hint = _("Your published projects are being checked; the result shows here shortly.")
        return todos, FileTask(name, url, hint, _("Being checked"), TONE_NEUTRAL)
    if report.refused:
        todos.append(
            ToDo(
                what=_("Give your authority's IATI organisation id"),
                why=_("Without it no IATI file can be published."),
                url=settings_url(member, "identifiers"),
                detail=report.refused,
            )
        )
        return todos, FileTask(name, url, report.refused, _("Cannot publish"), TONE_ERROR)
    for excluded in report.excluded[:MAX_LINES]:
        problems = excluded.problems
        todos.append(
            ToDo(
                what=_("Complete “%(project)s” for the IATI file") % {"project": excluded.title},
                why=why,
                url=project_url(member, excluded.pk),
                detail=" ".join(problems[:3]) + (" …" if len(problems) > 3 else ""),
            )
        )
    left_out = len(report.excluded)
    if left_out > MAX_LINES:
        more = left_out - MAX_LINES
        todos.append(
            ToDo(
                what=ngettext(
                    "%(count)s more project left out of the IATI file",
                    "%(count)s more projects left out of the IATI file",
                    more,
                )
                % {"count": more},
                why=why,
                url=url,
            )
        )
    published = report.exported + left_out
    hint = ngettext("%(count)s published project", "%(count)s published projects", published) % {
        "count": published
    }
    if left_out:
        hint += ", " + ngettext("%(count)s left out", "%(count)s left out", left_out) % {
            "count": left_out
        }
        status, tone = _("To fix"), TONE_WARNING
    elif not published:
        status, tone = _("Nothing published"), TONE_NEUTRAL
    else:
        status, tone = _("Up to date"), TONE_SUCCESS
    hint += "."
    if not last.current and last.checked_at is not None:
        checked = timezone.localtime(last.checked_at)
        hint += " " + _(
            "Checked on %(day)s at %(time)s; your latest changes are being checked."
        ) % {
            "day": date_format(checked.date(), "SHORT_DATE_FORMAT"),
            "time": time_format(checked.time(), "TIME_FORMAT"),
        }
    return todos, FileTask(name, url, hint, status, tone)


def _atlas(member: MemberAuthority) -> FileTask:
    counts = atlas_completeness(member)
    url = reverse("reporting:atlas_sheets", args=[member.slug])
    hint = ngettext("%(count)s partnership", "%(count)s partnerships", counts.sheets) % {
        "count": counts.sheets
    }
    if counts.incomplete:
        hint += ", " + ngettext(
            "%(count)s sheet without its theme or year",
            "%(count)s sheets without their theme or year",
            counts.incomplete,
        ) % {"count": counts.incomplete}
        status, tone = _("To complete"), TONE_WARNING
    elif not counts.sheets:
        status, tone = _("No partnership yet"), TONE_NEUTRAL
    else:
        status, tone = _("All complete"), TONE_SUCCESS
    return FileTask(_("Atlas sheets"), url, f"{hint}.", status, tone)


# --- Recent changes --------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    who: str
    what: str
    record: str
    record_type: str
    at: datetime.datetime
    url: str


def _record_type(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None  # a model since removed: the entry keeps its raw label


# The records with a workspace page of their own, found from their id alone (no query): the
# history and the recent changes link there; the others keep their back-office page.
RECORD_PAGES = {
    "projects.project": "workspace:project",
    "partners.partnership": "workspace:partnership",
    "actors.person": "workspace:person",
    "actors.actor": "workspace:actor",
    "networks.network": "workspace:network",
}


def record_url(member: MemberAuthority, label: str, object_id: str) -> str:
    """Where a record named by an audit entry is seen and fixed: its workspace page when it has
    one, else its back-office page ("" when neither exists)."""
    model = _record_type(label)
    if model is None:
        return ""
    if object_id.isdigit():
        if label in RECORD_PAGES:
            return reverse(RECORD_PAGES[label], args=[member.slug, int(object_id)])
        if label == "projects.transaction":
            return payment_url(member, int(object_id))
        if label == "partners.memberauthority" and int(object_id) == member.pk:
            return settings_url(member)
    return admin_url(f"{model._meta.app_label}_{model._meta.model_name}_change", object_id)


def change_of(member: MemberAuthority, entry: AuditEntry) -> Change:
    """An audit entry as the pages show it: who did what to which record, when, and where the
    record is (no query: the entry's user is selected with it)."""
    model = _record_type(entry.model)
    url = ""
    if model is not None and entry.action != AuditEntry.Action.DELETE:
        url = record_url(member, entry.model, entry.object_id)
    user = entry.user
    return Change(
        who=(user.get_full_name() or user.get_username()) if user else _("the system"),
        # Services store verbs untranslated (gettext_noop); they are translated when read.
        what=_(entry.verb) if entry.verb else str(entry.get_action_display()),
        record=entry.object_repr,
        record_type=str(model._meta.verbose_name) if model is not None else entry.model,
        at=entry.at,
        url=url,
    )


# --- The home page ---------------------------------------------------------------------------


@dataclass
class Home:
    groups: list[ToDoGroup]
    count: int
    files: list[FileTask]
    changes: list[Change]


def home_page(place: Seat, *, today: datetime.date, base_url: str) -> Home:
    """Everything the home shows for the seat's authority, in a fixed number of queries."""
    member, user = place.member, place.user
    oda_todos, oda_task = _oda(member, declaration_window(today))
    iati_todos, iati_task = _iati(member, base_url, today)
    todos = [
        *oda_todos,
        *iati_todos,
        *_agreement_todos(user, member, today),
        *_money_todos(user, member, today),
        *_call_todos(user, member, today),
        *_visit_todos(user, member, today),
        *_public_page_todos(place),
        *_result_todos(user, member),
    ]
    return Home(
        groups=group_todos(todos, today),
        count=len(todos),
        files=[oda_task, iati_task, _atlas(member)],
        changes=[change_of(member, entry) for entry in recent_changes(user=user, member=member)],
    )


# --- Projects --------------------------------------------------------------------------------

PROJECTS_PER_PAGE = 50


def project_list(place: Seat) -> models.QuerySet[Project]:
    """The authority's projects the user may read, with what an officer follows (one query,
    `projects.selectors.projects_overview`), latest start first."""
    projects = Project.objects.for_user(place.user).of_authority(place.member.pk)
    return projects_overview(user=place.user, queryset=projects).order_by(
        F("planned_start").desc(nulls_last=True), "-pk"
    )


@dataclass(frozen=True)
class PlanRow:
    plan: FinancingPlan
    summary: PlanSummary
    in_force: bool


@dataclass
class ProjectPage:
    project: Project
    public_url: str
    edit_url: str
    plans: list[PlanRow]
    transactions: list[Transaction]
    transaction_types: dict[str, str]
    payments: list[LedgerLine]  # the payments ledger's lines (projects.payments)
    payments_may_write: bool
    applications: list[Application]
    results: list[Result]
    actors: list[Any]
    missions: list[Any]
    documents: list[Any]
    history: list[Change]


def project_applications(project: Project) -> list[Application]:
    """A project's applications with their calls, instalments and reports due (3 queries)."""
    return list(
        Application.objects.filter(project=project)
        .select_related("call__funder")
        .prefetch_related(
            Prefetch("instalments", queryset=Instalment.objects.order_by("rank", "pk")),
            Prefetch("reports", queryset=ReportDue.objects.order_by("due_on", "pk")),
        )
        .order_by("pk")
    )


def project_page(place: Seat, pk: int) -> ProjectPage:
    """One project of the seat's authority as its page shows it, read only; a 404 for a project
    the user may not read. A fixed number of queries, whatever the project holds."""
    member, user = place.member, place.user
    projects = (
        Project.objects.for_user(user)
        .of_authority(member.pk)
        .select_related("atlas_theme")
        .prefetch_related(
            "sectors",
            Prefetch("countries", queryset=ProjectCountry.objects.select_related("country")),
            Prefetch(
                "partnerships", queryset=Partnership.objects.select_related("partner__country")
            ),
        )
    )
    project = get_object_or_404(projects, pk=pk)
    public = published_projects(member).filter(pk=project.pk).exists()

    plans = list(plans_with_totals(FinancingPlan.objects.filter(project=project).order_by("pk")))
    in_force = set(
        plans_in_force(FinancingPlan.objects.filter(project=project)).values_list("pk", flat=True)
    )
    transactions = list(
        Transaction.objects.filter(project=project)
        .select_related("recipient_country", "partnership__partner", "service_budget")
        .order_by("-date", "-pk")
    )
    payments = ledger_lines(transactions)
    type_names = {line.payment.transaction_type: line.type_name for line in payments}
    applications = project_applications(project)
    indicators = Indicator.objects.prefetch_related(
        Prefetch("periods", queryset=IndicatorPeriod.objects.order_by("starts_on", "pk"))
    ).order_by("pk")
    results = list(
        Result.objects.filter(project=project)
        .prefetch_related(Prefetch("indicators", queryset=indicators))
        .order_by("pk")
    )
    actors = list(
        ProjectActor.objects.filter(project=project).select_related("actor").order_by("pk")
    )
    missions = list(
        Mission.objects.filter(project=project)
        .select_related("person")
        .order_by(F("started_on").desc(nulls_last=True), "pk")
    )
    documents = list(
        Document.objects.filter(project=project).order_by(F("date").desc(nulls_last=True), "pk")
    )
    parts: list[models.Model] = [project, *plans, *transactions, *applications, *results]
    parts += [*actors, *documents]
    return ProjectPage(
        project=project,
        public_url=reverse("public:project", args=[member.slug, project.slug]) if public else "",
        edit_url=reverse("workspace:project_edit", args=[member.slug, project.pk]),
        plans=[PlanRow(plan, summary_of(plan), plan.pk in in_force) for plan in plans],
        transactions=transactions,
        transaction_types=type_names,
        payments=payments,
        payments_may_write=bool(user.is_superuser or place.role in Transaction.write_roles),
        applications=applications,
        results=results,
        actors=actors,
        missions=missions,
        documents=documents,
        history=[change_of(member, entry) for entry in history_of(user=user, records=parts)],
    )
