"""Reads for projects: what is published, a project's budget (the plans in force),
financing-plan totals, call checks, reports due and officer lists.

Every selector runs a constant number of queries, whatever the number of lines or projects:
totals come from SQL aggregates (subqueries per row, so joins never multiply sums).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections, models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jumelage.core.exchange_rates import EURO_PEGS, Peg
from jumelage.core.models import CodelistItem, ExchangeRate, OdaEligibility, OdaIncomeGroup
from jumelage.core.money import CENT, ratio
from jumelage.core.selectors import RateBook, exchange_rate, to_reporting_currency
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.partners.selectors import of_published_member
from jumelage.projects.models import (
    Application,
    Call,
    ExpenseLine,
    FinancingPlan,
    Indicator,
    IndicatorPeriod,
    Instalment,
    Project,
    ProjectCountry,
    ProjectSector,
    ReportDue,
    ResourceLine,
    Result,
    Transaction,
)

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
_AMOUNT = models.DecimalField(max_digits=17, decimal_places=2)

# How many days ahead a report or an instalment counts as "coming up".
DEFAULT_HORIZON_DAYS = 30


def percent(part: Decimal, whole: Decimal, *, rounding: str = ROUND_HALF_UP) -> Decimal | None:
    """`part` as a percentage of `whole`, to two decimals, or None where `whole` is zero.
    For showing only: rules compare exact amounts (`more_than_share`, `less_than_share`)."""
    if not whole:
        return None
    return (part * HUNDRED / whole).quantize(CENT, rounding=rounding)


def more_than_share(part: Decimal, whole: Decimal, share: Decimal) -> bool:
    """Whether `part` is more than `share` % of `whole`, exactly: share * whole >= part * 100
    passes, one cent more does not (a rate rounded to 0.01 % would let 70 004 of 100 000
    through a 70 % cap)."""
    return part * HUNDRED > share * whole


def less_than_share(part: Decimal, whole: Decimal, share: Decimal) -> bool:
    """Whether `part` is less than `share` % of `whole`, exactly."""
    return part * HUNDRED < share * whole


def share_of(whole: Decimal, share: Decimal, *, rounding: str) -> Decimal:
    """`share` % of `whole`, to the cent, rounded as asked (down for "at most", up for "at
    least")."""
    return (whole * share / HUNDRED).quantize(CENT, rounding=rounding)


def format_number(value: Decimal | None) -> str:
    """A ratio or percentage as people read it in the active language (a dash when there is
    none, e.g. a leverage without own money)."""
    if value is None:
        return "–"  # noqa: RUF001
    return number_format(value, decimal_pos=2, use_l10n=True)


def format_amount(amount: Decimal, currency: str) -> str:
    """An amount as people read it in the active language, e.g. "23 000,00 EUR"."""
    return f"{number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)} {currency}"


# --- Money conversion ------------------------------------------------------------------------


def to_euros(amount: Decimal, currency: str, on: datetime.date) -> Decimal:
    """An amount in euros at a date: legal thresholds (the 23 000 € of a subsidy) are in euros,
    whatever the instance's reporting currency. Raises MissingExchangeRate without a rate."""
    return in_currency(amount, currency, "EUR", on)


def euros_paid(
    amount_eur: Decimal | None,
    amount: Decimal,
    currency: str,
    on: datetime.date,
    book: RateBook | None = None,
) -> Decimal:
    """The one rule of what a payment cost in euros: the euro amount the treasury actually
    paid when it is recorded (the mandat's amount: domain guide, "Money paid abroad"), else
    its amount converted at its value date (from `book` when given: many payments, no query
    each). Raises MissingExchangeRate without either. `euros_paid_in_sql` writes the same rule
    as a database expression, for sums over many rows."""
    if amount_eur is not None:
        return amount_eur
    if book is not None:
        return book.to_euros(amount, currency, on)
    return to_euros(amount, currency, on)


def euros_paid_in_sql() -> Case:
    """`euros_paid` as a database expression on a transaction's row, for sums over many rows
    in one query: the euros the treasury paid when recorded, else the euro as is, a currency
    fixed to the euro by law at its parity on the row's value date, any other at the latest
    rate published on or before its value date; NULL when there is none (such a row counts in
    no sum: say so beside the sum). The rates are the reporting currency's, so this holds for
    an instance that reports in euros (`settings.REPORTING_CURRENCY`, "EUR" in France)."""
    on = Coalesce(OuterRef("value_date"), OuterRef("date"))
    rate = Subquery(
        ExchangeRate.objects.filter(currency=OuterRef("currency"), date__lte=on)
        .order_by("-date")
        .values("rate")[:1],
        output_field=models.DecimalField(max_digits=20, decimal_places=6),
    )

    def within(peg: Peg, field: str) -> Q:
        period = Q(**{f"{field}__gte": peg.since})
        if peg.until is not None:
            period &= Q(**{f"{field}__lte": peg.until})
        return period

    pegs = [
        When(
            Q(currency=code)
            & (
                (Q(value_date__isnull=False) & within(peg, "value_date"))
                | (Q(value_date__isnull=True) & within(peg, "date"))
            ),
            then=F("amount") / Value(peg.per_euro),
        )
        for code, peg in EURO_PEGS.items()
    ]
    return Case(
        When(amount_eur__isnull=False, then=F("amount_eur")),
        When(currency="EUR", then=F("amount")),
        *pegs,
        default=F("amount") / rate,
        output_field=models.DecimalField(max_digits=24, decimal_places=6),
    )


def paid_in_euros(tx: Transaction, book: RateBook | None = None) -> Decimal:
    """What a payment cost in euros (`euros_paid`)."""
    return euros_paid(tx.amount_eur, tx.amount, tx.currency, tx.rate_date, book)


def paid_in_reporting_currency(tx: Transaction, book: RateBook) -> Decimal:
    """What a payment cost in the instance's reporting currency: `euros_paid` when it is the
    euro, else its amount at its value date's rate."""
    if settings.REPORTING_CURRENCY == "EUR":
        return paid_in_euros(tx, book)
    return book.to_reporting_currency(tx.amount, tx.currency, tx.rate_date)


def in_currency(amount: Decimal, currency: str, target: str, on: datetime.date) -> Decimal:
    """`amount` of `currency` expressed in `target`, through the reporting currency's rates
    of the day (core.selectors, which knows the parities of the currencies fixed to the euro:
    core.exchange_rates.EURO_PEGS); raises MissingExchangeRate (a ValidationError)."""
    if currency == target:
        return amount
    in_reporting = to_reporting_currency(amount, currency, on)
    if target == settings.REPORTING_CURRENCY:
        return in_reporting
    return (in_reporting * exchange_rate(target, on)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- Financing plans -------------------------------------------------------------------------


def _line_sum(model: type[models.Model], *conditions: Q, **filters: Any) -> Coalesce:
    lines = (
        model.objects.filter(*conditions, plan=OuterRef("pk"), **filters)  # type: ignore[attr-defined]
        .order_by()
        .values("plan")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(lines, output_field=_AMOUNT), Value(ZERO), output_field=_AMOUNT)


# A refused resource stays on the plan as history but finances nothing.
_COUNTED = ~Q(status=ResourceLine.Status.REFUSED)


def plan_total_annotations() -> dict[str, Any]:
    """Annotations giving a plan's totals in one query, for one plan or a whole list."""
    return {
        "sum_expenses": _line_sum(ExpenseLine),
        "sum_expenses_in_kind": _line_sum(ExpenseLine, in_kind=True),
        "sum_resources": _line_sum(ResourceLine, _COUNTED),
        "sum_resources_in_kind": _line_sum(ResourceLine, _COUNTED, in_kind=True),
        "sum_own": _line_sum(ResourceLine, _COUNTED, is_own=True),
        "sum_own_in_kind": _line_sum(ResourceLine, _COUNTED, is_own=True, in_kind=True),
        "sum_refused": _line_sum(ResourceLine, status=ResourceLine.Status.REFUSED),
    }


def plans_with_totals(queryset: models.QuerySet | None = None) -> models.QuerySet:
    """Financing plans annotated with their totals (read them with `summary_of`)."""
    queryset = FinancingPlan.objects.all() if queryset is None else queryset
    return queryset.annotate(**plan_total_annotations())


@dataclass(frozen=True)
class PlanSummary:
    """A financing plan's totals and ratios, all amounts in the plan's currency.

    Shares are of the total cost (the expenses), as funders state their caps and minimums
    ("at most 70 % of the total cost", "at least 10 % from the authorities").
    """

    currency: str
    total_expenses: Decimal
    expenses_cash: Decimal
    expenses_in_kind: Decimal
    total_resources: Decimal
    resources_cash: Decimal
    resources_in_kind: Decimal
    own_contribution: Decimal
    own_cash: Decimal
    own_in_kind: Decimal
    external_cofinancing: Decimal
    refused: Decimal

    @property
    def leverage(self) -> Decimal | None:
        """External co-financing per euro of own money (domain guide §4)."""
        return ratio(self.external_cofinancing, self.own_contribution)

    @property
    def own_share(self) -> Decimal | None:
        return percent(self.own_contribution, self.total_expenses)

    @property
    def external_share(self) -> Decimal | None:
        return percent(self.external_cofinancing, self.total_expenses)

    @property
    def in_kind_share(self) -> Decimal | None:
        return percent(self.resources_in_kind, self.total_expenses)

    @property
    def own_in_kind_share(self) -> Decimal | None:
        """The in-kind part of the own contribution (the MEAE caps it at half)."""
        return percent(self.own_in_kind, self.own_contribution)

    @property
    def gap(self) -> Decimal:
        """Expenses minus resources: positive when money is still missing."""
        return self.total_expenses - self.total_resources

    @property
    def balanced(self) -> bool:
        return self.total_resources == self.total_expenses

    @property
    def is_empty(self) -> bool:
        return not self.total_expenses and not self.total_resources


def summary_of(plan: FinancingPlan) -> PlanSummary:
    """The summary of a plan read through `plans_with_totals` (no query)."""
    expenses = plan.sum_expenses  # type: ignore[attr-defined]
    expenses_in_kind = plan.sum_expenses_in_kind  # type: ignore[attr-defined]
    resources = plan.sum_resources  # type: ignore[attr-defined]
    resources_in_kind = plan.sum_resources_in_kind  # type: ignore[attr-defined]
    own = plan.sum_own  # type: ignore[attr-defined]
    own_in_kind = plan.sum_own_in_kind  # type: ignore[attr-defined]
    return PlanSummary(
        currency=plan.currency,
        total_expenses=expenses,
        expenses_cash=expenses - expenses_in_kind,
        expenses_in_kind=expenses_in_kind,
        total_resources=resources,
        resources_cash=resources - resources_in_kind,
        resources_in_kind=resources_in_kind,
        own_contribution=own,
        own_cash=own - own_in_kind,
        own_in_kind=own_in_kind,
        external_cofinancing=resources - own,
        refused=plan.sum_refused,  # type: ignore[attr-defined]
    )


def financing_plan_summary(plan: FinancingPlan) -> PlanSummary:
    """Totals, shares, leverage and balance of one plan, in one query."""
    if plan.pk is None:
        return summary_from_lines(plan, expenses=(), resources=())
    totals = plans_with_totals(FinancingPlan.objects.filter(pk=plan.pk)).values(
        *plan_total_annotations()
    )
    row = totals.first() or dict.fromkeys(plan_total_annotations(), ZERO)
    annotated = FinancingPlan(currency=plan.currency)
    for name, value in row.items():
        setattr(annotated, name, value)
    return summary_of(annotated)


def summary_from_lines(
    plan: FinancingPlan, *, expenses: Iterable[Any], resources: Iterable[Any]
) -> PlanSummary:
    """The same summary from lines in memory (a form being validated, a service before
    writing): the balance rule checks what is about to be saved, not what is stored."""
    expense_list = list(expenses)
    counted = [line for line in resources if line.status != ResourceLine.Status.REFUSED]
    refused = [line for line in resources if line.status == ResourceLine.Status.REFUSED]

    def total(lines: Iterable[Any]) -> Decimal:
        return sum((Decimal(line.amount or 0) for line in lines), ZERO)

    expenses_total = total(expense_list)
    expenses_in_kind = total(line for line in expense_list if line.in_kind)
    resources_total = total(counted)
    resources_in_kind = total(line for line in counted if line.in_kind)
    own = total(line for line in counted if line.is_own)
    own_in_kind = total(line for line in counted if line.is_own and line.in_kind)
    return PlanSummary(
        currency=plan.currency,
        total_expenses=expenses_total,
        expenses_cash=expenses_total - expenses_in_kind,
        expenses_in_kind=expenses_in_kind,
        total_resources=resources_total,
        resources_cash=resources_total - resources_in_kind,
        resources_in_kind=resources_in_kind,
        own_contribution=own,
        own_cash=own - own_in_kind,
        own_in_kind=own_in_kind,
        external_cofinancing=resources_total - own,
        refused=total(refused),
    )


# --- What is published -----------------------------------------------------------------------


def transaction_years(transactions: models.QuerySet[Transaction]) -> list[int]:
    """The years of `transactions` (dated ones), latest first, in one query.

    Every transaction of the instance (a superuser's national list), on PostgreSQL: a skip
    scan, each year the first date on or after the next 1 January, one probe of
    `transaction_date_idx` a year, where DISTINCT reads the million rows on each page of the
    list (issue 12). Filtered ones (an authority's) by DISTINCT over those rows: a cost of the
    authority's own size, lower than a probe a year through its rows."""
    connection = connections[transactions.db]
    national = connection.vendor == "postgresql" and not transactions.query.where
    dated = transactions.order_by().filter(date__isnull=False)
    if not national:
        return [day.year for day in dated.dates("date", "year", order="DESC")]
    try:
        sql, params = dated.values("date").query.sql_with_params()
    except EmptyResultSet:  # a filter nothing can match
        return []
    first = f'SELECT EXTRACT(YEAR FROM MIN(d."date"))::int FROM ({sql}) d'
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE years(year) AS (
                SELECT ({first})
                UNION ALL
                SELECT ({first} WHERE d."date" >= make_date(years.year + 1, 1, 1))
                FROM years WHERE years.year IS NOT NULL
            ) SELECT year FROM years WHERE year IS NOT NULL ORDER BY year DESC""",
            [*params, *params],
        )
        return [int(row[0]) for row in cursor.fetchall()]


def project_is_published(path: str = "") -> Q:
    """The rule: a project is public once marked published. `path` reaches the project from
    another model ("project__"), so that a join applies this same rule."""
    return Q(**{f"{path}is_public": True})


def published_projects(member: MemberAuthority | None = None) -> models.QuerySet[Project]:
    """Published projects of `member` (of every active member authority when None).

    What of a published project is public comes from the app that owns it:
    `partners.selectors.published_partnerships` (its partner towns),
    `actors.selectors.published_actor_roles` (its local actors),
    `content.selectors.published_documents` and `published_news`, and `plans_in_force` (its
    financing, below)."""
    return of_published_member(Project.objects.filter(project_is_published()), member)


def published_results(member: MemberAuthority | None = None) -> models.QuerySet[Result]:
    """The results of published projects, with their indicators and periods in order, as the
    public page and the IATI file show them.

    A period's published value is its `actual_value`, which only an officer writes: directly,
    or by approving a contributor's update (`projects.result_services`). An update waiting for
    approval, or refused, lives apart (`IndicatorUpdate`) and is never read here."""
    periods = IndicatorPeriod.objects.order_by("starts_on", "pk")
    indicators = Indicator.objects.order_by("pk").prefetch_related(
        Prefetch("periods", queryset=periods)
    )
    return (
        Result.objects.filter(project__in=published_projects(member))
        .order_by("pk")
        .prefetch_related(Prefetch("indicators", queryset=indicators))
    )


def public_project(field: str = "project") -> FilteredRelation:
    """A record's project as the public may see it: only when that project is published and
    belongs to the record's own member authority (as `partners.selectors.public_partnership`:
    annotate with it, select_related it, read it with getattr or in a template)."""
    condition = project_is_published(f"{field}__") & Q(
        **{f"{field}__authority_id": F("authority_id")}
    )
    return FilteredRelation(field, condition=condition)


# --- A project's budget ----------------------------------------------------------------------


def plans_in_force(
    plans: models.QuerySet[FinancingPlan] | None = None,
) -> models.QuerySet[FinancingPlan]:
    """The financing plans that make up their projects' budgets: the plans in force, among
    `plans` (every plan when None), for any number of projects in one query.

    The rule: a plan is in force once **adopted** (voted by the council, agreed with the
    co-funders). A draft is being written and a submitted plan is a proposal a funder may
    still change: neither is the budget. A revision of an adopted plan is a new plan for the
    same period, written as a draft; the adopted plan stays in force until the revision is
    adopted in its turn, and from then the revision alone counts: of two adopted plans for
    one period, the later one (by id, since a revision is made after the plan it revises).
    A period is the whole project (a plan without a year) or one calendar year; an adopted
    whole-project plan covers every year, so yearly plans then count for nothing (they would
    count the same money twice).

    Why one rule: the public project page, the IATI file's budgets and the application
    checks must add up the same money; counting a draft revision with the adopted plan it
    revises doubled a budget (22 000 instead of 10 000).
    """
    plans = FinancingPlan.objects.all() if plans is None else plans
    adopted = FinancingPlan.objects.filter(
        project_id=OuterRef("project_id"), status=FinancingPlan.Status.ADOPTED
    )
    whole_project = adopted.filter(year__isnull=True)
    same_year = adopted.filter(year=OuterRef("year"))
    return plans.filter(status=FinancingPlan.Status.ADOPTED).filter(
        (Q(year__isnull=True) & ~Exists(whole_project.filter(pk__gt=OuterRef("pk"))))
        | (
            Q(year__isnull=False)
            & ~Exists(whole_project)
            & ~Exists(same_year.filter(pk__gt=OuterRef("pk")))
        )
    )


def budget_plans(project: Project) -> models.QuerySet[FinancingPlan]:
    """The plans that make up one project's budget (the rule: `plans_in_force`)."""
    return plans_in_force(FinancingPlan.objects.filter(project_id=project.pk))


# --- Applications to calls -------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A plain-language check of an application or a plan against its call. On an application
    it warns (the officer decides); on a plan written for a call, a `blocking` check keeps the
    plan from being submitted or adopted (`projects.services`)."""

    code: str
    message: str
    blocking: bool = False

    def __str__(self) -> str:
        return self.message


def plan_for_application(application: Application) -> FinancingPlan | None:
    """The financing plan an application is checked against.

    A plan with a resource line for this application comes first: the one in force, if that
    plan is (`plans_in_force`), else the latest of them (a plan written for this application
    and not adopted yet). Without such a line: the project's budget when it is one plan (its
    whole-project plan in force, or its only plan in force); before any plan is adopted, the
    latest whole-project plan, else the only plan. So a draft revision never stands in for
    the plan in force, except for an application it was written for.
    """
    plans = FinancingPlan.objects.filter(project_id=application.project_id)
    linked = plans.filter(
        Exists(ResourceLine.objects.filter(plan=OuterRef("pk"), application_id=application.pk))
    )
    found = plans_in_force(linked).order_by("-pk").first() or linked.order_by("-pk").first()
    if found is not None:
        return found
    budget = list(plans_in_force(plans).order_by("pk")[:2])
    if budget:
        return budget[0] if len(budget) == 1 else None
    whole = plans.filter(year__isnull=True).order_by("-pk").first()
    if whole is not None:
        return whole
    candidates = list(plans.order_by("pk")[:2])
    return candidates[0] if len(candidates) == 1 else None


_GROUP_NAMES = {
    "ldc": gettext_lazy("a least developed country"),
    "oda": gettext_lazy("another ODA-eligible country"),
    "non_oda": gettext_lazy("a country not eligible for ODA"),
    "multi": gettext_lazy("a multi-country project"),
}


def _cap_for(call: Call, project_id: int) -> tuple[Decimal | None, str, list[Check]]:
    """The co-financing cap that applies: by the country group of the project's recipient
    countries on the OECD DAC list of the call's year (the MEAE sets 70 / 50 / 30 %)."""
    countries = list(
        ProjectCountry.objects.filter(project_id=project_id).values_list("country_id", flat=True)
    )
    notes: list[Check] = []
    if not countries:
        return None, "", notes
    if len(countries) > 1 and call.max_rate_multi_country is not None:
        return call.max_rate_multi_country, "multi", notes
    groups = dict(
        OdaEligibility.objects.filter(year=call.year, country_id__in=countries).values_list(
            "country_id", "income_group"
        )
    )
    if not groups and not OdaEligibility.objects.filter(year=call.year).exists():
        notes.append(
            Check(
                "oda_list_missing",
                _(
                    "The OECD list of ODA-eligible countries for %(year)s is not loaded, so the "
                    "co-financing cap could not be checked. Ask the administrator to load it."
                )
                % {"year": call.year},
            )
        )
        return None, "", notes
    caps: list[tuple[Decimal, str]] = []
    for country in countries:
        group = groups.get(country)
        if group == OdaIncomeGroup.LDC:
            cap, name = call.max_rate_ldc, "ldc"
        elif group:
            cap, name = call.max_rate_oda, "oda"
        else:
            cap, name = call.max_rate_non_oda, "non_oda"
        if cap is not None:
            caps.append((cap, name))
    if not caps:
        return None, "", notes
    # With several countries and no multi-country rate, the strictest cap is the safe one.
    cap, name = min(caps)
    return cap, name, notes


