"""A project's budget and co-funders as an officer's sheet gives them ("Budget total",
"Cofinanceurs", "AFD 60 000 €; Région 20 000 €"), written as a financing plan through the
projects services.

The plan the import writes is marked by its title (`IMPORT_TITLES`, in every interface
language), so that a second import finds it again and changes nothing, or replaces its lines
when the file's budget changed; a plan an officer made by hand is never touched. The plan is
adopted (it then makes the project's budget: `projects.selectors.plans_in_force`) only when
it balances and passes the plan checks (`plan_year_checks`: a plan over several years gives
each expense its year); otherwise it stays a draft, and the row says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jumelage.core.values import Amount, CellProblem, amount, interface_languages, shown
from jumelage.partners.matching import town_key
from jumelage.projects.models import ExpenseLine, FinancingPlan, Funder, Project, ResourceLine
from jumelage.projects.selectors import (
    PlanYear,
    balance_error,
    plan_year_checks,
    summary_from_lines,
)
from jumelage.projects.services import financing_plan_save_lines, financing_plan_set_status
from jumelage.reporting.spreadsheets.cells import split_list

IMPORT_TITLE = gettext_lazy("Budget imported from a spreadsheet")
EXPENSE_LABEL = gettext_lazy("Total budget")
ZERO = Decimal(0)
# "AFD 60 000 €", "Région : 20 000", "Union européenne (30 000 €)": a name then an amount.
_NAME_AMOUNT = re.compile(
    r"^(?P<name>.*?\D)\s*[:(\u2013-]?\s*"
    r"(?P<amount>\d[\d\s.,'\u00a0\u202f]*(?:\s*[^\d\s()]{1,5})?)\s*\)?$"
)


def import_titles() -> set[str]:
    """The import's plan title in every interface language: a plan imported in French is
    found again by an import run in English."""
    titles = set()
    for language in interface_languages():
        with translation.override(language):
            titles.add(str(IMPORT_TITLE))
    return titles


@dataclass
class BudgetPlan:
    """The plan a row asks for: lines as mappings for `financing_plan_save_lines`."""

    currency: str
    expenses: list[dict[str, Any]]
    resources: list[dict[str, Any]]
    status: str
    existing: FinancingPlan | None = None  # the plan the import made before, to update
    notes: list[str] = field(default_factory=list)

    def same_as(self, plan: FinancingPlan, stored: dict[str, list[tuple[Any, ...]]]) -> bool:
        return (
            plan.status == self.status
            and plan.currency == self.currency
            and stored["expenses"] == sorted(_expense_key(line) for line in self.expenses)
            and stored["resources"] == sorted(_resource_key(line) for line in self.resources)
        )


def _expense_key(line: Any) -> tuple[Any, ...]:
    # Keys that sort (no None): a line without a year, or an own share without a funder, as 0.
    if isinstance(line, dict):
        return (line["label"], line["year"] or 0, Decimal(line["amount"]).normalize())
    return (line.label, line.year or 0, Decimal(line.amount).normalize())


def _resource_key(line: Any) -> tuple[Any, ...]:
    if isinstance(line, dict):
        funder = line["funder"].pk if line.get("funder") is not None else 0
        return (funder, bool(line.get("is_own")), Decimal(line["amount"]).normalize())
    return (line.funder_id or 0, line.is_own, Decimal(line.amount).normalize())


def stored_lines(plans: list[FinancingPlan]) -> dict[int, dict[str, list[tuple[Any, ...]]]]:
    """The lines of the import's plans, as compared with a row's, in two queries."""
    found: dict[int, dict[str, list[tuple[Any, ...]]]] = {
        plan.pk: {"expenses": [], "resources": []} for plan in plans
    }
    for line in ExpenseLine.objects.filter(plan__in=plans):
        found[line.plan_id]["expenses"].append(_expense_key(line))
    for resource in ResourceLine.objects.filter(plan__in=plans):
        found[resource.plan_id]["resources"].append(_resource_key(resource))
    for lines in found.values():
        lines["expenses"].sort()
        lines["resources"].sort()
    return found


class Funders:
    """The shared register of funders by name or acronym as compared, with suggestions for a
    near miss ("Region Pays de Loire"), in the way partner towns are matched."""

    STANDS_OUT = 90
    SUGGESTED = 70

    def __init__(self) -> None:
        self.entries: list[tuple[str, Funder]] = []
        for funder in Funder.objects.only("pk", "name", "acronym"):
            for name in {funder.name, funder.acronym} - {""}:
                self.entries.append((town_key(name), funder))

    def match(self, name: str) -> tuple[Funder | None, bool, list[Funder]]:
        """(the funder, whether exact, the suggestions)."""
        from rapidfuzz import fuzz, process

        key = town_key(name)
        exact = list(dict.fromkeys(f for k, f in self.entries if k == key))
        if len(exact) == 1:
            return exact[0], True, []
        if exact:
            return None, False, exact
        keys = [k for k, _f in self.entries]
        found = process.extract(
            key, keys, scorer=fuzz.token_set_ratio, score_cutoff=self.SUGGESTED, limit=8
        )
        ranked: list[tuple[float, Funder]] = []
        for _key, score, index in found:
            funder = self.entries[index][1]
            if all(funder != f for _s, f in ranked):
                ranked.append((score * 1000 + fuzz.ratio(key, keys[index]), funder))
        ranked.sort(key=lambda item: -item[0])
        if not ranked:
            return None, False, []
        best = ranked[0][0] // 1000
        second = ranked[1][0] // 1000 if len(ranked) > 1 else 0
        if best >= self.STANDS_OUT and best > second:
            return ranked[0][1], False, [f for _s, f in ranked[1:]]
        return None, False, [f for _s, f in ranked]


def read_amount(value: Any, currency: str) -> Decimal:
    """An amount in the project's currency: "120 000 €", 35500, "8 400"."""
    found: Amount = amount(value)
    if found.currency is not None and found.currency != currency:
        raise CellProblem(
            _(
                "“%(value)s” is in %(found)s but the project is in %(currency)s; write the "
                "amount in %(currency)s, or give the project's currency."
            )
            % {"value": shown(value), "found": found.currency, "currency": currency}
        )
    if found.value < 0:
        raise CellProblem(
            _("“%(value)s” is negative; write the amount without a minus sign.")
            % {"value": shown(value)}
        )
    return found.value


