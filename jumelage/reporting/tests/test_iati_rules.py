"""The rules the XSD does not check (GUIDE.md §5), on hand-written activities."""

from __future__ import annotations

import datetime

from lxml import etree

from jumelage.reporting.iati.codelists import check_codelists
from jumelage.reporting.iati.problems import ERROR, WARNING
from jumelage.reporting.iati.reference import codelist, safe_parser
from jumelage.reporting.iati.rules import check_rules
from jumelage.reporting.iati.validate import validate_activity

TODAY = datetime.date(2026, 6, 30)

VALID = """
<iati-activity xml:lang="fr" default-currency="EUR">
  <iati-identifier>FR-RCS-123456789-EAU</iati-identifier>
  <reporting-org ref="FR-RCS-123456789" type="11"><narrative>Ville</narrative></reporting-org>
  <title><narrative>Eau</narrative></title>
  <description><narrative>Forages.</narrative></description>
  <participating-org role="1" ref="FR-RCS-123456789" type="11"/>
  <activity-status code="2"/>
  <activity-date type="1" iso-date="2025-01-01"/>
  <activity-date type="3" iso-date="2026-12-31"/>
  <recipient-country code="SN" percentage="80"/>
  <recipient-country code="ML" percentage="20"/>
  <sector vocabulary="1" code="14030" percentage="70"/>
  <sector vocabulary="1" code="14081" percentage="30"/>
  {extra}
</iati-activity>
"""


def activity(extra: str = "", **replace: str) -> etree._Element:
    text = VALID.replace("{extra}", extra)
    for old, new in replace.items():
        text = text.replace(old.replace("__", " "), new)
    return etree.fromstring(text.strip(), safe_parser())


def errors(element: etree._Element) -> list[str]:
    problems = check_codelists(element) + check_rules(element, today=TODAY)
    return [p.message for p in problems if p.severity == ERROR]


def test_the_guides_example_activity_passes_everything():
    element = activity()
    assert errors(element) == []
    assert validate_activity(element, today=TODAY) == []


def test_a_planned_end_before_the_planned_start_is_an_error():
    element = activity(**{'type="3" iso-date="2026-12-31"': 'type="3" iso-date="2024-12-31"'})
    assert errors(element) == [
        "The planned end date (2024-12-31) comes before the planned start date (2025-01-01); "
        "correct one of them."
    ]


def test_sector_percentages_are_summed_per_vocabulary_exactly():
    element = activity('<sector vocabulary="2" code="140" percentage="100"/>')
    assert errors(element) == []
    thirds = activity(
        **{
            'code="14030" percentage="70"': 'code="14030" percentage="33.33"',
            'code="14081" percentage="30"': 'code="14081" percentage="66.66"',
        }
    )
    assert errors(thirds) == [
        "The sector percentages add up to 99.99; make them add up to exactly 100."
    ]


def test_a_single_country_takes_no_percentage_or_100():
    one = activity(**{'<recipient-country code="ML" percentage="20"/>': ""})
    assert errors(one) == [
        "The only recipient country has a percentage of 80; set it to 100 or leave it empty."
    ]
    bare = activity(
        **{'<recipient-country code="ML" percentage="20"/>': "", ' percentage="80"': ""}
    )
    assert errors(bare) == []


def test_countries_and_regions_of_one_vocabulary_sum_to_100_together():
    def with_region(share: str) -> etree._Element:
        return activity(
            **{
                '<sector vocabulary="1" code="14030"': f'<recipient-region code="289" '
                f'percentage="{share}"/><sector vocabulary="1" code="14030"',
                'code="SN" percentage="80"': 'code="SN" percentage="70"',
            }
        )

    assert errors(with_region("10")) == []
    assert errors(with_region("20")) == [
        "The recipient country and region percentages add up to 110; make them add up to "
        "exactly 100."
    ]


def test_an_identifier_may_start_with_a_previous_org_id_given_as_other_identifier():
    element = activity(
        **{
            "<iati-identifier>FR-RCS-123456789-EAU": "<iati-identifier>FR-OLD-1-EAU",
            '<activity-status code="2"/>': '<other-identifier ref="FR-OLD-1" type="B1"/>'
            '<activity-status code="2"/>',
        }
    )
    assert errors(element) == []


def test_an_identifier_with_a_slash_is_an_error():
    element = activity(**{"FR-RCS-123456789-EAU": "FR-RCS-123456789-EAU/2"})
    assert any("/ & | ?" in message for message in errors(element))


def test_sectors_on_the_activity_and_on_transactions_are_an_error():
    element = activity(
        '<transaction><transaction-type code="3"/><transaction-date iso-date="2025-02-01"/>'
        '<value value-date="2025-02-01">10</value><sector code="14030"/></transaction>'
    )
    assert any("both for the activity and on transactions" in m for m in errors(element))


def test_a_budget_longer_than_a_year_is_an_error():
    element = activity(
        '<budget><period-start iso-date="2025-01-01"/><period-end iso-date="2026-01-01"/>'
        '<value value-date="2025-01-01">10</value></budget>'
    )
    assert errors(element) == [
        "A budget period from 2025-01-01 to 2026-01-01 is longer than one year; split the "
        "budget into yearly amounts."
    ]


def test_an_unknown_code_of_an_open_list_is_a_warning_and_of_a_closed_list_an_error():
    open_list = activity(**{'code="ML"': 'code="QQ"'})
    assert [(p.severity, p.rule) for p in check_codelists(open_list)] == [(WARNING, "codelist")]
    closed = activity(**{'<activity-status code="2"/>': '<activity-status code="9"/>'})
    assert [(p.severity, p.rule) for p in check_codelists(closed)] == [(ERROR, "codelist")]


def test_a_withdrawn_code_is_an_error_on_export_and_a_warning_on_import():
    withdrawn = sorted(codelist("Sector").withdrawn)[0]
    element = activity(**{'code="14081"': f'code="{withdrawn}"'})
    assert [p.severity for p in check_codelists(element, strict=True)] == [ERROR]
    assert [p.severity for p in check_codelists(element, strict=False)] == [WARNING]


def test_on_import_every_finding_is_a_warning_and_the_xsd_is_always_run():
    element = activity(**{"<title><narrative>Eau</narrative></title>": ""})
    problems = validate_activity(element, today=TODAY, strict=False)
    assert {p.severity for p in problems} == {WARNING}
    assert any(p.rule == "xsd" and "Expected is ( title )" in p.message for p in problems)


def test_measured_indicators_need_numeric_values():
    element = activity(
        '<result type="1"><title><narrative>R</narrative></title>'
        '<indicator measure="1"><title><narrative>I</narrative></title>'
        '<baseline year="2024" value="n/a"/></indicator></result>'
    )
    assert errors(element) == [
        "The baseline of the indicator “I” has no numeric value; give a number."
    ]
