"""The codelist check reads mapping.xml's plain paths in one walk of each activity (a
dictionary lookup per child element) instead of one XPath per line: it must find exactly what
the XPaths find, in the same order, on every kind of publisher's file."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from jumelage.reporting.iati import codelists
from jumelage.reporting.iati.codelists import _coded_values, check_codelists
from jumelage.reporting.iati.reference import activity_mappings, safe_parser

DATA = Path(__file__).parent / "data"


def _by_xpath(activity: etree._Element) -> list[list[tuple[str, etree._Element | None]]]:
    """The reference: each line of mapping.xml run as its own XPath (the former way)."""
    present = {child.tag for child in activity}
    found: list[list[tuple[str, etree._Element | None]]] = []
    for mapping in activity_mappings():
        if mapping.first_step and mapping.first_step not in present:
            found.append([])
            continue
        found.append(
            [
                (str(value), value.getparent() if hasattr(value, "getparent") else None)
                for value in mapping.select(activity)
            ]
        )
    return found


UNUSUAL = b"""<iati-activities version="2.03"><iati-activity xml:lang="EN" default-currency="XXX">
<iati-identifier>XM-1-1</iati-identifier>
<sector vocabulary="1" code="99999"/><sector code="11110"/><sector vocabulary="2" code="999"/>
<!-- a comment between elements --><sector vocabulary="99" code="A"/>
<transaction><transaction-type code="9"/><value currency="ZZZ">1</value>
<sector code="11110"/><sector vocabulary="2" code="151"/></transaction>
<transaction><transaction-type code="3"/><value>1</value><aid-type code="Z99"/></transaction>
<crs-add><channel-code> 99999 </channel-code></crs-add>
<result type="7"><indicator measure="9"><period><target>
<document-link format="x/y"><category code="Z"/><language code="QQ"/></document-link>
</target></period></indicator></result>
<title><narrative xml:lang="zz">x</narrative></title>
<other:thing xmlns:other="http://example.org/other" code="1"/>
</iati-activity></iati-activities>"""


@pytest.mark.parametrize("name", [*sorted(p.name for p in DATA.glob("*.xml")), "unusual"], ids=str)
def test_the_walk_finds_what_each_xpath_finds_in_the_same_order(name):
    data = UNUSUAL if name == "unusual" else (DATA / name).read_bytes()
    root = etree.fromstring(data, safe_parser())
    activities = list(root.iter("iati-activity"))
    assert activities
    for activity in activities:
        assert _coded_values(activity) == _by_xpath(activity)


def test_the_problems_are_those_of_one_xpath_per_line(monkeypatch):
    activity = etree.fromstring(UNUSUAL, safe_parser())[0]
    walked = [(p.message, p.severity) for p in check_codelists(activity, strict=False)]
    monkeypatch.setattr(codelists, "_coded_values", _by_xpath)
    assert walked == [(p.message, p.severity) for p in check_codelists(activity, strict=False)]
    assert len(walked) >= 8  # the unusual activity breaks many lists: the comparison is real


def test_only_the_lines_that_are_not_plain_paths_run_an_xpath():
    _root, others = codelists._plan()
    paths = {activity_mappings()[index].path for index in others}
    assert paths == {"crs-add/channel-code/text()", "descendant-or-self::*/@xml:lang"}


def test_each_condition_of_mapping_xml_runs_as_a_plain_test_with_the_xpaths_meaning():
    conditional = [m for m in activity_mappings() if m.condition is not None]
    assert conditional
    elements = [
        etree.fromstring(text)
        for text in (
            "<sector/>",
            '<sector vocabulary=""/>',
            '<sector vocabulary=" 1"/>',
            '<tag other="2"/>',
            *(f'<x vocabulary="{v}"/>' for v in ("1", "2", "3", "4", "7", "8", "A4", "99", "a4")),
        )
    ]
    for mapping in conditional:
        assert mapping.test is not mapping.condition, mapping.path  # a plain function
        for element in elements:
            assert mapping.test(element) == mapping.condition(element), (
                mapping.path,
                etree.tostring(element),
            )
