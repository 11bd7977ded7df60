"""The IATI export: valid files, left-out projects with their reasons, languages, queries."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from jumelage.actors.tests.factories import ActorFactory, ProjectActorFactory
from jumelage.content.tests.factories import DocumentFactory
from jumelage.core.tests.factories import CountryFactory, OdaEligibilityFactory
from jumelage.partners.models import MemberAuthority
from jumelage.partners.tests.factories import AuthorityFactory, MemberAuthorityFactory
from jumelage.projects.models import Project
from jumelage.projects.tests.factories import (
    IndicatorPeriodFactory,
    ProjectCountryFactory,
    ProjectFactory,
    ResultFactory,
)
from jumelage.reporting.iati.codelists import check_codelists
from jumelage.reporting.iati.export import check_export, write_activities
from jumelage.reporting.iati.problems import ERROR
from jumelage.reporting.iati.reference import XML_LANG, activity_schema, safe_parser
from jumelage.reporting.iati.rules import check_rules
from jumelage.reporting.tests.factories import full_project


def export(member: MemberAuthority) -> tuple[etree._Element | None, object]:
    output = io.BytesIO()
    report = write_activities(member, output)
    data = output.getvalue()
    return (etree.fromstring(data, safe_parser()) if data else None), report


def identifiers(root: etree._Element) -> list[str]:
    return [a.findtext("iati-identifier") for a in root.iterfind("iati-activity")]


def test_an_export_of_complete_projects_passes_the_xsd_the_codelists_and_every_rule(city_a, city_b):
    projects = [full_project(city_a) for _ in range(3)]
    root, report = export(city_a)
    assert activity_schema().validate(root), activity_schema().error_log
    assert report.exported == 3 and report.excluded == []
    today = timezone.localdate()
    for activity in root.iterfind("iati-activity"):
        problems = check_codelists(activity) + check_rules(activity, today=today)
        assert [p.message for p in problems if p.severity == ERROR] == []
    assert identifiers(root) == [f"FR-RCS-123456789-{p.slug}" for p in projects]


def test_only_the_published_projects_of_the_authority_are_exported(city_a, city_b):
    mine = full_project(city_a)
    full_project(city_a, is_public=False)
    full_project(city_b)
    root, _report = export(city_a)
    assert identifiers(root) == [f"FR-RCS-123456789-{mine.slug}"]


def test_an_activity_carries_the_reporting_org_and_the_participants_in_their_roles(city_a):
    full_project(city_a)
    root, _report = export(city_a)
    activity = root.find("iati-activity")
    reporting = activity.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == ("FR-RCS-123456789", "11")
    roles = [
        (org.get("role"), org.get("ref"), org.findtext("narrative"))
        for org in activity.iterfind("participating-org")
    ]
    assert ("1", "FR-RCS-123456789", "Ville A") in roles
    assert ("1", "FR-3", "Agence française de développement") in roles
    assert ("3", "FR-RCS-123456789", "Ville A") in roles
    assert ("4", None, "Cap-Haïtien") in roles
    assert any(role == "4" and name.startswith("Association") for role, _r, name in roles)
    assert activity.find("contact-info/department/narrative").text == "Relations internationales"
    assert [t.get("code") for t in activity.iterfind("tag")] == ["16.9"]
    assert activity.find("tag").get("vocabulary") == "3"


def test_narratives_carry_xml_lang_for_each_language_of_the_content(city_a):
    full_project(city_a)
    root, _report = export(city_a)
    activity = root.find("iati-activity")
    title = {n.get(XML_LANG): n.text for n in activity.iterfind("title/narrative")}
    assert title == {
        "fr": "Appui à l'état civil",
        "en": "Civil registry support",
        "ht": "Sivil",
    }
    assert all(n.get(XML_LANG) for n in activity.iter("narrative"))
    assert activity.get(XML_LANG) == "fr"


def _future(days: int = 30) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _sectors_off_by_ten(project: Project) -> None:
    sector = project.sectors.get(code="15112")
    sector.percentage = 50
    sector.save()


def _period_ending_the_day_it_starts(project: Project) -> None:
    indicator = project.results.get().indicators.get()
    day = datetime.date(2025, 3, 1)
    IndicatorPeriodFactory(indicator=indicator, starts_on=day, ends_on=day, actual_value=1)


def _no_sector(project: Project) -> None:
    project.sectors.all().delete()


def _foreign_identifier(project: Project) -> None:
    Project.objects.filter(pk=project.pk).update(iati_identifier="XM-DAC-7-1-42")


def _actual_end_in_the_future(project: Project) -> None:
    Project.objects.filter(pk=project.pk).update(actual_end=_future())


def _unknown_sector_code(project: Project) -> None:
    project.sectors.filter(code="15150").update(code="12345")


def _unknown_sdg_target(project: Project) -> None:
    Project.objects.filter(pk=project.pk).update(sdg_targets=["18.1"])


def _no_start_date(project: Project) -> None:
    Project.objects.filter(pk=project.pk).update(planned_start=None, actual_start=None)


def _no_title(project: Project) -> None:
    Project.objects.filter(pk=project.pk).update(title={"fr": "  "})


def _result_without_indicator(project: Project) -> None:
    ResultFactory(project=project)


def _countries_off(project: Project) -> None:
    ProjectCountryFactory(project=project, country=CountryFactory(code="ML"), percentage=10)


BREAKERS: list[tuple[Callable[[Project], None], str]] = [
    (_sectors_off_by_ten, "The sector percentages add up to 90; make them add up to exactly 100"),
    (_countries_off, "The recipient country percentages add up to 110"),
    (_period_ending_the_day_it_starts, "does not end after it starts"),
    (_no_sector, "No sector is given"),
    (_foreign_identifier, "does not start with the organisation id “FR-RCS-123456789”"),
    (_actual_end_in_the_future, "The actual end date"),
    (_unknown_sector_code, "The sector code “12345” is not in the IATI list Sector"),
    (_unknown_sdg_target, "The SDG target code “18.1” is not in the IATI list UNSDG-Targets"),
    (_no_start_date, "Neither a planned nor an actual start date is given"),
    (_no_title, "The title is empty"),
    (_result_without_indicator, "has no indicator"),
]


@pytest.mark.parametrize(("breaker", "reason"), BREAKERS, ids=[b.__name__ for b, _r in BREAKERS])
def test_a_project_that_breaks_a_rule_is_left_out_with_its_reason_and_the_others_stay(
    city_a, city_b, breaker, reason
):
    good = full_project(city_a)
    bad = full_project(city_a)
    breaker(bad)
    root, report = export(city_a)
    assert identifiers(root) == [f"FR-RCS-123456789-{good.slug}"]
    assert activity_schema().validate(root)
    assert [item.pk for item in report.excluded] == [bad.pk]
    problems = report.excluded[0].problems
    assert any(reason in problem for problem in problems), problems


def test_two_projects_with_one_identifier_keep_the_first_and_say_why(city_a):
    first = full_project(city_a, iati_identifier="FR-RCS-123456789-EAU")
    second = full_project(city_a, iati_identifier="FR-RCS-123456789-EAU")
    root, report = export(city_a)
    assert identifiers(root) == ["FR-RCS-123456789-EAU"]
    assert [item.pk for item in report.excluded] == [second.pk]
    assert "already used by another project" in report.excluded[0].problems[0]
    assert first.pk not in [item.pk for item in report.excluded]


def test_an_authority_without_organisation_id_exports_nothing_and_says_what_to_do(db):
    member = MemberAuthorityFactory(authority=AuthorityFactory(name="Sans SIREN", siren=""))
    full_project(member)
    root, report = export(member)
    assert root is None
    assert report.exported == 0
    assert "gives its SIREN number" in report.refused
    assert "Settings page, under Identifiers for the reports" in report.refused


def test_budgets_are_yearly_follow_the_financing_plan_and_keep_to_the_activitys_dates(city_a):
    # The project started on 1 February 2025 (actual) and ends on 31 December 2026 (planned).
    full_project(city_a)
    root, _report = export(city_a)
    budgets = [
        (
            b.find("period-start").get("iso-date"),
            b.find("period-end").get("iso-date"),
            b.findtext("value"),
            b.get("status"),
        )
        for b in root.iterfind("iati-activity/budget")
    ]
    assert budgets == [
        ("2025-02-01", "2025-12-31", "30000", "2"),
        ("2026-01-01", "2026-12-31", "5000", "2"),
    ]


def test_the_oda_flow_type_is_given_only_when_every_country_is_an_oda_recipient(city_a):
    OdaEligibilityFactory(country=CountryFactory(code="HT"), year=2025)
    OdaEligibilityFactory(country=CountryFactory(code="RS"), year=2025, income_group="UMIC")
    aid = full_project(city_a)
    twinning = ProjectFactory(authority=city_a, is_public=True, summary={"fr": "Jumelage."})
    ProjectCountryFactory(project=twinning, country=CountryFactory(code="DE"))
    twinning.sectors.create(code="15112", percentage=100)
    root, report = export(city_a)
    assert report.excluded == []
    flows = {
        a.findtext("iati-identifier"): a.find("default-flow-type")
        for a in root.iterfind("iati-activity")
    }
    assert flows[f"FR-RCS-123456789-{aid.slug}"].get("code") == "10"
    assert flows[f"FR-RCS-123456789-{twinning.slug}"] is None


def test_private_documents_and_actors_of_a_published_project_stay_out(city_a):
    project = full_project(city_a)
    ProjectActorFactory(
        project=project, actor=ActorFactory(authority=city_a, name="Secret", is_public=False)
    )
    root, _report = export(city_a)
    text = etree.tostring(root, encoding="unicode")
    assert "secret.pdf" not in text
    assert "Secret" not in text
    assert "https://example.org/rapport.pdf" in text


def test_an_uploaded_document_needs_the_sites_address_and_is_advice_not_exclusion(city_a):
    project = full_project(city_a)
    document = DocumentFactory(
        authority=city_a, project=project, is_public=True, url="", file="d/a.pdf"
    )
    report = check_export(city_a)
    assert report.exported == 1
    assert any("uploaded file" in message for _title, message in report.warnings)
    output = io.BytesIO()
    write_activities(city_a, output, base_url="https://jumelage.example.org/")
    url = f'url="https://jumelage.example.org/documents/{document.pk}/a.pdf"'
    assert url.encode() in output.getvalue()


def test_a_control_character_pasted_in_a_title_does_not_break_the_file(city_a):
    full_project(city_a, title={"fr": "Eau\x0b potable"})
    root, report = export(city_a)
    assert report.exported == 1
    assert root.findtext("iati-activity/title/narrative") == "Eau potable"


def test_the_number_of_queries_does_not_grow_with_the_number_of_projects(city_a):
    for _ in range(2):
        full_project(city_a)
    with CaptureQueriesContext(connection) as two:
        assert export(city_a)[1].exported == 2
    for _ in range(8):
        full_project(city_a)
    with CaptureQueriesContext(connection) as ten:
        assert export(city_a)[1].exported == 10
    assert len(ten.captured_queries) == len(two.captured_queries)
