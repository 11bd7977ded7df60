"""The workspace's import of an officer's own workbook: upload, one screen per sheet with the
proposed mapping and the dry run, the import of the clean rows (twice changes nothing), the rows
with problems as a spreadsheet with an error column, the near match of a partner town chosen or
added on confirmation. Two authorities: neither sees nor changes the other's files, records or
remembered mappings; a bad file is refused with a clear message and writes nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jumelage.core.tests.factories import all_countries
from jumelage.partners.models import Authority, Partnership
from jumelage.partners.tests.factories import AuthorityFactory, PartnershipFactory
from jumelage.reporting.models import ColumnMapping, SpreadsheetJob
from jumelage.reporting.tests.officer_files import xlsx

pytestmark = pytest.mark.django_db

PARTNERS: list[list[Any]] = [
    ["Ville A : relations internationales", None, None, None],
    [None, None, None, None],
    ["Ville partenaire", "Pays", "Type", "Depuis"],
    ["Weissenburg", "Allemagne", "Jumelage", "12 mai 1984"],
    ["Kragujevac", "Serbie", "Jumelage", "03/1998"],
    ["Kragujevac", "Serbie", "Pacte d'amitié", "l'an dernier"],
    ["Total", None, None, None],
]


@pytest.fixture
def directory(db):
    all_countries()
    return {
        "weissenburg": AuthorityFactory(name="Weißenburg in Bayern", country_id="DE"),
        "kragujevac": AuthorityFactory(name="Kragujevac", country_id="RS"),
    }


def upload(client: Any, slug: str, content: bytes, name: str = "suivi.xlsx") -> Any:
    return client.post(
        reverse("workspace:imports", args=[slug]),
        {"file": SimpleUploadedFile(name, content)},
    )


def last_check(user: Any) -> SpreadsheetJob:
    return SpreadsheetJob.objects.filter(owner=user, kind="check").latest("pk")


def test_the_menu_and_the_page_offer_the_import(client, officer_a, city_a):
    client.force_login(officer_a)
    page = client.get(reverse("workspace:home", args=[city_a.slug]))
    assert reverse("workspace:imports", args=[city_a.slug]) in page.content.decode()
    page = client.get(reverse("workspace:imports", args=[city_a.slug]))
    assert page.status_code == 200
    assert b'type="file"' in page.content


def test_a_sheet_shows_its_mapping_and_each_rows_problems(client, officer_a, city_a, directory):
    client.force_login(officer_a)
    response = upload(client, city_a.slug, xlsx({"Partenaires": PARTNERS}))
    job = last_check(officer_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:import_job", args=[city_a.slug, job.pk])
    sheet = job.sheets[0]
    assert sheet["kind"] == "partnerships"
    assert {c["header"]: c["field"] for c in sheet["columns"]} == {
        "Ville partenaire": "partner",
        "Pays": "partner_country",
        "Type": "kind",
        "Depuis": "started_year",
    }
    assert sheet["ready"] == 2 and sheet["problem_rows"] == [6]
    page = client.get(response["Location"]).content.decode()
    assert "Weissenburg" in page and "12 mai 1984" in page  # the sample values
    assert "Import the 2 clean rows" in page
    assert "Row 6" not in page or "Depuis" in page
    assert any(p["row"] == 6 and p["column"] == "Depuis" for p in sheet["problems"])
    assert "“Weissenburg” read as “Weißenburg in Bayern” (DE)" in page
    assert not Partnership.objects.exists()  # a dry run writes nothing


def test_the_clean_rows_are_imported_and_the_same_file_twice_changes_nothing(
    client, officer_a, city_a, city_b, directory
):
    client.force_login(officer_a)
    upload(client, city_a.slug, xlsx({"Partenaires": PARTNERS}))
    job = last_check(officer_a)
    response = client.post(
        reverse("workspace:import_start", args=[city_a.slug, job.pk]), {"sheet": 0}
    )
    done = SpreadsheetJob.objects.filter(owner=officer_a, kind="import").latest("pk")
    assert response["Location"] == reverse("workspace:import_job", args=[city_a.slug, done.pk])
    assert done.status == "done", done.message
    stored = Partnership.objects.filter(authority=city_a).order_by("partner__name")
    assert [(p.partner.name, p.kind, p.started_year) for p in stored] == [
        ("Kragujevac", "twinning", 1998),
        ("Weißenburg in Bayern", "twinning", 1984),
    ]
    assert not Partnership.objects.filter(authority=city_b).exists()
    assert ColumnMapping.objects.filter(authority=city_a).count() == 1
    versions = list(stored.values_list("version", flat=True))
    upload(client, city_a.slug, xlsx({"Partenaires": PARTNERS}))
    again = last_check(officer_a)
    assert again.sheets[0]["remembered"]
    client.post(reverse("workspace:import_start", args=[city_a.slug, again.pk]), {"sheet": 0})
    second = SpreadsheetJob.objects.filter(owner=officer_a, kind="import").latest("pk")
    assert second.counts == {"create": 0, "update": 0, "unchanged": 2}
    assert list(stored.values_list("version", flat=True)) == versions


def test_the_other_rows_download_with_an_error_column(client, officer_a, city_a, directory):
    client.force_login(officer_a)
    upload(client, city_a.slug, xlsx({"Partenaires": PARTNERS}))
    job = last_check(officer_a)
    response = client.get(
        reverse("workspace:import_rows_to_fix", args=[city_a.slug, job.pk]), {"sheet": 0}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Problems to fix", "Ville partenaire", "Pays", "Type", "Depuis")
    assert len(rows) == 2
    assert rows[1][1:] == ("Kragujevac", "Serbie", "Pacte d'amitié", "l'an dernier")
    assert rows[1][0].startswith("Depuis : ")


def test_the_officer_changes_a_columns_field_and_the_dry_run_follows(
    client, officer_a, city_a, directory
):
    client.force_login(officer_a)
    upload(client, city_a.slug, xlsx({"Partenaires": PARTNERS}))
    job = last_check(officer_a)
    client.post(
        reverse("workspace:import_recheck", args=[city_a.slug, job.pk]),
        {
            "sheet": 0,
            "kind": "partnerships",
            "column-0": "partner",
            "column-1": "partner_country",
            "column-2": "kind",
            "column-3": "",  # "Depuis" left out: no more problem on row 6
        },
    )
    checked = last_check(officer_a)
    assert checked.pk != job.pk
    assert checked.sheets[0]["given"]
    assert checked.sheets[0]["ready"] == 3 and checked.sheets[0]["problem_rows"] == []


def test_a_near_town_is_chosen_or_added_on_confirmation(client, officer_a, city_a, directory):
    AuthorityFactory(name="Weissenberg", country_id="DE")  # two near matches: none stands out
    client.force_login(officer_a)
    rows = [["Ville partenaire", "Pays", "Type"], ["Weissenburgh", "Allemagne", "Jumelage"]]
    upload(client, city_a.slug, xlsx({"Partenaires": rows}))
    job = last_check(officer_a)
    town = job.sheets[0]["towns"][0]
    assert town["chosen"] is None and town["candidates"]
    assert job.sheets[0]["ready"] == 0
    client.post(
        reverse("workspace:import_recheck", args=[city_a.slug, job.pk]),
        {"sheet": 0, f"town-{town['key']}": str(directory["weissenburg"].pk)},
    )
    chosen = last_check(officer_a)
    assert chosen.sheets[0]["ready"] == 1
    assert chosen.sheets[0]["towns"][0]["chosen"] == directory["weissenburg"].pk
    assert not Authority.objects.filter(name="Weissenburgh").exists()
    client.post(
        reverse("workspace:import_recheck", args=[city_a.slug, job.pk]),
        {"sheet": 0, f"town-{town['key']}": "new"},
    )
    added = Authority.objects.get(name="Weissenburgh")
    assert (added.country_id, added.added_by_id) == ("DE", city_a.pk)  # partner_town_add
    after = last_check(officer_a).sheets[0]
    assert after["ready"] == 1 and after["towns"] == []  # now the directory's own spelling


def test_another_authority_neither_sees_the_job_nor_gets_the_mapping(
    client, officer_a, officer_b, city_a, city_b, directory
):
    client.force_login(officer_a)
    upload(client, city_a.slug, xlsx({"Partenaires": PARTNERS}))
    job = last_check(officer_a)
    client.post(reverse("workspace:import_start", args=[city_a.slug, job.pk]), {"sheet": 0})
    assert ColumnMapping.objects.filter(authority=city_a).exists()
    client.force_login(officer_b)
    for name in ("import_job", "import_rows_to_fix"):
        assert (
            client.get(reverse(f"workspace:{name}", args=[city_a.slug, job.pk])).status_code == 404
        )
        assert (
            client.get(reverse(f"workspace:{name}", args=[city_b.slug, job.pk])).status_code == 404
        )
    response = client.post(
        reverse("workspace:import_start", args=[city_b.slug, job.pk]), {"sheet": 0}
    )
    assert response.status_code == 404
    upload(client, city_b.slug, xlsx({"Partenaires": PARTNERS}))
    theirs = last_check(officer_b)
    assert not theirs.sheets[0]["remembered"]  # A's mapping is A's
    client.post(reverse("workspace:import_start", args=[city_b.slug, theirs.pk]), {"sheet": 0})
    assert Partnership.objects.filter(authority=city_b).count() == 2
    assert Partnership.objects.filter(authority=city_a).count() == 2  # untouched by B's import


def test_a_viewer_cannot_import(client, viewer_a, city_a, directory):
    client.force_login(viewer_a)
    assert upload(client, city_a.slug, xlsx({"Partenaires": PARTNERS})).status_code == 403
    assert not SpreadsheetJob.objects.exists()


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("suivi.xlsx", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "web page"),
        ("suivi.xlsx", b"PK\x03\x04 not really a zip", "not a spreadsheet"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "not a spreadsheet"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_written(
    client, officer_a, city_a, directory, name, content, expected
):
    PartnershipFactory(authority=city_a, partner=directory["kragujevac"])
    before = Partnership.objects.count()
    client.force_login(officer_a)
    upload(client, city_a.slug, content, name)
    job = last_check(officer_a)
    assert job.status == "failed"
    assert expected in job.message.lower(), job.message
    page = client.get(reverse("workspace:import_job", args=[city_a.slug, job.pk]))
    assert job.message in page.content.decode()
    assert Partnership.objects.count() == before
    assert not ColumnMapping.objects.exists()


def test_the_page_of_a_sheet_costs_the_same_queries_for_few_and_many_rows(
    client, officer_a, city_a, directory, django_assert_num_queries
):
    client.force_login(officer_a)
    counts = []
    for size in (2, 20):
        rows = [["Ville partenaire", "Pays", "Type"]] + [
            [f"Ville {n}", "Allemagne", "Jumelage"] for n in range(size)
        ]
        upload(client, city_a.slug, xlsx({"Partenaires": rows}))
        job = last_check(officer_a)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("workspace:import_job", args=[city_a.slug, job.pk])).status_code
                == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_oversized_file_is_refused_before_any_job(client, officer_a, city_a, settings):
    settings.SPREADSHEET_IMPORT_MAX_BYTES = 1000
    client.force_login(officer_a)
    response = upload(client, city_a.slug, b"x" * 5000, "gros.csv")
    assert response.status_code in (400, 413)
    assert "MB" in response.content.decode()
    assert not SpreadsheetJob.objects.exists()


def test_after_the_last_sheet_the_button_goes_back_to_the_first_instead_of_next(
    client, officer_a, city_a, directory
):
    """A workbook of two sheets: after the first sheet's import the page offers the next
    sheet; after the last one, to check the sheets again from the first (not "next")."""
    from django.utils.translation import gettext, override

    other = [["Ville partenaire", "Pays", "Type"], ["Kragujevac", "Serbie", "Jumelage"]]
    client.force_login(officer_a)
    upload(client, city_a.slug, xlsx({"Partenaires": PARTNERS, "Autres": other}))
    pages = {}
    for index in (0, 1):
        job = last_check(officer_a)
        client.post(reverse("workspace:import_start", args=[city_a.slug, job.pk]), {"sheet": index})
        done = SpreadsheetJob.objects.filter(owner=officer_a, kind="import").latest("pk")
        page = client.get(reverse("workspace:import_job", args=[city_a.slug, done.pk]))
        pages[index] = page.content.decode()
        response = client.post(reverse("workspace:import_continue", args=[city_a.slug, done.pk]))
        assert response.status_code == 302
    with override("en"):
        following, again = (
            gettext("Go on with the next sheet"),
            gettext("Check the sheets again, from the first"),
        )
    assert following in pages[0] and again not in pages[0]
    assert again in pages[1] and following not in pages[1]
    assert response["Location"].endswith("?sheet=0")
