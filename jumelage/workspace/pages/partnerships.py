"""The partnership pages: the authority's partnerships, and one partnership's timeline (first
signature, council decisions, agreements, visits, projects, news), key figures, Atlas sheet and
the next legal step of its acts.

What counts (the budget in force, the leverage, an act's next step, who is mobilised) is decided
by the domain apps' selectors; here it is gathered and put in the order the page shows it.
Every query is scoped to the seat's authority and the user's reading rights; the page costs the
same number of queries whatever the partnership holds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jumelage.actors.selectors import PeopleInvolved, people_involved
from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.agreements.selectors import (
    forecast_commitments_in_force,
    partnership_agreements,
    with_first_signature_year,
)
from jumelage.agreements.steps import Step, next_legal_step
from jumelage.content.models import NewsItem
from jumelage.core import formats
from jumelage.core.i18n import translate
from jumelage.partners.models import Partnership
from jumelage.partners.selectors import (
    partnership_is_published,
    partnership_list,
    published_partnerships,
)
from jumelage.projects.models import Project
from jumelage.projects.selectors import PlanSummary, budget_of_projects
from jumelage.reporting.atlas.selectors import AtlasSheet, atlas_sheet, sheet_gaps
from jumelage.tenancy.access import may_write
from jumelage.visits.models import Visit
from jumelage.visits.selectors import partnership_visits
from jumelage.workspace.forms.partnerships import step_form
from jumelage.workspace.pages.acts import may_write_acts
from jumelage.workspace.selectors import Seat, agreement_url, decision_url

PARTNERSHIPS_PER_PAGE = 50


def may_write_partnerships(place: Seat) -> bool:
    """May create, change and publish the authority's partnerships (the services check it
    again on each write)."""
    return may_write(place.user, place.member.pk, Partnership.write_roles)


def unpublished_rows(place: Seat) -> QuerySet[Partnership]:
    """The authority's partnerships its public page does not show yet (one query)."""
    return partnership_list(member=place.member, user=place.user).exclude(
        partnership_is_published()
    )


def to_publish(place: Seat, ids: list[str]) -> list[Partnership]:
    """The partnerships named by a publishing form that the user may read in this authority
    (another authority's or an unknown id is left out: the view refuses the lot)."""
    wanted = [int(pk) for pk in ids if pk.isdigit() and len(pk) < 19]
    return list(
        Partnership.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .filter(pk__in=wanted)
        .select_related("partner")
        .order_by("partner__name", "kind")
    )


def partnership_rows(place: Seat) -> QuerySet[Partnership]:
    """The authority's partnerships the user may read, with partner, country, year of first
    signature and number of projects (one query), by partner's name."""
    partnerships = partnership_list(member=place.member, user=place.user)
    return with_first_signature_year(partnerships).annotate(
        project_count=Count("projects", distinct=True)
    )


# --- The timeline ----------------------------------------------------------------------------

START, DECISION, SIGNATURE, IN_FORCE, END, VISIT, PROJECT, NEWS = (
    "start",
    "decision",
    "signature",
    "in_force",
    "end",
    "visit",
    "project",
    "news",
)


def _kind_labels() -> dict[str, str]:
    return {
        START: _("Partnership"),
        DECISION: _("Council decision"),
        SIGNATURE: _("Signature"),
        IN_FORCE: _("In force"),
        END: _("End of an act"),
        VISIT: _("Visit"),
        PROJECT: _("Project"),
        NEWS: _("News"),
    }


@dataclass(frozen=True)
class Event:
    """One line of the timeline: when, what kind, what, and where to read more."""

    on: datetime.date
    kind: str
    what: str
    detail: str = ""
    url: str = ""
    # Only the year is known (a partnership started "in 1998").
    year_only: bool = False

    @property
    def kind_label(self) -> str:
        return _kind_labels()[self.kind]

    @property
    def when(self) -> str:
        return str(self.on.year) if self.year_only else formats.long_date(self.on)


