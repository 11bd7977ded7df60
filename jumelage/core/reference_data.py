"""Reference data loaded from the files in core/reference: IATI codelists, countries, the OECD DAC
list of ODA recipients and the Atlas themes. Idempotent: a second load writes nothing.

Every file is read and checked before the first write, and the writes run in one transaction,
so a malformed file leaves the database as it was.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django.db import models, transaction
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from lxml import etree

from jumelage.core.models import (
    AtlasTheme,
    Codelist,
    CodelistItem,
    Country,
    OdaEligibility,
    OdaIncomeGroup,
)

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

# The 27 members of the European Union (ISO 3166-1 codes: Greece is GR, not the EU's "EL").
EU_MEMBERS = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip

# IATI (and the DAC list) use XK for Kosovo, which ISO 3166-1 has not assigned.
EXTRA_COUNTRIES = {"XK": {"fr": "Kosovo", "en": "Kosovo"}}

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ODA_HEADER = ["country_code", "country_name", "income_group", "first_year", "last_year", "note"]
ATLAS_HEADER = ["code", "level", "name_fr", "name_en"]
ATLAS_CODE = re.compile(r"^[1-9][0-9]*(\.[1-9][0-9]*){0,2}$")
FIRST_ODA_YEAR, LAST_ODA_YEAR = 1990, 2100

BATCH_SIZE = 500


class ReferenceDataError(Exception):
    """A reference file is missing or malformed; the message names the file and line."""


@dataclass
class LoadResult:
    """What one kind of reference data did on a load."""

    label: str
    model: type[models.Model] | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        return _(
            "%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(deleted)d removed."
        ) % {
            "label": capfirst(self.label),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
        }


# --- Reading the files (no database access) --------------------------------------------------


def _error(path: Path, line: int | None, message: str) -> ReferenceDataError:
    if line is None:
        return ReferenceDataError(
            _("%(file)s: %(message)s") % {"file": path.name, "message": message}
        )
    return ReferenceDataError(
        _("%(file)s, line %(line)d: %(message)s")
        % {"file": path.name, "line": line, "message": message}
    )


def _parse_xml(path: Path) -> etree._ElementTree:
    # Our own files, but parsed as untrusted all the same: no entities, no DTD, no network.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.parse(str(path), parser)
    except OSError as error:
        message = _("the file cannot be read (%(error)s).") % {"error": error.strerror or error}
        raise _error(path, None, message) from None
    except etree.XMLSyntaxError as error:
        raise _error(
            path,
            error.lineno,
            _("this is not well-formed XML (%(error)s).") % {"error": error.msg},
        ) from None


def _narratives(element: etree._Element | None, default_language: str) -> dict[str, str]:
    """The texts of an element's narratives, by language (the first one of each language)."""
    texts: dict[str, str] = {}
    if element is None:
        return texts
    for narrative in element.findall("narrative"):
        language = (narrative.get(XML_LANG) or default_language).lower()
        text = " ".join((narrative.text or "").split())
        if text and language not in texts:
            texts[language] = text
    return texts


def read_codelist(path: Path, name: str) -> list[CodelistItem]:
    """The items of one IATI codelist file, as unsaved CodelistItem objects."""
    root = _parse_xml(path).getroot()
    if root.tag != "codelist" or root.get("name") != name:
        raise _error(
            path,
            root.sourceline,
            _('the root element must be <codelist name="%(name)s">.') % {"name": name},
        )
    default_language = (root.get(XML_LANG) or "en").lower()
    items: dict[str, CodelistItem] = {}
    for element in root.iterfind("codelist-items/codelist-item"):
        code = (element.findtext("code") or "").strip()
        if not code:
            raise _error(path, element.sourceline, _("a codelist item has no code."))
        if code in items:
            # FileFormat repeats a few media types, identically: keep the first.
            continue
        status = element.get("status", "active")
        if status not in ("active", "withdrawn"):
            raise _error(
                path,
                element.sourceline,
                _("the status “%(status)s” of code %(code)s is neither active nor withdrawn.")
                % {"status": status, "code": code},
            )
        names = _narratives(element.find("name"), default_language)
        items[code] = CodelistItem(
            codelist=name,
            code=code,
            # FileFormat items have no name: the media type is its own name.
            name_en=names.get("en") or code,
            name_fr=names.get("fr", ""),
            category=(element.findtext("category") or "").strip(),
            is_active=status != "withdrawn",
        )
    if not items:
        raise _error(path, None, _("the codelist has no items."))
    return list(items.values())


