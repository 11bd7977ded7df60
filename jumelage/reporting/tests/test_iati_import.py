"""`manage.py import_iati`: real publishers' imperfect files, idempotence, hostile input."""

# The sample files' titles carry en dashes and Cyrillic, as real publishers' do.
# ruff: noqa: RUF001

from __future__ import annotations

import gzip
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from jumelage.audit.models import AuditEntry
from jumelage.reporting.iati.export import write_activities
from jumelage.reporting.models import (
    ExternalActivity,
    ExternalCountry,
    ExternalParticipation,
    ExternalRegion,
    ExternalSector,
    IatiOrganisation,
    ImportRun,
)
from jumelage.reporting.services import ImportRefused, import_iati_file
from jumelage.reporting.tests.factories import full_project

DATA = Path(__file__).parent / "data"
SAMPLES = [
    "afd_like.xml",
    "fcdo_like.xml",
    "bmz_like.xml",
    "ngo_v1_like.xml",
    "aidstream_like.xml",
    "usaid_like.xml",
]
SUMMARY = re.compile(
    r"^imported (\d+) activities: (\d+) created, (\d+) updated, "
    r"(\d+) unchanged \(nothing written\), (\d+) warnings$"
)
MODELS: list[Any] = [
    ExternalActivity,
    ExternalParticipation,
    ExternalSector,
    ExternalCountry,
    ExternalRegion,
    IatiOrganisation,
]


def run(path: Path | str, *args: str) -> list[str]:
    out = io.StringIO()
    call_command("import_iati", str(path), *args, stdout=out)
    return out.getvalue().splitlines()


def summary(lines: list[str]) -> tuple[int, int, int, int]:
    """(activities, created, updated, warnings) of the command's last line, whose count of
    unchanged activities must be what is left of the activities."""
    match = SUMMARY.match(lines[-1])
    assert match, lines[-1]
    read, created, updated, unchanged, warnings = (int(group) for group in match.groups())
    assert unchanged == read - created - updated
    return read, created, updated, warnings


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.parametrize(
    ("name", "activities"),
    [
        ("afd_like.xml", 3),
        ("fcdo_like.xml", 2),
        ("bmz_like.xml", 2),
        ("ngo_v1_like.xml", 2),
        ("aidstream_like.xml", 2),
        ("usaid_like.xml", 2),
    ],
)
def test_a_realistic_publishers_file_imports_without_error(db, name, activities):
    lines = run(DATA / name)
    read, created, updated, warnings = summary(lines)
    assert (read, created, updated) == (activities, activities, 0)
    assert warnings == len(lines) - 1 > 0
    assert ExternalActivity.objects.count() == activities


def test_the_command_ends_with_exactly_one_summary_line(db):
    lines = run(DATA / "afd_like.xml", "--verbosity", "0")
    assert lines == [
        "imported 3 activities: 3 created, 0 updated, 0 unchanged (nothing written), 6 warnings"
    ]


def test_importing_the_same_files_again_creates_and_changes_nothing(db):
    for name in SAMPLES:
        run(DATA / name)
    before = counts()
    stamps = dict(ExternalActivity.objects.values_list("iati_identifier", "updated_at"))
    for name in SAMPLES:
        _read, created, updated, _warnings = summary(run(DATA / name))
        assert (created, updated) == (0, 0)
    assert counts() == before
    assert dict(ExternalActivity.objects.values_list("iati_identifier", "updated_at")) == stamps


def test_organisations_are_matched_by_their_identifier_and_never_duplicated(db):
    for name in SAMPLES:
        run(DATA / name)
    assert IatiOrganisation.objects.filter(ref="FR-3").count() == 1
    afd = IatiOrganisation.objects.get(ref="FR-3")
    # The first name met wins; later files only add languages.
    assert afd.name == {
        "fr": "Agence Française de Développement",
        "en": "French Development Agency",
    }
    suresnes = IatiOrganisation.objects.get(ref="FR-RCS-219200730")
    assert suresnes.participations.values("activity").distinct().count() == 3
    assert ExternalParticipation.objects.filter(
        organisation__isnull=True, name__fr="Mairie du Cap-Haïtien"
    ).exists()


