"""The yearly ODA declaration (e-APD, CGCT L1115-6) of a member authority, read from its
transactions: what counts, what is left out and why, what to fix.

What counts: disbursements, expenditure and reimbursements (IATI transaction types 3, 4 and 7)
dated in the calendar year of flows, paid from the authority's own budget in cash, to a country
on the OECD DAC list of ODA recipients for that year (or, for the categories that have no
country, to no country in particular), converted into euros at the value date, unless the
project's main objective is recorded as something else than development.

Each disbursement has exactly one state: counted (perhaps with something to complete for the
OECD), to fix (left out until corrected), or left out as not ODA.

`oda_declaration` runs four queries whatever the number of transactions: the DAC list of the
year, the transactions, the exchange rates, the names of the CRS codes; a fifth reads the
country shares of the projects whose payments can be split by them, when there are any.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jumelage.core.i18n import translate
from jumelage.core.models import Codelist, CodelistItem, OdaEligibility, OdaIncomeGroup
from jumelage.core.money import CENT
from jumelage.core.selectors import MissingExchangeRate, OdaListMissing, RateBook
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.projects.models import Project, ProjectCountry, ProjectSector, Transaction
from jumelage.projects.selectors import euros_paid, euros_paid_in_sql

ZERO = Decimal("0.00")
EURO = "EUR"

# IATI TransactionType: 3 disbursement, 4 expenditure, 7 reimbursement ("a type of
# disbursement that covers funds that have already been spent by the recipient", IATI
# TransactionType codelist). Commitments (2), pledges and incoming funds (1) are not money
# given, so they are never read.
DISBURSEMENT_TYPES = ("3", "4", "7")
Category = Transaction.OdaCategory
Purpose = Project.OdaPurpose

# What the page offers to do about a line to fix, beside its message.
ACTION_SPLIT = "split"  # split it by the project's country shares
ACTION_PURPOSE = "purpose"  # confirm the project's main objective (development or not)
ACTION_RATE = "rate"  # record the missing exchange rate (or the euro amount paid)

# Categories whose money goes to no country in particular (domain guide §4): awareness and
# refugees in France, staff, multilateral bodies, FACECO. The others name the recipient country.
CATEGORIES_WITHOUT_COUNTRY = frozenset(
    {
        Category.AWARENESS,
        Category.REFUGEES,
        Category.STAFF,
        Category.MULTILATERAL,
        Category.FACECO,
    }
)
# Categories spent in France by definition: France given as their country is no exclusion.
CATEGORIES_IN_FRANCE = frozenset({Category.AWARENESS, Category.REFUGEES})
HOME_COUNTRY = "FR"

# The CRS values of ODA given as a grant (OECD DAC codelists, also IATI's).
ODA_FLOW_TYPE = "10"
GRANT_FINANCE_TYPE = "110"

# A key for money counted without a country (the CRS "bilateral, unspecified").
NO_COUNTRY = ""


@dataclass
class OdaItem:
    """One disbursement of the year, as the declaration sees it."""

    pk: int
    project_id: int | None  # None: a membership fee or a network contribution
    project_title: str
    transaction_type: str
    date: datetime.date
    rate_date: datetime.date
    description: str
    receiver: str
    amount: Decimal
    currency: str
    amount_eur: Decimal | None
    from_own_funds: bool
    in_kind: bool
    category: int | None
    country_code: str
    country_name: str
    sector_code: str
    channel_code: str
    flow_type: str
    finance_type: str
    aid_type: str
    # The euros the treasury actually paid (the mandat), when recorded: no rate needed.
    paid_eur: Decimal | None = None
    # What a payment without a project pays (Transaction.Nature), "project" otherwise.
    nature: str = Transaction.Nature.PROJECT
    # The country it is declared under once counted: its own, or NO_COUNTRY.
    declared_country: str = NO_COUNTRY
    # The project's recorded main objective, and whether it belongs to a twinning.
    project_purpose: str = Purpose.NOT_CHECKED
    project_version: int = 0
    version: int = 0  # the transaction's, sent back by a form that changes it
    project_is_twinning: bool = False
    project_country_count: int = 0
    # (country name, percentage) of the project, read when a split is offered.
    country_shares: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def category_label(self) -> str:
        if self.category in Category.values:
            return str(Category(self.category).label)
        return str(self.category or "")


@dataclass
class Exclusion:
    """A disbursement rightly left out of the declaration, and why."""

    item: OdaItem
    reason: str


@dataclass
class OdaWarning:
    """Something to fix on a transaction. `counted` tells whether it is in the totals already
    (a missing CRS code) or left out until fixed (no category, no country, no rate, a purpose
    to confirm, contradictory data). `action` names what the page offers to do about it."""

    item: OdaItem
    message: str
    counted: bool
    action: str = ""


@dataclass
class Total:
    """The money of one line of a summary table (a category, a country, a code)."""

    key: str
    label: str
    amount: Decimal = ZERO
    count: int = 0
    note: str = ""


@dataclass
class CrsRow:
    """The money of one combination of the CRS dimensions, as the OECD reporting reads it."""

    category: int
    category_label: str
    country_code: str
    country_name: str
    sector: str
    channel: str
    flow_type: str
    finance_type: str
    aid_type: str
    amount: Decimal = ZERO
    count: int = 0


@dataclass
class OdaDeclaration:
    """The declaration of one member authority for one calendar year of flows."""

    member: MemberAuthority
    year: int
    counted: list[OdaItem] = field(default_factory=list)
    excluded: list[Exclusion] = field(default_factory=list)
    warnings: list[OdaWarning] = field(default_factory=list)
    by_category: list[Total] = field(default_factory=list)
    by_country: list[Total] = field(default_factory=list)
    by_sector: list[Total] = field(default_factory=list)
    by_channel: list[Total] = field(default_factory=list)
    by_flow_type: list[Total] = field(default_factory=list)
    by_finance_type: list[Total] = field(default_factory=list)
    by_aid_type: list[Total] = field(default_factory=list)
    crs_rows: list[CrsRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((item.amount_eur or ZERO for item in self.counted), ZERO)

    @property
    def to_fix(self) -> list[OdaWarning]:
        """Warnings on transactions left out until fixed."""
        return [warning for warning in self.warnings if not warning.counted]


# --- Reading -----------------------------------------------------------------------------------


def oda_years() -> list[int]:
    """The years of flows whose DAC list of ODA recipients is loaded, latest first."""
    return list(OdaEligibility.objects.order_by("-year").values_list("year", flat=True).distinct())


def _eligibility(year: int) -> dict[str, str]:
    """Country code -> DAC income group, for flows of `year`. Raises OdaListMissing."""
    groups = dict(
        OdaEligibility.objects.filter(year=year)
        .order_by()
        .values_list("country_id", "income_group")
    )
    if not groups:
        # Without the list every country would look ineligible and the declaration empty.
        raise OdaListMissing(year)
    return groups


def _items(member: MemberAuthority, year: int) -> list[OdaItem]:
    """The member's disbursements of the year as items: the transactions' columns as plain
    values (no model instance per line) and each project's title read once, in two queries, so
    that a large authority's year holds in little memory."""
    twinning = Project.partnerships.through.objects.filter(
        project_id=OuterRef("project_id"), partnership__kind=Partnership.Kind.TWINNING
    )
    countries = (
        ProjectCountry.objects.filter(project_id=OuterRef("project_id"))
        .order_by()
        .values("project_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Transaction.objects.filter(
            authority=member,
            transaction_type__in=DISBURSEMENT_TYPES,
            date__gte=datetime.date(year, 1, 1),
            date__lte=datetime.date(year, 12, 31),
        )
        .annotate(
            project_is_twinning=Exists(twinning),
            project_country_count=Coalesce(
                Subquery(countries, output_field=IntegerField()), Value(0)
            ),
        )
        .order_by("date", "pk")
        .values_list(
            "pk",
            "project_id",
            "transaction_type",
            "date",
            "value_date",
            "description",
            "receiver",
            "amount",
            "currency",
            "from_own_funds",
            "in_kind",
            "oda_category",
            "recipient_country__code",
            "recipient_country__name_en",
            "recipient_country__name_fr",
            "sector_code",
            "channel_code",
            "flow_type",
            "finance_type",
            "aid_type",
            "version",
            "amount_eur",
            "nature",
            "project_is_twinning",
            "project_country_count",
        )
    )
    lines = list(rows)
    # A payment without its own CRS purpose code is declared under its project's main sector
    # (the largest share of its 5-digit codes), as the officer would copy it by hand.
    main_sector = Subquery(
        ProjectSector.objects.filter(
            project_id=OuterRef("pk"), vocabulary=ProjectSector.Vocabulary.DAC_5
        )
        .order_by(F("percentage").desc(nulls_last=True), "code")
        .values("code")[:1]
    )
    projects = {
        pk: (translate(title) or slug, purpose, version, sector or "")
        for pk, title, slug, purpose, version, sector in Project.objects.filter(
            pk__in={line[1] for line in lines if line[1] is not None}
        )
        .annotate(main_sector=main_sector)
        .values_list("pk", "title", "slug", "oda_purpose", "version", "main_sector")
    }
    english = (get_language() or "fr").startswith("en")  # as Country.name
    natures = dict(Transaction.Nature.choices)
    items = []
    for (
        pk,
        project_id,
        kind,
        day,
        value_date,
        description,
        receiver,
        amount,
        currency,
        own_funds,
        in_kind,
        category,
        country_code,
        name_en,
        name_fr,
        sector,
        channel,
        flow,
        finance,
        aid,
        version,
        paid_eur,
        nature,
        is_twinning,
        country_count,
    ) in lines:
        if project_id is None:  # a membership fee or a network contribution
            title = str(natures.get(nature, nature)).capitalize()
            purpose, project_version, project_sector = str(Purpose.NOT_CHECKED), 0, ""
        else:
            title, purpose, project_version, project_sector = projects[project_id]
        items.append(
            OdaItem(
                pk=pk,
                project_id=project_id,
                project_title=title,
                transaction_type=kind,
                date=day,
                rate_date=value_date or day,
                description=description,
                receiver=receiver,
                amount=amount,
                currency=currency.upper(),
                amount_eur=None,
                paid_eur=paid_eur,
                nature=nature,
                from_own_funds=own_funds,
                in_kind=in_kind,
                category=category,
                country_code=country_code or NO_COUNTRY,
                country_name=(name_en if english else name_fr) or "",
                sector_code=sector.strip() or project_sector,
                channel_code=channel.strip(),
                flow_type=flow.strip(),
                finance_type=finance.strip(),
                aid_type=aid.strip(),
                project_purpose=purpose,
                project_version=project_version,
                version=version,
                project_is_twinning=is_twinning,
                project_country_count=country_count,
            )
        )
    return items


