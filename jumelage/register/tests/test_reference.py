"""Reference data (countries, codelists, the ODA list, rates) changes every authority's files:
only operators change it, and every change, by hand or by a load, is audited and expires the
cached public pages."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from jumelage.accounts.tests.factories import UserFactory
from jumelage.audit.models import AuditEntry
from jumelage.core import cache as page_cache
from jumelage.core.models import CodelistItem, ExchangeRate
from jumelage.core.tests.factories import CountryFactory
from jumelage.register.services import reference_delete, reference_save


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", is_superuser=True)


def test_an_operator_corrects_a_country_audited_and_pages_expired(
    operator, django_capture_on_commit_callbacks
):
    country = CountryFactory(code="RS", name_fr="Serbie", name_en="Serbia")
    before = page_cache.generation()
    country.name_fr = "République de Serbie"
    with django_capture_on_commit_callbacks(execute=True):
        reference_save(country, user=operator)
    entry = AuditEntry.objects.get(model="core.country")
    assert entry.changes == {"name_fr": ["Serbie", "République de Serbie"]}
    assert page_cache.generation() > before


def test_an_officer_cannot_change_reference_data(officer_a):
    country = CountryFactory(code="HT")
    country.name_fr = "Ailleurs"
    with pytest.raises(PermissionDenied):
        reference_save(country, user=officer_a)
    with pytest.raises(PermissionDenied):
        reference_delete(country, user=officer_a)
    assert not AuditEntry.objects.exists()


def test_deleting_a_rate_by_hand_is_audited(operator):
    rate = ExchangeRate.objects.create(
        currency="HTG", date="2025-03-01", rate=Decimal("140.5"), source="BRH"
    )
    reference_delete(rate, user=operator)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert (entry.model, entry.object_id) == ("core.exchangerate", str(rate.pk))


def test_a_load_that_changes_the_reference_data_is_audited_once_per_kind(
    db, django_capture_on_commit_callbacks
):
    call_command("load_reference", stdout=StringIO())
    AuditEntry.objects.all().delete()
    item = CodelistItem.objects.get(codelist="Sector", code="15112")
    item.name_en = "Changed by hand"
    item.save()
    before = page_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_reference", stdout=StringIO())
    entry = AuditEntry.objects.get()
    assert (entry.model, entry.verb, entry.changes["updated"]) == (
        "core.codelistitem",
        "reference data loaded",
        1,
    )
    assert page_cache.generation() > before
    call_command("load_reference", stdout=StringIO())  # nothing changed: nothing logged
    assert AuditEntry.objects.count() == 1


def test_an_exchange_rate_import_is_audited(db, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("currency,date,rate\nHTG,2025-03-03,140.25\n", encoding="utf-8")
    call_command("import_exchange_rates", str(path), stdout=StringIO())
    entry = AuditEntry.objects.get()
    assert (entry.model, entry.changes) == ("core.exchangerate", {"created": 1, "updated": 0})