_SHARE_COUNTED: dict[str, Any] = {
    Call.ShareCounts.OWN: gettext_lazy("the authority's own contribution"),
    Call.ShareCounts.FRENCH_AUTHORITIES: gettext_lazy(
        "the contribution of the French local authorities"
    ),
    Call.ShareCounts.AUTHORITIES_AND_PARTNERS: gettext_lazy(
        "the contribution of the local authorities and their partners"
    ),
}


def counted_contribution(plan: FinancingPlan, call: Call) -> tuple[Decimal, Decimal]:
    """(total, in kind) of the resource lines that make up the share the call asks for, as it
    words it (`Call.own_share_counts`), in one query: the member's own lines; with French
    authorities, also those of funders that are French local authorities; with partners, also
    those of the project's partner authorities. Refused lines finance nothing."""
    condition = Q(is_own=True)
    counts = call.own_share_counts
    if counts in (Call.ShareCounts.FRENCH_AUTHORITIES, Call.ShareCounts.AUTHORITIES_AND_PARTNERS):
        condition |= Q(funder__authority__country_id="FR")
    if counts == Call.ShareCounts.AUTHORITIES_AND_PARTNERS:
        partners = Project.partnerships.through.objects.filter(project_id=plan.project_id).values(
            "partnership__partner_id"
        )
        condition |= Q(funder__authority_id__in=partners)
    totals = (
        ResourceLine.objects.filter(condition, _COUNTED, plan_id=plan.pk)
        .order_by()
        .aggregate(
            total=Coalesce(Sum("amount"), Value(ZERO), output_field=_AMOUNT),
            in_kind=Coalesce(
                Sum("amount", filter=Q(in_kind=True)), Value(ZERO), output_field=_AMOUNT
            ),
        )
    )
    return totals["total"], totals["in_kind"]


