"""The ODA declaration's figures: what counts, in euros, by category, country and CRS code; what
is left out and why; what to fix."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from jumelage.core.selectors import OdaListMissing
from jumelage.core.tests.factories import CodelistItemFactory, ExchangeRateFactory
from jumelage.projects.models import Transaction
from jumelage.reporting.oda.selectors import describe, oda_declaration
from jumelage.reporting.tests.oda_dataset import (
    COUNTED,
    EXPECTED_BY_CATEGORY,
    EXPECTED_BY_COUNTRY,
    EXPECTED_TOTAL,
    YEAR,
    declaration_dataset,
    disbursement,
    reference_data,
)

Category = Transaction.OdaCategory


@pytest.fixture
def dataset(city_a, city_b):
    return declaration_dataset(city_a, city_b)


def pks(transactions, names):
    return {transactions[name].pk for name in names}


def test_the_totals_per_category_match_the_sums_worked_out_by_hand(city_a, dataset):
    declaration = oda_declaration(city_a, YEAR)
    assert {int(t.key): t.amount for t in declaration.by_category} == EXPECTED_BY_CATEGORY
    assert declaration.total == EXPECTED_TOTAL
    assert [t.count for t in declaration.by_category] == [2, 2, 2, 0, 0, 2, 0, 0]


def test_the_totals_per_country_match_the_sums_worked_out_by_hand(city_a, dataset):
    declaration = oda_declaration(city_a, YEAR)
    assert {t.key: t.amount for t in declaration.by_country} == EXPECTED_BY_COUNTRY
    assert [t.label for t in declaration.by_country] == [
        "Haiti",
        "Serbia",
        "No country in particular",
    ]


def test_the_counted_transactions_are_exactly_the_own_cash_disbursements_to_oda_countries(
    city_a, dataset
):
    declaration = oda_declaration(city_a, YEAR)
    assert {item.pk for item in declaration.counted} == pks(dataset, COUNTED)


def test_dollars_are_converted_at_the_rate_of_the_value_date_to_the_cent(city_a, dataset):
    amounts = {item.pk: item.amount_eur for item in oda_declaration(city_a, YEAR).counted}
    assert amounts[dataset["haiti_usd"].pk] == Decimal("5100.00")  # 5355 / 1.05 (3 March)
    assert amounts[dataset["haiti_ngo"].pk] == Decimal("1000.00")  # 1125 / 1.125 (2 June)
    assert amounts[dataset["serbia_staff"].pk] == Decimal("95.24")  # 100 / 1.05


def test_germany_and_spain_never_count_and_are_listed_with_the_reason(city_a, dataset):
    declaration = oda_declaration(city_a, YEAR)
    assert {"DE", "ES"}.isdisjoint(t.key for t in declaration.by_country)
    reasons = {e.item.pk: e.reason for e in declaration.excluded}
    assert reasons[dataset["germany"].pk] == (
        "Germany is not on the OECD DAC list of ODA recipients for 2025 flows."
    )
    assert "Spain is not on the OECD DAC list" in reasons[dataset["spain"].pk]


def test_in_kind_money_is_left_out_with_the_reason(city_a, dataset):
    declaration = oda_declaration(city_a, YEAR)
    reasons = {e.item.pk: e.reason for e in declaration.excluded}
    assert reasons[dataset["in_kind"].pk].startswith("In kind")
    assert set(reasons) == pks(dataset, {"germany", "spain", "in_kind"})


def test_co_funders_money_without_a_category_is_left_out_with_the_reason(city_a):
    reference_data()
    tx = disbursement(city_a, from_own_funds=False, oda_category=None)
    [exclusion] = oda_declaration(city_a, YEAR).excluded
    assert exclusion.item.pk == tx.pk
    assert exclusion.reason.startswith("Paid with a co-funder's money")


def test_an_oda_category_on_co_funders_money_is_to_fix_and_not_also_left_out(city_a, dataset):
    # One state per line: the data contradict each other, so the officer decides; the line is
    # not counted twice in the summary ("left out" and "to fix").
    declaration = oda_declaration(city_a, YEAR)
    messages = [w.message for w in declaration.warnings if w.item.pk == dataset["co_funded"].pk]
    assert len(messages) == 1
    assert "not paid from the authority's own funds" in messages[0]
    assert dataset["co_funded"].pk not in {e.item.pk for e in declaration.excluded}


def test_an_oda_category_on_money_in_kind_is_to_fix_and_not_also_left_out(city_a):
    reference_data()
    tx = disbursement(city_a, in_kind=True)
    declaration = oda_declaration(city_a, YEAR)
    assert declaration.excluded == []
    assert [(w.item.pk, w.counted) for w in declaration.warnings] == [(tx.pk, False)]
    assert "Only money paid counts" not in declaration.warnings[0].message
    assert "marked as in kind but has an ODA category" in declaration.warnings[0].message


def test_each_disbursement_of_the_year_has_exactly_one_state(city_a, dataset):
    declaration = oda_declaration(city_a, YEAR)
    counted = {item.pk for item in declaration.counted}
    excluded = {e.item.pk for e in declaration.excluded}
    to_fix = {w.item.pk for w in declaration.to_fix}
    assert counted.isdisjoint(excluded) and counted.isdisjoint(to_fix)
    assert excluded.isdisjoint(to_fix)
    read = pks(dataset, set(dataset) - {"last_year", "next_year", "commitment", "city_b"})
    assert counted | excluded | to_fix == read
    # The summary adds up to the number of disbursements of the year.
    summary = describe(declaration)
    assert f"{len(counted)} disbursements; {len(excluded)} left out as not ODA, " in summary
    assert f"{len(to_fix)} to fix" in summary
    assert len(counted) + len(excluded) + len(to_fix) == len(read) == 15


def test_a_reimbursement_counts_as_a_disbursement(city_a):
    # IATI TransactionType 7: "a type of disbursement that covers funds that have already been
    # spent by the recipient".
    reference_data()
    tx = disbursement(city_a, transaction_type="7", amount="1234.56")
    declaration = oda_declaration(city_a, YEAR)
    assert [item.pk for item in declaration.counted] == [tx.pk]
    assert declaration.total == Decimal("1234.56")


@pytest.mark.parametrize("transaction_type", ["1", "2", "5", "6", "11", "12"])
def test_money_that_is_not_a_disbursement_is_never_read(city_a, transaction_type):
    reference_data()
    disbursement(city_a, transaction_type=transaction_type)
    declaration = oda_declaration(city_a, YEAR)
    assert declaration.counted == declaration.excluded == declaration.warnings == []


def test_co_funders_money_without_a_category_is_left_out_without_a_warning_either(city_a):
    reference_data()
    tx = disbursement(city_a, from_own_funds=False, oda_category=None)
    declaration = oda_declaration(city_a, YEAR)
    assert [e.item.pk for e in declaration.excluded] == [tx.pk]
    assert declaration.warnings == []


def test_another_authoritys_transactions_never_appear(city_a, city_b, dataset):
    declaration = oda_declaration(city_a, YEAR)
    every_pk = (
        {item.pk for item in declaration.counted}
        | {e.item.pk for e in declaration.excluded}
        | {w.item.pk for w in declaration.warnings}
    )
    assert dataset["city_b"].pk not in every_pk
    other = oda_declaration(city_b, YEAR)
    assert [item.pk for item in other.counted] == [dataset["city_b"].pk]
    assert other.total == Decimal("99999.00")


def test_other_years_and_commitments_are_not_read(city_a, dataset):
    declaration = oda_declaration(city_a, YEAR)
    every_pk = (
        {item.pk for item in declaration.counted}
        | {e.item.pk for e in declaration.excluded}
        | {w.item.pk for w in declaration.warnings}
    )
    assert every_pk.isdisjoint(pks(dataset, {"last_year", "next_year", "commitment"}))


def test_expenditure_counts_like_a_disbursement(city_a, dataset):
    counted = {item.pk: item for item in oda_declaration(city_a, YEAR).counted}
    assert counted[dataset["serbia_ngo"].pk].transaction_type == "4"


@pytest.mark.parametrize(
    ("category", "counted"),
    [
        (Category.PROJECTS, False),
        (Category.NGO_GRANTS, False),
        (Category.AWARENESS, True),
        (Category.REFUGEES, True),
        (Category.STUDENTS, False),
        (Category.STAFF, True),
        (Category.MULTILATERAL, True),
        (Category.FACECO, True),
    ],
)
def test_money_to_no_country_counts_only_in_the_categories_that_need_none(
    city_a, category, counted
):
    reference_data()
    tx = disbursement(city_a, oda_category=category, recipient_country=None)
    declaration = oda_declaration(city_a, YEAR)
    assert ([item.pk for item in declaration.counted] == [tx.pk]) is counted
    to_fix = [w.message for w in declaration.to_fix]
    if counted:
        assert to_fix == []
    else:
        assert len(to_fix) == 1
        assert "has no recipient country" in to_fix[0]


def test_france_counts_only_for_the_categories_spent_in_france(city_a):
    countries = reference_data()
    in_france = disbursement(
        city_a, oda_category=Category.REFUGEES, recipient_country=countries["FR"]
    )
    project_in_france = disbursement(
        city_a, oda_category=Category.PROJECTS, recipient_country=countries["FR"]
    )
    declaration = oda_declaration(city_a, YEAR)
    assert [item.pk for item in declaration.counted] == [in_france.pk]
    assert [e.item.pk for e in declaration.excluded] == [project_in_france.pk]
    assert [t.key for t in declaration.by_country] == [""]


def test_a_country_on_the_list_one_year_is_not_counted_in_a_year_it_is_off_it(city_a):
    countries = reference_data()
    from jumelage.core.tests.factories import OdaEligibilityFactory

    OdaEligibilityFactory(country=countries["RS"], year=YEAR + 1, income_group="UMIC")
    disbursement(city_a, recipient_country=countries["HT"], date=datetime.date(YEAR + 1, 3, 1))
    declaration = oda_declaration(city_a, YEAR + 1)
    assert declaration.counted == []
    assert "Haiti is not on the OECD DAC list" in declaration.excluded[0].reason


def test_a_missing_exchange_rate_leaves_the_amount_out_with_a_warning_to_fix(city_a, dataset):
    declaration = oda_declaration(city_a, YEAR)
    [warning] = [w for w in declaration.warnings if w.item.pk == dataset["no_rate"].pk]
    assert not warning.counted
    assert "There is no exchange rate for GHS" in warning.message
    assert dataset["no_rate"].pk not in {item.pk for item in declaration.counted}


def test_a_disbursement_without_a_category_is_left_out_until_fixed(city_a, dataset):
    declaration = oda_declaration(city_a, YEAR)
    [warning] = [w for w in declaration.warnings if w.item.pk == dataset["no_category"].pk]
    assert not warning.counted
    assert warning.message.startswith("This disbursement has no ODA category")


def test_a_missing_crs_code_is_a_warning_on_a_counted_disbursement(city_a):
    reference_data()
    tx = disbursement(city_a, sector_code="", channel_code="", aid_type="", flow_type="30")
    declaration = oda_declaration(city_a, YEAR)
    assert [item.pk for item in declaration.counted] == [tx.pk]
    messages = [w.message for w in declaration.warnings]
    assert all(w.counted for w in declaration.warnings)
    assert len(messages) == 4
    assert any("no CRS purpose code" in m for m in messages)
    assert any("no CRS channel" in m for m in messages)
    assert any("no aid type" in m for m in messages)
    assert any("flow type is “30”, not ODA (10)" in m for m in messages)


def test_a_complete_disbursement_raises_no_warning(city_a):
    reference_data()
    disbursement(city_a)
    assert oda_declaration(city_a, YEAR).warnings == []


def test_the_crs_lines_carry_purpose_code_channel_flow_finance_and_aid_type(city_a):
    countries = reference_data()
    CodelistItemFactory(codelist="Sector", code="14030", name_en="Basic drinking water supply")
    CodelistItemFactory(codelist="AidType", code="C01", name_en="Project-type interventions")
    common = {"recipient_country": countries["RS"], "sector_code": "14030"}
    disbursement(city_a, amount="100.00", **common)
    disbursement(city_a, amount="50.00", **common)
    disbursement(city_a, amount="25.00", aid_type="D02", **common)
    declaration = oda_declaration(city_a, YEAR)
    assert [(r.sector, r.channel, r.flow_type, r.finance_type, r.aid_type, r.amount) for r in
            declaration.crs_rows] == [
        ("14030 – Basic drinking water supply", "12000", "10", "110",  # noqa: RUF001
         "C01 – Project-type interventions", Decimal("150.00")),  # noqa: RUF001
        ("14030 – Basic drinking water supply", "12000", "10", "110", "D02",  # noqa: RUF001
         Decimal("25.00")),
    ]  # fmt: skip
    assert [(t.key, t.amount) for t in declaration.by_aid_type] == [
        ("C01", Decimal("150.00")),
        ("D02", Decimal("25.00")),
    ]
    assert [(t.key, t.count) for t in declaration.by_sector] == [("14030", 3)]
    assert [t.key for t in declaration.by_flow_type] == ["10"]
    assert [t.key for t in declaration.by_finance_type] == ["110"]
    assert [t.key for t in declaration.by_channel] == ["12000"]


def test_a_year_whose_dac_list_is_not_loaded_is_refused(city_a, dataset):
    with pytest.raises(OdaListMissing) as raised:
        oda_declaration(city_a, YEAR - 1)
    assert "The OECD DAC list of ODA recipients for 2024 flows is not loaded" in str(
        raised.value.messages[0]
    )


def test_the_declaration_runs_the_same_queries_for_one_and_ten_transactions(
    city_a, django_assert_num_queries
):
    countries = reference_data()
    ExchangeRateFactory(currency="GBP", date=datetime.date(YEAR, 1, 2), rate="0.85")
    disbursement(city_a, currency="USD", date=datetime.date(YEAR, 4, 1))
    # the DAC list, the transactions (plain values), their projects' titles, the rates, the
    # codes' names
    with django_assert_num_queries(5):
        assert len(oda_declaration(city_a, YEAR).counted) == 1
    for index in range(9):
        disbursement(
            city_a,
            currency=["USD", "GBP", "EUR"][index % 3],
            recipient_country=countries[["HT", "RS"][index % 2]],
            oda_category=[1, 2, 6][index % 3],
            sector_code=f"1511{index}",
            date=datetime.date(YEAR, 4, 1 + index),
        )
    with django_assert_num_queries(5):
        assert len(oda_declaration(city_a, YEAR).counted) == 10


def test_the_declaration_is_in_euros_when_the_instance_reports_in_another_currency(
    city_a, settings
):
    settings.REPORTING_CURRENCY = "USD"
    reference_data()
    # 1 USD = 0.90 EUR on 1 February
    ExchangeRateFactory(currency="EUR", date=datetime.date(YEAR, 2, 1), rate="0.90")
    disbursement(city_a, amount="1000.00", currency="USD")
    disbursement(city_a, amount="500.00", currency="EUR")
    assert oda_declaration(city_a, YEAR).total == Decimal("1400.00")


def test_a_category_outside_1_to_8_is_treated_as_no_category(city_a):
    reference_data()
    tx = disbursement(city_a)
    Transaction.objects.filter(pk=tx.pk).update(oda_category=9)  # as a careless import would
    declaration = oda_declaration(city_a, YEAR)
    assert declaration.counted == []
    assert declaration.to_fix[0].message.startswith("This disbursement has no ODA category")


# --- Twinning exchanges: the ODA purpose to confirm ----------------------------------------------


def twinning_project(city, countries):
    from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
    from jumelage.projects.tests.factories import ProjectFactory

    partner = ForeignAuthorityFactory(name="Kragujevac", country=countries["RS"])
    twinning = PartnershipFactory(authority=city, partner=partner, kind="twinning")
    project = ProjectFactory(authority=city, title={"fr": "Échange scolaire"})
    project.partnerships.add(twinning)
    return project


def test_a_payment_of_a_twinning_project_is_to_fix_until_its_purpose_is_confirmed(city_a):
    # OECD: ODA has the development of the recipient country as its main objective; a school
    # trip of a twinning is not that, whatever country it goes to.
    countries = reference_data()
    project = twinning_project(city_a, countries)
    tx = disbursement(city_a, project=project, recipient_country=countries["RS"])
    declaration = oda_declaration(city_a, YEAR)
    assert declaration.counted == []
    [warning] = declaration.to_fix
    assert (warning.item.pk, warning.action) == (tx.pk, "purpose")
    assert "belongs to a project of a twinning" in warning.message
    assert "economic development and welfare of Serbia" in warning.message


def test_a_twinning_project_confirmed_as_development_counts(city_a):
    countries = reference_data()
    project = twinning_project(city_a, countries)
    project.oda_purpose = "development"
    project.save()
    tx = disbursement(city_a, project=project, recipient_country=countries["RS"])
    declaration = oda_declaration(city_a, YEAR)
    assert [item.pk for item in declaration.counted] == [tx.pk]
    assert declaration.warnings == []


def test_a_project_whose_main_objective_is_not_development_is_left_out_with_the_reason(city_a):
    countries = reference_data()
    project = twinning_project(city_a, countries)
    project.oda_purpose = "other"
    project.save()
    # Its ODA category (left from before) does not make it a line to fix: the officer decided.
    tx = disbursement(city_a, project=project, recipient_country=countries["RS"])
    declaration = oda_declaration(city_a, YEAR)
    assert declaration.counted == declaration.warnings == []
    [exclusion] = declaration.excluded
    assert exclusion.item.pk == tx.pk
    assert "not official development assistance" in exclusion.reason


def test_a_cooperation_project_needs_no_purpose_confirmation(city_a):
    countries = reference_data()
    from jumelage.partners.tests.factories import PartnershipFactory

    project = disbursement(city_a, recipient_country=countries["HT"]).project
    project.partnerships.add(PartnershipFactory(authority=city_a, kind="cooperation"))
    assert len(oda_declaration(city_a, YEAR).counted) == 1


# --- Payments of a multi-country project without a country: the split offered ------------------


def test_a_payment_without_a_country_of_a_project_with_countries_offers_the_split(
    city_a, django_assert_num_queries
):
    from jumelage.projects.tests.factories import ProjectCountryFactory

    countries = reference_data()
    tx = disbursement(city_a, recipient_country=None)
    ProjectCountryFactory(project=tx.project, country=countries["HT"], percentage=60)
    ProjectCountryFactory(project=tx.project, country=countries["RS"], percentage=40)
    # the DAC list, the transactions, their projects' titles, the country shares to offer
    # (nothing counted: no rates nor code names to read)
    with django_assert_num_queries(4):
        declaration = oda_declaration(city_a, YEAR)
    [warning] = declaration.to_fix
    assert warning.action == "split"
    assert "split it by the project's country shares" in warning.message
    assert warning.item.country_shares == [("Haiti", Decimal(60)), ("Serbia", Decimal(40))]


def test_a_payment_without_a_country_of_a_project_without_countries_offers_no_split(city_a):
    reference_data()
    disbursement(city_a, recipient_country=None)
    [warning] = oda_declaration(city_a, YEAR).to_fix
    assert warning.action == ""
    assert warning.item.country_shares == []


def test_a_payment_without_a_crs_code_is_declared_under_its_project_s_main_sector(city_a):
    """As the officer would copy it by hand: the 5-digit code of the project's largest share;
    no warning then. A payment with its own code keeps it; a project without a sector leaves
    the warning (the pages' query counts are pinned in test_oda_views)."""
    from jumelage.projects.models import ProjectSector
    from jumelage.projects.tests.factories import ProjectFactory, ProjectSectorFactory

    reference_data()
    water = ProjectFactory(authority=city_a)
    ProjectSectorFactory(project=water, code="14030", percentage=Decimal("70"))
    ProjectSectorFactory(project=water, code="15112", percentage=Decimal("30"))
    ProjectSectorFactory(
        project=water,
        code="140",
        percentage=Decimal("100"),
        vocabulary=ProjectSector.Vocabulary.DAC_3,
    )
    inherited = disbursement(city_a, project=water, sector_code="")
    own = disbursement(city_a, project=water, sector_code="15112")
    bare = disbursement(city_a, sector_code="")

    declaration = oda_declaration(city_a, YEAR)

    codes = {item.pk: item.sector_code for item in declaration.counted}
    assert codes == {inherited.pk: "14030", own.pk: "15112", bare.pk: ""}
    missing = [w.item.pk for w in declaration.warnings if "no CRS purpose code" in w.message]
    assert missing == [bare.pk]
