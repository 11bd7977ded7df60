"""The payments ledger: reading an authority's payments (with their euro value, or the rate
they lack), and reading rows pasted from a spreadsheet into payments to record.

A payment is one line: date, amount (as written, "45 000 000 FCFA"), currency, the euro amount
the treasury actually paid (the mandat), beneficiary, ODA category, country, order number,
budget line, and whether it was given in kind rather than paid. Typed text is read by
`core.values` (the one parser, shared with the spreadsheet imports); whether a row may be
recorded is decided by the model's validation and the rules registered for transactions
(`tenancy.services.rules_for`), as every write is.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from jumelage.core import values
from jumelage.core.exchange_rates import fixed_rate
from jumelage.core.models import Codelist, CodelistItem
from jumelage.core.money import CENT
from jumelage.core.selectors import MissingExchangeRate, RateBook
from jumelage.partners.models import MemberAuthority
from jumelage.projects.models import Project, Transaction
from jumelage.tenancy.services import check_same_authority, rules_for, run_rules

EURO = "EUR"
# IATI TransactionType 3: a disbursement, what a mandat paid to a beneficiary is.
DISBURSEMENT = "3"
# Most pasted rows a page shows and records at once: a year of an authority's payments.
MAX_PASTED_ROWS = 500


# --- Reading the ledger ------------------------------------------------------------------------


@dataclass
class LedgerLine:
    """One payment as the ledger shows it: its euro value, whether the treasury's amount was
    recorded, or the rate it lacks."""

    payment: Transaction
    type_name: str = ""  # the IATI transaction type's name (disbursement, commitment...)
    euros: Decimal | None = None
    paid: bool = False  # the euro amount the treasury actually paid is recorded
    missing_rate: bool = False  # neither that amount nor a rate for its currency and date


def ledger_payments(member: MemberAuthority, user: Any) -> models.QuerySet[Transaction]:
    """The member's payments the user may read (with or without a project), latest first."""
    return (
        Transaction.objects.for_user(user)
        .filter(authority=member)
        .select_related("project", "partnership__partner", "recipient_country", "service_budget")
        .order_by("-date", "-pk")
    )


def ledger_lines(payments: Iterable[Transaction]) -> list[LedgerLine]:
    """Each payment with its value in euros: the treasury's amount when recorded, else its
    amount at the rate of its value date (fixed parities need none). One query for the rates,
    whatever the number of payments."""
    payments = list(payments)
    names = _type_names({tx.transaction_type for tx in payments})
    lines = [
        LedgerLine(payment=tx, type_name=names.get(tx.transaction_type, tx.transaction_type))
        for tx in payments
    ]
    foreign = [
        line
        for line in lines
        if line.payment.amount_eur is None and line.payment.currency.upper() != EURO
    ]
    needing_rates = {
        line.payment.currency.upper()
        for line in foreign
        if fixed_rate(line.payment.currency, line.payment.rate_date) is None
    }
    book = RateBook(needing_rates | ({EURO} if settings.REPORTING_CURRENCY != EURO else set()))
    for line in lines:
        tx = line.payment
        if tx.amount_eur is not None:
            line.euros, line.paid = tx.amount_eur, True
        elif tx.currency.upper() == EURO:
            line.euros = tx.amount
        else:
            try:
                line.euros = _to_euros(book, tx.amount, tx.currency, tx.rate_date)
            except MissingExchangeRate:
                line.missing_rate = True
    return lines


def _type_names(codes: set[str]) -> dict[str, str]:
    """The names of the IATI transaction types used, in one query (none without payments)."""
    if not codes:
        return {}
    return {
        item.code: item.name
        for item in CodelistItem.objects.filter(
            codelist=Codelist.TRANSACTION_TYPE, code__in=sorted(codes)
        )
    }


