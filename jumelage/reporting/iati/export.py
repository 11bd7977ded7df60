"""IATI 2.03 activity file of a member authority's published projects.

Each project becomes one iati-activity element, built in the XSD's order (GUIDE.md §3-4), then
checked on its own (codelists, rules, XSD). A project that would break the file is left out and
listed with what to fix; the others are written. A part that cannot be published yet (a
transaction dated in the future) is left out of its activity with a warning, not the activity.
The file is written with lxml's incremental writer and the projects are read in chunks, so
memory stays flat and the number of queries does not grow with the number of projects.
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import mimetypes
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from urllib.parse import urljoin, urlparse

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from lxml import etree

from jumelage.core.cache import with_generations
from jumelage.core.i18n import translate
from jumelage.partners.models import Authority, MemberAuthority
from jumelage.projects.models import Project, Transaction
from jumelage.reporting.iati.problems import ERROR, WARNING, Problem
from jumelage.reporting.iati.reference import IATI_VERSION, XML_LANG, codelist
from jumelage.reporting.iati.validate import validate_activity
from jumelage.reporting.selectors import iati_projects, oda_recipients_by_year

# Projects read, built and kept per chunk. Memory is one chunk's worth at a time (plus the one
# being handed to the client, and a cache entry's bytes while it is read); at 50, a chunk is
# about 0.4 MB of XML, and a prefetch query of 50 keys costs little more than of 200.
CHUNK_SIZE = 50

# IATI OrganisationType of a local actor, by its kind (GUIDE §4.2: 22 national NGO,
# 80 academic, 15 other public sector, 70 private sector, 90 other).
ACTOR_ORG_TYPES = {
    "school": "80",
    "university": "80",
    "hospital": "15",
    "service_club": "22",
    "association": "22",
    "twinning_committee": "22",
    "diaspora": "22",
    "company": "70",
    "public_body": "15",
    "other": "90",
}
AUTHORITY_ORG_TYPES: dict[str, str] = {
    Authority.Kind.STATE: "10",
    Authority.Kind.OTHER: "15",
}  # else 11
LOCAL_GOVERNMENT = "11"
# A local actor who co-funds is a funding participant (role 1); every other role implements (4).
ACTOR_FUNDING_ROLES = {"funder"}
INCOMING_TYPES = {"1", "11", "13"}  # incoming funds, commitment, pledge: the city receives
ODA_FLOW = "10"  # FlowType 10: ODA

# Characters XML 1.0 cannot carry (a pasted control character would break the whole file).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: Any) -> str:
    return _NOT_XML.sub("", str(text)).strip()


def number(value: Decimal | int) -> str:
    """A decimal as xsd:decimal wants it: no exponent, no useless trailing zeros."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def activity_identifier(org_id: str, project: Project) -> str:
    """The project's iati-identifier in the file: the one the officer gave, else the
    organisation id, a hyphen and the project's address on the public site (so it changes
    with that address, while the XSD's rule says an identifier must not change once reported,
    GUIDE §4.2: hence the officer's own one)."""
    return (project.iati_identifier or "").strip() or f"{org_id}-{project.slug}"


@dataclass
class ExcludedProject:
    pk: int
    slug: str
    title: str
    problems: list[str]


@dataclass
class ExportReport:
    authority: str
    org_id: str = ""
    exported: int = 0
    excluded: list[ExcludedProject] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (project, message)
    refused: str = ""  # why nothing at all can be exported

    def summary(self) -> str:
        return _("activities exported: %(exported)s; projects left out: %(excluded)s") % {
            "exported": self.exported,
            "excluded": len(self.excluded),
        }


@dataclass(frozen=True)
class Budget:
    start: datetime.date
    end: datetime.date
    currency: str
    amount: Decimal


