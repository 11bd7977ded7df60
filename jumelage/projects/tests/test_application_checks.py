"""Warnings on an application against its call's rules, instalments and reports due."""

import datetime
from decimal import Decimal

import pytest

from jumelage.core.tests.factories import CountryFactory, ExchangeRateFactory, OdaEligibilityFactory
from jumelage.projects.selectors import application_checks, instalments_due, reports_due
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    CallFactory,
    ExpenseLineFactory,
    FinancingPlanFactory,
    FunderFactory,
    InstalmentFactory,
    ProjectCountryFactory,
    ProjectFactory,
    ReportDueFactory,
    ResourceLineFactory,
)

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def meae_call(db):
    # The MEAE's 2025 rules (domain guide §4), stored on the call.
    return CallFactory(
        funder=FunderFactory(name="MEAE"),
        year=2026,
        max_rate_ldc=70,
        max_rate_oda=50,
        max_rate_non_oda=30,
        min_own_share=10,
        max_in_kind_of_own_share=50,
        min_amount="10000.00",
        max_amount="200000.00",
        cash_only=True,
        final_instalment_percent=20,
    )


@pytest.fixture
def project(city_a):
    project = ProjectFactory(authority=city_a)
    ProjectCountryFactory(project=project)  # Haiti
    OdaEligibilityFactory(country=CountryFactory(code="HT"), year=2026, income_group="LDC")
    OdaEligibilityFactory(country=CountryFactory(code="RS"), year=2026, income_group="UMIC")
    return project


def _plan(project, application, *, expenses, own, own_in_kind="0", grant=None, grant_in_kind=False):
    plan = FinancingPlanFactory(project=project)
    ExpenseLineFactory(plan=plan, amount=expenses)
    ResourceLineFactory(plan=plan, is_own=True, amount=own)
    if Decimal(own_in_kind):
        ResourceLineFactory(plan=plan, is_own=True, in_kind=True, amount=own_in_kind)
    ResourceLineFactory(
        plan=plan,
        is_own=False,
        funder=application.call.funder,
        amount=grant or application.amount_requested,
        in_kind=grant_in_kind,
        application=application,
    )
    return plan


def _codes(application):
    application.refresh_from_db()  # as pages pass it: read from the database
    return [check.code for check in application_checks(application, today=TODAY)]


def test_an_application_within_every_rule_has_no_warning(project, meae_call):
    application = ApplicationFactory(project=project, call=meae_call, amount_requested="60000.00")
    _plan(project, application, expenses="100000.00", own="40000.00")
    assert _codes(application) == []


@pytest.mark.usefixtures("french")
def test_it_warns_of_an_amount_outside_the_calls_limits(project, meae_call):
    small = ApplicationFactory(project=project, call=meae_call, amount_requested="5000.00")
    _plan(project, small, expenses="10000.00", own="5000.00")
    assert "below_min_amount" in _codes(small)
    large = ApplicationFactory(project=project, call=meae_call, amount_requested="250000.00")
    _plan(project, large, expenses="500000.00", own="250000.00")
    large.refresh_from_db()
    checks = application_checks(large, today=TODAY)
    assert "above_max_amount" in [c.code for c in checks]
    assert "200\u00a0000,00 EUR" in " ".join(c.message for c in checks)


@pytest.mark.usefixtures("french")
def test_it_warns_of_a_rate_above_the_cap_of_the_countrys_group(project, meae_call):
    # Haiti is a least developed country: 70 % at most.
    application = ApplicationFactory(project=project, call=meae_call, amount_requested="80000.00")
    _plan(project, application, expenses="100000.00", own="20000.00")
    application.refresh_from_db()
    checks = application_checks(application, today=TODAY)
    assert [c.code for c in checks] == ["above_cap"]
    assert "80,00 %" in checks[0].message
    assert "70,00 %" in checks[0].message


def test_the_cap_follows_the_oda_list_of_the_calls_year(project, meae_call, city_a):
    serbian = ProjectFactory(authority=city_a)
    ProjectCountryFactory(project=serbian, country=CountryFactory(code="RS"))
    application = ApplicationFactory(project=serbian, call=meae_call, amount_requested="60000.00")
    _plan(serbian, application, expenses="100000.00", own="40000.00")
    assert _codes(application) == ["above_cap"]  # 60 % > 50 % for other ODA countries
    german = ProjectFactory(authority=city_a)
    ProjectCountryFactory(project=german, country=CountryFactory(code="DE"))
    application = ApplicationFactory(project=german, call=meae_call, amount_requested="40000.00")
    _plan(german, application, expenses="100000.00", own="60000.00")
    assert _codes(application) == ["above_cap"]  # 40 % > 30 % for a non-ODA country


