"""The money of a member authority's year (projects.figures): what was spent, where and on
what, year by year; what co-funders granted; who finances the year's projects, and the
leverage. Another authority's money never counts; queries do not grow with the rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jumelage.core.models import Codelist
from jumelage.core.tests.factories import CodelistItemFactory, CountryFactory
from jumelage.projects.figures import (
    OWN,
    UNSPECIFIED,
    financing_of_year,
    grants_decided,
    projects_of_year,
    results_of_year,
    spending,
)
from jumelage.projects.models import FinancingPlan, Project
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    FinancingPlanFactory,
    FunderFactory,
    IndicatorPeriodFactory,
    ProjectCountryFactory,
    ProjectFactory,
    ProjectSectorFactory,
    ResourceLineFactory,
    TransactionFactory,
)

pytestmark = pytest.mark.django_db


def day(month: int = 6, year: int = 2025) -> datetime.date:
    return datetime.date(year, month, 1)


def amounts(shares) -> dict[str, Decimal]:
    return {share.key: share.amount for share in shares}


def test_spending_counts_the_authority_s_payments_by_year_country_and_sector(city_a, city_b):
    haiti, serbia = CountryFactory(code="HT"), CountryFactory(code="RS")
    project = ProjectFactory(authority=city_a)
    TransactionFactory(project=project, date=day(3), amount="4000.00", recipient_country=haiti)
    TransactionFactory(
        project=project, date=day(5), amount="1000.00", recipient_country=serbia, sector_code=""
    )
    ProjectSectorFactory(project=project, code="11220")
    TransactionFactory(project=project, date=day(5, 2024), amount="700.00")
    TransactionFactory(project=project, date=day(5), amount="9999.00", transaction_type="2")
    # The other authority's money, the same year and country: never in A's figures.
    TransactionFactory(project=ProjectFactory(authority=city_b), date=day(4), amount="50000.00")
    CodelistItemFactory(codelist=Codelist.SECTOR_CATEGORY, code="151", name_en="Government")

    report = spending(city_a, 2021, 2025)

    assert report.total(2025) == Decimal("5000.00")
    assert report.total(2024) == Decimal("700.00")
    assert amounts(report.by_country(2025)) == {"HT": Decimal("4000.00"), "RS": Decimal("1000.00")}
    assert amounts(report.by_sector(2025)) == {"151": Decimal("4000.00"), "112": Decimal("1000.00")}
    assert report.by_sector(2025)[0].label == "Government"
    assert [(s.key, s.amount) for s in report.by_year(range(2023, 2026))] == [
        ("2023", Decimal("0.00")),
        ("2024", Decimal("700.00")),
        ("2025", Decimal("5000.00")),
    ]


def test_a_payment_without_a_country_is_spread_by_its_project_s_shares(city_a):
    project = ProjectFactory(authority=city_a)
    ProjectCountryFactory(project=project, country=CountryFactory(code="HT"), percentage=60)
    ProjectCountryFactory(project=project, country=CountryFactory(code="RS"), percentage=40)
    TransactionFactory(project=project, amount="100.01", recipient_country=None)
    TransactionFactory(
        project=ProjectFactory(authority=city_a), amount="5.00", recipient_country=None
    )

    shares = amounts(spending(city_a, 2025, 2025).by_country(2025))

    assert shares == {"HT": Decimal("60.01"), "RS": Decimal("40.00"), UNSPECIFIED: Decimal("5.00")}


def test_own_funds_and_currencies(city_a):
    project = ProjectFactory(authority=city_a)
    TransactionFactory(project=project, amount="655957.00", currency="XOF")  # 1 000 € (fixed)
    TransactionFactory(project=project, amount="300.00", from_own_funds=False)
    TransactionFactory(project=project, amount="5000.00", currency="HTG")  # no rate: left out

    report = spending(city_a, 2025, 2025)

    assert report.total(2025) == Decimal("1300.00")
    assert report.total(2025, own_only=True) == Decimal("1000.00")
    assert report.without_rate == 1


def test_spending_reads_in_constant_queries(city_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            spending(city_a, 2021, 2025).by_sector(2025)
        return len(captured.captured_queries)

    project = ProjectFactory(authority=city_a)
    ProjectSectorFactory(project=project)
    TransactionFactory(project=project, sector_code="")
    few = queries()
    for n in range(10):
        other = ProjectFactory(authority=city_a)
        ProjectCountryFactory(project=other)
        ProjectSectorFactory(project=other)
        TransactionFactory(project=other, recipient_country=None, sector_code="", amount=n + 1)
    assert queries() == few


def adopted_plan(project, **kwargs) -> FinancingPlan:
    return FinancingPlanFactory(project=project, status=FinancingPlan.Status.ADOPTED, **kwargs)


def test_financing_of_the_year_reads_the_budgets_in_force(city_a, city_b):
    meae = FunderFactory(name="Ministère", acronym="MEAE")
    project = ProjectFactory(authority=city_a)
    plan = adopted_plan(project)
    ResourceLineFactory(plan=plan, amount="10000.00")
    ResourceLineFactory(plan=plan, is_own=False, funder=meae, amount="25000.00")
    ResourceLineFactory(
        plan=plan,
        is_own=False,
        funder=FunderFactory(name="AFD"),
        amount="9000.00",
        status="refused",
    )
    ResourceLineFactory(plan=plan, is_own=False, funder=meae, amount="7000.00", year=2026)
    # A draft revision is no budget; another authority's plan is not A's.
    ResourceLineFactory(plan=FinancingPlanFactory(project=project), amount="99999.00")
    other = adopted_plan(ProjectFactory(authority=city_b))
    ResourceLineFactory(plan=other, is_own=False, funder=meae, amount="80000.00")

    financing = financing_of_year(city_a, 2025)

    assert financing.own == Decimal("10000.00")
    assert financing.external == Decimal("25000.00")
    assert financing.leverage == Decimal("2.50")
    assert [(s.key, s.label, s.amount) for s in financing.by_funder] == [
        (OWN, "Ville A (own contribution)", Decimal("10000.00")),
        (str(meae.pk), "MEAE", Decimal("25000.00")),
    ]


def test_a_project_of_another_year_finances_nothing_this_year(city_a):
    idea = ProjectFactory(authority=city_a, status=Project.Status.IDEA)
    ended = ProjectFactory(
        authority=city_a,
        status=Project.Status.COMPLETED,
        actual_start=datetime.date(2022, 1, 1),
        actual_end=datetime.date(2023, 6, 30),
    )
    running = ProjectFactory(authority=city_a)
    for project in (idea, ended, running):
        ResourceLineFactory(plan=adopted_plan(project), amount="1000.00")

    assert set(projects_of_year(city_a, 2025)) == {running}
    assert financing_of_year(city_a, 2025).own == Decimal("1000.00")
    # An idea for which money moved was at work all the same.
    TransactionFactory(project=idea, amount="10.00")
    assert set(projects_of_year(city_a, 2025)) == {running, idea}


def test_grants_decided_count_by_year_of_decision(city_a, city_b):
    project = ProjectFactory(authority=city_a)
    ApplicationFactory(
        project=project, decision="granted", amount_granted="30000.00", decided_on=day(4)
    )
    ApplicationFactory(
        project=project, decision="partly_granted", amount_granted="5000.00", decided_on=day(9)
    )
    ApplicationFactory(
        project=project, decision="granted", amount_granted="8000.00", decided_on=day(3, 2024)
    )
    ApplicationFactory(project=project, decision="refused", decided_on=day(5))
    ApplicationFactory(
        project=ProjectFactory(authority=city_b),
        decision="granted",
        amount_granted="70000.00",
        decided_on=day(4),
    )

    raised = grants_decided(city_a, [2024, 2025])

    assert (raised[2025].amount, raised[2025].count) == (Decimal("35000.00"), 2)
    assert raised[2024].amount == Decimal("8000.00")


def test_results_of_the_year_are_the_measures_of_periods_ending_in_it(city_a, city_b):
    project = ProjectFactory(authority=city_a)
    reached = IndicatorPeriodFactory(
        indicator__result__project=project, actual_value=14, ends_on=datetime.date(2025, 12, 31)
    )
    IndicatorPeriodFactory(indicator__result__project=project, actual_value=None)
    IndicatorPeriodFactory(
        indicator__result__project=project,
        actual_value=3,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    IndicatorPeriodFactory(
        indicator__result__project=ProjectFactory(authority=city_b), actual_value=9
    )

    assert list(results_of_year(city_a, 2025)) == [reached]
