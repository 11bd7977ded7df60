"""Codelist checks of one iati-activity, driven by mapping.xml (GUIDE.md §5.1). The
registration-agency check of organisation ids is core.iati's (`has_agency_prefix`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

from jumelage.reporting.iati.problems import ERROR, WARNING, Problem
from jumelage.reporting.iati.reference import (
    Mapping,
    activity_mappings,
    codelists,
)

# What each coded attribute is, in the words of a project form (the XPath otherwise).
FIELD_LABELS = {
    "@default-currency": gettext_lazy("currency"),
    "activity-status/@code": gettext_lazy("activity status"),
    "activity-date/@type": gettext_lazy("date type"),
    "participating-org/@role": gettext_lazy("participant role"),
    "participating-org/@type": gettext_lazy("organisation type of a participant"),
    "reporting-org/@type": gettext_lazy("organisation type of the reporting organisation"),
    "recipient-country/@code": gettext_lazy("recipient country"),
    "recipient-region/@code": gettext_lazy("recipient region"),
    "sector/@code": gettext_lazy("sector"),
    "sector/@vocabulary": gettext_lazy("sector vocabulary"),
    "tag/@code": gettext_lazy("SDG target"),
    "default-flow-type/@code": gettext_lazy("flow type"),
    "default-finance-type/@code": gettext_lazy("finance type"),
    "default-aid-type/@code": gettext_lazy("aid type"),
    "default-tied-status/@code": gettext_lazy("tied status"),
    "collaboration-type/@code": gettext_lazy("collaboration type"),
    "budget/value/@currency": gettext_lazy("budget currency"),
    "transaction/transaction-type/@code": gettext_lazy("transaction type"),
    "transaction/value/@currency": gettext_lazy("transaction currency"),
    "transaction/flow-type/@code": gettext_lazy("transaction flow type"),
    "transaction/finance-type/@code": gettext_lazy("transaction finance type"),
    "transaction/aid-type/@code": gettext_lazy("transaction aid type"),
    "document-link/@format": gettext_lazy("document format"),
    "document-link/category/@code": gettext_lazy("document category"),
    "document-link/language/@code": gettext_lazy("document language"),
    "result/@type": gettext_lazy("result type"),
    "result/indicator/@measure": gettext_lazy("indicator measure"),
    "descendant-or-self::*/@xml:lang": gettext_lazy("text language"),
}


def _field_label(path: str) -> str:
    label = FIELD_LABELS.get(path)
    return str(label) if label else path


_STEP = re.compile(r"^[A-Za-z][\w.-]*$")


@dataclass
class _Node:
    """A step of mapping.xml's paths: the attributes read on the elements reached, as
    (line's index, attribute), and the child tags going further."""

    reads: list[tuple[int, str]] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _plan() -> tuple[_Node, tuple[int, ...]]:
    """mapping.xml's lines as one tree walked once per activity: the plain paths (child tags
    then one attribute, such as "transaction/value/@currency") as nodes, and the indexes of the
    others (text(), the xml:lang of any descendant), which run their own XPath."""
    root = _Node()
    others: list[int] = []
    for index, mapping in enumerate(activity_mappings()):
        *steps, last = mapping.path.split("/")
        if not (last.startswith("@") and _STEP.match(last[1:]) and all(map(_STEP.match, steps))):
            others.append(index)
            continue
        node = root
        for step in steps:
            node = node.children.setdefault(step, _Node())
        node.reads.append((index, last[1:]))
    return root, tuple(others)


def _coded_values(activity: etree._Element) -> list[list[tuple[str, etree._Element | None]]]:
    """For each line of mapping.xml, the (value, element holding it) found in the activity, in
    document order: the plain paths in one walk of the elements they go through (a dictionary
    lookup per child), instead of one XPath per line."""
    mappings = activity_mappings()
    values: list[list[tuple[str, etree._Element | None]]] = [[] for _ in mappings]
    root, others = _plan()

    def visit(element: etree._Element, node: _Node) -> None:
        for index, attribute in node.reads:
            value = element.get(attribute)
            if value is not None:
                values[index].append((value, element))
        if node.children:
            for child in element:
                below = node.children.get(child.tag)  # type: ignore[arg-type]
                if below is not None:
                    visit(child, below)

    visit(activity, root)
    present: set[str] | None = None
    for index in others:
        mapping: Mapping = mappings[index]
        if mapping.first_step:
            if present is None:
                present = {child.tag for child in activity}  # type: ignore[misc]
            if mapping.first_step not in present:
                continue  # e.g. no crs-add in this activity: nothing of its to look up
        values[index] = [
            (str(value), value.getparent() if hasattr(value, "getparent") else None)
            for value in mapping.select(activity)
        ]
    return values


def check_codelists(activity: etree._Element, *, strict: bool = True) -> list[Problem]:
    """Every coded value against its codelist, as mapping.xml says (with its conditions).

    An unknown code is an error in a complete list and a warning in an open one (Country,
    Language...); a withdrawn code is an error on export (`strict`) and a warning on import.
    """
    lists = codelists()
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for mapping, found_values in zip(activity_mappings(), _coded_values(activity), strict=True):
        found = lists.get(mapping.codelist)
        if found is None or not found_values:
            continue
        for value, owner in found_values:
            if mapping.test is not None and owner is not None and not mapping.test(owner):
                continue
            code = value.strip()
            if mapping.codelist == "Language":
                code = code.lower()
            if code in found.active or (mapping.path, code) in seen:
                continue
            seen.add((mapping.path, code))
            params = {"code": code, "field": _field_label(mapping.path), "list": found.name}
            if code in found.withdrawn:
                problems.append(
                    Problem(
                        _(
                            "The %(field)s code “%(code)s” has been withdrawn from the IATI list "
                            "%(list)s; choose a current code."
                        )
                        % params,
                        rule="codelist",
                        severity=ERROR if strict else WARNING,
                    )
                )
            else:
                problems.append(
                    Problem(
                        _(
                            "The %(field)s code “%(code)s” is not in the IATI list %(list)s; "
                            "choose a code from that list."
                        )
                        % params,
                        rule="codelist",
                        severity=ERROR if found.complete else WARNING,
                    )
                )
    return problems
