"""`manage.py export_list` and `manage.py import_spreadsheet`: files, progress on stderr,
problems listed, nothing written from a dirty file."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from jumelage.actors.models import Actor
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.reporting.spreadsheets import writers
from jumelage.reporting.tests.test_spreadsheet_support import fill, french, xlsx_file


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_export_list_writes_an_xlsx_with_french_headers(tmp_path, city_a, city_b):
    fill(city_a, 2, prefix="A")
    fill(city_b, 1, prefix="B")
    target = tmp_path / "plans.xlsx"
    with french():
        out, _err = run(
            "export_list", "financing_plans", "--authority", "ville-a", "--output", str(target)
        )
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("ID du plan", "Collectivité membre")
    assert {row[1] for row in rows[1:]} == {"Ville A"}
    assert out.strip() == f"6 rows of financing_plans written to {target}"
    assert not list(tmp_path.glob("*.part"))


def test_export_list_writes_a_csv_and_shows_its_progress_on_stderr(tmp_path, city_a, monkeypatch):
    monkeypatch.setattr(writers, "PROGRESS_STEP", 1)  # the writers report every row
    for _index in range(5):
        PartnershipFactory(authority=city_a)
    target = tmp_path / "partenariats.csv"
    _out, err = run(
        "export_list",
        "partnerships",
        "--authority",
        "ville-a",
        "--output",
        str(target),
        "--progress-every",
        "2",
        "--language",
        "en",
    )
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig")), delimiter=";"))
    assert len(rows) == 6
    assert rows[0][0] == "ID"
    assert err.strip().splitlines() == [
        "partnerships: 2 of 5 rows",
        "partnerships: 4 of 5 rows",
        "partnerships: 5 of 5 rows",
    ]


def test_export_list_refuses_an_unknown_authority_and_a_wrong_extension(tmp_path, city_a):
    with pytest.raises(CommandError, match="No member authority has the slug “nowhere”"):
        run("export_list", "actors", "--authority", "nowhere", "--output", str(tmp_path / "a.csv"))
    with pytest.raises(CommandError, match=r"Name the output file \.xlsx or \.csv"):
        run("export_list", "actors", "--authority", "ville-a", "--output", str(tmp_path / "a.ods"))


def test_import_spreadsheet_checks_then_imports_as_the_user_given(tmp_path, city_a, officer_a):
    source = tmp_path / "acteurs.xlsx"
    source.write_bytes(xlsx_file([["Name", "Kind"], ["Hôpital Foch", "hospital"]]))
    args = [str(source), "--kind", "actors", "--authority", "ville-a", "--user", "officer_a"]

    out, _err = run("import_spreadsheet", *args, "--dry-run", "--language", "en")
    assert out.strip() == (
        "The file is clean: importing it will create 1, update 0 and leave 0 unchanged."
    )
    assert not Actor.objects.exists()

    out, err = run("import_spreadsheet", *args, "--language", "en")
    assert out.strip() == "Imported: 1 created, 0 updated, 0 unchanged."
    assert "writing: 1 of 1 rows" in err
    assert Actor.objects.get().kind == "hospital"

    out, _err = run("import_spreadsheet", *args, "--language", "en")
    assert out.strip() == "Imported: 0 created, 0 updated, 1 unchanged."


def test_import_spreadsheet_lists_the_problems_and_writes_nothing(tmp_path, city_a, officer_a):
    source = tmp_path / "acteurs.xlsx"
    source.write_bytes(xlsx_file([["Name", "Kind"], ["Club", "stade"], ["Lycée", "school"]]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problem to fix; nothing was imported"):
        call_command(
            "import_spreadsheet",
            str(source),
            "--kind=actors",
            "--authority=ville-a",
            "--user=officer_a",
            "--language=en",
            stdout=out,
            stderr=io.StringIO(),
        )
    assert out.getvalue().startswith("Row 2, column “Kind”: “stade” is not one of the choices")
    assert not Actor.objects.exists()


def test_import_spreadsheet_refuses_a_file_that_is_not_a_spreadsheet(tmp_path, officer_a):
    source = tmp_path / "notes.xlsx"
    source.write_bytes(b"%PDF-1.5 not a spreadsheet")
    with pytest.raises(CommandError, match="This file is not a spreadsheet"):
        run(
            "import_spreadsheet",
            str(source),
            "--kind",
            "authorities",
            "--user",
            "officer_a",
            "--language",
            "en",
        )


def test_the_counts_agree_with_their_numbers_in_french():
    """ "1 fiche créée", not "1 fiches créées": each count is its own plural in the catalogue."""
    from django.utils import translation

    from jumelage.reporting.spreadsheets.jobs import counts_sentence

    with translation.override("fr"):
        one = counts_sentence({"create": 1, "update": 0, "unchanged": 3}, done=True)
        many = counts_sentence({"create": 2, "update": 2, "unchanged": 1}, done=True)
        planned = counts_sentence({"create": 1, "update": 0, "unchanged": 2}, done=False)
        created = translation.npgettext(
            "import result", "%(count)s created", "%(count)s created", 1
        )
    assert created % {"count": 1} in one
    assert created % {"count": 2} not in many  # the plural form differs in French
    assert one != many.replace("2", "1")
    assert "1" in planned and "2" in planned
    with translation.override("en"):
        assert counts_sentence({"create": 1, "update": 0, "unchanged": 3}, done=True) == (
            "Imported: 1 created, 0 updated, 3 unchanged."
        )
