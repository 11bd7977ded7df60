"""The national view's page and files: every member authority's counted ODA of a year, for the
instance's administrators and the readers of national reports only."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from jumelage.accounts.models import Role
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.partners.tests.factories import MemberAuthorityFactory
from jumelage.reporting.oda import views
from jumelage.reporting.oda.window import declaration_window
from jumelage.reporting.tests.oda_dataset import (
    YEAR,
    declaration_dataset,
    disbursement,
    reference_data,
)

pytestmark = pytest.mark.django_db


def page_url(year: int = YEAR, language: str = "en") -> str:
    with translation.override(language):
        return reverse("reporting:oda_national", args=[year])


def file_url(extension: str, year: int = YEAR, language: str = "en") -> str:
    with translation.override(language):
        return reverse("reporting:oda_national_file", args=[year, extension])


@pytest.fixture
def dataset(city_a, city_b):
    return declaration_dataset(city_a, city_b)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def reader(db):
    """A national body's reader: marked so by the instance, a member of no authority."""
    return UserFactory(username="ministry", reads_national_reports=True)


# --- Who reads it ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["superuser", "reader"])
def test_the_page_shows_every_authority_by_category_country_and_authority(
    client, dataset, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(page_url())
    assert response.status_code == 200
    assert "admin/base_site.html" in [t.name for t in response.templates]
    page = response.content.decode()
    # city_a's own 23 195.24 and city_b's 99 999.00, both to Haiti in category 1.
    assert "123,194.24 EUR from the authorities' own funds, in 9 disbursements." in page
    assert "2 member authorities declare ODA for these flows." in page
    assert "115,099.00" in page  # category 1
    assert "116,099.00" in page  # Haiti
    assert "No country in particular" in page
    assert page.index("Ville B") < page.index("Ville A")  # the largest first
    assert file_url("xlsx") in page and file_url("csv") in page


@pytest.mark.parametrize("persona", ["officer_a", "admin_a", "viewer_a", "outsider"])
def test_a_member_of_an_authority_even_its_administrator_gets_a_404(
    client, dataset, persona, request, officer_b
):
    user = request.getfixturevalue(persona)
    MembershipFactory(user=user, authority=officer_b.memberships.get().authority, role=Role.ADMIN)
    client.force_login(user)
    assert client.get(page_url()).status_code == 404
    assert client.get(file_url("csv")).status_code == 404
    assert client.get(file_url("xlsx")).status_code == 404
    assert client.get(reverse("reporting:oda_national_current")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, dataset):
    response = client.get(page_url())
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_current_address_opens_the_year_to_declare(client, reader, dataset):
    client.force_login(reader)
    response = client.get(reverse("reporting:oda_national_current"))
    assert response.status_code == 302
    assert response["Location"] == page_url(declaration_window().year)


# --- Years and pages that do not exist ------------------------------------------------------


@pytest.mark.parametrize("year", [1000, 1989, 2101, 9999])
def test_a_year_out_of_range_is_a_404_not_a_server_error(client, reader, dataset, year):
    client.force_login(reader)
    assert client.get(page_url(year)).status_code == 404
    assert client.get(file_url("csv", year)).status_code == 404


def test_a_year_without_the_dac_list_says_so_and_has_no_file(client, reader, dataset):
    client.force_login(reader)
    response = client.get(page_url(YEAR + 5))
    assert response.status_code == 200
    assert f"ODA recipients for {YEAR + 5} flows is not loaded" in response.content.decode()
    assert client.get(file_url("csv", YEAR + 5)).status_code == 404


def test_an_unknown_file_format_is_a_404(client, reader, dataset):
    client.force_login(reader)
    assert client.get(file_url("pdf")).status_code == 404


@pytest.mark.parametrize("page", ["0", "abc", "-1", "3", "99999999999999999999"])
def test_a_page_that_does_not_exist_is_a_404(client, reader, dataset, page):
    client.force_login(reader)
    assert client.get(page_url(), {"page": page}).status_code == 404


def test_authorities_are_listed_a_page_at_a_time(client, reader, dataset, monkeypatch):
    monkeypatch.setattr(views, "NATIONAL_PAGE_SIZE", 1)
    client.force_login(reader)
    first = client.get(page_url()).content.decode()
    second = client.get(page_url(), {"page": "2"}).content.decode()
    assert '<th scope="row">Ville B</th>' in first and '<th scope="row">Ville A</th>' not in first
    assert '<th scope="row">Ville A</th>' in second and '<th scope="row">Ville B</th>' not in second
    assert "page 2 of 2" in second
    assert 'href="?page=1#authorities"' in second


# --- Cost -----------------------------------------------------------------------------------


def test_the_page_runs_the_same_queries_for_2_and_20_authorities(
    client, reader, city_a, city_b, django_assert_num_queries
):
    reference_data()
    for member in (city_a, city_b):
        disbursement(member, amount=Decimal("10"), date=datetime.date(YEAR, 3, 1))
    client.force_login(reader)
    client.get(page_url())  # the session and the user, read once
    # The session, the user, the back office's menu (the user's roles, whether they administer
    # an authority), the years of the DAC lists, the one aggregation.
    with django_assert_num_queries(6):
        assert client.get(page_url()).status_code == 200
    for _ in range(18):
        member = MemberAuthorityFactory()
        disbursement(member, amount=Decimal("10"), date=datetime.date(YEAR, 3, 1))
        disbursement(member, amount=Decimal("5"), date=datetime.date(YEAR, 4, 1))
    with django_assert_num_queries(6):
        page = client.get(page_url()).content.decode()
    assert "20 member authorities declare" in page


# --- French -----------------------------------------------------------------------------------


def test_amounts_are_written_the_french_way_on_the_french_page(client, reader, dataset):
    client.force_login(reader)
    page = client.get(page_url(language="fr")).content.decode()
    with translation.override("fr"):
        for amount in ("123194.24", "115099.00", "116099.00"):
            assert floatformat(Decimal(amount), "2g") in page
        assert translation.gettext("By authority, largest first") in page
    assert "123,194.24" not in page


# --- Files ------------------------------------------------------------------------------------


def test_the_csv_is_the_commands_one_line_per_authority_with_french_decimals(
    client, reader, dataset
):
    client.force_login(reader)
    response = client.get(file_url("csv", language="fr"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="oda-national-{YEAR}.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1].split(";")[1:] == ["ville-b", "99999,00", "1"]
    assert lines[2].split(";")[1:] == ["ville-a", "23195,24", "8"]
    assert lines[3].split(";")[2:] == ["123194,24", "9"]


def test_the_xlsx_has_a_sheet_per_view_with_numbers(client, reader, dataset):
    client.force_login(reader)
    response = client.get(file_url("xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["By category", "By country", "By authority"]
    authorities = list(book["By authority"].iter_rows(values_only=True))
    assert authorities[1] == ("Ville B", "ville-b", 99999, 1)
    assert authorities[-1][2] == pytest.approx(123194.24)
    categories = list(book["By category"].iter_rows(values_only=True))
    assert len(categories) == 1 + 8 + 1  # header, the eight categories, the total


# --- Where it is reached ----------------------------------------------------------------------


def test_the_admin_home_links_to_it_for_those_who_may_read_it(client, reader, officer_a):
    client.force_login(reader)
    assert "/reporting/national/oda/" in client.get(reverse("admin:index")).content.decode()
    client.force_login(officer_a)
    assert "/reporting/national/oda/" not in client.get(reverse("admin:index")).content.decode()


def test_a_reader_of_no_authority_lands_on_it_from_the_workspace(client, reader):
    client.force_login(reader)
    response = client.get(reverse("workspace:start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:oda_national_current")


def test_the_workspace_menu_offers_it_to_a_reader_who_is_also_a_member(
    client, reader, officer_a, city_a
):
    MembershipFactory(user=reader, authority=city_a, role=Role.VIEWER)
    client.force_login(reader)
    home = reverse("workspace:home", args=[city_a.slug])
    assert reverse("reporting:oda_national_current") in client.get(home).content.decode()
    client.force_login(officer_a)
    assert reverse("reporting:oda_national_current") not in client.get(home).content.decode()
