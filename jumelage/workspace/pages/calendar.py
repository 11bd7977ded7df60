"""The calendar: deadlines (reports due, instalments, agreements that end, the ODA declaration's
window, funders' calls that close) and visits, for a month page and for the personal iCalendar
feed. What is due is the domain's decision (`projects.selectors.open_reports`,
`awaited_instalments`, `calls_closing`, `agreements.selectors.agreements_ending_between`,
`visits.selectors.visits_between`, `reporting.oda.window`), the same as the home's to-dos;
here the items are gathered and dated. A fixed number of queries, whatever the month holds.
"""

from __future__ import annotations

import calendar as calendar_module
import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jumelage.agreements.selectors import agreements_ending_between
from jumelage.core import formats
from jumelage.partners.models import MemberAuthority
from jumelage.projects.selectors import awaited_instalments, calls_closing, open_reports
from jumelage.reporting.oda.window import declaration_window
from jumelage.visits.models import Visit
from jumelage.visits.selectors import visits_between
from jumelage.workspace.templatetags.workspace_tags import money

REPORT, INSTALMENT, AGREEMENT_END, ODA_OPENS, ODA_CLOSES, CALL, VISIT = (
    "report",
    "instalment",
    "agreement",
    "oda-opens",
    "oda-closes",
    "call",
    "visit",
)


def kind_labels() -> dict[str, str]:
    return {
        REPORT: _("Report due"),
        INSTALMENT: _("Instalment expected"),
        AGREEMENT_END: _("Agreement ends"),
        ODA_OPENS: _("ODA declaration"),
        ODA_CLOSES: _("ODA declaration"),
        CALL: _("Call for projects closes"),
        VISIT: _("Visit"),
    }


@dataclass(frozen=True)
class Item:
    """One dated thing of the calendar. `last_day` is set for a visit of several days."""

    kind: str
    day: datetime.date
    what: str
    detail: str
    url: str
    uid: str
    last_day: datetime.date | None = None

    @property
    def kind_label(self) -> str:
        return kind_labels()[self.kind]

    @property
    def is_deadline(self) -> bool:
        return self.kind != VISIT

    @property
    def period(self) -> str:
        if self.last_day and self.last_day != self.day:
            return _("from %(start)s to %(end)s") % {
                "start": formats.long_date(self.day),
                "end": formats.long_date(self.last_day),
            }
        return ""


def _funder(application: object) -> str:
    funder = application.call.funder  # type: ignore[attr-defined]
    return str(funder.acronym or funder.name)


def items_between(
    *, user: object, start: datetime.date, end: datetime.date, members: list[MemberAuthority]
) -> list[Item]:
    """What falls between `start` and `end` (both included) for `members` only, as the user
    may read it (`for_user`), in date order; the funders' calls are the shared register's.
    Five queries, whatever the number of items."""
    slugs = {member.pk: member.slug for member in members}
    ids = list(slugs)
    items: list[Item] = []

    reports = open_reports(user=user).filter(
        due_on__gte=start, due_on__lte=end, application__project__authority_id__in=ids
    )
    instalments = awaited_instalments(user=user).filter(
        due_on__gte=start, due_on__lte=end, application__project__authority_id__in=ids
    )
    for report in reports:
        application = report.application
        project = application.project
        items.append(
            Item(
                REPORT,
                report.due_on,
                _("%(kind)s of “%(project)s” to %(funder)s")
                % {
                    "kind": str(report.get_kind_display()).capitalize(),
                    "project": project,
                    "funder": _funder(application),
                },
                _("Not sent yet."),
                _project_url(slugs, project),
                f"report-{report.pk}",
            )
        )
    for instalment in instalments:
        application = instalment.application
        project = application.project
        items.append(
            Item(
                INSTALMENT,
                instalment.due_on,
                _("Instalment %(rank)s from %(funder)s for “%(project)s”")
                % {"rank": instalment.rank, "funder": _funder(application), "project": project},
                money(instalment.amount, application.currency),
                _project_url(slugs, project),
                f"instalment-{instalment.pk}",
            )
        )
    agreements = agreements_ending_between(user=user, start=start, end=end)
    for agreement in agreements.filter(authority_id__in=ids):
        items.append(
            Item(
                AGREEMENT_END,
                agreement.ends_on,  # type: ignore[arg-type]
                _("“%(agreement)s” ends") % {"agreement": agreement},
                _("Renew it in time, or let it end on purpose."),
                _partnership_url(slugs, agreement.authority_id, agreement.partnership_id),
                f"agreement-{agreement.pk}",
            )
        )
    items += _oda_items(start, end, members[0] if len(members) == 1 else None)
    for call in calls_closing(start=start, end=end):
        items.append(
            Item(
                CALL,
                call.closes_on,  # type: ignore[arg-type]
                _("%(funder)s: “%(call)s” closes")
                % {"funder": call.funder.acronym or call.funder.name, "call": call.title},
                _("The last day to apply."),
                call.url,
                f"call-{call.pk}",
            )
        )
    for visit in visits_between(user=user, start=start, end=end).filter(authority_id__in=ids):
        partnership = visit.partnership
        partner = partnership.partner.name if partnership is not None else visit.other_party
        detail = [str(visit.get_direction_display()).capitalize(), str(visit.get_status_display())]
        if partner:
            detail.insert(0, partner)
        items.append(
            Item(
                VISIT,
                visit.starts_on,  # type: ignore[arg-type]
                str(visit),
                " · ".join(detail),
                _visit_url(slugs, visit),
                f"visit-{visit.pk}",
                last_day=visit.ends_on,
            )
        )
    items.sort(key=lambda item: (item.day, item.is_deadline is False, item.what))
    return items