def _agreement_events(
    place: Seat, agreements: list[Agreement], today: datetime.date, *, may_correct: bool
) -> list[Event]:
    """The acts' dated events; each leads to the act's form (the decision's form for a
    decision) for those who may correct them, else to the act's line on the page."""
    events = []
    first_signed = min((a.signed_on for a in agreements if a.signed_on), default=None)
    seen_decisions: set[int] = set()
    for agreement in agreements:
        anchor = f"#agreement-{agreement.pk}"
        url = agreement_url(place.member, agreement) if may_correct else anchor
        decision = agreement.council_decision
        if decision is not None and decision.pk not in seen_decisions:
            seen_decisions.add(decision.pk)
            events.append(
                Event(
                    decision.date,
                    DECISION,
                    _("Council decision %(number)s approves “%(agreement)s”")
                    % {"number": decision.number, "agreement": agreement},
                    detail=decision.subject,
                    url=decision_url(place.member, agreement.partnership_id, decision.pk)
                    if may_correct
                    else anchor,
                )
            )
        if agreement.signed_on:
            first = agreement.signed_on == first_signed
            events.append(
                Event(
                    agreement.signed_on,
                    SIGNATURE,
                    (
                        _("First signature: “%(agreement)s”")
                        if first
                        else _("“%(agreement)s” signed")
                    )
                    % {"agreement": agreement},
                    detail=agreement.signatories,
                    url=url,
                )
            )
        if agreement.transmitted_on:
            events.append(
                Event(
                    agreement.transmitted_on,
                    IN_FORCE,
                    _("“%(agreement)s” in force, transmitted to the prefect")
                    % {"agreement": agreement},
                    url=url,
                )
            )
        if agreement.ends_on and agreement.signed_on:
            ended = agreement.ends_on < today or agreement.status in (
                Agreement.Status.EXPIRED,
                Agreement.Status.TERMINATED,
            )
            events.append(
                Event(
                    agreement.ends_on,
                    END,
                    (_("“%(agreement)s” ended") if ended else _("“%(agreement)s” ends"))
                    % {"agreement": agreement},
                    url=url,
                )
            )
    return events


def _visit_event(visit: Visit, slug: str) -> Event:
    if visit.starts_on and visit.ends_on and visit.ends_on != visit.starts_on:
        dates = _("from %(start)s to %(end)s") % {
            "start": formats.long_date(visit.starts_on),
            "end": formats.long_date(visit.ends_on),
        }
    else:
        dates = ""
    people = visit.participant_count  # type: ignore[attr-defined]
    detail = [str(visit.get_direction_display()).capitalize(), str(visit.get_status_display())]
    if dates:
        detail.append(dates)
    if people:
        detail.append(
            ngettext("%(count)s person taking part", "%(count)s people taking part", people)
            % {"count": people}
        )
    return Event(
        visit.starts_on,  # type: ignore[arg-type]
        VISIT,
        str(visit),
        detail=" · ".join(detail),
        url=reverse("workspace:visit", args=[slug, visit.pk]),
    )


@dataclass
class KeyFigures:
    """The partnership in numbers: money committed by its acts, its projects' budgets in force
    (own money, money raised, leverage) and the people it mobilises."""

    commitments: dict[str, Decimal]
    budgets: list[PlanSummary]
    people: PeopleInvolved
    delegates: int
    projects: int
    visits: int


@dataclass(frozen=True)
class StepButton:
    agreement: Agreement
    step: Step
    url: str
    form: Any = None  # for those who may take it


@dataclass
class PartnershipPage:
    partnership: Partnership
    timeline: list[Event]
    figures: KeyFigures
    sheet: AtlasSheet | None
    sheet_gaps: list[str]
    agreements: list[Agreement]
    steps: list[StepButton]
    may_step: bool
    # May record and correct the council decisions and agreements (their forms).
    may_correct: bool
    may_plan_visit: bool
    public_url: str
    edit_url: str
    projects: list[Project] = field(default_factory=list)


def readable_partnership(place: Seat, pk: int) -> Partnership:
    """One of the seat's authority's partnerships the user may read, or a 404."""
    partnerships = (
        Partnership.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .select_related("partner__country", "main_theme")
    )
    return get_object_or_404(partnerships, pk=pk)


def step_url(place: Seat, agreement: Agreement) -> str:
    return reverse(
        "workspace:agreement_step", args=[place.member.slug, agreement.partnership_id, agreement.pk]
    )