def test_it_says_when_the_oda_list_of_the_year_is_missing(project, meae_call):
    meae_call.year = 2030
    meae_call.save()
    application = ApplicationFactory(project=project, call=meae_call, amount_requested="60000.00")
    _plan(project, application, expenses="100000.00", own="40000.00")
    assert _codes(application) == ["oda_list_missing"]


def test_it_warns_of_an_own_share_too_low_and_too_much_in_kind(project, meae_call):
    application = ApplicationFactory(project=project, call=meae_call, amount_requested="50000.00")
    # Own share: 2 000 cash + 6 000 in kind = 8 % of 100 000, 75 % of it in kind.
    _plan(project, application, expenses="100000.00", own="2000.00", own_in_kind="6000.00")
    assert _codes(application) == ["own_share_low", "in_kind_high"]


def test_it_warns_when_a_cash_only_grant_is_counted_in_kind(project, meae_call):
    application = ApplicationFactory(project=project, call=meae_call, amount_requested="60000.00")
    _plan(project, application, expenses="100000.00", own="40000.00", grant_in_kind=True)
    assert _codes(application) == ["cash_only"]


def test_it_compares_amounts_in_another_currency_at_the_rate_of_the_day(project, meae_call):
    ExchangeRateFactory(currency="USD", date=TODAY, rate="1.25")
    application = ApplicationFactory(
        project=project,
        call=meae_call,
        currency="USD",
        amount_requested="10000.00",  # 8 000 EUR, below the 10 000 EUR minimum
        submitted_on=TODAY,
    )
    _plan(project, application, expenses="20000.00", own="12000.00", grant="8000.00")
    assert _codes(application) == ["below_min_amount"]


def test_it_asks_for_a_plan_when_there_is_none(project, meae_call):
    application = ApplicationFactory(project=project, call=meae_call, amount_requested="60000.00")
    assert _codes(application) == ["no_plan"]


def test_it_reports_late_instalments_and_reports_and_those_coming_up(project, meae_call):
    application = ApplicationFactory(
        project=project, call=meae_call, amount_requested="60000.00", amount_granted="60000.00"
    )
    _plan(project, application, expenses="100000.00", own="40000.00")
    InstalmentFactory(
        application=application, rank=1, amount="54000.00", due_on=TODAY.replace(day=1, month=3)
    )
    InstalmentFactory(
        application=application, rank=2, amount="5000.00", due_on=TODAY.replace(year=2027)
    )
    ReportDueFactory(application=application, kind="interim", due_on=datetime.date(2026, 5, 1))
    ReportDueFactory(application=application, kind="final", due_on=datetime.date(2026, 6, 20))
    ReportDueFactory(application=application, due_on=datetime.date(2026, 12, 1))
    ReportDueFactory(application=application, due_on=datetime.date(2026, 4, 1), submitted_on=TODAY)
    assert _codes(application) == [
        "instalment_late",
        "instalments_mismatch",
        "final_instalment_low",
        "report_late",
        "report_soon",
    ]


def test_reports_due_lists_late_and_coming_reports_of_the_users_authorities(
    project, meae_call, officer_a, officer_b, city_b
):
    mine = ApplicationFactory(project=project, call=meae_call)
    late = ReportDueFactory(application=mine, due_on=datetime.date(2026, 5, 1))
    soon = ReportDueFactory(application=mine, due_on=datetime.date(2026, 6, 25))
    ReportDueFactory(application=mine, due_on=datetime.date(2026, 9, 1))
    ReportDueFactory(application=mine, due_on=datetime.date(2026, 5, 2), submitted_on=TODAY)
    theirs = ApplicationFactory(project=ProjectFactory(authority=city_b), call=meae_call)
    ReportDueFactory(application=theirs, due_on=datetime.date(2026, 6, 2))
    assert list(reports_due(user=officer_a, days=30, today=TODAY)) == [late, soon]
    assert [r.due_on for r in reports_due(user=officer_b, days=30, today=TODAY)] == [
        datetime.date(2026, 6, 2)
    ]
    InstalmentFactory(application=mine, due_on=datetime.date(2026, 6, 10))
    InstalmentFactory(application=theirs, due_on=datetime.date(2026, 6, 10))
    assert instalments_due(user=officer_a, today=TODAY).count() == 1
