"""The demo city's own IATI file: every published example project goes out, valid."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from lxml import etree

from jumelage.partners.models import MemberAuthority
from jumelage.projects.models import ExpenseLine, Project
from jumelage.projects.selectors import budget_plans
from jumelage.reporting.iati.export import write_activities
from jumelage.reporting.iati.reference import activity_schema, safe_parser


@pytest.fixture
def suresnes(db, settings):
    settings.DEMO_PASSWORD = "not-the-default"  # the demo refuses "demo" with DEBUG off
    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    return MemberAuthority.objects.get(slug="suresnes")


def test_the_demo_export_validates_and_leaves_out_no_project(suresnes):
    output = io.BytesIO()
    report = write_activities(suresnes, output, base_url="https://jumelage.example.org/")
    assert report.excluded == [], [(e.title, e.problems) for e in report.excluded]
    root = etree.fromstring(output.getvalue(), safe_parser())
    assert activity_schema().validate(root), activity_schema().error_log
    published = Project.objects.filter(authority=suresnes, is_public=True).count()
    assert published >= 1
    assert len(root.findall("iati-activity")) == published
    # Narratives in each language the demo content has.
    languages = {
        n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in root.iter("narrative")
    }
    assert {"en"} <= languages


def test_the_demo_budgets_are_the_plans_in_force_within_each_projects_dates(suresnes):
    output = io.BytesIO()
    write_activities(suresnes, output, base_url="https://jumelage.example.org/")
    root = etree.fromstring(output.getvalue(), safe_parser())
    for project in Project.objects.filter(authority=suresnes, is_public=True):
        activity = next(
            a
            for a in root.iterfind("iati-activity")
            if a.findtext("iati-identifier").endswith(f"-{project.slug}")
        )
        starts = project.actual_start or project.planned_start
        ends = project.actual_end or project.planned_end
        total = Decimal(0)
        for budget in activity.iterfind("budget"):
            start = datetime.date.fromisoformat(budget.find("period-start").get("iso-date"))
            end = datetime.date.fromisoformat(budget.find("period-end").get("iso-date"))
            assert starts <= start < end <= ends, (project.slug, start, end)
            total += Decimal(budget.findtext("value"))
        in_force = ExpenseLine.objects.filter(plan__in=budget_plans(project))
        assert total == sum((line.amount for line in in_force), Decimal(0)) > 0


def test_the_demo_school_exchange_goes_out_as_other_official_flows(suresnes):
    # Not ODA (its main objective is not Serbia's development): flow type 21 on its payments.
    output = io.BytesIO()
    write_activities(suresnes, output, base_url="https://jumelage.example.org/")
    root = etree.fromstring(output.getvalue(), safe_parser())
    [exchange] = [
        activity
        for activity in root.findall("iati-activity")
        if "Kragujevac" in "".join(activity.find("title").itertext())
    ]
    flows = {t.find("flow-type").get("code") for t in exchange.findall("transaction")}
    assert flows == {"21"}