def _to_euros(book: RateBook, amount: Decimal, currency: str, on: datetime.date) -> Decimal:
    """In euros whatever the instance's reporting currency (through its rates otherwise)."""
    if settings.REPORTING_CURRENCY == EURO:
        return book.to_reporting_currency(amount, currency, on)
    return (amount * book.rate(EURO, on) / book.rate(currency, on)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


# --- Reading pasted rows -----------------------------------------------------------------------

# The columns in the order the ledger shows them, the order a row is read in without a header.
COLUMNS = (
    "date",
    "amount",
    "currency",
    "amount_eur",
    "receiver",
    "category",
    "country",
    "order_number",
    "budget_line",
    "in_kind",
)

# Header words officers use, compared without accents or case (core.values.norm).
HEADER_WORDS = {
    "date": ["date", "date de paiement", "date du mandat", "date de mandatement", "payment date"],
    "amount": ["montant", "montant verse", "somme", "amount", "montant en devise"],
    "currency": ["devise", "monnaie", "currency"],
    "amount_eur": [
        "montant en euros",
        "montant eur",
        "euros",
        "eur",
        "euros payes",
        "montant paye en euros",
        "contre-valeur",
        "contre valeur",
        "contrevaleur en euros",
        "euro amount",
        "euro amount paid",
        "amount in euros",
    ],
    "receiver": ["beneficiaire", "destinataire", "tiers", "receiver", "beneficiary", "payee"],
    "category": ["categorie", "categorie apd", "category", "oda category"],
    "country": ["pays", "pays beneficiaire", "country", "recipient country"],
    "order_number": [
        "mandat",
        "n° de mandat",
        "no de mandat",
        "numero de mandat",
        "n° mandat",
        "numero du mandat",
        "order number",
        "payment order",
        "payment order number",
    ],
    "budget_line": [
        "imputation",
        "imputation budgetaire",
        "ligne budgetaire",
        "article",
        "budget line",
    ],
    # Money not paid but given in kind (staff time, equipment), yes or no: "oui", "non", "x".
    "in_kind": ["en nature", "valorisation", "apport en nature", "in kind", "in-kind"],
}
_HEADER_KEYS = {values.norm(word): key for key, words in HEADER_WORDS.items() for word in words}


def column_names() -> dict[str, str]:
    """The columns' names as the preview and the guide show them."""
    return {
        "date": _("Date"),
        "amount": _("Amount"),
        "currency": _("Currency"),
        "amount_eur": _("Euros paid"),
        "receiver": _("Beneficiary"),
        "category": _("ODA category"),
        "country": _("Country"),
        "order_number": _("Order no."),
        "budget_line": _("Budget line"),
        "in_kind": _("In kind"),
    }


@dataclass
class PastedRow:
    """One pasted line: its cells, the payment it makes (None when it cannot be read), what is
    wrong with it in plain words, and whether the ledger already holds it."""

    number: int
    cells: list[str]
    payment: Transaction | None = None
    problems: list[str] = field(default_factory=list)
    duplicate: str = ""  # why it is not recorded again: already in the ledger, or pasted twice

    @property
    def clean(self) -> bool:
        return self.payment is not None and not self.problems and not self.duplicate


@dataclass
class PastedRows:
    rows: list[PastedRow]
    columns: list[str]  # the keys of COLUMNS, in the pasted order
    had_header: bool = False
    problem: str = ""  # a problem with the whole paste (nothing to read, too many rows)

    @property
    def clean_rows(self) -> list[PastedRow]:
        return [row for row in self.rows if row.clean]


def _split(text: str) -> list[list[str]]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [[cell.strip() for cell in line.split("\t")] for line in lines if line.strip()]


def _header(cells: list[str]) -> list[str] | None:
    """The columns a header row names, or None when the row is data."""
    keys = [_HEADER_KEYS.get(values.norm(cell).strip(" :.")) for cell in cells]
    named = [key for key in keys if key]
    if not named or len(named) < max(1, len([c for c in cells if c]) // 2):
        return None
    return [key or "" for key in keys]


def payment_key(tx: Transaction) -> tuple[Any, ...]:
    """What makes two lines the same payment: its date, amount and currency, its order number
    and beneficiary (a mandat pays one beneficiary once). Pasting the same rows again finds
    them by this key and records nothing twice."""
    return (
        tx.date,
        Decimal(tx.amount).normalize() if tx.amount is not None else None,
        (tx.currency or "").upper(),
        values.norm(tx.order_number),
        values.norm(tx.receiver),
    )


def _category(text: str) -> int:
    digits = text.strip().split(" ")[0].strip(" –-.")  # noqa: RUF001
    if digits.isdigit() and int(digits) in Transaction.OdaCategory.values:
        return int(digits)
    wanted = values.norm(text)
    for choice in Transaction.OdaCategory:
        label = values.norm(str(choice.label))
        if wanted and (wanted == label or wanted in label):
            return int(choice)
    raise values.CellProblem(
        _("“%(value)s” is not an ODA category; write its number, from 1 to 8.")
        % {"value": values.shown(text)}
    )


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        names = {f.name: str(f.verbose_name) for f in Transaction._meta.fields}
        found = []
        for name, errors in error.message_dict.items():
            for message in errors:
                if name in (NON_FIELD_ERRORS, "__all__") or name not in names:
                    found.append(message)
                else:
                    found.append(f"{names[name].capitalize()}{_(':')} {message}")
        return found
    return list(error.messages)


def payment_from_cells(
    given: dict[str, Any],
    *,
    member: MemberAuthority,
    project: Project | None,
    nature: str,
    countries: values.Countries,
    default_country: str | None = None,
) -> tuple[Transaction | None, list[tuple[str | None, str]]]:
    """The payment the cells of one row make (keys of COLUMNS; text as typed or a spreadsheet's
    numbers and dates), or None with what is wrong, each problem with its column's key (None
    for the row as a whole). FCFA is read as XOF or XAF by the row's country, else
    `default_country`. Not validated yet: the caller runs the model's checks and the rules."""
    problems: list[tuple[str | None, str]] = []
    read: dict[str, Any] = {}

    def cell(key: str, parser: Any, *args: Any) -> None:
        if key not in given:
            return
        try:
            read[key] = parser(given[key], *args)
        except values.CellProblem as problem:
            problems.append((key, problem.message))

    names = column_names()
    cell("country", countries)
    country = read.get("country") or default_country
    cell("date", values.date)
    cell("amount", values.amount, country)
    cell("currency", values.currency, country)
    cell("amount_eur", values.amount, "FR")
    cell("category", _category)
    cell("in_kind", values.boolean)
    for key in ("date", "amount"):
        if key not in given:
            problems.append(
                (None, _("%(column)s is missing; give it in this row.") % {"column": names[key]})
            )
    if problems:
        return None, problems
    amount = read["amount"]
    currency = read.get("currency") or amount.currency or EURO
    if amount.currency and read.get("currency") and amount.currency != read["currency"]:
        problems.append(
            (
                None,
                _(
                    "The amount is written in %(written)s but the currency column says "
                    "%(currency)s: correct one of them."
                )
                % {"written": amount.currency, "currency": read["currency"]},
            )
        )
        return None, problems
    euros = read.get("amount_eur")
    if euros is not None and euros.currency not in (None, EURO):
        problems.append(
            (None, _("%(column)s: write an amount in euros.") % {"column": names["amount_eur"]})
        )
        return None, problems

    def text(key: str, length: int) -> str:
        return values.shown(given[key]).strip()[:length] if key in given else ""

    payment = Transaction(
        authority=member,
        project=project,
        nature=Transaction.Nature.PROJECT if project else nature,
        transaction_type=DISBURSEMENT,
        date=read["date"],
        amount=amount.value,
        currency=currency,
        amount_eur=euros.value if euros is not None else None,
        receiver=text("receiver", 200),
        oda_category=read.get("category"),
        recipient_country_id=country,
        order_number=text("order_number", 40),
        budget_line=text("budget_line", 60),
        in_kind=read.get("in_kind", False),
        provider=member.authority.name,
    )
    return payment, problems


def read_pasted_payments(
    text: str,
    *,
    member: MemberAuthority,
    project: Project | None = None,
    nature: str = Transaction.Nature.PROJECT,
) -> PastedRows:
    """Read rows copied from a spreadsheet (tab-separated, French formats, a header row or the
    ledger's order) into payments of `project`, or of no project (`nature`), each with what is
    wrong with it. Nothing is written."""
    table = _split(text or "")
    if not table:
        return PastedRows([], list(COLUMNS), problem=_("Paste at least one row."))
    columns = _header(table[0])
    had_header = columns is not None
    if columns is None:
        columns = list(COLUMNS)
    else:
        table = table[1:]
    if len(table) > MAX_PASTED_ROWS:
        return PastedRows(
            [],
            columns,
            had_header,
            problem=_("Paste at most %(count)s rows at once.") % {"count": MAX_PASTED_ROWS},
        )
    countries = values.Countries()
    project_countries = (
        list(project.countries.values_list("country_id", flat=True)) if project else []
    )
    existing = (
        {
            payment_key(tx)
            for tx in Transaction.objects.filter(authority=member).only(
                "date", "amount", "currency", "order_number", "receiver"
            )
        }
        if table
        else set()
    )
    names = column_names()
    seen: dict[tuple[Any, ...], int] = {}
    rows = []
    first = 2 if had_header else 1
    for number, cells in enumerate(table, start=first):
        row = PastedRow(number=number, cells=cells)
        rows.append(row)
        given = {
            key: cell for key, cell in zip(columns, cells, strict=False) if key and cell.strip()
        }
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
            row.problems.append(
                _("This row has more cells than there are columns (%(count)s).")
                % {"count": len(columns)}
            )
        default_country = project_countries[0] if len(project_countries) == 1 else None
        payment, problems = payment_from_cells(
            given,
            member=member,
            project=project,
            nature=nature,
            countries=countries,
            default_country=default_country,
        )
        for key, message in problems:
            row.problems.append(f"{names[key]}{_(':')} {message}" if key else message)
        if payment is None:
            continue
        try:
            payment.full_clean()
            check_same_authority(payment)
            run_rules(payment, rules_for(payment))
        except ValidationError as error:
            row.problems.extend(_messages(error))
            continue
        row.payment = payment
        natural = payment_key(payment)
        if natural in existing:
            row.duplicate = _("Already in the ledger: it is not recorded again.")
        elif natural in seen:
            row.duplicate = _("The same payment as row %(row)s: it is recorded once.") % {
                "row": seen[natural]
            }
        else:
            seen[natural] = number
    return PastedRows(rows, columns, had_header)
