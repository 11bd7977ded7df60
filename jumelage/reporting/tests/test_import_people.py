"""An officer's list of people and volunteers (a title row, French headers, a total row,
"mars 2026" and "03/2026-06/2026", "espagnol, anglais", skills written loosely), in XLSX and in
a Latin-1 CSV, through `import_spreadsheet` and the import machinery: the stored people and
their skills, the same file twice, a bad row, two authorities, the rights to the register."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from jumelage.accounts.models import Role
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.actors.models import Person, Skill
from jumelage.actors.selectors import availability_months, search_volunteers
from jumelage.actors.tests.factories import PersonFactory, SkillFactory
from jumelage.reporting.spreadsheets.imports import IMPORTS, check_table, import_table
from jumelage.reporting.spreadsheets.imports.people import availability
from jumelage.reporting.spreadsheets.mapping import propose
from jumelage.reporting.spreadsheets.reading import read_workbook
from jumelage.reporting.tests.officer_files import csv_bytes, xlsx

HEADERS = [
    "Nom",
    "Prénom",
    "Service",
    "Fonction",
    "Courriel",
    "Téléphone",
    "Compétences",
    "Langues parlées",
    "Disponibilités",
    "Bénévole",
]
PEOPLE: list[list[Any]] = [
    ["Agents volontaires pour l'international", *[None] * 9],
    [None] * 10,
    HEADERS,
    [
        "Modèle",
        "Lucía",
        "Eau et assainissement",
        "Ingénieure",
        "lucia.modele@ville-a.fr",
        "01.42.04.96.77",
        "Eau potable, gestion de projets",
        "espagnol, anglais",
        "03/2026-06/2026",
        "oui",
    ],
    [
        "Exemple",
        "Karim",
        "Petite enfance",
        "Éducateur",
        None,
        "+33 6 12 34 56 78",
        "Petite enfance",
        None,
        "mars 2026",
        "Oui",
    ],
    ["Total : 2 agents", *[None] * 9],
]


@pytest.fixture
def skills(db):
    return {
        name: SkillFactory(name=name)
        for name in ("Eau potable", "Gestion de projet", "Petite enfance", "Anglais")
    }


def run(path, *args: str, authority: str = "ville-a") -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import_spreadsheet", str(path), "--authority", authority, *args, stdout=out, stderr=err
        )
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), ""


def write(tmp_path, rows: list[list[Any]], file_format: str) -> Any:
    path = tmp_path / f"agents.{file_format}"
    if file_format == "xlsx":
        path.write_bytes(xlsx({"Agents": rows}, merges={"Agents": ["A1:J1"]}))
    else:
        path.write_bytes(csv_bytes(rows, encoding="latin-1"))
    return path


def stored(member) -> list[tuple[Any, ...]]:
    return [
        (
            p.last_name,
            p.first_name,
            p.kind,
            p.department,
            p.title,
            p.email,
            p.phone,
            p.availability,
            p.is_volunteer,
            sorted(s.name for s in p.skills.all()),
        )
        for p in Person.objects.filter(authority=member).order_by("last_name")
    ]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_officer_list_goes_in_with_the_values_understood_and_twice_changes_nothing(
    tmp_path, city_a, city_b, admin_a, skills, file_format
):
    path = write(tmp_path, PEOPLE, file_format)

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    assert "people, 2 rows ready, 0 rows with problems, 1 rows skipped" in out
    # "gestion de projets" is the register's "Gestion de projet"; Spanish is added to it.
    assert "“gestion de projets” read as “Gestion de projet”" in out
    assert "“Espagnol” will be added" in out
    assert stored(city_a) == [
        (
            "Exemple",
            "Karim",
            Person.Kind.STAFF,
            "Petite enfance",
            "Éducateur",
            "",
            "+33 6 12 34 56 78",
            "March 2026",
            True,
            ["Petite enfance"],
        ),
        (
            "Modèle",
            "Lucía",
            Person.Kind.STAFF,
            "Eau et assainissement",
            "Ingénieure",
            "lucia.modele@ville-a.fr",
            "01 42 04 96 77",
            "March 2026 to June 2026",
            True,
            ["Anglais", "Eau potable", "Espagnol", "Gestion de projet"],
        ),
    ]
    assert Skill.objects.get(name="Espagnol").added_by_id == city_a.pk
    assert not Person.objects.filter(authority=city_b).exists()
    # The volunteers' search reads what was stored.
    _search, found = search_volunteers(city_a, "eau, speaks Spanish, available in May")
    assert [p.last_name for p in found] == ["Modèle"]
    versions = sorted(Person.objects.values_list("pk", "version"))
    skill_count = Skill.objects.count()

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    assert sorted(Person.objects.values_list("pk", "version")) == versions
    assert Skill.objects.count() == skill_count


def test_a_dry_run_prints_one_line_for_the_sheet_in_french(tmp_path, city_a, admin_a, skills):
    path = write(tmp_path, PEOPLE, "xlsx")

    out, error = run(path, "--dry-run")

    assert error == "", out
    with translation.override("fr"):
        line = (
            "sheet “%(sheet)s”: %(kind)s, %(ready)s rows ready, %(problems)s rows with "
            "problems, %(skipped)s rows skipped"
        )
        expected = translation.gettext(line) % {
            "sheet": "Agents",
            "kind": translation.gettext("people"),
            "ready": 2,
            "problems": 0,
            "skipped": 1,
        }
    assert expected != line
    assert expected in out.splitlines()
    assert not Person.objects.exists()
    assert not Skill.objects.filter(name="Espagnol").exists()


def test_bad_cells_are_reported_with_their_cell_and_nothing_is_written_for_their_row(
    tmp_path, city_a, admin_a, skills
):
    rows = [row[:] for row in PEOPLE]
    rows[3][5] = "voir l'accueil"  # no telephone number
    rows[3][9] = "peut-être"
    rows[4][7] = "espagnol, martien"  # no such language
    rows[4][6] = "Petite enfanse, Gestion de projt"  # near misses that stand out
    path = write(tmp_path, rows, "xlsx")

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error.startswith("Nothing was imported")
    assert "Row 4, column “Téléphone”: “voir l'accueil” is not a telephone number" in out
    assert "Row 4, column “Bénévole”: “peut-être” is neither yes nor no" in out
    assert "Row 5, column “Langues parlées”: “martien” is not a language we know" in out
    assert not Person.objects.exists()
    assert not Skill.objects.filter(name="Espagnol").exists()

    # The workspace's "import the clean rows" writes nothing for the row with problems.
    rows[4][7] = "anglais"
    path = write(tmp_path, rows, "xlsx")
    table = read_workbook(path).sheets[0]
    outcome = import_table(
        IMPORTS["people"],
        table,
        user=admin_a,
        member=city_a,
        mapping=propose(table, kind="people").mapping,
        clean_rows_only=True,
    )
    assert outcome.written
    assert sorted({p.row for p in outcome.problems}) == [4]
    assert [(p[0], p[-1]) for p in stored(city_a)] == [
        ("Exemple", ["Anglais", "Gestion de projet", "Petite enfance"])
    ]


def test_a_skill_near_several_entries_is_a_problem_that_names_them(tmp_path, city_a, admin_a):
    SkillFactory(name="Eau usée")
    SkillFactory(name="Eaux usées")
    table = _table(tmp_path, [["Nom", "Prénom", "Compétences"], ["Martin", "Camille", "Eaux usée"]])

    outcome = check_table(
        IMPORTS["people"],
        table,
        user=admin_a,
        member=city_a,
        mapping=propose(table, kind="people").mapping,
    )

    assert [str(p) for p in outcome.problems] == [
        "Row 2, column “Compétences”: “Eaux usée” is not in the shared register of skills; "
        "did you mean “Eaux usées”, “Eau usée”? Write the skill as the register names it."
    ]
    assert outcome.planned == []


def _table(tmp_path, rows: list[list[Any]]) -> Any:
    path = tmp_path / "people.xlsx"
    path.write_bytes(xlsx({"Feuil1": rows}))
    return read_workbook(path).sheets[0]


def test_another_authority_s_people_are_neither_matched_nor_changed(
    tmp_path, city_a, city_b, admin_a, skills
):
    theirs = PersonFactory(
        authority=city_b,
        last_name="Modèle",
        first_name="Lucía",
        email="lucia.modele@ville-a.fr",
        department="Urbanisme",
    )
    path = write(tmp_path, PEOPLE, "xlsx")

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    assert Person.objects.filter(authority=city_a).count() == 2
    kept = Person.objects.get(pk=theirs.pk)
    assert (kept.version, kept.department, list(kept.skills.all())) == (
        theirs.version,
        "Urbanisme",
        [],
    )


def test_an_existing_person_is_found_by_e_mail_and_keeps_the_skills_no_column_names(
    tmp_path, city_a, admin_a, skills
):
    person = PersonFactory(
        authority=city_a,
        last_name="Modele",
        first_name="Lucia",
        email="Lucia.Modele@ville-a.fr",
    )
    person.skills.set([skills["Anglais"], skills["Petite enfance"]])
    rows = [["Nom", "Prénom", "Courriel", "Compétences"]]
    rows.append(["Modèle", "Lucía", "lucia.modele@ville-a.fr", "Eau potable"])
    path = tmp_path / "agents.xlsx"
    path.write_bytes(xlsx({"Agents": rows}))

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    person.refresh_from_db()
    assert (person.last_name, person.first_name) == ("Modèle", "Lucía")
    # The skills are replaced; the language, which no column names, is kept.
    assert sorted(s.name for s in person.skills.all()) == ["Anglais", "Eau potable"]
    assert Person.objects.count() == 1


def test_a_user_who_may_not_add_to_the_register_is_told_to_ask(
    tmp_path, city_a, skills, monkeypatch
):
    user = UserFactory(username="officer")
    MembershipFactory(user=user, authority=city_a, role=Role.OFFICER)
    monkeypatch.setattr(
        "jumelage.reporting.spreadsheets.imports.people.may_add_entries", lambda user: False
    )
    table = _table(tmp_path, [["Nom", "Langues parlées"], ["Martin", "wolof"]])

    outcome = check_table(
        IMPORTS["people"],
        table,
        user=user,
        member=city_a,
        mapping=propose(table, kind="people").mapping,
    )

    assert [p.column for p in outcome.problems] == ["Langues parlées"]
    assert "ask an officer of your authority to add “Wolof”" in outcome.problems[0].message


def test_a_viewer_may_not_import_people(tmp_path, city_a, skills):
    viewer = UserFactory(username="viewer")
    MembershipFactory(user=viewer, authority=city_a, role=Role.VIEWER)
    table = _table(tmp_path, [["Nom", "Prénom"], ["Martin", "Camille"]])

    outcome = import_table(
        IMPORTS["people"],
        table,
        user=viewer,
        member=city_a,
        mapping=propose(table, kind="people").mapping,
    )

    assert not outcome.written
    assert "You may not change the people of" in outcome.problems[0].message
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("typed", "shown", "months"),
    [
        ("mars 2026", "March 2026", {3}),
        ("03/2026-06/2026", "March 2026 to June 2026", {3, 4, 5, 6}),
        ("11/2026 - 02/2027", "November 2026 to February 2027", {11, 12, 1, 2}),
        ("un jour par mois", "un jour par mois", set(range(1, 13))),
        ("du 01/03/2026 au 30/06/2026", "1 March 2026 to 30 June 2026", {3, 4, 5, 6}),
        ("demain", "demain", set()),
    ],
)
def test_availability_is_written_so_that_the_search_reads_its_months(typed, shown, months):
    assert availability(typed) == shown
    assert availability_months(shown) == months


def test_availability_in_french_is_written_with_french_months_the_search_reads():
    with translation.override("fr"):
        written = availability("03/2026-06/2026")
        expected = translation.pgettext("availability", "%(start)s to %(end)s") % {
            "start": "mars 2026",
            "end": "juin 2026",
        }
    assert written == expected != "mars 2026 to juin 2026"
    assert availability_months(written) == {3, 4, 5, 6}


def test_availability_in_french_writes_the_first_of_the_month_1er_and_the_search_reads_it():
    with translation.override("fr"):
        written = availability("du 01/03/2026 au 30/06/2026")
        expected = translation.pgettext("availability", "%(start)s to %(end)s") % {
            "start": "1er mars 2026",
            "end": "30 juin 2026",
        }
    assert written == expected
    assert availability_months(written) == {3, 4, 5, 6}


def test_people_and_skills_added_meanwhile_by_the_same_file_are_not_added_twice(
    tmp_path, city_a, admin_a, skills, monkeypatch
):
    from jumelage.reporting.spreadsheets.imports.people import PersonImport

    planned = PersonImport.plan

    def plan_then_another_import_adds_them(self, row, values, ctx):
        result = planned(self, row, values, ctx)
        if row == 2:
            PersonFactory(authority=city_a, last_name="Martin", first_name="Camille")
            SkillFactory(name="Wolof")
        return result

    monkeypatch.setattr(PersonImport, "plan", plan_then_another_import_adds_them)
    table = _table(
        tmp_path,
        [
            ["Nom", "Prénom", "Langues parlées"],
            ["Martin", "Camille", "wolof"],
            ["Durand", "Alix", "wolof"],
        ],
    )

    outcome = import_table(
        IMPORTS["people"],
        table,
        user=admin_a,
        member=city_a,
        mapping=propose(table, kind="people").mapping,
    )

    assert outcome.written, outcome.problems
    assert Person.objects.filter(authority=city_a).count() == 2
    assert Skill.objects.filter(name="Wolof").count() == 1
    alix = Person.objects.get(last_name="Durand")
    assert [s.name for s in alix.skills.all()] == ["Wolof"]
