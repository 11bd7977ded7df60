"""The Atlas sheet of each partnership: the page, the spreadsheet and `manage.py atlas_export`."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from jumelage.agreements.tests.factories import AgreementFactory
from jumelage.core.tests.factories import AtlasThemeFactory, CountryFactory
from jumelage.partners.models import Partnership, PartnershipTheme
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.reporting.atlas import export
from jumelage.reporting.atlas.selectors import atlas_sheets
from jumelage.reporting.tests.oda_dataset import french_catalogue

GOVERNANCE = [
    "Politics, humanitarian and cross-border cooperation",
    "Local governance and institutional support",
    "Institutional support",
]


def theme_path(names: list[str], prefix: str):
    parent = None
    for level, name in enumerate(names, start=1):
        parent = AtlasThemeFactory(
            code=f"{prefix}{level}", name_en=name, name_fr=name, level=level, parent=parent
        )
    return parent


@pytest.fixture
def cap_haitien(city_a):
    partnership = PartnershipFactory(
        authority=city_a,
        partner=ForeignAuthorityFactory(name="Cap-Haïtien", country=CountryFactory(code="HT")),
        kind=Partnership.Kind.COOPERATION,
        title={"en": "Suresnes – Cap-Haïtien cooperation"},  # noqa: RUF001
        summary={"en": "Civil registry and local governance."},
        context={"en": "Begun in 1998."},
        started_year=1998,
        main_theme=theme_path(GOVERNANCE, "G"),
    )
    # Entered in the wrong order on purpose: the sheet ranks them.
    PartnershipTheme.objects.create(
        partnership=partnership, theme=theme_path(["Culture", "Francophonie"], "C"), rank=2
    )
    PartnershipTheme.objects.create(
        partnership=partnership, theme=theme_path(["Education", "Schools"], "E"), rank=1
    )
    AgreementFactory(partnership=partnership, signed=True, signed_on=datetime.date(2018, 7, 10))
    AgreementFactory(partnership=partnership, signed=True, signed_on=datetime.date(1998, 5, 4))
    AgreementFactory(partnership=partnership)  # a draft, never signed
    return partnership


def test_the_sheet_shows_the_year_of_first_signature_and_the_theme_path(cap_haitien, city_a):
    [sheet] = atlas_sheets(city_a)
    assert sheet.title == "Suresnes – Cap-Haïtien cooperation"  # noqa: RUF001
    assert sheet.first_signature_year == 1998
    assert sheet.theme_path == GOVERNANCE
    assert sheet.theme == " › ".join(GOVERNANCE)  # noqa: RUF001
    assert [(t.rank, t.full_name) for t in sheet.secondary_themes] == [
        (1, "Education › Schools"),  # noqa: RUF001
        (2, "Culture › Francophonie"),  # noqa: RUF001
    ]
    assert (sheet.start_year, sheet.status, sheet.ended_on) == (1998, "active", None)
    assert (sheet.summary, sheet.context) == (
        "Civil registry and local governance.",
        "Begun in 1998.",
    )


def test_a_partnership_with_no_signed_act_and_no_theme_has_empty_places(city_a):
    PartnershipFactory(
        authority=city_a, status=Partnership.Status.ENDED, ended_on=datetime.date(2020, 6, 30)
    )
    [sheet] = atlas_sheets(city_a)
    assert sheet.first_signature_year is None
    assert sheet.theme_path == []
    assert sheet.theme_levels == ["", "", ""]
    assert (sheet.status, sheet.ended_on) == ("ended", datetime.date(2020, 6, 30))


def test_the_sheets_are_those_of_the_authority_only(cap_haitien, city_a, city_b):
    PartnershipFactory(authority=city_b, partner=ForeignAuthorityFactory(name="Kragujevac"))
    assert [sheet.partner for sheet in atlas_sheets(city_a)] == ["Cap-Haïtien"]
    assert [sheet.partner for sheet in atlas_sheets(city_b)] == ["Kragujevac"]


def test_the_sheets_take_two_queries_for_one_partnership_or_five(
    cap_haitien, city_a, django_assert_num_queries
):
    with django_assert_num_queries(2):
        sheets = atlas_sheets(city_a)
        assert [s.theme_path for s in sheets] == [GOVERNANCE]
    for index in range(4):
        partnership = PartnershipFactory(
            authority=city_a, main_theme=theme_path(["A", "B", f"C{index}"], f"X{index}")
        )
        PartnershipTheme.objects.create(
            partnership=partnership, theme=theme_path(["D", f"E{index}"], f"Y{index}")
        )
        AgreementFactory(partnership=partnership, signed=True)
    with django_assert_num_queries(2):
        sheets = atlas_sheets(city_a)
        assert len(sheets) == 5
        assert all(len(s.theme_path) == 3 and s.secondary_themes for s in sheets)
        assert sorted(s.first_signature_year for s in sheets) == [1998, 2026, 2026, 2026, 2026]


# --- The page ----------------------------------------------------------------------------------


def page_url(slug: str = "ville-a") -> str:
    return reverse("reporting:atlas_sheets", args=[slug])


def test_the_page_shows_each_sheet_to_the_authoritys_officer(client, officer_a, cap_haitien):
    client.force_login(officer_a)
    response = client.get(page_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Suresnes – Cap-Haïtien cooperation" in page  # noqa: RUF001
    assert "1998" in page
    assert " › ".join(GOVERNANCE) in page  # noqa: RUF001
    assert '<li value="1">Education › Schools</li>' in page  # noqa: RUF001
    workspace_page = reverse("workspace:partnership", args=["ville-a", cap_haitien.pk])
    assert f'href="{workspace_page}#atlas-title"' in page
    assert (
        "/admin/partners/partnership/" not in page.split('id="content-main"')[1]
    )  # the admin's own menu aside
    assert reverse("reporting:atlas_file", args=["ville-a"]) in page
    assert client.get(workspace_page).status_code == 200


def test_an_authority_without_partnerships_is_sent_to_the_workspaces_list(
    client, officer_a, city_a
):
    client.force_login(officer_a)
    page = client.get(page_url()).content.decode()
    partnerships = reverse("workspace:partnerships", args=["ville-a"])
    assert f'<a href="{partnerships}">' in page
    assert "back office" not in page.split('id="content-main"')[1]


def test_the_page_and_its_file_are_a_404_for_another_authoritys_officer(
    client, officer_b, cap_haitien
):
    client.force_login(officer_b)
    assert client.get(page_url()).status_code == 404
    assert client.get(reverse("reporting:atlas_file", args=["ville-a"])).status_code == 404


def test_the_page_runs_the_same_queries_for_one_partnership_or_five(
    client, officer_a, cap_haitien, city_a
):
    client.force_login(officer_a)
    with CaptureQueriesContext(connection) as one:
        assert client.get(page_url()).status_code == 200
    for index in range(4):
        partnership = PartnershipFactory(
            authority=city_a, main_theme=theme_path(["A", f"B{index}"], f"Z{index}")
        )
        PartnershipTheme.objects.create(
            partnership=partnership, theme=theme_path(["D"], f"W{index}")
        )
    with CaptureQueriesContext(connection) as five:
        response = client.get(page_url())
    assert len(response.context["sheets"]) == 5
    assert len(five) == len(one)


# --- The spreadsheet ---------------------------------------------------------------------------

FRENCH = {
    "Title": "Titre",
    "Year of first signature": "Année de première signature",
    "Theme": "Thématique",
    "Sub-theme": "Sous-thématique",
    "Detailed theme": "Thématique détaillée",
    "Start year": "Année de début",
    "End date": "Date de fin",
}


def rows_by_header(content: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content)).active
    names = [cell.value for cell in sheet[1]]
    return [
        dict(zip(names, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


def test_the_spreadsheet_has_a_row_per_partnership_with_french_headers(
    cap_haitien, city_a, settings, tmp_path
):
    PartnershipFactory(
        authority=city_a, status=Partnership.Status.ENDED, ended_on=datetime.date(2020, 6, 30)
    )
    french_catalogue(settings, tmp_path, FRENCH)
    with translation.override("fr"):
        rows = rows_by_header(export.xlsx_bytes(city_a, atlas_sheets(city_a)))
    assert len(rows) == 2
    row = next(r for r in rows if r["Titre"].startswith("Suresnes"))
    assert row["Année de première signature"] == 1998  # a number, not text
    assert [row["Thématique"], row["Sous-thématique"], row["Thématique détaillée"]] == GOVERNANCE
    assert row["Année de début"] == 1998
    ended = next(r for r in rows if r is not row)
    assert ended["Date de fin"] == datetime.datetime(2020, 6, 30)  # a date, not text


def test_the_page_downloads_the_spreadsheet(client, officer_a, cap_haitien):
    client.force_login(officer_a)
    response = client.get(reverse("reporting:atlas_file", args=["ville-a"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ville-a-atlas.xlsx"'
    [row] = rows_by_header(response.content)
    assert row["Secondary themes, ranked"] == (
        "1. Education › Schools\n2. Culture › Francophonie"  # noqa: RUF001
    )


def test_the_command_writes_the_spreadsheet_in_the_sites_language(cap_haitien, settings, tmp_path):
    french_catalogue(settings, tmp_path, FRENCH)
    settings.LANGUAGE_CODE = "fr"
    output = tmp_path / "atlas.xlsx"
    out = io.StringIO()
    call_command("atlas_export", "--authority", "ville-a", "--output", str(output), stdout=out)
    [row] = rows_by_header(output.read_bytes())
    assert row["Année de première signature"] == 1998
    assert str(output) in out.getvalue()


def test_the_command_refuses_an_unknown_authority_and_another_file_type(city_a, settings, tmp_path):
    settings.LANGUAGE_CODE = "en"  # the command speaks the site's language
    with pytest.raises(CommandError, match="No member authority has the slug “nowhere”"):
        call_command("atlas_export", "--authority", "nowhere", "--output", str(tmp_path / "a.xlsx"))
    with pytest.raises(CommandError, match=r"one of these extensions: \.xlsx\."):
        call_command("atlas_export", "--authority", "ville-a", "--output", str(tmp_path / "a.csv"))