def _same_currency(
    amount: Decimal, currency: str, target: str, on: datetime.date
) -> Decimal | None:
    """`amount` expressed in `target`, or None when no exchange rate allows it."""
    try:
        return in_currency(amount, currency, target, on)
    except ValidationError:
        return None


def application_checks(
    application: Application, *, today: datetime.date | None = None
) -> list[Check]:
    """Warnings on an application against its call's rules, its instalments and reports.

    The call's rules (amounts, caps, minimum own share) are stored on the call, never in code,
    since funders change them every year (domain guide §4).
    """
    today = today or timezone.localdate()
    call = Call.objects.select_related("funder").get(pk=application.call_id)
    checks: list[Check] = []
    on = application.submitted_on or today
    currency = application.currency

    checks.extend(
        _amount_checks(
            application.amount_requested, currency, call, on, what=_("The amount requested")
        )
    )

    plan = plan_for_application(application)
    if plan is None:
        checks.append(
            Check(
                "no_plan",
                _(
                    "The project has no financing plan to check this application against: "
                    "add one, with a resource line for this application."
                ),
            )
        )
    else:
        requested = _same_currency(
            application.amount_requested, application.currency, plan.currency, on
        )
        grant_in_kind = ResourceLine.objects.filter(
            plan=plan, application_id=application.pk, in_kind=True
        )
        checks.extend(
            _rate_checks(
                call,
                plan,
                financing_plan_summary(plan),
                requested=requested,
                what=_("The amount requested"),
                grant_in_kind=grant_in_kind,
            )
        )
    checks.extend(_schedule_checks(application, call, today))
    return checks


