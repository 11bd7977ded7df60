"""The machinery of an import: problems, columns, the check of a table and its write."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from jumelage.audit.services import snapshot
from jumelage.partners.models import Authority, MemberAuthority, Partnership
from jumelage.reporting.spreadsheets import cells
from jumelage.reporting.spreadsheets.cells import CellProblem, norm
from jumelage.reporting.spreadsheets.imports.sectors import (
    SectorMatch,
    SectorNames,
    shown_suggestions,
)
from jumelage.reporting.spreadsheets.reading import Table
from jumelage.tenancy.services import check_same_authority, rules_for, run_rules

MAX_KEPT_PROBLEMS = 1000
# A CRS purpose code, maybe followed by its percentage ("14030 60", "14030 : 60 %") or its
# name ("14030 Eau potable", ignored).
_SECTOR = re.compile(r"^(?P<code>\d{5})(?:\s*:?\s*(?P<share>\d+(?:[.,]\d+)?)\s*%?)?(?:\s+\D.*)?$")
# A sector written by its name, maybe followed by its percentage ("Eau potable : 60 %").
_NAMED_SHARE = re.compile(r"^(?P<name>.*?\D)\s*:?\s*(?P<share>\d+(?:[.,]\d+)?)\s*%$")
Progress = Callable[[int, int], None]

# --- Problems ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("Row %(row)s, column “%(column)s”: %(problem)s") % {
                "row": self.row,
                "column": self.column,
                "problem": self.message,
            }
        if self.row is not None:
            return _("Row %(row)s: %(problem)s") % {"row": self.row, "problem": self.message}
        return self.message


# --- What a template holds -----------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    key: str
    header: Promise | str
    parser: str  # the name of a Context method or of a parser in `cells`
    help: Promise | str
    example: str = ""
    required: bool = False
    model_field: str = ""
    choices: type[models.Choices] | None = None
    args: tuple[Any, ...] = ()
    # A field several columns may take, each header matching this pattern ("Budget 2025": the
    # budget of a year): the row's value is then the list of (header, cell) of those columns.
    header_pattern: str = ""

    def takes_header(self, header: str) -> bool:
        return (
            bool(self.header_pattern)
            and re.fullmatch(self.header_pattern, norm(header)) is not None
        )


@dataclass
class Planned:
    """A row checked and ready to write: the record as it will be, and how it changes."""

    row: int
    instance: Any
    action: str  # "create", "update" or "unchanged"
    m2m: dict[str, list[Any]] = field(default_factory=dict)
    countries: list[tuple[str, Decimal | None]] | None = None
    key: Hashable | None = None  # the natural key, when known only once the row is read
    sectors: list[tuple[str, Decimal | None]] | None = None  # CRS purpose codes, to replace
    record_changed: bool = True  # False when only its parts (e.g. a project's countries) change
    # What a kind writes besides the record itself, as its plan() prepared it, by name: a
    # project's financing plan, a partnership's council decision, a visit's participants and
    # cost.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    kind: Any = None  # the ImportKind instance of the run, with its lookups
    problems: list[Problem] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)
    written: bool = False
    # What was read otherwise than written ("Weissenburg" as Weißenburg in Bayern), to confirm.
    notes: list[Problem] = field(default_factory=list)
    # Partner towns written otherwise than the directory has them, with the entries offered.
    towns: list[TownQuestion] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for planned in self.planned:
            counts[planned.action] += 1
        return counts

    @property
    def clean(self) -> bool:
        return not self.problems


@dataclass
class TownQuestion:
    """A town the file names otherwise than the directory ("Weissenburg"): the entry taken (the
    one near match that stands out, or the officer's choice), the others offered, and the
    country written, so that a town missing from the directory can be added on confirmation."""

    row: int
    name: str
    country: str | None
    chosen: int | None
    candidates: list[tuple[int, str]]


class RowProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


class _RollBack(Exception):
    pass


class Context:
    """What the parsers of one import share: the user, the member authority, and reference data
    read once (countries, Atlas themes, the member's partnerships)."""

    def __init__(
        self,
        *,
        user: Any,
        member: MemberAuthority | None,
        choices: dict[str, int] | None = None,
    ) -> None:
        self.user = user
        self.member = member
        self.notes: list[Problem] = []
        # The officer's choice of a directory entry for a town written otherwise, by the
        # town's name as compared (partners.matching.town_key).
        self.choices = dict(choices or {})
        self.towns: list[TownQuestion] = []
        self._countries: cells.Countries | None = None
        self._themes: cells.Themes | None = None
        self._sector_codes: set[str] | None = None
        self._sector_names: SectorNames | None = None
        self._partnerships: tuple[dict[int, Partnership], dict[str, list[Partnership]]] | None = (
            None
        )

    def parse_period(self, value: Any) -> Any:
        return cells.period(value)

    def parse_raw(self, value: Any) -> Any:
        """The cell as it is, for a kind whose domain reads its row as a whole (a payment's
        amount is read by its country: FCFA as XOF or XAF)."""
        return value

    def parse(self, spec: Field, value: Any) -> Any:
        method = getattr(self, f"parse_{spec.parser}", None)
        if method is not None:
            return method(value, *spec.args)
        if spec.choices is not None:
            return cells.choice(spec.choices, *spec.args)(value)
        parser = getattr(cells, spec.parser)
        return parser(*spec.args)(value) if spec.args else parser(value)

    def parse_country(self, value: Any) -> str:
        if self._countries is None:
            self._countries = cells.Countries()
        return self._countries(value)

    def parse_country_shares(self, value: Any) -> list[tuple[str, Decimal | None]]:
        if self._countries is None:
            self._countries = cells.Countries()
        return cells.country_shares(self._countries)(value)

    def parse_sector_shares(self, value: Any) -> list[tuple[str, Decimal | None]]:
        """ "14030" or "14030 Eau potable" or "14030 60; 15112 40" -> [(code, percentage)],
        each code checked against the IATI Sector list when it is loaded."""
        from jumelage.core.models import CodelistItem
        from jumelage.projects.selectors import loaded_codelists

        shares: list[tuple[str, Decimal | None]] = []
        for item in cells.split_list(value):
            match = _SECTOR.match(item.strip())
            if match is None:
                shares.append(self.sector_by_name(item))
                continue
            share = match.group("share")
            shares.append(
                (match.group("code"), Decimal(share.replace(",", ".")) if share else None)
            )
        if self._sector_codes is None:
            loaded = bool(loaded_codelists({"Sector"}))
            self._sector_codes = (
                set(
                    CodelistItem.objects.filter(codelist="Sector", is_active=True).values_list(
                        "code", flat=True
                    )
                )
                if loaded
                else set()
            )
        known = self._sector_codes
        unknown = [code for code, _share in shares if known and code not in known]
        if unknown:
            raise CellProblem(
                _("“%(code)s” is not a code of the IATI list of CRS purpose codes; check it.")
                % {"code": unknown[0]}
            )
        return shares

    def sector_names(self) -> SectorNames:
        if self._sector_names is None:
            self._sector_names = SectorNames()
        return self._sector_names

    def sector_by_name(self, item: str) -> tuple[str, Decimal | None]:
        """A purpose code written by its name, in French or English ("Eau potable",
        "Basic sanitation: 40 %"), from the shipped codelists; else what to write instead."""
        named = _NAMED_SHARE.match(item.strip())
        name, share = (named.group("name"), named.group("share")) if named else (item, None)
        names = self.sector_names()
        found = names.match(name) if names.loaded else SectorMatch(None)
        if found.code is not None:
            return found.code, Decimal(share.replace(",", ".")) if share else None
        if found.category is not None:
            raise CellProblem(
                _(
                    "“%(value)s” is a DAC sector (%(category)s), not a CRS purpose code; choose "
                    "a code, for example %(codes)s."
                )
                % {
                    "value": name,
                    "category": found.category,
                    "codes": shown_suggestions(found.suggestions),
                }
            )
        if found.suggestions:
            raise CellProblem(
                _(
                    "“%(value)s” is not the name of a CRS purpose code; write a code, for "
                    "example %(codes)s."
                )
                % {"value": name, "codes": shown_suggestions(found.suggestions)}
            )
        raise CellProblem(
            _(
                "“%(value)s” is not a CRS purpose code; write its 5 digits, for "
                "example 14030 (drinking water), and a percentage after each code "
                "when there are several."
            )
            % {"value": item}
        )

    def parse_theme(self, value: Any) -> Any:
        if self._themes is None:
            self._themes = cells.Themes()
        return self._themes(value)

    def parse_partnerships(self, value: Any) -> list[Partnership]:
        """Partnerships of the member authority, by number (the ID column of the export) or by
        partner name. Another authority's numbers are unknown here, like numbers never used."""
        partnership: Partnership | None
        if self._partnerships is None:
            rows = Partnership.objects.of_authority(self.member.pk).select_related("partner")  # type: ignore[union-attr]
            by_id = {p.pk: p for p in rows}
            by_name: dict[str, list[Partnership]] = {}
            for partnership in by_id.values():
                by_name.setdefault(norm(partnership.partner.name), []).append(partnership)
            self._partnerships = (by_id, by_name)
        by_id, by_name = self._partnerships
        found: list[Partnership] = []
        authority = str(self.member)
        for item in cells.split_list(value):
            if item.isdigit():
                partnership = by_id.get(int(item))
                if partnership is None:
                    raise CellProblem(
                        _(
                            "no partnership of %(authority)s has the number %(value)s; use a "
                            "number from the ID column of your partnerships export, or the "
                            "partner's name."
                        )
                        % {"authority": authority, "value": item}
                    )
            else:
                named = by_name.get(norm(item), [])
                if not named:
                    raise CellProblem(
                        _(
                            "%(authority)s has no partnership with “%(value)s”; check the "
                            "partner's name, or use the number from the ID column of your "
                            "partnerships export."
                        )
                        % {"authority": authority, "value": item}
                    )
                if len(named) > 1:
                    raise CellProblem(
                        _(
                            "%(authority)s has several partnerships with “%(value)s”; write the "
                            "number from the ID column of your partnerships export instead."
                        )
                        % {"authority": authority, "value": item}
                    )
                partnership = named[0]
            if partnership not in found:
                found.append(partnership)
        return found


class ImportKind:
    """One template: its columns, how a row finds its record, and the service that writes it."""

    name = ""
    title: Promise | str = ""
    description: Promise | str = ""
    what: Promise | str = ""  # one row is about one ... (for messages)
    fields: tuple[Field, ...] = ()
    needs_member = True
    existing_rows: Promise | str = ""

    # --- headers ---

    def field_by_header(self) -> dict[str, Field]:
        from django.utils import translation

        found: dict[str, Field] = {}
        for spec in self.fields:
            found[norm(spec.key)] = spec
            for language in cells.interface_languages():
                with translation.override(language):
                    found.setdefault(norm(spec.header), spec)
        return found

    def column_of(self, model_field: str) -> Field | None:
        return next((f for f in self.fields if (f.model_field or f.key) == model_field), None)

    # --- rows ---

    def may_write(self, ctx: Context) -> str | None:
        """Why the user may not import this file (None: they may)."""
        raise NotImplementedError

    def prepare(self, ctx: Context, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Read at once what the rows refer to (existing records, partners...), and keep it on
        this instance: each run has its own (see check_table)."""

    def key(self, values: dict[str, Any]) -> Hashable | None:
        raise NotImplementedError

    def plan(self, row: int, values: dict[str, Any], ctx: Context) -> Planned:
        raise NotImplementedError

    def begin_writing(self, ctx: Context) -> None:
        """Called inside the import's transaction before the first row is written: a kind whose
        rows two imports at once could both find new locks here what serialises them, and
        reads again what is stored (see PaymentImport)."""

    def write(self, planned: Planned, ctx: Context) -> None:
        raise NotImplementedError

    # --- shared helpers ---

    def problem(self, row: int, key: str, message: str) -> Problem:
        spec = next(f for f in self.fields if f.key == key)
        return Problem(message, row=row, column=str(spec.header))

    def set_values(self, instance: Any, values: dict[str, Any], names: Iterable[str]) -> None:
        """Filled cells replace the stored values; empty cells (absent here) leave them."""
        for name in names:
            if name in values:
                setattr(instance, name, values[name])

    def set_text(self, instance: Any, values: dict[str, Any], attribute: str, key: str) -> None:
        """A multilingual text: "title_fr" sets the French text and keeps the others."""
        if key in values:
            language = key.rsplit("_", 1)[-1]
            texts = dict(getattr(instance, attribute) or {})
            texts[language] = values[key]
            setattr(instance, attribute, texts)

    def outcome(
        self,
        row: int,
        instance: Any,
        stored: dict[str, Any] | None,
        *,
        m2m: dict[str, list[Any]] | None = None,
        stored_m2m: dict[str, set[int]] | None = None,
        countries: list[tuple[str, Decimal | None]] | None = None,
        stored_countries: dict[str, Decimal] | None = None,
    ) -> Planned:
        m2m = m2m or {}
        if stored is None:
            return Planned(row, instance, "create", m2m, countries)
        record_changed = snapshot(instance) != stored or any(
            {value.pk for value in values} != (stored_m2m or {}).get(name, set())
            for name, values in m2m.items()
        )
        if countries is not None:
            wanted = {
                code: (share if share is not None else Decimal(100)) for code, share in countries
            }
            if wanted == (stored_countries or {}):
                countries = None  # the same countries: nothing to write
        changed = record_changed or countries is not None
        planned = Planned(row, instance, "update" if changed else "unchanged", m2m, countries)
        planned.record_changed = record_changed
        return planned

    def validate(self, planned: Planned, ctx: Context) -> list[Problem]:
        """The checks the services make before writing: field validation, links within the
        authority, and every rule registered for the model."""
        instance = planned.instance
        try:
            instance.full_clean()
            if hasattr(instance, "owning_authority_id"):
                check_same_authority(instance)
            run_rules(instance, rules_for(instance))
        except ValidationError as error:
            return self.problems_of(planned.row, error)
        return []

    def problems_of(self, row: int, error: ValidationError) -> list[Problem]:
        found: list[Problem] = []
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                spec = self.column_of(name) if name != NON_FIELD_ERRORS else None
                for message in ValidationError(errors).messages:
                    found.append(
                        Problem(message, row=row, column=str(spec.header) if spec else None)
                    )
        else:
            found.extend(Problem(message, row=row) for message in error.messages)
        return found


# --- Finding authorities of the directory --------------------------------------------------------


def authority_candidates(
    wanted: Iterable[tuple[str, str | None]],
) -> dict[tuple[str, str], list[Authority]]:
    """Directory entries by (name as compared, country) for the (name, country) of the file.

    Names are compared without case or accents, which databases do not all do (SQLite lowers
    ASCII letters only): so the entries of each country named are read, a few columns each, and
    compared here. A name given without its country is looked up by its lowercase spelling.
    """
    wanted = list(wanted)
    countries = {country for _name, country in wanted if country}
    names = {name.lower() for name, country in wanted if name and not country}
    found: dict[tuple[str, str], list[Authority]] = {}
    if not countries and not names:
        return found
    rows = (
        Authority.objects.annotate(lowered=Lower("name"))
        .filter(Q(country_id__in=countries) | Q(lowered__in=names))
        .only("pk", "name", "country_id", "siren", "is_recognised_by_france")
    )
    for authority in rows.iterator(chunk_size=2000):
        found.setdefault((norm(authority.name), authority.country_id), []).append(authority)
    return found


# --- Checking and importing a table --------------------------------------------------------------


def _mapped_columns(
    kind: ImportKind, table: Table, mapping: dict[int, str]
) -> tuple[dict[int, Field], list[Problem]]:
    """The columns as the officer mapped them (or accepted the proposal): other columns are
    left out; a required field with no column is a problem."""
    by_key = {spec.key: spec for spec in kind.fields}
    columns = {
        index: by_key[key]
        for index, key in mapping.items()
        if key in by_key and index < len(table.headers)
    }
    given = {spec.key for spec in columns.values()}
    problems = [
        Problem(
            _(
                "No column holds “%(header)s”, which every row needs; say which column it is, "
                "or add it to the sheet."
            )
            % {"header": spec.header}
        )
        for spec in kind.fields
        if spec.required and spec.key not in given
    ]
    return columns, problems


def _map_headers(kind: ImportKind, table: Table) -> tuple[dict[int, Field], list[Problem]]:
    known = kind.field_by_header()
    columns: dict[int, Field] = {}
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for index, header in enumerate(table.headers):
        letter = get_column_letter(index + 1)
        if not header:
            continue
        spec = known.get(norm(header.rstrip("* ")))
        if spec is None:
            spec = next((f for f in kind.fields if f.takes_header(header.rstrip("* "))), None)
            if spec is not None:
                columns[index] = spec
                continue
        if spec is None:
            problems.append(
                Problem(
                    _(
                        "Column %(letter)s, “%(header)s”, is not a column of the “%(template)s” "
                        "template. Rename it as in the template, or delete the column."
                    )
                    % {"letter": letter, "header": header, "template": kind.title}
                )
            )
            continue
        if spec.key in seen:
            problems.append(
                Problem(
                    _(
                        "The column “%(header)s” appears twice (columns %(first)s and "
                        "%(second)s); keep only one."
                    )
                    % {
                        "header": header,
                        "first": get_column_letter(seen[spec.key] + 1),
                        "second": letter,
                    }
                )
            )
            continue
        seen[spec.key] = index
        columns[index] = spec
    for spec in kind.fields:
        if spec.required and spec.key not in seen:
            problems.append(
                Problem(
                    _(
                        "The column “%(header)s” is missing. Add it to the first row, spelt as "
                        "in the template."
                    )
                    % {"header": spec.header}
                )
            )
    named = {index for index, header in enumerate(table.headers) if header}
    unnamed = sorted(
        {
            index
            for _number, values in table.rows
            for index, value in enumerate(values)
            if value is not None and index not in named
        }
    )
    for index in unnamed:
        problems.append(
            Problem(
                _(
                    "Column %(letter)s holds data but has no name in the first row; name it as "
                    "in the template, or delete it."
                )
                % {"letter": get_column_letter(index + 1)}
            )
        )
    return columns, problems


def _parse_rows(
    kind: ImportKind,
    table: Table,
    columns: dict[int, Field],
    ctx: Context,
    problems: list[Problem],
) -> list[tuple[int, dict[str, Any]]]:
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, cells_of_row in table.rows:
        values: dict[str, Any] = {}
        row_problems: list[Problem] = []
        for index, spec in columns.items():
            value = cells_of_row[index] if index < len(cells_of_row) else None
            header = table.headers[index]
            if (number, index) in table.formulas:
                row_problems.append(
                    Problem(
                        _(
                            "the cell holds a formula saved without its result, and formulas "
                            "are never computed on import; open the file in Excel or "
                            "LibreOffice and save it again, or type the value itself."
                        ),
                        row=number,
                        column=header,
                    )
                )
                continue
            refusal = cells.formula_refusal(value) if isinstance(value, str) else None
            if refusal is not None:
                row_problems.append(Problem(refusal, row=number, column=header))
                continue
            if value is None:
                if spec.required:
                    row_problems.append(
                        Problem(_("this cell is required; fill it in."), row=number, column=header)
                    )
                continue
            try:
                if spec.header_pattern:
                    values.setdefault(spec.key, []).append((header, ctx.parse(spec, value)))
                else:
                    values[spec.key] = ctx.parse(spec, value)
            except CellProblem as problem:
                row_problems.append(Problem(problem.message, row=number, column=header))
        problems.extend(row_problems)
        if not row_problems:
            parsed.append((number, values))
    return parsed


def check_table(
    kind: ImportKind,
    table: Table,
    *,
    user: Any,
    member: MemberAuthority | None,
    progress: Progress | None = None,
    mapping: dict[int, str] | None = None,
    choices: dict[str, int] | None = None,
) -> Outcome:
    """Every problem of the file, row by row, and what each clean row would do. Writes nothing.

    Without `mapping` the headers must be the template's; with it (column index to field key,
    from mapping.py), the officer's own headers are read as mapped."""
    # A fresh instance per run: prepare() keeps this run's lookups on it, and jobs run in
    # parallel threads.
    kind = type(kind)()
    outcome = Outcome(kind=kind)
    ctx = Context(user=user, member=member, choices=choices)
    refusal = kind.may_write(ctx)
    if refusal:
        outcome.problems.append(Problem(refusal))
        return outcome
    if mapping is not None:
        columns, header_problems = _mapped_columns(kind, table, mapping)
    else:
        columns, header_problems = _map_headers(kind, table)
    if header_problems:
        outcome.problems.extend(header_problems)
        return outcome
    # Header names as the reader wrote them, for the messages.
    kind_headers = {spec.key: table.headers[index] for index, spec in columns.items()}
    parsed = _parse_rows(kind, table, columns, ctx, outcome.problems)
    kind.prepare(ctx, parsed)
    seen: dict[Hashable, int] = {}
    total = len(table.rows)
    already = total - len(parsed)  # rows refused while reading their cells
    if progress is not None:
        progress(already, total)
    for done, (number, values) in enumerate(parsed, start=already + 1):
        if progress is not None and (done % 50 == 0 or done == total):
            progress(done, total)
        try:
            planned = kind.plan(number, values, ctx)
        except RowProblems as error:
            outcome.problems.extend(_renamed(error.problems, kind, kind_headers))
            continue
        key = planned.key if planned.key is not None else kind.key(values)
        if key is not None and key in seen:
            outcome.problems.append(
                Problem(
                    _(
                        "this row is about the same %(what)s as row %(other)s; keep a single "
                        "row for it."
                    )
                    % {"what": kind.what, "other": seen[key]},
                    row=number,
                )
            )
            continue
        if key is not None:
            seen[key] = number
        if planned.action != "unchanged":
            found = kind.validate(planned, ctx)
            if found:
                outcome.problems.extend(_renamed(found, kind, kind_headers))
                continue
        outcome.planned.append(planned)
    outcome.notes = _renamed(ctx.notes, kind, kind_headers)
    outcome.towns = ctx.towns
    return outcome


def _renamed(problems: list[Problem], kind: ImportKind, headers: dict[str, str]) -> list[Problem]:
    """Name columns as the reader's file does (its headers may be in the other language)."""
    by_template = {str(spec.header): headers.get(spec.key) for spec in kind.fields}
    return [
        Problem(p.message, row=p.row, column=by_template.get(p.column or "") or p.column)
        for p in problems
    ]


def import_table(
    kind: ImportKind,
    table: Table,
    *,
    user: Any,
    member: MemberAuthority | None,
    progress: Progress | None = None,
    check_progress: Progress | None = None,
    mapping: dict[int, str] | None = None,
    choices: dict[str, int] | None = None,
    clean_rows_only: bool = False,
) -> Outcome:
    """Check the whole file; if it is clean, write every row in one transaction through the
    services. Any refusal while writing rolls back every row: the file goes in whole or not.

    With `clean_rows_only` (the workspace's "import the clean rows"), the rows with problems
    are left out and the others written, still in one transaction; a problem of the whole
    sheet (a required column missing) still writes nothing."""
    outcome = check_table(
        kind,
        table,
        user=user,
        member=member,
        progress=check_progress,
        mapping=mapping,
        choices=choices,
    )
    kind = outcome.kind
    if not outcome.clean and (
        not clean_rows_only or any(problem.row is None for problem in outcome.problems)
    ):
        return outcome
    ctx = Context(user=user, member=member, choices=choices)
    to_write = [planned for planned in outcome.planned if planned.action != "unchanged"]
    try:
        with transaction.atomic():
            kind.begin_writing(ctx)
            for done, planned in enumerate(to_write, start=1):
                try:
                    kind.write(planned, ctx)
                except ValidationError as error:
                    outcome.problems.extend(kind.problems_of(planned.row, error))
                    raise _RollBack from error
                except PermissionDenied as error:
                    outcome.problems.append(Problem(str(error), row=planned.row))
                    raise _RollBack from error
                if progress is not None and (done % 50 == 0 or done == len(to_write)):
                    progress(done, len(to_write))
    except _RollBack:
        return outcome
    outcome.written = True
    return outcome