def test_a_changed_activity_is_updated_and_its_parts_are_replaced(db, tmp_path):
    run(DATA / "afd_like.xml")
    changed = tmp_path / "afd_like.xml"
    changed.write_text(
        (DATA / "afd_like.xml")
        .read_text(encoding="utf-8")
        .replace("FICOL – Gestion des déchets", "FICOL – Collecte des déchets"),
        encoding="utf-8",
    )
    assert summary(run(changed))[:3] == (3, 0, 1)
    activity = ExternalActivity.objects.get(iati_identifier="FR-3-CSN-9012-01-Z")
    assert activity.title == {"fr": "FICOL – Collecte des déchets à Saint-Louis"}
    assert list(activity.sectors.values_list("vocabulary", "code")) == [
        ("1", "14050"),
        ("8", "11.6"),
    ]
    assert activity.participations.count() == 4


def test_schema_errors_are_warnings_and_the_data_is_still_read(db):
    lines = run(DATA / "afd_like.xml")
    assert any("The attribute 'role' is required but missing" in line for line in lines)
    assert any("'value-date' is required but missing" in line for line in lines)
    activity = ExternalActivity.objects.get(iati_identifier="FR-3-CRS-5678-01-Y")
    assert activity.budget_total == Decimal("80000.00")
    assert activity.title["sr"] == "Подршка локалној управи у Крагујевцу"
    assert activity.actual_end.isoformat() == "2024-12-31"
    assert any("schema" in warning for warning in activity.warnings)


def test_totals_take_revised_budgets_and_leave_out_other_currencies(db):
    run(DATA / "afd_like.xml")
    water = ExternalActivity.objects.get(iati_identifier="FR-3-CHT-1234-01-X")
    assert (water.currency, water.budget_total) == ("EUR", Decimal("750000.00"))
    assert water.commitment_total == Decimal("1500000.00")
    assert water.disbursement_total == Decimal("770000.50")
    waste = ExternalActivity.objects.get(iati_identifier="FR-3-CSN-9012-01-Z")
    assert waste.disbursement_total is None
    assert any("another currency" in warning for warning in waste.warnings)


def test_uk_style_extras_duplicates_and_transaction_level_places_are_handled(db):
    lines = run(DATA / "fcdo_like.xml")
    assert any("appears more than once" in line for line in lines)
    assert any("without iati-identifier was skipped" in line for line in lines)
    programme = ExternalActivity.objects.get(iati_identifier="GB-1-204000")
    assert programme.title == {"en": "Urban resilience programme for West African cities"}
    assert list(programme.regions.values_list("code", "percentage")) == [
        ("289", Decimal("25.0000"))
    ]
    component = ExternalActivity.objects.get(iati_identifier="GB-1-204000-101")
    assert list(component.sectors.values_list("code", flat=True)) == ["43030"]
    assert list(component.countries.values_list("country_code", flat=True)) == ["SN"]
    assert component.title == {
        "en": "Urban resilience – Senegal component",
        "fr": "Résilience urbaine – composante Sénégal",
    }


def test_version_2_01_leftovers_are_read(db):
    run(DATA / "bmz_like.xml")
    partnership = ExternalActivity.objects.get(iati_identifier="DE-1-201912345")
    assert partnership.iati_version == "2.01"
    assert partnership.planned_start.isoformat() == "2020-01-01"
    assert partnership.title["en"] == "Municipal partnerships for sustainable development in Serbia"
    water = ExternalActivity.objects.get(iati_identifier="DE-1-202011111")
    assert water.title == {"de": "Wasserversorgung in Nord-Haiti"}
    assert set(water.sectors.values_list("code", flat=True)) == {"14030", "99999"}


