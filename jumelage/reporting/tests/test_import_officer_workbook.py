"""`import_spreadsheet FILE --authority SLUG` without --kind, on an officer's own workbook (title
rows, merged cells, French headers, total rows, dates in words, month-year, year ranges, a town
spelt otherwise than the directory has it), in XLSX, ODS and CSV: the proposed mapping and one
line per sheet with --dry-run, the stored values with --accept-proposed."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jumelage.actors.models import Actor
from jumelage.core.tests.factories import all_countries
from jumelage.partners.models import Partnership
from jumelage.partners.tests.factories import AuthorityFactory
from jumelage.projects.models import Project
from jumelage.reporting.models import ColumnMapping
from jumelage.reporting.tests.officer_files import csv_bytes, ods, xlsx

TITLE = "Ville A : relations internationales"
PARTNERS: list[list[Any]] = [
    [TITLE, None, None, None, None],
    [None, None, None, None, None],
    ["Ville partenaire", "Pays", "Type", "Depuis", "Publié"],
    ["Weissenburg", "Allemagne", "Jumelage", "12 mai 1984", "oui"],
    ["Kragujevac", "Serbie", "Jumelage", "03/1998", "x"],
    ["Total", None, None, None, None],
]
PROJECTS: list[list[Any]] = [
    ["Intitulé du projet", "Identifiant", "Pays", "Période", "Statut"],
    ["Forages à Kragujevac", "forages-kragujevac", "Serbie", "2019-2022", None],
    ["Sous-total", None, None, None, None],
]
ACTORS: list[list[Any]] = [
    ["Nom de la structure", "Type", "Ville"],
    ["Collège Jean Macé", "établissement scolaire", "Suresnes"],
    ["Collège Émile Zola", "établissement scolaire", None],
    ["Hôpital Foch", "school", None],
]


@pytest.fixture
def directory(db, city_a, admin_a):
    all_countries()
    return {
        "weissenburg": AuthorityFactory(name="Weißenburg in Bayern", country_id="DE"),
        "kragujevac": AuthorityFactory(name="Kragujevac", country_id="RS"),
    }


def workbook(file_format: str) -> bytes:
    sheets = {"Partenaires": PARTNERS, "Projets": PROJECTS, "Acteurs": ACTORS}
    if file_format == "xlsx":
        return xlsx(sheets, merges={"Partenaires": ["A1:E1"], "Acteurs": ["C2:C4"]})
    return ods(sheets, spans={"Partenaires": ["A1:E1"], "Acteurs": ["C2:C4"]})


def run(path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_spreadsheet", str(path), "--authority", "ville-a", *args, stdout=out, stderr=err
        )
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), ""


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_a_dry_run_prints_the_mapping_and_one_line_per_sheet_in_french(
    tmp_path, directory, file_format
):
    path = tmp_path / f"suivi.{file_format}"
    path.write_bytes(workbook(file_format))

    out, error = run(path, "--dry-run")

    assert error == ""
    lines = out.splitlines()
    assert lines[-3:] == [
        "feuille « Partenaires » : partenariats, 2 lignes prêtes, 0 lignes avec des problèmes, "
        "1 lignes ignorées",
        "feuille « Projets » : projets, 1 lignes prêtes, 0 lignes avec des problèmes, "
        "1 lignes ignorées",
        "feuille « Acteurs » : acteurs locaux, 3 lignes prêtes, 0 lignes avec des problèmes, "
        "0 lignes ignorées",
    ]
    assert "  colonne A « Ville partenaire » : Collectivité partenaire" in lines
    assert "  ligne 6 ignorée : une ligne de total (« Total »)" in lines
    assert any("« Weissenburg » lu comme « Weißenburg in Bayern » (DE)" in line for line in lines)
    assert not Partnership.objects.exists()


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_accept_proposed_imports_every_sheet_with_the_values_understood(
    tmp_path, city_a, directory, file_format
):
    path = tmp_path / f"suivi.{file_format}"
    path.write_bytes(workbook(file_format))

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    weissenburg = Partnership.objects.get(partner=directory["weissenburg"])
    assert (weissenburg.authority, weissenburg.kind) == (city_a, "twinning")
    assert (weissenburg.started_year, weissenburg.is_public) == (1984, True)
    assert Partnership.objects.get(partner=directory["kragujevac"]).started_year == 1998
    project = Project.objects.get(authority=city_a, slug="forages-kragujevac")
    assert (project.planned_start, project.planned_end) == (
        datetime.date(2019, 1, 1),
        datetime.date(2022, 12, 31),
    )
    assert list(project.countries.values_list("country_id", flat=True)) == ["RS"]
    assert sorted(Actor.objects.values_list("name", "kind", "city")) == [
        ("Collège Jean Macé", "school", "Suresnes"),
        ("Collège Émile Zola", "school", "Suresnes"),
        ("Hôpital Foch", "school", "Suresnes"),
    ]
    assert ColumnMapping.objects.filter(authority=city_a).count() == 3

    # The same file again changes nothing, and its mappings are the remembered ones.
    out, error = run(path, "--accept-proposed", "--language", "en")
    assert error == ""
    assert "as mapped for the last file of this shape" in out
    assert Partnership.objects.count() == 2


def test_one_sheet_with_problems_stops_the_whole_file(tmp_path, directory):
    rows = [row[:] for row in PARTNERS]
    rows[4][1] = "Serbistan"
    path = tmp_path / "suivi.xlsx"
    path.write_bytes(xlsx({"Partenaires": rows, "Acteurs": ACTORS}))

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error.startswith("Nothing was imported: every sheet must be clean")
    assert "Row 5, column “Pays”: “Serbistan” is not a known country" in out
    assert "sheet “Partenaires”: partnerships, 1 rows ready, 1 rows with problems" in out
    assert not Actor.objects.exists()
    assert not ColumnMapping.objects.exists()


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_a_csv_in_latin_1_or_utf_8_goes_in_the_same(tmp_path, city_a, directory, encoding):
    path = tmp_path / "partenaires.csv"
    path.write_bytes(csv_bytes(PARTNERS, encoding=encoding))

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    assert Partnership.objects.get(partner=directory["weissenburg"]).started_year == 1984


def test_a_hostile_file_is_refused_and_writes_nothing(tmp_path, directory):
    path = tmp_path / "suivi.xlsx"
    path.write_bytes(b"<html><body><table><tr><td>Ville</td></tr></table></body></html>")
    _out, error = run(path, "--accept-proposed", "--language", "en")
    assert error.startswith("This file is a web page or an XML file, not a spreadsheet")
    assert not Partnership.objects.exists()


def test_a_remembered_mapping_is_named_by_its_kind_in_the_readers_language(city_a):
    """The history names a remembered mapping "Partnerships: ..." (the kind's title, in the
    reader's language), not by the code's name of the kind."""
    from django.utils import translation

    mapping = ColumnMapping(authority=city_a, kind="partnerships", headers=["Ville", "Pays"])
    with translation.override("fr"):
        expected = str(translation.gettext("Partnerships"))
        assert str(mapping) == f"{expected}: Ville, Pays"
    assert expected != "Partnerships"