def _amount_checks(
    amount: Decimal, currency: str, call: Call, on: datetime.date, *, what: str
) -> list[Check]:
    """The call's bounds on a grant (e.g. the AFD's FICOL: 200 000 to 1 500 000 €), on the
    amount asked (`what` names it in a sentence)."""
    asked = _same_currency(amount, currency, call.currency, on)
    if asked is None:
        return [
            Check(
                "no_rate",
                _(
                    "No exchange rate converts %(currency)s into %(call_currency)s on %(date)s: "
                    "add one so that the amount can be compared with the call's limits."
                )
                % {"currency": currency, "call_currency": call.currency, "date": on},
            )
        ]
    checks: list[Check] = []
    if call.min_amount is not None and asked < call.min_amount:
        checks.append(
            Check(
                "below_min_amount",
                _(
                    "%(what)s (%(amount)s) is below the call's minimum grant (%(minimum)s). "
                    "Raise it or choose another call."
                )
                % {
                    "what": what,
                    "amount": format_amount(amount, currency),
                    "minimum": format_amount(call.min_amount, call.currency),
                },
                blocking=True,
            )
        )
    if call.max_amount is not None and asked > call.max_amount:
        checks.append(
            Check(
                "above_max_amount",
                _(
                    "%(what)s (%(amount)s) is above the call's maximum grant (%(maximum)s). "
                    "Lower it to the maximum at most."
                )
                % {
                    "what": what,
                    "amount": format_amount(amount, currency),
                    "maximum": format_amount(call.max_amount, call.currency),
                },
                blocking=True,
            )
        )
    return checks


