"""The ODA declaration's back-office screen, its downloads, and the dashboard's panel."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jumelage.reporting.tests.oda_dataset import (
    YEAR,
    declaration_dataset,
    disbursement,
    reference_data,
)


def page_url(slug: str = "ville-a", year: int = YEAR) -> str:
    return reverse("reporting:oda_declaration", args=[slug, year])


def file_url(extension: str, slug: str = "ville-a", year: int = YEAR) -> str:
    return reverse("reporting:oda_declaration_file", args=[slug, year, extension])


@pytest.fixture
def dataset(city_a, city_b):
    return declaration_dataset(city_a, city_b)


def test_the_screen_shows_the_totals_per_category_and_country_to_the_authoritys_officer(
    client, officer_a, dataset
):
    client.force_login(officer_a)
    response = client.get(page_url())
    assert response.status_code == 200
    assert "admin/base_site.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "23,195.24 EUR from the authority's own funds, in 8 disbursements." in page
    assert "4 disbursements need a correction" in page
    assert "15,100.00" in page  # category 1
    assert "2,095.24" in page  # category 6
    assert "16,100.00" in page  # Haiti
    assert "No country in particular" in page
    assert "99,999.00" not in page  # city_b's money


def test_the_screen_is_a_404_for_another_authoritys_officer(client, officer_b, dataset):
    client.force_login(officer_b)
    assert client.get(page_url()).status_code == 404
    assert client.get(file_url("xlsx")).status_code == 404
    assert client.get(file_url("csv")).status_code == 404


def test_the_screen_is_a_404_for_a_user_of_no_authority(client, outsider, dataset):
    client.force_login(outsider)
    assert client.get(page_url()).status_code == 404


def test_the_screen_sends_an_anonymous_visitor_to_sign_in(client, dataset):
    response = client.get(page_url())
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_screen_lists_left_out_items_with_reasons_and_warnings_with_links(
    client, officer_a, dataset
):
    client.force_login(officer_a)
    page = client.get(page_url()).content.decode()
    assert "Germany is not on the OECD DAC list of ODA recipients for 2025 flows." in page
    assert "In kind: only money paid counts" in page
    assert "is not paid from the authority&#x27;s own funds" in page
    assert "This disbursement has no ODA category" in page
    for name in ("no_category", "no_country", "no_rate", "germany"):
        line = reverse("workspace:payment_edit", args=["ville-a", dataset[name].pk])
        assert f'href="{line}"' in page


def test_each_payment_opens_its_line_of_the_workspace_ledger_not_the_admin(
    client, officer_a, dataset
):
    client.force_login(officer_a)
    response = client.get(page_url())
    page = response.content.decode()
    declaration = response.context["declaration"]
    items = [*declaration.counted, *(row.item for row in declaration.excluded)]
    items += [warning.item for warning in declaration.warnings]
    assert items
    for item in items:
        line = reverse("workspace:payment_edit", args=["ville-a", item.pk])
        assert f'href="{line}"' in page
    assert (
        "/admin/projects/transaction/" not in page.split('id="content-main"')[1]
    )  # the admin's own menu aside
    # The link leads to a page the officer may open (their payment's line).
    followed = client.get(reverse("workspace:payment_edit", args=["ville-a", items[0].pk]))
    assert followed.status_code in (200, 302)


def test_the_drill_down_by_category_lists_only_that_categorys_transactions(
    client, officer_a, dataset
):
    client.force_login(officer_a)
    response = client.get(page_url(), {"category": "2"})
    assert [item.pk for item in response.context["items"]] == [
        dataset["serbia_ngo"].pk,
        dataset["haiti_ngo"].pk,
    ]
    assert "Disbursements counted: 2 – grants to associations" in response.content.decode()  # noqa: RUF001


def test_the_drill_down_by_country_includes_money_to_no_country_in_particular(
    client, officer_a, dataset
):
    client.force_login(officer_a)
    response = client.get(page_url(), {"country": "none"})
    assert {item.pk for item in response.context["items"]} == {
        dataset["awareness"].pk,
        dataset["awareness_in_france"].pk,
        dataset["staff"].pk,
    }
    response = client.get(page_url(), {"country": "rs"})
    assert {item.pk for item in response.context["items"]} == {
        dataset["serbia_ngo"].pk,
        dataset["serbia_staff"].pk,
    }


def test_the_screen_downloads_the_same_files_as_the_command(client, officer_a, dataset):
    client.force_login(officer_a)
    response = client.get(file_url("xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ville-a-oda-2025.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "By category"
    response = client.get(file_url("csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert client.get(file_url("pdf")).status_code == 404


def test_a_year_without_the_dac_list_shows_what_to_do(client, officer_a, dataset):
    client.force_login(officer_a)
    response = client.get(page_url(year=2019))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The OECD DAC list of ODA recipients for 2019 flows is not loaded" in page
    assert f'href="{page_url()}"' in page  # the years that are loaded
    assert client.get(file_url("xlsx", year=2019)).status_code == 404


def test_a_year_no_declaration_can_have_is_a_404(client, officer_a, dataset):
    client.force_login(officer_a)
    assert client.get(page_url(year=1900)).status_code == 404  # no DAC list that year
    assert client.get("/en/reporting/oda/ville-a/99999/").status_code == 404  # not a year


def test_the_authoritys_address_alone_leads_to_the_year_to_declare(client, officer_a, city_a):
    client.force_login(officer_a)
    response = client.get(reverse("reporting:oda_declaration_current", args=["ville-a"]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/ville-a/{_year_to_declare()}/")


def _year_to_declare() -> int:
    from jumelage.reporting.oda.window import declaration_window

    return declaration_window().year


def test_the_screen_runs_the_same_queries_for_one_and_ten_transactions(client, officer_a, city_a):
    countries = reference_data()
    disbursement(city_a, currency="USD", date=datetime.date(YEAR, 4, 1))
    client.force_login(officer_a)
    with CaptureQueriesContext(connection) as one:
        assert client.get(page_url()).status_code == 200
    for index in range(9):
        disbursement(
            city_a,
            currency=["USD", "EUR"][index % 2],
            recipient_country=countries[["HT", "RS", "DE"][index % 3]],
            oda_category=[1, 2, None][index % 3],
            date=datetime.date(YEAR, 4, 2 + index),
        )
    with CaptureQueriesContext(connection) as ten:
        response = client.get(page_url())
    assert len(response.context["declaration"].excluded) == 3
    assert len(ten) == len(one)


# --- The corrections offered on the screen ----------------------------------------------------


@pytest.fixture
def split_case(city_a):
    from jumelage.projects.tests.factories import ProjectCountryFactory

    countries = reference_data()
    tx = disbursement(city_a, amount="1000.00", recipient_country=None)
    ProjectCountryFactory(project=tx.project, country=countries["HT"], percentage=60)
    ProjectCountryFactory(project=tx.project, country=countries["RS"], percentage=40)
    return tx


def split_url(pk: int, slug: str = "ville-a") -> str:
    return reverse("reporting:oda_split_transaction", args=[slug, YEAR, pk])


def purpose_url(pk: int, slug: str = "ville-a") -> str:
    return reverse("reporting:oda_project_purpose", args=[slug, YEAR, pk])


def test_the_screen_offers_the_split_of_a_payment_of_a_multi_country_project(
    client, officer_a, split_case
):
    client.force_login(officer_a)
    page = client.get(page_url()).content.decode()
    assert f'action="{split_url(split_case.pk)}"' in page
    assert "Split by the project's country shares" in page
    assert "Haiti 60 %, Serbia 40 %" in page


def test_one_click_splits_the_payment_and_the_declaration_counts_it(client, officer_a, split_case):
    from jumelage.projects.models import Transaction

    client.force_login(officer_a)
    response = client.post(split_url(split_case.pk), {"version": split_case.version})
    assert response.status_code == 302
    assert response["Location"] == page_url() + "#to-fix"
    assert sorted(
        Transaction.objects.filter(project=split_case.project).values_list(
            "recipient_country_id", "amount"
        )
    ) == [("HT", 600), ("RS", 400)]
    page = client.get(response["Location"]).content.decode()
    assert "The payment is now split into 2 transactions, one per country." in page
    assert "1,000.00 EUR from the authority's own funds, in 2 disbursements." in page


def test_a_split_from_a_page_opened_before_a_change_of_the_payment_is_refused(
    client, officer_a, split_case
):
    from jumelage.tenancy.services import save_owned

    client.force_login(officer_a)
    seen = split_case.version
    split_case.description = "Versement corrigé"
    save_owned(split_case, user=officer_a, expected_version=seen)  # a colleague, meanwhile
    for sent in ({"version": seen}, {}):
        response = client.post(split_url(split_case.pk), sent, follow=True)
        assert "Someone else changed this record" in response.content.decode()
    split_case.refresh_from_db()
    assert split_case.recipient_country_id is None
    assert split_case.project.transactions.count() == 1


def test_the_split_is_a_post_and_a_404_for_another_authority(
    client, officer_a, officer_b, split_case
):
    client.force_login(officer_a)
    assert client.get(split_url(split_case.pk)).status_code == 405
    client.force_login(officer_b)
    assert client.post(split_url(split_case.pk), {"version": split_case.version}).status_code == 404
    assert (
        client.post(
            split_url(split_case.pk, slug="ville-b"), {"version": split_case.version}
        ).status_code
        == 404
    )
    split_case.refresh_from_db()
    assert split_case.recipient_country_id is None


def test_a_viewer_is_told_they_may_not_split(client, viewer_a, split_case):
    client.force_login(viewer_a)
    response = client.post(split_url(split_case.pk), {"version": split_case.version}, follow=True)
    assert "You may read this declaration but not change transactions." in (
        response.content.decode().replace("&#x27;", "'")
    )
    split_case.refresh_from_db()
    assert split_case.recipient_country_id is None


def test_the_screen_asks_to_confirm_the_purpose_of_a_twinning_exchange_and_records_it(
    client, officer_a, city_a
):
    from jumelage.projects.models import Project
    from jumelage.reporting.tests.test_oda_declaration import twinning_project

    countries = reference_data()
    project = twinning_project(city_a, countries)
    disbursement(city_a, project=project, recipient_country=countries["RS"])
    client.force_login(officer_a)
    page = client.get(page_url()).content.decode()
    assert "1 payment belongs to a project of a twinning" in page
    assert f'action="{purpose_url(project.pk)}"' in page
    response = client.post(
        purpose_url(project.pk), {"purpose": "other", "version": project.version}, follow=True
    )
    project.refresh_from_db()
    assert project.oda_purpose == Project.OdaPurpose.OTHER
    page = response.content.decode()
    assert "payment belongs to a project of a twinning" not in page
    assert "is recorded as something other than the development" in page


def test_a_stale_purpose_confirmation_is_refused(client, officer_a, city_a):
    from jumelage.reporting.tests.test_oda_declaration import twinning_project

    project = twinning_project(city_a, reference_data())
    client.force_login(officer_a)
    response = client.post(
        purpose_url(project.pk), {"purpose": "development", "version": "999"}, follow=True
    )
    assert "Someone else changed this record" in response.content.decode()
    project.refresh_from_db()
    assert project.oda_purpose == ""


# --- The dashboard ----------------------------------------------------------------------------


def test_the_dashboard_shows_the_open_window_with_the_days_left_and_links(
    client, officer_a, city_a, settings
):
    settings.ODA_DECLARATION_WINDOW = ("01-01", "12-31")
    today = timezone.localdate()
    client.force_login(officer_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"ODA declaration of {today.year - 1} flows" in page
    days = (datetime.date(today.year, 12, 31) - today).days
    if days:
        assert f"Open now: {days} day" in page
    else:
        assert "Open now: today is the last day." in page
    assert f'href="{page_url(year=today.year - 1)}"' in page
    assert f'href="{reverse("reporting:atlas_sheets", args=["ville-a"])}"' in page
    assert "ville-b" not in page
    assert "app-partners" in page  # Django's list of applications is still there


def test_the_dashboard_counts_the_days_until_a_window_to_come(client, officer_a, city_a, settings):
    today = timezone.localdate()
    if today.month == 12 and today.day == 31:
        pytest.skip("no later day of the year to open a window on")
    later = today + datetime.timedelta(days=1)
    settings.ODA_DECLARATION_WINDOW = (f"{later:%m-%d}", "12-31")
    client.force_login(officer_a)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Opens in 1 day." in page