class Flows:
    """Whether a project's flows are ODA, year by year (FlowType 10).

    A flow is ODA only when its recipient is on the OECD DAC list of ODA recipients of the
    year of that flow (countries graduate from the list): a transaction is judged on the list
    of its own year, with its own recipient country, else the activity's. The activity's
    default flow type is ODA only when every recipient is on the list of every year of its
    flows (its transactions; without any, its budgets' years; without either, this year's),
    so that no transaction inherits an ODA flow it does not have. A transaction whose stored
    flow type says ODA while its recipient is not eligible that year gets no flow type in the
    file rather than a false one. A year whose list is not loaded makes no ODA claim.
    """

    def __init__(self, builder: ActivityBuilder, countries: list[str]) -> None:
        self.lists = builder.oda_lists
        self.today = builder.today
        self.countries = countries
        self.activity_is_oda = False

    def _countries(self, item: Transaction) -> list[str]:
        return [item.recipient_country_id] if item.recipient_country_id else self.countries

    def _eligible(self, countries: list[str], year: int) -> bool:
        recipients = self.lists.get(year)
        return bool(countries) and recipients is not None and set(countries) <= recipients

    def decide(self, transactions: list[Transaction], budgets: list[Budget]) -> list[Problem]:
        years = {item.date.year for item in transactions}
        if not years:
            years = {budget.start.year for budget in budgets} or {self.today.year}
        self.activity_is_oda = all(self._eligible(self.countries, year) for year in years) and all(
            self._eligible(self._countries(t), t.date.year) for t in transactions
        )
        missing = sorted(
            year for year in years | {t.date.year for t in transactions} if year not in self.lists
        )
        if not self.countries or not missing:
            return []
        return [
            Problem(
                _(
                    "The OECD DAC list of ODA recipients for %(year)s flows is not loaded, so the "
                    "file cannot say that this project's flows of that year are ODA. Ask the "
                    "administrator to load it."
                )
                % {"year": year},
                severity=WARNING,
            )
            for year in missing
        ]

    def of(self, item: Transaction) -> str:
        """The transaction's flow type as the file may state it."""
        code = item.flow_type.strip()
        if code == ODA_FLOW and not self._eligible(self._countries(item), item.date.year):
            return ""
        return code


