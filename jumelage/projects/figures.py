"""The money of a member authority's years, as its annual report tells it: what was spent
(where, on what, year after year), what co-funders granted, and the financing of the projects
the year carried, with its leverage.

The rules come from the rest of the app: money spent is the disbursements, expenditure and
reimbursements (`selectors.SPENDING_TYPES`); a project's budget is its plans in force
(`selectors.plans_in_force`); a refused resource finances nothing; the leverage is external
co-financing per euro of own money (domain guide §4, `PlanSummary.leverage`). Amounts are
converted into the instance's reporting currency (`core.selectors.RateBook`); an amount with no
rate is left out and counted, so that a page can say so rather than add euros to gourdes.

Each function runs a constant number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jumelage.core.models import Codelist, CodelistItem
from jumelage.core.money import CENT, ratio
from jumelage.core.selectors import MissingExchangeRate, RateBook
from jumelage.partners.models import MemberAuthority
from jumelage.projects.models import (
    Application,
    FinancingPlan,
    IndicatorPeriod,
    Project,
    ProjectCountry,
    ProjectSector,
    ResourceLine,
    Transaction,
)
from jumelage.projects.selectors import SPENDING_TYPES, paid_in_reporting_currency, plans_in_force

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

# Keys of the money that has no country or no sector recorded, and of the member's own money.
UNSPECIFIED = ""
OWN = "own"

# A project the year "carried": one at work in the year. Ideas, files being prepared or
# seeking funds, and cancelled projects carried nothing, unless money moved for them.
WORKING_STATUSES = (
    Project.Status.RUNNING,
    Project.Status.COMPLETED,
    Project.Status.EVALUATED,
)
GRANTED_DECISIONS = (Application.Decision.GRANTED, Application.Decision.PARTLY_GRANTED)


def first_day(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def last_day(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


@dataclass
class Share:
    """The money of one line of a breakdown (a country, a sector, a funder, a year)."""

    key: str
    label: str
    amount: Decimal = ZERO

    def percent_of(self, whole: Decimal) -> Decimal | None:
        return (self.amount * HUNDRED / whole).quantize(CENT) if whole else None


def _sorted(shares: dict[str, Share]) -> list[Share]:
    """Largest first; the unspecified line last, as a table reads best."""
    return sorted(
        (share for share in shares.values() if share.amount),
        key=lambda share: (share.key == UNSPECIFIED, -share.amount, share.label),
    )


# --- Projects of a year ----------------------------------------------------------------------


def projects_of_year(member: MemberAuthority, year: int) -> QuerySet[Project]:
    """The member's projects the year carried: at work (running, completed, evaluated) with a
    period that meets the year (actual dates, else planned ones; no date counts as meeting
    it), or with money spent in the year, whatever their status."""
    start, end = first_day(year), last_day(year)
    begun = (
        Q(actual_start__lte=end)
        | Q(actual_start__isnull=True, planned_start__lte=end)
        | Q(actual_start__isnull=True, planned_start__isnull=True)
    )
    not_over = (
        Q(actual_end__gte=start)
        | Q(actual_end__isnull=True, planned_end__gte=start)
        | Q(actual_end__isnull=True, planned_end__isnull=True)
        | Q(actual_end__isnull=True, status=Project.Status.RUNNING)
    )
    spent = Transaction.objects.filter(
        transaction_type__in=SPENDING_TYPES, date__gte=start, date__lte=end
    ).values("project_id")
    return Project.objects.filter(authority=member).filter(
        (Q(status__in=WORKING_STATUSES) & begun & not_over) | Q(pk__in=spent)
    )


# --- Money spent ------------------------------------------------------------------------------


@dataclass
class Spending:
    """One payment of the period, in the reporting currency, with where and on what it went.
    A payment of a project with several countries (or sectors) and none of its own is spread
    by the project's shares: `countries` and `sectors` hold (key, amount) pairs."""

    pk: int
    project_id: int | None  # None: a membership fee or a network contribution
    year: int
    amount: Decimal
    from_own_funds: bool
    countries: list[tuple[str, Decimal]] = field(default_factory=list)
    sectors: list[tuple[str, Decimal]] = field(default_factory=list)


