"""The national body's view: every authority's counted ODA in one SQL aggregation, equal to what
each authority's own declaration counts, whatever the number of authorities and lines."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from jumelage.partners.tests.factories import MemberAuthorityFactory
from jumelage.reporting.oda.selectors import national_declaration, oda_declaration
from jumelage.reporting.tests.oda_dataset import (
    EXPECTED_BY_CATEGORY,
    EXPECTED_BY_COUNTRY,
    YEAR,
    declaration_dataset,
    disbursement,
    reference_data,
)

pytestmark = pytest.mark.django_db


def test_each_authoritys_national_total_is_its_own_declarations(city_a, city_b):
    countries = reference_data()
    disbursement(city_a, amount=Decimal("1000"), date=datetime.date(YEAR, 3, 1))
    disbursement(city_a, amount=Decimal("110"), currency="USD", date=datetime.date(YEAR, 4, 1))
    disbursement(city_a, amount=Decimal("50"), in_kind=True, oda_category=None)  # not counted
    disbursement(city_a, amount=Decimal("70"), from_own_funds=False, oda_category=None)
    disbursement(city_b, amount=Decimal("300"), recipient_country=countries["RS"], oda_category=2)
    disbursement(city_b, amount=Decimal("999"), date=datetime.date(YEAR + 1, 1, 5))  # next year

    rows = {row.slug: row for row in national_declaration(YEAR).by_authority}

    for member in (city_a, city_b):
        own = oda_declaration(member, YEAR)
        assert rows[member.slug].total == own.total
        assert rows[member.slug].lines == len(own.counted)
    assert rows[city_a.slug].lines == 2  # the euro and the dollar lines, nothing in kind


def test_the_national_view_is_one_query_for_two_or_twenty_authorities(
    city_a, django_assert_num_queries
):
    reference_data()
    disbursement(city_a, amount=Decimal("10"), date=datetime.date(YEAR, 3, 1))
    with django_assert_num_queries(1):
        assert len(national_declaration(YEAR).by_authority) == 1
    for _ in range(19):
        disbursement(MemberAuthorityFactory(), amount=Decimal("10"), date=datetime.date(YEAR, 3, 1))
    with django_assert_num_queries(1):
        assert len(national_declaration(YEAR).by_authority) == 20


def test_the_command_writes_one_line_per_authority_and_the_total(city_a, city_b, tmp_path):
    reference_data()
    disbursement(city_a, amount=Decimal("1000"), date=datetime.date(YEAR, 3, 1))
    disbursement(city_b, amount=Decimal("250.5"), date=datetime.date(YEAR, 3, 1))
    output = tmp_path / "national.csv"
    call_command("oda_national", year=YEAR, output=str(output))
    lines = output.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 4
    assert lines[1].split(";")[1:] == [city_a.slug, "1000,00", "1"]
    assert lines[2].split(";")[1:] == [city_b.slug, "250,50", "1"]
    assert lines[3].split(";")[2:] == ["1250,50", "2"]


def test_the_national_totals_by_category_and_country_add_up_every_authoritys_own(city_a, city_b):
    declaration_dataset(city_a, city_b)  # city_b: 99 999.00 EUR to Haiti, category 1

    national = national_declaration(YEAR)

    by_category = {int(t.key): t.amount for t in national.by_category}
    assert list(by_category) == [1, 2, 3, 4, 5, 6, 7, 8]  # all eight, in order
    assert by_category == {
        key: amount + (Decimal("99999.00") if key == 1 else 0)
        for key, amount in EXPECTED_BY_CATEGORY.items()
    }
    by_country = {t.key: t.amount for t in national.by_country}
    assert by_country == {**EXPECTED_BY_COUNTRY, "HT": EXPECTED_BY_COUNTRY["HT"] + 99999}
    assert [t.key for t in national.by_country][-1] == ""  # no country in particular last
    assert national.total == sum(
        (oda_declaration(m, YEAR).total for m in (city_a, city_b)), Decimal(0)
    )
    counts = {t.key: t.count for t in national.by_category}
    assert sum(counts.values()) == national.lines == 9
    assert [row.slug for row in national.by_authority] == [city_b.slug, city_a.slug]


def test_france_under_an_awareness_category_counts_under_no_country(city_a):
    countries = reference_data()
    disbursement(city_a, amount=Decimal("500"), oda_category=3, recipient_country=countries["FR"])
    national = national_declaration(YEAR)
    assert [(t.key, t.amount) for t in national.by_country] == [("", Decimal("500.00"))]
    assert str(national.by_country[0].label) == "No country in particular"
