"""Reads for the "1 %" laws: what each water, sanitation, energy, waste or mobility budget may
give to international action in its own sector, and what it gives.

CGCT L1115-1-1 (water, sanitation, electricity and gas), the "1 % déchets" (loi n° 2014-773 of
7 July 2014) and L1115-3 (mobility): up to 1 % of the resources assigned to each service's
budget may fund cooperation, emergency aid or solidarity actions in the same sector. Each budget
has its own ceiling, per year.

What a budget uses: for each project, its commitments taken on the budget (IATI type 2), or its
payments taken on it (types 3, 4 and 7) when they are more. A payment made against a commitment
does not use the budget a second time; a payment made without a recorded commitment does.
Amounts are in euros at each transaction's value date (French budgets are voted in euros).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError

from jumelage.core.i18n import translate
from jumelage.core.money import CENT
from jumelage.core.selectors import RateBook
from jumelage.projects.models import ServiceBudget, Transaction

ZERO = Decimal("0.00")
EURO = "EUR"
# "dans la limite de 1 % des ressources": the ceiling is a hundredth of the resources.
CEILING_SHARE = Decimal("0.01")
COMMITMENT_TYPES = ("2",)
PAYMENT_TYPES = ("3", "4", "7")
BUDGET_TRANSACTION_TYPES = (*COMMITMENT_TYPES, *PAYMENT_TYPES)

ToEuros = Callable[[Decimal, str, datetime.date], Decimal]


def ceiling_of(resources: Decimal) -> Decimal:
    """1 % of the resources, exactly (no rounding: a cent over is over)."""
    return resources * CEILING_SHARE


def shown_ceiling(resources: Decimal) -> Decimal:
    """The ceiling to show, rounded down to the cent: what may be spent at most."""
    return ceiling_of(resources).quantize(CENT, rounding=ROUND_DOWN)


@dataclass
class BudgetLine:
    """A transaction taken on a service budget, as the 1 % page lists it."""

    pk: int
    project_id: int | None  # None: a membership fee or network contribution
    project_title: str
    transaction_type: str
    date: datetime.date
    rate_date: datetime.date
    description: str
    amount: Decimal
    currency: str
    sector_code: str
    amount_eur: Decimal | None
    # The euro amount the treasury actually paid, when recorded: used instead of a rate.
    paid_eur: Decimal | None = None

    @property
    def is_commitment(self) -> bool:
        return self.transaction_type in COMMITMENT_TYPES


@dataclass
class BudgetUse:
    """One budget of a year: its ceiling, what it commits and pays, what it uses."""

    budget: ServiceBudget
    lines: list[BudgetLine] = field(default_factory=list)
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    used: Decimal = ZERO
    # Transactions whose amount could not be converted into euros (no rate for their date).
    unconverted: list[BudgetLine] = field(default_factory=list)

    @property
    def ceiling(self) -> Decimal:
        return shown_ceiling(self.budget.resources)

    @property
    def left(self) -> Decimal:
        return self.ceiling - self.used

    @property
    def is_over(self) -> bool:
        # Exact comparison: used > 1 % of the resources, to the cent.
        return self.used > ceiling_of(self.budget.resources)


def euros_converter(book: RateBook) -> ToEuros:
    """Amounts in euros at their value date, from the preloaded rates (whatever the instance's
    reporting currency). Raises MissingExchangeRate."""

    def to_euros(amount: Decimal, currency: str, on: datetime.date) -> Decimal:
        currency = currency.upper()
        if currency == EURO:
            return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
        if settings.REPORTING_CURRENCY == EURO:
            return book.to_reporting_currency(amount, currency, on)
        return (Decimal(amount) * book.rate(EURO, on) / book.rate(currency, on)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )

    return to_euros


def use_of(lines: Iterable[BudgetLine]) -> tuple[Decimal, Decimal, Decimal]:
    """(committed, paid, used) of converted lines: per project, the larger of its commitments
    and its payments (a payment against a commitment does not count twice)."""
    committed: dict[object, Decimal] = defaultdict(lambda: ZERO)
    paid: dict[object, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.amount_eur is None:
            continue
        target = committed if line.is_commitment else paid
        # A payment without a project (a membership fee) stands alone.
        key = line.project_id if line.project_id is not None else ("payment", line.pk)
        target[key] += line.amount_eur
    projects = set(committed) | set(paid)
    used = sum((max(committed[p], paid[p]) for p in projects), ZERO)
    return sum(committed.values(), ZERO), sum(paid.values(), ZERO), used


def _line(tx: Transaction) -> BudgetLine:
    return BudgetLine(
        pk=tx.pk,
        project_id=tx.project_id,
        project_title=(translate(tx.project.title) or tx.project.slug) if tx.project else "",
        transaction_type=tx.transaction_type,
        date=tx.date,
        rate_date=tx.rate_date,
        description=tx.description,
        amount=tx.amount,
        currency=tx.currency.upper(),
        sector_code=tx.sector_code,
        amount_eur=None,
        paid_eur=tx.amount_eur,
    )


def _convert(lines: list[BudgetLine]) -> list[BudgetLine]:
    """Fill in the euros of each line; return those that have no rate."""
    missing: list[BudgetLine] = []
    if not lines:
        return missing
    until = max(line.rate_date for line in lines)
    book = RateBook({line.currency for line in lines} | {EURO}, until=until)
    to_euros = euros_converter(book)
    for line in lines:
        if line.paid_eur is not None:
            line.amount_eur = line.paid_eur
            continue
        try:
            line.amount_eur = to_euros(line.amount, line.currency, line.rate_date)
        except ValidationError:
            missing.append(line)
    return missing


def service_budget_years(member_id: int) -> list[int]:
    """The years for which the member recorded a service budget, latest first."""
    return list(
        ServiceBudget.objects.filter(authority_id=member_id)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def service_budgets_of_year(member_id: int, year: int) -> list[BudgetUse]:
    """Each service budget of the member for `year`, with its ceiling and use, in three queries
    (the budgets, their transactions with their projects, the exchange rates)."""
    budgets = list(
        ServiceBudget.objects.filter(authority_id=member_id, year=year).order_by("kind", "pk")
    )
    if not budgets:
        return []
    transactions = (
        Transaction.objects.filter(
            service_budget__in=budgets, transaction_type__in=BUDGET_TRANSACTION_TYPES
        )
        .select_related("project")
        .order_by("date", "pk")
    )
    by_budget: dict[int, list[BudgetLine]] = defaultdict(list)
    for tx in transactions:
        by_budget[tx.service_budget_id].append(_line(tx))  # type: ignore[index]
    every_line = [line for lines in by_budget.values() for line in lines]
    missing = {line.pk for line in _convert(every_line)}
    uses = []
    for budget in budgets:
        lines = by_budget.get(budget.pk, [])
        use = BudgetUse(budget=budget, lines=lines)
        use.unconverted = [line for line in lines if line.pk in missing]
        use.committed, use.paid, use.used = use_of(lines)
        uses.append(use)
    return uses


def service_budget_use(budget: ServiceBudget, *, replacing: Transaction | None = None) -> BudgetUse:
    """The use of one budget as it would be once `replacing` is saved (the stored version of
    that transaction, if any, is left out and the new one counted). For the rule."""
    stored = Transaction.objects.filter(
        service_budget_id=budget.pk, transaction_type__in=BUDGET_TRANSACTION_TYPES
    ).select_related("project")
    if replacing is not None and replacing.pk is not None:
        stored = stored.exclude(pk=replacing.pk)
    lines = [_line(tx) for tx in stored]
    if replacing is not None and replacing.transaction_type in BUDGET_TRANSACTION_TYPES:
        lines.append(
            BudgetLine(
                pk=replacing.pk or 0,
                project_id=replacing.project_id,
                project_title="",
                transaction_type=replacing.transaction_type,
                date=replacing.date,
                rate_date=replacing.rate_date,
                description=replacing.description,
                amount=Decimal(replacing.amount),
                currency=(replacing.currency or EURO).upper(),
                sector_code=replacing.sector_code,
                amount_eur=None,
                paid_eur=replacing.amount_eur,
            )
        )
    use = BudgetUse(budget=budget, lines=lines)
    use.unconverted = _convert(lines)
    use.committed, use.paid, use.used = use_of(lines)
    return use


__all__ = [
    "BUDGET_TRANSACTION_TYPES",
    "BudgetLine",
    "BudgetUse",
    "ceiling_of",
    "service_budget_use",
    "service_budget_years",
    "service_budgets_of_year",
    "shown_ceiling",
]