def read_codelists(directory: Path) -> list[CodelistItem]:
    """Every list named in core.models.Codelist, from <directory>/<Name>.xml."""
    items: list[CodelistItem] = []
    for name in Codelist.values:
        items.extend(read_codelist(directory / f"{name}.xml", name))
    return items


def read_countries() -> list[Country]:
    """Every country of django-countries, named in French and English, plus Kosovo."""
    from django_countries import countries

    names: dict[str, dict[str, str]] = {}
    for language in ("fr", "en"):
        with translation.override(language):
            for code, name in countries:
                names.setdefault(code, {})[language] = str(name)
    for code, extra in EXTRA_COUNTRIES.items():
        names.setdefault(code, dict(extra))
    return [
        Country(
            code=code,
            name_fr=by_language["fr"],
            name_en=by_language["en"],
            is_eu_member=code in EU_MEMBERS,
        )
        for code, by_language in sorted(names.items())
    ]


def _csv_rows(path: Path, header: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row of a UTF-8 CSV file with exactly this header."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            try:
                first = next(reader, None)
                if first is None or [cell.strip() for cell in first] != list(header):
                    raise _error(
                        path,
                        1,
                        _("the header must be “%(header)s”.") % {"header": ",".join(header)},
                    )
                for cells in reader:
                    line = reader.line_num
                    if not any(cell.strip() for cell in cells):
                        continue
                    if len(cells) != len(header):
                        raise _error(
                            path,
                            line,
                            _("expected %(expected)d columns, found %(found)d.")
                            % {"expected": len(header), "found": len(cells)},
                        )
                    yield line, {key: cell.strip() for key, cell in zip(header, cells, strict=True)}
            except csv.Error as error:
                raise _error(
                    path,
                    reader.line_num,
                    _("this is not valid CSV (%(error)s).") % {"error": error},
                ) from None
    except UnicodeDecodeError:
        raise _error(path, None, _("the file is not UTF-8 text.")) from None
    except OSError as error:
        message = _("the file cannot be read (%(error)s).") % {"error": error.strerror or error}
        raise _error(path, None, message) from None


def _year(path: Path, line: int, value: str) -> int:
    if not value.isdigit() or not FIRST_ODA_YEAR <= int(value) <= LAST_ODA_YEAR:
        raise _error(
            path,
            line,
            _("“%(value)s” is not a year between %(first)d and %(last)d.")
            % {"value": value, "first": FIRST_ODA_YEAR, "last": LAST_ODA_YEAR},
        )
    return int(value)


def read_oda_recipients(path: Path, country_codes: Iterable[str]) -> dict[tuple[str, int], str]:
    """{(country code, year of flows): income group} from the compact DAC list file."""
    known = set(country_codes)
    groups = set(OdaIncomeGroup.values)
    eligibility: dict[tuple[str, int], str] = {}
    for line, row in _csv_rows(path, ODA_HEADER):
        code = row["country_code"].upper()
        if code not in known:
            raise _error(path, line, _("“%(code)s” is not a known country code.") % {"code": code})
        group = row["income_group"]
        if group not in groups:
            raise _error(
                path,
                line,
                _("“%(group)s” is not an income group; use one of %(groups)s.")
                % {"group": group, "groups": ", ".join(OdaIncomeGroup.values)},
            )
        first, last = _year(path, line, row["first_year"]), _year(path, line, row["last_year"])
        if first > last:
            raise _error(path, line, _("the first year comes after the last year."))
        for year in range(first, last + 1):
            if (code, year) in eligibility:
                raise _error(
                    path,
                    line,
                    _("%(code)s is already listed for %(year)d.") % {"code": code, "year": year},
                )
            eligibility[(code, year)] = group
    if not eligibility:
        raise _error(path, None, _("the file lists no country."))
    return eligibility


@dataclass(frozen=True)
class AtlasRow:
    code: str
    level: int
    name_fr: str
    name_en: str

    @property
    def parent_code(self) -> str | None:
        return self.code.rpartition(".")[0] or None


def read_atlas_themes(path: Path) -> list[AtlasRow]:
    """The Atlas theme tree: each code's parent is the code without its last dotted part."""
    themes: dict[str, AtlasRow] = {}
    for line, row in _csv_rows(path, ATLAS_HEADER):
        code = row["code"]
        if not ATLAS_CODE.match(code):
            raise _error(
                path, line, _("“%(code)s” is not a theme code such as 1.2.3.") % {"code": code}
            )
        if code in themes:
            raise _error(path, line, _("the code %(code)s appears twice.") % {"code": code})
        if row["level"] != str(code.count(".") + 1):
            raise _error(
                path,
                line,
                _("the level of %(code)s must be %(level)d, its number of parts.")
                % {"code": code, "level": code.count(".") + 1},
            )
        if not row["name_fr"] or not row["name_en"]:
            raise _error(path, line, _("the theme %(code)s needs both names.") % {"code": code})
        theme = AtlasRow(code, int(row["level"]), row["name_fr"], row["name_en"])
        if theme.parent_code and theme.parent_code not in themes:
            raise _error(
                path,
                line,
                _("the parent %(parent)s of %(code)s must come before it in the file.")
                % {"parent": theme.parent_code, "code": code},
            )
        themes[code] = theme
    if not themes:
        raise _error(path, None, _("the file lists no theme."))
    return list(themes.values())


# --- Writing: create what is new, update only what differs -------------------------------------


def _field(model: type[models.Model] | models.Model, name: str) -> models.Field:
    return cast(models.Field, model._meta.get_field(name))


def _check_lengths(objects: Iterable[models.Model], fields: Sequence[str]) -> None:
    """Refuse a value longer than its column (SQLite would store it; PostgreSQL would fail)."""
    for obj in objects:
        for name in fields:
            field = _field(obj, name)
            value = getattr(obj, field.attname)
            limit = getattr(field, "max_length", None)
            if limit and isinstance(value, str) and len(value) > limit:
                raise ReferenceDataError(
                    _("%(model)s %(object)s: the %(field)s is longer than %(limit)d characters.")
                    % {
                        "model": obj._meta.verbose_name,
                        "object": obj.pk or getattr(obj, "code", ""),
                        "field": field.verbose_name,
                        "limit": limit,
                    }
                )


def sync(
    model: type[models.Model],
    wanted: Sequence[models.Model],
    *,
    key: Callable[[Any], Any],
    fields: Sequence[str],
    label: str,
    existing: Iterable[models.Model] | None = None,
    delete_missing: bool = False,
) -> LoadResult:
    """Make the table hold `wanted`: bulk-create new rows, bulk-update rows whose `fields`
    differ, leave equal rows alone, and delete the others if `delete_missing`.

    `existing` (all rows by default) is what `wanted` is compared with.
    """
    result = LoadResult(label=label, model=model)
    rows = model._default_manager.all() if existing is None else existing
    current_by_key = {key(obj): obj for obj in rows}
    attnames = [_field(model, name).attname for name in fields]
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    seen: set[Any] = set()
    for obj in wanted:
        obj_key = key(obj)
        seen.add(obj_key)
        current = current_by_key.get(obj_key)
        if current is None:
            to_create.append(obj)
            continue
        differs = [a for a in attnames if getattr(current, a) != getattr(obj, a)]
        for attname in differs:
            setattr(current, attname, getattr(obj, attname))
        if differs:
            to_update.append(current)
        else:
            result.unchanged += 1
    if to_create:
        model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model._default_manager.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    result.created, result.updated = len(to_create), len(to_update)
    if delete_missing:
        stale = [obj.pk for obj_key, obj in current_by_key.items() if obj_key not in seen]
        for start in range(0, len(stale), BATCH_SIZE):
            model._default_manager.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
        result.deleted = len(stale)
    return result


def _sync_countries(countries: Sequence[Country]) -> LoadResult:
    _check_lengths(countries, ["code", "name_fr", "name_en"])
    return sync(
        Country,
        countries,
        key=lambda country: country.code,
        fields=["name_fr", "name_en", "is_eu_member"],
        label=str(Country._meta.verbose_name_plural),
    )


def _sync_codelist_items(items: Sequence[CodelistItem]) -> LoadResult:
    _check_lengths(items, ["codelist", "code", "name_en", "name_fr", "category"])
    return sync(
        CodelistItem,
        items,
        key=lambda item: (item.codelist, item.code),
        fields=["name_en", "name_fr", "category", "is_active"],
        label=str(CodelistItem._meta.verbose_name_plural),
    )


def _sync_oda_eligibility(eligibility: dict[tuple[str, int], str]) -> LoadResult:
    # The file is the whole DAC list: a row it no longer has (a correction) is removed.
    return sync(
        OdaEligibility,
        [
            OdaEligibility(country_id=code, year=year, income_group=group)
            for (code, year), group in sorted(eligibility.items())
        ],
        key=lambda row: (row.country_id, row.year),
        fields=["income_group"],
        label=str(OdaEligibility._meta.verbose_name),
        delete_missing=True,
    )


def _sync_atlas_themes(rows: Sequence[AtlasRow]) -> LoadResult:
    """Level by level, so that each theme's parent already has its id."""
    result = LoadResult(label=str(AtlasTheme._meta.verbose_name_plural), model=AtlasTheme)
    for level in sorted({row.level for row in rows}):
        ids = dict(AtlasTheme.objects.values_list("code", "pk"))
        themes = [
            AtlasTheme(
                code=row.code,
                level=row.level,
                name_fr=row.name_fr,
                name_en=row.name_en,
                parent_id=ids[row.parent_code] if row.parent_code else None,
            )
            for row in rows
            if row.level == level
        ]
        _check_lengths(themes, ["code", "name_fr", "name_en"])
        step = sync(
            AtlasTheme,
            themes,
            key=lambda theme: theme.code,
            fields=["level", "name_fr", "name_en", "parent"],
            label=result.label,
            existing=AtlasTheme.objects.filter(code__in=[theme.code for theme in themes]),
        )
        result.created += step.created
        result.updated += step.updated
        result.unchanged += step.unchanged
    return result


@dataclass(frozen=True)
class ReferenceFiles:
    """Where each reference file is; tests point it at a copy."""

    directory: Path = REFERENCE_DIR

    @property
    def codelists(self) -> Path:
        return self.directory / "iati" / "codelists"

    @property
    def oda_recipients(self) -> Path:
        return self.directory / "oda_recipients.csv"

    @property
    def atlas_themes(self) -> Path:
        return self.directory / "atlas_themes.csv"


def load_reference(directory: Path = REFERENCE_DIR) -> list[LoadResult]:
    """Read every reference file, then bring the tables in line with them in one transaction.

    Raises ReferenceDataError, before any write, on a missing or malformed file.
    """
    files = ReferenceFiles(Path(directory))
    countries = read_countries()
    codelist_items = read_codelists(files.codelists)
    eligibility = read_oda_recipients(files.oda_recipients, (c.code for c in countries))
    atlas_rows = read_atlas_themes(files.atlas_themes)
    with transaction.atomic():
        return [
            _sync_countries(countries),
            _sync_codelist_items(codelist_items),
            _sync_oda_eligibility(eligibility),
            _sync_atlas_themes(atlas_rows),
        ]
