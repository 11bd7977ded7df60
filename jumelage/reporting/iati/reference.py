"""The project's copy of the IATI 2.03 reference files (jumelage/core/reference/iati): the
activity XSD, compiled once, and the codelists with mapping.xml, read straight from their XML
files so that validation works even before `manage.py load_reference` has filled the database.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from jumelage.core.iati import reference_dir
from jumelage.core.reference_data import read_codelist

XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
IATI_VERSION = "2.03"

# The folder (`reference_dir`) and the prefixes of organisation ids are core.iati's: the
# directory's service checks an authority's own id with them too.


def safe_parser() -> etree.XMLParser:
    """A parser that expands no entity, loads no DTD and touches no network.

    Used for our own reference files too: they are data, and data is parsed one way.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=True,
    )


# --- The XSD ---------------------------------------------------------------------------------

# libxml2 keeps a validator's error log on the schema object: one validation at a time.
_schema_lock = threading.Lock()


@lru_cache(maxsize=1)
def activity_schema() -> etree.XMLSchema:
    """The official iati-activities-schema.xsd, compiled once per process.

    The XSD includes iati-common.xsd and imports xml.xsd by relative path, so it is parsed from
    its file (not from a string) for the includes to resolve; no network is needed.
    """
    path = reference_dir() / "schema" / "iati-activities-schema.xsd"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def schema_errors(activity: etree._Element) -> list[str]:
    """XSD errors of one iati-activity, validated inside a minimal iati-activities wrapper.

    Validating each activity on its own lets an export leave out a bad one and keep the rest.
    The activity is moved into the wrapper and back out, so it is not copied.
    """
    schema = activity_schema()
    parent = activity.getparent()
    index = parent.index(activity) if parent is not None else None
    wrapper = etree.Element("iati-activities", version=IATI_VERSION)
    wrapper.append(activity)
    try:
        with _schema_lock:
            valid = schema.validate(wrapper)
            log = [] if valid else [entry.message for entry in schema.error_log]
    finally:
        wrapper.remove(activity)
        if parent is not None and index is not None:
            parent.insert(index, activity)
    return log


# --- Codelists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Codelist:
    name: str
    complete: bool
    active: frozenset[str]
    withdrawn: frozenset[str]
    names: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)

    def __contains__(self, code: object) -> bool:
        return code in self.active or code in self.withdrawn

    def label(self, code: str, language: str = "en") -> str:
        names = self.names.get(code, {})
        return names.get(language) or names.get("en") or ""


def _read_codelist(path: Path) -> Codelist:
    # The items come from core's reader, the one load_reference uses; the root is read here
    # for what the database does not keep: the list's name and whether it is complete.
    root = etree.parse(str(path), safe_parser()).getroot()
    name = root.get("name") or path.stem
    items = read_codelist(path, name)
    return Codelist(
        name=name,
        complete=root.get("complete", "1") == "1",
        active=frozenset(item.code for item in items if item.is_active),
        withdrawn=frozenset(item.code for item in items if not item.is_active),
        names={item.code: {"en": item.name_en, "fr": item.name_fr} for item in items},
    )


@lru_cache(maxsize=1)
def codelists() -> dict[str, Codelist]:
    """Every codelist of the reference folder, by name (Sector, Country, ...)."""
    folder = reference_dir() / "codelists"
    found = {}
    for path in sorted(folder.glob("*.xml")):
        if path.name == "mapping.xml":
            continue
        codelist = _read_codelist(path)
        found[codelist.name] = codelist
    return found


def codelist(name: str) -> Codelist:
    return codelists()[name]


@dataclass(frozen=True)
class Mapping:
    """One line of mapping.xml, ready to run on an iati-activity element."""

    path: str  # relative to iati-activity, e.g. "sector/@code"
    first_step: str  # the child element the path goes through ("sector"), "" if none
    codelist: str
    select: etree.XPath
    condition: etree.XPath | None
    # The condition as a plain function of the element when it is one of mapping.xml's simple
    # forms (`@vocabulary = '2'`, `... or not(@vocabulary)`), else the XPath itself.
    test: Callable[[etree._Element], bool] | None = None


def _relative(path: str) -> str | None:
    if path.startswith("//iati-activity/"):
        return path[len("//iati-activity/") :]
    if path == "//@xml:lang":
        return "descendant-or-self::*/@xml:lang"
    return None  # the root's @version and the organisation file's paths


_EQUALS = re.compile(r"^@([A-Za-z][\w-]*) = '([^']*)'( or not\(@([A-Za-z][\w-]*)\))?$")


def _plain_test(condition: str) -> Callable[[etree._Element], bool] | None:
    """`@a = 'v'` (the attribute is there and is exactly v) or `@a = 'v' or not(@a)` (or
    it is missing) as a function, with XPath's meaning; None for any other condition."""
    match = _EQUALS.match(condition)
    if match is None or (match.group(4) and match.group(4) != match.group(1)):
        return None
    name, value, or_missing = match.group(1), match.group(2), bool(match.group(3))
    if or_missing:
        return lambda element: (found := element.get(name)) is None or found == value
    return lambda element: element.get(name) == value


def _first_step(relative: str) -> str:
    step = relative.split("/", 1)[0]
    return "" if step.startswith("@") or "::" in step else step


@lru_cache(maxsize=1)
def activity_mappings() -> tuple[Mapping, ...]:
    """mapping.xml's XPath → codelist lines that apply inside an iati-activity."""
    root = etree.parse(str(reference_dir() / "codelists" / "mapping.xml"), safe_parser()).getroot()
    found = []
    for line in root.iterfind("mapping"):
        relative = _relative((line.findtext("path") or "").strip())
        ref = line.find("codelist")
        if relative is None or ref is None:
            continue
        condition = (line.findtext("condition") or "").strip()
        xpath = etree.XPath(f"boolean({condition})") if condition else None
        found.append(
            Mapping(
                path=relative,
                first_step=_first_step(relative),
                codelist=ref.get("ref", ""),
                select=etree.XPath(relative),
                condition=xpath,
                test=(_plain_test(condition) or xpath) if condition else None,
            )
        )
    return tuple(found)
