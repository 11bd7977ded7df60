"""The IATI file states flows and budgets as they are: ODA by the DAC list of each flow's year,
the budget of the plan in force cut to the activity's dates, and a future payment left out
without dropping its project."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from lxml import etree

from jumelage.core.tests.factories import CountryFactory, OdaEligibilityFactory
from jumelage.partners.models import MemberAuthority
from jumelage.projects.models import Project
from jumelage.projects.tests.factories import (
    ExpenseLineFactory,
    FinancingPlanFactory,
    ProjectCountryFactory,
    ProjectFactory,
    ProjectSectorFactory,
    TransactionFactory,
)
from jumelage.reporting.iati.export import ExportReport, write_activities
from jumelage.reporting.iati.reference import activity_schema, safe_parser
from jumelage.reporting.tests.factories import full_project

pytestmark = pytest.mark.django_db


def export(member: MemberAuthority, **options: object) -> tuple[etree._Element, ExportReport]:
    output = io.BytesIO()
    report = write_activities(member, output, **options)
    root = etree.fromstring(output.getvalue(), safe_parser())
    assert activity_schema().validate(root), activity_schema().error_log
    return root, report


def activity_of(root: etree._Element, project: Project) -> etree._Element:
    for activity in root.iterfind("iati-activity"):
        if activity.findtext("iati-identifier", "").endswith(f"-{project.slug}"):
            return activity
    raise AssertionError(f"{project.slug} is not in the file")


def project_in(member: MemberAuthority, country: str, **fields: object) -> Project:
    """A published project in one country, valid for IATI, without money yet."""
    values: dict[str, object] = {
        "is_public": True,
        "summary": {"fr": "Un projet."},
        "planned_start": datetime.date(2025, 1, 1),
        "planned_end": datetime.date(2026, 12, 31),
    }
    project: Project = ProjectFactory(authority=member, **{**values, **fields})
    ProjectCountryFactory(project=project, country=CountryFactory(code=country))
    ProjectSectorFactory(project=project, code="15112")
    return project


def flow_types(activity: etree._Element) -> list[tuple[str, str | None]]:
    """(transaction date, its own flow type) for each transaction of the activity."""
    return [
        (
            t.find("transaction-date").get("iso-date"),
            t.find("flow-type").get("code") if t.find("flow-type") is not None else None,
        )
        for t in activity.iterfind("transaction")
    ]


# --- ODA: the DAC list of the year of each flow ----------------------------------------------


def test_a_payment_of_a_twinning_with_a_non_oda_country_is_not_published_as_oda(city_a, city_b):
    OdaEligibilityFactory(country=CountryFactory(code="HT"), year=2025)
    twinning = project_in(city_a, "DE")
    # The transaction's flow type is the form's default, 10 (ODA): Germany is no recipient.
    TransactionFactory(
        project=twinning,
        date=datetime.date(2025, 5, 1),
        recipient_country=CountryFactory(code="DE"),
    )
    root, _report = export(city_a)
    activity = activity_of(root, twinning)
    assert activity.find("default-flow-type") is None
    assert flow_types(activity) == [("2025-05-01", None)]


def test_the_activitys_flow_type_follows_the_list_of_the_year_of_its_flows(city_a):
    # Country XK is on the 2025 list and leaves it in 2026 (the latest list loaded).
    OdaEligibilityFactory(country=CountryFactory(code="XK"), year=2025, income_group="LMIC")
    OdaEligibilityFactory(country=CountryFactory(code="HT"), year=2026)
    # Payments with no country of their own: the project's applies.
    before = project_in(city_a, "XK", slug="avant")
    TransactionFactory(project=before, date=datetime.date(2025, 5, 1), recipient_country=None)
    across = project_in(city_a, "XK", slug="a-cheval")
    for day in (datetime.date(2025, 5, 1), datetime.date(2026, 2, 1)):
        TransactionFactory(project=across, date=day, recipient_country=None)
    root, report = export(city_a)
    assert report.excluded == []
    # All its flows are of 2025, when XK was a recipient: ODA, whatever the latest list says.
    assert activity_of(root, before).find("default-flow-type").get("code") == "10"
    assert flow_types(activity_of(root, before)) == [("2025-05-01", None)]
    # Flows of 2025 and 2026: no ODA default; the 2025 payment is ODA, the 2026 one is not.
    activity = activity_of(root, across)
    assert activity.find("default-flow-type") is None
    assert flow_types(activity) == [("2025-05-01", "10"), ("2026-02-01", None)]


def test_a_year_without_its_oda_list_makes_no_oda_claim_and_says_so(city_a):
    OdaEligibilityFactory(country=CountryFactory(code="HT"), year=2025)
    project = project_in(city_a, "HT")
    TransactionFactory(project=project, date=datetime.date(2024, 11, 1))
    root, report = export(city_a)
    activity = activity_of(root, project)
    assert activity.find("default-flow-type") is None
    assert flow_types(activity) == [("2024-11-01", None)]
    assert any("for 2024 flows is not loaded" in message for _t, message in report.warnings)


# --- The budget: the plan in force, within the activity's dates -------------------------------


def budgets(activity: etree._Element) -> list[tuple[str, str, str]]:
    return [
        (
            b.find("period-start").get("iso-date"),
            b.find("period-end").get("iso-date"),
            b.findtext("value"),
        )
        for b in activity.iterfind("budget")
    ]


def test_a_draft_revision_does_not_count_in_the_budget_with_the_adopted_plan(city_a):
    project = project_in(city_a, "HT")
    adopted = FinancingPlanFactory(project=project, status="adopted")
    ExpenseLineFactory(plan=adopted, amount=Decimal("10000"), year=2025)
    revision = FinancingPlanFactory(project=project, status="draft")
    ExpenseLineFactory(plan=revision, amount=Decimal("12000"), year=2025)
    root, _report = export(city_a)
    assert budgets(activity_of(root, project)) == [("2025-01-01", "2025-12-31", "10000")]


def test_an_adopted_revision_replaces_the_plan_it_revises_in_the_budget(city_a):
    project = project_in(city_a, "HT")
    original = FinancingPlanFactory(project=project, status="adopted", year=2025)
    ExpenseLineFactory(plan=original, amount=Decimal("10000"))
    revision = FinancingPlanFactory(project=project, status="adopted", year=2025)
    ExpenseLineFactory(plan=revision, amount=Decimal("12000"))
    root, _report = export(city_a)
    assert budgets(activity_of(root, project)) == [("2025-01-01", "2025-12-31", "12000")]


def test_budget_periods_are_cut_to_the_activitys_dates(city_a):
    for year in (2025, 2026):
        OdaEligibilityFactory(country=CountryFactory(code="HT"), year=year)
    project = project_in(
        city_a,
        "HT",
        planned_start=datetime.date(2025, 3, 1),
        planned_end=datetime.date(2026, 9, 30),
        actual_start=datetime.date(2025, 4, 15),
    )
    plan = FinancingPlanFactory(project=project, status="adopted")
    ExpenseLineFactory(plan=plan, amount=Decimal("6000"), year=2025)
    ExpenseLineFactory(plan=plan, amount=Decimal("4000"), year=2026)
    root, report = export(city_a)
    activity = activity_of(root, project)
    # From the actual start; to the planned end (no actual end yet).
    assert budgets(activity) == [
        ("2025-04-15", "2025-12-31", "6000"),
        ("2026-01-01", "2026-09-30", "4000"),
    ]
    values = [b.find("value").get("value-date") for b in activity.iterfind("budget")]
    assert values == ["2025-04-15", "2026-01-01"]
    assert report.warnings == []


def test_a_budget_year_outside_the_activitys_dates_stays_whole_with_a_warning(city_a):
    project = project_in(city_a, "HT")  # 2025-2026
    plan = FinancingPlanFactory(project=project, status="adopted")
    ExpenseLineFactory(plan=plan, amount=Decimal("3000"), year=2027)
    root, report = export(city_a)
    assert report.excluded == []
    assert budgets(activity_of(root, project)) == [("2027-01-01", "2027-12-31", "3000")]
    assert any("expenses for 2027, outside the project" in m for _t, m in report.warnings)


# --- A payment dated in the future ------------------------------------------------------------


def test_a_future_disbursement_is_left_out_with_a_warning_and_its_project_stays(city_a):
    project = full_project(city_a)
    soon = timezone.localdate() + datetime.timedelta(days=10)
    TransactionFactory(project=project, transaction_type="3", date=soon, amount="700.00")
    root, report = export(city_a)
    assert report.excluded == []
    activity = activity_of(root, project)
    dates = [t.find("transaction-date").get("iso-date") for t in activity.iterfind("transaction")]
    assert soon.isoformat() not in dates
    assert len(dates) == 2  # the project's two past transactions
    assert any(
        f"dated {soon.isoformat()} is in the future" in message for _t, message in report.warnings
    )


def test_a_value_date_in_the_future_leaves_the_transaction_out_too(city_a):
    project = full_project(city_a)
    later = timezone.localdate() + datetime.timedelta(days=5)
    TransactionFactory(
        project=project, date=datetime.date(2025, 6, 1), value_date=later, amount="300.00"
    )
    root, report = export(city_a)
    assert report.excluded == []
    assert len(activity_of(root, project).findall("transaction")) == 2


def test_the_export_runs_a_fixed_number_of_queries(city_a, django_assert_num_queries):
    # The ODA lists; the projects; then one prefetch each: sectors, countries, transactions,
    # the plans in force, their expense and resource lines, results, indicators, periods,
    # published documents, actor roles and partnerships.
    for _ in range(3):
        full_project(city_a)
    with django_assert_num_queries(14):
        assert export(city_a)[1].exported == 3