def _rate_checks(
    call: Call,
    plan: FinancingPlan,
    summary: PlanSummary,
    *,
    requested: Decimal | None,
    what: str,
    grant_in_kind: models.QuerySet[ResourceLine],
) -> list[Check]:
    """The call's rates on a plan: its cap on the amount asked (`requested`, in the plan's
    currency; None when it cannot be converted) by the class of the project's countries, the
    minimum own share and the in-kind limit of that share; `grant_in_kind` are the lines of
    the grant counted in kind (a call that pays cash only refuses them)."""
    checks: list[Check] = []
    if not summary.total_expenses:
        return [
            Check(
                "empty_plan",
                _("The financing plan has no expenses yet: add them to check the call's rates."),
            )
        ]
    cap, group, notes = _cap_for(call, plan.project_id)
    checks.extend(notes)
    total = summary.total_expenses
    currency = plan.currency
    # Caps and minimums compare exact amounts (cap * total against the share * 100): a rate
    # rounded to 0.01 % would let 70 004 of 100 000 through a 70 % cap. Equal passes.
    if cap is not None and requested is not None and more_than_share(requested, total, cap):
        maximum = share_of(total, cap, rounding=ROUND_DOWN)
        checks.append(
            Check(
                "above_cap",
                _(
                    "%(what)s (%(amount)s) is %(rate)s %% of the project's total cost "
                    "(%(total)s); the call funds at most %(cap)s %% for %(group)s, that is "
                    "%(maximum)s. Lower the request by at least %(excess)s or find other "
                    "co-funders."
                )
                % {
                    "what": what,
                    "amount": format_amount(requested, currency),
                    "rate": format_number(percent(requested, total, rounding=ROUND_UP)),
                    "total": format_amount(total, currency),
                    "cap": format_number(cap),
                    "group": _GROUP_NAMES[group],
                    "maximum": format_amount(maximum, currency),
                    "excess": format_amount(requested - maximum, currency),
                },
                blocking=True,
            )
        )
    counted, counted_in_kind = counted_contribution(plan, call)
    share_what = _SHARE_COUNTED.get(call.own_share_counts, _SHARE_COUNTED[Call.ShareCounts.OWN])
    minimum_share = call.min_own_share
    if minimum_share is not None and less_than_share(counted, total, minimum_share):
        needed = share_of(total, minimum_share, rounding=ROUND_UP)
        checks.append(
            Check(
                "own_share_low",
                _(
                    "%(what)s is %(amount)s, %(share)s %% of the total cost (%(total)s); the "
                    "call asks for at least %(minimum)s %%, that is %(needed)s. Add "
                    "%(missing)s of such resources."
                )
                % {
                    "what": capfirst(share_what),
                    "amount": format_amount(counted, currency),
                    "share": format_number(percent(counted, total, rounding=ROUND_DOWN)),
                    "total": format_amount(total, currency),
                    "minimum": format_number(minimum_share),
                    "needed": format_amount(needed, currency),
                    "missing": format_amount(needed - counted, currency),
                },
                blocking=True,
            )
        )
    cap_in_kind = call.max_in_kind_of_own_share
    if (
        cap_in_kind is not None
        and counted
        and more_than_share(counted_in_kind, counted, cap_in_kind)
    ):
        checks.append(
            Check(
                "in_kind_high",
                _(
                    "In-kind contributions are %(in_kind)s of %(what)s (%(counted)s), "
                    "%(share)s %%; the call accepts at most %(cap)s %%, that is %(maximum)s. "
                    "Bring more of it in cash."
                )
                % {
                    "in_kind": format_amount(counted_in_kind, currency),
                    "what": share_what,
                    "counted": format_amount(counted, currency),
                    "share": format_number(percent(counted_in_kind, counted, rounding=ROUND_UP)),
                    "cap": format_number(cap_in_kind),
                    "maximum": format_amount(
                        share_of(counted, cap_in_kind, rounding=ROUND_DOWN), currency
                    ),
                },
                blocking=True,
            )
        )
    if call.cash_only and grant_in_kind.exists():
        checks.append(
            Check(
                "cash_only",
                _(
                    "This call pays cash only, but the plan counts its grant as in kind: "
                    "untick “in kind” on that resource line."
                ),
                blocking=True,
            )
        )
    return checks


def _schedule_checks(application: Application, call: Call, today: datetime.date) -> list[Check]:
    checks: list[Check] = []
    instalments = list(Instalment.objects.filter(application_id=application.pk).order_by("rank"))
    reports = list(ReportDue.objects.filter(application_id=application.pk).order_by("due_on"))
    horizon = today + datetime.timedelta(days=DEFAULT_HORIZON_DAYS)
    for instalment in instalments:
        if instalment.received_on is None and instalment.due_on and instalment.due_on < today:
            checks.append(
                Check(
                    "instalment_late",
                    _(
                        "Instalment %(rank)s (%(amount)s) was due on %(date)s and is not marked "
                        "as received: check with the funder, then record the date received."
                    )
                    % {
                        "rank": instalment.rank,
                        "amount": format_amount(instalment.amount, application.currency),
                        "date": instalment.due_on,
                    },
                )
            )
    granted = application.amount_granted
    if granted is not None and instalments:
        planned = sum((i.amount for i in instalments), ZERO)
        if planned != granted:
            checks.append(
                Check(
                    "instalments_mismatch",
                    _(
                        "The instalments add up to %(planned)s but the grant is %(granted)s: "
                        "correct the instalments."
                    )
                    % {
                        "planned": format_amount(planned, application.currency),
                        "granted": format_amount(granted, application.currency),
                    },
                )
            )
        if call.final_instalment_percent:
            final_share = percent(instalments[-1].amount, granted)
            if final_share is not None and final_share < call.final_instalment_percent:
                checks.append(
                    Check(
                        "final_instalment_low",
                        _(
                            "The call keeps %(percent)s %% of the grant until the final report, "
                            "but the last instalment is %(share)s %%: plan it accordingly."
                        )
                        % {
                            "percent": format_number(call.final_instalment_percent),
                            "share": format_number(final_share),
                        },
                    )
                )
    for report in reports:
        if report.submitted_on is not None:
            continue
        if report.due_on < today:
            checks.append(
                Check(
                    "report_late",
                    _(
                        "The %(kind)s was due on %(date)s and is not marked as sent: send it, "
                        "then record the date."
                    )
                    % {"kind": report.get_kind_display(), "date": report.due_on},
                )
            )
        elif report.due_on <= horizon:
            checks.append(
                Check(
                    "report_soon",
                    _("The %(kind)s is due on %(date)s.")
                    % {"kind": report.get_kind_display(), "date": report.due_on},
                )
            )
    return checks


# --- A plan against its call and its years ---------------------------------------------------


def balance_error(summary: PlanSummary, *, submitting: bool) -> str:
    values = {
        "expenses": format_amount(summary.total_expenses, summary.currency),
        "resources": format_amount(summary.total_resources, summary.currency),
        "gap": format_amount(abs(summary.gap), summary.currency),
    }
    if submitting:
        if summary.gap > 0:
            return (
                _(
                    "A financing plan must balance before it is submitted or adopted: its expenses "
                    "total %(expenses)s and its resources %(resources)s, so %(gap)s of resources "
                    "are missing. Add resources or reduce expenses, then change the status."
                )
                % values
            )
        return (
            _(
                "A financing plan must balance before it is submitted or adopted: its expenses "
                "total %(expenses)s and its resources %(resources)s, %(gap)s more than needed. "
                "Reduce resources or add expenses, then change the status."
            )
            % values
        )
    return (
        _(
            "This plan is submitted or adopted, so it must stay balanced; after this change its "
            "expenses would total %(expenses)s and its resources %(resources)s (a gap of "
            "%(gap)s). Change expense and resource lines together, or set the plan back to "
            "draft first."
        )
        % values
    )


def project_years(project: Project) -> tuple[int, int] | None:
    """The first and last calendar years of a project (planned or actual, the widest), or
    None while a start or an end is unknown."""
    starts = [day for day in (project.planned_start, project.actual_start) if day]
    ends = [day for day in (project.planned_end, project.actual_end) if day]
    if not starts or not ends:
        return None
    return min(starts).year, max(ends).year


@dataclass(frozen=True)
class PlanYear:
    """A plan's expenses and resources of one year (`year` None: the lines without a year)."""

    year: int | None
    expenses: Decimal
    resources: Decimal


def plan_years(plan: FinancingPlan) -> list[PlanYear]:
    """A plan's expenses and (counted) resources by the year of their lines, in two queries;
    the lines without a year last."""

    def by_year(model: type[models.Model], *conditions: Q) -> dict[int | None, Decimal]:
        rows = (
            model.objects.filter(*conditions, plan_id=plan.pk)  # type: ignore[attr-defined]
            .order_by()
            .values_list("year")
            .annotate(total=Sum("amount"))
        )
        return dict(rows)

    expenses, resources = by_year(ExpenseLine), by_year(ResourceLine, _COUNTED)
    years = sorted({*expenses, *resources}, key=lambda year: (year is None, year or 0))
    return [PlanYear(year, expenses.get(year, ZERO), resources.get(year, ZERO)) for year in years]


