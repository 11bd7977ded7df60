"""The back office's reference data lists: readable by members, at a constant number of queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jumelage.core.tests.factories import (
    AtlasThemeFactory,
    CodelistItemFactory,
    CountryFactory,
    ExchangeRateFactory,
    OdaEligibilityFactory,
)

pytestmark = pytest.mark.django_db

# The session, the user, one COUNT (the full count is switched off) and the page of rows. The
# codelist filter adds none: it lists the codelists from the model's choices, not the table.
COUNTRY_LIST_QUERIES = 4
CODELIST_LIST_QUERIES = 4


@pytest.fixture
def no_sidebar(monkeypatch):
    """Leave out the sidebar's list of every app and model: each app's admin adds its own
    permission queries there, and what is pinned here is the reference lists' own cost."""
    monkeypatch.setattr(admin.site, "get_app_list", lambda request, app_label=None: [])


def _countries(n):
    for i in range(n):
        CountryFactory(code=f"{chr(65 + i // 26)}{chr(65 + i % 26)}")


def _codelist_items(n):
    for i in range(n):
        CodelistItemFactory(codelist="Sector", code=f"{11110 + i}", name_fr=f"Secteur {i}")


def _oda_rows(n):
    for i in range(n):
        country = CountryFactory(code=f"{chr(65 + i // 26)}{chr(65 + i % 26)}")
        OdaEligibilityFactory(country=country, year=2025)


def _atlas_themes(n):
    for i in range(n):
        top = AtlasThemeFactory(code=f"{i + 1}", level=1)
        middle = AtlasThemeFactory(code=f"{i + 1}.1", level=2, parent=top)
        AtlasThemeFactory(code=f"{i + 1}.1.1", level=3, parent=middle)


def _exchange_rates(n):
    for i in range(n):
        ExchangeRateFactory(
            currency=("USD", "XOF")[i % 2], date=date(2024, 1, 1) + timedelta(days=i), rate="1.1"
        )


LISTS = {
    "country": _countries,
    "codelistitem": _codelist_items,
    "odaeligibility": _oda_rows,
    "atlastheme": _atlas_themes,
    "exchangerate": _exchange_rates,
}


def _changelist(client, model, query=""):
    return client.get(reverse(f"admin:core_{model}_changelist") + query)


def _queries_for(client, model, query=""):
    with CaptureQueriesContext(connection) as captured:
        response = _changelist(client, model, query)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("model", sorted(LISTS))
def test_each_reference_list_answers_at_a_constant_number_of_queries(
    client, officer_a, no_sidebar, model
):
    client.force_login(officer_a)
    LISTS[model](2)
    few = _queries_for(client, model)
    LISTS[model](20)
    assert _queries_for(client, model) == few


def test_the_country_list_is_pinned(client, officer_a, no_sidebar, django_assert_num_queries):
    client.force_login(officer_a)
    _countries(30)
    with django_assert_num_queries(COUNTRY_LIST_QUERIES):
        response = _changelist(client, "country", "?is_eu_member__exact=0&q=Pays")
    assert response.status_code == 200
    assert "Pays AA" in response.content.decode()


def test_the_codelist_item_list_is_pinned(client, officer_a, no_sidebar, django_assert_num_queries):
    client.force_login(officer_a)
    _codelist_items(30)
    with django_assert_num_queries(CODELIST_LIST_QUERIES):
        response = _changelist(client, "codelistitem", "?codelist=Sector&is_active__exact=1")
    assert response.status_code == 200
    content = response.content.decode()
    assert "11112" in content
    # The filter offers every codelist of the model, even one with no item loaded.
    assert "?codelist=UNSDG-Targets" in content


@pytest.mark.usefixtures("french")
def test_the_atlas_list_shows_each_theme_under_its_parents(client, officer_a):
    client.force_login(officer_a)
    top = AtlasThemeFactory(code="1", level=1, name_fr="Politique")
    middle = AtlasThemeFactory(code="1.1", level=2, parent=top, name_fr="Gouvernance")
    AtlasThemeFactory(code="1.1.1", level=3, parent=middle, name_fr="Appui")
    response = _changelist(client, "atlastheme")
    assert response.status_code == 200
    assert "Politique \u203a Gouvernance \u203a Appui" in response.content.decode()


def test_an_officer_reads_the_rates_but_cannot_add_one(client, officer_a):
    client.force_login(officer_a)
    ExchangeRateFactory(currency="USD", date=date(2024, 3, 1), rate=Decimal("1.08"))
    assert _changelist(client, "exchangerate").status_code == 200
    assert client.get(reverse("admin:core_exchangerate_add")).status_code == 403