def test_small_ngo_tool_quirks_are_read(db):
    run(DATA / "aidstream_like.xml")
    wash = ExternalActivity.objects.get(iati_identifier="FR-RCS-999999999-HT-WASH-01")
    assert wash.title == {"en": "Water after the floods: safe water for shelters in Cap-Haïtien"}
    assert wash.budget_total is None  # its only budget is in pounds, the activity in euros
    assert list(wash.sectors.values_list("vocabulary", "code")) == [
        ("99", "Water, Sanitation & Hygiene")
    ]
    ngo = IatiOrganisation.objects.get(ref="FR-RCS-999999999")
    assert ngo.name == {"en": "WATER FOR ALL EXAMPLE", "fr": "EAU POUR TOUS EXEMPLE"}
    assert sorted(wash.participations.values_list("role", "organisation__ref")) == [
        ("1", "GB-CHC-9999999"),
        ("2", "FR-RCS-999999999"),
        ("4", "FR-RCS-999999999"),
    ]
    schools = ExternalActivity.objects.get(iati_identifier="FR-RCS-999999999-RS-SCHOOLS")
    # Spaces around amounts; a budget without @type or currency counts as original, in euros.
    assert (schools.budget_total, schools.expenditure_total) == (
        Decimal("137293.36"),
        Decimal("74502.71"),
    )
    assert schools.warnings == []


def test_big_publishers_extensions_and_transaction_level_places_are_read(db):
    run(DATA / "usaid_like.xml")
    haiti = ExternalActivity.objects.get(iati_identifier="XM-DAC-99-1-HT-2024-07")
    assert haiti.warnings == []
    assert list(haiti.countries.values_list("country_code", flat=True)) == ["HT"]
    assert list(haiti.sectors.values_list("vocabulary", "code")) == [("1", "74020"), ("99", "7002")]
    assert (haiti.commitment_total, haiti.disbursement_total) == (
        Decimal("469974.00"),
        Decimal("3654.00"),
    )
    assert not IatiOrganisation.objects.filter(ref="NULL").exists()
    assert haiti.participations.filter(
        organisation__isnull=True, name__en="Coastal Communities Network"
    ).exists()
    serbia = ExternalActivity.objects.get(iati_identifier="XM-DAC-99-1-RS-2023-02")
    assert list(serbia.regions.values_list("code", "percentage")) == [("89", Decimal("50.0000"))]
    assert any("add up to 100.0001" in warning for warning in serbia.warnings)


def test_a_file_in_the_retired_1_0x_shape_is_read_with_its_old_codes_converted(db):
    lines = run(DATA / "ngo_v1_like.xml")
    assert lines[0].startswith("warning: The file is in the IATI 1.0x format, retired in 2019")
    assert summary(lines) == (2, 2, 0, 1)
    water = ExternalActivity.objects.get(iati_identifier="GB-CHC-999001-HTI-0042")
    assert water.title == {"en": "Clean water and hygiene in northern Haiti"}
    assert water.description == {"en": "Wells, latrines & hygiene clubs with two local partners"}
    assert (water.actual_start.isoformat(), water.planned_end.isoformat()) == (
        "2012-01-01",
        "2014-12-31",
    )
    assert str(water.reporting_org) == "Example Relief Trust (GB-CHC-999001)"
    # The revised 2012 budget replaces the original one; 2013 is added.
    assert (water.currency, water.budget_total) == ("GBP", Decimal("220000.00"))
    assert (
        water.incoming_total,
        water.commitment_total,
        water.disbursement_total,
        water.expenditure_total,
    ) == (Decimal("50000.00"), Decimal("210000.00"), Decimal("42000.50"), Decimal("4500.00"))
    assert list(water.participations.values_list("role", "organisation__ref")) == [
        ("1", "GB-1"),
        ("2", "GB-CHC-999001"),
        ("4", None),
    ]
    assert list(water.sectors.values_list("vocabulary", "code", "percentage")) == [
        ("1", "12261", Decimal("40.0000")),
        ("1", "14030", Decimal("60.0000")),
    ]
    assert water.warnings == []
    school = ExternalActivity.objects.get(iati_identifier="GB-CHC-999001-SRB-0007")
    assert list(school.participations.values_list("role", flat=True)) == ["1"]
    assert list(school.sectors.values_list("vocabulary", "code")) == [("2", "112")]
    assert (school.status, school.disbursement_total) == ("3", Decimal("8000.00"))