class ActivityBuilder:
    """Builds the iati-activity element of one project (prefetched by `iati_projects`, whose
    `public_*` and `budget_plans` attributes hold only what is published)."""

    def __init__(
        self,
        member: MemberAuthority,
        *,
        base_url: str = "",
        oda_lists: Mapping[int, frozenset[str]] | None = None,
        today: datetime.date | None = None,
    ) -> None:
        self.member = member
        self.authority: Authority = member.authority
        self.org_id = self.authority.default_iati_org_id()
        self.language = settings.LANGUAGE_CODE.split("-")[0]
        self.base_url = base_url
        # {year of flows: the countries on that year's OECD DAC list of ODA recipients}
        self.oda_lists = oda_lists or {}
        self.today = today or timezone.localdate()
        self.file_formats = codelist("FileFormat").active
        # The member authority in its three roles: reporting, funding and extending.
        self.own: dict[str, Any] = {
            "ref": self.org_id,
            "type": LOCAL_GOVERNMENT,
            "names": self._authority_names(self.authority),
        }

    # --- small helpers ---------------------------------------------------------------------

    @staticmethod
    def _sub(parent: etree._Element, tag: str, **attributes: Any) -> etree._Element:
        element = etree.SubElement(parent, tag)
        for name, value in attributes.items():
            if value is not None and value != "":
                element.set(name.replace("_", "-"), str(value))
        return element

    def _narratives(self, parent: etree._Element, texts: dict[str, str] | None) -> None:
        """One narrative per language, each with its xml:lang; the site's language first."""
        items = sorted((texts or {}).items(), key=lambda kv: (kv[0] != self.language, kv[0]))
        for language, text in items:
            value = clean(text or "")
            if not value:
                continue
            narrative = self._sub(parent, "narrative")
            narrative.set(XML_LANG, language.split("-")[0].lower())
            narrative.text = value

    def _plain(self, text: str) -> dict[str, str]:
        """A one-language text (a name, a label) in the site's language."""
        return {self.language: text} if text else {}

    def _authority_names(self, authority: Authority) -> dict[str, str]:
        names = self._plain(authority.name)
        local = (authority.local_name_language or "").split("-")[0].lower()
        if authority.local_name and local and local not in names:
            names[local] = authority.local_name
        return names

    def _org(
        self,
        parent: etree._Element,
        tag: str,
        *,
        ref: str = "",
        type: str = "",
        names: dict[str, str] | None = None,
        **extra: Any,
    ) -> etree._Element:
        element = self._sub(parent, tag, ref=ref.strip() or None, type=type or None, **extra)
        self._narratives(element, names)
        return element

    # --- the activity --------------------------------------------------------------------

    def identifier(self, project: Project) -> str:
        return activity_identifier(self.org_id, project)

    def build(self, project: Project) -> tuple[etree._Element, list[Problem]]:
        problems: list[Problem] = []
        activity = etree.Element("iati-activity")
        activity.set(XML_LANG, self.language)
        activity.set("default-currency", project.currency)
        if project.updated_at:
            updated = project.updated_at.astimezone(datetime.UTC).replace(microsecond=0)
            activity.set("last-updated-datetime", updated.isoformat())
        activity.set("hierarchy", "1")

        self._sub(activity, "iati-identifier").text = clean(self.identifier(project))
        self._org(activity, "reporting-org", **self.own)
        self._narratives(self._sub(activity, "title"), project.title)
        self._descriptions(activity, project)
        self._participants(activity, project)
        status = Project.IATI_STATUS.get(project.status)  # type: ignore[call-overload]
        self._sub(activity, "activity-status", code=status)
        for code, date in (
            ("1", project.planned_start),
            ("2", project.actual_start),
            ("3", project.planned_end),
            ("4", project.actual_end),
        ):
            if date:
                self._sub(activity, "activity-date", type=code, iso_date=date.isoformat())
        self._contact(activity)
        countries = list(project.countries.all())
        for country in countries:
            self._sub(
                activity,
                "recipient-country",
                code=country.country_id,
                percentage=number(country.percentage),
            )
        for sector in project.sectors.all():
            self._sub(
                activity,
                "sector",
                vocabulary=sector.vocabulary,
                code=sector.code,
                percentage=number(sector.percentage),
            )
        self._sdg_tags(activity, project)
        budgets, budget_problems = self._budget_periods(project)
        problems += budget_problems
        transactions, transaction_problems = self._past_transactions(project)
        problems += transaction_problems
        flows = Flows(self, [c.country_id for c in countries])
        problems += flows.decide(transactions, budgets)
        self._defaults(activity, oda=flows.activity_is_oda)
        self._budgets(activity, project, budgets)
        self._transactions(activity, project, transactions, flows)
        problems += self._documents(activity, project)
        self._results(activity, project)
        return activity, problems

    def _descriptions(self, activity: etree._Element, project: Project) -> None:
        general = {**(project.summary or {})}
        general.update({k: v for k, v in (project.description or {}).items() if v})
        description = self._sub(activity, "description", type="1")
        self._narratives(description, general)
        if any((v or "").strip() for v in (project.objectives or {}).values()):
            self._narratives(self._sub(activity, "description", type="2"), project.objectives)

    def _participants(self, activity: etree._Element, project: Project) -> None:
        funding: list[dict[str, Any]] = [self.own]
        implementing: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = {("1", self.org_id)}

        def add(target: list[dict[str, Any]], role: str, org: dict[str, Any]) -> None:
            key = (role, org["ref"] or translate(org["names"]))
            if key not in seen:
                seen.add(key)
                target.append(org)

        for plan in project.budget_plans:  # type: ignore[attr-defined]  # prefetched
            for line in plan.resources.all():
                if line.status == "refused" or line.funder is None:
                    continue
                funder = line.funder
                linked = funder.authority
                ref = funder.iati_org_id or (linked.default_iati_org_id() if linked else "")
                kind = funder.iati_org_type or (LOCAL_GOVERNMENT if linked else "")
                add(funding, "1", {"ref": ref, "type": kind, "names": self._plain(funder.name)})
        for partnership in project.public_partnerships:  # type: ignore[attr-defined]
            partner = partnership.partner
            add(
                implementing,
                "4",
                {
                    "ref": partner.iati_org_id,
                    "type": AUTHORITY_ORG_TYPES.get(partner.kind, LOCAL_GOVERNMENT),
                    "names": self._authority_names(partner),
                },
            )
        for role in project.public_actor_roles:  # type: ignore[attr-defined]  # prefetched
            actor = role.actor
            org: dict[str, Any] = {
                "ref": "",
                "type": ACTOR_ORG_TYPES.get(actor.kind, "90"),
                "names": self._plain(actor.name),
            }
            if role.role in ACTOR_FUNDING_ROLES:
                add(funding, "1", org)
            else:
                add(implementing, "4", org)
        for org in funding:
            self._org(activity, "participating-org", role="1", **org)
        self._org(activity, "participating-org", role="3", **self.own)
        for org in implementing:
            self._org(activity, "participating-org", role="4", **org)

    def _contact(self, activity: etree._Element) -> None:
        member = self.member
        contact = self._sub(activity, "contact-info", type="1")
        self._narratives(self._sub(contact, "organisation"), self._plain(self.authority.name))
        if member.service_name:
            self._narratives(self._sub(contact, "department"), self._plain(member.service_name))
        if member.phone:
            self._sub(contact, "telephone").text = clean(member.phone)
        if member.email:
            self._sub(contact, "email").text = clean(member.email)
        if self.authority.website:
            self._sub(contact, "website").text = clean(self.authority.website)
        address = ", ".join(
            part for part in (member.street, f"{member.postcode} {member.city}".strip()) if part
        )
        if address:
            self._narratives(self._sub(contact, "mailing-address"), self._plain(address))

    def _sdg_tags(self, activity: etree._Element, project: Project) -> None:
        targets = codelist("UNSDG-Targets")
        for code in project.sdg_targets or []:
            tag = self._sub(activity, "tag", vocabulary="3", code=clean(code))
            names = {lang: targets.label(str(code), lang) for lang in ("en", "fr")}
            self._narratives(tag, {k: v for k, v in names.items() if v})

    def _defaults(self, activity: etree._Element, *, oda: bool) -> None:
        # Bilateral, standard grant, project-type intervention, untied (GUIDE §4.2). The flow
        # is ODA only when every recipient is on the DAC list of ODA recipients of each year
        # of its flows (`Flows`): a twinning with Germany is not aid.
        self._sub(activity, "collaboration-type", code="1")
        if oda:
            self._sub(activity, "default-flow-type", code=ODA_FLOW)
        self._sub(activity, "default-finance-type", code="110")
        self._sub(activity, "default-aid-type", code="C01", vocabulary="1")
        self._sub(activity, "default-tied-status", code="5")

    def _budget_periods(self, project: Project) -> tuple[list[Budget], list[Problem]]:
        """One budget per calendar year of the expenses of the project's budget (the plans in
        force, `projects.selectors.plans_in_force`); IATI rule 7.5.3: a budget period lasts a
        year at most. A line's year is its own, else its plan's, else the project's when it
        runs within one calendar year. Each period is cut to the activity's dates (its actual
        start and end, else its planned ones): a budget does not run before the activity
        starts or after it ends (IATI guidance, GUIDE §4.2)."""
        problems: list[Problem] = []
        single_year = (
            project.planned_start.year
            if project.planned_start
            and project.planned_end
            and project.planned_start.year == project.planned_end.year
            else None
        )
        totals: dict[tuple[int, str], Decimal] = {}
        for plan in project.budget_plans:  # type: ignore[attr-defined]  # prefetched
            for line in plan.expenses.all():
                year = line.year or plan.year or single_year
                if year is None:
                    problems.append(
                        Problem(
                            _(
                                "The financing plan “%(plan)s” has expense lines without a "
                                "year, and the project runs over several years; give each "
                                "line its year (an IATI budget covers one year at most)."
                            )
                            % {"plan": plan.title or str(plan.year or _("whole project"))}
                        )
                    )
                    break
                key = (year, plan.currency)
                totals[key] = totals.get(key, Decimal(0)) + line.amount
        begins = project.actual_start or project.planned_start
        ends = project.actual_end or project.planned_end
        budgets = []
        for (year, currency), amount in sorted(totals.items()):
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            cut_start = max(start, begins) if begins else start
            cut_end = min(end, ends) if ends else end
            if cut_end > cut_start:
                start, end = cut_start, cut_end
            else:
                # The year lies outside the activity's dates (or on its last day only): a
                # period cannot be cut to nothing, so the year stays whole and the officer
                # is told what to correct.
                problems.append(
                    Problem(
                        _(
                            "The financing plan has expenses for %(year)s, outside the "
                            "project's dates: the IATI budget of that year covers the whole "
                            "calendar year. Correct the year of those lines, or the project's "
                            "start or end date."
                        )
                        % {"year": year},
                        severity=WARNING,
                    )
                )
            budgets.append(Budget(start=start, end=end, currency=currency, amount=amount))
        return budgets, problems

    def _budgets(self, activity: etree._Element, project: Project, budgets: list[Budget]) -> None:
        for item in budgets:
            # Every plan of the budget is adopted (plans in force): a committed budget.
            budget = self._sub(activity, "budget", type="1", status="2")
            self._sub(budget, "period-start", iso_date=item.start.isoformat())
            self._sub(budget, "period-end", iso_date=item.end.isoformat())
            value = self._sub(
                budget,
                "value",
                currency=item.currency if item.currency != project.currency else None,
                value_date=item.start.isoformat(),
            )
            value.text = number(item.amount)

    def _past_transactions(self, project: Project) -> tuple[list[Transaction], list[Problem]]:
        """The transactions to publish: those that have happened. An IATI transaction records
        money that has moved, so a date or value date in the future breaks rules 11.2.1 and
        11.2.2; such a transaction is left out, with a warning, until its day, and the rest of
        the activity is published."""
        kept: list[Transaction] = []
        problems: list[Problem] = []
        for item in project.transactions.all():
            if item.date > self.today or item.rate_date > self.today:
                problems.append(
                    Problem(
                        _(
                            "The transaction of %(amount)s %(currency)s dated %(date)s is in the "
                            "future, so it is left out of the IATI file until that day: a "
                            "transaction records money that has moved. If it has, correct its "
                            "date."
                        )
                        % {
                            "amount": number(item.amount),
                            "currency": item.currency,
                            "date": max(item.date, item.rate_date).isoformat(),
                        },
                        rule="11.2.1",
                        severity=WARNING,
                    )
                )
                continue
            kept.append(item)
        return kept, problems

    def _transactions(
        self,
        activity: etree._Element,
        project: Project,
        transactions: list[Transaction],
        flows: Flows,
    ) -> None:
        defaults = {
            child.tag.replace("default-", ""): child.get("code")
            for child in activity
            if child.tag.startswith("default-")
        }
        for item in transactions:
            transaction = self._sub(activity, "transaction")
            self._sub(transaction, "transaction-type", code=item.transaction_type)
            self._sub(transaction, "transaction-date", iso_date=item.date.isoformat())
            # A payment in a foreign currency with the euros the treasury actually paid (the
            # mandat) is published in those euros: what the authority spent, whatever the
            # partner received (domain guide, "Money paid abroad"), dated on its payment.
            paid_eur = item.amount_eur is not None and item.currency != "EUR"
            currency = "EUR" if paid_eur else item.currency
            value = self._sub(
                transaction,
                "value",
                currency=currency if currency != project.currency else None,
                value_date=item.date.isoformat() if paid_eur else item.rate_date.isoformat(),
            )
            value.text = number(item.amount_eur if paid_eur else item.amount)
            if item.description:
                self._narratives(
                    self._sub(transaction, "description"), self._plain(item.description)
                )
            incoming = item.transaction_type in INCOMING_TYPES
            if item.provider or item.provider_org_id:
                self._org(
                    transaction,
                    "provider-org",
                    ref=item.provider_org_id,
                    names=self._plain(item.provider),
                )
            elif not incoming:
                self._org(transaction, "provider-org", **self.own)
            if item.receiver or item.receiver_org_id:
                self._org(
                    transaction,
                    "receiver-org",
                    ref=item.receiver_org_id,
                    names=self._plain(item.receiver),
                )
            elif incoming:
                self._org(transaction, "receiver-org", **self.own)
            for tag, code in (
                ("flow-type", flows.of(item)),
                ("finance-type", item.finance_type),
                ("aid-type", item.aid_type),
            ):
                if code and code != defaults.get(tag):
                    attributes = {"vocabulary": "1"} if tag == "aid-type" else {}
                    self._sub(transaction, tag, code=code, **attributes)

    def _documents(self, activity: etree._Element, project: Project) -> list[Problem]:
        problems = []
        for document in project.public_documents:  # type: ignore[attr-defined]  # prefetched
            url = document.url
            if not url and document.file:
                if not self.base_url:
                    problems.append(
                        Problem(
                            _(
                                "The document “%(title)s” is an uploaded file, and the export "
                                "was made without the site's address; it was left out of the "
                                "activity. Give a link to the document, or export with the "
                                "site's address."
                            )
                            % {"title": translate(document.title) or document.file.name},
                            severity=WARNING,
                        )
                    )
                    continue
                url = urljoin(self.base_url, document.file_url())
            if not url:
                continue
            link = self._sub(activity, "document-link", url=url, format=self._format(url))
            title = document.title or self._plain(document.file.name or url)
            self._narratives(self._sub(link, "title"), title)
            self._sub(link, "category", code=document.category or "A01")
            if document.language:
                self._sub(link, "language", code=document.language.split("-")[0].lower())
            if document.date:
                self._sub(link, "document-date", iso_date=document.date.isoformat())
        return problems

    def _format(self, url: str) -> str:
        """The IANA media type from the link's extension; a link without one is a web page."""
        guessed, _encoding = mimetypes.guess_type(urlparse(url).path)
        if guessed is None:
            return "text/html"
        return guessed if guessed in self.file_formats else "application/octet-stream"

    def _results(self, activity: etree._Element, project: Project) -> None:
        for item in project.results.all():
            result = self._sub(activity, "result", type=item.type)
            self._narratives(self._sub(result, "title"), item.title)
            if any((v or "").strip() for v in (item.description or {}).values()):
                self._narratives(self._sub(result, "description"), item.description)
            for source in item.indicators.all():
                qualitative = source.measure == "5"
                indicator = self._sub(
                    result,
                    "indicator",
                    measure=source.measure,
                    ascending="1" if source.ascending else "0",
                )
                self._narratives(self._sub(indicator, "title"), source.title)
                if source.baseline_year:
                    baseline = self._sub(indicator, "baseline", year=source.baseline_year)
                    if source.baseline_value is not None and not qualitative:
                        baseline.set("value", number(source.baseline_value))
                for span in source.periods.all():
                    period = self._sub(indicator, "period")
                    self._sub(period, "period-start", iso_date=span.starts_on.isoformat())
                    self._sub(period, "period-end", iso_date=span.ends_on.isoformat())
                    for tag, measured in (
                        ("target", span.target_value),
                        ("actual", span.actual_value),
                    ):
                        with_comment = tag == "actual" or span.actual_value is None
                        comment = span.comment if with_comment else ""
                        if measured is None and not (qualitative and comment):
                            continue
                        element = self._sub(period, tag)
                        if measured is not None and not qualitative:
                            element.set("value", number(measured))
                        if comment:
                            self._narratives(self._sub(element, "comment"), self._plain(comment))