def partnership_page(place: Seat, pk: int, *, today: datetime.date) -> PartnershipPage:
    """One partnership as its page shows it; a 404 for one the user may not read."""
    member, user = place.member, place.user
    partnership = readable_partnership(place, pk)
    agreements = list(partnership_agreements(user=user, partnership=partnership))
    visits = list(partnership_visits(user=user, partnership=partnership))
    projects_qs = (
        Project.objects.for_user(user)
        .of_authority(member.pk)
        .filter(partnerships__pk=partnership.pk)
    )
    projects = list(projects_qs.order_by(F("planned_start").asc(nulls_last=True), "pk"))
    news = list(
        NewsItem.objects.for_user(user)
        .of_authority(member.pk)
        .filter(Q(partnership_id=partnership.pk) | Q(project__partnerships__pk=partnership.pk))
        .distinct()
        .order_by("published_on", "pk")
    )

    events: list[Event] = []
    if partnership.started_on or partnership.started_year:
        events.append(
            Event(
                partnership.started_on or datetime.date(partnership.started_year or 1, 1, 1),
                START,
                _("The partnership begins: %(kind)s with %(partner)s")
                % {"kind": partnership.get_kind_display(), "partner": partnership.partner.name},
                year_only=partnership.started_on is None,
            )
        )
    may_step = may_write(user, member.pk, Agreement.write_roles)
    may_correct = may_write_acts(place)
    events += _agreement_events(place, agreements, today, may_correct=may_correct)
    events += [_visit_event(visit, place.member.slug) for visit in visits if visit.starts_on]
    for project in projects:
        start = project.actual_start or project.planned_start
        if start:
            events.append(
                Event(
                    start,
                    PROJECT,
                    _("Project “%(project)s” starts") % {"project": project},
                    detail=str(project.get_status_display()).capitalize(),
                    url=reverse("workspace:project", args=[member.slug, project.pk]),
                )
            )
    news_may_write = may_write(user, member.pk, NewsItem.write_roles)
    for item in news:
        events.append(
            Event(
                item.published_on,
                NEWS,
                str(item),
                detail=_("published") if item.is_public else _("not published"),
                url=reverse("workspace:news_edit", args=[member.slug, item.pk])
                if news_may_write
                else reverse("workspace:news", args=[member.slug]),
            )
        )
    # In date order; on one day, in the order of the legal path then the rest.
    order = [START, DECISION, SIGNATURE, IN_FORCE, END, PROJECT, VISIT, NEWS]
    events.sort(key=lambda event: (event.on, order.index(event.kind)))

    figures = KeyFigures(
        commitments=forecast_commitments_in_force(agreements),
        budgets=budget_of_projects(projects_qs),
        people=people_involved(user=user, partnership=partnership),
        delegates=sum(
            visit.participant_count  # type: ignore[attr-defined]
            for visit in visits
            if visit.status != Visit.Status.CANCELLED
        ),
        projects=len(projects),
        visits=sum(1 for visit in visits if visit.status != Visit.Status.CANCELLED),
    )
    sheet = atlas_sheet(member, partnership.pk)
    pending = [(a, step) for a in agreements if (step := next_legal_step(a)) is not None]
    decisions = None
    if may_step and any(step.name == "approve" for _a, step in pending):
        decisions = list(
            CouncilDecision.objects.for_user(user).of_authority(member.pk).order_by("-date", "-pk")
        )
    steps = [
        StepButton(
            agreement,
            step,
            step_url(place, agreement),
            step_form(step, agreement, auto_id=f"id_step{agreement.pk}_%s", decisions=decisions)
            if may_step
            else None,
        )
        for agreement, step in pending
    ]
    public = published_partnerships(member).filter(pk=partnership.pk).exists()
    return PartnershipPage(
        partnership=partnership,
        timeline=events,
        figures=figures,
        sheet=sheet,
        sheet_gaps=sheet_gaps(sheet) if sheet is not None else [],
        agreements=agreements,
        steps=steps,
        may_step=may_step,
        may_correct=may_correct,
        may_plan_visit=may_write(user, member.pk, Visit.write_roles),
        public_url=reverse(
            "public:partner",
            args=[member.slug, partnership.partner_id, slugify(partnership.partner.name) or "-"],
        )
        if public
        else "",
        edit_url=reverse("workspace:partnership_edit", args=[member.slug, partnership.pk])
        if may_write(user, member.pk, Partnership.write_roles)
        else "",
        projects=projects,
    )


def partnership_title(partnership: Partnership) -> str:
    return translate(partnership.title) or partnership.partner.name