def _code_names(items: Iterable[OdaItem]) -> dict[tuple[str, str], CodelistItem]:
    """The codelist entries of the CRS codes used, in one query."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for item in items:
        wanted[Codelist.SECTOR].add(item.sector_code)
        wanted[Codelist.CRS_CHANNEL].add(item.channel_code)
        wanted[Codelist.FLOW_TYPE].add(item.flow_type)
        wanted[Codelist.FINANCE_TYPE].add(item.finance_type)
        wanted[Codelist.AID_TYPE].add(item.aid_type)
    condition = Q()
    for codelist, codes in wanted.items():
        codes.discard("")
        if codes:
            condition |= Q(codelist=codelist, code__in=codes)
    if not condition:
        return {}
    return {(entry.codelist, entry.code): entry for entry in CodelistItem.objects.filter(condition)}


# --- Sorting each disbursement -----------------------------------------------------------------


def _exclusion_reason(item: OdaItem, eligible: dict[str, str], year: int) -> tuple[str, str | None]:
    """(reason, warning): why the item is rightly left out ("" if it is not), and a warning
    when its data say otherwise (then it is to fix, not left out: one state per line)."""
    category_given = item.category is not None
    if item.nature != Transaction.Nature.PROJECT and not category_given:
        # A membership fee of a network or association is not, as such, money given to a
        # developing country (the DAC counts bilateral flows and contributions to the bodies on
        # its list of multilateral agencies): it counts only when the officer gives it the
        # category it belongs to. See docs/legal-notes.md, "Payments without a project".
        return _(
            "A membership fee or a network contribution is not counted unless it is given an "
            "ODA category (for example 7 for a body on the OECD list of multilateral "
            "organisations)."
        ), None
    if item.project_purpose == Purpose.OTHER:
        # Recorded on the project by the officer: the OECD test of ODA is the main objective.
        return _(
            "The project's main objective is recorded as something other than the development "
            "of the recipient country, so it is not official development assistance."
        ), None
    if item.in_kind:
        warning = None
        if category_given:
            warning = _(
                "This transaction is marked as in kind but has an ODA category: only cash "
                "counts. Untick “in kind” if the authority paid this amount, or remove the "
                "ODA category."
            )
        return _("In kind: only money paid counts in the ODA declaration."), warning
    if not item.from_own_funds:
        warning = None
        if category_given:
            warning = _(
                "This transaction has an ODA category but is not paid from the authority's own "
                "funds, so it does not count. Tick “from own funds” if the authority paid it, or "
                "remove the ODA category."
            )
        return _("Paid with a co-funder's money: only the authority's own funds count."), warning
    if item.country_code and item.country_code not in eligible:
        if item.category in CATEGORIES_IN_FRANCE and item.country_code == HOME_COUNTRY:
            return "", None
        return _(
            "%(country)s is not on the OECD DAC list of ODA recipients for %(year)s flows."
        ) % {"country": item.country_name or item.country_code, "year": year}, None
    return "", None


def _blocking_problems(item: OdaItem) -> list[tuple[str, str]]:
    """(message, action): what keeps an own-funds disbursement to an eligible country out until
    fixed."""
    problems: list[tuple[str, str]] = []
    # A code outside 1-8 (written around the forms, by an import) is no category either.
    if item.category not in Category.values:
        problems.append(
            (
                _(
                    "This disbursement has no ODA category, so it is left out of the "
                    "declaration: choose one of the categories 1 to 8 on the transaction."
                ),
                "",
            )
        )
    elif not item.country_code and item.category not in CATEGORIES_WITHOUT_COUNTRY:
        if item.project_country_count:
            problems.append(
                (
                    _(
                        "This disbursement of category “%(category)s” has no recipient "
                        "country, so it is left out of the declaration: split it by the "
                        "project's country shares, or give the country that benefits from it."
                    )
                    % {"category": item.category_label},
                    ACTION_SPLIT,
                )
            )
        else:
            problems.append(
                (
                    _(
                        "This disbursement of category “%(category)s” has no recipient "
                        "country, so it is left out of the declaration: give the country that "
                        "benefits from it."
                    )
                    % {"category": item.category_label},
                    "",
                )
            )
    if item.project_is_twinning and item.project_purpose == Purpose.NOT_CHECKED:
        # OECD: ODA has the development of the recipient country as its main objective; an
        # exchange between twin towns (a school trip, a festival) usually has another one.
        problems.append(
            (
                _(
                    "This payment belongs to a project of a twinning: it counts as ODA only if "
                    "the project's main objective is the economic development and welfare of "
                    "%(country)s, not an exchange between the towns. Confirm the project's "
                    "purpose, or mark it as not ODA."
                )
                % {"country": item.country_name or _("the recipient country")},
                ACTION_PURPOSE,
            )
        )
    return problems


def _minor_problems(item: OdaItem) -> list[str]:
    """What the OECD reporting misses on a counted disbursement."""
    problems = []
    if not item.sector_code:
        problems.append(
            _(
                "This disbursement has no CRS purpose code: give the 5-digit code of its "
                "sector (e.g. 15112 for decentralisation) on the transaction."
            )
        )
    if not item.channel_code:
        problems.append(
            _(
                "This disbursement has no CRS channel: give the body the money went through "
                "(e.g. 12000 for the recipient's government or local authority)."
            )
        )
    if item.flow_type != ODA_FLOW_TYPE:
        problems.append(
            _(
                "This disbursement's flow type is “%(code)s”, not ODA (10): correct it on the "
                "transaction if the authority gave this money."
            )
            % {"code": item.flow_type or "—"}
        )
    if not item.finance_type:
        problems.append(
            _(
                "This disbursement has no finance type: give 110 (standard grant) unless it "
                "is a loan or another instrument."
            )
        )
    if not item.aid_type:
        problems.append(
            _("This disbursement has no aid type: give e.g. C01 for a project-type intervention.")
        )
    return problems


# --- Summing -----------------------------------------------------------------------------------


def _code_label(names: dict[tuple[str, str], CodelistItem], codelist: str, code: str) -> str:
    if not code:
        return _("not given")
    entry = names.get((codelist, code))
    return f"{code} – {entry.name}" if entry else code  # noqa: RUF001


def _by_key(items: list[OdaItem], key: str, label: Callable[[str], str]) -> list[Total]:
    totals: dict[str, Total] = {}
    for item in items:
        value = getattr(item, key)
        total = totals.get(value)
        if total is None:
            total = totals[value] = Total(key=value, label=label(value))
        total.amount += item.amount_eur or ZERO
        total.count += 1
    return sorted(totals.values(), key=lambda total: (total.key == "", total.key))


def _by_category(items: list[OdaItem]) -> list[Total]:
    """All eight categories, in order, the empty ones at zero: the form lists them all."""
    totals = {int(c): Total(key=str(int(c)), label=str(c.label)) for c in Category}
    for item in items:
        total = totals[item.category]  # type: ignore[index]
        total.amount += item.amount_eur or ZERO
        total.count += 1
    return list(totals.values())


def _by_country(items: list[OdaItem], eligible: dict[str, str]) -> list[Total]:
    totals: dict[str, Total] = {}
    group_names = dict(OdaIncomeGroup.choices)
    for item in items:
        code = item.declared_country
        total = totals.get(code)
        if total is None:
            if code:
                label = item.country_name or code
                note = str(group_names.get(eligible[code], ""))
            else:
                label = _("No country in particular")
                note = _("bilateral, unspecified")
            total = totals[code] = Total(key=code, label=label, note=note)
        total.amount += item.amount_eur or ZERO
        total.count += 1
    return sorted(totals.values(), key=lambda total: (total.key == NO_COUNTRY, total.label))


def _crs_rows(items: list[OdaItem], names: dict[tuple[str, str], CodelistItem]) -> list[CrsRow]:
    rows: dict[tuple, CrsRow] = {}
    for item in items:
        country = item.declared_country
        key = (
            item.category,
            country,
            item.sector_code,
            item.channel_code,
            item.flow_type,
            item.finance_type,
            item.aid_type,
        )
        row = rows.get(key)
        if row is None:
            row = rows[key] = CrsRow(
                category=item.category,  # type: ignore[arg-type]
                category_label=item.category_label,
                country_code=country,
                country_name=item.country_name if country else _("No country in particular"),
                sector=_code_label(names, Codelist.SECTOR, item.sector_code),
                channel=_code_label(names, Codelist.CRS_CHANNEL, item.channel_code),
                flow_type=_code_label(names, Codelist.FLOW_TYPE, item.flow_type),
                finance_type=_code_label(names, Codelist.FINANCE_TYPE, item.finance_type),
                aid_type=_code_label(names, Codelist.AID_TYPE, item.aid_type),
            )
        row.amount += item.amount_eur or ZERO
        row.count += 1
    # By category, then country (no country last), then codes.
    return [rows[key] for key in sorted(rows, key=lambda k: (k[0], k[1] == NO_COUNTRY, k))]


def _read_country_shares(warnings: list[OdaWarning]) -> None:
    """The country shares of the projects whose payments the page offers to split, in one
    query (none when there is nothing to split)."""
    items = [w.item for w in warnings if w.action == ACTION_SPLIT]
    if not items:
        return
    shares: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    rows = (
        ProjectCountry.objects.filter(project_id__in={item.project_id for item in items})
        .select_related("country")
        .order_by("-percentage", "country_id")
    )
    for row in rows:
        shares[row.project_id].append((row.country.name, row.percentage))
    for item in items:
        if item.project_id is not None:
            item.country_shares = shares.get(item.project_id, [])


def oda_declaration(member: MemberAuthority, year: int) -> OdaDeclaration:
    """The ODA declaration of `member` for flows of calendar year `year` (declared in `year`
    + 1). Raises OdaListMissing when the DAC list of that year is not loaded."""
    eligible = _eligibility(year)
    items = _items(member, year)
    declaration = OdaDeclaration(member=member, year=year)

    candidates: list[OdaItem] = []
    for item in items:
        reason, warning = _exclusion_reason(item, eligible, year)
        if warning:
            # Its data contradict each other: to fix, and only that (one state per line).
            declaration.warnings.append(OdaWarning(item, warning, counted=False))
            continue
        if reason:
            declaration.excluded.append(Exclusion(item, reason))
            continue
        problems = _blocking_problems(item)
        if problems:
            declaration.warnings.extend(
                OdaWarning(item, message, counted=False, action=action)
                for message, action in problems
            )
            continue
        candidates.append(item)

    if candidates:
        book = RateBook(
            {item.currency for item in candidates if item.paid_eur is None} | {EURO},
            until=max(item.rate_date for item in candidates),
        )
        for item in candidates:
            try:
                item.amount_eur = euros_paid(
                    item.paid_eur, item.amount, item.currency, item.rate_date, book
                )
            except MissingExchangeRate as error:
                declaration.warnings.append(
                    OdaWarning(item, " ".join(error.messages), counted=False, action=ACTION_RATE)
                )
                continue
            # France under an "in France" category goes with no country in particular.
            if item.country_code in eligible:
                item.declared_country = item.country_code
            declaration.counted.append(item)
            declaration.warnings.extend(
                OdaWarning(item, problem, counted=True) for problem in _minor_problems(item)
            )
    declaration.warnings.sort(key=lambda w: (w.counted, w.item.date, w.item.pk))
    _read_country_shares(declaration.warnings)

    counted = declaration.counted
    names = _code_names(counted)
    declaration.by_category = _by_category(counted)
    declaration.by_country = _by_country(counted, eligible)
    declaration.by_sector = _by_key(
        counted, "sector_code", lambda c: _code_label(names, Codelist.SECTOR, c)
    )
    declaration.by_channel = _by_key(
        counted, "channel_code", lambda c: _code_label(names, Codelist.CRS_CHANNEL, c)
    )
    declaration.by_flow_type = _by_key(
        counted, "flow_type", lambda c: _code_label(names, Codelist.FLOW_TYPE, c)
    )
    declaration.by_finance_type = _by_key(
        counted, "finance_type", lambda c: _code_label(names, Codelist.FINANCE_TYPE, c)
    )
    declaration.by_aid_type = _by_key(
        counted, "aid_type", lambda c: _code_label(names, Codelist.AID_TYPE, c)
    )
    declaration.crs_rows = _crs_rows(counted, names)
    return declaration


def describe(declaration: OdaDeclaration) -> str:
    """One line for the command's output and the page's heading."""
    return _(
        "ODA declaration of %(authority)s for %(year)s flows: %(total)s EUR in %(counted)d "
        "disbursements; %(excluded)d left out as not ODA, %(to_fix)d to fix."
    ) % {
        "authority": declaration.member,
        "year": declaration.year,
        "total": _format_money(declaration.total),
        "counted": len(declaration.counted),
        "excluded": len(declaration.excluded),
        "to_fix": len({w.item.pk for w in declaration.to_fix}),
    }


def _format_money(amount: Decimal) -> str:
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


__all__ = [
    "ACTION_PURPOSE",
    "ACTION_RATE",
    "ACTION_SPLIT",
    "CATEGORIES_WITHOUT_COUNTRY",
    "DISBURSEMENT_TYPES",
    "CrsRow",
    "Exclusion",
    "OdaDeclaration",
    "OdaItem",
    "OdaListMissing",
    "OdaWarning",
    "Total",
    "describe",
    "oda_declaration",
    "oda_years",
]


# --- Every authority at once: the national body's view ----------------------------------------


@dataclass
class NationalRow:
    """One member authority's counted ODA for a year: its total in euros and its lines."""

    member_id: int
    slug: str
    name: str
    total: Decimal
    lines: int


