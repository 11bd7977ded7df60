"""The IATI rules the XSD does not check (GUIDE.md §5; rule ids from IATI-Rulesets
standard.json), on one iati-activity element.

They run on the XML element, so the export (where an error leaves the project out) and the
import (where everything is a warning) share them. Messages say what to fix, in plain words.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from jumelage.reporting.iati.codelists import has_agency_prefix
from jumelage.reporting.iati.problems import (
    WARNING,
    Problem,
    first_text,
    iso_date,
    narrative_texts,
    parse_date,
    parse_datetime,
    parse_decimal,
)
from jumelage.reporting.iati.reference import XML_LANG

HUNDRED = Decimal(100)
FORBIDDEN_IN_IDS = "/&|?"
# The rules `_check_identifier` applies to the iati-identifier (the project form shows their
# problems beside the identifier's box).
IDENTIFIER_RULES = frozenset({"1.1", "1.3.1", "1.3.13", "1.1.3", "1.1.21"})


def _check_identifier(activity: etree._Element, problems: list[Problem]) -> None:
    reporting = activity.find("reporting-org")
    org = (reporting.get("ref") or "") if reporting is not None else ""
    raw = activity.findtext("iati-identifier")
    identifier = (raw or "").strip()
    if not identifier:
        problems.append(
            Problem(
                _(
                    "The activity has no IATI identifier; give it one that starts with the "
                    "organisation id followed by a hyphen."
                ),
                rule="1.1",
            )
        )
        return
    if raw != identifier:
        problems.append(
            Problem(
                _("The IATI identifier “%(id)s” starts or ends with a space; remove the space.")
                % {"id": identifier},
                rule="1.3.1",
            )
        )
    if any(char in identifier for char in FORBIDDEN_IN_IDS):
        problems.append(
            Problem(
                _(
                    "The IATI identifier “%(id)s” contains one of the characters / & | ?; "
                    "replace it, for example with a hyphen."
                )
                % {"id": identifier},
                rule="1.3.13",
            )
        )
    if org and identifier == org.strip():
        problems.append(
            Problem(
                _(
                    "The IATI identifier is the organisation id alone; add the project's own "
                    "reference after it, for example “%(id)s-001”."
                )
                % {"id": identifier},
                rule="1.1.3",
            )
        )
        return
    prefixes = [org.strip()] + [
        (other.get("ref") or "").strip()
        for other in activity.iterfind("other-identifier")
        if other.get("type") == "B1"
    ]
    if org and not any(p and identifier.startswith(f"{p}-") for p in prefixes):
        problems.append(
            Problem(
                _(
                    "The IATI identifier “%(id)s” does not start with the organisation id "
                    "“%(org)s” followed by a hyphen; change it to start with “%(org)s-”."
                )
                % {"id": identifier, "org": org},
                rule="1.1.21",
            )
        )


def _check_org_refs(activity: etree._Element, problems: list[Problem]) -> None:
    reporting = activity.find("reporting-org")
    if reporting is not None:
        ref = (reporting.get("ref") or "").strip()
        if ref and not has_agency_prefix(ref):
            problems.append(
                Problem(
                    _(
                        "The organisation id “%(org)s” does not start with a registration agency "
                        "prefix of the IATI list (such as FR-RCS); check it with the IATI "
                        "Registry."
                    )
                    % {"org": ref},
                    rule="1.14.8",
                    severity=WARNING,
                )
            )
        if not narrative_texts(reporting):
            problems.append(
                Problem(_("The reporting organisation has no name; give its name."), rule="xsd")
            )
    for path in (
        "reporting-org",
        "participating-org",
        "transaction/provider-org",
        "transaction/receiver-org",
    ):
        for org in activity.iterfind(path):
            ref = org.get("ref")
            if ref and (ref != ref.strip() or any(c in ref for c in FORBIDDEN_IN_IDS)):
                problems.append(
                    Problem(
                        _(
                            "The organisation id “%(org)s” has a space at an end or one of the "
                            "characters / & | ?; correct it."
                        )
                        % {"org": ref},
                        rule="1.14.13",
                        severity=WARNING,
                    )
                )


def _check_texts(activity: etree._Element, problems: list[Problem]) -> None:
    if not narrative_texts(activity.find("title")):
        problems.append(Problem(_("The title is empty; give a title."), rule="4.3.1"))
    descriptions = activity.findall("description")
    if not any(narrative_texts(d) for d in descriptions):
        problems.append(
            Problem(
                _("The description is empty; write a short description."),
                rule="4.4.1",
            )
        )
    if activity.get(XML_LANG) is None:
        for narrative in activity.iter("narrative"):
            if narrative.get(XML_LANG) is None:
                problems.append(
                    Problem(
                        _(
                            "Some texts have no language and the activity has no default "
                            "language; give the language of each text."
                        ),
                        rule="4.1.1",
                    )
                )
                break


def _check_participants(activity: etree._Element, problems: list[Problem]) -> None:
    participants = activity.findall("participating-org")
    if not participants:
        problems.append(
            Problem(
                _("No participating organisation is named; name at least the funding one."),
                rule="xsd",
            )
        )
    for org in participants:
        if not (org.get("ref") or "").strip() and not narrative_texts(org):
            problems.append(
                Problem(
                    _(
                        "A participating organisation has neither an IATI identifier nor a "
                        "name; give at least its name."
                    ),
                    rule="6.10.1",
                )
            )
    for transaction in activity.iterfind("transaction"):
        date = transaction.find("transaction-date")
        when = date.get("iso-date", "") if date is not None else ""
        for tag in ("provider-org", "receiver-org"):
            org = transaction.find(tag)
            if org is not None and not (org.get("ref") or "").strip() and not narrative_texts(org):
                problems.append(
                    Problem(
                        _(
                            "The %(side)s of the transaction of %(date)s has neither an IATI "
                            "identifier nor a name; give at least its name."
                        )
                        % {
                            "side": _("provider") if tag == "provider-org" else _("receiver"),
                            "date": when,
                        },
                        rule="6.9.1" if tag == "provider-org" else "6.9.2",
                    )
                )


def _check_dates(activity: etree._Element, today: datetime.date, problems: list[Problem]) -> None:
    if activity.find("activity-status") is None:
        problems.append(
            Problem(_("The activity status is missing; set the project's status."), rule="xsd")
        )
    dates: dict[str, datetime.date] = {}
    for element in activity.iterfind("activity-date"):
        raw = element.get("iso-date")
        parsed = parse_date(raw)
        if parsed is None:
            problems.append(
                Problem(
                    _("The date “%(date)s” is not a valid date; write it as YYYY-MM-DD.")
                    % {"date": raw or ""},
                    rule="xsd",
                )
            )
            continue
        dates.setdefault(element.get("type", ""), parsed)
    if "1" not in dates and "2" not in dates:
        problems.append(
            Problem(
                _(
                    "Neither a planned nor an actual start date is given; give the project's "
                    "planned start date."
                ),
                rule="6.11.1",
            )
        )
    pairs = (
        ("1", "3", "11.1.2", _("planned")),
        ("2", "4", "11.1.3", _("actual")),
    )
    for start, end, rule, kind in pairs:
        if start in dates and end in dates and dates[end] < dates[start]:
            problems.append(
                Problem(
                    _(
                        "The %(kind)s end date (%(end)s) comes before the %(kind)s start date "
                        "(%(start)s); correct one of them."
                    )
                    % {"kind": kind, "end": dates[end], "start": dates[start]},
                    rule=rule,
                )
            )
    if dates.get("2") and dates["2"] > today:
        problems.append(
            Problem(
                _(
                    "The actual start date (%(date)s) is in the future; leave it empty until "
                    "the project really starts, and give the planned start date instead."
                )
                % {"date": dates["2"]},
                rule="11.1.4",
            )
        )
    if dates.get("4") and dates["4"] > today:
        problems.append(
            Problem(
                _(
                    "The actual end date (%(date)s) is in the future; leave it empty until the "
                    "project really ends, and give the planned end date instead."
                )
                % {"date": dates["4"]},
                rule="11.1.5",
            )
        )
    updated = parse_datetime(activity.get("last-updated-datetime"))
    if updated is not None and updated.date() > today + datetime.timedelta(days=1):
        problems.append(
            Problem(
                _("The last update time is in the future; check the server's clock."),
                rule="11.1.1",
            )
        )


def _check_money(activity: etree._Element, today: datetime.date, problems: list[Problem]) -> None:
    has_default_currency = bool(activity.get("default-currency"))
    missing_currency = False
    for budget in activity.iterfind("budget"):
        start, end = iso_date(budget, "period-start"), iso_date(budget, "period-end")
        value = budget.find("value")
        if value is not None and not value.get("currency") and not has_default_currency:
            missing_currency = True
        if start is None or end is None:
            continue
        if end <= start:
            problems.append(
                Problem(
                    _(
                        "A budget period from %(start)s to %(end)s does not end after it "
                        "starts; correct its dates."
                    )
                    % {"start": start, "end": end},
                    rule="8.6.3",
                )
            )
        elif _more_than_a_year(start, end):
            problems.append(
                Problem(
                    _(
                        "A budget period from %(start)s to %(end)s is longer than one year; "
                        "split the budget into yearly amounts."
                    )
                    % {"start": start, "end": end},
                    rule="7.5.3",
                )
            )
    for transaction in activity.iterfind("transaction"):
        date = iso_date(transaction, "transaction-date")
        value = transaction.find("value")
        if value is not None and not value.get("currency") and not has_default_currency:
            missing_currency = True
        if date is not None and date > today:
            problems.append(
                Problem(
                    _(
                        "A transaction is dated %(date)s, in the future; record a transaction "
                        "only once it has happened."
                    )
                    % {"date": date},
                    rule="11.2.1",
                )
            )
        value_date = parse_date(value.get("value-date")) if value is not None else None
        if value_date is not None and value_date > today:
            problems.append(
                Problem(
                    _(
                        "A transaction has a value date of %(date)s, in the future; use the "
                        "date the money moved."
                    )
                    % {"date": value_date},
                    rule="11.2.2",
                )
            )
    if missing_currency:
        problems.append(
            Problem(
                _(
                    "Some amounts have no currency and the activity has no default currency; "
                    "give the currency."
                ),
                rule="7.8.1",
            )
        )


def _more_than_a_year(start: datetime.date, end: datetime.date) -> bool:
    try:
        one_year_on = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        one_year_on = start.replace(year=start.year + 1, day=28)
    return end >= one_year_on


def _percentages(
    elements: Iterable[etree._Element], what: str, problems: list[Problem]
) -> list[Decimal | None]:
    """Each element's @percentage (None where absent); a value outside 0..100 is reported."""
    values: list[Decimal | None] = []
    for element in elements:
        raw = element.get("percentage")
        if raw is None or raw.strip() == "":
            values.append(None)
            continue
        value = parse_decimal(raw)
        if value is None or not Decimal(0) <= value <= HUNDRED:
            problems.append(
                Problem(
                    _(
                        "The percentage “%(value)s” of a %(what)s is not a number between 0 and "
                        "100; correct it."
                    )
                    % {"value": raw, "what": what},
                    rule="12.1.1",
                )
            )
            values.append(None)
            continue
        values.append(value)
    return values


