"""An officer's list of delegations and missions (a title row, French headers, a total row,
"12 mai 2025", "03/2026", "accueil"/"déplacement", "3 870,40 €", participants by name, a
partner town written loosely), in XLSX and in a Latin-1 CSV, through `import_spreadsheet` and
the import machinery: the stored visits with their delegation and cost, the same file twice, a
bad row, two authorities."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from jumelage.actors.models import Person
from jumelage.actors.tests.factories import PersonFactory
from jumelage.partners.models import Partnership
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.reporting.spreadsheets.imports import IMPORTS, import_table
from jumelage.reporting.spreadsheets.mapping import propose, propose_kind
from jumelage.reporting.spreadsheets.reading import read_workbook
from jumelage.reporting.tests.officer_files import csv_bytes, xlsx
from jumelage.visits.models import Participant, Visit, VisitCost
from jumelage.visits.tests.factories import VisitFactory

HEADERS = [
    "Du",
    "Au",
    "Ville",
    "Objet",
    "Sens",
    "Participants",
    "Coût",
    "Ordre de mission",
]
VISITS: list[list[Any]] = [
    ["Délégations et missions 2025-2026", *[None] * 7],
    HEADERS,
    [
        "12 mai 2025",
        "15 mai 2025",
        "Cap Haitien (Haïti)",
        "Suivi des forages",
        "déplacement",
        "Claire Démo, M. Exemple",
        "3 870,40 €",
        "OM-2025-014",
    ],
    [
        "03/2026",
        None,
        "Holon",
        "Échanges sur la petite enfance",
        "accueil",
        "Jean Testud; Yael Cohen",
        None,
        "non",
    ],
    [
        "02/10/2025",
        "03/10/2025",
        "Bruxelles",
        "Assises de la coopération",
        "Déplacement",
        "Karim Exemple",
        "450",
        "oui",
    ],
    ["Total", None, None, None, None, None, "4 320,40 €", None],
]


@pytest.fixture
def records(db, city_a, city_b):
    cap = ForeignAuthorityFactory(name="Cap-Haïtien")
    holon = ForeignAuthorityFactory(name="Holon", country__code="IL")
    return {
        "cap": PartnershipFactory(authority=city_a, partner=cap),
        "holon": PartnershipFactory(
            authority=city_a, partner=holon, kind=Partnership.Kind.TWINNING
        ),
        "cap_b": PartnershipFactory(authority=city_b, partner=cap),
        "claire": PersonFactory(authority=city_a, first_name="Claire", last_name="Démo"),
        "karim": PersonFactory(authority=city_a, first_name="Karim", last_name="Exemple"),
        "testud": PersonFactory(
            authority=city_a,
            first_name="Jean",
            last_name="Testud",
            kind=Person.Kind.ELECTED,
        ),
        # Another authority's people of the same names are never matched.
        "claire_b": PersonFactory(authority=city_b, first_name="Claire", last_name="Démo"),
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
    path = tmp_path / f"visites.{file_format}"
    if file_format == "xlsx":
        path.write_bytes(xlsx({"Visites": rows}, merges={"Visites": ["A1:H1"]}))
    else:
        # Latin-1 has no euro sign: such a file says EUR.
        latin = [[v.replace("€", "EUR") if isinstance(v, str) else v for v in row] for row in rows]
        path.write_bytes(csv_bytes(latin, encoding="latin-1"))
    return path


def stored(member) -> list[tuple[Any, ...]]:
    found = []
    visits = Visit.objects.filter(authority=member).order_by("starts_on")
    for visit in visits:
        found.append(
            (
                visit.starts_on,
                visit.ends_on,
                visit.direction,
                visit.partnership.partner.name if visit.partnership else visit.other_party,
                visit.purpose,
                sorted(
                    (str(p), p.role, p.person.authority_id if p.person else None, p.mission_order)
                    for p in visit.participants.all()
                ),
                [(c.amount, c.currency) for c in visit.costs.all()],
            )
        )
    return found


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_officer_list_goes_in_with_the_values_understood_and_twice_changes_nothing(
    tmp_path, city_a, city_b, admin_a, records, file_format
):
    path = write(tmp_path, VISITS, file_format)

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    assert "visits, 3 rows ready, 0 rows with problems, 1 rows skipped" in out
    assert "“Cap Haitien (Haïti)” read as the partnership" in out
    assert "“Bruxelles” is none of your partner towns" in out
    assert "“Yael Cohen” is none of your people: recorded as a guest by name" in out
    a = city_a.pk
    assert stored(city_a) == [
        (
            datetime.date(2025, 5, 12),
            datetime.date(2025, 5, 15),
            Visit.Direction.OUTGOING,
            "Cap-Haïtien",
            {"fr": "Suivi des forages"},
            [
                ("Claire Démo", "staff", a, "OM-2025-014"),
                ("Karim Exemple", "staff", a, "OM-2025-014"),
            ],
            [(Decimal("3870.40"), "EUR")],
        ),
        (
            datetime.date(2025, 10, 2),
            datetime.date(2025, 10, 3),
            Visit.Direction.OUTGOING,
            "Bruxelles",
            {"fr": "Assises de la coopération"},
            [("Karim Exemple", "staff", a, "oui")],
            [(Decimal("450.00"), "EUR")],
        ),
        (
            datetime.date(2026, 3, 1),
            None,
            Visit.Direction.INCOMING,
            "Holon",
            {"fr": "Échanges sur la petite enfance"},
            [("Jean Testud", "elected", a, ""), ("Yael Cohen", "guest", None, "")],
            [],
        ),
    ]
    assert Visit.objects.get(starts_on=datetime.date(2025, 5, 12)).partnership == records["cap"]
    assert not Visit.objects.filter(authority=city_b).exists()
    versions = sorted(Visit.objects.values_list("pk", "version"))
    counts = (Participant.objects.count(), VisitCost.objects.count())

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    assert sorted(Visit.objects.values_list("pk", "version")) == versions
    assert (Participant.objects.count(), VisitCost.objects.count()) == counts


def test_a_dry_run_prints_one_line_for_the_sheet_in_french(tmp_path, city_a, admin_a, records):
    path = write(tmp_path, VISITS, "xlsx")

    out, error = run(path, "--dry-run")

    assert error == "", out
    with translation.override("fr"):
        line = (
            "sheet “%(sheet)s”: %(kind)s, %(ready)s rows ready, %(problems)s rows with "
            "problems, %(skipped)s rows skipped"
        )
        expected = translation.gettext(line) % {
            "sheet": "Visites",
            "kind": translation.pgettext("kind of record", "visits"),
            "ready": 3,
            "problems": 0,
            "skipped": 1,
        }
    assert expected != line
    assert expected in out.splitlines()
    assert not Visit.objects.exists()


def test_bad_rows_are_reported_with_their_cell_and_nothing_is_written_for_them(
    tmp_path, city_a, admin_a, records
):
    rows = [row[:] for row in VISITS]
    rows[2][4] = "aller-retour"  # no direction
    rows[3][0] = "31/02/2026"  # no such day
    path = write(tmp_path, rows, "xlsx")

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error.startswith("Nothing was imported")
    assert "Row 3, column “Sens”: “aller-retour” is not a direction" in out
    assert "Row 4, column “Du”: “31/02/2026” is not a date" in out
    assert not Visit.objects.exists()

    table = read_workbook(path).sheets[0]
    outcome = import_table(
        IMPORTS["visits"],
        table,
        user=admin_a,
        member=city_a,
        mapping=propose(table, kind="visits").mapping,
        clean_rows_only=True,
    )
    assert outcome.written
    assert sorted({p.row for p in outcome.problems}) == [3, 4]
    assert [v.other_party for v in Visit.objects.all()] == ["Bruxelles"]
    assert Participant.objects.count() == 1


def test_a_confirmed_mission_without_its_papers_is_refused_before_anything_is_written(
    tmp_path, city_a, admin_a, records
):
    rows = [["Du", "Au", "Ville", "Sens", "Statut", "Participants"]]
    rows.append(["12/05/2025", "15/05/2025", "Cap-Haïtien", "déplacement", "confirmé", "Testud"])
    path = tmp_path / "missions.xlsx"
    path.write_bytes(xlsx({"Missions": rows}))

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error.startswith("Nothing was imported")
    assert "Row 2: Jean Testud is an elected official: choose the council decision" in out
    assert not Visit.objects.exists()


def test_another_authority_s_visits_and_people_are_left_alone(
    tmp_path, city_a, city_b, admin_a, records
):
    theirs = VisitFactory(
        authority=city_b,
        direction=Visit.Direction.OUTGOING,
        partnership=records["cap_b"],
        starts_on=datetime.date(2025, 5, 12),
        ends_on=datetime.date(2025, 5, 13),
    )
    path = write(tmp_path, VISITS, "xlsx")

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    assert Visit.objects.filter(authority=city_a).count() == 3
    kept = Visit.objects.get(pk=theirs.pk)
    assert (kept.version, kept.ends_on, kept.participants.count()) == (
        theirs.version,
        datetime.date(2025, 5, 13),
        0,
    )
    # Claire Démo of B was not taken for A's Claire Démo.
    assert not records["claire_b"].visits.exists()
    # The partner town is A's partnership, not B's with the same town.
    assert (
        Visit.objects.get(authority=city_a, starts_on=datetime.date(2025, 5, 12)).partnership
        == records["cap"]
    )


def test_an_existing_visit_gets_the_new_participants_and_keeps_the_others(
    tmp_path, city_a, admin_a, records
):
    visit = VisitFactory(
        authority=city_a,
        direction=Visit.Direction.INCOMING,
        partnership=records["holon"],
        starts_on=datetime.date(2026, 3, 1),
        ends_on=None,
    )
    Participant.objects.create(visit=visit, name="Invité d'honneur")
    before = visit.version
    rows = [["Du", "Ville", "Sens", "Participants"]]
    rows.append(["03/2026", "Holon", "accueil", "Jean Testud"])
    path = tmp_path / "accueil.xlsx"
    path.write_bytes(xlsx({"Accueil": rows}))

    out, error = run(path, "--accept-proposed", "--language", "en")

    assert error == "", out
    assert Visit.objects.count() == 1
    assert sorted(str(p) for p in visit.participants.all()) == ["Invité d'honneur", "Jean Testud"]
    visit.refresh_from_db()
    assert visit.version == before + 1


@pytest.mark.parametrize(
    "headers",
    [
        ["Du", "Au", "Ville", "Objet", "Sens", "Participants", "Coût", "Ordre de mission"],
        ["Date de départ", "Date de retour", "Destination", "Objet", "Participants"],
    ],
)
def test_a_visits_sheet_is_recognised_by_its_headers(headers):
    assert propose_kind(headers) == "visits"


def test_a_visit_changed_after_the_check_refuses_the_import_rather_than_being_overwritten(
    tmp_path, city_a, admin_a, records, monkeypatch
):
    from jumelage.reporting.spreadsheets.imports.visits import VisitImport

    visit = VisitFactory(
        authority=city_a,
        direction=Visit.Direction.INCOMING,
        partnership=records["holon"],
        starts_on=datetime.date(2026, 3, 1),
        ends_on=None,
    )
    planned = VisitImport.plan

    def plan_then_a_colleague_saves(self, row, values, ctx):
        result = planned(self, row, values, ctx)
        Visit.objects.filter(pk=visit.pk).update(version=visit.version + 5)
        return result

    monkeypatch.setattr(VisitImport, "plan", plan_then_a_colleague_saves)
    path = tmp_path / "accueil.xlsx"
    path.write_bytes(
        xlsx(
            {
                "Accueil": [
                    ["Du", "Ville", "Sens", "Objet"],
                    ["03/2026", "Holon", "accueil", "Culture"],
                ]
            }
        )
    )
    table = read_workbook(path).sheets[0]

    outcome = import_table(
        IMPORTS["visits"],
        table,
        user=admin_a,
        member=city_a,
        mapping=propose(table, kind="visits").mapping,
    )

    assert not outcome.written
    assert [p.row for p in outcome.problems] == [2]
    visit.refresh_from_db()
    assert visit.purpose == {}


def test_a_visit_recorded_meanwhile_by_the_same_file_is_not_recorded_twice(
    tmp_path, city_a, admin_a, records, monkeypatch
):
    from jumelage.reporting.spreadsheets.imports.visits import VisitImport

    planned = VisitImport.plan

    def plan_then_another_import_records_it(self, row, values, ctx):
        result = planned(self, row, values, ctx)
        VisitFactory(
            authority=city_a,
            direction=Visit.Direction.INCOMING,
            partnership=records["holon"],
            starts_on=datetime.date(2026, 3, 1),
            ends_on=None,
        )
        return result

    monkeypatch.setattr(VisitImport, "plan", plan_then_another_import_records_it)
    path = tmp_path / "accueil.xlsx"
    path.write_bytes(xlsx({"Accueil": [["Du", "Ville", "Sens"], ["03/2026", "Holon", "accueil"]]}))
    table = read_workbook(path).sheets[0]

    outcome = import_table(
        IMPORTS["visits"],
        table,
        user=admin_a,
        member=city_a,
        mapping=propose(table, kind="visits").mapping,
    )

    assert outcome.written, outcome.problems
    assert Visit.objects.filter(authority=city_a).count() == 1
