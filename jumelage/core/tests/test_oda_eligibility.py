"""Selectors on the OECD DAC list of ODA recipients, on the list loaded from the reference file."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from jumelage.core.models import OdaIncomeGroup
from jumelage.core.selectors import (
    OdaListMissing,
    is_oda_eligible,
    oda_eligible_countries,
    oda_income_group,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are asserted in English, the source language, whatever catalogs exist."""
    with translation.override("en"):
        yield


@pytest.fixture
def dac_list():
    call_command("load_reference", stdout=StringIO())


def test_haiti_and_serbia_are_oda_eligible_in_2025(dac_list):
    assert is_oda_eligible("HT", 2025)
    assert is_oda_eligible("rs", 2025)
    assert oda_income_group("HT", 2025) == OdaIncomeGroup.LDC
    assert oda_income_group("RS", 2025) == OdaIncomeGroup.UMIC


@pytest.mark.parametrize("code", ["DE", "ES", "GB", "AT", "IL", "FR"])
def test_suresnes_other_twin_countries_are_not_oda_eligible(dac_list, code):
    for year in range(2018, 2027):
        assert not is_oda_eligible(code, year)
        assert oda_income_group(code, year) is None


def test_graduated_countries_leave_the_list_from_their_graduation_year(dac_list):
    assert not is_oda_eligible("CL", 2018)
    assert not is_oda_eligible("UY", 2018)
    assert not is_oda_eligible("SC", 2018)
    assert is_oda_eligible("AG", 2021)
    assert not is_oda_eligible("AG", 2022)


def test_the_eligible_countries_of_a_year(dac_list):
    countries = oda_eligible_countries(2025)
    codes = set(countries.values_list("code", flat=True))
    assert {"HT", "RS", "XK", "SN", "VN"} <= codes
    assert not codes & {"DE", "ES", "GB", "AT", "IL", "FR", "CL"}
    assert len(codes) == countries.count() > 130


def test_it_refuses_to_answer_for_a_year_whose_list_is_not_loaded(dac_list):
    with pytest.raises(OdaListMissing, match="2031") as raised:
        is_oda_eligible("HT", 2031)
    assert "oda_recipients.csv" in raised.value.messages[0]
    with pytest.raises(OdaListMissing):
        oda_eligible_countries(2031)


def test_montserrat_graduates_from_the_list_for_2026_flows(dac_list):
    # The DAC deferred Montserrat's graduation to an October 2025 decision, effective on
    # 1 January 2026 (reference/README.md): on the list for 2025 flows, off it for 2026.
    assert is_oda_eligible("MS", 2025)
    assert not is_oda_eligible("MS", 2026)
    assert is_oda_eligible("HT", 2026)  # the 2026 list itself is still loaded


def test_loading_again_removes_montserrat_2026_from_a_database_loaded_before(dac_list):
    # An instance loaded with the older file still holds Montserrat for 2026: the next load
    # removes that row, and a load after it changes nothing.
    from jumelage.core.models import OdaEligibility

    OdaEligibility.objects.get_or_create(country_id="MS", year=2026, income_group="UMIC")
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "1 removed" in out.getvalue()
    assert not OdaEligibility.objects.filter(country_id="MS", year=2026).exists()
    again = StringIO()
    call_command("load_reference", stdout=again)
    assert " 0 removed" in again.getvalue() and "1 removed" not in again.getvalue()
