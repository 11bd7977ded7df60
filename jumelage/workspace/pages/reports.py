"""The reports area: the list of reports, and the annual report for the council (on screen and
as a PDF file), assembled from the domain's selectors: money (`projects.figures`),
partnerships (`partners.selectors`), news (`content.selectors`), visits (`visits.selectors`),
volunteers' missions (`actors.selectors`). Nothing is computed here but the order of the
page and its charts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jumelage.actors.models import Mission
from jumelage.actors.selectors import missions_of_year
from jumelage.content.models import NewsItem
from jumelage.content.selectors import published_news_of_year
from jumelage.core import formats
from jumelage.core.charts import Chart, columns, horizontal_bars
from jumelage.partners.models import Partnership
from jumelage.partners.selectors import partnership_list
from jumelage.projects.figures import (
    Financing,
    Raised,
    Share,
    SpendingReport,
    financing_of_year,
    grants_decided,
    projects_of_year,
    results_of_year,
    spending,
)
from jumelage.projects.models import IndicatorPeriod, Project
from jumelage.visits.models import Visit
from jumelage.visits.selectors import visits_of_year
from jumelage.workspace.selectors import Seat

# The years the report compares, the report's year last.
YEARS_COMPARED = 5
# The first year a report may be asked for (an address with a year before is a 404).
FIRST_YEAR = 1950


def latest_complete_year(today: datetime.date | None = None) -> int:
    """The year a council reviews: the last complete calendar year."""
    return (today or timezone.localdate()).year - 1


def report_years(today: datetime.date | None = None) -> list[int]:
    """The years offered on the reports page, the current one (so far) first."""
    current = (today or timezone.localdate()).year
    return list(range(current, current - YEARS_COMPARED - 1, -1))


def whole_money(amount: Decimal | None, currency: str) -> str:
    """An amount rounded to the unit, as a council's report writes it (12 000 €)."""
    return formats.money(amount, currency, places=0)


@dataclass
class KeyFigure:
    label: str
    value: str
    detail: str = ""


@dataclass
class ShareRow:
    label: str
    amount: Decimal
    percent: Decimal | None


@dataclass
class Breakdown:
    """A chart and its table: the same figures, drawn and written."""

    chart: Chart
    rows: list[ShareRow]
    total: Decimal


@dataclass
class YearRow:
    year: int
    spent: Decimal
    spent_own: Decimal
    raised: Decimal
    is_report_year: bool


@dataclass
class PartnershipNews:
    partnership: Partnership
    news: list[NewsItem] = field(default_factory=list)


@dataclass
class ResultRow:
    project: Project
    periods: list[IndicatorPeriod]


@dataclass
class AnnualReport:
    year: int
    currency: str
    produced_on: datetime.date
    in_brief: list[KeyFigure]
    spent: Decimal
    spent_own: Decimal
    raised: Raised
    financing: Financing
    by_country: Breakdown
    by_sector: Breakdown
    by_funder: Breakdown
    by_year: Chart
    year_rows: list[YearRow]
    projects: list[Project]
    partnerships: list[PartnershipNews]
    other_news: list[NewsItem]
    visits: list[Visit]
    missions: list[Mission]
    volunteer_count: int
    volunteer_days: Decimal
    results: list[ResultRow]
    notes: list[str]
    pdf_url: str

    @property
    def incoming_visits(self) -> int:
        return sum(1 for visit in self.visits if visit.direction == Visit.Direction.INCOMING)

    @property
    def outgoing_visits(self) -> int:
        return len(self.visits) - self.incoming_visits


def _breakdown(
    chart_id: str, title: str, shares: list[Share], total: Decimal, currency: str
) -> Breakdown:
    rows = [ShareRow(s.label, s.amount, s.percent_of(total)) for s in shares]
    chart = horizontal_bars(
        chart_id,
        title,
        [(row.label, row.amount) for row in rows],
        value_text=lambda amount: whole_money(amount, currency),
    )
    return Breakdown(chart=chart, rows=rows, total=total)


def _key_figures(report: dict[str, Any]) -> list[KeyFigure]:
    currency = report["currency"]
    financing: Financing = report["financing"]
    leverage = financing.leverage
    visits: list[Visit] = report["visits"]
    incoming = sum(1 for v in visits if v.direction == Visit.Direction.INCOMING)
    return [
        KeyFigure(_("Partnerships"), str(len(report["partnerships"])), _("active or dormant")),
        KeyFigure(_("Projects"), str(len(report["projects"])), _("at work during the year")),
        KeyFigure(
            _("Money spent"),
            whole_money(report["spent"], currency),
            _("of which %(own)s from the authority's own funds")
            % {"own": whole_money(report["spent_own"], currency)},
        ),
        KeyFigure(
            _("Money raised"),
            whole_money(report["raised"].amount, currency),
            _("grants decided by co-funders during the year"),
        ),
        KeyFigure(
            _("Leverage"),
            _number(leverage),
            _("euros from co-funders for each euro of the authority's own"),
        ),
        KeyFigure(
            _("Visits"),
            str(len(visits)),
            _("%(incoming)s hosted, %(outgoing)s abroad")
            % {"incoming": incoming, "outgoing": len(visits) - incoming},
        ),
        KeyFigure(
            _("Volunteers"),
            str(report["volunteer_count"]),
            _("%(days)s days given by the staff") % {"days": _number(report["volunteer_days"])},
        ),
    ]


