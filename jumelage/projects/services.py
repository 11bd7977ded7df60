"""Writes for projects, and the rules every write of a project record runs.

Rules are registered with `register_rule`, so `save_owned` runs them whoever writes (admin,
API, import). Services that write several rows at once (plan lines, sectors, countries) write
them atomically and check the whole at the end: a half-written set is never saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from jumelage.audit.services import snapshot
from jumelage.core.models import Codelist, CodelistItem, Country
from jumelage.partners.models import MemberAuthority
from jumelage.projects.models import (
    Application,
    ExpenseLine,
    FinancingPlan,
    Project,
    ProjectCountry,
    ProjectSector,
    ResourceLine,
    ServiceBudget,
    Transaction,
)
from jumelage.projects.payments import PastedRows, payment_key
from jumelage.projects.selectors import (
    PlanSummary,
    balance_error,
    financing_plan_summary,
    format_amount,
    loaded_codelists,
    paid_in_euros,
    plan_checks,
    summary_from_lines,
)
from jumelage.projects.service_budgets import BUDGET_TRANSACTION_TYPES, service_budget_use
from jumelage.projects.validators import validate_country_percentages, validate_sector_percentages
from jumelage.tenancy.services import (
    ConcurrentEditError,
    check_can_write,
    delete_owned,
    one_edit,
    register_delete_rule,
    register_rule,
    save_owned,
)

# Statuses in which a plan has been sent to a funder or voted: it must stay balanced.
LOCKED_PLAN_STATUSES = (FinancingPlan.Status.SUBMITTED, FinancingPlan.Status.ADOPTED)

# --- Financing plans -------------------------------------------------------------------------

# Set while a service writes a plan and its lines together: the balance is then checked once,
# on the whole, at the end (one line at a time, a balanced plan is unbalanced in between).
_balance_deferred: ContextVar[bool] = ContextVar("plan_balance_deferred", default=False)


@contextmanager
def plan_balance_checked_at_end() -> Iterator[None]:
    """Skip the per-line balance rule inside; the caller checks the whole plan afterwards
    (`financing_plan_save_lines` does; the admin's line formsets check the posted lines)."""
    token = _balance_deferred.set(True)
    try:
        yield
    finally:
        _balance_deferred.reset(token)


def check_plan_balance(summary: PlanSummary, *, status: str, field: str = "status") -> None:
    if status not in LOCKED_PLAN_STATUSES:
        return
    if summary.is_empty:
        raise ValidationError(
            {
                field: _(
                    "A financing plan without lines cannot be submitted or adopted: add its "
                    "expense and resource lines first."
                )
            }
        )
    if not summary.balanced:
        raise ValidationError({field: balance_error(summary, submitting=True)})


@register_rule(FinancingPlan)
def plan_balances_when_submitted(plan: FinancingPlan) -> None:
    # Domain guide §3: "Resources must equal expenses"; funders (MEAE, AFD) examine only
    # balanced plans, and a council votes a balanced budget (CGCT L1612-4).
    if _balance_deferred.get() or plan.status not in LOCKED_PLAN_STATUSES:
        return
    check_plan_balance(financing_plan_summary(plan), status=plan.status)


def check_plan_blocking_checks(plan: FinancingPlan, *, field: str = "status") -> None:
    """Refuse a submitted or adopted plan that fails one of its blocking checks
    (`selectors.plan_checks`: the call's rules, the years of its lines). The balance has its
    own rule (`check_plan_balance`), checked before."""
    if plan.status not in LOCKED_PLAN_STATUSES:
        return
    failing = [check.message for check in plan_checks(plan).blocking if check.code != "unbalanced"]
    if failing:
        raise ValidationError(
            {
                field: [
                    _("This plan cannot be submitted or adopted while it breaks a rule:"),
                    *failing,
                ]
            }
        )


@register_rule(FinancingPlan)
def plan_meets_its_call_and_years_when_submitted(plan: FinancingPlan) -> None:
    # A call's caps, minimum own share, in-kind limit and grant bounds (domain guide §4: MEAE
    # 70/50/30 %, 10 % own share of which half in kind at most; AFD FICOL 200 000 to
    # 1 500 000 €) are what the funder examines: a plan written for a call that breaks one is
    # not sent or voted. Likewise a multi-year plan gives each expense its year (IATI 7.5.3).
    # Checked when the plan becomes submitted or adopted, or changes call while it is: what is
    # already in force is not refused for a later change of the call's rules.
    if _balance_deferred.get() or not _enters_its_checks(plan):
        return
    check_plan_blocking_checks(plan)


def _enters_its_checks(plan: FinancingPlan) -> bool:
    """Whether this save makes the plan submitted or adopted, or changes the call of a plan
    that is: when its blocking checks are run."""
    if plan.status not in LOCKED_PLAN_STATUSES:
        return False
    if plan.pk is None:
        return True
    stored = FinancingPlan._base_manager.filter(pk=plan.pk).values("status", "call_id").first()
    return (
        stored is None
        or stored["status"] not in LOCKED_PLAN_STATUSES
        or stored["call_id"] != plan.call_id
    )


def _check_line_stays_on_plan(line: ExpenseLine | ResourceLine) -> None:
    if line.pk is None:
        return
    stored = type(line)._base_manager.filter(pk=line.pk).values_list("plan_id", flat=True)
    stored_plan = stored.first()
    if stored_plan is not None and stored_plan != line.plan_id:
        raise ValidationError(
            {"plan": _("A line cannot be moved to another plan: delete it and add it there.")}
        )


def _check_line_keeps_balance(line: ExpenseLine | ResourceLine) -> None:
    if _balance_deferred.get() or line.plan_id is None:
        return
    plan = line.plan
    if plan.status not in LOCKED_PLAN_STATUSES:
        return
    expenses = list(plan.expenses.exclude(pk=line.pk) if line.pk else plan.expenses.all())
    resources = list(plan.resources.exclude(pk=line.pk) if line.pk else plan.resources.all())
    if isinstance(line, ExpenseLine):
        expenses.append(line)
    else:
        resources.append(line)
    summary = summary_from_lines(plan, expenses=expenses, resources=resources)
    if not summary.balanced:
        raise ValidationError({"amount": balance_error(summary, submitting=False)})


@register_rule(ExpenseLine)
def expense_line_keeps_plan_balanced(line: ExpenseLine) -> None:
    # Domain guide §3 (resources equal expenses): a submitted or adopted plan is what the
    # funder or the council saw; it may change, but never so that it stops balancing.
    _check_line_stays_on_plan(line)
    _check_line_keeps_balance(line)


@register_rule(ResourceLine)
def resource_line_keeps_plan_balanced(line: ResourceLine) -> None:
    # Same source as for expense lines.
    _check_line_stays_on_plan(line)
    _check_line_keeps_balance(line)


@register_delete_rule(ExpenseLine)
@register_delete_rule(ResourceLine)
def line_removal_keeps_plan_balanced(line: ExpenseLine | ResourceLine) -> None:
    # Same source: removing a line from a submitted or adopted plan must not unbalance it
    # (financing_plan_save_lines checks the whole plan at its end instead).
    if _balance_deferred.get() or line.plan_id is None:
        return
    plan = line.plan
    if plan.status not in LOCKED_PLAN_STATUSES:
        return
    is_expense = isinstance(line, ExpenseLine)
    expenses = plan.expenses.exclude(pk=line.pk) if is_expense else plan.expenses.all()
    resources = plan.resources.all() if is_expense else plan.resources.exclude(pk=line.pk)
    summary = summary_from_lines(plan, expenses=list(expenses), resources=list(resources))
    if not summary.balanced:
        raise ValidationError(balance_error(summary, submitting=False))


@register_rule(ResourceLine)
def resource_line_application_of_the_same_project(line: ResourceLine) -> None:
    # A grant finances the project it was asked for: an application of another project on
    # this plan would count its money twice.
    if line.application_id is None or line.plan_id is None:
        return
    if cast(Application, line.application).project_id != line.plan.project_id:
        raise ValidationError(
            {
                "application": _(
                    "This application belongs to another project: choose an application of "
                    "this plan's project."
                )
            }
        )


_LINE_FIELDS = {
    ExpenseLine: {"label", "category", "year", "amount", "in_kind"},
    ResourceLine: {
        "label",
        "funder",
        "funder_id",
        "is_own",
        "year",
        "amount",
        "in_kind",
        "status",
        "application",
        "application_id",
    },
}


def _line_from(
    model: type[ExpenseLine] | type[ResourceLine],
    item: Any,
    plan: FinancingPlan,
    existing: dict[int, Any],
) -> Any:
    """The line to save for one item: an instance (from a form) or a mapping of fields."""
    if isinstance(item, model):
        line = item
    elif isinstance(item, Mapping):
        data = dict(item)
        pk = data.pop("id", None) or data.pop("pk", None)
        unknown = set(data) - _LINE_FIELDS[model]
        if unknown:
            raise ValidationError(
                _("A plan line has no field %(names)s.") % {"names": ", ".join(sorted(unknown))}
            )
        if pk is not None and pk not in existing:
            raise _not_a_line_of_this_plan()
        line = existing[pk] if pk is not None else model(plan=plan)
        for name, value in data.items():
            setattr(line, name, value)
    else:
        raise TypeError(f"A {model.__name__} or a mapping was expected, not {type(item)!r}.")
    if line.pk is not None and line.pk not in existing:
        raise _not_a_line_of_this_plan()
    if line.plan_id not in (None, plan.pk):
        raise _not_a_line_of_this_plan()
    line.plan = plan
    return line


def _not_a_line_of_this_plan() -> ValidationError:
    return ValidationError(
        _(
            "One of the lines sent is not a line of this plan. Reload the page and make your "
            "change again."
        ),
        code="foreign_line",
    )


def _write_lines(
    plan: FinancingPlan,
    model: type[ExpenseLine] | type[ResourceLine],
    items: Iterable[Any],
    *,
    user: Any,
    expected_version: int | None,
) -> None:
    """Make the plan's lines of one kind exactly `items`."""
    existing = {line.pk: line for line in model.objects.filter(plan_id=plan.pk)}
    before = {pk: snapshot(line) for pk, line in existing.items()}
    lines = [_line_from(model, item, plan, existing) for item in items]
    kept = [line.pk for line in lines if line.pk is not None]
    if len(kept) != len(set(kept)):
        raise _not_a_line_of_this_plan()
    for pk, line in existing.items():
        if pk not in kept:
            delete_owned(line, user=user, expected_version=expected_version)
    label = _("Expense line") if model is ExpenseLine else _("Resource line")
    for position, line in enumerate(lines, start=1):
        if line.pk is not None and snapshot(line) == before[line.pk]:
            continue
        try:
            save_owned(line, user=user, expected_version=expected_version)
        except ValidationError as error:
            if isinstance(error, ConcurrentEditError):
                raise  # about the whole plan, not this line
            raise ValidationError(
                [
                    _("%(line)s %(position)s: %(message)s")
                    % {"line": label, "position": position, "message": message}
                    for message in error.messages
                ]
            ) from error


@transaction.atomic
def financing_plan_save_lines(
    *,
    plan: FinancingPlan,
    user: Any,
    expenses: Iterable[ExpenseLine | Mapping[str, Any]],
    resources: Iterable[ResourceLine | Mapping[str, Any]],
    expected_version: int | None,
) -> PlanSummary:
    """Save a plan (with any change to its own fields, e.g. its status) and make its lines
    exactly `expenses` and `resources`, atomically.

    Each item is a line (a form's instance) or a mapping of its fields, with "id" for an
    existing line; existing lines not given are deleted. Amounts are in the plan's currency.
    A submitted or adopted plan must balance once everything is written, else nothing is.

    `expected_version` is the plan's version the editor saw (None for a new plan): a plan
    changed since, in its own fields or in its lines, refuses the whole save. Any change moves
    the version on once.
    """
    check_can_write(user, plan)
    # The plan is saved first: that locks its row and checks its version, before any line is
    # written (concurrent saves of one plan wait here, then see the version moved on).
    checked = _enters_its_checks(plan)
    with one_edit(), plan_balance_checked_at_end():
        save_owned(plan, user=user, expected_version=expected_version)
        _write_lines(plan, ExpenseLine, expenses, user=user, expected_version=expected_version)
        _write_lines(plan, ResourceLine, resources, user=user, expected_version=expected_version)
    summary = financing_plan_summary(plan)
    check_plan_balance(summary, status=plan.status)
    if checked:
        check_plan_blocking_checks(plan)
    return summary


def financing_plan_set_status(
    *, plan: FinancingPlan, status: str, user: Any, expected_version: int | None
) -> FinancingPlan:
    """Submit, adopt or set back to draft a plan: the step of its status (never a form's
    field). Submitting or adopting runs the balance rule and the plan's blocking checks."""
    if status not in FinancingPlan.Status.values:
        raise ValidationError(_("Choose draft, submitted or adopted."))
    before = plan.status
    plan.status = status
    verbs: dict[str, str] = {
        FinancingPlan.Status.DRAFT: gettext_noop("financing plan set back to draft"),
        FinancingPlan.Status.SUBMITTED: gettext_noop("financing plan submitted"),
        FinancingPlan.Status.ADOPTED: gettext_noop("financing plan adopted"),
    }
    try:
        return save_owned(plan, user=user, expected_version=expected_version, verb=verbs[status])
    except Exception:
        plan.status = before  # the caller's copy stays what is stored
        raise


def _check_line_year(line: ExpenseLine | ResourceLine) -> None:
    # A yearly plan is the budget of its year: a line of another year belongs on that year's
    # plan (or on a whole-project plan), else the budget of a year would count another's money.
    if line.plan_id is None or line.year is None:
        return
    plan_year = line.plan.year
    if plan_year is not None and line.year != plan_year:
        raise ValidationError(
            {
                "year": _(
                    "This plan is the budget of %(plan_year)s: leave the year empty, or write "
                    "%(plan_year)s (a line of %(year)s goes on that year's plan)."
                )
                % {"plan_year": plan_year, "year": line.year}
            }
        )


@register_rule(ExpenseLine)
@register_rule(ResourceLine)
def line_year_within_its_plan(line: ExpenseLine | ResourceLine) -> None:
    _check_line_year(line)


# --- Sectors and countries -------------------------------------------------------------------


def _lookup(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


@one_edit()
def project_set_sectors(
    *,
    project: Project,
    user: Any,
    sectors: Iterable[Mapping[str, Any] | ProjectSector],
    expected_version: int | None,
) -> list[ProjectSector]:
    """Replace a project's sectors by `sectors` (vocabulary, code, percentage), atomically.

    A single sector may omit its percentage (100). The percentages of each vocabulary must
    add up to 100 (IATI rules 2.1.1-2.1.4), checked on the whole set before writing.
    `expected_version` is the project's version the editor saw.
    """
    check_can_write(user, ProjectSector(project=project))
    wanted = [
        (
            str(_lookup(item, "vocabulary") or ProjectSector.Vocabulary.DAC_5),
            str(_lookup(item, "code") or "").strip(),
            _lookup(item, "percentage"),
        )
        for item in sectors
    ]
    validate_sector_percentages(wanted)
    row: ProjectSector | None
    existing = {(row.vocabulary, row.code): row for row in project.sectors.all()}
    keys = {(vocabulary, code) for vocabulary, code, _p in wanted}
    for key, row in existing.items():
        if key not in keys:
            delete_owned(row, user=user, expected_version=expected_version)
    saved: list[ProjectSector] = []
    for vocabulary, code, percentage in wanted:
        value = Decimal(str(percentage)) if percentage not in (None, "") else Decimal(100)
        row = existing.get((vocabulary, code))
        if row is None:
            row = ProjectSector(project=project, vocabulary=vocabulary, code=code)
        elif row.percentage == value:
            saved.append(row)
            continue
        row.percentage = value
        saved.append(save_owned(row, user=user, expected_version=expected_version))
    return saved


@one_edit()
def project_set_countries(
    *,
    project: Project,
    user: Any,
    countries: Iterable[Mapping[str, Any] | ProjectCountry],
    expected_version: int | None,
) -> list[ProjectCountry]:
    """Replace a project's recipient countries by `countries` (country, percentage),
    atomically; percentages add up to 100 (IATI rules 3.1.1-3.1.4). `expected_version` is the
    project's version the editor saw."""
    check_can_write(user, ProjectCountry(project=project))
    wanted: list[tuple[str, Any]] = []
    for item in countries:
        country = _lookup(item, "country") or _lookup(item, "country_id")
        code = country.pk if isinstance(country, Country) else str(country or "").upper()
        wanted.append((code, _lookup(item, "percentage")))
    validate_country_percentages(wanted)
    row: ProjectCountry | None
    existing = {row.country_id: row for row in project.countries.all()}
    codes = {code for code, _p in wanted}
    for code, row in existing.items():
        if code not in codes:
            delete_owned(row, user=user, expected_version=expected_version)
    saved: list[ProjectCountry] = []
    for code, percentage in wanted:
        value = Decimal(str(percentage)) if percentage not in (None, "") else Decimal(100)
        row = existing.get(code)
        if row is None:
            row = ProjectCountry(project=project, country_id=code)
        elif row.percentage == value:
            saved.append(row)
            continue
        row.percentage = value
        saved.append(save_owned(row, user=user, expected_version=expected_version))
    return saved


@one_edit()
def project_save(
    *,
    project: Project,
    user: Any,
    expected_version: int | None,
    partnerships: Iterable[Any] | None = None,
    countries: Iterable[Mapping[str, Any] | ProjectCountry] | None = None,
    sectors: Iterable[Mapping[str, Any] | ProjectSector] | None = None,
) -> Project:
    """Create or change a project with its partnerships, recipient countries and sectors, as
    one edit (the workspace's project form): the project's version the editor saw is checked
    once (None for a new project), each split is checked whole (`project_set_countries`,
    `project_set_sectors`), and a refusal anywhere writes nothing. A list left as None is not
    changed."""
    creating = project.pk is None
    m2m = {"partnerships": list(partnerships)} if partnerships is not None else None
    project = save_owned(project, user=user, expected_version=expected_version, m2m=m2m)
    # The rows of a project created in this edit need no version (tenancy.services.one_edit).
    seen = None if creating else expected_version
    if countries is not None:
        project_set_countries(
            project=project, user=user, countries=countries, expected_version=seen
        )
    if sectors is not None:
        project_set_sectors(project=project, user=user, sectors=sectors, expected_version=seen)
    project.version = Project._base_manager.values_list("version", flat=True).get(pk=project.pk)
    return project


# --- Codes (IATI codelists) ------------------------------------------------------------------

SECTOR_FORMATS: dict[str, tuple[re.Pattern[str], Codelist]] = {
    ProjectSector.Vocabulary.DAC_5: (re.compile(r"^\d{5}$"), Codelist.SECTOR),
    ProjectSector.Vocabulary.DAC_3: (re.compile(r"^\d{3}$"), Codelist.SECTOR_CATEGORY),
}


def check_codes(
    codes: Iterable[tuple[str, str, str]], *, stored: Mapping[str, Any] | None = None
) -> None:
    """Check (field, codelist, code) against the IATI codelists that are loaded.

    An unknown code is refused (the lists we check are complete, GUIDE §5.1). A withdrawn
    code stays valid on a record that already had it ("valid historically") but is refused as
    a new value. Lists not loaded on this instance are not checked.
    """
    wanted = [(field, codelist, code) for field, codelist, code in codes if code]
    if not wanted:
        return
    loaded = loaded_codelists({codelist for _f, codelist, _c in wanted})
    wanted = [row for row in wanted if row[1] in loaded]
    if not wanted:
        return
    known = {
        (codelist, code): active
        for codelist, code, active in CodelistItem.objects.filter(
            codelist__in={c for _f, c, _v in wanted}, code__in={v for _f, _c, v in wanted}
        ).values_list("codelist", "code", "is_active")
    }
    errors: dict[str, list[str]] = {}
    for field, codelist, code in wanted:
        active = known.get((codelist, code))
        label = Codelist(codelist).label if codelist in Codelist.values else codelist
        if active is None:
            errors.setdefault(field, []).append(
                _(
                    "“%(code)s” is not a code of the IATI list “%(list)s”. Check the code "
                    "against that list."
                )
                % {"code": code, "list": label}
            )
        elif not active and not _was_stored(stored, field, code):
            errors.setdefault(field, []).append(
                _(
                    "“%(code)s” has been withdrawn from the IATI list “%(list)s”: choose a "
                    "current code."
                )
                % {"code": code, "list": label}
            )
    if errors:
        raise ValidationError(errors)


def _was_stored(stored: Mapping[str, Any] | None, field: str, code: str) -> bool:
    value = (stored or {}).get(field)
    return code in value if isinstance(value, (list, tuple, set)) else value == code


def _stored_values(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    if instance.pk is None:
        return {}
    row = type(instance)._base_manager.filter(pk=instance.pk).values(*fields).first()
    return row or {}


@register_rule(ProjectSector)
def sector_code_in_its_vocabulary(sector: ProjectSector) -> None:
    # IATI GUIDE §5.1: codes of vocabulary 1 come from the Sector list (5-digit CRS purpose
    # codes), of vocabulary 2 from SectorCategory (3 digits).
    formats = SECTOR_FORMATS.get(sector.vocabulary)
    if formats is None:
        return
    pattern, codelist = formats
    if not pattern.match(sector.code or ""):
        raise ValidationError(
            {
                "code": _(
                    "A code of this vocabulary has %(digits)s digits, for example %(example)s."
                )
                % {
                    "digits": 5 if codelist == Codelist.SECTOR else 3,
                    "example": "15112" if codelist == Codelist.SECTOR else "151",
                }
            }
        )
    check_codes([("code", codelist, sector.code)], stored=_stored_values(sector, ["code"]))


@register_rule(Project)
def sdg_targets_are_codes(project: Project) -> None:
    # IATI GUIDE §5.1 (codes in their codelist) and domain guide §4: authorities take the
    # 2030 Agenda into consideration, and the SDG tags are exported to IATI.
    targets = project.sdg_targets or []
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise ValidationError(
            {
                "sdg_targets": _(
                    'Give the SDG targets as a list of codes, for example ["6.1", "16.6"].'
                )
            }
        )
    if len(set(targets)) != len(targets):
        raise ValidationError({"sdg_targets": _("List each SDG target once.")})
    check_codes(
        [("sdg_targets", Codelist.SDG_TARGET, target) for target in targets],
        stored=_stored_values(project, ["sdg_targets"]),
    )


TRANSACTION_CODES = {
    "transaction_type": Codelist.TRANSACTION_TYPE,
    "flow_type": Codelist.FLOW_TYPE,
    "finance_type": Codelist.FINANCE_TYPE,
    "aid_type": Codelist.AID_TYPE,
    "sector_code": Codelist.SECTOR,
    "channel_code": Codelist.CRS_CHANNEL,
}


@register_rule(Transaction)
def transaction_codes_in_their_lists(tx: Transaction) -> None:
    # IATI GUIDE §5.1: every coded attribute is in its codelist; the ODA declaration feeds
    # OECD CRS reporting with the same dimensions (domain guide §4).
    if tx.sector_code and not re.match(r"^\d{5}$", tx.sector_code):
        raise ValidationError(
            {"sector_code": _("A CRS purpose code has five digits, for example 15112.")}
        )
    check_codes(
        [(field, codelist, getattr(tx, field)) for field, codelist in TRANSACTION_CODES.items()],
        stored=_stored_values(tx, TRANSACTION_CODES),
    )


# --- Payments: the ledger ------------------------------------------------------------------


@register_rule(Transaction)
def euro_amount_of_a_foreign_payment(tx: Transaction) -> None:
    # Domain guide, "Money paid abroad": the authority pays in euros through its public
    # accountant; the euro amount of the mandat is what it spent. For a payment in euros that
    # amount is the amount itself, so a different one is a typing mistake.
    if tx.amount_eur is None or tx.currency != "EUR" or tx.amount is None:
        return
    if tx.amount_eur != tx.amount:
        raise ValidationError(
            {
                "amount_eur": _(
                    "This payment is in euros: its euro amount is its amount. Leave the euro "
                    "amount empty, or give the amount in the currency the partner received."
                )
            }
        )


PAYMENT_SAVED = gettext_noop("payment recorded in the ledger")


def payment_save(*, payment: Transaction, user: Any, expected_version: int | None) -> Transaction:
    """Record or correct one payment of the ledger (with or without a project): the usual
    write path, so every rule of a transaction runs (subsidies, the 1 % budgets, codes)."""
    if payment.project_id is not None and payment.authority_id is None:
        payment.authority_id = Project._base_manager.get(pk=payment.project_id).authority_id
    if payment.project_id is None and payment.nature == Transaction.Nature.PROJECT:
        raise ValidationError(
            {
                "project": _(
                    "Choose the project this payment belongs to, or say it is a membership fee "
                    "or a network contribution."
                )
            }
        )
    return save_owned(payment, user=user, expected_version=expected_version, verb=PAYMENT_SAVED)


PASTED_PAYMENT = gettext_noop("payment recorded from pasted rows")


def payments_lock(member: MemberAuthority) -> set[tuple[Any, ...]]:
    """Lock the member's ledger until the end of the current transaction, and return the keys
    (`payment_key`) of the payments it holds by now. Two writers of one authority's payments
    at once (two pastes, two imports of one file, a paste and an import) would both find a
    row new: the authority's row, locked, makes them one after the other, and the second sees
    what the first recorded (SQLite locks the whole database at the first write anyway)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("payments_lock() holds its lock only inside a transaction.")
    MemberAuthority._base_manager.select_for_update().filter(pk=member.pk).exists()
    return {
        payment_key(tx)
        for tx in Transaction.objects.filter(authority=member).only(
            "date", "amount", "currency", "order_number", "receiver"
        )
    }


def payments_record_pasted(
    *, pasted: PastedRows, member: MemberAuthority, user: Any
) -> list[Transaction]:
    """Record the clean rows of a paste, all or none (one transaction): each through the write
    path, so every rule runs again. A row whose payment is in the ledger by now (the same
    paste sent twice, or by a colleague meanwhile) is skipped: pasting twice records once."""
    recorded: list[Transaction] = []
    with one_edit():
        existing = payments_lock(member)
        for row in pasted.clean_rows:
            payment = cast(Transaction, row.payment)
            if payment.authority_id != member.pk:
                raise PermissionDenied(_("These rows belong to another authority."))
            key = payment_key(payment)
            if key in existing:
                continue
            existing.add(key)
            recorded.append(
                save_owned(payment, user=user, expected_version=None, verb=PASTED_PAYMENT)
            )
    return recorded


# --- Subsidies -------------------------------------------------------------------------------


def subsidy_threshold() -> Decimal:
    return Decimal(str(settings.SUBSIDY_CONVENTION_THRESHOLD))


def same_beneficiary_subsidies(tx: Transaction) -> QuerySet[Transaction]:
    """The member's other subsidies of the same kind to the same beneficiary in the same year
    (by IATI id when it is given, else by name); none when the beneficiary is not named."""
    receiver_id, receiver = tx.receiver_org_id.strip(), tx.receiver.strip()
    if not receiver_id and not receiver:
        return Transaction.objects.none()
    others = Transaction.objects.filter(
        authority_id=tx.authority_id,
        is_subsidy=True,
        transaction_type=tx.transaction_type,
        date__year=tx.date.year,
    ).exclude(pk=tx.pk)
    if receiver_id:
        return others.filter(receiver_org_id__iexact=receiver_id)
    return others.filter(receiver_org_id="", receiver__iexact=receiver)


@register_rule(Transaction)
def large_subsidy_needs_a_convention(tx: Transaction) -> None:
    # Circular of 24 May 2018 on the external action of local authorities: since the law of
    # 7 July 2014 a convention is optional, but still required for a subsidy above 23 000 €,
    # the threshold of décret n° 2001-495 of 6 June 2001, art. 1 (loi n° 2000-321, art. 10),
    # which counts the subsidy's yearly amount: payments to one beneficiary in a year add up.
    if not tx.is_subsidy or tx.amount is None or not tx.currency or tx.date is None:
        return
    from jumelage.agreements.models import Agreement

    threshold = subsidy_threshold()
    values = {
        "threshold": format_amount(threshold, "EUR"),
        "amount": format_amount(tx.amount, tx.currency),
    }
    try:
        in_euros = paid_in_euros(tx)
    except ValidationError as error:
        raise ValidationError(
            {
                "value_date": _(
                    "This subsidy cannot be compared with the %(threshold)s above which a "
                    "convention is required: no exchange rate for %(currency)s on %(date)s. "
                    "Add the rate, then save again."
                )
                % {**values, "currency": tx.currency, "date": tx.rate_date}
            }
        ) from error
    yearly = in_euros
    if in_euros <= threshold:
        for other in same_beneficiary_subsidies(tx).only(
            "amount", "currency", "amount_eur", "date", "value_date"
        ):
            try:
                yearly += paid_in_euros(other)
            except ValidationError:
                continue  # its rate was removed since; it was checked when it was saved
        if yearly <= threshold:
            return
    agreement = tx.agreement if tx.agreement_id else None
    if yearly > in_euros:
        values["amount"] = _("%(amount)s, %(total)s in %(year)s with the other payments") % {
            "amount": values["amount"],
            "total": format_amount(yearly, "EUR"),
            "year": tx.date.year,
        }
    if agreement is None and yearly > in_euros:
        message = _(
            "The subsidies to %(receiver)s add up to more than %(threshold)s in the year (this "
            "one is %(amount)s): the décret of 6 June 2001 counts the yearly amount, so a "
            "convention with the beneficiary is required. Choose the signed convention in "
            "“agreement”, or record and sign the convention first."
        )
        values["receiver"] = tx.receiver.strip() or tx.receiver_org_id.strip()
    elif agreement is None:
        message = _(
            "A subsidy of more than %(threshold)s (this one is %(amount)s) needs a convention "
            "with its beneficiary (circular of 24 May 2018). Choose the signed convention in "
            "“agreement”, or record and sign the convention first."
        )
    elif not agreement.is_convention:
        message = _(
            "A subsidy of more than %(threshold)s (this one is %(amount)s) needs a convention, "
            "and the agreement chosen is a %(kind)s. Choose a framework or specific convention."
        )
        values["kind"] = agreement.get_kind_display()
    elif agreement.status not in (Agreement.Status.SIGNED, Agreement.Status.ENFORCEABLE):
        message = _(
            "A subsidy of more than %(threshold)s (this one is %(amount)s) needs a convention "
            "that is signed or in force, and this one is “%(status)s”. Sign it first, or "
            "choose another convention."
        )
        values["status"] = agreement.get_status_display()
    else:
        return
    raise ValidationError({"agreement": message % values})


# --- The "1 %" laws: money taken on a service budget ------------------------------------------


@register_rule(Transaction)
def transaction_within_its_service_budget(tx: Transaction) -> None:
    # CGCT L1115-1-1 (water, sanitation, electricity and gas), the "1 % déchets" (loi
    # n° 2014-773 of 7 July 2014) and L1115-3 (mobility): a service's budget may fund
    # international action in its sector "dans la limite de 1 % des ressources" of that budget,
    # each budget separately. A limit set by law: past it, the save is refused.
    if tx.service_budget_id is None:
        return
    budget = ServiceBudget._base_manager.filter(pk=tx.service_budget_id).first()
    if budget is None:
        return  # a missing budget is reported by the field's own validation
    if tx.transaction_type not in BUDGET_TRANSACTION_TYPES:
        raise ValidationError(
            {
                "service_budget": _(
                    "Only a commitment or a payment (transaction types 2, 3, 4 or 7) is taken on "
                    "a service budget. Empty “taken on the service budget”, or change the type."
                )
            }
        )
    if tx.date is not None and tx.date.year != budget.year:
        raise ValidationError(
            {
                "service_budget": _(
                    "This transaction is dated %(year)s but the budget chosen is that of "
                    "%(budget_year)s: the 1 %% is counted on each year's budget. Choose the "
                    "%(kind)s budget of %(year)s (record it first if it is missing)."
                )
                % {
                    "year": tx.date.year,
                    "budget_year": budget.year,
                    "kind": budget.get_kind_display(),
                }
            }
        )
    if tx.amount is None or not tx.currency or tx.date is None:
        return
    use = service_budget_use(budget, replacing=tx)
    if any(line.pk == (tx.pk or 0) for line in use.unconverted):
        raise ValidationError(
            {
                "value_date": _(
                    "This amount cannot be compared with the 1 %% ceiling of the %(budget)s "
                    "budget: no exchange rate for %(currency)s on %(date)s. Add the rate, then "
                    "save again."
                )
                % {"budget": budget, "currency": tx.currency, "date": tx.rate_date}
            }
        )
    if use.is_over:
        raise ValidationError(
            {
                "service_budget": _(
                    "The %(budget)s budget may give at most 1 %% of its resources "
                    "(%(resources)s), that is %(ceiling)s, to international action (CGCT "
                    "L1115-1-1 and following); with this transaction it would give "
                    "%(used)s. Lower the amount, take it on the general budget, or correct the "
                    "budget's resources if they are wrong."
                )
                % {
                    "budget": budget,
                    "resources": format_amount(budget.resources, "EUR"),
                    "ceiling": format_amount(use.ceiling, "EUR"),
                    "used": format_amount(use.used, "EUR"),
                }
            }
        )


@register_delete_rule(ServiceBudget)
def service_budget_without_transactions(budget: ServiceBudget) -> None:
    # The transactions taken on it would lose the record of which budget paid them.
    count = Transaction.objects.filter(service_budget_id=budget.pk).count()
    if count:
        raise ValidationError(
            ngettext(
                "%(count)s transaction is taken on this budget: choose another budget on it (or "
                "none) before deleting the budget.",
                "%(count)s transactions are taken on this budget: choose another budget on them "
                "(or none) before deleting the budget.",
                count,
            )
            % {"count": count}
        )


SERVICE_BUDGET_SAVED = gettext_noop("service budget (1 % laws) saved")
SERVICE_BUDGET_REMOVED = gettext_noop("service budget (1 % laws) removed")


def service_budget_save(
    *, budget: ServiceBudget, user: Any, expected_version: int | None
) -> ServiceBudget:
    """Record or change one service budget of the "1 %" laws: the usual write path (the
    version the page showed, the model's checks, the audit log), atomically. A second budget
    of the same service and year is refused with the constraint's message, also when two
    pages record it at once (the database's unique constraint, turned into that message)."""
    try:
        with transaction.atomic():
            return save_owned(
                budget, user=user, expected_version=expected_version, verb=SERVICE_BUDGET_SAVED
            )
    except IntegrityError:
        if (
            not ServiceBudget._base_manager.filter(
                authority_id=budget.authority_id, year=budget.year, kind=budget.kind
            )
            .exclude(pk=budget.pk)
            .exists()
        ):
            raise
        constraint = next(
            c for c in ServiceBudget._meta.constraints if c.name == "service_budget_unique"
        )
        raise ValidationError(constraint.get_violation_error_message()) from None


def service_budget_delete(
    *, budget: ServiceBudget, user: Any, expected_version: int | None
) -> None:
    """Remove a service budget (a stale `expected_version` removes nothing); refused while
    transactions are taken on it (`service_budget_without_transactions`)."""
    delete_owned(budget, user=user, expected_version=expected_version, verb=SERVICE_BUDGET_REMOVED)


# --- The ODA declaration's actions --------------------------------------------------------------


def project_set_oda_purpose(
    *, project: Project, purpose: str, user: Any, expected_version: int | None
) -> Project:
    """Record whether the project's main objective is the development of the recipient
    country (the OECD test of ODA), as the officer confirms it on the ODA declaration."""
    if purpose not in (Project.OdaPurpose.DEVELOPMENT, Project.OdaPurpose.OTHER):
        raise ValidationError(
            _("Choose whether the project's main objective is development or something else.")
        )
    project.oda_purpose = purpose
    return save_owned(
        project,
        user=user,
        expected_version=expected_version,
        verb=gettext_noop("ODA purpose recorded"),
    )


def split_by_shares(amount: Decimal, percentages: list[Decimal]) -> list[Decimal]:
    """`amount` split by `percentages` (adding up to 100), to the cent, the parts adding up to
    the amount exactly: each part rounded down, the cents left go to the largest remainders."""
    sign = -1 if amount < 0 else 1
    cents = int((abs(amount) * 100).to_integral_value(rounding=ROUND_HALF_UP))
    exact = [Decimal(cents) * percentage / 100 for percentage in percentages]
    parts = [int(value) for value in exact]
    left = cents - sum(parts)
    by_remainder = sorted(range(len(exact)), key=lambda i: (exact[i] - parts[i], -i), reverse=True)
    for index in by_remainder[:left]:
        parts[index] += 1
    return [sign * Decimal(part) / 100 for part in parts]


@transaction.atomic
def transaction_split_by_country_shares(
    *, tx: Transaction, user: Any, expected_version: int | None
) -> list[Transaction]:
    """Give a transaction without a recipient country the project's countries: one
    transaction per country, its amount split by the project's country shares (to the cent,
    adding up to the original), the rest of it unchanged. Each write is audited.
    `expected_version` is the transaction's version the page showed."""
    check_can_write(user, tx)
    current = Transaction._base_manager.select_for_update().get(pk=tx.pk)
    if current.recipient_country_id is not None:
        raise ValidationError(
            _(
                "This transaction already has a recipient country (someone may have just set "
                "it): nothing was split. Reload the page."
            )
        )
    shares = list(
        ProjectCountry.objects.filter(project_id=current.project_id or 0)
        .select_related("country")
        .order_by("-percentage", "country_id")
    )
    if not shares:
        raise ValidationError(
            _(
                "The project has no recipient countries to split by: give them on the project, "
                "or give this transaction its country."
            )
        )
    total = sum((share.percentage for share in shares), Decimal(0))
    if total != 100:
        raise ValidationError(
            _(
                "The project's country shares add up to %(total)s %%, not 100 %%: correct them "
                "on the project first."
            )
            % {"total": total}
        )
    percentages = [share.percentage for share in shares]
    amounts = split_by_shares(current.amount, percentages)
    # The euro amount actually paid is split the same way, so the parts add up to the mandat.
    euros: list[Decimal | None] = (
        list(split_by_shares(current.amount_eur, percentages))
        if current.amount_eur is not None
        else [None] * len(shares)
    )
    verb = gettext_noop("transaction split by the project's country shares")
    original = current.description
    parts: list[Transaction] = []
    for index, (share, amount, euro) in enumerate(zip(shares, amounts, euros, strict=True)):
        part = current if index == 0 else Transaction._base_manager.get(pk=current.pk)
        if index:
            part.pk = None
            part._state.adding = True
        note = _("%(percentage)s %% share for %(country)s") % {
            "percentage": _number(share.percentage),
            "country": share.country.name,
        }
        length = cast(int, Transaction._meta.get_field("description").max_length)
        room = length - len(note) - 3  # the original, then " (note)", within the field
        part.description = f"{original[:room]} ({note})" if original else note
        part.recipient_country = share.country
        part.amount = amount
        part.amount_eur = euro
        # The first part is the transaction itself, as the page showed it; the others are new.
        seen = expected_version if index == 0 else None
        parts.append(save_owned(part, user=user, expected_version=seen, verb=verb))
    tx.refresh_from_db()
    return parts


def _number(value: Decimal) -> str:
    """A percentage as people read it, without useless decimals (60, 33,33 in French)."""
    whole = value == value.to_integral_value()
    shown = value.quantize(Decimal(1)) if whole else value.normalize()
    return number_format(shown, use_l10n=True)
