"""An officer's own projects sheet: no address column (the project found by its title, or a new
address made from it), the budget and the co-funders written as a financing plan, sectors
written by their names, the Atlas theme and the sector from one "Secteur" column. XLSX and a
Latin-1 CSV, two authorities, the same file twice changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from jumelage.audit.models import AuditEntry
from jumelage.core.models import CodelistItem
from jumelage.core.reference_data import read_codelist
from jumelage.core.tests.factories import AtlasThemeFactory
from jumelage.projects.models import FinancingPlan, Project, ProjectSector
from jumelage.projects.selectors import plans_in_force
from jumelage.projects.services import financing_plan_set_status
from jumelage.projects.tests.factories import FunderFactory, ProjectFactory
from jumelage.reporting.spreadsheets.imports import IMPORTS, check_table, import_table
from jumelage.reporting.spreadsheets.imports.base import Context
from jumelage.reporting.spreadsheets.mapping import propose
from jumelage.reporting.spreadsheets.reading import read_table
from jumelage.reporting.tests.officer_files import csv_bytes, xlsx
from jumelage.reporting.tests.test_spreadsheet_support import reference_countries
from jumelage.tenancy.services import ConcurrentEditError

CODELISTS = Path(__file__).resolve().parents[2] / "core" / "reference" / "iati" / "codelists"
HEADERS = ["Intitulé", "Pays", "Début", "Fin", "Budget total", "Cofinanceur(s)", "Secteur"]


@pytest.fixture(autouse=True)
def reference(db):
    reference_countries()
    for name in ("Sector", "SectorCategory"):
        CodelistItem.objects.bulk_create(read_codelist(CODELISTS / f"{name}.xml", name))
    AtlasThemeFactory(code="3.1", name_fr="Eau et assainissement", name_en="Water and sanitation")
    AtlasThemeFactory(code="5.1", name_fr="Culture", name_en="Culture")
    AtlasThemeFactory(code="1.1", name_fr="Gouvernance locale", name_en="Local governance")


@pytest.fixture
def funders(db):
    return {
        "afd": FunderFactory(name="Agence française de développement", acronym="AFD"),
        "region": FunderFactory(name="Région Pays de la Loire"),
    }


def sheet(tmp_path: Path, rows: list[list[Any]], *, name: str = "suivi.xlsx") -> Path:
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes(csv_bytes(rows, encoding="latin-1"))
    else:
        path.write_bytes(xlsx({"Projets": rows}))
    return path


def imported(path: Path, *, user, member, write: bool = True):
    table = read_table(path)
    proposal = propose(table)
    assert proposal.kind == "projects"
    return import_table(
        IMPORTS["projects"],
        table,
        user=user,
        member=member,
        mapping=proposal.mapping,
        clean_rows_only=True,
    )


def texts(items) -> list[str]:
    return [str(item) for item in items]


def plan_of(project: Project) -> FinancingPlan:
    return project.financing_plans.get()


def lines(plan: FinancingPlan) -> dict[str, Any]:
    return {
        "expenses": sorted(
            (line.label, line.year, line.amount) for line in plan.expenses.order_by("id")
        ),
        "resources": sorted(
            (line.funder.acronym or line.funder.name if line.funder else "own", line.amount)
            for line in plan.resources.select_related("funder")
        ),
    }


def test_a_sheet_without_addresses_gets_them_from_the_titles_and_the_budget_as_an_adopted_plan(
    tmp_path, city_a, officer_a, funders
):
    path = sheet(
        tmp_path,
        [
            HEADERS,
            [
                "Accès à l'eau potable à Kindia",
                "Haïti",
                "01/03/2025",
                "31/12/2025",
                "120 000 €",
                "AFD 60 000 €; Région Pays de la Loire 20 000 €",
                "Eau et assainissement",
            ],
        ],
    )

    outcome = imported(path, user=officer_a, member=city_a)

    assert outcome.written, texts(outcome.problems)
    project = Project.objects.get(authority=city_a)
    assert project.slug == "acces-a-leau-potable-a-kindia"
    assert project.title == {"fr": "Accès à l'eau potable à Kindia"}
    assert project.atlas_theme.code == "3.1"
    plan = plan_of(project)
    assert plan.status == FinancingPlan.Status.ADOPTED
    assert plan.year is None
    assert lines(plan) == {
        "expenses": [("Total budget", None, Decimal("120000.00"))],
        "resources": [
            ("AFD", Decimal("60000.00")),
            ("Région Pays de la Loire", Decimal("20000.00")),
            ("own", Decimal("40000.00")),
        ],
    }
    assert list(plans_in_force(FinancingPlan.objects.filter(project=project))) == [plan]


def test_the_same_file_twice_changes_nothing(tmp_path, city_a, officer_a, funders):
    path = sheet(
        tmp_path,
        [
            HEADERS,
            ["Forages", "Haïti", "2025", "2025", "80 000", "AFD 50 000", "Culture"],
            ["Échanges", "Serbie", "2026", "2026", None, None, None],
        ],
    )
    assert imported(path, user=officer_a, member=city_a).written
    entries = AuditEntry.objects.count()
    versions = sorted(Project.objects.values_list("version", flat=True))

    again = imported(path, user=officer_a, member=city_a)

    assert again.counts == {"create": 0, "update": 0, "unchanged": 2}
    assert AuditEntry.objects.count() == entries
    assert sorted(Project.objects.values_list("version", flat=True)) == versions
    assert FinancingPlan.objects.count() == 1


def test_a_title_already_used_as_an_address_gets_a_number_and_a_known_title_is_updated(
    tmp_path, city_a, officer_a
):
    ProjectFactory(authority=city_a, slug="forages", title={"fr": "Forages anciens"})
    kept = ProjectFactory(authority=city_a, slug="ecole-x", title={"fr": "École à Jacmel"})
    path = sheet(
        tmp_path,
        [
            ["Intitulé", "Statut"],
            ["Forages", "terminé"],
            ["ECOLE A JACMEL", "en cours"],
        ],
    )

    outcome = imported(path, user=officer_a, member=city_a)

    assert outcome.written, texts(outcome.problems)
    created = Project.objects.get(title__fr="Forages")
    assert (created.slug, created.status) == ("forages-2", Project.Status.COMPLETED)
    kept.refresh_from_db()
    assert kept.status == Project.Status.RUNNING
    assert Project.objects.filter(authority=city_a).count() == 3


def test_a_row_with_neither_address_nor_title_is_refused_with_its_row(tmp_path, city_a, officer_a):
    path = sheet(
        tmp_path,
        [["Intitulé", "Pays", "Statut"], ["Forages", "Haïti", None], [None, "Serbie", "en cours"]],
    )

    outcome = imported(path, user=officer_a, member=city_a)

    assert [(p.row, "title" in p.message) for p in outcome.problems] == [(3, True)]
    assert list(Project.objects.values_list("slug", flat=True)) == ["forages"]


def test_two_rows_with_the_same_title_are_one_project_twice(tmp_path, city_a, officer_a):
    path = sheet(tmp_path, [["Intitulé", "Statut"], ["Forages", "en cours"], ["FORAGES", "idée"]])

    outcome = imported(path, user=officer_a, member=city_a)

    assert [(p.row, "row 2" in p.message) for p in outcome.problems] == [(3, True)]


def test_another_authority_with_the_same_titles_gets_its_own_projects(
    tmp_path, city_a, city_b, officer_a, officer_b, funders
):
    rows = [HEADERS, ["Forages", "Haïti", "2025", "2025", "80 000", "AFD 50 000", None]]
    path = sheet(tmp_path, rows)
    assert imported(path, user=officer_a, member=city_a).written

    outcome = imported(path, user=officer_b, member=city_b)

    assert outcome.counts == {"create": 1, "update": 0, "unchanged": 0}
    assert sorted(Project.objects.values_list("authority__slug", "slug")) == [
        ("ville-a", "forages"),
        ("ville-b", "forages"),
    ]
    assert FinancingPlan.objects.filter(project__authority=city_b).count() == 1


def test_a_budget_over_several_years_without_its_years_stays_a_draft_and_says_why(
    tmp_path, city_a, officer_a, funders
):
    path = sheet(
        tmp_path,
        [HEADERS, ["Forages", "Haïti", "2024", "2026", "120 000 €", "AFD 60 000 €", None]],
    )

    outcome = imported(path, user=officer_a, member=city_a)

    assert outcome.written
    plan = plan_of(Project.objects.get())
    assert plan.status == FinancingPlan.Status.DRAFT
    assert any("draft" in note and "year" in note for note in texts(outcome.notes))
    assert not plans_in_force(FinancingPlan.objects.filter(pk=plan.pk)).exists()


def test_the_budget_by_year_and_separate_amounts_make_a_plan_with_a_line_per_year(
    tmp_path, city_a, officer_a, funders
):
    path = sheet(
        tmp_path,
        [
            [
                "Intitulé",
                "Début",
                "Fin",
                "Budget 2025",
                "Budget 2026",
                "Financeurs",
                "Montant cofinancement",
            ],
            [
                "Forages",
                "01/03/2025",
                "31/12/2026",
                "60 000",
                "40 000",
                "AFD; Region",
                "50 000; 20 000",
            ],
        ],
    )

    outcome = imported(path, user=officer_a, member=city_a)

    assert outcome.written, texts(outcome.problems)
    plan = plan_of(Project.objects.get())
    assert plan.status == FinancingPlan.Status.ADOPTED
    assert lines(plan) == {
        "expenses": [
            ("Budget 2025", 2025, Decimal("60000.00")),
            ("Budget 2026", 2026, Decimal("40000.00")),
        ],
        "resources": [
            ("AFD", Decimal("50000.00")),
            ("Région Pays de la Loire", Decimal("20000.00")),
            ("own", Decimal("30000.00")),
        ],
    }
    # "Region" alone stood out among the funders: taken, and said.
    assert any("Région Pays de la Loire" in note for note in texts(outcome.notes))


def test_a_changed_budget_replaces_the_imported_plan_but_never_a_plan_made_by_hand(
    tmp_path, city_a, officer_a, funders
):
    first = sheet(
        tmp_path, [HEADERS, ["Forages", "Haïti", "2025", "2025", "80 000", "AFD 50 000", None]]
    )
    assert imported(first, user=officer_a, member=city_a).written
    project = Project.objects.get()
    plan = plan_of(project)

    changed = sheet(
        tmp_path,
        [HEADERS, ["Forages", "Haïti", "2025", "2025", "90 000", "AFD 70 000", None]],
        name="suivi-2.xlsx",
    )
    assert imported(changed, user=officer_a, member=city_a).written
    assert plan_of(project).pk == plan.pk
    assert lines(plan_of(project))["resources"] == [
        ("AFD", Decimal("70000.00")),
        ("own", Decimal("20000.00")),
    ]

    hand_made = FinancingPlan.objects.create(project=project, title="Plan voté", year=2025)
    again = sheet(
        tmp_path,
        [HEADERS, ["Forages", "Haïti", "2025", "2025", "95 000", "AFD 70 000", None]],
        name="suivi-3.xlsx",
    )
    outcome = imported(again, user=officer_a, member=city_a)

    assert any("made by hand" in note for note in texts(outcome.notes))
    assert lines(FinancingPlan.objects.get(pk=plan.pk))["expenses"] == [
        ("Total budget", None, Decimal("90000.00"))
    ]
    assert not hand_made.expenses.exists()


@pytest.mark.parametrize(
    ("cofunders", "expected"),
    [
        ("Banque inconnue 10 000", "no funder called “Banque inconnue”"),
        ("AFD 900 000", "draft"),
    ],
)
def test_bad_co_funders_are_reported_on_their_cell(
    tmp_path, city_a, officer_a, funders, cofunders, expected
):
    path = sheet(
        tmp_path, [HEADERS, ["Forages", "Haïti", "2025", "2025", "80 000", cofunders, None]]
    )

    outcome = imported(path, user=officer_a, member=city_a)

    found = texts(outcome.problems) + texts(outcome.notes)
    assert any("Cofinanceur(s)" in text or "Budget total" in text for text in found)
    assert any(expected in text for text in found)
    if expected != "draft":  # an unknown funder: the row is refused, nothing written for it
        assert not Project.objects.exists()
        assert [p.row for p in outcome.problems] == [2]
    else:  # more co-funding than the budget: the plan cannot balance, kept as a draft
        assert plan_of(Project.objects.get()).status == FinancingPlan.Status.DRAFT


def test_sectors_are_read_by_their_names_and_a_dac_sector_asks_for_a_code(
    tmp_path, city_a, officer_a
):
    path = sheet(
        tmp_path,
        [
            ["Intitulé", "Secteurs (codes CRS)"],
            [
                "Eau",
                # The French name as the codelist spells it, with its en dash.
                "Approvisionnement en eau potable \u2013 dispositifs de base 60 %; "
                "Basic sanitation 40 %",
            ],
            ["Santé", "Santé, Général"],
            ["Eau 2", "140"],
        ],
    )

    outcome = imported(path, user=officer_a, member=city_a)

    stored = ProjectSector.objects.filter(project__title__fr="Eau")
    assert sorted(stored.values_list("code", "percentage")) == [
        ("14031", Decimal("60.00")),
        ("14032", Decimal("40.00")),
    ]
    problem, category = outcome.problems
    assert problem.row == 3 and problem.column == "Secteurs (codes CRS)"
    assert "DAC sector (121)" in problem.message and "12110" in problem.message
    assert category.row == 4 and "DAC sector (140)" in category.message
    assert not Project.objects.filter(title__fr="Santé").exists()


def test_one_sector_column_sets_the_atlas_theme_and_the_sector_when_both_match(
    tmp_path, city_a, officer_a
):
    path = sheet(
        tmp_path,
        [
            ["Intitulé", "Secteur"],
            ["Festival", "Culture"],
            ["Eau", "Eau et assainissement"],
            ["Mairie", "Gouvernance"],
            ["Élections", "Elections"],
            ["Autre", "Pêche au gros"],
        ],
    )

    outcome = imported(path, user=officer_a, member=city_a)

    def stored(title: str) -> tuple[str | None, list[str]]:
        project = Project.objects.get(title__fr=title)
        codes = list(project.sectors.values_list("code", flat=True))
        theme = project.atlas_theme
        return (theme.code if theme is not None else None), codes

    assert stored("Festival") == ("5.1", ["16066"])
    assert stored("Eau") == ("3.1", [])
    assert stored("Mairie") == ("1.1", [])  # the one theme whose name holds the word
    assert stored("Élections") == (None, ["15151"])
    assert [(p.row, p.column) for p in outcome.problems] == [(6, "Secteur")]
    assert any("1.1" in note for note in texts(outcome.notes))


def test_a_latin_1_csv_goes_in_the_same(tmp_path, city_a, officer_a, funders):
    path = sheet(
        tmp_path,
        [HEADERS, ["Accès à l'eau", "Haïti", "2025", "2025", "12 000 EUR", "AFD 2 000", None]],
        name="suivi.csv",
    )

    outcome = imported(path, user=officer_a, member=city_a)

    assert outcome.written, texts(outcome.problems)
    project = Project.objects.get()
    assert project.slug == "acces-a-leau"
    assert project.planned_start == datetime.date(2025, 1, 1)
    assert lines(plan_of(project))["resources"] == [
        ("AFD", Decimal("2000.00")),
        ("own", Decimal("10000.00")),
    ]


def test_an_amount_in_another_currency_is_refused_on_its_cell(tmp_path, city_a, officer_a):
    path = sheet(
        tmp_path, [HEADERS, ["Forages", "Haïti", "2025", "2025", "5 000 000 HTG", None, None]]
    )

    outcome = imported(path, user=officer_a, member=city_a)

    assert [(p.row, p.column) for p in outcome.problems] == [(2, "Budget total")]
    assert not Project.objects.exists()


def test_a_viewer_cannot_import_projects(tmp_path, viewer_a, city_a):
    path = sheet(tmp_path, [HEADERS, ["Forages", "Haïti", "2025", "2025", "5 000", None, None]])

    outcome = imported(path, user=viewer_a, member=city_a)

    assert not outcome.written and outcome.problems
    assert not Project.objects.exists()


def test_the_command_proposes_the_budget_columns(tmp_path, city_a, admin_a, funders, capsys):
    path = sheet(
        tmp_path,
        [["Intitulé", "Budget total", "Budget 2025", "Cofinanceur(s)", "Subvention", "Secteur"]],
    )

    call_command(
        "import_spreadsheet", str(path), "--authority", "ville-a", "--dry-run", "--language", "en"
    )

    out = capsys.readouterr().out
    for header, field in (
        ("Budget total", "Total budget"),
        ("Budget 2025", "Budget of a year"),
        ("Cofinanceur(s)", "Co-funders"),
        ("Subvention", "Co-funding amounts"),
        ("Secteur", "Atlas theme"),
    ):
        assert f"“{header}”: {field}" in out, out


def test_an_adopted_imported_plan_that_no_longer_balances_goes_back_to_draft(
    tmp_path, city_a, officer_a, funders
):
    first = sheet(
        tmp_path, [HEADERS, ["Forages", "Haïti", "2025", "2025", "80 000", "AFD 50 000", None]]
    )
    assert imported(first, user=officer_a, member=city_a).written
    plan = plan_of(Project.objects.get())
    assert plan.status == FinancingPlan.Status.ADOPTED

    over = sheet(
        tmp_path,
        [HEADERS, ["Forages", "Haïti", "2025", "2025", "80 000", "AFD 90 000", None]],
        name="suivi-2.xlsx",
    )
    outcome = imported(over, user=officer_a, member=city_a)

    assert outcome.written, texts(outcome.problems)
    plan.refresh_from_db()
    assert plan.status == FinancingPlan.Status.DRAFT
    assert lines(plan)["resources"] == [("AFD", Decimal("90000.00"))]
    assert any("draft" in note for note in texts(outcome.notes))


def test_a_plan_changed_since_the_check_refuses_the_write(tmp_path, city_a, officer_a, funders):
    first = sheet(
        tmp_path, [HEADERS, ["Forages", "Haïti", "2025", "2025", "80 000", "AFD 50 000", None]]
    )
    assert imported(first, user=officer_a, member=city_a).written
    changed = sheet(
        tmp_path,
        [HEADERS, ["Forages", "Haïti", "2025", "2025", "90 000", "AFD 50 000", None]],
        name="suivi-2.xlsx",
    )
    table = read_table(changed)
    outcome = check_table(
        IMPORTS["projects"], table, user=officer_a, member=city_a, mapping=propose(table).mapping
    )
    [planned] = outcome.planned
    plan = plan_of(Project.objects.get())
    # A colleague changes the plan after the check.
    financing_plan_set_status(
        plan=plan, status=FinancingPlan.Status.DRAFT, user=officer_a, expected_version=plan.version
    )

    with pytest.raises(ConcurrentEditError):
        outcome.kind.write(planned, Context(user=officer_a, member=city_a))

    assert lines(plan_of(Project.objects.get()))["expenses"] == [
        ("Total budget", None, Decimal("80000.00"))
    ]