def plan_year_checks(plan: FinancingPlan, years: list[PlanYear]) -> list[Check]:
    """The years of a plan's lines against the project's years (`years` from `plan_years`).

    A budget is by calendar year (IATI rule 7.5.3: a budget period lasts a year at most; the
    MEAE pays in annual tranches): a whole-project plan of a project that runs over several
    years must give each expense its year, or three years of spending would be read as one.
    Blocking: such a plan cannot be submitted or adopted."""
    span = project_years(plan.project)
    checks: list[Check] = []
    if span is None:
        return checks
    first, last = span
    undated = next((row for row in years if row.year is None and row.expenses), None)
    if plan.year is None and first != last and undated is not None:
        checks.append(
            Check(
                "years_missing",
                _(
                    "The project runs from %(first)s to %(last)s, but %(amount)s of expenses "
                    "have no year: give each expense line its year, so that the budget of "
                    "each year is known (otherwise it would count as a single year)."
                )
                % {
                    "first": first,
                    "last": last,
                    "amount": format_amount(undated.expenses, plan.currency),
                },
                blocking=True,
            )
        )
    outside = [row.year for row in years if row.year is not None and not first <= row.year <= last]
    if plan.year is not None and not first <= plan.year <= last:
        outside.insert(0, plan.year)
    if outside:
        checks.append(
            Check(
                "year_outside",
                _(
                    "The plan has amounts for %(years)s, outside the project's years "
                    "(%(first)s to %(last)s): correct the year of those lines, or the "
                    "project's dates."
                )
                % {
                    "years": ", ".join(str(year) for year in sorted(set(outside))),
                    "first": first,
                    "last": last,
                },
            )
        )
    return checks


def plan_call_checks(
    plan: FinancingPlan, summary: PlanSummary, *, today: datetime.date | None = None
) -> list[Check]:
    """A plan written for a call (`FinancingPlan.call`) against the call's rules, the same
    rules as an application's (`application_checks`): the amount the plan asks of the call's
    funder (its counted resource lines from that funder) against the grant bounds and the cap
    for the class of the project's countries; the minimum own share and its in-kind limit.
    The rules are stored on the call, never in code (domain guide §4)."""
    if plan.call_id is None:
        return []
    today = today or timezone.localdate()
    call = Call.objects.select_related("funder").get(pk=plan.call_id)
    funder = call.funder.acronym or call.funder.name
    asked_lines = ResourceLine.objects.filter(_COUNTED, plan_id=plan.pk, funder_id=call.funder_id)
    asked = asked_lines.order_by().aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=_AMOUNT)
    )["total"]
    what = _("The amount asked of %(funder)s in this plan") % {"funder": funder}
    checks: list[Check] = []
    if not asked:
        checks.append(
            Check(
                "no_call_line",
                _(
                    "The plan has no resource line from %(funder)s yet: add the amount you ask "
                    "of this call, to check it against the call's rules."
                )
                % {"funder": funder},
            )
        )
    else:
        checks.extend(_amount_checks(asked, plan.currency, call, today, what=what))
    checks.extend(
        _rate_checks(
            call,
            plan,
            summary,
            requested=asked if asked else None,
            what=what,
            grant_in_kind=asked_lines.filter(in_kind=True),
        )
    )
    return checks


@dataclass(frozen=True)
class CallTerms:
    """A call's rules as they apply to one plan: the cap for the class of the project's
    countries (with its name), the minimum own share and its in-kind limit, the grant bounds,
    and what the plan asks of the call's funder."""

    call: Call
    cap: Decimal | None
    cap_group: str
    asked: Decimal


def plan_call_terms(plan: FinancingPlan) -> CallTerms | None:
    """The terms of the plan's call (None without a call), in three or four queries."""
    if plan.call_id is None:
        return None
    call = Call.objects.select_related("funder").get(pk=plan.call_id)
    cap, group, _notes = _cap_for(call, plan.project_id)
    asked = (
        ResourceLine.objects.filter(_COUNTED, plan_id=plan.pk, funder_id=call.funder_id)
        .order_by()
        .aggregate(total=Coalesce(Sum("amount"), Value(ZERO), output_field=_AMOUNT))["total"]
    )
    return CallTerms(call=call, cap=cap, cap_group=str(_GROUP_NAMES.get(group, "")), asked=asked)


@dataclass(frozen=True)
class PlanChecks:
    """Everything checked on a plan, for its editor: totals, years, the call's rules."""

    summary: PlanSummary
    years: list[PlanYear]
    checks: list[Check]
    terms: CallTerms | None = None

    @property
    def blocking(self) -> list[Check]:
        return [check for check in self.checks if check.blocking]


def plan_checks(plan: FinancingPlan, *, today: datetime.date | None = None) -> PlanChecks:
    """A plan's totals, its amounts by year and its checks, in a fixed number of queries:
    balance (blocking: a plan is submitted or adopted balanced), the years of its lines
    (`plan_year_checks`) and its call's rules (`plan_call_checks`). What blocks is what
    `projects.services` refuses when the plan is submitted or adopted."""
    summary = financing_plan_summary(plan)
    years = plan_years(plan)
    checks: list[Check] = []
    if not summary.is_empty and not summary.balanced:
        checks.append(Check("unbalanced", balance_error(summary, submitting=True), blocking=True))
    checks.extend(plan_year_checks(plan, years))
    checks.extend(plan_call_checks(plan, summary, today=today))
    return PlanChecks(summary=summary, years=years, checks=checks, terms=plan_call_terms(plan))


def reports_due(
    *, user: Any, days: int = DEFAULT_HORIZON_DAYS, today: datetime.date | None = None
) -> models.QuerySet:
    """Reports not yet sent that are late or due in the next `days` days, soonest first."""
    today = today or timezone.localdate()
    return (
        open_reports(user=user)
        .filter(due_on__lte=today + datetime.timedelta(days=days))
        .order_by("due_on", "id")
    )


def instalments_due(
    *, user: Any, days: int = DEFAULT_HORIZON_DAYS, today: datetime.date | None = None
) -> models.QuerySet:
    """Instalments not yet received that are late or due in the next `days` days."""
    today = today or timezone.localdate()
    return (
        awaited_instalments(user=user)
        .filter(due_on__lte=today + datetime.timedelta(days=days))
        .order_by("due_on", "id")
    )


# What is still due, whenever: the home's to-dos (above, a season ahead) and the calendar (a
# month, the personal feed) read these two, so a report counts as due in one way everywhere.


def open_reports(*, user: Any) -> models.QuerySet:
    """Reports due to funders and not yet sent, of the user's authorities, with their
    application's project and funder."""
    return (
        ReportDue.objects.for_user(user)
        .filter(submitted_on__isnull=True)
        .select_related("application__project", "application__call__funder")
    )


