"""The "1 % laws" budgets page: the authority's water, sanitation, energy, waste and mobility
budgets of a year, each with its ceiling and what it commits, pays and uses, and the payments
taken on it. What a ceiling is and what a budget uses is decided once, in
projects.service_budgets; here it is only gathered for a page."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from jumelage.projects.models import ServiceBudget
from jumelage.projects.service_budgets import (
    BudgetUse,
    service_budget_years,
    service_budgets_of_year,
)
from jumelage.tenancy.access import may_write
from jumelage.workspace.selectors import Seat

# Years a page may show (the model's own bounds): outside, the page does not exist.
FIRST_YEAR, LAST_YEAR = 1990, 2100


def may_write_budgets(place: Seat) -> bool:
    """Whether the user may record, change and remove the authority's service budgets
    (`ServiceBudget.write_roles`, asked of tenancy.access: administrators and officers)."""
    return may_write(place.user, place.member.pk, ServiceBudget.write_roles)


@dataclass
class BudgetsPage:
    year: int
    years: list[int]  # the years with budgets, and the year shown, latest first
    uses: list[BudgetUse]
    may_write: bool

    @property
    def previous_year(self) -> int | None:
        return self.year - 1 if self.year > FIRST_YEAR else None

    @property
    def next_year(self) -> int | None:
        return self.year + 1 if self.year < LAST_YEAR else None

    @property
    def missing_kinds(self) -> list[tuple[str, str]]:
        """The services without a budget this year (what may still be added)."""
        present = {use.budget.kind for use in self.uses}
        return [(k, str(label)) for k, label in ServiceBudget.Kind.choices if k not in present]


def budgets_page(place: Seat, year: int) -> BudgetsPage:
    """A fixed number of queries whatever the number of budgets and payments: the years, the
    budgets of the year, their transactions with their projects, the exchange rates."""
    years = service_budget_years(place.member.pk)
    return BudgetsPage(
        year=year,
        years=sorted({*years, year}, reverse=True),
        uses=service_budgets_of_year(place.member.pk, year),
        may_write=may_write_budgets(place),
    )


def budget_of(place: Seat, pk: int) -> ServiceBudget:
    """A service budget of the seat's authority the user may read, or a 404 (another
    authority's)."""
    budgets = ServiceBudget.objects.for_user(place.user).filter(authority=place.member)
    return get_object_or_404(budgets, pk=pk)