# --- Producing the file ------------------------------------------------------------------------


class _Sink:
    """What xmlfile writes into, emptied after each activity (streaming keeps memory flat)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _project_title(project: Project) -> str:
    return translate(project.title) or project.slug


def _check(
    builder: ActivityBuilder,
    project: Project,
    today: datetime.date,
    identifiers: set[str],
    report: ExportReport,
) -> etree._Element | None:
    """The project's activity if it passes every check (its identifier then joins
    `identifiers`), else None with the project in `report.excluded`; warnings go to `report`."""
    activity, problems = builder.build(project)
    problems += validate_activity(activity, today=today)
    identifier = (activity.findtext("iati-identifier") or "").strip()
    if identifier in identifiers:
        problems.append(
            Problem(
                _(
                    "The IATI identifier “%(id)s” is already used by another project of "
                    "this file; give each project its own identifier."
                )
                % {"id": identifier},
                rule="unique",
            )
        )
    errors = [p.message for p in problems if p.severity == ERROR]
    title = _project_title(project)
    report.warnings += [(title, p.message) for p in problems if p.severity == WARNING]
    if errors:
        report.excluded.append(
            ExcludedProject(pk=project.pk, slug=project.slug, title=title, problems=errors)
        )
        return None
    identifiers.add(identifier)
    report.exported += 1
    return activity


def _refusal(member: MemberAuthority) -> str:
    return _(
        "%(authority)s has no IATI organisation id: give its SIREN number (or its IATI "
        "organisation id) in the directory of authorities, then export again."
    ) % {"authority": member.authority.name}


def project_problems(
    member: MemberAuthority,
    project_id: int,
    *,
    base_url: str = "",
    today: datetime.date | None = None,
) -> list[Problem]:
    """Why one project of the member, published or not yet, would be left out of the IATI
    file: the errors of the export's own checks on its activity, as `valid_activities` runs
    them (empty: it would be in), each with its rule (`rules.IDENTIFIER_RULES` tells those of
    the identifier). The uniqueness of its identifier among the file's others is not checked
    here. A fixed number of queries."""
    today = today or timezone.localdate()
    builder = ActivityBuilder(
        member, base_url=base_url, oda_lists=oda_recipients_by_year(), today=today
    )
    if not builder.org_id:
        return [Problem(_refusal(member), rule="org-id")]
    project = iati_projects(member, Project.objects.filter(pk=project_id)).first()
    if project is None:
        return []
    activity, problems = builder.build(project)
    problems += validate_activity(activity, today=today)
    return [p for p in problems if p.severity == ERROR]


def valid_activities(
    member: MemberAuthority,
    report: ExportReport,
    *,
    base_url: str = "",
    today: datetime.date | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[etree._Element]:
    """The activities that pass every check; the others go into `report.excluded`."""
    today = today or timezone.localdate()
    builder = ActivityBuilder(
        member, base_url=base_url, oda_lists=oda_recipients_by_year(), today=today
    )
    report.org_id = builder.org_id
    if not builder.org_id:
        report.refused = _refusal(member)
        return
    identifiers: set[str] = set()
    for project in iati_projects(member).iterator(chunk_size=chunk_size):
        activity = _check(builder, project, today, identifiers, report)
        if activity is not None:
            yield activity


# --- The file, chunk by chunk, kept in the cache -----------------------------------------------

# Bump when what the export writes changes: chunks kept by an older version are then not read.
EXPORT_VERSION = 1
# A chunk is kept under the authority's page generations (core/cache.py), which every write of
# its records or of the directory (reference data included: the ODA lists) changes; the
# timeout only bounds what a write around the services changed.
CHUNK_TIMEOUT = 10 * 60


@dataclass
class Chunk:
    """Up to `chunk_size` projects' worth of the file, in the order of their keys: the bytes
    of their valid activities as the file writes them, and what the report says of them."""

    xml: bytes
    report: ExportReport
    identifiers: list[str]  # of the activities written, for the next chunks' uniqueness check
    last_pk: int  # the last project read (0: none)
    complete: bool  # no project after this chunk


class _Chunks:
    """The file's chunks, read from the cache when it has them (`cached`), else built from the
    database: keyset pages of `iati_projects` (the same prefetch queries a chunk as the
    iterator they replace), each activity built, checked and serialised once."""

    def __init__(
        self,
        member: MemberAuthority,
        *,
        base_url: str,
        today: datetime.date,
        chunk_size: int,
        cached: bool,
    ) -> None:
        self.member = member
        self.base_url = base_url
        self.today = today
        self.chunk_size = chunk_size
        self.cached = cached
        self._builder: ActivityBuilder | None = None

    def builder(self) -> ActivityBuilder:
        if self._builder is None:  # the ODA lists are read only when a chunk is built
            self._builder = ActivityBuilder(
                self.member,
                base_url=self.base_url,
                oda_lists=oda_recipients_by_year(),
                today=self.today,
            )
        return self._builder

    def __iter__(self) -> Iterator[Chunk]:
        identifiers: set[str] = set()
        after, index = 0, 0
        generations: Any = None
        prefix = self._key_prefix()
        while True:
            key = f"{prefix}:{index}"
            chunk = None
            if self.cached:
                # The first read brings the generations; every chunk must have been built under
                # those (a write during the export changes nothing of what this file reads).
                if generations is None:
                    generations, entry = with_generations(self.member.pk, key)
                else:
                    entry = cache.get(key)
                if (
                    isinstance(entry, dict)
                    and entry.get("generations") == generations
                    and entry.get("after") == after
                ):
                    chunk = entry["chunk"]
            if chunk is None:
                chunk = self._build(after, identifiers)
                if self.cached:
                    entry = {"generations": generations, "after": after, "chunk": chunk}
                    cache.set(key, entry, CHUNK_TIMEOUT)
            identifiers.update(chunk.identifiers)
            complete, last_pk = chunk.complete, chunk.last_pk
            yield chunk
            # Let the chunk go before the next is read: one chunk's worth at a time.
            chunk = entry = None
            if complete:
                return
            after, index = last_pk, index + 1

    def _key_prefix(self) -> str:
        what = "|".join(
            (
                str(EXPORT_VERSION),
                get_language() or "",
                settings.LANGUAGE_CODE,
                self.today.isoformat(),
                self.base_url,
                str(self.chunk_size),
            )
        )
        digest = hashlib.sha256(what.encode()).hexdigest()[:32]
        return f"jumelage:iati-export:{self.member.pk}:{digest}"

    def _build(self, after: int, identifiers: set[str]) -> Chunk:
        builder = self.builder()
        projects = list(iati_projects(self.member).filter(pk__gt=after)[: self.chunk_size])
        report = ExportReport(authority=self.member.authority.name)
        seen = set(identifiers)
        written: list[str] = []
        parts: list[bytes] = []
        sink = _Sink()
        # Each activity serialised by xmlfile inside the root element, as the file writes it.
        with etree.xmlfile(sink, encoding="utf-8") as xf, xf.element("iati-activities"):
            xf.write("\n")
            xf.flush()
            sink.take()
            for project in projects:
                activity = _check(builder, project, self.today, seen, report)
                if activity is None:
                    continue
                written.append((activity.findtext("iati-identifier") or "").strip())
                xf.write(activity, pretty_print=True)
                xf.flush()
                parts.append(sink.take())
        chunk = Chunk(
            xml=b"".join(parts),
            report=report,
            identifiers=written,
            last_pk=projects[-1].pk if projects else after,
            complete=len(projects) < self.chunk_size,
        )
        if not chunk.complete:
            # The chunk's model instances point at each other (a prefetched row and its
            # parent), so only the cycle collector frees them: collect before the next chunk,
            # so that memory stays one chunk's worth however long the file (a few ms a chunk).
            del projects
            gc.collect()
        return chunk


def iter_activities_xml(
    member: MemberAuthority,
    report: ExportReport | None = None,
    *,
    base_url: str = "",
    today: datetime.date | None = None,
    chunk_size: int = CHUNK_SIZE,
    cached: bool = False,
) -> Iterator[bytes]:
    """The IATI file as byte chunks; nothing at all if no activity is valid (the XSD wants at
    least one iati-activity, so an empty file would be an invalid one).

    `cached` (the public file): chunks built under the authority's current page generations
    are read from the cache, and the ones built are kept there; the bytes are the same.
    """
    report = report if report is not None else ExportReport(authority=member.authority.name)
    report.org_id = member.authority.default_iati_org_id()
    if not report.org_id:
        report.refused = _refusal(member)
        return
    chunks = _Chunks(
        member,
        base_url=base_url,
        today=today or timezone.localdate(),
        chunk_size=chunk_size,
        cached=cached,
    )
    found = iter(chunks)
    first: Chunk | None
    while (first := next(found, None)) is not None:
        _add(report, first.report)
        if first.xml:
            break
    if first is None:
        return
    sink = _Sink()
    generated = timezone.now().astimezone(datetime.UTC).replace(microsecond=0).isoformat()
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(
            "iati-activities", {"version": IATI_VERSION, "generated-datetime": generated}
        ):
            xf.write("\n")
            xf.flush()
            # The activities' bytes, as xmlfile wrote them, go straight after what it flushed;
            # no chunk is kept once it is handed on (memory: one chunk's worth at a time).
            yield sink.take()
            xml, first = first.xml, None
            yield xml
            following: Chunk | None
            while (following := next(found, None)) is not None:
                _add(report, following.report)
                xml, following = following.xml, None
                yield xml
                xml = b""
    yield sink.take()


def _add(report: ExportReport, part: ExportReport) -> None:
    report.exported += part.exported
    report.excluded += part.excluded
    report.warnings += part.warnings


def write_activities(member: MemberAuthority, output: IO[bytes], **options: Any) -> ExportReport:
    """Write the file into `output` and return what was exported and left out."""
    report = ExportReport(authority=member.authority.name)
    for chunk in iter_activities_xml(member, report, **options):
        output.write(chunk)
    return report


def check_export(member: MemberAuthority, **options: Any) -> ExportReport:
    """Run the export's checks without writing anything (for the back-office page)."""
    report = ExportReport(authority=member.authority.name)
    for _activity in valid_activities(member, report, **options):
        pass
    return report