def _visit_url(slugs: dict[int, str], visit: Visit) -> str:
    slug = slugs.get(visit.authority_id)
    return reverse("workspace:visit", args=[slug, visit.pk]) if slug else ""


def _project_url(slugs: dict[int, str], project: object) -> str:
    slug = slugs.get(project.authority_id)  # type: ignore[attr-defined]
    return reverse("workspace:project", args=[slug, project.pk]) if slug else ""  # type: ignore[attr-defined]


def _partnership_url(slugs: dict[int, str], authority_id: int, partnership_id: int) -> str:
    slug = slugs.get(authority_id)
    return reverse("workspace:partnership", args=[slug, partnership_id]) if slug else ""


def _oda_items(
    start: datetime.date, end: datetime.date, member: MemberAuthority | None
) -> list[Item]:
    """The opening and closing days of the ODA declaration's windows between the two dates."""
    items = []
    for year in range(start.year, end.year + 1):
        window = declaration_window(datetime.date(year, 1, 1))
        url = (
            reverse("reporting:oda_declaration", args=[member.slug, window.year])
            if member is not None
            else ""
        )
        values = {"year": window.year}
        if start <= window.opens <= end:
            items.append(
                Item(
                    ODA_OPENS,
                    window.opens,
                    _("The ODA declaration of %(year)s flows opens") % values,
                    _("Amounts disbursed from own funds, declared to the Ministry (CGCT L1115-6)."),
                    url,
                    f"oda-opens-{window.year}",
                )
            )
        if start <= window.closes <= end:
            items.append(
                Item(
                    ODA_CLOSES,
                    window.closes,
                    _("Last day of the ODA declaration of %(year)s flows") % values,
                    _("The Ministry's calls for projects require it."),
                    url,
                    f"oda-closes-{window.year}",
                )
            )
    return items


# --- The month page -------------------------------------------------------------------------


@dataclass
class Day:
    day: datetime.date
    items: list[Item]
    is_today: bool


@dataclass
class Month:
    first: datetime.date
    last: datetime.date
    days: list[Day]
    previous: datetime.date
    next: datetime.date
    count: int

    @property
    def title(self) -> str:
        return date_format(self.first, "YEAR_MONTH_FORMAT")


def month_page(
    *, user: object, member: MemberAuthority, year: int, month: int, today: datetime.date
) -> Month:
    """The month's days that hold something, each with its items; a visit that began in an
    earlier month shows on the month's first day."""
    first = datetime.date(year, month, 1)
    last = first.replace(day=calendar_module.monthrange(year, month)[1])
    by_day: dict[datetime.date, list[Item]] = {}
    items = items_between(user=user, start=first, end=last, members=[member])
    for item in items:
        by_day.setdefault(max(item.day, first), []).append(item)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    return Month(
        first=first,
        last=last,
        days=[Day(day, by_day[day], day == today) for day in sorted(by_day)],
        previous=previous,
        next=following,
        count=len(items),
    )


# --- The personal feed ----------------------------------------------------------------------

# What a calendar program is given: the last month (late items stay visible) and a year ahead.
FEED_PAST_DAYS = 31
FEED_FUTURE_DAYS = 366


def feed_items(*, user: object, members: list[MemberAuthority], today: datetime.date) -> list[Item]:
    """Every item of `members` (the authorities the user is a member of), from a month ago
    to a year ahead."""
    if not members:
        return []
    return items_between(
        user=user,
        start=today - datetime.timedelta(days=FEED_PAST_DAYS),
        end=today + datetime.timedelta(days=FEED_FUTURE_DAYS),
        members=members,
    )


def item_title(item: Item) -> str:
    """A calendar program shows one line: the kind, then what."""
    return f"{item.kind_label}: {item.what}"
