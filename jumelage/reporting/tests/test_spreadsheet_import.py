"""Spreadsheet imports: from the template to the rows, idempotent, audited, atomic; every
problem of a dirty file listed with its row and column, and nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jumelage.actors.models import Actor
from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import AtlasThemeFactory
from jumelage.partners.models import Authority, Partnership
from jumelage.partners.tests.factories import AuthorityFactory, PartnershipFactory
from jumelage.projects.models import Project
from jumelage.reporting.spreadsheets.imports import IMPORTS, check_table, import_table
from jumelage.reporting.spreadsheets.reading import FileRefused, read_table
from jumelage.reporting.spreadsheets.template_files import write_template_xlsx
from jumelage.reporting.tests.test_spreadsheet_support import (
    country,
    csv_file,
    french,
    reference_countries,
    xlsx_file,
)


@pytest.fixture(autouse=True)
def countries(db):
    reference_countries()


def save(tmp_path: Path, content: bytes, name: str = "file.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def from_template(kind: str, rows, *, language: str = "en") -> bytes:
    """The downloadable template of `kind`, filled in with `rows` below its headers."""
    stream = io.BytesIO()
    write_template_xlsx(IMPORTS[kind], stream, language=language)
    stream.seek(0)
    workbook = load_workbook(stream)
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(tmp_path, kind, content, *, user, member=None, name="file.xlsx", write=True):
    table = read_table(save(tmp_path, content, name))
    action = import_table if write else check_table
    return action(IMPORTS[kind], table, user=user, member=member)


def messages(outcome) -> list[str]:
    return [str(problem) for problem in outcome.problems]


PARTNERSHIP_HEADERS = ["Partner authority", "Partner's country", "Kind", "Status", "Started (year)"]


# --- Clean files --------------------------------------------------------------------------------


def test_a_clean_file_from_the_template_creates_the_rows_with_audit_entries(
    tmp_path, city_a, officer_a
):
    AuthorityFactory(name="Kragujevac", country_id="RS")
    AuthorityFactory(name="Cap-Haïtien", country_id="HT")
    content = from_template(
        "partnerships",
        [
            # The columns of the template, in its order; empty cells keep the defaults.
            ["Kragujevac", "Serbie", "", "twinning", "active", "", 1968],
            ["cap-haitien", "HT", "", "Decentralised cooperation", "", "Haïti", 1998],
        ],
    )
    outcome = run(tmp_path, "partnerships", content, user=officer_a, member=city_a)

    assert messages(outcome) == []
    assert outcome.written
    assert outcome.counts == {"create": 2, "update": 0, "unchanged": 0}
    created = Partnership.objects.of_authority(city_a.pk).order_by("started_year")
    assert [(p.partner.name, p.kind, p.started_year) for p in created] == [
        ("Kragujevac", "twinning", 1968),
        ("Cap-Haïtien", "cooperation", 1998),
    ]
    assert created[1].title == {"fr": "Haïti"}
    entries = AuditEntry.objects.filter(model="partners.partnership", authority=city_a)
    assert entries.count() == 2
    assert {entry.user for entry in entries} == {officer_a}


def test_importing_the_same_file_again_changes_nothing(tmp_path, city_a, officer_a):
    AuthorityFactory(name="Kragujevac", country_id="RS")
    content = from_template("partnerships", [["Kragujevac", "RS", "", "twinning", "", "", 1968]])
    run(tmp_path, "partnerships", content, user=officer_a, member=city_a)
    before = (AuditEntry.objects.count(), Partnership.objects.get().version)

    again = run(tmp_path, "partnerships", content, user=officer_a, member=city_a)

    assert again.counts == {"create": 0, "update": 0, "unchanged": 1}
    assert (AuditEntry.objects.count(), Partnership.objects.get().version) == before


def test_a_changed_row_updates_the_record_and_empty_cells_keep_their_values(
    tmp_path, city_a, officer_a
):
    partner = AuthorityFactory(name="Kragujevac", country_id="RS")
    PartnershipFactory(authority=city_a, partner=partner, kind="twinning", started_year=1968)
    content = xlsx_file(
        [["Partner authority", "Kind", "Status"], ["Kragujevac", "twinning", "dormant"]]
    )
    outcome = run(tmp_path, "partnerships", content, user=officer_a, member=city_a)
    assert outcome.counts == {"create": 0, "update": 1, "unchanged": 0}
    partnership = Partnership.objects.get()
    assert (partnership.status, partnership.started_year) == ("dormant", 1968)


def test_authorities_are_found_by_siren_then_by_name_and_country(tmp_path, city_a, officer_a):
    AuthorityFactory(name="Suresnes", country_id="FR", siren="219200730", added_by=city_a)
    AuthorityFactory(name="Holon", country_id="FR")  # same name elsewhere: another authority
    country("IL", "Israël", "Israel")
    content = csv_file(
        [
            ["Name", "Country", "Kind", "SIREN", "Population"],
            ["Ville de Suresnes", "France", "", "219 200 730", "49 000"],
            ["Holon", "Israël", "municipality", "", "196282"],
        ]
    )
    outcome = run(tmp_path, "authorities", content, user=officer_a, name="a.csv")
    assert messages(outcome) == []
    assert outcome.counts == {"create": 1, "update": 1, "unchanged": 0}
    suresnes = Authority.objects.get(siren="219200730")
    assert (suresnes.name, suresnes.population) == ("Ville de Suresnes", 49000)
    assert Authority.objects.filter(name="Holon").count() == 2
    assert AuditEntry.objects.filter(model="partners.authority", authority=None).count() == 2


def test_an_import_does_not_change_an_entry_other_authorities_use(
    tmp_path, city_a, city_b, officer_a
):
    town = AuthorityFactory(name="Holon", country_id="FR", population=196282)
    PartnershipFactory(authority=city_b, partner=town)
    content = csv_file([["Name", "Country", "Population"], ["Holon", "France", "1"]])
    outcome = run(tmp_path, "authorities", content, user=officer_a, name="a.csv")
    assert any("only the register's curators change it" in text for text in messages(outcome))
    assert Authority.objects.get(pk=town.pk).population == 196282


def test_projects_import_with_their_countries_and_partnerships(tmp_path, city_a, officer_a):
    partnership = PartnershipFactory(
        authority=city_a, partner=AuthorityFactory(name="Cap-Haïtien", country_id="HT")
    )
    theme = AtlasThemeFactory(code="1.2.3", name_fr="Appui institutionnel")
    content = xlsx_file(
        [
            [
                "Address on the site",
                "Title (French)",
                "Planned start",
                "Atlas theme",
                "Recipient countries",
                "Partnerships",
                "Published",
            ],
            [
                "etat-civil",
                "État civil",
                "01/02/2026",
                "1.2.3",
                "Haïti 80; RS 20",
                "Cap-Haitien",
                "oui",
            ],
        ]
    )
    outcome = run(tmp_path, "projects", content, user=officer_a, member=city_a)
    assert messages(outcome) == []
    project = Project.objects.get(slug="etat-civil")
    assert project.title == {"fr": "État civil"}
    assert str(project.planned_start) == "2026-02-01"
    assert project.atlas_theme == theme
    assert project.is_public
    assert list(project.partnerships.all()) == [partnership]
    assert sorted((c.country_id, int(c.percentage)) for c in project.countries.all()) == [
        ("HT", 80),
        ("RS", 20),
    ]
    again = run(tmp_path, "projects", content, user=officer_a, member=city_a)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 1}


def test_actors_import_from_a_csv_saved_by_french_excel(tmp_path, city_a, officer_a):
    content = "Nom;Type;Ville\r\nCollège Émile Zola;école;Suresnes\r\n".encode("cp1252")
    with french({"town": "ville", "school": "école"}):
        outcome = run(tmp_path, "actors", content, user=officer_a, member=city_a, name="a.csv")
    assert messages(outcome) == []
    actor = Actor.objects.get()
    assert (actor.name, actor.kind, actor.city) == ("Collège Émile Zola", "school", "Suresnes")


# --- Dirty files --------------------------------------------------------------------------------


def test_a_dirty_file_lists_each_rows_problem_and_writes_nothing(tmp_path, officer_a):
    content = xlsx_file(
        [
            ["Name", "Country", "Kind", "Population"],
            ["Hann. Münden", "Allemange", "municipality", 23000],
            ["Villach", "Autriche", "town hall", "beaucoup"],
            ["Hackney", "GB", "municipality", 250000],
            ["", "RS", "", ""],
        ],
        formulas={"D4": "=2*100000"},
    )
    outcome = run(tmp_path, "authorities", content, user=officer_a)
    assert messages(outcome) == [
        "Row 2, column “Country”: “Allemange” is not a known country; write its name or its "
        "ISO code (DE for Germany).",
        "Row 3, column “Country”: “Autriche” is not a known country; write its name or its "
        "two-letter ISO code, for example DE for Germany.",
        "Row 3, column “Kind”: “town hall” is not one of the choices; write one of: "
        "municipality (commune), inter-municipal body (EPCI), département or county, region or "
        "province, State (national government), other public body.",
        "Row 3, column “Population”: “beaucoup” is not a whole number; write digits only, for "
        "example 12500.",
        "Row 4, column “Country”: “GB” is not a known country; write its name or its two-letter "
        "ISO code, for example DE for Germany.",
        "Row 4, column “Population”: the cell holds a formula saved without its result, and "
        "formulas are never computed on import; open the file in Excel or LibreOffice and save "
        "it again, or type the value itself.",
        "Row 5, column “Name”: this cell is required; fill it in.",
    ]
    assert not outcome.written
    assert not Authority.objects.filter(name__in=["Hann. Münden", "Villach", "Hackney"]).exists()


def test_the_dirty_file_speaks_french_to_a_french_user(tmp_path, officer_a):
    content = xlsx_file([["Nom", "Pays"], ["Hann. Münden", "Allemange"]])
    with french():
        from django.utils import translation

        with translation.override("fr"):
            outcome = run(tmp_path, "authorities", content, user=officer_a)
            text = messages(outcome)
    assert text == [
        "Ligne 2, colonne « Pays » : « Allemange » n'est pas un pays connu ; écrivez le nom ou "
        "le code ISO (DE pour Allemagne)."
    ]


def test_a_missing_required_column_is_named_and_nothing_is_read(tmp_path, city_a, officer_a):
    content = xlsx_file([["Partner authority", "Status"], ["Kragujevac", "active"]])
    outcome = run(tmp_path, "partnerships", content, user=officer_a, member=city_a)
    assert messages(outcome) == [
        "The column “Kind” is missing. Add it to the first row, spelt as in the template."
    ]
    assert not Partnership.objects.exists()


def test_an_unknown_column_and_a_column_without_a_name_are_refused(tmp_path, city_a, officer_a):
    content = xlsx_file(
        [["Name", "Colour", "Kind", None], ["Club", "blue", "association", "stray"]]
    )
    outcome = run(tmp_path, "actors", content, user=officer_a, member=city_a)
    assert messages(outcome) == [
        "Column B, “Colour”, is not a column of the “Local actors” template. Rename it as in "
        "the template, or delete the column.",
        "Column D holds data but has no name in the first row; name it as in the template, or "
        "delete it.",
    ]
    assert not Actor.objects.exists()


def test_another_authoritys_partnership_number_is_unknown_to_officer_b(
    tmp_path, city_a, city_b, officer_b
):
    theirs = PartnershipFactory(authority=city_a)
    content = xlsx_file([["Name", "Partnerships"], ["Club B", theirs.pk]])
    outcome = run(tmp_path, "actors", content, user=officer_b, member=city_b)
    assert messages(outcome) == [
        f"Row 2, column “Partnerships”: no partnership of Ville B has the number {theirs.pk}; "
        "use a number from the ID column of your partnerships export, or the partner's name."
    ]
    assert not Actor.objects.exists()


def test_an_officer_cannot_import_into_another_authority(tmp_path, city_a, officer_b):
    content = xlsx_file([["Name"], ["Club"]])
    outcome = run(tmp_path, "actors", content, user=officer_b, member=city_a)
    assert messages(outcome) == [
        "You may not change the local actors of Ville A. Ask its administrator for an "
        "officer's role."
    ]
    assert not Actor.objects.exists()


def test_a_viewer_cannot_change_the_shared_directory(tmp_path, viewer_a):
    content = xlsx_file([["Name", "Country"], ["Villach", "AT"]])
    outcome = run(tmp_path, "authorities", content, user=viewer_a)
    assert len(outcome.problems) == 1
    assert "may not change the shared directory" in messages(outcome)[0]


def test_a_rule_of_the_model_is_reported_on_its_row(tmp_path, city_a, officer_a):
    AuthorityFactory(name="Kragujevac", country_id="RS")
    content = xlsx_file(
        [
            ["Partner authority", "Kind", "Started (date)", "Ended on"],
            ["Kragujevac", "twinning", "01/01/2000", "01/01/1990"],
        ]
    )
    outcome = run(tmp_path, "partnerships", content, user=officer_a, member=city_a)
    assert messages(outcome) == [
        "Row 2, column “Ended on”: The partnership ends before it starts. Check the two dates."
    ]


def test_the_same_record_twice_in_a_file_is_refused(tmp_path, city_a, officer_a):
    content = xlsx_file([["Name"], ["Club"], ["club "]])
    outcome = run(tmp_path, "actors", content, user=officer_a, member=city_a)
    assert messages(outcome) == [
        "Row 3: this row is about the same actor as row 2; keep a single row for it."
    ]


def test_a_refusal_while_writing_rolls_back_the_rows_already_written(
    tmp_path, city_a, officer_a, monkeypatch
):
    from django.core.exceptions import ValidationError

    kind = type(IMPORTS["actors"])
    original = kind.write

    def write(self, planned, ctx):
        if planned.row == 3:
            raise ValidationError({"name": "Refused at the last moment."})
        original(self, planned, ctx)

    monkeypatch.setattr(kind, "write", write)
    content = xlsx_file([["Name"], ["Club one"], ["Club two"]])
    outcome = run(tmp_path, "actors", content, user=officer_a, member=city_a)
    assert messages(outcome) == ["Row 3, column “Name”: Refused at the last moment."]
    assert not outcome.written
    assert not Actor.objects.exists()
    assert not AuditEntry.objects.filter(model="actors.actor").exists()


def test_a_run_keeps_its_lookups_to_itself(tmp_path, city_a, officer_a):
    # Jobs run in parallel threads: the shared template definitions must hold no run's data.
    content = xlsx_file([["Partner authority", "Kind"], ["Kragujevac", "twinning"]])
    run(tmp_path, "partnerships", content, user=officer_a, member=city_a, write=False)
    assert not hasattr(IMPORTS["partnerships"], "existing")


# --- Hostile and malformed files ------------------------------------------------------------------


def refusal(tmp_path, content: bytes, name: str = "file.xlsx") -> str:
    with pytest.raises(FileRefused) as caught:
        read_table(save(tmp_path, content, name))
    return caught.value.message


def test_a_file_that_is_not_a_spreadsheet_is_refused(tmp_path):
    assert refusal(tmp_path, b"%PDF-1.7\n...").startswith("This file is not a spreadsheet.")
    assert refusal(tmp_path, bytes(range(256)) * 10).startswith("This file is not a spreadsheet")
    old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert "old Excel workbook (.xls) but could not be read" in refusal(tmp_path, old_excel)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        odt.writestr("content.xml", "<office/>")
    assert "OpenDocument text or presentation" in refusal(tmp_path, archive.getvalue())
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as ods:
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("content.xml", "<office/>")
    assert refusal(tmp_path, archive.getvalue()).startswith("This workbook could not be read")
    assert "empty" in refusal(tmp_path, b"")


def test_an_oversize_file_is_refused_before_it_is_read(tmp_path, settings):
    settings.SPREADSHEET_IMPORT_MAX_BYTES = 1000
    content = csv_file([["Name"]] + [[f"Club {n}"] for n in range(200)])
    message = refusal(tmp_path, content, "big.csv")
    assert message.startswith("The file weighs ")
    assert "MB allowed. Split it into several files" in message


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(tmp_path, settings):
    settings.SPREADSHEET_IMPORT_MAX_BYTES = 100_000  # so at most 1 MB unpacked
    content = io.BytesIO(xlsx_file([["Name"], ["Club"]]))
    with zipfile.ZipFile(content, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(5_000_000))
    assert len(content.getvalue()) < 100_000
    assert "Unpacked, this workbook would be larger than" in refusal(tmp_path, content.getvalue())


def test_xml_entity_declarations_are_refused(tmp_path):
    content = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(xlsx_file([["Name"], ["Club"]])))
    with zipfile.ZipFile(content, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                bomb = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                if data.startswith(b"<?xml"):
                    end = data.index(b"?>") + 2
                    data = data[:end] + bomb + data[end:]
                else:
                    data = bomb + data
            target.writestr(item, data)
    assert "XML declarations that spreadsheets never use" in refusal(tmp_path, content.getvalue())


def test_a_file_with_too_many_rows_is_refused(tmp_path, settings):
    settings.SPREADSHEET_IMPORT_MAX_ROWS = 3
    content = xlsx_file([["Name"]] + [[f"Club {n}"] for n in range(4)])
    assert refusal(tmp_path, content).startswith("The file has more than 3 rows of data")


def test_a_broken_workbook_is_refused_with_a_message(tmp_path):
    content = xlsx_file([["Name"], ["Club"]])
    broken = content[: len(content) // 2]
    message = refusal(tmp_path, broken)
    assert "not a spreadsheet" in message or "could not be read" in message