def test_a_file_that_declares_version_1_is_read_too(db, tmp_path):
    path = tmp_path / "v1.xml"
    path.write_bytes(VERSION_1)
    lines = run(path)
    assert lines[0].startswith("warning: The file is in the IATI 1.05 format")
    assert summary(lines) == (1, 1, 0, 1)
    activity = ExternalActivity.objects.get()
    assert (activity.title, activity.iati_version) == ({"en": "Old"}, "1.05")
    assert list(activity.participations.values_list("role", flat=True)) == ["3"]


def test_an_import_is_recorded_once_in_the_audit_log_for_its_authority(city_a):
    run(DATA / "afd_like.xml", "--authority", "ville-a")
    entry = AuditEntry.objects.get()
    assert (entry.authority_id, entry.verb, entry.model) == (
        city_a.pk,
        "IATI import",
        "reporting.importrun",
    )
    assert entry.changes["created"] == 3
    run_record = ImportRun.objects.get()
    assert (run_record.authority, run_record.created, run_record.iati_version) == (
        city_a,
        3,
        "2.03",
    )


def test_an_unknown_authority_is_refused_before_reading(db):
    with pytest.raises(CommandError, match="No member authority has the slug “nowhere”"):
        run(DATA / "afd_like.xml", "--authority", "nowhere")
    assert counts()["ExternalActivity"] == 0


def test_our_own_export_can_be_imported_back(city_a, tmp_path):
    projects = [full_project(city_a) for _ in range(2)]
    target = tmp_path / "ville-a.xml"
    with target.open("wb") as stream:
        write_activities(city_a, stream)
    assert summary(run(target))[:3] == (2, 2, 0)
    assert set(ExternalActivity.objects.values_list("iati_identifier", flat=True)) == {
        f"FR-RCS-123456789-{p.slug}" for p in projects
    }
    assert summary(run(target))[:3] == (2, 0, 0)


def _activities(count: int) -> bytes:
    body = "".join(
        f"""<iati-activity xml:lang="en" default-currency="EUR">
  <iati-identifier>XM-DAC-1-{n}</iati-identifier>
  <reporting-org ref="XM-DAC-1" type="10"><narrative>Donor</narrative></reporting-org>
  <title><narrative>Activity {n}</narrative></title>
  <description><narrative>Text</narrative></description>
  <participating-org ref="XM-DAC-1" type="10" role="1"/>
  <participating-org ref="XI-IATI-{n % 7}" type="22" role="4"/>
  <activity-status code="2"/><activity-date type="1" iso-date="2024-01-01"/>
  <recipient-country code="HT"/><sector code="15112"/>
</iati-activity>"""
        for n in range(count)
    )
    return f'<iati-activities version="2.03">{body}</iati-activities>'.encode()


def _queries_to_import(count: int) -> int:
    ExternalActivity.objects.all().delete()
    IatiOrganisation.objects.all().delete()
    with CaptureQueriesContext(connection) as context:
        result = import_iati_file(io.BytesIO(_activities(count)), batch_size=10)
    assert result.created == count
    return len(context.captured_queries)


def test_placeholder_ids_such_as_null_are_not_taken_for_one_organisation(db):
    data = b"""<iati-activities version="2.03">
<iati-activity><iati-identifier>GB-GOV-1-1</iati-identifier>
<participating-org ref="NULL" role="4"><narrative>Village Water Trust</narrative>
</participating-org>
</iati-activity>
<iati-activity><iati-identifier>GB-GOV-1-2</iati-identifier>
<participating-org ref=" null " role="4"><narrative>Farmers' Union</narrative></participating-org>
<participating-org ref="N/A" role="1"><narrative>A donor</narrative></participating-org>
</iati-activity></iati-activities>"""
    import_iati_file(io.BytesIO(data))
    assert not IatiOrganisation.objects.exists()
    assert sorted(
        (p.role, p.name["en"])
        for p in ExternalParticipation.objects.filter(organisation__isnull=True)
    ) == [("1", "A donor"), ("4", "Farmers' Union"), ("4", "Village Water Trust")]


