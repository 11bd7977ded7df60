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
    assert "80,00\u202f%" in checks[0].message
    assert "70,00\u202f%" in checks[0].message


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


# --- The caps and minimums compare exact amounts, at the edge --------------------------------


@pytest.mark.parametrize(
    ("requested", "codes"),
    [("70000.00", []), ("70000.01", ["above_cap"]), ("70004.00", ["above_cap"])],
)
def test_the_cap_compares_exact_amounts_equal_passes_a_cent_over_warns(
    project, meae_call, requested, codes
):
    # 70 % of 100 000 for Haiti: a rate rounded to 0.01 % let 70 004 through (70.00 %).
    application = ApplicationFactory(project=project, call=meae_call, amount_requested=requested)
    own = str(Decimal("100000.00") - Decimal(requested))
    _plan(project, application, expenses="100000.00", own=own)
    assert _codes(application) == codes


@pytest.mark.usefixtures("french")
def test_the_cap_warning_says_the_maximum_and_how_much_to_lower(project, meae_call):
    application = ApplicationFactory(project=project, call=meae_call, amount_requested="70004.00")
    _plan(project, application, expenses="100000.00", own="29996.00")
    application.refresh_from_db()
    [check] = application_checks(application, today=TODAY)
    assert "70,01\u202f%" in check.message  # rounded up: never shown as the cap itself
    assert "70\u00a0000,00 EUR" in check.message
    assert "au moins 4,00 EUR" in check.message  # what to lower, in French now


@pytest.mark.parametrize(("own", "codes"), [("10000.00", []), ("9999.99", ["own_share_low"])])
def test_the_minimum_own_share_compares_exact_amounts(project, meae_call, own, codes):
    # At least 10 % of 100 000: 9 999.99 was rounded to 10.00 % and passed.
    application = ApplicationFactory(project=project, call=meae_call, amount_requested="50000.00")
    plan = _plan(project, application, expenses="100000.00", own=own)
    ResourceLineFactory(plan=plan, is_own=False, funder=FunderFactory(), amount="40000.01")
    assert _codes(application) == codes


@pytest.mark.parametrize(("in_kind", "codes"), [("5000.00", []), ("5000.01", ["in_kind_high"])])
def test_the_in_kind_half_compares_exact_amounts(project, meae_call, in_kind, codes):
    # In kind at most 50 % of an own share of 10 000: 5 000.01 was 50.00 % and passed.
    application = ApplicationFactory(project=project, call=meae_call, amount_requested="50000.00")
    cash = str(Decimal("10000.00") - Decimal(in_kind))
    plan = _plan(project, application, expenses="100000.00", own=cash, own_in_kind=in_kind)
    ResourceLineFactory(plan=plan, is_own=False, funder=FunderFactory(), amount="40000.00")
    assert _codes(application) == codes


# --- Whose lines make up the own share: as the call words it ---------------------------------


def _authority_funder(name, country, **fields):
    from jumelage.partners.tests.factories import AuthorityFactory

    return FunderFactory(
        name=name,
        iati_org_type="11",
        authority=AuthorityFactory(name=name, country=CountryFactory(code=country), **fields),
    )


def test_the_meaes_ten_percent_counts_the_french_authorities_lines(project, meae_call):
    # MEAE: "French authorities bring at least 10 %": another French authority co-funding the
    # project counts with the member's own money.
    meae_call.own_share_counts = "french_authorities"
    meae_call.save()
    application = ApplicationFactory(project=project, call=meae_call, amount_requested="60000.00")
    plan = _plan(project, application, expenses="100000.00", own="6000.00")
    department = _authority_funder("Département des Hauts-de-Seine", "FR")
    ResourceLineFactory(plan=plan, is_own=False, funder=department, amount="4000.00")
    ResourceLineFactory(plan=plan, is_own=False, funder=FunderFactory(), amount="30000.00")
    assert _codes(application) == []
    meae_call.own_share_counts = "own"  # the member's own 6 % alone falls short
    meae_call.save()
    assert _codes(application) == ["own_share_low"]


def test_the_in_kind_half_counts_the_french_authorities_in_kind_too(project, meae_call):
    meae_call.own_share_counts = "french_authorities"
    meae_call.save()
    application = ApplicationFactory(project=project, call=meae_call, amount_requested="60000.00")
    plan = _plan(project, application, expenses="100000.00", own="4000.00")
    department = _authority_funder("Département du Nord", "FR")
    ResourceLineFactory(plan=plan, is_own=False, funder=department, in_kind=True, amount="6000.00")
    ResourceLineFactory(plan=plan, is_own=False, funder=FunderFactory(), amount="30000.00")
    # 6 000 in kind of the French authorities' 10 000: 60 % > 50 %.
    assert _codes(application) == ["in_kind_high"]


def test_the_ficols_thirty_percent_counts_the_partner_authoritys_lines(project, city_a):
    # AFD FICOL: "at least 30 % from the authorities and partners": the partner authority of the
    # project (Cap-Haïtien) counts; a foreign authority that is no partner of it does not.
    from jumelage.partners.tests.factories import PartnershipFactory

    ficol = CallFactory(
        funder=FunderFactory(name="AFD"),
        min_own_share=30,
        own_share_counts="authorities_and_partners",
    )
    cap_haitien = _authority_funder("Cap-Haïtien", "HT")
    project.partnerships.add(PartnershipFactory(authority=city_a, partner=cap_haitien.authority))
    application = ApplicationFactory(project=project, call=ficol, amount_requested="70000.00")
    plan = _plan(project, application, expenses="100000.00", own="20000.00")
    partner_line = ResourceLineFactory(
        plan=plan, is_own=False, funder=cap_haitien, in_kind=True, amount="10000.00"
    )
    assert _codes(application) == []
    partner_line.funder = _authority_funder("Kragujevac", "RS")
    partner_line.save()
    assert _codes(application) == ["own_share_low"]