def read_cofunders(value: Any, currency: str) -> list[tuple[str, Decimal | None]]:
    """ "AFD 60 000 €; Région 20 000 €" or "AFD; Région" -> [(name, amount or None)]."""
    found: list[tuple[str, Decimal | None]] = []
    for item in split_list(value):
        match = _NAME_AMOUNT.match(item)
        if match is not None:
            try:
                share = read_amount(match.group("amount"), currency)
                found.append((match.group("name").strip(" :\u2013-("), share))
                continue
            except CellProblem:
                pass
        found.append((item, None))
    return found


def read_amounts(value: Any, currency: str) -> list[Decimal]:
    """The amounts of a "Montant cofinancement" column: one, or one per co-funder."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return [read_amount(value, currency)]
    return [read_amount(item, currency) for item in split_list(value)]


def plan_status(
    project: Project, plan: FinancingPlan, expenses: list[Any], resources: list[Any]
) -> tuple[str, list[str]]:
    """Adopted when the plan balances and passes the plan checks, else draft with the reasons.
    The same checks the services make when a plan is adopted (`plan_checks`), on the lines in
    memory: a dry run says what the import will do."""
    summary = summary_from_lines(plan, expenses=expenses, resources=resources)
    reasons: list[str] = []
    if summary.is_empty or summary.total_expenses == 0:
        reasons.append(_("the file gives no total budget"))
    elif not summary.balanced:
        reasons.append(balance_error(summary, submitting=True))
    years: dict[int | None, list[Decimal]] = {}
    for line in expenses:
        years.setdefault(line.year, [ZERO, ZERO])[0] += line.amount
    for line in resources:
        years.setdefault(line.year, [ZERO, ZERO])[1] += line.amount
    rows = [PlanYear(year, sums[0], sums[1]) for year, sums in years.items()]
    plan.project = project
    reasons.extend(check.message for check in plan_year_checks(plan, rows) if check.blocking)
    if reasons:
        return FinancingPlan.Status.DRAFT, reasons
    return FinancingPlan.Status.ADOPTED, []


def budget_plan(
    *,
    project: Project,
    total: Decimal | None,
    years: list[tuple[int, Decimal]],
    cofunders: list[tuple[Funder, Decimal | None]],
    existing: FinancingPlan | None,
) -> BudgetPlan:
    """The whole-project plan for a budget and its co-funders: an expense line for the total,
    or one per year when the file gives the budget by year, a resource line per co-funder, and
    the authority's own share for the rest, so that the plan balances when the co-funders'
    amounts are known and within the total.

    The budget by year goes on the lines of one plan rather than on a plan per year: the
    co-funders' amounts are given for the whole project, and a line's year is what the plan
    checks, the IATI budgets and the budget of a year read (`plan_years`)."""
    currency = project.currency or "EUR"
    expenses: list[dict[str, Any]] = []
    if years:
        total = sum((amount for _year, amount in years), ZERO)
        for year, amount in sorted(years):
            expenses.append(
                {
                    "label": _("Budget %(year)s") % {"year": year},
                    "year": year,
                    "amount": amount,
                    "category": ExpenseLine.Category.OTHER,
                }
            )
    elif total is not None:
        expenses.append(
            {
                "label": str(EXPENSE_LABEL),
                "year": None,
                "amount": total,
                "category": ExpenseLine.Category.OTHER,
            }
        )
    resources: list[dict[str, Any]] = [
        {"funder": funder, "is_own": False, "year": None, "amount": share or ZERO}
        for funder, share in cofunders
    ]
    notes: list[str] = []
    unknown = [str(funder) for funder, share in cofunders if share is None]
    external = sum((share or ZERO for _funder, share in cofunders), ZERO)
    if total is not None and not unknown and external < total:
        resources.insert(
            0, {"funder": None, "is_own": True, "year": None, "amount": total - external}
        )
    plan = FinancingPlan(project=project, currency=currency, year=None)
    status, reasons = plan_status(
        project,
        plan,
        [ExpenseLine(**line) for line in expenses],
        [ResourceLine(**line) for line in resources],
    )
    if unknown:
        status = FinancingPlan.Status.DRAFT
        reasons.insert(
            0,
            _("the amount of %(funders)s is not given (a column such as “Subvention”)")
            % {"funders": ", ".join(unknown)},
        )
    if reasons:
        notes.append(
            _("the financing plan is kept as a draft: %(reasons)s.")
            % {"reasons": "; ".join(reason.rstrip(".") for reason in reasons)}
        )
    return BudgetPlan(currency, expenses, resources, status, existing, notes)


def write_budget(budget: BudgetPlan, *, project: Project, user: Any) -> None:
    """Write the import's plan through the services: lines first (as a draft, or keeping an
    adopted plan balanced), then the adoption, which runs the balance and the plan checks."""
    plan = budget.existing
    if plan is None:
        plan = FinancingPlan(
            project=project, title=str(IMPORT_TITLE), currency=budget.currency, year=None
        )
        expected: int | None = None
    else:
        expected = plan.version  # as read when the row was planned
        plan = FinancingPlan.objects.get(pk=plan.pk)
        if (
            plan.status != FinancingPlan.Status.DRAFT
            and budget.status == FinancingPlan.Status.DRAFT
        ):
            plan = financing_plan_set_status(
                plan=plan, status=FinancingPlan.Status.DRAFT, user=user, expected_version=expected
            )
            expected = plan.version
    plan.currency = budget.currency
    financing_plan_save_lines(
        plan=plan,
        user=user,
        expenses=budget.expenses,
        resources=budget.resources,
        expected_version=expected,
    )
    if budget.status != plan.status:
        plan.refresh_from_db()
        financing_plan_set_status(
            plan=plan, status=budget.status, user=user, expected_version=plan.version
        )
