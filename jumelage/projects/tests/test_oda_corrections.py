"""The corrections the ODA declaration offers in one click: split a payment by the project's
country shares, record a project's ODA purpose. Both write through the services, audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import CountryFactory, OdaEligibilityFactory
from jumelage.projects.models import Project, Transaction
from jumelage.projects.services import (
    project_set_oda_purpose,
    split_by_shares,
    transaction_split_by_country_shares,
)
from jumelage.projects.tests.factories import (
    ProjectCountryFactory,
    ProjectFactory,
    TransactionFactory,
)
from jumelage.tenancy.services import ConcurrentEditError


@pytest.fixture
def countries(db):
    return {
        code: CountryFactory(code=code, name_en=name, name_fr=name)
        for code, name in [("HT", "Haiti"), ("RS", "Serbia"), ("SN", "Senegal")]
    }


@pytest.fixture
def payment(city_a, countries):
    project = ProjectFactory(authority=city_a)
    ProjectCountryFactory(project=project, country=countries["HT"], percentage="33.34")
    ProjectCountryFactory(project=project, country=countries["RS"], percentage="33.33")
    ProjectCountryFactory(project=project, country=countries["SN"], percentage="33.33")
    return TransactionFactory(
        project=project,
        amount="100.00",
        recipient_country=None,
        description="Training",
        date=datetime.date(2025, 4, 1),
    )


@pytest.mark.parametrize(
    ("amount", "percentages", "parts"),
    [
        ("100.00", ["60", "40"], ["60.00", "40.00"]),
        ("100.00", ["33.34", "33.33", "33.33"], ["33.34", "33.33", "33.33"]),
        ("0.01", ["50", "50"], ["0.01", "0.00"]),
        ("1000.01", ["33.33", "33.33", "33.34"], ["333.30", "333.30", "333.41"]),
        ("-10.00", ["70", "30"], ["-7.00", "-3.00"]),
    ],
)
def test_a_split_adds_up_to_the_amount_to_the_cent(amount, percentages, parts):
    result = split_by_shares(Decimal(amount), [Decimal(p) for p in percentages])
    assert result == [Decimal(p) for p in parts]
    assert sum(result) == Decimal(amount)


def test_it_splits_a_payment_without_a_country_by_the_projects_shares(officer_a, payment):
    parts = transaction_split_by_country_shares(
        tx=payment, user=officer_a, expected_version=payment.version
    )
    assert [(p.recipient_country_id, p.amount) for p in parts] == [
        ("HT", Decimal("33.34")),
        ("RS", Decimal("33.33")),
        ("SN", Decimal("33.33")),
    ]
    assert parts[0].pk == payment.pk  # the original keeps the first share
    stored = Transaction.objects.filter(project=payment.project).order_by("pk")
    assert sum(t.amount for t in stored) == Decimal("100.00")
    assert {t.oda_category for t in stored} == {payment.oda_category}
    assert {t.date for t in stored} == {payment.date}
    assert stored[1].description == "Training (33.33 % share for Serbia)"
    payment.refresh_from_db()
    assert payment.recipient_country_id == "HT"


def test_the_split_is_recorded_in_the_audit_log(officer_a, payment):
    transaction_split_by_country_shares(
        tx=payment, user=officer_a, expected_version=payment.version
    )
    entries = AuditEntry.objects.filter(verb="transaction split by the project's country shares")
    assert entries.count() == 3
    assert {e.action for e in entries} == {"create", "update"}
    assert all(e.user == officer_a for e in entries)


def test_the_split_parts_count_in_the_declaration_under_their_countries(
    city_a, officer_a, payment, countries
):
    from jumelage.reporting.oda.selectors import oda_declaration

    for code in ("HT", "RS", "SN"):
        OdaEligibilityFactory(country=countries[code], year=2025)
    before = oda_declaration(city_a, 2025)
    assert [w.action for w in before.to_fix] == ["split"]
    transaction_split_by_country_shares(
        tx=payment, user=officer_a, expected_version=payment.version
    )
    after = oda_declaration(city_a, 2025)
    assert after.to_fix == []
    assert {t.key: t.amount for t in after.by_country} == {
        "HT": Decimal("33.34"),
        "RS": Decimal("33.33"),
        "SN": Decimal("33.33"),
    }


def test_it_refuses_to_split_a_payment_that_has_a_country_and_writes_nothing(
    officer_a, payment, countries
):
    Transaction.objects.filter(pk=payment.pk).update(recipient_country=countries["HT"])
    with pytest.raises(ValidationError, match="already has a recipient country"):
        transaction_split_by_country_shares(
            tx=payment, user=officer_a, expected_version=payment.version
        )
    assert Transaction.objects.filter(project=payment.project).count() == 1


def test_it_refuses_to_split_by_shares_that_do_not_add_up_to_100(officer_a, payment):
    payment.project.countries.filter(country_id="SN").update(percentage=10)
    with pytest.raises(ValidationError, match=r"add up to 76\.67 %, not 100 %"):
        transaction_split_by_country_shares(
            tx=payment, user=officer_a, expected_version=payment.version
        )
    assert Transaction.objects.filter(project=payment.project).count() == 1


def test_another_authoritys_officer_and_a_viewer_may_not_split(officer_b, viewer_a, payment):
    for user in (officer_b, viewer_a):
        with pytest.raises(PermissionDenied):
            transaction_split_by_country_shares(
                tx=payment, user=user, expected_version=payment.version
            )
    assert Transaction.objects.filter(project=payment.project).count() == 1


def test_it_records_the_oda_purpose_of_a_project_with_an_audit_entry(officer_a, city_a):
    project = ProjectFactory(authority=city_a, version=3)
    project_set_oda_purpose(project=project, purpose="other", user=officer_a, expected_version=3)
    project.refresh_from_db()
    assert project.oda_purpose == Project.OdaPurpose.OTHER
    entry = AuditEntry.objects.get(verb="ODA purpose recorded")
    assert entry.changes["oda_purpose"] == ["", "other"]


def test_it_refuses_a_purpose_recorded_from_a_stale_page(officer_a, city_a):
    project = ProjectFactory(authority=city_a, version=3)
    with pytest.raises(ConcurrentEditError):
        project_set_oda_purpose(
            project=project, purpose="development", user=officer_a, expected_version=2
        )
    project.refresh_from_db()
    assert project.oda_purpose == ""


def test_it_refuses_an_unknown_purpose_and_another_authoritys_officer(officer_a, officer_b, city_a):
    project = ProjectFactory(authority=city_a)
    with pytest.raises(ValidationError, match="Choose whether"):
        project_set_oda_purpose(
            project=project, purpose="", user=officer_a, expected_version=project.version
        )
    with pytest.raises(PermissionDenied):
        project_set_oda_purpose(
            project=project, purpose="development", user=officer_b, expected_version=project.version
        )
    project.refresh_from_db()
    assert project.oda_purpose == ""