def test_a_lone_activity_without_the_wrapper_is_read_as_a_file_of_one(db, tmp_path):
    path = tmp_path / "one.xml"
    path.write_bytes(
        b"""<?xml version="1.0"?>
<iati-activity xml:lang="en" default-currency="GBP">
  <iati-identifier>GB-CHC-999001-1</iati-identifier>
  <title><narrative>One activity</narrative></title>
  <transaction><transaction-type code="3"/><value>120</value></transaction>
</iati-activity>"""
    )
    lines = run(path)
    assert lines[0] == (
        "warning: The file holds one iati-activity without the iati-activities element around "
        "it; it was read as a file of one activity."
    )
    assert summary(lines)[:3] == (1, 1, 0)
    activity = ExternalActivity.objects.get()
    assert (activity.title, activity.disbursement_total) == ({"en": "One activity"}, 120)
    assert summary(run(path))[:3] == (1, 0, 0)


def test_amounts_too_large_to_be_real_are_left_out_instead_of_breaking_the_import(db):
    many = '<transaction><transaction-type code="3"/><value>9E+17</value></transaction>'
    data = f"""<iati-activities version="2.03"><iati-activity default-currency="EUR">
<iati-identifier>XM-1-1</iati-identifier>
<budget><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>
<value value-date="2020-01-01">1E+40</value></budget>
<transaction><transaction-type code="2"/><value>99999999999999999999999999.99</value></transaction>
<transaction><transaction-type code="2"/><value>12.50</value></transaction>
{many * 120}</iati-activity></iati-activities>""".encode()
    result = import_iati_file(io.BytesIO(data))
    activity = ExternalActivity.objects.get()
    assert (activity.budget_total, activity.commitment_total) == (None, Decimal("12.50"))
    assert activity.disbursement_total is None
    assert "XM-1-1: The amount “1E+40” is not a number, or not a real amount" in (
        " ".join(result.warnings)
    )
    assert "XM-1-1: The disbursements total is too large to be real" in " ".join(result.warnings)