@dataclass
class SpendingReport:
    """The payments of a member over some years, and the labels of their keys."""

    currency: str
    payments: list[Spending]
    country_names: dict[str, str]
    sector_names: dict[str, str]
    without_rate: int = 0  # payments left out: no exchange rate into the reporting currency

    def total(self, year: int | None = None, *, own_only: bool = False) -> Decimal:
        return sum(
            (
                p.amount
                for p in self.payments
                if (year is None or p.year == year) and (p.from_own_funds or not own_only)
            ),
            ZERO,
        )

    def _breakdown(
        self, year: int, parts: Callable[[Spending], list[tuple[str, Decimal]]], names: dict
    ) -> list[Share]:
        shares: dict[str, Share] = {}
        for payment in self.payments:
            if payment.year != year:
                continue
            for key, amount in parts(payment):
                label = names.get(key) or (key if key else _("Not specified"))
                shares.setdefault(key, Share(key, label)).amount += amount
        return _sorted(shares)

    def by_country(self, year: int) -> list[Share]:
        return self._breakdown(year, lambda p: p.countries, self.country_names)

    def by_sector(self, year: int) -> list[Share]:
        return self._breakdown(year, lambda p: p.sectors, self.sector_names)

    def by_year(self, years: Iterable[int]) -> list[Share]:
        """One line per year asked, in order, zero included (a chart of years shows gaps)."""
        return [Share(str(y), str(y), self.total(y)) for y in years]


