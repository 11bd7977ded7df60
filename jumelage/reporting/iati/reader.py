"""Reading other publishers' IATI activity files: safely, by streaming, and leniently.

Hostile input is refused before anything is written: a file above the size limit, anything
that is not well-formed XML, any DOCTYPE (IATI never needs one; it is how entity expansion,
"billion laughs", and external entities, XXE, get in), and a root other than iati-activities.
The parser itself expands no entity, loads no DTD, touches no network and refuses huge text
nodes. Real files are often imperfect (GUIDE.md §9): schema, codelist and rule findings are
warnings, and an activity is read as long as it has an identifier. Files in the retired 1.0x
shape are read too, their old codes converted (`legacy.py`), with one warning saying so.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from lxml import etree

from jumelage.core.money import CENT
from jumelage.reporting.iati.legacy import DATE_TYPES, looks_legacy, upgrade_codes
from jumelage.reporting.iati.problems import parse_date, parse_datetime, parse_decimal
from jumelage.reporting.iati.reference import XML_LANG
from jumelage.reporting.iati.validate import validate_activity

# Bump when the reading changes, so that the next import rewrites every activity once (2: the
# hash is of the activity as lxml serialises it, no longer of its canonical form; 3: with what
# the file's root says of it, its IATI version and default language).
PARSER_VERSION = b"jumelage-iati-reader-3"
SUPPORTED_VERSIONS = {"2.01", "2.02", "2.03"}
MAX_IDENTIFIER = 300
MAX_ORG_REF = 200
MAX_SECTOR_CODE = 100
MAX_REGION_CODE = 20
MAX_PERCENTAGE = Decimal(1000)
# Above any real amount, even in currencies of many digits; totals must fit the model's 20.
MAX_AMOUNT = Decimal(10) ** 18
MAX_TOTAL = Decimal(10) ** 20
# What some publishers' tools write when they have no identifier: not an organisation id.
PLACEHOLDER_REFS = {"null", "none", "nil", "n/a", "na", "-", "0", "unknown", "not available"}
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
TOTALS = {"1": "incoming", "2": "commitment", "3": "disbursement", "4": "expenditure"}
TOTAL_NAMES = {
    "budget": _lazy("budget"),
    "incoming": _lazy("incoming funds"),
    "commitment": _lazy("commitments"),
    "disbursement": _lazy("disbursements"),
    "expenditure": _lazy("expenditure"),
}


class ImportRefused(Exception):
    """The file cannot be imported at all; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LimitedReader:
    """A binary stream that refuses to give more than `limit` bytes, and hashes what it gives."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.stream = stream
        self.limit = limit
        self.count = 0
        self.sha256 = hashlib.sha256()
        self._head = b""

    # A DOCTYPE comes before the root element; the parser is never given one. Looked for in
    # the first bytes, before parsing: newer libxml2 versions stop on an entity bomb inside the
    # declaration before the parser reports the root element, which would hide the real reason.
    HEAD = 1 << 16

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size if size and size > 0 else 1 << 16)
        if self.count < self.HEAD:
            self._head += data[: self.HEAD]
            if b"<!DOCTYPE" in self._head:
                raise ImportRefused(doctype_message())
        self.count += len(data)
        if self.count > self.limit:
            raise ImportRefused(too_big_message(self.limit))
        self.sha256.update(data)
        return data


def doctype_message() -> str:
    return _(
        "The file declares a document type (DOCTYPE). IATI files never need one, "
        "and it is how entity-expansion and external-entity attacks get in, so "
        "the file was refused. Ask the publisher for a plain IATI XML file."
    )


def too_big_message(limit: int, size: int | None = None) -> str:
    """Refusal of a file above the limit (its size when known before reading)."""
    if size is None:
        size_text = _("The file is larger than %(limit)s; it was refused.")
    else:
        size_text = _("The file is %(size)s, larger than the %(limit)s allowed; it was refused.")
    return (
        size_text
        + " "
        + _(
            "Split it (for example by country or by year), or ask the administrator to raise the "
            "IATI_IMPORT_MAX_BYTES setting."
        )
    ) % {"size": filesizeformat(size or 0), "limit": filesizeformat(limit)}


@dataclass
class ParsedOrg:
    ref: str
    type: str
    names: dict[str, str]


@dataclass
class ParsedParticipation:
    role: str
    org: ParsedOrg
    their_activity_id: str = ""


@dataclass
class ParsedActivity:
    identifier: str
    content_hash: str
    version: str = ""
    reporting_org: ParsedOrg | None = None
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    status: str = ""
    dates: dict[str, datetime.date] = field(default_factory=dict)
    currency: str = ""
    totals: dict[str, Decimal] = field(default_factory=dict)
    last_updated: datetime.datetime | None = None
    participations: list[ParsedParticipation] = field(default_factory=list)
    sectors: list[tuple[str, str, Decimal | None]] = field(default_factory=list)
    countries: list[tuple[str, Decimal | None]] = field(default_factory=list)
    regions: list[tuple[str, str, Decimal | None]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Stored already with this content: not read beyond its identifier and hash; `warnings`
    # are the ones recorded with it (ActivityFileReader's `recorded`).
    unchanged: bool = False


@dataclass(frozen=True)
class _Identity:
    identifier: str
    content_hash: str
    version: str
    legacy: bool


# {(identifier, content hash): the warnings recorded with it} of the activities stored already
# with that content, among those asked for.
Recorded = Callable[[list[tuple[str, str]]], dict[tuple[str, str], list[str]]]


class ActivityFileReader:
    """Iterate over the activities of an IATI file; file-level warnings gather in `warnings`.

    Raises ImportRefused (from the iteration) for a file that cannot be imported.
    """

    def __init__(
        self,
        stream: IO[bytes],
        *,
        max_bytes: int,
        today: datetime.date,
        recorded: Recorded | None = None,
        batch_size: int = 200,
    ) -> None:
        """`recorded`: asked once per `batch_size` activities which are stored already with
        the same content; those are not read further (no parse of their parts, no schema,
        codelist or rule check) and come back with `unchanged` set."""
        self.source = LimitedReader(stream, max_bytes)
        self.today = today
        self.recorded = recorded
        self.batch_size = batch_size if recorded is not None else 1
        self.version = ""
        self.warnings: list[str] = []
        self._root_lang = ""
        self._legacy_noted = False
        self._single = False

    @property
    def sha256(self) -> str:
        return self.source.sha256.hexdigest()

    def __iter__(self) -> Iterator[ParsedActivity]:
        # Events for the two tags read only: lxml parses the rest without a Python step.
        context = etree.iterparse(
            self.source,
            events=("start", "end"),
            tag=("iati-activities", "iati-activity"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        root: etree._Element | None = None
        found = 0
        # Activities identified, kept until their batch is read; then freed with what came
        # before them, so that memory stays flat.
        pending: list[tuple[etree._Element, _Identity]] = []
        try:
            for event, element in context:
                if root is None:
                    root = element.getroottree().getroot()
                    self._check_root(root)
                if event == "start":
                    continue
                # An activity is complete at the end of a direct child of the root, or at the
                # end of the root itself for a lone activity saved without the wrapper.
                if element.tag != "iati-activity" or not (
                    element is root if self._single else element.getparent() is root
                ):
                    continue
                found += 1
                identity = self._identify(element)
                if identity is not None:
                    pending.append((element, identity))
                    if len(pending) >= self.batch_size:
                        yield from self._read_batch(pending)
                        pending = []
                    continue
                if pending:
                    continue  # freed with the batch it follows
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del element.getparent()[0]
            yield from self._read_batch(pending)
            if root is None and context.root is not None:
                self._check_root(context.root)  # no element of either tag: refused for its root
        except etree.XMLSyntaxError as error:
            raise ImportRefused(
                _(
                    "The file is not well-formed XML (line %(line)s: %(error)s); it was "
                    "refused. Check that it is an IATI activity file and that it was not cut "
                    "short."
                )
                % {"line": error.lineno or "?", "error": error.msg}
            ) from error
        if found == 0:
            raise ImportRefused(
                _(
                    "The file holds no iati-activity element, so there is nothing to import; "
                    "check that you chose an IATI activity file."
                )
            )

    # --- the file ------------------------------------------------------------------------

    def _check_root(self, root: etree._Element) -> None:
        if root.getroottree().docinfo.doctype:
            raise ImportRefused(doctype_message())
        if root.tag == "iati-activity":
            self._single = True
            self.warnings.append(
                _(
                    "The file holds one iati-activity without the iati-activities element "
                    "around it; it was read as a file of one activity."
                )
            )
            return
        if root.tag != "iati-activities":
            raise ImportRefused(
                _(
                    "The file's root element is “%(root)s”, not “iati-activities”: it is not "
                    "an IATI activity file. Choose the publisher's activity file (not its "
                    "organisation file)."
                )
                % {"root": root.tag}
            )
        self.version = (root.get("version") or "").strip()
        self._root_lang = _language(root.get(XML_LANG))
        if self.version[:2] not in ("", "1.") and self.version not in SUPPORTED_VERSIONS:
            self.warnings.append(
                _("The file says IATI version %(version)s; it was read as version 2.03.")
                % {"version": self.version}
            )

    def _activity_version(self, activity: etree._Element) -> str:
        if self.version:
            return self.version
        # Datastore and d-portal re-exports drop the root's @version and put it on each
        # activity in their own namespace (iati-extra:version), GUIDE §9.
        for name, value in activity.attrib.items():
            if name.startswith("{") and etree.QName(name).localname == "version":
                return value.strip()
        return ""

    # --- one activity --------------------------------------------------------------------

    def _read_batch(
        self, pending: list[tuple[etree._Element, _Identity]]
    ) -> Iterator[ParsedActivity]:
        """The batch's activities in file order: those stored already with the same content
        as recorded, the others read in full; then free them and what came before."""
        if not pending:
            return
        recorded: dict[tuple[str, str], list[str]] = {}
        if self.recorded is not None:
            recorded = self.recorded([(i.identifier, i.content_hash) for _e, i in pending])
        for element, identity in pending:
            warnings = recorded.get((identity.identifier, identity.content_hash))
            if warnings is not None:
                yield ParsedActivity(
                    identifier=identity.identifier,
                    content_hash=identity.content_hash,
                    version=identity.version,
                    warnings=list(warnings),
                    unchanged=True,
                )
            else:
                yield self._read_parts(element, identity)
        last = pending[-1][0]
        for element, _identity in pending:
            element.clear(keep_tail=False)
        while last.getprevious() is not None:
            del last.getparent()[0]

    def _identify(self, activity: etree._Element) -> _Identity | None:
        """The activity's identifier and the hash of its content (None, with a warning, for
        an activity that cannot be imported)."""
        raw_identifier = activity.findtext("iati-identifier") or ""
        identifier = raw_identifier.strip()
        if not identifier:
            self.warnings.append(
                _(
                    "An activity without iati-identifier was skipped: it cannot be matched "
                    "with later imports."
                )
            )
            return None
        if len(identifier) > MAX_IDENTIFIER:
            self.warnings.append(
                _("The activity “%(id)s…” was skipped: its identifier is too long.")
                % {"id": identifier[:60]}
            )
            return None
        version = self._activity_version(activity)
        digest = hashlib.sha256(PARSER_VERSION)
        # The activity as lxml serialises it (three times cheaper than its canonical form, C14N):
        # the same bytes give the same hash, and so does a change of quoting or of `<a></a>` to
        # `<a/>`; a change of attribute order, of namespace prefix or of whitespace inside the
        # activity counts as a change (the activity is then read and written again, no harm).
        digest.update(etree.tostring(activity, with_tail=False))
        # The same activity reads differently under another root: its version decides the
        # codes (legacy or not), its xml:lang the language of narratives that give none.
        digest.update(b"\0" + version.encode() + b"\0" + self._root_lang.encode())
        legacy = version.startswith("1.") or (not version and looks_legacy(activity))
        if legacy:
            self._note_legacy(version)
        return _Identity(identifier, digest.hexdigest(), version, legacy)

    def _read_parts(self, activity: etree._Element, identity: _Identity) -> ParsedActivity:
        legacy = identity.legacy
        if legacy:
            upgrade_codes(activity)
        parsed = ParsedActivity(
            identifier=identity.identifier,
            content_hash=identity.content_hash,
            version=identity.version,
        )
        lang = _language(activity.get(XML_LANG)) or self._root_lang or "en"
        texts = _Texts(lang, parsed.warnings)

        reporting = activity.find("reporting-org")
        if reporting is not None:
            parsed.reporting_org = self._org(reporting, texts, parsed)
        parsed.title = texts.read(activity.find("title"))
        descriptions = activity.findall("description")
        general = [d for d in descriptions if d.get("type") in (None, "", "1")] or descriptions
        if general:
            parsed.description = texts.read(general[0])
        parsed.status = _attribute(activity.find("activity-status"), "code")[:2]
        for element in activity.iterfind("activity-date"):
            kind = (element.get("type") or "").strip()
            # 1.x date types are still met in files converted to 2.0x.
            kind = DATE_TYPES.get(kind.lower(), kind)
            date = parse_date(element.get("iso-date"))
            if date is not None and kind in ("1", "2", "3", "4"):
                parsed.dates.setdefault(kind, date)
        parsed.last_updated = parse_datetime(activity.get("last-updated-datetime"))
        currency = _attribute(activity, "default-currency").upper()
        if not currency:
            currency = _attribute(activity.find("*/value[@currency]"), "currency").upper()
        parsed.currency = currency if _CURRENCY.match(currency) else ""

        for org in activity.iterfind("participating-org"):
            parsed.participations.append(
                ParsedParticipation(
                    role=(org.get("role") or "").strip()[:2],
                    org=self._org(org, texts, parsed),
                    their_activity_id=(org.get("activity-id") or "").strip()[:MAX_IDENTIFIER],
                )
            )
        self._geography_and_sectors(activity, parsed)
        self._money(activity, parsed)
        if not legacy:
            parsed.warnings += [
                p.message for p in validate_activity(activity, today=self.today, strict=False)
            ]
        return parsed

    def _note_legacy(self, version: str) -> None:
        """One file-level warning for activities in the retired 1.0x shape. They are not
        checked against the 2.03 schema and rules: every element would be reported."""
        if self._legacy_noted:
            return
        self._legacy_noted = True
        self.warnings.append(
            _(
                "The file is in the IATI %(version)s format, retired in 2019: its old codes were "
                "converted and its activities were read without the 2.03 schema and rule "
                "checks. Ask the publisher for a file in version 2.03 when you can."
            )
            % {"version": version or "1.0x"}
        )

    def _org(self, element: etree._Element, texts: _Texts, parsed: ParsedActivity) -> ParsedOrg:
        ref = (element.get("ref") or "").strip()
        if ref.lower() in PLACEHOLDER_REFS:
            ref = ""
        if len(ref) > MAX_ORG_REF:
            parsed.warnings.append(
                _("The organisation id “%(ref)s…” is too long; the organisation was kept by name.")
                % {"ref": ref[:60]}
            )
            ref = ""
        return ParsedOrg(
            ref=ref, type=(element.get("type") or "").strip()[:4], names=texts.read(element)
        )

    def _geography_and_sectors(self, activity: etree._Element, parsed: ParsedActivity) -> None:
        # At activity level, or else on the transactions (IATI allows either, rule 3.6.2).
        sectors = activity.findall("sector") or activity.findall("transaction/sector")
        countries = activity.findall("recipient-country") or activity.findall(
            "transaction/recipient-country"
        )
        regions = activity.findall("recipient-region") or activity.findall(
            "transaction/recipient-region"
        )
        seen: set[tuple[str, ...]] = set()
        for sector in sectors:
            vocabulary = (sector.get("vocabulary") or "1").strip()[:3]
            code = (sector.get("code") or "").strip()
            if not code or len(code) > MAX_SECTOR_CODE or (vocabulary, code) in seen:
                continue
            seen.add((vocabulary, code))
            parsed.sectors.append((vocabulary, code, self._percentage(sector, parsed)))
        for country in countries:
            code = (country.get("code") or "").strip().upper()
            if not code or (code,) in seen:
                continue
            if len(code) > 3:
                parsed.warnings.append(
                    _("The recipient country “%(code)s” is not a country code; it was skipped.")
                    % {"code": code[:40]}
                )
                continue
            seen.add((code,))
            parsed.countries.append((code, self._percentage(country, parsed)))
        for region in regions:
            vocabulary = (region.get("vocabulary") or "1").strip()[:3]
            code = (region.get("code") or "").strip()
            if not code or len(code) > MAX_REGION_CODE or ("region", vocabulary, code) in seen:
                continue
            seen.add(("region", vocabulary, code))
            parsed.regions.append((vocabulary, code, self._percentage(region, parsed)))

    @staticmethod
    def _percentage(element: etree._Element, parsed: ParsedActivity) -> Decimal | None:
        raw = element.get("percentage")
        if raw is None or not raw.strip():
            return None
        value = parse_decimal(raw)
        if value is None or abs(value) >= MAX_PERCENTAGE:
            parsed.warnings.append(
                _("The percentage “%(value)s” is not a usable number; it was left empty.")
                % {"value": raw[:40]}
            )
            return None
        return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)

    def _money(self, activity: etree._Element, parsed: ParsedActivity) -> None:
        """Budget and transaction totals in the activity's currency. A revised budget (type 2)
        replaces the original ones of the same period; amounts in another currency are not
        added up (no exchange rate is assumed)."""
        other_currency = False

        def amount(value: etree._Element | None) -> Decimal | None:
            nonlocal other_currency
            if value is None:
                return None
            number = parse_decimal(value.text)
            if number is None or abs(number) >= MAX_AMOUNT:
                parsed.warnings.append(
                    _(
                        "The amount “%(value)s” is not a number, or not a real amount; it was "
                        "left out of the totals."
                    )
                    % {"value": (value.text or "").strip()[:40]}
                )
                return None
            currency = (value.get("currency") or "").strip().upper() or parsed.currency
            if currency != parsed.currency:
                other_currency = True
                return None
            return number

        periods: dict[tuple[str, str], list[tuple[str, Decimal]]] = {}
        for budget in activity.iterfind("budget"):
            value = amount(budget.find("value"))
            if value is None:
                continue
            start, end = budget.find("period-start"), budget.find("period-end")
            key = (
                start.get("iso-date", "") if start is not None else "",
                end.get("iso-date", "") if end is not None else "",
            )
            periods.setdefault(key, []).append((budget.get("type") or "1", value))
        if periods:
            total = Decimal(0)
            for entries in periods.values():
                revised = [v for kind, v in entries if kind == "2"]
                total += sum(revised or [v for _kind, v in entries], Decimal(0))
            parsed.totals["budget"] = total.quantize(CENT, rounding=ROUND_HALF_UP)
        for transaction in activity.iterfind("transaction"):
            kind = transaction.find("transaction-type")
            name = TOTALS.get((kind.get("code") or "").strip() if kind is not None else "")
            value = amount(transaction.find("value"))
            if name is None or value is None:
                continue
            parsed.totals[name] = (parsed.totals.get(name, Decimal(0)) + value).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
        for name, total in list(parsed.totals.items()):
            if abs(total) >= MAX_TOTAL:
                del parsed.totals[name]
                parsed.warnings.append(
                    _("The %(total)s total is too large to be real; it was left empty.")
                    % {"total": TOTAL_NAMES[name]}
                )
        if other_currency:
            parsed.warnings.append(
                _(
                    "Some amounts are in another currency than %(currency)s; they were left out "
                    "of the totals."
                )
                % {"currency": parsed.currency or _("the activity's currency")}
            )


def _attribute(element: etree._Element | None, name: str) -> str:
    return (element.get(name) or "").strip() if element is not None else ""


def _language(value: str | None) -> str:
    """ISO 639-1 code in lower case ("EN", "en-GB" → "en"); "" when it is not one."""
    code = (value or "").strip().lower().split("-")[0].split("_")[0]
    return code if _LANGUAGE.match(code) else ""


class _Texts:
    """Narratives as {language: text}: the narrative's own xml:lang, else the activity's."""

    def __init__(self, default: str, warnings: list[str]) -> None:
        self.default = default
        self.warnings = warnings

    def read(self, element: etree._Element | None) -> dict[str, str]:
        if element is None:
            return {}
        texts: dict[str, str] = {}
        for narrative in element.iterfind("narrative"):
            text = (narrative.text or "").strip()
            if not text:
                continue
            language = _language(narrative.get(XML_LANG)) or self.default
            texts.setdefault(language, text)
        if not texts:
            # IATI 1.x put the text in the element itself; some 2.0x files still do.
            text = (element.text or "").strip()
            if text:
                texts[self.default] = text
        return texts