def counted_in_sql(year: int) -> QuerySet[Transaction]:
    """The disbursements of `year` that every authority's declaration counts, as one queryset
    over the whole instance: the rules of `oda_declaration` that the rows alone decide (own
    funds, cash, a category 1 to 8, a country on the DAC list of the year or none where the
    category needs none, France for the categories spent in France, a project whose objective
    is not recorded as something else, and a twinning's project only once its purpose is
    confirmed)."""
    eligible = OdaEligibility.objects.filter(year=year, country_id=OuterRef("recipient_country_id"))
    twinning = Project.partnerships.through.objects.filter(
        project_id=OuterRef("project_id"), partnership__kind=Partnership.Kind.TWINNING
    )
    return (
        Transaction.objects.filter(
            transaction_type__in=DISBURSEMENT_TYPES,
            date__gte=datetime.date(year, 1, 1),
            date__lte=datetime.date(year, 12, 31),
            from_own_funds=True,
            in_kind=False,
            oda_category__in=Category.values,
        )
        .exclude(project__oda_purpose=Purpose.OTHER)
        .filter(
            Exists(eligible)
            | Q(recipient_country_id=HOME_COUNTRY, oda_category__in=CATEGORIES_IN_FRANCE)
            | Q(recipient_country__isnull=True, oda_category__in=CATEGORIES_WITHOUT_COUNTRY)
        )
        .exclude(Exists(twinning) & Q(project__oda_purpose=Purpose.NOT_CHECKED))
    )