def awaited_instalments(*, user: Any) -> models.QuerySet:
    """Instalments of grants not yet received, of the user's authorities, with their
    application's project and funder."""
    return (
        Instalment.objects.for_user(user)
        .filter(received_on__isnull=True)
        .select_related("application__project", "application__call__funder")
    )


def calls_closing(*, start: datetime.date, end: datetime.date) -> models.QuerySet[Call]:
    """Funders' calls for projects (the shared register, open to every member) that close
    between `start` and `end`, soonest first."""
    return (
        Call.objects.filter(closes_on__gte=start, closes_on__lte=end)
        .select_related("funder")
        .order_by("closes_on", "pk")
    )


# --- Lists -----------------------------------------------------------------------------------


def _count(model: type[models.Model], *conditions: Q, **filters: Any) -> Coalesce:
    rows = (
        model.objects.filter(*conditions, project=OuterRef("pk"), **filters)  # type: ignore[attr-defined]
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), Value(0))


def _sum(model: type[models.Model], field: str, *conditions: Q, **filters: Any) -> Coalesce:
    rows = (
        model.objects.filter(*conditions, project=OuterRef("pk"), **filters)  # type: ignore[attr-defined]
        .order_by()
        .values("project")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=_AMOUNT), Value(ZERO), output_field=_AMOUNT)


# IATI TransactionType: 3 disbursement, 4 expenditure, 7 reimbursement (a kind of disbursement).
SPENDING_TYPES = ("3", "4", "7")


def projects_overview(
    *, user: Any, today: datetime.date | None = None, queryset: models.QuerySet | None = None
) -> models.QuerySet:
    """The projects of the user's authorities with what an officer follows, in one query.

    Applications' amounts are summed in the project's currency only (`other_currency_rows`
    counts those left out, so that a page can say so rather than add euros to dollars); the
    money spent is in euros (`euros_spent`, by `euros_paid_in_sql`), `spent_without_euros`
    counting the payments whose euros are not known yet (no rate).
    """
    today = today or timezone.localdate()
    queryset = Project.objects.for_user(user) if queryset is None else queryset
    same_currency = Q(currency=OuterRef("currency"))
    open_reports = ReportDue.objects.filter(
        application__project=OuterRef("pk"), submitted_on__isnull=True
    )
    next_report = (
        open_reports.order_by()
        .values("application__project")
        .annotate(first=Min("due_on"))
        .values("first")
    )
    late_reports = (
        open_reports.filter(due_on__lt=today)
        .order_by()
        .values("application__project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.select_related("authority__authority", "atlas_theme").annotate(
        plan_count=_count(FinancingPlan),
        unbalanced_plan_count=_unbalanced_plan_count(),
        application_count=_count(Application),
        pending_application_count=_count(
            Application, decision__in=[Application.Decision.DRAFT, Application.Decision.SUBMITTED]
        ),
        amount_requested=_sum(Application, "amount_requested", same_currency),
        amount_granted=_sum(Application, "amount_granted", same_currency),
        transaction_count=_count(Transaction),
        euros_spent=_sum_euros_spent(),
        spent_without_euros=_count_spent_without_euros(),
        other_currency_rows=_count(Application, ~same_currency),
        next_report_due=Subquery(next_report, output_field=models.DateField()),
        late_report_count=Coalesce(
            Subquery(late_reports, output_field=models.IntegerField()), Value(0)
        ),
    )


def _sum_euros_spent() -> Coalesce:
    """What a project's payments (disbursements, expenditure, reimbursements) cost in euros,
    by `euros_paid_in_sql`; rows without their euros are left out (`spent_without_euros`)."""
    rows = (
        Transaction.objects.filter(project=OuterRef("pk"), transaction_type__in=SPENDING_TYPES)
        .annotate(euros=euros_paid_in_sql())
        .order_by()
        .values("project")
        .annotate(total=Sum("euros"))
        .values("total")
    )
    return Coalesce(
        Round(Subquery(rows, output_field=_AMOUNT), 2), Value(ZERO), output_field=_AMOUNT
    )


def _count_spent_without_euros() -> Coalesce:
    """How many of a project's payments have no euros yet (`euros_paid_in_sql` is NULL)."""
    rows = (
        Transaction.objects.filter(project=OuterRef("pk"), transaction_type__in=SPENDING_TYPES)
        .annotate(euros=euros_paid_in_sql())
        .filter(euros__isnull=True)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), Value(0))


def _unbalanced_plan_count() -> Coalesce:
    totals = plans_with_totals(FinancingPlan.objects.filter(project=OuterRef("pk")))
    unbalanced = totals.exclude(sum_expenses=models.F("sum_resources"))
    rows = unbalanced.order_by().values("project").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), Value(0))


# --- Codelists -------------------------------------------------------------------------------


def loaded_codelists(names: Iterable[str]) -> set[str]:
    """Which of these IATI codelists are loaded (codes are checked only against loaded lists)."""
    return set(
        CodelistItem.objects.filter(codelist__in=list(names))
        .order_by()
        .values_list("codelist", flat=True)
        .distinct()
    )


def codelist_choices(codelist: str) -> list[tuple[str, str]]:
    """(code, "code - name") for the active codes of a list; empty when it is not loaded."""
    return [
        (item.code, str(item))
        for item in CodelistItem.objects.filter(codelist=codelist, is_active=True).order_by("code")
    ]


def codelists_choices(
    names: Iterable[str], *, keep: Mapping[str, str] | None = None
) -> dict[str, list[tuple[str, str]]]:
    """(code, "code - name") of the active codes of several lists, in one query (a form with
    five code lists asks once, whatever their length). `keep` maps a list to a code a record
    already has: offered even when withdrawn (valid historically, as `check_codes` accepts it).
    A list that is not loaded maps to an empty list; names in the reader's language."""
    wanted = list(dict.fromkeys(names))
    kept = {name: code for name, code in (keep or {}).items() if code}
    condition = Q(codelist__in=wanted, is_active=True)
    for name, code in kept.items():
        condition |= Q(codelist=name, code=code)
    choices: dict[str, list[tuple[str, str]]] = {name: [] for name in wanted}
    for item in CodelistItem.objects.filter(condition).order_by("codelist", "code"):
        choices[item.codelist].append((item.code, str(item)))
    return choices


# The channels a local authority's payments usually go through (OECD CRS channel codes): the
# partner town (its local government), the recipient's State, an association in France or in
# the partner country, the authority itself, a university.
COMMON_CHANNELS = ["12002", "12000", "22000", "23000", "11002", "51000"]