def _number(value: Decimal | None) -> str:
    """A count or ratio without useless decimals (2, 1,5, 2,67), a dash when there is none."""
    if value is None:
        return "–"  # noqa: RUF001 - a dash: no own money, no leverage
    places = 0 if value == value.to_integral_value() else (1 if value * 10 % 1 == 0 else 2)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def annual_report(place: Seat, year: int) -> AnnualReport:
    """The annual report of the seat's authority for `year`. A constant number of queries."""
    member = place.member
    years = list(range(year - YEARS_COMPARED + 1, year + 1))
    money: SpendingReport = spending(member, years[0], year)
    currency = money.currency
    raised_by_year = grants_decided(member, years)
    financing = financing_of_year(member, year)
    spent = money.total(year)
    spent_own = money.total(year, own_only=True)
    projects = list(projects_of_year(member, year).order_by("pk"))
    partnerships = [
        PartnershipNews(p)
        for p in partnership_list(member=member, user=place.user, include_ended=False)
    ]
    by_partnership = {row.partnership.pk: row for row in partnerships}
    other_news: list[NewsItem] = []
    for item in published_news_of_year(member, year):
        row = by_partnership.get(item.partnership_id or 0)
        (row.news if row else other_news).append(item)
    visits = list(visits_of_year(member, year))
    missions = list(missions_of_year(member, year))
    results: list[ResultRow] = []
    for period in results_of_year(member, year):
        project = period.indicator.result.project
        if not results or results[-1].project.pk != project.pk:
            results.append(ResultRow(project, []))
        results[-1].periods.append(period)
    year_rows = [
        YearRow(
            year=y,
            spent=money.total(y),
            spent_own=money.total(y, own_only=True),
            raised=raised_by_year[y].amount,
            is_report_year=y == year,
        )
        for y in years
    ]
    notes = []
    left_out = money.without_rate + financing.without_rate
    left_out += sum(raised.without_rate for raised in raised_by_year.values())
    if left_out:
        notes.append(
            _(
                "%(count)s amounts in another currency have no exchange rate and are left out "
                "of the figures: add the rates, then produce the report again."
            )
            % {"count": left_out}
        )
    parts: dict[str, Any] = {
        "currency": currency,
        "financing": financing,
        "visits": visits,
        "partnerships": partnerships,
        "projects": projects,
        "spent": spent,
        "spent_own": spent_own,
        "raised": raised_by_year[year],
        "volunteer_count": len({m.person_id for m in missions}),
        "volunteer_days": sum((m.days for m in missions), Decimal(0)),
    }
    return AnnualReport(
        year=year,
        currency=currency,
        produced_on=timezone.localdate(),
        in_brief=_key_figures(parts),
        spent=spent,
        spent_own=spent_own,
        raised=raised_by_year[year],
        financing=financing,
        by_country=_breakdown(
            "chart-country",
            _("Money spent in %(year)s by country; the figures are in the table below.")
            % {"year": year},
            money.by_country(year),
            spent,
            currency,
        ),
        by_sector=_breakdown(
            "chart-sector",
            _("Money spent in %(year)s by sector; the figures are in the table below.")
            % {"year": year},
            money.by_sector(year),
            spent,
            currency,
        ),
        by_funder=_breakdown(
            "chart-funder",
            _("Financing of the year's projects by funder; the figures are in the table below."),
            financing.by_funder,
            financing.total,
            currency,
        ),
        by_year=columns(
            "chart-years",
            _("Money spent from %(first)s to %(last)s; the figures are in the table below.")
            % {"first": years[0], "last": year},
            [(str(row.year), row.spent) for row in year_rows],
            value_text=lambda amount: whole_money(amount, currency),
            highlight=str(year),
        ),
        year_rows=year_rows,
        projects=projects,
        partnerships=partnerships,
        other_news=other_news,
        visits=visits,
        missions=missions,
        volunteer_count=parts["volunteer_count"],
        volunteer_days=parts["volunteer_days"],
        results=results,
        notes=notes,
        pdf_url=reverse("workspace:annual_report_pdf", args=[member.slug, year]),
    )


@dataclass
class ReportLink:
    title: str
    url: str
    description: str
    in_back_office: bool = False


def reports_page(place: Seat, today: datetime.date | None = None) -> dict[str, Any]:
    """The reports an authority produces: the annual report by year, then the files the law
    and the funders ask for (their pages are in the back office)."""
    slug = place.member.slug
    years = report_years(today)
    annual = [
        (
            y,
            reverse("workspace:annual_report", args=[slug, y]),
            reverse("workspace:annual_report_pdf", args=[slug, y]),
        )
        for y in years
    ]
    files = [
        ReportLink(
            _("ODA declaration"),
            reverse("reporting:oda_declaration_current", args=[slug]),
            _("The yearly declaration of official development assistance to the Ministry."),
            True,
        ),
        ReportLink(
            _("IATI file"),
            reverse("reporting:iati_check", args=[slug]),
            _("The checks of the open-data file of your projects (IATI standard)."),
            True,
        ),
        ReportLink(
            _("Atlas sheets"),
            reverse("reporting:atlas_sheets", args=[slug]),
            _("Your partnerships as the national Atlas of decentralised cooperation asks."),
            True,
        ),
        ReportLink(
            _("1 % laws budgets"),
            reverse("workspace:service_budgets_current", args=[slug]),
            _("What the water, sanitation, energy, waste and mobility budgets may still give."),
        ),
    ]
    return {"annual": annual, "files": files, "latest": latest_complete_year(today)}