@dataclass
class NationalDeclaration:
    """Every member authority's counted ODA for one year of flows, three ways: by authority
    (largest first), by category (all eight, in order) and by declared country (no country
    last), with the same totals."""

    year: int
    by_authority: list[NationalRow] = field(default_factory=list)
    by_category: list[Total] = field(default_factory=list)
    by_country: list[Total] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((row.total for row in self.by_authority), ZERO)

    @property
    def lines(self) -> int:
        return sum(row.lines for row in self.by_authority)


def _declared_country_in_sql() -> Case:
    """The country a counted line is declared under, as `oda_declaration` sets it: its own
    (on the DAC list, `counted_in_sql` let no other through), or none for France under a
    category spent in France and for the lines without a country."""
    return Case(
        When(recipient_country_id=HOME_COUNTRY, then=Value(NO_COUNTRY)),
        default=Coalesce(F("recipient_country_id"), Value(NO_COUNTRY)),
        output_field=CharField(),
    )


def national_declaration(year: int) -> NationalDeclaration:
    """Every member authority's counted ODA for flows of `year`, in one SQL aggregation by
    authority, category and declared country (no transaction read into Python, one row per
    combination), folded here into the three views, largest authority first. The totals are
    those of each authority's own declaration for the lines it counts as they stand; lines it
    shows as to fix count nowhere until fixed. `manage.py oda_national` and the national page
    read this, and nothing else."""
    rows = (
        counted_in_sql(year)
        .annotate(euros=Round(euros_paid_in_sql(), 2), declared=_declared_country_in_sql())
        .filter(euros__isnull=False)
        .order_by()
        .values(
            "authority_id",
            "authority__slug",
            "authority__authority__name",
            "oda_category",
            "declared",
            "recipient_country__name_fr",
            "recipient_country__name_en",
        )
        .annotate(total=Sum("euros"), lines=Count("pk"))
    )
    english = (get_language() or "fr").startswith("en")  # as Country.name
    authorities: dict[int, NationalRow] = {}
    categories = {int(c): Total(key=str(int(c)), label=str(c.label)) for c in Category}
    countries: dict[str, Total] = {}
    for row in rows:
        amount = Decimal(row["total"]).quantize(CENT, rounding=ROUND_HALF_UP)
        lines = row["lines"]
        member = authorities.get(row["authority_id"])
        if member is None:
            member = authorities[row["authority_id"]] = NationalRow(
                member_id=row["authority_id"],
                slug=row["authority__slug"],
                name=row["authority__authority__name"],
                total=ZERO,
                lines=0,
            )
        member.total += amount
        member.lines += lines
        category = categories[row["oda_category"] or 0]  # counted_in_sql: 1 to 8 only
        category.amount += amount
        category.count += lines
        code = row["declared"]
        country = countries.get(code)
        if country is None:
            if code:
                name = row[
                    "recipient_country__name_en" if english else "recipient_country__name_fr"
                ]
                label = name or code
            else:
                label = _("No country in particular")
            country = countries[code] = Total(key=code, label=label)
        country.amount += amount
        country.count += lines
    return NationalDeclaration(
        year=year,
        by_authority=sorted(authorities.values(), key=lambda row: (-row.total, row.slug)),
        by_category=list(categories.values()),
        by_country=sorted(countries.values(), key=lambda t: (t.key == NO_COUNTRY, t.label)),
    )
