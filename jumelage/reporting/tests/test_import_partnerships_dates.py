"""An officer's own partnerships sheet: "Date de signature" read as the start date (a day) or the
start year (a month, a year), "2019-2022" as a start and an end, and a "Délibération" column
recorded as the council decision of the partnership."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from jumelage.agreements.models import CouncilDecision
from jumelage.agreements.tests.factories import CouncilDecisionFactory
from jumelage.audit.models import AuditEntry
from jumelage.partners.models import Partnership
from jumelage.partners.tests.factories import AuthorityFactory
from jumelage.reporting.spreadsheets.imports import IMPORTS, import_table
from jumelage.reporting.spreadsheets.mapping import propose
from jumelage.reporting.spreadsheets.reading import read_table
from jumelage.reporting.tests.officer_files import csv_bytes, xlsx
from jumelage.reporting.tests.test_spreadsheet_support import country, reference_countries

HEADERS = ["Ville partenaire", "Pays", "Type", "Date de signature", "Délibération"]


@pytest.fixture(autouse=True)
def directory(db):
    reference_countries()
    country("TG", "Togo", "Togo")
    country("GN", "Guinée", "Guinea")
    return {
        name: AuthorityFactory(name=name, country_id=code)
        for name, code in (("Rostock", "DE"), ("Kindia", "GN"), ("Sokodé", "TG"))
    }


def sheet(tmp_path: Path, rows: list[list[Any]], *, name: str = "jumelages.xlsx") -> Path:
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes(csv_bytes(rows, encoding="latin-1"))
    else:
        path.write_bytes(xlsx({"Jumelages": rows}))
    return path


def imported(path: Path, *, user, member, clean_rows_only: bool = True):
    table = read_table(path)
    proposal = propose(table)
    assert proposal.kind == "partnerships"
    return import_table(
        IMPORTS["partnerships"],
        table,
        user=user,
        member=member,
        mapping=proposal.mapping,
        clean_rows_only=clean_rows_only,
    )


ROWS = [
    HEADERS,
    ["Rostock", "Allemagne", "Jumelage", "12 mai 1984", "DCM 84-112 du 02/04/1984"],
    ["Kindia", "Guinée", "Coopération décentralisée", "03/1998", None],
    ["Sokodé", "Togo", "coopération", "2019-2022", "Délibération n° 2019/45 du 12 mars 2019"],
]


@pytest.mark.parametrize("name", ["jumelages.xlsx", "jumelages.csv"])
def test_dates_periods_and_council_decisions_are_stored(tmp_path, city_a, officer_a, name):
    path = sheet(tmp_path, ROWS, name=name)

    outcome = imported(path, user=officer_a, member=city_a)

    assert outcome.written, [str(p) for p in outcome.problems]
    stored = {
        p.partner.name: (p.started_on, p.started_year, p.ended_on, p.status)
        for p in Partnership.objects.filter(authority=city_a).select_related("partner")
    }
    assert stored == {
        "Rostock": (datetime.date(1984, 5, 12), 1984, None, Partnership.Status.ACTIVE),
        # A month gives the start year, not a made-up day.
        "Kindia": (None, 1998, None, Partnership.Status.ACTIVE),
        # A period: its start and its end; an end in the past ends the partnership.
        "Sokodé": (None, 2019, datetime.date(2022, 12, 31), Partnership.Status.ENDED),
    }
    decisions = CouncilDecision.objects.filter(authority=city_a).order_by("date")
    assert [(d.number, d.date) for d in decisions] == [
        ("84-112", datetime.date(1984, 4, 2)),
        ("2019/45", datetime.date(2019, 3, 12)),
    ]
    assert "Rostock" in decisions[0].subject


def test_date_de_signature_is_proposed_as_the_start_date(tmp_path, city_a):
    table = read_table(sheet(tmp_path, ROWS))

    proposal = propose(table)

    assert proposal.mapping == {
        0: "partner",
        1: "partner_country",
        2: "kind",
        3: "started_on",
        4: "council_decision",
    }


def test_the_same_file_twice_changes_nothing(tmp_path, city_a, officer_a):
    path = sheet(tmp_path, ROWS)
    assert imported(path, user=officer_a, member=city_a).written
    entries = AuditEntry.objects.count()

    again = imported(path, user=officer_a, member=city_a)

    assert again.counts == {"create": 0, "update": 0, "unchanged": 3}
    assert AuditEntry.objects.count() == entries
    assert CouncilDecision.objects.count() == 2


def test_a_period_with_an_end_column_keeps_the_end_column(tmp_path, city_a, officer_a):
    path = sheet(
        tmp_path,
        [
            ["Ville partenaire", "Pays", "Type", "Depuis", "Date de fin"],
            ["Sokodé", "Togo", "coopération", "2019-2022", "30/06/2023"],
        ],
    )

    assert imported(path, user=officer_a, member=city_a).written

    partnership = Partnership.objects.get()
    assert (partnership.started_year, partnership.ended_on) == (2019, datetime.date(2023, 6, 30))


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        ("délib. 2019/45", "no date of the sitting"),
        ("voir le dossier", "no number"),
        ("DCM 84-112 du 31/02/1984", "“31/02/1984” is not a date"),
    ],
)
def test_a_bad_council_decision_is_reported_on_its_cell_and_nothing_is_written_for_the_row(
    tmp_path, city_a, officer_a, decision, expected
):
    rows = [HEADERS, [*ROWS[1][:4], decision], ROWS[2]]

    outcome = imported(sheet(tmp_path, rows), user=officer_a, member=city_a)

    assert [(p.row, p.column) for p in outcome.problems] == [(2, "Délibération")]
    assert expected in outcome.problems[0].message
    assert list(Partnership.objects.values_list("partner__name", flat=True)) == ["Kindia"]
    assert not CouncilDecision.objects.exists()


def test_a_decision_number_already_recorded_with_another_date_is_refused(
    tmp_path, city_a, city_b, officer_a, officer_b
):
    CouncilDecisionFactory(authority=city_a, number="84-112", date=datetime.date(1985, 1, 1))

    mine = imported(sheet(tmp_path, ROWS[:2]), user=officer_a, member=city_a)
    # Another authority's decision of the same number is not this one's.
    theirs = imported(sheet(tmp_path, ROWS[:2], name="b.xlsx"), user=officer_b, member=city_b)

    assert ["dated 01/01/1985" in p.message for p in mine.problems] == [True]
    assert theirs.written
    assert CouncilDecision.objects.filter(authority=city_b, number="84-112").exists()


def test_a_viewer_records_no_decision(tmp_path, city_a, viewer_a):
    outcome = imported(sheet(tmp_path, ROWS), user=viewer_a, member=city_a)

    assert not outcome.written
    assert not CouncilDecision.objects.exists()