def usual_channels(authority_id: int) -> list[str]:
    """The CRS channels an authority's payments go through, most used first, then the common
    ones of local authorities (`COMMON_CHANNELS`). Offered first in a channel list. One query."""
    used = (
        Transaction.objects.filter(authority_id=authority_id)
        .exclude(channel_code="")
        .order_by()
        .values("channel_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "channel_code")
        .values_list("channel_code", flat=True)
    )
    return list(dict.fromkeys([*used, *COMMON_CHANNELS]))


# --- Gaps of the public page (the workspace's home) ------------------------------------------


def published_projects_without_summary(*, user: Any, member: Any) -> list[Project]:
    """The member's published projects whose summary is empty in every language: the public
    page and the IATI file show them without a word of description (one query)."""
    projects = (
        of_published_member(Project.objects.for_user(user).filter(project_is_published()), member)
        .only("pk", "slug", "title", "summary", "authority_id")
        .order_by("pk")
    )
    return [
        project
        for project in projects
        if not any(str(text or "").strip() for text in (project.summary or {}).values())
    ]


def projects_none_published(*, user: Any, member: Any) -> int:
    """How many projects the member has when none of them is published (`project_is_published`),
    else 0: its public page and its IATI file then show nothing of its work. One query."""
    counts = (
        Project.objects.for_user(user)
        .of_authority(member.pk)
        .aggregate(total=Count("pk"), published=Count("pk", filter=project_is_published()))
    )
    return 0 if counts["published"] else counts["total"]


# --- Money of several projects (a partnership's key figures) ---------------------------------


def _added(first: PlanSummary, second: PlanSummary) -> PlanSummary:
    values = {
        name: getattr(first, name) + getattr(second, name)
        for name in PlanSummary.__dataclass_fields__
        if name != "currency"
    }
    return PlanSummary(currency=first.currency, **values)


def budget_of_projects(projects: models.QuerySet[Project]) -> list[PlanSummary]:
    """The budgets of several projects added up, one summary per currency (amounts in
    different currencies are never added): the plans in force only (`plans_in_force`, the
    rule of a project's budget), so the own money, the money raised from co-funders and the
    leverage (`PlanSummary.leverage`, the one definition) read as on each project's page.
    One query."""
    plans = plans_with_totals(
        plans_in_force(FinancingPlan.objects.filter(project__in=projects))
    ).order_by("currency", "pk")
    totals: dict[str, PlanSummary] = {}
    for plan in plans:
        summary = summary_of(plan)
        found = totals.get(summary.currency)
        totals[summary.currency] = summary if found is None else _added(found, summary)
    return list(totals.values())


# --- Calls that fit ---------------------------------------------------------------------------

# How far ahead a call closing is worth an officer's attention: time to write an application.
CALLS_HORIZON_DAYS = 92
# Projects still looking for money, or about to: a call may fund them.
_SEEKING = (Project.Status.IDEA, Project.Status.PREPARATION, Project.Status.FUNDING_SOUGHT)


@dataclass(frozen=True)
class CallFit:
    """A call closing soon and the authority's projects it fits (by country and theme)."""

    call: Call
    projects: tuple[Project, ...]


def calls_that_fit(
    *,
    user: Any,
    authority_id: int,
    today: datetime.date | None = None,
    days: int = CALLS_HORIZON_DAYS,
) -> list[CallFit]:
    """Funders' calls open for applications and closing within `days`, each with the projects
    of the authority it fits: a project still seeking money (idea, in preparation, funding
    sought), in a country the call accepts (a call without a list accepts every country), on a
    theme it accepts (likewise), that has not applied to it yet.

    Three queries whatever the size of the instance: the calls closing soon (few, shared by
    every authority) with their countries and themes, then the authority's own projects.
    """
    today = today or timezone.localdate()
    calls = list(
        Call.objects.filter(closes_on__gte=today, closes_on__lte=today + datetime.timedelta(days))
        .filter(Q(opens_on__isnull=True) | Q(opens_on__lte=today))
        .select_related("funder")
        .prefetch_related(
            Prefetch("eligible_countries", to_attr="countries_"),
            Prefetch("eligible_themes", to_attr="themes_"),
        )
        .order_by("closes_on", "pk")
    )
    if not calls:
        return []
    projects = list(
        Project.objects.for_user(user)
        .of_authority(authority_id)
        .filter(status__in=_SEEKING)
        .prefetch_related(
            Prefetch("countries", queryset=ProjectCountry.objects.only("project_id", "country_id")),
            Prefetch("applications", queryset=Application.objects.only("project_id", "call_id")),
        )
        .order_by("pk")
    )
    fits = []
    for call in calls:
        countries = {c.pk for c in call.countries_}  # type: ignore[attr-defined]
        themes = {t.pk for t in call.themes_}  # type: ignore[attr-defined]
        fitting = tuple(
            project
            for project in projects
            if (not countries or countries & {c.country_id for c in project.countries.all()})
            and (not themes or project.atlas_theme_id in themes)
            and all(a.call_id != call.pk for a in project.applications.all())
        )
        if fitting:
            fits.append(CallFit(call, fitting))
    return fits


def usual_countries(authority_id: int) -> list[str]:
    """The countries an authority works with, most used first: its projects' recipient
    countries, then its partner towns' countries. Offered first in a country list. One query."""
    projects = (
        ProjectCountry.objects.filter(project__authority_id=authority_id)
        .order_by()
        .values("country_id")
        .annotate(n=Count("pk"))
        .values_list("country_id", "n")
    )
    partners = (
        Partnership.objects.filter(authority_id=authority_id)
        .order_by()
        .values("partner__country_id")
        .annotate(n=Count("pk"))
        .values_list("partner__country_id", "n")
    )
    counts: dict[str, int] = {}
    for code, n in projects.union(partners, all=True):
        if code:
            counts[code] = counts.get(code, 0) + n
    return sorted(counts, key=lambda code: (-counts[code], code))


def usual_calls(authority_id: int, today: datetime.date) -> list[int]:
    """The calls an authority is likely to apply to, offered first in a list of calls: the
    calls not yet closed of the funders it already applied to or counts in a plan, soonest
    closing first. One query."""
    applied = Application.objects.filter(project__authority_id=authority_id).values(
        "call__funder_id"
    )
    counted = ResourceLine.objects.filter(
        plan__project__authority_id=authority_id, funder__isnull=False
    ).values("funder_id")
    still_open = Q(closes_on__gte=today) | Q(closes_on__isnull=True, year__gte=today.year)
    calls = (
        Call.objects.filter(Q(funder_id__in=applied) | Q(funder_id__in=counted))
        .filter(still_open)
        .order_by(F("closes_on").asc(nulls_last=True), "pk")
    )
    return list(calls.values_list("pk", flat=True))


def usual_sectors(authority_id: int) -> list[str]:
    """The CRS purpose codes an authority uses, most used first: its projects' sectors, then
    its payments' codes. Offered first in a sector list. One query."""
    projects = (
        ProjectSector.objects.filter(project__authority_id=authority_id)
        .order_by()
        .values("code")
        .annotate(n=Count("pk"))
        .values_list("code", "n")
    )
    payments = (
        Transaction.objects.filter(authority_id=authority_id)
        .exclude(sector_code="")
        .order_by()
        .values("sector_code")
        .annotate(n=Count("pk"))
        .values_list("sector_code", "n")
    )
    counts: dict[str, int] = {}
    for code, n in projects.union(payments, all=True):
        if code:
            counts[code] = counts.get(code, 0) + n
    return sorted(counts, key=lambda code: (-counts[code], code))


def usual_atlas_themes(authority_id: int) -> list[int]:
    """The Atlas themes of an authority's projects, most used first. One query."""
    rows = (
        Project.objects.filter(authority_id=authority_id, atlas_theme__isnull=False)
        .order_by()
        .values("atlas_theme_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "atlas_theme_id")
    )
    return [row["atlas_theme_id"] for row in rows]