def test_the_import_runs_a_fixed_number_of_queries_per_batch_not_per_activity(db):
    one_batch, two_batches = _queries_to_import(10), _queries_to_import(20)
    per_batch = two_batches - one_batch
    assert per_batch < 10
    assert _queries_to_import(150) == one_batch + 14 * per_batch


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<iati-activities version="2.03"><iati-activity><iati-identifier>XM-1-&lol9;</iati-identifier>
<title><narrative>&lol9;</narrative></title></iati-activity></iati-activities>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>XM-1-1</iati-identifier>
<title><narrative>&xxe;</narrative></title></iati-activity></iati-activities>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities SYSTEM "http://attacker.example/iati.dtd">
<iati-activities version="2.03"><iati-activity><iati-identifier>XM-1-1</iati-identifier>
</iati-activity></iati-activities>"""

ORGANISATION_FILE = b"""<iati-organisations version="2.03"><iati-organisation>
<organisation-identifier>FR-3</organisation-identifier></iati-organisation>
</iati-organisations>"""

VERSION_1 = b"""<iati-activities version="1.05"><iati-activity>
<iati-identifier>XM-1-1</iati-identifier><title>Old</title>
<participating-org ref="XM-1" role="Extending">Old donor</participating-org>
</iati-activity></iati-activities>"""

HOSTILE = {
    "billion_laughs": (BILLION_LAUGHS, "declares a document type (DOCTYPE)"),
    "xxe_etc_passwd": (XXE, "declares a document type (DOCTYPE)"),
    "external_dtd": (EXTERNAL_DTD, "declares a document type (DOCTYPE)"),
    "not_xml": (b"iati-identifier,title\nXM-1-1,Water\n", "is not well-formed XML"),
    "empty": (b"", "is not well-formed XML"),
    "wrong_root": (ORGANISATION_FILE, "root element is “iati-organisations”"),
    "no_activity": (b'<iati-activities version="2.03"/>', "holds no iati-activity"),
    "gzip": (gzip.compress((DATA / "afd_like.xml").read_bytes()), "is not well-formed XML"),
    "cut_short": ((DATA / "afd_like.xml").read_bytes()[:6000], "is not well-formed XML"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_or_unusable_files_are_refused_with_a_clear_message_and_write_nothing(
    db, tmp_path, case
):
    data, message = HOSTILE[case]
    path = tmp_path / f"{case}.xml"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=re.escape(message)):
        run(path)
    assert set(counts().values()) == {0}
    assert not ImportRun.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_file_cut_short_after_written_batches_rolls_everything_back(db):
    data = _activities(20)[:-600]
    with pytest.raises(ImportRefused):
        import_iati_file(io.BytesIO(data), batch_size=2)
    assert set(counts().values()) == {0}
    assert not ImportRun.objects.exists()


@override_settings(IATI_IMPORT_MAX_BYTES=4000)
def test_a_file_above_the_size_limit_is_refused_before_it_is_read(db):
    message = "The file is 8.2\xa0KB, larger than the 3.9\xa0KB allowed"
    with pytest.raises(CommandError, match=re.escape(message)):
        run(DATA / "afd_like.xml")
    assert set(counts().values()) == {0}


def test_a_stream_above_the_size_limit_is_refused_while_it_is_read(db):
    with pytest.raises(ImportRefused, match="larger than"):
        import_iati_file(io.BytesIO(_activities(50)), max_bytes=5000)
    assert set(counts().values()) == {0}


def test_a_missing_file_is_refused_with_what_to_check(db, tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run(tmp_path / "absent.xml")


def test_imported_activities_show_who_else_works_in_a_country(db, django_assert_num_queries):
    from jumelage.reporting.selectors import external_activities_in_country

    for name in SAMPLES:
        run(DATA / name)
    with django_assert_num_queries(5):
        found = {
            activity.iati_identifier: sorted(
                str(p.organisation or p) for p in activity.participations.all()
            )
            for activity in external_activities_in_country("ht")
        }
    assert set(found) == {
        "FR-3-CHT-1234-01-X",
        "DE-1-202011111",
        "GB-CHC-999001-HTI-0042",
        "FR-RCS-999999999-HT-WASH-01",
        "XM-DAC-99-1-HT-2024-07",
    }
    assert "Association des Amis du Cap" in found["GB-CHC-999001-HTI-0042"]
    assert "Mairie du Cap-Haïtien" in found["FR-3-CHT-1234-01-X"]


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_of_files_naming_the_same_activities_both_succeed(city_a, city_b):
    """Two officers of two authorities import at the same moment files that name the same
    activities and the same new organisations: the second waits for the first, then finds
    them stored (nothing fails on the unique identifiers, nothing is doubled)."""
    import threading

    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's transactions take the write lock as they begin, so imports cannot run "
            "at once; CI runs this test on PostgreSQL."
        )
    data = _activities(60)
    start = threading.Barrier(2, timeout=60)
    outcomes: list[Any] = []

    def run_import(member: Any) -> None:
        try:
            start.wait()
            outcomes.append(import_iati_file(io.BytesIO(data), authority=member, batch_size=10))
        except Exception as error:  # reported by the assertion below, not swallowed
            outcomes.append(repr(error))
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run_import, args=(m,)) for m in (city_a, city_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(not isinstance(o, str) for o in outcomes), outcomes
    assert sorted((o.created, o.activities - o.created - o.updated) for o in outcomes) == [
        (0, 60),
        (60, 0),
    ]
    assert ExternalActivity.objects.count() == 60
    assert IatiOrganisation.objects.count() == 8