def _spread(amount: Decimal, shares: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """`amount` split by percentages; the cents lost to rounding go to the largest share, so
    that the parts add up to the payment."""
    if not shares:
        return [(UNSPECIFIED, amount)]
    total = sum((pct for _key, pct in shares), Decimal(0)) or Decimal(1)
    parts = [(key, (amount * pct / total).quantize(CENT)) for key, pct in shares]
    rest = amount - sum((part for _key, part in parts), ZERO)
    if rest:
        largest = max(range(len(parts)), key=lambda i: parts[i][1])
        parts[largest] = (parts[largest][0], parts[largest][1] + rest)
    return parts


def _sector_category(code: str) -> str:
    """The DAC 3-digit sector of a CRS purpose code (its first three digits)."""
    return code.strip()[:3]


def spending(member: MemberAuthority, first_year: int, last_year: int) -> SpendingReport:
    """The member's payments (disbursements, expenditure, reimbursements) dated from 1 January
    of `first_year` to 31 December of `last_year`, converted into the reporting currency at
    their value date. Where a payment went: its recipient country, else its project's
    countries by their shares; on what: its CRS purpose code's DAC sector, else its project's.
    Five queries: payments, the projects' countries and sectors, the rates, the names."""
    rows = list(
        Transaction.objects.filter(
            authority=member,
            transaction_type__in=SPENDING_TYPES,
            date__gte=first_day(first_year),
            date__lte=last_day(last_year),
        )
        .select_related("project", "recipient_country")
        .prefetch_related(
            Prefetch(
                "project__countries",
                queryset=ProjectCountry.objects.select_related("country").order_by("pk"),
            ),
            Prefetch(
                "project__sectors",
                queryset=ProjectSector.objects.filter(
                    vocabulary__in=[ProjectSector.Vocabulary.DAC_5, ProjectSector.Vocabulary.DAC_3]
                ).order_by("pk"),
            ),
        )
        .order_by("date", "pk")
    )
    book = RateBook({row.currency for row in rows}, until=last_day(last_year))
    report = SpendingReport(
        currency=settings.REPORTING_CURRENCY, payments=[], country_names={}, sector_names={}
    )
    sector_codes: set[str] = set()
    for row in rows:
        try:
            amount = paid_in_reporting_currency(row, book)
        except MissingExchangeRate:
            report.without_rate += 1
            continue
        project = row.project
        if row.recipient_country is not None:
            report.country_names[row.recipient_country.pk] = row.recipient_country.name
            countries = [(row.recipient_country.pk, amount)]
        else:
            listed = list(project.countries.all()) if project else []
            for link in listed:
                report.country_names[link.country_id] = link.country.name
            countries = _spread(amount, [(link.country_id, link.percentage) for link in listed])
        if row.sector_code.strip():
            sectors = [(_sector_category(row.sector_code), amount)]
        else:
            sectors = _spread(
                amount,
                [(_sector_category(s.code), s.percentage) for s in project.sectors.all()]
                if project
                else [],
            )
        sector_codes.update(key for key, _amount in sectors if key)
        report.payments.append(
            Spending(
                pk=row.pk,
                project_id=row.project_id,
                year=row.date.year,
                amount=amount,
                from_own_funds=row.from_own_funds,
                countries=countries,
                sectors=sectors,
            )
        )
    if sector_codes:
        report.sector_names = {
            item.code: item.name
            for item in CodelistItem.objects.filter(
                codelist=Codelist.SECTOR_CATEGORY, code__in=sector_codes
            )
        }
    return report


# --- Money raised and the financing of the year's projects ------------------------------------


@dataclass
class Financing:
    """The resources of the budgets in force of the year's projects, in the reporting
    currency: by funder, the member's own contribution first."""

    currency: str
    by_funder: list[Share]
    own: Decimal
    external: Decimal
    without_rate: int = 0

    @property
    def total(self) -> Decimal:
        return self.own + self.external

    @property
    def leverage(self) -> Decimal | None:
        """External co-financing per euro of own money (domain guide §4)."""
        return ratio(self.external, self.own)


def _conversion_day(year: int) -> datetime.date:
    """Budgets carry no date of payment: they are read at the rate of the year's end, or of
    today for the current year."""
    return min(last_day(year), timezone.localdate())


def financing_of_year(member: MemberAuthority, year: int) -> Financing:
    """Who finances the projects the year carried (`projects_of_year`): the resource lines of
    their budgets (`plans_in_force`) that belong to the year: lines dated in the year, and
    lines without a year in a plan of that year or of the whole project. Refused lines
    finance nothing. Two queries and the rates."""
    plans = plans_in_force(
        FinancingPlan.objects.filter(project__in=projects_of_year(member, year))
    ).filter(Q(year=year) | Q(year__isnull=True))
    lines = list(
        ResourceLine.objects.filter(plan__in=plans)
        .exclude(status=ResourceLine.Status.REFUSED)
        .filter(Q(year=year) | Q(year__isnull=True))
        .select_related("plan", "funder")
        .order_by("pk")
    )
    on = _conversion_day(year)
    book = RateBook({line.plan.currency for line in lines}, until=on)
    shares: dict[str, Share] = {}
    own = external = ZERO
    without_rate = 0
    for line in lines:
        try:
            amount = book.to_reporting_currency(line.amount, line.plan.currency, on)
        except MissingExchangeRate:
            without_rate += 1
            continue
        if line.is_own:
            own += amount
            key = OWN
            label = _("%(authority)s (own contribution)") % {"authority": member.authority.name}
        else:
            external += amount
            key = str(line.funder_id)
            label = line.funder.acronym or line.funder.name if line.funder else ""
        shares.setdefault(key, Share(key, label)).amount += amount
    ordered = sorted(
        (s for s in shares.values() if s.amount), key=lambda s: (s.key != OWN, -s.amount, s.label)
    )
    return Financing(
        currency=settings.REPORTING_CURRENCY,
        by_funder=ordered,
        own=own,
        external=external,
        without_rate=without_rate,
    )


@dataclass
class Raised:
    """Grants co-funders decided in a year for the member's projects, in the reporting
    currency (converted at the day of the decision)."""

    currency: str
    amount: Decimal
    count: int
    without_rate: int = 0


def grants_decided(member: MemberAuthority, years: Iterable[int]) -> dict[int, Raised]:
    """For each year, the grants decided (granted or partly granted, `decided_on` in the year)
    on the member's applications. Two queries and the rates."""
    wanted = sorted(set(years))
    result = {
        year: Raised(currency=settings.REPORTING_CURRENCY, amount=ZERO, count=0) for year in wanted
    }
    if not wanted:
        return result
    rows = list(
        Application.objects.filter(
            project__authority=member,
            decision__in=GRANTED_DECISIONS,
            amount_granted__isnull=False,
            decided_on__gte=first_day(wanted[0]),
            decided_on__lte=last_day(wanted[-1]),
        )
        .order_by("decided_on", "pk")
        .values_list("decided_on", "amount_granted", "currency")
    )
    book = RateBook({currency for _day, _amount, currency in rows}, until=last_day(wanted[-1]))
    for day, amount, currency in rows:
        raised = result.get(day.year) if day else None
        if raised is None or day is None:
            continue
        try:
            raised.amount += book.to_reporting_currency(amount, currency, day)
        except MissingExchangeRate:
            raised.without_rate += 1
            continue
        raised.count += 1
    return result


# --- What was achieved ------------------------------------------------------------------------


def results_of_year(member: MemberAuthority, year: int) -> QuerySet[IndicatorPeriod]:
    """The measures the year brought: indicator periods of the member's projects that ended
    in the year with a value reached, with their indicator, result and project (one query),
    by project then result."""
    return (
        IndicatorPeriod.objects.filter(
            indicator__result__project__authority=member,
            ends_on__gte=first_day(year),
            ends_on__lte=last_day(year),
            actual_value__isnull=False,
        )
        .select_related("indicator__result__project")
        .order_by(
            "indicator__result__project_id", "indicator__result_id", "indicator_id", "ends_on"
        )
    )