def _check_split(
    values: list[Decimal | None], *, what: str, rules: tuple[str, str, str], problems: list[Problem]
) -> None:
    """Shares of one split: each given when there are several, summing to exactly 100."""
    each_rule, sum_rule, single_rule = rules
    if len(values) == 1:
        only = values[0]
        if only is not None and only != HUNDRED:
            problems.append(
                Problem(
                    _(
                        "The only %(what)s has a percentage of %(value)s; set it to 100 or "
                        "leave it empty."
                    )
                    % {"what": what, "value": _number(only)},
                    rule=single_rule,
                )
            )
        return
    if any(value is None for value in values):
        problems.append(
            Problem(
                _(
                    "There are several %(what)s entries but some have no percentage; give a "
                    "percentage to each."
                )
                % {"what": what},
                rule=each_rule,
            )
        )
        return
    total = sum((value for value in values if value is not None), Decimal(0))
    if total != HUNDRED:
        problems.append(
            Problem(
                _("The %(what)s percentages add up to %(total)s; make them add up to exactly 100.")
                % {"what": what, "total": _number(total)},
                rule=sum_rule,
            )
        )


def _number(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _check_sectors(activity: etree._Element, problems: list[Problem]) -> None:
    sectors = activity.findall("sector")
    transactions = activity.findall("transaction")
    on_transactions = [t for t in transactions if t.find("sector") is not None]
    if not sectors and not (transactions and len(on_transactions) == len(transactions)):
        if on_transactions:
            problems.append(
                Problem(
                    _(
                        "Sectors are given on some transactions only; give them on every "
                        "transaction, or once for the whole activity."
                    ),
                    rule="6.7.2",
                )
            )
        else:
            problems.append(
                Problem(
                    _(
                        "No sector is given; add at least one DAC sector (CRS purpose code) "
                        "to the project."
                    ),
                    rule="6.2.2",
                )
            )
    if sectors and on_transactions:
        problems.append(
            Problem(
                _(
                    "Sectors are given both for the activity and on transactions; give them in "
                    "one place only."
                ),
                rule="6.6.2",
            )
        )
    by_vocabulary: dict[str, list[etree._Element]] = defaultdict(list)
    for sector in sectors:
        by_vocabulary[sector.get("vocabulary") or "1"].append(sector)
        if sector.get("vocabulary") in ("98", "99") and not narrative_texts(sector):
            problems.append(
                Problem(
                    _(
                        "The sector “%(code)s” of the organisation's own vocabulary has no "
                        "name; give its name."
                    )
                    % {"code": sector.get("code", "")},
                    rule="2.2.1",
                )
            )
    for vocabulary, group in sorted(by_vocabulary.items()):
        what = (
            _("sector") if vocabulary == "1" else _("sector (vocabulary %(v)s)") % {"v": vocabulary}
        )
        values = _percentages(group, what, problems)
        _check_split(values, what=what, rules=("2.1.1", "2.1.2", "2.1.4"), problems=problems)
    if sectors and "1" not in by_vocabulary and "2" not in by_vocabulary:
        problems.append(
            Problem(
                _(
                    "Only sectors of other vocabularies are given; add the matching DAC sector "
                    "(CRS purpose code) as well."
                ),
                rule="102.1.1",
                severity=WARNING,
            )
        )


def _check_recipients(activity: etree._Element, problems: list[Problem]) -> None:
    countries = activity.findall("recipient-country")
    regions = activity.findall("recipient-region")
    transactions = activity.findall("transaction")
    on_transactions = [
        t
        for t in transactions
        if t.find("recipient-country") is not None or t.find("recipient-region") is not None
    ]
    at_activity = bool(countries or regions)
    if not at_activity and not (transactions and len(on_transactions) == len(transactions)):
        problems.append(
            Problem(
                _(
                    "No recipient country or region is given; add the country where the "
                    "project takes place."
                ),
                rule="3.7.1",
            )
        )
    if at_activity and on_transactions:
        problems.append(
            Problem(
                _(
                    "Recipient countries or regions are given both for the activity and on "
                    "transactions; give them in one place only."
                ),
                rule="3.6.2",
            )
        )
    what = _("recipient country")
    country_values = _percentages(countries, what, problems)
    region_groups: dict[str, list[etree._Element]] = defaultdict(list)
    for region in regions:
        region_groups[region.get("vocabulary") or "1"].append(region)
    if not region_groups:
        if countries:
            _check_split(
                country_values, what=what, rules=("3.1.1", "3.1.2", "3.1.4"), problems=problems
            )
        return
    what = _("recipient country and region")
    for _vocabulary, group in sorted(region_groups.items()):
        values = country_values + _percentages(group, _("recipient region"), problems)
        _check_split(values, what=what, rules=("3.1.1", "3.1.2", "3.1.4"), problems=problems)


def _check_results(activity: etree._Element, problems: list[Problem]) -> None:
    for result in activity.iterfind("result"):
        title = first_text(result, "title") or _("untitled")
        if not narrative_texts(result.find("title")):
            problems.append(Problem(_("A result has no title; give it a title."), rule="xsd"))
        indicators = result.findall("indicator")
        if not indicators:
            problems.append(
                Problem(
                    _(
                        "The result “%(result)s” has no indicator; add at least one indicator, "
                        "or remove the result."
                    )
                    % {"result": title},
                    rule="xsd",
                )
            )
        result_has_reference = result.find("reference") is not None
        for indicator in indicators:
            name = first_text(indicator, "title") or _("untitled")
            if not narrative_texts(indicator.find("title")):
                problems.append(
                    Problem(
                        _("An indicator of the result “%(result)s” has no title; give it one.")
                        % {"result": title},
                        rule="xsd",
                    )
                )
            if result_has_reference and indicator.find("reference") is not None:
                problems.append(
                    Problem(
                        _(
                            "The result “%(result)s” and its indicator “%(indicator)s” both "
                            "carry a reference; keep it in one place only."
                        )
                        % {"result": title, "indicator": name},
                        rule="8.11.1",
                    )
                )
            _check_indicator_values(indicator, name, problems)


def _check_indicator_values(indicator: etree._Element, name: str, problems: list[Problem]) -> None:
    qualitative = indicator.get("measure") == "5"
    measured = [(gettext_lazy("baseline"), "8.8.1", b) for b in indicator.iterfind("baseline")]
    for period in indicator.iterfind("period"):
        start, end = iso_date(period, "period-start"), iso_date(period, "period-end")
        if start is not None and end is not None and end <= start:
            problems.append(
                Problem(
                    _(
                        "A period of the indicator “%(indicator)s” from %(start)s to %(end)s "
                        "does not end after it starts; correct its dates."
                    )
                    % {"indicator": name, "start": start, "end": end},
                    rule="8.6.1",
                )
            )
        measured += [(gettext_lazy("target"), "8.9.1", t) for t in period.iterfind("target")]
        measured += [(gettext_lazy("actual value"), "8.10.1", a) for a in period.iterfind("actual")]
    for what, rule, element in measured:
        raw = element.get("value")
        if qualitative:
            if raw is not None:
                problems.append(
                    Problem(
                        _(
                            "The indicator “%(indicator)s” is qualitative, so its %(what)s "
                            "takes a comment, not a value; move the value into the comment."
                        )
                        % {"indicator": name, "what": what},
                        rule=rule,
                        severity=WARNING,
                    )
                )
        elif raw is None or parse_decimal(raw) is None:
            problems.append(
                Problem(
                    _(
                        "The %(what)s of the indicator “%(indicator)s” has no numeric value; "
                        "give a number."
                    )
                    % {"indicator": name, "what": what},
                    rule=rule,
                )
            )


def _check_classifications(activity: etree._Element, problems: list[Problem]) -> None:
    aid_vocabularies = [a.get("vocabulary") or "1" for a in activity.iterfind("default-aid-type")]
    if len(aid_vocabularies) != len(set(aid_vocabularies)):
        problems.append(
            Problem(
                _("Several default aid types share one vocabulary; keep one per vocabulary."),
                rule="107.1.2",
                severity=WARNING,
            )
        )
    for marker in activity.iterfind("policy-marker"):
        vocabulary = marker.get("vocabulary") or "1"
        if vocabulary == "1" and not marker.get("significance"):
            problems.append(
                Problem(
                    _("The policy marker “%(code)s” has no significance; give its significance.")
                    % {"code": marker.get("code", "")},
                    rule="6.14.1",
                )
            )
        if vocabulary == "99" and not narrative_texts(marker):
            problems.append(
                Problem(
                    _("The organisation's own policy marker “%(code)s” needs a name.")
                    % {"code": marker.get("code", "")},
                    rule="6.13.1",
                )
            )
    for link in activity.iterfind("document-link"):
        if not narrative_texts(link.find("title")):
            problems.append(
                Problem(
                    _("The document “%(url)s” has no title; give it a title.")
                    % {"url": link.get("url", "")},
                    rule="xsd",
                )
            )


def check_rules(activity: etree._Element, *, today: datetime.date) -> list[Problem]:
    """The IATI rules (GUIDE §5) on one activity, in the order a reader fixes them."""
    problems: list[Problem] = []
    _check_identifier(activity, problems)
    _check_org_refs(activity, problems)
    _check_texts(activity, problems)
    _check_participants(activity, problems)
    _check_dates(activity, today, problems)
    _check_recipients(activity, problems)
    _check_sectors(activity, problems)
    _check_money(activity, today, problems)
    _check_results(activity, problems)
    _check_classifications(activity, problems)
    return problems
